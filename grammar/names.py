"""Who is named where: the mentions of one parsed document, with canonical names.

spaCy's named entities are the start.  On top of them this module adds what a reader of news
relies on and a statistical tagger gets wrong: honorifics ("Lord Falconer", "Ms Furse"), one
type per name across the document, surnames and first names resolved to the full name given
earlier, acronyms resolved to the long name they abbreviate, parties, countries acting as their
governments, and pronouns resolved to the last person of the right gender.  Its stages live
beside it: :mod:`~deniable.grammar.raw_names` (where names stand),
:mod:`~deniable.grammar.kinds` (what kind of thing a name is),
:mod:`~deniable.grammar.spellings` (one name written several ways) and
:mod:`~deniable.grammar.pronouns`.

The result, :class:`DocNames`, is built once per document and read, never written, by the
extractors.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from deniable.grammar.headlines import headline_names
from deniable.grammar.home import dominant, home_country
from deniable.grammar.kinds import leader_by_surname, leader_surnames, name_kinds
from deniable.grammar.lexicon import lexicon
from deniable.grammar.name_spread import spread
from deniable.grammar.namewords import PATRONYMICS, ROYAL_TITLES
from deniable.grammar.pronouns import first_person_mentions, organisation_it, resolve_pronouns
from deniable.grammar.raw_names import raw_mentions
from deniable.grammar.spellings import (
    US_PARTY_CODE,
    acronyms,
    full_names,
    lone_surnames,
    lowercase_ministries,
    national,
    one_spelling,
    person_aliases,
    resolve_person,
    surnames_apart,
)
from deniable.grammar.vocab import vocab

if TYPE_CHECKING:
    from spacy.tokens import Doc

#: The lower house of a country's parliament, which "the House" and "Speaker X" name.
LOWER_HOUSES = {"UK government": "House of Commons", "US government": "House of Representatives"}


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
    raw = lowercase_ministries(doc, spread(doc, raw_mentions(doc, v)), v)
    raw = headline_names(doc, raw, v)
    kinds = name_kinds(doc, raw, v)
    full = full_names(raw, kinds)
    split = surnames_apart(doc, raw, full)
    if len(split) != len(raw):
        raw = split
        kinds.update({r.text: "person" for r in raw if r.kind == "person" and r.text in full})
        full = full_names(raw, kinds)
    lone = lone_surnames(doc, raw, full)
    if lone:
        # (sorted, as the stages after read the raw names in document order)
        raw = sorted([*raw, *lone], key=lambda r: r.start)
        kinds.update({r.text: "person" for r in lone})
    short_forms = acronyms(doc, raw, kinds)
    aliases = person_aliases(doc, raw, kinds)
    for short in aliases:
        short_forms.pop(short, None)  # a person's initials are no company's
    genders: dict[str, str] = {}
    titled: dict[str, frozenset[str]] = {}
    for r in raw:
        if r.gender and " " not in r.text:
            titled[r.text] = titled.get(r.text, frozenset()) | {r.gender}
    out: list[Mention] = []
    # a surname alone, as first resolved: an article that calls one man "Mr X" goes on
    # calling him so when it names his father X in full
    surnamed: dict[str, str] = {}
    for r in raw:
        kind = kinds.get(r.text, r.kind)
        name = r.text
        code = US_PARTY_CODE.fullmatch(r.text)
        if code is not None:
            # "Sen. X, R-S.C.,": the party and state after an American legislator's name
            if code.group(1) == "I":
                continue
            kind, name = "party", "Republican Party" if code.group(1) == "R" else "Democratic Party"
            out.append(Mention(r.start, r.end, name, kind))
            continue
        if kind == "place" and name in short_forms:
            kind = "org"  # the tagger's town is a company's short name
        if (
            kind == "person"
            and name in short_forms
            and not resolve_person(r, full, out)
            and name.lower() not in leader_surnames()
        ):
            kind = "org"  # the tagger's person is a company's short name ("Trump" stays)
        if name in aliases:
            kind, name = "person", aliases[name]
        if kind == "person":
            royal = r.start > 0 and doc[r.start - 1].lower_ in ROYAL_TITLES
            earlier = surnamed.get(r.text)
            if earlier is not None and any(n == earlier for _p, n in full.get(r.text, [])):
                name = earlier
            else:
                patronym = r.start > 0 and doc[r.start - 1].lower_ in PATRONYMICS
                who = resolve_person(r, full, out, royal, patronym, titled.get(r.text, frozenset()))
                name = who or name
            if " " not in r.text and " " in name and not royal:
                surnamed.setdefault(r.text, name)
            if name == r.text and " " not in name and name not in full:
                # "Trump" in an article that never names him in full, nor anyone else
                # of that name: the one leader of that surname
                name = leader_by_surname().get(name.lower(), name)
            if r.gender:
                genders.setdefault(name, r.gender)
            first = name.split()[0].lower()
            g = lexicon().first_names.get(first)
            if g:
                genders.setdefault(name, g)
        elif kind == "org":
            name = short_forms.get(name, name)
            if name.lower() in v.governments and name[:1].isupper():
                # "DPRK", or the long name it stands for: a country's government
                kind, name = "gov", v.governments[name.lower()]
                out.append(Mention(r.start, r.end, name, kind))
                continue
            name = national(doc, r, name, v)
            party = v.parties.get(name.lower())
            if party:
                name, kind = party, "party"
        out.append(Mention(r.start, r.end, name, kind))
    out = one_spelling(out)
    out.extend(resolve_pronouns(doc, out, genders))
    out.extend(first_person_mentions(doc, out))
    out.extend(organisation_it(doc, out))
    out.sort(key=lambda m: m.start)
    home = home_country(doc, v, out) or dominant(out, "gov")
    chamber = LOWER_HOUSES.get(home or "")
    if chamber:
        # "the House" of an American article is its House of Representatives
        out = [
            replace(m, name=chamber) if m.kind == "org" and m.name == "House" else m for m in out
        ]
    by_token = {i: m for m in out for i in range(m.start, m.end)}
    company = dominant(out, "org", least=4)
    return DocNames(tuple(out), by_token, home, genders, company, dominant(out, "party", least=4))
