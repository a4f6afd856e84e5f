"""The pyDatalog engine: results, provenance, refusals, isolation, hostile names, atomic writes."""

from __future__ import annotations

import threading

import pytest
from pyDatalog import pyEngine
from sqlite_utils import Database

from deniable.errors import EvaluationError
from deniable.rules.ast import Atom, Attribute, Clause, Decl, Num, Program, Str, Var
from deniable.rules.checked import CheckedProgram
from deniable.rules.checks import check
from deniable.rules.engines import get_engine
from deniable.rules.engines.base import Limits
from deniable.rules.engines.pydatalog import (
    UNSUPPORTED,
    PyDatalogEngine,
    unsupported_constructs,
)
from deniable.rules.parser import parse
from deniable.rules.sql import quote

EDGES = [(1, 2), (2, 3), (3, 4), (4, 2)]


def _program(text: str, inputs: dict[str, list[tuple[str, str]]] | None = None) -> CheckedProgram:
    return check(parse(text, "t.dl"), inputs=inputs)


def _db(edges: list[tuple[int, int]] = EDGES) -> Database:
    db = Database(memory=True)
    db["edge"].create({"a": int, "b": int})
    db["edge"].insert_all([{"a": a, "b": b} for a, b in edges])
    return db


def _rows(db: Database, rel: str) -> list[tuple]:
    return sorted(tuple(r) for r in db.execute(f"SELECT * FROM {quote(rel)}").fetchall())


EDGE = {"edge": [("a", "number"), ("b", "number")]}
PATH = """
.decl path(x: number, y: number)
path(x, y) :- edge(x, y).
path(x, z) :- path(x, y), edge(y, z).
"""


def test_engine_is_registered() -> None:
    assert isinstance(get_engine("pydatalog"), PyDatalogEngine)
    assert PyDatalogEngine.name == "pydatalog"


def test_transitive_closure_with_provenance() -> None:
    db = _db()
    derivation = PyDatalogEngine().derive(_program(PATH, EDGE), db)
    assert derivation.engine == "pydatalog"
    assert derivation.sizes == {"path": 12}
    # (x, y, _rule, _height): rule 0 from edges at height 1, rule 1 one level per hop.
    assert _rows(db, "path") == [
        (1, 2, 0, 1), (1, 3, 1, 2), (1, 4, 1, 3),
        (2, 2, 1, 3), (2, 3, 0, 1), (2, 4, 1, 2),
        (3, 2, 1, 2), (3, 3, 1, 3), (3, 4, 0, 1),
        (4, 2, 0, 1), (4, 3, 1, 2), (4, 4, 1, 3),
    ]  # fmt: skip
    columns = [c.name for c in db["path"].columns]
    assert columns == ["x", "y", "_rule", "_height"]


def test_same_tables_as_the_sql_engine() -> None:
    text = (
        PATH
        + """
.decl node(n: number)
.decl lonely(x: number, y: number)
.decl shifted(x: number, y: number)
.decl named(s: symbol, n: number)
node(x) :- edge(x, _).
node(y) :- edge(_, y).
lonely(x, y) :- node(x), node(y), !path(x, y), x != y.
shifted(x, z) :- edge(x, y), z = y * 10 + 1, z > 25.
shifted(x, -x) :- node(x), x <= 1.
named("a b", 3).
named("x", 1 - 2 - 3).
"""
    )
    checked = _program(text, EDGE)
    results = []
    for engine in ("sql", "pydatalog"):
        db = _db()
        get_engine(engine).derive(checked, db)
        results.append({rel: _rows(db, rel) for rel in checked.idb})
        results[-1]["schema"] = [db[rel].schema for rel in checked.idb]
    assert results[0] == results[1]
    assert results[1]["lonely"] == [(2, 1, 4, 2), (3, 1, 4, 2), (4, 1, 4, 2)]
    assert results[1]["named"] == [("a b", 3, 7, 0), ("x", -4, 8, 0)]


def test_literal_order_does_not_matter() -> None:
    text = """
.decl big(x: number)
big(x) :- x > 2, !edge(x, 2), edge(x, _).
"""
    db = _db()
    PyDatalogEngine().derive(_program(text, EDGE), db)
    assert _rows(db, "big") == [(3, 0, 1)]


def test_nullary_relations() -> None:
    text = """
.decl any()
.decl none()
.decl flag(x: number)
any() :- edge(_, _).
none() :- edge(x, x).
flag(1) :- any(), !none().
"""
    db = _db()
    PyDatalogEngine().derive(_program(text, EDGE), db)
    assert _rows(db, "any") == [(0, 1)]
    assert _rows(db, "none") == []
    assert _rows(db, "flag") == [(1, 2, 2)]


