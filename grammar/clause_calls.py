"""Calls read from the dependency parse of a clause: "A phoned B", "A took a call from B",
"A and B spoke by phone", "A's calls with B", messages exchanged.

An extractor module beside :mod:`deniable.grammar.clause_events` (meetings, talks, visits).
Whether a candidate was asserted, reported, attempted or denied is decided in
:mod:`deniable.grammar.stance`; "called it a farce" or "called for" is read here as no call,
a veto for any less careful reading of the same words.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from itertools import combinations
from typing import TYPE_CHECKING

from deniable.grammar.candidate import Candidate, Context
from deniable.grammar.clause_args import after, args, pairs, subjects, together
from deniable.grammar.nlp import span_tokens
from deniable.grammar.vocab import vocab, word_forms

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

    from deniable.grammar.names import Mention

_PHONE = vocab().cues["phone_words"]
_CALL_VERBS = vocab().cues["call_verbs"]
_REMOTE = vocab().cues["remote_words"]


def called_verb(sent: Span, ctx: Context) -> Iterator[Candidate]:
    """ "A phoned B", "A called and texted B"; never "called for", "called on", "called it"."""
    for v in span_tokens(sent):
        if v.pos_ != "VERB" or not word_forms(v) & _CALL_VERBS:
            continue
        b = [m for c in v.children if c.dep_ == "dobj" or _callee(c, ctx) for m in args(c, ctx)]
        if not b:
            # "'phoned B 50 times'", "called the businessman B 31 times": the parser may take
            # the callee for an adverb, right after the verb or after the noun that says
            # who B is
            kinds = {c.i for c in v.children if c.dep_ == "dobj" and ctx.names.at(c.i) is None}
            b = [
                m
                for c in v.children
                if c.dep_ == "npadvmod" and (c.i == v.i + 1 or c.left_edge.i - 1 in kinds)
                for m in args(c, ctx)
                if m.kind == "person"
            ]
        if not b and not any(c.dep_ == "dobj" for c in v.children):
            # "called and texted B" (a conjunct that is itself a call; "left the office and
            # called ministers 'soft'" gives the office no call)
            for c in v.conjuncts:
                if word_forms(c) & _CALL_VERBS:
                    b += [m for g in c.children if g.dep_ == "dobj" for m in args(g, ctx)]
        found = pairs("called", v, subjects(v, ctx), b, "called_verb", sent)
        if _not_a_call(v, ctx):
            # a veto, so that no less careful reading of the same words takes it for a call
            yield from (replace(c, pattern="called_not_a_call", rejected=True) for c in found)
        else:
            yield from found


_IN_CONTACT = frozenset({"be", "remain", "stay", "keep", "get", "come"})
_MESSAGES = frozenset({"message", "text", "call", "phone call", "sms", "whatsapp", "whatsapps"})
_COUNT_PREPS = frozenset({"over", "around", "about", "nearly", "almost", "some"})


def messages_exchanged(sent: Span, ctx: Context) -> Iterator[Candidate]:
    """ "A and B exchanged text messages", "A exchanged calls with B"; "A was on the phone
    with B", "A was in contact with B"."""
    for v in span_tokens(sent):
        if v.pos_ == "VERB" and v.lemma_ == "exchange":
            objs = [c for c in v.children if c.dep_ == "dobj" and _messages(c)]
            # ("exchanged over 900 messages": the parser can take the count's "over" for a
            # preposition)
            objs += [
                g
                for c in v.children
                if c.dep_ == "prep" and c.lower_ in _COUNT_PREPS
                for g in c.children
                if g.dep_ == "pobj" and _messages(g) and any(n.dep_ == "nummod" for n in g.children)
            ]
            if not objs:
                continue
            withs = after((v, *objs), ("with",), ctx)
            held = subjects(v, ctx)
            if withs:
                yield from pairs("called", v, held, withs, "messages_exchanged", sent)
            else:
                yield from together("called", v, v, held, "messages_exchanged", sent, ctx)
        elif (v.lower_ in _PHONE and v.dep_ == "pobj" and v.head.lower_ == "on") or (
            # "A had been in (regular) contact with B", as the annotation takes it
            v.lower_ in ("contact", "touch") and v.dep_ == "pobj" and v.head.lower_ == "in"
        ):
            holder = v.head.head
            if holder.pos_ not in ("VERB", "AUX"):
                continue
            if v.lower_ != "phone" and (
                holder.lemma_ not in _IN_CONTACT or any(c.dep_ == "dobj" for c in holder.children)
            ):
                continue  # "A put B in touch with C": B and C are, not A
            withs = after((v, holder), ("with", "to"), ctx)
            pattern = "on_the_phone" if v.lower_ in _PHONE else "in_contact"
            yield from pairs("called", v, subjects(holder, ctx), withs, pattern, sent)


