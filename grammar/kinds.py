"""What kind of thing each name is: a person, an organisation, a place, a group.

A stage of the names stage (:mod:`deniable.grammar.names`): the tagger's labels are voted
over the document (it is inconsistent), then corrected by what the text says around a name
("accountancy firm X", "shares in X", "X, the chief executive of Y", "the Guptas") and by
what the lexicons know (a capital is a place, a leader a person).
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from typing import TYPE_CHECKING

from deniable.grammar.company_words import founded, officers_owner
from deniable.grammar.lexicon import lexicon
from deniable.grammar.namewords import PATRONYMICS
from deniable.grammar.nlp import doc_text
from deniable.grammar.vocab import leader_family_names, leader_names, vocab

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

    from deniable.grammar.raw_names import RawName
    from deniable.grammar.vocab import Vocab

_ORG_WORDS = vocab().cues["org_words"]
_PLACE_WORDS = vocab().cues["place_words"]
_CUES = vocab().cues
_PERSON_NOUNS = (
    _CUES["person_nouns"] | _CUES["group_nouns"] | _CUES["people_nouns"] | _CUES["agent_nouns"]
)
COMPANY_NOUNS = vocab().cues["company_nouns"]
#: Nouns that say what kind of firm the name after them is ("the retail chain X").
FIRM_WORDS = COMPANY_NOUNS | {"group"}


def name_kinds(doc: Doc, raw: list[RawName], v: Vocab) -> dict[str, str]:
    """One kind per name string: the tagger's labels voted, then corrected."""
    kinds = _vote_kinds(raw)
    for text in kinds:
        if kinds[text] in ("person", "org") and text.lower() in v.governments:
            kinds[text] = "place"  # "Kyiv" is a city whatever the tagger says
        elif text.lower() in leader_surnames() or text.lower().replace(".", "") in v.leaders:
            kinds[text] = "person"  # "Trump" is a man whatever the tagger says
    starts = {r.start for r in raw}
    for r in raw:
        if r.start > 0 and _kind_noun(doc[r.start - 1], r) and not r.gender:
            kinds[r.text] = "org"  # "accountancy firm Grant Thornton": a firm, not a man
        elif (
            _kind_after(doc, r)
            and not r.gender
            and r.kind in ("person", "org")
            and r.text.lower() not in v.governments
            and r.text.lower() not in v.adjectives
        ):
            kinds[r.text] = "org"  # "the Velcor group", "the Velcor board": a firm's name
        elif _one_of_firms(doc, r) and not r.gender:
            kinds[r.text] = "org"  # "X, one of his companies,": a company
        elif _traded(doc, r) and not r.gender:
            kinds[r.text] = "org"  # "shares in Woolworths": only a company has shares
        elif _officer_of(doc, r) and not r.gender and _no_first_name(doc, r):
            kinds[r.text] = "org"  # "chief executive of Kingfisher": a company's officer
        elif not r.gender and _officer_before(doc, r, starts):
            kinds[r.text] = "org"  # "Agfa chief financial officer X": X's company
        elif _family(doc, r) and kinds.get(r.text) in ("place", "person", "org"):
            kinds[r.text] = "group"
        elif not r.gender and " " not in r.text and founded(doc[r.end - 1]):
            kinds[r.text] = "org"  # "X founded Arvex in 2004": only a body is founded
        elif (
            not r.gender
            and " " not in r.text
            and officers_owner(doc, r.end)
            and not _titled(doc, r)  # ("President X's campaign chairman": a man's)
            and r.text.lower() not in leader_surnames()
        ):
            kinds[r.text] = "org"  # "Arvex's former chief executive": a company's officer
        elif not r.gender and _owns_a_board(doc, r):
            kinds[r.text] = "org"  # "Twitter's board", "X's shareholders": only a body's
    for r in raw:
        if kinds.get(r.text) in ("org", "place") and _apposed_post(doc, r, v):
            # "X, the chief executive of Y,", "X, a businessman,": the tagger said org or
            # place
            kinds[r.text] = "person"
        elif kinds.get(r.text) == "place" and _post_apposed_before(doc, r, v):
            # "China's ambassador to the United States, X Y,": the tagger's place is a man
            kinds[r.text] = "person"
        elif kinds.get(r.text) in ("org", "place") and _titled(doc, r):
            kinds[r.text] = "person"  # "Governor Bola Tunde": a title names a person
        elif kinds.get(r.text) in ("org", "place") and _post_before(doc, r, v):
            kinds[r.text] = "person"  # "its chief executive Ulf X": a post names a person
        elif kinds.get(r.text) == "org" and _who_follows(doc, r):
            kinds[r.text] = "person"  # "Carly X, who was ousted": "who" is said of people
    # "Mr X" later: the tagger's organisation "Ulf X" is a man
    honoured = {r.text.split()[-1] for r in raw if r.gender and " " not in r.text}
    for r in raw:
        parts = r.text.split()
        if (
            kinds.get(r.text) in ("org", "place")
            and len(parts) in (2, 3)
            and parts[-1] in honoured
            and parts[-1].lower() not in _ORG_WORDS
            and r.text.lower() not in v.governments
        ):
            kinds[r.text] = "person"
    people = {r.text.split()[-1] for r in raw if kinds.get(r.text) == "person" and " " in r.text}
    # "Wang" after "Wang Qishan": a family name written first, where the first word is no
    # one's given name
    people |= {
        parts[0]
        for r in raw
        if kinds.get(r.text) == "person"
        and len(parts := r.text.split()) == 2
        and parts[0].lower() not in lexicon().first_names
        and parts[0][:1].isupper()
        and not r.gender
    }
    for text, kind in kinds.items():
        if kind in ("org", "place") and text in people and text.lower() not in v.governments:
            kinds[text] = "person"  # the surname of someone just found to be a person
    return kinds


