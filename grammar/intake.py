"""``deniable ingest``: article files decoded, held to limits, extracted and stored, skips told.

The document builders (:mod:`deniable.grammar.readers`) and the extraction
(:mod:`deniable.grammar.extract`) are the grammar package's; this module owns what
the command adds around them:

* the store is checked to be writable before anything is read, so a read-only
  store is one error, not a skipped document per file;
* text is decoded as ``--encoding`` says, else as a web page declares, else as UTF-8,
  and a file that is not in that encoding is skipped with a line that names the option;
* a file over ``--max-bytes`` (a JSON Lines record over it) is skipped, and a line
  over ``--max-sentence-chars`` is cut into shorter sentences with a notice, so that
  no sentence reaches the parser whole however long the line;
* every skipped file or record is a :class:`Skip` with a kind, handed to
  ``on_skip`` as it happens (the command prints ``file[:line]: reason`` on stderr),
  and the summary (:class:`IngestSummary`, printed on stdout) counts them by kind.
  A bad JSON Lines record is a skipped record with its line number, not an
  unreadable file.
"""

from __future__ import annotations

import codecs
import multiprocessing
import os
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rich.console import Console, Group
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from deniable.errors import DeniableError, InputError, Location, UsageError
from deniable.facts import versions
from deniable.facts.file_sources import StoredSources, source_for_file
from deniable.facts.locks import LOCKED
from deniable.facts.model import Document, Extraction
from deniable.facts.store import FactStore
from deniable.grammar import readers
from deniable.grammar.entities import Knowledge, load_knowledge
from deniable.grammar.extract import extract
from deniable.grammar.ingest import ENTITY_FILE, _entity_file_for, source_name
from deniable.grammar.nlp import MAX_BLOCK

__all__ = ["KINDS", "IngestSummary", "Skip", "check_encoding", "ingest", "read_file"]

#: Why something was skipped -> its row in the summary.  "unsupported" files (found in a
#: folder, not named) are listed but do not fail the ingest: a folder of articles often
#: holds other files too.
KINDS: dict[str, str] = {
    "unreadable": "files skipped (unreadable)",
    "too-large": "files skipped (too large)",
    "empty": "files skipped (empty)",
    "binary": "files skipped (binary)",
    "encoding": "files skipped (wrong encoding)",
    "no-text": "files skipped (no article text found)",
    "bad-record": "records skipped (bad JSON Lines record)",
    "record-too-large": "records skipped (too large)",
    "not-stored": "documents skipped (could not be extracted or stored)",
    "unreadable-folder": "folders not read (cannot be listed)",
    # One skip for the rest of the batch: another process held the store's lock too long.
    "locked": "documents not stored (the store stayed locked; run the same ingest again)",
    "unsupported": "files not read (not an article format)",
    # Not a skip: the document is read, its over-long lines cut.
    "cut": "documents with over-long lines cut into sentences",
}
_HARMLESS = frozenset({"unsupported", "cut"})
_PROGRESS_OVER = 5


@dataclass(frozen=True, slots=True)
class Skip:
    """A file, JSON Lines record or document left out: where (``line`` 0: whole file), why.

    Kind ``cut`` is a notice, not a skip: the document is read, with its long lines cut."""

    path: str
    reason: str
    kind: str
    line: int = 0

    def __str__(self) -> str:
        return f"{Location(self.path, self.line)}: {self.reason}"


@dataclass(slots=True)
class IngestSummary:
    """What an ingest did: documents stored and already stored, sentences, facts, skips."""

    ingested: int = 0
    duplicates: int = 0
    #: Texts already stored from another place, now recorded under one more source.
    sources: int = 0
    sentences: int = 0
    facts: Counter[tuple[str, str]] = field(default_factory=Counter)
    skips: list[Skip] = field(default_factory=list)
    entity_files: list[str] = field(default_factory=list)
    #: Documents left unstored when another process kept the store locked (one skip says so).
    locked_out: int = 0

    @property
    def ok(self) -> bool:
        """True when every article file and record was stored (or already was)."""
        return all(s.kind in _HARMLESS for s in self.skips)

    @property
    def by_kind(self) -> Counter[str]:
        """How many were skipped for each kind of reason."""
        return Counter(s.kind for s in self.skips)

    def __rich__(self) -> Group:
        summary = Table(title="ingest", show_header=False, box=None)
        summary.add_column(style="bold")
        summary.add_column(justify="right")
        summary.add_row("documents ingested", str(self.ingested))
        summary.add_row("documents skipped (already stored)", str(self.duplicates))
        if self.sources:
            summary.add_row("documents already stored, another source added", str(self.sources))
        counts = self.by_kind
        for kind, label in KINDS.items():
            if counts[kind]:
                summary.add_row(label, str(self.locked_out if kind == LOCKED else counts[kind]))
        summary.add_row("sentences", str(self.sentences))
        summary.add_row("facts", str(sum(self.facts.values())))
        parts: list[Any] = [summary]
        if self.facts:
            table = Table(title="facts per predicate")
            table.add_column("predicate")
            modalities = sorted({m for _p, m in self.facts})
            for m in modalities:
                table.add_column(m, justify="right")
            for pred in sorted({p for p, _m in self.facts}):
                table.add_row(pred, *(str(self.facts.get((pred, m), 0)) for m in modalities))
            parts.append(table)
        return Group(*parts)


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
    for item, _line in _read(path, encoding, source, max_bytes, max_sentence_chars):
        yield item


