"""Descriptions by kind of person: "the businessman" as a mention of the one person the
article calls a businessman ("X, a businessman from Lyon,", "businessman X").

A stage between names and extractors, beside :mod:`deniable.grammar.descriptions` (which
reads posts): the kinds come from ``person_nouns`` in the cue lexicon.  A description
stands for someone only when the article gives that kind to exactly one person, and only
after it has done so; the new mentions go into a new, read-only :class:`DocNames`.
"His client" beside the lawyer of one named person is that person.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from deniable.grammar.descriptions import with_added
from deniable.grammar.names import DocNames, Mention
from deniable.grammar.nlp import doc_text
from deniable.grammar.vocab import vocab

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

_KINDS = vocab().cues["person_nouns"] | {"businessman", "banker", "dealer", "trader"}


def with_kind_descriptions(doc: Doc, names: DocNames) -> DocNames:
    """Add "the businessman" as a mention of the one person called a businessman before."""
    who, first = _given(doc, names)
    added = [
        Mention(t.i - 1, t.i + 1, next(iter(who[noun])), "person")
        for t, noun in _descriptions(doc, names, first)
        if len(who[noun]) == 1
    ]
    return with_added(names, [*added, *_clients(doc, names)])


_COUNSEL = frozenset({"lawyer", "attorney", "solicitor", "counsel", "barrister"})


def _clients(doc: Doc, names: DocNames) -> list[Mention]:
    """ "X's lawyer said his client denied …": "his client" is X, the one person whose
    lawyer the sentence names."""
    out: list[Mention] = []
    if "client" not in doc_text(doc).lower():
        return out  # (most articles have none: a scan of every token costs more)
    for t in doc:
        if t.lemma_.lower() != "client" or t.i < 1 or doc[t.i - 1].lower_ not in ("his", "her"):
            continue
        served = {
            m.name
            for n in t.sent
            if n.lemma_.lower() in _COUNSEL and n.i < t.i
            for c in n.children
            for m in _served(c, names)
        }
        if len(served) == 1 and names.at(t.i) is None:
            out.append(Mention(t.i - 1, t.i + 1, served.pop(), "person"))
    return out


def _served(c: Token, names: DocNames) -> list[Mention]:
    """The person a lawyer's noun phrase names as served: "X's lawyer", "a lawyer for X"."""
    if c.dep_ == "prep" and c.lower_ in ("for", "representing"):
        c = next((g for g in c.children if g.dep_ == "pobj"), c)
    elif c.dep_ != "poss":
        return []
    m = names.at(c.i)
    return [m] if m is not None and m.kind == "person" else []


def ambiguous_kinds(doc: Doc, names: DocNames) -> list[int]:
    """Tokens of "the businessman" where the article has called more than one person that."""
    who, first = _given(doc, names)
    return [t.i for t, noun in _descriptions(doc, names, first) if len(who[noun]) > 1]


def _given(doc: Doc, names: DocNames) -> tuple[dict[str, set[str]], dict[str, int]]:
    """Kind -> the people the article gives it, and where it first does."""
    first: dict[str, int] = {}
    who: dict[str, set[str]] = {}
    for m in names.mentions:
        if m.kind != "person" or doc[m.start].pos_ == "PRON":
            continue
        for noun in _kinds_of(doc, m):
            who.setdefault(noun, set()).add(m.name)
            first[noun] = min(first.get(noun, m.start), m.start)
    return who, first


def _descriptions(doc: Doc, names: DocNames, first: dict[str, int]) -> list[tuple[Token, str]]:
    """Each "the <kind>" after the article first gives that kind, naming no one itself."""
    out: list[tuple[Token, str]] = []
    if not first:
        return out
    for t in doc:
        noun = t.lemma_.lower()
        if noun not in first or t.i <= first[noun] or names.at(t.i) is not None:
            continue
        if t.i < 1 or doc[t.i - 1].lower_ != "the" or t.tag_ != "NN":
            continue
        if t.i + 1 < len(doc) and names.at(t.i + 1) is not None:
            continue  # "the businessman X" names him itself
        out.append((t, noun))
    return out


def _kinds_of(doc: Doc, m: Mention) -> list[str]:
    """The kinds of person the text gives ``m``: "X, a businessman," or "businessman X"."""
    head = doc[m.start : m.end].root
    out = [
        c.lemma_.lower()
        for c in head.children
        if c.dep_ == "appos" and c.lemma_.lower() in _KINDS and _indefinite(c)
    ]
    before = doc[m.start - 1] if m.start > 0 else None
    if before is not None and before.lemma_.lower() in _KINDS and before.pos_ == "NOUN":
        out.append(before.lemma_.lower())
    return out


def _indefinite(noun: Token) -> bool:
    return any(c.dep_ == "det" and c.lower_ in ("a", "an") for c in noun.children)
