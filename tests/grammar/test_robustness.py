"""extract() never crashes, and its evidence always points into the text it was given."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from deniable.facts.model import Document, Entity, EntityType
from deniable.grammar.entities import Knowledge
from deniable.grammar.extract import extract

KNOWLEDGE = Knowledge.of(
    [
        Entity("Jane Doe", EntityType.PERSON, ("Doe",)),
        Entity("Acme", EntityType.ORG, ("Acme Corp",)),
    ]
)
WORDS = st.sampled_from(
    [
        "Jane",
        "Doe",
        "Acme",
        "met",
        "called",
        "denied",
        "tried",
        "to",
        "not",
        ",",
        ".",
        "'",
        '"',
        "’s",
        "who",
        "whose",
        "the",
        "a",
        "and",
        "with",
        "by",
        "was",
        "indicted",
        "President",
        "Moscow",
        "Russia",
        "pictured",
        "photographed",
        "he",
        "him",
        "they",
        "it",
        "12",
        "times",
        "Mr",
        "Lt.",
        "\n",
        "\xa0",
        "allegedly",
        "reportedly",
        "according",
        "claims",
        "of",
        "head",
        "chief",
        "boss",
        "founder",
    ]
)


@settings(max_examples=150, deadline=None)
@given(st.lists(WORDS, max_size=60).map(" ".join))
def test_extract_never_crashes_on_word_salad(text: str) -> None:
    ex = extract(Document("h.txt", text), KNOWLEDGE)
    for f in ex.facts:
        assert 0 <= f.evidence.start < f.evidence.end <= len(text)
        assert f.args[0] != f.args[1]


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=300))
def test_extract_never_crashes_on_any_text(text: str) -> None:
    ex = extract(Document("h.txt", text), Knowledge())
    for s in ex.sentences:
        assert text[s.start : s.end].strip()
