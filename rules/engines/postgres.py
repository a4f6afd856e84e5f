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
* A derived table has a ``rowid`` column: PostgreSQL has no rowid.  It holds the
  *tick* of the statement batch that inserted the row (a counter the engine moves
  on before each round, read by the column's default), so a round's delta is the
  rows whose tick lies in a window, as the SQL engine's rowid windows are.
* Keys and lookups are B-trees where every key fits one (about 2.7 kB an entry);
  where a symbol could be longer (:func:`_short_symbols`), the unique key hashes
  symbol columns (``md5``) and lookups on a symbol use hash indexes.
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
from deniable.rules.ast import Atom, Call, Str
from deniable.rules.checked import CheckedProgram, Stratum
from deniable.rules.dialects import POSTGRES
from deniable.rules.engines.base import (
    Derivation,
    Limits,
    declared_value,
    integer_overflow,
    rounds_exceeded,
)
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
    walk,
)

if TYPE_CHECKING:
    import psycopg

#: Rows written into SQLite per batch on the way back.
BATCH = 50_000
#: The setting that numbers statement batches; a derived row's ``rowid`` is its value.
TICK = "deniable.tick"


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
            with self._failures(con):
                cur = con.cursor()
                self._check_encoding(cur)
                _open_schema(cur, schema_name)
                columns, counts = _evaluate_program(
                    cur, program, db, limits, unlogged=self.keep_schema is None
                )
                with db.atomic():
                    for rel in program.idb:
                        if rel in objects:
                            db.execute(f"DROP TABLE {quote(rel)}")
                        table, *keys = create_table(rel, columns[rel], program.relations[rel].types)
                        db.execute(table)
                        _copy_out(cur, db, rel, columns[rel])
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

    def _check_encoding(self, cur: psycopg.Cursor[Any]) -> None:
        """Refuse a database whose text is not UTF-8: ``strlen``, ``substr`` and ``ord``
        would count bytes (``SQL_ASCII``) or fail on characters it cannot hold."""
        cur.execute("SELECT current_setting('server_encoding')")
        found = cur.fetchone()
        encoding = str(found[0]) if found else "?"
        if encoding.upper() not in ("UTF8", "UTF-8"):
            raise ServerError(
                f"the database's encoding is {encoding}; the postgres engine needs UTF8 "
                "(CREATE DATABASE … ENCODING 'UTF8', or initdb --encoding=UTF8)",
                Location(redact(self.dsn)),
            )

    @contextlib.contextmanager
    def _failures(self, con: psycopg.Connection[Any]) -> Iterator[None]:
        """psycopg's errors as one line: a lost server names the DSN, a refused statement not."""
        import psycopg

        try:
            yield
        except psycopg.Error as error:
            if con.broken:
                raise ServerError(
                    f"lost the connection to PostgreSQL: {first_line(error)}",
                    Location(redact(self.dsn)),
                ) from None
            if isinstance(error, psycopg.errors.NumericValueOutOfRange):
                raise integer_overflow(f"PostgreSQL: {first_line(error)}") from None
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
    cur: psycopg.Cursor[Any],
    program: CheckedProgram,
    db: Database,
    limits: Limits,
    *,
    unlogged: bool,
) -> tuple[dict[str, tuple[str, ...]], dict[str, int]]:
    """Copy the inputs in, create the derived tables and evaluate every stratum.

    ``unlogged`` tables skip the write-ahead log: right for a derivation rolled back at
    the end, not for a kept one, which must survive a server crash.
    """
    inputs = input_relations(program)
    columns = {rel: relation_columns(db, rel) for rel in inputs}
    columns.update({rel: table_columns(program.relations[rel].attributes) for rel in program.idb})
    types = {name: info.types for name, info in program.relations.items()}
    for rel in (*inputs, *program.idb):
        quote_name(rel)  # refuses what PostgreSQL would cut or reject, before any work
    for rel in inputs:
        arity = program.relations[rel].arity
        _copy_in(cur, db, rel, columns[rel][:arity], types[rel], unlogged=unlogged)
        cur.execute(f"ANALYZE {quote(rel)}")
    # The default of every rowid column reads the tick: it must exist before any insert.
    cur.execute("SELECT set_config($1, '0', true)", [TICK])
    short = _short_symbols(cur, program, inputs, columns)
    for rel in program.idb:
        _create_derived(cur, rel, columns[rel], types[rel], unlogged=unlogged, hashed=not short)
    _create_lookups(cur, program, columns, hashed=not short)
    schema = Schema(columns, types, frozenset(program.idb))
    counts = dict.fromkeys(program.idb, 0)
    high = dict.fromkeys(program.idb, 0)
    ticks = _Ticks(cur)
    for stratum in program.strata:
        _evaluate_stratum(cur, stratum, schema, limits, counts, high, ticks)
        for rel in stratum.relations:
            # Later strata read these: the planner needs their sizes.
            cur.execute(f"ANALYZE {quote(rel)}")
    return {rel: columns[rel] for rel in program.idb}, counts


