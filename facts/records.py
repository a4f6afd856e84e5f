"""The values the fact store hands back: evidence rows, entity summaries, search hits, counts."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from deniable.facts.model import Modality


@dataclass(frozen=True, slots=True)
class EvidenceRow:
    """One stored statement of a fact with everything needed to show it to a reader.

    ``start``/``end`` are offsets into the document text; ``sentence_start``/
    ``sentence_end`` are the same span as offsets into ``sentence`` (for
    highlighting).  ``source`` is the attributed source as extracted ("" when
    the article speaks in its own voice); ``vouched_by`` is the value the
    ``statement`` view shows (attributed source, else outlet, else document).
    """

    statement_id: int
    pred: str
    args: tuple[str, str]
    modality: Modality
    source: str
    vouched_by: str
    doc: str
    title: str
    outlet: str
    date: str
    sentence_index: int
    sentence: str
    start: int
    end: int
    sentence_start: int
    sentence_end: int
    pattern: str
    count: int | None = None
    when: str = ""
    where: str = ""
    claim: str = ""
    role: str = ""
    #: The review status: ``confirmed``, ``rejected`` or ``""`` (not reviewed).
    review: str = ""


@dataclass(frozen=True, slots=True)
class EntityFact:
    """A fact an entity takes part in, with how many statements support it."""

    pred: str
    args: tuple[str, str]
    statements: int
    positive: int


@dataclass(frozen=True, slots=True)
class EntityInfo:
    """A canonical entity as stored: type, aliases, organisations and facts."""

    name: str
    type: str
    known: bool
    aliases: tuple[str, ...]
    part_of: tuple[str, ...]
    facts: tuple[EntityFact, ...]


@dataclass(frozen=True, slots=True)
class SearchHit:
    """A sentence found by full-text search."""

    doc: str
    sentence_index: int
    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class StoreStats:
    """Counts of what a store holds; ``by_predicate[pred][modality]`` counts statements."""

    documents: int
    sentences: int
    entities: int
    facts: int
    statements: int
    by_predicate: dict[str, dict[str, int]] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "documents": self.documents,
            "sentences": self.sentences,
            "entities": self.entities,
            "facts": self.facts,
            "statements": self.statements,
            "by_predicate": self.by_predicate,
        }


def evidence_row(r: tuple[Any, ...]) -> EvidenceRow:
    (sid, pred, a, b, modality, source, vouched, doc, title, outlet, date, position, text,
     sent_start, start, end, pattern, count, when, where, claim, role, *review) = r  # fmt: skip
    rel_start = min(max(start - sent_start, 0), len(text))
    rel_end = min(max(end - sent_start, rel_start), len(text))
    return EvidenceRow(
        statement_id=sid,
        pred=pred,
        args=(a, b),
        modality=Modality(modality),
        source=source,
        vouched_by=vouched,
        doc=doc,
        title=title,
        outlet=outlet,
        date=date,
        sentence_index=position,
        sentence=text,
        start=start,
        end=end,
        sentence_start=rel_start,
        sentence_end=rel_end,
        pattern=pattern,
        count=count,
        when=when,
        where=where,
        claim=claim,
        role=role,
        review=review[0] if review else "",
    )
