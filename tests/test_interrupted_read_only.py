"""A store killed in the middle of a commit, then opened read-only, still answers.

The kill leaves a *hot* journal beside the store (the write had already reached
the file), which a read-only connection cannot roll back.  The store must
answer from a copy with the write undone, say so in one line, and leave the file
and its journal as they were; the next writable open rolls the write back.
"""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from deniable.cli import main

RUNNER = Path(__file__).with_name("kill_runner.py")
FIRST = "Doe and Bell\n\nJane Doe met Marcus Bell in Rome on Monday.\n"
LATER_KEYS = range(6)
LATER = {
    f"later{n}.txt": f"Call number {n}\n\nAnn Ruiz called Tom Harlan{n} on Monday.\n"
    f"Tom Harlan{n} met Vera Lind in Paris.\n"
    for n in LATER_KEYS
}
# The first bytes of a journal whose header was written: SQLite must roll it back.
JOURNAL_MAGIC = bytes.fromhex("d9d505f920a163d7")


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DENIABLE_")}
    env.update(extra)
    return env


def _ingest(args: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(RUNNER), "--db", "store.db", "ingest", "--jobs", "1", *args],
        env=_env(DENIABLE_KILL_CACHE_PAGES="2", **env),
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
    )


def _hot(journal: Path) -> bool:
    return journal.is_file() and journal.read_bytes()[:8] == JOURNAL_MAGIC


def _interrupted_store(tmp_path: Path) -> Path:
    """A store holding FIRST, killed mid-commit while ingesting LATER: a hot journal beside it."""
    (tmp_path / "first").mkdir()
    (tmp_path / "first" / "first.txt").write_text(FIRST, encoding="utf-8")
    (tmp_path / "later").mkdir()
    for name, text in LATER.items():
        (tmp_path / "later" / name).write_text(text, encoding="utf-8")
    assert _ingest(["first"], tmp_path).returncode == 0
    pristine = (tmp_path / "store.db").read_bytes()
    count = tmp_path / "count"
    done = _ingest(["later"], tmp_path, DENIABLE_KILL_AT="0", DENIABLE_COUNT_FILE=str(count))
    assert done.returncode == 0, done.stderr
    total = int(count.read_text())
    # Kill points from the end of the run back, until one lands after a spill into the file.
    for kill_at in range(total - 2, 0, -3):
        (tmp_path / "store.db").write_bytes(pristine)
        killed = _ingest(["later"], tmp_path, DENIABLE_KILL_AT=str(kill_at))
        assert killed.returncode == -9, killed.stderr
        if _hot(tmp_path / "store.db-journal"):
            return tmp_path / "store.db"
        (tmp_path / "store.db-journal").unlink(missing_ok=True)
    pytest.fail("no kill point left a hot journal")


def _query(capsys: pytest.CaptureFixture[str], db: str, atom: str) -> tuple[int, str, str]:
    status = main(["--db", db, "query", atom, "--format", "csv"])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


@pytest.mark.parametrize("how", ["mode=ro", "chmod a-w"])
def test_a_store_killed_mid_commit_answers_read_only(
    tmp_path: Path, how: str, capsys: pytest.CaptureFixture[str]
) -> None:
    db = _interrupted_store(tmp_path)
    journal = tmp_path / "store.db-journal"
    before = (db.read_bytes(), journal.read_bytes())
    if how == "mode=ro":
        target = f"{db.resolve().as_uri()}?mode=ro"
    else:
        db.chmod(db.stat().st_mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))
        target = str(db)
    status, out, err = _query(capsys, target, "met(a, b)")
    assert status == 0, err
    answered = set(out.splitlines())
    assert {"a,b", "Jane Doe,Marcus Bell"} <= answered
    # Documents the ingest had committed are there; the one it was writing is not.
    assert answered < {"a,b", "Jane Doe,Marcus Bell"} | {
        f"Tom Harlan{n},Vera Lind" for n in LATER_KEYS
    }
    assert err.splitlines() == [
        f"{db}: a write was interrupted (its journal store.db-journal is still beside the "
        "store) and the store is read-only; answering from a copy with that write rolled "
        "back (open it writable once to roll it back in the file)"
    ]
    # Writes are still refused in one line, and nothing was touched.
    assert main(["--db", target, "derive"]) == 1
    assert "read-only" in capsys.readouterr().err
    assert (db.read_bytes(), journal.read_bytes()) == before

    db.chmod(0o644)
    conn = sqlite3.connect(db)  # a writable open rolls the write back in the file
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    finally:
        conn.close()
    assert not _hot(journal)
    # SQLite's own rollback, in the file, gives what the copy answered.
    status, out, err = _query(capsys, str(db), "met(a, b)")
    assert (status, set(out.splitlines()), err) == (0, answered, "")
