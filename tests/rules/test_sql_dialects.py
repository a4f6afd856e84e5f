"""Tests of the one compiled tree rendered per target: spellings, parameters, compile once."""

from __future__ import annotations

import duckdb
import pytest
import sqlglot
from sqlite_utils import Database

from deniable.rules.ast import Atom, Clause, Comparison, Str, Var
from deniable.rules.checked import CheckedProgram
from deniable.rules.checks import check
from deniable.rules.dialects import DUCKDB, POSTGRES, SQLITE, Dialect
from deniable.rules.engines import sqlite as sqlite_engine
from deniable.rules.engines.sqlite import SqliteEngine
from deniable.rules.parser import parse
from deniable.rules.sql import Schema, Statement, compile_rule, quote

DIALECTS = (SQLITE, DUCKDB, POSTGRES)

PROGRAM = """
.decl edge(x: number, y: number)
.decl name(x: number, n: symbol)
.decl r(x: number, y: number, n: symbol)
r(x, y / 2, cat(n, "!")) :- edge(x, y), name(x, n), contains("a", n), !edge(y, x), x != 3.
"""


def _checked(text: str) -> CheckedProgram:
    return check(parse(text, "test.dl"))


def _schema(program: CheckedProgram, columns: dict[str, tuple[str, ...]]) -> Schema:
    types = {rel: info.types for rel, info in program.relations.items()}
    return Schema(columns, types, frozenset(program.idb))


def _compiled(dialect: Dialect) -> Statement:
    program = _checked(PROGRAM)
    columns = {"edge": ("x", "y"), "name": ("x", "n"), "r": ("x", "y", "n")}
    return compile_rule(program.clauses[0], _schema(program, columns), dialect=dialect)


def test_one_rule_renders_in_each_target_with_its_own_spellings() -> None:
    sqlite, duck, pg = (_compiled(d) for d in DIALECTS)
    # The same tree: the same parameters, and each text is valid SQL of its target.
    assert sqlite.params == duck.params == pg.params
    for stmt, dialect in zip((sqlite, duck, pg), DIALECTS, strict=True):
        assert sqlglot.parse_one(stmt.sql, read=dialect.name) is not None
        assert 'NOT EXISTS(SELECT 1 FROM "edge" AS t3' in stmt.sql
    assert sqlite.sql.startswith('INSERT OR IGNORE INTO "r"') and "@p" in sqlite.sql
    assert "INSTR(" in sqlite.sql and '(t1."y" / @p' in sqlite.sql
    assert duck.sql.startswith('INSERT OR IGNORE INTO "r"') and "$p" in duck.sql
    # DuckDB's / divides as floats: Soufflé's integer division is its //.
    assert "STRPOS(" in duck.sql and '(t1."y" // $p' in duck.sql
    assert pg.sql.startswith('INSERT INTO "r"') and pg.sql.endswith("ON CONFLICT DO NOTHING")
    assert "POSITION($p" in pg.sql and '(t1."y" / NULLIF($p' in pg.sql
    # Only the targets whose insert fails on NULL drop NULL head values themselves.
    assert "IS NULL" not in sqlite.sql and 'NOT t1."x" IS NULL' in duck.sql


def test_booleans_become_integers_as_each_target_needs() -> None:
    program = _checked(".decl n(x: number)\n.decl r(x: number)\nr(x land 1) :- n(x).")
    schema = _schema(program, {"n": ("x",), "r": ("x",)})
    sqls = [compile_rule(program.clauses[0], schema, dialect=d).sql for d in DIALECTS]
    assert "CAST(" not in sqls[0]
    assert 'CAST(((t1."x") <> 0 AND ($p0) <> 0) AS BIGINT)' in sqls[1]
    assert "CAST(CAST(" in sqls[2]


HOSTILE = "x'); DROP TABLE edge; --\"$p0 @p0 :p0"
WEIRD = 'we"ird;-- $p0'


@pytest.mark.parametrize("dialect", DIALECTS, ids=lambda d: d.name)
def test_hostile_constants_and_names_stay_parameters_and_quoted(dialect: Dialect) -> None:
    a = Var("a")
    clause = Clause(Atom("s", (a,)), (Atom(WEIRD, (a,)), Comparison("!=", a, Str(HOSTILE))))
    types = {WEIRD: ("symbol",), "s": ("symbol",)}
    schema = Schema({WEIRD: ("a",), "s": ("a",)}, types, frozenset({"s"}))
    stmt = compile_rule(clause, schema, dialect=dialect)
    assert "DROP" not in stmt.sql and "'" not in stmt.sql
    assert 'FROM "we""ird;-- $p0" AS t1' in stmt.sql
    assert HOSTILE in stmt.params.values()


def test_hostile_constant_and_table_name_derive_on_sqlite_and_duckdb() -> None:
    a = Var("a")
    clause = Clause(Atom("s", (a,)), (Atom(WEIRD, (a, Str(HOSTILE))),))
    schema = Schema({WEIRD: ("a", "b"), "s": ("a",)}, {}, frozenset({"s"}))
    rows = [("kept", HOSTILE), ("dropped", "b")]
    db = Database(memory=True)
    db.execute(f"CREATE TABLE {quote(WEIRD)} (a TEXT, b TEXT)")
    db.execute("CREATE TABLE s (a TEXT, _rule INTEGER, _height INTEGER)")
    db.conn.executemany(f"INSERT INTO {quote(WEIRD)} VALUES (?, ?)", rows)
    stmt = compile_rule(clause, schema)
    db.conn.execute(stmt.sql, stmt.params)
    assert db.execute("SELECT a FROM s").fetchall() == [("kept",)]
    con = duckdb.connect()
    con.execute(f"CREATE TABLE {quote(WEIRD)} (a VARCHAR, b VARCHAR)")
    con.executemany(f"INSERT INTO {quote(WEIRD)} VALUES (?, ?)", rows)
    con.execute("CREATE TABLE s (a VARCHAR, _rule BIGINT, _height BIGINT, UNIQUE (a))")
    stmt = compile_rule(clause, schema, dialect=DUCKDB)
    con.execute(stmt.sql, stmt.params)
    assert con.execute("SELECT a FROM s").fetchall() == [("kept",)]


def test_the_round_loop_reuses_statements_compiled_once(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int | None] = []
    compile_once = sqlite_engine.compile_rule

    def counted(*args: object, **kw: object) -> Statement:
        calls.append(kw.get("delta"))  # type: ignore[arg-type]
        return compile_once(*args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(sqlite_engine, "compile_rule", counted)
    program = _checked(
        ".decl edge(x: number, y: number)\n.decl path(x: number, y: number)\n"
        "path(x, y) :- edge(x, y).\npath(x, z) :- path(x, y), edge(y, z)."
    )
    db = Database(memory=True)
    db["edge"].insert_all({"x": i, "y": i + 1} for i in range(40))
    SqliteEngine().derive(program, db)
    assert db.execute("SELECT count(*) FROM path").fetchone() == (40 * 41 // 2,)
    # Forty rounds, two statements: the base rule and the one delta variant.
    assert calls == [None, 0]
