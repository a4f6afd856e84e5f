"""Roles read from the post written before a name: "Tory leader Michael Howard", "Kremlin
spokesman X", "Putin's envoy X"; and the post a description stands for ("the home secretary
said").

A role phrase ends in a post from ``posts.txt``; the organisation is the name beside it (an
organisation, a party, a country standing for its government), or for government posts named
alone the article's own country.  Posts written after a name ("X, vice-chairman of Y") are
:mod:`deniable.grammar.role_appositions`.  Each function here is an extractor: a pure function
of one sentence and the document context.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import TYPE_CHECKING

from deniable.grammar.candidate import Candidate, Context
from deniable.grammar.kinds import leader_government
from deniable.grammar.names import LOWER_HOUSES, Mention
from deniable.grammar.portfolios import is_portfolio
from deniable.grammar.post_bodies import (
    club_post,
    ends_a_name,
    for_post,
    leading_name,
    of_after,
    of_post,
    of_unknown,
    officer_post,
)
from deniable.grammar.role_nouns import (
    campaign_post,
    its_org,
    join_hyphens,
    leader_seat,
    org_for,
    post_of,
    staff_post,
    unknown_nation,
)
from deniable.grammar.sole_firms import sole_firm, spoken_for
from deniable.grammar.vocab import SOLE_POSTS, vocab

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

_FORMER = vocab().cues["former"]
_REMOVED = vocab().cues["removed_verbs"]
_SPEAKERS = frozenset({"spokesman", "spokeswoman", "spokesperson"})
_ROLE_POS = frozenset({"NOUN", "PROPN", "ADJ"})
_MEMBER_PREPS = frozenset({"from", "of", "at", "for"})
_ORDINALS = frozenset({"first", "second", "third"})
_HEADLINE_VERBS = (
    vocab().cues["charge_verbs"]
    | vocab().cues["deny"]
    | vocab().cues["speech"]
    | frozenset({"meet", "call", "phone", "sack", "fire", "appoint", "name", "quit", "slam"})
)


def _headline_verb(low: str) -> bool:
    """ "arrests", "denies", "meets": a verb's third person a title-case headline
    capitalises (the verbs of facts and speech only; "chairs" and "heads" are posts)."""
    if low.endswith("ies"):
        return low[:-3] + "y" in _HEADLINE_VERBS
    return low.endswith("s") and (low[:-1] in _HEADLINE_VERBS or low[:-2] in _HEADLINE_VERBS)


_HONORIFIC_STYLES = frozenset({"sheikh", "sheikha"})


def role_before_name(sent: Span, ctx: Context) -> Iterator[Candidate]:
    """ "Former WorldCom chief Bernie Ebbers", "UK Foreign Secretary Jack Straw"."""
    doc = ctx.doc
    for m in _people(sent, ctx):
        words: list[str] = []
        portfolio: list[str] = []
        org: Mention | None = None
        former = possessive = for_person = placed = department = False
        k = m.start - 1
        if k > sent.start and doc[k].lower_ in _HONORIFIC_STYLES and ctx.names.at(k) is None:
            k -= 1  # "Emir Sheikh Tamim": the style between the post and the name
        while k >= sent.start:
            t = doc[k]
            low = t.lower_
            inner = ctx.names.at(k)
            if inner is not None and org is None:
                text = doc[inner.start : inner.end].text
                if (
                    not words
                    and not portfolio
                    and inner.start > sent.start + 1
                    and doc[inner.start - 1].lower_ in ("for", "of")
                    and for_post(doc, inner.start - 1, text.split(), ctx)
                    and (doc[inner.start - 1].lower_ == "for" or inner.kind == "org")
                ):
                    # "Minister for Europe X": a place that is the post's portfolio;
                    # "Minister of Social Affairs X": a portfolio the tagger took for a body
                    portfolio = [doc[inner.start - 1].lower_, text]
                    k = inner.start - 2
                    continue
                if " ".join([text, *words]).lower() in ctx.vocab.posts or (
                    words and f"{text} {words[0]}".lower() in ctx.vocab.posts
                ):
                    # "Solicitor General", "Defense Minister": a post the tagger took for a name
                    words = [text, *words]
                    k = inner.start - 1
                    continue
                split = _country_and_post(inner, words, ctx)
                if split is not None:
                    # "U.S. National Security Adviser": a country and a post, taken as one name
                    org, words = split
                    k = inner.start - 1
                    continue
                if (
                    inner.kind == "place"
                    and inner.start >= 2
                    and doc[inner.start - 1].lower_ == "in"
                    and doc[inner.start - 2].lower_ in ctx.vocab.post_vocabulary
                ):
                    k = inner.start - 2  # "Russia's ambassador in London X": the posting
                    continue
                if inner.kind == "gov" and words and ends_a_name(inner, ctx):
                    break  # "Seven-Eleven Japan President X": a company's, not Japan's
                if inner.kind == "place" and words and club_post(inner, words, ctx):
                    # "Leeds United chairman X": a club named for its town employs X
                    org = replace(inner, kind="org")
                    k = inner.start - 1
                    continue
                if inner.kind == "place" and words:
                    # "New York Attorney General X", "Texas Governor X": the state's post,
                    # not the national government's
                    placed = True
                if inner.kind == "place" or not (words or possessive or inner.kind == "party"):
                    break  # "Oxfam Max Lawson": a name right before a name is no role
                if inner.kind == "person" and (possessive or t.tag_ == "PRP$"):
                    # "Parnas' attorney X", "his lawyer X": a post held for that person
                    if words and words[0].lower() != "former":
                        org, for_person = inner, True
                    break
                if inner.kind == "person" and not _lone_word(inner, ctx):
                    break
                if is_portfolio(text) and words:
                    # "Housing Minister X", "Works and Housing Minister": a portfolio the
                    # tagger took for an organisation is part of the post
                    words = [text, *words]
                    k = inner.start - 1
                    continue
                first, _, rest = text.partition(" ")
                # (a country's name before a ministry names the ministry: "US Treasury")
                adjective = first.lower() in ctx.vocab.adjectives and not first.isupper()
                gov = (
                    ctx.vocab.government(first)
                    if adjective and words and is_portfolio(rest)
                    else None
                )
                if gov is not None:
                    # "Mongolian Justice" + "and Home Affairs Minister X": the tagger's body
                    # is a country and a portfolio
                    org = Mention(inner.start, inner.start + 1, gov, "gov")
                    words = [rest, *words]
                    k = inner.start - 1
                    continue
                org = inner if inner.kind != "person" else _as_org(inner, ctx)
                k = inner.start - 1
                continue
            if low in _FORMER or (
                low == "-" and k > sent.start and doc[k - 1].lower_ in ("ex", "then")
            ):
                former = True
            elif t.tag_ == "VBN" and t.lemma_.lower() in _REMOVED and org is None:
                former = True  # "ousted chief executive X": a post taken away
            elif (
                (low in ("'s", "’s") or (t.tag_ == "POS" and low in ("'", "’")))
                and org is None
                and ctx.names.at(k - 1) is not None
            ):
                possessive = True
            elif (
                t.text in ("-", "–")
                and words
                and org is None
                and k > sent.start
                and doc[k - 1].is_alpha
                and not t.whitespace_
                and not doc[k - 1].whitespace_
            ):
                words.insert(0, "-")  # "Under-Secretary", "director-general"; not a dateline
            elif org is None and words and words[0] == "-" and t.is_alpha and not t.whitespace_:
                words.insert(0, t.text)  # "Under-Secretary": the tagger's preposition
            elif low == "of" and org is None and of_post(doc, k, words, ctx):
                words.insert(0, t.text)  # "Secretary of State X", "Chief of Staff X"
            elif (
                low == "the"
                and org is None
                and k > sent.start
                and doc[k - 1].lower_ == "of"
                and of_post(doc, k - 1, [t.text, *words], ctx)
            ):
                words.insert(0, t.text)  # "Chancellor of the Exchequer X"
            elif (
                low in ("for", "of")
                and org is None
                and not portfolio
                and for_post(doc, k, words, ctx)
            ):
                # "Secretary of State for Housing X", "Minister for Europe X", "Minister of
                # Public Works X": the post, and its portfolio after "for" or "of"
                portfolio, words = [low, *words], []
            elif (
                low == "of"
                and org is None
                and not portfolio
                and 0 < len(words) <= 2
                and all(w.islower() and w.isalpha() for w in words)
                and k > sent.start
                and doc[k - 1].lower_ in ("head", "director", "chief")
            ):
                # "X's former head of oil Y": a department's head, the department after "of"
                portfolio, words, department = [low, *words], [], True
            elif (
                low == "and"
                and org is None
                and words
                and k > sent.start
                and (
                    " ".join([doc[k - 1].lower_, "and", *words]).lower() in ctx.vocab.posts
                    or (is_portfolio(doc[k - 1].text) and is_portfolio(words[0]))
                )
            ):
                # "Work and Pensions Secretary X", "Justice and Home Affairs Minister Y"
                words.insert(0, t.text)
            elif low == "and" and org is None and words and (two := _first_post(doc, k, ctx)):
                # "Saudi Crown Prince and Prime Minister X": both posts are the country's
                org = two
                break
            elif org is not None or t.is_punct or (t.like_num and t.lower_ not in _ORDINALS):
                break  # ("First Minister X": an ordinal of the post)
            elif (
                t.pos_ not in _ROLE_POS
                and not (t.tag_ == "VBG" and t.dep_ == "amod")
                and not (low == "shadow" and words)
            ):
                break  # "founding chairman" keeps its participle; "shadow" tagged a verb
            elif low.startswith("ex-"):
                former = True
                words.insert(0, t.text[3:])
            elif _headline_verb(low):
                break  # "X Arrests Former Governor Y": a title-case headline's verb
            else:
                words.insert(0, t.text)
            k -= 1
        words = join_hyphens(words)
        if department and (org is None or org.kind != "org"):
            continue  # ("Russia's head of military intelligence": a body of its own)
        if for_person:
            post = post_of(words, ctx)
            assert org is not None
            # "X's media assistant Y": a post in X's service, at the seat X leads if any
            staff = post is not None and post[0] in ("job", "party") and staff_post(post[1])
            # "Putin's envoy X": a government post held under a leader is that government's
            envoy = leader_government(org.name) if post is not None and post[0] == "gov" else None
            served: str | None = None
            if post is not None and (post[0] == "personal" or staff) and org.name != m.name:
                seat = staff and not campaign_post(post[1])
                served = (leader_seat(org, ctx) if seat else None) or org.name
            elif envoy is not None:
                served = envoy
            if post is not None and served is not None:
                phrase = " ".join(w for w in post[1].split() if w != "other")
                yield Candidate(
                    "role", m.name, served, m.end - 1, org.start, m.end,
                    "role_for_person", role=phrase,
                )  # fmt: skip
            continue
        if (
            org is not None
            and not words
            and ((possessive and org.kind in ("org", "party")) or org.kind == "party")
        ):
            # "Labour's Paul Flynn", "the BBC's Paul Reynolds", "Conservative Graham Brady"
            cls, phrase = "job", "member"
        else:
            post = post_of(words, ctx)
            if post is None:
                continue
            cls, phrase = post
            if portfolio:
                phrase = " ".join([phrase, *portfolio]).lower()
            lead = max(sent.start, m.start - len(words) - len(portfolio))
            while (
                lead > sent.start
                and lead > m.start - len(words) - 3
                and doc[lead - 1].text[:1].isupper()
                and ctx.names.at(lead - 1) is None
            ):
                lead -= 1  # ("Scottish First Minister X": the walk stopped at "First")
            if org is None and unknown_nation(doc[lead : m.start - len(portfolio)]):
                continue  # "Ruritanian Foreign Minister X": a country the lexicon lacks
            if org is None and placed:
                continue  # a post of the place named before it: its government is no name here
            if org is None and " ".join(words).lower() not in ctx.vocab.posts:
                if phrase.split()[-1:] in (["governor"], ["mayor"]):
                    continue  # "Imo Governor X": a place's post, the place no body
                # ("National Security Adviser" is one post, not an adviser of a body)
                org, phrase = leading_name(words, phrase, m, ctx)
        after = of_after(m, ctx)
        if after is None and org is None and cls in ("gov", "head") and of_unknown(m, ctx):
            continue  # "Defence Minister X of Zemlia": not the article's country
        known = leader_government(m.name) if cls in ("head", "gov") else None
        name = (
            known
            if org is None and after is None and known
            else org_for(cls, org, after, ctx, phrase)
        )
        if name is None and org is not None and org.kind == "gov" and words == ["leader"]:
            # "North Korean leader X": the country's leader heads its government (not
            # "Russian opposition leader Y")
            name, phrase = org.name, "head"
        if (
            name is None
            and org is None
            and after is None
            and phrase == "speaker"
            and words[-1] == "Speaker"
        ):
            # "Speaker X": the presiding officer of the article's country's lower house
            name = LOWER_HOUSES.get(ctx.names.home or "")
        if name is None and org is None and after is None and officer_post(cls, phrase):
            # "chief executive X" in an article about one company, or in a sentence that
            # names one company and no other body
            its = k >= sent.start and doc[k].lower_ == "its"
            # ("its chief executive X": the company named before it in the sentence)
            # (the article's company only where the sentence names no other firm before
            # the post: "Lobbying firm W has amended its filings to show that former
            # chairman X ..." is W's chairman, whatever the article is about)
            other = any(
                x.kind == "org" and x.name != ctx.names.company and x.end <= m.start
                for x in ctx.mentions_in(sent)
            )
            name = (its_org(sent, m.start, ctx) if its else None) or (
                (ctx.names.company if not other else None) or sole_firm(sent, m, ctx)
            )
            inside = {
                x.name for x in ctx.mentions_in(sent) if m.start - len(words) <= x.start < m.start
            }
            if name in inside:
                name = None  # "state Transportation Director X": the portfolio, not a firm
        if name is None and org is None and after is None and phrase in _SPEAKERS:
            # "The ministry declined to comment, spokesman X said": the body X speaks for
            name = spoken_for(m, ctx)
        if name is None or name == m.name:
            continue
        start = org.start if org is not None else m.start - len(words)
        yield Candidate(
            "role",
            m.name,
            name,
            m.end - 1,
            max(sent.start, start),
            m.end,
            "role_before_name",
            role=phrase,
            when="former" if former else "",
        )


def government_post(words: list[str], ctx: Context) -> tuple[str, str] | None:
    """(post as written, its government) when ``words`` are exactly a government's post
    ("home secretary", "attorney general" in an article whose country is known)."""
    post = post_of(words, ctx)
    if post is None or post[0] not in ("gov", *SOLE_POSTS) or post[1] not in ctx.vocab.posts:
        return None
    org = org_for(post[0], None, None, ctx)
    return (post[1], org) if org is not None else None


def role_of_description(sent: Span, ctx: Context) -> Iterator[Candidate]:
    """ "The home secretary said …" standing for the person named just before: the post is
    theirs (see :func:`deniable.grammar.descriptions.with_antecedents`)."""
    for m in _people(sent, ctx):
        if m.post is not None:
            phrase, org = m.post
            yield Candidate(
                "role", m.name, org, m.end - 1, m.start, m.end, "role_of_description", role=phrase
            )


def _first_post(doc: Doc, k: int, ctx: Context) -> Mention | None:
    """The country of the first of two posts joined by "and" at ``k`` ("Saudi Crown Prince
    and Prime Minister X"): named right before the first post's capitalised words."""
    j = k - 1
    while j > k - 5 and j >= 0 and doc[j].text[:1].isupper() and ctx.names.at(j) is None:
        j -= 1
    if j == k - 1 or j < 0:
        return None
    post = [doc[i].text for i in range(j + 1, k)]
    if post_of(post, ctx) is None:
        return None
    named = ctx.names.at(j)
    if named is not None and named.kind == "gov":
        return named
    if j >= 1 and doc[j].lower_ in ("'s", "’s") and (owner := ctx.names.at(j - 1)) is not None:
        return owner if owner.kind == "gov" else None
    return None


def _lone_word(m: Mention, ctx: Context) -> bool:
    """A one-word "person" with no full name, honorific or gender: the tagger's guess only."""
    return (
        m.end - m.start == 1
        and m.name == ctx.doc[m.start].text
        and m.name not in (ctx.names.genders)
    )


def _as_org(m: Mention, ctx: Context) -> Mention:
    return Mention(m.start, m.end, m.name, "org")


def _country_and_post(
    inner: Mention, words: list[str], ctx: Context
) -> tuple[Mention, list[str]] | None:
    """A name that is a country's name and the first words of a post after it."""
    toks = ctx.doc[inner.start : inner.end]
    for j in range(1, len(toks)):
        tail = [t.text for t in toks[j:]] + words
        if " ".join(tail).lower() not in ctx.vocab.posts:
            continue
        gov = ctx.vocab.government(toks[:j].text)
        if gov is None:
            return None
        return Mention(inner.start, inner.start + j, gov, "gov"), tail
    return None


def _people(sent: Span, ctx: Context) -> list[Mention]:
    out: list[Mention] = []
    for m in ctx.names.mentions:
        if m.start >= sent.start and m.end <= sent.end and m.kind == "person":
            if m.end - m.start == 1 and ctx.doc[m.start].pos_ == "PRON":
                continue
            out.append(m)
    return out


def _head(m: Mention, ctx: Context) -> Token:
    """The syntactic head of a mention's tokens."""
    root = ctx.doc[m.start : m.end].root
    up = root.head
    if root.dep_ == "compound" and up.i == m.end and up.text in _POSTNOMINALS:
        return up  # "X QC, a member of Y": the parser heads the name with its letters
    return root


_POSTNOMINALS = vocab().cues["postnominals"]
