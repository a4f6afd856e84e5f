"""Review decisions: a person confirms, rejects or corrects an extracted statement.

A decision names its statement by what outlives re-extraction: the document's
source, the hash of its text, the character span, the predicate and the arguments
as they were when it was made.  Statement ids change whenever a document is
ingested again (``ingest --replace``), so :func:`apply_reviews` matches the
decisions about a text to its statements: those made on the same text, and those
made on another version of one of its sources where span, predicate and arguments
are the same (:mod:`deniable.facts.versions`).  Each statement's status goes into
``review_marks``; the store's rule views (:mod:`deniable.facts.schema`) leave
rejected statements out, and ``derive --confirmed-only`` (:func:`confirmed_only`)
admits confirmed ones alone.  Every decision is kept (who, when, why); the latest one counts.
"""

from __future__ import annotations

import contextlib
import getpass
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from sqlite_utils import Database

from deniable.errors import StoreError, UsageError
from deniable.facts import generation
from deniable.facts.keys import fold

if TYPE_CHECKING:
    from deniable.facts.store import FactStore

__all__ = [
    "QueueItem",
    "Status",
    "apply_reviews",
    "confirm",
    "confirmed_only",
    "correct",
    "move_statement",
    "reject",
    "review_queue",
    "reviewer",
]


class Status(StrEnum):
    """Where a statement stands in review."""

    UNREVIEWED = "unreviewed"
    CONFIRMED = "confirmed"
    REJECTED = "rejected"


@dataclass(frozen=True, slots=True)
class QueueItem:
    """One statement as the review queue shows it, with its latest decision.

    ``sentence_start``/``sentence_end`` are the span as offsets into ``sentence``;
    ``corrections`` lists ``(argument number, value as extracted)`` of corrected arguments.
    """

    statement_id: int
    pred: str
    args: tuple[str, str]
    modality: str
    source: str
    doc: str
    title: str
    outlet: str
    date: str
    sentence: str
    sentence_start: int
    sentence_end: int
    status: Status
    reason: str = ""
    reviewer: str = ""
    at: str = ""
    corrections: tuple[tuple[int, str], ...] = ()


def reviewer(explicit: str | None = None) -> str:
    """Who decides: ``--by`` when given, else ``$USER``, else the login name."""
    if explicit:
        return explicit
    try:
        return os.environ.get("USER") or getpass.getuser() or "unknown"
    except (KeyError, OSError):  # no user database entry (containers)
        return "unknown"


# --------------------------------------------------------------------------- reading

_QUEUE_SQL = """
SELECT s.id, f.pred, ea.name, eb.name, s.modality, s.source, d.name, d.title, d.outlet,
       d.date, se.text, s.char_start - se.char_start, s.char_end - se.char_start,
       coalesce(m.status, 'unreviewed'), coalesce(r.reason, ''), coalesce(r.reviewer, ''),
       coalesce(r.at, ''), s.char_start, s.char_end
FROM statements s
JOIN facts f ON f.id = s.fact_id
JOIN entities ea ON ea.id = f.a_id
JOIN entities eb ON eb.id = f.b_id
JOIN current_documents d ON d.id = s.doc_id
JOIN sentences se ON se.id = s.sentence_id
LEFT JOIN review_marks m ON m.statement_id = s.id
LEFT JOIN reviews r ON r.id = m.review_id"""


def review_queue(
    store: FactStore,
    *,
    pred: str | None = None,
    doc: str | None = None,
    status: Status | str | None = None,
    ids: Sequence[int] = (),
) -> list[QueueItem]:
    """The statements to review, in reading order, filtered by predicate, document, status or id.

    Raises:
        UsageError: an unknown status.
    """
    where: list[str] = []
    params: list[Any] = []
    if pred is not None:
        where.append("f.pred = ?")
        params.append(pred)
    if doc is not None:
        # A text the same article from two places shares is named after one of them.
        where.append(
            "(d.name = ? OR d.id IN "
            "(SELECT doc_id FROM document_sources WHERE source = ? AND current = 1))"
        )
        params.extend([doc, doc])
    if status is not None:
        where.append("coalesce(m.status, 'unreviewed') = ?")
        params.append(_status(status).value)
    if ids:
        where.append(f"s.id IN ({', '.join('?' * len(ids))})")
        params.extend(int(i) for i in ids)
    sql = _QUEUE_SQL + (" WHERE " + " AND ".join(where) if where else "")
    sql += " ORDER BY d.name, se.position, s.char_start, s.id"
    rows = store.db.execute(sql, params).fetchall()
    corrections = _corrections(store.db, {r[6] for r in rows})
    return [_item(r, corrections) for r in rows]


