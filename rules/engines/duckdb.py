"""The DuckDB engine: the SQL engine's plan run in DuckDB's column store, the results put back.

``--engine duckdb`` evaluates the same compiled statements as ``--engine sql`` (one
compiler, :mod:`deniable.rules.sql`, with the :data:`~deniable.rules.dialects.DUCKDB`
dialect): the same strata, the same semi-naive delta windows over rowids, the same
``_rule`` and ``_height`` columns.  Only execution differs.  The relations rules read
are copied from the SQLite database into an in-memory DuckDB database in bulk (as
NumPy columns, nothing downloaded: DuckDB's SQLite extension is not used), every
stratum is evaluated there, and the derived tables are written back into the SQLite
database in one transaction, so ``why``, ``query`` and the shell read them as if the
SQL engine had written them.

Two things are DuckDB's own, both for speed: a stratum without recursion is one
grouped ``INSERT`` per relation rather than ``INSERT OR IGNORE`` clause by clause,
and, when no provenance is asked (``deniable run``), a linear recursion is one
``WITH RECURSIVE`` query and :meth:`DuckdbEngine.evaluate` leaves the rows in DuckDB
for the outputs to be written from there.
"""

from __future__ import annotations

import re
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import duckdb
from duckdb.func import FunctionNullHandling
from sqlite_utils import Database

from deniable.errors import EvaluationError
from deniable.rules.ast import Atom, BinOp, Call, Constraint, UnOp
from deniable.rules.checked import CheckedProgram, Stratum
from deniable.rules.dialects import DUCKDB, SIGNATURES, has_function
from deniable.rules.engines.base import Derivation, Limits, integer_overflow, rounds_exceeded
from deniable.rules.engines.duckdb_io import copy_in, copy_out, load_columns, rows_in
from deniable.rules.engines.sqlite import (
    check_names,
    create_indexes,
    input_relations,
    relation_columns,
    stored_objects,
)
from deniable.rules.functors import FUNCTIONS
from deniable.rules.recursive_sql import compile_recursive, linear_relation
from deniable.rules.sql import (
    Schema,
    Statement,
    compile_grouped,
    compile_rule,
    create_table,
    delta_positions,
    quote,
    table_columns,
    walk,
)

#: Input rows from which DuckDB evaluates with all its threads.
PARALLEL_ROWS = 1_000_000

_DUCK_TYPES = {"s": "VARCHAR", "i": "BIGINT", "f": "DOUBLE"}
# The Python function behind each functor, and its result type.
_IMPLEMENTATION = {
    "^": ("deniable_pow", None),
    "bxor": ("deniable_bxor", "i"),
    "bshru": ("deniable_bshru", "i"),
    "bshl": ("deniable_bshl", "i"),
    "substr": ("deniable_substr", "s"),
    "ord": ("deniable_ord", "i"),
    "match": ("deniable_match", "i"),
    "to_string": ("deniable_to_string", "s"),
    "to_number": ("deniable_to_number", "i"),
    "to_float": ("deniable_to_float", "f"),
}


def _register_functions(con: duckdb.DuckDBPyConnection) -> None:
    for op, sig in SIGNATURES:
        base, result = _IMPLEMENTATION[op]
        fn = FUNCTIONS[base][1]
        con.create_function(
            f"{base}_{sig}",
            fn,
            [_DUCK_TYPES[letter] for letter in sig],
            _DUCK_TYPES[result or sig[0]],
            null_handling=FunctionNullHandling.SPECIAL,
            side_effects=False,
        )


def _calls_functions(program: CheckedProgram) -> bool:
    """Whether any clause uses a functor DuckDB runs as a registered Python function."""
    # Registering all of them costs a few milliseconds, a tenth of a small program's run.
    nodes = walk(n for c in program.clauses for n in (c.head, *c.body))
    return any(
        isinstance(n, (BinOp, UnOp, Call, Constraint)) and has_function(_functor(n)) for n in nodes
    )


def _functor(node: BinOp | UnOp | Call | Constraint) -> str:
    return node.op if isinstance(node, (BinOp, UnOp)) else node.name


