"""Who is named where: the mentions of one parsed document, with canonical names.

spaCy's named entities are the start.  On top of them this module adds what a reader of news
relies on and a statistical tagger gets wrong: honorifics ("Lord Falconer", "Ms Furse"), one
type per name across the document, surnames and first names resolved to the full name given
earlier, acronyms resolved to the long name they abbreviate, parties, countries acting as their
governments, and pronouns resolved to the last person of the right gender.

The result, :class:`DocNames`, is built once per document and read, never written, by the
extractors.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from spacy.tokens import Span

from deniable.grammar.home import dominant, home_country
from deniable.grammar.lexicon import lexicon
from deniable.grammar.namewords import CALENDAR_WORDS
from deniable.grammar.pronouns import resolve_pronouns
from deniable.grammar.quotes import first_person, quotations
from deniable.grammar.vocab import Vocab, vocab

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

#: Honorifics dropped from a canonical name, and the gender they say ("" for none).
DROPPED_HONORIFICS = {
    "mr": "m",
    "mr.": "m",
    "mrs": "f",
    "mrs.": "f",
    "ms": "f",
    "ms.": "f",
    "miss": "f",
    "dr": "",
    "dr.": "",
    "sir": "m",
    "dame": "f",
    "prof": "",
    "prof.": "",
    "professor": "",
    # abbreviated titles of office ("Sen. Jeff Sessions"): the office is a role, not a name
    "sen.": "",
    "rep.": "",
    "gov.": "",
    "gen.": "",
    "col.": "",
    "lt.": "",
    "sgt.": "",
    "adm.": "",
    "pres.": "",
}
#: Honorifics that are part of the name a person is known by ("Lord Goldsmith").
KEPT_HONORIFICS = {"lord": "m", "lady": "f", "baroness": "f", "baron": "m", "prince": "m"}
_ORG_WORDS = vocab().cues["org_words"]
_PLACE_WORDS = vocab().cues["place_words"]
_PARTICLES = vocab().cues["name_particles"]
_LABELS = {"PERSON": "person", "ORG": "org", "GPE": "gpe", "NORP": "norp"}
_WEEKDAYS = frozenset(
    ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
)
_SUFFIXES = vocab().cues["suffixes"]


@dataclass(frozen=True, slots=True)
class Mention:
    """A name in the text: tokens ``start``..``end`` (exclusive) of the document."""

    start: int
    end: int
    name: str
    # person | org | gov (a government) | party | place | group ("senior union figures")
    kind: str
    # For a description ("the home secretary" standing for the person named just before):
    # the post as written and the organisation it belongs to.
    post: tuple[str, str] | None = None

    @property
    def actor(self) -> bool:
        """People, groups of them, organisations, parties and governments can meet, deny
        and hold posts."""
        return self.kind in ("person", "org", "gov", "party", "group")


@dataclass(frozen=True, slots=True)
class DocNames:
    """Every mention of a document, looked up by token."""

    mentions: tuple[Mention, ...]
    by_token: dict[int, Mention] = field(default_factory=dict)
    # The government of the article's own country, for posts named without one.
    home: str | None = None
    # Canonical person name -> gender ("m"/"f") where the text says it.
    genders: dict[str, str] = field(default_factory=dict)
    # The organisation the article is about, for company posts named without one.
    company: str | None = None
    # The party the article is about, for party posts named without one ("deputy leader X").
    party: str | None = None

    def at(self, i: int) -> Mention | None:
        return self.by_token.get(i)


def read_names(doc: Doc) -> DocNames:
    """Find, type and resolve every mention of ``doc``."""
    v = vocab()
    raw = _spread(doc, _raw_mentions(doc, v))
    kinds = _vote_kinds(raw)
    for text in kinds:
        if kinds[text] in ("person", "org") and text.lower() in v.governments:
            kinds[text] = "place"  # "Kyiv" is a city whatever the tagger says
        elif text.lower() in _leader_surnames() or text.lower().replace(".", "") in v.leaders:
            kinds[text] = "person"  # "Trump" is a man whatever the tagger says
    words = {t.text for t in doc}
    for r in raw:
        if r.start > 0 and _kind_noun(doc[r.start - 1], r) and not r.gender:
            kinds[r.text] = "org"  # "accountancy firm Grant Thornton": a firm, not a man
        elif _traded(doc, r) and not r.gender:
            kinds[r.text] = "org"  # "shares in Woolworths": only a company has shares
        elif _family(doc, r, words) and kinds.get(r.text) in ("place", "person", "org"):
            kinds[r.text] = "group"
    for r in raw:
        if kinds.get(r.text) == "org" and _apposed_post(doc, r, v):
            kinds[r.text] = "person"  # "X, the chief executive of Y,": the tagger said org
    full = _full_names(raw, kinds)
    acronyms = _acronyms(doc, raw, kinds)
    genders: dict[str, str] = {}
    out: list[Mention] = []
    for r in raw:
        kind = kinds.get(r.text, r.kind)
        name = r.text
        code = _US_PARTY_CODE.fullmatch(r.text)
        if code is not None:
            # "Sen. X, R-S.C.,": the party and state after an American legislator's name
            if code.group(1) == "I":
                continue
            kind, name = "party", "Republican Party" if code.group(1) == "R" else "Democratic Party"
            out.append(Mention(r.start, r.end, name, kind))
            continue
        if kind == "person":
            name = _resolve_person(r, full, out) or name
            if r.gender:
                genders.setdefault(name, r.gender)
            first = name.split()[0].lower()
            g = lexicon().first_names.get(first)
            if g:
                genders.setdefault(name, g)
        elif kind == "org":
            name = acronyms.get(name, name)
            name = _national(doc, r, name, v)
            party = v.parties.get(name.lower())
            if party:
                name, kind = party, "party"
        out.append(Mention(r.start, r.end, name, kind))
    out = _one_spelling(out)
    out.extend(resolve_pronouns(doc, out, genders))
    out.extend(_first_person(doc, out))
    out.extend(_it_said(doc, out))
    out.sort(key=lambda m: m.start)
    by_token = {i: m for m in out for i in range(m.start, m.end)}
    home = home_country(doc, v, out) or dominant(out, "gov")
    company = dominant(out, "org", least=4)
    return DocNames(tuple(out), by_token, home, genders, company, dominant(out, "party", least=4))


@dataclass(slots=True)
class _Raw:
    start: int
    end: int
    text: str
    kind: str
    gender: str = ""


def _raw_mentions(doc: Doc, v: Vocab) -> list[_Raw]:
    """Named entities, honorific names and vocabulary names, one per token run."""
    taken: set[int] = set()
    out: list[_Raw] = []

    def add(r: _Raw | None) -> None:
        if r is None or not r.text.strip() or any(i in taken for i in range(r.start, r.end)):
            return
        taken.update(range(r.start, r.end))
        out.append(r)

    # Several-word vocabulary names first ("Liberal Democrat" is not the US party), then
    # names after an honorific: the tagger often misses "Lord Falconer" entirely.
    for t in doc:
        add(_vocab_mention(doc, t, v, min_words=2))
    for t in doc:
        low = t.lower_
        if (low in DROPPED_HONORIFICS or low in KEPT_HONORIFICS) and t.text[:1].isupper():
            add(_honorific_name(doc, t))
    # A known first name and a capitalised word are a person whatever the tagger says.
    first_names = lexicon().first_names
    for t in doc:
        if t.lower_ in first_names and t.text[:1].isupper() and t.i + 1 < len(doc):
            end = _two_names(doc, t.i, _name_end(doc, t.i + 1, most=3), first_names)
            if end > t.i + 1:
                add(_Raw(t.i, end, doc[t.i : end].text, "person", first_names[t.lower_]))
    for ent in _joined(doc, v):
        kind = _LABELS.get(ent.label_)
        if kind is not None:
            add(_entity(ent, kind, v))
    for t in doc:
        if t.i not in taken:
            add(_vocab_mention(doc, t, v, min_words=1))
    # Two or three capitalised proper nouns the tagger left unnamed ("Ivy Lamb") are a name:
    # an organisation if the last word says so, a person otherwise.
    for t in doc:
        if t.i in taken or not _name_word(t) or (t.i > 0 and _name_word(doc[t.i - 1])):
            continue
        end = _name_end(doc, t.i, most=4)
        start = t.i
        # "Labour Tom Rusk": a party or nationality before the name is not part of it
        while start < end and (doc[start].lower_ in v.parties or doc[start].lower_ in v.adjectives):
            start += 1
        words = [w.lower_ for w in doc[start:end]]
        if not 2 <= end - start <= 3 or any(i in taken for i in range(start, end)):
            continue
        if any(w in v.post_vocabulary or w in v.governments or w in CALENDAR_WORDS for w in words):
            continue
        kind = "org" if words[-1] in _ORG_WORDS else "person"
        add(_Raw(start, end, doc[start:end].text, kind))
    # An acronym the tagger left unnamed ("the boss of PTKL") is an organisation.
    for t in doc:
        if t.i not in taken and _acronym(t, v):
            add(_Raw(t.i, t.i + 1, t.text, "org"))
    # So is a name the tagger missed after a noun saying what kind of firm it is
    # ("the internet group Arvato", "the carmaker Velta").
    for t in doc:
        kind_word = doc[t.i - 1] if t.i > 0 else None
        if (
            t.i not in taken
            and kind_word is not None
            and kind_word.lower_ in _FIRM_WORDS
            and (kind_word.head.i == t.i or t.head.i == kind_word.i)
            and (_name_word(t) or (t.pos_ == "NOUN" and t.text[:1].isupper() and t.is_alpha))
            and not t.is_sent_start
        ):
            end = max(_name_end(doc, t.i, most=3), t.i + 1)
            if not any(i in taken for i in range(t.i, end)):
                add(_Raw(t.i, end, doc[t.i : end].text, "org"))
    # A surname the tagger missed once is still the person it names elsewhere in full.
    surnames = {
        r.text.split()[-1]
        for r in out
        if r.kind == "person" and " " in r.text and r.text.split()[-1].lower() not in _ORG_WORDS
    }
    for t in doc:
        # (a headline's "Hartley: …" is often tagged a common noun)
        if t.i not in taken and t.pos_ in ("PROPN", "NOUN") and t.text in surnames:
            add(_Raw(t.i, t.i + 1, t.text, "person"))
    # A leader's surname the tagger left unnamed ("Erdogan denies links to …" in a headline).
    leaders = _leader_surnames()
    for t in doc:
        if (
            t.i not in taken
            and t.pos_ in ("PROPN", "NOUN")
            and t.text[:1].isupper()
            and t.is_alpha
            and t.lower_ in leaders
        ):
            add(_Raw(t.i, t.i + 1, t.text, "person"))
    return out


@functools.cache
def _leader_surnames() -> frozenset[str]:
    """Surnames that name one leader in leaders.txt ("erdogan"), not two ("bush")."""
    counts = Counter(full.split()[-1] for full in vocab().leaders)
    return frozenset(name for name, n in counts.items() if n == 1 and len(name) > 3)


_PLACE_LABELS = ("GPE", "LOC", "ORG", "FAC")


def _joined(doc: Doc, v: Vocab) -> list[Span]:
    """The tagger's entities, two side by side joined when the first modifies the second
    ("Cambridge" + "Analytica" is one company, not two places)."""
    out: list[Span] = []
    for ent in doc.ents:
        prev = out[-1] if out else None
        last = doc[ent.start - 1] if ent.start > 0 else None
        if (
            prev is not None
            and last is not None
            and prev.end == ent.start
            and prev.label_ in _PLACE_LABELS
            and ent.label_ in _PLACE_LABELS
            and last.dep_ == "compound"
            and ent.start <= last.head.i < ent.end
            and prev.text.lower() not in v.governments
            and ent.text.lower() not in v.governments
        ):
            out[-1] = Span(doc, prev.start, ent.end, label="ORG")
            continue
        out.append(ent)
    return out


def _spread(doc: Doc, raw: list[_Raw]) -> list[_Raw]:
    """An organisation's several-word name found once is that name wherever the article
    writes it again, though the tagger cut it there ("Cambridge" + "Analytica")."""
    names = sorted(
        {tuple(r.text.split()) for r in raw if r.kind == "org" and " " in r.text},
        key=len,
        reverse=True,
    )
    words = [t.text for t in doc]
    out = list(raw)
    for name in names:
        n = len(name)
        for i in range(len(words) - n + 1):
            if tuple(words[i : i + n]) != name:
                continue
            inside = [r for r in out if i <= r.start and r.end <= i + n]
            if any(r.start < i + n and r.end > i and r not in inside for r in out) or any(
                (r.start, r.end) == (i, i + n) for r in inside
            ):
                continue  # already this name, or a name crossing its edge
            out = [r for r in out if r not in inside] + [_Raw(i, i + n, " ".join(name), "org")]
    return sorted(out, key=lambda r: r.start)


def _two_names(doc: Doc, start: int, end: int, first_names: dict[str, str]) -> int:
    """Where a second person's name begins inside a run of name words ("President A B
    C D", the aide C D named right after A B): at a first name whose name the article also
    writes on its own more often than the whole run."""
    for j in range(start + 2, end - 1):
        if doc[j].lower_ in first_names:
            right, whole = doc[j:end].text, doc[start:end].text
            if doc.text.count(right) > doc.text.count(whole):
                return j
    return end


def _name_end(doc: Doc, i: int, most: int = 5) -> int:
    """The end of the run of name words from ``i`` ("Kilroy-Silk" is one name)."""
    end = i
    while (
        end < len(doc)
        and end - i < most
        and (
            _name_word(doc[end])
            or (doc[end].text == "-" and end + 1 < len(doc) and _name_word(doc[end + 1]))
            or (
                # "Mohammed bin Salman", "Ursula von der Leyen": particles inside a name
                end > i
                and doc[end].text in _PARTICLES
                and end + 1 < len(doc)
                and (_name_word(doc[end + 1]) or doc[end + 1].text in _PARTICLES)
            )
        )
    ):
        end += 1
    while end > i and doc[end - 1].text in _PARTICLES:
        end -= 1
    return end


def _honorific_name(doc: Doc, t: Token) -> _Raw | None:
    end = _name_end(doc, t.i + 1)
    if end == t.i + 1:
        return None
    low = t.lower_
    words = [doc[t.i + 1 : end].text]
    if f"{low} {words[0]}".lower() in vocab().posts:
        return None  # "Lord Chancellor" is a post, not a lord
    if low in ("lord", "lady", "baroness", "baron") and _seat_of(doc, end):
        # "Lord Irvine of Lairg": a peer's title names the place he is lord of
        words.append(doc[end : end + 2].text)
        end += 2
    if low == "prince" and t.i > 0 and doc[t.i - 1].lower_ == "crown":
        # "Crown Prince X" is a post: the name is X alone
        return _Raw(t.i + 1, end, words[0], "person", "m")
    if low in KEPT_HONORIFICS:
        text = " ".join([t.text, *words])
        gender = KEPT_HONORIFICS[low]
    else:
        text = " ".join(words)
        gender = DROPPED_HONORIFICS[low]
    return _Raw(t.i, end, text, "person", gender)


_NOT_ORGS = vocab().cues["not_org_acronyms"]


def _acronym(t: Token, v: Vocab) -> bool:
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


def _seat_of(doc: Doc, end: int) -> bool:
    """ "of Lairg" after a peer's name: one capitalised place word that is no country and no
    organisation, ending the name."""
    if end + 1 >= len(doc) or doc[end].lower_ != "of":
        return False
    place = doc[end + 1]
    after = doc[end + 2] if end + 2 < len(doc) else None
    return (
        _name_word(place)
        and place.ent_type_ not in ("ORG", "NORP")
        and place.lower_ not in vocab().governments
        and (after is None or not _name_word(after))
    )


def _name_word(t: Token) -> bool:
    return (
        t.pos_ == "PROPN"
        and not _date_word(t)
        and t.text[:1].isupper()
        and t.lower_ not in _SUFFIXES
        and t.lower_ not in DROPPED_HONORIFICS
        and not t.is_punct
    )


def _entity(ent: Span, kind: str, v: Vocab) -> _Raw | None:
    if any(t.text in (",", ";") for t in ent):
        return None  # "Bellingcat, Prigozhin": two names the tagger ran together
    toks = list(ent)
    # "Meanwhile Grell": a sentence's first word is capitalised whatever it is
    while toks and (
        toks[0].lower_ in ("the", "a", "an")
        or toks[0].is_punct
        or (
            toks[0].is_sent_start
            and toks[0].pos_ in ("ADV", "ADP", "SCONJ", "CCONJ", "DET", "PRON", "VERB", "AUX")
        )
    ):
        toks.pop(0)
    # "Treasurer Lena Brook", "Conservative Graham Brady", "PM Modi": the tagger sometimes
    # takes the title or the party into the name
    while (
        len(toks) > 1
        and (kind == "person" or (toks[0].text.isupper() and toks[0].lower_ in v.post_vocabulary))
        and (
            _title_word(toks[0].lower_, v)
            or toks[0].lower_ in v.parties
            or toks[0].lower_ in v.adjectives
        )
    ):
        toks.pop(0)
    # "Mr Brown's International Finance Facility": the possessor ends the name.
    for k, t in enumerate(toks):
        if t.text in ("'s", "’s", "'", "(") and k > 0:
            toks = toks[:k]
            break
    while toks and (
        toks[-1].is_punct
        or toks[-1].lower_ in _SUFFIXES
        or toks[-1].text == "'s"
        or (kind == "person" and toks[-1].like_num)  # "phoned Rick Dunn 12 times"
        or (kind == "person" and len(toks) > 1 and _date_word(toks[-1]))
    ):
        toks.pop()
    if not toks:
        return None
    doc = ent.doc
    start, end = toks[0].i, toks[-1].i + 1
    if kind == "org" and start > 0 and doc[start - 1].lower_ in _WEEKDAYS:
        start -= 1  # "the Sunday Telegraph": the tagger takes the day for a date
    while (
        kind in ("org", "person")
        and start > ent.sent.start
        and doc[start - 1].dep_ == "compound"
        and start <= doc[start - 1].head.i < end
        and doc[start - 1].text.istitle()
        and doc[start - 1].ent_type_ == ""
        and not _title_word(doc[start - 1].lower_, v)
        and doc[start - 1].lower_ not in v.parties
        and doc[start - 1].lower_ not in v.adjectives
    ):
        # "Shareholders United", "Otis Ferry": a capitalised compound the tagger left out
        start -= 1
    if (
        kind == "org"
        and doc[end - 1].lower_ in _ORG_WORDS
        and end + 1 < len(doc)
        and doc[end].lower_ == "of"
        and doc[end + 1].pos_ == "PROPN"
        and doc[end + 1].text.istitle()
    ):
        # "Muslim Council of Britain", "Bank of England": the tagger stops at "of"
        end = _name_end(doc, end + 1, most=3)
    if kind in ("gpe", "org") and end < len(doc) and doc[end].lower_ == "police":
        end += 1  # "West Yorkshire police"
        return _Raw(start, end, " ".join(doc[start : end - 1].text.split()) + " Police", "org")
    text = " ".join(doc[start:end].text.split())
    low = text.lower()
    if low in v.parties:
        return _Raw(start, end, v.parties[low], "party")
    for k in range(start + 1, end):
        tail = doc[k:end].text.lower()
        if tail in v.parties:  # "London UKIP": the party of a place
            return _Raw(k, end, v.parties[tail], "party")
    if low in v.metonyms:
        return _Raw(start, end, v.metonyms[low], "gov")
    if kind in ("gpe", "norp"):
        gov = v.government(low)
        if gov and low in _country_words():
            return _Raw(start, end, gov, "gov")
        if gov and kind == "norp":
            return _Raw(start, end, gov, "gov")
        return _Raw(start, end, text, "place") if kind == "gpe" else None
    text = " ".join(text.split())
    if kind == "person" and any(t.lower_ in DROPPED_HONORIFICS for t in toks[:1]):
        return None  # handled by the honorific pass
    return _Raw(start, end, text, kind)


def _date_word(t: Token) -> bool:
    """A weekday, or a month followed by a day ("Fillon March 3"), which ends a name: a
    month alone may be a surname ("Theresa May")."""
    if t.lower_ in _WEEKDAYS:
        return True
    nxt = t.nbor(1) if t.i + 1 < len(t.doc) else None
    return t.lower_ in CALENDAR_WORDS and nxt is not None and nxt.like_num


def _title_word(low: str, v: Vocab) -> bool:
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


def _country_words() -> frozenset[str]:
    lex = lexicon()
    # "US" is written as an adjective and as the country's name.
    return frozenset(
        w.lower()
        for c in lex.countries
        for w in (c.name, *c.others, c.adjective if c.adjective.isupper() else "")
        if w
    )


def _vocab_mention(doc: Doc, t: Token, v: Vocab, min_words: int) -> _Raw | None:
    """Parties, metonyms and country words the tagger did not mark ("Tory", "No 10")."""
    if not t.text[:1].isupper():
        return None
    for n in range(4, min_words - 1, -1):
        if t.i + n > len(doc):
            continue
        low = doc[t.i : t.i + n].text.lower()
        if low in v.parties:
            return _Raw(t.i, t.i + n, v.parties[low], "party")
        if low in v.metonyms and low != "the government":
            return _Raw(t.i, t.i + n, v.metonyms[low], "gov")
    return None


_COMPANY_NOUNS = vocab().cues["company_nouns"]
_FIRM_WORDS = _COMPANY_NOUNS | {"group"}


def _family(doc: Doc, r: _Raw, words: set[str]) -> bool:
    """ "the Guptas" in an article that also writes "Gupta": a family, not a place."""
    t = doc[r.start]
    return (
        r.end - r.start == 1
        and t.tag_ == "NNPS"
        and t.text.endswith("s")
        and r.start > 0
        and doc[r.start - 1].lower_ == "the"
        and t.text[:-1] in words
    )


def _apposed_post(doc: Doc, r: _Raw, v: Vocab) -> bool:
    """A name of two or three words, not an organisation's, with a post in apposition."""
    words = r.text.lower().split()
    if not 2 <= len(words) <= 3 or words[-1] in _ORG_WORDS:
        return False
    if r.end >= len(doc) or doc[r.end].text != ",":
        return False
    return any(
        c.dep_ == "appos" and c.i > r.end and c.lower_ in v.post_vocabulary
        for c in doc[r.end - 1].children
    )


