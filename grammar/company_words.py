"""Capitalised words the tagger left unnamed that only an organisation can be: an acronym
("the boss of PTKL"), a word whose shares trade ("X shares fell", "shares in X"), a word
before a company officer's post ("X chief financial officer Y") or after one ("chief executive of
X"), or what someone founded ("founded X in 2004")."""

from __future__ import annotations

from typing import TYPE_CHECKING

from deniable.grammar.vocab import Vocab, vocab
from deniable.grammar.word_kinds import country_words, date_word, title_word

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

_OFFICERS = vocab().cues["officer_posts"]
_NOT_ORGS = vocab().cues["not_org_acronyms"]


def acronym(t: Token, v: Vocab) -> bool:
    """An upper-case word of three to six letters that is no post, country or postnominal."""
    low = t.lower_
    return (
        t.pos_ == "PROPN"
        and t.is_alpha
        and t.text.isupper()
        and 3 <= len(t.text) <= 6
        and low not in _NOT_ORGS
        and low not in v.post_vocabulary
        and low not in v.governments
        and t.text not in vocab().cues["postnominals"]
    )


def _before_officer(doc: Doc, t: Token) -> bool:
    """A company officer's post in lower case follows the word, then a capitalised name."""
    for k in range(t.i + 1, min(t.i + 5, len(doc) - 1)):
        w = doc[k]
        if not (w.is_alpha and w.is_lower):
            return False
        if w.lower_ in _OFFICERS and doc[k + 1].text[:1].isupper() and doc[k + 1].pos_ == "PROPN":
            return True
    return False


_POST_MODIFIERS = vocab().cues["post_modifiers"] | vocab().cues["former"]
# (endings of English adjectives and participles; a company's one-word name rarely has them)
_ADJECTIVE_ENDINGS = ("ed", "ing", "ly", "ous", "ful", "ive", "ic", "less", "ish", "ary", "ant")


def _describes_post(t: Token, v: Vocab) -> bool:
    """A capitalised first word that may be an ordinary word before a post ("Embattled chief
    executive X"), not a company's name."""
    low = t.lower_
    return (
        len(low) < 3
        or t.is_stop
        or not t.is_alpha
        or low in _POST_MODIFIERS
        or low in v.post_vocabulary
        or low in v.adjectives
        or low.endswith(_ADJECTIVE_ENDINGS)
    )


def traded_word(doc: Doc, t: Token, v: Vocab) -> bool:
    """ "X shares fell", "shares in X": a capitalised word that is the name of a company."""
    if not (t.is_alpha and t.text[:1].isupper() and t.pos_ in ("PROPN", "NOUN", "ADJ")):
        return False
    if t.lower_ in v.governments or t.lower_ in v.adjectives or date_word(t):
        return False
    if _before_officer(doc, t):
        # "X chief financial officer Y": only a company has officers (an unknown company
        # opening a sentence is often tagged an adjective); "Chief executive Y" has none
        if t.lower_ in country_words() or title_word(t.lower_, v):
            return False
        # a sentence's first word is capitalised whatever it is ("Interim chief executive
        # X"): a name if the article also writes it so inside a sentence, or if it cannot
        # be an ordinary word describing the post
        return (
            not t.is_sent_start
            or any(o.text == t.text and not o.is_sent_start and o.i != t.i for o in doc)
            or not _describes_post(t, v)
        )
    if t.pos_ == "ADJ":
        return False
    if t.i + 1 < len(doc) and doc[t.i + 1].lower_ == "shares" and t.head.i == t.i + 1:
        return True
    return (
        t.i >= 2
        and doc[t.i - 1].lower_ == "in"
        and doc[t.i - 2].lower_ == "shares"
        and t.dep_ == "pobj"
        and not t.is_sent_start
    )