class DuckdbEngine:
    """Evaluate a checked program in DuckDB and store the results (``--engine duckdb``)."""

    name = "duckdb"

    def derive(
        self,
        program: CheckedProgram,
        db: Database,
        *,
        limits: Limits | None = None,
        provenance: bool = True,
    ) -> Derivation:
        """Evaluate ``program`` over ``db`` and materialise every derived relation in ``db``.

        The derived tables replace older ones in one SQLite transaction: on any
        error the previous derived tables are left as they were.  Without
        ``provenance``, a stratum that is one linear recursion computing no value is
        evaluated by one ``WITH RECURSIVE … UNION`` statement
        (:mod:`deniable.rules.recursive_sql`), its rows' ``_rule``/``_height`` NULL.

        Raises:
            EvaluationError: a missing input relation, a name clash with a stored
                table that is not derived, DuckDB failing, or a limit reached.
        """
        started = time.perf_counter()
        objects = stored_objects(db)
        tables, counts = self._evaluate(program, db, limits or Limits(), provenance, objects)
        try:
            with db.atomic():
                for rel in program.idb:
                    if rel in objects:
                        db.execute(f"DROP TABLE {quote(rel)}")
                    columns = tables.columns(rel)
                    table, *keys = create_table(rel, columns, program.relations[rel].types)
                    db.execute(table)
                    copy_out(tables.con, db, rel, columns)
                    # Rows are distinct: building the unique index after the rows is faster.
                    for ddl in keys:
                        db.execute(ddl)
                columns_of = {rel: tables.columns(rel) for rel in program.idb}
                create_indexes(db, program, columns_of)
        except duckdb.Error as error:
            raise _failed(error) from error
        finally:
            tables.close()
        return Derivation(self.name, counts, time.perf_counter() - started)

    def evaluate(
        self,
        program: CheckedProgram,
        db: Database,
        *,
        limits: Limits | None = None,
        provenance: bool = True,
        staged: Mapping[str, list[list[Any]]] | None = None,
    ) -> tuple[DuckdbTables, Derivation]:
        """Evaluate ``program`` over ``db`` and leave the results in DuckDB, not in ``db``.

        For ``deniable run``: its outputs are read from DuckDB directly, so rows
        never travel back into SQLite.  ``staged`` input relations (their values by
        column; their tables in ``db`` exist, empty) are loaded from the columns, and
        the returned tables hold them too.  The caller closes the returned tables.
        """
        started = time.perf_counter()
        objects = stored_objects(db)
        tables, counts = self._evaluate(
            program, db, limits or Limits(), provenance, objects, staged or {}
        )
        return tables, Derivation(self.name, counts, time.perf_counter() - started)

    def _evaluate(
        self,
        program: CheckedProgram,
        db: Database,
        limits: Limits,
        provenance: bool,
        objects: dict[str, str],
        staged: Mapping[str, list[list[Any]]] | None = None,
    ) -> tuple[DuckdbTables, dict[str, int]]:
        check_names(program, db, objects)
        staged = staged or {}
        inputs = input_relations(program)
        columns = {rel: relation_columns(db, rel) for rel in {*inputs, *staged}}
        columns.update(
            {rel: table_columns(program.relations[rel].attributes) for rel in program.idb}
        )
        types = {name: info.types for name, info in program.relations.items()}
        schema = Schema(columns, types, frozenset(program.idb))
        # Inputs that are all staged are counted here, so a small run starts with the one
        # thread it will use: a second would only take CPU time from loading them.
        small = set(inputs) <= set(staged) and _staged_rows(staged, inputs) < PARALLEL_ROWS
        con = duckdb.connect(":memory:", config={"threads": 1} if small else {})
        try:
            # Soufflé's division by zero yields no row; DuckDB's default is to fail.
            con.execute("SET error_on_division_by_zero = false")
            if _calls_functions(program):
                _register_functions(con)
            for rel, values in staged.items():
                load_columns(con, rel, columns[rel], types[rel], values)
            for rel in inputs:
                if rel not in staged:
                    arity = program.relations[rel].arity
                    copy_in(db, con, rel, columns[rel][:arity], types[rel])
            # Parallel hash tables and merges pay off on large inputs only: below this one
            # thread does the same work with a tenth less CPU, and never waits for a
            # second core that another process holds (twice the wall time on sg then).
            if not small and rows_in(con, inputs) < PARALLEL_ROWS:
                con.execute("SET threads = 1")
            one_query = {
                stratum.relations[0]
                for stratum in program.strata
                if not provenance and linear_relation(stratum) is not None
            }
            # Relations filled by one grouped insert (no recursion) or one recursive
            # query have distinct rows already: no unique key to maintain.
            flat = {
                rel
                for stratum in program.strata
                if not stratum.recursive
                for rel in stratum.relations
                if program.relations[rel].arity
            }
            for rel in program.idb:
                keyed = rel not in one_query and rel not in flat
                for ddl in create_table(rel, columns[rel], types[rel], dialect=DUCKDB, keyed=keyed):
                    con.execute(ddl)
            counts = dict.fromkeys(program.idb, 0)
            for stratum in program.strata:
                if stratum.relations[0] in one_query:
                    stmt = compile_recursive(stratum, schema, dialect=DUCKDB)
                    counts[stratum.relations[0]] += _run(con, stmt)
                    _check_rows(stratum.relations[0], counts, limits)
                    continue
                if not stratum.recursive:
                    _evaluate_once(con, stratum, schema, limits, counts, flat)
                    continue
                _evaluate(con, stratum, schema, limits, counts)
        except duckdb.Error as error:
            con.close()
            raise _failed(error) from error
        except BaseException:
            con.close()
            raise
        held = {rel: columns[rel] for rel in (*program.idb, *staged)}
        return DuckdbTables(con, held), counts