def _traded(doc: Doc, r: _Raw) -> bool:
    """ "Shares in X", "a stake in X", "X shares": X is a company."""
    if r.start >= 2 and doc[r.start - 1].lower_ in ("in", "of"):
        return doc[r.start - 2].lemma_.lower() in ("share", "stake")
    return r.end < len(doc) and doc[r.end].lower_ == "shares" and doc[r.end - 1].head.i == r.end


def _kind_noun(t: Token, r: _Raw) -> bool:
    """A common noun naming what kind of organisation the name after it is ("law firm X",
    "the broadcaster Y")."""
    if t.pos_ != "NOUN" or t.lower_ not in _FIRM_WORDS:
        return False
    # the parser hangs either on the other ("the internet group X": X may be its apposition),
    # or splits them when it misreads the clause; a kind of firm right before a name is enough
    return t.i == r.start - 1 or r.start <= t.head.i < r.end


def _vote_kinds(raw: list[_Raw]) -> dict[str, str]:
    """One type per name string across the document: the tagger is inconsistent."""
    votes: dict[str, Counter[str]] = {}
    surnames: set[str] = set()
    for r in raw:
        votes.setdefault(r.text, Counter())[r.kind] += 3 if r.gender else 1
        words = r.text.split()
        if r.kind == "person" and len(words) > 1:
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
            elif words[-1] in _ORG_WORDS or (len(words) == 1 and text.isupper() and len(text) > 1):
                kind = "org"
            elif text in surnames or (len(words) > 1 and words[0] in lexicon().first_names):
                kind = "person"
        out[text] = kind
    return out


