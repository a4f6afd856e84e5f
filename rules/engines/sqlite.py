"""The default engine: semi-naive evaluation of a checked program as SQL inside SQLite.

Each stratum compiles to ``INSERT OR IGNORE ... SELECT`` statements (see
:mod:`deniable.rules.sql`).  Rows are never deleted during a derive, so the rows a
round adds are exactly those with a rowid above the previous high-water mark: the
delta of a relation is a rowid window of its own table, with no copies.
"""

from __future__ import annotations

import sqlite3
import time
from collections import defaultdict

from sqlglot import exp
from sqlite_utils import Database

from deniable.errors import EvaluationError
from deniable.rules.ast import Atom, Num, Str, Term, Var, Wildcard
from deniable.rules.checked import CheckedProgram, Stratum
from deniable.rules.dialects import SQLITE
from deniable.rules.engines.base import (
    Derivation,
    Limits,
    integer_overflow,
    rounds_exceeded,
)
from deniable.rules.functors import FUNCTIONS
from deniable.rules.sql import (
    HEIGHT_COLUMN,
    RULE_COLUMN,
    Compiler,
    Schema,
    Statement,
    body_relations,
    column,
    compile_rule,
    create_table,
    delta_positions,
    identifier,
    lookup_columns,
    parameter,
    quote,
    table_columns,
)


def register_functions(conn: sqlite3.Connection) -> None:
    """Register the functors SQLite lacks (power, regex match, ...) on ``conn``."""
    for name, (nargs, fn) in FUNCTIONS.items():
        conn.create_function(name, nargs, fn, deterministic=True)


def _objects(db: Database) -> dict[str, str]:
    rows = db.execute(
        "SELECT name, type FROM sqlite_master WHERE type IN ('table', 'view') "
        "UNION ALL SELECT name, type FROM sqlite_temp_master WHERE type IN ('table', 'view')"
    ).fetchall()
    return {name: kind for name, kind in rows}


def _columns(db: Database, name: str) -> tuple[str, ...]:
    return tuple(row[1] for row in db.execute(f"PRAGMA table_info({quote(name)})").fetchall())


def is_derived_table(columns: tuple[str, ...]) -> bool:
    """A table an engine wrote ends with the ``_rule`` and ``_height`` columns."""
    return columns[-2:] == (RULE_COLUMN, HEIGHT_COLUMN)


def relation_schema(db: Database, program: CheckedProgram) -> Schema:
    """The :class:`Schema` of ``program``'s relations as they exist in ``db`` now."""
    objects = _objects(db)
    columns: dict[str, tuple[str, ...]] = {}
    derived = set()
    for name, info in program.relations.items():
        if name in objects:
            cols = _columns(db, name)
            if is_derived_table(cols):
                derived.add(name)
                cols = cols[:-2]
            columns[name] = cols
        elif name in program.idb:
            columns[name] = table_columns(info.attributes)
            derived.add(name)
    types = {name: info.types for name, info in program.relations.items()}
    return Schema(columns, types, frozenset(derived))


class SqliteEngine:
    """Evaluate a checked program inside SQLite; the default engine (``--engine sql``)."""

    name = "sql"

    def derive(
        self,
        program: CheckedProgram,
        db: Database,
        *,
        limits: Limits | None = None,
        provenance: bool = True,
    ) -> Derivation:
        """Evaluate ``program`` over ``db`` and materialise every derived relation.

        All writes happen in one transaction: on any error the previous derived
        tables are left as they were.

        Raises:
            EvaluationError: a missing input relation, a name clash with a stored
                table that is not derived, or a limit of ``limits`` reached.
        """
        limits = limits or Limits()
        started = time.perf_counter()
        register_functions(db.conn)
        _tune(db)
        idb = program.idb
        objects = _objects(db)
        check_names(program, db, objects)
        with db.atomic():
            for rel in idb:
                if rel in objects:
                    db.execute(f"DROP TABLE {quote(rel)}")
            schema = relation_schema(db, program)
            for rel in idb:
                info = program.relations[rel]
                for ddl in create_table(rel, schema.columns[rel], info.types):
                    db.execute(ddl)
            create_indexes(db, program, {rel: schema.columns[rel] for rel in idb})
            keyed = keyed_tables(db)
            for stratum in program.strata:
                _evaluate(db, stratum, schema, limits, keyed)
                _analyze(db, stratum.relations)
            check_overflow(db, program, schema)
            sizes = {rel: _count(db, rel) for rel in idb}
        return Derivation(self.name, sizes, time.perf_counter() - started)


