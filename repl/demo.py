"""`deniable demo`: ingest the packaged seed articles, derive, and show the contradicted denials.

The first thing a new user runs.  It reads only package data (the seed articles
and their entity file travel in the wheel), builds a fresh store of its own,
``./deniable-demo.db`` unless given a path, and leaves it to explore with
``query``, ``why`` and ``repl``.  It never touches a store it did not build: the
store it builds is marked (a ``meta`` row listing the seed documents), and any
other file at the path, a store of the user's own included, is refused.
"""

from __future__ import annotations

import contextlib
import json
import os
import shlex
import tempfile
import time
from collections.abc import Iterator
from importlib import resources
from importlib.abc import Traversable
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from deniable.errors import InputError, Location, StoreError
from deniable.facts.store import FactStore
from deniable.repl.brief import brief_tree
from deniable.repl.render import MODALITY_STYLES
from deniable.rules.engines.base import Limits
from deniable.rules.strongest import strongest_chain
from deniable.rules.workbench import Answers, constant_text, derive_store, query_store

__all__ = ["DEMO_DB", "demo_conclusions", "document_labels", "run_demo", "seed_files"]

#: Where the demo builds its store unless given a path (never $DENIABLE_DB: that is the user's).
DEMO_DB = "deniable-demo.db"

#: The ``meta`` key that marks a store the demo built; its value lists the seed documents.
_DEMO_MARK = "demo_documents"

#: The conclusions the demo shows, in this order: relation, query, column headings.
_SECTIONS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    (
        "denial_contradicted_by_contact",
        "denial_contradicted_by_contact_strength(denier, subject, insider, kind, strength)",
        ("denier", "denied links to", "yet in contact", "how", "strength"),
    ),
    (
        "denial_contradicted_by_role",
        "denial_contradicted_by_role_strength(denier, org, strength)",
        ("denier", "denied leading or belonging to", "strength"),
    ),
    (
        "conflicting_reports",
        "conflicting_reports_by(a, b, kind, reporter, refuter)",
        ("reported contact", "with", "kind", "reported by", "denied by"),
    ),
)


def seed_files() -> tuple[list[Traversable], Traversable | None]:
    """Return the packaged seed articles (sorted) and their entity file, if shipped."""
    seeds = _seeds_folder()
    articles = sorted(
        (f for f in seeds.iterdir() if f.is_file() and f.name.endswith((".txt", ".md", ".jsonl"))),
        key=lambda f: f.name,
    )
    entities = seeds / "entities.toml"
    return articles, entities if entities.is_file() else None


def _seeds_folder() -> Traversable:
    try:
        return resources.files("deniable.seeds")
    except NotADirectoryError:
        # Python 3.11 with an editable install: the namespace package's path holds the
        # installer's path-hook placeholder besides the real folder, which files() rejects.
        import deniable.seeds

        for entry in deniable.seeds.__path__:
            if Path(entry).is_dir():
                return Path(entry)
        raise


def run_demo(
    db_path: Path, *, console: Console, engine: str = "sql", limits: Limits | None = None
) -> int:
    """Build a fresh store of the seed articles at ``db_path``, derive, print the conclusions.

    An existing file at ``db_path`` is replaced only when it is a store an earlier
    demo built and nothing was ingested into since; the new store is built beside
    it and moved into place at the end, so a failed demo leaves the old file as it was.

    Raises:
        StoreError: ``db_path`` exists and is not an untouched demo store, or is a folder.
    """
    db_path = Path(db_path)
    _check_replaceable(db_path)
    started = time.perf_counter()
    with _fresh_file(db_path) as scratch, FactStore.open(scratch, create=True) as store:
        report = _ingest_seeds(store, console)
        if not report.ok:
            console.print(report)
            raise InputError("the packaged seed articles could not be read; reinstall deniable")
        store.set_meta(_DEMO_MARK, json.dumps(store.document_hashes()))
        summary = derive_store(store, engine=engine, console=None, cwd_rules=False, limits=limits)
        sections = demo_conclusions(store)
        proofs = _short_proofs(store, sections)
        labels = document_labels(store)
    elapsed = time.perf_counter() - started
    console.print(
        Text.assemble(
            ("deniable demo", "bold"),
            f": {_ingest_line(report)}; derived {sum(summary.sizes.values())} rows "
            f"with the {summary.engine} engine in {elapsed:.1f} s → {db_path}",
        )
    )
    console.print()
    for (rel, _query, headings), answers in zip(_SECTIONS, sections, strict=True):
        console.print(_section_table(rel, headings, answers, labels))
        console.print()
    if proofs:
        console.print(Text("Why: the statements behind each conclusion", style="bold"))
        for tree in proofs:
            console.print(tree)
        console.print()
    console.print(_closing_hint(db_path, sections))
    return 0