def _full_names(raw: list[_Raw], kinds: dict[str, str]) -> dict[str, list[tuple[int, str]]]:
    """Surname or first name -> [(token position, full name)] for multi-word person names."""
    out: dict[str, list[tuple[int, str]]] = {}
    for r in raw:
        words = r.text.split()
        if kinds.get(r.text) != "person" or len(words) < 2:
            continue
        # "Goldsmith" is Lord Goldsmith; "Lord" is no one's first name.
        keys = {words[-1]} if words[0].lower() in KEPT_HONORIFICS else {words[-1], words[0]}
        if words[0].lower() in KEPT_HONORIFICS and "of" in words[2:]:
            keys = {words[words.index("of", 2) - 1]}  # "Lord Irvine of Lairg" is Irvine
        for key in keys:
            out.setdefault(key, []).append((r.start, r.text))
    return out


def _resolve_person(r: _Raw, full: dict[str, list[tuple[int, str]]], done: list[Mention]) -> str:
    """A one-word person name is the full name given for it, when that is not in doubt."""
    words = r.text.split()
    if len(words) == 2 and words[0].lower() in KEPT_HONORIFICS:
        # "Lord Irvine" after "Lord Irvine of Lairg"
        peers = {n for _pos, n in full.get(words[1], []) if n.startswith(f"{r.text} of ")}
        return peers.pop() if len(peers) == 1 else ""
    if len(words) == 2:
        # "Duncan Smith" after "Iain Duncan Smith": a double surname without the first name
        longer = {n for _pos, n in full.get(words[1], []) if n.endswith(f" {r.text}")}
        longer.discard(r.text)
        return longer.pop() if len(longer) == 1 else ""
    if len(words) != 1:
        return ""
    seen = full.get(words[0], [])
    candidates = sorted({n for _pos, n in seen})
    if r.gender:
        fn = lexicon().first_names
        candidates = [n for n in candidates if fn.get(n.split()[0].lower(), r.gender) == r.gender]
    if len(candidates) == 1:
        return candidates[0]
    if len(candidates) > 1:
        # Two people share the name: only the last one named, if the other is not recent.
        before = [(pos, n) for pos, n in seen if pos < r.start and n in candidates]
        if before:
            _pos, name = max(before)
            others = [p for p, n in before if n != name]
            if not others or r.start - max(others) > 200:
                return name
    return ""


