"""Meetings and talks read from the dependency parse of a clause (calls are
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
    all_args,
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

_MEETING_NOUNS = vocab().cues["meeting_nouns"]
_PHONE = vocab().cues["phone_words"]


_HOLD_VERBS = vocab().cues["hold_verbs"]
_MEALS = frozenset({"lunch", "dinner", "supper", "breakfast"})


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


_ALONG = ("alongside", "beside")


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
