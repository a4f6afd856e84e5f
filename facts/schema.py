"""The SQLite schema of a fact store: tables, indexes and the rule-visible views.

Tables hold the data (plural names: ``documents``, ``sentences``, ``entities``,
``aliases``, ``entity_links``, ``facts``, ``statements``); views, named like the
relations rules use (``called``, ``statement``, ``entity`` ...), present it to
rule engines.  Every view column holds a symbol (text) or a number (integer),
never NULL, so a view row is a ground Datalog fact.

Conventions the views fix (rules rely on them):

* The predicate views (``called`` ... ``visited``, one per registered predicate) hold the distinct
  argument pairs of facts with at least one positive statement (asserted,
  reported or alleged), in the order extraction stored them; symmetric
  predicates are not symmetrised here, rules do that.
* ``statement.source`` names who vouches for a statement, so that independent
  sources can be counted: the attributed source when the article attributes
  the fact ("Bellingcat", "leaked records"), else the document's outlet, else
  the document's name.  Two statements are independent when their sources
  differ.
* ``statement_time(id, start, end)`` holds the statement's time as an inclusive
  interval of ``YYYYMMDD`` integers (``"2018"`` is ``20180101..20181231``);
  intervals overlap when ``s1.start <= s2.end and s2.start <= s1.end``.  A time
  that names no calendar span ("former", "around noon") has no row.
"""

from __future__ import annotations

import sqlite3

from sqlite_utils import Database
from sqlite_utils.db import quote_identifier

from deniable.errors import StoreError
from deniable.facts.model import PREDICATES

#: Bump when the tables or views change incompatibly.
SCHEMA_VERSION = 1
#: The ``meta`` value that marks a file as a deniable fact store.
APPLICATION = "deniable"

POSITIVE_MODALITIES = ("asserted", "reported", "alleged")
ALL_MODALITIES = (*POSITIVE_MODALITIES, "negated", "attempted")

#: The entity type of an entity a fact named but no entity file described.
UNKNOWN_TYPE = "unknown"

#: Relations the store offers to rules: name -> ((column, base type), ...).
RELATIONS: dict[str, tuple[tuple[str, str], ...]] = {
    **{pred: (("a", "symbol"), ("b", "symbol")) for pred in PREDICATES},
    "statement": (
        ("id", "number"),
        ("pred", "symbol"),
        ("a", "symbol"),
        ("b", "symbol"),
        ("modality", "symbol"),
        ("source", "symbol"),
        ("doc", "symbol"),
    ),
    "statement_detail": (("id", "number"), ("key", "symbol"), ("value", "symbol")),
    "statement_time": (("id", "number"), ("start", "number"), ("end", "number")),
    "negated": (("pred", "symbol"), ("a", "symbol"), ("b", "symbol")),
    "attempted": (("pred", "symbol"), ("a", "symbol"), ("b", "symbol")),
    "entity": (("name", "symbol"), ("type", "symbol")),
    "alias": (("alias", "symbol"), ("name", "symbol")),
    "part_of": (("part", "symbol"), ("whole", "symbol")),
    "document": (("doc", "symbol"), ("title", "symbol"), ("outlet", "symbol"), ("date", "symbol")),
}

#: The detail keys of ``statement_detail`` in the order the view lists them.
DETAIL_KEYS = ("count", "when", "where", "claim", "role", "year_from", "year_to")

_MODALITY_LIST = ", ".join(f"'{m}'" for m in ALL_MODALITIES)
_POSITIVE_LIST = ", ".join(f"'{m}'" for m in POSITIVE_MODALITIES)

