"""Several processes on one store: writers take turns, readers wait, none sees "database is locked".

Real processes throughout: two ``deniable ingest`` at once; and a helper process
that holds the store's lock (``BEGIN IMMEDIATE``: no other writer; ``BEGIN
EXCLUSIVE``: no reader either) for a while, as a long ``derive`` does, while a
command runs.  A command that gets the lock within ``$DENIABLE_LOCK_TIMEOUT``
says once that it waits and then does its work; one that does not fails with one
line naming the file, exit 1, and the store as it was.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from deniable.cli import main

DENIABLE = Path(sys.executable).with_name("deniable")

FIRST = {
    "one.txt": "Doe and Bell\n\nJane Doe met Marcus Bell in Rome on Monday.\n",
    "two.txt": "Bell calls\n\nMarcus Bell called Anton Reyes twice.\n",
}
SECOND = {
    "three.txt": "Hale and Quinn\n\nJohn Hale met Mary Quinn in Vienna.\n",
    "four.txt": "Kroll and Berg\n\nPeter Kroll called Lisa Berg on Friday.\n",
}

_HOLDER = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN " + sys.argv[2])
conn.execute("DELETE FROM meta WHERE 0")
print("locked", flush=True)
if sys.argv[3] == "until-told":
    sys.stdin.readline()
else:
    time.sleep(float(sys.argv[3]))
conn.execute("COMMIT")
"""


def _articles(folder: Path, articles: dict[str, str]) -> Path:
    folder.mkdir()
    for name, text in articles.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DENIABLE_")}
    return {**env, **extra}


@contextmanager
def _locked(db: Path, mode: str, seconds: float | None) -> Iterator[subprocess.Popen[str]]:
    """Another process holding ``db``'s lock (``IMMEDIATE`` or ``EXCLUSIVE``) for ``seconds``.

    With ``seconds`` ``None`` it holds the lock until a line is written to its stdin.
    """
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLDER, str(db), mode, str(seconds or "until-told")],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        yield holder
    finally:
        holder.kill()
        holder.wait()


def _documents(db: Path) -> list[str]:
    conn = sqlite3.connect(db)
    try:
        return [r[0] for r in conn.execute("SELECT name FROM documents ORDER BY name")]
    finally:
        conn.close()


@pytest.fixture
def store(tmp_path: Path, capsys) -> Path:
    db = tmp_path / "shared.db"
    assert main(["--db", str(db), "ingest", str(_articles(tmp_path / "first", FIRST))]) == 0
    assert main(["--db", str(db), "derive"]) == 0
    capsys.readouterr()
    return db


