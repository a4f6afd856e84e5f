"""Document versions: which stored text each source holds now, which it held before, and gc.

A document's identity is its *source* (the path relative to the folder given to
``ingest``, the file's own name when a file was named directly, or a JSON Lines
record's id or URL) together with the hash of its text.  A ``documents`` row is
one text; ``document_sources`` numbers the texts each source has held (version
1, 2 ...) and marks one of them current.  The same text from two places is one
``documents`` row with two sources, so its statements are stored once.

The store's rule views read the statements of current texts only
(:mod:`deniable.facts.schema`): ``ingest --replace`` of a changed text keeps the
old one, out of sight, until :func:`collect_garbage`; :func:`restore` makes it
current again.  Each text's ``name`` (the ``doc`` that rules, ``why`` and
``review`` show) is a source it is current for, so the current version of
``b/story.txt`` is always called ``b/story.txt``; an old version is called
``b/story.txt (version 1)``.

Functions named without a leading ``_`` that take a :class:`FactStore` run their
own transaction and bump the store's generation when they change something; the
lower-level ones taking a :class:`~sqlite_utils.Database` run inside the caller's.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from rich.console import Group
from rich.table import Table
from rich.text import Text
from sqlite_utils import Database

from deniable.errors import Location, StoreError
from deniable.facts import generation
from deniable.facts.review import apply_reviews

if TYPE_CHECKING:
    from deniable.facts.store import FactStore

__all__ = [
    "GcReport",
    "History",
    "Version",
    "check_change",
    "check_source",
    "collect_garbage",
    "current_text",
    "delete_text",
    "delete_text_contents",
    "history",
    "make_current",
    "place_stored_text",
    "resolve_source",
    "restore",
]

#: How many hex digits of a text's hash the CLI shows (and accepts as DOC).
HASH_PREFIX = 12
_MIN_HASH_PREFIX = 6


@dataclass(frozen=True, slots=True)
class Version:
    """One version of a source: the text it held, when, how many statements were read from it.

    ``also_at`` lists the other sources this text is currently the version of.
    """

    source: str
    version: int
    sha256: str
    ingested_at: str
    statements: int
    current: bool
    also_at: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class History:
    """The versions of one source, oldest first."""

    source: str
    versions: tuple[Version, ...]

    @property
    def current(self) -> Version | None:
        return next((v for v in self.versions if v.current), None)

    def __rich__(self) -> Table:
        table = Table(title=f"history of {self.source}", title_justify="left")
        table.add_column("version", justify="right")
        table.add_column("sha256")
        table.add_column("ingested")
        table.add_column("statements", justify="right")
        table.add_column("current")
        if any(v.also_at for v in self.versions):
            table.add_column("same text as")
        for v in self.versions:
            row = [str(v.version), v.sha256[:HASH_PREFIX], v.ingested_at, str(v.statements)]
            row.append("current" if v.current else "")
            if any(x.also_at for x in self.versions):
                row.append(", ".join(v.also_at))
            table.add_row(*(Text(cell) for cell in row))
        return table


@dataclass(frozen=True, slots=True)
class GcReport:
    """What :func:`collect_garbage` removed: old versions, the texts no source holds, statements.

    A removed version whose text is still another source's current one keeps its text.
    """

    versions: tuple[Version, ...] = ()
    texts: int = 0
    statements: int = 0

    def lines(self) -> list[str]:
        """One line per removed version, then a total."""
        if not self.versions:
            return ["gc: nothing to remove; every stored version is current"]
        out = [
            f"removed {v.source} version {v.version} ({v.sha256[:HASH_PREFIX]}, "
            + (
                f"{v.statements} statement{'s' if v.statements != 1 else ''})"
                if not v.also_at
                else f"its text stays: current for {', '.join(v.also_at)})"
            )
            for v in self.versions
        ]
        n = len(self.versions)
        out.append(
            f"gc: removed {n} old version{'s' if n != 1 else ''}, {self.texts} "
            f"text{'s' if self.texts != 1 else ''}, {self.statements} "
            f"statement{'s' if self.statements != 1 else ''}"
        )
        return out

    def __rich__(self) -> Group:
        return Group(*(Text(line) for line in self.lines()))


# --------------------------------------------------------------------------- reading


def current_text(db: Database, source: str) -> int | None:
    """Return the id of the text ``source`` currently holds, or ``None`` for a new source."""
    row = db.execute(
        "SELECT doc_id FROM document_sources WHERE source = ? AND current = 1", [source]
    ).fetchone()
    return int(row[0]) if row else None


def resolve_source(store: FactStore, doc: str) -> str:
    """Return the source ``doc`` names: a source, the end of one's path, or a hash prefix.

    Raises:
        StoreError: ``doc`` names no document, or several (the message lists them).
    """
    sources = [r[0] for r in store.db.execute("SELECT DISTINCT source FROM document_sources")]
    if doc in sources:
        return doc
    path = doc.replace("\\", "/").removeprefix("./").strip("/")
    if path in sources:
        return path
    candidates = sorted(s for s in sources if s.endswith("/" + path))
    if not candidates and re.fullmatch(f"[0-9a-fA-F]{{{_MIN_HASH_PREFIX},64}}", doc):
        candidates = sorted(
            r[0]
            for r in store.db.execute(
                "SELECT DISTINCT v.source FROM document_sources v "
                "JOIN documents d ON d.id = v.doc_id WHERE substr(d.sha256, 1, ?) = ?",
                [len(doc), doc.lower()],
            )
        )
    if len(candidates) == 1:
        return candidates[0]
    where = Location(str(store.path)) if store.path is not None else None
    if candidates:
        raise StoreError(
            f"{doc!r} names {len(candidates)} documents: {', '.join(candidates)}; give one of them",
            where,
        )
    raise StoreError(f"no document {doc!r} in this store; give its path as ingested", where)


def history(store: FactStore, doc: str) -> History:
    """Return the versions of the document ``doc`` names (see :func:`resolve_source`).

    Raises:
        StoreError: as :func:`resolve_source`.
    """
    source = resolve_source(store, doc)
    return History(source, tuple(_versions(store.db, "v.source = ?", [source])))


def _versions(db: Database, where: str, params: list[object]) -> list[Version]:
    rows = db.execute(
        f"""SELECT v.source, v.version, d.sha256, v.ingested_at,
               (SELECT count(*) FROM statements s WHERE s.doc_id = v.doc_id), v.current,
               (SELECT group_concat(o.source, char(10)) FROM
                   (SELECT source FROM document_sources
                    WHERE doc_id = v.doc_id AND current = 1 AND source <> v.source
                    ORDER BY source) o)
        FROM document_sources v JOIN documents d ON d.id = v.doc_id
        WHERE {where} ORDER BY v.source, v.version""",
        params,
    ).fetchall()
    return [
        Version(src, n, sha, at, count, bool(cur), tuple(also.split("\n")) if also else ())
        for src, n, sha, at, count, cur, also in rows
    ]


# --------------------------------------------------------------------------- writing


def make_current(db: Database, source: str, doc_id: int) -> bool:
    """Make text ``doc_id`` the current version of ``source``; return whether anything changed.

    A text the source held before is that version again; any other is a new version,
    numbered after the last.  Call inside a transaction.
    """
    row = db.execute(
        "SELECT id, doc_id FROM document_sources WHERE source = ? AND current = 1", [source]
    ).fetchone()
    if row is not None and row[1] == doc_id:
        return False
    if row is not None:
        db.execute("UPDATE document_sources SET current = 0 WHERE id = ?", [row[0]])
    held = db.execute(
        "SELECT id FROM document_sources WHERE source = ? AND doc_id = ? "
        "ORDER BY version DESC LIMIT 1",
        [source, doc_id],
    ).fetchone()
    if held is not None:
        db.execute("UPDATE document_sources SET current = 1 WHERE id = ?", [held[0]])
    else:
        db.execute(
            "INSERT INTO document_sources (source, version, doc_id, current, ingested_at) "
            "SELECT ?, coalesce(max(version), 0) + 1, ?, 1, ? FROM document_sources "
            "WHERE source = ?",
            [source, doc_id, _now(), source],
        )
    _relabel(db, [doc_id] + ([row[1]] if row is not None else []))
    return True


def place_stored_text(store: FactStore, source: str, sha256: str, *, replace: bool) -> bool:
    """Record that ``source`` holds the stored text with this hash; return whether it is new.

    No extraction is needed: the text's statements are stored already (under another
    source, or as an older version of this one).

    Raises:
        StoreError: no text with this hash is stored; or ``source`` holds another text
            and ``replace`` is false.
    """
    try:
        with store.db.atomic():
            row = store.db.execute("SELECT id FROM documents WHERE sha256 = ?", [sha256]).fetchone()
            if row is None:
                raise StoreError(f"no stored text has the hash {sha256[:HASH_PREFIX]}")
            check_change(store.db, source, int(row[0]), replace=replace)
            if not make_current(store.db, source, int(row[0])):
                return False
            apply_reviews(store.db, int(row[0]))
            generation.bump(store.db)
            return True
    except sqlite3.Error as error:
        raise StoreError(f"cannot store {source!r}: {error}") from None


def check_change(db: Database, source: str, doc_id: int | None, *, replace: bool) -> None:
    """Refuse to give ``source`` a different text than it holds unless ``replace`` is true.

    Raises:
        StoreError: the source holds another text and ``replace`` is false.
    """
    held = current_text(db, source)
    if held is None or held == doc_id or replace:
        return
    raise StoreError(
        f"a different text is already stored as {source!r}; ingest with --replace to store "
        f"this one as its new version (the old one stays: `deniable history {source}`)"
    )


def check_source(store: FactStore, source: str, sha256: str) -> None:
    """Refuse, as :func:`check_change` does without ``replace``, a changed text at ``source``.

    Raises:
        StoreError: ``source`` holds a text with another hash.
    """
    row = store.db.execute("SELECT id FROM documents WHERE sha256 = ?", [sha256]).fetchone()
    check_change(store.db, source, int(row[0]) if row else None, replace=False)


def restore(store: FactStore, doc: str, version: int) -> tuple[History, bool]:
    """Make version ``version`` of ``doc`` current again; return the history and whether it changed.

    The version's stored statements come back into the rule views, and the review
    decisions made on its text (or on its spans in other versions) apply to them again,
    all in one transaction.

    Raises:
        StoreError: ``doc`` names no document or several, it has no such version, or the
            store cannot be written.
    """
    source = resolve_source(store, doc)
    row = store.db.execute(
        "SELECT doc_id FROM document_sources WHERE source = ? AND version = ?", [source, version]
    ).fetchone()
    if row is None:
        numbers = [str(v.version) for v in history(store, source).versions]
        raise StoreError(
            f"{source} has no version {version}; its versions are {', '.join(numbers)} "
            f"(`deniable history {source}`)",
            Location(str(store.path)) if store.path is not None else None,
        )
    store.ensure_writable("restore a version in this store")
    try:
        with store.db.atomic():
            changed = make_current(store.db, source, int(row[0]))
            if changed:
                apply_reviews(store.db, int(row[0]))
                generation.bump(store.db)
    except sqlite3.Error as error:
        raise StoreError(f"cannot restore {source!r}: {error}") from None
    return history(store, source), changed


def collect_garbage(store: FactStore) -> GcReport:
    """Delete every version that is not current, with the texts and statements only they held.

    Review decisions are kept (they are the record of who decided what).

    Raises:
        StoreError: the store cannot be written.
    """
    store.ensure_writable("collect garbage in this store")
    try:
        with store.db.atomic():
            old = _versions(store.db, "v.current = 0", [])
            store.db.execute("DELETE FROM document_sources WHERE current = 0")
            orphans = [
                int(r[0])
                for r in store.db.execute(
                    "SELECT id FROM documents d WHERE NOT EXISTS "
                    "(SELECT 1 FROM document_sources v WHERE v.doc_id = d.id) ORDER BY id"
                )
            ]
            statements = sum(delete_text(store.db, doc_id) for doc_id in orphans)
            if old or orphans:
                generation.bump(store.db)
    except sqlite3.Error as error:
        raise StoreError(f"cannot collect garbage: {error}") from None
    return GcReport(tuple(old), len(orphans), statements)


def delete_text(db: Database, doc_id: int) -> int:
    """Delete a text with its sentences, statements and sources; return how many statements.

    Call inside a transaction.
    """
    count = delete_text_contents(db, doc_id)
    db.execute("DELETE FROM document_sources WHERE doc_id = ?", [doc_id])
    db.execute("DELETE FROM documents WHERE id = ?", [doc_id])
    return count


def delete_text_contents(db: Database, doc_id: int) -> int:
    """Delete what was read from a text (sentences, statements); return how many statements.

    Facts no remaining statement states go too.  Call inside a transaction.
    """
    fact_ids = [
        r[0]
        for r in db.execute("SELECT DISTINCT fact_id FROM statements WHERE doc_id = ?", [doc_id])
    ]
    count = db.execute("DELETE FROM statements WHERE doc_id = ?", [doc_id]).rowcount
    db.execute("DELETE FROM sentences WHERE doc_id = ?", [doc_id])
    for fact_id in fact_ids:
        db.execute(
            "DELETE FROM facts WHERE id = ? "
            "AND NOT EXISTS (SELECT 1 FROM statements WHERE fact_id = ?)",
            [fact_id, fact_id],
        )
    return int(count)


def _relabel(db: Database, doc_ids: list[int]) -> None:
    """Name each text after a source it is current for, else after its latest version.

    Names are unique: every text is first given a placeholder, so two texts can swap names.
    """
    ids = sorted(set(doc_ids))
    for doc_id in ids:
        db.execute("UPDATE documents SET name = ? WHERE id = ?", [f"\x00relabel {doc_id}", doc_id])
    for doc_id in ids:
        db.execute("UPDATE documents SET name = ? WHERE id = ?", [_label(db, doc_id), doc_id])


def _label(db: Database, doc_id: int) -> str:
    row = db.execute(
        "SELECT min(source) FROM document_sources WHERE doc_id = ? AND current = 1", [doc_id]
    ).fetchone()
    if row[0] is not None:
        return str(row[0])
    row = db.execute(
        "SELECT source, version FROM document_sources WHERE doc_id = ? "
        "ORDER BY version DESC, id DESC LIMIT 1",
        [doc_id],
    ).fetchone()
    if row is None:  # pragma: no cover - every text keeps a source until gc deletes it
        sha = db.execute("SELECT sha256 FROM documents WHERE id = ?", [doc_id]).fetchone()[0]
        return f"{sha[:HASH_PREFIX]} (no source)"
    return f"{row[0]} (version {row[1]})"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
