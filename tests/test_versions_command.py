"""``deniable ingest`` by source, ``history``, ``restore`` and ``gc`` run through the CLI."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from deniable.cli import main
from deniable.facts.export import export_store
from deniable.facts.load import load_export
from deniable.facts.store import FactStore

A = "Doe and Bell met\n\nJane Doe met Marcus Bell in Rome.\n"
B1 = "Ruiz and Harlan talk\n\nAnn Ruiz called Tom Harlan on Monday.\n"
B2 = "Ruiz and Harlan meet\n\nAnn Ruiz met Tom Harlan in Paris.\n"
HOSTILE = "it's\"; DROP TABLE documents; --"


def _run(capsys: pytest.CaptureFixture[str], db: Path, *args: str) -> tuple[int, str, str]:
    status = main(["--db", str(db), *args])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def _rows(capsys: pytest.CaptureFixture[str], db: Path, atom: str) -> set[str]:
    status, out, err = _run(capsys, db, "query", atom, "--format", "csv")
    assert status == 0, err
    return set(out.strip().splitlines()[1:])


@pytest.fixture
def outlets(tmp_path: Path) -> Path:
    """Two outlets, each with its own ``story.txt``."""
    root = tmp_path / "outlets"
    for outlet, text in (("a", A), ("b", B1)):
        (root / outlet).mkdir(parents=True)
        (root / outlet / "story.txt").write_text(text, encoding="utf-8")
    return root


@pytest.fixture
def stored(outlets: Path, db_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    status, _out, err = _run(capsys, db_path, "ingest", "--jobs", "1", str(outlets))
    assert status == 0, err
    return db_path


def test_two_outlets_story_txt_are_two_documents(stored: Path, capsys) -> None:
    assert _rows(capsys, stored, "met(x, y)") == {"Jane Doe,Marcus Bell"}
    assert _rows(capsys, stored, "called(x, y)") == {"Ann Ruiz,Tom Harlan"}
    with FactStore.open(stored) as store:
        assert store.document_names() == ["a/story.txt", "b/story.txt"]
    status, out, _err = _run(capsys, stored, "why", 'called("Ann Ruiz", "Tom Harlan")')
    assert status == 0 and "b/story.txt" in out and "a/story.txt" not in out
    status, out, _err = _run(capsys, stored, "review", "--doc", "a/story.txt")
    assert status == 0 and "a/story.txt — Doe and Bell met" in out and "b/story.txt" not in out


def test_replace_one_outlet_keeps_the_other_and_the_old_version(
    stored: Path, outlets: Path, capsys
) -> None:
    (outlets / "b" / "story.txt").write_text(B2, encoding="utf-8")
    status, _out, err = _run(capsys, stored, "ingest", "--jobs", "1", str(outlets))
    assert status == 1
    assert err.strip() == (
        f"{outlets / 'b' / 'story.txt'}: a different text is already stored as 'b/story.txt'; "
        "ingest with --replace to store this one as its new version "
        "(the old one stays: `deniable history b/story.txt`)"
    )
    status, _out, err = _run(capsys, stored, "ingest", "--jobs", "1", "--replace", str(outlets))
    assert status == 0, err
    assert _rows(capsys, stored, "met(x, y)") == {"Jane Doe,Marcus Bell", "Ann Ruiz,Tom Harlan"}
    assert _rows(capsys, stored, "called(x, y)") == set()

    status, out, _err = _run(capsys, stored, "history", "b/story.txt")
    assert status == 0
    lines = [ln for ln in out.splitlines() if ln.startswith("│")]
    assert [ln.split("│")[1].strip() for ln in lines] == ["1", "2"]
    assert "current" not in lines[0] and "current" in lines[1]
    assert [ln.split("│")[4].strip() for ln in lines] == ["1", "2"]  # statements

    status, out, err = _run(capsys, stored, "history", "story.txt")
    assert (status, out) == (1, "")
    assert err == (
        f"{stored}: error: 'story.txt' names 2 documents: a/story.txt, b/story.txt; "
        "give one of them\n"
    )

    status, out, err = _run(capsys, stored, "restore", "b/story.txt", "--version", "1")
    assert status == 0, err
    assert _rows(capsys, stored, "called(x, y)") == {"Ann Ruiz,Tom Harlan"}
    assert _rows(capsys, stored, "met(x, y)") == {"Jane Doe,Marcus Bell"}
    status, out, err = _run(capsys, stored, "restore", "b/story.txt", "--version", "1")
    assert status == 0 and "already the current one" in err

    status, out, err = _run(capsys, stored, "gc")
    assert status == 0, err
    sha = _history_hashes(capsys, stored, "b/story.txt")
    assert out.splitlines()[0].startswith("removed b/story.txt version 2 (")
    assert out.splitlines()[-1] == "gc: removed 1 old version, 1 text, 2 statements"
    assert len(sha) == 1
    status, out, _err = _run(capsys, stored, "restore", "b/story.txt", "--version", "2")
    assert status == 1 and "b/story.txt has no version 2; its versions are 1" in _err
    status, out, _err = _run(capsys, stored, "gc")
    assert out.strip() == "gc: nothing to remove; every stored version is current"


def _history_hashes(capsys: pytest.CaptureFixture[str], db: Path, doc: str) -> list[str]:
    status, out, err = _run(capsys, db, "history", doc)
    assert status == 0, err
    return [ln.split("│")[2].strip() for ln in out.splitlines() if ln.startswith("│")]


def test_the_same_text_from_two_places_is_stored_once(
    stored: Path, outlets: Path, tmp_path: Path, capsys
) -> None:
    with FactStore.open(stored) as store:
        before = store.stats()
    (outlets / "c").mkdir()
    shutil.copy(outlets / "a" / "story.txt", outlets / "c" / "copy.txt")
    status, out, err = _run(capsys, stored, "ingest", "--jobs", "1", str(outlets))
    assert status == 0, err
    (line,) = [ln for ln in out.splitlines() if "another source added" in ln]
    assert line.split()[-1] == "1"
    with FactStore.open(stored) as store:
        assert store.stats() == before  # no statement twice
        sources = store.db.execute(
            "SELECT source FROM document_sources WHERE current = 1 ORDER BY source"
        ).fetchall()
        assert sources == [("a/story.txt",), ("b/story.txt",), ("c/copy.txt",)]
    status, out, _err = _run(capsys, stored, "history", "copy.txt")
    assert status == 0 and "a/story.txt" in out  # the same text as
    # An export carries both sources; loading it back keeps them.
    with FactStore.open(stored) as store:
        export_store(store, fmt="jsonl", out_dir=tmp_path / "export")
    docs = [
        json.loads(line)
        for line in (tmp_path / "export" / "documents.jsonl").read_text().splitlines()
    ]
    assert [d["sources"] for d in docs] == [["a/story.txt", "c/copy.txt"], ["b/story.txt"]]
    with FactStore.open(tmp_path / "loaded.db") as other:
        load_export(other, tmp_path / "export")
        assert other.stats().statements == before.statements
        assert other.db.execute("SELECT count(*) FROM document_sources").fetchone() == (3,)


def test_hostile_paths_are_values(tmp_path: Path, db_path: Path, capsys) -> None:
    folder = tmp_path / "in" / HOSTILE
    folder.mkdir(parents=True)
    (folder / "story.txt").write_text(B1, encoding="utf-8")
    status, _out, err = _run(capsys, db_path, "ingest", "--jobs", "1", str(tmp_path / "in"))
    assert status == 0, err
    (folder / "story.txt").write_text(B2, encoding="utf-8")
    args = ("ingest", "--jobs", "1", "--replace", str(tmp_path / "in"))
    assert _run(capsys, db_path, *args)[0] == 0
    source = f"{HOSTILE}/story.txt"
    assert len(_history_hashes(capsys, db_path, source)) == 2
    assert _run(capsys, db_path, "restore", source, "--version", "1")[0] == 0
    assert _rows(capsys, db_path, "called(x, y)") == {"Ann Ruiz,Tom Harlan"}
    status, out, _err = _run(capsys, db_path, "gc")
    assert status == 0 and f"removed {source} version 2" in out


def test_a_read_only_store_shows_history_and_refuses_gc(stored: Path, capsys) -> None:
    uri = f"{stored.resolve().as_uri()}?mode=ro"
    assert len(_history_hashes(capsys, Path(uri), "a/story.txt")) == 1
    before = stored.read_bytes()
    for args in (("gc",), ("restore", "a/story.txt", "--version", "1")):
        status, _out, err = _run(capsys, Path(uri), *args)
        assert status == 1 and len(err.strip().splitlines()) == 1, err
        assert "read-only" in err and "Traceback" not in err
    assert stored.read_bytes() == before


def _current_sources(db: Path) -> list[tuple[str, int]]:
    with FactStore.open(db) as store:
        return store.db.execute(
            "SELECT source, version FROM document_sources WHERE current = 1 ORDER BY source"
        ).fetchall()


@pytest.mark.parametrize("named", ["folder", "file", "file-from-inside"])
def test_replace_given_one_outlet_replaces_exactly_its_document(
    stored: Path, outlets: Path, named: str, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    (outlets / "b" / "story.txt").write_text(B2, encoding="utf-8")
    target = {
        "folder": str(outlets / "b"),
        "file": str(outlets / "b" / "story.txt"),
        "file-from-inside": "story.txt",
    }[named]
    if named == "file-from-inside":
        monkeypatch.chdir(outlets / "b")
    status, out, err = _run(capsys, stored.resolve(), "ingest", "--jobs", "1", "--replace", target)
    assert status == 0, err
    assert "documents ingested" in out and err == ""
    # Not a third document `story.txt`: outlet B's article has a second version.
    assert _current_sources(stored) == [("a/story.txt", 1), ("b/story.txt", 2)]
    assert _rows(capsys, stored, "met(x, y)") == {"Jane Doe,Marcus Bell", "Ann Ruiz,Tom Harlan"}
    assert _rows(capsys, stored, "called(x, y)") == set()
    # The previous version is still there to restore.
    assert _run(capsys, stored, "restore", "b/story.txt", "--version", "1")[0] == 0
    assert _rows(capsys, stored, "called(x, y)") == {"Ann Ruiz,Tom Harlan"}


def test_one_outlet_ingested_again_is_the_stored_document(
    stored: Path, outlets: Path, capsys
) -> None:
    status, out, err = _run(capsys, stored, "ingest", "--jobs", "1", str(outlets / "a"))
    assert status == 0, err
    assert "another source added" not in out
    assert _current_sources(stored) == [("a/story.txt", 1), ("b/story.txt", 1)]
    # A changed text without --replace is refused under the name it is stored as.
    (outlets / "a" / "story.txt").write_text(B2, encoding="utf-8")
    status, _out, err = _run(capsys, stored, "ingest", "--jobs", "1", str(outlets / "a"))
    assert status == 1
    assert "a different text is already stored as 'a/story.txt'" in err
    assert _current_sources(stored) == [("a/story.txt", 1), ("b/story.txt", 1)]


def test_replace_by_an_ambiguous_bare_name_is_one_line_listing_the_documents(
    stored: Path, tmp_path: Path, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    elsewhere = tmp_path / "downloads"
    elsewhere.mkdir()
    (elsewhere / "story.txt").write_text(B2, encoding="utf-8")
    monkeypatch.chdir(elsewhere)
    before = stored.read_bytes()
    db = stored.resolve()
    status, out, err = _run(capsys, db, "ingest", "--jobs", "1", "--replace", "story.txt")
    assert status == 1
    assert err == (
        "story.txt: 'story.txt' names 2 stored documents: a/story.txt, b/story.txt; to replace "
        "one, give the file by a path that ends with it (…/b/story.txt)\n"
    )
    assert "documents ingested" in out
    assert stored.read_bytes() == before
    # Without --replace it is a new document of its own, as any new source is.
    status, _out, err = _run(capsys, db, "ingest", "--jobs", "1", "story.txt")
    assert status == 0, err
    assert _current_sources(stored) == [("a/story.txt", 1), ("b/story.txt", 1), ("story.txt", 1)]


def test_replace_by_a_bare_name_only_one_document_ends_with(
    db_path: Path, tmp_path: Path, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "outlets" / "a").mkdir(parents=True)
    (tmp_path / "outlets" / "a" / "story.txt").write_text(B1, encoding="utf-8")
    db = db_path.resolve()
    assert _run(capsys, db, "ingest", "--jobs", "1", str(tmp_path / "outlets"))[0] == 0
    (tmp_path / "new").mkdir()
    (tmp_path / "new" / "story.txt").write_text(B2, encoding="utf-8")
    monkeypatch.chdir(tmp_path / "new")
    status, _out, err = _run(capsys, db, "ingest", "--jobs", "1", "--replace", "story.txt")
    assert status == 0, err
    assert _current_sources(db) == [("a/story.txt", 2)]
    # In a folder, a file is never taken for a stored one by its name alone.
    (tmp_path / "new" / "story.txt").write_text(A, encoding="utf-8")
    status, _out, err = _run(
        capsys, db, "ingest", "--jobs", "1", "--replace", str(tmp_path / "new")
    )
    assert status == 0, err
    assert _current_sources(db) == [("a/story.txt", 2), ("story.txt", 1)]


@pytest.mark.parametrize("name", [HOSTILE, "b%_ü;", "o" * 200])
def test_replace_one_hostile_outlet_folder(
    tmp_path: Path, db_path: Path, name: str, capsys
) -> None:
    root = tmp_path / "in"
    for outlet, text in ((name, B1), (name + "x", A)):
        (root / outlet).mkdir(parents=True)
        (root / outlet / "story.txt").write_text(text, encoding="utf-8")
    assert _run(capsys, db_path, "ingest", "--jobs", "1", str(root))[0] == 0
    (root / name / "story.txt").write_text(B2, encoding="utf-8")
    status, _out, err = _run(
        capsys, db_path, "ingest", "--jobs", "1", "--replace", str(root / name)
    )
    assert status == 0, err
    assert _current_sources(db_path) == [(f"{name}/story.txt", 2), (f"{name}x/story.txt", 1)]