TABLES_SQL = f"""
CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE documents (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL DEFAULT '',
    url TEXT NOT NULL DEFAULT '',
    date TEXT NOT NULL DEFAULT '',
    outlet TEXT NOT NULL DEFAULT '',
    sha256 TEXT NOT NULL UNIQUE,
    text TEXT NOT NULL,
    ingested_at TEXT NOT NULL,
    author TEXT NOT NULL DEFAULT ''
);
CREATE TABLE sentences (
    id INTEGER PRIMARY KEY,
    doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    char_start INTEGER NOT NULL,
    char_end INTEGER NOT NULL,
    text TEXT NOT NULL,
    UNIQUE (doc_id, position)
);
CREATE TABLE entities (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    type TEXT NOT NULL,
    known INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE aliases (
    alias TEXT NOT NULL,
    folded TEXT NOT NULL,
    entity_id INTEGER NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
    PRIMARY KEY (alias, entity_id)
);
CREATE INDEX aliases_folded ON aliases(folded);
CREATE INDEX aliases_entity ON aliases(entity_id);
CREATE TABLE entity_links (
    part_id INTEGER NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
    whole_id INTEGER NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
    PRIMARY KEY (part_id, whole_id)
);
CREATE INDEX entity_links_whole ON entity_links(whole_id);
CREATE TABLE facts (
    id INTEGER PRIMARY KEY,
    pred TEXT NOT NULL,
    a_id INTEGER NOT NULL REFERENCES entities(id),
    b_id INTEGER NOT NULL REFERENCES entities(id),
    UNIQUE (pred, a_id, b_id)
);
CREATE INDEX facts_a ON facts(a_id);
CREATE INDEX facts_b ON facts(b_id);
CREATE TABLE statements (
    id INTEGER PRIMARY KEY,
    fact_id INTEGER NOT NULL REFERENCES facts(id),
    doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    sentence_id INTEGER NOT NULL REFERENCES sentences(id) ON DELETE CASCADE,
    modality TEXT NOT NULL CHECK (modality IN ({_MODALITY_LIST})),
    source TEXT NOT NULL DEFAULT '',
    char_start INTEGER NOT NULL,
    char_end INTEGER NOT NULL,
    pattern TEXT NOT NULL DEFAULT '',
    count INTEGER,
    when_text TEXT NOT NULL DEFAULT '',
    where_text TEXT NOT NULL DEFAULT '',
    claim TEXT NOT NULL DEFAULT '',
    role TEXT NOT NULL DEFAULT '',
    time_start INTEGER,
    time_end INTEGER,
    extra TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX statements_fact ON statements(fact_id);
CREATE INDEX statements_doc ON statements(doc_id);
CREATE INDEX statements_sentence ON statements(sentence_id);
CREATE TABLE derived_relations (
    name TEXT PRIMARY KEY,
    engine TEXT NOT NULL,
    derived_at TEXT NOT NULL,
    rows INTEGER NOT NULL
);
"""

_FACT_NAMES = """
    FROM facts f
    JOIN entities ea ON ea.id = f.a_id
    JOIN entities eb ON eb.id = f.b_id"""


def _predicate_view(pred: str) -> str:
    return f"""
CREATE VIEW {quote_identifier(pred)}(a, b) AS
    SELECT DISTINCT ea.name, eb.name{_FACT_NAMES}
    WHERE f.pred = '{pred}'
      AND EXISTS (SELECT 1 FROM admitted_statements s
                  WHERE s.fact_id = f.id AND s.modality IN ({_POSITIVE_LIST}));"""


def _modality_view(modality: str) -> str:
    return f"""
CREATE VIEW {quote_identifier(modality)}(pred, a, b) AS
    SELECT DISTINCT f.pred, ea.name, eb.name{_FACT_NAMES}
    WHERE EXISTS (SELECT 1 FROM admitted_statements s
                  WHERE s.fact_id = f.id AND s.modality = '{modality}');"""


_DETAIL_SELECTS = {
    "count": "CAST(count AS TEXT) FROM admitted_statements WHERE count IS NOT NULL",
    "when": "when_text FROM admitted_statements WHERE when_text <> ''",
    "where": "where_text FROM admitted_statements WHERE where_text <> ''",
    "claim": "claim FROM admitted_statements WHERE claim <> ''",
    "role": "role FROM admitted_statements WHERE role <> ''",
    "year_from": "CAST(time_start / 10000 AS TEXT) FROM admitted_statements "
    "WHERE time_start IS NOT NULL",
    "year_to": "CAST(time_end / 10000 AS TEXT) FROM admitted_statements WHERE time_end IS NOT NULL",
}

#: Review decisions (:mod:`deniable.facts.review`): ``reviews`` keeps every decision with
#: who and when, keyed by document source, the text's hash, span, predicate and the arguments
#: as decided (they outlive re-ingest); ``review_marks`` is each current statement's status, rebuilt
#: from ``reviews`` whenever statements or decisions change.
REVIEW_TABLES_SQL = """
CREATE TABLE reviews (
    id INTEGER PRIMARY KEY,
    doc TEXT NOT NULL,
    char_start INTEGER NOT NULL,
    char_end INTEGER NOT NULL,
    pred TEXT NOT NULL,
    a TEXT NOT NULL,
    b TEXT NOT NULL,
    decision TEXT NOT NULL CHECK (decision IN ('confirmed', 'rejected', 'corrected')),
    arg INTEGER CHECK (arg IS NULL OR arg IN (0, 1)),
    value TEXT NOT NULL DEFAULT '',
    reason TEXT NOT NULL DEFAULT '',
    reviewer TEXT NOT NULL,
    at TEXT NOT NULL,
    sha256 TEXT NOT NULL DEFAULT ''
);
CREATE INDEX reviews_doc ON reviews(doc, char_start, char_end, pred);
CREATE TABLE review_marks (
    statement_id INTEGER PRIMARY KEY REFERENCES statements(id) ON DELETE CASCADE,
    status TEXT NOT NULL CHECK (status IN ('confirmed', 'rejected')),
    review_id INTEGER NOT NULL REFERENCES reviews(id)
);
"""