def officers_company(doc: Doc, t: Token, v: Vocab) -> bool:
    """ "chief executive of X", "a fund manager at X": a capitalised word a post is held
    at (or, with "of", a company officer's post is held of)."""
    if not (t.is_alpha and t.text[:1].isupper() and t.pos_ == "PROPN" and t.dep_ == "pobj"):
        return False
    if t.lower_ in v.governments or t.lower_ in country_words() or date_word(t):
        return False
    prep, post = t.head, t.head.head
    if post.i > t.i or t.is_sent_start or post.pos_ != "NOUN":
        return False
    if prep.lower_ == "of":
        # ("the founder and chief executive of X": the post of either conjunct)
        return any(p.lower_ in _OFFICERS | {"founder"} for p in (post, *post.conjuncts))
    # ("a fund manager at X" in apposition to a person: where the post is held)
    return (
        prep.lower_ in ("at", "with") and post.lower_ in v.post_vocabulary and post.dep_ == "appos"
    )


_BOSSES = _OFFICERS | {"boss", "chief", "founder", "owner"}


def boss_of(doc: Doc, t: Token, v: Vocab) -> bool:
    """ "the X boss", "the X chairman": a capitalised word the parser makes the compound of
    a company officer's post, after "the"."""
    if not (t.is_alpha and t.text[:1].isupper() and t.pos_ == "PROPN" and t.dep_ == "compound"):
        return False
    if t.i == 0 or doc[t.i - 1].lower_ != "the" or t.is_sent_start:
        return False
    if t.lower_ in v.governments or t.lower_ in country_words() or title_word(t.lower_, v):
        return False
    return t.head.lower_ in _BOSSES and t.head.i == t.i + 1


def owns_officer(doc: Doc, t: Token, v: Vocab) -> bool:
    """ "X's former head of oil Y", "X's chief executive": a capitalised word whose
    possessive holds a company officer's post."""
    if not (t.is_alpha and t.text[:1].isupper() and t.pos_ == "PROPN" and t.dep_ == "poss"):
        return False
    if t.i + 1 >= len(doc) or doc[t.i + 1].lower_ not in ("'s", "’s"):
        return False
    if t.lower_ in v.governments or t.lower_ in country_words() or title_word(t.lower_, v):
        return False
    if t.ent_type_ == "PERSON" or (t.i and title_word(doc[t.i - 1].lower_, v)):
        return False  # "President X's campaign chairman": a person's
    return t.head.lower_ in _BOSSES | {"head"} and t.head.i > t.i


_FOUNDING = frozenset({"found", "co-found", "cofound", "establish"})


def founded_word(t: Token, v: Vocab) -> bool:
    """ "founded X", "X was founded": a capitalised word a verb of founding founded."""
    if not (t.is_alpha and t.text[:1].isupper() and t.pos_ == "PROPN") or t.is_sent_start:
        return False
    if t.lower_ in v.governments or t.lower_ in country_words() or date_word(t):
        return False
    return founded(t)


def founded(t: Token) -> bool:
    """Whether ``t`` heads what a verb of founding founded ("founded X", "X was founded")."""
    verb = t.head
    return verb.lemma_.lower() in _FOUNDING and (
        t.dep_ == "dobj" or (t.dep_ == "nsubjpass" and verb.tag_ == "VBN")
    )


def officers_owner(doc: Doc, end: int) -> bool:
    """ "X's (former) chief executive": the name ending at ``end`` has a company officer,
    so it is a company; people have no chief executives."""
    if end >= len(doc) or doc[end].lower_ not in ("'s", "’s"):
        return False
    for k in range(end + 1, min(end + 5, len(doc))):
        w = doc[k]
        if not (w.is_alpha and w.is_lower) and w.text != "-":
            return False
        if w.lower_ in _OFFICERS:
            # ("chief executive officer", but not "executive assistant")
            return not (
                w.dep_ in ("compound", "amod") and w.head.i > k and w.head.lower_ not in _OFFICERS
            )
    return False
