"""Crash safety, proven by killing real ``deniable ingest`` and ``deniable derive`` processes.

Each case runs the command in a subprocess and sends it SIGKILL, either at its
N-th SQL statement (``tests/kill_runner.py``: the kill lands inside a write
transaction, N drawn at random over the whole run) or after a random delay (the
installed ``deniable`` command, the kill landing anywhere: imports, extraction,
a commit).  Afterwards the store must open, pass ``PRAGMA integrity_check`` and
the FTS index check, hold only whole documents (each with every sentence and
statement a clean run gave it, or absent), keep its generation consistent, and
a re-run must finish the job with the same store as an uninterrupted run.  For
``derive`` the derived tables must be the old conclusions with the old stamp, or
the new ones with the new stamp, never a mixture.

The number of runs is bounded for CI: ``$DENIABLE_CRASH_RUNS`` (default 5) kill
points per command, drawn with ``$DENIABLE_CRASH_SEED`` (default 9); the kill
point of a failing case is in its assertion message.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlite_utils import Database

from deniable.cli import main
from deniable.errors import StoreError
from deniable.facts import generation
from deniable.facts.store import FactStore

RUNNER = Path(__file__).with_name("kill_runner.py")
RUNS = int(os.environ.get("DENIABLE_CRASH_RUNS", "5"))
SEED = int(os.environ.get("DENIABLE_CRASH_SEED", "9"))

# Invented articles, each giving a few statements over several sentences.
ARTICLES = {
    "first.txt": (
        "Doe and Bell met in Rome\n\n"
        "Jane Doe met Marcus Bell in Rome on Monday.\n"
        "Marcus Bell is the chief executive of Lantern Freight.\n"
        "Jane Doe later called Marcus Bell twice.\n"
    ),
    "second.txt": (
        "Ministry denies links\n\n"
        "The Ministry of Ports denied links to Marcus Bell.\n"
        "Anton Reyes, a spokesman for the Ministry of Ports, met Marcus Bell in Lisbon.\n"
    ),
    "third.md": (
        "# Calls between Reyes and Doe\n\n"
        "Anton Reyes phoned Jane Doe 14 times in March, according to leaked records.\n\n"
        "Jane Doe reportedly met Anton Reyes in Porto.\n"
    ),
    "fourth.txt": (
        "Kroll visits Oslo\n\n"
        "Peter Kroll visited Oslo in May.\n"
        "Peter Kroll met Lisa Berg, the mayor of Oslo.\n"
        "Lisa Berg tried to call Jane Doe.\n"
    ),
    "fifth.txt": (
        "Hale and Quinn\n\n"
        "John Hale met Mary Quinn in Vienna.\n"
        "Mary Quinn is a director of Lantern Freight.\n"
    ),
}
LATER = {
    "sixth.txt": (
        "Bell and Reyes again\n\n"
        "Marcus Bell met Anton Reyes in Madrid on Friday.\n"
        "Anton Reyes called Marcus Bell afterwards.\n"
    ),
}


def _write(folder: Path, articles: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in articles.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DENIABLE_")}
    env.update(extra)
    return env


def _run_killed(args: list[str], kill_at: int, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(RUNNER), *args],
        env=_env(DENIABLE_KILL_AT=str(kill_at)),
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
    )


def _count_statements(args: list[str], cwd: Path, *, says: str = "") -> int:
    count = cwd / "statements.count"
    done = subprocess.run(
        [sys.executable, str(RUNNER), *args],
        env=_env(DENIABLE_KILL_AT="0", DENIABLE_COUNT_FILE=str(count)),
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert says in done.stdout, done.stdout
    return int(count.read_text(encoding="utf-8"))


def _kill_points(total: int, *, first: tuple[int, ...] = ()) -> list[int]:
    """``first`` (chosen places), then random points over the whole run, sorted."""
    rnd = random.Random(SEED)
    points = {p for p in first if p < total}
    while len(points) < min(RUNS + len(first), total):
        points.add(rnd.randint(1, total))
    return sorted(points)


# --------------------------------------------------------------------------- checks


@dataclass(frozen=True)
class Contents:
    """What a store holds, comparable between a killed-and-finished run and a clean one."""

    documents: dict[str, tuple[int, int]]  # sha256 -> (sentences, statements)
    sources: frozenset[tuple[str, str, int]]
    relations: dict[str, frozenset[tuple[object, ...]]]
    generation: int


def _contents(db: Path) -> Contents:
    conn = sqlite3.connect(db)
    try:
        documents = {
            sha: (n_sent, n_stat)
            for sha, n_sent, n_stat in conn.execute(
                "SELECT d.sha256, "
                "(SELECT count(*) FROM sentences s WHERE s.doc_id = d.id), "
                "(SELECT count(*) FROM statements t WHERE t.doc_id = d.id) FROM documents d"
            )
        }
        sources = frozenset(
            conn.execute(
                "SELECT v.source, d.sha256, v.current FROM document_sources v "
                "JOIN documents d ON d.id = v.doc_id"
            )
        )
        views = ("met", "called", "role", "denies", "visited", "statement", "attempted", "alias")
        relations = {
            name: frozenset(conn.execute(f'SELECT * FROM "{name}"').fetchall()) for name in views
        }
        return Contents(documents, sources, relations, generation.current(Database(conn)))
    finally:
        conn.close()


def _assert_sound(db: Path, reference: Contents, where: str) -> Contents:
    """The store opens, is intact, and holds only whole documents of the reference."""
    conn = sqlite3.connect(db)  # a writable open rolls back a crashed write's journal
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)], where
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == [], where
        empty = not conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
    finally:
        conn.close()
    if empty:
        # Killed before the schema was committed: an empty database, said so in one line.
        with pytest.raises(StoreError, match="holds no fact store yet"):
            FactStore.open(db, create=False)
        return Contents({}, frozenset(), {}, 0)
    with FactStore.open(db, create=False) as store:
        store.db.execute("INSERT INTO sentences_fts (sentences_fts) VALUES ('integrity-check')")
    found = _contents(db)
    for sha, counts in found.documents.items():
        assert reference.documents.get(sha) == counts, f"{where}: document {sha} is partial"
    assert found.sources <= reference.sources, where
    # Every stored document was counted by a generation bump in its own transaction.
    assert found.generation >= len(found.documents), where
    assert found.generation <= reference.generation, where
    return found


def _derived(db: Path) -> tuple[dict[str, frozenset[tuple[object, ...]]], object]:
    conn = sqlite3.connect(db)
    try:
        names = [r[0] for r in conn.execute("SELECT name FROM derived_relations ORDER BY name")]
        tables = {n: frozenset(conn.execute(f'SELECT * FROM "{n}"').fetchall()) for n in names}
        for name, rows in conn.execute("SELECT name, rows FROM derived_relations"):
            assert rows == len(tables[name]), f"derived_relations says {name} has {rows} rows"
        stamp = generation.read_stamp(Database(conn))
        return tables, stamp
    finally:
        conn.close()


# --------------------------------------------------------------------------- ingest


@pytest.fixture(scope="module")
def ingest_case(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Contents, int]]:
    """The articles, the contents of an uninterrupted ingest, and its statement count."""
    root = tmp_path_factory.mktemp("crash-ingest")
    articles = _write(root / "articles", ARTICLES)
    total = _count_statements(["--db", "clean.db", "ingest", "--jobs", "1", str(articles)], root)
    yield articles, _contents(root / "clean.db"), total


def _ingest_args(db: Path, articles: Path) -> list[str]:
    return ["--db", str(db), "ingest", "--jobs", "1", str(articles)]


def test_ingest_killed_at_random_statements(ingest_case, tmp_path: Path, capsys) -> None:
    articles, reference, total = ingest_case
    assert len(reference.documents) == len(ARTICLES)
    assert all(n_stat > 0 for _, n_stat in reference.documents.values())
    # Statement 10 lands inside the creation of the new store's schema.
    for point in _kill_points(total, first=(10,)):
        db = tmp_path / f"killed-{point}.db"
        done = _run_killed(_ingest_args(db, articles), point, tmp_path)
        where = f"ingest killed at SQL statement {point} of {total}"
        assert done.returncode == -signal.SIGKILL, f"{where}: {done.stderr}"
        _assert_sound(db, reference, where)
        # The re-run completes the job: the same store as an uninterrupted ingest.
        assert main(_ingest_args(db, articles)) == 0, where
        finished = _contents(db)
        assert finished.documents == reference.documents, where
        assert finished.sources == reference.sources, where
        assert finished.relations == reference.relations, where
        capsys.readouterr()


def test_ingest_killed_after_random_delays(ingest_case, tmp_path: Path, capsys) -> None:
    # The installed command, all its worker processes killed at once, wherever they are.
    articles, reference, _ = ingest_case
    command = Path(sys.executable).with_name("deniable")
    rnd = random.Random(SEED)
    db = tmp_path / "timed.db"
    started = time.monotonic()
    clean = subprocess.run(
        [str(command), "--db", str(tmp_path / "timing.db"), "ingest", str(articles)],
        env=_env(),
        capture_output=True,
        timeout=300,
    )
    assert clean.returncode == 0, clean.stderr
    duration = time.monotonic() - started
    for run in range(2):
        delay = rnd.uniform(duration * 0.4, duration * 1.1)
        proc = subprocess.Popen(
            [str(command), "--db", str(db), "ingest", str(articles)],
            env=_env(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            proc.wait(timeout=delay)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        if db.exists():
            _assert_sound(db, reference, f"ingest run {run} killed after {delay:.2f} s")
    assert main(_ingest_args(db, articles)) == 0
    assert _contents(db).documents == reference.documents
    capsys.readouterr()


# --------------------------------------------------------------------------- derive


@pytest.fixture(scope="module")
def derive_case(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[Path, tuple[dict, object], tuple[dict, object], int]]:
    """A store with old conclusions and newer documents, the new conclusions, the count."""
    root = tmp_path_factory.mktemp("crash-derive")
    base = root / "base.db"
    assert (
        main(["--db", str(base), "ingest", "--jobs", "1", str(_write(root / "a", ARTICLES))]) == 0
    )
    assert main(["--db", str(base), "derive"]) == 0
    old = _derived(base)
    assert main(["--db", str(base), "ingest", "--jobs", "1", str(_write(root / "b", LATER))]) == 0
    shutil.copy(base, root / "clean.db")
    # The kill points fall in an incremental derive: the same rules, documents added.
    total = _count_statements(["--db", "clean.db", "derive"], root, says="incremental")
    new = _derived(root / "clean.db")
    assert old[0] != new[0] and old[1] != new[1], "the new documents must change the conclusions"
    yield base, old, new, total


def test_derive_killed_at_random_statements(derive_case, tmp_path: Path, capsys) -> None:
    base, (old_tables, old_stamp), (new_tables, new_stamp), total = derive_case
    for point in _kill_points(total):
        db = tmp_path / f"killed-{point}.db"
        shutil.copy(base, db)
        done = _run_killed(["--db", str(db), "derive"], point, tmp_path)
        where = f"derive killed at SQL statement {point} of {total}"
        assert done.returncode == -signal.SIGKILL, f"{where}: {done.stderr}"
        conn = sqlite3.connect(db)
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)], where
        conn.close()
        tables, stamp = _derived(db)
        # All or nothing: the old conclusions with their stamp, never part of the new ones.
        assert (tables, stamp) in ((old_tables, old_stamp), (new_tables, new_stamp)), where
        # The next question re-derives what the kill left stale.
        assert main(["--db", str(db), "query", "contact(a, b)", "--format", "csv"]) == 0
        assert _derived(db) == (new_tables, new_stamp), where
        capsys.readouterr()