#: Document versions (:mod:`deniable.facts.versions`): a ``documents`` row is one text; each
#: source (path relative to the ingest root, or a JSON Lines id/URL) has numbered versions,
#: each naming a text, and exactly one of them current.  One text may be the version of
#: several sources (the same article from two places).
VERSION_TABLES_SQL = """
CREATE TABLE document_sources (
    id INTEGER PRIMARY KEY,
    source TEXT NOT NULL,
    version INTEGER NOT NULL,
    doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    current INTEGER NOT NULL DEFAULT 0 CHECK (current IN (0, 1)),
    ingested_at TEXT NOT NULL,
    UNIQUE (source, version)
);
CREATE UNIQUE INDEX document_sources_current ON document_sources(source) WHERE current = 1;
CREATE INDEX document_sources_doc ON document_sources(doc_id);
"""

_IS_CURRENT = "EXISTS (SELECT 1 FROM document_sources v WHERE v.doc_id = {} AND v.current = 1)"

# Rules never see a rejected statement, nor a statement of a text that is no source's
# current version (kept for `deniable restore` until `deniable gc`); while
# ``derive --confirmed-only`` runs (the meta key is set inside its transaction only)
# they see confirmed statements alone.
_ADMITTED_VIEW = f"""
CREATE VIEW current_documents AS
    SELECT d.* FROM documents d WHERE {_IS_CURRENT.format("d.id")};
CREATE VIEW admitted_statements AS
    SELECT s.* FROM statements s
    WHERE {_IS_CURRENT.format("s.doc_id")}
      AND NOT EXISTS (SELECT 1 FROM review_marks m
                      WHERE m.statement_id = s.id AND m.status = 'rejected')
      AND (NOT EXISTS (SELECT 1 FROM meta WHERE key = 'evidence' AND value = 'confirmed')
           OR EXISTS (SELECT 1 FROM review_marks m
                      WHERE m.statement_id = s.id AND m.status = 'confirmed'));"""

VIEWS_SQL = "\n".join(
    [
        _ADMITTED_VIEW,
        *(_predicate_view(p) for p in RELATIONS if RELATIONS[p] == RELATIONS["called"]),
        _modality_view("negated"),
        _modality_view("attempted"),
        f"""
CREATE VIEW statement(id, pred, a, b, modality, source, doc) AS
    SELECT s.id, f.pred, ea.name, eb.name, s.modality,
           CASE WHEN s.source <> '' THEN s.source
                WHEN d.outlet <> '' THEN d.outlet
                ELSE d.name END,
           d.name{_FACT_NAMES}
    JOIN admitted_statements s ON s.fact_id = f.id
    JOIN current_documents d ON d.id = s.doc_id;""",
        "\nCREATE VIEW statement_detail(id, key, value) AS\n    "
        + "\n    UNION ALL ".join(
            f"SELECT id, '{key}', {_DETAIL_SELECTS[key]}" for key in DETAIL_KEYS
        )
        + ";",
        """
CREATE VIEW statement_time(id, start, "end") AS
    SELECT id, time_start, time_end FROM admitted_statements
    WHERE time_start IS NOT NULL AND time_end IS NOT NULL;
CREATE VIEW entity(name, type) AS
    SELECT name, type FROM entities;
CREATE VIEW alias(alias, name) AS
    SELECT a.alias, e.name FROM aliases a JOIN entities e ON e.id = a.entity_id;
CREATE VIEW part_of(part, whole) AS
    SELECT p.name, w.name FROM entity_links l
    JOIN entities p ON p.id = l.part_id
    JOIN entities w ON w.id = l.whole_id;
CREATE VIEW document(doc, title, outlet, date) AS
    SELECT name, title, outlet, date FROM current_documents;""",
    ]
)

#: Table names that belong to the store itself (FTS shadow tables aside).
STORE_TABLES = (
    "meta",
    "documents",
    "sentences",
    "entities",
    "aliases",
    "entity_links",
    "facts",
    "statements",
    "derived_relations",
    "reviews",
    "review_marks",
    "document_sources",
)