def _read(
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


def ingest(
    paths: list[Path],
    store: FactStore,
    *,
    entities: Path | None = None,
    replace: bool = False,
    encoding: str | None = None,
    max_bytes: int | None = None,
    max_sentence_chars: int | None = None,
    on_skip: Callable[[Skip], None] | None = None,
    console: Console | None = None,
    jobs: int = 1,
) -> IngestSummary:
    """Read, extract and store every article under ``paths``; return the summary.

    Folders are walked recursively in sorted order; files of other formats in them
    are reported (kind ``unsupported``) and left alone.  An ``entities.toml`` in a
    folder applies to the articles under it unless ``entities`` names a file.  Each
    document is stored in its own transaction; a failing one is skipped and the rest
    go on.  ``max_bytes`` and ``max_sentence_chars`` are :func:`read_file`'s limits.
    ``on_skip`` hears of each skip as it happens.  A transient progress bar
    goes to stderr for more than five documents on a terminal.  With ``jobs`` above 1 the
    extraction runs in that many worker processes; storing stays in this one, in order.

    Raises:
        StoreError: the store cannot be written (read-only file or folder).
        UsageError: ``encoding`` is not a text encoding.
        InputError: a path does not exist, or the entity file is unreadable.
    """
    store.ensure_writable("ingest into this store")
    check_encoding(encoding)
    summary = IngestSummary()

    def skipped(skip: Skip) -> None:
        summary.skips.append(skip)
        if on_skip is not None:
            on_skip(skip)

    explicit = load_knowledge(entities) if entities is not None else None
    if entities is not None:
        summary.entity_files.append(str(entities))
    knowledge_cache: dict[Path, Knowledge] = {}
    documents: list[tuple[Document, Knowledge]] = []
    # Where each document was read (file, line), for the lines of its later skips.
    places: dict[int, tuple[str, int]] = {}
    # The store (and its journal) may well sit in the folder being ingested.
    own = (
        {Path(f"{store.path.resolve()}{end}") for end in ("", "-journal", "-wal", "-shm")}
        if store.path is not None
        else set()
    )
    stored = StoredSources(store.db)
    for path, folder_entities, source in _files(paths, skipped, own):
        if explicit is not None:
            knowledge = explicit
        elif folder_entities is not None:
            if folder_entities not in knowledge_cache:
                knowledge_cache[folder_entities] = load_knowledge(folder_entities)
                summary.entity_files.append(str(folder_entities))
                store.add_entities(knowledge_cache[folder_entities].entities.values())
            knowledge = knowledge_cache[folder_entities]
        else:
            knowledge = Knowledge()
        if path.suffix.lower() != ".jsonl":  # a record's source is its id, not the file's path
            try:
                source = source_for_file(stored, path, source, named=path in paths, replace=replace)
            except DeniableError as exc:
                skipped(Skip(str(path), exc.message, "not-stored"))
                continue
        for found, line in _read(path, encoding, source, max_bytes, max_sentence_chars):
            if isinstance(found, Skip):
                skipped(found)
                continue
            places[id(found)] = (str(path), line)
            if (problem := _changed_without_replace(found, store, replace)) is not None:
                skipped(_at(problem, places[id(found)]))  # refused before the extraction
            else:
                documents.append((found, knowledge))

    def skipped_doc(doc: Document) -> Callable[[Skip], None]:
        """``skipped``, told of a document's skip at the file and line it was read from."""
        return lambda skip: skipped(_at(skip, places[id(doc)]))

    if explicit is not None:
        store.add_entities(explicit.entities.values())
    # The bar goes to stderr, so a summary piped from stdout stays clean.
    bar_console = console if console is not None and console.stderr else Console(stderr=True)
    progress = Progress(
        TextColumn("ingesting"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.description}"),
        console=bar_console,
        transient=True,
    )
    todo = [(d, k) for d, k in documents if replace or not store.has_document(d.sha256)]
    many = len(documents) > _PROGRESS_OVER or any(len(d.text) > MAX_BLOCK for d, _ in todo)
    progress.disable = not (bar_console.is_terminal and many)
    done = 0
    try:
        for doc, _knowledge in documents:
            if not replace and store.has_document(doc.sha256):
                _place_stored(doc, store, summary, skipped_doc(doc))
        # A long document is read here, block by block with its own bar, while the workers
        # take the short ones.
        short = [item for item in todo if len(item[0].text) <= MAX_BLOCK]
        with progress, _extractions(short, jobs) as results:
            task = progress.add_task("", total=len(todo))
            for item in todo:
                doc = item[0]
                progress.update(task, description=doc.name)
                long = len(doc.text) > MAX_BLOCK
                result = _extract_long(item, progress) if long else next(results)
                _store_one(doc, result, store, replace, summary, skipped_doc(doc))
                done += 1
                progress.advance(task)
    except DeniableError as exc:
        if exc.code != LOCKED:
            raise
        # One line for the rest of the batch, not one per document still to store.
        left = len(todo) - done
        reason = (
            f"{exc.message}; stopped with {left} of {len(todo)} documents not stored "
            "(those before are stored; the same ingest again stores the rest)"
        )
        summary.locked_out = left
        skipped(Skip(str(store.path or "<memory>"), reason, LOCKED))
    return summary


def _extract_long(item: tuple[Document, Knowledge], progress: Progress) -> Extraction | Skip:
    """Extract one long document, showing how much of it has been read."""
    doc = item[0]
    size = len(doc.text)
    part = progress.add_task(f"  {doc.name} (characters)", total=size)

    def advance(done: int, total: int) -> None:
        progress.update(part, completed=done, total=total, visible=True)

    try:
        return _extract_one(item, advance)
    finally:
        progress.remove_task(part)


@contextmanager
def _extractions(
    todo: list[tuple[Document, Knowledge]], jobs: int
) -> Iterator[Iterator[Extraction | Skip]]:
    """The extraction of each document, in order: here, or in ``jobs`` worker processes."""
    if jobs <= 1 or len(todo) < 2:
        yield (_extract_one(item) for item in todo)
        return
    # fork shares the loaded model and lexicons with the workers instead of loading them again
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        try:
            yield pool.map(_extract_one, todo, chunksize=2)
        except BaseException:
            # The batch stopped (the store stayed locked, Ctrl-C): extract no more for nothing.
            pool.shutdown(wait=True, cancel_futures=True)
            raise


def _extract_one(
    item: tuple[Document, Knowledge], progress: Callable[[int, int], None] | None = None
) -> Extraction | Skip:
    doc, knowledge = item
    try:
        return extract(doc, knowledge, progress)
    except DeniableError as exc:
        return Skip(doc.name, exc.message, "not-stored")
    except RecursionError:
        return Skip(doc.name, "the text is too deeply nested to read", "not-stored")


def _store_one(
    doc: Document,
    result: Extraction | Skip,
    store: FactStore,
    replace: bool,
    summary: IngestSummary,
    skipped: Callable[[Skip], None],
) -> None:
    if isinstance(result, Skip):
        skipped(result)
        return
    if not replace and store.has_document(doc.sha256):
        _place_stored(doc, store, summary, skipped)  # the same text twice in one batch
        return
    extraction = result
    try:
        store.add_extraction(extraction, replace=replace)
    except DeniableError as exc:
        if exc.code == LOCKED:
            raise  # not this document's fault: the batch stops (see ingest)
        skipped(Skip(doc.name, exc.message, "not-stored"))
        return
    summary.ingested += 1
    summary.sentences += len(extraction.sentences)
    for f in extraction.facts:
        summary.facts[(f.pred, f.modality.value)] += 1


def _place_stored(
    doc: Document, store: FactStore, summary: IngestSummary, skipped: Callable[[Skip], None]
) -> None:
    """A text already stored: one document, perhaps with one more source; nothing extracted."""
    try:
        added = versions.place_stored_text(store, doc.name, doc.sha256, replace=False)
    except DeniableError as exc:
        if exc.code == LOCKED:
            raise
        skipped(Skip(doc.name, exc.message, "not-stored"))
        return
    if added:
        summary.sources += 1
    else:
        summary.duplicates += 1


def _at(skip: Skip, place: tuple[str, int]) -> Skip:
    """``skip`` told at the file and line its document was read from."""
    return Skip(place[0], skip.reason, skip.kind, place[1])


def _changed_without_replace(doc: Document, store: FactStore, replace: bool) -> Skip | None:
    """The skip of a changed text at a stored source when ``--replace`` was not given."""
    if replace:
        return None
    try:
        versions.check_source(store, doc.name, doc.sha256)
    except DeniableError as exc:
        return Skip(doc.name, exc.message, "not-stored")
    return None


def _files(
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
