"""Surnames, titles and descriptions articles use for a full name, found by the name search."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from deniable.cli import main
from deniable.facts import review
from deniable.facts.model import (
    Document,
    Entity,
    EntityType,
    Evidence,
    Extraction,
    Fact,
    Modality,
    Sentence,
)
from deniable.facts.name_forms import closest_names, name_forms, query_hints
from deniable.facts.store import FactStore
from deniable.repl.commands import execute
from deniable.repl.session import Session

ODD = 'Ivo "Ace" O\'Hara-Díaz'
ACCENTED = "Zoë Ångström"


def _doc(name: str, sentences: list[tuple[str, tuple[Any, ...] | None]]) -> Extraction:
    spans, facts, pos = [], [], 0
    for i, (text, fact) in enumerate(sentences):
        spans.append(Sentence(i, pos, pos + len(text), text))
        if fact:
            pred, a, b, phrase, *role = fact
            offset = pos + text.index(phrase)
            evidence = Evidence(name, i, offset, offset + len(phrase), "test")
            facts.append(
                Fact(pred, (a, b), Modality.ASSERTED, evidence, role=role[0] if role else "")
            )
        pos += len(text) + 1
    text = " ".join(t for t, _ in sentences)
    people = sorted({a for f in facts for a in f.args if a != "Lantern Freight"})
    entities = (
        *(Entity(p, EntityType.PERSON, known=False) for p in people),
        Entity("Lantern Freight", EntityType.ORG, known=False),
    )
    return Extraction(Document(name, text, title=name), tuple(spans), tuple(facts), entities)


DOCS = [
    _doc("one.txt", [
        ("Marcus Hale, the chief executive of Lantern Freight, met Mary Quinn.",
         ("role", "Marcus Hale", "Lantern Freight", "Marcus Hale, the chief executive",
          "chief executive")),
        ("Marcus Hale met Mary Quinn again.", ("met", "Marcus Hale", "Mary Quinn", "met")),
        ("Hale later called Quinn twice.", ("called", "Marcus Hale", "Mary Quinn", "called")),
    ]),
    # Two Hales in one article: there "Hale" says not which.
    _doc("two.txt", [
        ("Sarah Hale met Peter Hale in Leeds.", ("met", "Sarah Hale", "Peter Hale", "met")),
        ("Hale said nothing.", None),
    ]),
    _doc("three.txt", [
        ("Sarah Hale met Olek Brandt in Oslo.", ("met", "Sarah Hale", "Olek Brandt", "met")),
        ("Dr. Hale later phoned Brandt.", ("called", "Sarah Hale", "Olek Brandt", "phoned")),
    ]),
    _doc("four.txt", [
        (f"{ODD} met {ACCENTED} in Rome.", ("met", ODD, ACCENTED, "met")),
        ("O'Hara-Díaz and Ångström spoke later; O'Hara went home.", None),
    ]),
]  # fmt: skip


@pytest.fixture
def named(tmp_path: Path) -> Path:
    db = tmp_path / "names.db"
    with FactStore.open(db) as store:
        for extraction in DOCS:
            store.add_extraction(extraction)
    return db


def _forms(db: Path, text: str) -> list[str]:
    with FactStore.open(db) as store:
        return [str(f) for f in name_forms(store, text)]


def test_a_surname_finds_the_full_names_it_stood_for(named: Path) -> None:
    assert _forms(named, "Hale") == [
        "Marcus Hale: called Hale (surname) in one.txt",
        "Sarah Hale: called Hale (surname) in three.txt",
    ]
    assert [f.split(":")[0] for f in _forms(named, "hale")] == ["Marcus Hale", "Sarah Hale"]
    assert _forms(named, "Hale.*") == []  # regular expression characters are text
    # Peter Hale only ever shared an article with another Hale.
    assert not any("Peter Hale" in f for f in _forms(named, "Hale"))
    # Quinn is called by her surname in one.txt; Olek Brandt in three.txt.
    assert _forms(named, "Quinn") == ["Mary Quinn: called Quinn (surname) in one.txt"]
    assert _forms(named, "Brandt") == ["Olek Brandt: called Brandt (surname) in three.txt"]


def test_a_title_with_the_surname_and_a_description(named: Path) -> None:
    assert _forms(named, "Dr Hale") == ["Sarah Hale: called Dr Hale (shortened name) in three.txt"]
    assert _forms(named, "Mr Hale") == []  # no article writes it
    assert _forms(named, "the chief executive") == [
        "Marcus Hale: described as chief executive of Lantern Freight in one.txt"
    ]
    assert _forms(named, "Lantern Freight executive") == _forms(named, "the chief executive")
    assert _forms(named, "the") == []


def test_full_names_and_unknown_names_are_no_forms(named: Path) -> None:
    assert _forms(named, "Marcus Hale") == []
    assert _forms(named, "Nobody") == []
    assert _forms(named, "  ") == []


def test_forms_are_not_aliases_the_rules_or_entity_files_see(named: Path) -> None:
    with FactStore.open(named) as store:
        before = store.rows("alias")
        name_forms(store, "Hale")
        assert store.rows("alias") == before
        assert not any(alias == "Hale" for alias, _name in before)
        assert store.resolve_entity("Hale") is None


def test_a_rejected_description_describes_no_one(named: Path) -> None:
    with FactStore.open(named) as store:
        (role_id,) = store.db.execute(
            "SELECT s.id FROM statements s JOIN facts f ON f.id = s.fact_id WHERE f.pred = 'role'"
        ).fetchone()
        review.reject(store, [role_id], reason="not the chief executive", by="test")
        assert name_forms(store, "chief executive") == []


def test_hostile_and_accented_names(named: Path) -> None:
    assert _forms(named, "Ångström") == [f"{ACCENTED}: called Ångström (surname) in four.txt"]
    assert _forms(named, "angstrom") == [f"{ACCENTED}: called angstrom (surname) in four.txt"]
    assert _forms(named, "O'Hara-Díaz") == [f"{ODD}: called O'Hara-Díaz (surname) in four.txt"]
    assert _forms(named, "O'Hara") == []  # not the surname, only a part of it
    hostile = "x'; DROP TABLE entities; --" + "ü" * 300
    assert _forms(named, hostile) == []
    with FactStore.open(named) as store:
        assert closest_names(store, hostile) == []
        assert len(store.entity_names()) == 8


def test_closest_names_for_a_misspelling(named: Path) -> None:
    with FactStore.open(named) as store:
        assert closest_names(store, "Hail")[:3] == ["Marcus Hale", "Peter Hale", "Sarah Hale"]
        assert closest_names(store, "Mary Quin") == ["Mary Quinn"]


def test_query_hints(named: Path) -> None:
    with FactStore.open(named) as store:
        assert query_hints(store, 'contact("Quinn", b)') == [
            "hint: no entity is called 'Quinn'; Mary Quinn: called Quinn (surname) in one.txt; "
            'try contact("Mary Quinn", b)'
        ]
        assert query_hints(store, 'contact("Mary Quin", b)') == [
            "hint: no entity is called 'Mary Quin'; closest names: Mary Quinn"
        ]
        # An alias, or the name in other letters: the rules match names exactly.
        assert query_hints(store, 'met(a, "mary  QUINN")') == [
            "hint: no entity is called 'mary  QUINN'; it is an alias of Mary Quinn; "
            'try met(a, "Mary Quinn")'
        ]
        # A name with quotes in it is quoted back as the parser reads it.
        assert query_hints(store, 'met("ivo \\"ace\\" o\'hara-díaz", b)') == [
            f"hint: no entity is called {ODD.lower()!r}; it is an alias of {ODD}; "
            'try met("Ivo \\"Ace\\" O\'Hara-Díaz", b)'
        ]
        # Names the store has, predicates, modalities and documents need no hint.
        assert (
            query_hints(store, 'statement(i, "met", "Mary Quinn", b, "asserted", s, "one.txt")')
            == []
        )


def _cli(capsys: pytest.CaptureFixture[str], db: Path, *args: str) -> tuple[int, str, str]:
    status = main(["--db", str(db), *args])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_entities_command_lists_what_a_surname_stood_for(named: Path, capsys) -> None:
    status, out, err = _cli(capsys, named, "entities", "Hale")
    assert status == 0, err
    rows = [
        " ".join(c.strip() for c in line.split("│")[1:-1]).rstrip() for line in out.splitlines()
    ]
    assert "Marcus Hale person 3 Hale, surname (one.txt)" in rows
    assert "Sarah Hale person 3 Hale, surname (three.txt)" in rows
    assert "Peter Hale person 1" in rows  # its name holds "Hale"; no article called it so
    status, out, err = _cli(capsys, named, "entities", "chief executive")
    assert status == 0 and "Marcus Hale" in out and "1 entity" in out
    status, out, err = _cli(capsys, named, "entities", "Hail")
    assert status == 0 and "0 entities" in out
    assert "closest names: Marcus Hale, Peter Hale, Sarah Hale" in out


def test_query_by_surname_hints_at_the_full_name(named: Path, capsys) -> None:
    status, out, err = _cli(capsys, named, "query", 'met(a, "Quinn")', "--format", "csv")
    assert status == 0 and out == "a\n"
    assert err.splitlines()[-1] == (
        "hint: no entity is called 'Quinn'; Mary Quinn: called Quinn (surname) in one.txt; "
        'try met(a, "Mary Quinn")'
    )
    status, out, err = _cli(capsys, named, "query", 'met(a, "Mary Quinn")', "--format", "csv")
    assert status == 0 and "hint" not in err and out == "a\nMarcus Hale\n"


def test_repl_entity_finds_a_surname(named: Path) -> None:
    with FactStore.open(named) as store, Session(store, []) as session:
        console = Console(file=io.StringIO(), width=100, color_system=None)
        assert execute(":entity Hale", session, console)
        printed = console.file.getvalue()  # type: ignore[attr-defined]
        assert printed.splitlines()[:3] == [
            "'Hale' stands for 2 entities",
            "Marcus Hale: called Hale (surname) in one.txt",
            "Sarah Hale: called Hale (surname) in three.txt",
        ]
        assert "Marcus Hale  person (discovered in text)" in printed
        assert 'called("Sarah Hale", "Olek Brandt")' in printed
        console = Console(file=io.StringIO(), width=100, color_system=None)
        assert not execute(":entity Hail", session, console)
        assert console.file.getvalue() == (  # type: ignore[attr-defined]
            "error: no entity called 'Hail'; closest: Marcus Hale, Peter Hale, Sarah Hale; "
            "try :search Hail\n"
        )


def test_an_ingested_article_surname_finds_the_full_name(tmp_path: Path, capsys) -> None:
    """The real extraction resolves "Hale" to Marcus Hale; the search finds him by it."""
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "hale.txt").write_text(
        "Freight talks\n\n"
        "Marcus Hale, the chief executive of Lantern Freight, met Mary Quinn in Vienna.\n"
        "Hale later called Quinn twice, according to leaked records.\n",
        encoding="utf-8",
    )
    db = tmp_path / "real.db"
    assert _cli(capsys, db, "ingest", "--jobs", "1", str(folder))[0] == 0
    status, out, err = _cli(capsys, db, "entities", "Hale")
    assert status == 0, err
    assert "Hale, surname (hale.txt)" in out and "Marcus Hale" in out
    status, out, err = _cli(capsys, db, "query", 'called("Hale", b)')
    assert status == 0 and 'try called("Marcus Hale", b)' in err