def messages_sent(sent: Span, ctx: Context) -> Iterator[Candidate]:
    """ "A sent (two) text messages to B", "A sent B a text", "the texts sent to B by A",
    "texts from A to B"; "A reached out by telephone to B"."""
    # the message nouns, and the counts they hang on ("dozens of messages"); one pass over
    # the sentence for these and the verbs "reach out"
    nouns, reached = [], []
    for t in span_tokens(sent):
        low = t.lemma_.lower()
        if low in _MESSAGES or low in ("reply", "response"):
            nouns.append(t)
        elif low == "reach":
            reached.append(t)
    yield from _calls_between(nouns, sent, ctx)
    nouns += [t.head.head for t in nouns if t.dep_ == "pobj" and t.head.lower_ == "of"]
    for n in dict.fromkeys(nouns):
        if n.pos_ not in ("NOUN", "PROPN") or not _messages(n) or not _written(n):
            continue
        v = n.head
        if n.dep_ in ("dobj", "conj") and v.lemma_ == "send" and v.pos_ == "VERB":
            # "sent two messages to B": to B on the verb or on the messages
            to = _recipients((v, n), ctx)
            # ("sent B a text": the parser's dative is the recipient itself)
            to += [m for c in v.children if c.dep_ == "dative" and c.lower_ != "to"
                   for m in args(c, ctx)]  # fmt: skip
            # (or a second object before the message: "sent Mr B a text reply")
            to += [m for c in v.children if c.dep_ == "dobj" and c.i < n.i
                   for m in args(c, ctx) if m.kind == "person"]  # fmt: skip
            yield from pairs(
                "called", n, _persons(subjects(v, ctx)), _persons(to), "messages_sent", sent
            )
            continue
        for c in n.children:
            if c.dep_ == "acl" and c.lemma_ == "send" and c.tag_ == "VBN":
                # "the texts sent to B by A"
                to = _recipients((c,), ctx)
                by = after((c,), ("by",), ctx)
                by += [m for g in c.children if g.dep_ == "agent" for p in g.children
                       if p.dep_ == "pobj" for m in args(p, ctx)]  # fmt: skip
                yield from pairs("called", n, _persons(by), _persons(to), "messages_sent", sent)
        # "two texts from A to B" (written with no verb)
        froms = after((n,), ("from",), ctx)
        tos = _recipients((n,), ctx)
        if froms and tos:
            yield from pairs("called", n, _persons(froms), _persons(tos), "messages_from_to", sent)
    for v in reached:
        if any(c.dep_ == "prt" and c.lower_ == "out" for c in v.children):
            # "A reached out (informally) by telephone to B"
            by_phone = any(
                g.lemma_ in _PHONE for c in v.children if c.lower_ == "by" for g in c.children
            )
            if by_phone:
                to = after((v,), ("to",), ctx)
                yield from pairs("called", v, subjects(v, ctx), to, "reached_by_phone", sent)


