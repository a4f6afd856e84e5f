"""The body a post written before a name belongs to, read from the words around it where
the tagger named no body: a club named for its town ("Leeds United chairman X"), a company's
name that ends in a country's ("Seven-Eleven Japan President X"), capitalised words before
the post ("Gazprom chairman X"); and how a post is written around the name ("Secretary of
State X", "Minister for Europe X", "President X of Y", a company officer's post).

Helpers of :func:`deniable.grammar.role_phrases.role_before_name`: pure functions of the
words and the document context.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from deniable.grammar.lexicon import lexicon
from deniable.grammar.names import Mention
from deniable.grammar.namewords import CALENDAR_WORDS
from deniable.grammar.portfolios import is_portfolio
from deniable.grammar.role_nouns import post_of
from deniable.grammar.vocab import SOLE_POSTS, vocab

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from deniable.grammar.candidate import Context

_FORMER = vocab().cues["former"]
_ADDRESS_STYLES = vocab().cues["address_styles"]
_CLUB_ENDS = vocab().cues["club_ends"]


def ends_a_name(gov: Mention, ctx: Context) -> bool:
    """A country word that a capitalised word no mention took runs into ("Seven-Eleven
    Japan", "Vodafone UK"): the end of a company's name."""
    k = gov.start - 1
    if k < 0 or ctx.names.at(k) is not None:
        return False
    t = ctx.doc[k]
    return (
        t.text[:1].isupper()
        and t.pos_ == "PROPN"
        and not t.is_sent_start
        and t.lower_ not in ctx.vocab.post_vocabulary
        and lexicon().titles.match([t.lower_], 0) is None
        and t.lower_ not in _FORMER
    )


def club_post(place: Mention, words: list[str], ctx: Context) -> bool:
    """A place name ending as a club's does ("Manchester City") before a post at a firm."""
    post = post_of(words, ctx)
    text = ctx.doc[place.start : place.end].text.split()
    return (
        post is not None
        and post[0] == "job"
        and len(text) > 1
        and text[-1].lower() in _CLUB_ENDS
        and place.name.lower() not in ctx.vocab.governments
    )


def leading_name(
    words: list[str], phrase: str, m: Mention, ctx: Context
) -> tuple[Mention | None, str]:
    """ "Gazprom chairman X": capitalised words before the post that no post contains name
    the organisation, when the tagger did not."""
    n = len(words)
    for cut in range(n - 1, 0, -1):
        head, tail = words[:cut], words[cut:]
        if post_of(tail, ctx) is None:
            continue
        if is_portfolio(" ".join(head)):
            break  # "Public Enterprises Minister X": the post's portfolio, not a body
        # Hyphenated words are three tokens ("director", "-", "general"); a portfolio the
        # tagger named is several ("Justice and Home Affairs").
        k0 = m.start - sum(2 * w.count("-") + len(w.split()) for w in words)
        adjective = cut == 1 and head[0].lower() in ctx.vocab.adjectives and head[0].istitle()
        gov = ctx.vocab.government(head[0]) if adjective else None
        if gov is not None:
            # "Former Mongolian Justice Minister X": the country's post, whatever the tagger
            # made of its adjective
            return Mention(k0, k0 + 1, gov, "gov"), " ".join(w.lower() for w in tail)
        plain = all(
            w[:1].isupper()
            and w.lower() not in ctx.vocab.post_vocabulary
            and (w.lower() not in CALENDAR_WORDS or len(head) > 1)
            and w.lower() not in lexicon().nouns.single
            and not is_portfolio(w)
            and w.lower() not in _ADDRESS_STYLES
            for w in head
        )
        placed = ctx.doc[k0].i > ctx.doc[k0].sent.start or _capitalised_elsewhere(head[0], ctx)
        nominal = all(ctx.doc[k0 + j].pos_ in ("PROPN", "NOUN") for j in range(cut))
        if plain and placed and nominal:
            org = Mention(k0, k0 + cut, _full_org(" ".join(head), ctx), "org")
            return org, " ".join(w.lower() for w in tail)
    return None, phrase


def _full_org(short: str, ctx: Context) -> str:
    """ "Charter" in an article that names "Charter Communications": the one organisation
    whose name begins with these words."""
    longs = {
        m.name
        for m in ctx.names.mentions
        if m.kind == "org" and m.name.startswith(short + " ") and m.name != short
    }
    return longs.pop() if len(longs) == 1 else short


def _capitalised_elsewhere(word: str, ctx: Context) -> bool:
    """A sentence's first word is capitalised anyway: trust it as a name only if the article
    capitalises it elsewhere too."""
    return any(t.text == word and t.i > t.sent.start for t in ctx.doc)


def of_post(doc: Doc, k: int, words: list[str], ctx: Context) -> bool:
    """ "of" at ``k`` inside a post written with it ("secretary of state")."""
    if not words or k < 1:
        return False
    phrase = f"{doc[k - 1].lower_} of {' '.join(words).lower()}"
    return any(p == phrase or p.endswith(f" {phrase}") for p in _OF_POSTS)


def for_post(doc: Doc, k: int, words: list[str], ctx: Context) -> bool:
    """ "for" at ``k`` between a government's post and its capitalised portfolio."""
    if not words or k < 1 or not all(w[:1].isupper() or w in ("and", "-") for w in words):
        return False
    before = [doc[j].text for j in range(max(0, k - 4), k)]
    post = post_of(before, ctx)
    return post is not None and post[0] in ("gov", *SOLE_POSTS) and doc[k - 1].text[:1].isupper()


_OF_POSTS = frozenset(p for p in vocab().posts if " of " in p)


def of_after(m: Mention, ctx: Context) -> Mention | None:
    """ "President Nestor Kirchner of Argentina": the country after the name."""
    doc = ctx.doc
    if m.end + 1 < len(doc) and doc[m.end].lower_ == "of":
        return ctx.names.at(m.end + 1)
    return None


def of_unknown(m: Mention, ctx: Context) -> bool:
    """ "X of Zemlia": a proper name after "of" that names no one the reader knows."""
    doc = ctx.doc
    k = m.end + 1
    return (
        k < len(doc)
        and doc[m.end].lower_ == "of"
        and doc[k].pos_ == "PROPN"
        and ctx.names.at(k) is None
    )


_OFFICERS = vocab().cues["officer_posts"]


def officer_post(cls: str, phrase: str) -> bool:
    """A company officer's post ("chief executive", "finance director")."""
    # "chairman" is a party's post too; named alone in an article about a company, the firm's
    return cls in ("job", "party") and phrase.split()[-1] in _OFFICERS
