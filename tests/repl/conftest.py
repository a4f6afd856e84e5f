"""A small fact store for the shell's tests, with a hostile entity name and title."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from rich.console import Console

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
from deniable.facts.store import FactStore

#: An entity name that is Rich markup; it must print as written.
MARKUP_NAME = "[bold]Evil[/bold] Corp"

SENTENCES = (
    "Leaked records show Yevgeny Prigozhin called Anton Vaino 99 times.",
    "The Kremlin denied any links to Yevgeny Prigozhin.",
    f"{MARKUP_NAME} reportedly met Yevgeny Prigozhin.",
)


def _extraction() -> Extraction:
    text = " ".join(SENTENCES)
    sentences = []
    start = 0
    for i, s in enumerate(SENTENCES):
        sentences.append(Sentence(i, start, start + len(s), s))
        start += len(s) + 1

    def fact(pred, a, b, modality, sentence, phrase, source=""):  # type: ignore[no-untyped-def]
        s = sentences[sentence]
        offset = s.start + s.text.index(phrase)
        evidence = Evidence("a1.txt", sentence, offset, offset + len(phrase), "test")
        return Fact(pred, (a, b), Modality(modality), evidence, source=source)

    facts = (
        fact("called", "Yevgeny Prigozhin", "Anton Vaino", "reported", 0,
             "Yevgeny Prigozhin called Anton Vaino", source="leaked records"),
        fact("denies", "Kremlin", "Yevgeny Prigozhin", "asserted", 1, "The Kremlin denied"),
        fact("met", MARKUP_NAME, "Yevgeny Prigozhin", "alleged", 2, "reportedly met"),
    )  # fmt: skip
    entities = (
        Entity("Yevgeny Prigozhin", EntityType.PERSON, ("Prigozhin", "Putin's chef"),
               ("Wagner Group",)),
        Entity("Anton Vaino", EntityType.PERSON, ("Vaino",)),
        Entity("Kremlin", EntityType.ORG),
        Entity(MARKUP_NAME, EntityType.ORG),
    )  # fmt: skip
    document = Document(
        "a1.txt", text, title="Calls [italic]leaked[/italic]", outlet="The Sun", date="2019-01-01"
    )
    return Extraction(document, tuple(sentences), facts, entities)


def fill(store: FactStore) -> FactStore:
    """Put the test article, its facts and entities into ``store``."""
    store.add_extraction(_extraction())
    return store


@pytest.fixture
def small_store() -> Iterator[FactStore]:
    """The test article in a store in memory."""
    with FactStore.memory() as s:
        yield fill(s)


@pytest.fixture(scope="module")
def small_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The test article in a store file (shared: the shell never writes its store)."""
    path = tmp_path_factory.mktemp("store") / "small.db"
    with FactStore.open(path, create=True) as s:
        fill(s)
    return path


@pytest.fixture
def out() -> Console:
    """A plain console writing into a string (``out.file.getvalue()``)."""
    return Console(file=io.StringIO(), width=100, color_system=None)
