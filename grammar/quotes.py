"""Quotations and who speaks them.

A quotation is attributed in the sentence that closes it (`... ," the minister said`), before
it (`X said: "...`), or, when it goes straight on after an attributed one, by the same
speaker.  Its first person is the speaker; and a sentence wholly inside a quotation attributed
elsewhere speaks in the speaker's voice, not the article's: what it states is reported.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from deniable.grammar.nlp import doc_text, doc_tokens
from deniable.grammar.vocab import vocab

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

_SPEECH = vocab().cues["speech"]
_OPEN = frozenset({'"', "“"})
_CLOSE = frozenset({'"', "”"})
_FIRST_PERSON = frozenset({"i", "me", "my", "myself"})
# How far after the closing mark its attribution may come (`," the Kremlin's spokesman said`).
_NEAR = 8


@dataclass(frozen=True, slots=True)
class Quotation:
    """A quotation between character offsets ``start`` and ``end`` (its marks), spoken by
    ``speaker``."""

    start: int
    end: int
    speaker: str


Speaker = Callable[["Token"], "str | None"]


def quotations(doc: Doc, speaker: Speaker) -> list[Quotation]:
    """The document's attributed quotations; ``speaker`` names a speech verb's subject."""
    sents = list(doc.sents)
    out: list[Quotation] = []
    last: tuple[int, str] | None = None  # (sentence of the last quotation's end, speaker)
    for o, c in _marks(doc_text(doc)):
        who = _attributed(sents, o, c, speaker)
        opened = _sentence_at(sents, o)
        starts = opened >= 0 and sents[opened][0].idx == o
        if who is None and last is not None and starts and opened in (last[0], last[0] + 1):
            who = last[1]  # `"...," X said. "...`: the quotation goes on
        if who is None:
            last = None
            continue
        out.append(Quotation(o, c, who))
        last = (_sentence_at(sents, c), who)
    return out


def inner_sentences(doc: Doc, quotes: list[Quotation]) -> dict[int, str]:
    """Sentence start token -> speaker, for each sentence wholly inside a quotation (one with
    words after the closing mark carries its own attribution and is read with it)."""
    out: dict[int, str] = {}
    for s in doc.sents:
        words = [t for t in s if not t.is_punct and not t.is_space]
        if not words:
            continue
        first, last = words[0].idx, words[-1].idx + len(words[-1])
        for q in quotes:
            if q.start < first and last <= q.end:
                out[s.start] = q.speaker
    return out


def first_person(doc: Doc, quotes: list[Quotation]) -> Iterator[tuple[int, str]]:
    """(token, speaker) for each "I", "me", "my" inside an attributed quotation."""
    for t in doc_tokens(doc):
        if t.lower_ in _FIRST_PERSON and t.text != "i":
            for q in quotes:
                if q.start < t.idx < q.end:
                    yield t.i, q.speaker
                    break


def _marks(text: str) -> Iterator[tuple[int, int]]:
    """(open, close) character offsets of double quotations, paired within a paragraph."""
    start: int | None = None
    for i, ch in enumerate(text):
        if ch == "\n":
            start = None  # a quotation left open at a line break is not followed further
        elif start is None and ch in _OPEN:
            start = i
        elif start is not None and ch in _CLOSE:
            yield start, i
            start = None


def _sentence_at(sents: list[Span], char: int) -> int:
    k = bisect_right([s.start_char for s in sents], char) - 1
    return k if k >= 0 and char < sents[k].end_char else -1


def _attributed(sents: list[Span], o: int, c: int, speaker: Speaker) -> str | None:
    """A speech verb just after the closing mark in its sentence (`," X said`), else one
    before the opening mark and a colon or comma (`X said: "`)."""
    # (only the sentences the marks are in, in document order)
    for k in sorted({_sentence_at(sents, o), _sentence_at(sents, c)} - {-1}):
        s = sents[k]
        if s.start_char <= c < s.end_char:
            after = [t for t in s if t.idx > c][:_NEAR]
            for t in after:
                if t.lemma_.lower() in _SPEECH and t.pos_ == "VERB":
                    who = speaker(t)
                    if who is not None:
                        return who
        if s.start_char <= o < s.end_char:
            before = [t for t in s if t.idx < o]
            if before and before[-1].text in (":", ","):
                for t in reversed(before):
                    if t.lemma_.lower() in _SPEECH and t.pos_ == "VERB":
                        who = speaker(t)
                        if who is not None:
                            return who
    return None
