"""How sure the article is of a candidate fact, and who it attributes the fact to."""

from __future__ import annotations

from deniable.facts.model import Modality
from deniable.grammar.view import Candidate, View

_EVENTS = frozenset({"called", "met", "pictured_with"})
_NEG = frozenset(
    [
        "not",
        "n't",
        "never",
        "no",
        "refused",
        "refuses",
        "refusal",
        "declined",
        "without",
        "neither",
        "nor",
    ]
)
_ATTEMPT = frozenset(
    ["tried", "attempted", "sought", "try", "tries", "attempt", "attempts", "seek", "seeks"]
)
_CLAUSE_BREAK = frozenset({".", ";", "but", "while", "although", "whereas", "however"})
_SAY_SOURCE = frozenset(
    [
        "claims",
        "claimed",
        "reported",
        "reports",
        "says",
        "said",
        "shows",
        "show",
        "showed",
        "reveals",
    ]
)


def modality(v: View, c: Candidate) -> tuple[Modality, str]:
    """Return the modality and attributed source of candidate ``c`` in sentence ``v``.

    Negation and attempt win over every hedge ("allegedly tried to call" is attempted);
    an event fact with a negation or attempt cue anywhere in its clause is never positive.
    """
    if c.modality in (Modality.NEGATED, Modality.ATTEMPTED):
        return c.modality, ""
    if c.pred in _EVENTS:
        guard = _event_guard(v, c)
        if guard is not None:
            return guard, ""
    source = _source(v, c)
    if c.hedged or _hedged(v, c):
        return Modality.ALLEGED, source
    if source:
        return Modality.REPORTED, source
    return Modality.ASSERTED, ""


def _event_guard(v: View, c: Candidate) -> Modality | None:
    start = c.start
    while start > 0 and v.lows[start - 1] not in _CLAUSE_BREAK:
        start -= 1
    window = v.lows[start : c.end]
    if any(w in _ATTEMPT for w in window) or "wanted to" in " ".join(window):
        return Modality.ATTEMPTED
    if any(w in _NEG for w in window):
        return Modality.NEGATED
    return None


def _hedged(v: View, c: Candidate) -> bool:
    lex = v.state.lex
    for k in range(max(0, c.start - 3), min(len(v.lows), c.end)):
        hit = lex.hedges.match(v.lows, k)
        if hit and hit[1] == "ALLEGED":
            return True
    return False


def _source(v: View, c: Candidate) -> str:
    """The attributed source: "according to X", "X claims", "leaked records show", ..."""
    lex = v.state.lex
    lows = v.lows
    for k in range(len(lows)):
        hit = lex.hedges.match(lows, k)
        if hit is None or hit[1] != "REPORT":
            continue
        n = hit[0]
        named = _mention_near(v, k + n, c) if v.lows[k + n - 1] in ("to", "by") else ""
        phrase = " ".join(v.toks[x].text for x in range(k, k + n))
        if named:
            return named
        return phrase.removeprefix("the ").removesuffix(" show").removesuffix(" says").strip()
    for k, low in enumerate(lows):
        if low in _SAY_SOURCE and k > 0 and (k - 1) in v.cover:
            m = v.cover[k - 1]
            if m.name and m.name not in (c.a, c.b) and (k >= c.end or k < c.start):
                return m.name
    return ""


def _mention_near(v: View, k: int, c: Candidate) -> str:
    for j in range(k, min(len(v.lows), k + 6)):
        if j in v.at and v.at[j].name and v.at[j].name not in (c.a, c.b):
            return v.at[j].name or ""
        if j not in v.cover and v.toks[j].text[:1].isupper() and v.toks[j].text.isalpha():
            run = [v.toks[j].text]
            while j + len(run) < len(v.toks) and v.toks[j + len(run)].text[:1].isupper():
                run.append(v.toks[j + len(run)].text)
            return " ".join(run)
    return ""
