"""Runs of name words: where a name written in tokens begins and ends, and the names read
from an honorific or a nickname ("Lord Falconer", "James (Trey) Smith").

Pure functions of the parsed document, the helpers of :mod:`deniable.grammar.raw_names`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from deniable.grammar.namewords import DROPPED_HONORIFICS, KEPT_HONORIFICS
from deniable.grammar.nlp import doc_text
from deniable.grammar.vocab import Vocab, vocab
from deniable.grammar.word_kinds import date_word, title_word

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

_PARTICLES = vocab().cues["name_particles"]
_SUFFIXES = vocab().cues["suffixes"]
_LEADERS = vocab().leaders


@dataclass(slots=True)
class RawName:
    start: int
    end: int
    text: str
    kind: str
    gender: str = ""


_NICK_MARKS = frozenset({("(", ")"), ("‘", "’"), ("'", "'"), ("“", "”"), ('"', '"')})


def nicknamed(doc: Doc, t: Token, first_names: dict[str, str]) -> RawName | None:
    """ "James (Trey) Smith", "Dmitry 'Wagner' Utkin": a nickname in brackets or quotation
    marks inside a name is no part of it."""
    if t.lower_ not in first_names or not t.text[:1].isupper():
        return None
    words = doc[t.i + 1 : t.i + 5]
    if len(words) < 4 or (words[0].text, words[2].text) not in _NICK_MARKS:
        return None
    nick, last = words[1], words[3]
    # (the marks say it is a name, whatever the tagger made of its last word)
    surname = name_word(last) or (last.is_alpha and last.text[:1].isupper())
    if not (nick.is_alpha and nick.text[:1].isupper() and surname):
        return None
    return RawName(t.i, last.i + 1, f"{t.text} {last.text}", "person", first_names[t.lower_])


def two_names(doc: Doc, start: int, end: int, first_names: dict[str, str]) -> int:
    """Where a second person's name begins inside a run of name words ("President A B
    C D", the aide C D named right after A B): at a first name whose name the article also
    writes on its own more often than the whole run."""
    for j in range(start + 2, end - 1):
        if doc[j].lower_ in first_names:
            right, whole = doc[j:end].text, doc[start:end].text
            if doc_text(doc).count(right) > doc_text(doc).count(whole):
                return j
            # ("Press Secretary of President A B C D": a leader the lexicon knows, then the
            # one who speaks for them)
            if doc[start:j].text.lower() in _LEADERS:
                return j
    return end


def name_end(doc: Doc, i: int, most: int = 5) -> int:
    """The end of the run of name words from ``i`` ("Kilroy-Silk" is one name)."""
    end = i
    words = 0  # hyphens and particles do not count towards ``most``
    while end < len(doc) and (words < most or not name_word(doc[end])):
        t = doc[end]
        if name_word(t):
            words += 1
        elif end > i and _syllable(doc, end):
            end += 2  # "Lee Young-ryeol", "Moon Jae-in": a given name's second syllable
            continue
        elif not (
            # ("Kilroy-Silk"; a spaced dash, as after a dateline's city, joins no name)
            (_hyphen(doc, end) and end + 1 < len(doc) and name_word(doc[end + 1]))
            or (
                # "Mohammed bin Salman", "Ursula von der Leyen", "Abdel Fattah al-Sisi":
                # particles inside a name
                end > i
                and t.text in _PARTICLES
                and end + 2 < len(doc)
                and (
                    name_word(doc[end + 1])
                    or doc[end + 1].text in _PARTICLES
                    or (_hyphen(doc, end + 1) and name_word(doc[end + 2]))
                )
            )
        ):
            break
        end += 1
    while end > i and (doc[end - 1].text in _PARTICLES or doc[end - 1].text == "-"):
        end -= 1
    return end


def _syllable(doc: Doc, k: int) -> bool:
    """A hyphen and a short lower-case word the tagger puts in the person's name, after a
    surname and a first syllable ("Kim Jun-seok"); not "a Putin-backed candidate"."""
    if k + 1 >= len(doc) or not _hyphen(doc, k):
        return False
    word = doc[k + 1]
    return (
        word.is_alpha
        and word.is_lower
        and 1 < len(word) <= 5
        and word.ent_type_ == "PERSON"
        and doc[k - 1].ent_type_ == "PERSON"
        and k >= 2
        and name_word(doc[k - 2])
        and not word.lower_.endswith(("ed", "ing", "ly", "er"))
        and word.lower_ not in _COMPOUND_ENDS
    )


_COMPOUND_ENDS = frozenset({"led", "era", "run", "style", "made", "born", "like", "type", "wing"})


def _hyphen(doc: Doc, k: int) -> bool:
    return doc[k].text == "-" and not doc[k].whitespace_ and not doc[k - 1].whitespace_


def honorific_name(doc: Doc, t: Token) -> RawName | None:
    end = name_end(doc, t.i + 1)
    if end == t.i + 1:
        return None
    low = t.lower_
    words = [doc[t.i + 1 : end].text]
    nick = doc[end : end + 4]
    if (
        end - t.i == 2
        and len(nick) == 4
        and (nick[0].text, nick[2].text) in _NICK_MARKS
        and nick[1].is_alpha
        and nick[1].text[:1].isupper()
        and (name_word(nick[3]) or (nick[3].is_alpha and nick[3].text[:1].isupper()))
    ):
        # "Rep. Randy 'Duke' X": the nickname in quotation marks is no part of the name
        words = [f"{words[0]} {nick[3].text}"]
        end += 4
    if f"{low} {words[0]}".lower() in vocab().posts:
        return None  # "Lord Chancellor" is a post, not a lord
    if low in ("lord", "lady", "baroness", "baron") and seat_of(doc, end):
        # "Lord Irvine of Lairg": a peer's title names the place he is lord of
        words.append(doc[end : end + 2].text)
        end += 2
    if low == "prince" and t.i > 0 and doc[t.i - 1].lower_ == "crown":
        # "Crown Prince X" is a post: the name is X alone
        return RawName(t.i + 1, end, words[0], "person", "m")
    if low in KEPT_HONORIFICS:
        text = " ".join([t.text, *words])
        gender = KEPT_HONORIFICS[low]
    else:
        text = " ".join(words)
        gender = DROPPED_HONORIFICS[low]
    return RawName(t.i, end, text, "person", gender)


def seat_of(doc: Doc, end: int) -> bool:
    """ "of Lairg" after a peer's name: one capitalised place word that is no country and no
    organisation, ending the name."""
    if end + 1 >= len(doc) or doc[end].lower_ != "of":
        return False
    place = doc[end + 1]
    after = doc[end + 2] if end + 2 < len(doc) else None
    return (
        name_word(place)
        and place.ent_type_ not in ("ORG", "NORP")
        and place.lower_ not in vocab().governments
        and (after is None or not name_word(after))
    )


def given_name(t: Token, v: Vocab) -> bool:
    """``t`` is a capitalised word of a person's name, not a title, party or nationality."""
    low = t.lower_
    return (
        name_word(t)
        and not t.is_sent_start  # ("Builder Paul Drew" of a headline: any word is capitalised)
        and not title_word(low, v)
        and f"{low.rstrip('.')}." not in DROPPED_HONORIFICS  # ("Lt. Gen Michael Flynn")
        and low not in v.parties
        and low not in v.adjectives
        and low not in v.governments
    )


def name_word(t: Token) -> bool:
    return (
        t.pos_ == "PROPN"
        and not date_word(t)
        and t.text[:1].isupper()
        and t.lower_ not in _SUFFIXES
        and t.lower_ not in DROPPED_HONORIFICS
        and not t.is_punct
    )