def _create_derived(
    cur: psycopg.Cursor[Any],
    rel: str,
    columns: tuple[str, ...],
    types: tuple[str, ...],
    *,
    unlogged: bool,
    hashed: bool,
) -> None:
    table, *_ = create_table(rel, columns, types, dialect=POSTGRES, keyed=False)
    cur.execute(table)
    if unlogged:
        cur.execute(f"ALTER TABLE {quote(rel)} SET UNLOGGED")
    cur.execute(
        f"ALTER TABLE {quote(rel)} ADD COLUMN rowid BIGINT NOT NULL "
        f"DEFAULT current_setting('{TICK}')::bigint"
    )
    if columns:
        key = ", ".join(
            f"md5({quote(c)})" if hashed and t == "symbol" else quote(c)
            for c, t in zip(columns, types, strict=True)
        )
        cur.execute(f"CREATE UNIQUE INDEX ON {quote(rel)} ({key})")
    cur.execute(f"CREATE INDEX ON {quote(rel)} (rowid)")


def _short_symbols(
    cur: psycopg.Cursor[Any],
    program: CheckedProgram,
    inputs: list[str],
    columns: dict[str, tuple[str, ...]],
) -> bool:
    """Whether every key a derivation builds fits a B-tree entry (about 2.7 kB).

    True when no rule joins strings (``cat``) and the longest symbol, of the inputs
    (measured on the server) and of the program's constants, times the most symbol
    columns a relation has, stays under 2,000 bytes.  Otherwise keys hash their
    symbols and lookups on symbols use hash indexes, which have no such limit.
    """
    nodes = list(walk([lit for c in program.clauses for lit in (c.head, *c.body)]))
    if any(isinstance(n, Call) and n.name == "cat" for n in nodes):
        return False
    longest = max((len(n.value.encode()) for n in nodes if isinstance(n, Str)), default=0)
    for rel in inputs:
        types = program.relations[rel].types
        cols = [c for c, t in zip(columns[rel], types, strict=False) if t == "symbol"]
        if cols:
            picked = ", ".join(f"coalesce(max(octet_length({quote(c)})), 0)" for c in cols)
            cur.execute(f"SELECT greatest(0, {picked}) FROM {quote(rel)}")
            found = cur.fetchone()
            longest = max(longest, int(found[0]) if found else 0)
    widest = max((info.types.count("symbol") for info in program.relations.values()), default=0)
    return longest * max(widest, 1) < 2_000


def _create_lookups(
    cur: psycopg.Cursor[Any],
    program: CheckedProgram,
    columns: dict[str, tuple[str, ...]],
    *,
    hashed: bool,
) -> None:
    """Indexes on the columns each relation is looked up by.

    B-trees on all of them; with ``hashed`` keys, one index on the first of them
    instead, a hash index for a symbol (any length).
    """
    wanted: dict[str, set[tuple[int, ...]]] = defaultdict(set)
    for stratum in program.strata:
        recursive = stratum.relations if stratum.recursive else ()
        for clause in stratum.clauses:
            for rel, positions in lookup_columns(clause, recursive):
                if rel in columns and positions:
                    wanted[rel].add(positions[:1] if hashed else positions)
    for rel, sets in wanted.items():
        types = program.relations[rel].types
        for positions in sorted(sets):
            cols = ", ".join(quote(columns[rel][j]) for j in positions)
            symbol = types[positions[0]] == "symbol"
            method = "hash" if hashed and symbol else "btree"
            cur.execute(f"CREATE INDEX ON {quote(rel)} USING {method} ({cols})")