def _item(
    r: tuple[Any, ...], corrections: dict[tuple[Any, ...], list[tuple[int, str, str]]]
) -> QueueItem:
    key = (r[6], r[17], r[18], r[1])
    return QueueItem(
        statement_id=r[0],
        pred=r[1],
        args=(r[2], r[3]),
        modality=r[4],
        source=r[5],
        doc=r[6],
        title=r[7],
        outlet=r[8],
        date=r[9],
        sentence=r[10],
        sentence_start=max(0, r[11]),
        sentence_end=min(len(r[10]), r[12]),
        status=Status(r[13]),
        reason=r[14],
        reviewer=r[15],
        at=r[16],
        corrections=tuple(
            (arg, original) for arg, original, value in corrections.get(key, ()) if value in r[2:4]
        ),
    )


def _corrections(db: Database, docs: set[str]) -> dict[tuple[Any, ...], list[tuple[int, str, str]]]:
    found: dict[tuple[Any, ...], list[tuple[int, str, str]]] = {}
    if not docs:
        return found
    rows = db.execute(
        "SELECT doc, char_start, char_end, pred, arg, a, b, value FROM reviews "
        f"WHERE decision = 'corrected' AND doc IN ({', '.join('?' * len(docs))}) ORDER BY id",
        sorted(docs),
    ).fetchall()
    for doc, start, end, pred, arg, a, b, value in rows:
        found.setdefault((doc, start, end, pred), []).append((arg + 1, (a, b)[arg], value))
    return found


def _status(value: Status | str) -> Status:
    try:
        return Status(value)
    except ValueError:
        choices = ", ".join(s.value for s in Status)
        raise UsageError(f"unknown review status {value!r}; use one of {choices}") from None


# --------------------------------------------------------------------------- deciding


def confirm(store: FactStore, ids: Sequence[int], *, by: str) -> list[QueueItem]:
    """Confirm the statements ``ids``; return them as they now stand.

    Raises:
        StoreError: an id names no statement (nothing is recorded then), or the
            store cannot be written.
    """
    return _decide(store, ids, "confirmed", by=by)


def reject(store: FactStore, ids: Sequence[int], *, reason: str, by: str) -> list[QueueItem]:
    """Reject the statements ``ids`` for ``reason``: rules no longer see them.

    Raises:
        UsageError: no reason was given.
        StoreError: as :func:`confirm`.
    """
    if not reason.strip():
        raise UsageError("say why the statement is wrong: --reason TEXT")
    return _decide(store, ids, "rejected", by=by, reason=reason)


def correct(
    store: FactStore, statement_id: int, *, arg: int, value: str, by: str, reason: str = ""
) -> list[QueueItem]:
    """Replace argument ``arg`` (1 or 2) of a statement with ``value`` (a name or an alias).

    Raises:
        UsageError: ``arg`` is not 1 or 2, or ``value`` is empty.
        StoreError: as :func:`confirm`.
    """
    if arg not in (1, 2):
        raise UsageError(f"a statement has arguments 1 and 2, not {arg}; give --arg 1 or --arg 2")
    if not value.strip():
        raise UsageError("give the corrected argument: --arg N VALUE")
    name = store.resolve_entity(value.strip()) or value.strip()
    return _decide(
        store, [statement_id], "corrected", by=by, reason=reason, arg=arg - 1, value=name
    )


def _decide(
    store: FactStore,
    ids: Sequence[int],
    decision: str,
    *,
    by: str,
    reason: str = "",
    arg: int | None = None,
    value: str = "",
) -> list[QueueItem]:
    if not ids:
        raise UsageError("give at least one statement id (see `deniable review`)")
    store.ensure_writable("record review decisions in this store")
    items = {item.statement_id: item for item in review_queue(store, ids=ids)}
    missing = [str(i) for i in ids if int(i) not in items]
    if missing:
        raise StoreError(
            f"no statement {', '.join(missing)} in this store; `deniable review` lists the ids"
        )
    at = datetime.now(UTC).isoformat(timespec="seconds")
    with store.db.atomic():
        texts: set[int] = set()
        for item in (items[int(i)] for i in dict.fromkeys(ids)):
            start, end, doc_id, sha = _document_span(store.db, item.statement_id)
            texts.add(doc_id)
            values = [item.doc, start, end, item.pred, *item.args, decision, arg, value]
            store.db.execute(
                "INSERT INTO reviews (doc, char_start, char_end, pred, a, b, decision, arg, "
                "value, reason, reviewer, at, sha256) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [*values, reason, by, at, sha],
            )
        for doc_id in sorted(texts):
            apply_reviews(store.db, doc_id)
        # A decision changes what the rules read: the conclusions are stale from here on.
        generation.bump(store.db)
    return review_queue(store, ids=ids)


def _document_span(db: Database, statement_id: int) -> tuple[int, int, int, str]:
    """A statement's span, its text's id and the text's hash."""
    row = db.execute(
        "SELECT s.char_start, s.char_end, s.doc_id, d.sha256 FROM statements s "
        "JOIN documents d ON d.id = s.doc_id WHERE s.id = ?",
        [statement_id],
    ).fetchone()
    return int(row[0]), int(row[1]), int(row[2]), str(row[3])


