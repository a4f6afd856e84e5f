"""The one benchmark command: every system on the same workloads, checked, timed, tabulated.

Run from the repository root::

    python bench/run.py                      # tc, sg, inv-10k, inv-100k, inv-1m; 3 runs each
    python bench/run.py --workloads tiny --repeat 1
    python bench/run.py --workloads tc,inv-1m --systems deniable-sql,clingo --timeout 300

Each workload is generated (seeded) once into a work folder; each system runs
in its own child process per repetition (see ``runners.py``).  deniable-postgres
derives on the server ``$DENIABLE_DSN`` names or, when it is unset, on a
throw-away cluster started for the run (``pg_cluster.py``) and stopped after it;
where none starts, that system is skipped and the table says why.  The command
prints a markdown table of median times, ratios to deniable-sql and peak
memory, then the targets, and exits 1 when systems disagree on any output
relation (✗) or a system fails; a timeout is reported, not a failure.
"""

from __future__ import annotations

import argparse
import dataclasses
import math
import os
import re
import shutil
import statistics
import sys
import tempfile
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pg_cluster
import runners
import workloads
from runners import PYDATALOG_BASED, SYSTEMS, RunResult
from targets import targets
from workloads import CATALOGUE, DEFAULT_WORKLOADS, TINY_WORKLOADS, Workload

BASELINE = SYSTEMS[0]
POSTGRES = "deniable-postgres"
_UNITS = {"": 1, "k": 1_000, "m": 1_000_000}


@dataclass(slots=True)
class Measured:
    """All runs of one system on one workload, or why it did not run."""

    system: str
    runs: list[RunResult] = field(default_factory=list)
    skipped: str = ""

    @property
    def status(self) -> str:
        if self.skipped:
            return "skipped"
        statuses = {r.status for r in self.runs}
        return "error" if "error" in statuses else "timeout" if "timeout" in statuses else "ok"

    @property
    def median(self) -> float:
        ok = [r.seconds for r in self.runs if r.status == "ok"]
        return statistics.median(ok) if ok else math.nan

    @property
    def cpu(self) -> float:
        """Median CPU seconds of the successful runs; for a timeout, the CPU it had used."""
        if self.status == "timeout":
            return max(r.cpu_seconds for r in self.runs if r.status == "timeout")
        ok = [r.cpu_seconds for r in self.runs if r.status == "ok"]
        return statistics.median(ok) if ok else math.nan

    @property
    def peak_rss_kb(self) -> int:
        return max((r.peak_rss_kb for r in self.runs), default=0)

    @property
    def answer(self) -> tuple[tuple[str, int, str], ...] | None:
        ok = [r for r in self.runs if r.status == "ok"]
        if not ok:
            return None
        return tuple((n, ok[0].sizes[n], ok[0].digests[n]) for n in sorted(ok[0].sizes))

    @property
    def consistent(self) -> bool:
        """Every successful repetition produced the same rows."""
        ok = [r for r in self.runs if r.status == "ok"]
        return all((r.sizes, r.digests) == (ok[0].sizes, ok[0].digests) for r in ok)


@dataclass(slots=True)
class WorkloadReport:
    workload: Workload
    results: dict[str, Measured]
    reference: tuple[tuple[str, int, str], ...] | None = None

    def agrees(self, system: str) -> bool | None:
        m = self.results[system]
        if m.answer is None:
            return None
        return m.answer == self.reference and m.consistent


# --------------------------------------------------------------------------- running


def workload_by_name(name: str) -> Workload:
    """A catalogue workload, or ``tc-N``, ``sg-N``, ``inv-N`` with an optional k/m suffix."""
    if name in CATALOGUE:
        return dataclasses.replace(CATALOGUE[name](), name=name)
    match = re.fullmatch(r"(tc|sg|inv)-(\d+)([km]?)", name)
    if not match:
        known = ", ".join(CATALOGUE)
        raise SystemExit(
            f"error: unknown workload {name!r}; use one of {known} or tc-N, sg-N, inv-N"
        )
    n = int(match[2]) * _UNITS[match[3]]
    make: dict[str, Callable[[int], Workload]] = {
        "tc": workloads.transitive_closure,
        "sg": workloads.same_generation,
        "inv": workloads.investigation,
    }
    return dataclasses.replace(make[match[1]](n), name=name)


