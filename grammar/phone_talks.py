"""Calls by phone in other words: "A spoke by phone with B", "A congratulated B by phone",
"A and B exchanged views on the phone", and "A spoke to B" where a call is spoken of beside it.

An extractor module beside :mod:`deniable.grammar.clause_calls` (the verbs and nouns of
calling and messaging); how a candidate was said is for :mod:`deniable.grammar.stance`.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import combinations
from typing import TYPE_CHECKING

from deniable.grammar.candidate import Candidate, Context
from deniable.grammar.clause_args import after, args, pairs, subjects, together
from deniable.grammar.nlp import span_tokens
from deniable.grammar.vocab import vocab

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

_PHONE = vocab().cues["phone_words"]


def spoke_by_phone(sent: Span, ctx: Context) -> Iterator[Candidate]:
    """ "A spoke by phone with B", "A talked to B on the phone"; "A congratulated B by
    phone", "A and B exchanged views on the phone": whatever was done by phone."""
    for v in span_tokens(sent):
        if v.pos_ != "VERB":
            continue
        if v.lemma_ not in ("speak", "talk"):
            yield from _by_phone(v, sent, ctx)
            continue
        # (the parser may take the "by" of "by telephone" for a passive's agent)
        phone = any(t.lemma_ in _PHONE and t.head.dep_ in ("prep", "agent") for t in v.subtree)
        if not phone and _call_nearby(v, sent, ctx):
            # "A spoke to B on Tuesday, hours after B's office said there had been no call":
            # a conversation the story around it makes a call
            a = [m for m in subjects(v, ctx) if m.kind == "person"]
            b = [m for m in after((v,), ("with", "to"), ctx) if m.kind == "person"]
            yield from pairs("called", v, a, b, "spoke_call_nearby", sent)
            continue
        if phone:
            a = subjects(v, ctx)
            b = after((v,), ("with", "to"), ctx)
            if not b and len(a) > 1:
                # "A and B spoke by telephone"
                for x, y in combinations(a, 2):
                    yield from pairs("called", v, [x], [y], "spoke_by_phone", sent)
                continue
            if not a and not b:
                yield from together("called", v, v, [], "spoke_by_phone", sent, ctx)
                continue  # "the two men spoke by phone"
            yield from pairs("called", v, a, b, "spoke_by_phone", sent)


_CALL_WORDS = _PHONE | frozenset({"call", "phone", "ring"})


def _call_nearby(v: Token, sent: Span, ctx: Context) -> bool:
    """A phone call spoken of in the sentence or the one either side, and nothing in the
    sentence that puts the two in one place ("spoke to B at the summit", "in Paris")."""
    for c in v.children:
        if c.dep_ != "prep" or c.lower_ not in _IN_PERSON:
            continue
        if c.lower_ == "on" and not any(g.lemma_.lower() in _SIDELINES for g in c.children):
            continue  # "on Tuesday"
        if not any(g.ent_type_ in ("DATE", "TIME") for g in c.subtree):
            return False
    doc = ctx.doc
    near = [sent]
    if sent.start > 0:
        near.append(doc[sent.start - 1].sent)
    if sent.end < len(doc):
        near.append(doc[sent.end].sent)
    return any(
        t.lemma_.lower() in _CALL_WORDS and t.pos_ in ("NOUN", "VERB") and t.i != v.i
        and not (t.lemma_ == "call" and any(c.lower_ in ("for", "on") for c in t.children))
        for s in near
        for t in span_tokens(s)
    )  # fmt: skip


# Prepositions that put a conversation somewhere ("at the summit", "in Paris", "during",
# "on the sidelines"), unless what follows is a date or a time
_IN_PERSON = frozenset({"at", "in", "during", "on", "over", "inside"})
_SIDELINES = frozenset({"sideline", "sidelines", "margins", "margin", "fringe", "fringes"})


def _by_phone(v: Token, sent: Span, ctx: Context) -> Iterator[Candidate]:
    """ "A congratulated (thanked, told) B by phone", "A and B discussed it on the phone":
    the phrase on the verb itself, and people on both ends."""
    # (the parser may hang the phrase on the object: "exchanged views on the phone",
    # "congratulated Iran's president-elect, X by phone")
    objects = [c for c in v.children if c.dep_ == "dobj"]
    heads = [v, *objects, *(a for o in objects for a in o.children if a.dep_ == "appos")]
    on_phone = any(
        c.dep_ in ("prep", "agent")
        and c.lower_ in ("by", "on", "over", "via")
        and any(g.dep_ == "pobj" and g.lemma_.lower() in _PHONE for g in c.children)
        for h in heads
        for c in h.children
    )
    if not on_phone:
        return
    a = [m for m in subjects(v, ctx) if m.kind == "person"]
    objs = [m for c in v.children if c.dep_ in ("dobj", "dative") for m in args(c, ctx)]
    b = [m for m in [*objs, *after((v,), ("with", "to"), ctx)] if m.kind == "person"]
    if not b and len(a) > 1:
        for x, y in combinations(a, 2):
            yield from pairs("called", v, [x], [y], "by_phone", sent)
        return
    yield from pairs("called", v, a, b, "by_phone", sent)
