"""Who is who, as the user decides it: two names are one person (merge), or one name is two (split).

Extraction takes one name string for one entity across articles.  When a reader
knows better, ``deniable entities merge A B`` records that B is A, and
``deniable entities split A --doc DOC`` that the A of one document is someone
else.  A decision is stored with who, when and why, and applied at once: the
statements it concerns move to the right entity (as a review correction moves
one), each move remembered so that ``entities undo ID`` can put it back.  Every
document ingested or re-extracted later gets the decisions too (:func:`apply_to_document`
runs after its review decisions), and each decision moves the store's generation,
so the next question re-derives the conclusions.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlite_utils import Database

from deniable.errors import StoreError, UsageError
from deniable.facts import generation

if TYPE_CHECKING:
    from deniable.facts.store import FactStore

__all__ = ["Decision", "apply_to_document", "decisions", "merge", "split", "undo"]

# Created when the first decision is recorded, so older stores need no upgrade; a store
# without them simply has no decisions.
_TABLES_SQL = """
CREATE TABLE IF NOT EXISTS entity_decisions (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('merge', 'split')),
    name TEXT NOT NULL,
    other TEXT NOT NULL,
    doc TEXT NOT NULL DEFAULT '',
    reason TEXT NOT NULL DEFAULT '',
    reviewer TEXT NOT NULL,
    at TEXT NOT NULL,
    undone_by TEXT NOT NULL DEFAULT '',
    undone_at TEXT NOT NULL DEFAULT '',
    folded TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS entity_moves (
    decision_id INTEGER NOT NULL REFERENCES entity_decisions(id),
    statement_id INTEGER NOT NULL REFERENCES statements(id) ON DELETE CASCADE,
    arg INTEGER NOT NULL CHECK (arg IN (0, 1)),
    previous TEXT NOT NULL,
    PRIMARY KEY (decision_id, statement_id, arg)
);
"""


@dataclass(frozen=True, slots=True)
class Decision:
    """One recorded decision and how many statements it moves now.

    For a merge, ``other`` became ``name``; for a split, ``name`` in document
    ``doc`` became ``other``.  ``undone_at`` is set once it was undone.
    """

    id: int
    kind: str
    name: str
    other: str
    doc: str
    reason: str
    reviewer: str
    at: str
    undone_at: str
    moved: int

    def __str__(self) -> str:
        if self.kind == "merge":
            what = f"#{self.id} merge: {self.other!r} is {self.name!r}"
        else:
            what = f"#{self.id} split: {self.name!r} in {self.doc} is {self.other!r}"
        state = f"undone {self.undone_at}" if self.undone_at else f"{self.moved} statements moved"
        why = f": {self.reason}" if self.reason else ""
        return f"{what} ({state}; by {self.reviewer}, {self.at}{why})"


def merge(store: FactStore, name: str, other: str, *, by: str, reason: str = "") -> Decision:
    """Record that ``other`` is the same entity as ``name``; move ``other``'s statements to it.

    Raises:
        UsageError: the two names are the same, or a name is not in the store.
        StoreError: the store cannot be written.
    """
    keep, gone = _known(store, name), _known(store, other)
    if keep == gone:
        raise UsageError(f"{name!r} and {other!r} are one entity already; nothing to merge")
    return _record(store, "merge", keep, gone, "", by=by, reason=reason)


def split(
    store: FactStore, name: str, *, doc: str, new_name: str = "", by: str, reason: str = ""
) -> Decision:
    """Record that ``name`` in document ``doc`` is someone else, named ``new_name``.

    Args:
        new_name: default ``"NAME (DOC)"``.

    Raises:
        UsageError: the name or the document is unknown, or the name is not in it.
        StoreError: the store cannot be written.
    """
    from deniable.facts.versions import resolve_source

    kept = _known(store, name)
    source = resolve_source(store, doc)
    target = new_name.strip() or f"{kept} ({source})"
    if target == kept:
        raise UsageError("give the other person a name of their own with --as NAME")
    if not _statements_naming(store.db, kept, _doc_ids(store.db, source)):
        raise UsageError(f"{source} has no statement about {kept!r}; nothing to split")
    return _record(store, "split", kept, target, source, by=by, reason=reason)


def undo(store: FactStore, decision_id: int, *, by: str) -> Decision:
    """Undo a decision: its statements go back to the names they had before it.

    Raises:
        UsageError: no such decision, or it was undone already.
        StoreError: the store cannot be written.
    """
    store.ensure_writable("undo an entity decision in this store")
    _ensure_tables(store.db)
    row = store.db.execute(
        "SELECT undone_at FROM entity_decisions WHERE id = ?", [decision_id]
    ).fetchone()
    if row is None:
        raise UsageError(
            f"no entity decision #{decision_id}; `deniable entities decisions` lists them"
        )
    if row[0]:
        raise UsageError(f"entity decision #{decision_id} was undone already ({row[0]})")
    from deniable.facts.review import move_statement

    with store.db.atomic():
        moves = store.db.execute(
            "SELECT m.statement_id, m.arg, m.previous FROM entity_moves m "
            "JOIN statements s ON s.id = m.statement_id WHERE m.decision_id = ? "
            "ORDER BY m.statement_id, m.arg",
            [decision_id],
        ).fetchall()
        kind, folded = store.db.execute(
            "SELECT kind, folded FROM entity_decisions WHERE id = ?", [decision_id]
        ).fetchone()
        if kind == "merge" and folded:
            _unfold(store.db, json.loads(folded))
        for statement_id, arg, previous in moves:
            pred, a, b = _fact_of(store.db, statement_id)
            args = [a, b]
            args[arg] = previous
            move_statement(store.db, statement_id, pred, args[0], args[1])
        store.db.execute("DELETE FROM entity_moves WHERE decision_id = ?", [decision_id])
        store.db.execute(
            "UPDATE entity_decisions SET undone_by = ?, undone_at = ? WHERE id = ?",
            [by, _now(), decision_id],
        )
        generation.bump(store.db)
    return _decision(store.db, decision_id)


def decisions(store: FactStore) -> list[Decision]:
    """Every recorded decision, oldest first (none when the store has never had one)."""
    if not _has_tables(store.db):
        return []
    ids = [r[0] for r in store.db.execute("SELECT id FROM entity_decisions ORDER BY id")]
    return [_decision(store.db, int(i)) for i in ids]


def apply_to_document(db: Database, doc_id: int) -> None:
    """Apply every decision in force to the statements of text ``doc_id``, oldest first.

    Called inside the transaction that stored or restored the text, after its review
    decisions; a store that never had a decision has nothing to do.
    """
    if not _has_tables(db):
        return
    for decision_id, kind, name, other, doc in db.execute(
        "SELECT id, kind, name, other, doc FROM entity_decisions WHERE undone_at = '' ORDER BY id"
    ).fetchall():
        if kind == "split" and doc_id not in _doc_ids(db, doc):
            continue
        before, after = (other, name) if kind == "merge" else (name, other)
        _move_names(db, decision_id, before, after, [doc_id])
        if kind == "merge":
            _fold_into(db, before, after)  # the text brought the merged name back


# --------------------------------------------------------------------------- helpers


def _record(
    store: FactStore, kind: str, name: str, other: str, doc: str, *, by: str, reason: str
) -> Decision:
    store.ensure_writable("record an entity decision in this store")
    _ensure_tables(store.db)
    with store.db.atomic():
        cursor = store.db.execute(
            "INSERT INTO entity_decisions (kind, name, other, doc, reason, reviewer, at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [kind, name, other, doc, reason, by, _now()],
        )
        decision_id = int(cursor.lastrowid or 0)
        before, after = (other, name) if kind == "merge" else (name, other)
        if kind == "split":
            _entity_like(store.db, after, before)
        docs = _doc_ids(store.db, doc) if kind == "split" else _all_doc_ids(store.db)
        _move_names(store.db, decision_id, before, after, docs)
        if kind == "merge":
            folded = _fold_into(store.db, before, after)
            store.db.execute(
                "UPDATE entity_decisions SET folded = ? WHERE id = ?",
                [json.dumps(folded, ensure_ascii=False), decision_id],
            )
        generation.bump(store.db)
    return _decision(store.db, decision_id)


def _move_names(
    db: Database, decision_id: int, before: str, after: str, doc_ids: list[int]
) -> None:
    from deniable.facts.review import move_statement

    for statement_id, pred, a, b in _statements_naming(db, before, doc_ids):
        args = [a, b]
        for arg in (0, 1):
            if args[arg] == before:
                args[arg] = after
                db.execute(
                    "INSERT OR REPLACE INTO entity_moves "
                    "(decision_id, statement_id, arg, previous) VALUES (?, ?, ?, ?)",
                    [decision_id, statement_id, arg, before],
                )
        move_statement(db, statement_id, pred, args[0], args[1])


def _statements_naming(
    db: Database, name: str, doc_ids: list[int]
) -> list[tuple[int, str, str, str]]:
    if not doc_ids:
        return []
    marks = ", ".join("?" for _ in doc_ids)
    return [
        (int(r[0]), str(r[1]), str(r[2]), str(r[3]))
        for r in db.execute(
            f"""SELECT s.id, f.pred, ea.name, eb.name FROM statements s
            JOIN facts f ON f.id = s.fact_id
            JOIN entities ea ON ea.id = f.a_id JOIN entities eb ON eb.id = f.b_id
            WHERE s.doc_id IN ({marks}) AND (ea.name = ? OR eb.name = ?)
            ORDER BY s.id""",
            [*doc_ids, name, name],
        ).fetchall()
    ]


def _fact_of(db: Database, statement_id: int) -> tuple[str, str, str]:
    row = db.execute(
        """SELECT f.pred, ea.name, eb.name FROM statements s JOIN facts f ON f.id = s.fact_id
        JOIN entities ea ON ea.id = f.a_id JOIN entities eb ON eb.id = f.b_id
        WHERE s.id = ?""",
        [statement_id],
    ).fetchone()
    return str(row[0]), str(row[1]), str(row[2])


def _doc_ids(db: Database, source: str) -> list[int]:
    """Every stored text (current or kept) a source names: a split holds for all its versions."""
    rows = db.execute(
        "SELECT id FROM documents WHERE name = ? "
        "UNION SELECT doc_id FROM document_sources WHERE source = ? ORDER BY 1",
        [source, source],
    ).fetchall()
    return [int(r[0]) for r in rows]


def _all_doc_ids(db: Database) -> list[int]:
    return [int(r[0]) for r in db.execute("SELECT id FROM documents ORDER BY id").fetchall()]


def _fold_into(db: Database, gone: str, kept: str) -> dict[str, Any]:
    """Fold entity ``gone`` into ``kept`` when nothing names it any more: its names become
    ``kept``'s aliases, so ``:entity`` and queries by the old name find ``kept``.

    Returns what :func:`_unfold` needs to bring it back (empty when nothing was folded).
    """
    from deniable.facts.keys import fold

    row = db.execute("SELECT id, type, known FROM entities WHERE name = ?", [gone]).fetchone()
    target = db.execute("SELECT id FROM entities WHERE name = ?", [kept]).fetchone()
    if row is None or target is None:
        return {}
    gone_id, kept_id = int(row[0]), int(target[0])
    still_named = db.execute(
        "SELECT 1 FROM facts WHERE a_id = ? OR b_id = ? UNION ALL "
        "SELECT 1 FROM entity_links WHERE part_id = ? OR whole_id = ? LIMIT 1",
        [gone_id, gone_id, gone_id, gone_id],
    ).fetchone()
    if still_named is not None:
        return {}
    aliases = [str(r[0]) for r in db.execute(
        "SELECT alias FROM aliases WHERE entity_id = ? ORDER BY alias", [gone_id]
    )]  # fmt: skip
    added = []
    for alias in dict.fromkeys([gone, *aliases]):
        cursor = db.execute(
            "INSERT OR IGNORE INTO aliases (alias, folded, entity_id) VALUES (?, ?, ?)",
            [alias, fold(alias), kept_id],
        )
        if cursor.rowcount:
            added.append(alias)
    db.execute("DELETE FROM entities WHERE id = ?", [gone_id])
    return {
        "name": gone, "type": row[1], "known": int(row[2]), "aliases": aliases,
        "kept": kept, "added": added,
    }  # fmt: skip


def _unfold(db: Database, folded: dict[str, Any]) -> None:
    """Bring back an entity :func:`_fold_into` folded away, with its own aliases."""
    from deniable.facts.keys import fold

    kept = db.execute("SELECT id FROM entities WHERE name = ?", [folded["kept"]]).fetchone()
    if kept is not None:
        for alias in folded["added"]:
            db.execute(
                "DELETE FROM aliases WHERE alias = ? AND entity_id = ?", [alias, int(kept[0])]
            )
    db.execute(
        "INSERT OR IGNORE INTO entities (name, type, known) VALUES (?, ?, ?)",
        [folded["name"], folded["type"], folded["known"]],
    )
    (gone_id,) = db.execute("SELECT id FROM entities WHERE name = ?", [folded["name"]]).fetchone()
    for alias in dict.fromkeys([folded["name"], *folded["aliases"]]):
        db.execute(
            "INSERT OR IGNORE INTO aliases (alias, folded, entity_id) VALUES (?, ?, ?)",
            [alias, fold(alias), int(gone_id)],
        )


def _entity_like(db: Database, name: str, model: str) -> None:
    """Create entity ``name`` of ``model``'s type (a person split off is a person)."""
    from deniable.facts.keys import fold

    if db.execute("SELECT 1 FROM entities WHERE name = ?", [name]).fetchone() is not None:
        return
    cursor = db.execute(
        "INSERT INTO entities (name, type, known) SELECT ?, type, 0 FROM entities WHERE name = ?",
        [name, model],
    )
    db.execute(
        "INSERT OR IGNORE INTO aliases (alias, folded, entity_id) VALUES (?, ?, ?)",
        [name, fold(name), int(cursor.lastrowid or 0)],
    )


def _known(store: FactStore, name: str) -> str:
    canonical = store.resolve_entity(name.strip())
    if canonical is None:
        raise UsageError(f"no entity {name!r} in this store; `deniable entities` lists them")
    return canonical


def _decision(db: Database, decision_id: int) -> Decision:
    row = db.execute(
        "SELECT id, kind, name, other, doc, reason, reviewer, at, undone_at, "
        "(SELECT count(DISTINCT statement_id) FROM entity_moves m "
        " WHERE m.decision_id = d.id) FROM entity_decisions d WHERE id = ?",
        [decision_id],
    ).fetchone()
    if row is None:  # pragma: no cover - ids come from the table itself
        raise StoreError(f"entity decision #{decision_id} vanished")
    return Decision(*row)


def _has_tables(db: Database) -> bool:
    return bool(db["entity_decisions"].exists())


def _ensure_tables(db: Database) -> None:
    if not _has_tables(db):
        db.executescript(_TABLES_SQL)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
