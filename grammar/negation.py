"""What says a clause did not happen, or leaves it undecided: negation ("did not meet",
"never met"), calls that got no answer, cancelled meetings, and the words that neither confirm
nor deny ("does not remember meeting B", "declined to confirm").

Predicates for :mod:`deniable.grammar.stance`, which decides modality from them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from deniable.grammar.nlp import span_tokens
from deniable.grammar.vocab import vocab, word_forms

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

_NEG = vocab().cues["neg"]
_CANCEL = vocab().cues["cancel"]
_REFUSE = vocab().cues["refuse"]
RECALL = vocab().cues["recall_verbs"]


def calls_off(v: Token) -> bool:
    """ "cancelled", "postponed", "called off"."""
    lemma = v.lemma_.lower()
    return lemma in _CANCEL or (lemma == "call" and any(c.lower_ == "off" for c in v.children))


def call_refused(sent: Span) -> bool:
    """The call did not get through: "refused to take the call", "did not answer",
    "went unanswered"."""
    for t in span_tokens(sent):
        if t.lemma_ in _REFUSE and any(
            c.dep_ == "xcomp" and c.lemma_ in ("take", "answer", "accept", "return")
            for c in t.children
        ):
            return True
        if t.lemma_ in ("answer", "pick") and negated(t):
            return True
        if t.lower_ in ("unanswered", "unreturned"):
            return True  # "his calls to B went unanswered", "two unanswered calls"
    return False


def declined(v: Token) -> bool:
    """ "declined (refused) to confirm": the verb is what someone would not do."""
    return v.dep_ == "xcomp" and bool(word_forms(v.head) & _REFUSE)


_MEMORY = vocab().cues["memory_nouns"]


def no_memory_of(v: Token) -> bool:
    """The trigger is what someone has no memory of ("no recollection of meeting B")."""
    t = v
    for _ in range(3):  # (meeting ->) of -> memory
        if t.dep_ not in ("pobj", "pcomp", "prep") or t.head.i == t.i:
            return False
        t = t.head
        if t.lemma_.lower() in _MEMORY:
            return any(c.lower_ == "no" for c in t.children) or negated(t.head)
    return False


def negated(t: Token) -> bool:
    """ "did not meet", "never met"; but "did not meet B until 2003" says they met then."""
    if any(c.lower_ == "until" and c.dep_ in ("prep", "mark", "advmod") for c in t.children):
        return False
    if any(g.lower_ == "neither" for c in t.children for g in (c, *c.children)):
        return True  # "met neither A nor B"
    return any(c.dep_ == "neg" or (c.lower_ in _NEG and c.dep_ == "advmod") for c in t.children)