def measure(
    workload: Workload, systems: Sequence[str], workdir: Path, options: argparse.Namespace
) -> WorkloadReport:
    """Write ``workload`` and run every system on it ``options.repeat`` times."""
    workloads.write_workload(workload, workdir)
    results: dict[str, Measured] = {}
    for system in systems:
        measured = results[system] = Measured(system)
        limit = math.inf if options.with_pydatalog_large else options.pydatalog_max_facts
        if workload.scalable and system in PYDATALOG_BASED and workload.fact_count > limit:
            measured.skipped = f"skipped (> {limit:,} facts)"
            continue
        if system == POSTGRES and getattr(options, "no_server", ""):
            measured.skipped = options.no_server
            continue
        for rep in range(options.repeat):
            scratch = workdir / "runs" / f"{system}-{rep}"
            result = runners.run_system(system, workdir, scratch, timeout=options.timeout)
            measured.runs.append(result)
            _progress(workload, result, rep)
            shutil.rmtree(scratch / "out", ignore_errors=True)
            # A failed, timed-out or very long run is not repeated: the median would not change
            # the verdict and the repetitions would cost hours.
            if result.status != "ok" or result.seconds > options.single_run_above:
                break
    report = WorkloadReport(workload, results)
    report.reference = _reference(results)
    return report


def _reference(results: dict[str, Measured]) -> tuple[tuple[str, int, str], ...] | None:
    """The answer most systems gave; clingo breaks ties as the most established solver."""
    answers = Counter(m.answer for m in results.values() if m.answer is not None)
    if not answers:
        return None
    best = max(answers.values())
    tied = [a for a, n in answers.items() if n == best]
    clingo = results.get("clingo")
    if clingo is not None and clingo.answer in tied:
        return clingo.answer
    return tied[0]


def _progress(workload: Workload, result: RunResult, rep: int) -> None:
    what = result.status
    if result.status == "ok":
        what = f"{_seconds(result.seconds)} (CPU {_seconds(result.cpu_seconds)})"
    detail = f" {result.message}" if result.message else ""
    print(
        f"  {workload.name:<10} {result.system:<19} run {rep + 1}: {what}, "
        f"{result.peak_rss_kb / 1024:.0f} MB{detail}",
        file=sys.stderr,
        flush=True,
    )


# --------------------------------------------------------------------------- table


def _time_cells(m: Measured, timeout: float) -> str:
    if m.status == "skipped":
        return f"{m.skipped} | –"
    if m.status == "timeout":
        return f"timeout (>{timeout:.0f} s) | > {_seconds(m.cpu)}"
    if m.status == "error":
        return "error | –"
    return f"{_seconds(m.median)} | {_seconds(m.cpu)}"


def _seconds(t: float) -> str:
    if t >= 10:
        return f"{t:.1f} s"
    return f"{t:.2f} s" if t >= 0.1 else f"{t * 1000:.1f} ms"


def _ratio_cells(m: Measured, base: Measured, timeout: float) -> str:
    if base.status != "ok" or m.status in ("skipped", "error"):
        return "– | –"
    if m.status == "timeout":
        return f"> {timeout / base.median:.0f}× | > {m.cpu / base.cpu:.0f}×"
    return f"{_ratio(m.median / base.median)} | {_ratio(m.cpu / base.cpu)}"


def _ratio(r: float) -> str:
    return f"{r:.0f}×" if r >= 100 else f"{r:.2f}×" if r < 10 else f"{r:.1f}×"


def _agree_cell(report: WorkloadReport, system: str) -> str:
    agrees = report.agrees(system)
    return "–" if agrees is None else "✓" if agrees else "✗"


def render(reports: Sequence[WorkloadReport], options: argparse.Namespace) -> str:
    """The results as a markdown table plus one line of result sizes per workload."""
    lines = [
        "| workload | input facts | system | median time | median CPU | × deniable-sql "
        "| × deniable-sql CPU | peak RSS | runs | agrees |",
        "|---|---:|---|---:|---:|---:|---:|---:|---:|:---:|",
    ]
    for report in reports:
        base = report.results.get(BASELINE, Measured(BASELINE, skipped="not run"))
        for system, m in report.results.items():
            rss = f"{m.peak_rss_kb / 1024:.0f} MB" if m.runs else "–"
            lines.append(
                f"| {report.workload.name} | {report.workload.fact_count:,} | {system} "
                f"| {_time_cells(m, options.timeout)} | {_ratio_cells(m, base, options.timeout)} "
                f"| {rss} | {len(m.runs)} | {_agree_cell(report, system)} |"
            )
    lines.append("")
    for report in reports:
        sizes = ", ".join(f"{n} {size:,}" for n, size, _ in report.reference or ())
        lines.append(f"- `{report.workload.name}`: {report.workload.description}; {sizes or '–'}")
    for report in reports:
        for system, m in report.results.items():
            for r in m.runs:
                if r.status == "error":
                    lines.append(f"- {system} failed on `{report.workload.name}`: {r.message}")
    lines.append("")
    lines.append(
        "Time is the wall-clock time of load + evaluate (+ write the output files, for deniable) "
        "inside each system's child process, median of up to "
        f"{options.repeat} runs (runs over {options.single_run_above:.0f} s are not repeated); "
        "CPU is the CPU time of the same part, which other load on the machine distorts less. "
        "× deniable-sql is the system's time over deniable-sql's: above 1 means deniable-sql is "
        "faster; a timed-out system gives a lower bound. Peak RSS is the child's VmHWM. "
        "deniable-postgres's CPU and RSS are the client's alone: the server's work shows in "
        "its wall time only."
    )
    return "\n".join(lines)


