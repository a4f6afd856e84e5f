"""Run the ``deniable`` command and kill it with SIGKILL at its N-th SQL statement.

Used by the crash-safety tests as ``python tests/kill_runner.py ARGS…``: every
connection deniable opens to a store file gets an SQLite trace callback, which
runs as each statement starts; at statement ``$DENIABLE_KILL_AT`` it sends the
process SIGKILL, so the kill lands inside a transaction, between two statements
of one write, exactly as a crash or ``kill -9`` would.  ``$DENIABLE_KILL_AT=0``
never kills and writes the number of statements run to ``$DENIABLE_COUNT_FILE``
at exit, which tells the tests the range to pick kill points from.
``$DENIABLE_KILL_CACHE_PAGES=N`` gives each connection a page cache of N pages, so
that a write spills into the store file before its commit and a kill leaves a hot
journal behind, as a crash in the middle of a commit does.
"""

from __future__ import annotations

import atexit
import os
import signal
import sqlite3
import sys
from pathlib import Path

from deniable.cli import main

_kill_at = int(os.environ.get("DENIABLE_KILL_AT", "0"))
_count_file = os.environ.get("DENIABLE_COUNT_FILE")
_cache_pages = int(os.environ.get("DENIABLE_KILL_CACHE_PAGES", "0"))
_count = 0
_connect = sqlite3.connect


def _trace(_sql: str) -> None:
    global _count
    _count += 1
    if _count == _kill_at:
        os.kill(os.getpid(), signal.SIGKILL)


def _traced_connect(database, *args, **kwargs):  # type: ignore[no-untyped-def]
    conn = _connect(database, *args, **kwargs)
    if str(database) not in ("", ":memory:"):
        if _cache_pages:
            conn.execute(f"PRAGMA cache_size = {_cache_pages}")
        conn.set_trace_callback(_trace)
    return conn


def _write_count() -> None:
    if _count_file:
        Path(_count_file).write_text(str(_count), encoding="utf-8")


sqlite3.connect = _traced_connect  # type: ignore[assignment]
atexit.register(_write_count)
sys.exit(main(sys.argv[1:]))
