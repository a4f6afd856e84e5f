"""Article files as ``deniable ingest`` reads them: the folder walked, each file decoded as
``--encoding`` says (else as a web page declares, else as UTF-8) and held to the size limits,
its documents built, and a :class:`~deniable.grammar.intake_summary.Skip` for each file or
record that cannot be read."""

from __future__ import annotations

import codecs
import os
from collections.abc import Callable, Iterator
from pathlib import Path

from deniable.errors import InputError, Location, UsageError
from deniable.facts.model import Document
from deniable.grammar import readers
from deniable.grammar.ingest import ENTITY_FILE, _entity_file_for, source_name
from deniable.grammar.intake_summary import Skip


def check_encoding(encoding: str | None) -> str | None:
    """Return the codec's canonical name, or ``None`` for the default (UTF-8).

    Raises:
        UsageError: no such text encoding.
    """
    if encoding is None:
        return None
    try:
        info = codecs.lookup(encoding)
    except LookupError:
        info = None
    # rot13, base64 and the like are codecs too, but not text encodings.
    if info is None or not getattr(info, "_is_text_encoding", True):
        raise UsageError(
            f"unknown text encoding {encoding!r} for --encoding; "
            "use e.g. utf-8, latin-1, cp1252 or utf-16"
        )
    return info.name


def read_file(
    path: Path,
    encoding: str | None = None,
    *,
    source: str | None = None,
    max_bytes: int | None = None,
    max_sentence_chars: int | None = None,
) -> Iterator[Document | Skip]:
    """Yield the documents of one article file, or a :class:`Skip` for what cannot be read.

    ``encoding`` is a Python codec name; ``None`` means UTF-8 (a byte-order mark is
    allowed), or for a web page the encoding its ``<meta>`` declares.  ``source`` is
    what the file is stored as (:func:`source_name`; default: its name); a JSON Lines
    record is its id, else its URL, else ``<source>:<line>``.  ``max_bytes`` (default
    :data:`readers.MAX_BYTES`) bounds a file, or each record of a JSON Lines file;
    lines over ``max_sentence_chars`` (default :data:`readers.MAX_SENTENCE_CHARS`) are
    cut, and a ``cut`` notice comes before the document.
    """
    for item, _line in read_items(path, encoding, source, max_bytes, max_sentence_chars):
        yield item


def read_items(
    path: Path,
    encoding: str | None,
    source: str | None,
    max_bytes: int | None,
    max_sentence_chars: int | None,
) -> Iterator[tuple[Document | Skip, int]]:
    """:func:`read_file`, each item with its line in the file (0: the whole file)."""
    where = str(path)
    codec = check_encoding(encoding)
    # Read at call time, so that the grammar's limit (and a test's) is the one used.
    limit = readers.MAX_BYTES if max_bytes is None else max_bytes
    suffix = path.suffix.lower()
    try:
        size = path.stat().st_size
        # A JSON Lines file holds many documents: the limit is each record's.
        if size > limit and suffix != ".jsonl":
            reason = f"file is {size} bytes, over the {limit} byte limit (--max-bytes)"
            yield Skip(where, reason, "too-large"), 0
            return
        data = path.read_bytes()
    except OSError as exc:
        yield Skip(where, f"cannot read: {exc.strerror or exc}", "unreadable"), 0
        return
    if not data.strip():
        yield Skip(where, "empty file", "empty"), 0
        return
    # UTF-16 and UTF-32 text is full of NUL bytes; other text never holds one.
    if b"\x00" in data[:8192] and not (codec or "").startswith(("utf-16", "utf-32")):
        yield Skip(where, "binary file (NUL bytes), not an article", "binary"), 0
        return
    declared = readers.declared_charset(data) if suffix in readers.HTML_SUFFIXES else None
    use = codec or declared
    try:
        text = data.decode("utf-8-sig" if use in (None, "utf-8") else use)
    except UnicodeDecodeError as exc:
        yield _encoding_skip(where, data, exc, encoding, declared), _line_of(data, exc.start)
        return
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    for item, line in _documents(path, text, source, limit):
        if isinstance(item, Skip):
            yield item, line
            continue
        doc, cut = readers.bound_sentences(item, max_sentence_chars)
        if cut:
            at = line or (cut[0] if suffix not in readers.HTML_SUFFIXES else 0)
            yield Skip(where, _cut_reason(item.text, cut, max_sentence_chars), "cut", at), at
        yield doc, line