def _staged_rows(staged: Mapping[str, list[list[Any]]], inputs: list[str]) -> int:
    """How many rows the staged ``inputs`` hold at most (before duplicates are dropped)."""
    return sum(len(staged[rel][0]) for rel in inputs if staged[rel])


class DuckdbTables:
    """The derived relations as DuckDB holds them, read like :class:`~.base.Tables`."""

    dialect = DUCKDB

    def __init__(self, con: duckdb.DuckDBPyConnection, columns: dict[str, tuple[str, ...]]):
        self.con = con
        self._columns = columns

    def relations(self) -> set[str]:
        """The derived relations held."""
        return set(self._columns)

    def columns(self, rel: str) -> tuple[str, ...]:
        """The attribute columns of ``rel``."""
        return self._columns[rel]

    def fetch(self, sql: str, params: dict[str, object] | None = None) -> list[tuple[Any, ...]]:
        """The rows of one query in the DuckDB dialect."""
        try:
            return self.con.execute(sql, _used(sql, params or {})).fetchall()
        except duckdb.Error as error:
            raise _failed(error) from error

    def write_sorted(self, rel: str, columns: tuple[str, ...], delimiter: str, path: Path) -> None:
        """Write the rows of ``rel`` sorted to ``path`` with DuckDB's own CSV writer.

        No row comes into Python.  Without a quote character the writer prints every
        value verbatim (delimiters, newlines and quotes inside symbols included) and
        integers plainly, which is what Soufflé writes; compression stays off whatever
        the file's extension.
        """
        # COPY takes no parameters: the path and the delimiter are literals, quoted
        # strictly; the path made absolute so that DuckDB never reads it as a URL or a
        # home-relative path.
        target, sep = (_literal(str(path.resolve())), _literal(delimiter))
        picked = ", ".join(quote(c) for c in columns)
        copy = (
            f"COPY (SELECT {picked} FROM {quote(rel)} ORDER BY {picked}) TO {target} "
            f"(FORMAT csv, HEADER false, QUOTE '', ESCAPE '', DELIMITER {sep}, "
            "COMPRESSION 'none')"
        )
        try:
            self.con.execute(copy)
        except duckdb.IOException as error:
            raise OSError(_first_line(error)) from error
        except duckdb.Error as error:
            raise _failed(error) from error

    def close(self) -> None:
        """Let DuckDB's memory go."""
        self.con.close()


def _literal(text: str) -> str:
    """A string literal: the one place a value enters DuckDB's SQL other than as a parameter."""
    if "\x00" in text:
        raise EvaluationError("a file name or delimiter contains a NUL character")
    return "'" + text.replace("'", "''") + "'"


