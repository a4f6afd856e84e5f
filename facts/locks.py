"""Sharing one store file between processes: wait for another's lock, say so, fail in one line.

SQLite lets one connection write at a time.  The store keeps SQLite's rollback
journal (not WAL: a WAL store could not be read from a read-only folder, and a
read-only open would leave ``-wal`` and ``-shm`` files beside it), so a writer
also keeps readers out while it commits, or for the rest of a transaction whose
changes no longer fit in its cache (a large ``derive``).

Every connection therefore waits for a lock up to :func:`lock_timeout` seconds
(``$DENIABLE_LOCK_TIMEOUT``, default 60).  Writes start with ``BEGIN IMMEDIATE``:
a deferred transaction that read first and then wants to write can be refused at
once, without waiting, when another writer is committing (SQLite's deadlock
rule).  When a lock is not free within a moment, one line says the command is
waiting; when it is still not free at the timeout, a :class:`StoreError` names
the file and what to do.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

from sqlite_utils import Database

from deniable.errors import Location, StoreError, UsageError

__all__ = [
    "DEFAULT_TIMEOUT",
    "LOCKED",
    "TIMEOUT_ENV",
    "LockingDatabase",
    "is_busy",
    "lock_timeout",
    "locked_error",
    "probe_write",
    "reading",
    "set_timeout",
    "stderr_note",
    "waiting_for",
]

#: The environment variable that sets how long a command waits for a lock, in seconds.
TIMEOUT_ENV = "DENIABLE_LOCK_TIMEOUT"
DEFAULT_TIMEOUT = 60.0
#: The code of :func:`locked_error`'s error, so that callers can tell it from others.
LOCKED = "locked"
#: How long a lock is waited for before the wait is announced, in seconds.
_QUIET_WAIT = 0.5
# SQLite's primary result codes for "another connection holds the lock".
_BUSY_CODES = frozenset({5, 6})  # SQLITE_BUSY, SQLITE_LOCKED

T = TypeVar("T")
Note = Callable[[str], None]


def stderr_note(line: str) -> None:
    """Print one line of news on standard error (the default for every ``note``)."""
    print(line, file=sys.stderr, flush=True)


def lock_timeout() -> float:
    """How long to wait for another process's lock: ``$DENIABLE_LOCK_TIMEOUT`` seconds, or 60.

    Raises:
        UsageError: the variable is set to something that is not a number of seconds.
    """
    text = os.environ.get(TIMEOUT_ENV, "").strip()
    if not text:
        return DEFAULT_TIMEOUT
    try:
        seconds = float(text)
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds < 1e7:
        raise UsageError(
            f"{TIMEOUT_ENV}={text!r} is not a number of seconds; set it to e.g. 60, or unset it"
        )
    return seconds


def is_busy(error: BaseException) -> bool:
    """Whether ``error`` is SQLite saying another connection holds the lock."""
    if not isinstance(error, sqlite3.OperationalError):
        return False
    code = getattr(error, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in _BUSY_CODES
    return "database is locked" in str(error) or "database table is locked" in str(error)


def locked_error(path: Path | None, seconds: float) -> StoreError:
    """The one-line error of a lock another process held for longer than ``seconds``."""
    where = Location(str(path)) if path is not None else None
    return StoreError(
        f"another process kept the store locked for {seconds:g} s (writing it); try again "
        f"when it is done, or wait longer with {TIMEOUT_ENV}=SECONDS",
        where,
        code=LOCKED,
    )


def set_timeout(conn: sqlite3.Connection, seconds: float) -> None:
    """Make ``conn`` wait up to ``seconds`` for a lock before SQLite reports it busy."""
    conn.execute(f"PRAGMA busy_timeout = {int(seconds * 1000)}")


def waiting_for(
    conn: sqlite3.Connection,
    attempt: Callable[[], T],
    *,
    path: Path | None,
    what: str,
    note: Note | None = None,
) -> T:
    """Run ``attempt`` (which takes a lock), waiting for another process's lock if need be.

    It is tried with a short wait first; if the lock is still taken, ``note`` hears
    one line (``path: waiting for … to finish``) and it is tried again with the
    full :func:`lock_timeout`.  ``what`` says what is waited for ("write", "read").

    Raises:
        StoreError: the lock was not free within the timeout.
    """
    timeout = lock_timeout()
    set_timeout(conn, min(_QUIET_WAIT, timeout))
    try:
        return attempt()
    except sqlite3.OperationalError as error:
        if not is_busy(error) or timeout <= _QUIET_WAIT:
            if is_busy(error):
                raise locked_error(path, timeout) from None
            raise
    finally:
        set_timeout(conn, timeout)
    label = str(path) if path is not None else "<memory>"
    (note or stderr_note)(
        f"{label}: another process is writing this store; waiting up to {timeout:g} s to {what} it"
    )
    try:
        return attempt()
    except sqlite3.OperationalError as error:
        if is_busy(error):
            raise locked_error(path, timeout) from None
        raise


class LockingDatabase(Database):
    """A :class:`sqlite_utils.Database` whose write transactions wait for the lock first.

    :meth:`atomic` begins the outermost transaction with ``BEGIN IMMEDIATE`` through
    :func:`waiting_for`; nested blocks stay savepoints.
    """

    def __init__(
        self, conn: sqlite3.Connection, *, path: Path | None, note: Note | None = None
    ) -> None:
        super().__init__(conn)
        self.store_path = path
        self.note = note
        set_timeout(conn, lock_timeout())

    @contextlib.contextmanager
    def atomic(self) -> Iterator[Database]:
        """A transaction: committed when the block ends, rolled back if it raises."""
        if self.conn.in_transaction:
            with super().atomic():
                yield self
            return

        def begin() -> None:
            self.conn.execute("BEGIN IMMEDIATE")

        waiting_for(self.conn, begin, path=self.store_path, what="write", note=self.note)
        try:
            yield self
        except BaseException:
            self.rollback()
            raise
        try:
            self.conn.execute("COMMIT")
        except sqlite3.OperationalError as error:
            self.rollback()
            if is_busy(error):
                # Readers kept the file for the whole timeout: nothing was written.
                raise locked_error(self.store_path, lock_timeout()) from None
            raise
        except BaseException:
            self.rollback()
            raise


def probe_write(conn: sqlite3.Connection, path: Path | None, note: Note | None = None) -> None:
    """Take the write lock (waiting for another process's) and write nothing.

    A command that is going to write calls this before it reads its input, so that a
    lock held past the timeout is one error, not one per document; SQLite refusing
    the write (a read-only file) raises its :class:`sqlite3.Error`.
    """
    if conn.in_transaction:
        conn.execute("SAVEPOINT deniable_write_probe")
        try:
            conn.execute("DELETE FROM meta WHERE 0")
        finally:
            conn.execute("ROLLBACK TO deniable_write_probe")
            conn.execute("RELEASE deniable_write_probe")
        return

    def probe() -> None:
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.execute("DELETE FROM meta WHERE 0")
        finally:
            conn.execute("ROLLBACK")

    waiting_for(conn, probe, path=path, what="write", note=note)


@contextlib.contextmanager
def reading(conn: sqlite3.Connection, path: Path | None) -> Iterator[None]:
    """A read transaction on ``conn`` for the block, its lock waited for (:func:`waiting_for`)."""
    if conn.in_transaction:
        yield
        return

    def begin() -> None:
        conn.execute("BEGIN")
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except BaseException:
            conn.execute("ROLLBACK")
            raise

    waiting_for(conn, begin, path=path, what="read")
    try:
        yield
    finally:
        conn.execute("ROLLBACK")
