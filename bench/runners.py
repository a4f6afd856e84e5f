"""Run one system on one written workload in a child process; time it, measure it, count it.

The parent side is :func:`run_system`: it starts ``python bench/runners.py SYSTEM
WORKDIR OUTDIR RESULT`` in a new session, enforces the timeout (killing the
child's process group), and reads the JSON the child leaves in ``RESULT``.
The child side is :func:`main`: it loads the ``.facts`` files, evaluates the
rules, and reports

* ``seconds`` and ``cpu_seconds``: wall and CPU time of load + evaluate (+ write,
  for deniable) measured inside the child, which leaves out interpreter start-up,
  imports and the counting afterwards;
* ``peak_rss_kb``: the child's peak resident set (``VmHWM``) right after the
  timed part, so the counting afterwards cannot inflate it;
* per output relation the row count and an order-independent digest of the rows
  (a sum of 64-bit BLAKE2b hashes), so agreement means the same rows, not just
  the same number of them.

This file imports nothing from ``bench`` so it runs as a plain script.
"""

from __future__ import annotations

import hashlib
import json
import os
import resource
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

#: Every system, in the order the table shows them; the first is the baseline for ratios.
SYSTEMS: tuple[str, ...] = (
    "deniable-sql",
    "deniable-duckdb",
    "deniable-postgres",
    "deniable-pydatalog",
    "pydatalog",
    "clingo",
)
#: Systems built on pyDatalog: hours on the large investigation bases, so skipped by default.
PYDATALOG_BASED = frozenset({"deniable-pydatalog", "pydatalog"})

Rows = Iterable[tuple[str, ...]]


# --------------------------------------------------------------------------- parent side


@dataclass(slots=True)
class RunResult:
    """One run of one system on one workload."""

    system: str
    status: str  # "ok", "timeout" or "error"
    seconds: float = float("nan")
    #: CPU time of the same timed part; for a killed child, what it had used by then.
    cpu_seconds: float = float("nan")
    wall_seconds: float = float("nan")
    peak_rss_kb: int = 0
    sizes: dict[str, int] = field(default_factory=dict)
    digests: dict[str, str] = field(default_factory=dict)
    message: str = ""


def run_system(
    system: str, workdir: Path, scratch: Path, *, timeout: float, python: str = sys.executable
) -> RunResult:
    """Run ``system`` on the workload in ``workdir`` in a child process.

    Args:
        system: one of :data:`SYSTEMS`.
        workdir: a folder written by ``workloads.write_workload``.
        scratch: an empty folder for the child's output, logs and result.
        timeout: seconds of wall time before the child's process group is killed.
    """
    scratch.mkdir(parents=True, exist_ok=True)
    result_path = scratch / "result.json"
    result_path.unlink(missing_ok=True)
    cmd = [python, str(Path(__file__).resolve()), system, str(workdir), str(scratch / "out")]
    cmd.append(str(result_path))
    start = time.perf_counter()
    with (scratch / "stdout.log").open("wb") as out, (scratch / "stderr.log").open("wb") as err:
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, start_new_session=True)
        status, rss, cpu = _wait(proc, timeout)
    wall = time.perf_counter() - start
    if status is None:
        return RunResult(system, "timeout", cpu_seconds=cpu, wall_seconds=wall, peak_rss_kb=rss)
    if status != 0 or not result_path.exists():
        return RunResult(
            system, "error", wall_seconds=wall, peak_rss_kb=rss, message=_tail(scratch)
        )
    data = json.loads(result_path.read_text(encoding="utf-8"))
    return RunResult(
        system,
        "ok",
        seconds=data["seconds"],
        cpu_seconds=data["cpu_seconds"],
        wall_seconds=wall,
        peak_rss_kb=max(data["peak_rss_kb"], 0) or rss,
        sizes=data["sizes"],
        digests=data["digests"],
    )


