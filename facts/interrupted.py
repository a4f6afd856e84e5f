"""A read-only store a crash left mid-write: answer from a copy with the write rolled back.

A process killed while committing leaves the store's rollback journal
(``store.db-journal``) beside it, *hot*: the next connection must roll the
interrupted write back before it reads.  SQLite cannot do that through a
read-only connection (``mode=ro``, a ``chmod a-w`` file, a read-only folder) and
says "attempt to write a readonly database" (``SQLITE_READONLY_ROLLBACK``), which
reads as if the file were no store at all.  The store is fine; only the last write
is to be undone.  :func:`rolled_back_copy` does that in a private copy of the file
and its journal, loads the result into memory and deletes the copy, so the file
and the journal are left exactly as they were and the next writable open rolls the
write back in the file itself.
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from pathlib import Path

from sqlite_utils import Database

__all__ = ["NOTE", "has_hot_journal", "journal_of", "rolled_back_copy"]

#: SQLite's extended result code: a hot journal a read-only connection cannot roll back.
_READONLY_ROLLBACK = 776

NOTE = (
    "{path}: a write was interrupted (its journal {journal} is still beside the store) and "
    "the store is read-only; answering from a copy with that write rolled back (open it "
    "writable once to roll it back in the file)"
)


def journal_of(path: Path) -> Path:
    """The rollback journal SQLite keeps beside the store ``path``."""
    return path.with_name(path.name + "-journal")


def has_hot_journal(error: sqlite3.Error, path: Path) -> bool:
    """Whether ``error`` is SQLite refusing to roll back an interrupted write of ``path``."""
    code = getattr(error, "sqlite_errorcode", None)
    if code is not None and code != _READONLY_ROLLBACK:
        return False
    return journal_of(path).is_file() and "readonly" in str(error).replace("read-only", "readonly")


def rolled_back_copy(path: Path) -> Database:
    """Return an in-memory copy of the store at ``path`` with its interrupted write undone.

    Raises:
        sqlite3.Error: the copy could not be opened (the file is not a store, or damaged).
        OSError: the file or its journal could not be copied.
    """
    with tempfile.TemporaryDirectory(prefix="deniable-rollback-") as tmp:
        copy = Path(tmp) / "store.db"
        # The journal must be copied too, under the name SQLite looks for beside the copy.
        shutil.copyfile(path, copy)
        shutil.copyfile(journal_of(path), journal_of(copy))
        source = sqlite3.connect(copy)
        try:
            # The first read rolls the hot journal back, in the copy only.
            source.execute("SELECT count(*) FROM sqlite_master").fetchone()
            memory = Database(memory=True)
            source.backup(memory.conn)
        finally:
            source.close()
    return memory
