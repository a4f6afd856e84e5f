"""Denials said in other words: "A said the claims that she met B were false", "spokesman A
said the minister has never met B".

An extractor module beside :mod:`deniable.grammar.denied_claims`, which reads the denial
verbs.  Someone calling a claim about themself false denies it; a spokesperson or lawyer saying
a contact never happened denies it for whoever they speak for; a third party saying either of
someone else denies nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from deniable.grammar.candidate import Candidate, Context
from deniable.grammar.clause_args import after, args, subjects, voiced
from deniable.grammar.denied_claims import claim_text
from deniable.grammar.dismissals import CLAIM_WORDS
from deniable.grammar.nlp import span_tokens
from deniable.grammar.vocab import vocab

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

    from deniable.grammar.names import Mention

_SPEECH = vocab().cues["speech"]
_FALSE = vocab().cues["false"]


def said_false(sent: Span, ctx: Context) -> Iterator[Candidate]:
    """ "A said the claims that she met B were false": A denies a claim about B, when the
    claim is about A (someone saying a claim about another is false denies nothing)."""
    for v in span_tokens(sent):
        if v.lemma_ not in _SPEECH or v.pos_ != "VERB":
            continue
        for c in v.children:
            if c.dep_ != "ccomp" or not _called_false(c):
                continue
            claim = next((g for g in c.children if g.dep_ == "nsubj"), None)
            if claim is None or claim.lemma_.lower() not in CLAIM_WORDS | {"report"}:
                continue
            speakers = _voice(v, ctx)
            inner = [t for t in claim.subtree if t.i != claim.i]
            about = {m.name for t in inner if (m := ctx.names.at(t.i)) is not None and m.actor}
            for d in speakers:
                if d.name not in about:
                    continue  # a third party calling a claim about someone else false
                for name in sorted(about - {d.name}):
                    yield Candidate(
                        "denies", d.name, name, v.i, sent.start, sent.end, "said_false",
                        claim=claim_text(claim, ctx),
                    )  # fmt: skip


_CONTACT_VERBS = frozenset({"meet", "speak", "talk", "know", "contact", "call", "phone", "have"})
_TIES = frozenset(
    {"relationship", "relations", "contact", "contacts", "dealings", "links", "link", "ties",
     "tie", "connection", "connections", "business"}
)  # fmt: skip


def spokesman_says_never(sent: Span, ctx: Context) -> Iterator[Candidate]:
    """ "Spokesman A said the minister has never met B", "his lawyer, A, said he never had any
    relationship with B": whoever speaks for someone denies the contact, about the other
    party (the one named after the verb; failing one, its subject)."""
    for v in span_tokens(sent):
        if v.lemma_ not in _SPEECH or v.pos_ != "VERB":
            continue
        speakers = [d for d in subjects(v, ctx, True) if _speaks_for_someone(d, ctx)]
        if not speakers:
            yield from _said_for(v, sent, ctx)
            continue
        for c in v.children:
            if c.dep_ != "ccomp" or not _never_in_touch(c):
                continue
            others = _party(c, ctx)
            for d in speakers:
                principals = _principals(d, ctx)
                for name in dict.fromkeys(m.name for m in others):
                    if name != d.name and name not in principals:
                        yield Candidate(
                            "denies", d.name, name, v.i, sent.start, sent.end,
                            "spokesman_says_never", claim=claim_text(c, ctx),
                        )  # fmt: skip


def _said_for(v: Token, sent: Span, ctx: Context) -> Iterator[Candidate]:
    """ "A has never met B, her spokesman said": an unnamed spokesperson or lawyer of A's
    speaks A's denial."""
    subj = next((c for c in v.children if c.dep_ == "nsubj"), None)
    if subj is None or subj.lower_ not in _SPOKES:
        return
    owners = [m for c in subj.children if c.dep_ == "poss" for m in args(c, ctx)]
    for c in v.children:
        if c.dep_ != "ccomp" or not _never_in_touch(c):
            continue
        for d in owners:
            for name in dict.fromkeys(m.name for m in _party(c, ctx)):
                if name != d.name:
                    yield Candidate(
                        "denies", d.name, name, v.i, sent.start, sent.end,
                        "spokesman_says_never", claim=claim_text(c, ctx),
                    )  # fmt: skip


def said_no_ties(sent: Span, ctx: Context) -> Iterator[Candidate]:
    """ "A insisted she had no links to B", "A said she did not know B", "A said it had
    nothing to do with B": someone saying they themself have no ties to another denies
    them."""
    for v in span_tokens(sent):
        if v.lemma_ not in _SPEECH or v.pos_ != "VERB":
            continue
        speakers = {m.name for m in _voice(v, ctx)}
        for c in v.children:
            if c.dep_ != "ccomp":
                continue
            # ("said she had not spoken to B" is a negated call, and no more than that)
            knows = c.lemma_ == "know" and _never_in_touch(c)
            ties = c.lemma_ == "have" and _no_ties(c)
            unknown = _no_information(c)
            if not (ties or knows or unknown or _nothing_to_do_with(c)):
                continue
            holders = {m.name for m in subjects(c, ctx, True)}
            # ("said it had no information about B": the guideline's denial of knowing of B)
            party = [
                m for g in unknown for m in after((g,), ("about", "on", "of"), ctx)
            ] if unknown else _party(c, ctx)  # fmt: skip
            for d in sorted(speakers & holders):
                for name in dict.fromkeys(m.name for m in party):
                    if name != d:
                        yield Candidate(
                            "denies", d, name, v.i, sent.start, sent.end, "said_no_ties",
                            claim=claim_text(c, ctx),
                        )  # fmt: skip


