"""The DuckDB engine: the SQL engine's rows and provenance contract, written back to SQLite."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
from sqlite_utils import Database

from deniable.errors import EvaluationError
from deniable.facts.store import FactStore
from deniable.rules.checks import check
from deniable.rules.dialects import DUCKDB
from deniable.rules.engines import get_engine
from deniable.rules.engines.base import Limits
from deniable.rules.engines.sqlite import relation_schema
from deniable.rules.explain import explain
from deniable.rules.parser import parse
from deniable.rules.program import run_program
from deniable.rules.recursive_sql import compile_recursive, linear_relation
from deniable.rules.sql import quote
from deniable.rules.workbench import derive_store, query_store

HOSTILE = ['O\'Brien "the; DROP TABLE x; --"', "naïve 日本", "tab\there\x07", "z" * 10_000]


def _checked(text: str, inputs: dict[str, list[tuple[str, str]]] | None = None):
    return check(parse(text, "t.dl"), inputs=inputs or {})


def _edge_db(rel: str = "edge", rows: list[tuple[object, ...]] | None = None) -> Database:
    db = Database(memory=True)
    db[rel].insert_all(
        [{"a": a, "b": b} for a, b in (rows or [("x", "y"), ("y", "z"), ("z", "x")])]
    )
    return db


def _rows(db: Database, rel: str, arity: int) -> set[tuple[object, ...]]:
    names = [r[1] for r in db.execute(f"PRAGMA table_info({quote(rel)})").fetchall()][:arity]
    picked = ", ".join(quote(n) for n in names)
    return {tuple(r) for r in db.execute(f"SELECT {picked} FROM {quote(rel)}").fetchall()}


@pytest.mark.parametrize("name", ['e"dge', "semi;colon", "Ω ü", "select"])
def test_hostile_names_and_values_round_trip(name: str) -> None:
    rows = [(HOSTILE[0], HOSTILE[1]), (HOSTILE[1], HOSTILE[2]), (HOSTILE[2], HOSTILE[3])]
    # Hostile relation names reach the engines through the AST (tests/rules/strategies.py);
    # here a hostile table beside the program's must come through a derive untouched.
    rel = name
    program = (
        ".decl reach(a: symbol, b: symbol)\n"
        "reach(a, b) :- e(a, b).\nreach(a, c) :- reach(a, b), e(b, c).\n"
        '.decl tagged(a: symbol, t: symbol)\ntagged(a, cat(a, "; --\'")) :- e(a, _).\n'
    )
    inputs = {"e": [("a", "symbol"), ("b", "symbol")]}
    checked = _checked(program, inputs)
    results = {}
    for engine in ("sql", "duckdb"):
        db = _edge_db("e", rows)
        db[rel].insert({"v": HOSTILE[0]})  # an unrelated hostile table stays untouched
        get_engine(engine).derive(checked, db)
        results[engine] = (_rows(db, "reach", 2), _rows(db, "tagged", 2))
        assert list(db[rel].rows) == [{"v": HOSTILE[0]}]
    assert results["sql"] == results["duckdb"]
    assert len(results["duckdb"][0]) == 6
    assert (HOSTILE[0], HOSTILE[0] + "; --'") in results["duckdb"][1]


def test_provenance_columns_let_why_explain_every_row() -> None:
    program = (
        ".decl path(a: symbol, b: symbol)\n"
        "path(a, b) :- edge(a, b).\npath(a, c) :- path(a, b), edge(b, c).\n"
    )
    checked = _checked(program, {"edge": [("a", "symbol"), ("b", "symbol")]})
    db = _edge_db()
    get_engine("duckdb").derive(checked, db)
    cols = [r[1] for r in db.execute('PRAGMA table_info("path")').fetchall()]
    assert cols == ["a", "b", "_rule", "_height"]
    rows = db.execute('SELECT a, b, _rule, _height FROM "path"').fetchall()
    assert len(rows) == 9
    for a, b, rule, height in rows:
        tree = explain(db, checked, "path", (a, b))
        assert tree.note == "rule" and tree.height == height
        assert rule in (0, 1) and (height == 1) == (rule == 0)


def test_arithmetic_division_by_zero_and_functors_agree() -> None:
    program = (
        ".decl n(x: number)\nn(-7). n(0). n(5).\n"
        ".decl q(x: number, y: number, z: number, w: number)\n"
        "q(x, x / 2, x % 3, x bshl 2) :- n(x).\n"
        ".decl d(x: number)\nd(10 / x) :- n(x).\n"
        ".decl s(x: symbol, n: number, m: number)\n"
        's(cat(to_string(x), "!"), strlen(to_string(x)), to_number(to_string(x))) :- n(x).\n'
        ".decl g(x: float)\ng(1.5). g(-2.25).\n.decl f(x: float)\nf(x / 2.0 + 1) :- g(x).\n"
        '.decl m(x: symbol)\nm(s) :- s(s, _, _), match("-?[0-9]+!", s).\n'
    )
    checked = _checked(program)
    found = {}
    for engine in ("sql", "duckdb"):
        db = Database(memory=True)
        get_engine(engine).derive(checked, db)
        found[engine] = {
            rel: _rows(db, rel, checked.relations[rel].arity) for rel in ("q", "d", "s", "f", "m")
        }
    assert found["sql"] == found["duckdb"]
    assert found["duckdb"]["q"] == {(-7, -3, -1, -28), (0, 0, 0, 0), (5, 2, 2, 20)}
    assert found["duckdb"]["d"] == {(-1,), (2,)}  # 10 / 0 gives no row
    assert len(found["duckdb"]["m"]) == 3


def test_max_rounds_is_a_clear_error_and_leaves_the_database() -> None:
    checked = _checked(".decl n(x: number)\nn(0).\nn(x + 1) :- n(x).\n")
    db = Database(memory=True)
    get_engine("duckdb").derive(
        _checked(".decl n(x: number)\nn(42).\n"), db
    )  # earlier conclusions of the same name
    with pytest.raises(EvaluationError) as info:
        get_engine("duckdb").derive(checked, db, limits=Limits(max_rounds=25))
    assert str(info.value) == (
        "error: relation n still grows after 25 rounds (--max-rounds 25); raise --max-rounds "
        "if the recursion is meant to be this deep, or look for runaway arithmetic recursion"
    )
    assert _rows(db, "n", 1) == {(42,)}
    with pytest.raises(EvaluationError, match="more than 30 rows"):
        get_engine("duckdb").derive(checked, db, limits=Limits(max_rows=30))


def test_store_derive_query_and_why_on_duckdb(tmp_path: Path) -> None:
    from deniable.facts.model import Document, Evidence, Extraction, Fact, Modality, Sentence

    text = "Ann Ruiz met Tom O'Hara; DROP TABLE x."
    doc = Document("a.txt", text, title="T")
    fact = Fact("met", ("Ann Ruiz", "Tom O'Hara; DROP TABLE x"), Modality.ASSERTED,
                Evidence("a.txt", 0, 0, 8, "test"))  # fmt: skip
    path = tmp_path / "s.db"
    with FactStore.open(path, create=True) as store:
        store.add_extraction(Extraction(doc, (Sentence(0, 0, len(text), text),), (fact,)))
        summary = derive_store(store, engine="duckdb", cwd_rules=False)
        assert summary.engine == "duckdb" and summary.sizes["contact"] == 2
        registry = {r["name"]: r["engine"] for r in store.db["derived_relations"].rows}
        assert registry["contact"] == "duckdb"
        rows = query_store(store, 'contact("Ann Ruiz", b)').rows
        assert rows == [("Tom O'Hara; DROP TABLE x",)]


def test_cli_run_with_max_rounds_fails_in_one_line(tmp_path: Path) -> None:
    prog = tmp_path / "p.dl"
    prog.write_text(".decl n(x: number)\n.output n\nn(0).\nn(x + 1) :- n(x).\n", "utf-8")
    for engine in ("sql", "duckdb"):
        done = subprocess.run(
            [sys.executable, "-m", "deniable", "run", str(prog), "-D", str(tmp_path),
             "--engine", engine, "--max-rounds", "40"],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        assert done.returncode == 1, done.stderr
        assert done.stderr.splitlines() == [
            "error: relation n still grows after 40 rounds (--max-rounds 40); raise "
            "--max-rounds if the recursion is meant to be this deep, or look for runaway "
            "arithmetic recursion"
        ]
        assert not (tmp_path / "n.csv").exists()


def test_a_linear_recursion_is_one_query_without_provenance() -> None:
    program = (
        ".decl path(a: symbol, b: symbol)\n"
        "path(a, b) :- edge(a, b).\npath(a, c) :- path(a, b), edge(b, c).\n"
        ".decl far(a: symbol)\nfar(a) :- path(a, a).\n"
    )
    checked = _checked(program, {"edge": [("a", "symbol"), ("b", "symbol")]})
    (stratum,) = [s for s in checked.strata if s.recursive]
    assert linear_relation(stratum) == "path"
    stmt = compile_recursive(stratum, relation_schema(_edge_db(), checked), dialect=DUCKDB)
    assert "WITH RECURSIVE" in stmt.sql and stmt.sql.count("UNION") == 1
    db = _edge_db()
    get_engine("duckdb").derive(checked, db, provenance=False)
    rows = db.execute('SELECT a, b, _rule, _height FROM "path"').fetchall()
    assert len(rows) == 9 and {(r[2], r[3]) for r in rows} == {(None, None)}
    assert _rows(db, "far", 1) == {("x",), ("y",), ("z",)}


def test_a_one_query_recursion_keeps_the_declared_integer_width() -> None:
    # The anchor's small constant must not fix the recursion's column at 32 bits.
    checked = _checked(".decl p(x: number)\np(-3).\np(2147483648) :- p(x).\n")
    db = Database(memory=True)
    get_engine("duckdb").derive(checked, db, provenance=False)
    assert _rows(db, "p", 1) == {(-3,), (2147483648,)}


def test_arithmetic_recursion_keeps_the_round_loop_and_its_limit() -> None:
    checked = _checked(".decl n(x: number)\nn(0).\nn(x + 1) :- n(x).\n")
    (stratum,) = [s for s in checked.strata if s.recursive]
    assert linear_relation(stratum) is None  # a computed value: the query might never end
    with pytest.raises(EvaluationError, match="--max-rounds 10"):
        get_engine("duckdb").derive(
            checked, Database(memory=True), limits=Limits(max_rounds=10), provenance=False
        )


@pytest.mark.parametrize("engine", ["sql", "duckdb"])
def test_a_deep_chain_passes_the_old_round_guard(engine: str, tmp_path: Path) -> None:
    # 200,000 rounds: twice the old silent guard, well inside the default --max-rounds.
    steps = 200_000
    facts = tmp_path / "facts"
    facts.mkdir()
    (facts / "next.facts").write_text(
        "".join(f"{i}\t{i + 1}\n" for i in range(steps)), encoding="utf-8"
    )
    prog = tmp_path / "chain.dl"
    prog.write_text(
        ".decl next(a: number, b: number)\n.input next\n.decl reach(a: number)\n"
        ".printsize reach\nreach(0).\nreach(b) :- reach(a), next(a, b).\n",
        encoding="utf-8",
    )
    out = io.StringIO()
    run_program(prog, facts_dir=facts, out_dir=tmp_path, engine=engine, stdout=out)
    assert out.getvalue() == f"reach\t{steps + 1}\n"


def _store_with_a_meeting(path: Path) -> None:
    from deniable.facts.model import Document, Evidence, Extraction, Fact, Modality, Sentence

    text = "Ann Ruiz met Tom Harlan."
    doc = Document("a.txt", text, title="T")
    fact = Fact("met", ("Ann Ruiz", "Tom Harlan"), Modality.ASSERTED,
                Evidence("a.txt", 0, 0, 8, "test"))  # fmt: skip
    with FactStore.open(path, create=True) as store:
        store.add_extraction(Extraction(doc, (Sentence(0, 0, len(text), text),), (fact,)))


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "deniable", *args], capture_output=True, text=True, check=False
    )


def test_cli_derive_query_and_why_with_duckdb(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    _store_with_a_meeting(db)
    # The question re-derives stale conclusions with the engine it is given.
    done = _cli("--db", str(db), "query", 'contact("Ann Ruiz", b)', "--engine", "duckdb")
    assert done.returncode == 0, done.stderr
    assert "re-derived the conclusions" in done.stderr and "Tom Harlan" in done.stdout
    with FactStore.open(db, create=False) as store:
        engines = {r["engine"] for r in store.db["derived_relations"].rows}
    assert engines == {"duckdb"}
    done = _cli("--db", str(db), "why", 'contact("Tom Harlan", "Ann Ruiz")')
    assert done.returncode == 0, done.stderr
    assert "Ann Ruiz met Tom Harlan." in done.stdout
    done = _cli("--db", str(db), "derive", "--engine", "duckdb", "--max-rounds", "3")
    assert done.returncode == 0, done.stderr  # the standard rules need few rounds here


@pytest.mark.parametrize("value", ["0", "-5", "many"])
def test_max_rounds_must_be_a_positive_number(value: str, tmp_path: Path) -> None:
    done = _cli("run", str(tmp_path / "p.dl"), "--max-rounds", value)
    assert done.returncode == 2
    assert "--max-rounds" in done.stderr and "Traceback" not in done.stderr
