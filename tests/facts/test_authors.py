"""Documents keep their author; a store from before the author column opens and is upgraded."""

from __future__ import annotations

import dataclasses
import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from deniable.facts.export import export_store
from deniable.facts.load import load_export
from deniable.facts.store import FactStore

DATA = Path(__file__).parent / "data"
HOSTILE = "O'Brien\"); DROP TABLE documents; --"


@pytest.fixture
def old_store(tmp_path: Path) -> Path:
    """A store file as deniable wrote it before authors (see data/pre_authors.sql)."""
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    conn.executescript((DATA / "pre_authors.sql").read_text(encoding="utf-8"))
    conn.close()
    return path


def _documents(path: Path) -> list[dict[str, object]]:
    text = (path / "documents.jsonl").read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines()]


def test_the_author_is_stored_exported_and_loaded_back(build, tmp_path: Path) -> None:
    extraction = build("page.html", ["Jane Doe met Marcus Bell in Rome."])
    doc = dataclasses.replace(extraction.document, author=HOSTILE)
    with FactStore.memory() as store:
        store.add_extraction(dataclasses.replace(extraction, document=doc))
        assert store.db.execute("SELECT author FROM documents").fetchall() == [(HOSTILE,)]
        export_store(store, fmt="jsonl", out_dir=tmp_path / "out")
    assert [d["author"] for d in _documents(tmp_path / "out")] == [HOSTILE]
    with FactStore.memory() as again:
        load_export(again, tmp_path / "out")
        assert again.db.execute("SELECT author FROM documents").fetchall() == [(HOSTILE,)]
        assert again.document_names() == ["page.html"]


def test_an_older_store_gets_an_empty_author_column(old_store: Path, build) -> None:
    with FactStore.open(old_store) as s:
        assert s.db.execute("SELECT name, title, author FROM documents").fetchall() == [
            ("story.html", "Rome talks", "")
        ]
        assert s.rows("met") == [("Jane Doe", "Marcus Bell")]
        extraction = build("new.html", ["Ann Ruiz met Tom Harlan."])
        doc = dataclasses.replace(extraction.document, author="Priya Okonkwo")
        s.add_extraction(dataclasses.replace(extraction, document=doc))
    with FactStore.open(old_store) as s:
        authors = s.db.execute("SELECT name, author FROM current_documents ORDER BY name")
        assert authors.fetchall() == [("new.html", "Priya Okonkwo"), ("story.html", "")]


def test_an_older_store_read_only_exports_without_authors(old_store: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy.db"
    shutil.copy(old_store, copy)
    before = copy.read_bytes()
    with FactStore.open(f"{copy.resolve().as_uri()}?mode=ro") as s:
        assert s.document_names() == ["story.html"]
        export_store(s, fmt="jsonl", out_dir=tmp_path / "out")
    (doc,) = _documents(tmp_path / "out")
    assert (doc["title"], doc["url"], doc["author"]) == (
        "Rome talks",
        "https://news.example/rome",
        "",
    )
    assert copy.read_bytes() == before
