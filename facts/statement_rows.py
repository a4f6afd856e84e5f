"""Every current statement with what a reader of an export needs: how it was said, by whom, where.

One row per statement of a current document: the fact, its modality, the
attributed ``source`` ("" when the article speaks in its own voice, as in the
JSON Lines export), ``vouched_by`` (that source, else the outlet, else the
document: the value the rules' ``statement`` view reads), the document's title,
date, URL, outlet and text hash, the sentence and span, the details (the time also as the
``YYYYMMDD`` interval ``time_start``..``time_end`` when it names one), and the review status.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from deniable.facts.store import FactStore

__all__ = ["ROW_KEYS", "statement_rows"]

ROW_KEYS = (
    "id", "pred", "a", "b", "modality", "source", "vouched_by", "doc", "title", "date", "url",
    "sentence_index", "start", "end", "pattern", "count", "when", "where", "claim", "role",
    "review", "sentence", "outlet", "sha256", "time_start", "time_end",
)  # fmt: skip


def statement_rows(store: FactStore) -> Iterator[dict[str, Any]]:
    """Yield each current statement as a dict keyed by :data:`ROW_KEYS`, in reading order."""
    cursor = store.db.execute(
        """SELECT s.id, f.pred, ea.name, eb.name, s.modality, s.source,
                  CASE WHEN s.source <> '' THEN s.source WHEN d.outlet <> '' THEN d.outlet
                       ELSE d.name END,
                  d.name, d.title, d.date, d.url, se.position, s.char_start, s.char_end,
                  s.pattern, s.count, s.when_text, s.where_text, s.claim, s.role,
                  coalesce(m.status, ''), se.text, d.outlet, d.sha256, s.time_start, s.time_end
        FROM statements s
        LEFT JOIN review_marks m ON m.statement_id = s.id
        JOIN facts f ON f.id = s.fact_id
        JOIN entities ea ON ea.id = f.a_id
        JOIN entities eb ON eb.id = f.b_id
        JOIN current_documents d ON d.id = s.doc_id
        JOIN sentences se ON se.id = s.sentence_id
        ORDER BY d.name, se.position, s.char_start, s.id"""
    )
    for row in cursor:
        yield dict(zip(ROW_KEYS, row, strict=True))
