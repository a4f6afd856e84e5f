"""The reader's vocabulary: role posts, parties and metonyms, loaded once from lexicon files.

Every word list the spaCy-based reader uses lives in a file under ``lexicons/``; this module
only parses them.  Countries come from ``countries.txt`` through :mod:`deniable.grammar.lexicon`.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib.resources import files
from typing import TYPE_CHECKING

from deniable.grammar.lexicon import lexicon

if TYPE_CHECKING:
    from spacy.tokens import Token

#: Post classes of ``posts.txt``.
POST_CLASSES = ("head", "gov", "uk", "us", "in", "ie", "party", "job", "personal")
#: The post classes of one government's own posts ("home secretary", "external affairs
#: minister"), and that government.
SOLE_POSTS = {
    "uk": "UK government",
    "us": "US government",
    "in": "Indian government",
    "ie": "Irish government",
}


@dataclass(frozen=True, slots=True)
class Vocab:
    """Lower-case phrases to what they name."""

    # role phrase -> post class ("home secretary" -> "uk")
    posts: dict[str, str]
    # longest role phrase, in words
    post_words: int
    # every word of every post ("chief", "financial", "officer")
    post_vocabulary: frozenset[str]
    # party alias -> canonical party name
    parties: dict[str, str]
    # metonym -> institution ("downing street" -> "UK government")
    metonyms: dict[str, str]
    # the metonyms written in metonyms.txt (seats of government are added to ``metonyms``)
    metonyms_file: frozenset[str]
    # country name, adjective, capital or other name -> "<adjective> government"
    governments: dict[str, str]
    # "<adjective> government" -> country name, for the article's own country
    countries: dict[str, str]
    # a word that places an article in a country -> that country's government
    homes: dict[str, str]
    # a head of state or government, lower case -> their government (leaders.txt)
    leaders: dict[str, str]
    # a leader, lower case -> the one post they held as leader, where leaders.txt gives it
    leader_posts: dict[str, str]
    # country adjectives ("french"): a nationality, not an employer, before most posts
    adjectives: frozenset[str]
    # cue class -> its words (cues.txt): speech verbs, denial verbs, hedges, ...
    cues: dict[str, frozenset[str]]

    def government(self, word: str) -> str | None:
        """The government a country word names ("French" -> "French government")."""
        gov = self.governments.get(word.lower())
        return self.metonyms.get(gov.lower(), gov) if gov else None


def _lines(name: str) -> list[str]:
    text = (files("deniable.grammar") / "lexicons" / name).read_text(encoding="utf-8")
    return [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]


def _aliases(name: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for line in _lines(name):
        canonical, _, rest = line.partition("|")
        for alias in rest.split(";"):
            if alias.strip():
                out[alias.strip().lower()] = canonical.strip()
    return out


@functools.cache
def vocab() -> Vocab:
    """Load the reader's vocabulary (cached)."""
    posts: dict[str, str] = {}
    for line in _lines("posts.txt"):
        cls, _, phrase = line.partition(" ")
        if cls not in POST_CLASSES:
            raise ValueError(f"posts.txt: unknown post class {cls!r}")
        posts.setdefault(phrase.strip(), cls)
    # (the words of the posts as written: a portfolio alone, "Mining", is no post word)
    written_posts = frozenset(w for p in posts for w in p.split())
    # "minister of defence", "minister for energy": a portfolio written after the post
    for portfolio in sorted(_cues()["portfolios"]):
        for prep in ("of", "for"):
            posts.setdefault(f"minister {prep} {portfolio}", "gov")
    metonyms = _aliases("metonyms.txt")
    written = frozenset(metonyms)
    governments: dict[str, str] = {}
    countries: dict[str, str] = {}
    for word, country in lexicon().country_names.items():
        gov = metonyms.get(country.government.lower(), country.government)
        governments[word] = gov
        countries[gov] = country.name
    # A seat of government ("Kremlin", "Downing Street") speaks for its government.
    for seat, gov in lexicon().seats.items():
        metonyms.setdefault(seat, metonyms.get(gov.lower(), gov))
    return Vocab(
        posts=posts,
        post_words=max(len(p.split()) for p in posts),
        post_vocabulary=written_posts,
        parties=_aliases("parties.txt"),
        metonyms=metonyms,
        metonyms_file=written,
        governments=governments,
        countries=countries,
        homes=_aliases("homes.txt"),
        leaders=_leaders(governments, metonyms),
        leader_posts=_leader_posts(),
        adjectives=frozenset(c.adjective.lower() for c in lexicon().countries),
        cues=_cues(),
    )


def _leaders(governments: dict[str, str], metonyms: dict[str, str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for line in _lines("leaders.txt"):
        name, country = (p.strip() for p in line.split("|")[:2])
        gov = governments.get(country.lower())
        if gov is None:
            raise ValueError(f"leaders.txt: {name}: unknown country {country!r}")
        out[name.lower()] = metonyms.get(gov.lower(), gov)
    return out


@functools.cache
def leader_names() -> dict[str, str]:
    """Each leader of leaders.txt, lower case -> the name as the file writes it."""
    return {
        name.lower(): name for line in _lines("leaders.txt") if (name := line.split("|")[0].strip())
    }


@functools.cache
def leader_family_names() -> dict[str, str]:
    """The name a leader is called by alone where it is not the last ("Xi" of "Xi Jinping"),
    lower case -> the name as leaders.txt writes it (its fourth field)."""
    out: dict[str, str] = {}
    for line in _lines("leaders.txt"):
        fields = [p.strip() for p in line.split("|")]
        if len(fields) > 3 and fields[3]:
            out[fields[3].lower()] = fields[0]
    return out


def _leader_posts() -> dict[str, str]:
    out: dict[str, str] = {}
    for line in _lines("leaders.txt"):
        fields = [p.strip() for p in line.split("|")]
        if len(fields) > 2 and fields[2]:
            out[fields[0].lower()] = fields[2].lower()
    return out


def _cues() -> dict[str, frozenset[str]]:
    out: dict[str, frozenset[str]] = {}
    for line in _lines("cues.txt"):
        cls, *words = line.split()
        if cls in out:
            raise ValueError(f"cues.txt: class {cls!r} is given twice")
        out[cls] = frozenset(words)
    return out


def word_forms(t: Token) -> set[str]:
    """A word's lemma, its lower-case form and the stems its inflection allows: the tagger's
    lemma can be wrong ("hoped" lemmatised as "hop", "texted" as "texte")."""
    low = t.lower_
    out = {t.lemma_.lower(), low}
    for end, add in (("ed", ""), ("ed", "e"), ("d", ""), ("es", ""), ("s", ""), ("ing", ""),
                     ("ing", "e")):  # fmt: skip
        if low.endswith(end) and len(low) > len(end) + 2:
            out.add(low[: -len(end)] + add)
    return out
