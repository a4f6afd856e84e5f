"""Groups named by a noun phrase: "five public sector unions", "senior union figures", "eight
protesters", "his EU counterparts".

A stage between names and extractors.  A plural people noun with a modifier that picks out
which people (a number, an adjective, a noun: "EU leaders") is a group one can meet or charge,
named by its words without determiner or possessive.  Vague groups ("other officials", "some
leaders") and definite ones that point back ("the two men") are not added: the first names no
one a reader could check, the second is read as the people named before.  The mention covers
the head noun only, so names inside the phrase ("EU") keep their own mentions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from deniable.grammar.descriptions import with_added
from deniable.grammar.names import DocNames, Mention
from deniable.grammar.nlp import doc_tokens
from deniable.grammar.vocab import vocab

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

_GROUP_NOUNS = vocab().cues["group_nouns"]
_VAGUE = vocab().cues["vague"]
_AGENTS = vocab().cues["agent_nouns"]
_DEFINITE = frozenset({"the", "these", "those", "both", "all", "any", "no", "each", "every"})
_ARGUMENT = frozenset({"nsubj", "nsubjpass", "dobj", "pobj", "conj", "appos"})


def with_groups(doc: Doc, names: DocNames) -> DocNames:
    """Add a ``group`` mention on the head of each group noun phrase no name covers."""
    added = [m for t in doc_tokens(doc) if (m := _group(t, names)) is not None]
    return with_added(names, added)


def _group(t: Token, names: DocNames) -> Mention | None:
    if t.tag_ != "NNS" or t.lemma_.lower() not in _GROUP_NOUNS or names.at(t.i) is not None:
        return None
    if t.dep_ not in _ARGUMENT:
        return None
    # (not a verb's "-ing": "the process of releasing activists" names no group)
    mods = [
        c for c in t.lefts if c.dep_ in ("nummod", "amod", "compound", "nmod") and c.tag_ != "VBG"
    ]
    if not mods or any(c.lower_ in _VAGUE for c in t.lefts):
        return None
    if any(c.dep_ in ("det", "predet") and c.lower_ in _DEFINITE for c in t.children):
        return None
    if any(c.dep_ == "poss" and c.tag_ != "PRP$" and names.at(c.i) for c in t.children):
        return None  # "Giuliani's associates" are a person's people, not a group of their own
    if t.lemma_.lower() in _AGENTS and any(_named(c, names) for c in mods):
        return None  # "Acme officials" act for Acme; meeting them is no meeting with a group
    if any(c.dep_ == "prep" and c.lower_ in ("from", "of", "at", "to", "for") for c in t.children):
        return None  # "three executives from X", "aides to X": X's people, not a group
    if any(c.dep_ == "appos" and names.at(c.i) for c in t.children) or (
        t.i + 1 < len(t.doc) and (m := names.at(t.i + 1)) is not None and m.kind == "person"
    ):
        return None  # "Florida businessmen A and B": the people named are the arguments
    start = min(c.left_edge.i for c in mods)
    words = [w for w in doc_words(t, start) if w]
    if not words:
        return None
    return Mention(t.i, t.i + 1, " ".join(words), "group")


def _named(c: Token, names: DocNames) -> bool:
    """Whether a modifier names a body: a proper noun, a nationality, a name's mention."""
    return c.pos_ == "PROPN" or c.ent_type_ in ("NORP", "GPE", "ORG") or names.at(c.i) is not None


def doc_words(t: Token, start: int) -> list[str]:
    """The phrase's words from ``start`` to its head, without punctuation or possessives."""
    out = []
    for k in range(start, t.i + 1):
        w = t.doc[k]
        if w.is_punct or w.tag_ in ("PRP$", "POS", "DT"):
            continue
        out.append(w.text)
    return out
