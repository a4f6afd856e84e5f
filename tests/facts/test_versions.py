"""Document versions: one text per hash, numbered versions per source, restore, gc, old stores."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from deniable.errors import StoreError
from deniable.facts import generation, review, schema, versions
from deniable.facts.store import FactStore

DATA = Path(__file__).parent / "data"
V1 = ("Marcus Hale met Ana Lee in Riga.", "Ana Lee called Bo Chan.")
# The first sentence keeps its span; the second is another statement at the same span.
V2 = ("Marcus Hale met Ana Lee in Riga.", "Ana Lee called Bo Chen.", "Bo Chan met Al Roy.")
F1 = (
    ("met", "Marcus Hale", "Ana Lee", "asserted", 0),
    ("called", "Ana Lee", "Bo Chan", "asserted", 1),
)
F2 = (
    ("met", "Marcus Hale", "Ana Lee", "asserted", 0),
    ("called", "Ana Lee", "Bo Chen", "asserted", 1),
    ("met", "Bo Chan", "Al Roy", "asserted", 2),
)
HOSTILE = "it's\"; DROP TABLE documents; --/story.txt"


def _sources(store: FactStore) -> list[tuple[str, int, int]]:
    return [
        tuple(r)
        for r in store.db.execute(
            "SELECT source, version, current FROM document_sources ORDER BY source, version"
        )
    ]


def _id(store: FactStore, pred: str, b: str) -> int:
    return next(i.statement_id for i in review.review_queue(store, pred=pred) if i.args[1] == b)


def test_two_sources_with_one_file_name_are_two_documents(store: FactStore, build) -> None:
    store.add_extraction(build("a/story.txt", V1[:1], F1[:1]))
    store.add_extraction(
        build("b/story.txt", V2[2:], [("met", "Bo Chan", "Al Roy", "asserted", 0)])
    )
    assert store.document_names() == ["a/story.txt", "b/story.txt"]
    assert store.rows("met") == [("Bo Chan", "Al Roy"), ("Marcus Hale", "Ana Lee")]
    docs = {row[-1] for row in store.rows("statement")}
    assert docs == {"a/story.txt", "b/story.txt"}


def test_the_same_text_from_two_places_is_stored_once(store: FactStore, build) -> None:
    first = store.add_extraction(build("a/story.txt", V1, F1))
    assert store.add_extraction(build("b/copy.txt", V1, F1)) == first
    assert store.stats().statements == 2 and store.stats().documents == 1
    assert _sources(store) == [("a/story.txt", 1, 1), ("b/copy.txt", 1, 1)]
    (version,) = versions.history(store, "b/copy.txt").versions
    assert version.also_at == ("a/story.txt",) and version.statements == 2
    # Either source names the document in the review queue.
    assert len(review.review_queue(store, doc="b/copy.txt")) == 2


def test_replace_keeps_the_old_version_out_of_the_views(store: FactStore, build) -> None:
    store.add_extraction(build("a/story.txt", V1, F1))
    store.add_extraction(
        build("b/story.txt", ("Tom Ng met Li Wu.",), [("met", "Tom Ng", "Li Wu", "asserted", 0)])
    )
    with pytest.raises(StoreError, match="--replace"):
        store.add_extraction(build("a/story.txt", V2, F2))
    store.add_extraction(build("a/story.txt", V2, F2), replace=True)
    assert ("Ana Lee", "Bo Chan") not in store.rows("called")
    assert ("Tom Ng", "Li Wu") in store.rows("met")  # the other outlet's story is untouched
    assert store.stats().statements == 4  # three of version 2, one of b
    assert store.db.execute("SELECT count(*) FROM statements").fetchone()[0] == 6
    found = versions.history(store, "a/story.txt")
    assert [(v.version, v.current, v.statements) for v in found.versions] == [
        (1, False, 2),
        (2, True, 3),
    ]
    # The current version carries the source's name; the old one says which it was.
    assert sorted(store.db.execute("SELECT name FROM documents").fetchall()) == [
        ("a/story.txt",),
        ("a/story.txt (version 1)",),
        ("b/story.txt",),
    ]


def test_restore_brings_back_the_old_statements_and_gc_removes_the_rest(
    store: FactStore, build
) -> None:
    store.add_extraction(build("a/story.txt", V1, F1))
    store.add_extraction(build("a/story.txt", V2, F2), replace=True)
    before = generation.current(store.db)
    found, changed = versions.restore(store, "a/story.txt", 1)
    assert changed and found.current is not None and found.current.version == 1
    assert generation.current(store.db) == before + 1
    assert store.rows("called") == [("Ana Lee", "Bo Chan")]
    assert ("Bo Chan", "Al Roy") not in store.rows("met")
    _found, changed = versions.restore(store, "a/story.txt", 1)
    assert not changed and generation.current(store.db) == before + 1
    report = versions.collect_garbage(store)
    assert [(v.source, v.version) for v in report.versions] == [("a/story.txt", 2)]
    assert (report.texts, report.statements) == (1, 3)
    assert report.lines()[-1] == "gc: removed 1 old version, 1 text, 3 statements"
    assert generation.current(store.db) == before + 2
    assert store.db.execute("SELECT count(*) FROM statements").fetchone()[0] == 2
    assert _sources(store) == [("a/story.txt", 1, 1)]
    # Facts only version 2 stated are gone with it.
    assert store.db.execute(
        "SELECT count(*) FROM facts f JOIN entities e ON e.id = f.b_id WHERE e.name = 'Al Roy'"
    ).fetchone() == (0,)
    assert versions.collect_garbage(store).lines() == [
        "gc: nothing to remove; every stored version is current"
    ]


def test_gc_keeps_a_text_another_source_still_holds(store: FactStore, build) -> None:
    store.add_extraction(build("a/story.txt", V1, F1))
    store.add_extraction(build("b/story.txt", V1, F1))
    store.add_extraction(build("a/story.txt", V2, F2), replace=True)
    report = versions.collect_garbage(store)
    assert report.texts == 0 and report.versions[0].also_at == ("b/story.txt",)
    assert store.rows("called") == [("Ana Lee", "Bo Chan"), ("Ana Lee", "Bo Chen")]


def test_restore_errors(store: FactStore, build) -> None:
    store.add_extraction(build("a/story.txt", V1, F1))
    store.add_extraction(build("b/story.txt", V2, F2))
    with pytest.raises(StoreError, match=r"names 2 documents: a/story.txt, b/story.txt"):
        versions.history(store, "story.txt")
    with pytest.raises(StoreError, match=r"a/story.txt has no version 3; its versions are 1"):
        versions.restore(store, "a/story.txt", 3)
    with pytest.raises(StoreError, match=r"no document 'nothing.txt'"):
        versions.history(store, "nothing.txt")
    sha = store.db.execute("SELECT sha256 FROM documents WHERE name = 'b/story.txt'").fetchone()[0]
    assert versions.resolve_source(store, sha[:8]) == "b/story.txt"
    assert versions.resolve_source(store, "./a/story.txt") == "a/story.txt"


def test_hostile_source_names_stay_values(store: FactStore, build) -> None:
    store.add_extraction(build(HOSTILE, V1, F1))
    store.add_extraction(build(HOSTILE, V2, F2), replace=True)
    assert [v.version for v in versions.history(store, HOSTILE).versions] == [1, 2]
    versions.restore(store, HOSTILE, 1)
    assert store.rows("called") == [("Ana Lee", "Bo Chan")]
    assert store.document_names() == [HOSTILE]
    assert versions.collect_garbage(store).versions[0].source == HOSTILE
    assert "documents" in store.db.table_names()


def test_a_failed_restore_changes_nothing(store: FactStore, build, monkeypatch) -> None:
    store.add_extraction(build("a/story.txt", V1, F1))
    store.add_extraction(build("a/story.txt", V2, F2), replace=True)
    before = (_sources(store), store.rows("statement"), generation.current(store.db))

    def broken(db, doc_id):  # type: ignore[no-untyped-def]
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(versions, "apply_reviews", broken)
    with pytest.raises(StoreError, match=r"cannot restore 'a/story.txt': disk I/O error"):
        versions.restore(store, "a/story.txt", 1)
    with pytest.raises(StoreError, match=r"cannot store 'a/story.txt'"):
        versions.place_stored_text(store, "a/story.txt", _sha(store, 1), replace=True)
    assert (_sources(store), store.rows("statement"), generation.current(store.db)) == before


def test_a_failed_replace_keeps_the_current_version(store: FactStore, build, monkeypatch) -> None:
    store.add_extraction(build("a/story.txt", V1, F1))
    before = (
        _sources(store),
        store.rows("statement"),
        store.db.execute("SELECT * FROM documents").fetchall(),
    )

    def broken(db, ids):  # type: ignore[no-untyped-def]
        raise sqlite3.IntegrityError("UNIQUE constraint failed: documents.name")

    monkeypatch.setattr(versions, "_relabel", broken)
    with pytest.raises(StoreError, match="UNIQUE constraint failed"):
        store.add_extraction(build("a/story.txt", V2, F2), replace=True)
    after = (
        _sources(store),
        store.rows("statement"),
        store.db.execute("SELECT * FROM documents").fetchall(),
    )
    assert after == before


def test_a_failed_gc_removes_nothing(store: FactStore, build, monkeypatch) -> None:
    store.add_extraction(build("a/story.txt", V1, F1))
    store.add_extraction(build("a/story.txt", V2, F2), replace=True)
    monkeypatch.setattr(versions, "delete_text", _raise_full)
    with pytest.raises(StoreError, match="cannot collect garbage: database or disk is full"):
        versions.collect_garbage(store)
    assert _sources(store) == [("a/story.txt", 1, 0), ("a/story.txt", 2, 1)]
    assert store.db.execute("SELECT count(*) FROM statements").fetchone()[0] == 5


def _raise_full(*_args: object) -> int:
    raise sqlite3.OperationalError("database or disk is full")


def _sha(store: FactStore, version: int) -> str:
    return store.db.execute(
        "SELECT d.sha256 FROM documents d JOIN document_sources v ON v.doc_id = d.id "
        "WHERE v.version = ?",
        [version],
    ).fetchone()[0]


# --------------------------------------------------------------------------- review decisions


def test_decisions_follow_the_current_version_and_come_back_with_a_restore(
    store: FactStore, build
) -> None:
    store.add_extraction(build("a/story.txt", V1, F1))
    review.reject(store, [_id(store, "met", "Ana Lee")], reason="misread", by="ed")
    review.reject(store, [_id(store, "called", "Bo Chan")], reason="misread", by="ed")
    store.add_extraction(build("a/story.txt", V2, F2), replace=True)
    # The same statement at the same span in the new version: still rejected.
    assert ("Marcus Hale", "Ana Lee") not in store.rows("met")
    # Another statement at the span of a rejected one: a decision on one text is not
    # guessed onto a different statement of another.
    assert store.rows("called") == [("Ana Lee", "Bo Chen")]
    review.confirm(store, [_id(store, "called", "Bo Chen")], by="ed")
    versions.restore(store, "a/story.txt", 1)
    assert store.rows("called") == [] and ("Marcus Hale", "Ana Lee") not in store.rows("met")
    versions.restore(store, "a/story.txt", 2)
    statuses = {i.args: i.status for i in review.review_queue(store)}
    assert statuses[("Ana Lee", "Bo Chen")] == review.Status.CONFIRMED
    assert statuses[("Marcus Hale", "Ana Lee")] == review.Status.REJECTED


def test_decisions_on_a_shared_text_hold_for_both_sources(store: FactStore, build) -> None:
    store.add_extraction(build("a/story.txt", V1, F1))
    store.add_extraction(build("b/copy.txt", V1, F1))
    review.reject(store, [_id(store, "called", "Bo Chan")], reason="misread", by="ed")
    # a/story.txt moves on; b/copy.txt still holds the text, and the decision on it.
    store.add_extraction(build("a/story.txt", V2, F2), replace=True)
    assert ("Ana Lee", "Bo Chan") not in store.rows("called")


# --------------------------------------------------------------------------- older stores


@pytest.fixture
def old_store(tmp_path: Path) -> Path:
    """A store file as deniable wrote it before versions (see data/pre_versions.sql)."""
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    conn.executescript((DATA / "pre_versions.sql").read_text(encoding="utf-8"))
    conn.close()
    return path


def test_an_older_store_is_upgraded_when_opened_writable(old_store: Path, build) -> None:
    with FactStore.open(old_store) as s:
        assert _sources(s) == [("story.txt", 1, 1)]
        assert s.rows("called") == []  # its rejected statement stays rejected
        assert s.rows("met") == [("Jane Doe", "Marcus Bell")]
        (sha,) = s.db.execute("SELECT sha256 FROM reviews").fetchone()
        assert sha == _sha(s, 1)
        # The upgraded store takes new versions like any other.
        s.add_extraction(build("story.txt", V1, F1), replace=True)
        assert [v.version for v in versions.history(s, "story.txt").versions] == [1, 2]
        versions.restore(s, "story.txt", 1)
        assert s.rows("called") == [] and s.rows("met") == [("Jane Doe", "Marcus Bell")]


def test_a_failed_upgrade_leaves_the_older_store_as_it_was(old_store: Path, monkeypatch) -> None:
    before = old_store.read_bytes()
    real = schema._run

    def failing(db, script):  # type: ignore[no-untyped-def]
        if "CREATE VIEW" in script:
            raise sqlite3.OperationalError("disk I/O error")
        real(db, script)

    monkeypatch.setattr(schema, "_run", failing)
    with pytest.raises(StoreError, match=r"old.db: error: cannot upgrade this fact store"):
        FactStore.open(old_store)
    assert old_store.read_bytes() == before
    monkeypatch.undo()
    with FactStore.open(old_store) as s:
        assert _sources(s) == [("story.txt", 1, 1)]


def test_an_older_store_opened_read_only_still_answers(old_store: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy.db"
    shutil.copy(old_store, copy)
    before = copy.read_bytes()
    with FactStore.open(f"{copy.resolve().as_uri()}?mode=ro") as s:
        assert [
            (v.version, v.current, v.statements) for v in versions.history(s, "story.txt").versions
        ] == [(1, True, 2)]
        assert s.rows("met") == [("Jane Doe", "Marcus Bell")]
        assert s.document_names() == ["story.txt"]
        assert len(review.review_queue(s, doc="story.txt")) == 2
        with pytest.raises(StoreError, match="read-only"):
            versions.collect_garbage(s)
    assert copy.read_bytes() == before
