"""The hand-written word lists (verbs, nouns, roles, titles, hedges, countries), loaded once."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from importlib.resources import files


@dataclass(frozen=True, slots=True)
class Country:
    """A country with the names that stand for it."""

    name: str
    adjective: str
    capital: str
    others: tuple[str, ...] = ()

    @property
    def government(self) -> str:
        return f"{self.adjective} government"


@dataclass(slots=True)
class PhraseTable:
    """Lower-case phrases (as token tuples) mapped to a class; looked up longest first."""

    by_first: dict[str, list[tuple[tuple[str, ...], str]]] = field(default_factory=dict)
    # Lookup structures: one-word phrases, and longer ones keyed by their first two words.
    single: dict[str, str] = field(default_factory=dict)
    by_two: dict[tuple[str, str], list[tuple[tuple[str, ...], str]]] = field(default_factory=dict)

    def add(self, phrase: tuple[str, ...], cls: str) -> None:
        entries = self.by_first.setdefault(phrase[0], [])
        for old_phrase, old_cls in entries:
            if old_phrase == phrase:
                # A word of two classes ("call": verb and noun) keeps both; context decides.
                cls = old_cls if cls in old_cls.split("|") else f"{old_cls}|{cls}"
        entries[:] = [e for e in entries if e[0] != phrase]
        entries.append((phrase, cls))
        entries.sort(key=lambda e: -len(e[0]))
        if len(phrase) == 1:
            self.single[phrase[0]] = cls
        else:
            two = self.by_two.setdefault((phrase[0], phrase[1]), [])
            two[:] = [e for e in two if e[0] != phrase]
            two.append((phrase, cls))
            two.sort(key=lambda e: -len(e[0]))

    def match(self, words: list[str], i: int) -> tuple[int, str] | None:
        """Return (length, class) of the longest phrase starting at ``words[i]``."""
        if not 0 <= i < len(words):
            return None
        if i + 1 < len(words):
            for phrase, cls in self.by_two.get((words[i], words[i + 1]), ()):
                n = len(phrase)
                if n == 2 or tuple(words[i : i + n]) == phrase:
                    return n, cls
        single = self.single.get(words[i])
        return (1, single) if single is not None else None


@dataclass(slots=True)
class Lexicon:
    """Every word list the grammar uses."""

    words: PhraseTable
    roles: PhraseTable
    titles: PhraseTable
    hedges: PhraseTable
    nouns: PhraseTable
    countries: tuple[Country, ...]
    # lower-case country name, capital, adjective or other name -> Country
    country_names: dict[str, Country]
    role_words: frozenset[str]
    # first words of every country name, capital and adjective (a fast pre-check)
    country_first: frozenset[str] = frozenset()
    # seats of government that speak for it ("kremlin" -> "Russian government")
    seats: dict[str, str] = field(default_factory=dict)
    seat_names: dict[str, str] = field(default_factory=dict)
    seat_first: frozenset[str] = frozenset()
    # lower-case first name -> "m" or "f" (pronoun agreement)
    first_names: dict[str, str] = field(default_factory=dict)


def _phrase(text: str) -> tuple[str, ...]:
    from deniable.grammar.tokens import clean, tokenize

    return tuple(t.low for t in tokenize(clean(text.strip().lower())))


def _read(name: str) -> list[str]:
    text = (files("deniable.grammar") / "lexicons" / name).read_text(encoding="utf-8")
    return [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]


def _table(name: str) -> PhraseTable:
    table = PhraseTable()
    for line in _read(name):
        cls, _, phrase = line.partition(" ")
        table.add(_phrase(phrase), cls)
    return table


@functools.cache
def lexicon() -> Lexicon:
    """Load the lexicons from the package (cached)."""
    countries = []
    names: dict[str, Country] = {}
    seats: dict[str, str] = {}
    seat_names: dict[str, str] = {}
    for line in _read("countries.txt"):
        parts = [p.strip() for p in line.split("|")]
        others = (
            tuple(o.strip() for o in parts[3].split(";") if o.strip()) if len(parts) > 3 else ()
        )
        c = Country(parts[0], parts[1], parts[2], others)
        for seat in (s.strip() for s in (parts[4].split(";") if len(parts) > 4 else [])):
            if seat:
                seats[seat.lower()] = c.government
                seat_names[seat.lower()] = seat
        countries.append(c)
        for n in (c.name, c.adjective, c.capital, *others):
            if n:
                names[n.lower()] = c
    roles = _table("roles.txt")
    role_words = frozenset(" ".join(p) for entries in roles.by_first.values() for p, _ in entries)
    return Lexicon(
        words=_table("words.txt"),
        roles=roles,
        titles=_table("titles.txt"),
        hedges=_table("hedges.txt"),
        nouns=_table("nouns.txt"),
        countries=tuple(countries),
        country_names=names,
        role_words=role_words,
        country_first=frozenset(n.split()[0] for n in names),
        seats=seats,
        seat_names=seat_names,
        seat_first=frozenset(n.split()[0] for n in seat_names),
        first_names={
            name: g for g, _, name in (ln.partition(" ") for ln in _read("firstnames.txt"))
        },
    )