_US_PARTY_CODE = re.compile(r"([RDI])-[A-Z][A-Za-z.]{0,5}")


def _national(doc: Doc, r: _Raw, name: str, v: Vocab) -> str:
    """ "Russia's Foreign Ministry" is the Russian Foreign Ministry: a ministry named without
    its country takes the possessor's."""
    low = name.lower()
    if not (low.endswith(" ministry") or low.startswith("ministry of ")) or r.start < 2:
        return name
    if doc[r.start - 1].lower_ not in ("'s", "’s"):
        return name
    gov = v.government(doc[r.start - 2].text)
    if gov is None or not gov.endswith(" government"):
        return name
    return f"{gov.removesuffix(' government')} {name}"


def _one_spelling(named: list[Mention]) -> list[Mention]:
    """ "Sergey Lavrov" and "Sergei Lavrov" in one article are one person, named as first
    written: transliterations of a first name differ, a surname must not."""
    first: dict[tuple[str, str], str] = {}
    out: list[Mention] = []
    for m in named:
        words = m.name.split()
        if m.kind != "person" or len(words) != 2:
            out.append(m)
            continue
        key = (_transliterated(words[0]), words[1].lower())
        name = first.setdefault(key, m.name)
        out.append(m if name == m.name else Mention(m.start, m.end, name, m.kind, m.post))
    return out