def _documents(
    path: Path, text: str, source: str | None, limit: int
) -> Iterator[tuple[Document | Skip, int]]:
    """The documents of a decoded file by its format, each with its line (0: the file)."""
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        for n, line in enumerate(text.split("\n"), 1):
            if not line.strip():
                continue
            # UTF-8 takes at most four bytes a character: most lines need no encoding.
            size = len(line.encode("utf-8", "surrogatepass")) if len(line) * 4 > limit else 0
            if size > limit:
                reason = f"record is {size} bytes, over the {limit} byte limit (--max-bytes)"
                yield Skip(str(path), reason, "record-too-large", n), n
                continue
            item = readers.record(path, n, line, source)
            yield (_record_skip(path, item) if isinstance(item, readers.Problem) else item), n
    elif suffix in (".md", ".markdown"):
        yield readers._markdown(path, text, source), 0
    elif suffix in readers.HTML_SUFFIXES:
        page = readers._html(path, text, source)
        yield (page if page is not None else Skip(str(path), readers.NO_TEXT, "no-text")), 0
    else:
        yield readers._plain(path, text, source), 0


def _line_of(data: bytes, offset: int) -> int:
    return data[:offset].count(b"\n") + 1


def _encoding_skip(
    where: str,
    data: bytes,
    exc: UnicodeDecodeError,
    encoding: str | None,
    declared: str | None,
) -> Skip:
    byte = f"byte 0x{data[exc.start]:02x} at offset {exc.start}"
    if encoding is not None:
        reason = f"not {encoding} ({byte}); check --encoding"
    elif declared is not None:
        reason = (
            f"not {declared} as the page declares ({byte}); give the file's encoding with "
            "--encoding, e.g. --encoding cp1252"
        )
    else:
        reason = (
            f"not UTF-8 ({byte}); give the file's encoding with --encoding, e.g. --encoding latin-1"
        )
    return Skip(where, reason, "encoding", _line_of(data, exc.start))


def _cut_reason(text: str, cut: list[int], limit: int | None) -> str:
    limit = readers.MAX_SENTENCE_CHARS if limit is None else limit
    lines = text.split("\n")
    if len(cut) == 1:
        what = f"a line of {len(lines[cut[0] - 1])} characters is"
    else:
        what = f"{len(cut)} lines are"
    return (
        f"{what} over the {limit} character sentence limit, cut into shorter sentences "
        "(--max-sentence-chars)"
    )


def _record_skip(path: Path, problem: readers.Problem) -> Skip:
    """A JSON Lines reader's problem (``path:line[:column]``) as a skipped record."""
    rest = problem.where.removeprefix(str(path)).lstrip(":").split(":")
    line = int(rest[0]) if rest and rest[0].isdigit() else 0
    column = f" (column {rest[1]})" if len(rest) > 1 and rest[1].isdigit() else ""
    return Skip(str(path), f"bad JSON Lines record: {problem.reason}{column}", "bad-record", line)


def article_files(
    paths: list[Path], skipped: Callable[[Skip], None], own: set[Path]
) -> Iterator[tuple[Path, Path | None, str]]:
    """Every article file under ``paths`` (sorted), with its entity file and its source.

    Files of other formats found in a folder are reported to ``skipped``, except the
    store's ``own`` files.
    """
    for root in paths:
        if not root.exists():
            raise InputError("no such file or folder", Location(str(root)))
        if root.is_file():
            if root.name != ENTITY_FILE:
                yield root, _entity_file_for(root.parent, root.parent), source_name(root, root)
            continue
        for path in _walk(root, skipped):
            if path.name == ENTITY_FILE:
                continue
            if path.suffix.lower() in readers.SUFFIXES:
                yield path, _entity_file_for(path.parent, root), source_name(path, root)
            elif path.resolve() not in own:
                formats = ", ".join(sorted(readers.SUFFIXES))
                skipped(Skip(str(path), f"not an article format (reads {formats})", "unsupported"))


def _walk(root: Path, skipped: Callable[[Skip], None]) -> list[Path]:
    """The files under ``root`` in sorted order, hidden ones left out; unlistable folders told.

    :meth:`Path.rglob` passes over a folder it may not list without a word, and its
    articles would silently go missing: :func:`os.walk` reports each one.
    """

    def unlisted(error: OSError) -> None:
        why = error.strerror or str(error)
        reason = f"cannot read the folder: {why}; its articles are not read"
        skipped(Skip(str(error.filename), reason, "unreadable-folder"))

    found: list[Path] = []
    for folder, folders, files in os.walk(root, onerror=unlisted):
        folders[:] = sorted(name for name in folders if not name.startswith("."))
        found.extend(Path(folder, name) for name in files if not name.startswith("."))
    # Sorted as whole paths, the order rglob gave (and documents are stored in).
    return sorted(path for path in found if path.is_file())
