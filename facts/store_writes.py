"""Writing a fact store: documents with their sentences and statements, entities, meta keys.

:class:`StoreWrites` is the writing half of :class:`~deniable.facts.store.FactStore`.
Each public method is one transaction (a failed write leaves the store as it was)
and moves the store's generation when it changes what rules read.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from datetime import UTC, datetime

from deniable.errors import StoreError
from deniable.facts import generation, schema, versions
from deniable.facts.keys import content_hash, fold
from deniable.facts.model import Entity, Extraction, Fact, Modality, Sentence
from deniable.facts.review import apply_reviews
from deniable.facts.store_reads import StoreReads
from deniable.facts.timeexpr import interval

__all__ = ["StoreWrites"]


class StoreWrites(StoreReads):
    """The writes of a :class:`~deniable.facts.store.FactStore`."""

    def add_extraction(self, extraction: Extraction, *, replace: bool = False) -> int:
        """Store a document with its sentences, entities and facts; return the text's id.

        The document's ``name`` is its source (:mod:`deniable.facts.versions`).  A text
        already stored is not stored again: the source is recorded as holding it (its
        id is returned), and with ``replace`` its statements are re-extracted.  A
        changed text at a stored source needs ``replace`` and becomes the source's new
        version; the old one is kept, out of the rule views, until ``deniable gc``.
        All of it happens in one transaction.

        Raises:
            StoreError: a changed text without ``replace``, or a fact that is not
                well-formed (unknown modality, evidence outside the document).
        """
        doc = extraction.document
        sha = doc.sha256 or content_hash(doc.text)
        if not doc.name:
            raise StoreError("a document needs a name")
        try:
            with self.db.atomic():
                by_hash = self._one("SELECT id FROM documents WHERE sha256 = ?", [sha])
                stored = int(by_hash[0]) if by_hash is not None else None
                versions.check_change(self.db, doc.name, stored, replace=replace)
                if stored is not None and not replace:
                    if versions.make_current(self.db, doc.name, stored):
                        apply_reviews(self.db, stored)
                        generation.bump(self.db)
                    return stored
                if stored is not None:
                    # The same text read again: its statements are replaced where they are.
                    versions.delete_text_contents(self.db, stored)
                doc_id = stored if stored is not None else self._insert_document(extraction, sha)
                sentence_ids = self._insert_sentences(doc_id, extraction.sentences)
                for entity in extraction.entities:
                    self._upsert_entity(entity)
                for fact in extraction.facts:
                    self._insert_statement(doc_id, doc.date, extraction, sentence_ids, fact)
                versions.make_current(self.db, doc.name, doc_id)
                generation.bump(self.db)
                # Review decisions outlive the statement ids they were made on.
                apply_reviews(self.db, doc_id)
                return doc_id
        except sqlite3.Error as error:
            raise StoreError(f"cannot store {doc.name!r}: {error}") from None

    def add_entities(self, entities: Iterable[Entity]) -> int:
        """Store canonical entities with their aliases and part_of links; return how many.

        An entity already stored gets its type updated and new aliases and links
        added (nothing is removed).  The generation moves only when something changed,
        so re-reading the same entity file leaves the conclusions current.
        """
        n = 0
        try:
            with self.db.atomic():
                before = self.db.conn.total_changes
                for entity in entities:
                    self._upsert_entity(entity)
                    n += 1
                if self.db.conn.total_changes != before:
                    generation.bump(self.db)
        except sqlite3.Error as error:
            raise StoreError(f"cannot store entities: {error}") from None
        return n

    def delete_document(self, name: str) -> bool:
        """Remove a stored text (by name) and everything read from it; return whether it existed."""
        with self.db.atomic():
            row = self._one("SELECT id FROM documents WHERE name = ?", [name])
            if row is None:
                return False
            versions.delete_text(self.db, row[0])
            generation.bump(self.db)
            return True

    def _insert_document(self, extraction: Extraction, sha: str) -> int:
        doc = extraction.document
        # A placeholder name, unique as the hash is, until versions.make_current names it.
        cursor = self.db.execute(
            "INSERT INTO documents "
            "(name, title, url, date, outlet, author, sha256, text, ingested_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                f"\x00{sha}",
                doc.title,
                doc.url,
                doc.date,
                doc.outlet,
                doc.author,
                sha,
                doc.text,
                _now(),
            ],
        )
        return int(cursor.lastrowid or 0)

    def _insert_sentences(self, doc_id: int, sentences: Iterable[Sentence]) -> dict[int, int]:
        ids: dict[int, int] = {}
        for s in sentences:
            cursor = self.db.execute(
                "INSERT INTO sentences (doc_id, position, char_start, char_end, text) "
                "VALUES (?, ?, ?, ?, ?)",
                [doc_id, s.index, s.start, s.end, s.text],
            )
            ids[s.index] = int(cursor.lastrowid or 0)
        return ids

    def _entity_id(self, name: str, type_: str = schema.UNKNOWN_TYPE) -> int:
        """Return the id of entity ``name``, creating it (as not known) when missing."""
        if not isinstance(name, str) or not name:
            raise StoreError(f"an entity name must be a non-empty string, not {name!r}")
        row = self._one("SELECT id FROM entities WHERE name = ?", [name])
        if row is not None:
            return int(row[0])
        cursor = self.db.execute(
            "INSERT INTO entities (name, type, known) VALUES (?, ?, 0)", [name, type_]
        )
        entity_id = int(cursor.lastrowid or 0)
        self._add_alias(entity_id, name)
        return entity_id

    def _add_alias(self, entity_id: int, alias: str) -> None:
        self.db.execute(
            "INSERT OR IGNORE INTO aliases (alias, folded, entity_id) VALUES (?, ?, ?)",
            [alias, fold(alias), entity_id],
        )

    def _known_person(self, name: str) -> int | None:
        """The entity file's person whose alias ``name`` is, when ``name`` is no known entity.

        Extraction may keep a full name the entity file lists as an alias ("Evgeny
        Prigozhin" for Yevgeny Prigozhin) as a name of its own; the user's entity file
        decides.  Only a person's alias of two words or more: a one-word alias may be a
        metonym ("Moscow" for the government) that names the city elsewhere.
        """
        if len(name.split()) < 2:
            return None
        if self._one("SELECT 1 FROM entities WHERE name = ? AND known = 1", [name]) is not None:
            return None
        rows = self._all(
            """SELECT DISTINCT e.id FROM aliases a JOIN entities e ON e.id = a.entity_id
               WHERE a.alias = ? AND e.known = 1 AND e.type = 'person' AND e.name <> ?""",
            [name, name],
        )
        if len(rows) != 1 or self._merged_away(name):
            return None
        return int(rows[0][0])

    def _merged_away(self, name: str) -> bool:
        """Whether ``name`` is an alias only because a merge (still in force) made it one.

        Such a name is left to the merge, applied after the document is stored, so that
        the merge records the statements it moves and ``entities undo`` moves them back.
        """
        if "entity_decisions" not in self.db.table_names():
            return False
        row = self._one(
            """SELECT 1 FROM entity_decisions d WHERE d.kind = 'merge' AND d.undone_at = ''
               AND (d.other = ? OR EXISTS (
                   SELECT 1 FROM json_each(
                       CASE WHEN json_valid(d.folded) THEN d.folded ELSE '{}' END, '$.aliases')
                   WHERE value = ?))
               LIMIT 1""",
            [name, name],
        )
        return row is not None

    def _upsert_entity(self, entity: Entity) -> int:
        type_ = getattr(entity.type, "value", entity.type) or schema.UNKNOWN_TYPE
        if not entity.known:
            person = self._known_person(entity.name)
            if person is not None:
                return person
        entity_id = self._entity_id(entity.name, str(type_))
        row = self._one("SELECT known FROM entities WHERE id = ?", [entity_id])
        # A discovered entity must not overwrite what an entity file said.
        if entity.known or not (row and row[0]):
            # Only a real change is written: the generation counts changed rows.
            self.db.execute(
                "UPDATE entities SET type = ?, known = max(known, ?) "
                "WHERE id = ? AND (type <> ? OR known < ?)",
                [str(type_), int(entity.known), entity_id, str(type_), int(entity.known)],
            )
        for alias in entity.aliases:
            if alias:
                self._add_alias(entity_id, alias)
        for whole in entity.part_of:
            whole_id = self._entity_id(whole)
            self.db.execute(
                "INSERT OR IGNORE INTO entity_links (part_id, whole_id) VALUES (?, ?)",
                [entity_id, whole_id],
            )
        return entity_id

    def _insert_statement(
        self,
        doc_id: int,
        doc_date: str,
        extraction: Extraction,
        sentence_ids: dict[int, int],
        fact: Fact,
    ) -> None:
        where = f"{extraction.document.name}: fact {fact.pred}{tuple(fact.args)!r}"
        if not isinstance(fact.pred, str) or not fact.pred:
            raise StoreError(f"{where}: a predicate must be a non-empty string")
        if len(fact.args) != 2:
            raise StoreError(f"{where}: a fact needs exactly two arguments")
        try:
            modality = Modality(fact.modality)
        except ValueError:
            raise StoreError(f"{where}: unknown modality {fact.modality!r}") from None
        ev = fact.evidence
        if not 0 <= ev.start <= ev.end <= len(extraction.document.text):
            raise StoreError(
                f"{where}: evidence span {ev.start}..{ev.end} lies outside the document "
                f"({len(extraction.document.text)} characters)"
            )
        sentence_id = sentence_ids.get(ev.sentence) or self._sentence_at(doc_id, ev.start, ev.end)
        if sentence_id is None:
            raise StoreError(
                f"{where}: evidence names sentence {ev.sentence} (chars {ev.start}..{ev.end}), "
                "which the document does not have"
            )
        a_id, b_id = (self._known_person(arg) or self._entity_id(arg) for arg in fact.args)
        self.db.execute(
            "INSERT OR IGNORE INTO facts (pred, a_id, b_id) VALUES (?, ?, ?)",
            [fact.pred, a_id, b_id],
        )
        fact_id = self._one(
            "SELECT id FROM facts WHERE pred = ? AND a_id = ? AND b_id = ?",
            [fact.pred, a_id, b_id],
        )[0]
        span = interval(fact.when, doc_date=doc_date) if fact.when else None
        self.db.execute(
            "INSERT INTO statements (fact_id, doc_id, sentence_id, modality, source, "
            "char_start, char_end, pattern, count, when_text, where_text, claim, role, "
            "time_start, time_end, extra) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                fact_id,
                doc_id,
                sentence_id,
                modality.value,
                fact.source,
                ev.start,
                ev.end,
                ev.pattern,
                fact.count,
                fact.when,
                fact.where,
                fact.claim,
                fact.role,
                span[0] if span else None,
                span[1] if span else None,
                json.dumps([list(kv) for kv in fact.extra], ensure_ascii=False),
            ],
        )

    def _sentence_at(self, doc_id: int, start: int, end: int) -> int | None:
        row = self._one(
            "SELECT id FROM sentences WHERE doc_id = ? AND char_start <= ? AND char_end >= ? "
            "ORDER BY position LIMIT 1",
            [doc_id, start, end],
        )
        return int(row[0]) if row else None

    def set_meta(self, key: str, value: str) -> None:
        """Record ``value`` under ``key`` in the store's ``meta`` table (replacing it)."""
        if key in ("application", "schema_version"):
            raise StoreError(f"the meta key {key!r} belongs to the schema")
        with self.db.atomic():
            self.db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", [key, value])


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
