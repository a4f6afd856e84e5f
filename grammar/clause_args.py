"""Who a clause is about: the actors of a verb's subject and objects, shared by the extractors.

Subjects through coordination and relative clauses, objects through apposition ("his
counterpart, A"), the actors after a preposition, and the pairs a symmetric event gives.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import combinations
from typing import TYPE_CHECKING

from deniable.grammar.candidate import Candidate, Context
from deniable.grammar.names import Mention
from deniable.grammar.nlp import span_tokens
from deniable.grammar.vocab import vocab

if TYPE_CHECKING:
    from spacy.tokens import Span, Token


_CONTROL = vocab().cues["control_verbs"]


def subjects(v: Token, ctx: Context, speaking: bool = False) -> list[Mention]:
    """Who does ``v``: its subject, a coordinated verb's subject, or a relative clause's noun."""
    subj = [c for c in v.children if c.dep_ in ("nsubj", "nsubjpass")]
    if subj:
        c = subj[0]
        if c.lower_ in ("who", "which", "that") and v.dep_ == "relcl":
            return _relative_head(v, ctx, speaking)
        prev = c.doc[c.left_edge.i - 1] if c.left_edge.i > 0 else None
        apposed = [a for a in c.children if a.dep_ == "appos" and a.i > c.i]
        if prev is not None and prev.tag_ == "VBG" and prev.dep_ in ("pcomp", "advcl") and apposed:
            # "Before meeting B, A flew home": the parser took the participle's object for the
            # subject and the subject for its apposition
            return args(apposed[0], ctx, speaking)
        out = args(c, ctx, speaking)
        if not out and len(subj) > 1 and subj[1].left_edge.i == c.i + 1:
            # "The energy tycoon Viktor Basko has denied": the parser split the description
            # from the name it describes into two subjects
            out = args(subj[1], ctx, speaking)
        for more in subj[1:]:
            # "A and then-President B held …": the parser may give the verb two subjects
            # where it missed the coordination
            if more.i > c.i and _joined(more) and more.doc[more.left_edge.i - 1].lower_ == "and":
                out += [m for m in args(more, ctx, speaking) if m not in out]
        return out
    if v.dep_ == "xcomp" and v.head.pos_ == "VERB" and v.head.lemma_ in _CONTROL:
        told = [c for c in v.head.children if c.dep_ == "dobj" and c.i < v.i]
        if told:
            # "X told (asked, instructed) B to phone C": B is to phone, not X
            return [m for c in told for m in args(c, ctx, speaking) if m.kind == "person"]
    if v.dep_ in ("conj", "xcomp", "advcl") and v.head.pos_ in ("VERB", "AUX"):
        return subjects(v.head, ctx, speaking)
    if (
        v.dep_ == "xcomp"
        and v.head.pos_ == "ADJ"
        and v.head.dep_ == "acomp"
        and v.head.head.pos_ in ("VERB", "AUX")
    ):
        return subjects(v.head.head, ctx, speaking)  # "A was due (keen, set) to meet B"
    before = v.doc[v.i - 1] if v.i > v.sent.start else None
    m = ctx.mention(before) if before is not None else None
    if (
        before is not None
        and m is not None
        and m.kind == "person"
        and before.dep_ == "appos"
        and m.start > v.sent.start
        and v.doc[m.start - 1].text == ","
    ):
        # "Speaking after talks with B, A said": the parser hung the subject on B
        return [m]
    if (
        v.dep_ == "pcomp"
        and v.tag_ == "VBG"
        and v.head.lower_ in ("after", "before", "since", "while", "on")
        and v.head.head.pos_ in ("VERB", "AUX")
    ):
        return subjects(v.head.head, ctx, speaking)  # "after meeting B, A flew home"
    if v.dep_ in ("acl", "relcl"):
        return _relative_head(v, ctx, speaking)
    return []


def _relative_head(v: Token, ctx: Context, speaking: bool) -> list[Mention]:
    """The noun a relative clause hangs on, or the name that noun describes ("A, a lawyer who
    met B, ...")."""
    out = args(v.head, ctx, speaking)
    if not out and v.head.dep_ == "appos" and v.head.pos_ == "NOUN":
        out = [m for m in args(v.head.head, ctx, speaking) if m.kind == "person"]
    return out


_PAIR_NOUNS = vocab().cues["pair_nouns"]


def the_two(t: Token, ctx: Context) -> list[Mention]:
    """ "The two men met", "the two did not connect", "both leaders": the two people named
    just before, when there are exactly two (in the sentence so far, else in the nearest of
    the two sentences before that names anyone)."""
    if t.lower_ == "they" and t.dep_ == "nsubj":
        return _they_two(t, ctx)
    det = {c.lower_ for c in t.children if c.dep_ in ("det", "predet", "nummod")}
    pair = (t.lower_ in ("two", "pair") and "the" in det) or (
        (t.lower_ in _PAIR_NOUNS or t.lemma_.lower() in _PAIR_NOUNS)
        and ("two" in det or "both" in det)
    )
    if not pair:
        return []
    sent = t.sent
    doc = t.doc
    spans = [(sent.start, t.left_edge.i)]
    k = sent.start - 1
    while k >= 0 and len(spans) < 3:
        prev = doc[k].sent
        spans.append((prev.start, prev.end))
        k = prev.start - 1
    speakers = _speakers_of(t)
    for start, end in spans:
        people: list[Mention] = []
        for m in ctx.names.mentions:
            if (
                start <= m.start < end
                and m.kind == "person"
                and m.name not in {p.name for p in people}
                and not _according_to(doc[m.end - 1])
                and m.start not in speakers
            ):
                people.append(m)
        if len(people) >= 2:
            return people if len(people) == 2 else []
        if people:
            return []  # someone else named since: "the two" is no longer plain
    return []


def _speakers_of(t: Token) -> set[int]:
    """The words of whoever says the clause ``t`` is in ("X's spokesman, Y, confirmed that
    the two men had met"): neither is one of the two."""
    out: set[int] = set()
    for a in t.ancestors:
        if a.pos_ == "VERB" and a.lemma_.lower() in _SPEECH:
            for c in a.children:
                if c.dep_ == "nsubj":
                    out.update(g.i for g in c.subtree)
    return out


_SPEECH = vocab().cues["speech"]


def _they_two(t: Token, ctx: Context) -> list[Mention]:
    """ "A and B have known each other for years. They met in 2015": "they" opening the
    next sentence is the pair the sentence before has as its subject, when it names no one
    else."""
    doc = t.doc
    sent = t.sent
    if sent.start == 0 or any(
        sent.start <= m.start < t.i and m.kind == "person" for m in ctx.names.mentions
    ):
        return []
    prev = doc[sent.start - 1].sent
    people = {
        m.name
        for m in ctx.names.mentions
        if prev.start <= m.start < prev.end and m.kind == "person"
    }
    subject = next((c for c in prev.root.children if c.dep_ == "nsubj"), None)
    if subject is None or len(people) != 2:
        return []
    pair = [m for x in (subject, *subject.conjuncts) if (m := ctx.mention(x)) is not None]
    if len(pair) == 2 and {m.name for m in pair} == people:
        return pair
    # "A is in X, where he is to meet B. They last met in May": the two whose contact the
    # sentence before speaks of
    if any(w.lemma_.lower() in _CONTACT_WORDS for w in span_tokens(prev)):
        return sorted(
            {m.name: m for m in ctx.names.mentions if prev.start <= m.start < prev.end
             and m.kind == "person"}.values(),
            key=lambda m: m.start,
        )  # fmt: skip
    return []


_CONTACT_WORDS = frozenset(
    {"meet", "meeting", "talk", "talks", "speak", "call", "phone", "dine", "visit", "summit"}
)


def _according_to(t: Token) -> bool:
    """ "According to B, the two met": who says so is not one of the two."""
    h = t.head
    return t.dep_ == "pobj" and h.lower_ == "to" and h.head.lower_ == "according"


def args(t: Token, ctx: Context, speaking: bool = False) -> list[Mention]:
    """The actors a noun phrase names, through apposition and coordination."""
    out: list[Mention] = []
    heads = [t, *t.conjuncts]
    for x in list(heads):
        for c in x.children:
            if c.dep_ == "appos":  # "his counterpart, A, and the leader, B"
                heads += [g for g in c.conjuncts if g not in heads]
    heads += [g for g in _counted_apposition(t) if g not in heads]
    for x in heads:
        m = ctx.mention(x, speaking)
        if m is None:
            # "the region's senior vice president, A": the parser may stack appositions
            apposed = [c for c in x.children if c.dep_ == "appos"]
            apposed += [g for c in apposed for g in c.children if g.dep_ == "appos"]
            m = next((ctx.mention(c) for c in apposed if ctx.mention(c)), None)
        if m is None and x.lower_ in ctx.vocab.post_vocabulary:
            m = _post_holder(x, ctx)
        if m is None and x.lemma_.lower() == "board":
            m = board_owner(x, ctx)  # "held talks with the X board": X acts through it
        if m is not None and x is not t and not _joined(x):
            continue  # "son of rock star B and C": B names the star, it is no conjunct
        if m is not None and m.kind == "place" and x.dep_ in ("nsubj", "dobj", "pobj"):
            # A capital acting stands for its government ("Warsaw has denied"); any other
            # "place" that acts is an organisation the tagger took for a place.
            gov = ctx.vocab.government(m.name)
            if gov and x.dep_ == "nsubj":
                m = Mention(m.start, m.end, gov, "gov")
            elif not gov:
                m = Mention(m.start, m.end, m.name, "org")
        if m is not None and m.kind == "group" and (listed := _listed(x, ctx)):
            out += [n for n in listed if n not in out]  # "three ministers – A, B and C"
            continue
        if m is not None and m.actor and m not in out:
            out.append(m)
    return out


_DASHES = frozenset({"-", "–", "—", ":"})


def _listed(t: Token, ctx: Context) -> list[Mention]:
    """The people a counted group is listed as after a dash or colon later in the sentence
    ("three Treasury ministers in total about X - himself, A and B"), as many as it counts
    or fewer."""
    count = next((_COUNTS.get(c.lower_) for c in t.children if c.dep_ == "nummod"), None)
    if count is None:
        return []
    sent = t.sent
    dash = next((w for w in span_tokens(sent) if w.i > t.i and w.text in _DASHES), None)
    if dash is None:
        return []
    people = [
        m for m in ctx.mentions_in(sent) if m.start > dash.i and m.kind == "person" and m.name
    ]
    return people if 1 < len(people) <= count else []


_COUNTS = {"two": 2, "three": 3, "four": 4, "five": 5, "2": 2, "3": 3, "4": 4, "5": 5}


def _counted_apposition(t: Token) -> list[Token]:
    """ "Two associates of X, A and B,": the parser makes A and B conjuncts of X; that
    there are as many of them as the noun counts says they are the noun's apposition."""
    count = next((_COUNTS.get(c.lower_) for c in t.children if c.dep_ == "nummod"), None)
    if count is None or t.tag_ != "NNS":
        return []
    for p in t.children:
        if p.dep_ != "prep" or p.lower_ != "of":
            continue
        for x in p.children:
            if x.dep_ != "pobj":
                continue
            named = list(x.conjuncts)
            if len(named) == count and x.i + 1 < len(t.doc) and t.doc[x.i + 1].text == ",":
                return named
    return []


def board_owner(x: Token, ctx: Context) -> Mention | None:
    """The body whose board ``x`` is ("the X board", "X's board", "the board of X", "the
    board of the energy firm X")."""
    owners = [g for g in x.children if g.dep_ in ("compound", "poss", "nmod")]
    objs = [g for p in x.children if p.dep_ == "prep" and p.lower_ == "of" for g in p.children]
    # ("the board of directors of X")
    objs += [
        o
        for g in objs
        if g.lemma_.lower() == "director"
        for p in g.children
        if p.dep_ == "prep" and p.lower_ == "of"
        for o in p.children
    ]
    owners += objs + [a for g in objs for a in g.children if a.dep_ == "appos"]
    for g in owners:
        m = ctx.names.at(g.i)
        if m is not None and m.kind in ("org", "party"):
            return m
        if m is not None and m.kind == "place" and ctx.vocab.government(m.name) is None:
            return Mention(m.start, m.end, m.name, "org")  # only a body has a board
    return None


def board_body(m: Mention | None, ctx: Context) -> Mention | None:
    """The body a board named as a body stands for ("the X Board of Directors" is X's),
    else ``m``."""
    if m is None or m.name.lower().split()[0] not in ("board", "boards"):
        return m
    return board_owner(ctx.doc[m.start : m.end].root, ctx) or m


def _post_holder(x: Token, ctx: Context) -> Mention | None:
    """ "The founder of X, A, was arrested": the parser hangs the holder A on the
    organisation, as its apposition, rather than on the post."""
    for y in (x, *x.conjuncts):
        for prep in y.children:
            if prep.dep_ != "prep" or prep.lower_ not in ("of", "at", "for", "to"):
                continue
            for obj in prep.children:
                if obj.dep_ != "pobj":
                    continue
                m = ctx.mention(obj)
                if (
                    m is not None
                    and m.kind == "person"
                    and ctx.doc[m.start - 1].pos_ == "PROPN"
                    and ctx.names.at(m.start - 1) is not m
                ):
                    # "ambassador to the U.S. Sergey Kislyak": the name right after the
                    # post's country, which the parser took for one noun phrase
                    return m
                # "of the retailer X, A": the apposition of the apposition
                apposed = [a for a in obj.children if a.dep_ == "appos"]
                apposed += [b for a in apposed for b in a.children if b.dep_ == "appos"]
                for a in apposed:
                    m = ctx.mention(a)
                    if m is not None and m.kind == "person":
                        return m
    return None


_JOINERS = frozenset({",", "and", "or", "nor", "&", ";", "as"})


def _joined(x: Token) -> bool:
    """A conjunct's phrase comes after a comma or a conjunction."""
    k = x.left_edge.i
    return k == 0 or x.doc[k - 1].lower_ in _JOINERS or x.doc[k - 1].is_punct


def objects(v: Token, ctx: Context) -> list[Mention]:
    """The direct object's actors and those after "with", and the people a plural object
    names as "including" ("met officials, including A")."""
    nouns = [c for c in v.children if c.dep_ == "dobj"]
    nouns += [g for c in v.children if c.dep_ == "prep" and c.lower_ == "with" for g in c.children
              if g.dep_ == "pobj"]  # fmt: skip
    out = [m for c in v.children if c.dep_ == "dobj" for m in _object_args(c, ctx)]
    # ("regrets meeting Epstein in 2010": the parser may take a lone name right after the
    # verb for a particle or an adverb)
    out += [
        m
        for c in v.children
        if c.dep_ in ("prt", "advmod", "npadvmod") and c.pos_ == "PROPN" and c.i == v.i + 1
        for m in args(c, ctx)
    ]
    out += after((v,), ("with",), ctx)
    plural = tuple(n for n in nouns if n.tag_ == "NNS")
    out += [m for m in after(plural, ("including",), ctx) if m not in out]
    return out


def _object_args(c: Token, ctx: Context) -> list[Mention]:
    """An object's actors; "met the Secretary-General of X's ruling Y, B": B, where the
    parser hung the post on Y and B in apposition to Y."""
    found = args(c, ctx)
    if len(found) != 1 or found[0].kind not in ("org", "party", "gov"):
        return found
    post = any(t.lower_ in ctx.vocab.post_vocabulary for t in c.doc[c.left_edge.i : c.i])
    people = [
        m
        for g in c.children
        if g.dep_ == "appos" and g.i > c.i
        and (m := ctx.mention(g)) is not None and m.kind == "person"
    ]  # fmt: skip
    return people if post and people else found


def after(
    heads: tuple[Token, ...], preps: tuple[str, ...], ctx: Context, every: bool = False
) -> list[Mention]:
    """The actors after a preposition of any of ``heads`` ("talks with A", "to A")."""
    out: list[Mention] = []
    for h in heads:
        for c in h.children:
            if c.dep_ != "prep" or c.lower_ not in preps:
                continue
            for g in c.children:
                if g.dep_ == "pobj":
                    out += all_args(g, ctx) if every else args(g, ctx)
    return out


def pairs(
    pred: str, v: Token, a: list[Mention], b: list[Mention], pattern: str, sent: Span
) -> Iterator[Candidate]:
    done: set[frozenset[str]] = set()
    for x in a:
        for y in b:
            key = frozenset((x.name, y.name))
            if x.name == y.name or key in done:
                continue
            done.add(key)
            # The evidence is the words from the first name to the last, trigger included.
            start = min(x.start, y.start, v.i)
            end = max(x.end, y.end, v.i + 1)
            yield Candidate(pred, x.name, y.name, v.i, start, end, pattern)


def all_args(t: Token, ctx: Context) -> list[Mention]:
    """Every actor in a list, including the appositions' names ("X chairman A, Y chairman B")."""
    out: list[Mention] = []
    for x in t.subtree:
        m = ctx.names.at(x.i)
        if m is None or not m.actor or m.kind != "person" or m in out:
            continue
        if x.dep_ == "poss" and x.head.i != x.i:
            head = ctx.names.at(x.head.i)
            if (head is not None and head.kind == "person" and head != m) or (
                head is None and x.head.lower_ in ctx.vocab.post_vocabulary
            ):
                continue  # "B's close aide C": C is in the list, B is whose aide he is
        out.append(m)
    return out


def neither_nor(v: Token) -> bool:
    """ "would neither confirm nor deny": the verb is one of a "neither … nor" pair."""
    if any(c.dep_ in ("preconj", "cc") and c.lower_ in ("neither", "nor") for c in v.children):
        return True
    return v.dep_ == "conj" and any(c.lower_ in ("neither", "nor") for c in v.head.children)


def passive(v: Token) -> bool:
    """ "was charged", "X charged" (a headline); not "have charged", which is active."""
    deps = {c.dep_ for c in v.children}
    if deps & {"auxpass", "nsubjpass", "agent"}:
        return True
    return v.tag_ == "VBN" and "nsubj" not in deps and "aux" not in deps


def agent_mentions(v: Token, ctx: Context) -> list[Mention]:
    return [
        m
        for c in v.children
        if c.dep_ == "agent"
        for g in c.children
        if g.dep_ == "pobj"
        for m in args(g, ctx, True)
    ]


def together(
    pred: str, n: Token, v: Token, held: list[Mention], pattern: str, sent: Span, ctx: Context
) -> Iterator[Candidate]:
    """Each pair of the subjects of ``v`` ("A and B held talks"), or the two just named
    ("the two men held talks")."""
    if len(held) > 1:
        for x, y in combinations(held, 2):
            yield from pairs(pred, n, [x], [y], pattern, sent)
    elif not held:
        subj = next((c for c in v.children if c.dep_ == "nsubj"), None)
        two = the_two(subj, ctx) if subj is not None else []
        if subj is not None and two:
            x, y = two
            yield Candidate(pred, x.name, y.name, n.i, subj.left_edge.i, n.i + 1, pattern)


# Whose words an office or a spokesperson speaks: "X's office said", "X's lawyer said".
VOICES = frozenset(
    {"office", "spokesman", "spokeswoman", "spokesperson", "lawyer", "lawyers", "attorney",
     "attorneys", "representative", "representatives", "team", "camp", "aide"}
)  # fmt: skip


def voiced(v: Token, ctx: Context) -> list[Mention]:
    """The person whose office, lawyer or spokesman the verb's subject is ("X's office
    said", "a spokesman for X said")."""
    subj = next((c for c in v.children if c.dep_ == "nsubj"), None)
    if subj is None or subj.lower_ not in VOICES:
        return []
    owners = [m for c in subj.children if c.dep_ == "poss" and (m := ctx.names.at(c.i))]
    if owners:
        return owners
    return [
        m
        for c in subj.children
        if c.dep_ == "prep" and c.lower_ == "for"
        for g in c.children
        if g.dep_ == "pobj"
        for m in args(g, ctx)
    ]
