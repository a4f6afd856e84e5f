"""Rows into and out of DuckDB: from SQLite tables or staged columns in, to SQLite out.

The DuckDB engine's bulk paths, all through NumPy columns (no DuckDB extension is
loaded or downloaded, no ``executemany``): :func:`copy_in` reads a SQLite table or
view in batches, :func:`load_columns` takes the columns a run read from its facts
files, :func:`copy_out` appends a derived table to SQLite in key order.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import duckdb
import numpy as np
from sqlite_utils import Database

from deniable.rules.dialects import DUCKDB
from deniable.rules.engines.base import declared_value
from deniable.rules.sql import HEIGHT_COLUMN, RULE_COLUMN, quote

#: Rows moved between the two databases per batch (bounds the memory of a copy).
BATCH = 100_000
_NUMPY_TYPES = {"number": np.int64, "unsigned": np.int64, "float": np.float64}


def _create(
    con: duckdb.DuckDBPyConnection, rel: str, columns: tuple[str, ...], types: tuple[str, ...]
) -> None:
    defs = ", ".join(
        f"{quote(c)} {DUCKDB.types.get(t, 'VARCHAR')}" for c, t in zip(columns, types, strict=True)
    )
    con.execute(f"CREATE TABLE {quote(rel)} ({defs or '_present BIGINT'})")


def load_columns(
    con: duckdb.DuckDBPyConnection,
    rel: str,
    columns: tuple[str, ...],
    types: tuple[str, ...],
    values: list[list[Any]],
) -> None:
    """Create DuckDB table ``rel`` from columns of values already of their declared types.

    Facts files may repeat a fact: the table keeps each row once (set semantics, as
    the unique key of a SQLite input table does).
    """
    _create(con, rel, columns, types)
    batch = {
        f"c{i}": np.array(column, dtype=_NUMPY_TYPES.get(typ, object))
        for i, (column, typ) in enumerate(zip(values, types, strict=True))
    }
    _insert(con, rel, batch, distinct=True)


def _insert(
    con: duckdb.DuckDBPyConnection, rel: str, batch: dict[str, Any], distinct: bool = False
) -> None:
    """Insert the NumPy columns ``batch`` into table ``rel`` (``DISTINCT``: set semantics for
    rows that may repeat)."""
    con.register("_deniable_batch", batch)
    try:
        pick = "DISTINCT *" if distinct else "*"
        con.execute(f"INSERT INTO {quote(rel)} SELECT {pick} FROM _deniable_batch")
    finally:
        con.unregister("_deniable_batch")


def copy_in(
    db: Database,
    con: duckdb.DuckDBPyConnection,
    rel: str,
    columns: tuple[str, ...],
    types: tuple[str, ...],
) -> None:
    """Copy relation ``rel`` of ``db`` into a new DuckDB table of the same name, in batches."""
    _create(con, rel, columns, types)
    if not columns:
        if db.execute(f"SELECT 1 FROM {quote(rel)} LIMIT 1").fetchone() is not None:
            con.execute(f"INSERT INTO {quote(rel)} VALUES (1)")
        return
    picked = ", ".join(quote(c) for c in columns)
    # Duplicates are harmless (every insert is OR IGNORE, aggregates count distinct rows).
    cursor = db.conn.execute(f"SELECT {picked} FROM {quote(rel)}")
    names = [f"c{i}" for i in range(len(columns))]
    while rows := cursor.fetchmany(BATCH):
        batch = {
            name: _column(values, typ)
            for name, typ, values in zip(names, types, zip(*rows, strict=True), strict=True)
        }
        _insert(con, rel, batch)


def copy_out(
    con: duckdb.DuckDBPyConnection, db: Database, rel: str, columns: tuple[str, ...]
) -> None:
    """Append DuckDB's table ``rel`` to the SQLite table of the same name, in key order."""
    every = [*columns, RULE_COLUMN, HEIGHT_COLUMN]
    picked = ", ".join(quote(c) for c in every)
    # Key order makes SQLite's unique-index inserts sequential.
    order = f" ORDER BY {', '.join(quote(c) for c in columns)}" if columns else ""
    result = con.execute(f"SELECT {picked} FROM {quote(rel)}{order}")
    marks = ", ".join("?" for _ in every)
    insert = f"INSERT INTO {quote(rel)} ({picked}) VALUES ({marks})"
    for rows in _batches(result):
        db.conn.executemany(insert, rows)


def _batches(result: duckdb.DuckDBPyConnection) -> Iterator[list[tuple[Any, ...]]]:
    while rows := result.fetchmany(BATCH):
        yield rows


def rows_in(con: duckdb.DuckDBPyConnection, relations: list[str]) -> int:
    counts = (con.execute(f"SELECT count(*) FROM {quote(rel)}").fetchone() for rel in relations)
    return sum(int(found[0]) for found in counts if found)


def _column(values: tuple[Any, ...], typ: str) -> np.ndarray:
    """One column of a batch as a NumPy array of the column's declared type."""
    if typ in ("number", "unsigned"):
        ints = np.array(values)
        if ints.dtype.kind == "i":
            return ints
    elif typ == "symbol" and all(type(v) is str for v in values):
        return np.array(values, dtype=object)
    convert = declared_value(typ)
    return np.array([convert(v) for v in values], dtype=object)