def _copy_in(
    cur: psycopg.Cursor[Any],
    db: Database,
    rel: str,
    columns: tuple[str, ...],
    types: tuple[str, ...],
    *,
    unlogged: bool,
) -> None:
    """Copy relation ``rel`` of ``db`` into a new server table of the same name."""
    defs = ", ".join(
        f"{quote(c)} {POSTGRES.types.get(t, 'TEXT')}" for c, t in zip(columns, types, strict=True)
    )
    kind = "UNLOGGED TABLE" if unlogged else "TABLE"
    cur.execute(f"CREATE {kind} {quote(rel)} ({defs or '_present BIGINT'})")
    if not columns:
        if db.execute(f"SELECT 1 FROM {quote(rel)} LIMIT 1").fetchone() is not None:
            cur.execute(f"INSERT INTO {quote(rel)} VALUES (1)")
        return
    picked = ", ".join(quote(c) for c in columns)
    converters = [declared_value(t) for t in types]
    plain = all(t == "symbol" for t in types)
    rows = db.conn.execute(f"SELECT {picked} FROM {quote(rel)}")
    with cur.copy(f"COPY {quote(rel)} ({picked}) FROM STDIN") as copy:
        for row in rows:
            if plain and all(type(v) is str for v in row):
                copy.write_row(row)
            else:
                copy.write_row([f(v) for f, v in zip(converters, row, strict=True)])


def _copy_out(cur: psycopg.Cursor[Any], db: Database, rel: str, columns: tuple[str, ...]) -> None:
    """Append the server's table ``rel`` to the SQLite table of the same name, in key order."""
    every = [*columns, RULE_COLUMN, HEIGHT_COLUMN]
    picked = ", ".join(quote(c) for c in every)
    # Key order (bytes: the columns are COLLATE "C") makes SQLite's index inserts sequential.
    order = f" ORDER BY {', '.join(quote(c) for c in columns)}" if columns else ""
    marks = ", ".join("?" for _ in every)
    insert = f"INSERT INTO {quote(rel)} ({picked}) VALUES ({marks})"
    # A server-side cursor: psycopg converts a batch at a time in C, faster than COPY's rows.
    with cur.connection.cursor(name=f"deniable_out_{secrets.token_hex(4)}") as rows:
        rows.itersize = BATCH
        rows.execute(f"SELECT {picked} FROM {quote(rel)}{order}")
        while batch := rows.fetchmany(BATCH):
            db.conn.executemany(insert, batch)


class _Prepared:
    """A compiled statement with positional parameters; says how many rows it inserted."""

    def __init__(self, stmt: Statement) -> None:
        self.sql, self.names = numbered(stmt.sql)
        self.params = stmt.params

    def run(self, cur: psycopg.Cursor[Any], window: dict[str, int] | None = None) -> int:
        values = {**self.params, **window} if window else self.params
        cur.execute(self.sql, [values[n] for n in self.names])
        return max(cur.rowcount, 0)


class _Ticks:
    """The counter behind the ``rowid`` default: one value per batch of statements."""

    def __init__(self, cur: psycopg.Cursor[Any]) -> None:
        self.cur = cur
        self.now = 0

    def next(self) -> int:
        self.now += 1
        self.cur.execute("SELECT set_config($1, $2, true)", [TICK, str(self.now)])
        return self.now


def _evaluate_stratum(
    cur: psycopg.Cursor[Any],
    stratum: Stratum,
    schema: Schema,
    limits: Limits,
    counts: dict[str, int],
    high: dict[str, int],
    ticks: _Ticks,
) -> None:
    rels = stratum.relations
    variants: list[tuple[_Prepared, str, str]] = []
    tick = ticks.next()
    for clause in stratum.clauses:
        positions = delta_positions(clause, rels) if stratum.recursive else ()
        if not positions:
            added = _Prepared(compile_rule(clause, schema, dialect=POSTGRES)).run(cur)
            _grow(clause.head.rel, added, tick, counts, high, limits)
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
        tick = ticks.next()
        for prepared, rel, head in variants:
            if top[rel] > low[rel]:
                added = prepared.run(cur, {"dlo": low[rel], "dhi": top[rel]})
                _grow(head, added, tick, counts, high, limits)
        low, top = top, {rel: high[rel] for rel in rels}


def _grow(
    rel: str, added: int, top: int, counts: dict[str, int], high: dict[str, int], limits: Limits
) -> None:
    counts[rel] += added
    if added:
        high[rel] = max(high[rel], top)
    if counts[rel] > limits.max_rows:
        raise EvaluationError(
            f"relation {rel} has more than {limits.max_rows} rows (limit max_rows); "
            "is there runaway arithmetic recursion?"
        )
