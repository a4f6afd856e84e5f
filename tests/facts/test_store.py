"""Tests of the fact store: writing, reading, transactions, hostile names and search."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from deniable.errors import StoreError
from deniable.facts.model import Entity, EntityType, Evidence, Extraction, Fact, Modality
from deniable.facts.store import FactStore, content_hash, fold, fts_query

HOSTILE = [
    "O'Brien",
    'Say "hi"',
    "x; DROP TABLE facts; --",
    "-- comment",
    "nul\x00inside",
    "Пригожин Éé",
    "a" * 10_000,
    "called",
    "]) OR 1=1 /*",
]


def _article(build, name: str = "a.txt", **kw):
    return build(
        name,
        [
            "Putin met Prigozhin on July 1, Bellingcat reports.",
            "Peskov denied any meeting.",
            "Putin did not call Prigozhin.",
        ],
        [
            ("met", "Vladimir Putin", "Yevgeny Prigozhin", "reported", 0,
             {"source": "Bellingcat", "when": "July 1", "count": 2}),
            ("denies", "Dmitry Peskov", "Vladimir Putin", "asserted", 1, {"claim": "meeting"}),
            ("called", "Vladimir Putin", "Yevgeny Prigozhin", "negated", 2),
        ],
        entities=[Entity("Vladimir Putin", EntityType.PERSON, ("Putin", "President Putin"))],
        outlet="Meduza",
        date="2023-07-10",
        **kw,
    )  # fmt: skip


def _counts(store: FactStore) -> tuple[int, ...]:
    s = store.stats()
    return (s.documents, s.sentences, s.entities, s.facts, s.statements)


def test_add_extraction_stores_everything(store: FactStore, build) -> None:
    doc_id = store.add_extraction(_article(build))
    assert store.document_id("a.txt") == doc_id
    assert _counts(store) == (1, 3, 3, 3, 3)
    assert store.rows("met") == [("Vladimir Putin", "Yevgeny Prigozhin")]
    assert store.rows("called") == []  # negated only
    assert store.rows("negated") == [("called", "Vladimir Putin", "Yevgeny Prigozhin")]
    assert store.rows("document") == [("a.txt", "", "Meduza", "2023-07-10")]
    statements = {r[1]: r for r in store.rows("statement")}
    assert statements["met"][5] == "Bellingcat"  # attributed source
    assert statements["denies"][5] == "Meduza"  # else the outlet
    met_id = statements["met"][0]
    details = {(k, v) for i, k, v in store.rows("statement_detail") if i == met_id}
    assert details == {
        ("count", "2"),
        ("when", "July 1"),
        ("year_from", "2023"),
        ("year_to", "2023"),
    }
    assert store.rows("statement_time") == [(met_id, 20230701, 20230701)]


def test_statement_source_falls_back_to_document_name(store: FactStore, build) -> None:
    store.add_extraction(build("b.txt", ["X met Y."], [("met", "X", "Y", "asserted", 0)]))
    assert [r[5] for r in store.rows("statement")] == ["b.txt"]


def test_views_have_documented_columns(store: FactStore) -> None:
    for name, types in store.relations().items():
        cursor = store.db.execute(f'SELECT * FROM "{name}" LIMIT 0')
        columns = tuple(d[0] for d in cursor.description)
        assert columns == store.relation_columns(name)
        assert len(types) == len(columns)
    assert set(store.relations()).isdisjoint(store.db.table_names())


def test_duplicate_content_is_skipped(store: FactStore, build) -> None:
    first = store.add_extraction(_article(build))
    before = _counts(store)
    assert store.add_extraction(_article(build)) == first
    assert store.add_extraction(_article(build, title="other name, same text")) == first
    assert _counts(store) == before


def test_replace_reinserts_in_place(store: FactStore, build) -> None:
    store.add_extraction(_article(build))
    changed = build(
        "a.txt", ["Putin met Shoigu."], [("met", "Vladimir Putin", "Sergei Shoigu", "asserted", 0)]
    )
    with pytest.raises(StoreError, match="--replace"):
        store.add_extraction(changed)
    store.add_extraction(changed, replace=True)
    assert store.rows("met") == [("Vladimir Putin", "Sergei Shoigu")]
    assert store.rows("negated") == []
    assert _counts(store)[:2] == (1, 1)
    assert store.stats().facts == 1  # facts left without statements are gone
    assert store.search("Prigozhin") == []  # FTS follows the sentences


def test_replace_same_text_keeps_one_copy(store: FactStore, build) -> None:
    store.add_extraction(_article(build))
    store.add_extraction(_article(build), replace=True)
    assert _counts(store) == (1, 3, 3, 3, 3)


def test_failure_mid_extraction_leaves_store_unchanged(store: FactStore, build) -> None:
    store.add_extraction(build("first.txt", ["A met B."], [("met", "A", "B", "asserted", 0)]))
    before = (_counts(store), store.rows("statement"), store.rows("alias"))
    good = _article(build, name="second.txt")
    gap = good.sentences[0].end  # the space between two sentences
    broken_fact = Fact(
        "met", ("C", "D"), Modality.ASSERTED, Evidence("second.txt", 99, gap, gap + 1, "p")
    )
    broken = Extraction(good.document, good.sentences, (*good.facts, broken_fact), good.entities)
    with pytest.raises(StoreError, match="sentence 99"):
        store.add_extraction(broken)
    assert (_counts(store), store.rows("statement"), store.rows("alias")) == before
    assert store.document_id("second.txt") is None


def test_failure_during_replace_keeps_old_version(store: FactStore, build) -> None:
    store.add_extraction(_article(build))
    before = store.rows("statement")
    good = build("a.txt", ["New text."], [("met", "A", "B", "asserted", 0)])
    wrong = Fact("met", ("A", "B"), "sometimes", good.facts[0].evidence)  # type: ignore[arg-type]
    bad = Extraction(good.document, good.sentences, (wrong,), ())
    with pytest.raises(StoreError, match="modality"):
        store.add_extraction(bad, replace=True)
    assert store.rows("statement") == before


def test_unexpected_exception_rolls_back(store: FactStore, build, monkeypatch) -> None:
    def boom(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(FactStore, "_insert_statement", boom)
    with pytest.raises(RuntimeError):
        store.add_extraction(_article(build))
    assert _counts(store) == (0, 0, 0, 0, 0)


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_names_round_trip(store: FactStore, build, name: str) -> None:
    ext = build(
        name,
        [f"{name} met {name}2.", "Text with ' and \" and ; -- and \x00."],
        [
            ("met", name, name + "2", "asserted", 0, {"claim": name, "source": name}),
            (name, name, "Z", "alleged", 1, {"pattern": name}),
        ],
        entities=[Entity(name, EntityType.ORG, (name + " alias",), (name + " whole",))],
        title=name,
        outlet=name,
    )
    store.add_extraction(ext)
    assert store.document_id(name) is not None
    assert any(r[1:4] == ("met", name, name + "2") for r in store.rows("statement"))
    assert (name, name + "2") in store.rows("met")
    assert store.resolve_entity(name + " alias") == name
    info = store.entity(name)
    assert info is not None and info.part_of == (name + " whole",)
    rows = store.evidence_for(name, (name, "Z"))
    assert len(rows) == 1 and rows[0].pattern == name and rows[0].doc == name
    assert "facts" in store.db.table_names()


def test_evidence_for_symmetric_and_spans(store: FactStore, build) -> None:
    store.add_extraction(_article(build))
    rows = store.evidence_for("met", ("Yevgeny Prigozhin", "Vladimir Putin"))
    assert [r.modality for r in rows] == [Modality.REPORTED]
    row = rows[0]
    assert (row.doc, row.outlet, row.source, row.vouched_by) == (
        "a.txt",
        "Meduza",
        "Bellingcat",
        "Bellingcat",
    )
    assert row.sentence[row.sentence_start : row.sentence_end] == row.sentence
    # denies is ordered: the reversed arguments are another fact
    assert store.evidence_for("denies", ("Vladimir Putin", "Dmitry Peskov")) == []
    assert len(store.evidence_for("called", ("Yevgeny Prigozhin", "Vladimir Putin"))) == 1


def test_evidence_offsets_inside_sentence(store: FactStore, build) -> None:
    ext = build("s.txt", ["First one.", "Then Putin met Shoigu."])
    s = ext.sentences[1]
    start = s.start + s.text.index("Putin")
    fact = Fact("met", ("P", "S"), Modality.ASSERTED, Evidence("s.txt", 1, start, s.end - 1, "p"))
    store.add_extraction(Extraction(ext.document, ext.sentences, (fact,), ()))
    row = store.evidence_for("met", ("P", "S"))[0]
    assert row.sentence[row.sentence_start : row.sentence_end] == "Putin met Shoigu"
    assert ext.document.text[row.start : row.end] == "Putin met Shoigu"


def test_entities_aliases_and_resolution(store: FactStore) -> None:
    store.add_entities(
        [
            Entity("Yevgeny Prigozhin", EntityType.PERSON, ("Evgeny Prigozhin", "Putin’s chef")),
            Entity("Wagner Group", EntityType.ORG, ("Wagner",)),
            Entity("Dmitry Utkin", EntityType.PERSON, (), ("Wagner Group",)),
        ]
    )
    assert store.resolve_entity("putin's CHEF") == "Yevgeny Prigozhin"
    assert store.resolve_entity("EVGENY  prigozhin") == "Yevgeny Prigozhin"
    assert store.resolve_entity("nobody") is None
    assert store.rows("part_of") == [("Dmitry Utkin", "Wagner Group")]
    assert ("Wagner Group", "org") in store.rows("entity")
    # a discovered entity does not overwrite what the entity file said
    store.add_entities([Entity("Wagner Group", EntityType.PERSON, ("Vagner",), known=False)])
    info = store.entity("vagner")
    assert info is not None and info.type == "org" and "Vagner" in info.aliases


def test_an_entity_files_full_name_alias_is_its_person(store: FactStore, build) -> None:
    """A discovered name the entity file lists as a person's alias is that person; a one-word
    alias (a metonym such as "Kyiv") and another entity's own known name stay as they are."""
    store.add_entities(
        [
            Entity("Yana Petrova", EntityType.PERSON, ("Jana Petrova", "Petrova")),
            Entity("Ukrainian government", EntityType.ORG, ("Kyiv",)),
        ]
    )
    extraction = build(
        "a.txt",
        ["Jana Petrova met Ilse Brand in Kyiv.", "Petrova flew to Kyiv."],
        [
            ("met", "Jana Petrova", "Ilse Brand", "asserted", 0),
            ("visited", "Petrova", "Kyiv", "asserted", 1),
        ],
        entities=[
            Entity("Jana Petrova", EntityType.PERSON, known=False),
            Entity("Ilse Brand", EntityType.PERSON, known=False),
            Entity("Kyiv", EntityType.PLACE, known=False),
        ],
    )
    store.add_extraction(extraction)
    assert store.rows("met") == [("Yana Petrova", "Ilse Brand")]
    assert "Jana Petrova" not in store.entity_names()
    assert store.resolve_entity("Jana Petrova") == "Yana Petrova"
    # "Petrova" and "Kyiv" are one word: the article's own names, not the entity file's.
    assert store.rows("visited") == [("Petrova", "Kyiv")]