def _written(n: Token) -> bool:
    """Messages one types or calls one makes, not a political signal: "texts", "WhatsApp
    messages", "two messages", not "a clear message to Moscow"."""
    low = n.lemma_.lower()
    if low != "message":
        return low != "call" or n.tag_ == "NNS"
    if any(c.dep_ == "compound" and c.lower_ in _MEDIA for c in n.children):
        return True
    return n.tag_ == "NNS" and not any(c.dep_ == "amod" for c in n.children)


_MEDIA = frozenset({"text", "whatsapp", "voice", "sms", "signal", "telegram", "phone"})
_HANDSETS = frozenset({"phone", "mobile", "cellphone", "handset", "number"})


def _persons(found: list[Mention]) -> list[Mention]:
    return [m for m in found if m.kind == "person"]


def _recipients(heads: tuple[Token, ...], ctx: Context) -> list[Mention]:
    """Whom messages went to: "to B" (a preposition or, for the parser, a dative), "to B's
    personal phone"."""
    out: list[Mention] = []
    for h in heads:
        for c in h.children:
            if c.dep_ not in ("prep", "dative") or c.lower_ != "to":
                continue
            for g in c.children:
                if g.dep_ != "pobj":
                    continue
                if g.lemma_.lower() in _HANDSETS:
                    out += [m for o in g.children if o.dep_ == "poss" for m in args(o, ctx)]
                else:
                    out += args(g, ctx)
    return out


def _calls_between(nouns: list[Token], sent: Span, ctx: Context) -> Iterator[Candidate]:
    """ "a (phone) call between A and B", "the call between A, B and C"."""
    for n in nouns:
        if n.lemma_ != "call" or n.pos_ != "NOUN":
            continue
        # (a video call is no phone call: a veto, so that no less careful reading takes it)
        remote = any(c.lower_ in _REMOTE for c in n.lefts)
        if remote:
            # (whatever the tagger made of the names: every one inside "between …")
            between = [
                m
                for p in n.children
                if p.dep_ == "prep" and p.lower_ == "between"
                for m in ctx.mentions_in(p.subtree)
            ]
        else:
            between = after((n,), ("between",), ctx, every=True)
            between = [m for m in between if m.kind == "person"]
        for x, y in combinations(between, 2):
            for c in pairs("called", n, [x], [y], "call_between", sent):
                yield replace(c, rejected=True) if remote else c


def _messages(c: Token) -> bool:
    """ "text messages", "dozens of messages", "calls", "a text reply"."""
    if c.lemma_.lower() in _MESSAGES:
        return True
    if c.lemma_.lower() in ("reply", "response") and any(
        g.dep_ == "compound" and g.lemma_.lower() in _MESSAGES for g in c.children
    ):
        return True
    return any(
        p.dep_ == "prep" and p.lower_ == "of" and g.lemma_.lower() in _MESSAGES
        for p in c.children
        for g in p.children
        if g.dep_ == "pobj"
    )


def _not_a_call(v: Token, ctx: Context) -> bool:
    """ "called it a farce", "called him to testify", "called Bell the worst minister",
    "called for", "called on X to", "was called"."""
    deps = {c.dep_ for c in v.children if not _call_purpose(c) and not _callee(c, ctx)}
    # ("called him to testify" summons; "phoned him to protest" is a call with a purpose)
    clauses = {"xcomp", "ccomp"} if v.lemma_ in ("call", "ring") else set()
    if deps & ({"oprd", "attr", "acomp"} | clauses):
        return True
    nominal = [
        c
        for c in v.rights
        if c.dep_ in ("dobj", "npadvmod", "dative", "appos")
        and c.lower_ not in _TIME_NOUNS
        and c.lemma_.lower() != "time"  # "called B 14 times": how often, not a name for B
        # ("called B in 2021, his third call to a leader": what the call was, after a comma)
        and not (c.lemma_.lower() in _MESSAGES and _after_comma(c))
    ]
    # ("called the businessman B": the noun that says who B is and B are one callee)
    nominal = [c for c in nominal if not _described_callee(c, nominal, ctx)]
    if v.lemma_ == "call" and (
        len(nominal) > 1
        or any(
            c.dep_ == "dobj"
            and any(g.dep_ in ("appos", "acl") and not _named_aside(g, ctx) for g in c.children)
            for c in nominal
        )
    ):
        return True  # naming, not phoning
    if v.lemma_ in ("call", "ring") and any(_not_a_phone_call(c) for c in v.children):
        return True
    return v.lemma_ in ("call", "ring") and v.tag_ == "VBN" and "auxpass" in deps


