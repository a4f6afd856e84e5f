"""Roles written beside a name: "X, vice-chairman of Y", "X, UKIP's deputy leader", "the
chairman of Y, X", "X, who is a member of Y", "X is the chief executive of Y", "former
directors of Y A, B and C".

An extractor module beside :mod:`deniable.grammar.role_phrases` (posts written before a name);
the noun phrase of the post is read by :func:`deniable.grammar.role_nouns.role_noun`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import TYPE_CHECKING

from deniable.grammar.candidate import Candidate, Context
from deniable.grammar.names import Mention
from deniable.grammar.role_nouns import post_of, role_noun
from deniable.grammar.role_phrases import _head, _people
from deniable.grammar.spellings import US_PARTY_CODE

if TYPE_CHECKING:
    from spacy.tokens import Span, Token


def _listed(head: Token) -> bool:
    """A headline's comma that lists two subjects of a plural verb ("X's prince, British PM
    discuss trade"): the second is someone else, not the first's post."""
    return head.dep_ == "nsubj" and head.head.tag_ == "VBP" and head.tag_ in ("NNP", "NN")


def role_in_apposition(sent: Span, ctx: Context) -> Iterator[Candidate]:
    """ "X, vice-chairman of Y", "X, UKIP's deputy leader", "the chairman of Y, X"."""
    doc = ctx.doc
    for m in _people(sent, ctx):
        head = _head(m, ctx)
        served: Mention | None = None
        nouns = [c for c in head.children if c.dep_ == "appos" and ctx.names.at(c.i) is None]
        nouns += [
            # "X, R-Ohio, the chairman of Y,": the parser hangs the post on the party code
            g
            for c in head.children
            if c.dep_ == "appos" and US_PARTY_CODE.fullmatch(doc[c.left_edge.i : c.i + 1].text)
            for g in c.children
            if g.dep_ == "appos" and ctx.names.at(g.i) is None
        ]
        if head.dep_ == "appos" and ctx.names.at(head.head.i) is None:
            nouns.append(head.head)
        elif head.dep_ == "appos" and (up := _post_of(head.head, ctx)) is not None:
            nouns.append(up)  # "the head of Mossad, X": the parser hangs X on "Mossad"
            served = ctx.names.at(head.head.i)  # ("an attorney for A, B": A is named between)
        if head.dep_ == "conj":
            # "A and B, the justice secretary,": the parser hangs B's apposition on A
            nouns += [
                c
                for c in head.head.children
                if c.dep_ == "appos" and c.i > m.end and ctx.names.at(c.i) is None
            ]
        # An apposition is set off by a comma; without one the noun is the name's title.
        nouns = [
            n
            for n in nouns
            if any(doc[k].text in (",", "(", "-", "–") for k in _between(n, m))
            and not _someone_between(n, m, ctx, served)
            and not _titles_next(n, ctx)
            and not _listed(head)
        ]
        # "X, who is a member of Y" and "X is the chief executive of Y": the complement of
        # "be" describes X
        for rel in head.children:
            # ("X, picked to be national security adviser," is not yet)
            infinitive = any(c.dep_ == "aux" and c.lower_ == "to" for c in rel.children)
            if rel.dep_ == "relcl" and rel.lemma_ == "be" and not infinitive:
                nouns += [c for c in rel.children if c.dep_ == "attr"]
                # "who is a member of X and was part of Y": the second "be" too
                nouns += [
                    c
                    for more in rel.conjuncts
                    if more.lemma_ == "be"
                    for c in more.children
                    if c.dep_ == "attr"
                ]
        yield from _copulas(head, m, ctx)
        for noun in nouns:
            yield from role_noun(noun, m, ctx)
            for conj in noun.conjuncts:
                if conj.i < noun.i and any(c.dep_ == "poss" for c in noun.children):
                    continue  # "the founder of X and his nephew, B": B is the nephew only
                if ctx.names.at(conj.i) is None:
                    yield from role_noun(conj, m, ctx)
    for m in _pronouns(sent, ctx):
        # "He has been managing director at X since 2014": the pronoun as resolved
        yield from _copulas(ctx.doc[m.start], m, ctx)


