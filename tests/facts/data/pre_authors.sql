-- A fact store as deniable wrote it before documents had authors (commit c78546d):
-- one web page 'story.html' with its title, URL, date and outlet, and a met statement.
-- Regenerate by running that commit's FactStore; tests/facts/test_authors.py loads it.
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
    ingested_at TEXT NOT NULL
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
    modality TEXT NOT NULL CHECK (modality IN ('asserted', 'reported', 'alleged', 'negated', 'attempted')),
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
CREATE VIRTUAL TABLE "sentences_fts" USING FTS5 (
    "text",
    tokenize='unicode61 remove_diacritics 2',
    content="sentences"
);
CREATE TRIGGER "sentences_ai" AFTER INSERT ON "sentences" BEGIN
  INSERT INTO "sentences_fts" (rowid, "text") VALUES (new.rowid, new."text");
END;
CREATE TRIGGER "sentences_ad" AFTER DELETE ON "sentences" BEGIN
  INSERT INTO "sentences_fts" ("sentences_fts", rowid, "text") VALUES('delete', old.rowid, old."text");
END;
CREATE TRIGGER "sentences_au" AFTER UPDATE ON "sentences" BEGIN
  INSERT INTO "sentences_fts" ("sentences_fts", rowid, "text") VALUES('delete', old.rowid, old."text");
  INSERT INTO "sentences_fts" (rowid, "text") VALUES (new.rowid, new."text");
END;
CREATE VIEW current_documents AS
    SELECT d.* FROM documents d WHERE EXISTS (SELECT 1 FROM document_sources v WHERE v.doc_id = d.id AND v.current = 1);
CREATE VIEW admitted_statements AS
    SELECT s.* FROM statements s
    WHERE EXISTS (SELECT 1 FROM document_sources v WHERE v.doc_id = s.doc_id AND v.current = 1)
      AND NOT EXISTS (SELECT 1 FROM review_marks m
                      WHERE m.statement_id = s.id AND m.status = 'rejected')
      AND (NOT EXISTS (SELECT 1 FROM meta WHERE key = 'evidence' AND value = 'confirmed')
           OR EXISTS (SELECT 1 FROM review_marks m
                      WHERE m.statement_id = s.id AND m.status = 'confirmed'));
CREATE VIEW "called"(a, b) AS
    SELECT DISTINCT ea.name, eb.name
    FROM facts f
    JOIN entities ea ON ea.id = f.a_id
    JOIN entities eb ON eb.id = f.b_id
    WHERE f.pred = 'called'
      AND EXISTS (SELECT 1 FROM admitted_statements s
                  WHERE s.fact_id = f.id AND s.modality IN ('asserted', 'reported', 'alleged'));
CREATE VIEW "met"(a, b) AS
    SELECT DISTINCT ea.name, eb.name
    FROM facts f
    JOIN entities ea ON ea.id = f.a_id
    JOIN entities eb ON eb.id = f.b_id
    WHERE f.pred = 'met'
      AND EXISTS (SELECT 1 FROM admitted_statements s
                  WHERE s.fact_id = f.id AND s.modality IN ('asserted', 'reported', 'alleged'));
CREATE VIEW "denies"(a, b) AS
    SELECT DISTINCT ea.name, eb.name
    FROM facts f
    JOIN entities ea ON ea.id = f.a_id
    JOIN entities eb ON eb.id = f.b_id
    WHERE f.pred = 'denies'
      AND EXISTS (SELECT 1 FROM admitted_statements s
                  WHERE s.fact_id = f.id AND s.modality IN ('asserted', 'reported', 'alleged'));
CREATE VIEW "indicted_by"(a, b) AS
    SELECT DISTINCT ea.name, eb.name
    FROM facts f
    JOIN entities ea ON ea.id = f.a_id
    JOIN entities eb ON eb.id = f.b_id
    WHERE f.pred = 'indicted_by'
      AND EXISTS (SELECT 1 FROM admitted_statements s
                  WHERE s.fact_id = f.id AND s.modality IN ('asserted', 'reported', 'alleged'));
CREATE VIEW "role"(a, b) AS
    SELECT DISTINCT ea.name, eb.name
    FROM facts f
    JOIN entities ea ON ea.id = f.a_id
    JOIN entities eb ON eb.id = f.b_id
    WHERE f.pred = 'role'
      AND EXISTS (SELECT 1 FROM admitted_statements s
                  WHERE s.fact_id = f.id AND s.modality IN ('asserted', 'reported', 'alleged'));
CREATE VIEW "pictured_with"(a, b) AS
    SELECT DISTINCT ea.name, eb.name
    FROM facts f
    JOIN entities ea ON ea.id = f.a_id
    JOIN entities eb ON eb.id = f.b_id
    WHERE f.pred = 'pictured_with'
      AND EXISTS (SELECT 1 FROM admitted_statements s
                  WHERE s.fact_id = f.id AND s.modality IN ('asserted', 'reported', 'alleged'));
