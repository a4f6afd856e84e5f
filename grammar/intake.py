"""``deniable ingest``: article files decoded, held to limits, extracted and stored, skips told.

The document builders (:mod:`deniable.grammar.readers`) and the extraction
(:mod:`deniable.grammar.extract`) are the grammar package's; reading and decoding files is
:mod:`deniable.grammar.intake_files`, the skips and the summary
:mod:`deniable.grammar.intake_summary`; this module runs the command around them:

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

import multiprocessing
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from deniable.errors import DeniableError
from deniable.facts import versions
from deniable.facts.file_sources import StoredSources, source_for_file
from deniable.facts.locks import LOCKED
from deniable.facts.model import Document, Extraction
from deniable.facts.store import FactStore
from deniable.grammar.entities import Knowledge, load_knowledge
from deniable.grammar.extract import extract
from deniable.grammar.intake_files import article_files, check_encoding, read_file, read_items
from deniable.grammar.intake_summary import KINDS, IngestSummary, Skip
from deniable.grammar.nlp import MAX_BLOCK

#: More documents than this show a progress bar (on a terminal).
_PROGRESS_OVER = 5

__all__ = ["KINDS", "IngestSummary", "Skip", "check_encoding", "ingest", "read_file"]


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
    for path, folder_entities, source in article_files(paths, skipped, own):
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
        for found, line in read_items(path, encoding, source, max_bytes, max_sentence_chars):
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