def _titled(doc: Doc, r: RawName) -> bool:
    """A capitalised title right before a name of two or three words ("Governor X")."""
    if r.start == 0 or not 2 <= r.end - r.start <= 3:
        return False
    t = doc[r.start - 1]
    if not t.text[:1].isupper() or r.text.lower().split()[-1] in _ORG_WORDS:
        return False
    return lexicon().titles.match([t.lower_], 0) is not None


@functools.cache
def leader_surnames() -> frozenset[str]:
    """Surnames that name one leader in leaders.txt ("erdogan"), not two ("bush")."""
    counts = Counter(
        words[-1]
        for words in (full.split() for full in vocab().leaders)
        # ("Mohammed bin Salman": "Salman" is his father, as in "King Salman")
        if not (len(words) > 2 and words[-2] in PATRONYMICS)
    )
    unique = {name for name, n in counts.items() if n == 1 and len(name) > 3}
    # a family name written first, as leaders.txt gives it, is known however short
    return frozenset(unique | set(leader_family_names()))


@functools.cache
def leader_by_surname() -> dict[str, str]:
    """A surname that names one leader in leaders.txt -> that leader's full name."""
    unique = leader_surnames()
    return {
        **{
            full.split()[-1].lower(): full
            for full in leader_names().values()
            if full.split()[-1].lower() in unique
        },
        **leader_family_names(),
    }


def leader_government(name: str) -> str | None:
    """The government a known leader heads, by their name as leaders.txt writes it or by
    their one surname with a first name of the same initial (a transliteration: "Binyamin"
    for "Benjamin"), else None."""
    leaders = vocab().leaders
    low = name.lower().replace(".", "")
    if low in leaders:
        return leaders[low]
    words = low.split()
    full = leader_by_surname().get(words[-1]) if len(words) == 2 else None
    if full is None or full.lower().split()[0][:1] != words[0][:1]:
        return None
    return leaders.get(full.lower().replace(".", ""))


def _family(doc: Doc, r: RawName) -> bool:
    """ "the Guptas" in an article that also writes "Gupta": a family, not a place."""
    t = doc[r.start]
    return (
        r.end - r.start == 1
        and t.tag_ == "NNPS"
        and t.text.endswith("s")
        and r.start > 0
        and doc[r.start - 1].lower_ == "the"
        and re.search(rf"\b{re.escape(t.text[:-1])}\b", doc_text(doc)) is not None
    )


def _apposed_post(doc: Doc, r: RawName, v: Vocab) -> bool:
    """A name of two or three words, not an organisation's, with a post in apposition."""
    words = r.text.lower().split()
    if not 2 <= len(words) <= 3 or words[-1] in _ORG_WORDS:
        return False
    if r.end >= len(doc) or doc[r.end].text != ",":
        return False
    return any(
        c.dep_ == "appos"
        and c.i > r.end
        and (c.lower_ in v.post_vocabulary or c.lower_ in _PERSON_NOUNS)
        for c in doc[r.end - 1].children
    )