def _wait(proc: subprocess.Popen[bytes], timeout: float) -> tuple[int | None, int, float]:
    """Wait for ``proc``; return its exit code (``None`` on timeout), peak RSS and CPU seconds.

    The child reports its own exact figures when it finishes; the samples taken
    here only matter for a child that times out or crashes.
    """
    deadline = time.monotonic() + timeout
    delay, peak, cpu = 0.005, 0, 0.0
    while True:
        peak = max(peak, peak_rss_kb(proc.pid))
        cpu = max(cpu, _cpu_seconds(proc.pid))
        try:
            code = proc.wait(timeout=delay)
        except subprocess.TimeoutExpired:
            code = None
        if code is not None:
            return code, peak, cpu
        if time.monotonic() >= deadline:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            return None, peak, cpu
        delay = min(delay * 2, 0.25)


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of a running process from ``/proc/<pid>/stat`` (0 when gone)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
    except OSError:
        return 0.0
    # The command name (field 2) may hold spaces; utime and stime are fields 14 and 15.
    fields = stat.rsplit(")", 1)[-1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _tail(scratch: Path) -> str:
    for name in ("stderr.log", "stdout.log"):
        lines = (scratch / name).read_text(encoding="utf-8", errors="replace").splitlines()
        lines = [line.strip() for line in lines if line.strip()]
        if lines:
            return lines[-1][:300]
    return "exited without a result"


# --------------------------------------------------------------------------- child side


def _manifest(workdir: Path) -> dict[str, list[dict[str, object]]]:
    return json.loads((workdir / "workload.json").read_text(encoding="utf-8"))


def _read_facts(path: Path, numeric: bool) -> list[tuple[int | str, ...]]:
    with path.open(encoding="utf-8") as f:
        if numeric:
            return [tuple(int(v) for v in line.rstrip("\n").split("\t")) for line in f]
        return [tuple(line.rstrip("\n").split("\t")) for line in f]


def _run_deniable(engine: str) -> Callable[[Path, Path], tuple[float, float, dict[str, Rows]]]:
    def run(workdir: Path, out: Path) -> tuple[float, float, dict[str, Rows]]:
        import importlib

        from deniable.cli import main as deniable_main

        # The CLI imports lazily; import up front so that, as for pyDatalog and clingo,
        # module loading is not timed (building the rule grammar still is).
        for module in (
            "deniable.rules.program",
            "deniable.rules.soufflio",
            "deniable.grammar.readers",  # the CLI's option defaults
            f"deniable.rules.engines.{_ENGINE_MODULE[engine]}",
        ):
            importlib.import_module(module)

        argv = ["run", str(workdir / "program.dl"), "-F", str(workdir / "facts")]
        argv += ["-D", str(out), "--engine", engine]
        start, cpu = time.perf_counter(), time.process_time()
        status = deniable_main(argv)
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
        if status:
            raise SystemExit(status)
        return (
            seconds,
            cpu,
            {
                str(r["name"]): _souffle_output(out, str(r["name"]))
                for r in _manifest(workdir)["outputs"]
            },
        )

    return run


_ENGINE_MODULE = {
    "sql": "sqlite",
    "duckdb": "duckdb",
    "postgres": "postgres",
    "pydatalog": "pydatalog",
}


def _souffle_output(out: Path, name: str) -> Rows:
    """Rows of ``out/<name>.csv`` (Soufflé's default: tab-separated, no header), lazily."""
    path = out / f"{name}.csv"
    if not path.exists():
        raise SystemExit(f"error: {path} was not written")
    with path.open(encoding="utf-8") as f:
        for line in f:
            yield tuple(line.rstrip("\n").split("\t"))


def _run_pydatalog(workdir: Path, out: Path) -> tuple[float, float, dict[str, Rows]]:
    from pyDatalog import pyDatalog

    manifest = _manifest(workdir)
    sys.setrecursionlimit(100_000)
    start, cpu = time.perf_counter(), time.process_time()
    for r in manifest["inputs"]:
        name = str(r["name"])
        for row in _read_facts(workdir / "facts" / f"{name}.facts", r["type"] == "number"):
            pyDatalog.assert_fact(name, *row)
    pyDatalog.load((workdir / "rules.pyd").read_text(encoding="utf-8"))
    answers = {}
    for r in manifest["outputs"]:
        variables = ", ".join(f"X{i}" for i in range(int(r["arity"])))  # type: ignore[call-overload]
        answer = pyDatalog.ask(f"{r['name']}({variables})")
        answers[str(r["name"])] = answer.answers if answer is not None else []
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    found: dict[str, Rows] = {
        name: (tuple(map(str, row)) for row in rows) for name, rows in answers.items()
    }
    return seconds, cpu, found


def _asp_value(value: int | str) -> str:
    if isinstance(value, int):
        return str(value)
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _run_clingo(workdir: Path, out: Path) -> tuple[float, float, dict[str, Rows]]:
    import clingo

    manifest = _manifest(workdir)
    start, cpu = time.perf_counter(), time.process_time()
    parts = []
    for r in manifest["inputs"]:
        name = str(r["name"])
        for row in _read_facts(workdir / "facts" / f"{name}.facts", r["type"] == "number"):
            parts.append(f"{name}({','.join(map(_asp_value, row))}).")
    parts.append((workdir / "rules.lp").read_text(encoding="utf-8"))
    ctl = clingo.Control(["--warn=none"])
    ctl.add("base", [], "\n".join(parts))
    del parts
    ctl.ground([("base", [])])
    shown: list[clingo.Symbol] = []
    ctl.solve(on_model=lambda model: shown.extend(model.symbols(shown=True)))
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu

    def value(symbol: clingo.Symbol) -> str:
        return str(symbol.number) if symbol.type == clingo.SymbolType.Number else symbol.string

    by_name: dict[str, list[tuple[str, ...]]] = {str(r["name"]): [] for r in manifest["outputs"]}
    for symbol in shown:
        by_name[symbol.name].append(tuple(value(a) for a in symbol.arguments))
    return seconds, cpu, dict(by_name.items())


_RUNNERS: dict[str, Callable[[Path, Path], tuple[float, float, dict[str, Rows]]]] = {
    "deniable-sql": _run_deniable("sql"),
    "deniable-duckdb": _run_deniable("duckdb"),
    # The server is $DENIABLE_DSN (run.py starts a throw-away one when it is unset).
    "deniable-postgres": _run_deniable("postgres"),
    "deniable-pydatalog": _run_deniable("pydatalog"),
    "pydatalog": _run_pydatalog,
    "clingo": _run_clingo,
}


def digest(rows: Rows) -> tuple[int, str]:
    """Row count and an order-independent digest (duplicates change both)."""
    total = count = 0
    for row in rows:
        h = hashlib.blake2b("\x1f".join(row).encode("utf-8"), digest_size=8).digest()
        total = (total + int.from_bytes(h, "big")) % (1 << 64)
        count += 1
    return count, f"{total:016x}"


def peak_rss_kb(pid: int | str = "self") -> int:
    """``VmHWM`` of a process in kB (0 when unknown).

    Not ``ru_maxrss``: Linux carries the parent's resident set across fork and
    exec into it, so a harness holding a million generated facts would inflate
    every child's figure.  ``VmHWM`` belongs to the address space exec created.
    """
    try:
        status = Path(f"/proc/{pid}/status").read_text(encoding="ascii", errors="replace")
    except OSError:
        return 0
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def main(argv: Sequence[str]) -> int:
    """Child entry point: ``SYSTEM WORKDIR OUTDIR RESULT``."""
    system, workdir, out, result = argv
    if system not in _RUNNERS:
        print(
            f"error: unknown system {system!r}; choose from {', '.join(SYSTEMS)}", file=sys.stderr
        )
        return 2
    Path(out).mkdir(parents=True, exist_ok=True)
    seconds, cpu, outputs = _RUNNERS[system](Path(workdir), Path(out))
    peak = peak_rss_kb() or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    sizes, digests = {}, {}
    for name, rows in outputs.items():
        sizes[name], digests[name] = digest(rows)
    payload = {
        "seconds": seconds,
        "cpu_seconds": cpu,
        "peak_rss_kb": peak,
        "sizes": sizes,
        "digests": digests,
    }
    Path(result).write_text(json.dumps(payload), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
