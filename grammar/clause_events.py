"""Meetings read from the verbs of a clause: "A met B", "A dined with B", "A called on B"
(talks named by a noun are :mod:`deniable.grammar.talks`, calls
:mod:`deniable.grammar.clause_calls`, visits :mod:`deniable.grammar.visits`).

Each function is an extractor: from one sentence and the read-only document context it yields
the candidates its clause shape gives.  Whether a candidate was asserted, reported, planned or
denied is not decided here but in :mod:`deniable.grammar.stance`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from itertools import combinations
from typing import TYPE_CHECKING

from deniable.grammar.candidate import Candidate, Context
from deniable.grammar.clause_args import (
    after,
    agent_mentions,
    args,
    objects,
    pairs,
    subjects,
    the_two,
    together,
)
from deniable.grammar.nlp import span_tokens
from deniable.grammar.vocab import vocab

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

    from deniable.grammar.names import Mention

_MEALS = frozenset({"lunch", "dinner", "supper", "breakfast"})
_ALONG = ("alongside", "beside")


def met_verb(sent: Span, ctx: Context) -> Iterator[Candidate]:
    """ "A met B", "A met with B", "A and B met", "A discussed X with B"."""
    for v in span_tokens(sent):
        if v.pos_ == "VERB" and v.lemma_ in ("shake", "welcome", "receive"):
            yield from _greeted(v, sent, ctx)
            continue
        if v.pos_ == "VERB" and v.lemma_ in ("chat", "talk", "speak") and _at_gathering(v):
            yield from _chatted(v, sent, ctx)
            continue
        if v.lower_ in ("dine", "dined", "dines") and (
            v.pos_ == "VERB" or (v.dep_ == "dobj" and v.head.lemma_ == "do")
        ):
            # "A dined with B": at one table ("A did dine with B": the tagger's noun)
            verb = v if v.pos_ == "VERB" else v.head
            b = after((v,) if verb is v else (v, verb), ("with",), ctx)
            a = subjects(verb, ctx)
            if not b and len(a) > 1 and any(c.lower_ == "together" for c in verb.children):
                # "A, a banker, and B, a lawyer, dined together"
                for x, y in combinations(a, 2):
                    yield from pairs("met", v, [x], [y], "dined_together", sent)
                continue
            yield from pairs("met", v, a, b, "dined_with", sent)
            continue
        if v.pos_ == "VERB" and v.lemma_ == "call":
            yield from _called_on(v, sent, ctx)
            continue
        if v.pos_ != "VERB" or v.lemma_ not in ("meet", "discuss", "sit"):
            continue
        if v.lemma_ == "sit":
            # "A sat down with B"
            if any(c.dep_ == "prt" and c.lower_ == "down" for c in v.children):
                b = after((v,), ("with",), ctx)
                yield from pairs("met", v, subjects(v, ctx), b, "sat_down_with", sent)
            continue
        a = subjects(v, ctx)
        if not a and v.lemma_ == "meet":
            subj = next((c for c in v.children if c.dep_ == "nsubj"), None)
            two = the_two(subj, ctx) if subj is not None else []
            if subj is not None and two and not objects(v, ctx):
                # the evidence is this sentence's words; the names are in the one before
                x, y = two
                yield Candidate(
                    "met", x.name, y.name, v.i, subj.left_edge.i, v.i + 1, "met_the_two"
                )
                continue
        if v.lemma_ == "meet":
            b = objects(v, ctx)
            if v.dep_ == "relcl" and any(
                c.dep_ == "dobj" and c.lower_ in ("whom", "who", "that") for c in v.children
            ):
                b = args(v.head, ctx)  # "A, whom B met twice": A is whom B met
            elif v.dep_ == "relcl" and not b and v.head.dep_ == "conj" and len(a) == 1:
                a = args(v.head.head, ctx)  # "A and B, who met in 2019": both
            for x in (x for x in _whose_people(v, ctx) if x.name not in {y.name for y in b}):
                # "met with X transition officials", "met aides to X": not X
                for c in pairs("met", v, a, [x], "met_their_people", sent):
                    yield replace(c, rejected=True)
            # "A met B alongside C": C came with A; whom A met the sentence says is B
            companions = after((v, *(c for c in v.children if c.dep_ == "dobj")), _ALONG, ctx)
            companions += after(tuple(t for t in v.subtree if t.lower_ == "with"), _ALONG, ctx)
            for c in pairs("met", v, a, companions, "met_alongside", sent):
                yield replace(c, rejected=True)
        else:
            # "discussed X with B": the "with" may hang on the verb or on its object
            b = after((v, *(c for c in v.children if c.dep_ == "dobj")), ("with",), ctx)
        if not b and v.lemma_ == "meet" and len(a) > 1:
            for x, y in combinations(a, 2):
                yield from pairs("met", v, [x], [y], "met_together", sent)
            continue
        if len(a) > 1 and b and (_apart(v) or v.lemma_ == "meet"):
            # "A and B met (separately) with C": each met C; that they met each other the
            # sentence does not say
            for x, y in combinations(a, 2):
                for c in pairs("met", v, [x], [y], "met_separately", sent):
                    yield replace(c, rejected=True)
        yield from pairs("met", v, a, b, f"{v.lemma_}_verb", sent)


def _called_on(v: Token, sent: Span, ctx: Context) -> Iterator[Candidate]:
    """ "A called on Prime Minister B and briefed him": a courtesy call paid in person; not
    "called on B to resign", an appeal."""
    if any(c.dep_ in ("xcomp", "ccomp", "dobj") for c in v.children):
        return
    if any(c.dep_ == "prep" and c.lower_ == "for" for c in v.children):
        return
    hosts = [
        m
        for c in v.children
        if c.dep_ == "prep" and c.lower_ == "on"
        for g in c.children
        if g.dep_ == "pobj" and not any(t.lower_ == "to" for t in g.subtree)
        for m in args(g, ctx)
        if m.kind == "person"
    ]
    nxt = ctx.doc[v.right_edge.i + 1] if v.right_edge.i + 1 < len(ctx.doc) else None
    if hosts and not (nxt is not None and nxt.lower_ == "to"):
        guests = [m for m in subjects(v, ctx) if m.kind == "person"]
        yield from pairs("met", v, guests, hosts, "called_on", sent)


_SPENT = frozenset({"time", "day", "days", "weekend", "evening", "night", "hours", "week"})


def met_in_person(sent: Span, ctx: Context) -> Iterator[Candidate]:
    """ "A hosted B", "A was introduced to B", "A spent the weekend with B", "A paid a visit
    to B", "A and B were seen together": people together in person."""
    for v in span_tokens(sent):
        if v.pos_ != "VERB":
            continue
        lemma = v.lemma_.lower()
        people: list[Mention] = []
        pattern = {"pay": "paid_a_visit", "make": "paid_a_visit"}.get(lemma, f"{lemma}_in_person")
        if lemma == "host":
            people = [
                m for c in v.children if c.dep_ == "dobj" for m in args(c, ctx)
                if m.kind == "person"
            ]  # fmt: skip
            meals = [c for c in v.children if c.dep_ == "dobj" and c.lemma_.lower() in _MEALS]
            # "A hosted a dinner for B": the guest of honour was there
            people += [m for m in after(tuple(meals), ("for",), ctx) if m.kind == "person"]
        elif lemma in ("greet", "hug", "embrace") and not any(
            c.dep_ == "auxpass" for c in v.children
        ):
            # "A greeted B at the airport": face to face (an embraced plan has no one)
            people = [
                m for c in v.children if c.dep_ == "dobj" for m in args(c, ctx)
                if m.kind == "person"
            ]  # fmt: skip
        elif lemma == "visit" and any(c.dep_ == "auxpass" for c in v.children):
            # "B was visited by A at his home": the visitor and the visited, in person
            people = [m for m in agent_mentions(v, ctx) if m.kind == "person"]
            if people:
                guests = [m for m in subjects(v, ctx) if m.kind == "person"]
                yield from pairs("met", v, people, guests, "visited_in_person", sent)
            continue
        elif lemma == "introduce" and any(c.dep_ == "auxpass" for c in v.children):
            people = [m for m in after((v,), ("to",), ctx) if m.kind == "person"]
        elif lemma == "spend" and any(
            c.dep_ in ("dobj", "npadvmod") and c.lower_ in _SPENT for c in v.children
        ):
            people = [m for m in after((v,), ("with",), ctx) if m.kind == "person"]
        elif lemma in ("pay", "make"):
            visits = [c for c in v.children if c.dep_ == "dobj" and c.lemma_.lower() == "visit"]
            people = [m for m in after((v, *visits), ("to",), ctx) if m.kind == "person"]
        elif lemma == "sit" and _at_gathering(v):
            # "A sat next to (beside, with) B at a dinner": at one table, in person
            nexts = tuple(c for c in v.children if c.dep_ == "advmod" and c.lower_ == "next")
            people = [m for m in after(nexts, ("to",), ctx) if m.kind == "person"]
            people += [
                m for m in after((v,), ("beside", "with", "alongside"), ctx) if m.kind == "person"
            ]
            pattern = "sat_beside"
        elif lemma == "see" and any(c.dep_ == "auxpass" for c in v.children):
            if any(c.lower_ == "together" for c in v.children):
                together = [m for m in subjects(v, ctx) if m.kind == "person"]
                for x, y in combinations(together, 2):
                    yield from pairs("met", v, [x], [y], "seen_together", sent)
            continue
        if people:
            yield from pairs("met", v, subjects(v, ctx), people, pattern, sent)


