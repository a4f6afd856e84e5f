"""Article files to documents: plain text, Markdown and JSON Lines, with one-line problems."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from deniable.facts.model import Document

#: Files larger than this are skipped: an article is never this long.
MAX_BYTES = 5 * 1024 * 1024
SUFFIXES = frozenset({".txt", ".md", ".markdown", ".jsonl"})
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
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        yield Problem(
            f"{path}:{line}", f"invalid UTF-8 at byte {exc.start}; save the file as UTF-8"
        )
        return
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if path.suffix.lower() == ".jsonl":
        yield from _jsonl(path, text, source)
    elif path.suffix.lower() in (".md", ".markdown"):
        yield _markdown(path, text, source)
    else:
        yield _plain(path, text, source)


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
        if not line.strip():
            continue
        where = f"{path}:{n}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Problem(f"{where}:{exc.colno}", f"not JSON: {exc.msg}")
            continue
        if not isinstance(obj, dict):
            yield Problem(where, "each line must be a JSON object")
            continue
        body = obj.get("text")
        if not isinstance(body, str) or not body.strip():
            yield Problem(where, "missing or empty 'text'")
            continue
        fields = {k: obj.get(k, "") for k in ("id", "title", "url", "date", "outlet")}
        bad = [
            k
            for k, val in fields.items()
            if not isinstance(val, str | int) or isinstance(val, bool)
        ]
        if bad:
            yield Problem(where, f"field(s) {', '.join(bad)} must be strings")
            continue
        # A record's source is its id, else its URL, else its line in the file.
        name = str(fields["id"]) or str(fields["url"]) or f"{source or path.name}:{n}"
        title = str(fields["title"])
        # The title is part of the text the facts point into, as for plain files.
        full = f"{title}\n\n{body}" if title and not body.startswith(title) else body
        yield Document(
            name,
            full,
            title=title,
            url=str(fields["url"]),
            date=str(fields["date"]),
            outlet=str(fields["outlet"]),
            sha256=sha256(full),
        )
