"""``deniable ingest``: each skip one line on stderr, the summary counts by reason, --encoding."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from deniable.cli import main
from deniable.facts.store import FactStore
from deniable.grammar.intake import read_file

ARTICLE = "Doe and Bell met\n\nJane Doe met Marcus Bell in Rome.\n"
LATIN1 = "Café talk\n\nJosé Núñez met Marcus Bell in Zürich.\n"
#: A skip line: ``file[:line]: reason``, nothing else.
SKIP_LINE = re.compile(r"^(?P<file>[^:]+?)(?::(?P<line>\d+))?: (?P<reason>\S.*)$")


def _ingest(capsys: pytest.CaptureFixture[str], db: Path, *args: str) -> tuple[int, str, str]:
    status = main(["--db", str(db), "ingest", *args])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def _summary_count(out: str, label: str) -> int:
    (line,) = [ln for ln in out.splitlines() if label in ln]
    return int(line.split()[-1])


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A folder of one good article and one of each kind of problem."""
    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "good.txt").write_text(ARTICLE, encoding="utf-8")
    (articles / "empty.txt").write_text("  \n", encoding="utf-8")
    (articles / "binary.txt").write_bytes(b"\x00\x01\x02binary")
    (articles / "latin.txt").write_bytes(LATIN1.encode("latin-1"))
    # A fragment, not a page with an article in it.
    (articles / "page.html").write_text("<p>Jane Doe met Marcus Bell.</p>", encoding="utf-8")
    (articles / "notes.csv").write_text("name,met\nJane Doe,Marcus Bell\n", encoding="utf-8")
    good = json.dumps({"id": "r1", "title": "T", "text": "Ann Ruiz met Tom Harlan."})
    (articles / "feed.jsonl").write_text(
        f"{good}\n{{not json\n[1, 2]\n" + json.dumps({"id": "r4", "text": ""}) + "\n",
        encoding="utf-8",
    )
    return articles


def test_every_skip_is_one_line_on_stderr(folder: Path, db_path: Path, capsys) -> None:
    status, out, err = _ingest(capsys, db_path, str(folder))
    assert status == 1
    lines = err.strip().splitlines()
    parsed = [SKIP_LINE.match(line) for line in lines]
    assert all(parsed), lines
    where = sorted((Path(m["file"]).name, m["line"]) for m in parsed if m)
    assert where == [
        ("binary.txt", None),
        ("empty.txt", None),
        ("feed.jsonl", "2"),
        ("feed.jsonl", "3"),
        ("feed.jsonl", "4"),
        ("latin.txt", "1"),
        ("notes.csv", None),
        ("page.html", None),
    ]
    # The summary, on stdout, counts them by reason and lists none of them.
    assert "skipped files" not in out and "binary.txt" not in out
    assert _summary_count(out, "documents ingested") == 2
    assert _summary_count(out, "files skipped (empty)") == 1
    assert _summary_count(out, "files skipped (binary)") == 1
    assert _summary_count(out, "files skipped (wrong encoding)") == 1
    assert _summary_count(out, "records skipped (bad JSON Lines record)") == 3
    assert _summary_count(out, "files skipped (no article text found)") == 1
    assert _summary_count(out, "not an article format") == 1
    assert "unreadable" not in out


def test_bad_jsonl_record_is_a_bad_record_with_its_line(tmp_path: Path, db_path, capsys) -> None:
    feed = tmp_path / "feed.jsonl"
    good = json.dumps({"id": "x1", "text": "Jane Doe met Marcus Bell."})
    feed.write_text(f"{good}\n{{oops\n", encoding="utf-8")
    status, out, err = _ingest(capsys, db_path, str(feed))
    assert status == 1
    assert err.startswith(f"{feed}:2: bad JSON Lines record: not JSON")
    assert len(err.strip().splitlines()) == 1
    assert _summary_count(out, "records skipped (bad JSON Lines record)") == 1
    assert "files skipped" not in out
    with FactStore.open(db_path, create=False) as store:
        assert store.document_names() == ["x1"]


def test_not_utf8_names_the_file_and_the_option(tmp_path: Path, db_path, capsys) -> None:
    path = tmp_path / "latin.txt"
    path.write_bytes(LATIN1.encode("latin-1"))
    status, _out, err = _ingest(capsys, db_path, str(path))
    assert status == 1
    (line,) = err.strip().splitlines()
    assert line.startswith(f"{path}:1: not UTF-8 (byte 0xe9 at offset 3); ")
    assert line.endswith("--encoding latin-1")
    with FactStore.open(db_path, create=False) as store:
        assert store.document_names() == []


@pytest.mark.parametrize("encoding", ["latin-1", "cp1252", "utf-16"])
def test_encoding_option(tmp_path: Path, db_path, capsys, encoding: str) -> None:
    path = tmp_path / "article.txt"
    path.write_bytes(LATIN1.encode(encoding))
    status, out, err = _ingest(capsys, db_path, str(path), "--encoding", encoding)
    assert (status, err) == (0, "")
    assert _summary_count(out, "documents ingested") == 1
    with FactStore.open(db_path, create=False) as store:
        assert "José Núñez" in json.dumps(list(store.iter_statements()), ensure_ascii=False)


