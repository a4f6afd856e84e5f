"""The fact store: documents, sentences, entities and facts with evidence in one SQLite file.

:class:`FactStore` wraps a :class:`sqlite_utils.Database` whose schema
(:mod:`deniable.facts.schema`) keeps the data in tables and presents the
relations rules read as views.  Every write happens in one transaction, so a
failed write leaves the store as it was.  Values always travel as SQL
parameters; the few identifiers built at run time go through
:func:`sqlite_utils.db.quote_identifier`.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from sqlite_utils import Database
from sqlite_utils.db import quote_identifier

from deniable.errors import Location, StoreError
from deniable.facts import creation, generation, interrupted, locks, schema, versions
from deniable.facts.access import write_blocker
from deniable.facts.keys import content_hash, fold, fts_query
from deniable.facts.locks import LockingDatabase
from deniable.facts.model import SYMMETRIC, Entity, Extraction, Fact, Modality, Sentence
from deniable.facts.records import (
    EntityFact,
    EntityInfo,
    EvidenceRow,
    SearchHit,
    StoreStats,
    evidence_row,
)
from deniable.facts.review import apply_reviews
from deniable.facts.timeexpr import interval

__all__ = [
    "EntityFact",
    "EntityInfo",
    "EvidenceRow",
    "FactStore",
    "SearchHit",
    "StoreStats",
    "content_hash",
    "fold",
    "fts_query",
]


class FactStore:
    """A deniable fact store over one SQLite database.

    Open with :meth:`open` (a file) or :meth:`memory` (tests); use as a context
    manager to close it.  ``db`` is the underlying :class:`sqlite_utils.Database`.
    """

    def __init__(self, db: Database, path: Path | None, *, read_only: str | None = None) -> None:
        self.db = db
        self.path = path
        #: Why this store cannot be written (``None`` when it can), for error messages.
        self.read_only = read_only
        # SQLite leaves foreign keys off unless each connection asks.
        db.execute("PRAGMA foreign_keys = ON")
        try:
            schema.upgrade_schema(db, writable=read_only is None)
        except sqlite3.Error as error:
            where = Location(str(path)) if path is not None else None
            raise StoreError(f"cannot upgrade this fact store: {error}", where) from None

    # ------------------------------------------------------------------ opening

    @classmethod
    def open(
        cls, path: str | Path, *, create: bool = True, on_wait: locks.Note | None = None
    ) -> FactStore:
        """Open the store at ``path``, creating it when missing and ``create`` is true.

        ``path`` may be an SQLite URI such as ``file:facts.db?mode=ro``, which opens
        the store read-only: it answers queries, and writes are refused with
        :meth:`ensure_writable`'s message.  While another process holds the file's
        lock, reads and writes wait for it (:mod:`deniable.facts.locks`); ``on_wait``
        hears the one line saying so (default: standard error).

        Raises:
            StoreError: the file is missing (``create=False``), unreadable, not a
                deniable database, or of another schema version; or it is missing
                and cannot be created there (read-only folder).
        """
        path, uri, read_only = _target(path)
        if path.is_dir():
            raise StoreError(f"{path} is a folder, not a fact store; give a file with --db")
        if not path.exists():
            if not create or read_only is not None:
                raise StoreError(
                    f"no fact store at {path}; run `deniable ingest` or `deniable demo` first"
                )
            if not path.parent.exists():
                raise StoreError(f"cannot create a fact store at {path}: no folder {path.parent}")
            blocker = write_blocker(path)
            if blocker is not None:
                raise StoreError(f"cannot create a fact store here: {blocker}", Location(str(path)))
        elif uri is None:
            read_only = _store_write_blocker(path)
            if read_only is not None:
                # Opened read-only, so that no write gets through even where the system
                # would allow it (root ignores permission bits).
                uri = path.resolve().as_uri() + "?mode=ro"
        try:
            # The REPL may complete names from a worker thread; sqlite3 serialises access.
            conn = (
                sqlite3.connect(uri, uri=True, check_same_thread=False)
                if uri is not None
                else sqlite3.connect(str(path), check_same_thread=False)
            )
            db = LockingDatabase(conn, path=path, note=on_wait)
            # The first read takes a lock: wait (and say so) while another process writes.
            tables = locks.waiting_for(conn, db.table_names, path=path, what="read", note=on_wait)
        except sqlite3.Error as error:
            if read_only is not None and interrupted.has_hot_journal(error, path):
                return cls._rolled_back(path, read_only, on_wait)
            if not os.access(path, os.R_OK):
                raise StoreError(
                    f"cannot read the fact store: {error}", Location(str(path))
                ) from None
            raise StoreError(f"{path} is not a deniable fact store ({error})") from None
        try:
            if not tables and create and read_only is None:
                creation.create_store(db)
            elif not tables:
                # What a process killed while creating the store leaves behind.
                raise StoreError(
                    "holds no fact store yet (the database is empty); run `deniable ingest` first",
                    Location(str(path)),
                )
            schema.check_schema(db, str(path))
        except sqlite3.Error as error:
            db.close()
            raise StoreError(f"cannot create a fact store: {error}", Location(str(path))) from None
        except BaseException:
            db.close()
            raise
        try:
            return cls(db, path, read_only=read_only)
        except BaseException:
            db.close()
            raise

    @classmethod
    def _rolled_back(cls, path: Path, read_only: str, note: locks.Note | None) -> FactStore:
        """The read-only store at ``path``, a crash's write rolled back in a copy in memory."""
        try:
            db = interrupted.rolled_back_copy(path)
        except (OSError, sqlite3.Error) as error:
            raise StoreError(
                "a write was interrupted and the store is read-only, so it cannot be rolled "
                f"back; open it writable once ({error})",
                Location(str(path)),
            ) from None
        journal = interrupted.journal_of(path).name
        (note or locks.stderr_note)(interrupted.NOTE.format(path=path, journal=journal))
        try:
            schema.check_schema(db, str(path))
            return cls(db, path, read_only=read_only)
        except BaseException:
            db.close()
            raise

    def ensure_writable(self, action: str) -> None:
        """Raise :class:`StoreError` naming the file and the cause unless the store can be written.

        ``action`` completes "cannot …" ("derive into this store").  Besides
        what :meth:`open` saw (a ``mode=ro`` URI, permission bits), SQLite is asked:
        a write that changes nothing, rolled back, fails the way a real one would.
        The write lock is taken for it, so while another process writes this waits
        (:mod:`deniable.facts.locks`), and a lock held past the timeout is its error.
        """
        reason = self.read_only
        if reason is None:
            try:
                locks.probe_write(self.db.conn, self.path, getattr(self.db, "note", None))
            except sqlite3.Error as error:
                reason = f"SQLite cannot write it ({error})"
        if reason is not None:
            where = Location(str(self.path)) if self.path is not None else None
            raise StoreError(f"cannot {action}: {reason}", where)

    @classmethod
    def memory(cls) -> FactStore:
        """Return a new, empty store in memory."""
        db = Database(memory=True)
        schema.create_schema(db)
        return cls(db, None)

    def snapshot(self) -> FactStore:
        """Return an in-memory copy of this store (same ``path``, for display).

        The backup API copies pages, FTS index included, in one consistent read;
        writes to the copy never reach the file.
        """
        copy = Database(memory=True)
        # The backup would otherwise retry a lock a writer holds for ever, silently.
        with locks.reading(self.db.conn, self.path):
            self.db.conn.backup(copy.conn)
        return FactStore(copy, self.path)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> FactStore:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"FactStore({str(self.path) if self.path else ':memory:'})"

    # ------------------------------------------------------------------ writing

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

    def _upsert_entity(self, entity: Entity) -> int:
        type_ = getattr(entity.type, "value", entity.type) or schema.UNKNOWN_TYPE
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
        a_id, b_id = (self._entity_id(arg) for arg in fact.args)
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

    # ------------------------------------------------------------------ reading

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


def _target(path: str | Path) -> tuple[Path, str | None, str | None]:
    """The file, the URI to open it with (``None``: a plain path), and why it is read-only."""
    text = str(path)
    if not text.startswith("file:"):
        return Path(text), None, None
    parts = urlsplit(text)
    params = parse_qs(parts.query)
    file = Path(unquote(parts.path))
    if "ro" in params.get("mode", []) or "1" in params.get("immutable", []):
        return file, text, "it was opened read-only (mode=ro)"
    return file, text, None


def _store_write_blocker(path: Path) -> str | None:
    """Why the store file cannot be written: the file itself, or its folder (the journal)."""
    blocker = write_blocker(path)
    if blocker is None:
        folder = write_blocker(path.parent)
        if folder is not None:
            blocker = f"{folder}, and SQLite writes its journal beside the store"
    return blocker


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