def _transliterated(name: str) -> str:
    low = name.lower().replace("ks", "x").replace("iy", "i").replace("ey", "ei")
    return low[:-1] + "i" if low.endswith("y") else low


def _it_said(doc: Doc, named: list[Mention]) -> list[Mention]:
    """ "X said it had held talks with Y": "it" in what an organisation says is that
    organisation (anywhere else "it" is left unresolved)."""
    at = {i: m for m in named for i in range(m.start, m.end)}
    out: list[Mention] = []
    for t in doc:
        if t.lower_ not in ("it", "its") or t.i in at:
            continue
        clause = t.head if t.dep_ in ("nsubj", "nsubjpass") else t.head.head
        if t.dep_ == "poss":
            clause = t.head.head  # "X said its chairman had resigned"
        while clause.dep_ in ("conj", "aux") and clause.head.i != clause.i:
            clause = clause.head
        if clause.dep_ != "ccomp" or clause.head.lemma_.lower() not in _SPEECH:
            continue
        if clause.lemma_ in ("be", "seem", "appear", "remain") and t.dep_ == "nsubj":
            continue  # "X said it was untrue that ...": no organisation is meant
        subj = next((c for c in clause.head.children if c.dep_ == "nsubj"), None)
        m = at.get(subj.i) if subj is not None else None
        if m is not None and m.kind in ("org", "gov", "party"):
            out.append(Mention(t.i, t.i + 1, m.name, m.kind))
    return out