def demo_conclusions(store: FactStore) -> list[Answers]:
    """The rows the demo shows, one :class:`Answers` per section, from a derived store.

    Conflicting reports are symmetric; the demo lists each pair once.
    """
    sections = [
        query_store(store, query, rules_dirs=(), cwd_rules=False) for _rel, query, _h in _SECTIONS
    ]
    conflicts = sections[-1]
    seen: set[tuple[Any, ...]] = set()
    once = []
    for a, b, *rest in conflicts.rows:
        if (b, a, *rest) not in seen:
            seen.add((a, b, *rest))
            once.append((a, b, *rest))
    sections[-1] = Answers(conflicts.relation, conflicts.columns, once)
    return sections


# --------------------------------------------------------------------------- the store file


def _check_replaceable(db_path: Path) -> None:
    if db_path.is_dir():
        raise StoreError(f"{db_path} is a folder; give a file with --db")
    if not db_path.exists():
        if not db_path.parent.exists():
            raise StoreError(f"cannot create {db_path}: no folder {db_path.parent}")
        return
    why = _not_a_demo_store(db_path)
    if why is not None:
        raise StoreError(
            f"{why}; the demo will not overwrite it: give another --db or move the file",
            Location(str(db_path)),
        )


def _not_a_demo_store(db_path: Path) -> str | None:
    """Why the file at ``db_path`` is not a store the demo may rebuild, or ``None``."""
    try:
        store = FactStore.open(db_path.resolve().as_uri() + "?mode=ro", create=False)
    except StoreError:
        return "this file is not a deniable fact store the demo built"
    with store:
        mark = store.meta(_DEMO_MARK)
        if mark is None:
            return "this fact store was not built by the demo"
        try:
            seeds = json.loads(mark)
        except ValueError:
            seeds = None
        # Documents ingested into a demo store afterwards are the user's work.
        if seeds != store.document_hashes():
            return "documents were ingested into this demo store since the demo built it"
    return None


@contextlib.contextmanager
def _fresh_file(db_path: Path) -> Iterator[Path]:
    """A new file beside ``db_path`` that replaces it when the block succeeds."""
    try:
        fd, name = tempfile.mkstemp(prefix=f".{db_path.name}.", suffix=".tmp", dir=db_path.parent)
    except OSError as error:
        raise StoreError(f"cannot write a fact store next to {db_path}: {error.strerror}") from None
    os.close(fd)
    scratch = Path(name)
    scratch.unlink()  # FactStore creates a store only where no file is
    try:
        yield scratch
        os.replace(scratch, db_path)
    finally:
        for leftover in (scratch, Path(f"{scratch}-journal"), Path(f"{scratch}-wal")):
            with contextlib.suppress(FileNotFoundError):
                leftover.unlink()


def _ingest_seeds(store: FactStore, console: Console) -> Any:
    from deniable.grammar.ingest import ingest_paths

    articles, entities = seed_files()
    with contextlib.ExitStack() as stack:
        paths = [stack.enter_context(resources.as_file(a)) for a in articles]
        entity_path = stack.enter_context(resources.as_file(entities)) if entities else None
        quiet = Console(file=open(os.devnull, "w"), width=console.width)  # noqa: SIM115
        stack.callback(quiet.file.close)
        return ingest_paths(paths, store, entities=entity_path, replace=False, console=quiet)


