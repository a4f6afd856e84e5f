"""Tests of proof trees read from the provenance columns, with golden trees in tests/golden/why."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlite_utils import Database

from deniable.errors import EvaluationError
from deniable.rules.explain import ProofTree, explain, explain_atom, format_proof
from deniable.rules.parser import parse_atom
from deniable.rules.program import evaluate_program

GOLDEN = Path(__file__).parent.parent / "golden" / "why"
CASES = sorted(p.name for p in GOLDEN.iterdir() if p.is_dir())


@pytest.mark.parametrize("engine", ["sql", "duckdb"])
@pytest.mark.parametrize("name", CASES)
def test_golden_proofs(name: str, engine: str, update_goldens: bool) -> None:
    case = GOLDEN / name
    db, _tables, program, _ = evaluate_program(
        case / "program.dl", facts_dir=case / "facts", engine=engine
    )
    try:
        atom = parse_atom((case / "query").read_text(encoding="utf-8").strip())
        text = "\n\n".join(format_proof(t) for t in explain_atom(db, program, atom)) + "\n"
    finally:
        db.close()
    expected = case / "expected.txt"
    if update_goldens and engine == "sql":
        expected.write_text(text, encoding="utf-8")
    assert text == expected.read_text(encoding="utf-8")


def _tc(tmp_path: Path, edges: str) -> tuple[Database, object]:
    (tmp_path / "facts").mkdir()
    (tmp_path / "facts" / "edge.facts").write_text(edges)
    (tmp_path / "p.dl").write_text(
        ".decl edge(x: number, y: number)\n.input edge\n.decl path(x: number, y: number)\n"
        "path(x, y) :- edge(x, y).\npath(x, z) :- path(x, y), path(y, z).\n"
    )
    db, _tables, program, _ = evaluate_program(tmp_path / "p.dl", facts_dir=tmp_path / "facts")
    return db, program


def _check(tree: ProofTree, program: object) -> int:
    """Every node's children have smaller heights and leaves are inputs; returns the size."""
    if tree.leaf:
        assert tree.note in ("input", "fact")
        return 1
    assert tree.rule is not None and tree.note == "rule"
    assert len(tree.children) == sum(1 for lit in tree.rule.body if hasattr(lit, "rel"))
    for child in tree.children:
        assert child.height < tree.height
    return 1 + sum(_check(c, program) for c in tree.children)


def test_every_row_of_a_cycle_is_explained(tmp_path: Path) -> None:
    chain = "".join(f"{i}\t{(i + 1) % 12}\n" for i in range(12))
    db, program = _tc(tmp_path, chain)
    rows = db.execute("SELECT x, y FROM path").fetchall()
    assert len(rows) == 144
    for x, y in rows:
        tree = explain(db, program, "path", (x, y))  # type: ignore[arg-type]
        assert (tree.rel, tree.row) == ("path", (x, y))
        _check(tree, program)
        assert tree.rule is not None
        assert [tree.bindings[a.name] for a in tree.rule.head.args] == [x, y]  # type: ignore[union-attr]


def test_input_rows_are_leaves_and_unknown_rows_fail(tmp_path: Path) -> None:
    db, program = _tc(tmp_path, "1\t2\n")
    leaf = explain(db, program, "edge", (1, 2))  # type: ignore[arg-type]
    assert leaf.leaf and leaf.rule is None and leaf.note == "input"
    with pytest.raises(EvaluationError, match=r"path\(2, 1\) is not derived"):
        explain(db, program, "path", (2, 1))  # type: ignore[arg-type]


def test_size_guard_cuts_deep_proofs(tmp_path: Path) -> None:
    chain = "".join(f"{i}\t{i + 1}\n" for i in range(40))
    db, program = _tc(tmp_path, chain)
    tree = explain(db, program, "path", (0, 40), max_nodes=5)  # type: ignore[arg-type]
    text = format_proof(tree)
    assert "cut short" in text
    assert text.count("\n") < 20
