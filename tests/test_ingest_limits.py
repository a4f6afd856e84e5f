"""Limits on what ``deniable ingest`` reads: file and record size, sentence length; skip lines."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from deniable.cli import main
from deniable.facts.model import Document
from deniable.facts.store import FactStore
from deniable.grammar import readers
from deniable.grammar.readers import bound_sentences, sha256

ARTICLE = "Doe and Bell met\n\nJane Doe met Marcus Bell in Rome.\n"
#: Prose with no full stop anywhere, as a page scraped without its markup can be.
WORDS = "officials from the harbour council and the shipping agency said they would discuss"


def _ingest(capsys: pytest.CaptureFixture[str], db: Path, *args: str) -> tuple[int, str, str]:
    status = main(["--db", str(db), "ingest", *args])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def _count(out: str, label: str) -> int:
    (line,) = [ln for ln in out.splitlines() if label in ln]
    return int(line.split()[-1])


def _doc(text: str) -> Document:
    return Document("d.txt", text, sha256=sha256(text))


# --------------------------------------------------------------------------- sentence length


def test_lines_within_the_limit_are_left_alone() -> None:
    doc = _doc("A short line.\n" + "x" * 50 + "\n")
    assert bound_sentences(doc, 50) == (doc, [])


def test_a_long_line_without_full_stops_is_cut_at_spaces() -> None:
    line = " ".join([WORDS] * 40)
    doc = _doc(f"Title\n\n{line}\nLast line.\n")
    cut, lines = bound_sentences(doc, 200)
    assert lines == [3]
    assert all(len(part) <= 200 for part in cut.text.split("\n"))
    # Only spaces became line breaks: the text keeps its length and every word.
    assert len(cut.text) == len(doc.text) and cut.text.replace("\n", " ") == doc.text.replace(
        "\n", " "
    )
    assert cut.text.count("\n") > doc.text.count("\n") + len(line) // 200 - 1
    assert cut.sha256 == sha256(cut.text) != doc.sha256


def test_a_long_line_is_cut_after_a_sentence_but_not_after_mr() -> None:
    sentence = "Mr. Bell met the council and the agency in Rotterdam on Monday morning."
    line = " ".join([sentence] * 10)
    cut, _lines = bound_sentences(_doc(line), 160)
    parts = cut.text.split("\n")
    assert all(len(p) <= 160 for p in parts) and len(parts) > 1
    assert all(p.endswith("morning.") for p in parts[:-1])
    assert not [p for p in parts if p.endswith("Mr.")]


def test_a_line_without_spaces_is_cut_anywhere() -> None:
    cut, lines = bound_sentences(_doc("y" * 1050), 100)
    assert lines == [1] and [len(p) for p in cut.text.split("\n")] == [100] * 10 + [50]


def test_a_long_line_is_read_as_bounded_sentences(tmp_path: Path, db_path: Path, capsys) -> None:
    path = tmp_path / "scraped.txt"
    line = " ".join([WORDS] * 60) + ". Jane Doe met Marcus Bell in Rome."
    path.write_text(f"Harbour\n\n{line}\n", encoding="utf-8")
    status, out, err = _ingest(capsys, db_path, str(path), "--max-sentence-chars", "300")
    assert status == 0
    assert err == (
        f"{path}:3: a line of {len(line)} characters is over the 300 character sentence limit, "
        "cut into shorter sentences (--max-sentence-chars)\n"
    )
    assert _count(out, "documents with over-long lines cut into sentences") == 1
    with FactStore.open(db_path, create=False) as store:
        lengths = [r[0] for r in store.db.execute("SELECT length(text) FROM sentences")]
        assert len(lengths) > len(line) // 300 and max(lengths) <= 300
        assert ("Jane Doe", "Marcus Bell") in store.rows("met")


# --------------------------------------------------------------------------- size


def test_a_file_over_max_bytes_is_one_line_with_the_limit(
    tmp_path: Path, db_path: Path, capsys
) -> None:
    (tmp_path / "small.txt").write_text(ARTICLE, encoding="utf-8")
    big = tmp_path / "big.txt"
    big.write_text(ARTICLE + "x " * 600, encoding="utf-8")
    status, out, err = _ingest(capsys, db_path, str(tmp_path), "--max-bytes", "1K")
    assert status == 1
    size = big.stat().st_size
    assert err == f"{big}: file is {size} bytes, over the 1024 byte limit (--max-bytes)\n"
    assert _count(out, "files skipped (too large)") == 1
    assert _count(out, "documents ingested") == 1


def test_the_default_limit_is_the_readers(tmp_path: Path, monkeypatch, db_path, capsys) -> None:
    monkeypatch.setattr(readers, "MAX_BYTES", 20)
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    status, _out, err = _ingest(capsys, db_path, str(tmp_path / "a.txt"))
    assert status == 1 and "over the 20 byte limit (--max-bytes)" in err


def test_a_record_over_max_bytes_is_skipped_alone(tmp_path: Path, db_path: Path, capsys) -> None:
    feed = tmp_path / "feed.jsonl"
    records = [
        {"id": "r1", "text": "Jane Doe met Marcus Bell in Rome."},
        {"id": "r2", "text": "Ann Ruiz met Tom Harlan. " * 60},
        {"id": "r3", "text": "Lena Park met Omar Haddad in Oslo."},
    ]
    feed.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    # The file is over the limit, each record but one within it.
    assert feed.stat().st_size > 1024
    status, out, err = _ingest(capsys, db_path, str(feed), "--max-bytes", "1024")
    assert status == 1
    size = len(json.dumps(records[1]).encode())
    assert err == f"{feed}:2: record is {size} bytes, over the 1024 byte limit (--max-bytes)\n"
    assert _count(out, "records skipped (too large)") == 1
    with FactStore.open(db_path, create=False) as store:
        assert store.document_names() == ["r1", "r3"]


@pytest.mark.parametrize(
    ("option", "value"),
    [("--max-bytes", "0"), ("--max-bytes", "lots"), ("--max-sentence-chars", "-5")],
)
def test_limits_must_be_positive(tmp_path: Path, db_path, capsys, option, value) -> None:
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    with pytest.raises(SystemExit) as exit_info:
        main(["--db", str(db_path), "ingest", str(tmp_path / "a.txt"), option, value])
    assert exit_info.value.code == 2 and option in capsys.readouterr().err
    assert not db_path.exists()


# --------------------------------------------------------------------------- skip lines


def test_a_changed_record_is_refused_at_its_line(tmp_path: Path, db_path: Path, capsys) -> None:
    feed = tmp_path / "feed.jsonl"
    first = {"id": "r1", "text": "Jane Doe met Marcus Bell in Rome."}
    second = {"id": "r2", "text": "Ann Ruiz met Tom Harlan in Leeds."}
    feed.write_text(f"{json.dumps(first)}\n{json.dumps(second)}\n", encoding="utf-8")
    assert _ingest(capsys, db_path, str(feed))[0] == 0
    second["text"] = "Ann Ruiz met Tom Harlan in York."
    feed.write_text(f"{json.dumps(first)}\n{json.dumps(second)}\n", encoding="utf-8")
    status, out, err = _ingest(capsys, db_path, str(feed))
    assert status == 1
    (line,) = err.splitlines()
    assert re.match(rf"^{re.escape(str(feed))}:2: \S.*--replace", line), line
    assert _count(out, "documents skipped (could not be extracted or stored)") == 1
    assert _count(out, "documents skipped (already stored)") == 1