CREATE VIEW "visited"(a, b) AS
    SELECT DISTINCT ea.name, eb.name
    FROM facts f
    JOIN entities ea ON ea.id = f.a_id
    JOIN entities eb ON eb.id = f.b_id
    WHERE f.pred = 'visited'
      AND EXISTS (SELECT 1 FROM admitted_statements s
                  WHERE s.fact_id = f.id AND s.modality IN ('asserted', 'reported', 'alleged'));
CREATE VIEW "negated"(pred, a, b) AS
    SELECT DISTINCT f.pred, ea.name, eb.name
    FROM facts f
    JOIN entities ea ON ea.id = f.a_id
    JOIN entities eb ON eb.id = f.b_id
    WHERE EXISTS (SELECT 1 FROM admitted_statements s
                  WHERE s.fact_id = f.id AND s.modality = 'negated');
CREATE VIEW "attempted"(pred, a, b) AS
    SELECT DISTINCT f.pred, ea.name, eb.name
    FROM facts f
    JOIN entities ea ON ea.id = f.a_id
    JOIN entities eb ON eb.id = f.b_id
    WHERE EXISTS (SELECT 1 FROM admitted_statements s
                  WHERE s.fact_id = f.id AND s.modality = 'attempted');
CREATE VIEW statement(id, pred, a, b, modality, source, doc) AS
    SELECT s.id, f.pred, ea.name, eb.name, s.modality,
           CASE WHEN s.source <> '' THEN s.source
                WHEN d.outlet <> '' THEN d.outlet
                ELSE d.name END,
           d.name
    FROM facts f
    JOIN entities ea ON ea.id = f.a_id
    JOIN entities eb ON eb.id = f.b_id
    JOIN admitted_statements s ON s.fact_id = f.id
    JOIN current_documents d ON d.id = s.doc_id;
CREATE VIEW statement_detail(id, key, value) AS
    SELECT id, 'count', CAST(count AS TEXT) FROM admitted_statements WHERE count IS NOT NULL
    UNION ALL SELECT id, 'when', when_text FROM admitted_statements WHERE when_text <> ''
    UNION ALL SELECT id, 'where', where_text FROM admitted_statements WHERE where_text <> ''
    UNION ALL SELECT id, 'claim', claim FROM admitted_statements WHERE claim <> ''
    UNION ALL SELECT id, 'role', role FROM admitted_statements WHERE role <> ''
    UNION ALL SELECT id, 'year_from', CAST(time_start / 10000 AS TEXT) FROM admitted_statements WHERE time_start IS NOT NULL
    UNION ALL SELECT id, 'year_to', CAST(time_end / 10000 AS TEXT) FROM admitted_statements WHERE time_end IS NOT NULL;
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
    SELECT name, title, outlet, date FROM current_documents;
INSERT INTO "meta" (key, value) VALUES ('application', 'deniable');
INSERT INTO "meta" (key, value) VALUES ('schema_version', '1');
INSERT INTO "meta" (key, value) VALUES ('generation', '1');
INSERT INTO "documents" (id, name, title, url, date, outlet, sha256, text, ingested_at) VALUES (1, 'story.html', 'Rome talks', 'https://news.example/rome', '2024-01-02', 'Example News', '9503f2e55a5e491be2582342a174d9c1c71b99fae340a00d9949914c38e5fcb7', 'Jane Doe met Marcus Bell in Rome.', '2026-12-04T06:39:53+00:00');
INSERT INTO "sentences" (id, doc_id, position, char_start, char_end, text) VALUES (1, 1, 0, 0, 33, 'Jane Doe met Marcus Bell in Rome.');
INSERT INTO "entities" (id, name, type, known) VALUES (1, 'Jane Doe', 'unknown', 0);
INSERT INTO "entities" (id, name, type, known) VALUES (2, 'Marcus Bell', 'unknown', 0);
INSERT INTO "aliases" (alias, folded, entity_id) VALUES ('Jane Doe', 'jane doe', 1);
INSERT INTO "aliases" (alias, folded, entity_id) VALUES ('Marcus Bell', 'marcus bell', 2);
INSERT INTO "facts" (id, pred, a_id, b_id) VALUES (1, 'met', 1, 2);
INSERT INTO "statements" (id, fact_id, doc_id, sentence_id, modality, source, char_start, char_end, pattern, count, when_text, where_text, claim, role, time_start, time_end, extra) VALUES (1, 1, 1, 1, 'asserted', '', 0, 33, 'test', NULL, '', '', '', '', NULL, NULL, '[]');
INSERT INTO "document_sources" (id, source, version, doc_id, current, ingested_at) VALUES (1, 'story.html', 1, 1, 1, '2026-12-04T06:39:53+00:00');