def test_search_finds_sentences(store: FactStore, build) -> None:
    store.add_extraction(_article(build))
    hits = store.search("peskov DENIED")
    assert [(h.doc, h.sentence_index) for h in hits] == [("a.txt", 1)]
    assert store.search("prigozhin", limit=1)[0].doc == "a.txt"


@pytest.mark.parametrize(
    "query",
    [
        '"',
        "*",
        "NEAR",
        ")",
        "(",
        "a AND",
        "NOT",
        'x" OR "y',
        "^",
        "\x00",
        "",
        "   ",
        "col:x",
        "-x",
        "+",
    ],
)
def test_search_never_raises_on_hostile_input(store: FactStore, build, query: str) -> None:
    store.add_extraction(_article(build))
    assert isinstance(store.search(query), list)


def test_fts_query_quotes_every_word() -> None:
    assert fts_query('a "b') == '"a" """b"'
    assert fts_query("") == ""
    assert fts_query('"phone calls" NEAR') == '"phone calls" "NEAR"'
    assert fts_query('""') == "" and fts_query('"  "') == ""
    assert fts_query('x" OR "y') == '"x""" "OR" """y"'


def test_a_quoted_phrase_is_searched_as_a_phrase(store: FactStore, build) -> None:
    store.add_extraction(
        build(
            "p.txt",
            ["He made phone calls to the ministry.", "The calls came by phone; no ministry."],
        )
    )
    assert [h.sentence_index for h in store.search('"phone calls"')] == [0]
    assert sorted(h.sentence_index for h in store.search("phone calls")) == [0, 1]
    assert [h.sentence_index for h in store.search('"phone calls" ministry')] == [0]
    assert store.search('"calls phone"') == []


