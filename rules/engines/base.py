"""The engine protocol: evaluate a checked program over a SQLite database.

Contract for every engine:

* Before ``derive``: every input relation (used in a body, defined by no clause)
  exists in ``db`` as a table or view named after the relation whose columns are
  the relation's attributes in order.  The fact store provides its relations as
  views; ``deniable run`` loads ``.facts`` files into tables first.
* After ``derive``: every relation defined by clauses exists as a table named
  after it, with the attribute columns followed by ``_rule`` (the ``Clause.index``
  that first derived the row) and ``_height`` (proof height: 1 + the greatest
  height of the body rows, counting only positive atoms outside aggregates; rows of
  input relations and program facts have height 0; NULL for both when the caller
  asked for no provenance).  Older tables
  of those names are replaced in one transaction.  Set semantics: no duplicate rows.

Each backend (SQLite, DuckDB, PostgreSQL, pyDatalog) implements this protocol in a module of
its own under ``rules/engines/``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from sqlglot import exp
from sqlite_utils import Database

from deniable.errors import EvaluationError
from deniable.rules.checked import CheckedProgram
from deniable.rules.dialects import SQLITE, Dialect, cast_type
from deniable.rules.engines import DEFAULT_MAX_ROUNDS
from deniable.rules.sql_schema import identifier, parameter, table


@dataclass(frozen=True, slots=True)
class Limits:
    """Guards against runaway evaluation."""

    #: Stop when a recursive stratum has not reached its fixpoint after this many
    #: semi-naive rounds (``--max-rounds``).
    max_rounds: int = DEFAULT_MAX_ROUNDS
    #: Stop when a relation grows beyond this many rows (runaway arithmetic recursion).
    max_rows: int = 50_000_000


@dataclass(frozen=True, slots=True)
class Derivation:
    """What an engine derived: row counts per relation and the time it took."""

    engine: str
    sizes: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


class Tables(Protocol):
    """Read access to the derived relations of one evaluation, in the SQL of ``dialect``.

    What ``deniable run`` needs to write its outputs: the rows may stay in the engine
    that derived them (DuckDB) instead of coming back into SQLite first.
    """

    dialect: Dialect

    def relations(self) -> set[str]:
        """The derived relations held."""
        ...

    def columns(self, rel: str) -> tuple[str, ...]:
        """The attribute columns of ``rel`` (without ``_rule``/``_height``)."""
        ...

    def fetch(self, sql: str, params: dict[str, object] | None = None) -> list[tuple[Any, ...]]:
        """The rows one query gives."""
        ...

    def write_sorted(self, rel: str, columns: tuple[str, ...], delimiter: str, path: Path) -> None:
        """Write the rows of ``rel`` to ``path`` sorted, a line a row, ``columns`` joined
        by ``delimiter``; for relations of integers and symbols, which print verbatim.

        Raises:
            OSError: the file cannot be written.
        """
        ...

    def close(self) -> None:
        """Release what the evaluation holds (not the SQLite database)."""
        ...


class SqliteTables:
    """:class:`Tables` over a SQLite database: every table in it (inputs and derived)."""

    dialect = SQLITE

    def __init__(self, db: Database) -> None:
        self.db = db

    def relations(self) -> set[str]:
        """The tables of the database."""
        return set(self.db.table_names())

    def columns(self, rel: str) -> tuple[str, ...]:
        """The attribute columns of table ``rel``."""
        cols = tuple(c.name for c in self.db[rel].columns)
        return cols[:-2] if cols[-2:] == ("_rule", "_height") else cols

    def fetch(self, sql: str, params: dict[str, object] | None = None) -> list[tuple[Any, ...]]:
        """The rows of one query."""
        return [tuple(r) for r in self.db.execute(sql, params or {}).fetchall()]

    def write_sorted(self, rel: str, columns: tuple[str, ...], delimiter: str, path: Path) -> None:
        """Write the rows of ``rel`` sorted, ``columns`` joined by ``delimiter``, to ``path``."""
        sql, params = lines_query(rel, columns, delimiter, SQLITE)
        # SQLite joins the lines itself: a third faster than a Python string a row, and
        # less memory.  An aggregate over an ordered subquery keeps its order (SQLite
        # never flattens such a subquery into it).
        joined = f"WITH lines(line) AS ({sql}) SELECT group_concat(line, char(10)) FROM lines"
        with path.open("w", encoding="utf-8", newline="") as out:
            try:
                (text,) = self.db.conn.execute(joined, params).fetchone()
            except sqlite3.DataError:  # beyond SQLite's longest string (1 GB): row by row
                cursor = self.db.conn.execute(sql, params)
                while rows := cursor.fetchmany(100_000):
                    out.write("".join(f"{line}\n" for (line,) in rows))
                return
            if text is not None:
                out.write(text)
                out.write("\n")

    def close(self) -> None:
        """Nothing to release: the caller owns the database."""


def lines_query(
    rel: str, columns: tuple[str, ...], delimiter: str, dialect: Dialect
) -> tuple[str, dict[str, object]]:
    """The query of ``rel``'s rows as text lines, sorted: the fields cast to text and joined
    by ``delimiter`` (a parameter), as Soufflé prints integers and symbols."""
    fields = [exp.Cast(this=exp.column(identifier(c)), to=cast_type("symbol")) for c in columns]
    line: exp.Expr = fields[0]
    for field_ in fields[1:]:
        line = exp.DPipe(this=exp.DPipe(this=line, expression=parameter("d")), expression=field_)
    query = exp.Select(expressions=[line]).from_(table(rel), copy=False)
    query.order_by(*(exp.column(identifier(c)) for c in columns), copy=False)
    return dialect.render(query), {"d": delimiter}


class Engine(Protocol):
    """An evaluation backend."""

    name: str

    def derive(
        self,
        program: CheckedProgram,
        db: Database,
        *,
        limits: Limits | None = None,
        provenance: bool = True,
    ) -> Derivation:
        """Evaluate ``program`` over ``db`` and materialise every derived relation.

        With ``provenance=False`` (``deniable run``, where no one asks ``why``) an
        engine may leave ``_rule`` and ``_height`` NULL where that evaluates faster.
        """
        ...


def rounds_exceeded(grown: list[str], limits: Limits) -> EvaluationError:
    """The error of a recursive stratum still growing after ``limits.max_rounds`` rounds."""
    return EvaluationError(
        f"relation {', '.join(grown)} still grows after {limits.max_rounds} rounds "
        f"(--max-rounds {limits.max_rounds}); raise --max-rounds if the recursion is "
        "meant to be this deep, or look for runaway arithmetic recursion"
    )


def integer_overflow(detail: str) -> EvaluationError:
    """The error every engine gives for arithmetic beyond 64-bit integers (Soufflé wraps around).

    One behaviour everywhere: the derivation stops and nothing is stored, whatever
    the target would do by itself (SQLite turns the value into a float, DuckDB and
    PostgreSQL fail with their own words, which ``detail`` keeps).
    """
    return EvaluationError(
        f"integer overflow: a rule computed a number beyond 64-bit integers ({detail}); "
        "nothing was stored",
        code="integer_overflow",
    )


def evaluate(
    engine: Engine,
    program: CheckedProgram,
    db: Database,
    *,
    limits: Limits | None = None,
    provenance: bool = True,
    staged: Mapping[str, list[list[Any]]] | None = None,
) -> tuple[Tables, Derivation]:
    """Evaluate ``program`` and return where its derived relations can be read.

    Without ``provenance`` (no one will ask ``why``), an engine with an ``evaluate``
    method of its own (DuckDB) keeps the rows where it derived them; otherwise the
    engine derives into ``db``, where :mod:`deniable.rules.explain` reads them.
    ``staged`` input relations (their values column by column, their tables in ``db``
    empty) go to such an engine directly; it then serves them as tables too.
    """
    own = None if provenance else getattr(engine, "evaluate", None)
    if own is not None:
        tables, derivation = own(
            program, db, limits=limits, provenance=provenance, staged=staged or {}
        )
        return tables, derivation
    if staged:
        raise ValueError(f"engine {engine.name} reads its inputs from the database only")
    derivation = engine.derive(program, db, limits=limits, provenance=provenance)
    return SqliteTables(db), derivation


def declared_value(typ: str) -> Any:
    """A function making a value read from SQLite the column's declared type (SQLite is
    dynamically typed): ``symbol`` text, ``float``, else an integer or NULL."""
    if typ == "symbol":
        return lambda v: v if v is None or isinstance(v, str) else str(v)
    if typ == "float":
        return lambda v: None if v is None else float(v)
    return lambda v: v if v is None or isinstance(v, int) else _integer(v)


def _integer(value: object) -> int | None:
    try:
        return int(value)  # type: ignore[call-overload, no-any-return]
    except (TypeError, ValueError):
        return None