def _at_gathering(v: Token) -> bool:
    """ "chatted at a dinner", "talked during the summit", "spoke on the sidelines of the
    forum", "spoke with B at his office": somewhere people are in person."""
    return any(
        c.dep_ == "prep"
        and c.lower_ in ("at", "during", "over", "on")
        and any(
            g.dep_ == "pobj"
            and (g.lemma_.lower() in _GATHERINGS or (c.lower_ == "at" and g.lower_ in _VENUES))
            for g in c.children
        )
        for c in v.children
    )


def _chatted(v: Token, sent: Span, ctx: Context) -> Iterator[Candidate]:
    """ "A chatted with B at a dinner", "A and B chatted at the summit", "the two men, who
    chatted at a dinner"; "talked" and "spoke" only with someone ("A spoke at a dinner" is
    a speech)."""
    b = after((v,), ("with",), ctx)
    if b:
        yield from pairs("met", v, subjects(v, ctx), b, "chatted_at", sent)
        return
    if v.lemma_ != "chat":
        return
    if v.dep_ == "relcl":
        two = the_two(v.head, ctx)
        if two:
            x, y = two
            yield Candidate("met", x.name, y.name, v.i, v.head.left_edge.i, v.i + 1, "chatted_at")
            return
    yield from together("met", v, v, subjects(v, ctx), "chatted_at", sent, ctx)


