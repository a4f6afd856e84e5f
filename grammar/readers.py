"""Article files to documents: plain text, Markdown, JSON Lines and HTML, with one-line problems.

Also the limits every document is held to: a file's size (:data:`MAX_BYTES`) and a
sentence's length (:data:`MAX_SENTENCE_CHARS`, enforced by :func:`bound_sentences`).
"""

from __future__ import annotations

import codecs
import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from deniable.facts.model import Document

#: Files larger than this are skipped: an article is never this long.
MAX_BYTES = 5 * 1024 * 1024
#: No sentence is longer than this: a longer line is cut (:func:`bound_sentences`).  The
#: longest sentence in the BBC news set is about 410 characters, its longest line 1,633.
MAX_SENTENCE_CHARS = 2000
HTML_SUFFIXES = frozenset({".html", ".htm"})
SUFFIXES = frozenset({".txt", ".md", ".markdown", ".jsonl"}) | HTML_SUFFIXES
#: Why an HTML page gives no document.
NO_TEXT = "no article text found"
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$")


@dataclass(frozen=True, slots=True)
class Problem:
    """A file (or JSON Lines line) that could not be read, with the reason."""

    where: str
    reason: str

    def __str__(self) -> str:
        return f"{self.where}: {self.reason}"


def sha256(text: str) -> str:
    """Content hash of a document text."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def read(path: Path, *, source: str | None = None) -> Iterator[Document | Problem]:
    """Yield the documents of one file, or a :class:`Problem` for what cannot be read.

    ``source`` is what the file is stored as (default: its name); a JSON Lines record
    is its ``id``, else its ``url``, else ``<source>:<line>``.
    """
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            yield Problem(str(path), f"file is {size} bytes, over the {MAX_BYTES} byte limit")
            return
        data = path.read_bytes()
    except OSError as exc:
        yield Problem(str(path), f"cannot read: {exc.strerror or exc}")
        return
    if not data.strip():
        yield Problem(str(path), "empty file")
        return
    if b"\x00" in data[:8192]:
        yield Problem(str(path), "binary file (NUL bytes), not an article")
        return
    # A web page may say what it is encoded in; anything else is UTF-8.
    codec = declared_charset(data) if path.suffix.lower() in HTML_SUFFIXES else None
    try:
        text = data.decode("utf-8-sig" if codec in (None, "utf-8") else codec)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        yield Problem(
            f"{path}:{line}", f"invalid UTF-8 at byte {exc.start}; save the file as UTF-8"
        )
        return
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if path.suffix.lower() == ".jsonl":
        items: Iterator[Document | Problem] = _jsonl(path, text, source)
    elif path.suffix.lower() in (".md", ".markdown"):
        items = iter([_markdown(path, text, source)])
    elif path.suffix.lower() in HTML_SUFFIXES:
        html = _html(path, text, source)
        items = iter([html if html is not None else Problem(str(path), NO_TEXT)])
    else:
        items = iter([_plain(path, text, source)])
    for item in items:
        yield bound_sentences(item)[0] if isinstance(item, Document) else item


# A line left over from a web page's markup ('class="x">', '<div ...>') is not a title.
_MARKUP = re.compile(r"^[^\w]*<|[=\"”]\s*>\s*$|^\w+=[\"”]")


def _first_line(text: str) -> str:
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    return next((ln for ln in lines if not _MARKUP.search(ln)), lines[0] if lines else "")


def _plain(path: Path, text: str, source: str | None = None) -> Document:
    return Document(source or path.name, text, title=_first_line(text), sha256=sha256(text))


def _markdown(path: Path, text: str, source: str | None = None) -> Document:
    title = ""
    for line in text.splitlines():
        m = _HEADING.match(line)
        if m:
            title = m.group(1)
            break
    if not title:
        title = _first_line(text)
    return Document(source or path.name, text, title=title, sha256=sha256(text))


def _jsonl(path: Path, text: str, source: str | None = None) -> Iterator[Document | Problem]:
    for n, line in enumerate(text.split("\n"), 1):
        if line.strip():
            yield record(path, n, line, source)


def record(path: Path, n: int, line: str, source: str | None = None) -> Document | Problem:
    """The document of line ``n`` of a JSON Lines file, or the :class:`Problem` with it."""
    where = f"{path}:{n}"
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        return Problem(f"{where}:{exc.colno}", f"not JSON: {exc.msg}")
    except RecursionError:
        return Problem(where, "not JSON: nested too deeply")
    if not isinstance(obj, dict):
        return Problem(where, "each line must be a JSON object")
    body = obj.get("text")
    if not isinstance(body, str) or not body.strip():
        return Problem(where, "missing or empty 'text'")
    fields = {k: obj.get(k, "") for k in ("id", "title", "url", "date", "outlet", "author")}
    bad = [
        k for k, val in fields.items() if not isinstance(val, str | int) or isinstance(val, bool)
    ]
    if bad:
        return Problem(where, f"field(s) {', '.join(bad)} must be strings")
    # A record's source is its id, else its URL, else its line in the file.
    name = str(fields["id"]) or str(fields["url"]) or f"{source or path.name}:{n}"
    title = str(fields["title"])
    # The title is part of the text the facts point into, as for plain files.
    full = f"{title}\n\n{body}" if title and not body.startswith(title) else body
    return Document(
        name,
        full,
        title=title,
        url=str(fields["url"]),
        date=str(fields["date"]),
        outlet=str(fields["outlet"]),
        author=str(fields["author"]),
        sha256=sha256(full),
    )


_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)


def declared_charset(data: bytes) -> str | None:
    """The encoding an HTML page declares in a ``<meta>`` near its start, if Python knows it."""
    m = _CHARSET.search(data[:4096])
    if m is None:
        return None
    try:
        name = codecs.lookup(m.group(1).decode("ascii")).name
    except LookupError:
        return None
    # A page whose <meta> can be read as ASCII is not UTF-16 whatever it says (as browsers do).
    return None if name.startswith(("utf-16", "utf-32")) else name


#: A sentence ends in a full stop, question or exclamation mark (and a quote or bracket).
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*(?=\s)")


def _html(path: Path, text: str, source: str | None = None) -> Document | None:
    """The article in an HTML page: its main text, title, date, author, URL and site.

    trafilatura gets the page as a string, so it never fetches anything.  Scripts,
    styles, navigation, comments, tables and other page furniture are left out.
    ``None`` when the page holds no main text with a sentence in it (an index page).
    """
    import trafilatura  # a slow import, needed only for web pages

    found = trafilatura.bare_extraction(
        text,
        favor_precision=True,
        include_comments=False,
        include_tables=False,
        with_metadata=True,
        # Only a date the page's markup gives, never one guessed from its text.
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    body = (getattr(found, "text", None) or "").strip() if found is not None else ""
    # A page whose "main text" is a row of links holds no sentence: no article.
    if not any(_SENTENCE_END.search(line + " ") for line in body.splitlines()):
        return None

    def meta(key: str) -> str:
        value = getattr(found, key, None)
        return " ".join(str(value).split()) if value else ""

    title = meta("title")
    full = f"{title}\n\n{body}" if title and not body.startswith(title) else body
    return Document(
        source or path.name,
        full,
        title=title or _first_line(body),
        url=meta("url"),
        date=meta("date"),
        outlet=meta("sitename"),
        author=meta("author"),
        sha256=sha256(full),
    )


#: A lower-case word before a full stop that does not end a sentence.
_ABBREVIATIONS = frozenset({"vs", "approx", "cf", "eg", "ie", "al", "ca"})


def bound_sentences(document: Document, limit: int | None = None) -> tuple[Document, list[int]]:
    """``document`` with no line longer than ``limit`` characters, and the lines that were cut.

    A line ends a sentence in both readers, so no sentence is then longer than the
    limit (default :data:`MAX_SENTENCE_CHARS`).  A longer line is cut at the last
    sentence end that fits, else at the last space, else anywhere: the space becomes
    a line break (the text keeps its length), or a line break is put in.  Lines
    within the limit are left as they are; the hash is of the text as cut.
    """
    limit = MAX_SENTENCE_CHARS if limit is None else limit
    text = document.text
    if limit < 1 or all(len(line) <= limit for line in text.split("\n")):
        return document, []
    lines = text.split("\n")
    cut = [n for n, line in enumerate(lines, 1) if len(line) > limit]
    for n in cut:
        lines[n - 1] = _cut_line(lines[n - 1], limit)
    new = "\n".join(lines)
    return replace(document, text=new, sha256=sha256(new)), cut


def _cut_line(line: str, limit: int) -> str:
    pieces: list[str] = []
    start = 0
    while len(line) - start > limit:
        window = line[start : start + limit + 1]
        at = _sentence_cut(window)
        if at is None:
            at = max(window.rfind(" "), window.rfind("\t"))
        if at > 0:
            pieces.append(line[start : start + at])
            start += at + 1  # the space the line break replaces
        else:
            pieces.append(line[start : start + limit])
            start += limit
    pieces.append(line[start:])
    return "\n".join(pieces)


def _sentence_cut(window: str) -> int | None:
    """Where in ``window`` the space after its last sentence end is (not after "Mr.")."""
    best = None
    for m in _SENTENCE_END.finditer(window):
        if m.end() >= len(window) or window[m.end()] not in " \t":
            continue
        word = re.search(r"(\w+)\W*$", window[max(0, m.start() - 30) : m.start() + 1])
        if window[m.start()] == "." and (
            word is None or not word.group(1).islower() or word.group(1) in _ABBREVIATIONS
        ):
            continue
        best = m.end()
    return best
