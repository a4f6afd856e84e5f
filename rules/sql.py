"""Compile rule clauses to SQL statements: one sqlglot tree a statement, rendered per target.

Every constant of a program becomes a named parameter (``@p0``, ``$p1``...); every
identifier goes through :func:`~deniable.rules.sql_schema.identifier`.  A clause
compiles to one ``INSERT OR IGNORE ... SELECT``; for semi-naive evaluation
:func:`delta_positions` lists the body atoms that read the previous round's new rows
(Mangle's ``makeDeltaRules`` as data) and :func:`compile_rule` restricts that atom to
a rowid window ``(dlo, dhi]``.

One plan serves every target: a :class:`~deniable.rules.dialects.Dialect` (SQLite by
default, DuckDB, PostgreSQL) renders the tree in its own SQL, once a statement; the
engines run the text every round.
"""

from __future__ import annotations

from collections.abc import Collection

from sqlglot import exp

from deniable.rules.ast import Clause
from deniable.rules.dialects import SQLITE, Dialect, UnaryPlus

# The compiler's parts live beside it; the names are re-exported here, the import path
# the engines, the explainer and the tests use.
from deniable.rules.sql_compiler import Body, Compiler, is_not_null
from deniable.rules.sql_plan import (
    body_relations,
    delta_positions,
    join_order,
    lookup_columns,
    walk,
)
from deniable.rules.sql_schema import (
    HEIGHT_COLUMN,
    RULE_COLUMN,
    Schema,
    Statement,
    column,
    create_table,
    identifier,
    parameter,
    quote,
    table,
    table_columns,
)


def compile_rule(
    clause: Clause,
    schema: Schema,
    *,
    delta: int | None = None,
    sort: bool = False,
    keyed: Collection[str] = (),
    dialect: Dialect = SQLITE,
) -> Statement:
    """Compile ``clause`` to ``INSERT OR IGNORE INTO head SELECT ...``.

    Args:
        clause: the clause; its head relation must be a derived table of ``schema``.
        schema: column names and types of every relation.
        delta: position of the positive body atom restricted to rowids in ``(dlo, dhi]``.
        sort: insert in key order when the head is plain columns and constants (bulk
            inserts into the unique index are several times faster in order).
        keyed: input tables with a unique index over all their columns in order; a body
            of one such atom whose head keeps that order reads the index, unsorted.
        dialect: the SQL target.
    """
    comp = Compiler(schema, clause, dialect=dialect)
    body = comp.body(clause.body, delta=delta)
    head = comp.head(clause.head, body)
    body.where.extend(null_guards(head, dialect))
    rel = clause.head.rel
    if not clause.head.args:
        # Nullary relations have no key to be unique on: insert at most one row.
        present = Body(tables=[table(rel)]).select()
        body.where.append(exp.Not(this=exp.Exists(this=present)))
    query = body.select(*head, *_provenance(comp, clause, body))
    if not clause.head.args:
        query.limit(1, copy=False)
    elif sort and clause.body and all(isinstance(h, (exp.Column, exp.Parameter)) for h in head):
        if _in_key_order(head, body, schema, keyed):
            # One table, no join order to spoil: its key index gives the rows in order.
            query.order_by(*(h.copy() for h in head), copy=False)
        else:
            # Unary + keeps the planner from picking a worse join order to avoid the sort.
            query.order_by(*(UnaryPlus(this=h.copy()) for h in head), copy=False)
    cols = [*comp.columns(rel, len(clause.head.args)), RULE_COLUMN, HEIGHT_COLUMN]
    target = exp.Schema(this=table(rel), expressions=[identifier(c) for c in cols])
    insert = exp.Insert(this=target, expression=query)
    # A nullary table has no key for OR IGNORE to act on (DuckDB then refuses it).
    if clause.head.args:
        dialect.skip_existing(insert)
    return Statement(dialect.render(insert), comp.params)


