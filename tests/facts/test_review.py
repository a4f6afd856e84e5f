"""Review decisions: rejected statements leave the rule views, decisions outlive re-ingest."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from deniable.errors import StoreError, UsageError
from deniable.facts import review
from deniable.facts.review import Status
from deniable.facts.store import FactStore
from deniable.rules.workbench import derive_store, query_store

SENTENCES = (
    "Leaked records show Yevgeny Prigozhin called Anton Vaino.",
    "Marcus Hale met Ana Lee and Bo Chan in Riga.",
)
FACTS = (
    ("called", "Yevgeny Prigozhin", "Anton Vaino", "reported", 0, {"source": "leaked records"}),
    # Two statements with one span and predicate: a decision must tell them apart.
    ("met", "Marcus Hale", "Ana Lee", "asserted", 1),
    ("met", "Marcus Hale", "Bo Chan", "asserted", 1),
)
HOSTILE = "it's wrong\"; DROP TABLE reviews; --"


@pytest.fixture
def filled(store: FactStore, build) -> FactStore:  # type: ignore[no-untyped-def]
    store.add_extraction(build("a1.txt", SENTENCES, FACTS))
    return store


def _id(store: FactStore, pred: str, b: str) -> int:
    return next(i.statement_id for i in review.review_queue(store, pred=pred) if i.args[1] == b)


def _contacts(store: FactStore) -> list[tuple]:
    derive_store(store, cwd_rules=False)
    return query_store(store, "contact(a, b)", cwd_rules=False).rows


def test_a_rejected_statement_takes_its_conclusion_with_it(filled: FactStore) -> None:
    assert ("Yevgeny Prigozhin", "Anton Vaino") in _contacts(filled)
    review.reject(filled, [_id(filled, "called", "Anton Vaino")], reason="misread", by="ed")
    assert ("Yevgeny Prigozhin", "Anton Vaino") not in _contacts(filled)
    assert ("Marcus Hale", "Ana Lee") in _contacts(filled)
    assert filled.rows("called") == []


def test_decisions_survive_ingest_replace(filled: FactStore, build) -> None:  # type: ignore[no-untyped-def]
    old = _id(filled, "met", "Bo Chan")
    review.reject(filled, [old], reason=HOSTILE, by="ed")
    review.confirm(filled, [_id(filled, "met", "Ana Lee")], by="ed")
    # Another document first, so the re-extracted statements cannot get their old ids.
    filled.add_extraction(build("b.txt", SENTENCES[:1], FACTS[:1]))
    filled.add_extraction(build("a1.txt", SENTENCES, FACTS), replace=True)
    items = {i.args[1]: i for i in review.review_queue(filled, doc="a1.txt")}
    assert items["Bo Chan"].statement_id != old  # new ids, same decisions
    assert items["Bo Chan"].status is Status.REJECTED
    assert items["Bo Chan"].reason == HOSTILE  # stored as a value, never as SQL
    assert items["Ana Lee"].status is Status.CONFIRMED
    assert items["Anton Vaino"].status is Status.UNREVIEWED
    assert ("Marcus Hale", "Bo Chan") not in _contacts(filled)
    assert ("Marcus Hale", "Ana Lee") in _contacts(filled)


def test_confirmed_only_derives_from_confirmed_statements(filled: FactStore) -> None:
    review.confirm(filled, [_id(filled, "met", "Ana Lee")], by="ed")
    summary = derive_store(filled, cwd_rules=False, confirmed_only=True)
    assert summary.confirmed_only
    rows = query_store(filled, "contact(a, b)", cwd_rules=False).rows
    assert ("Marcus Hale", "Ana Lee") in rows
    assert ("Yevgeny Prigozhin", "Anton Vaino") not in rows
    # Only that derive: the store's views show every unrejected statement again.
    assert filled.meta("evidence") is None
    assert ("Yevgeny Prigozhin", "Anton Vaino") in filled.rows("called")


def test_a_correction_moves_the_statement_and_survives_replace(filled: FactStore, build) -> None:  # type: ignore[no-untyped-def]
    sid = _id(filled, "called", "Anton Vaino")
    (item,) = review.correct(filled, sid, arg=2, value="Dmitry Peskov", by="ed")
    assert item.args == ("Yevgeny Prigozhin", "Dmitry Peskov")
    assert item.corrections == ((2, "Anton Vaino"),)
    filled.add_extraction(build("a1.txt", SENTENCES, FACTS), replace=True)
    assert filled.rows("called") == [("Yevgeny Prigozhin", "Dmitry Peskov")]


def test_unknown_ids_record_nothing(filled: FactStore) -> None:
    good = _id(filled, "called", "Anton Vaino")
    with pytest.raises(StoreError, match="no statement 999"):
        review.confirm(filled, [good, 999], by="ed")
    assert review.review_queue(filled, status="confirmed") == []


def test_a_rejection_needs_a_reason(filled: FactStore) -> None:
    with pytest.raises(UsageError, match="--reason"):
        review.reject(filled, [_id(filled, "called", "Anton Vaino")], reason=" ", by="ed")


def test_a_store_made_before_reviews_is_upgraded(tmp_path: Path, build) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "old.db"
    with FactStore.open(path) as s:
        s.add_extraction(build("a1.txt", SENTENCES, FACTS))
    conn = sqlite3.connect(path)  # back to the views and tables of an older store
    for name in ("called", "met", "statement", "admitted_statements"):
        conn.execute(f'DROP VIEW "{name}"')
    conn.execute("DROP TABLE review_marks")
    conn.execute("DROP TABLE reviews")
    conn.execute(
        'CREATE VIEW "called"(a, b) AS SELECT ea.name, eb.name FROM facts f '
        "JOIN entities ea ON ea.id = f.a_id JOIN entities eb ON eb.id = f.b_id "
        "WHERE f.pred = 'called'"
    )
    conn.commit()
    conn.close()
    with FactStore.open(path) as s:
        review.reject(s, [_id(s, "called", "Anton Vaino")], reason="misread", by="ed")
        assert s.rows("called") == []
        assert len(s.rows("statement")) == 2


def _cli(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "deniable", "--db", str(db), *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={"USER": "tester", "PATH": "/usr/bin:/bin", "COLUMNS": "100"},
    )


def test_review_command(tmp_path: Path, build) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "r.db"
    with FactStore.open(db) as s:
        s.add_extraction(build("a1.txt", SENTENCES, FACTS, title="Calls", outlet="The Sun"))
        sid = _id(s, "called", "Anton Vaino")
    listed = _cli(db, "review", "called")
    assert listed.returncode == 0, listed.stderr
    assert f'#{sid}  called("Yevgeny Prigozhin", "Anton Vaino")  reported by leaked records' in (
        listed.stdout
    )
    assert "a1.txt — Calls (The Sun)" in listed.stdout
    assert "1 statement: 1 unreviewed" in listed.stdout
    rejected = _cli(db, "review", "reject", str(sid), "--reason", HOSTILE)
    assert rejected.returncode == 0, rejected.stderr
    assert "rejected by tester" in rejected.stdout and HOSTILE in rejected.stdout
    listed = _cli(db, "review", "--status", "rejected")
    assert f"#{sid} " in listed.stdout and "met(" not in listed.stdout
    missing = _cli(db, "review", "confirm", "4242")
    assert missing.returncode == 1
    assert missing.stderr.strip().splitlines() == [
        "error: no statement 4242 in this store; `deniable review` lists the ids"
    ]
    assert _cli(db, "review", "confirm", "x1").returncode != 0
    derived = _cli(db, "derive", "--confirmed-only")
    assert derived.returncode == 0, derived.stderr
    assert "from confirmed statements only" in " ".join(derived.stdout.split())
