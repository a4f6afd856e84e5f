"""Whom a denied claim is about: the names closest to the claim's head.

A name in a clause about when or where is not what is denied ("…, when he told X",
"received him in the Kremlin", "entered Britain"); nor is one that only qualifies people
("Giuliani associates"), one that wrote the claim ("a US intelligence report"), or one named
deeper than another name of the claim.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from deniable.grammar.lexicon import lexicon
from deniable.grammar.vocab import vocab

if TYPE_CHECKING:
    from spacy.tokens import Token

    from deniable.grammar.candidate import Context
    from deniable.grammar.names import Mention

_PEOPLE_NOUNS = vocab().cues["people_nouns"]
_REPORT_NOUNS = vocab().cues["report_nouns"]
_GROUP_NOUNS = vocab().cues["group_nouns"]
_GATHERINGS = vocab().cues["gatherings"] | vocab().cues["meeting_nouns"]
# Prepositions that say where something happened, when they hang on the claim's verb.
_WHERE = frozenset({"in", "at", "inside", "outside", "near"})
_DEEPEST = 4


def claim_subjects(roots: list[Token], ctx: Context, deniers: set[str]) -> list[Mention]:
    """The entities a denied claim is about: the names closest to the claim's head.

    A name in a clause about when or where ("..., when he told X") is not what is denied, and
    names deeper in the claim only count when no name is closer ("denied accusing A of
    using B": A).  Coordinated objects ("links to A and B") are each a claim; one whose
    nearest name is much deeper than the others' is a detail, not a claim.
    """
    per_root = [depths(r, ctx, deniers) for r in roots]
    bests = [min(d.values()) for d in per_root if d]
    if not bests:
        return []
    out: list[Mention] = []
    for found in per_root:
        if not found or min(found.values()) > min(bests) + 1:
            continue
        best = min(found.values())
        out += [m for m, d in found.items() if d == best and m not in out]
    return out


def depths(root: Token, ctx: Context, deniers: set[str]) -> dict[Mention, int]:
    """Each name under ``root`` with its distance in clauses and arguments."""
    found: dict[Mention, int] = {}

    def walk(t: Token, depth: int) -> None:
        m = ctx.names.at(t.i)
        if m is not None and m.actor and m.name not in deniers:
            head = ctx.doc[m.start : m.end].root
            noun = head.head
            people_noun = head.dep_ in ("compound", "poss") and (
                noun.lemma_.lower() in _PEOPLE_NOUNS or noun.lower_.rstrip("s") in _PEOPLE_NOUNS
            )
            if people_noun and m.kind in ("gov", "org") and noun.lemma_.lower() == "official":
                people_noun = False  # "Downing Street officials" act for the government
            if (
                m.kind == "gov"
                and head.dep_ in ("compound", "amod", "nmod")
                and noun.lower_ in ctx.vocab.post_vocabulary
            ):
                people_noun = True  # "its US ambassador is a spy": the claim is about the envoy
            # "Giuliani associates": the claim is about the associates; "X's investigation",
            # "a report by X": X made the claim, it is not about X
            # "Conservative criticisms", "Russian claims": a party's or a country's own
            adjective = head.dep_ == "amod" and m.kind in ("party", "gov")
            adjective = adjective and noun.lemma_.lower() in _REPORT_NOUNS
            # "a US intelligence report": a country's own, through the words between
            adjective = adjective or (m.kind in ("party", "gov") and _modifies_report(head))
            # "interfering in the US election": a country that only says which election
            # "a Cafe Milano meeting": a name that only says where a gathering was
            venue = (
                m.kind in ("org", "place")
                and head.dep_ in ("compound", "nmod")
                and noun.lemma_.lower() in _GATHERINGS
            )
            # "the special representative for Ukraine": what a post serves, not whom
            portfolio = (
                m.kind in ("gov", "place")
                and head.dep_ == "pobj"
                and noun.lower_ == "for"
                and noun.head.lower_ in ctx.vocab.post_vocabulary
            )
            thing = (
                venue
                or portfolio
                or (
                    m.kind in ("gov", "place")
                    and head.dep_ in ("compound", "amod", "nmod")
                    and noun.pos_ == "NOUN"
                    and noun.lemma_.lower() not in _PEOPLE_NOUNS | _GROUP_NOUNS | {"official"}
                    and noun.lower_ not in ctx.vocab.post_vocabulary
                    and noun.lemma_.lower() not in _REPORT_NOUNS
                )
            )
            while head.dep_ in ("compound", "amod", "nmod") and noun.pos_ in ("NOUN", "PROPN"):
                head, noun = noun, noun.head  # "accusations by U.S. senators": theirs too
            author = adjective or (
                noun.lemma_.lower() in _REPORT_NOUNS
                and (head.dep_ == "poss" or (head.dep_ == "pobj" and noun.lower_ == "by"))
            )
            if author is False and head.dep_ == "pobj" and noun.lower_ == "by":
                made = noun.head
                # "claims made by X", "the report published by X"; not the claim's own
                # clause, "claims that she was paid by X"
                content = any(g.dep_ in ("mark", "nsubj", "nsubjpass") for g in made.children)
                if made.dep_ in ("acl", "relcl") and made.pos_ == "VERB" and not content:
                    made = made.head
                author = made.lemma_.lower() in _REPORT_NOUNS
            if (
                not people_noun
                and not author
                and not thing
                and not _qualifies_person(m, ctx)
                and depth < found.get(m, 99)
            ):
                found[m] = depth
        for c in t.children:
            if c.dep_ in ("advcl", "parataxis", "npadvmod") or c.lower_ in ("when", "while"):
                continue
            if c.dep_ == "prep" and t.pos_ == "VERB" and c.lower_ in _WHERE and _a_place(c, ctx):
                continue  # "received him in the Kremlin": where, not whom
            if c.dep_ == "dobj" and t.lemma_.lower() in _ENTER and _a_country(c, ctx):
                continue  # "his father entered Britain illegally": where to, not whom
            if c.dep_ == "prep" and c.lower_ in ("in", "at") and _posted(t, c, ctx):
                continue  # "its top diplomat in Washington": where they serve, not whom
            if c.dep_ in ("prep", "dative") and c.lower_ == "to" and t.lemma_ in _TELLING:
                continue  # "would suggest to China that …": whom it is said to, not of whom
            if c.dep_ == "prep" and c.lower_ in ("in", "during") and _said_in(c):
                continue  # "… took place, in a statement to the Post": where it was said
            if c.dep_ == "prep" and c.lower_ in _TOPIC and (_partnered(t) or _partner(t)):
                continue  # "speaking with B about C": the claim is the talk with B
            if c.dep_ == "appos" and c.pos_ == "NOUN" and _a_person(t, ctx):
                continue  # "B, the head of X,": who B is, not whom the claim is about
            # A name inside a predicate noun ("an agent of the FSB") is further from what the
            # claim is about than the clause's subject.
            step = 0 if c.dep_ in ("prep", "compound", "case", "det", "conj", "appos") else 1
            step += 1 if c.dep_ in ("attr", "acomp") else 0
            walk(c, depth + step)

    walk(root, 0)
    return {m: d for m, d in found.items() if d <= _DEEPEST}


_STATEMENTS = frozenset(
    {"statement", "interview", "email", "e-mail", "letter", "tweet", "briefing", "conference",
     "remark", "comment", "speech", "testimony", "filing", "post"}
)  # fmt: skip


def _said_in(prep: Token) -> bool:
    """ "in a statement (an interview, a letter) to X": the words that say the claim."""
    return any(o.dep_ == "pobj" and o.lemma_.lower() in _STATEMENTS for o in prep.children)


def _modifies_report(head: Token) -> bool:
    """``head`` is a modifier in the noun phrase of a report, claim or allegation."""
    t = head
    while t.dep_ in ("compound", "amod", "nmod") and t.head.pos_ in ("NOUN", "PROPN"):
        t = t.head
        if t.lemma_.lower() in _REPORT_NOUNS:
            return True
    return False


_TOPIC = frozenset({"about", "regarding", "concerning", "over", "on"})
_TELLING = frozenset({"suggest", "say", "signal", "indicate", "explain", "announce", "report"})


def _partnered(verb: Token) -> bool:
    """A verb with someone it was done with or to ("speaking with B", "met B", "told B")."""
    if verb.pos_ != "VERB":
        return False
    return any(
        c.dep_ in ("dobj", "dative")
        or (
            c.dep_ == "prep"
            and c.lower_ in ("with", "to")
            and any(g.dep_ == "pobj" for g in c.children)
        )
        for c in verb.children
    )


def _partner(noun: Token) -> bool:
    """``noun`` is whom something was done with ("speaking with [the son] about C")."""
    prep = noun.head
    return noun.dep_ == "pobj" and prep.lower_ in ("with", "to") and prep.head.pos_ == "VERB"


def _posted(noun: Token, prep: Token, ctx: Context) -> bool:
    """A person noun placed by ``prep`` in a country or city ("the ambassador in London")."""
    if noun.pos_ != "NOUN":
        return False
    lemma = noun.lemma_.lower()
    if lemma not in _PEOPLE_NOUNS | _GROUP_NOUNS and lemma not in ctx.vocab.post_vocabulary:
        return False
    obj = next((g for g in prep.children if g.dep_ == "pobj"), None)
    m = ctx.names.at(obj.i) if obj is not None else None
    return m is not None and m.kind in ("place", "gov")


_ENTER = frozenset({"enter", "leave", "flee", "reach", "cross", "visit", "tour"})


def _a_country(t: Token, ctx: Context) -> bool:
    m = ctx.names.at(t.i)
    return m is not None and m.kind in ("gov", "place")


def _a_place(prep: Token, ctx: Context) -> bool:
    """The preposition's object is itself a name of a place or a seat ("in the Kremlin")."""
    obj = next((g for g in prep.children if g.dep_ == "pobj"), None)
    m = ctx.names.at(obj.i) if obj is not None else None
    if m is None or obj is None:
        return False
    seat = lexicon().seat_names.get(ctx.doc[m.start : m.end].text.lower())
    return m.kind == "place" or seat is not None


def _a_person(t: Token, ctx: Context) -> bool:
    m = ctx.names.at(t.i)
    return m is not None and m.kind == "person"


def _qualifies_person(m: Mention, ctx: Context) -> bool:
    """A country or body named only to say whose a person is ("U.S. President-elect Donald
    Trump", "Kremlin spokesman Peskov"): the claim is about the person."""
    head = ctx.doc[m.start : m.end].root
    while head.dep_ in ("compound", "amod") and head.head.i != head.i:
        head = head.head
        other = ctx.names.at(head.i)
        if other is not None and other is not m and other.kind == "person":
            return True
    return False