def create_schema(db: Database) -> None:
    """Create the tables, the sentence search index and the views in an empty database."""
    db.executescript(TABLES_SQL + REVIEW_TABLES_SQL + VERSION_TABLES_SQL)
    db.table("sentences").enable_fts(
        ["text"], create_triggers=True, tokenize="unicode61 remove_diacritics 2"
    )
    db.executescript(VIEWS_SQL)
    with db.atomic():
        db.execute(
            "INSERT INTO meta (key, value) VALUES ('application', ?), ('schema_version', ?)",
            [APPLICATION, str(SCHEMA_VERSION)],
        )


def check_schema(db: Database, where: str) -> None:
    """Raise :class:`StoreError` unless ``db`` is a deniable store of this schema version."""
    try:
        meta = dict(db.execute("SELECT key, value FROM meta").fetchall())
    except sqlite3.Error:
        meta = {}
    if meta.get("application") != APPLICATION:
        raise StoreError(
            f"{where} is not a deniable fact store; give another --db or remove the file"
        )
    version = meta.get("schema_version", "?")
    if version != str(SCHEMA_VERSION):
        raise StoreError(
            f"{where} has fact store schema version {version}, this deniable reads version "
            f"{SCHEMA_VERSION}; re-create it with `deniable ingest`"
        )


def upgrade_schema(db: Database, *, writable: bool) -> None:
    """Bring a store made before review decisions, document versions or authors up to date.

    A writable store gets what it lacks (review tables, the text hash on review
    decisions, document versions: each stored document becomes version 1 of the
    source it was named by; the documents' author column, empty) and the views that
    read them, all in one transaction.
    A read-only one gets temporary stand-ins, so reading code finds them: empty
    review tables, and versions read off the documents (every one current); its
    own views still show every statement, which is what such a store holds.
    """
    reviews = db["review_marks"].exists()
    versions = db["document_sources"].exists()
    review_hash = not reviews or "sha256" in db["reviews"].columns_dict
    author = "author" in db["documents"].columns_dict
    if reviews and versions and review_hash and author:
        return
    if not writable:
        # A store without the author column simply has no authors (see has_authors).
        _stand_ins(db, reviews=reviews, versions=versions)
        return
    with db.atomic():
        if not author:
            db.execute("ALTER TABLE documents ADD COLUMN author TEXT NOT NULL DEFAULT ''")
        # executescript would commit half-way; one statement at a time stays atomic.
        if not reviews:
            _run(db, REVIEW_TABLES_SQL)
        elif not review_hash:
            db.execute("ALTER TABLE reviews ADD COLUMN sha256 TEXT NOT NULL DEFAULT ''")
            db.execute(
                "UPDATE reviews SET sha256 = coalesce("
                "(SELECT d.sha256 FROM documents d WHERE d.name = reviews.doc), '')"
            )
        if not versions:
            _run(db, VERSION_TABLES_SQL)
            db.execute(
                "INSERT INTO document_sources (source, version, doc_id, current, ingested_at) "
                "SELECT name, 1, id, 1, ingested_at FROM documents ORDER BY id"
            )
        for name in (*RELATIONS, "admitted_statements", "current_documents"):
            if name in db.view_names():
                db.execute(f"DROP VIEW {quote_identifier(name)}")
        _run(db, VIEWS_SQL)


def has_authors(db: Database) -> bool:
    """Whether the documents table has its author column (a read-only older store may not)."""
    return "author" in db["documents"].columns_dict


def _stand_ins(db: Database, *, reviews: bool, versions: bool) -> None:
    """Temporary tables and views a read-only store lacks (SQLite writes them elsewhere)."""
    if not reviews:
        for statement in _statements(REVIEW_TABLES_SQL):
            if statement.startswith("CREATE TABLE"):
                db.execute(statement.replace("CREATE TABLE", "CREATE TEMP TABLE", 1))
    if not versions:
        db.execute(
            "CREATE TEMP VIEW document_sources AS SELECT id, name AS source, 1 AS version, "
            "id AS doc_id, 1 AS current, ingested_at FROM main.documents"
        )
        db.execute("CREATE TEMP VIEW current_documents AS SELECT * FROM main.documents")


def _run(db: Database, script: str) -> None:
    for statement in _statements(script):
        db.execute(statement)


def _statements(script: str) -> list[str]:
    """The statements of an SQL script (no string in these scripts holds a ';')."""
    return [part.strip() + ";" for part in script.split(";") if part.strip()]
