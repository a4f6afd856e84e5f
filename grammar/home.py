"""The article's own country and company, for posts named without one ("Chancellor X",
"chief executive Y").

The country is read from the words that place an article (``homes.txt``: parties,
institutions, seats of government; a dateline in a capital; a leader named by a bare
title), never from the foreign countries an article merely mentions; failing those, from a
government the article names far more than any other.  The company is the organisation an
article is about: one it names far more than any other.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from deniable.grammar.nlp import dateline_city, doc_tokens

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from deniable.grammar.names import Mention
    from deniable.grammar.vocab import Vocab


def home_country(doc: Doc, v: Vocab, mentions: list[Mention]) -> str | None:
    """The article's own country: the one its parties, institutions and seats name most,
    when the article gives at least three such words, or names that country more than any
    other (other countries have a House of Commons and Tories too)."""
    # Distinct cues: "the House of Commons" said ten times is one cue.
    seen: dict[str, set[str]] = {}
    words = [t.lower_ for t in doc_tokens(doc)]
    i = 0
    while i < len(words):
        for n in (3, 2, 1):
            phrase = " ".join(words[i : i + n])
            gov = v.homes.get(phrase)
            if gov:
                seen.setdefault(gov, set()).add(phrase)
                i += n - 1
                break
        i += 1
    # Words every Westminster parliament has place a story in Britain only when no word of
    # another such country is there ("Ontario", "Toronto": the Commons is Ottawa's).
    if seen.keys() & _WESTMINSTER and "UK government" in seen:
        seen["UK government"] -= _SHARED_WORDS
        if not seen["UK government"]:
            del seen["UK government"]
    # A wire dateline in a capital places the story more firmly than the words of another
    # parliament of the same kind (Ottawa has Tories, MPs and a House of Commons too).
    city = dateline_city(doc) or _titled_dateline(doc)
    placed = v.government(city) if city else None
    if placed:
        seen.setdefault(placed, set()).update(f"<dateline {k}>" for k in range(9))
    # So does its own leader named by a bare title ("President X", "Prime Minister Y"):
    # a foreign leader is given a country ("Russian President X").
    for m in mentions:
        gov = _titled_leader(doc, v, m)
        if gov:
            seen.setdefault(gov, set()).update({f"<{m.name}>", f"<{m.name} 2>", f"<{m.name} 3>"})
    # A known leader whose first full naming gives no country is weaker evidence of the same
    # ("Tony Blair met the Italian prime minister"): one cue.
    for gov in _unqualified_leaders(doc, v, mentions):
        seen.setdefault(gov, set()).add("<unqualified leader>")
    c = Counter({gov: len(cues) for gov, cues in seen.items()})
    if not c:
        return None
    (top, n), *rest = [*c.most_common(2), ("", 0)]
    if n <= 2 * rest[0][1]:
        return None
    if n >= 3:
        return top
    # With fewer cues the article must name the country too, and more often than any other
    # (a Canadian story that mentions Britain once has a House of Commons of its own).
    named = Counter(m.name for m in mentions if m.kind == "gov").most_common()
    if not named or named[0][0] != top:
        return None
    return top if len(named) == 1 or named[1][1] < named[0][1] else None


_WESTMINSTER = frozenset({"Canadian government", "Australian government", "New Zealand government"})
_SHARED_WORDS = frozenset(
    {"mp", "mps", "commons", "house of commons", "tory", "tories", "labour", "labour party",
     "conservative party"}
)  # fmt: skip


def _titled_dateline(doc: Doc) -> str | None:
    """A dateline written in title case with a colon ("Washington: US President X ..."), at
    the start of one of the first three paragraphs: the word, which only a capital's name
    makes a dateline."""
    paragraphs = 0
    for t in doc_tokens(doc):
        if t.i and "\n" not in doc[t.i - 1].text and "\n" not in doc[t.i - 1].whitespace_:
            continue
        if t.is_space:
            continue
        paragraphs += 1
        if paragraphs > 3:
            return None
        if (
            t.text.istitle()
            and t.is_alpha
            and t.i + 2 < len(doc)
            and doc[t.i + 1].text == ":"
            and doc[t.i + 2].text[:1].isupper()
        ):
            return t.text
    return None


_BARE_TITLES = frozenset({"president", "chancellor", "premier"})


def _titled_leader(doc: Doc, v: Vocab, m: Mention) -> str | None:
    """The government of a known leader named right after a bare title, never "former"."""
    if m.kind != "person" or m.start < 1:
        return None
    gov = v.leaders.get(m.name.lower().replace(".", ""))
    if gov is None:
        return None
    k = m.start - 1
    if doc[k].lower_ == "minister" and k >= 1 and doc[k - 1].lower_ == "prime":
        k -= 1
    elif doc[k].lower_ not in _BARE_TITLES or not doc[k].text[:1].isupper():
        return None
    before = doc[k - 1] if k >= 1 else None
    if before is not None and before.lower_ in ("'s", "’s") and k >= 2:
        before = doc[k - 2]  # "China's President X": the country is given
    if before is not None and (
        before.lower_ in ("former", "ex", "late", "-", "then", "vice", "deputy")
        or before.ent_type_ in ("NORP", "GPE")
        or before.lower_ in v.adjectives
    ):
        return None
    return gov


def _unqualified_leaders(doc: Doc, v: Vocab, mentions: list[Mention]) -> set[str]:
    """Governments of known leaders first named in full with no country or title before."""
    out: set[str] = set()
    first: set[str] = set()
    for m in mentions:
        if m.kind != "person" or " " not in m.name or m.name in first:
            continue
        first.add(m.name)
        gov = v.leaders.get(m.name.lower().replace(".", ""))
        if gov is None or doc[m.start : m.end].text != m.name:
            continue
        before = doc[m.start - 1] if m.start >= 1 else None
        if before is None or not (
            before.text[:1].isupper()
            or before.ent_type_ in ("NORP", "GPE")
            or before.lower_ in v.adjectives
        ):
            out.add(gov)
    return out


def dominant(mentions: list[Mention], kind: str, least: int = 5, factor: int = 3) -> str | None:
    """The name of ``kind`` the article is about: named at least ``least`` times and
    ``factor`` times as often as any other ("United" counts for "Manchester United",
    "Acme" for "Acme Foods")."""
    counts = Counter(m.name for m in mentions if m.kind == kind)
    if not counts:
        return None
    top = max(counts, key=lambda n: (counts[n], len(n)))
    short = {n for n in counts if n != top and (top.endswith(f" {n}") or top.startswith(f"{n} "))}
    n = counts[top] + sum(counts[x] for x in short)
    rest = max((c for x, c in counts.items() if x != top and x not in short), default=0)
    return top if n >= least and n >= factor * rest else None
