"""Ingest: files and folders of articles read, extracted and stored, with a summary report."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rich.console import Console, Group
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from deniable.errors import DeniableError, InputError, Location
from deniable.facts import versions
from deniable.facts.model import Document
from deniable.grammar.entities import Knowledge, load_knowledge
from deniable.grammar.extract import extract
from deniable.grammar.intake_summary import facts_table
from deniable.grammar.readers import SUFFIXES, Problem, read

ENTITY_FILE = "entities.toml"
_PROGRESS_OVER = 5


@dataclass(slots=True)
class IngestReport:
    """What an ingest did: documents stored and skipped, sentences, facts, problems."""

    ingested: int = 0
    duplicates: int = 0
    sentences: int = 0
    facts: Counter[tuple[str, str]] = field(default_factory=Counter)
    problems: list[Problem] = field(default_factory=list)
    entity_files: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when every file could be read and stored."""
        return not self.problems

    def __rich__(self) -> Group:
        summary = Table(title="ingest", show_header=False, box=None)
        summary.add_column(style="bold")
        summary.add_column(justify="right")
        summary.add_row("documents ingested", str(self.ingested))
        summary.add_row("documents skipped (already stored)", str(self.duplicates))
        summary.add_row("files skipped (unreadable)", str(len(self.problems)))
        summary.add_row("sentences", str(self.sentences))
        summary.add_row("facts", str(sum(self.facts.values())))
        parts: list[Any] = [summary]
        if self.facts:
            parts.append(facts_table(self.facts))
        if self.problems:
            skipped = Table(title="skipped files")
            skipped.add_column("file")
            skipped.add_column("reason")
            for p in self.problems:
                skipped.add_row(p.where, p.reason)
            parts.append(skipped)
        return Group(*parts)


def ingest_paths(
    paths: list[Path],
    store: Any,
    *,
    entities: Path | None = None,
    replace: bool = False,
    console: Console | None = None,
) -> IngestReport:
    """Read, extract and store every article under ``paths``; return the report.

    Folders are walked recursively in sorted order.  An ``entities.toml`` in a folder is
    used for the articles under it unless ``entities`` names a file.  Each document is
    stored in its own transaction; a failing file is reported and the rest go on.  A
    transient progress bar goes to stderr (``console`` when it writes there) for more than
    five documents on a terminal.

    Raises:
        InputError: a path does not exist, or the entity file is unreadable.
    """
    report = IngestReport()
    explicit = load_knowledge(entities) if entities is not None else None
    if entities is not None:
        report.entity_files.append(str(entities))
    jobs = list(_files(paths))
    knowledge_cache: dict[Path, Knowledge] = {}
    documents: list[tuple[Document | Problem, Knowledge]] = []
    for path, folder_entities, source in jobs:
        if explicit is not None:
            knowledge = explicit
        elif folder_entities is not None:
            if folder_entities not in knowledge_cache:
                knowledge_cache[folder_entities] = load_knowledge(folder_entities)
                report.entity_files.append(str(folder_entities))
                store.add_entities(knowledge_cache[folder_entities].entities.values())
            knowledge = knowledge_cache[folder_entities]
        else:
            knowledge = Knowledge()
        documents.extend((item, knowledge) for item in read(path, source=source))
    if explicit is not None:
        store.add_entities(explicit.entities.values())
    # The bar goes to stderr, so a report piped from stdout stays clean.
    bar_console = console if console is not None and console.stderr else Console(stderr=True)
    show = bar_console.is_terminal and len(documents) > _PROGRESS_OVER
    progress = Progress(
        TextColumn("ingesting"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.description}"),
        console=bar_console,
        transient=True,
        disable=not show,
    )
    with progress:
        task = progress.add_task("", total=len(documents))
        for item, knowledge in documents:
            if isinstance(item, Problem):
                report.problems.append(item)
            else:
                progress.update(task, description=item.name)
                _one(item, knowledge, store, replace, report)
            progress.advance(task)
    return report


def _one(
    doc: Document, knowledge: Knowledge, store: Any, replace: bool, report: IngestReport
) -> None:
    if not replace and store.has_document(doc.sha256):
        # The same text from another place is one document with one more source.
        try:
            if not versions.place_stored_text(store, doc.name, doc.sha256, replace=False):
                report.duplicates += 1
        except DeniableError as exc:
            report.problems.append(Problem(doc.name, exc.message))
        return
    try:
        extraction = extract(doc, knowledge)
        store.add_extraction(extraction, replace=replace)
    except DeniableError as exc:
        report.problems.append(Problem(doc.name, exc.message))
        return
    except RecursionError:
        report.problems.append(Problem(doc.name, "the text is too deeply nested to read"))
        return
    report.ingested += 1
    report.sentences += len(extraction.sentences)
    for f in extraction.facts:
        report.facts[(f.pred, f.modality.value)] += 1


def source_name(path: Path, root: Path) -> str:
    """The source a file is stored as: its path under the folder named on the command line.

    A file named itself is its own name; a file in a folder is its path relative to that
    folder, with ``/`` between the parts on every system (``a/story.txt``), so two
    outlets' ``story.txt`` stay two documents.
    """
    if path == root:
        return path.name
    return path.relative_to(root).as_posix()


def _files(paths: list[Path]) -> Iterator[tuple[Path, Path | None, str]]:
    """Every article file under ``paths`` (sorted), with its entity file and its source."""
    for root in paths:
        if not root.exists():
            raise InputError("no such file or folder", Location(str(root)))
        if root.is_file():
            if root.name != ENTITY_FILE:
                yield root, _entity_file_for(root.parent, root.parent), source_name(root, root)
            continue
        for path in sorted(root.rglob("*")):
            if path.is_file() and path.suffix.lower() in SUFFIXES and not _hidden(path, root):
                yield path, _entity_file_for(path.parent, root), source_name(path, root)


def _hidden(path: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(root).parts)


def _entity_file_for(folder: Path, root: Path) -> Path | None:
    """The nearest entities.toml from ``folder`` up to ``root``."""
    current = folder
    while True:
        candidate = current / ENTITY_FILE
        if candidate.is_file():
            return candidate
        if current == root or current.parent == current:
            return None
        try:
            current.relative_to(root)
        except ValueError:
            return None
        current = current.parent
