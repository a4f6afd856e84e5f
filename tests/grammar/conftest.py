"""Helpers for the grammar tests: extract a text and look at its facts as plain tuples."""

from __future__ import annotations

import pytest

from deniable.facts.model import Document, Entity, EntityType
from deniable.grammar.entities import Knowledge
from deniable.grammar.extract import extract


def facts_of(text: str, knowledge: Knowledge | None = None) -> set[tuple[str, str, str, str]]:
    """(pred, a, b, modality) of every fact extracted from ``text``."""
    ex = extract(Document("t.txt", text), knowledge or Knowledge())
    return {(f.pred, f.args[0], f.args[1], f.modality.value) for f in ex.facts}


def positive(facts: set[tuple[str, str, str, str]]) -> set[tuple[str, str, str]]:
    """The positive facts, with symmetric predicates in a canonical order."""
    out = set()
    for pred, a, b, mod in facts:
        if mod in ("negated", "attempted"):
            continue
        if pred in ("called", "met", "pictured_with"):
            a, b = sorted((a, b))
        out.add((pred, a, b))
    return out


@pytest.fixture
def facts() -> object:
    """The ``facts_of`` helper, as a fixture (test modules cannot import conftest)."""
    return facts_of


@pytest.fixture
def pos() -> object:
    """The ``positive`` helper, as a fixture."""
    return positive


@pytest.fixture
def knowledge() -> Knowledge:
    """A small invented entity file: names, aliases, a state metonym and part_of links."""
    return Knowledge.of(
        [
            Entity("Jane Doe", EntityType.PERSON, ("Doe",)),
            Entity("Marcus Bell", EntityType.PERSON, ("Bell",)),
            Entity("Tom Harlan", EntityType.PERSON, ("Harlan",)),
            Entity("Anna Petrova", EntityType.PERSON, ("Petrova", "Anna Petrowa")),
            Entity("Ivan Sokolov", EntityType.PERSON, ("Sokolov",), ("Presidential Office",)),
            Entity("Acme Corp", EntityType.ORG, ("Acme",)),
            Entity("Blue Harbour", EntityType.ORG, ()),
            Entity("Presidential Office", EntityType.ORG, (), ("Ruritanian government",)),
            Entity("Ruritanian government", EntityType.ORG, ("Ruritanian authorities",)),
            Entity("Northern Legion", EntityType.ORG, ("Legion",)),
        ],
        {"Presidential Office": "Ruritanian government"},
    )
