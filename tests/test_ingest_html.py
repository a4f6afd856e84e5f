"""Web pages: ``.html``/``.htm`` read with trafilatura, main text and metadata, no boilerplate."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from deniable.cli import main
from deniable.facts.model import Document
from deniable.facts.store import FactStore
from deniable.grammar import readers
from deniable.grammar.intake import read_file

#: A page of our own: the article in <article>, and a name pair in every kind of furniture
#: around it (script, style, nav, aside, footer), none of which may become a fact.
PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="{charset}">
<title>Harbour talks | The Northfield Courier</title>
<link rel="canonical" href="https://courier.example/news/harbour-talks">
<meta property="og:site_name" content="The Northfield Courier">
<meta name="author" content="Priya Okonkwo">
<meta property="article:published_time" content="2024-03-05T09:30:00Z">
<style>.promo::after {{ content: "Edith Moss met Carl Wren."; }}</style>
<script>var teaser = "Oliver Grant met Anna Smith in secret.";</script>
</head>
<body>
<nav><ul><li><a href="/">Home</a></li><li>Ruth Kim met the night editor.</li></ul></nav>
<header><h1>Harbour talks end without a deal</h1></header>
<article>
<p>{name} met Marcus Bell in Rotterdam on Monday to discuss the future of the harbour,
according to officials from both cities who were present at the meeting.</p>
<p>The two mayors spoke for three hours. Later that evening reporters were told that no
agreement had been reached, although both sides wanted further talks before the summer.</p>
<p>Bell said the talks had been useful and that the council would publish its own account
of the meeting within a week.</p>
</article>
<aside>Most read: Tom Harlan met Ivo Brandt at the races.</aside>
<footer><p>Subscribe to our newsletter. Edward Lane met Clara Voss at the awards.</p></footer>
<script>document.write("Ann Ruiz phoned Tom Harlan.");</script>
</body>
</html>
"""
FURNITURE = ("Edith", "Oliver", "Anna Smith", "Ruth Kim", "Ivo Brandt", "Clara Voss", "Ann Ruiz")
INDEX = """<html><head><title>Index</title><script>var s = "Jane Doe met Marcus Bell.";</script>
</head><body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
<footer>Copyright</footer></body></html>
"""


def _page(name: str = "Jane Doe", charset: str = "utf-8") -> str:
    return PAGE.format(name=name, charset=charset)


