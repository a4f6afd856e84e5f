"""Who says so: the source of a statement read from the parse ("A met B, the Post reported",
"according to X", "emails seen by Reuters show …").

Helpers of :mod:`deniable.grammar.stance`, pure functions of a token and the document
context.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from deniable.grammar.negation import negated as _negated
from deniable.grammar.nlp import span_tokens
from deniable.grammar.vocab import vocab

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

    from deniable.grammar.candidate import Context

_SPEECH = vocab().cues["speech"]


def speaker_of(v: Token, ctx: Context) -> str | None:
    """Who speaks through the speech verb ``v``, or None when it has no subject."""
    if not any(c.dep_ == "nsubj" for c in v.children):
        return None
    return speaker(v, ctx)


def said_after(v: Token, ctx: Context) -> str | None:
    """ "A met B, the Post reported": the parser may hang the trailing attribution on the
    clause it attributes, as a dependent of the verb rather than its head."""
    for h in (v, *v.ancestors):
        for c in h.children:
            if (
                c.dep_ in ("advcl", "parataxis")
                and c.i > v.i
                and c.lemma_.lower() in _SPEECH
                and _before(c, ctx) in (",", "—", "–")
                and any(g.dep_ == "nsubj" for g in c.children)
                # ("…, hours after the Kremlin said …": a clause of time, no attribution)
                and not any(g.dep_ == "mark" for g in c.children)
                and not _negated(c)
            ):
                return speaker(c, ctx)
    for t in v.subtree:
        # "A met B, the BBC understands": or on an argument, as its apposition
        if (
            t.dep_ == "appos"
            and t.pos_ == "VERB"
            and t.i > v.i
            and t.lemma_.lower() in _SPEECH
            and all(x.is_punct or x.is_space for x in ctx.doc[t.right_edge.i + 1 : t.sent.end])
            and _before(t, ctx) in (",", "—", "–")
            and not _negated(t)
        ):
            return speaker(t, ctx) or None
    return None


def _before(c: Token, ctx: Context) -> str:
    """The punctuation that opens ``c``'s phrase, or the token just before it."""
    first = ctx.doc[c.left_edge.i]
    if first.is_punct:
        return first.text
    return ctx.doc[first.i - 1].text if first.i > 0 else ""


def speaker(v: Token, ctx: Context) -> str:
    """Who says it: the name of the speech verb's subject, or its noun phrase as written."""
    for c in v.children:
        if c.dep_ == "nsubj":
            m = ctx.mention(c, speaking=True)
            if m is not None:
                return m.name
            if c.pos_ == "PRON":
                return ""
            named = [x for a in c.children if a.dep_ == "appos" and (x := ctx.mention(a))]
            if named and named[0].kind == "person":
                return named[0].name  # "One of the men, A, said"
            # "Emails seen by Reuters show …": the outlet that saw them is the source
            for acl in c.children:
                if acl.dep_ == "acl" and acl.tag_ == "VBN":
                    for agent in acl.children:
                        if agent.dep_ == "agent":
                            obj = next((g for g in agent.children if g.dep_ == "pobj"), None)
                            if obj is None and agent.i + 1 < len(ctx.doc):
                                obj = ctx.doc[agent.i + 1]  # the parser may lose the object
                            m = ctx.mention(obj, speaking=True) if obj is not None else None
                            if m is not None:
                                return m.name
            return _as_written(c, ctx)
    for c in v.children:
        if c.dep_ == "compound" and (m := ctx.mention(c, speaking=True)) is not None:
            return m.name  # ", the BBC understands": the parser took the outlet for a compound
    return ""


def _as_written(n: Token, ctx: Context) -> str:
    """A source's noun phrase as written, up to a clause that qualifies it ("court
    documents filed on Tuesday" is "court documents")."""
    end = n.i + 1
    while end <= n.right_edge.i and ctx.doc[end].dep_ not in ("acl", "relcl", "punct"):
        end += 1
    # ("an official who asked not to be named": the clause begins at its "who")
    clauses = [c.left_edge.i for c in n.children if c.dep_ in ("acl", "relcl") and c.i > n.i]
    end = min([end, *clauses])
    words = ctx.doc[n.left_edge.i : end]
    if {t.lower_ for t in words} <= _ANONYMOUS:
        return ""  # "reports say": reported, by no one a reader could count as a source
    return words.text


_ANONYMOUS = frozenset({"reports", "report", "media", "the", "some", "it", "several", "many"})


def according(sent: Span, ctx: Context) -> str:
    """The source "according to X" names in ``sent``, or "" when none."""
    for t in span_tokens(sent):
        if t.lower_ == "according" and t.i + 2 < sent.end and ctx.doc[t.i + 1].lower_ == "to":
            obj = next((g for g in ctx.doc[t.i + 1].children if g.dep_ == "pobj"), None)
            if obj is not None:
                m = ctx.mention(obj, speaking=True)
                return m.name if m else _as_written(obj, ctx)
    return ""