def test_fold_matches_gold_checker() -> None:
    assert fold("Putin’s\u00a0Chef") == "putin's chef"
    assert fold("Élysée") == "elysee"


def test_open_creates_and_reopens(db_path: Path, build) -> None:
    with FactStore.open(db_path) as s:
        s.add_extraction(_article(build))
    with FactStore.open(db_path, create=False) as s:
        assert s.stats().statements == 3
        assert s.path == db_path
        assert s.derived_tables() == []


def test_open_missing_without_create(db_path: Path) -> None:
    with pytest.raises(StoreError, match=r"no fact store at .*deniable ingest"):
        FactStore.open(db_path, create=False)
    assert not db_path.exists()


def test_open_rejects_foreign_files(tmp_path: Path) -> None:
    text = tmp_path / "notes.txt"
    text.write_text("this is not a database at all, " * 100)
    with pytest.raises(StoreError, match="not a deniable fact store"):
        FactStore.open(text)
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE t (x)")
    conn.close()
    with pytest.raises(StoreError, match="not a deniable fact store"):
        FactStore.open(other)
    with pytest.raises(StoreError, match="folder"):
        FactStore.open(tmp_path)


def test_open_rejects_other_schema_version(db_path: Path) -> None:
    FactStore.open(db_path).close()
    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE meta SET value = '999' WHERE key = 'schema_version'")
    conn.close()
    with pytest.raises(StoreError, match="schema version 999"):
        FactStore.open(db_path)


