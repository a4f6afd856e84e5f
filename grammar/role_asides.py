"""Roles read from the words set beside a name: an American legislator's party letters
("Sen. X (R-Ohio)"), a party's name as a noun ("X, a Republican,"), a country's post set off
by a comma before the name ("Russian Ambassador to the United States, X,"), a body ("X, of
Investec Securities,", "Y, one of his companies,"), a party called someone's own ("X's
Likud").  Extractors, like those of :mod:`~deniable.grammar.role_phrases`: pure functions of a
sentence and the document context.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from deniable.grammar.candidate import Candidate, Context
from deniable.grammar.role_nouns import post_of
from deniable.grammar.role_phrases import _head, _people
from deniable.grammar.spellings import US_PARTY_CODE
from deniable.grammar.vocab import vocab

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

    from deniable.grammar.names import Mention

_POST_WORDS = vocab().post_vocabulary


def role_before_comma(sent: Span, ctx: Context) -> Iterator[Candidate]:
    """ "Russian Ambassador to the United States, Sergei X,": a country's post set off
    before the name, read from the words where the parser lost the apposition."""
    doc = ctx.doc
    for m in _people(sent, ctx):
        k = m.start - 2
        if k <= sent.start or doc[m.start - 1].text != ",":
            continue
        posting = ctx.names.at(k)
        if posting is not None and posting.kind in ("gov", "place"):
            # "... to the United States": where the post is held, not whose it is
            j = posting.start - 1
            j -= 1 if doc[j].lower_ == "the" else 0
            if doc[j].lower_ not in ("to", "in"):
                continue
            k = j - 1
        words: list[str] = []
        while k >= sent.start and ctx.names.at(k) is None and doc[k].lower_ in _POST_WORDS:
            words.insert(0, doc[k].text)
            k -= 1
        country = ctx.names.at(k) if k >= sent.start else None
        post = post_of(words, ctx) if words else None
        if post is None or post[0] not in ("gov", "head") or country is None:
            continue
        if country.kind != "gov" or country.end != k + 1:
            continue
        yield Candidate(
            "role", m.name, country.name, m.end - 1, country.start, m.end, "role_before_comma",
            role=post[1],
        )  # fmt: skip


def role_party_code(sent: Span, ctx: Context) -> Iterator[Candidate]:
    """ "Sen. X, R-Ohio," / "Rep. X (D-Calif.)": the party letter after an American
    legislator's name is the party they sit for."""
    doc = ctx.doc
    for m in _people(sent, ctx):
        if m.end + 1 >= sent.end or doc[m.end].text not in (",", "("):
            continue
        k = m.end + 1
        # the tagger names the code, or only the state after the letter ("R-Ohio")
        code = doc[k : min(k + 4, sent.end)].text.split(",")[0].split(")")[0].strip()
        found = US_PARTY_CODE.fullmatch(code)
        if found is None or found.group(1) == "I" or doc[k].whitespace_:
            continue
        party = "Republican Party" if found.group(1) == "R" else "Democratic Party"
        yield Candidate(
            "role", m.name, party, m.end, m.start, k + 1, "role_party_code", role="member"
        )


def role_party_member(sent: Span, ctx: Context) -> Iterator[Candidate]:
    """ "X, a Republican from Ohio,": the party's name as a noun, in apposition, is a member."""
    for m in _people(sent, ctx):
        for c in _head(m, ctx).children:
            party = ctx.names.at(c.i)
            if c.dep_ != "appos" or party is None or party.kind != "party":
                continue
            # "X, a (the top) Republican on the Senate Armed Services Committee": a member
            # of the committee too
            for body in _on_a_body(c, ctx):
                yield Candidate(
                    "role", m.name, body.name, c.i, m.start, body.end, "role_party_member",
                    role="member",
                )  # fmt: skip
            if c.i != party.end - 1 or not any(
                d.dep_ == "det" and d.lower_ in ("a", "an") for d in c.children
            ):
                continue  # "X, the Republican nominee": a post, read elsewhere
            yield Candidate(
                "role", m.name, party.name, c.i, m.start, c.i + 1, "role_party_member",
                role="member",
            )  # fmt: skip