def _post_apposed_before(doc: Doc, r: RawName, v: Vocab) -> bool:
    """A name of two or three words set off after a post's phrase ("the ambassador to the
    United States, X Y"), which no country or town of the vocabulary is."""
    words = r.text.split()
    if not 2 <= len(words) <= 3 or r.text.lower() in v.governments or r.start < 2:
        return False
    if doc[r.start - 1].text != ",":
        return False
    for k in range(r.start - 2, max(-1, r.start - 9), -1):
        t = doc[k]
        if t.text in (",", ".", ";", ":"):
            return False
        if t.is_lower and t.pos_ == "NOUN":
            return t.lower_ in v.post_vocabulary
    return False


def _post_before(doc: Doc, r: RawName, v: Vocab) -> bool:
    """A name of two or three capitalised words right after a post written in lower case
    ("chief financial officer X Y", "spokesman X Y")."""
    words = r.text.split()
    if not 2 <= len(words) <= 3 or words[-1].lower() in _ORG_WORDS or r.start == 0:
        return False
    if r.text.lower() in v.governments or not all(w[:1].isupper() for w in words):
        return False
    t = doc[r.start - 1]
    return (
        t.is_lower
        and t.pos_ == "NOUN"
        and t.lower_ not in FIRM_WORDS
        and (t.lower_ in _OFFICERS or t.lower_ in v.post_vocabulary)
    )


def _who_follows(doc: Doc, r: RawName) -> bool:
    """ "X, who …": a two- or three-word name set off before "who"."""
    words = r.text.split()
    if not 2 <= len(words) <= 3 or words[-1].lower() in _ORG_WORDS:
        return False
    return (
        r.end + 1 < len(doc)
        and doc[r.end].text == ","
        and doc[r.end + 1].lower_ == "who"
        and all(w[:1].isupper() for w in words)
    )


def _traded(doc: Doc, r: RawName) -> bool:
    """ "Shares in X", "a stake in X", "X shares": X is a company."""
    if r.start >= 2 and doc[r.start - 1].lower_ in ("in", "of"):
        return doc[r.start - 2].lemma_.lower() in ("share", "stake")
    return r.end < len(doc) and doc[r.end].lower_ == "shares" and doc[r.end - 1].head.i == r.end


_OFFICERS = vocab().cues["officer_posts"]


def _officer_before(doc: Doc, r: RawName, starts: set[int]) -> bool:
    """A company officer's post in lower case between the name and another name ("X chief
    financial officer Y", "X finance director Y", "X's former boss Y")."""
    possessive = r.end < len(doc) and doc[r.end].lower_ in ("'s", "’s") and " " not in r.text
    first = r.end + 1 if possessive else r.end
    for k in range(first, min(first + 4, len(doc))):
        t = doc[k]
        if not (t.is_alpha and t.is_lower):
            return False
        # ("Yukos's former boss X": one word, a boss of its own)
        if (t.lower_ in _OFFICERS or (possessive and t.lower_ in _BOSSES)) and k + 1 in starts:
            return True
    return False


_BOSSES = frozenset({"boss", "founder", "owner"})


def _officer_of(doc: Doc, r: RawName) -> bool:
    """The name is the "of" object of a company officer's post ("chief executive of X")."""
    head = doc[r.end - 1]
    prep = head.head
    return (
        head.dep_ == "pobj"
        and prep.lower_ == "of"
        and prep.head.lower_ in _OFFICERS
        and prep.head.i < r.start
    )


def _kind_noun(t: Token, r: RawName) -> bool:
    """A common noun naming what kind of organisation the name after it is ("law firm X",
    "the broadcaster Y")."""
    if t.pos_ != "NOUN" or t.lower_ not in FIRM_WORDS:
        return False
    if r.kind == "person" and t.lower_ in vocab().post_vocabulary:
        return False  # "newspaper publisher X": the tagger's person, and the word a post
    # the parser hangs either on the other ("the internet group X": X may be its apposition),
    # or splits them when it misreads the clause; a kind of firm right before a name is enough
    return t.i == r.start - 1 or r.start <= t.head.i < r.end


def _one_of_firms(doc: Doc, r: RawName) -> bool:
    """ "X, one of his companies,": the name is set beside "one of" a plural for firms."""
    for one in doc[r.end - 1].children:
        if one.dep_ == "appos" and one.lower_ == "one":
            for of in one.children:
                if of.dep_ == "prep" and of.lower_ == "of":
                    nouns = [g for g in of.children if g.dep_ == "pobj"]
                    if any(n.lemma_.lower() in FIRM_WORDS for n in nouns):
                        return True
    return False


