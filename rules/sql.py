"""Compile rule clauses to SQL statements: SQL text with named parameters, and delta variants.

Every constant of a program becomes a named parameter (``:p0``, ``:p1``...); every
identifier goes through :func:`quote`.  A clause compiles to one ``INSERT OR IGNORE
... SELECT``; for semi-naive evaluation :func:`delta_positions` lists the body atoms
that read the previous round's new rows (Mangle's ``makeDeltaRules`` as data) and
:func:`compile_rule` restricts that atom to a rowid window ``(:dlo, :dhi]``.

One plan serves every target: a :class:`~deniable.rules.dialects.Dialect` (SQLite by
default, DuckDB, PostgreSQL) only decides how placeholders, types and a few operators are spelled.
"""

from __future__ import annotations

import re

from deniable.rules.ast import Clause
from deniable.rules.dialects import SQLITE, Dialect

# The compiler's parts live beside it; the names are re-exported here, the import path
# the engines, the explainer and the tests use.
from deniable.rules.sql_compiler import Body, Compiler
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
    create_table,
    quote,
    table_columns,
)

# A head column that is a plain column or a parameter: sorting by it is cheap.
_PLAIN = re.compile(r'(t\d+\."(?:[^"]|"")*"|[:$]p\d+)\Z')


def compile_rule(
    clause: Clause,
    schema: Schema,
    *,
    delta: int | None = None,
    sort: bool = False,
    dialect: Dialect = SQLITE,
) -> Statement:
    """Compile ``clause`` to ``INSERT OR IGNORE INTO head SELECT ...``.

    Args:
        clause: the clause; its head relation must be a derived table of ``schema``.
        schema: column names and types of every relation.
        delta: position of the positive body atom restricted to rowids in ``(:dlo, :dhi]``.
        sort: insert in key order when the head is plain columns and constants (bulk
            inserts into the unique index are several times faster in order).
        dialect: the SQL target.
    """
    comp = Compiler(schema, clause, dialect=dialect)
    body = comp.body(clause.body, delta=delta)
    head = comp.head(clause.head, body)
    rule = comp.param(clause.index)
    height = "0" if clause.is_fact else comp.height(body)
    cols = [quote(c) for c in comp.columns(clause.head.rel, len(clause.head.args))]
    target = ", ".join([*cols, quote(RULE_COLUMN), quote(HEIGHT_COLUMN)])
    select = ", ".join([*head, rule, height])
    body.where.extend(null_guards(head, dialect))
    where = body.where_sql()
    if not clause.head.args:
        # Nullary relations have no key to be unique on: insert at most one row.
        cond = f"NOT EXISTS (SELECT 1 FROM {quote(clause.head.rel)})"
        where = f"{where} AND {cond}" if where else f" WHERE {cond}"
        where += " LIMIT 1"
    elif sort and clause.body and all(_PLAIN.match(h) for h in head):
        # Unary + keeps the planner from picking a worse join order to avoid the sort.
        where += " ORDER BY " + ", ".join(f"+{h}" for h in head)
    # A nullary table has no key for OR IGNORE to act on (DuckDB then refuses it).
    verb, suffix = (
        (dialect.insert_ignore, dialect.ignore_suffix) if clause.head.args else ("INSERT", "")
    )
    sql = (
        f"{verb} INTO {quote(clause.head.rel)} ({target}) "
        f"SELECT {select}{body.from_sql()}{where}{suffix}"
    )
    return Statement(sql, comp.params)


def null_guards(head: list[str], dialect: Dialect) -> list[str]:
    """Conditions that drop a row with a NULL head value where the target would fail on it.

    A NULL (division by zero, a bad number, a NULL stored value) yields no row, as in
    Soufflé; SQLite's ``INSERT OR IGNORE`` skips such a row by itself.
    """
    if dialect.ignore_skips_nulls:
        return []
    return [f"{h} IS NOT NULL" for h in head if not h.startswith(dialect.marker)]


def select_rule(
    clause: Clause, schema: Schema, *, dialect: Dialect = SQLITE, prefix: str = ""
) -> Statement:
    """``SELECT head…, rule, height FROM body``: the rows ``clause`` derives, with provenance.

    Parameter names start with ``prefix`` so that several clauses can be combined in
    one statement.
    """
    comp = Compiler(schema, clause, dialect=dialect, prefix=prefix)
    body = comp.body(clause.body)
    head = comp.head(clause.head, body)
    rule = comp.param(clause.index)
    height = "0" if clause.is_fact else comp.height(body)
    body.where.extend(null_guards(head, dialect))
    select = ", ".join([*head, rule, height])
    return Statement(f"SELECT {select}{body.from_sql()}{body.where_sql()}", comp.params)


__all__ = [
    "HEIGHT_COLUMN",
    "RULE_COLUMN",
    "Body",
    "Compiler",
    "Schema",
    "Statement",
    "body_relations",
    "compile_rule",
    "create_table",
    "delta_positions",
    "join_order",
    "lookup_columns",
    "null_guards",
    "quote",
    "select_rule",
    "table_columns",
    "walk",
]
