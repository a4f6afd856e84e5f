"""Dismissals that are denials in other words: "brushed off questions about X", "called
the allegations baseless", "branded as fake news reports that …".

Shared by the denial extractor (:mod:`deniable.grammar.denied_claims`), which reads who
dismissed what, and the stance (:mod:`deniable.grammar.stance`), for which a claim so
dismissed is no fact.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from deniable.grammar.vocab import vocab

if TYPE_CHECKING:
    from spacy.tokens import Token

_FALSE = vocab().cues["false"]
_NAMING_VERBS = frozenset({"call", "brand", "describe", "label", "dismiss", "term"})
#: Nouns of a claim someone makes ("the report that …", "the allegations").
CLAIM_WORDS = frozenset({"report", "claim", "allegation", "suggestion", "accusation", "rumour"})


def brushed_off(v: Token) -> bool:
    """ "brushed off questions about", "laughed off claims"."""
    return v.lemma_ in ("brush", "laugh", "shrug") and any(
        c.dep_ == "prt" and c.lower_ in ("off", "aside") for c in v.children
    )


def named_false(v: Token) -> bool:
    """ "called the allegations baseless", "branded as fake news reports that …": a claim
    the verb's object, named false."""
    if v.lemma_ not in _NAMING_VERBS:
        return False
    if not any(c.dep_ == "dobj" and c.lemma_.lower() in CLAIM_WORDS for c in v.children):
        return False
    said = [
        t
        for c in v.children
        if c.dep_ in ("oprd", "xcomp", "ccomp") or (c.dep_ == "prep" and c.lower_ == "as")
        for t in c.subtree
    ]
    return any(t.lower_ in _FALSE for t in said)