def _kind_after(doc: Doc, r: RawName) -> bool:
    """The name modifies a noun for a firm, its board or its boss right after it ("the X
    group", "the X boss")."""
    if r.end >= len(doc) or r.start == 0 or doc[r.start - 1].lower_ != "the":
        return False
    nxt = doc[r.end]
    head = doc[r.end - 1].head
    return nxt.pos_ == "NOUN" and nxt.lower_ in _AFTER_FIRM and head.i == nxt.i


def _owns_a_board(doc: Doc, r: RawName) -> bool:
    """The name's possessive holds what only a body has ("X's board", "X's shareholders")."""
    k = r.end
    if k + 1 >= len(doc) or doc[k].lower_ not in ("'s", "’s"):
        return False
    nxt = doc[k + 1]
    return nxt.lower_ in _A_BODYS and doc[r.end - 1].head.i == nxt.i


_A_BODYS = frozenset({"board", "shareholders", "management", "subsidiary", "headquarters"})
_AFTER_FIRM = FIRM_WORDS | {"board", "boss", "chairman", "chairwoman", "founder", "owner"}


_COMPASS = frozenset(
    {"north", "south", "east", "west", "northern", "southern", "eastern", "western",
     "central", "upper", "lower", "greater", "new"}
)  # fmt: skip


# Words no person's name starts with: "Shadow Europe minister" names no one called Europe.
_NOT_FIRST = _COMPASS | {"shadow", "acting", "interim", "deputy", "junior"}
_REGIONS = frozenset(
    {"europe", "asia", "africa", "america", "north america", "south america", "latin america",
     "middle east", "oceania", "antarctica", "scandinavia", "balkans", "caucasus", "arctic"}
)  # fmt: skip


def _vote_kinds(raw: list[RawName]) -> dict[str, str]:
    """One type per name string across the document: the tagger is inconsistent."""
    votes: dict[str, Counter[str]] = {}
    surnames: set[str] = set()
    honoured = {r.text for r in raw if r.gender}  # ("Mr Hunt" is a man, whatever "hunt" is)
    for r in raw:
        votes.setdefault(r.text, Counter())[r.kind] += 3 if r.gender else 1
        words = r.text.split()
        if r.kind == "person" and len(words) > 1 and words[0].lower() not in _NOT_FIRST:
            surnames.add(words[-1])
    out: dict[str, str] = {}
    for text, c in votes.items():
        kind = c.most_common(1)[0][0]
        if kind == "place" and text in surnames:
            kind = "person"  # "Marin" tagged a place, though the article names Oleg Marin
        elif kind == "place" and text.isupper() and text.isalpha() and len(text) > 2:
            kind = "org"  # "IPCL": an acronym is no place (country codes are governments)
        elif kind == "org" and len(text.split()) > 1 and text.split()[-1] in surnames:
            # "Dhiru Bhai Ambani" tagged an organisation, in an article about Mukesh Ambani
            kind = "org" if text.split()[-1].lower() in _ORG_WORDS else "person"
        if kind in ("person", "org"):
            words = text.lower().split()
            if len(words) > 1 and words[-1] in _PLACE_WORDS:
                kind = "place"  # "Trump Tower", "Dulles Airport": a building, not its owner
            elif kind == "person" and len(words) > 1 and words[0] in _COMPASS:
                kind = "place"  # "South Florida", "Northern Ireland": a region, no person
            elif text.lower() in _REGIONS:
                kind = "place"
            elif (
                words[-1] in _ORG_WORDS
                and (len(words) > 1 or text not in honoured)
                # ("Jeremy Hunt": a first name and a surname that is also a body's word)
                and not (kind == "person" and len(words) == 2 and words[0] in lexicon().first_names)
            ) or (len(words) == 1 and text.isupper() and len(text) > 1):
                kind = "org"
            elif text in surnames or (len(words) > 1 and words[0] in lexicon().first_names):
                kind = "person"
        out[text] = kind
    return out


def _no_first_name(doc: Doc, r: RawName) -> bool:
    """One word, or words right after "of" that open with no first name ("CEO of Azure
    Power Global"; not "Director of Football A B", a post before a name)."""
    if " " not in r.text:
        return True
    first = r.text.split()[0].lower()
    return doc[r.start - 1].lower_ == "of" and first not in lexicon().first_names