# --------------------------------------------------------------------------- command


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python bench/run.py", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument(
        "--workloads",
        default=",".join(DEFAULT_WORKLOADS),
        help="comma-separated names: "
        + ", ".join(CATALOGUE)
        + ", tc-N, sg-N, inv-N (N may end in k or m), or 'tiny' (default: %(default)s)",
    )
    parser.add_argument(
        "--systems", default=",".join(SYSTEMS), help="comma-separated (default: %(default)s)"
    )
    parser.add_argument("--repeat", type=int, default=3, help="runs per system (default: 3)")
    parser.add_argument(
        "--timeout", type=float, default=600.0, help="seconds per run (default: 600)"
    )
    parser.add_argument(
        "--single-run-above",
        type=float,
        default=60.0,
        metavar="SECONDS",
        help="do not repeat a run that took longer than this (default: 60)",
    )
    parser.add_argument(
        "--pydatalog-max-facts",
        type=_count,
        default=10_000,
        metavar="N",
        help="skip the pyDatalog-based systems on investigation bases of more than N facts "
        "(k/m suffixes allowed; default: 10k)",
    )
    parser.add_argument(
        "--with-pydatalog-large",
        action="store_true",
        help="run the pyDatalog-based systems on every investigation base (hours at 1m)",
    )
    parser.add_argument("--work-dir", type=Path, help="keep workloads and outputs here")
    parser.add_argument("--output", type=Path, help="also write the markdown table to this file")
    return parser


def _count(text: str) -> int:
    match = re.fullmatch(r"(\d+)([km]?)", text.strip().lower())
    if not match:
        raise argparse.ArgumentTypeError(f"not a count: {text!r} (use e.g. 10000, 100k, 1m)")
    return int(match[1]) * _UNITS[match[2]]


def _split(text: str, known: Sequence[str] | None, what: str) -> list[str]:
    names = [n.strip() for n in text.split(",") if n.strip()]
    if known is not None:
        unknown = [n for n in names if n not in known]
        if unknown:
            raise SystemExit(
                f"error: unknown {what} {unknown[0]!r}; choose from {', '.join(known)}"
            )
    return names


def _server(options: argparse.Namespace) -> pg_cluster.Cluster | None:
    """A throw-away server for deniable-postgres unless ``$DENIABLE_DSN`` names one."""
    options.no_server = ""
    if os.environ.get("DENIABLE_DSN"):
        return None
    try:
        cluster = pg_cluster.start()
    except pg_cluster.ClusterError as error:
        options.no_server = f"skipped (no PostgreSQL server: {error})"
        return None
    # The children inherit it: runners.py passes --engine postgres and no --dsn.
    os.environ["DENIABLE_DSN"] = cluster.dsn
    return cluster


def main(argv: Sequence[str] | None = None) -> int:
    options = build_parser().parse_args(argv)
    if options.repeat < 1 or options.timeout <= 0:
        raise SystemExit("error: --repeat must be at least 1 and --timeout positive")
    names = _split(options.workloads, None, "workload")
    names = [t for n in names for t in (TINY_WORKLOADS if n == "tiny" else (n,))]
    systems = sorted(_split(options.systems, SYSTEMS, "system"), key=SYSTEMS.index)
    chosen = [workload_by_name(n) for n in names]
    root = options.work_dir or Path(tempfile.mkdtemp(prefix="deniable-bench-"))
    reports = []
    cluster = _server(options) if POSTGRES in systems else None
    try:
        for workload in chosen:
            print(f"{workload.name}: {workload.description}", file=sys.stderr, flush=True)
            reports.append(measure(workload, systems, root / workload.name, options))
    finally:
        if cluster is not None:
            cluster.stop()
        if options.work_dir is None:
            shutil.rmtree(root, ignore_errors=True)
    table = render(reports, options)
    goals = targets(reports, options)
    text = table + ("\n\n" + "\n".join(goals) if goals else "")
    print(text)
    if options.output:
        options.output.write_text(text + "\n", encoding="utf-8")
    failed = [
        f"{r.workload.name}/{s}"
        for r in reports
        for s, m in r.results.items()
        if m.status == "error" or r.agrees(s) is False
    ]
    if failed:
        print(f"✗ disagreement or failure: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
