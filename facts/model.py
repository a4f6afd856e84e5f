"""The fact model: documents, entities, and facts with their modality and evidence.

These values are what extraction hands to the store and what the store hands
back; they carry no database identity.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from deniable.facts.predicates import REGISTRY

#: The predicates extraction produces, each binary (see :mod:`deniable.facts.predicates`).
PREDICATES: tuple[str, ...] = tuple(s.name for s in REGISTRY)

#: Predicates whose argument order carries no meaning (the gold scores them unordered).
SYMMETRIC: frozenset[str] = frozenset(s.name for s in REGISTRY if s.symmetric)

#: Predicates that happen at a time and place.
EVENTS: frozenset[str] = frozenset(s.name for s in REGISTRY if s.event)


class Modality(StrEnum):
    """How an article states a fact.

    Only asserted, reported and alleged facts are positive: a negated or
    attempted event is never a fact that it happened.
    """

    ASSERTED = "asserted"
    REPORTED = "reported"
    ALLEGED = "alleged"
    NEGATED = "negated"
    ATTEMPTED = "attempted"

    @property
    def positive(self) -> bool:
        return self in (Modality.ASSERTED, Modality.REPORTED, Modality.ALLEGED)

    @property
    def strength(self) -> int:
        """3 asserted, 2 reported, 1 alleged, 0 for negated/attempted."""
        return {"asserted": 3, "reported": 2, "alleged": 1}.get(self.value, 0)


class EntityType(StrEnum):
    PERSON = "person"
    ORG = "org"
    PLACE = "place"
    GROUP = "group"


@dataclass(frozen=True, slots=True)
class Entity:
    """A canonical entity with its surface forms and the organisations it is part of."""

    name: str
    type: EntityType = EntityType.PERSON
    aliases: tuple[str, ...] = ()
    part_of: tuple[str, ...] = ()
    # True when the entity came from an entity file, False when discovered in text.
    known: bool = True


@dataclass(frozen=True, slots=True)
class Document:
    """An article as ingested: ``name`` is its file name (or JSONL id)."""

    name: str
    text: str
    title: str = ""
    url: str = ""
    date: str = ""
    outlet: str = ""
    sha256: str = ""
    author: str = ""


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence of a document; ``start``/``end`` are character offsets into the text."""

    index: int
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Evidence:
    """Where a fact was read: document, sentence, character span and the pattern that fired.

    ``start``/``end`` are offsets into the document text (not the sentence).
    """

    doc: str
    sentence: int
    start: int
    end: int
    pattern: str


@dataclass(frozen=True, slots=True)
class Fact:
    """One statement of a fact in one place of one article.

    ``args`` are canonical entity names.  ``source`` is the attributed source for
    reported facts ("Bellingcat", "leaked records"), else empty.  ``when`` is the
    time as written or normalised ("2018", "2013..2014", "July 1", "former").
    """

    pred: str
    args: tuple[str, str]
    modality: Modality
    evidence: Evidence
    source: str = ""
    count: int | None = None
    when: str = ""
    where: str = ""
    claim: str = ""
    role: str = ""
    extra: tuple[tuple[str, str], ...] = field(default=(), compare=False)


@dataclass(frozen=True, slots=True)
class Extraction:
    """What extraction produced for one document."""

    document: Document
    sentences: tuple[Sentence, ...]
    facts: tuple[Fact, ...]
    # Entities used by the facts, known from the entity file or discovered.
    entities: tuple[Entity, ...] = ()
