"""Ingest: formats, bad files reported one line each, duplicates, --replace, entity files."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from rich.console import Console

from deniable.errors import InputError
from deniable.facts.store import FactStore
from deniable.grammar import readers
from deniable.grammar.ingest import ingest_paths

ARTICLE = (
    "Doe and Bell met in Rome\n\n"
    "Jane Doe met Marcus Bell in Rome. Jane Doe tried to call Tom Harlan.\n"
)
ENTITIES = (
    '[[entity]]\nname = "Jane Doe"\naliases = ["Doe"]\n'
    '[[entity]]\nname = "Marcus Bell"\naliases = ["Bell"]\n'
)


def _console() -> Console:
    return Console(file=io.StringIO(), width=120, color_system=None)


def _ingest(paths: list[Path], store: FactStore, **kw: object):
    return ingest_paths(
        paths,
        store,
        entities=kw.get("entities"),
        replace=bool(kw.get("replace")),
        console=_console(),
    )


def _render(report: object) -> str:
    console = _console()
    console.print(report)
    return console.file.getvalue()  # type: ignore[attr-defined]


def _preds(store: FactStore) -> list[tuple[str, str]]:
    return sorted((r["pred"], r["modality"]) for r in store.iter_statements())


def test_plain_markdown_and_jsonl(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "b.md").write_text(
        "# Heading here\n\nTom Harlan met Marcus Bell.\n", encoding="utf-8"
    )
    line = {
        "id": "c1",
        "title": "T",
        "text": "Ann Ruiz met Tom Harlan.",
        "url": "u",
        "date": "2023-01-02",
        "outlet": "O",
    }
    (tmp_path / "c.jsonl").write_text(json.dumps(line) + "\n", encoding="utf-8")
    with FactStore.memory() as store:
        report = _ingest([tmp_path], store)
        assert report.ok and report.ingested == 3
        assert sorted(store.document_names()) == ["a.txt", "b.md", "c1"]
        assert ("met", "asserted") in _preds(store)
        assert ("called", "attempted") in _preds(store)
        assert not any(p == ("called", "asserted") for p in _preds(store))
    out = _render(report)
    assert "documents ingested" in out and "3" in out and "attempted" in out


def test_markdown_title_is_its_first_heading(tmp_path: Path) -> None:
    path = tmp_path / "b.md"
    path.write_text("Intro line\n\n## The real title ##\n\ntext", encoding="utf-8")
    (doc,) = list(readers.read(path))
    assert doc.title == "The real title"


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("bad.txt", b"caf\xe9 au lait\n", "invalid UTF-8"),
        ("bin.txt", b"\x00\x01\x02binary", "binary file"),
        ("empty.txt", b"  \n", "empty file"),
    ],
)
def test_unreadable_files_are_reported_and_skipped(
    tmp_path: Path, name: str, data: bytes, reason: str
) -> None:
    (tmp_path / name).write_bytes(data)
    (tmp_path / "good.txt").write_text(ARTICLE, encoding="utf-8")
    with FactStore.memory() as store:
        report = _ingest([tmp_path], store)
        assert not report.ok
        assert report.ingested == 1
        (problem,) = report.problems
        assert name in problem.where and reason in problem.reason
        assert "\n" not in str(problem)
    assert reason in _render(report)


def test_oversize_file_is_skipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(readers, "MAX_BYTES", 100)
    (tmp_path / "big.txt").write_text("x " * 200, encoding="utf-8")
    with FactStore.memory() as store:
        report = _ingest([tmp_path], store)
    assert report.ingested == 0 and "limit" in report.problems[0].reason


def test_jsonl_bad_line_reported_with_line_number(tmp_path: Path) -> None:
    good = json.dumps({"id": "x1", "title": "t", "text": "Jane Doe met Marcus Bell."})
    path = tmp_path / "feed.jsonl"
    path.write_text(
        good + "\n{not json\n" + json.dumps({"id": "x2", "text": ""}) + "\n", encoding="utf-8"
    )
    with FactStore.memory() as store:
        report = _ingest([path], store)
        assert report.ingested == 1
        wheres = [p.where for p in report.problems]
        assert wheres[0].startswith(f"{path}:2") and wheres[1] == f"{path}:3"


def test_duplicates_skipped_and_replace_reextracts(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    with FactStore.memory() as store:
        first = _ingest([tmp_path], store)
        before = _preds(store)
        again = _ingest([tmp_path], store)
        assert (first.ingested, again.ingested, again.duplicates) == (1, 0, 1)
        replaced = _ingest([tmp_path], store, replace=True)
        assert replaced.ingested == 1
        assert _preds(store) == before


def test_failed_file_leaves_earlier_documents(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    with FactStore.memory() as store:
        _ingest([tmp_path], store)
        (tmp_path / "z.txt").write_bytes(b"\xff\xfe\xfa")
        report = _ingest([tmp_path], store)
        assert not report.ok
        assert store.document_names() == ["a.txt"]


def test_entity_file_in_folder_is_used(tmp_path: Path) -> None:
    (tmp_path / "entities.toml").write_text(ENTITIES, encoding="utf-8")
    (tmp_path / "a.txt").write_text("Headline\n\nDoe met Bell on Friday.\n", encoding="utf-8")
    with FactStore.memory() as store:
        report = _ingest([tmp_path], store)
        assert report.ok
        args = {
            tuple(json.loads(r["args"])) if isinstance(r["args"], str) else tuple(r["args"])
            for r in store.iter_statements()
        }
        assert ("Jane Doe", "Marcus Bell") in args or ("Marcus Bell", "Jane Doe") in args


def test_explicit_entity_file_and_bad_one(tmp_path: Path) -> None:
    ents = tmp_path / "elsewhere.toml"
    ents.write_text("[[entity]\nname=", encoding="utf-8")
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    with FactStore.memory() as store, pytest.raises(InputError) as info:
        _ingest([tmp_path / "a.txt"], store, entities=ents)
    assert str(info.value).startswith(str(ents))


def test_missing_path_is_an_input_error(tmp_path: Path) -> None:
    with FactStore.memory() as store, pytest.raises(InputError):
        _ingest([tmp_path / "missing"], store)


def test_order_is_sorted_and_names_are_paths_under_the_root(tmp_path: Path) -> None:
    for name in ("b.txt", "a.txt", "sub/c.txt"):
        p = tmp_path / name
        p.parent.mkdir(exist_ok=True)
        p.write_text(f"Title {name}\n\nJane Doe met Marcus Bell on {name}.\n", encoding="utf-8")
    with FactStore.memory() as store:
        _ingest([tmp_path], store)
        assert store.document_names() == ["a.txt", "b.txt", "sub/c.txt"]


def test_markup_left_over_from_a_web_page_is_not_the_title(tmp_path) -> None:
    from deniable.grammar.readers import _first_line

    assert _first_line("class=”sc-29f61514-0 jbwksb”>\nReal headline\nBody.") == "Real headline"
    assert _first_line('<div class="x">\nHeadline\n') == "Headline"
    assert _first_line("Vote = yes > no, says poll\nBody.") == "Vote = yes > no, says poll"