def _in_key_order(head: list[exp.Expr], body: Body, schema: Schema, keyed: Collection[str]) -> bool:
    """Whether ``head`` is a prefix of the columns, in order, of the one keyed table ``body``
    reads (so that table's unique index yields the rows already sorted)."""
    if len(body.atoms) != 1 or len(body.tables) != 1:
        return False
    atom, alias = body.atoms[0]
    if atom.rel not in keyed or atom.rel in schema.derived:
        return False
    wanted = [column(alias, c) for c in schema.columns[atom.rel][: len(head)]]
    return len(head) <= len(wanted) and head == wanted


def _provenance(comp: Compiler, clause: Clause, body: Body) -> list[exp.Expr]:
    """The ``_rule`` and ``_height`` values of the rows ``clause`` derives."""
    height = exp.Literal.number(0) if clause.is_fact else comp.height(body)
    return [comp.param(clause.index), height]


def null_guards(head: list[exp.Expr], dialect: Dialect) -> list[exp.Expr]:
    """Conditions that drop a row with a NULL head value where the target would fail on it.

    A NULL (division by zero, a bad number, a NULL stored value) yields no row, as in
    Soufflé; SQLite's ``INSERT OR IGNORE`` skips such a row by itself.
    """
    if dialect.ignore_skips_nulls:
        return []
    return [is_not_null(h.copy()) for h in head if not isinstance(h, exp.Parameter)]


def compile_grouped(
    rel: str, clauses: list[Clause], schema: Schema, *, dialect: Dialect
) -> Statement:
    """One ``INSERT`` of every row ``clauses`` (all with head ``rel``) derive, grouped.

    Every clause's rows in one ``UNION ALL``, grouped on the attributes; a row keeps the
    provenance of the lowest-numbered clause deriving it (DuckDB's ``arg_min``).
    """
    selects: list[exp.Expr] = []
    params: dict[str, object] = {}
    for i, clause in enumerate(clauses):
        # Parameter names start with the clause's number: the SELECTs share one statement.
        comp = Compiler(schema, clause, dialect=dialect, prefix=f"c{i}_")
        body = comp.body(clause.body)
        head = comp.head(clause.head, body)
        body.where.extend(null_guards(head, dialect))
        selects.append(body.select(*head, *_provenance(comp, clause, body)))
        params.update(comp.params)
    keys = [exp.column(f"k{j}") for j in range(len(schema.columns[rel]))]
    named = [*(k.this.copy() for k in keys), exp.to_identifier("r"), exp.to_identifier("h")]
    derived = exp.Subquery(
        this=union(selects, distinct=False),
        alias=exp.TableAlias(this=exp.to_identifier("derived"), columns=named),
    )
    rule, height = exp.column("r"), exp.column("h")
    picked = [*keys, exp.Min(this=rule), exp.ArgMin(this=height, expression=rule.copy())]
    grouped = exp.Select(expressions=picked).from_(derived, copy=False)
    grouped.group_by(*(k.copy() for k in keys), copy=False)
    cols = [*schema.columns[rel], RULE_COLUMN, HEIGHT_COLUMN]
    target = exp.Schema(this=table(rel), expressions=[identifier(c) for c in cols])
    return Statement(dialect.render(exp.Insert(this=target, expression=grouped)), params)


def union(selects: list[exp.Expr], *, distinct: bool) -> exp.Expr:
    """``selects`` as one query: ``UNION`` (``distinct``) or ``UNION ALL`` of them."""
    if len(selects) == 1:
        return selects[0]
    return exp.union(*selects, distinct=distinct, copy=False)


__all__ = [
    "HEIGHT_COLUMN",
    "RULE_COLUMN",
    "Body",
    "Compiler",
    "Schema",
    "Statement",
    "body_relations",
    "column",
    "compile_grouped",
    "compile_rule",
    "create_table",
    "delta_positions",
    "identifier",
    "join_order",
    "lookup_columns",
    "null_guards",
    "parameter",
    "quote",
    "table",
    "table_columns",
    "union",
    "walk",
]
