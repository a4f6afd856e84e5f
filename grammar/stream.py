"""The tagged token stream of a sentence: mentions and lexicon classes the clause grammar reads.

Each :class:`Item` is a terminal of ``sentence.lark`` (``NP``, ``V_CALL``, ``COUNT``, ...)
over a span of tokens; :func:`items` builds the stream for a sentence view.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from deniable.grammar.mentions import Mention
from deniable.grammar.view import View

_DIGITS = re.compile(r"^\d{1,6}$")
# Contexts after which an ambiguous word ("calls", "contact", "meeting") is a noun.
_NOMINAL_BEFORE = frozenset({"LIGHT", "DET", "COUNT", "MOD", "REFUSE1"})
_GENERIC_PLURALS = frozenset(
    [
        "officials",
        "members",
        "representatives",
        "aides",
        "sources",
        "people",
        "staff",
        "commanders",
        "leaders",
        "figures",
        "diplomats",
        "executives",
        "others",
    ]
)


@dataclass(slots=True)
class Item:
    """One terminal of the clause grammar: a class over tokens ``[start, end)``."""

    cls: str
    start: int
    end: int
    mention: Mention | None = None


def items(v: View, start: int = 0, stop: int | None = None, asides: bool = True) -> list[Item]:
    """The sentence as grammar terminals: mentions and absorbed appositions become NP.

    ``start``/``stop`` read a part of the sentence (a relative clause); ``asides`` drops
    parentheticals and relative clauses between a subject and its verb.
    """
    lex = v.state.lex
    spans: dict[int, tuple[int, Mention]] = {}
    merged: list[list[Any]] = []
    for a_start, a_end, head in sorted(v.absorbed, key=lambda a: (a[0], -a[1])):
        if merged and a_start < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], a_end)  # overlapping appositions: one phrase
        else:
            merged.append([a_start, a_end, head])
    for a_start, a_end, head in merged:
        spans[a_start] = (_relative_end(v, a_start, a_end) if asides else a_end, head)
    out: list[Item] = []
    k = start
    n = len(v.toks) if stop is None else stop
    while k < n:
        if k in spans and spans[k][0] > k:
            end, head = spans[k]
            out.append(Item("NP", k, end, head))
            k = end
            if v.low(k) == "'s":
                # "Governor X's aide": X is the possessor, never the object of the clause.
                out[-1].cls = "POSSNP"
                k += 1
            continue
        if v.lows[k] in ('"', "'"):
            k += 1
            continue
        m = v.at.get(k)
        if m is not None:
            out.append(_np_item(v, m))
            k = m.end
            if v.low(k) == "'s":
                out[-1].cls = "POSSNP"
                k += 1
            continue
        low = v.lows[k]
        if low in _GENERIC_PLURALS:
            item = _generic(v, k)
            out.append(item)
            k = item.end
            continue
        if low == "and" and _verbal(lex, v, k + 1, strict=False):
            if out and out[-1].cls == "NP" and _copular(v, out[-1]):
                # "X is reported to be Y and has been photographed": the first verb was folded
                k += 1
                continue
            out.append(Item("ANDV", k, k + 1))  # "and" joining verb phrases, not names
            k += 1
            continue
        hit = lex.words.match(v.lows, k)
        if hit:
            length, cls = hit
            prev = out[-1].cls if out else ""
            if prev == "REFUSE" and out[-1].end - out[-1].start == 1:
                prev = "REFUSE1"
            cls = _disambiguate(cls, prev)
            if (
                cls == "V_CALL"
                and low in ("called", "calls", "call")
                and ((low == "called" and _names_after(v, out, k)) or _labels(v, k))
            ):
                cls = "W"  # "an officer called Dmitry Utkin", "called X 'flawed'": no phoning
            out.append(Item(cls, k, k + length))
            k += length
            continue
        if low == "," and asides and out and out[-1].cls == "NP":
            skip = _aside(v, k)
            if skip:
                k = skip  # "X, far right, is photographed": an aside before the verb
                continue
        if low in ("who", "whose", "which", "that", "whom"):
            out.append(Item("REL", k, k + 1))  # a relative pronoun never starts a name
        elif _DIGITS.match(low):
            out.append(Item("COUNT", k, k + 1))
        elif low == ",":
            out.append(Item("COMMA", k, k + 1))
        else:
            out.append(Item("W", k, k + 1))
        k += 1
    return out


def _names_after(v: View, out: list[Item], k: int) -> bool:
    """Whether "called" at ``k`` names what comes before it: "a man called X"."""
    if not out:
        return False
    prev = out[-1]
    if prev.cls == "W" and v.toks[k - 1].text.islower():
        return True
    m = prev.mention
    return prev.cls == "NP" and m is not None and m.kind == "desc" and v.low(m.start) in ("a", "an")


def _labels(v: View, k: int) -> bool:
    """ "called X's plan 'flawed'", "called him a liar": a verdict in quotation marks comes
    after the object, before the clause ends."""
    for j in range(k + 2, min(len(v.lows), k + 10)):
        if v.lows[j] in ('"', "“", "'", "‘") and v.lows[j - 1] not in _BEFORE_QUOTE:
            return True
        if v.lows[j] in (",", ".", ";", ":", "to", "on", "for", "about", "after"):
            return False
    return False


# What may stand before a quotation that is not a verdict ("called him and said, '...'").
_BEFORE_QUOTE = frozenset(
    {",", ":", "said", "says", "say", "told", "asked", "added", "wrote", "replied", "saying"}
)


def _relative_end(v: View, a_start: int, a_end: int) -> int:
    """ "X, who founded Y in 2009, was charged": the aside runs to the comma before the verb."""
    if "who" not in v.lows[a_start:a_end] or v.low(a_end) == ",":
        return a_end
    for j in range(a_end, min(len(v.lows), a_end + 8)):
        if v.lows[j] in (".", ";", '"', "who", "which"):
            return a_end
        if v.lows[j] == ",":
            return j + 1 if _verbal(v.state.lex, v, j + 1, strict=False) else a_end
    return a_end


def _copular(v: View, it: Item) -> bool:
    m = it.mention
    return m is not None and it.end > m.end and v.low(m.end) in ("is", "was", "has")


def _aside(v: View, k: int) -> int:
    """End of ", [a few words,] " after a noun phrase when a verb follows, else 0."""
    if _verbal(v.state.lex, v, k + 1, strict=False):
        return k + 1
    if v.low(k + 1) in ("who", "which"):
        # ", who denies any wrongdoing, had ...": a relative clause before the verb
        for j in range(k + 2, min(len(v.lows), k + 14)):
            if v.lows[j] in (".", ";", '"'):
                break
            if v.lows[j] == ",":
                return j + 1 if _verbal(v.state.lex, v, j + 1, strict=False) else 0
    for width in (1, 2, 3):
        j = k + 1 + width
        words = v.lows[k + 1 : j]
        plain = all((w.isalpha() or w.isdigit()) and w not in ("and", "or") for w in words)
        named = any((k + 1 + x) in v.cover for x in range(width))
        if v.low(j) == "," and plain and not named and _verbal(v.state.lex, v, j + 1, strict=False):
            return j + 1
    return 0


def _verbal(lex: object, v: View, k: int, strict: bool = True) -> bool:
    hit = v.state.lex.words.match(v.lows, k) if k < len(v.lows) else None
    if not hit:
        return False
    first = hit[1].split("|")[0]
    if first in ("AUX", "LIGHT", "ATTEMPT", "REFUSE", "NEG_AUX"):
        return True
    return not strict and first.startswith("V_")


def _np_item(v: View, m: Mention) -> Item:
    if m.name is None:
        return Item("XNP", m.start, m.end, m)
    return Item("NP", m.start, m.end, m)


def _generic(v: View, k: int) -> Item:
    """ "members of X" is X; "officials close to him" is nobody we can name."""
    if v.low(k + 1) == "of" and (k + 2) in v.at and v.at[k + 2].name:
        m = v.at[k + 2]
        if v.state.etype(m.name or "") in ("org", "group"):
            return Item("NP", k, m.end, m)
        # "representatives of A's campaign", "aides of A" are not A: the whole phrase is nobody
        end = m.end
        if v.low(end) in ("'s", "’s", "'") and v.low(end + 1).isalpha():
            end += 2
        return Item("XNP", k, end)
    if v.low(k + 1) == "close" and v.low(k + 2) == "to" and (k + 3) in v.at:
        return Item("XNP", k, v.at[k + 3].end)
    return Item("XNP", k, k + 1)


def _disambiguate(cls: str, prev: str) -> str:
    if "|" not in cls:
        return cls
    options = cls.split("|")
    if "LIGHT" in options:
        return "LIGHT"
    if "BEING" in options:
        return "AUX"
    nominal = prev in _NOMINAL_BEFORE
    for o in options:
        if nominal and (o.startswith("N_") or o == "MOD"):
            return o
        if not nominal and o.startswith("V_"):
            return o
    return options[0]
