"""Evaluation engines behind one protocol: SQLite (default), DuckDB, PostgreSQL and pyDatalog."""

from __future__ import annotations

from typing import TYPE_CHECKING

from deniable.errors import UsageError

if TYPE_CHECKING:
    from deniable.rules.engines.base import Engine

ENGINES = ("sql", "duckdb", "postgres", "pydatalog")
#: The default of ``--max-rounds``: deep enough for a chain of a million steps.
DEFAULT_MAX_ROUNDS = 2_000_000


def get_engine(
    name: str | Engine, *, dsn: str | None = None, keep_schema: str | None = None
) -> Engine:
    """Return the engine called ``name`` (one of :data:`ENGINES`), imported lazily.

    An engine already built (``postgres`` with its server) is returned as it is.
    ``dsn`` and ``keep_schema`` configure ``postgres`` (see
    :class:`~deniable.rules.engines.postgres.PostgresEngine`).

    Raises:
        UsageError: for an unknown name, or ``postgres`` without a server.
    """
    if not isinstance(name, str):
        return name
    if name == "sql":
        from deniable.rules.engines.sqlite import SqliteEngine

        return SqliteEngine()
    if name == "duckdb":
        from deniable.rules.engines.duckdb import DuckdbEngine

        return DuckdbEngine()
    if name == "postgres":
        from deniable.rules.engines.postgres import PostgresEngine

        return PostgresEngine(dsn, keep_schema=keep_schema)
    if name == "pydatalog":
        from deniable.rules.engines.pydatalog import PyDatalogEngine

        return PyDatalogEngine()
    raise UsageError(f"unknown engine {name!r}; choose one of {', '.join(ENGINES)}")
