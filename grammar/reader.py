"""The spaCy-based reader: document -> parse -> names -> candidates -> modality -> facts.

Each stage hands a typed, read-only value to the next: the spaCy ``Doc``, the document's
:class:`~deniable.grammar.names.DocNames`, the extractors' :class:`Candidate` values (every
extractor is listed in :data:`EXTRACTORS`), and the modality that
:func:`deniable.grammar.stance.decide` gives each.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from deniable.facts.model import Document, EntityType, Evidence, Fact, Modality, Sentence
from deniable.facts.predicates import default_type
from deniable.grammar import (
    charges,
    clause_calls,
    clause_events,
    denied_claims,
    phone_talks,
    pictures,
    role_appositions,
    role_asides,
    role_clauses,
    role_phrases,
    spoken_denials,
    talks,
    visits,
)
from deniable.grammar.candidate import Candidate, Context, Extractor
from deniable.grammar.descriptions import (
    with_antecedents,
    with_descriptions,
    with_org_descriptions,
)
from deniable.grammar.groups import with_groups
from deniable.grammar.kind_descriptions import ambiguous_kinds, with_kind_descriptions
from deniable.grammar.names import read_names
from deniable.grammar.nlp import MAX_BLOCK, doc_tokens, parse
from deniable.grammar.quotes import inner_sentences, quotations
from deniable.grammar.sources import speaker_of
from deniable.grammar.stance import decide
from deniable.grammar.vocab import vocab

if TYPE_CHECKING:
    from spacy.tokens import Doc

# Hears (characters read, characters in all) as a long text is read block by block.
Progress = Callable[[int, int], None]

#: Every extractor of the reader, in the order their candidates are reported.
EXTRACTORS: tuple[Extractor, ...] = (
    role_phrases.role_before_name,
    role_appositions.role_in_apposition,
    role_appositions.role_post_of_body,
    role_asides.role_from_org,
    role_asides.role_party_code,
    role_asides.role_before_comma,
    role_asides.role_party_member,
    role_asides.role_own_party,
    role_asides.role_one_of_his,
    role_clauses.role_founded_by,
    role_phrases.role_of_description,
    role_clauses.role_verb,
    role_clauses.role_appointed,
    role_clauses.role_joined,
    role_clauses.role_on_board,
    clause_calls.called_verb,
    clause_calls.messages_exchanged,
    clause_calls.messages_sent,
    clause_events.met_in_person,
    clause_calls.calls_made,
    clause_calls.their_call,
    phone_talks.spoke_by_phone,
    clause_calls.call_from,
    clause_events.met_verb,
    talks.held_talks,
    pictures.photographed_together,
    pictures.caption_with,
    pictures.picture_shows,
    pictures.pictured_verb,
    charges.charged,
    charges.charges_faced,
    charges.indictment_returned,
    charges.warrant_issued,
    charges.group_members,
    denied_claims.denied,
    denied_claims.denied_part,
    spoken_denials.said_false,
    spoken_denials.spokesman_says_never,
    spoken_denials.said_no_ties,
    visits.visited,
)

_KINDS = {
    "person": EntityType.PERSON,
    "org": EntityType.ORG,
    "gov": EntityType.ORG,
    "party": EntityType.ORG,
    "place": EntityType.PLACE,
    "group": EntityType.GROUP,
}


@dataclass(frozen=True, slots=True)
class Named:
    """A name as the reader resolved it, for the trace: sentence, words, canonical name, kind."""

    sentence: int
    text: str
    name: str
    kind: str
    # Character offset of the words in the document (-1 when not known).
    start: int = -1


@dataclass(frozen=True, slots=True)
class Reading:
    """What the reader found in one document: facts, and the type of every name they use."""

    facts: tuple[Fact, ...]
    types: dict[str, EntityType]
    # every name the reader resolved, by sentence
    names: tuple[Named, ...] = ()
    # (pred, args, sentence) the reader read and found to be no fact
    vetoes: frozenset[tuple[str, tuple[str, str], int]] = frozenset()
    # document offsets of the "he"/"she" the reader could not tie to one person
    unresolved: frozenset[int] = frozenset()


@dataclass(frozen=True, slots=True)
class Traced:
    """One candidate and what became of it, for ``deniable extract --trace``."""

    sentence: int
    candidate: Candidate
    modality: Modality | None
    source: str


def read(
    document: Document, sentences: Sequence[Sentence], progress: Progress | None = None
) -> Reading:
    """Read ``document``; evidence points at the given ``sentences`` (offsets into its text).

    ``progress`` hears (characters read, characters in all) after each block of a long text.
    """
    traced, kinds, named, unresolved = _run(document, sentences, progress)
    facts = tuple(_fact(document, t) for t in traced if t.modality is not None)
    # (a name no mention gave a kind takes the first its argument admits: an authority is
    # an organisation, where one goes a place, anyone else a person)
    types = {
        n: kinds.get(n, EntityType(default_type(f.pred, k)))
        for f in facts
        for k, n in enumerate(f.args)
    }
    types.update({m.name: kinds[m.name] for m in named if m.name in kinds})
    vetoes = frozenset(
        (t.candidate.pred, (t.candidate.a, t.candidate.b), t.sentence)
        for t in traced
        if t.modality is None
    )
    return Reading(facts, types, tuple(named), vetoes, frozenset(unresolved))


def trace(document: Document, sentences: Sequence[Sentence]) -> list[Traced]:
    """Every candidate of every extractor, with the modality decided for it."""
    return _run(document, sentences)[0]


def names_of(document: Document, sentences: Sequence[Sentence]) -> list[Named]:
    """Every mention the reader found, by sentence."""
    return _run(document, sentences)[2]


def _run(
    document: Document, sentences: Sequence[Sentence], progress: Progress | None = None
) -> tuple[list[Traced], dict[str, EntityType], list[Named], list[int]]:
    starts = [s.start for s in sentences]
    out: list[Traced] = []
    kinds: dict[str, EntityType] = {}
    named: list[Named] = []
    unresolved: list[int] = []
    for offset, block in _blocks(document.text):
        doc = parse(block)
        ctx = _context(doc)
        for m in ctx.names.mentions:
            kinds.setdefault(m.name, _KINDS.get(m.kind, EntityType.ORG))
            k = max(0, bisect.bisect_right(starts, offset + doc[m.start].idx) - 1)
            at = offset + doc[m.start].idx
            named.append(Named(k, doc[m.start : m.end].text, m.name, m.kind, at))
        covered = {i for m in ctx.names.mentions for i in range(m.start, m.end)}
        unresolved += [
            offset + t.idx for t in doc_tokens(doc) if t.lower_ in _PERSONAL and t.i not in covered
        ]
        # "the businessman" when the article has called two people that: no one in particular
        unresolved += [offset + doc[i].idx for i in ambiguous_kinds(doc, ctx.names)]
        for sent in doc.sents:
            for extractor in EXTRACTORS:
                for c in extractor(sent, ctx):
                    modality, source = decide(c, sent, ctx)
                    shifted = _shift(c, doc, offset)
                    k = max(0, bisect.bisect_right(starts, shifted.start) - 1)
                    out.append(Traced(k, shifted, modality, source))
        if progress is not None:
            progress(offset + len(block), len(document.text))
    return out, kinds, named, unresolved


_PERSONAL = frozenset({"he", "she", "him", "her", "his"})


def _context(doc: Doc) -> Context:
    """Names, then the posts the article gives them, then descriptions by those posts, then
    who speaks the sentences of a quotation."""
    first = Context(doc, read_names(doc), vocab())
    held: dict[str, set[str]] = {}
    elsewhere: set[str] = set()  # holders of a foreign or a former post
    home = first.names.home
    govs = {m.name for m in first.names.mentions if m.kind == "gov"}
    by_country: dict[tuple[str, str], set[str]] = {}  # (government, post) -> holders
    apposed: list[Candidate] = []
    for sent in doc.sents:
        before_name = list(role_phrases.role_before_name(sent, first))
        in_apposition = list(role_appositions.role_in_apposition(sent, first))
        apposed += in_apposition
        for c in (
            *in_apposition,
            *before_name,
            *role_asides.role_before_comma(sent, first),
        ):
            if c.b in govs and c.when != "former":
                by_country.setdefault((c.b, c.role), set()).add(c.a)
                if c.role.lower() in _LEADING_POSTS:
                    # "the Brazilian leader" after "Brazilian President X"
                    by_country.setdefault((c.b, "leader"), set()).add(c.a)
        for c in before_name:
            held.setdefault(c.role, set()).add(c.a)
            if c.when == "former":
                elsewhere.add(c.a)  # "former prime minister X" is not "the prime minister" now
            if home is not None and c.b in govs and c.b != home:
                elsewhere.add(c.a)
    # In an article placed in a country, a bare "the prime minister" is that country's: the
    # "Italian Prime Minister" it also names is called the Italian prime minister.
    holders = {
        post: next(iter(who)) for post, who in held.items() if len(who) == 1 and not who & elsewhere
    }
    # "the minister" after "Interior Minister X" and no other minister: a title's head word
    by_head: dict[str, set[str]] = {}
    for post, who in (*held.items(), *_titles(first).items()):
        words = post.split()
        if len(words) > 1 and words[-1] in first.vocab.post_vocabulary:
            by_head.setdefault(words[-1], set()).update(who)
    for word, who in by_head.items():
        if word not in held and word not in holders and len(who) == 1 and not who & elsewhere:
            holders[word] = next(iter(who))
    leads: dict[str, str] = {}
    for post, leader in _sole_leaders(first).items():
        if not held.get(post, set()) - elsewhere:  # held, if at all, only by foreign leaders
            holders[post] = leader
            leads[post] = home or ""
    posts_of: dict[str, set[str]] = {}
    for post, who in held.items():
        for name in who:
            posts_of.setdefault(name, set()).add(post)
    for c in apposed:
        posts_of.setdefault(c.a, set()).add(c.role)
    posted = {name: next(iter(p)) for name, p in posts_of.items() if len(p) == 1}
    posted.update({name: "" for name, p in posts_of.items() if len(p) > 1})

    def unheld_post(words: list[str]) -> tuple[str, str] | None:
        post = role_phrases.government_post(words, first)
        return post if post is not None and post[0] not in held else None

    countries = {k: next(iter(who)) for k, who in by_country.items() if len(who) == 1}
    # "the Russian president" in an article that names Vladimir Putin and no other leader
    # who held that post: the lexicon's leaders fill what the article's titles leave open
    for key, who in _known_leaders(first).items():
        if key not in by_country and len(who) == 1:
            countries[key] = next(iter(who))
    names = with_descriptions(
        doc, with_org_descriptions(doc, first.names), holders, countries, leads
    )
    names = with_groups(doc, with_antecedents(doc, names, unheld_post, posted))
    names = with_kind_descriptions(doc, names)
    ctx = Context(doc, names, first.vocab)
    quotes = quotations(doc, lambda v: speaker_of(v, ctx))
    return replace(ctx, quoted=inner_sentences(doc, quotes))


_LEADING_POSTS = frozenset(
    {"president", "prime minister", "premier", "chancellor", "king", "queen", "emir",
     "sultan", "crown prince", "supreme leader", "taoiseach"}
)  # fmt: skip


def _titles(ctx: Context) -> dict[str, set[str]]:
    """Title as written before a person's name, lower case -> the people it is given to
    ("Interior Minister X": "interior minister"), whether or not its body is known."""
    doc, v = ctx.doc, ctx.vocab
    out: dict[str, set[str]] = {}
    for m in ctx.names.mentions:
        if m.kind != "person" or doc[m.start].pos_ == "PRON":
            continue
        k, words = m.start - 1, list[str]()
        while k >= 0 and len(words) < 4 and doc[k].text[:1].isupper():
            # ("Interior" is a portfolio, whatever the tagger made of it)
            low = doc[k].lower_
            if low not in v.post_vocabulary and low not in v.cues["portfolios"]:
                break
            words.insert(0, low)
            k -= 1
        if k >= 0 and doc[k].lower_ in ("former", "ex", "late"):
            continue
        if words and words[-1] in v.post_vocabulary:
            out.setdefault(" ".join(words), set()).add(m.name)
    return out


def _known_leaders(ctx: Context) -> dict[tuple[str, str], set[str]]:
    """(government, post) -> the known leaders of leaders.txt the article names who held
    that post, never one it calls former."""
    posts, leaders = ctx.vocab.leader_posts, ctx.vocab.leaders
    out: dict[tuple[str, str], set[str]] = {}
    for m in ctx.names.mentions:
        key = m.name.lower().replace(".", "")
        if m.kind != "person" or key not in posts or key not in leaders:
            continue
        before = {t.lower_ for t in ctx.doc[max(0, m.start - 3) : m.start]}
        if before & {"former", "ex", "late"}:
            continue
        out.setdefault((leaders[key], posts[key]), set()).add(m.name)
    return out


def _sole_leaders(ctx: Context) -> dict[str, str]:
    """Post -> the one leader of the article's own country it names who held it ("the prime
    minister" in an article naming Tony Blair and no other prime minister), never one the
    article calls former."""
    home, posts, leaders = ctx.names.home, ctx.vocab.leader_posts, ctx.vocab.leaders
    if home is None:
        return {}
    by_surname: dict[str, set[str]] = {}
    for full in posts:
        if leaders.get(full) == home:
            by_surname.setdefault(full.split()[-1], set()).add(full)
    found: dict[str, set[str]] = {}
    for m in ctx.names.mentions:
        if m.kind != "person":
            continue
        key = m.name.lower().replace(".", "")
        if " " not in key and len(by_surname.get(key, ())) == 1:
            key = next(iter(by_surname[key]))
        if leaders.get(key) != home or key not in posts:
            continue
        before = {t.lower_ for t in ctx.doc[max(0, m.start - 3) : m.start]}
        if before & {"former", "ex", "late"}:
            return {}  # a former leader named: "the prime minister" may be the next one
        found.setdefault(posts[key], set()).add(m.name)
    out = {post: next(iter(who)) for post, who in found.items() if len(who) == 1}
    if "prime minister" in out:
        out["pm"] = out["prime minister"]
    return out


def _shift(c: Candidate, doc: Doc, offset: int) -> Candidate:
    """Token positions become document character offsets (start, end) for the evidence."""
    end = max(c.start, c.end - 1)
    while end > c.start and doc[end].is_space:
        end -= 1  # a sentence's trailing line break is not part of the evidence
    last = doc[end]
    return replace(c, start=offset + doc[c.start].idx, end=offset + last.idx + len(last.text))


def _fact(document: Document, t: Traced) -> Fact:
    c = t.candidate
    assert t.modality is not None
    return Fact(
        c.pred,
        (c.a, c.b),
        t.modality,
        Evidence(document.name, t.sentence, c.start, c.end, f"reader:{c.pattern}"),
        source=t.source,
        count=c.count,
        when=c.when,
        claim=c.claim,
        role=c.role,
    )


def _blocks(text: str) -> list[tuple[int, str]]:
    """Cut a long text at paragraph breaks into blocks spaCy takes in one call."""
    if len(text) <= MAX_BLOCK:
        return [(0, text)]
    out: list[tuple[int, str]] = []
    start = 0
    while start < len(text):
        end = min(len(text), start + MAX_BLOCK)
        if end < len(text):
            cut = text.rfind("\n", start, end)
            end = cut + 1 if cut > start else end
        out.append((start, text[start:end]))
        start = end
    return out