def _ingest_line(report: Any) -> str:
    facts = sum(getattr(report, "facts", {}).values())
    return f"read {getattr(report, 'ingested', 0)} seed articles ({facts} statements)"


# --------------------------------------------------------------------------- printing


def document_labels(store: FactStore, *, width: int = 60) -> dict[str, str]:
    """Each current document's source name -> its title (cut to ``width``), outlet and date.

    A conclusion that names its sources by document (an article speaking in its own
    voice, with no outlet stored) shows the article as a reader knows it, not a file name.
    """
    labels = {}
    for doc, title, outlet, date in store.rows("document"):
        text = " ".join(str(title or "").split()) or str(doc)
        if len(text) > width:
            text = text[: width - 1].rsplit(" ", 1)[0].rstrip(" ,;:–-") + "…"
        where = ", ".join(str(v) for v in (outlet, date) if v)
        labels[str(doc)] = f"{text} ({where})" if where else text
    return labels


def _section_table(
    rel: str, headings: tuple[str, ...], answers: Answers, labels: dict[str, str] | None = None
) -> Table:
    table = Table(
        title=Text(rel, style="bold"),
        title_justify="left",
        caption=f"{len(answers.rows)} row" + ("" if len(answers.rows) == 1 else "s"),
        caption_justify="left",
    )
    for heading in headings:
        table.add_column(Text(heading), overflow="fold")
    for row in answers.rows:
        cells = [Text((labels or {}).get(str(v), str(v))) for v in row]
        if answers.columns and answers.columns[-1] == "strength":
            cells[-1].stylize(MODALITY_STYLES.get(str(row[-1]), ""))
        table.add_row(*cells)
    if not answers.rows:
        table.add_row(*(Text("—", style="dim") for _ in headings))
    return table


def _short_proofs(store: FactStore, sections: list[Answers]) -> list[Tree]:
    """One compact tree per conclusion: the conclusion and a sentence per statement it rests on.

    The tree explains the conclusion's strongest chain (see
    :mod:`deniable.rules.strongest`), so the sentences shown are the ones that give
    it its strength.
    """
    contact, role, conflict = sections
    rows: list[tuple[str, tuple[Any, ...]]] = []
    rows += [("denial_contradicted_by_contact", tuple(r[:4])) for r in contact.rows]
    rows += [("denial_contradicted_by_role", tuple(r[:2])) for r in role.rows]
    shown: set[tuple[str, str]] = set()
    for a, b, *_rest in conflict.rows:
        if (b, a) in shown or (a, b) in shown:
            continue
        shown.add((a, b))
        rows.append(("conflicting_reports", (a, b)))
    return [brief_tree(strongest_chain(store, rel, row, cwd_rules=False)) for rel, row in rows]


def _closing_hint(db_path: Path, sections: list[Answers]) -> Text:
    # The other commands default to $DENIABLE_DB or ./deniable.db, never the demo's store.
    db = f"--db {shlex.quote(str(db_path))} "
    example = 'denial_contradicted_by_contact("Russian government", "Yevgeny Prigozhin", p, k)'
    contact = sections[0]
    if contact.rows:
        denier, subject = contact.rows[0][0], contact.rows[0][1]
        example = (
            f"denial_contradicted_by_contact({constant_text(denier)}, "
            f"{constant_text(subject)}, p, k)"
        )
    text = Text("Next: explore the store this demo left in ", style="bold")
    text.append(str(db_path), style="bold")
    text.append("\n")
    for command in (
        f"deniable {db}query 'denial_contradicted_by_contact(d, s, p, k)'",
        f"deniable {db}why '{example}'",
        f"deniable {db}repl",
    ):
        text.append("  $ ", style="dim")
        text.append(command + "\n", style="cyan")
    text.rstrip()
    return text
