"""Quotations that run over several sentences, and who speaks them.

A quotation opened in one sentence may close sentences later, where the attribution comes
(`... ," the minister said`), or follow an attribution that ends in a colon (`X said: "...`).
The sentences inside speak in the speaker's voice, not the article's: what they state is
reported by that speaker.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from deniable.grammar.vocab import vocab

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

_SPEECH = vocab().cues["speech"]
_OPEN = frozenset({'"', "“"})
_CLOSE = frozenset({'"', "”"})


def quoted_sentences(doc: Doc, speaker: Callable[[Token], str | None]) -> dict[int, str]:
    """Sentence start token -> speaker, for each sentence wholly inside a quotation that is
    attributed in another sentence.  ``speaker`` names a speech verb's subject (or None)."""
    sents = list(doc.sents)
    out: dict[int, str] = {}
    for o, c in _quotations(doc.text):
        inside = [s for s in sents if _within(s, o, c)]
        if not inside:
            continue
        who = _attributed(sents, o, c, speaker)
        if who is None:
            continue
        for s in inside:
            out[s.start] = who
    return out


def _quotations(text: str) -> Iterator[tuple[int, int]]:
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


def _within(s: Span, o: int, c: int) -> bool:
    """Every word of ``s`` lies between the quotation marks (a sentence with words after the
    closing mark carries its own attribution and is read with it)."""
    words = [t for t in s if not t.is_punct and not t.is_space]
    return bool(words) and words[0].idx > o and words[-1].idx + len(words[-1]) <= c


def _attributed(
    sents: list[Span], o: int, c: int, speaker: Callable[[Token], str | None]
) -> str | None:
    """The speaker: a speech verb after the closing mark in its sentence (`," X said`), else
    one before the opening mark that ends in a colon (`X said: "`)."""
    for s in sents:
        if s.start_char <= c < s.end_char:
            for t in s:
                if t.idx > c and t.lemma_.lower() in _SPEECH and t.pos_ == "VERB":
                    who = speaker(t)
                    if who is not None:
                        return who
        if s.start_char <= o < s.end_char:
            before = [t for t in s if t.idx < o]
            if before and before[-1].text == ":":
                for t in reversed(before):
                    if t.lemma_.lower() in _SPEECH and t.pos_ == "VERB":
                        who = speaker(t)
                        if who is not None:
                            return who
    return None
