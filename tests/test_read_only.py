"""Read-only stores, files and folders: one-line errors naming the file and the cause, exit 1.

A read-only store still answers ``query``, ``why`` and ``export``.  deniable treats a
file or folder without write permission bits as read-only even for root (which the
system would let write), so these tests hold whoever runs them; the SQLite-level
refusal is tested through ``mode=ro`` URIs, which every user gets.
"""

from __future__ import annotations

import sqlite3
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlite_utils import Database

from deniable.cli import main
from deniable.errors import StoreError
from deniable.facts.store import FactStore

ARTICLE = "Doe and Bell met\n\nJane Doe met Marcus Bell in Rome.\n"


@pytest.fixture
def derived_db(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Iterator[Path]:
    """A derived store of one article; its permissions are restored afterwards."""
    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "a.txt").write_text(ARTICLE, encoding="utf-8")
    db = tmp_path / "facts.db"
    assert main(["--db", str(db), "ingest", str(articles)]) == 0
    assert main(["--db", str(db), "derive"]) == 0
    capsys.readouterr()
    yield db
    for path in (db, tmp_path):
        path.chmod(path.stat().st_mode | stat.S_IWUSR)


def _read_only(path: Path) -> None:
    path.chmod(path.stat().st_mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))


def _one_line_error(capsys: pytest.CaptureFixture[str], *words: str) -> str:
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "internal error" not in err and "Traceback" not in err
    for word in words:
        assert word in err, err
    return err


def _ro_uri(db: Path) -> str:
    return f"file:{db}?mode=ro"


def test_derive_on_a_read_only_store_file(derived_db: Path, capsys) -> None:
    _read_only(derived_db)
    assert main(["--db", str(derived_db), "derive"]) == 1
    _one_line_error(capsys, str(derived_db), "read-only")


def test_derive_on_a_store_opened_read_only(derived_db: Path, capsys) -> None:
    assert main(["--db", _ro_uri(derived_db), "derive"]) == 1
    _one_line_error(capsys, str(derived_db), "read-only")


def test_ingest_into_a_read_only_store(derived_db: Path, tmp_path: Path, capsys) -> None:
    _read_only(derived_db)
    assert main(["--db", str(derived_db), "ingest", str(tmp_path / "articles")]) == 1
    err = _one_line_error(capsys, str(derived_db), "read-only")
    assert "unreadable" not in err
    assert main(["--db", _ro_uri(derived_db), "ingest", str(tmp_path / "articles")]) == 1
    _one_line_error(capsys, str(derived_db), "read-only")


def test_ingest_into_a_store_in_a_read_only_folder(derived_db: Path, capsys) -> None:
    # SQLite writes its journal beside the store, so the folder must be writable too.
    _read_only(derived_db.parent)
    assert main(["--db", str(derived_db), "derive"]) == 1
    _one_line_error(capsys, str(derived_db), "read-only", "journal")


def test_new_store_in_a_read_only_folder(tmp_path: Path, capsys) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    _read_only(folder)
    try:
        assert main(["--db", str(folder / "new.db"), "ingest", str(tmp_path / "a.txt")]) == 1
    finally:
        folder.chmod(0o755)
    err = _one_line_error(capsys, "new.db", str(folder), "read-only")
    assert "not a deniable fact store" not in err
    assert not (folder / "new.db").exists()


@pytest.mark.parametrize("how", ["chmod", "uri"])
def test_a_read_only_store_still_answers(derived_db: Path, how: str, capsys) -> None:
    db = _ro_uri(derived_db) if how == "uri" else str(derived_db)
    if how == "chmod":
        _read_only(derived_db)
    before = derived_db.read_bytes()
    assert main(["--db", db, "query", "contact(a, b)", "--format", "csv"]) == 0
    assert "Jane Doe,Marcus Bell" in capsys.readouterr().out
    assert main(["--db", db, "why", 'contact("Jane Doe", "Marcus Bell")']) == 0
    assert "Rome" in capsys.readouterr().out
    out = derived_db.parent / "out"
    assert main(["--db", db, "export", "--out", str(out)]) == 0
    assert (out / "met.csv").read_text(encoding="utf-8").startswith("a,b")
    assert derived_db.read_bytes() == before


def test_export_into_a_read_only_folder(derived_db: Path, tmp_path: Path, capsys) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    _read_only(locked)
    try:
        for out in (locked, locked / "sub"):
            assert main(["--db", str(derived_db), "export", "--out", str(out)]) == 1
            _one_line_error(capsys, str(locked), "read-only")
    finally:
        locked.chmod(0o755)
    assert list(locked.iterdir()) == []


def test_export_over_a_read_only_file_writes_nothing(derived_db: Path, tmp_path: Path, capsys):
    out = tmp_path / "out"
    assert main(["--db", str(derived_db), "export", "--out", str(out)]) == 0
    capsys.readouterr()
    (out / "called.csv").unlink()
    _read_only(out / "statement.csv")
    assert main(["--db", str(derived_db), "export", "--out", str(out)]) == 1
    _one_line_error(capsys, "statement.csv", "read-only")
    # Checked before the first file is written: nothing of the batch was written.
    assert not (out / "called.csv").exists()


def test_ensure_writable_asks_sqlite(derived_db: Path) -> None:
    # A connection SQLite opened read-only, with no hint from permissions: the probe
    # write is what finds out.
    conn = sqlite3.connect(derived_db.resolve().as_uri() + "?mode=ro", uri=True)
    store = FactStore(Database(conn), derived_db)
    with pytest.raises(StoreError, match="attempt to write a readonly database") as info:
        store.ensure_writable("derive into this store")
    assert str(derived_db) in str(info.value)
    store.close()
    with FactStore.open(derived_db, create=False) as writable:
        writable.ensure_writable("derive into this store")  # no error, nothing written


def test_read_only_uri_of_a_missing_store(tmp_path: Path, capsys) -> None:
    assert main(["--db", f"file:{tmp_path / 'none.db'}?mode=ro", "query", "met(a, b)"]) == 1
    _one_line_error(capsys, "none.db")
    assert not (tmp_path / "none.db").exists()