HOSTILE = [
    'q"uote',
    "semi;colon -- DROP TABLE edge",
    "naïve 日本",
    "~neg",
    "a.b",
    "p[1]==",
    "==",
    "_pyD_query1",
    "X",
]
HOSTILE_VALUES = [
    "O'Brien",
    'say "hi"',
    "x; DROP TABLE t; --",
    "\x00nul",
    "True",
    "??",
    "X",
    "z" * 10_000,
]


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_relation_names_and_constants(name: str) -> None:
    # Built as AST: a parser would not take these names, the fact store's views might.
    source = name + " in"
    clauses = [
        Clause(Atom(name, (Var("x"), Var("y"))), (Atom(source, (Var("x"), Var("y"))),), index=0),
        *(
            Clause(Atom(name, (Str(v), Num(i))), (), index=i + 1)
            for i, v in enumerate(HOSTILE_VALUES)
        ),
    ]
    decl = Decl(name, (Attribute("s", "symbol"), Attribute("n", "number")))
    checked = check(
        Program(decls=(decl,), clauses=tuple(clauses)),
        inputs={source: [("s", "symbol"), ("n", "number")]},
    )
    db = Database(memory=True)
    db[source].insert_all([{"s": v, "n": -i} for i, v in enumerate(HOSTILE_VALUES)])
    PyDatalogEngine().derive(checked, db)
    got = {(s, n) for s, n, _, _ in _rows(db, name)}
    expected = {(v, i) for i, v in enumerate(HOSTILE_VALUES)}
    expected |= {(v, -i) for i, v in enumerate(HOSTILE_VALUES)}
    assert got == expected
    assert db[source].count == len(HOSTILE_VALUES)


REFUSED = [
    (".decl c(n: number)\nc(n) :- n = count : { edge(_, _) }.", "aggregate count", 2, 13),
    (".decl c(x: number, n: number)\nc(x, y / 2) :- edge(x, y).", "operator /", 2, 6),
    (".decl c(x: number, n: number)\nc(x, y % 2) :- edge(x, y).", "operator %", 2, 6),
    (".decl c(x: number, n: number)\nc(x, y band 2) :- edge(x, y).", "operator band", 2, 6),
    (".decl c(x: number, n: number)\nc(x, y ^ 2) :- edge(x, y).", "operator ^", 2, 6),
    (".decl c(x: number, n: symbol)\nc(x, to_string(y)) :- edge(x, y).", "functor to_string", 2, 6),
    (".decl c(x: float)\nc(1.5) :- edge(_, _).", "float column", 1, 0),
    ('.decl c(s: symbol)\nc(s) :- edge(_, _), s = "ab", contains("a", s).', "constraint", 2, 0),
]


@pytest.mark.parametrize(("text", "construct", "line", "column"), REFUSED)
def test_refuses_what_it_cannot_express(text: str, construct: str, line: int, column: int) -> None:
    checked = _program(text, EDGE)
    db = _db()
    db["c"].insert({"keep": "me"})  # an earlier table of the same name would block anyway
    db["c"].drop()
    with pytest.raises(EvaluationError) as info:
        PyDatalogEngine().derive(checked, db)
    error = info.value
    assert error.code == UNSUPPORTED
    assert construct in error.message
    assert error.location is not None and error.location.line == line
    if column:
        assert error.location.column == column
    assert "c" not in db.table_names()
    assert unsupported_constructs(checked)


def test_refusal_leaves_previous_results() -> None:
    db = _db()
    PyDatalogEngine().derive(_program(PATH, EDGE), db)
    before = _rows(db, "path")
    bad = PATH + ".decl half(x: number)\nhalf(x / 2) :- path(x, _).\n"
    with pytest.raises(EvaluationError):
        PyDatalogEngine().derive(_program(bad, EDGE), db)
    assert _rows(db, "path") == before
    assert "half" not in db.table_names()


def test_symbol_constant_in_number_column_is_refused() -> None:
    # SQLite's affinity would compare '2' with 2 as equal; pyDatalog would not.
    program = Program(
        clauses=(Clause(Atom("p", (Var("x"),)), (Atom("edge", (Var("x"), Str("2"))),), index=0),)
    )
    checked = CheckedProgram(
        program,
        {
            "edge": _info("edge", ("a", "b"), ("number", "number"), True),
            "p": _info("p", ("x",), ("number",), False),
        },
        program.clauses,
        (_stratum(("p",), program.clauses),),
    )
    with pytest.raises(EvaluationError, match="symbol value in number column 2 of edge"):
        PyDatalogEngine().derive(checked, _db())


def _info(name: str, attrs: tuple[str, ...], types: tuple[str, ...], is_input: bool):
    from deniable.rules.checked import RelationInfo

    return RelationInfo(name, attrs, types, types, is_input=is_input)


