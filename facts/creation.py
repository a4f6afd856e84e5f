"""Making a new store file whole in one transaction, so that a crash never leaves half a schema.

:func:`deniable.facts.schema.create_schema` builds the schema with scripts and
sqlite-utils' full-text setup, each of which commits on its own.  Run on a file,
a process killed between them would leave tables without the ``meta`` rows that
mark a deniable store, and the next command would refuse the file as "not a
deniable fact store".  So the schema is built once in memory and its definitions
(in creation order, without the shadow tables FTS5 makes itself) and ``meta``
rows are replayed into the file inside one ``BEGIN IMMEDIATE`` transaction, which
also settles two processes creating the same store at once: the second finds
the tables there and leaves them.
"""

from __future__ import annotations

import functools

from sqlite_utils import Database

from deniable.facts import schema

__all__ = ["create_store"]


@functools.cache
def _template() -> tuple[tuple[str, ...], tuple[tuple[str, str], ...]]:
    """The schema's DDL statements in creation order, and its ``meta`` rows."""
    # A scratch copy only read for its DDL: plugins' SQL functions are never called on it,
    # and their entry-point scan would cost milliseconds.
    db = Database(memory=True, execute_plugins=False)
    schema.create_schema(db)
    shadow = {row[1] for row in db.execute("PRAGMA table_list").fetchall() if row[2] == "shadow"}
    ddl = tuple(
        sql
        for name, sql in db.execute(
            "SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY rowid"
        ).fetchall()
        if name not in shadow
    )
    meta = tuple(db.execute("SELECT key, value FROM meta ORDER BY key").fetchall())
    db.close()
    return ddl, meta


def create_store(db: Database) -> bool:
    """Create the schema in the empty database ``db`` in one transaction; return whether it did.

    Returns ``False`` (and writes nothing) when another process created tables in
    the file since it was found empty.

    Raises:
        sqlite3.Error: SQLite could not write the file (the transaction is rolled back).
    """
    ddl, meta = _template()
    with db.atomic():
        if db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
            return False
        for statement in ddl:
            db.execute(statement)
        db.conn.executemany("INSERT INTO meta (key, value) VALUES (?, ?)", meta)
    return True