def _described_callee(c: Token, nominal: list[Token], ctx: Context) -> bool:
    """``c`` is a person named right after a common noun that is the verb's object ("the
    businessman" + "B"), which the parser split in two."""
    m = ctx.mention(c)
    before = c.left_edge.i - 1
    return (
        c.dep_ == "npadvmod"
        and m is not None
        and m.kind == "person"
        and any(n.i == before and n.dep_ == "dobj" and ctx.names.at(n.i) is None for n in nominal)
    )


def _after_comma(c: Token) -> bool:
    """The phrase of ``c`` is set off by a comma before it."""
    first = c.left_edge
    return first.text == "," or (first.i > 0 and c.doc[first.i - 1].text == ",")


def _named_aside(g: Token, ctx: Context) -> bool:
    """ "called his counterpart, B,": the apposition set off by commas names the callee."""
    m = ctx.mention(g)
    return (
        g.dep_ == "appos"
        and m is not None
        and m.kind == "person"
        and ctx.doc[g.left_edge.i - 1].text == ","
    )


_TAKE_CALL = frozenset({"take", "receive", "get", "return", "answer"})
_TOLD = frozenset({"tell", "assure", "warn", "inform", "urge", "ask", "promise"})


def call_from(sent: Span, ctx: Context) -> Iterator[Candidate]:
    """ "A took/received a call from B"; "A returned B's call"; "In (during) a phone call
    with B, A said …"."""
    for n in span_tokens(sent):
        if n.lemma_ != "call" or n.pos_ != "NOUN":
            continue
        v = n.head
        owner = [c for c in n.children if c.dep_ == "poss"]
        if owner and n.dep_ == "dobj" and v.lemma_ == "return":
            # "A returned B's call": B called first, and A called back
            back = [m for c in owner for m in args(c, ctx)]
            yield from pairs("called", n, subjects(v, ctx), back, "call_returned", sent)
        if owner:
            continue
        if n.dep_ == "dobj" and v.lemma_ in _TAKE_CALL:
            caller = after((n, v), ("from",), ctx)
            yield from pairs("called", n, caller, subjects(v, ctx), "call_from", sent)
        elif (
            n.dep_ == "pobj"
            and v.lower_ in ("in", "during")
            and v.head.pos_ in ("VERB", "AUX")
            and not any(c.lower_ in _REMOTE for c in n.lefts)  # a video call is no phone call
        ):
            withs = after((n,), ("with", "between"), ctx)
            told = v.head
            if (
                not withs
                and told.lemma_ in _TOLD
                and not any(
                    c.dep_ == "prep" and c.lower_ in ("for", "to", "with") for c in n.children
                )
            ):
                # "In a call on Monday, A told B that …": B is who A spoke to
                withs = [
                    m
                    for c in told.children
                    if c.dep_ in ("dobj", "dative")
                    for m in args(c, ctx)
                    if m.kind == "person"
                ]
            yield from pairs("called", n, subjects(v.head, ctx), withs, "in_a_call_with", sent)


_CALL_PURPOSES = vocab().cues["call_purposes"]
_TIME_NOUNS = vocab().cues["time_nouns"]


def _callee(c: Token, ctx: Context) -> bool:
    """ "called B this morning": the parser's predicate of a naming ("called him B") is the
    callee when the verb has no object and it names a person."""
    if c.dep_ != "oprd" or any(g.dep_ == "dobj" for g in c.head.children):
        return False
    m = ctx.mention(c)
    if m is None and c.pos_ == "NOUN":
        # "called her counterpart, B,": the post, and the name set off beside it
        return any(_named_aside(g, ctx) for g in c.children)
    return m is not None and m.kind == "person"


