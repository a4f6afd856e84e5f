"""The PostgreSQL engine: the SQL engine's plan run on a server, the results put back in the store.

``--engine postgres --dsn postgresql://…`` evaluates the statements of the one
compiler (:mod:`deniable.rules.sql`, dialect
:data:`~deniable.rules.dialects.POSTGRES`): the same strata, semi-naive delta
windows and ``_rule``/``_height`` columns as ``--engine sql``.  Only execution
differs:

* Every derivation works in a schema of its own (``deniable_<pid>_<random>``, a
  quoted identifier), created inside one server transaction that is rolled back at
  the end, so nothing is left on the server and two users never see each other's
  tables (``keep_schema`` names a schema to commit and keep instead).
* The relations rules read are copied in with ``COPY … FROM STDIN`` (psycopg 3);
  the derived tables come back with ``COPY … TO STDOUT`` and are written into the
  SQLite database in one transaction, so ``why`` and the shell read them as if the
  SQL engine had written them.
* A derived table has a ``rowid`` identity column: PostgreSQL has no rowid, and a
  round's delta is the rows above the previous round's highest one.
* Keys and lookups are built for values of any length: the unique key hashes
  symbol columns (``md5``) and lookups on a symbol use hash indexes, since a B-tree
  entry cannot exceed about 2.7 kB.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import time
from collections import defaultdict
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from sqlite_utils import Database

from deniable.errors import EvaluationError, Location, ServerError
from deniable.facts.postgres import connect, first_line, numbered, quote_name, redact, resolve_dsn
from deniable.rules.ast import Atom
from deniable.rules.checked import CheckedProgram, Stratum
from deniable.rules.dialects import POSTGRES
from deniable.rules.engines.base import Derivation, Limits, integer_overflow, rounds_exceeded
from deniable.rules.engines.postgres_functions import FUNCTION_DDL
from deniable.rules.engines.sqlite import (
    check_names,
    create_indexes,
    input_relations,
    relation_columns,
    stored_objects,
)
from deniable.rules.sql import (
    HEIGHT_COLUMN,
    RULE_COLUMN,
    Schema,
    Statement,
    compile_rule,
    create_table,
    delta_positions,
    lookup_columns,
    quote,
    table_columns,
)

if TYPE_CHECKING:
    import psycopg

#: Rows written into SQLite per batch on the way back.
BATCH = 50_000
_COPY_TYPES = {"symbol": "text", "number": "int8", "unsigned": "int8", "float": "float8"}


class PostgresEngine:
    """Evaluate a checked program on a PostgreSQL server and store the results."""

    name = "postgres"

    def __init__(self, dsn: str | None = None, *, keep_schema: str | None = None) -> None:
        """Args:
        dsn: the server (``postgresql://…`` or ``key=value`` words); ``$DENIABLE_DSN``
            when not given.
        keep_schema: derive into this schema and keep it (committed); by default a
            fresh schema is used and dropped.

        Raises:
            UsageError: no DSN given and ``$DENIABLE_DSN`` unset.
        """
        self.dsn = resolve_dsn(dsn)
        self.keep_schema = keep_schema

    def derive(
        self,
        program: CheckedProgram,
        db: Database,
        *,
        limits: Limits | None = None,
        provenance: bool = True,
    ) -> Derivation:
        """Evaluate ``program`` over ``db`` on the server; store every derived relation in ``db``.

        The derived tables replace older ones in one SQLite transaction; on any
        error the previous ones are left as they were.

        Raises:
            EvaluationError: a missing input, a name clash, the server refusing a
                statement (an integer overflow, a NUL in a value), or a limit reached.
            ServerError: the server cannot be reached, or the connection is lost.
        """
        started = time.perf_counter()
        objects = stored_objects(db)
        check_names(program, db, objects)
        limits = limits or Limits()
        schema_name = self.keep_schema or f"deniable_{os.getpid()}_{secrets.token_hex(6)}"
        con = connect(self.dsn)
        try:
            with self._failures():
                cur = con.cursor()
                _open_schema(cur, schema_name)
                columns, counts = _evaluate_program(cur, program, db, limits)
                with db.atomic():
                    for rel in program.idb:
                        if rel in objects:
                            db.execute(f"DROP TABLE {quote(rel)}")
                        table, *keys = create_table(rel, columns[rel], program.relations[rel].types)
                        db.execute(table)
                        _copy_out(cur, db, rel, columns[rel], program.relations[rel].types)
                        for ddl in keys:
                            db.execute(ddl)
                    create_indexes(db, program, {rel: columns[rel] for rel in program.idb})
                if self.keep_schema is not None:
                    con.commit()
        finally:
            with contextlib.suppress(Exception):
                con.rollback()
            con.close()
        return Derivation(self.name, counts, time.perf_counter() - started)

    @contextlib.contextmanager
    def _failures(self) -> Iterator[None]:
        """psycopg's errors as one line: a lost server names the DSN, a refused statement not."""
        import psycopg

        try:
            yield
        except psycopg.OperationalError as error:
            raise ServerError(
                f"PostgreSQL connection failed: {first_line(error)}", Location(redact(self.dsn))
            ) from None
        except psycopg.errors.NumericValueOutOfRange as error:
            raise integer_overflow(f"PostgreSQL: {first_line(error)}") from None
        except psycopg.Error as error:
            raise EvaluationError(
                f"PostgreSQL failed while evaluating: {first_line(error)}"
            ) from None


def _open_schema(cur: psycopg.Cursor[Any], name: str) -> None:
    """Create schema ``name`` with the functors in it and make it the only one searched."""
    quoted = quote_name(name)
    cur.execute(f"CREATE SCHEMA {quoted}")
    # pg_catalog stays searched first (implicitly): built-ins cannot be shadowed.
    cur.execute("SELECT set_config('search_path', $1, true)", [quoted])
    for ddl in FUNCTION_DDL:
        cur.execute(ddl)


def _evaluate_program(
    cur: psycopg.Cursor[Any], program: CheckedProgram, db: Database, limits: Limits
) -> tuple[dict[str, tuple[str, ...]], dict[str, int]]:
    inputs = input_relations(program)
    columns = {rel: relation_columns(db, rel) for rel in inputs}
    columns.update({rel: table_columns(program.relations[rel].attributes) for rel in program.idb})
    types = {name: info.types for name, info in program.relations.items()}
    for rel in (*inputs, *program.idb):
        quote_name(rel)  # refuses what PostgreSQL would cut or reject, before any work
    for rel in inputs:
        arity = program.relations[rel].arity
        _copy_in(cur, db, rel, columns[rel][:arity], types[rel])
        cur.execute(f"ANALYZE {quote(rel)}")
    for rel in program.idb:
        _create_derived(cur, rel, columns[rel], types[rel])
    _create_lookups(cur, program, columns)
    schema = Schema(columns, types, frozenset(program.idb))
    counts = dict.fromkeys(program.idb, 0)
    high = dict.fromkeys(program.idb, 0)
    for stratum in program.strata:
        _evaluate_stratum(cur, stratum, schema, limits, counts, high)
        for rel in stratum.relations:
            # Later strata read these: the planner needs their sizes.
            cur.execute(f"ANALYZE {quote(rel)}")
    return {rel: columns[rel] for rel in program.idb}, counts


def _create_derived(
    cur: psycopg.Cursor[Any], rel: str, columns: tuple[str, ...], types: tuple[str, ...]
) -> None:
    table, *_ = create_table(rel, columns, types, dialect=POSTGRES, keyed=False)
    cur.execute(table)
    cur.execute(f"ALTER TABLE {quote(rel)} ADD COLUMN rowid BIGINT GENERATED ALWAYS AS IDENTITY")
    if columns:
        # Symbols are hashed: a B-tree entry holds at most about 2.7 kB.
        key = ", ".join(
            f"md5({quote(c)})" if t == "symbol" else quote(c)
            for c, t in zip(columns, types, strict=True)
        )
        cur.execute(f"CREATE UNIQUE INDEX ON {quote(rel)} ({key})")
    cur.execute(f"CREATE INDEX ON {quote(rel)} (rowid)")


def _create_lookups(
    cur: psycopg.Cursor[Any], program: CheckedProgram, columns: dict[str, tuple[str, ...]]
) -> None:
    """An index on the first column each relation is looked up by (hash for a symbol)."""
    wanted: dict[str, set[int]] = defaultdict(set)
    for stratum in program.strata:
        recursive = stratum.relations if stratum.recursive else ()
        for clause in stratum.clauses:
            for rel, positions in lookup_columns(clause, recursive):
                if rel in columns and positions:
                    wanted[rel].add(positions[0])
    for rel, firsts in wanted.items():
        types = program.relations[rel].types
        for j in sorted(firsts):
            method = "hash" if types[j] == "symbol" else "btree"
            cur.execute(f"CREATE INDEX ON {quote(rel)} USING {method} ({quote(columns[rel][j])})")


def _converter(typ: str) -> Any:
    # SQLite is dynamically typed: a value is made the column's declared type on the way in.
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


def _copy_in(
    cur: psycopg.Cursor[Any],
    db: Database,
    rel: str,
    columns: tuple[str, ...],
    types: tuple[str, ...],
) -> None:
    """Copy relation ``rel`` of ``db`` into a new server table of the same name."""
    defs = ", ".join(
        f"{quote(c)} {POSTGRES.types.get(t, 'TEXT')}" for c, t in zip(columns, types, strict=True)
    )
    cur.execute(f"CREATE TABLE {quote(rel)} ({defs or '_present BIGINT'})")
    if not columns:
        if db.execute(f"SELECT 1 FROM {quote(rel)} LIMIT 1").fetchone() is not None:
            cur.execute(f"INSERT INTO {quote(rel)} VALUES (1)")
        return
    picked = ", ".join(quote(c) for c in columns)
    converters = [_converter(t) for t in types]
    plain = all(t == "symbol" for t in types)
    rows = db.conn.execute(f"SELECT {picked} FROM {quote(rel)}")
    with cur.copy(f"COPY {quote(rel)} ({picked}) FROM STDIN") as copy:
        for row in rows:
            if plain and all(type(v) is str for v in row):
                copy.write_row(row)
            else:
                copy.write_row([f(v) for f, v in zip(converters, row, strict=True)])


def _copy_out(
    cur: psycopg.Cursor[Any],
    db: Database,
    rel: str,
    columns: tuple[str, ...],
    types: tuple[str, ...],
) -> None:
    """Append the server's table ``rel`` to the SQLite table of the same name, in key order."""
    every = [*columns, RULE_COLUMN, HEIGHT_COLUMN]
    picked = ", ".join(quote(c) for c in every)
    # Key order (bytes: the columns are COLLATE "C") makes SQLite's index inserts sequential.
    order = f" ORDER BY {', '.join(quote(c) for c in columns)}" if columns else ""
    marks = ", ".join("?" for _ in every)
    insert = f"INSERT INTO {quote(rel)} ({picked}) VALUES ({marks})"
    batch: list[tuple[Any, ...]] = []
    with cur.copy(f"COPY (SELECT {picked} FROM {quote(rel)}{order}) TO STDOUT") as copy:
        copy.set_types([*(_COPY_TYPES.get(t, "text") for t in types), "int8", "int8"])
        for row in copy.rows():
            batch.append(row)
            if len(batch) >= BATCH:
                db.conn.executemany(insert, batch)
                batch = []
    if batch:
        db.conn.executemany(insert, batch)


class _Prepared:
    """A compiled statement with positional parameters, counting and watermarking its inserts."""

    def __init__(self, stmt: Statement) -> None:
        sql, self.names = numbered(stmt.sql)
        self.params = stmt.params
        # The rows an insert added and the highest rowid among them, in one round trip.
        self.sql = f"WITH ins AS ({sql} RETURNING rowid) SELECT count(*), max(rowid) FROM ins"

    def run(
        self, cur: psycopg.Cursor[Any], window: dict[str, int] | None = None
    ) -> tuple[int, int]:
        values = {**self.params, **window} if window else self.params
        cur.execute(self.sql, [values[n] for n in self.names])
        found = cur.fetchone()
        if found is None or not found[0]:
            return 0, 0
        return int(found[0]), int(found[1])


def _evaluate_stratum(
    cur: psycopg.Cursor[Any],
    stratum: Stratum,
    schema: Schema,
    limits: Limits,
    counts: dict[str, int],
    high: dict[str, int],
) -> None:
    rels = stratum.relations
    variants: list[tuple[_Prepared, str, str]] = []
    for clause in stratum.clauses:
        positions = delta_positions(clause, rels) if stratum.recursive else ()
        if not positions:
            added, last = _Prepared(compile_rule(clause, schema, dialect=POSTGRES)).run(cur)
            _grow(clause.head.rel, added, last, counts, high, limits)
            continue
        positives = [lit for lit in clause.body if isinstance(lit, Atom)]
        for pos in positions:
            stmt = compile_rule(clause, schema, delta=pos, dialect=POSTGRES)
            variants.append((_Prepared(stmt), positives[pos].rel, clause.head.rel))
    if not variants:
        return
    low = dict.fromkeys(rels, 0)
    top = {rel: high[rel] for rel in rels}
    rounds = 0
    while any(top[r] > low[r] for r in rels):
        rounds += 1
        if rounds > limits.max_rounds:
            raise rounds_exceeded([r for r in rels if top[r] > low[r]], limits)
        for prepared, rel, head in variants:
            if top[rel] > low[rel]:
                added, last = prepared.run(cur, {"dlo": low[rel], "dhi": top[rel]})
                _grow(head, added, last, counts, high, limits)
        low, top = top, {rel: high[rel] for rel in rels}


def _grow(
    rel: str, added: int, top: int, counts: dict[str, int], high: dict[str, int], limits: Limits
) -> None:
    counts[rel] += added
    high[rel] = max(high[rel], top)
    if counts[rel] > limits.max_rows:
        raise EvaluationError(
            f"relation {rel} has more than {limits.max_rows} rows (limit max_rows); "
            "is there runaway arithmetic recursion?"
        )
