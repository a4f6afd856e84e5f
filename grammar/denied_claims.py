"""Denials read from the dependency parse: who denied a claim, and whom the claim is about.

An extractor module.  "A denied claims that B ...", "a claim denied by A", "A said B played
no part": the subject is a name closest to the claim's head, never a name in a clause about
when or where, never one that only qualifies people ("Giuliani associates").  Everyone else the
sentence names is marked as not what the denial is about, which vetoes a less careful reading.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from deniable.grammar.candidate import Candidate, Context
from deniable.grammar.claim_subjects import claim_subjects, depths
from deniable.grammar.clause_args import (
    agent_mentions,
    args,
    neither_nor,
    passive,
    subjects,
    voiced,
)
from deniable.grammar.dismissals import CLAIM_WORDS, brushed_off, named_false
from deniable.grammar.names import Mention
from deniable.grammar.nlp import span_tokens
from deniable.grammar.vocab import vocab

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

_DENY_VERBS = vocab().cues["deny"]


_SPEECH = vocab().cues["speech"]


# Things one rejects that are not claims: rejecting an offer is no denial.
_NOT_CLAIMS = vocab().cues["not_claims"]


_REPORT_NOUNS = vocab().cues["report_nouns"]


_WITHHELD = vocab().cues["withheld"]


def denied(sent: Span, ctx: Context) -> Iterator[Candidate]:
    """ "A denied/rejected/dismissed claims that B ...", "a claim denied by A"."""
    for v in span_tokens(sent):
        if v.pos_ != "VERB" or not (v.lemma_ in _DENY_VERBS or brushed_off(v) or named_false(v)):
            continue
        if neither_nor(v):
            continue  # "would neither confirm nor deny that …": no denial
        if any(c.dep_ == "dobj" and c.lemma_.lower() in _WITHHELD for c in v.children):
            continue  # "denied B access to the files": a refusal to give, not a denial
        if v.lemma_ == "dismiss" and any(
            c.dep_ == "prep" and c.lower_ == "from" for c in v.children
        ):
            continue  # "dismissed B from her post": sent away
        claim_roots: list[Token] = []
        if v.dep_ in ("acl", "relcl") and v.head.pos_ == "NOUN":
            deniers = agent_mentions(v, ctx) or [
                m for c in v.children if c.dep_ == "nsubj" for m in args(c, ctx, True)
            ]
            claim_roots.append(_set_off_claim(v.head))
        else:
            deniers = agent_mentions(v, ctx) if passive(v) else subjects(v, ctx, True)
            if not deniers:
                deniers = voiced(v, ctx)  # "X's office denied that …"
            for c in v.children:
                if c.dep_ in ("dobj", "ccomp", "xcomp", "nsubjpass"):
                    claim_roots.append(c)
                elif c.dep_ == "conj" and c.pos_ in ("NOUN", "PROPN"):
                    claim_roots.append(c)  # "denied links to A and B", B hung on the verb
                elif (
                    c.dep_ == "conj"
                    and c.pos_ == "VERB"
                    and any(g.dep_ == "auxpass" for g in c.children)
                    and not any(g.dep_ in ("nsubj", "nsubjpass") for g in c.children)
                    and any(g.dep_ == "dobj" for g in v.children)
                ):
                    # "denied his statement was drafted by B": the parser made the claim's
                    # verb a second verb of the denial
                    claim_roots.append(c)
                elif c.dep_ == "prep":
                    claim_roots += _claim_in_prep(c)
        # ("rejected the offer" is no denial; "denied that X had been offered Y" is one)
        roots = [
            r
            for r in claim_roots
            if r.lemma_.lower() not in _NOT_CLAIMS or _has_clause(r) or r.pos_ in ("VERB", "AUX")
        ]
        if v.lemma_ == "dismiss" and _sent_away(v, roots, ctx):
            continue  # "X dismisses chief executive B": sacks him
        about = claim_subjects(roots, ctx, {d.name for d in deniers})
        # ("A blames B for the attack, a charge C denies": the charge is about B, not A)
        accusers = {m.name for r in roots for m in _accusers(r, ctx)}
        about = [m for m in about if m.name not in accusers]
        if not about:
            about = _unnamed_body(roots, ctx) or _claimant_met_denier(roots, ctx, deniers)
        if not about and deniers and all(_bare_claim(r) for r in roots) and roots:
            # "Prosecutors allege that A took bribes from B. A denied the allegations."
            about, third = _claim_before(sent, ctx, {d.name for d in deniers})
            for d in deniers:
                for name in third:  # a claim about others, which this denier cannot deny
                    yield Candidate(
                        "denies", d.name, name, v.i, sent.start, sent.end,
                        f"{v.lemma_}_claim_of_others", rejected=True,
                    )  # fmt: skip
        claim = "; ".join(claim_text(r, ctx) for r in roots)
        for d in deniers:
            for m in about:
                if m.name != d.name:
                    yield Candidate(
                        "denies",
                        d.name,
                        m.name,
                        v.i,
                        sent.start,
                        sent.end,
                        f"{v.lemma_}_claim",
                        claim=claim,
                    )
        # Everyone else in the sentence is not what this denial is about.
        others = {m.name for m in ctx.mentions_in(sent) if m.actor} - {m.name for m in about}
        for d in deniers:
            for name in sorted(others - {x.name for x in deniers}):
                yield Candidate(
                    "denies",
                    d.name,
                    name,
                    v.i,
                    sent.start,
                    sent.end,
                    f"{v.lemma_}_not_the_claim",
                    rejected=True,
                )


_HEAD_POSTS = frozenset({"leader", "chairman", "chairwoman", "head", "member"})
_POINTING = frozenset({"the", "these", "those", "such", "this", "that"})


def _sent_away(v: Token, roots: list[Token], ctx: Context) -> bool:
    """What is dismissed is a person ("dismissed B", "dismissed its chief executive"), not
    something said ("dismissed B as a fantasist" is about what B says)."""
    if not roots or any(c.dep_ == "prep" and c.lower_ == "as" for c in v.children):
        return False
    return all(
        ((m := ctx.names.at(r.i)) is not None and m.kind == "person")
        or r.lower_ in ctx.vocab.post_vocabulary
        for r in roots
    )


def _bare_claim(noun: Token) -> bool:
    """ "the allegations", "these claims": a claim noun that points back, with no content
    of its own."""
    if noun.lemma_.lower() not in CLAIM_WORDS:
        return False
    if any(c.dep_ in ("acl", "ccomp", "prep", "relcl", "appos") for c in noun.children):
        return False
    return any(c.dep_ == "det" and c.lower_ in _POINTING for c in noun.children)


def _claim_before(sent: Span, ctx: Context, deniers: set[str]) -> tuple[list[Mention], list[str]]:
    """The others named in the claim the sentence before makes about the denier ("… allege
    that A took bribes from B"), when that claim names the denier; when it does not, the
    names of those it is about instead, as the second item."""
    if sent.start == 0:
        return [], []
    prev = ctx.doc[sent.start - 1].sent
    for v in prev:
        if v.pos_ != "VERB" or v.lemma_.lower() not in _SPEECH | {"allege", "accuse"}:
            continue
        contents = [c for c in v.children if c.dep_ == "ccomp"]
        if v.lemma_.lower() == "accuse":
            contents = [c for c in v.children if c.dep_ == "prep" and c.lower_ == "of"]
        for c in contents:
            # (as for any claim: not a name in a clause saying when, "before X took office")
            named = sorted(depths(c, ctx, set()), key=lambda m: m.start)
            names = {m.name for m in named}
            if not deniers & names:
                return [], sorted(names)
            others: list[Mention] = []
            for m in named:
                if m.name not in deniers and m.name not in {o.name for o in others}:
                    others.append(m)
            return others, []
    return [], []


_ACCUSE = vocab().cues["speech"] | frozenset({"blame", "accuse", "charge", "hold"})


def _accusers(root: Token, ctx: Context) -> list[Mention]:
    """Who makes the claim a verb root states: the subject of "blames", "accuses"."""
    if root.pos_ != "VERB" or root.lemma_.lower() not in _ACCUSE:
        return []
    return [m for c in root.children if c.dep_ == "nsubj" for m in args(c, ctx)]


def _set_off_claim(noun: Token) -> Token:
    """ "A met B, a claim he denies": a claim noun set off after a clause stands for the
    clause (the verb it hangs in); any other claim noun is its own claim."""
    if noun.dep_ not in ("appos", "npadvmod") or noun.lemma_.lower() not in _REPORT_NOUNS:
        return noun
    if any(c.dep_ in ("acl", "ccomp", "prep") for c in noun.children):
        return noun  # "the claim that …", "the report about …" carry their own content
    up = noun.head
    while up.pos_ not in ("VERB", "AUX") and up.head.i != up.i:
        up = up.head
    return up if up.pos_ in ("VERB", "AUX") else noun


def _unnamed_body(roots: list[Token], ctx: Context) -> list[Mention]:
    """ "denied wanting to be leader" in an article about one party (or "denied being
    chairman" in one about one company): the post is that body's, and the claim about it."""
    body = ctx.names.party or ctx.names.company
    if body is None:
        return []
    for r in roots:
        for t in r.subtree:
            if t.lemma_.lower() in _HEAD_POSTS and t.dep_ in ("attr", "xcomp", "dobj", "oprd"):
                if any(c.dep_ == "prep" for c in t.children):
                    return []  # "leader of X": X is named, or it is someone else's
                at = next((m for m in ctx.names.mentions if m.name == body), None)
                if at is not None:
                    kind = "party" if body == ctx.names.party else "org"
                    return [Mention(t.i, t.i + 1, body, kind)]
    return []


_HE = frozenset({"he", "she", "i"})
_DENIER_WORDS = frozenset({"him", "her", "me"})


def _claimant_met_denier(roots: list[Token], ctx: Context, deniers: list[Mention]) -> list[Mention]:
    """ "A dismissed B's claim that he had met the minister": the claim is B's own, about B
    and A.  Only when the claim's subject is a pronoun and its object points back at the
    denier; "B's claim that he took bribes" may be about A himself, and gives nothing."""
    denier_names = {d.name for d in deniers}
    # "dismissed the businessman B's claim": the parser may hang the claim on the title
    nouns = roots + [c for r in roots for c in r.children if c.dep_ == "appos"]
    for r in nouns:
        if r.lemma_.lower() not in _REPORT_NOUNS:
            continue
        author = _author(r, ctx)
        if author is None or author.kind != "person" or author.name in denier_names:
            continue
        for clause in r.children:
            if clause.dep_ not in ("acl", "ccomp", "relcl", "appos") or clause.pos_ != "VERB":
                continue
            subj = [c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass")]
            if not subj or subj[0].lower_ not in _HE or ctx.names.at(subj[0].i) is not None:
                continue
            if any(_points_at(t, ctx, denier_names) for t in clause.subtree if t.i > subj[0].i):
                return [author]
    return []


def _author(noun: Token, ctx: Context) -> Mention | None:
    """Who made a claim: "B's claim", "the claim by B", "claims made by B"."""
    for c in noun.children:
        if c.dep_ == "poss":
            return ctx.names.at(c.i)
        if c.dep_ in ("prep", "acl") and (c.lower_ == "by" or c.pos_ == "VERB"):
            by = c if c.lower_ == "by" else next((g for g in c.children if g.lower_ == "by"), None)
            obj = next((g for g in by.children if g.dep_ == "pobj"), None) if by else None
            if obj is not None:
                return ctx.names.at(obj.i)
    return None


def _points_at(t: Token, ctx: Context, deniers: set[str]) -> bool:
    """An object that can only be the denier: "him", "the minister" (the denier's post)."""
    if t.dep_ not in ("dobj", "pobj"):
        return False
    m = ctx.names.at(t.i)
    if m is not None:
        return m.name in deniers
    if t.lower_ in _DENIER_WORDS:
        return True
    return t.lower_ in ctx.vocab.post_vocabulary and any(
        d.lower_ == "the" for d in t.children if d.dep_ == "det"
    )


def denied_part(sent: Span, ctx: Context) -> Iterator[Candidate]:
    """ "A said B played no part in it", "A insisted B had nothing to do with it": A denies
    a claim about B."""
    for v in span_tokens(sent):
        if v.lemma_ not in _SPEECH or v.pos_ != "VERB":
            continue
        for c in v.children:
            if c.dep_ != "ccomp" or not _no_part(c):
                continue
            about = [m for g in c.children if g.dep_ == "nsubj" for m in args(g, ctx)]
            for d in subjects(v, ctx, True):
                for m in about:
                    if m.name != d.name:
                        yield Candidate(
                            "denies",
                            d.name,
                            m.name,
                            v.i,
                            sent.start,
                            sent.end,
                            "said_no_part",
                            claim=claim_text(c, ctx),
                        )


_DEALINGS = frozenset(
    {"dealing", "dealings", "relationship", "relation", "relations", "contact", "contacts",
     "link", "links", "connection", "connections", "involvement", "business"}
)  # fmt: skip


def _claim_in_prep(prep: Token) -> list[Token]:
    """What the parser hung on the verb that is still the claim: "denied wrongdoing in her
    dealings with B", "dismissed as nonsense reports that A met B", "denied links | to B"."""
    out: list[Token] = []
    for obj in prep.children:
        if obj.dep_ != "pobj":
            continue
        lemma = obj.lemma_.lower()
        dealings = lemma in _DEALINGS or obj.lower_ in _DEALINGS
        if (prep.lower_ in ("in", "over") and dealings) or (
            prep.lower_ == "as" and lemma in CLAIM_WORDS
        ):
            out.append(obj)
        elif prep.lower_ in ("to", "with") and any(
            g.dep_ == "dobj" and g.lower_ in _DEALINGS and g.i < prep.i for g in prep.head.children
        ):
            out.append(prep)  # "denied any links to B", "to B" hung on the verb
    return out


def _no_part(clause: Token) -> bool:
    """ "played no part", "had no role", "had nothing to do with"."""
    for c in clause.children:
        if c.dep_ != "dobj":
            continue
        if c.lemma_ in ("part", "role", "involvement") and any(
            d.lower_ == "no" for d in c.children if d.dep_ == "det"
        ):
            return True
        if c.lower_ == "nothing" and clause.lemma_ == "have" and _to_do_with(c):
            return True  # "had nothing to do with it"; "has nothing but lies" is no denial
    return False


def _to_do_with(nothing: Token) -> bool:
    return any(
        g.lemma_ == "do" and any(w.lower_ == "with" for w in g.subtree)
        for g in nothing.children
        if g.dep_ in ("acl", "relcl", "xcomp")
    )


def _has_clause(n: Token) -> bool:
    """ "the idea that X did Y": a content clause right after an offer-like noun makes it a
    claim (a "that" clause after a comma belongs to something else)."""
    return any(
        c.dep_ in ("acl", "ccomp", "relcl")
        and c.left_edge.i == n.i + 1
        and (
            any(m.lower_ == "that" and m.dep_ == "mark" for m in c.children)
            or (c.dep_ != "ccomp" and n.lemma_ in ("suggestion", "idea") and _content_clause(c))
        )
        for c in n.children
    )


def _content_clause(c: Token) -> bool:
    """ "suggestions she had spoken to B": a clause with its own subject and a complete
    verb phrase, which the parser took for a relative clause ("the offer he made" has a gap)."""
    subj = next((g for g in c.children if g.dep_ == "nsubj"), None)
    if subj is None or subj.lower_ in ("who", "which", "that", "whom"):
        return False
    return any(g.dep_ in ("dobj", "ccomp", "xcomp", "prep", "attr") for g in c.children)


# Deeper than this, a name is a detail of a detail ("a network accused of moving goods through X").
def claim_text(root: Token, ctx: Context) -> str:
    """The claim's words as written, at most 160 characters."""
    span = ctx.doc[root.left_edge.i : root.right_edge.i + 1]
    return span.text[:160]
