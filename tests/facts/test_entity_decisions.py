"""Who is who: names that may be two people, and the user's merge, split and undo decisions."""

from __future__ import annotations

from pathlib import Path

import pytest

from deniable.cli import main
from deniable.errors import StoreError, UsageError
from deniable.facts import entity_decisions as who
from deniable.facts import generation
from deniable.facts.ambiguity import ambiguous_entities
from deniable.facts.model import Entity, EntityType
from deniable.facts.store import FactStore

#: Two people share this name; one of them also appears under a hostile spelling.
NAME = "Anna Berg"
HOSTILE = 'A. "Annie" Berg\'; DROP TABLE statements;--'


def _fill(store: FactStore, build) -> None:
    store.add_entities(
        [
            Entity("Harbour Office", EntityType.ORG, part_of=("Ministry of Ports",)),
            Entity("Ministry of Ports", EntityType.ORG),
            Entity("Northfield United", EntityType.ORG),
            Entity(NAME, EntityType.PERSON),
        ]
    )
    store.add_extraction(
        build(
            "port/one.txt",
            [f"{NAME} heads the Harbour Office."],
            [("role", NAME, "Harbour Office", "asserted", 0, {"role": "head"})],
        )
    )
    store.add_extraction(
        build(
            "port/two.txt",
            [f"{NAME} of the Ministry of Ports met Olek Brandt."],
            [
                ("role", NAME, "Ministry of Ports", "asserted", 0),
                ("met", NAME, "Olek Brandt", "asserted", 0),
            ],
        )
    )
    store.add_extraction(
        build("sport/three.txt", [f"Striker {NAME} of Northfield United met Ivo Lamm."],
              [("role", NAME, "Northfield United", "asserted", 0, {"role": "striker"}),
               ("met", NAME, "Ivo Lamm", "asserted", 0)])
    )  # fmt: skip


def _args(store: FactStore, doc: str) -> set[tuple[str, str, str]]:
    return {(e.pred, *e.args) for e in _evidence(store) if e.doc == doc}


def _evidence(store: FactStore) -> list:
    found = []
    for pred, a, b in {(p, a, b) for _i, p, a, b, *_ in store.rows("statement")}:
        found += store.evidence_for(pred, (a, b))
    return found


def test_unrelated_organisations_in_two_documents_are_flagged(store: FactStore, build) -> None:
    _fill(store, build)
    (found,) = ambiguous_entities(store)
    assert found.name == NAME
    # The Harbour Office is part of the Ministry: one.txt and two.txt fit one person;
    # the football club of three.txt fits neither.
    assert [(r.doc, r.orgs, r.roles) for r in found.readings] == [
        ("port/one.txt", ("Harbour Office",), ("head",)),
        ("port/two.txt", ("Ministry of Ports",), ()),
        ("sport/three.txt", ("Northfield United",), ("striker",)),
    ]
    assert "possibly different people" in str(found)


def test_split_moves_one_document_and_undo_puts_it_back(store: FactStore, build) -> None:
    _fill(store, build)
    before = generation.current(store.db)
    decision = who.split(store, NAME, doc="three.txt", by="editor", reason="the footballer")
    assert (decision.kind, decision.other, decision.doc, decision.moved) == (
        "split", f"{NAME} (sport/three.txt)", "sport/three.txt", 2
    )  # fmt: skip
    assert generation.current(store.db) == before + 1
    assert _args(store, "sport/three.txt") == {
        ("role", f"{NAME} (sport/three.txt)", "Northfield United"),
        ("met", f"{NAME} (sport/three.txt)", "Ivo Lamm"),
    }
    assert ("met", NAME, "Olek Brandt") in _args(store, "port/two.txt")
    # The one split off is a person too.
    assert dict(store.rows("entity"))[f"{NAME} (sport/three.txt)"] == "person"
    assert ambiguous_entities(store) == []
    undone = who.undo(store, decision.id, by="editor")
    assert undone.undone_at and ("met", NAME, "Ivo Lamm") in _args(store, "sport/three.txt")
    assert [a.name for a in ambiguous_entities(store)] == [NAME]
    with pytest.raises(UsageError, match="undone already"):
        who.undo(store, decision.id, by="editor")


def test_split_takes_a_name_and_refuses_a_document_without_it(store: FactStore, build) -> None:
    _fill(store, build)
    decision = who.split(
        store, NAME, doc="sport/three.txt", new_name="Anna Berg (footballer)", by="x"
    )
    assert decision.other == "Anna Berg (footballer)"
    with pytest.raises(UsageError, match="has no statement about"):
        who.split(store, "Olek Brandt", doc="sport/three.txt", by="x")
    with pytest.raises(StoreError, match="no document"):
        who.split(store, NAME, doc="nowhere.txt", by="x")
    with pytest.raises(UsageError, match="no entity"):
        who.split(store, "Nobody At All", doc="sport/three.txt", by="x")


