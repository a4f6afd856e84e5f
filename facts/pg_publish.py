"""Publish a store's tables into a PostgreSQL schema (``deniable export --to postgresql://…``).

Every table and view of the store goes, as a table of the same name: documents,
sentences, statements, entities and the rest of the store's own tables, the
relations rules read (``called``, ``statement`` … materialised from their views)
and the derived relations with their ``_rule``/``_height`` columns, beside the
``derived_relations`` registry and ``rule_text``.  Left out: SQLite's own tables,
the full-text index's shadow tables and the copies an incremental derive keeps.
A table ``_publication`` says when, from which store file and generation.

A publication is one server transaction: the tables are built in a fresh staging
schema, then the previous schema of that name is dropped and the staging one
renamed to it.  Readers see the old publication or the new one, never a part; a
failure leaves the old one as it was.  Values go through ``COPY`` unchanged (text
stays text byte for byte); a column holding values of several SQLite types is
published as text, and a NUL in a text value is refused (PostgreSQL's text cannot
hold it) with nothing published.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from deniable.errors import Location, ServerError, UsageError
from deniable.facts import generation
from deniable.facts.postgres import connect, first_line, quote_name, redact
from deniable.facts.store import FactStore

if TYPE_CHECKING:
    import psycopg

#: The schema ``--schema`` defaults to.
DEFAULT_SCHEMA = "deniable"
# SQLite's storage classes and the PostgreSQL column type each publishes as.
_TYPES = {"integer": "BIGINT", "real": "DOUBLE PRECISION", "text": "TEXT", "blob": "BYTEA"}
# Objects of the store that are SQLite's or a derive's own bookkeeping, not data.
_SKIPPED_PREFIXES = ("sqlite_", "sentences_fts", "derive_input:")


@dataclass(frozen=True, slots=True)
class Publication:
    """What one export to a server published."""

    target: str
    schema: str
    tables: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    def __str__(self) -> str:
        rows = sum(self.tables.values())
        return (
            f"published {len(self.tables)} tables ({rows} rows) into schema {self.schema} "
            f"of {self.target} in {self.seconds:.1f} s"
        )


def publish(
    store: FactStore, dsn: str, *, schema: str = DEFAULT_SCHEMA, grant: str | None = None
) -> Publication:
    """Replace schema ``schema`` on the server at ``dsn`` by the store's tables, atomically.

    ``grant`` names a role (or ``PUBLIC``) given read access to the publication.

    Raises:
        ServerError: the server cannot be reached or refuses the publication (a
            NUL in a value, no right to create a schema); nothing is changed there.
    """
    started = time.perf_counter()
    target = quote_name(schema)
    staging = f"deniable_publish_{secrets.token_hex(6)}"
    con = connect(dsn)
    try:
        cur = con.cursor()
        try:
            cur.execute(f"CREATE SCHEMA {quote_name(staging)}")
            tables = {name: _publish_table(cur, store, staging, name) for name in _names(store)}
            _record(cur, store, staging)
            cur.execute(f"DROP SCHEMA IF EXISTS {target} CASCADE")
            cur.execute(f"ALTER SCHEMA {quote_name(staging)} RENAME TO {target}")
            if grant is not None:
                role = "PUBLIC" if grant.upper() == "PUBLIC" else quote_name(grant)
                cur.execute(f"GRANT USAGE ON SCHEMA {target} TO {role}")
                cur.execute(f"GRANT SELECT ON ALL TABLES IN SCHEMA {target} TO {role}")
            con.commit()
        except _psycopg_error() as error:
            raise ServerError(
                f"cannot publish into schema {schema}: {first_line(error)}", Location(redact(dsn))
            ) from None
    finally:
        con.close()
    return Publication(redact(dsn), schema, tables, time.perf_counter() - started)


def _psycopg_error() -> type[Exception]:
    import psycopg

    return psycopg.Error


def _names(store: FactStore) -> list[str]:
    rows = store.db.execute(
        "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') ORDER BY name"
    ).fetchall()
    return [r[0] for r in rows if not r[0].startswith(_SKIPPED_PREFIXES)]


def _publish_table(cur: psycopg.Cursor[Any], store: FactStore, schema: str, name: str) -> int:
    """Create ``schema.name`` typed after the values stored and copy the rows in; count them."""
    table = f"{quote_name(schema)}.{quote_name(name)}"
    columns = [r[1] for r in store.db.execute(f"PRAGMA table_info({quote_name(name)})")]
    kinds = _storage_classes(store, name, columns)
    types = [_column_type(kinds[c]) for c in columns]
    defs = ", ".join(f"{quote_name(c)} {t}" for c, t in zip(columns, types, strict=True))
    cur.execute(f"CREATE TABLE {table} ({defs})")
    if not columns:
        return 0
    picked = ", ".join(quote_name(c) for c in columns)
    as_text = [t == "TEXT" for t in types]
    count = 0
    rows = store.db.conn.execute(f"SELECT {picked} FROM {quote_name(name)}")
    with cur.copy(f"COPY {table} ({picked}) FROM STDIN") as copy:
        for row in rows:
            # A mixed column is text: a number in it is written as SQLite would print it.
            copy.write_row(
                [
                    str(v) if text and v is not None and not isinstance(v, str) else v
                    for text, v in zip(as_text, row, strict=True)
                ]
            )
            count += 1
    return count


def _storage_classes(store: FactStore, name: str, columns: list[str]) -> dict[str, set[str]]:
    if not columns:
        return {}
    picked = ", ".join(
        f"(SELECT group_concat(DISTINCT typeof({quote_name(c)})) FROM {quote_name(name)})"
        for c in columns
    )
    found = store.db.execute(f"SELECT {picked}").fetchone()
    return {
        c: set((kinds or "").split(",")) - {"null", ""}
        for c, kinds in zip(columns, found, strict=True)
    }


def _column_type(kinds: set[str]) -> str:
    if kinds == {"integer"}:
        return "BIGINT"
    if kinds <= {"integer", "real"} and kinds:
        return "DOUBLE PRECISION"
    if len(kinds) == 1:
        return _TYPES[next(iter(kinds))]
    return "TEXT"  # empty (no values: nothing to keep) or mixed


def _record(cur: psycopg.Cursor[Any], store: FactStore, schema: str) -> None:
    table = f"{quote_name(schema)}._publication"
    cur.execute(f"CREATE TABLE {table} (published_at TIMESTAMPTZ, store TEXT, generation BIGINT)")
    cur.execute(
        f"INSERT INTO {table} VALUES ($1, $2, $3)",
        [
            datetime.now(UTC),
            str(store.path) if store.path is not None else None,
            generation.current(store.db),
        ],
    )


def require_server(dsn: str) -> None:
    """Refuse a ``--to`` that is not a PostgreSQL URL, before anything is read."""
    if not dsn.startswith(("postgresql://", "postgres://")):
        raise UsageError(f"--to takes a postgresql:// URL, not {redact(dsn)!r}")