def check_overflow(db: Database, program: CheckedProgram, schema: Schema) -> None:
    """Refuse a derivation whose integer arithmetic overflowed.

    SQLite turns an integer result beyond 64 bits into a float, which an integer
    column keeps as a float: a stored REAL in a number column is that overflow.

    Raises:
        EvaluationError: code ``integer_overflow``, naming the relation.
    """
    for rel in program.idb:
        types = program.relations[rel].types
        cols = [
            c
            for c, t in zip(schema.columns[rel], types, strict=False)
            if t in ("number", "unsigned")
        ]
        if not cols:
            continue
        found = " OR ".join(f"typeof({quote(c)}) = 'real'" for c in cols)
        if db.execute(f"SELECT 1 FROM {quote(rel)} WHERE {found} LIMIT 1").fetchone():
            raise integer_overflow(f"relation {rel} got a value SQLite could only keep as a float")


def stored_objects(db: Database) -> dict[str, str]:
    """Tables and views of ``db`` (temporary ones too): name -> ``table`` or ``view``."""
    return _objects(db)


def input_relations(program: CheckedProgram) -> list[str]:
    """The relations ``program`` reads and does not define, sorted."""
    return sorted(set().union(*map(body_relations, program.clauses)) - set(program.idb))


def check_names(program: CheckedProgram, db: Database, objects: dict[str, str]) -> None:
    """Refuse to derive over ``db`` when an input is missing or a derived name is taken.

    Raises:
        EvaluationError: a relation defined by rules is a stored table rules did not
            write (or a view), or an input relation is missing or too narrow.
    """
    for rel in program.idb:
        kind = objects.get(rel)
        if kind is None:
            continue
        if kind == "view" or not is_derived_table(_columns(db, rel)):
            raise EvaluationError(
                f"relation {rel} is defined by rules but the store already has a "
                f"{kind} {rel} that rules did not derive; rename the relation"
            )
    for rel in input_relations(program):
        if rel not in objects:
            raise EvaluationError(
                f"input relation {rel} has no table or view in the database; "
                "load it with .input or ingest facts first"
            )
        arity = program.relations[rel].arity if rel in program.relations else 0
        if len(_columns(db, rel)) < arity:
            raise EvaluationError(
                f"input relation {rel} needs {arity} columns but the stored {rel} "
                f"has {len(_columns(db, rel))}"
            )


def _tune(db: Database) -> None:
    if db.conn.in_transaction:
        return
    # Connection-local settings only: the store file's journal mode is its owner's choice.
    db.execute("PRAGMA temp_store = MEMORY")
    if db.execute("PRAGMA cache_size").fetchone()[0] > -262144:
        db.execute("PRAGMA cache_size = -262144")


def create_indexes(
    db: Database, program: CheckedProgram, columns: dict[str, tuple[str, ...]]
) -> None:
    """Index ``columns``' relations on the argument positions rules look them up by.

    Every table here has a unique index over all its columns in order, which
    already serves lookups on any prefix of them.  A lookup index ends with the
    relation's other columns: it covers the attributes a join reads, so a lookup
    is one B-tree search instead of two (14 % of same-generation's evaluation).
    """
    wanted: dict[str, set[tuple[int, ...]]] = defaultdict(set)
    for stratum in program.strata:
        recursive = stratum.relations if stratum.recursive else ()
        for clause in stratum.clauses:
            for rel, positions in lookup_columns(clause, recursive):
                if rel in columns:
                    wanted[rel].add(positions)
    for rel, sets in wanted.items():
        made: set[tuple[int, ...]] = set()
        for positions in sorted(sets):
            order = (*positions, *(j for j in range(len(columns[rel])) if j not in positions))
            if order == tuple(range(len(order))) or order in made:
                continue
            made.add(order)
            cols = ", ".join(quote(columns[rel][j]) for j in order)
            name = f"{rel}:by:{'_'.join(map(str, positions))}"
            db.execute(f"CREATE INDEX IF NOT EXISTS {quote(name)} ON {quote(rel)} ({cols})")


def index_inputs(db: Database, program: CheckedProgram) -> None:
    """Index the input tables of ``program`` on the columns its rules look up.

    For tables the caller loaded with a unique key (``deniable run``); views are skipped.
    """
    objects = _objects(db)
    tables = {
        rel: _columns(db, rel)
        for rel in program.relations
        if rel not in program.idb and objects.get(rel) == "table"
    }
    create_indexes(db, program, tables)
    _analyze(db, set(tables))