def _stratum(rels: tuple[str, ...], clauses: tuple[Clause, ...]):
    from deniable.rules.checked import Stratum

    return Stratum(rels, clauses, False)


def test_integer_overflow_is_an_error_not_a_bignum() -> None:
    text = ".decl big(x: number)\nbig(x * 4611686018427387904 * 4) :- edge(x, _).\n"
    with pytest.raises(EvaluationError, match="integer overflow"):
        PyDatalogEngine().derive(_program(text, EDGE), _db())


def test_missing_input_and_name_clash() -> None:
    with pytest.raises(EvaluationError, match="input relation edge has no table"):
        PyDatalogEngine().derive(_program(PATH, EDGE), Database(memory=True))
    db = _db()
    db["path"].insert({"mine": 1})
    with pytest.raises(EvaluationError, match="rules did not derive"):
        PyDatalogEngine().derive(_program(PATH, EDGE), db)
    assert _rows(db, "path") == [(1,)]


def test_non_integer_input_values_are_refused() -> None:
    db = Database(memory=True)
    db["edge"].insert({"a": 1.5, "b": 2})
    with pytest.raises(EvaluationError, match="only integers and strings"):
        PyDatalogEngine().derive(_program(PATH, EDGE), db)


def test_derived_inputs_keep_their_heights() -> None:
    db = _db()
    PyDatalogEngine().derive(_program(PATH, EDGE), db)
    text = ".decl far(x: number, y: number)\nfar(x, y) :- path(x, y), x = 1.\n"
    inputs = {"path": [("x", "number"), ("y", "number")]}
    PyDatalogEngine().derive(_program(text, inputs), db)
    assert _rows(db, "far") == [(1, 2, 0, 2), (1, 3, 0, 3), (1, 4, 0, 4)]


def test_runs_do_not_leak_and_callers_logic_survives() -> None:
    pyEngine.assert_(pyEngine.Clause(pyEngine.Literal("callers_fact", [pyEngine.Const(7)]), []))
    db = _db()
    PyDatalogEngine().derive(_program(PATH, EDGE), db)
    other = ".decl path(x: number, y: number)\npath(x, y) :- edge(x, y), x > 3.\n"
    PyDatalogEngine().derive(_program(other, EDGE), db)
    assert _rows(db, "path") == [(4, 2, 0, 1)]
    assert pyEngine.Literal("callers_fact", [pyEngine.Var("X")]).ask() == [(7,)]


def test_threads_evaluate_independently() -> None:
    programs = {
        "all": (PATH, 12),
        "from3": (".decl path(x: number, y: number)\npath(x, y) :- edge(x, y), x = 3.\n", 1),
    }
    results: dict[str, int] = {}
    errors: list[BaseException] = []

    def work(key: str) -> None:
        text, _ = programs[key]
        try:
            for _ in range(3):
                db = _db()
                PyDatalogEngine().derive(_program(text, EDGE), db)
                results[key] = db["path"].count
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=work, args=(k,)) for k in programs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert results == {k: n for k, (_, n) in programs.items()}


def test_recursion_error_becomes_an_evaluation_error(monkeypatch: pytest.MonkeyPatch) -> None:
    from deniable.rules.engines import pydatalog

    def deep(*args: object) -> None:
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(pydatalog, "_run", deep)
    with pytest.raises(EvaluationError, match="recursion limit"):
        PyDatalogEngine().derive(_program(PATH, EDGE), _db())


def test_right_recursion_over_a_cycle_terminates() -> None:
    # pyDatalog's own recursion never returns on this one; the engine iterates itself.
    text = """
.decl reach(x: number, y: number)
.decl loop(x: number, y: number)
reach(x, y) :- edge(x, y).
reach(x, y) :- edge(x, z), reach(z, y).
loop(x, y) :- edge(x, z), loop(z, y).
"""
    db = _db([(1, 2), (2, 3), (3, 1)])
    PyDatalogEngine().derive(_program(text, EDGE), db)
    assert {(x, y) for x, y, _, _ in _rows(db, "reach")} == {
        (x, y) for x in (1, 2, 3) for y in (1, 2, 3)
    }
    assert _rows(db, "loop") == []


def test_runaway_recursion_hits_the_iteration_limit() -> None:
    text = ".decl n(x: number)\nn(x) :- edge(x, _).\nn(x + 1) :- n(x).\n"
    with pytest.raises(EvaluationError, match="--max-rounds 30"):
        PyDatalogEngine().derive(_program(text, EDGE), _db(), limits=Limits(max_rounds=30))
    with pytest.raises(EvaluationError, match="max_rows"):
        PyDatalogEngine().derive(_program(text, EDGE), _db(), limits=Limits(max_rows=20))