# --------------------------------------------------------------------------- matching


def apply_reviews(db: Database, doc_id: int) -> None:
    """Match the decisions about the text ``doc_id`` to its statements; call inside a transaction.

    Decisions apply in the order they were made.  One made on this text applies to the
    statements with its span and predicate whose arguments are the ones decided on;
    when the arguments changed since (a re-extraction resolved a name), to the only
    statement with that span and predicate, if there is just one.  One made on another
    version of a source this text has held applies only where span, predicate and
    arguments are all the same (a changed text may have moved every span).  A
    correction moves its statement to the corrected fact.
    """
    sha = db.execute("SELECT sha256 FROM documents WHERE id = ?", [doc_id]).fetchone()
    if sha is None:
        return
    statements = {
        row[0]: list(row[1:])
        for row in db.execute(
            """SELECT s.id, s.char_start, s.char_end, f.pred, ea.name, eb.name
            FROM statements s
            JOIN facts f ON f.id = s.fact_id
            JOIN entities ea ON ea.id = f.a_id JOIN entities eb ON eb.id = f.b_id
            WHERE s.doc_id = ?""",
            [doc_id],
        )
    }
    db.execute(
        "DELETE FROM review_marks WHERE statement_id IN "
        "(SELECT id FROM statements WHERE doc_id = ?)",
        [doc_id],
    )
    marks: dict[int, tuple[str, int]] = {}
    decisions = db.execute(
        "SELECT id, char_start, char_end, pred, a, b, decision, arg, value, sha256 = ? "
        "FROM reviews WHERE sha256 = ? "
        "OR doc IN (SELECT source FROM document_sources WHERE doc_id = ?) ORDER BY id",
        [sha[0], sha[0], doc_id],
    ).fetchall()
    for review_id, start, end, pred, a, b, decision, arg, value, same_text in decisions:
        same = [i for i, s in statements.items() if s[:3] == [start, end, pred]]
        exact = [i for i in same if statements[i][3:] == [a, b]]
        fallback = same if same_text and len(same) == 1 else []
        for sid in exact or fallback:
            if decision == "corrected":
                statements[sid][3 + arg] = value
                move_statement(db, sid, pred, statements[sid][3], statements[sid][4])
            else:
                marks[sid] = (decision, review_id)
    db.conn.executemany(
        "INSERT INTO review_marks (statement_id, status, review_id) VALUES (?, ?, ?)",
        [(sid, status, rid) for sid, (status, rid) in sorted(marks.items())],
    )
    # Who is who comes after what was said: a merge or split applies to corrected names too.
    from deniable.facts.entity_decisions import apply_to_document

    apply_to_document(db, doc_id)


def move_statement(db: Database, statement_id: int, pred: str, a: str, b: str) -> None:
    """Point a statement at the fact ``pred(a, b)``; drop the old fact if nothing states it."""
    old = db.execute("SELECT fact_id FROM statements WHERE id = ?", [statement_id]).fetchone()[0]
    a_id, b_id = _entity(db, a), _entity(db, b)
    db.execute(
        "INSERT OR IGNORE INTO facts (pred, a_id, b_id) VALUES (?, ?, ?)", [pred, a_id, b_id]
    )
    new = db.execute(
        "SELECT id FROM facts WHERE pred = ? AND a_id = ? AND b_id = ?", [pred, a_id, b_id]
    ).fetchone()[0]
    if new == old:
        return
    db.execute("UPDATE statements SET fact_id = ? WHERE id = ?", [new, statement_id])
    db.execute(
        "DELETE FROM facts WHERE id = ? "
        "AND NOT EXISTS (SELECT 1 FROM statements WHERE fact_id = ?)",
        [old, old],
    )


def _entity(db: Database, name: str) -> int:
    # As FactStore does for a name a fact mentions: a discovered entity, its name an alias.
    row = db.execute("SELECT id FROM entities WHERE name = ?", [name]).fetchone()
    if row is not None:
        return int(row[0])
    cursor = db.execute("INSERT INTO entities (name, type, known) VALUES (?, 'unknown', 0)", [name])
    entity_id = int(cursor.lastrowid or 0)
    db.execute(
        "INSERT OR IGNORE INTO aliases (alias, folded, entity_id) VALUES (?, ?, ?)",
        [name, fold(name), entity_id],
    )
    return entity_id


@contextlib.contextmanager
def confirmed_only(db: Database, enabled: bool = True) -> Iterator[None]:
    """Rules see confirmed statements only while the block runs (in the caller's transaction)."""
    if not enabled:
        yield
        return
    db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('evidence', 'confirmed')")
    try:
        yield
    finally:
        db.execute("DELETE FROM meta WHERE key = 'evidence'")