def _failed(error: Exception) -> EvaluationError:
    if isinstance(error, duckdb.OutOfRangeException) and "Overflow" in str(error):
        return integer_overflow(f"DuckDB: {_first_line(error)}")
    return EvaluationError(f"DuckDB failed while evaluating: {_first_line(error)}")


def _first_line(error: Exception) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__


_PLACEHOLDER = re.compile(r"\$(\w+)")


def _run(
    con: duckdb.DuckDBPyConnection, stmt: Statement, extra: dict[str, int] | None = None
) -> int:
    """Execute an ``INSERT``; return how many rows it added."""
    params = {**stmt.params, **extra} if extra else stmt.params
    found = con.execute(stmt.sql, _used(stmt.sql, params)).fetchone()
    return int(found[0]) if found else 0


def _used(sql: str, params: dict[str, object]) -> dict[str, object]:
    # DuckDB refuses parameters a statement does not use (a delta window's, an
    # aggregate's constant compiled away, a delimiter between no two fields).
    used = set(_PLACEHOLDER.findall(sql))
    return {k: v for k, v in params.items() if k in used}


def _evaluate_once(
    con: duckdb.DuckDBPyConnection,
    stratum: Stratum,
    schema: Schema,
    limits: Limits,
    counts: dict[str, int],
    flat: set[str],
) -> None:
    """A stratum without recursion: one grouped ``INSERT`` per relation.

    Every clause's rows in one ``UNION ALL``, grouped on the attributes; a row keeps
    the provenance of the lowest-numbered clause deriving it.  Cheaper than
    ``INSERT OR IGNORE`` clause by clause, which maintains a unique index.
    """
    for rel in stratum.relations:
        clauses = [c for c in stratum.clauses if c.head.rel == rel]
        if rel not in flat:
            for clause in clauses:
                counts[rel] += _run(con, compile_rule(clause, schema, dialect=DUCKDB))
            _check_rows(rel, counts, limits)
            continue
        stmt = compile_grouped(rel, clauses, schema, dialect=DUCKDB)
        counts[rel] += _run(con, stmt)
        _check_rows(rel, counts, limits)


def _evaluate(
    con: duckdb.DuckDBPyConnection,
    stratum: Stratum,
    schema: Schema,
    limits: Limits,
    counts: dict[str, int],
) -> None:
    rels = stratum.relations
    variants: list[tuple[Statement, str, str]] = []
    for clause in stratum.clauses:
        positions = delta_positions(clause, rels) if stratum.recursive else ()
        if not positions:
            stmt = compile_rule(clause, schema, dialect=DUCKDB)
            counts[clause.head.rel] += _run(con, stmt)
            _check_rows(clause.head.rel, counts, limits)
            continue
        positives = [lit for lit in clause.body if isinstance(lit, Atom)]
        for pos in positions:
            stmt = compile_rule(clause, schema, delta=pos, dialect=DUCKDB)
            variants.append((stmt, positives[pos].rel, clause.head.rel))
    if not variants:
        return
    # DuckDB's rowids of a table only appended to are 0, 1, 2 ...: the count is the window.
    low = dict.fromkeys(rels, -1)
    high = {rel: counts[rel] - 1 for rel in rels}
    rounds = 0
    while any(high[r] > low[r] for r in rels):
        rounds += 1
        if rounds > limits.max_rounds:
            raise rounds_exceeded([r for r in rels if high[r] > low[r]], limits)
        for stmt, rel, head in variants:
            if high[rel] > low[rel]:
                counts[head] += _run(con, stmt, {"dlo": low[rel], "dhi": high[rel]})
        low, high = high, {rel: counts[rel] - 1 for rel in rels}
        for rel in rels:
            _check_rows(rel, counts, limits)


def _check_rows(rel: str, counts: dict[str, int], limits: Limits) -> None:
    if counts[rel] > limits.max_rows:
        raise EvaluationError(
            f"relation {rel} has more than {limits.max_rows} rows (limit max_rows); "
            "is there runaway arithmetic recursion?"
        )