def _analyze(db: Database, relations: tuple[str, ...] | set[str]) -> None:
    # A bounded ANALYZE gives the planner row counts without scanning big tables.
    db.execute("PRAGMA analysis_limit = 1000")
    for rel in relations:
        db.execute(f"ANALYZE {quote(rel)}")


def _count(db: Database, rel: str) -> int:
    return int(db.execute(f"SELECT count(*) FROM {quote(rel)}").fetchone()[0])


def _high(db: Database, rel: str) -> int:
    # Rows are only ever appended, so max(rowid) is both a count and a watermark.
    return int(db.execute(f"SELECT coalesce(max(rowid), 0) FROM {quote(rel)}").fetchone()[0])


def _run(db: Database, stmt: Statement, extra: dict[str, int] | None = None) -> sqlite3.Cursor:
    params = {**stmt.params, **extra} if extra else stmt.params
    try:
        # The connection itself, not sqlite-utils' wrapper: a deep recursion runs one
        # statement a round for a million rounds, and per-call overhead adds up.
        return db.conn.execute(stmt.sql, params)
    except sqlite3.Error as error:
        raise EvaluationError(f"SQLite failed while evaluating: {error}") from error


def keyed_tables(db: Database) -> frozenset[str]:
    """Tables with the unique key :func:`~deniable.rules.sql.create_table` gives: an index
    over all their columns in order."""
    rows = db.conn.execute(
        "SELECT tbl_name, name FROM sqlite_master WHERE type = 'index'"
    ).fetchall()
    return frozenset(rel for rel, name in rows if name == f"{rel}:key")


def _evaluate(
    db: Database,
    stratum: Stratum,
    schema: Schema,
    limits: Limits,
    keyed: frozenset[str] = frozenset(),
) -> None:
    rels = stratum.relations
    variants: list[tuple[Statement, str, str]] = []
    for clause in stratum.clauses:
        positions = delta_positions(clause, rels) if stratum.recursive else ()
        if not positions:
            _run(db, compile_rule(clause, schema, sort=True, keyed=keyed))
            _check_rows(db, clause.head.rel, limits)
            continue
        positives = [lit for lit in clause.body if isinstance(lit, Atom)]
        for pos in positions:
            stmt = compile_rule(clause, schema, delta=pos)
            variants.append((stmt, positives[pos].rel, clause.head.rel))
    if variants:
        run_to_fixpoint(db, rels, variants, limits, low=dict.fromkeys(rels, 0))


def run_to_fixpoint(
    db: Database,
    rels: tuple[str, ...],
    variants: list[tuple[Statement, str, str]],
    limits: Limits,
    *,
    low: dict[str, int],
) -> None:
    """Run a recursive stratum's delta ``variants`` until none of ``rels`` grows.

    Each variant is a statement, the relation whose delta it reads and the relation it
    writes; the first deltas are the rows above the rowid watermarks ``low`` (all rows,
    from 0; the rows an incremental derivation added, from the old counts).
    """
    high = {rel: _high(db, rel) for rel in rels}
    rounds = 0
    while any(high[r] > low[r] for r in rels):
        rounds += 1
        if rounds > limits.max_rounds:
            raise rounds_exceeded([r for r in rels if high[r] > low[r]], limits)
        grown = dict(high)
        for stmt, rel, head in variants:
            if high[rel] > low[rel]:
                cursor = _run(db, stmt, {"dlo": low[rel], "dhi": high[rel]})
                # Rows are appended with ever larger rowids, so the statement's last
                # insert is its table's new high-water mark: no max(rowid) query a round.
                if cursor.rowcount > 0:
                    grown[head] = max(grown[head], int(cursor.lastrowid or 0))
        low, high = high, grown
        for rel in rels:
            if high[rel] > limits.max_rows:
                raise _too_many(rel, limits)


def _check_rows(db: Database, rel: str, limits: Limits) -> None:
    if _high(db, rel) > limits.max_rows:
        raise _too_many(rel, limits)


def _too_many(rel: str, limits: Limits) -> EvaluationError:
    return EvaluationError(
        f"relation {rel} has more than {limits.max_rows} rows (limit max_rows); "
        "is there runaway arithmetic recursion?"
    )


