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


# --------------------------------------------------------------------------- descriptions, aliases

DESCRIBED = [
    _doc("brandt.txt", [
        ("Olek Brandt flew to Oslo in March.", None),
        ("The businessman later met Ivo Lund.",
         ("met", "Olek Brandt", "Ivo Lund", "The businessman later met Ivo Lund")),
        # Both arguments unnamed: the span says not which one the description is.
        ("The banker and the envoy spoke.", ("called", "Olek Brandt", "Ivo Lund", "The banker")),
    ]),
    _doc("freight.txt", [
        # "Lantern" is a part of a name the span writes, no description of anyone.
        ("The Lantern Freight boss met Ivo Lund.",
         ("met", "Nina Park", "Ivo Lund", "The Lantern Freight boss met Ivo Lund")),
    ]),
    _doc("harbour.txt", [
        # The unnamed argument stands where the span ends; "the shipyard" is in a relative clause.
        ("Ivo Lund, who once ran the shipyard, was pictured with the mayor.",
         ("pictured_with", "Ivo Lund", "Rosa Mint",
          "Ivo Lund, who once ran the shipyard, was pictured with the mayor")),
        # "He" may be the unnamed argument: the description at the end is someone else's.
        ("He called Ivo Lund, the envoy of the port chief.",
         ("called", "Rosa Mint", "Ivo Lund", "He called Ivo Lund, the envoy of the port chief")),
    ]),
]  # fmt: skip


@pytest.fixture
def described(tmp_path: Path) -> Path:
    db = tmp_path / "described.db"
    with FactStore.open(db) as store:
        for extraction in DESCRIBED:
            store.add_extraction(extraction)
        store.add_entities(
            [Entity("Ivo Lund", EntityType.PERSON, aliases=("Ivo Lundqvist", "the Oslo fixer"))]
        )
    return db


def test_a_description_with_no_role_finds_whom_the_span_described(described: Path) -> None:
    assert _forms(described, "businessman") == [
        "Olek Brandt: described as the businessman in brandt.txt"
    ]
    assert _forms(described, "the businessman") == _forms(described, "businessman")
    assert _forms(described, "boss") == [
        "Nina Park: described as the Lantern Freight boss in freight.txt"
    ]
    assert _forms(described, "Lantern") == []
    assert _forms(described, "banker") == []  # two arguments unnamed: not said which
    assert _forms(described, "met") == []  # no description: nothing before it says "the"
    assert _forms(described, "mayor") == ["Rosa Mint: described as the mayor in harbour.txt"]
    assert _forms(described, "shipyard") == []  # not where the unnamed argument stands
    assert _forms(described, "port chief") == []  # the span says "He": whose chief?


def test_a_part_of_an_alias_finds_its_entity(described: Path) -> None:
    assert _forms(described, "Lundqvist") == ["Ivo Lund: goes by Ivo Lundqvist (alias)"]
    assert _forms(described, "fixer") == ["Ivo Lund: goes by the Oslo fixer (alias)"]
    assert _forms(described, "Oslo fixer") == _forms(described, "fixer")
    assert _forms(described, "Ivo Lundqvist") == []  # the alias itself resolves
    assert _forms(described, "qvist") == []  # words, not letters
    assert _forms(described, "the") == _forms(described, "of the") == []
    assert _forms(described, "the fixer") == _forms(described, "fixer")
    with FactStore.open(described) as store:
        assert query_hints(store, 'met(a, "Lundqvist")') == [
            "hint: no entity is called 'Lundqvist'; Ivo Lund: goes by Ivo Lundqvist (alias); "
            'try met(a, "Ivo Lund")'
        ]


