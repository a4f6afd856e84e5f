"""Tests of single words beside a name: a word of a post or a title, a date word that ends
a name, a country's word, the last word of a post written with "of".

Used by :mod:`deniable.grammar.raw_names` where it decides where a name begins and ends.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from deniable.grammar.lexicon import lexicon
from deniable.grammar.namewords import CALENDAR_WORDS, DROPPED_HONORIFICS, KEPT_HONORIFICS

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

    from deniable.grammar.vocab import Vocab

_WEEKDAYS = frozenset(
    {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}
)


def ends_post(doc: Doc, start: int, low: str, v: Vocab) -> bool:
    """The words before ``start`` and the name ``low`` together are a post."""
    for n in (2, 3):
        if start - n >= 0:
            before = doc[start - n : start].text.lower()
            if f"{before} {low}" in v.posts and " of " in f" {before} ":
                return True
    return False


def date_word(t: Token) -> bool:
    """A weekday, a month followed by a day ("Fillon March 3") or tagged as a date, which
    ends a name: a month alone may be a surname ("Theresa May")."""
    if t.lower_ in _WEEKDAYS:
        return True
    if t.lower_ in CALENDAR_WORDS and t.ent_type_ == "DATE":
        return True  # "last November", as the tagger reads it
    nxt = t.nbor(1) if t.i + 1 < len(t.doc) else None
    return t.lower_ in CALENDAR_WORDS and nxt is not None and nxt.like_num


def title_word(low: str, v: Vocab) -> bool:
    """A word of a post or a title ("Mayor", "Chancellor"), not of a name."""
    lex = lexicon()
    if low.endswith("s") and len(low) > 4 and low[:-1] in v.post_vocabulary:
        return True  # "Presidents A and B"
    return (
        low in v.post_vocabulary
        or lex.titles.match([low], 0) is not None
        or lex.roles.match([low], 0) is not None
        or low in DROPPED_HONORIFICS
        or low in KEPT_HONORIFICS
    )


@functools.cache
def country_words() -> frozenset[str]:
    """Country names, other names and capitalised adjectives ("US"), lower case."""
    lex = lexicon()
    # "US" is written as an adjective and as the country's name.
    return frozenset(
        w.lower()
        for c in lex.countries
        for w in (c.name, *c.others, c.adjective if c.adjective.isupper() else "")
        if w
    )