def select_atom(
    db: Database, program: CheckedProgram, atom: Atom, *, limit: int | None = None
) -> tuple[list[str], list[tuple]]:
    """Rows of ``atom.rel`` matching ``atom``: constants filter, repeated variables join,
    wildcards match anything.

    Returns:
        The variable names (first occurrence order) and the distinct, sorted rows of
        their values.
    """
    names = [a.name for a in atom.args if isinstance(a, Var)]
    columns = list(dict.fromkeys(names))
    query, params = _select_query(db, program, atom, [f"_v{i}" for i in range(len(columns))])
    if columns:
        query.order_by(*(exp.Literal.number(i + 1) for i in range(len(columns))), copy=False)
    if limit is not None:
        query.limit(parameter("limit"), copy=False)
        params = {**params, "limit": int(limit)}
    rows = [tuple(r) for r in db.execute(SQLITE.render(query), params).fetchall()]
    if not columns:
        rows = [()] if rows else []
    return columns, rows


def select_heads(db: Database, program: CheckedProgram) -> list[tuple]:
    """The distinct, sorted rows the clauses of ``program`` give, without materialising them.

    For a question asked as a rule (``rules/goals.py``): every body relation must be
    in ``db`` already; each clause is one ``SELECT`` of its head's terms.
    """
    schema = relation_schema(db, program)
    found: set[tuple] = set()
    for clause in program.clauses:
        comp = Compiler(schema, clause)
        body = comp.body(clause.body)
        text = SQLITE.render(body.select(*comp.head(clause.head, body), distinct=True))
        try:
            rows = db.execute(text, comp.params).fetchall()
        except sqlite3.Error as error:
            raise EvaluationError(f"SQLite failed while answering: {error}") from error
        found.update(tuple(r) if clause.head.args else () for r in rows)
    # Columns are typed, so values in one column compare; text after numbers, as in SQL.
    return sorted(found, key=lambda row: tuple((isinstance(v, str), v) for v in row))


def _select_query(
    db: Database, program: CheckedProgram, atom: Atom, labels: list[str]
) -> tuple[exp.Select, dict[str, object]]:
    for arg in atom.args:
        if not isinstance(arg, (Var, Wildcard, Str, Num)):
            raise EvaluationError("a query atom takes only variables, constants and _")
    schema = relation_schema(db, program)
    if atom.rel not in _objects(db):
        raise EvaluationError(f"relation {atom.rel} is not in the database; derive first")
    comp = Compiler(schema)
    body = comp.body([atom])
    seen = list(dict.fromkeys(a.name for a in atom.args if isinstance(a, Var)))
    picked = [
        exp.alias_(body.value(n), identifier(lab)) for n, lab in zip(seen, labels, strict=True)
    ]
    return body.select(*picked, distinct=True), comp.params


def matching_rows(
    db: Database, program: CheckedProgram, atom: Atom, *, limit: int | None = None
) -> list[tuple]:
    """Whole rows (every attribute) of ``atom.rel`` that match ``atom``, sorted."""
    schema = relation_schema(db, program)
    if atom.rel not in _objects(db):
        raise EvaluationError(f"relation {atom.rel} is not in the database; derive first")
    rows = select_matching(db, atom.rel, schema.columns[atom.rel][: len(atom.args)], atom.args)
    return rows if limit is None else rows[:limit]


def relation_columns(db: Database, rel: str) -> tuple[str, ...]:
    """The attribute columns of table or view ``rel`` (without ``_rule``/``_height``)."""
    cols = _columns(db, rel)
    return cols[:-2] if is_derived_table(cols) else cols


def select_matching(
    db: Database, rel: str, columns: tuple[str, ...], args: tuple[Term, ...]
) -> list[tuple]:
    """Whole rows of ``rel`` (its ``columns``) matching ``args``: constants filter, repeated
    variables must be equal, wildcards match anything.  Rows are distinct and sorted."""
    if len(args) != len(columns):
        raise EvaluationError(f"{rel} has {len(columns)} columns, the atom gives {len(args)}")
    for arg in args:
        if not isinstance(arg, (Var, Wildcard, Str, Num)):
            raise EvaluationError("a query atom takes only variables, constants and _")
    schema = Schema({rel: tuple(columns)}, {})
    comp = Compiler(schema)
    body = comp.body([Atom(rel, tuple(args))])
    alias = body.atoms[0][1]
    query = body.select(*(column(alias, c) for c in columns), distinct=True)
    query.order_by(*(exp.Literal.number(i + 1) for i in range(max(len(columns), 1))), copy=False)
    rows = [tuple(r) for r in db.execute(SQLITE.render(query), comp.params).fetchall()]
    if not columns:
        return [()] if rows else []
    return rows


# The incremental derivation (incremental.py) evaluates strata with the same machinery.
evaluate_stratum = _evaluate
high_water = _high
object_kinds = _objects
run_statement = _run