def _call_purpose(c: Token) -> bool:
    """ "called B to congratulate him": why one rings, after the callee ("called B to
    testify" summons; "called to say" with no callee stays out)."""
    return (
        c.dep_ in ("xcomp", "advcl")
        and c.lemma_ in _CALL_PURPOSES
        and any(g.dep_ == "aux" and g.lower_ == "to" for g in c.children)
        and any(g.dep_ == "dobj" and g.i < c.i for g in c.head.children)
    )


def _not_a_phone_call(c: Token) -> bool:
    """ "called for", "called on X to", "called off", "called out"; "on Monday" is a date."""
    if c.dep_ not in ("prep", "prt") or c.lower_ not in ("for", "on", "off", "up", "out"):
        return False
    if c.lower_ == "on":
        obj = next((g for g in c.children if g.dep_ == "pobj"), None)
        return obj is None or obj.ent_type_ not in ("DATE", "TIME")
    return True


def their_call(sent: Span, ctx: Context) -> Iterator[Candidate]:
    """ "A and B discussed it during (in) their phone call / a telephone conversation", "A
    discussed it with B in a phone call"."""
    for n in span_tokens(sent):
        if n.pos_ != "NOUN" or n.lemma_ not in ("call", "conversation") or n.dep_ != "pobj":
            continue
        phone = any(c.lower_ in _PHONE for c in n.lefts)
        if not phone and n.lemma_ == "conversation":
            continue
        if not phone and not any(c.dep_ == "poss" and c.lower_ == "their" for c in n.children):
            continue  # "in a telephone conversation" will do; a bare "in a call" will not
        prep = n.head
        verb = prep.head
        if verb.pos_ == "NOUN" and verb.dep_ == "dobj":
            verb = verb.head  # "discussed a meeting during their call"
        if prep.lower_ not in ("during", "in", "on", "after", "following"):
            continue
        if verb.pos_ not in ("VERB", "AUX"):
            continue
        held = subjects(verb, ctx)
        withs = after((verb, n), ("with",), ctx)
        if not withs and phone:
            # "A told B in a phone call", "in a phone call, A urged B to resign"
            withs = [
                m
                for c in verb.children
                if c.dep_ in ("dobj", "dative")
                for m in args(c, ctx)
                if m.kind == "person"
            ]
        if withs:
            yield from pairs("called", n, held, withs, "their_call", sent)
        elif len(held) > 1:
            for x, y in combinations(held, 2):
                yield from pairs("called", n, [x], [y], "their_call", sent)


def calls_made(sent: Span, ctx: Context) -> Iterator[Candidate]:
    """ "A made 99 calls to B", "A had 40 phone conversations with B", "A's calls with B"."""
    for n in span_tokens(sent):
        owner = [m for c in n.children if c.dep_ == "poss" for m in args(c, ctx)]
        if n.lemma_ == "call" and n.pos_ == "NOUN" and owner:
            to = after((n,), ("to", "with"), ctx)
            yield from pairs("called", n, owner, to, "calls_of", sent)
            continue
        if n.lemma_ not in ("call", "conversation") or n.pos_ != "NOUN" or n.dep_ != "dobj":
            continue
        if n.lemma_ == "conversation" and not any(c.lower_ in _PHONE for c in n.lefts):
            continue
        v = n.head
        if v.lemma_ not in ("make", "have", "hold", "place", "conduct"):
            continue
        to = after((n, v), ("to", "with"), ctx)
        if not to and not after((n,), ("between",), ctx):
            # "A and B had a phone call"
            yield from together("called", n, v, subjects(v, ctx), "calls_together", sent, ctx)
            continue
        count = next(
            (int(c.text) for c in n.children if c.dep_ == "nummod" and c.text.isdigit()), None
        )
        for cand in pairs("called", v, subjects(v, ctx), to, "calls_made", sent):
            yield replace(cand, count=count) if count is not None else cand
