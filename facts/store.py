"""The fact store: documents, sentences, entities and facts with evidence in one SQLite file.

:class:`FactStore` wraps a :class:`sqlite_utils.Database` whose schema
(:mod:`deniable.facts.schema`) keeps the data in tables and presents the
relations rules read as views.  Every write happens in one transaction, so a
failed write leaves the store as it was.  Values always travel as SQL
parameters; the few identifiers built at run time go through
:func:`sqlite_utils.db.quote_identifier`.  This module opens and closes a store;
its writes are :mod:`deniable.facts.store_writes`, its reads
:mod:`deniable.facts.store_reads`.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from types import TracebackType
from urllib.parse import parse_qs, unquote, urlsplit

from sqlite_utils import Database

from deniable.errors import Location, StoreError
from deniable.facts import creation, interrupted, locks, schema
from deniable.facts.access import write_blocker
from deniable.facts.keys import content_hash, fold, fts_query
from deniable.facts.locks import LockingDatabase
from deniable.facts.records import (
    EntityFact,
    EntityInfo,
    EvidenceRow,
    SearchHit,
    StoreStats,
)
from deniable.facts.store_writes import StoreWrites

__all__ = [
    "EntityFact",
    "EntityInfo",
    "EvidenceRow",
    "FactStore",
    "SearchHit",
    "StoreStats",
    "content_hash",
    "fold",
    "fts_query",
]


class FactStore(StoreWrites):
    """A deniable fact store over one SQLite database.

    Open with :meth:`open` (a file) or :meth:`memory` (tests); use as a context
    manager to close it.  ``db`` is the underlying :class:`sqlite_utils.Database`.
    """

    def __init__(self, db: Database, path: Path | None, *, read_only: str | None = None) -> None:
        self.db = db
        self.path = path
        #: Why this store cannot be written (``None`` when it can), for error messages.
        self.read_only = read_only
        # SQLite leaves foreign keys off unless each connection asks.
        db.execute("PRAGMA foreign_keys = ON")
        try:
            schema.upgrade_schema(db, writable=read_only is None)
        except sqlite3.Error as error:
            where = Location(str(path)) if path is not None else None
            raise StoreError(f"cannot upgrade this fact store: {error}", where) from None

    # ------------------------------------------------------------------ opening

    @classmethod
    def open(
        cls, path: str | Path, *, create: bool = True, on_wait: locks.Note | None = None
    ) -> FactStore:
        """Open the store at ``path``, creating it when missing and ``create`` is true.

        ``path`` may be an SQLite URI such as ``file:facts.db?mode=ro``, which opens
        the store read-only: it answers queries, and writes are refused with
        :meth:`ensure_writable`'s message.  While another process holds the file's
        lock, reads and writes wait for it (:mod:`deniable.facts.locks`); ``on_wait``
        hears the one line saying so (default: standard error).

        Raises:
            StoreError: the file is missing (``create=False``), unreadable, not a
                deniable database, or of another schema version; or it is missing
                and cannot be created there (read-only folder).
        """
        path, uri, read_only = _target(path)
        if path.is_dir():
            raise StoreError(f"{path} is a folder, not a fact store; give a file with --db")
        if not path.exists():
            if not create or read_only is not None:
                raise StoreError(
                    f"no fact store at {path}; run `deniable ingest` or `deniable demo` first"
                )
            if not path.parent.exists():
                raise StoreError(f"cannot create a fact store at {path}: no folder {path.parent}")
            blocker = write_blocker(path)
            if blocker is not None:
                raise StoreError(f"cannot create a fact store here: {blocker}", Location(str(path)))
        elif uri is None:
            read_only = _store_write_blocker(path)
            if read_only is not None:
                # Opened read-only, so that no write gets through even where the system
                # would allow it (root ignores permission bits).
                uri = path.resolve().as_uri() + "?mode=ro"
        try:
            # The REPL may complete names from a worker thread; sqlite3 serialises access.
            conn = (
                sqlite3.connect(uri, uri=True, check_same_thread=False)
                if uri is not None
                else sqlite3.connect(str(path), check_same_thread=False)
            )
            db = LockingDatabase(conn, path=path, note=on_wait)
            # The first read takes a lock: wait (and say so) while another process writes.
            tables = locks.waiting_for(conn, db.table_names, path=path, what="read", note=on_wait)
        except sqlite3.Error as error:
            if read_only is not None and interrupted.has_hot_journal(error, path):
                return cls._rolled_back(path, read_only, on_wait)
            if not os.access(path, os.R_OK):
                raise StoreError(
                    f"cannot read the fact store: {error}", Location(str(path))
                ) from None
            raise StoreError(f"{path} is not a deniable fact store ({error})") from None
        try:
            if not tables and create and read_only is None:
                creation.create_store(db)
            elif not tables:
                # What a process killed while creating the store leaves behind.
                raise StoreError(
                    "holds no fact store yet (the database is empty); run `deniable ingest` first",
                    Location(str(path)),
                )
            schema.check_schema(db, str(path))
        except sqlite3.Error as error:
            db.close()
            raise StoreError(f"cannot create a fact store: {error}", Location(str(path))) from None
        except BaseException:
            db.close()
            raise
        try:
            return cls(db, path, read_only=read_only)
        except BaseException:
            db.close()
            raise

    @classmethod
    def _rolled_back(cls, path: Path, read_only: str, note: locks.Note | None) -> FactStore:
        """The read-only store at ``path``, a crash's write rolled back in a copy in memory."""
        try:
            db = interrupted.rolled_back_copy(path)
        except (OSError, sqlite3.Error) as error:
            raise StoreError(
                "a write was interrupted and the store is read-only, so it cannot be rolled "
                f"back; open it writable once ({error})",
                Location(str(path)),
            ) from None
        journal = interrupted.journal_of(path).name
        (note or locks.stderr_note)(interrupted.NOTE.format(path=path, journal=journal))
        try:
            schema.check_schema(db, str(path))
            return cls(db, path, read_only=read_only)
        except BaseException:
            db.close()
            raise

    def ensure_writable(self, action: str) -> None:
        """Raise :class:`StoreError` naming the file and the cause unless the store can be written.

        ``action`` completes "cannot …" ("derive into this store").  Besides
        what :meth:`open` saw (a ``mode=ro`` URI, permission bits), SQLite is asked:
        a write that changes nothing, rolled back, fails the way a real one would.
        The write lock is taken for it, so while another process writes this waits
        (:mod:`deniable.facts.locks`), and a lock held past the timeout is its error.
        """
        reason = self.read_only
        if reason is None:
            try:
                locks.probe_write(self.db.conn, self.path, getattr(self.db, "note", None))
            except sqlite3.Error as error:
                reason = f"SQLite cannot write it ({error})"
        if reason is not None:
            where = Location(str(self.path)) if self.path is not None else None
            raise StoreError(f"cannot {action}: {reason}", where)

    @classmethod
    def memory(cls) -> FactStore:
        """Return a new, empty store in memory."""
        db = Database(memory=True)
        schema.create_schema(db)
        return cls(db, None)

    def snapshot(self) -> FactStore:
        """Return an in-memory copy of this store (same ``path``, for display).

        The backup API copies pages, FTS index included, in one consistent read;
        writes to the copy never reach the file.
        """
        copy = Database(memory=True)
        # The backup would otherwise retry a lock a writer holds for ever, silently.
        with locks.reading(self.db.conn, self.path):
            self.db.conn.backup(copy.conn)
        return FactStore(copy, self.path)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> FactStore:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"FactStore({str(self.path) if self.path else ':memory:'})"


def _target(path: str | Path) -> tuple[Path, str | None, str | None]:
    """The file, the URI to open it with (``None``: a plain path), and why it is read-only."""
    text = str(path)
    if not text.startswith("file:"):
        return Path(text), None, None
    parts = urlsplit(text)
    params = parse_qs(parts.query)
    file = Path(unquote(parts.path))
    if "ro" in params.get("mode", []) or "1" in params.get("immutable", []):
        return file, text, "it was opened read-only (mode=ro)"
    return file, text, None


def _store_write_blocker(path: Path) -> str | None:
    """Why the store file cannot be written: the file itself, or its folder (the journal)."""
    blocker = write_blocker(path)
    if blocker is None:
        folder = write_blocker(path.parent)
        if folder is not None:
            blocker = f"{folder}, and SQLite writes its journal beside the store"
    return blocker