def test_two_ingests_at_once_both_succeed(tmp_path: Path) -> None:
    db = tmp_path / "both.db"
    folders = [_articles(tmp_path / "a", FIRST), _articles(tmp_path / "b", SECOND)]
    # Both start on a store that does not exist yet: they race to create it too.
    procs = [
        subprocess.Popen(
            [str(DENIABLE), "--db", str(db), "ingest", "--jobs", "1", str(folder)],
            env=_env(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for folder in folders
    ]
    errors = [p.communicate(timeout=300)[1] for p in procs]
    assert [p.returncode for p in procs] == [0, 0], errors
    assert not any("locked" in e or "Traceback" in e for e in errors), errors
    assert _documents(db) == sorted([*FIRST, *SECOND])
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    conn.close()


def test_ingest_waits_for_another_writer(store: Path, tmp_path: Path) -> None:
    folder = _articles(tmp_path / "second", SECOND)
    with _locked(store, "IMMEDIATE", None) as holder:
        ingest = subprocess.Popen(
            [str(DENIABLE), "--db", str(store), "ingest", "--jobs", "1", str(folder)],
            env=_env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert ingest.stderr is not None and holder.stdin is not None
        first = ingest.stderr.readline()  # the ingest says it waits, and waits
        holder.stdin.write("go\n")
        holder.stdin.flush()
        out, rest = ingest.communicate(timeout=300)
    done = subprocess.CompletedProcess(ingest.args, ingest.returncode, out, first + rest)
    assert done.returncode == 0, done.stderr
    waits = [line for line in done.stderr.splitlines() if "waiting" in line]
    assert waits and all(line.startswith(f"{store}: another process") for line in waits)
    assert "locked" not in done.stderr
    assert _documents(store) == sorted([*FIRST, *SECOND])


def test_reader_waits_for_a_committing_writer(store: Path) -> None:
    # EXCLUSIVE is what a writer holds while it commits, or while a big derive spills.
    with _locked(store, "EXCLUSIVE", 1.5):
        done = subprocess.run(
            [str(DENIABLE), "--db", str(store), "query", "met(a, b)", "--format", "csv"],
            env=_env(),
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert done.returncode == 0, done.stderr
    assert "Jane Doe,Marcus Bell" in done.stdout
    assert done.stderr.count("\n") == 1 and "waiting up to 60 s to read it" in done.stderr


@pytest.mark.parametrize(
    ("args", "mode"),
    [
        (["ingest", "{articles}"], "IMMEDIATE"),
        (["derive"], "IMMEDIATE"),
        (["review", "confirm", "1"], "IMMEDIATE"),
        (["gc"], "IMMEDIATE"),
        (["query", "contact(a, b)"], "EXCLUSIVE"),
        (["why", 'contact("Jane Doe", x)'], "EXCLUSIVE"),
        (["export", "--out", "{out}"], "EXCLUSIVE"),
        (["repl"], "EXCLUSIVE"),
    ],
)
def test_a_lock_held_past_the_timeout_is_one_line(
    store: Path, tmp_path: Path, args: list[str], mode: str, capsys, monkeypatch
) -> None:
    articles = _articles(tmp_path / "second", SECOND)
    args = [a.format(articles=articles, out=tmp_path / "out") for a in args]
    monkeypatch.setenv("DENIABLE_LOCK_TIMEOUT", "0.8")
    before = store.read_bytes()
    with open(os.devnull, encoding="utf-8") as nothing, _locked(store, mode, 30):
        monkeypatch.setattr("sys.stdin", nothing)  # the shell reads no statement
        code = main(["--db", str(store), *args])
    err = capsys.readouterr().err
    assert code == 1, err
    lines = err.strip().splitlines()
    assert lines[-1].startswith(f"{store}: error: another process kept the store locked"), err
    assert "DENIABLE_LOCK_TIMEOUT" in lines[-1]
    assert all("waiting" in line for line in lines[:-1]) and len(lines) <= 2, err
    assert "Traceback" not in err and "internal error" not in err
    assert store.read_bytes() == before
    assert not (tmp_path / "out").exists()


def test_a_bad_lock_timeout_is_a_usage_error(store: Path, capsys, monkeypatch) -> None:
    monkeypatch.setenv("DENIABLE_LOCK_TIMEOUT", "soon")
    assert main(["--db", str(store), "query", "met(a, b)"]) == 2
    err = capsys.readouterr().err
    assert "DENIABLE_LOCK_TIMEOUT='soon' is not a number of seconds" in err
    assert len(err.strip().splitlines()) == 1


def test_the_shell_answers_from_one_snapshot_while_ingest_writes(
    store: Path, tmp_path: Path
) -> None:
    # The shell reads the store once, into a copy; an ingest committed meanwhile is not
    # half-seen: the session answers from the store as it was when it opened.
    folder = _articles(tmp_path / "second", SECOND)
    shell = subprocess.Popen(
        [str(DENIABLE), "--db", str(store), "repl"],
        env=_env(PYTHONUNBUFFERED="1"),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert shell.stdin is not None and shell.stdout is not None
    shell.stdin.write("?- met(a, b).\n")
    shell.stdin.flush()
    first = ""
    while "Jane Doe" not in first:  # the session is open and has answered once
        line = shell.stdout.readline()
        assert line, "the shell ended early"
        first += line
    ingest = subprocess.run(
        [str(DENIABLE), "--db", str(store), "ingest", "--jobs", "1", str(folder)],
        env=_env(),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert ingest.returncode == 0, ingest.stderr
    out, err = shell.communicate("?- met(a, b).\n:quit\n", timeout=300)
    assert shell.returncode == 0, err
    assert "locked" not in err and "Traceback" not in err
    assert "Jane Doe" in out and "John Hale" not in first + out


def test_ingest_while_derive_both_succeed(store: Path, tmp_path: Path) -> None:
    folder = _articles(tmp_path / "second", SECOND)
    procs = [
        subprocess.Popen(
            [str(DENIABLE), "--db", str(store), *args],
            env=_env(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for args in (["derive", "--full"], ["ingest", "--jobs", "1", str(folder)], ["derive"])
    ]
    errors = [p.communicate(timeout=300)[1] for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0], errors
    assert not any("locked" in e or "Traceback" in e for e in errors), errors
    assert _documents(store) == sorted([*FIRST, *SECOND])
    # Whichever order they ran in, the next question answers from current conclusions.
    done = subprocess.run(
        [str(DENIABLE), "--db", str(store), "query", "contact(a, b)", "--format", "csv"],
        env=_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0 and "John Hale,Mary Quinn" in done.stdout, done.stderr


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_lock_taken_in_the_middle_of_an_ingest_is_one_line(
    store: Path, tmp_path: Path, jobs: str, capsys, monkeypatch
) -> None:
    from deniable.facts.store import FactStore

    more = {f"{n}.txt": f"Call {n}\n\nAnn Ruiz called Tom Harlan on day {n}.\n" for n in "abcde"}
    articles = _articles(tmp_path / "more", more)
    monkeypatch.setenv("DENIABLE_LOCK_TIMEOUT", "0.8")
    real = FactStore.add_extraction
    holders: list[contextlib.AbstractContextManager[subprocess.Popen[str]]] = []

    def then_lock(self: FactStore, *args: object, **kwargs: object) -> int:
        doc_id = real(self, *args, **kwargs)  # type: ignore[arg-type]
        if not holders:  # after the first document, another process takes the store
            holders.append(_locked(store, "IMMEDIATE", 30))
            holders[0].__enter__()
        return doc_id

    monkeypatch.setattr(FactStore, "add_extraction", then_lock)
    try:
        code = main(["--db", str(store), "ingest", "--jobs", jobs, str(articles)])
    finally:
        for holder in holders:
            holder.__exit__(None, None, None)
    out, err = capsys.readouterr()
    assert code == 1, err
    lines = [line for line in err.splitlines() if "waiting" not in line]
    assert lines == [
        f"{store}: another process kept the store locked for 0.8 s (writing it); try again when "
        "it is done, or wait longer with DENIABLE_LOCK_TIMEOUT=SECONDS; stopped with 4 of 5 "
        "documents not stored (those before are stored; the same ingest again stores the rest)"
    ]
    counts = [" ".join(line.split()) for line in out.splitlines()]
    assert "documents ingested 1" in counts
    assert "documents not stored (the store stayed locked; run the same ingest again) 4" in counts
    assert _documents(store) == sorted([*FIRST, "a.txt"])
    monkeypatch.setattr(FactStore, "add_extraction", real)
    assert main(["--db", str(store), "ingest", "--jobs", "1", str(articles)]) == 0
    assert _documents(store) == sorted([*FIRST, *more])
