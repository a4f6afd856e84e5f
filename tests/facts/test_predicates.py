"""The predicate registry: argument types, and the type an untyped argument defaults to."""

from __future__ import annotations

import pytest

from deniable.facts.model import Document, EntityType
from deniable.facts.predicates import REGISTRY, SPECS, default_type
from deniable.grammar.extract import extract


def test_every_argument_admits_known_entity_types() -> None:
    kinds = {t.value for t in EntityType}
    for spec in REGISTRY:
        for _name, admitted in spec.args:
            assert set(admitted.split("|")) <= kinds, spec.name


@pytest.mark.parametrize(
    ("pred", "position", "expected"),
    [("indicted_by", 1, "org"), ("visited", 1, "place"), ("role", 1, "org"), ("met", 0, "person")],
)
def test_default_type_is_the_first_the_argument_admits(
    pred: str, position: int, expected: str
) -> None:
    assert default_type(pred, position) == expected
    assert SPECS[pred].args[position][1].split("|")[0] == expected


def test_an_unknown_predicate_defaults_to_a_person() -> None:
    assert default_type("no_such_predicate", 0) == "person"


def test_an_authority_named_by_a_common_noun_is_an_organisation() -> None:
    text = "Court case\n\nKarl Brandt was charged with fraud by federal prosecutors.\n"
    types = {e.name: e.type for e in extract(Document("t.txt", text)).entities}
    assert types["federal prosecutors"] is EntityType.ORG
    assert types["Karl Brandt"] is EntityType.PERSON
