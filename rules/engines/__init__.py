"""Evaluation engines behind one protocol: SQL inside SQLite (default), DuckDB and pyDatalog."""

from __future__ import annotations

from typing import TYPE_CHECKING

from deniable.errors import UsageError

if TYPE_CHECKING:
    from deniable.rules.engines.base import Engine

ENGINES = ("sql", "duckdb", "pydatalog")
#: The default of ``--max-rounds``: deep enough for a chain of a million steps.
DEFAULT_MAX_ROUNDS = 2_000_000


def get_engine(name: str) -> Engine:
    """Return the engine called ``name`` (``sql``, ``duckdb`` or ``pydatalog``), imported lazily.

    Raises:
        UsageError: for an unknown name.
    """
    if name == "sql":
        from deniable.rules.engines.sqlite import SqliteEngine

        return SqliteEngine()
    if name == "duckdb":
        from deniable.rules.engines.duckdb import DuckdbEngine

        return DuckdbEngine()
    if name == "pydatalog":
        from deniable.rules.engines.pydatalog import PyDatalogEngine

        return PyDatalogEngine()
    raise UsageError(f"unknown engine {name!r}; choose one of {', '.join(ENGINES)}")
