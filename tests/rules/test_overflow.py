"""Integer overflow is one behaviour on every engine: one error, nothing stored.

Soufflé wraps around; each target would do something of its own (SQLite makes the
value a float, DuckDB and PostgreSQL fail in their words, pyDatalog has Python's
unbounded integers), so every engine reports ``integer_overflow`` instead.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlite_utils import Database

from deniable.errors import EvaluationError
from deniable.rules.checks import check
from deniable.rules.engines import get_engine
from deniable.rules.parser import parse

PROGRAMS = {
    "a fact": ".decl p(x: number)\np(9223372036854775807 + 1).\n",
    "a product": ".decl b(x: number)\nb(4611686018427387904).\n"
    ".decl p(x: number)\np(x * 2) :- b(x).\n",
    "a recursion": ".decl p(x: number)\np(1).\np(x * 3) :- p(x), x > 0.\n",
    "a negative": ".decl p(x: number)\np(-9223372036854775807 - 2).\n",
}


def _engine(name: str, request: pytest.FixtureRequest) -> Any:
    if name == "postgres":
        return request.getfixturevalue("postgres_engine")
    return get_engine(name)


@pytest.mark.parametrize("engine", ["sql", "duckdb", "pydatalog", "postgres"])
@pytest.mark.parametrize("case", sorted(PROGRAMS))
def test_overflow_stops_the_derivation(
    case: str, engine: str, request: pytest.FixtureRequest
) -> None:
    checked = check(parse(PROGRAMS[case], "o.dl"), inputs={})
    db = Database(memory=True)
    db["p"].insert({"x": 7, "_rule": 0, "_height": 0})  # the previous derivation's table
    with pytest.raises(EvaluationError) as info:
        _engine(engine, request).derive(checked, db)
    assert info.value.code == "integer_overflow"
    assert "integer overflow: a rule computed a number beyond 64-bit integers" in str(info.value)
    assert "\n" not in str(info.value)
    if engine != "pydatalog":  # pyDatalog refuses before anything is written
        assert list(db["p"].rows) == [{"x": 7, "_rule": 0, "_height": 0}]


@pytest.mark.parametrize("engine", ["sql", "duckdb", "pydatalog", "postgres"])
def test_the_largest_integers_are_no_overflow(engine: str, request: pytest.FixtureRequest) -> None:
    text = (
        ".decl p(x: number)\np(9223372036854775806 + 1).\np(-9223372036854775807 - 1).\n"
        "p(x - 1) :- p(x), x > 9223372036854775805.\n"
    )
    db = Database(memory=True)
    _engine(engine, request).derive(check(parse(text, "o.dl"), inputs={}), db)
    assert {r["x"] for r in db["p"].rows} == {
        9223372036854775807,
        9223372036854775806,
        9223372036854775805,
        -9223372036854775808,
    }