def _ingest(capsys: pytest.CaptureFixture[str], db: Path, *args: str) -> tuple[int, str, str]:
    status = main(["--db", str(db), "ingest", *args])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def _count(out: str, label: str) -> int:
    (line,) = [ln for ln in out.splitlines() if label in ln]
    return int(line.split()[-1])


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any attempt to open a connection fails the test."""

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("reading a web page tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


def test_a_page_named_directly_gives_its_article_and_metadata(
    tmp_path: Path, db_path: Path, capsys, no_network: None
) -> None:
    page = tmp_path / "harbour.html"
    page.write_text(_page(), encoding="utf-8")
    status, out, err = _ingest(capsys, db_path, str(page), "--jobs", "1")
    assert (status, err) == (0, "")
    assert _count(out, "documents ingested") == 1
    with FactStore.open(db_path, create=False) as store:
        ((name, title, url, date, outlet, author, text),) = store.db.execute(
            "SELECT name, title, url, date, outlet, author, text FROM current_documents"
        ).fetchall()
        rows = store.db.execute("SELECT pred, a, b FROM statement").fetchall()
    assert (name, title, url, date, outlet, author) == (
        "harbour.html",
        "Harbour talks end without a deal",
        "https://courier.example/news/harbour-talks",
        "2024-03-05",
        "The Northfield Courier",
        "Priya Okonkwo",
    )
    assert text.startswith("Harbour talks end without a deal\n\nJane Doe met Marcus Bell")
    assert "<" not in text and "teaser" not in text and "newsletter" not in text
    assert not [word for word in FURNITURE if word in text]
    assert ("met", "Jane Doe", "Marcus Bell") in [tuple(r) for r in rows]
    assert not [r for r in rows if {r[1], r[2]} & set(FURNITURE)]


def test_pages_in_a_folder_are_read_not_skipped(tmp_path: Path, no_network: None) -> None:
    folder = tmp_path / "site"
    (folder / "world").mkdir(parents=True)
    (folder / "world" / "a.htm").write_text(_page("Lena Park"), encoding="utf-8")
    (folder / "b.HTML").write_text(_page("Omar Haddad"), encoding="utf-8")
    with FactStore.memory() as store:
        from deniable.grammar.intake import ingest

        summary = ingest([folder], store)
        assert (summary.ingested, summary.skips) == (2, [])
        assert store.document_names() == ["b.HTML", "world/a.htm"]


def test_a_page_without_article_text_is_one_line_and_counted(
    tmp_path: Path, db_path: Path, capsys
) -> None:
    index = tmp_path / "index.html"
    index.write_text(INDEX, encoding="utf-8")
    status, out, err = _ingest(capsys, db_path, str(index))
    assert status == 1
    assert err == f"{index}: no article text found\n"
    assert _count(out, "files skipped (no article text found)") == 1
    with FactStore.open(db_path, create=False) as store:
        assert store.document_names() == [] and store.rows("met") == []


def test_a_page_is_decoded_as_it_declares_or_as_encoding_says(tmp_path: Path) -> None:
    page = tmp_path / "p.html"
    page.write_bytes(_page("José Núñez", "windows-1252").encode("cp1252"))
    (doc,) = read_file(page)
    assert "José Núñez met Marcus Bell" in doc.text
    # --encoding wins over what the page says.
    (skip,) = read_file(page, "utf-8")
    assert skip.kind == "encoding" and "not utf-8 (byte 0xe9 at offset" in skip.reason
    # A page that declares nothing is UTF-8, and one that is not says how to give it.
    plain = tmp_path / "q.html"
    plain.write_bytes(_page("José Núñez").replace('charset="utf-8"', "").encode("latin-1"))
    (skip,) = read_file(plain)
    assert skip.kind == "encoding" and "--encoding" in skip.reason
    (doc,) = read_file(plain, "latin-1")
    assert "José Núñez" in doc.text


def test_a_hostile_file_name_is_stored_as_it_is(tmp_path: Path, db_path: Path, capsys) -> None:
    hostile = "it's\"; DROP TABLE documents; --.html"
    (tmp_path / hostile).write_text(_page(), encoding="utf-8")
    status, _out, err = _ingest(capsys, db_path, str(tmp_path))
    assert (status, err) == (0, "")
    with FactStore.open(db_path, create=False) as store:
        assert store.document_names() == [hostile]
        assert store.rows("met") == [("Jane Doe", "Marcus Bell")]


def test_extract_reads_a_page_too(tmp_path: Path) -> None:
    """``deniable extract`` goes through the plain reader: it reads pages the same way."""
    page = tmp_path / "harbour.html"
    page.write_text(_page(), encoding="utf-8")
    (doc,) = readers.read(page)
    assert isinstance(doc, Document)
    assert doc.author == "Priya Okonkwo" and "Oliver" not in doc.text
    (index,) = readers.read(_write(tmp_path / "index.htm", INDEX))
    assert str(index) == f"{tmp_path / 'index.htm'}: no article text found"


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_the_page_readers_own_logging_stays_off_stderr(tmp_path: Path) -> None:
    """trafilatura logs errors on a fragment: they must not reach stderr among the skip lines.

    (trafilatura and htmldate give their loggers a NullHandler; this holds them to it.)
    """
    import subprocess
    import sys

    script = (
        "from pathlib import Path\n"
        "from deniable.grammar import readers\n"
        "assert readers._html(Path('x.html'), '<p>Jane Doe met Marcus Bell.</p>') is None\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert (done.returncode, done.stderr) == (0, "")