_SPEECH = vocab().cues["speech"]


def _first_person(doc: Doc, named: list[Mention]) -> list[Mention]:
    """ "I", "me", "my" in a quotation are the person it is attributed to."""
    at = {i: m for m in named for i in range(m.start, m.end)}

    def speaker(v: Token) -> str | None:
        subj = next((c for c in v.children if c.dep_ == "nsubj"), None)
        m = at.get(subj.i) if subj is not None else None
        return m.name if m is not None and m.kind == "person" else None

    quotes = quotations(doc, speaker)
    return [Mention(i, i + 1, who, "person") for i, who in first_person(doc, quotes) if i not in at]


def _acronyms(doc: Doc, raw: list[_Raw], kinds: dict[str, str]) -> dict[str, str]:
    """Short forms of organisations: "LSE" -> "London Stock Exchange", defined in brackets or
    the initials of a name; "Charter" -> "Charter Communications", its first word."""
    out: dict[str, str] = {}
    for m in re.finditer(
        r"([A-Z][\w&-]*(?: (?:[A-Z][\w&-]*|&|of|and|for|the))+) ?\(([A-Z][A-Z&]{1,5})\)", doc.text
    ):
        long = re.sub(r"^(?:The|the) ", "", m.group(1))
        out[m.group(2)] = long
    longs = [r.text for r in raw if kinds.get(r.text) == "org" and len(r.text.split()) > 1]
    for r in raw:
        if r.text in out or not (r.text.isupper() and 2 <= len(r.text) <= 6):
            continue
        hits = {n for n in longs if _initials(n) == r.text}
        if len(hits) == 1:
            out[r.text] = hits.pop()
    for r in raw:
        # "Charter" after "Charter Communications": a company's first word is its short name
        if r.text in out or kinds.get(r.text) != "org" or " " in r.text or r.text.isupper():
            continue
        hits = {n for n in longs if n.split()[0] == r.text}
        if len(hits) == 1:
            out[r.text] = hits.pop()
    return out


def _initials(name: str) -> str:
    return "".join(w[0] for w in name.split() if w[:1].isupper())
