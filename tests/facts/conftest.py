"""Fixtures for the fact store tests: a builder of small extractions."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import pytest

from deniable.facts.model import (
    Document,
    Entity,
    Evidence,
    Extraction,
    Fact,
    Modality,
    Sentence,
)

Build = Callable[..., Extraction]


def build_extraction(
    name: str,
    sentences: Sequence[str],
    facts: Sequence[tuple[Any, ...]] = (),
    *,
    entities: Sequence[Entity] = (),
    title: str = "",
    outlet: str = "",
    date: str = "",
) -> Extraction:
    """Return an extraction of a document made of ``sentences`` joined by spaces.

    Each fact is ``(pred, a, b, modality, sentence_index, **details)`` where the
    details are a dict as an optional sixth item; the span is the whole sentence.
    """
    spans: list[Sentence] = []
    pos = 0
    for i, text in enumerate(sentences):
        spans.append(Sentence(i, pos, pos + len(text), text))
        pos += len(text) + 1
    doc = Document(name, " ".join(sentences), title=title, outlet=outlet, date=date)
    built = []
    for item in facts:
        pred, a, b, modality, index = item[:5]
        details = item[5] if len(item) > 5 else {}
        s = spans[index]
        built.append(
            Fact(
                pred,
                (a, b),
                Modality(modality),
                Evidence(name, index, s.start, s.end, details.pop("pattern", "test_pattern")),
                **details,
            )
        )
    return Extraction(doc, tuple(spans), tuple(built), tuple(entities))


@pytest.fixture
def build() -> Build:
    """The :func:`build_extraction` helper."""
    return build_extraction
