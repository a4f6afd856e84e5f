"""Reading a fact store: documents, evidence, entities, search, relations and counts.

:class:`StoreReads` is the reading half of :class:`~deniable.facts.store.FactStore`.
Values always travel as SQL parameters; a relation's name, the one identifier
built at run time, goes through :func:`sqlite_utils.db.quote_identifier`.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlite_utils import Database
from sqlite_utils.db import quote_identifier

from deniable.errors import StoreError
from deniable.facts import schema
from deniable.facts.keys import fold, fts_query
from deniable.facts.model import SYMMETRIC
from deniable.facts.records import (
    EntityFact,
    EntityInfo,
    EvidenceRow,
    SearchHit,
    StoreStats,
    evidence_row,
)

__all__ = ["StoreReads"]


class StoreReads:
    """The queries of a :class:`~deniable.facts.store.FactStore` (which opens ``db``)."""

    db: Database
    path: Path | None

    def meta(self, key: str) -> str | None:
        """Return the value recorded under ``key`` in the ``meta`` table, or ``None``."""
        row = self._one("SELECT value FROM meta WHERE key = ?", [key])
        return str(row[0]) if row else None

    def document_hashes(self) -> list[str]:
        """Return the content hashes of the stored documents, sorted."""
        return [r[0] for r in self._all("SELECT sha256 FROM documents ORDER BY sha256")]

    def has_document(self, sha256: str) -> bool:
        """Return whether a document with this content hash is stored."""
        return self._one("SELECT 1 FROM documents WHERE sha256 = ?", [sha256]) is not None

    def document_id(self, name: str) -> int | None:
        """Return the id of the document named ``name``, or ``None``."""
        row = self._one("SELECT id FROM documents WHERE name = ?", [name])
        return int(row[0]) if row else None

    def document_names(self) -> list[str]:
        """Return the names of the current documents (each one's source), sorted."""
        return [r[0] for r in self._all("SELECT name FROM current_documents ORDER BY name")]

    def evidence_for(self, pred: str, args: tuple[str, ...]) -> list[EvidenceRow]:
        """Return every stored statement of ``pred(args)``, all modalities, in reading order.

        For symmetric predicates (called, met, pictured_with) both argument orders match.
        """
        if len(args) != 2:
            return []
        a, b = args
        orders = [(a, b), (b, a)] if pred in SYMMETRIC and a != b else [(a, b)]
        match = " OR ".join("(ea.name = ? AND eb.name = ?)" for _ in orders)
        params: list[Any] = [pred, *(x for pair in orders for x in pair)]
        rows = self._all(
            f"""SELECT s.id, f.pred, ea.name, eb.name, s.modality, s.source,
                   CASE WHEN s.source <> '' THEN s.source WHEN d.outlet <> '' THEN d.outlet
                        ELSE d.name END,
                   d.name, d.title, d.outlet, d.date, se.position, se.text, se.char_start,
                   s.char_start, s.char_end, s.pattern, s.count, s.when_text, s.where_text,
                   s.claim, s.role, coalesce(m.status, '')
            FROM statements s
            LEFT JOIN review_marks m ON m.statement_id = s.id
            JOIN facts f ON f.id = s.fact_id
            JOIN entities ea ON ea.id = f.a_id
            JOIN entities eb ON eb.id = f.b_id
            JOIN current_documents d ON d.id = s.doc_id
            JOIN sentences se ON se.id = s.sentence_id
            WHERE f.pred = ? AND ({match})
            ORDER BY d.name, se.position, s.char_start, s.id""",
            params,
        )
        return [evidence_row(r) for r in rows]

    def entity(self, name: str) -> EntityInfo | None:
        """Return what the store knows of an entity (by canonical name or alias), or ``None``."""
        canonical = self.resolve_entity(name)
        if canonical is None:
            return None
        entity_id, type_, known = self._one(
            "SELECT id, type, known FROM entities WHERE name = ?", [canonical]
        )
        aliases = tuple(
            r[0]
            for r in self._all(
                "SELECT alias FROM aliases WHERE entity_id = ? ORDER BY alias", [entity_id]
            )
        )
        part_of = tuple(
            r[0]
            for r in self._all(
                "SELECT w.name FROM entity_links l JOIN entities w ON w.id = l.whole_id "
                "WHERE l.part_id = ? ORDER BY w.name",
                [entity_id],
            )
        )
        facts = tuple(
            EntityFact(pred, (a, b), n, positive)
            for pred, a, b, n, positive in self._all(
                f"""SELECT f.pred, ea.name, eb.name, count(s.id),
                       sum(s.modality IN ({", ".join("?" * len(schema.POSITIVE_MODALITIES))}))
                FROM facts f
                JOIN entities ea ON ea.id = f.a_id
                JOIN entities eb ON eb.id = f.b_id
                JOIN statements s ON s.fact_id = f.id
                JOIN current_documents d ON d.id = s.doc_id
                WHERE f.a_id = ? OR f.b_id = ?
                GROUP BY f.id ORDER BY f.pred, ea.name, eb.name""",
                [*schema.POSITIVE_MODALITIES, entity_id, entity_id],
            )
        )
        return EntityInfo(canonical, type_, bool(known), aliases, part_of, facts)

    def resolve_entity(self, text: str) -> str | None:
        """Return the canonical name an alias (case/accent/quote-insensitive) stands for."""
        row = self._one("SELECT name FROM entities WHERE name = ?", [text])
        if row is not None:
            return str(row[0])
        # An exact alias beats a folded one; a known entity beats a discovered one.
        row = self._one(
            """SELECT e.name FROM aliases a JOIN entities e ON e.id = a.entity_id
               WHERE a.folded = ?
               ORDER BY a.alias = ? DESC, e.known DESC, e.id LIMIT 1""",
            [fold(text), text],
        )
        return str(row[0]) if row else None

    def entity_names(self) -> list[str]:
        """Return every canonical entity name, sorted."""
        return [r[0] for r in self._all("SELECT name FROM entities ORDER BY name")]

    def search(self, text: str, limit: int = 20) -> list[SearchHit]:
        """Return sentences containing every word of ``text``, best match first.

        User text is searched literally (see :func:`fts_query`); it can never
        cause an FTS syntax error.
        """
        query = fts_query(text)
        if not query or limit <= 0:
            return []
        try:
            rows = self._all(
                """SELECT d.name, s.position, s.text, s.char_start, s.char_end
                FROM sentences_fts
                JOIN sentences s ON s.id = sentences_fts.rowid
                JOIN current_documents d ON d.id = s.doc_id
                WHERE sentences_fts MATCH ?
                ORDER BY sentences_fts.rank, d.name, s.position LIMIT ?""",
                [query, int(limit)],
            )
        except sqlite3.Error as error:
            raise StoreError(f"cannot search for {text!r}: {error}") from None
        return [SearchHit(*r) for r in rows]

    def relations(self) -> dict[str, tuple[str, ...]]:
        """Return the relations the store offers to rules: name -> base types of the columns."""
        return {name: tuple(t for _, t in columns) for name, columns in schema.RELATIONS.items()}

    def relation_columns(self, name: str) -> tuple[str, ...]:
        """Return the column names of a store relation, in order."""
        try:
            return tuple(c for c, _ in schema.RELATIONS[name])
        except KeyError:
            raise StoreError(f"the store has no relation {name!r}") from None

    def rows(self, name: str) -> list[tuple[Any, ...]]:
        """Return the rows of a store relation (a view), sorted."""
        columns = ", ".join(quote_identifier(c) for c in self.relation_columns(name))
        return self._all(f"SELECT {columns} FROM {quote_identifier(name)} ORDER BY {columns}")

    def derived_tables(self) -> list[str]:
        """Return the names of the relations rule engines wrote into this store."""
        return [r[0] for r in self._all("SELECT name FROM derived_relations ORDER BY name")]

    def stats(self) -> StoreStats:
        """Return counts of current documents, their sentences and statements, entities, facts.

        Old versions kept for ``deniable restore`` are not counted.
        """
        current = "JOIN current_documents d ON d.id = s.doc_id"
        by_pred: dict[str, dict[str, int]] = {}
        for pred, modality, n in self._all(
            f"SELECT f.pred, s.modality, count(*) FROM statements s {current} "
            "JOIN facts f ON f.id = s.fact_id GROUP BY f.pred, s.modality ORDER BY 1, 2"
        ):
            by_pred.setdefault(pred, {})[modality] = n

        def count(sql: str) -> int:
            return int(self._one(sql)[0])

        return StoreStats(
            documents=count("SELECT count(*) FROM current_documents"),
            sentences=count(f"SELECT count(*) FROM sentences s {current}"),
            entities=count("SELECT count(*) FROM entities"),
            facts=count(f"SELECT count(DISTINCT s.fact_id) FROM statements s {current}"),
            statements=count(f"SELECT count(*) FROM statements s {current}"),
            by_predicate=by_pred,
        )

    def iter_statements(self) -> Iterator[dict[str, Any]]:
        """Yield every statement as a dict (the jsonl export's fields), in document order.

        ``review`` is its review status: ``confirmed``, ``rejected`` or ``""``.
        """
        cursor = self.db.execute(
            """SELECT f.pred, ea.name, eb.name, s.modality, s.source, d.name, se.position,
                      se.text, s.char_start, s.char_end, s.pattern, s.count, s.when_text,
                      s.where_text, s.claim, s.role, s.extra, coalesce(m.status, '')
            FROM statements s
            LEFT JOIN review_marks m ON m.statement_id = s.id
            JOIN facts f ON f.id = s.fact_id
            JOIN entities ea ON ea.id = f.a_id
            JOIN entities eb ON eb.id = f.b_id
            JOIN current_documents d ON d.id = s.doc_id
            JOIN sentences se ON se.id = s.sentence_id
            ORDER BY d.name, se.position, s.char_start, s.id"""
        )
        for r in cursor:
            yield {
                "pred": r[0],
                "args": [r[1], r[2]],
                "modality": r[3],
                "source": r[4],
                "doc": r[5],
                "sentence_index": r[6],
                "sentence": r[7],
                "start": r[8],
                "end": r[9],
                "pattern": r[10],
                "count": r[11],
                "when": r[12],
                "where": r[13],
                "claim": r[14],
                "role": r[15],
                "extra": json.loads(r[16]),
                "review": r[17],
            }

    # ------------------------------------------------------------------ helpers

    def _one(self, sql: str, params: list[Any] | None = None) -> Any:
        return self.db.execute(sql, params or []).fetchone()

    def _all(self, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
        return list(self.db.execute(sql, params or []).fetchall())