def _copulas(head: Token, m: Mention, ctx: Context) -> Iterator[Candidate]:
    """ "X is the Y of Z": the complement of "be" describes its subject; "Z's new chief
    executive is X": the subject describes the complement."""
    if head.dep_ == "attr" and head.head.lemma_ == "be" and not _negated_be(head.head):
        for noun in (c for c in head.head.children if c.dep_ == "nsubj"):
            if ctx.names.at(noun.i) is None:
                for cand in role_noun(noun, m, ctx):
                    yield replace(cand, trigger=head.head.i, pattern="role_copula")
        return
    if head.dep_ != "nsubj" or head.head.lemma_ != "be" or _negated_be(head.head):
        return
    for noun in (c for c in head.head.children if c.dep_ == "attr"):
        # (a clause: how it was said is for the stance to decide)
        for cand in role_noun(noun, m, ctx):
            yield replace(cand, trigger=noun.head.i, pattern="role_copula")


def _titles_next(noun: Token, ctx: Context) -> bool:
    """ "…, Foreign Minister A dismissed": the post is the title of the name right after it,
    whatever the parser hung it on."""
    nxt = ctx.names.at(noun.i + 1) if noun.i + 1 < len(ctx.doc) else None
    return nxt is not None and nxt.kind == "person" and noun.text[:1].isupper()


def _post_of(t: Token, ctx: Context) -> Token | None:
    """The noun ``t`` hangs on through "of" when ``t`` names an organisation ("head" in
    "the head of Mossad")."""
    m = ctx.names.at(t.i)
    if m is None or t.dep_ != "pobj":
        return None
    prep = t.head
    if prep.head.pos_ != "NOUN" or ctx.names.at(prep.head.i) is not None:
        return None
    if m.kind in ("org", "gov", "party") and prep.lower_ == "of":
        return prep.head
    # "an attorney for A, B": the post is one held for a person (which post, the post's
    # class decides)
    if m.kind == "person" and prep.lower_ in ("for", "to"):
        return prep.head
    return None


def _negated_be(v: Token) -> bool:
    """ "X is no longer the chairman", "X is not a member"."""
    return any(c.dep_ == "neg" or c.lower_ in ("longer", "never") for c in v.children)


def _someone_between(noun: Token, m: Mention, ctx: Context, served: Mention | None) -> bool:
    """Another person named between a post and a name ("the leader of X, A, met B"): the
    post is A's whatever the parser hung it on; the person it is held for does not count."""
    for k in _between(noun, m):
        other = ctx.names.at(k)
        if (
            other is not None
            and other.kind == "person"
            and other.name != m.name
            and other != served
        ):
            return True
    return False


def _between(noun: Token, m: Mention) -> range:
    if noun.i < m.start:
        return range(noun.i + 1, m.start)
    return range(m.end, noun.left_edge.i)  # ("A, B's spokesman": B is in the phrase)


def _pronouns(sent: Span, ctx: Context) -> list[Mention]:
    """The personal pronouns of ``sent`` resolved to a named person."""
    return [
        m
        for m in ctx.names.mentions
        if sent.start <= m.start < sent.end
        and m.kind == "person"
        and m.end - m.start == 1
        and ctx.doc[m.start].lower_ in ("he", "she")
    ]


def role_post_of_body(sent: Span, ctx: Context) -> Iterator[Candidate]:
    """ "former directors of Y A, B and C", "the chief executive of Y X": a post "of" a
    body, the name (or the names listed) right after the body's, with no comma between."""
    doc = ctx.doc
    for org in ctx.mentions_in(sent):
        if org.kind not in ("org", "party") or org.start < sent.start + 2:
            continue
        if doc[org.start - 1].lower_ != "of" or org.end >= sent.end:
            continue
        person = ctx.names.at(org.end)
        if person is None or person.kind != "person" or person.start != org.end:
            continue
        noun = doc[org.start - 2]
        if noun.pos_ != "NOUN":
            continue
        post = post_of([noun.lemma_.lower()], ctx)
        if post is None or post[0] not in ("job", "head"):
            continue
        former = doc[org.start - 3].lower_ in ("former", "ex") if org.start >= 3 else False
        people = [person]
        if noun.tag_ == "NNS":
            # ("directors of Y A, B and C": each listed is one)
            head = doc[person.end - 1]
            people += [
                m for c in head.conjuncts
                if (m := ctx.names.at(c.i)) is not None and m.kind == "person"
            ]  # fmt: skip
        for m in people:
            yield Candidate(
                "role", m.name, org.name, noun.i, noun.left_edge.i, m.end, "role_post_of_body",
                role=noun.lemma_.lower(), when="former" if former else "",
            )  # fmt: skip