def _on_a_body(t: Token, ctx: Context) -> list[Mention]:
    """The committee, board or panel after "on" ("on the Senate Armed Services Committee")."""
    out: list[Mention] = []
    for p in t.children:
        if p.dep_ != "prep" or p.lower_ != "on":
            continue
        for g in p.children:
            m = ctx.names.at(g.i) if g.dep_ == "pobj" else None
            if m is not None and m.kind == "org" and m.name.split()[-1].lower() in _BODIES:
                out.append(m)
    return out


_BODIES = vocab().cues["member_bodies"]


def role_own_party(sent: Span, ctx: Context) -> Iterator[Candidate]:
    """ "X's Likud party", "X's Labour": a party named as a person's own is theirs."""
    doc = ctx.doc
    for party in ctx.mentions_in(sent):
        # (a party the lexicon lacks still calls itself one: "the Blue and White Party")
        if party.kind != "party" and not (
            party.kind == "org" and party.name.split()[-1].lower() == "party"
        ):
            continue
        root = doc[party.start : party.end].root
        for c in (*root.children, *doc[party.start : party.end]):
            if c.dep_ != "poss":
                continue
            who = ctx.names.at(c.i)
            if who is None or who.kind != "person" or who.end > party.start:
                continue
            if who.end != party.start - 1 or doc[who.end].lower_ not in ("'s", "’s", "'", "’"):
                continue  # ("X's rival's party": someone else's)
            yield Candidate(
                "role", who.name, party.name, party.end - 1, who.start, party.end,
                "role_own_party", role="member",
            )  # fmt: skip
            break


_HOLDINGS = frozenset({"companies", "firms", "businesses", "holdings", "ventures"})


def role_one_of_his(sent: Span, ctx: Context) -> Iterator[Candidate]:
    """ "Y, one of his companies,": the owner of Y is whoever "his" stands for."""
    doc = ctx.doc
    for m in ctx.mentions_in(sent):
        if m.kind != "org":
            continue
        for one in doc[m.start : m.end].root.children:
            if one.dep_ != "appos" or one.lower_ != "one":
                continue
            for of in (c for c in one.children if c.dep_ == "prep" and c.lower_ == "of"):
                for noun in (g for g in of.children if g.dep_ == "pobj"):
                    owners = [
                        x
                        for c in noun.children
                        if c.dep_ == "poss" and (x := ctx.names.at(c.i)) is not None
                    ]
                    if noun.lower_ in _HOLDINGS and len(owners) == 1 and owners[0].kind == "person":
                        yield Candidate(
                            "role", owners[0].name, m.name, one.i, m.start, noun.i + 1,
                            "role_one_of_his", role="owner",
                        )  # fmt: skip


def role_from_org(sent: Span, ctx: Context) -> Iterator[Candidate]:
    """ "X, from Human Rights Watch," / "X, of Investec Securities": a member of the org."""
    doc = ctx.doc
    for m in _people(sent, ctx):
        if m.end + 2 >= sent.end or doc[m.end].text != ",":
            continue
        if doc[m.end + 1].lower_ not in ("from", "of", "for"):
            continue
        org = ctx.names.at(m.end + 2) or (
            ctx.names.at(m.end + 3) if doc[m.end + 2].lower_ == "the" else None
        )
        if org is None or org.kind not in ("org", "party"):
            continue
        nxt = doc[org.end] if org.end < len(doc) else None
        if nxt is not None and nxt.text not in (",", ".", ";", ")") and nxt.pos_ != "VERB":
            continue
        yield Candidate(
            "role", m.name, org.name, m.end - 1, m.start, org.end, "role_from_org", role="member"
        )
