"""Sanity checks of the benchmark harness: seeded generators, written files, agreeing runners.

``bench/`` is not part of the package, so its modules are loaded from their files.
Nothing here is timed; every workload is tiny (the whole file runs in seconds).
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"_deniable_bench_{name}", BENCH / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


workloads = _load("workloads")
runners = _load("runners")


@pytest.fixture
def run_module(monkeypatch: pytest.MonkeyPatch) -> Iterator[ModuleType]:
    """``bench/run.py``, whose plain ``import workloads, runners, pg_cluster`` resolve here."""
    monkeypatch.setitem(sys.modules, "workloads", workloads)
    monkeypatch.setitem(sys.modules, "runners", runners)
    monkeypatch.setitem(sys.modules, "pg_cluster", _load("pg_cluster"))
    monkeypatch.setitem(sys.modules, "targets", _load("targets"))
    yield _load("run")


def _evaluate(workload: Any) -> dict[str, set[tuple]]:
    """A naive fixpoint over the rules as data: the oracle every system is compared with."""
    db: dict[str, set[tuple]] = {name: set(rows) for name, rows in workload.facts.items()}
    for relation in workload.outputs:
        db.setdefault(relation.name, set())
    changed = True
    while changed:
        changed = False
        for rule in workload.rules:
            bindings: list[dict[str, object]] = [{}]
            for atom in rule.body:
                bindings = [
                    {**b, **dict(zip(atom.args, row, strict=True))}
                    for b in bindings
                    for row in db[atom.pred]
                    if all(b.get(v, row[i]) == row[i] for i, v in enumerate(atom.args))
                    and all(
                        row[i] == row[j]
                        for i, v in enumerate(atom.args)
                        for j, w in enumerate(atom.args)
                        if v == w
                    )
                ]
            for b in bindings:
                if all(b[x] != b[y] for x, y in rule.distinct):
                    row = tuple(b[v] for v in rule.head.args)
                    if row not in db[rule.head.pred]:
                        db[rule.head.pred].add(row)
                        changed = True
    return {r.name: db[r.name] for r in workload.outputs}


# --------------------------------------------------------------------------- generators


@pytest.mark.parametrize("name", [*workloads.TINY_WORKLOADS, "tc", "sg", "inv-10k"])
def test_generators_are_deterministic(name: str) -> None:
    make = workloads.CATALOGUE[name]
    assert make().facts == make().facts


def test_seeds_change_the_facts() -> None:
    assert (
        workloads.transitive_closure(500, seed=1).facts
        != workloads.transitive_closure(500, seed=2).facts
    )
    assert (
        workloads.investigation(2_000, seed=1).facts != workloads.investigation(2_000, seed=2).facts
    )


@pytest.mark.parametrize("facts", [600, 10_000, 12_345])
def test_investigation_has_exactly_the_asked_facts_without_duplicates(facts: int) -> None:
    w = workloads.investigation(facts)
    assert w.fact_count == facts
    for name, rows in w.facts.items():
        assert len(set(rows)) == len(rows), name
    assert all(a != b for a, b in w.facts["called"] + w.facts["met"] + w.facts["denies"])


def test_transitive_closure_has_distinct_edges_without_loops() -> None:
    edges = workloads.transitive_closure(20_000).facts["edge"]
    assert len(edges) == len(set(edges)) == 20_000
    assert all(a != b for a, b in edges)


def test_written_files_are_a_souffle_program_with_facts(tmp_path: Path) -> None:
    w = workloads.CATALOGUE["inv-tiny"]()
    workloads.write_workload(w, tmp_path)
    program = (tmp_path / "program.dl").read_text(encoding="utf-8")
    for relation in w.inputs:
        assert f".input {relation.name}\n" in program
        lines = (tmp_path / "facts" / f"{relation.name}.facts").read_text().splitlines()
        assert [tuple(line.split("\t")) for line in lines] == w.facts[relation.name]
    for relation in w.outputs:
        assert f".decl {relation.name}(" in program and f".output {relation.name}\n" in program
    assert "#show contradicted/2." in (tmp_path / "rules.lp").read_text()


def test_oracle_finds_the_known_closure_and_generations() -> None:
    # A chain 0 -> 1 -> 2 -> 3 closes to 6 pairs; the oracle must not be vacuous.
    chain = workloads.transitive_closure(3, nodes=4)
    chain.facts["edge"][:] = [(0, 1), (1, 2), (2, 3)]
    assert len(_evaluate(chain)["path"]) == 6
    sg = workloads.same_generation(40, levels=4)
    levels: dict[int, int] = {0: 0}
    for child, parent in sg.facts["parent"]:
        levels[child] = levels[parent] + 1
    widths = [list(levels.values()).count(d) for d in range(1, 5)]
    assert len(_evaluate(sg)["sg"]) == sum(w * w - w for w in widths)


# --------------------------------------------------------------------------- runners


@pytest.mark.parametrize("name", workloads.TINY_WORKLOADS)
def test_all_systems_agree_with_the_oracle(
    name: str, tmp_path: Path, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    # deniable-postgres derives on $DENIABLE_DSN: the session's server (skips without one).
    monkeypatch.setenv("DENIABLE_DSN", request.getfixturevalue("postgres_dsn"))
    w = workloads.CATALOGUE[name]()
    workloads.write_workload(w, tmp_path / "w")
    expected = {
        rel: runners.digest(tuple(map(str, row)) for row in rows)
        for rel, rows in _evaluate(w).items()
    }
    assert all(size > 0 for size, _ in expected.values())
    for system in runners.SYSTEMS:
        result = runners.run_system(system, tmp_path / "w", tmp_path / system, timeout=120)
        assert result.status == "ok", (system, result.message)
        got = {rel: (result.sizes[rel], result.digests[rel]) for rel in expected}
        assert got == expected, system
        assert result.peak_rss_kb > 0


def test_a_timeout_is_reported_not_waited_for(tmp_path: Path) -> None:
    workloads.write_workload(workloads.same_generation(2_000, levels=4), tmp_path / "w")
    result = runners.run_system("pydatalog", tmp_path / "w", tmp_path / "run", timeout=0.5)
    assert result.status == "timeout"


def test_a_failing_system_is_an_error_with_its_message(tmp_path: Path) -> None:
    workloads.write_workload(workloads.CATALOGUE["tc-tiny"](), tmp_path / "w")
    (tmp_path / "w" / "rules.lp").write_text("path(X, Y) :- edge(X, Y\n")
    result = runners.run_system("clingo", tmp_path / "w", tmp_path / "run", timeout=60)
    assert result.status == "error" and result.message


# --------------------------------------------------------------------------- harness


def _fake(sizes: dict[str, dict[str, int]]) -> Callable[..., Any]:
    def run_system(system: str, workdir: Path, scratch: Path, *, timeout: float) -> Any:
        return runners.RunResult(
            system,
            "ok",
            seconds=1.0,
            cpu_seconds=0.5,
            peak_rss_kb=1024,
            sizes=sizes[system],
            digests={rel: f"{n:016x}" for rel, n in sizes[system].items()},
        )

    return run_system


def test_disagreement_is_marked_and_fails(
    run_module: ModuleType, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    sizes = {"deniable-sql": {"path": 5}, "pydatalog": {"path": 6}, "clingo": {"path": 6}}
    monkeypatch.setattr(runners, "run_system", _fake(sizes))
    argv = ["--workloads", "tc-tiny", "--systems", "deniable-sql,pydatalog,clingo", "--repeat", "1"]
    assert run_module.main(argv) == 1
    out = capsys.readouterr()
    assert (
        "| tc-tiny | 60 | deniable-sql | 1.00 s | 0.50 s | 1.00× | 1.00× | 1 MB | 1 | ✗ |"
        in out.out
    )
    assert "| tc-tiny | 60 | clingo | 1.00 s | 0.50 s | 1.00× | 1.00× | 1 MB | 1 | ✓ |" in out.out
    assert "tc-tiny/deniable-sql" in out.err


def test_agreement_passes_and_large_bases_skip_pydatalog(
    run_module: ModuleType, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    sizes = {s: {"contact": 3} for s in runners.SYSTEMS}
    monkeypatch.setattr(runners, "run_system", _fake(sizes))
    monkeypatch.setenv("DENIABLE_DSN", "postgresql://unused")  # no cluster for fake runs
    monkeypatch.setattr(run_module.workloads, "write_workload", lambda w, d: d)
    assert run_module.main(["--workloads", "inv-20000", "--repeat", "1"]) == 0
    out = capsys.readouterr().out
    assert "| inv-20000 | 20,000 | pydatalog | skipped (> 10,000 facts) |" in out
    assert "| inv-20000 | 20,000 | clingo | 1.00 s | 0.50 s | 1.00× | 1.00× | 1 MB | 1 | ✓ |" in out
    argv = ["--workloads", "inv-20000", "--repeat", "1", "--pydatalog-max-facts", "20k"]
    assert run_module.main(argv) == 0
    assert (
        "| inv-20000 | 20,000 | pydatalog | 1.00 s | 0.50 s | 1.00× | 1.00× | 1 MB | 1 | ✓ |"
        in capsys.readouterr().out
    )


def test_targets_judge_each_workload_on_cpu_and_say_all_agree(
    run_module: ModuleType, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # Every fake system takes the same time: no speed-up target can pass, "no slower" does.
    systems = ("deniable-sql", "deniable-duckdb", "clingo")
    monkeypatch.setattr(runners, "run_system", _fake({s: {"path": 200_000} for s in systems}))
    monkeypatch.setattr(run_module.workloads, "write_workload", lambda w, d: d)
    argv = ["--workloads", "tc,inv-20k", "--systems", ",".join(systems), "--repeat", "1"]
    assert run_module.main(argv) == 0
    out = capsys.readouterr().out
    assert "✗ tc: deniable-duckdb ≥ 2.5× faster than clingo (CPU 1.00×, wall 1.00×)" in out
    assert "✗ inv-20k: deniable-duckdb ≥ 6.0× faster than clingo (CPU 1.00×, wall 1.00×)" in out
    assert "✗ tc (200,000 result rows): deniable-duckdb ahead of deniable-sql" in out
    assert "✓ inv-20k: deniable-sql no slower than clingo (CPU 1.00×, wall 1.00×)" in out
    assert "✓ all 3 systems that finished agree on every output relation of 2 workload(s)" in out
