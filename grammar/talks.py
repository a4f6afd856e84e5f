"""Talks and meetings named by a noun: "A held talks with B", "a meeting between A, B and C",
"his talks with B", "A is in talks with B", "Russia WTO talks"; "telephone talks" are a call.

An extractor module beside :mod:`deniable.grammar.clause_events` (the verbs of meeting); a
meeting still ahead ("planned talks", "next week") is read as none, a veto for the older reader.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from itertools import combinations
from typing import TYPE_CHECKING

from deniable.grammar.candidate import Candidate, Context
from deniable.grammar.clause_args import (
    after,
    all_args,
    args,
    pairs,
    subjects,
    together,
)
from deniable.grammar.nlp import span_tokens
from deniable.grammar.vocab import vocab

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

    from deniable.grammar.names import Mention

_MEETING_NOUNS = vocab().cues["meeting_nouns"]
_PHONE = vocab().cues["phone_words"]
_HOLD_VERBS = vocab().cues["hold_verbs"]
_MEALS = frozenset({"lunch", "dinner", "supper", "breakfast"})


def held_talks(sent: Span, ctx: Context) -> Iterator[Candidate]:
    """ "A held talks with B", "A began talks with B", "a meeting between A, B and C"."""
    for n in span_tokens(sent):
        if n.lemma_.lower() not in _MEETING_NOUNS and n.lower_ not in _MEETING_NOUNS:
            continue
        if n.pos_ not in ("NOUN", "PROPN"):
            if any(c.dep_ == "compound" for c in n.children) and (pred := _medium(n)):
                # a headline's "A B talks 'make progress'": quotes lead the parser to take
                # the noun for a verb, but a verb has no compounds
                yield from _named_talks(pred, n, sent, ctx)
            continue
        pred = _medium(n)
        if pred is None:
            continue
        between = after((n,), ("between",), ctx, every=True)
        v = n.head
        held = _counted(n) or n  # "held a series of meetings with B": the series is held
        if n.dep_ == "conj" and n.head.pos_ == "ADJ" and n.head.dep_ == "dobj":
            # 'held "candid" and "constructive" talks': quotes lead the parser to take the
            # first adjective for the object and the noun for its conjunct
            held = n.head
        if held is not n:
            v = held.head
        if held.dep_ == "dobj" and v.lemma_ in _HOLD_VERBS:
            withs = after((n, held, v), ("with",), ctx)
            holders = subjects(v, ctx)
            if not withs and not between:
                # "A and B held talks", "the two leaders held a summit"; a meal only
                # "together" (three people who "had lunch" need not have eaten as one)
                meal = n.lemma_.lower() in _MEALS
                # ("A, B and C attended the meeting": someone's meeting, named before, which
                # they sat in on; whether they met one another the sentence does not say)
                sat_in = v.lemma_ == "attend" and any(
                    d.dep_ == "det" and d.lower_ in ("the", "this", "that") for d in n.children
                )
                found = together(pred, n, v, holders, "held_talks_together", sent, ctx)
                if sat_in:
                    yield from (replace(c, rejected=True) for c in found)
                elif not meal or any(c.lower_ == "together" for c in (*v.children, *n.children)):
                    yield from found
            else:
                yield from pairs(pred, n, holders, withs, "held_talks", sent)
        for r in n.children:
            if r.dep_ == "relcl" and r.lemma_ in _HOLD_VERBS and not _has_object(r):
                # "the meetings he held with B": the noun is what was held
                yield from pairs(
                    pred, n, subjects(r, ctx), after((r,), ("with",), ctx), "held_talks", sent
                )
        # (one still to come is read as none, a veto for any less careful reading)
        ahead = _ahead(n)
        if len(between) > 1:
            for x, y in combinations(between, 2):
                found = pairs(pred, n, [x], [y], "meeting_between", sent)
                yield from (replace(c, rejected=True) for c in found) if ahead else found
        # "the meeting involved A, Randox and B", "… took place in April and involved A and
        # B": the people who took part
        involving = [
            w
            for w in (n.head, *n.head.conjuncts)
            if w.lemma_ in ("involve", "include")
            and (w is n.head or not any(c.dep_ in ("nsubj", "nsubjpass") for c in w.children))
        ]
        if n.dep_ == "nsubj" and involving and not ahead:
            took_part = [
                m
                for w in involving
                for c in w.children
                if c.dep_ == "dobj"
                for m in all_args(c, ctx)
                if m.kind == "person"
            ]
            for x, y in combinations(took_part, 2):
                yield from pairs(pred, n, [x], [y], "meeting_involved", sent)
        paired = _paired_names(n, ctx)
        if len(paired) == 2:
            # "the Trump-Putin summit", "the US-China talks": the two who held it
            found = pairs(pred, n, paired[:1], paired[1:], "named_pair", sent)
            yield from (replace(c, rejected=True) for c in found) if ahead else found
        after_talks = n.head.lower_ in ("after", "following") and n.lemma_ != "discussion"
        if n.dep_ == "pobj" and (
            (n.head.lower_ in ("in", "during", "at") and n.lemma_ == "meeting") or after_talks
        ):
            # "A, in a meeting with B, said", "A and B in a meeting in Ankara discussed";
            # "speaking after talks with B, A said"
            holder = n.head.head
            if holder.dep_ == "advcl" and holder.tag_ == "VBG" and holder.head.pos_ == "VERB":
                holder = holder.head  # "speaking after …, A said": the main clause's subject
            if holder.pos_ in ("VERB", "AUX") and not _ahead(n):
                a = subjects(holder, ctx)
                withs = after((n,), ("with",), ctx)
                if withs:
                    yield from pairs(pred, n, a, withs, "in_a_meeting", sent)
                elif len(a) == 2 and n.head.lower_ == "in":
                    yield from pairs(pred, n, a[:1], a[1:], "in_a_meeting", sent)
        if n.dep_ == "dobj" and n.head.lower_ == "following" and n.head.dep_ in ("acl", "advcl"):
            # "at a news conference following talks with B, A said": the parser makes
            # "following" a verb; the talks are the main clause's subject's
            holder = n.head.head
            while holder.pos_ not in ("VERB", "AUX") and holder.head.i != holder.i:
                holder = holder.head
            withs = after((n,), ("with",), ctx)
            if holder.pos_ in ("VERB", "AUX") and withs and not _ahead(n):
                yield from pairs(pred, n, subjects(holder, ctx), withs, "in_a_meeting", sent)
        if n.dep_ == "pobj" and n.head.lower_ == "in" and n.lemma_ != "meeting":
            # "A is in talks with B"; a headline's "A and B in talks"
            holder = n.head.head
            a = subjects(holder, ctx) if holder.pos_ in ("VERB", "AUX") else args(holder, ctx)
            withs = after((n,), ("with",), ctx)
            if withs:
                yield from pairs(pred, n, a, withs, "in_talks", sent)
            elif len(a) > 1:
                for x, y in combinations(a, 2):
                    yield from pairs(pred, n, [x], [y], "in_talks", sent)
        owner = [m for c in n.children if c.dep_ == "poss" for m in args(c, ctx)]
        if owner:
            # "his talks with B", "A's meeting with B"; still ahead, it is no meeting, and
            # says so to the older reader too
            withs = after((n,), ("with",), ctx)
            ahead = _ahead(n)
            for cand in pairs(pred, n, owner, withs, "talks_of", sent):
                yield replace(cand, rejected=True) if ahead else cand
        yield from _named_talks(pred, n, sent, ctx)


def _named_talks(pred: str, n: Token, sent: Span, ctx: Context) -> Iterator[Candidate]:
    """ "Russia WTO talks": the parties to the talks modify the noun."""
    mods = [c for c in n.children if c.dep_ in ("compound", "nmod")]
    # ("Russia WTO talks" may hang "Russia" on "WTO")
    mods += [g for c in mods for g in c.children if g.dep_ == "compound" and g.i < c.i]
    named = list({m.name: m for c in mods for m in args(c, ctx)}.values())
    if len(named) < 2 or n.lemma_ == "meeting":
        return
    ahead = _ahead(n)  # "A B talks planned for May" are not held yet
    for x, y in combinations(named, 2):
        for cand in pairs(pred, n, [x], [y], "named_talks", sent):
            yield replace(cand, rejected=True) if ahead else cand


_COUNTS = frozenset({"series", "number", "round", "couple", "string", "handful", "dozen"})


def _counted(n: Token) -> Token | None:
    """ "a series of meetings", "a number of talks": the counting noun the meetings hang
    on, when it is what a verb holds."""
    prep = n.head
    if n.dep_ != "pobj" or prep.lower_ != "of" or prep.head.lemma_.lower() not in _COUNTS:
        return None
    return prep.head if prep.head.dep_ == "dobj" else None


_AHEAD = vocab().cues["ahead"]
_PROSPECTS = vocab().cues["prospects"]
_REMOTE = vocab().cues["remote_words"]


def _medium(n: Token) -> str | None:
    """ "telephone talks" are a call; "video talks" neither a call nor a meeting."""
    mods = {c.lower_ for c in n.children if c.dep_ in ("compound", "amod", "nmod")}
    if mods & _PHONE:
        return "called"
    if mods & _REMOTE:
        return None
    return "met"


def _has_object(v: Token) -> bool:
    return any(c.dep_ in ("dobj", "attr") for c in v.children)


def _paired_names(n: Token, ctx: Context) -> list[Mention]:
    """Two names of one kind joined by a hyphen before the noun ("the A-B summit")."""
    named: list[Mention] = []
    for c in n.children:
        if c.dep_ != "compound":
            continue
        for g in c.subtree:
            m = ctx.names.at(g.i)
            if m is not None and m not in named:
                named.append(m)
    if len(named) != 2 or named[0].kind != named[1].kind:
        return []
    x, y = named
    joined = y.start == x.end + 1 and ctx.doc[x.end].text in ("-", "–")
    if not joined or x.kind not in ("person", "gov") or x.name == y.name:
        return []
    return named


def _ahead(n: Token) -> bool:
    """ "his planned talks with B", "her meeting with B next week", "the prospect of
    talks between A and B": not held yet."""
    if n.dep_ == "pobj" and n.head.lower_ == "of" and n.head.head.lemma_.lower() in _PROSPECTS:
        return True
    near = [*n.subtree]
    if n.dep_ in ("nsubj", "nsubjpass", "dobj"):
        # "... next week was confirmed": the time may hang on the verb
        near += [t for c in n.head.children if c.dep_ in ("npadvmod", "advmod") for t in c.subtree]
    return any(t.lower_ in _AHEAD or t.lemma_.lower() in _AHEAD for t in near)