_GATHERINGS = vocab().cues["gatherings"]
_VENUES = vocab().cues["venues"]


_PEOPLE_NOUNS = vocab().cues["people_nouns"] | vocab().cues["agent_nouns"]


def _whose_people(v: Token, ctx: Context) -> list[Mention]:
    """Those whose people the verb's object is ("X officials", "aides to X", "X's
    lawyer"), not the people themselves."""
    nouns = [c for c in v.children if c.dep_ == "dobj"]
    nouns += [
        g
        for c in v.children
        if c.dep_ == "prep" and c.lower_ == "with"
        for g in c.children
        if g.dep_ == "pobj"
    ]
    out: list[Mention] = []
    for n in nouns:
        if ctx.names.at(n.i) is not None:
            continue
        if n.lemma_.lower() not in _PEOPLE_NOUNS and n.lower_ not in _PEOPLE_NOUNS:
            continue
        for t in n.subtree:
            m = ctx.names.at(t.i)
            if m is not None and m.kind == "person" and m not in out:
                out.append(m)
    return out


def _apart(v: Token) -> bool:
    return any(c.dep_ == "advmod" and c.lower_ in _APART for c in v.children)


_APART = vocab().cues["apart"]


def _greeted(v: Token, sent: Span, ctx: Context) -> Iterator[Candidate]:
    """ "A and B shook hands", "A shook hands with B"; "A welcomed (received) B at the
    palace": a person greeted somewhere, in person."""
    a = subjects(v, ctx)
    if v.lemma_ == "shake":
        if not any(c.dep_ == "dobj" and c.lower_ == "hands" for c in v.children):
            return
        b = after((v,), ("with",), ctx)
        if not b and len(a) > 1:
            for x, y in combinations(a, 2):
                yield from pairs("met", v, [x], [y], "shook_hands", sent)
            return
        yield from pairs("met", v, a, b, "shook_hands", sent)
        return
    # the place may hang on the verb or on its object ("received B at the Kremlin")
    near = [v, *(c for c in v.children if c.dep_ in ("dobj", "ccomp", "xcomp"))]
    where = any(
        c.dep_ == "prep" and c.lower_ in ("to", "at", "in") for t in near for c in t.children
    )
    if not where or any(c.dep_ in ("auxpass", "nsubjpass") for c in v.children):
        return  # "welcomed the decision", "was received well"
    b = [
        m
        for c in v.children
        # the parser may take a name for a clause ("welcomed Paul Drew to ...")
        if c.dep_ == "dobj" or (c.dep_ in ("ccomp", "xcomp") and c.pos_ == "PROPN")
        for m in args(c, ctx)
        if m.kind == "person" and ctx.doc[m.end - 1].i == c.i
    ]
    yield from pairs("met", v, a, b, f"{v.lemma_}d_in_person", sent)