def test_wrong_encoding_given_names_it(tmp_path: Path, db_path, capsys) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes("Ünïcödé\n\nJane Doe met Marcus Bell.\n".encode("latin-1"))
    status, _out, err = _ingest(capsys, db_path, str(path), "--encoding", "ascii")
    assert status == 1
    assert "not ascii" in err and "--encoding" in err and str(path) in err


@pytest.mark.parametrize("name", ["no-such-codec", "rot13"])
def test_unknown_encoding_is_a_usage_error(tmp_path: Path, db_path, capsys, name: str) -> None:
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    status, _out, err = _ingest(capsys, db_path, str(tmp_path / "a.txt"), "--encoding", name)
    assert status == 2
    assert len(err.strip().splitlines()) == 1 and name in err
    assert not db_path.exists()


def test_other_files_in_a_folder_are_listed_not_failed(tmp_path: Path, db_path, capsys) -> None:
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "photo.jpg").write_bytes(b"\xff\xd8\xff")
    status, out, err = _ingest(capsys, db_path, str(tmp_path))
    assert status == 0
    assert (
        err == f"{tmp_path / 'photo.jpg'}: not an article format "
        "(reads .htm, .html, .jsonl, .markdown, .md, .txt)\n"
    )
    assert _summary_count(out, "documents ingested") == 1


def test_read_file_allows_a_byte_order_mark(tmp_path: Path) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbf" + ARTICLE.encode("utf-8"))
    (doc,) = read_file(path)
    assert doc.text == ARTICLE and doc.title == "Doe and Bell met"


def _stored(db: Path) -> list[tuple[object, ...]]:
    with FactStore.open(str(db), create=False) as store:
        rows = store.db.execute(
            "select pred, a, b, modality, doc from statement order by id"
        ).fetchall()
    return [tuple(r) for r in rows]


def test_jobs_store_the_same_facts_in_the_same_order(tmp_path: Path, capsys) -> None:
    articles = tmp_path / "many"
    articles.mkdir()
    for k in range(6):
        (articles / f"a{k}.txt").write_text(
            f"Story {k}\n\nJane Doe met Marcus Bell in Rome on day {k}. "
            "Tory leader Ann Ruiz denied claims that she paid Tom Harlan.\n",
            encoding="utf-8",
        )
    one, two = tmp_path / "one.db", tmp_path / "two.db"
    assert _ingest(capsys, one, str(articles), "--jobs", "1")[0] == 0
    assert _ingest(capsys, two, str(articles), "--jobs", "2")[0] == 0
    assert _stored(one) == _stored(two) and len(_stored(one)) >= 12


def test_a_long_document_among_short_ones_keeps_the_order(
    tmp_path: Path, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    from deniable.grammar import intake, reader

    # Shrink "long" so a few lines take the long document's own path, read in blocks.
    monkeypatch.setattr(intake, "MAX_BLOCK", 200)
    monkeypatch.setattr(reader, "MAX_BLOCK", 200)
    articles = tmp_path / "mixed"
    articles.mkdir()
    for k in range(4):
        lines = 12 if k == 1 else 1
        text = "".join(f"Jane Doe met Marcus Bell in Rome on day {k}-{j}.\n" for j in range(lines))
        (articles / f"a{k}.txt").write_text(f"Story {k}\n\n{text}", encoding="utf-8")
    one, two = tmp_path / "one.db", tmp_path / "two.db"
    assert _ingest(capsys, one, str(articles), "--jobs", "1")[0] == 0
    assert _ingest(capsys, two, str(articles), "--jobs", "2")[0] == 0
    assert _stored(one) == _stored(two)
    assert [r[4] for r in _stored(two)] == sorted(r[4] for r in _stored(two))
    assert sum(1 for r in _stored(two) if r[4] == "a1.txt" and r[0] == "met") >= 12


def test_jobs_must_be_positive(db_path: Path, tmp_path: Path, capsys) -> None:
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    with pytest.raises(SystemExit) as exit_info:
        main(["--db", str(db_path), "ingest", str(tmp_path / "a.txt"), "--jobs", "0"])
    assert exit_info.value.code == 2 and "--jobs" in capsys.readouterr().err


def test_two_outlets_same_file_name_are_two_documents(tmp_path: Path, capsys) -> None:
    outlets = tmp_path / "outlets"
    (outlets / "a").mkdir(parents=True)
    (outlets / "b").mkdir()
    (outlets / "a" / "story.txt").write_text("A\n\nAnn Cole met Rick Dunn in Leeds.\n")
    (outlets / "b" / "story.txt").write_text("B\n\nTom Hale met Ivo Brandt in York.\n")
    db = tmp_path / "x.db"
    assert _ingest(capsys, db, str(outlets))[0] == 0
    (outlets / "b" / "story.txt").write_text("B\n\nTom Hale met Ivo Brandt in Hull.\n")
    assert _ingest(capsys, db, "--replace", str(outlets))[0] == 0
    rows = _stored(db)
    assert {r[4] for r in rows} == {"a/story.txt", "b/story.txt"}
    # outlet A's article and its facts survive the replacement of outlet B's
    assert ("met", "Ann Cole", "Rick Dunn", "asserted", "a/story.txt") in rows