def _no_information(c: Token) -> list[Token]:
    """ "had no information about B", "did not have any information on B": the nouns."""
    if c.lemma_ != "have":
        return []
    nouns = [g for g in c.children if g.dep_ == "dobj" and g.lemma_.lower() in _INFORMATION]
    negated = any(g.dep_ == "neg" or g.lower_ == "never" for g in c.children)
    return [n for n in nouns if negated or any(d.lower_ == "no" for d in n.children)]


_INFORMATION = frozenset({"information", "knowledge", "details", "record"})


def _nothing_to_do_with(c: Token) -> bool:
    """ "had nothing to do with B"."""
    return (
        c.lemma_ == "have"
        and any(g.dep_ == "dobj" and g.lower_ == "nothing" for g in c.children)
        and any(t.lower_ == "with" for t in c.subtree)
    )


def _no_ties(c: Token) -> bool:
    """ "had no links", "did not have any ties", "never had a relationship"."""
    ties = [g for g in c.children if g.dep_ == "dobj" and g.lemma_.lower() in _TIES]
    if not ties:
        return False
    if any(g.dep_ == "neg" or g.lower_ == "never" for g in c.children):
        return True
    return any(d.lower_ == "no" for t in ties for d in t.children if d.dep_ == "det")


def _party(c: Token, ctx: Context) -> list[Mention]:
    """The other party of a denied contact: whom it was with ("met B", "spoken to B",
    "relationship with B"); with no one named there, its subject ("A has never been")."""
    heads = [c, *(g for g in c.children if g.dep_ == "dobj")]
    found = [m for g in c.children if g.dep_ == "dobj" for m in args(g, ctx)]
    found += after(tuple(heads), ("with", "to"), ctx)
    found = [m for m in found if m.kind in ("person", "org", "gov", "party", "group")]
    if found or c.lemma_ in ("know", "have"):
        return found
    return [m for g in c.children if g.dep_ == "nsubj" for m in args(g, ctx)]


def _never_in_touch(c: Token) -> bool:
    """ "has never met B", "does not know B", "never had any relationship with B"."""
    if c.lemma_.lower() not in _CONTACT_VERBS:
        return False
    if not any(g.dep_ == "neg" or g.lower_ == "never" for g in c.children):
        return False
    if c.lemma_ == "have":
        return any(g.dep_ == "dobj" and g.lemma_.lower() in _TIES for g in c.children)
    return True


def _speaks_for_someone(m: Mention, ctx: Context) -> bool:
    """ "spokesman A", "A, a spokesman for X", "his lawyer, A"."""
    doc = ctx.doc
    before = {t.lower_ for t in doc[max(0, m.start - 3) : m.start]}
    if before & _SPOKES:
        return True
    head = doc[m.start : m.end].root
    near = [c for c in head.children if c.dep_ == "appos"]
    if head.dep_ == "appos":
        near.append(head.head)
    return any(t.lower_ in _SPOKES for t in near)


def _principals(m: Mention, ctx: Context) -> set[str]:
    """Whom the speaker speaks for, where the sentence says: "his lawyer" (his), "a
    spokesman for X" (X)."""
    doc = ctx.doc
    head = doc[m.start : m.end].root
    nouns = [c for c in head.children if c.dep_ == "appos"]
    if head.dep_ == "appos":
        nouns.append(head.head)
    out: set[str] = set()
    for n in nouns:
        for c in n.children:
            if c.dep_ == "poss" and (x := ctx.names.at(c.i)) is not None:
                out.add(x.name)
            if c.dep_ == "prep" and c.lower_ in ("for", "of", "to"):
                out |= {x.name for g in c.children if g.dep_ == "pobj" for x in args(g, ctx)}
    return out


_SPOKES = frozenset(
    {"spokesman", "spokeswoman", "spokesperson", "lawyer", "attorney", "representative",
     "spokesmen", "counsel"}
)  # fmt: skip


def _called_false(clause: Token) -> bool:
    """ "were false", "are completely untrue", "was nonsense"."""
    if clause.lemma_ != "be":
        return False
    return any(
        g.dep_ in ("acomp", "attr") and g.lower_ in _FALSE for g in clause.children
    ) and not any(g.dep_ == "neg" for g in clause.children)


def _voice(v: Token, ctx: Context) -> list[Mention]:
    """Who speaks: the subject, or the person whose office or lawyer it is."""
    return subjects(v, ctx, True) or voiced(v, ctx)
