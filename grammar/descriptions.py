"""Descriptions by post: "the attorney general" as a mention of the one person the article
gives that post ("Attorney General Lord X"), or of the person the sentence before is about.

A stage between names and extractors: the reader finds the posts named with people first,
then adds these mentions to a new, read-only :class:`DocNames`.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import TYPE_CHECKING

from deniable.grammar.names import DocNames, Mention
from deniable.grammar.nlp import doc_tokens
from deniable.grammar.vocab import vocab

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

_DESCRIPTION_DETS = frozenset({"the", "his", "her", "its", "their"})


def with_descriptions(
    doc: Doc,
    names: DocNames,
    holders: dict[str, str],
    countries: Mapping[tuple[str, str], str] | None = None,
    leads: Mapping[str, str] | None = None,
) -> DocNames:
    """Add "the attorney general" as a mention of the one person the article gives that post,
    and "Russia's ambassador", "the Russian ambassador" as one of the one person it gives
    that country's post.

    ``holders`` maps a post as written ("attorney general") to the person the article names
    with it; posts held by more than one person in the article are left out by the caller.
    ``countries`` maps (government, post) to the one person named with that post of it.
    ``leads`` maps a post whose holder is a known leader of the article's country to that
    government: the description then also says they hold it ("the prime minister said").
    """
    names = _by_country(doc, names, countries or {})
    if not holders:
        return names
    longest = max(len(p.split()) for p in holders)
    added: list[Mention] = []
    starts = [s.start for s in doc.sents]
    first_named = _first_named(starts, names)
    k = 0
    while k < len(doc):
        if doc[k].lower_ not in _DESCRIPTION_DETS or names.at(k + 1) is not None:
            k += 1
            continue
        for n in range(longest, 0, -1):
            end = k + 1 + n
            if end > len(doc) or any(names.at(j) is not None for j in range(k + 1, end)):
                continue
            phrase = doc[k + 1 : end].text.lower()
            who = holders.get(phrase)
            nxt = names.at(end) if end < len(doc) else None
            root = doc[k + 1 : end].root
            beside = names.at(root.head.i) if root.dep_ == "appos" else None
            if beside is not None and beside.kind == "person" and beside.name != who:
                who = None  # "Lord B - the minister responsible": B, whoever else holds it
            if (
                who
                and (nxt is None or nxt.kind != "person")
                and doc[end - 1].pos_ != "ADJ"
                and (
                    # (a leader the lexicon knows holds the post wherever the article names them)
                    phrase in (leads or {})
                    or _named_by_then(who, bisect_right(starts, k) - 1, first_named)
                )
            ):
                # (only where it acts: "the prime minister's spokesman" says no more)
                gov = (
                    (leads or {}).get(phrase)
                    if _acts(doc[k + 1 : end].root) or _said_to(doc[k + 1 : end].root)
                    else None
                )
                added.append(Mention(k + 1, end, who, "person", (phrase, gov) if gov else None))
                k = end
                break
        else:
            k += 1
    return with_added(names, added)


def _said_to(head: Token) -> bool:
    """The phrase is whom something is given or said to ("the advice he gave to the prime
    minister", "his advice to the PM"): still the one who holds the post."""
    return head.dep_ == "pobj" and head.head.lower_ == "to"


def _first_named(starts: list[int], names: DocNames) -> dict[str, int]:
    """Each person -> the index of the sentence that first names them (``starts``: the
    sentences' first tokens, in order)."""
    out: dict[str, int] = {}
    for m in names.mentions:
        if m.kind == "person" and m.name not in out:
            out[m.name] = bisect_right(starts, m.start) - 1
    return out


def _named_by_then(who: str, sentence: int, first_named: dict[str, int]) -> bool:
    """The holder is named before the description, or in the sentence after it at the
    latest ("China's foreign minister … Foreign Minister X told him"): a post described
    long before anyone is named with it may be someone else's."""
    first = first_named.get(who)
    return first is None or first <= sentence + 1  # (None: a leader the lexicon supplies)


def _acts(head: Token) -> bool:
    """The phrase is a clause's subject, or one of its coordinated subjects."""
    subjects = ("nsubj", "nsubjpass")
    return head.dep_ in subjects or (head.dep_ == "conj" and head.head.dep_ in subjects)


def _by_country(doc: Doc, names: DocNames, countries: Mapping[tuple[str, str], str]) -> DocNames:
    """ "Russia's ambassador to Washington", "the Russian ambassador": a country's post whose
    one holder the article names."""
    if not countries:
        return names
    longest = max(len(post.split()) for _gov, post in countries)
    added: list[Mention] = []
    starts = [s.start for s in doc.sents]
    first_named = _first_named(starts, names)
    for gov in names.mentions:
        if gov.kind != "gov":
            continue
        k = gov.end + (1 if gov.end < len(doc) and doc[gov.end].lower_ in ("'s", "’s") else 0)
        possessive = k > gov.end
        if not possessive and not (gov.start > 0 and doc[gov.start - 1].lower_ == "the"):
            continue  # "Russian ambassador Sergey X" names him; "Russian officials" no one
        for n in range(longest, 0, -1):
            end = k + n
            if end > len(doc) or any(names.at(j) is not None for j in range(k, end)):
                continue
            who = countries.get((gov.name, doc[k:end].text.lower()))
            sent = doc[gov.start].sent
            # ("Russia's ambassador in London, Boris X,": the holder named there is titled)
            named_here = any(
                m.name == who and sent.start <= m.start < sent.end for m in names.mentions
            )
            here = bisect_right(starts, gov.start) - 1
            if who and not named_here and _named_by_then(who, here, first_named):
                added.append(Mention(gov.start, end, who, "person"))
                break
    if not added:
        return names
    # the country is part of the description now, not an actor of its own
    covered = {i for m in added for i in range(m.start, m.end)}
    kept = [m for m in names.mentions if m.start not in covered]
    return with_added(replace(names, mentions=tuple(kept)), added)


PostOf = Callable[[list[str]], "tuple[str, str] | None"]


def with_antecedents(
    doc: Doc, names: DocNames, post_of: PostOf, posted: Mapping[str, str]
) -> DocNames:
    """Add "The home secretary said …" as a mention of the person the sentence before is
    about, when the article names no one with that post.

    News prose names a person, then calls them by their post in the next sentence's subject
    (the headline's name, the lede's "the attorney general"). Only the subject of the very
    next sentence is read this way, and only for a government post the article gives to no
    one by name; ``post_of`` gives the post as written and its government (or None for
    posts that are not a government's), ``posted`` the post each person holds by name.
    """
    added: list[Mention] = []
    before: Mention | None = None
    for sent in doc.sents:
        subject = _subject(sent, names)
        this: Mention | None = None
        if subject is not None:
            this = names.at(subject.i)
            span = _definite(subject, names) if this is None else None
            if span is not None and before is not None and before.kind == "person":
                post = post_of([t.text for t in doc[span[0] : span[1]]])
                if (
                    post is not None
                    and posted.get(before.name, post[0]) == post[0]
                    and not _another_leader(post, before, names)
                ):
                    this = Mention(span[0], span[1], before.name, "person", post=post)
                    added.append(this)
        before = this if this is not None and this.kind == "person" else None
    return with_added(names, added)


_LEADER_POSTS = frozenset({"president", "prime minister", "premier", "pm"})


def _another_leader(post: tuple[str, str | None], before: Mention, names: DocNames) -> bool:
    """ "The prime minister" after a sentence about someone else, in an article that names a
    leader of that government: the post is not the last person's (who may be its critic)."""
    if post[0] not in _LEADER_POSTS or post[1] is None:
        return False
    leaders = vocab().leaders
    # "Mr Blair": a surname alone may stand for a leader, which is enough to doubt the guess
    surnames: dict[str, set[str]] = {}
    for full, gov in leaders.items():
        surnames.setdefault(full.split()[-1], set()).add(gov)

    def leads(name: str) -> bool:
        key = name.lower().replace(".", "")
        return leaders.get(key) == post[1] or (" " not in key and post[1] in surnames.get(key, ()))

    if leads(before.name):
        return False
    return any(
        m.kind == "person" and m.name != before.name and leads(m.name) for m in names.mentions
    )


def _subject(sent: Span, names: DocNames) -> Token | None:
    """The subject of a sentence's main verb, alone (not one of "A and B"); a headline's
    "Name: 'quote'" has the name as its subject."""
    first = sent[0]
    m = names.at(first.i)
    if m is not None and m.end < sent.end and sent.doc[m.end].text == ":":
        return sent.doc[m.end - 1]
    for c in sent.root.children:
        if c.dep_ in ("nsubj", "nsubjpass"):
            return None if any(g.dep_ == "conj" for g in c.children) else c
    return None


def _definite(head: Token, names: DocNames) -> tuple[int, int] | None:
    """Tokens of the post in "the home secretary" (the whole noun phrase is "the" and the
    post, nothing after it)."""
    left = head.left_edge.i
    if head.doc[left].lower_ != "the" or head.right_edge.i != head.i or head.i == left:
        return None
    if any(names.at(k) is not None for k in range(left, head.i + 1)):
        return None
    return left + 1, head.i + 1


_ORG_HEADS = vocab().cues["org_heads"]
_COMPANY = frozenset({"company", "firm", "group"})
_BODY_HEADS = _ORG_HEADS | _COMPANY


def with_org_descriptions(doc: Doc, names: DocNames) -> DocNames:
    """Add "the council", "the party's" as a mention of the one organisation or party the
    article names with that word in its name ("Muslim Council of Britain"), "the
    company" as the one company an article is about, and "the government" as the article's
    own country's where the sentence names no other."""
    by_word: dict[str, set[tuple[str, str]]] = {}
    for m in names.mentions:
        if m.kind in ("org", "party"):
            for w in m.name.lower().split():
                by_word.setdefault(w, set()).add((m.name, m.kind))
    added: list[Mention] = []
    for t in doc_tokens(doc):
        low = t.lower_
        if low not in _BODY_HEADS or names.at(t.i) is not None or t.i == 0:
            continue
        if doc[t.i - 1].lower_ != "the" or t.text != low:
            continue
        owners = by_word.get(low, set())
        # (only if no other body was named since: "… Compass, the catering group, …
        # the group's chief economist" is not the Nuclear Group's, five stories back)
        last = next(
            (m for m in reversed(names.mentions) if m.start < t.i and m.kind in ("org", "party")),
            None,
        )
        if len(owners) == 1 and (last is None or (last.name, last.kind) in owners):
            name, kind = next(iter(owners))
            added.append(Mention(t.i, t.i + 1, name, kind))
        elif not owners and low in _COMPANY and (called := _called_so(doc, t, names)):
            # "Reliance Energy, another Reliance Group company, … the company's chief": the
            # body the sentence itself calls a company
            added.append(Mention(t.i, t.i + 1, called, "org"))
        elif not owners and low in _COMPANY and names.company is not None:
            # "the company's chairman" in an article about one company
            added.append(Mention(t.i, t.i + 1, names.company, "org"))
        elif not owners and low in _COMPANY and (here := _named_here(t, names)):
            # "Wirecard said that … the company's chief compliance officer, X, would …": the
            # one organisation its own sentence names before it
            added.append(Mention(t.i, t.i + 1, here, "org"))
        elif not owners and low in _COMPANY | {"bank"} and (only := _only_body(doc, t, names)):
            # "the bank's chairman" where the article has named one organisation so far,
            # in this sentence or the two before
            added.append(Mention(t.i, t.i + 1, only, "org"))
    for t in doc_tokens(doc):
        # "the government" in an article placed in a country is that country's, when the
        # sentence names no other government ("the Argentine government" has its own name)
        if (
            t.lower_ == "government"
            and t.text == "government"
            and t.i > 0
            and doc[t.i - 1].lower_ == "the"
            and names.home is not None
            and names.at(t.i) is None
            and not any(c.dep_ in ("amod", "compound", "poss") for c in t.children)
            and not any(
                m.kind == "gov" and m.name != names.home
                for m in names.mentions
                if t.sent.start <= m.start < t.sent.end
            )
        ):
            added.append(Mention(t.i, t.i + 1, names.home, "gov"))
    return with_added(names, added)


def _named_here(t: Token, names: DocNames) -> str | None:
    """The one organisation ``t``'s sentence names before it, when it names no other body."""
    bodies = {
        m.name
        for m in names.mentions
        if t.sent.start <= m.start < t.sent.end and m.kind in ("org", "gov", "party")
    }
    before = {m.name for m in names.mentions if t.sent.start <= m.start < t.i and m.kind == "org"}
    return next(iter(before)) if len(before) == 1 and bodies == before else None


_PUBLIC_BODIES = vocab().cues["public_bodies"]


def _only_body(doc: Doc, t: Token, names: DocNames) -> str | None:
    """The one organisation the article has named before ``t``, if it was named in ``t``'s
    sentence or the two before."""
    before = [m for m in names.mentions if m.start < t.i and m.kind == "org"]
    if t.lower_ in _COMPANY:
        # ("the company" after "the Serious Fraud Office charged four men of X": not the
        # office, the court or the agency)
        before = [m for m in before if m.name.lower().split()[-1] not in _PUBLIC_BODIES]
    if len({m.name for m in before}) != 1:
        return None
    sents = list(doc.sents)
    here = next(k for k, s in enumerate(sents) if s.start <= t.i < s.end)
    recent = sents[max(0, here - 2)].start
    return before[0].name if before[-1].start >= recent else None


def _called_so(doc: Doc, t: Token, names: DocNames) -> str | None:
    """The one organisation named earlier in ``t``'s sentence or the one before with
    ``t``'s word in apposition ("X, another Y company,", "its flagship company, X,")."""
    start = t.sent.start
    if start > 0:
        start = doc[start - 1].sent.start

    def called(m: Mention) -> bool:
        root = doc[m.start : m.end].root
        if root.dep_ == "appos" and root.head.lower_ == t.lower_:
            return True
        return any(c.dep_ == "appos" and c.lower_ == t.lower_ for c in root.children)

    found = {
        m.name for m in names.mentions if start <= m.start < t.i and m.kind == "org" and called(m)
    }
    return found.pop() if len(found) == 1 else None


def with_added(names: DocNames, added: list[Mention]) -> DocNames:
    """A new, read-only :class:`DocNames` with ``added`` among its mentions."""
    if not added:
        return names
    mentions = tuple(sorted((*names.mentions, *added), key=lambda m: m.start))
    by_token = {i: m for m in mentions for i in range(m.start, m.end)}
    return replace(names, mentions=mentions, by_token=by_token)
