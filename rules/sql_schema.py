"""The SQL side of relations: the one quoting path, table schemas, statements and DDL.

Every identifier goes into SQL through :func:`quote` (text) or :func:`identifier` (a
sqlglot node, quoted the same way when rendered); every value is a parameter of a
:class:`Statement` (:func:`parameter`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from sqlglot import exp
from sqlite_utils.db import quote_identifier

from deniable.errors import EvaluationError
from deniable.rules.dialects import SQLITE, Dialect

RULE_COLUMN = "_rule"
HEIGHT_COLUMN = "_height"


def quote(name: str) -> str:
    """Quote a table, column or index name; the one path identifiers take into SQL.

    >>> quote('a"b')
    '"a""b"'
    """
    return quote_identifier(_checked(name))


def identifier(name: str) -> exp.Identifier:
    """A table, column or index name as a quoted sqlglot identifier.

    >>> identifier('a"b').sql()
    '"a""b"'
    """
    return exp.Identifier(this=_checked(name), quoted=True)


def column(alias: str, name: str) -> exp.Column:
    """Column ``name`` of the table aliased ``alias`` in a query."""
    return exp.Column(this=identifier(name), table=exp.to_identifier(alias))


def table(name: str, alias: str | None = None) -> exp.Table:
    """Table ``name``, aliased ``alias`` when given."""
    found = exp.Table(this=identifier(name))
    if alias is not None:
        found.set("alias", exp.TableAlias(this=exp.to_identifier(alias)))
    return found


def parameter(name: str) -> exp.Parameter:
    """The named parameter ``name`` (``@name`` in SQLite, ``$name`` in DuckDB and PostgreSQL)."""
    return exp.Parameter(this=exp.var(name))


def _checked(name: str) -> str:
    if "\x00" in name:
        raise EvaluationError(f"name {name[:40]!r} contains a NUL character; rename it")
    return name


@dataclass(frozen=True, slots=True)
class Schema:
    """What the compiler knows about relations: column names, base types, derived tables."""

    columns: Mapping[str, tuple[str, ...]]
    types: Mapping[str, tuple[str, ...]]
    # Relations stored as derived tables (with _rule/_height); others have height 0.
    derived: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Statement:
    """One SQL statement and its named parameters."""

    sql: str
    params: dict[str, object]


def table_columns(attributes: Iterable[str]) -> tuple[str, ...]:
    """Column names for a derived table: the attributes, made unique without regard to case.

    >>> table_columns(["a", "A", "_rule"])
    ('a', 'A_2', '_rule_3')
    """
    seen = {RULE_COLUMN.lower(), HEIGHT_COLUMN.lower()}
    cols = []
    for i, name in enumerate(attributes, start=1):
        col = name
        if col.lower() in seen:
            col = f"{name}_{i}"
        seen.add(col.lower())
        cols.append(col)
    return tuple(cols)


def create_table(
    rel: str,
    columns: tuple[str, ...],
    types: tuple[str, ...],
    *,
    provenance: bool = True,
    dialect: Dialect = SQLITE,
    keyed: bool = True,
) -> list[str]:
    """DDL of a table and, when ``keyed``, its unique key (set semantics); derived tables
    get ``provenance`` columns ``_rule`` and ``_height``."""
    defs = [
        f"{quote(c)} {dialect.types.get(t, '')} NOT NULL"
        for c, t in zip(columns, types, strict=True)
    ]
    integer = dialect.types["number"]
    if provenance:
        defs += [f"{quote(RULE_COLUMN)} {integer}", f"{quote(HEIGHT_COLUMN)} {integer}"]
    if not defs:
        defs = [f"_present {integer}"]
    cols = ", ".join(quote(c) for c in columns)
    if keyed and columns and dialect.unique_in_table:
        defs.append(f"UNIQUE ({cols})")
    ddl = [f"CREATE TABLE {quote(rel)} ({', '.join(defs)})"]
    if keyed and columns and not dialect.unique_in_table:
        ddl.append(f"CREATE UNIQUE INDEX {quote(f'{rel}:key')} ON {quote(rel)} ({cols})")
    return ddl
