"""What an extractor hands on: a candidate fact over one parsed sentence, not yet given a modality.

Extractors are pure functions of a sentence and the read-only document context; they return
:class:`Candidate` values, and :mod:`deniable.grammar.stance` alone decides how each was said.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from deniable.grammar.names import DocNames, Mention
from deniable.grammar.vocab import Vocab, vocab

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token


@dataclass(frozen=True, slots=True)
class Context:
    """What every extractor may read about the document: the parse, its names, the vocabulary."""

    doc: Doc
    names: DocNames
    vocab: Vocab
    # Sentences inside a quotation attributed elsewhere: sentence start token -> speaker.
    quoted: Mapping[int, str] = field(default_factory=dict)

    def mention(self, t: Token, speaking: bool = False) -> Mention | None:
        """The mention a token is part of, or the organisation a people noun speaks for
        ("Downing Street officials"; with ``speaking`` also a government's officials)."""
        m = self.names.at(t.i)
        if m is not None:
            return m
        nxt = self.names.at(t.i + 1) if t.i + 1 < len(self.doc) else None
        if (
            nxt is not None
            and nxt.kind == "person"
            and nxt.start == t.i + 1
            and t.text[:1].isupper()
            and t.lower_ in self.vocab.post_vocabulary
        ):
            return nxt  # "Putin and PM Modi spoke": the parser heads the conjunct with the title
        if t.lemma_.lower() in _SPEAKER_NOUNS and not any(c.lower_ in _FORMER for c in t.children):
            # (an "ex-KGB agent" acts for no one now)
            for c in t.children:
                inner = None
                if c.dep_ in ("compound", "poss"):
                    # "SEC officials"; not "Russian officials", who are not the state itself
                    inner = self.names.at(c.i)
                elif c.dep_ == "prep" and (
                    c.lower_ in ("from", "of") or (speaking and c.lower_ == "for")
                ):
                    # "a delegation from the CBI"; "a spokesman for X said" speaks for X
                    obj = next((g for g in c.children if g.dep_ == "pobj"), None)
                    inner = self.names.at(obj.i) if obj is not None else None
                if inner is not None and inner.kind in ("org", "party"):
                    return inner
                if inner is not None and inner.kind == "person" and speaking and c.lower_ == "for":
                    return inner
                if inner is not None and inner.kind == "gov" and speaking:
                    return inner  # "Kremlin officials said" speak for it; meeting them is not
        return None

    def mentions_in(self, toks: Iterable[Token]) -> list[Mention]:
        seen: list[Mention] = []
        for t in toks:
            m = self.names.at(t.i)
            if m is not None and m not in seen:
                seen.append(m)
        return seen


#: People nouns that speak for the organisation modifying them ("party officials").
_SPEAKER_NOUNS = vocab().cues["speaker_nouns"]
# (not "then" or "outgoing": a then-spokesman spoke for the body then)
_FORMER = frozenset({"ex", "former", "retired", "onetime", "one-time", "erstwhile"})


@dataclass(frozen=True, slots=True)
class Candidate:
    """A fact an extractor read: ``trigger`` is the token whose clause decides its modality."""

    pred: str
    a: str
    b: str
    trigger: int
    start: int
    end: int
    pattern: str
    role: str = ""
    when: str = ""
    claim: str = ""
    count: int | None = None
    # The extractor read this tuple and found it is no fact ("rejected the offer from B" is no
    # denial of B); it vetoes the same tuple from a less careful reading of the sentence.
    rejected: bool = False


Extractor = Callable[["Span", Context], Iterable[Candidate]]