def test_relation_columns_unknown() -> None:
    with FactStore.memory() as s, pytest.raises(StoreError):
        s.relation_columns("nope")


def test_delete_document(store: FactStore, build) -> None:
    store.add_extraction(_article(build))
    assert store.delete_document("a.txt")
    assert not store.delete_document("a.txt")
    assert _counts(store)[:2] == (0, 0) and store.stats().facts == 0


def test_evidence_outside_the_document_is_refused(store: FactStore, build) -> None:
    ext = build("e.txt", ["Short."])
    fact = Fact("met", ("A", "B"), Modality.ASSERTED, Evidence("e.txt", 0, 3, 99, "p"))
    with pytest.raises(StoreError, match="outside the document"):
        store.add_extraction(Extraction(ext.document, ext.sentences, (fact,), ()))
    assert store.document_id("e.txt") is None


def test_content_hash_identifies_documents(store: FactStore, build) -> None:
    ext = build("h.txt", ["Some text."])
    store.add_extraction(ext)
    assert store.has_document(content_hash(ext.document.text))
    assert not store.has_document(content_hash("other"))


def test_attempted_view_and_role_details(store: FactStore, build) -> None:
    store.add_extraction(
        build(
            "r.txt",
            ["Prigozhin tried to call Putin.", "Utkin, a former officer, founded Wagner."],
            [
                ("called", "Yevgeny Prigozhin", "Vladimir Putin", "attempted", 0),
                ("role", "Dmitry Utkin", "Wagner Group", "alleged", 1,
                 {"role": "founder", "when": "former"}),
            ],
        )
    )  # fmt: skip
    assert store.rows("attempted") == [("called", "Yevgeny Prigozhin", "Vladimir Putin")]
    assert store.rows("called") == []
    assert store.rows("role") == [("Dmitry Utkin", "Wagner Group")]
    role_id = next(r[0] for r in store.rows("statement") if r[1] == "role")
    details = sorted((k, v) for i, k, v in store.rows("statement_detail") if i == role_id)
    assert details == [("role", "founder"), ("when", "former")]
    assert store.rows("statement_time") == []  # "former" names no calendar span
    info = store.entity("utkin") or store.entity("Dmitry Utkin")
    assert info is not None and info.type == "unknown" and not info.known
    assert [(f.pred, f.statements, f.positive) for f in info.facts] == [("role", 1, 1)]


def test_snapshot_is_a_copy_that_never_writes_the_file(tmp_path) -> None:
    from deniable.facts.model import Entity
    from deniable.facts.store import FactStore

    path = tmp_path / "s.db"
    with FactStore.open(path) as store:
        store.add_entities([Entity("Jane Doe")])
        copy = store.snapshot()
    copy.add_entities([Entity("Only In Memory")])
    assert copy.resolve_entity("Jane Doe") == "Jane Doe"
    with FactStore.open(path, create=False) as again:
        assert again.resolve_entity("Only In Memory") is None