def test_repl_and_cli_find_a_description_and_an_alias_part(described: Path, capsys) -> None:
    with FactStore.open(described) as store, Session(store, []) as session:
        console = Console(file=io.StringIO(), width=100, color_system=None)
        assert execute(":entity businessman", session, console)
        printed = console.file.getvalue()  # type: ignore[attr-defined]
        assert printed.splitlines()[:2] == [
            "Olek Brandt: described as the businessman in brandt.txt",
            "Olek Brandt  person (discovered in text)",
        ]
        console = Console(file=io.StringIO(), width=100, color_system=None)
        assert execute(":entity Lundqvist", session, console)
        printed = console.file.getvalue()  # type: ignore[attr-defined]
        assert printed.splitlines()[:2] == [
            "Ivo Lund: goes by Ivo Lundqvist (alias)",
            "Ivo Lund  person",
        ]
    status, out, err = _cli(capsys, described, "entities", "businessman")
    assert status == 0, err
    assert "Olek Brandt" in out and "the businessman (brandt.txt)" in out and "1 entity" in out
    status, out, err = _cli(capsys, described, "entities", "fixer")
    assert status == 0 and "Ivo Lund" in out and "the Oslo fixer (alias)" in out


def test_an_ingested_article_finds_a_description_and_an_alias_part(tmp_path: Path, capsys) -> None:
    """Real extraction: "the businessman" is Olek Brandt, who holds no role; an entity file's
    alias "Ivo Karasek" is found by its surname."""
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "dock.txt").write_text(
        "Dock talks\n\n"
        "Olek Brandt flew to Lisbon in March.\n"
        "The businessman met Ivo Karas there, according to two port officials.\n",
        encoding="utf-8",
    )
    (folder / "entities.toml").write_text(
        '[[entity]]\nname = "Ivo Karas"\ntype = "person"\naliases = ["Ivo Karasek"]\n',
        encoding="utf-8",
    )
    db = tmp_path / "real.db"
    assert _cli(capsys, db, "ingest", "--jobs", "1", str(folder))[0] == 0
    with FactStore.open(db) as store:
        assert store.db.execute("SELECT count(*) FROM statements WHERE role <> ''").fetchone() == (
            0,
        )
        assert [str(f) for f in name_forms(store, "businessman")] == [
            "Olek Brandt: described as the businessman in dock.txt"
        ]
        assert [str(f) for f in name_forms(store, "Karasek")] == [
            "Ivo Karas: goes by Ivo Karasek (alias)"
        ]
    status, out, err = _cli(capsys, db, "entities", "the businessman")
    assert status == 0 and "Olek Brandt" in out and "the businessman (dock.txt)" in out
    status, out, err = _cli(capsys, db, "query", 'met("businessman", b)')
    assert status == 0 and 'try met("Olek Brandt", b)' in err


def test_the_seeds_find_people_by_a_part_of_their_aliases(tmp_path: Path) -> None:
    """The seeds' entity file: "Vayno" is in the alias "Anton Vayno", "chef" in "Putin's chef"."""
    from deniable.grammar.ingest import ingest_paths
    from deniable.repl.demo import seed_files

    articles, entities = seed_files()
    assert entities is not None
    with FactStore.open(tmp_path / "seeds.db", create=True) as store:
        ingest_paths(
            [Path(str(a)) for a in articles],
            store,
            entities=Path(str(entities)),
            replace=False,
            console=Console(file=io.StringIO(), width=100),
        )
        with Session(store, []) as session:
            for typed, meant in [("Vayno", "Anton Vaino"), ("chef", "Yevgeny Prigozhin")]:
                console = Console(file=io.StringIO(), width=100, color_system=None)
                assert execute(f":entity {typed}", session, console)
                lines = console.file.getvalue().splitlines()  # type: ignore[attr-defined]
                assert lines[0].startswith(f"{meant}: goes by ")
                assert lines[1] == f"{meant}  person"
            # An alias itself still resolves straight to its entity.
            console = Console(file=io.StringIO(), width=100, color_system=None)
            assert execute(":entity Peskov", session, console)
            assert console.file.getvalue().startswith("Dmitry Peskov  person")  # type: ignore[attr-defined]