def test_a_merge_holds_for_documents_ingested_later(store: FactStore, build) -> None:
    _fill(store, build)
    store.add_extraction(
        build("port/four.txt", [f"{HOSTILE} called Olek Brandt."],
              [("called", HOSTILE, "Olek Brandt", "reported", 0, {"source": "logs"})])
    )  # fmt: skip
    store.add_entities([Entity(HOSTILE, EntityType.PERSON, ("Annie Berg",))])
    decision = who.merge(store, NAME, HOSTILE, by="editor", reason="same person, odd spelling")
    assert decision.moved == 1
    assert _args(store, "port/four.txt") == {("called", NAME, "Olek Brandt")}
    # The merged name is gone from the entities; it and its aliases now find the one kept.
    assert HOSTILE not in store.entity_names()
    assert store.resolve_entity(HOSTILE) == store.resolve_entity("Annie Berg") == NAME
    store.add_extraction(
        build(
            "port/five.txt",
            [f"{HOSTILE} met Vera Lind."],
            [("met", HOSTILE, "Vera Lind", "asserted", 0)],
        )
    )
    assert _args(store, "port/five.txt") == {("met", NAME, "Vera Lind")}
    assert [d.id for d in who.decisions(store)] == [decision.id]
    assert store.document_names()[0] == "port/five.txt"  # the store survived the name
    who.undo(store, decision.id, by="editor")
    assert _args(store, "port/five.txt") == {("met", HOSTILE, "Vera Lind")}
    assert _args(store, "port/four.txt") == {("called", HOSTILE, "Olek Brandt")}
    assert store.resolve_entity("Annie Berg") == HOSTILE
    assert dict(store.rows("entity"))[HOSTILE] == "person"
    with pytest.raises(UsageError, match="one entity already"):
        who.merge(store, NAME, NAME, by="x")


def test_a_merge_reaches_the_conclusions(store: FactStore, build) -> None:
    from deniable.rules.workbench import derive_store, query_store

    _fill(store, build)
    derive_store(store, cwd_rules=False)
    who.split(store, NAME, doc="sport/three.txt", new_name="Anna Berg II", by="x")
    derive_store(store, cwd_rules=False)
    answers = query_store(store, 'contact("Anna Berg II", x)', cwd_rules=False)
    assert answers.rows == [("Ivo Lamm",)]


def test_the_command_line(
    build, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "120")
    db = tmp_path / "who.db"
    with FactStore.open(db, create=True) as store:
        _fill(store, build)
    run = lambda *a: (main(["--db", str(db), "entities", *a]), *capsys.readouterr())  # noqa: E731
    status, out, err = run("--ambiguous")
    assert status == 0 and "possibly different people" in out and "Northfield United" in out
    status, out, err = run("split", NAME, "--doc", "three.txt", "--reason", "footballer")
    assert status == 0 and "#1 split" in out and "2 statements moved" in out
    status, out, err = run("--ambiguous")
    assert "no name has unrelated organisations" in out
    status, out, err = run("berg")
    assert f"{NAME} (sport/three.txt)" in out and "2 entities" in out
    status, out, err = run("decisions")
    assert "#1 split" in out and "footballer" in out
    status, out, err = run("undo", "1")
    assert status == 0 and "undone" in out
    for bad, words in (
        (("undo", "1"), "undone already"),
        (("merge", NAME), "usage: deniable entities merge"),
        (("split", NAME), "usage: deniable entities split"),
        (("merge", NAME, "Nobody'; --"), "no entity"),
    ):
        status, out, err = run(*bad)
        assert status in (1, 2) and out == "" and err.count("\n") == 1 and words in err


def test_a_read_only_store_is_refused(build, tmp_path: Path) -> None:
    db = tmp_path / "who.db"
    with FactStore.open(db, create=True) as store:
        _fill(store, build)
    db.chmod(0o444)
    with FactStore.open(db, create=False) as store:
        with pytest.raises(StoreError, match="read-only"):
            who.merge(store, NAME, "Olek Brandt", by="x")
        assert who.decisions(store) == [] and len(ambiguous_entities(store)) == 1


# --------------------------------------------------------------------------- the entity file


def test_the_entity_file_round_trips_hostile_names(store: FactStore, build, tmp_path: Path) -> None:
    from deniable.facts.entity_file import entity_toml
    from deniable.grammar.entities import load_knowledge

    odd = 'Tab\there "quoted" \\ back\x7fdel; DROP TABLE entities;--'
    store.add_entities(
        [
            Entity(HOSTILE, EntityType.PERSON, ("Annie Berg", odd)),
            Entity("Harbour Office", EntityType.ORG, part_of=("Ministry of Ports",)),
            Entity("Ministry of Ports", EntityType.ORG),
        ]
    )
    _fill(store, build)
    path = tmp_path / "entities.toml"
    path.write_text(entity_toml(store), encoding="utf-8")
    loaded = load_knowledge(path).entities
    assert set(loaded[HOSTILE].aliases) == {"Annie Berg", odd}
    assert loaded["Harbour Office"].part_of == ("Ministry of Ports",)
    assert loaded["Harbour Office"].type == EntityType.ORG
    # Discovered names of unknown type are left for the reader, commented out.
    assert "Olek Brandt" not in loaded and '# name = "Olek Brandt"' in path.read_text()
