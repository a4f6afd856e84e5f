"""Visits read from the dependency parse: "A visited Kyiv", "A flew to Minsk", "A toured
the Velcor plant".

An extractor module beside :mod:`deniable.grammar.clause_events` (meetings, talks); a visit
to a place is no meeting, and a visit to a person is read there.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from deniable.grammar.candidate import Candidate, Context
from deniable.grammar.clause_args import subjects
from deniable.grammar.nlp import span_tokens
from deniable.grammar.vocab import vocab

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

_VISIT_VERBS = vocab().cues["visit_verbs"]


_TRAVEL_VERBS = vocab().cues["travel_verbs"]


def visited(sent: Span, ctx: Context) -> Iterator[Candidate]:
    """ "A visited Kyiv", "A flew to Minsk", "A toured the Velcor plant"."""
    for v in span_tokens(sent):
        if v.pos_ != "VERB":
            continue
        if v.lemma_ in _VISIT_VERBS:
            targets = [c for c in v.children if c.dep_ == "dobj"]
        elif v.lemma_ in _TRAVEL_VERBS:
            targets = [
                g
                for c in v.children
                if c.dep_ == "prep" and c.lower_ == "to"
                for g in c.children
                if g.dep_ == "pobj"
            ]
        else:
            continue
        places = [p for t in targets for x in (t, *t.conjuncts) if (p := _place(x, ctx))]
        for who in subjects(v, ctx):
            for name, _start, end in places:
                if name != who.name:
                    yield Candidate(
                        "visited",
                        who.name,
                        name,
                        v.i,
                        min(who.start, v.i),
                        max(end, v.i + 1),
                        f"{v.lemma_}_place",
                    )


def _place(t: Token, ctx: Context) -> tuple[str, int, int] | None:
    """A place as written ("France", not the French government) or an organisation."""
    m = ctx.names.at(t.i)
    if m is None:
        m = next(
            (
                ctx.names.at(c.i)
                for c in t.children
                if c.dep_ == "compound" and ctx.names.at(c.i) is not None
            ),
            None,
        )
    if m is None or m.kind == "person":
        return None
    if m.kind in ("gov", "place"):
        return ctx.doc[m.start : m.end].text, m.start, m.end
    return m.name, m.start, m.end
