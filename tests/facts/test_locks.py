"""Lock waiting and store creation, one process with two connections (SQLite locks them apart)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlite_utils import Database

from deniable.errors import StoreError, UsageError
from deniable.facts import creation, locks
from deniable.facts.store import FactStore


@pytest.mark.parametrize(("text", "seconds"), [("", 60.0), ("2.5", 2.5), (" 0 ", 0.0)])
def test_lock_timeout_from_the_environment(text: str, seconds: float, monkeypatch) -> None:
    monkeypatch.setenv(locks.TIMEOUT_ENV, text)
    assert locks.lock_timeout() == seconds


@pytest.mark.parametrize("text", ["soon", "-1", "nan", "1e9"])
def test_a_bad_lock_timeout_is_a_usage_error(text: str, monkeypatch) -> None:
    monkeypatch.setenv(locks.TIMEOUT_ENV, text)
    with pytest.raises(UsageError, match="is not a number of seconds"):
        locks.lock_timeout()


def test_a_write_waits_then_fails_in_one_line(db_path: Path, monkeypatch) -> None:
    monkeypatch.setenv(locks.TIMEOUT_ENV, "0.6")
    FactStore.open(db_path).close()
    holder = sqlite3.connect(db_path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    notes: list[str] = []
    with FactStore.open(db_path, on_wait=notes.append) as store:
        with pytest.raises(StoreError) as info:
            store.set_meta("note", "x")
        assert str(info.value).startswith(f"{db_path}: error: another process kept the store")
        assert notes == [
            f"{db_path}: another process is writing this store; waiting up to 0.6 s to write it"
        ]
        holder.execute("ROLLBACK")
        store.set_meta("note", "x")  # the lock is free again: written at once
        assert store.meta("note") == "x"
    holder.close()


def test_busy_is_told_from_other_errors() -> None:
    assert locks.is_busy(sqlite3.OperationalError("database is locked"))
    assert not locks.is_busy(sqlite3.OperationalError("no such table: x"))
    assert not locks.is_busy(ValueError("database is locked"))


def test_a_second_creator_leaves_the_first_ones_store(db_path: Path) -> None:
    first, second = Database(sqlite3.connect(db_path)), Database(sqlite3.connect(db_path))
    assert creation.create_store(first) is True
    first.execute("INSERT INTO meta (key, value) VALUES ('mine', 'kept')")
    first.conn.commit()
    assert creation.create_store(second) is False
    assert second.execute("SELECT value FROM meta WHERE key = 'mine'").fetchone() == ("kept",)
    with FactStore.open(db_path) as store:
        assert store.meta("mine") == "kept"
    first.close()
    second.close()
