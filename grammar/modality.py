"""How sure the article is of a candidate fact, and who it attributes the fact to."""

from __future__ import annotations

from deniable.facts.model import Modality
from deniable.grammar.headlines import dash_attribution
from deniable.grammar.namewords import DROPPED_HONORIFICS
from deniable.grammar.view import Candidate, View
from deniable.grammar.vocab import vocab

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
_SAY_AUX = frozenset(
    ["has", "have", "had", "also", "later", "previously", "then", "reportedly", "allegedly"]
)
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
        "told",
        "tells",
        "admitted",
        "alleged",
        "alleges",
        "insisted",
        "testified",
        "wrote",
        "admits",
        "confirmed",
        "confirms",
        "revealed",
        "announced",
        "disclosed",
        "suggests",
        "suggested",
    ]
)


def modality(v: View, c: Candidate) -> tuple[Modality | None, str]:
    """Return the modality and attributed source of candidate ``c`` in sentence ``v``.

    Negation and attempt win over every hedge ("allegedly tried to call" is attempted);
    an event fact with a negation or attempt cue anywhere in its clause is never positive.
    """
    if c.modality in (Modality.NEGATED, Modality.ATTEMPTED):
        return c.modality, ""
    if c.pred in _EVENTS and _hypothetical(v, c.start):
        return None, ""  # "If X met Y", "whether X met Y": no statement either way
    if c.pred in _EVENTS:
        denier = _denied_by(v, c.start)
        if denier is not None:
            # "X denied that A met B": the meeting is what X denies, never a positive fact.
            return Modality.NEGATED, denier
        if _denial_withheld(v, c):
            return None, ""  # "has not denied meeting B": nothing either way
        guard = _event_guard(v, c)
        if guard is not None:
            return guard, ""
    source = _source(v, c)
    if source is None:
        source = dash_attribution([t.text for t in v.toks])  # "A met B - sources"
    if c.hedged or _hedged(v, c):
        return Modality.ALLEGED, source or ""
    if source is not None:
        return Modality.REPORTED, source
    return Modality.ASSERTED, ""


_DENY_THAT = frozenset(
    [
        "denied",
        "denies",
        "deny",
        "denying",
        "rejected",
        "rejects",
        "dismissed",
        "dismisses",
        "disputed",
        "disputes",
        "refuted",
        "false",
        "untrue",
    ]
)


def _denied_by(v: View, start: int) -> str | None:
    """Who denies the clause starting at ``start`` ("X denied that ..."), if anyone."""
    for k in range(start - 1, max(-1, start - 4), -1):
        if v.lows[k] in _DENY_THAT:
            who = next((m for m in reversed(v.mentions) if m.end <= k and m.name), None)
            return who.name if who and who.name else "denial"
        if v.lows[k] not in ("that", "claims", "reports", "suggestions", "allegations"):
            return None
    return None


_MODALS = frozenset(["may", "might", "could", "would", "should", "will", "can", "shall", "must"])
_IFS = frozenset(["if", "whether", "unless", "suppose", "supposing"])


def _hypothetical(v: View, start: int) -> bool:
    """Whether the clause at ``start`` is a condition or an indirect question."""
    for k in range(start - 1, max(-1, start - 6), -1):
        if v.lows[k] in _IFS:
            return True
        if v.lows[k] in (",", ";", "."):
            return False
    return False


def _later(v: View, end: int, window: list[str]) -> bool:
    """ "did not meet B until 2003", "never met B until last week": they met, later."""
    if any(w in _NEG for w in window) and "until" in v.lows[end : end + 6]:
        return not any(
            w in (",", ";", "but", "and") for w in v.lows[end : v.lows.index("until", end)]
        )
    return False


def _event_guard(v: View, c: Candidate) -> Modality | None:
    start = c.start
    while start > 0 and v.lows[start - 1] not in _CLAUSE_BREAK:
        start -= 1
    window = v.lows[start : c.end]
    if any(w in _ATTEMPT for w in window) or "wanted to" in " ".join(window):
        return Modality.ATTEMPTED
    if any(w in _NEG for w in window) and not _later(v, c.end, window):
        return Modality.NEGATED
    if _said_unreal(v, c.end):
        return Modality.NEGATED  # "the meeting between A and B was a fabrication"
    for k, w in enumerate(window):
        if w == "may" and v.toks[start + k].text == "May":
            continue  # "in May" is a month
        if w in _MODALS and (k + 1 >= len(window) or window[k + 1] != "have"):
            return Modality.ATTEMPTED  # "may meet", "will call": an intention, not an event
    return None


_UNREAL = vocab().cues["unreal"]


_WITHHELD = _DENY_THAT | {"confirm", "confirmed", "confirms", "deny"}


def _denial_withheld(v: View, c: Candidate) -> bool:
    """The clause's negation belongs to a denial or confirmation before the event: "has not
    denied meeting B", "would not confirm that A met B"."""
    start = c.start
    while start > 0 and v.lows[start - 1] not in _CLAUSE_BREAK:
        start -= 1
    window = v.lows[start : c.end]
    return any(
        w in _NEG and any(x in _WITHHELD for x in window[k + 1 : k + 3])
        for k, w in enumerate(window)
    )


def _said_unreal(v: View, end: int) -> bool:
    """The words right after the span call the event unreal: "… was a fabrication"."""
    after = v.lows[end : end + 5]
    if not after or after[0] not in ("was", "is", "were", "had", "has"):
        return False
    for w in after[1:]:
        if w in _CLAUSE_BREAK or w == ",":
            return False
        if w in _UNREAL:
            return True
    return False


def _hedged(v: View, c: Candidate) -> bool:
    for k in range(max(0, c.start - 3), min(len(v.lows), c.end)):
        hit = v.hedge(k)
        if hit and hit[1] == "ALLEGED":
            return True
    # "A's contacts with B reportedly included calls": the adverb right after the span
    nxt = v.low(c.end)
    return nxt.endswith("ly") and (hit := v.hedge(c.end)) is not None and hit[1] == "ALLEGED"


def _source(v: View, c: Candidate) -> str | None:
    """The attributed source: "according to X", "X claims", "leaked records show", ...

    ``None`` when the statement is not attributed; ``""`` when it is, but to nobody named
    ("it is reported", "reports say").
    """
    lows = v.lows
    for k in range(len(lows)):
        hit = v.hedge(k)
        if hit is None or hit[1] != "REPORT":
            continue
        n = hit[0]
        if v.lows[k + n - 1] == "to" and v.low(k + n) in _INFINITIVES:
            # "X is reported to be Y": reported, by nobody named; not a source called "be".
            phrase = " ".join(v.toks[x].text for x in range(k, k + n - 1))
            return "" if set(phrase.lower().split()) <= _ANONYMOUS else phrase
        named = _mention_near(v, k + n, c) if v.lows[k + n - 1] in ("to", "by") else ""
        phrase = " ".join(v.toks[x].text for x in range(k, k + n))
        if named:
            return named
        if v.lows[k + n - 1] in ("to", "by"):
            words: list[str] = []
            for j in range(k + n, min(len(v.lows), k + n + 4)):
                if not words and (v.lows[j] in DROPPED_HONORIFICS or v.lows[j] == "."):
                    continue  # ("according to Mr. X's spokesman")
                if not words and (v.lows[j] in _SOURCE_MODIFIERS or v.lows[j] in ("a", "an")):
                    continue  # ("according to a senior Iranian official": not "senior")
                if not v.toks[j].text.isalpha() or (v.lows[j] in ("the", "a", "an") and words):
                    break
                if words and words[-1].islower() and v.toks[j].text[:1].isupper():
                    break  # "according to its sources Fillon visited": the clause begins
                words.append(v.toks[j].text)
            if words:
                return " ".join(w for w in words if w.lower() not in ("the", "a", "an"))
        if set(phrase.lower().split()) <= _ANONYMOUS:
            # "it has been reported", "reports say": reported, but by nobody one could
            # count as a second source; the article itself vouches for it.
            return ""
        return phrase.removeprefix("the ").removesuffix(" show").removesuffix(" says").strip()
    for k, low in enumerate(lows):
        if low not in _SAY_SOURCE or k == 0 or (k >= c.start and k < c.end):
            continue
        if _plural_noun(v, k):
            continue
        j = k - 1
        while j > 0 and v.lows[j] in _SAY_AUX:
            j -= 1
        # ", said Kremlin aide X": the speaker follows the verb, not the name before the comma
        speaker = _inverted_speaker(v, k) if v.lows[k - 1] == "," else None
        if speaker is not None:
            if k < c.start and speaker in (c.a, c.b):
                continue  # (the aide's own title in the speaker's words)
            return speaker
        speaker = _speaker(v, j)
        if speaker is None and v.toks[j].text[:1].isupper() and v.toks[j].text.isalpha():
            speaker = v.toks[j].text  # "the newspaper Vedomosti reported"
        if speaker is None:
            continue
        first = _first_mention(v, speaker, j)
        if (
            first is not None
            and c.end <= first
            and any(v.lows[x] in _RELATIVES for x in range(c.end, first))
        ):
            # "A called B on the day on which X announced …": X's words in a clause about
            # the day are not a source for the call.
            continue
        if first is not None and first <= c.start and c.end <= k:
            # "X, an adviser to President Y, says ...": the apposition is the article's
            # description of X, not something X says.
            continue
        # "Y met Z, X said" is X's word; "X said he met Z" is X's own account.
        if speaker not in (c.a, c.b) or k < c.start:
            return speaker
    return None


# Words of an attribution that names nobody ("it is reported", "the report says").
_ANONYMOUS = frozenset(
    ["it", "is", "was", "are", "were", "has", "have", "had", "been", "reported", "reports",
     "report", "say", "says", "said", "the", "a", "according", "to", "some", "media"]
)  # fmt: skip

_RELATIVES = frozenset(["which", "who", "whom", "whose", "when", "where", "while"])

# words before a source's name or kind that are neither ("a senior Iranian official")
_SOURCE_MODIFIERS = frozenset(
    ["senior", "top", "former", "unnamed", "anonymous", "other", "two", "three", "several",
     "local", "western", "foreign", "high-ranking", "leading", "some"]
)  # fmt: skip

_INFINITIVES = frozenset(["be", "have", "been", "had", "hold", "own", "run", "lead", "head"])

# Words that are a verb of saying or a plural noun: "X claims he met Y" attributes,
# "X claims surface" (the claims about X) does not.
_NOUN_OR_VERB = frozenset(["claims", "reports", "shows"])
_CLAUSE_OPENERS = frozenset(
    ["that", "he", "she", "it", "they", "we", "i", "you", "the", "a", "an", "his", "her",
     "its", "their", "this", "these", "those", "there", "to", "in", "on", "at", "last",
     "today", "yesterday", "recently", "earlier", ",", ":", '"', "'"]
)  # fmt: skip


def _plural_noun(v: View, k: int) -> bool:
    """True when ``lows[k]`` reads as a plural noun followed by its own verb."""
    if v.lows[k] not in _NOUN_OR_VERB or k + 1 >= len(v.lows):
        return False
    nxt = v.toks[k + 1].text
    return nxt.isalpha() and nxt.islower() and v.lows[k + 1] not in _CLAUSE_OPENERS


def _first_mention(v: View, name: str, k: int) -> int | None:
    """The earliest token, at most 16 back from ``k``, of a mention of ``name``."""
    first = None
    for x in range(k, max(-1, k - 16), -1):
        m = v.cover.get(x)
        if m is not None and m.name == name:
            first = m.start
    return first


def _inverted_speaker(v: View, k: int) -> str | None:
    """The name right after "said" at ``k``, past its title ("said presidential aide X")."""
    titled = _titled(v, k + 1, min(len(v.lows), k + 8))
    for x in range(k + 1, min(len(v.lows), k + 8)):
        m = v.cover.get(x)
        if m is not None and m.kind == "country":
            continue  # "said Russian presidential aide X"
        if m is not None and m.start == x and m.name:
            return m.name if m.kind != "pron" else None
        text = v.toks[x].text
        country = v.lows[x] in v.state.lex.country_names
        if not (text.islower() or x in titled or country or text == "-"):
            return None
    return None


def _speaker(v: View, k: int) -> str | None:
    """The name ending at token ``k``, through an apposition folded into it."""
    spans = [(b - a, h) for a, b, h in v.absorbed if a <= k < b]
    if spans:
        return max(spans, key=lambda x: x[0])[1].name
    if v.low(k) == ",":
        k -= 1
    m = v.cover.get(k)
    if m is None:
        return None
    # "X, a close ally of Y, said": the speaker is X, before the apposition.
    for j in range(m.start - 1, max(-1, m.start - 9), -1):
        if v.lows[j] == "," and (j - 1) in v.cover:
            between = range(j + 1, m.start)
            titled = _titled(v, j + 1, m.start)
            if between and all(v.toks[x].text.islower() or x in titled for x in between):
                return v.cover[j - 1].name
            break
    return m.name


def _titled(v: View, start: int, end: int) -> set[int]:
    """Token positions in ``[start, end)`` covered by a title ("President", "General")."""
    out: set[int] = set()
    for x in range(start, end):
        hit = v.state.lex.titles.match(v.lows, x)
        if hit:
            out.update(range(x, min(end, x + hit[0])))
    return out


def _mention_near(v: View, k: int, c: Candidate) -> str:
    end = min(len(v.lows), k + 6)
    # The source phrase ends at the clause break: "according to The Ledger, Bell called".
    end = next((j for j in range(k, end) if v.lows[j] in (",", ";", ":")), end)
    window = range(k, end)
    # A named source beats the capitalised words before it ("according to Nobel
    # prize-winner Dmitry Muratov" is Muratov's word, not "Nobel"'s).
    for j in window:
        if j in v.at and v.at[j].name and v.at[j].name not in (c.a, c.b):
            return v.at[j].name or ""
    for j in window:
        if v.lows[j] in DROPPED_HONORIFICS or v.lows[j].rstrip(".") in DROPPED_HONORIFICS:
            continue  # "according to Mr. X's spokesman": no source called "Mr"
        if j not in v.cover and v.toks[j].text[:1].isupper() and v.toks[j].text.isalpha():
            run = [v.toks[j].text]
            while j + len(run) < len(v.toks) and v.toks[j + len(run)].text[:1].isupper():
                run.append(v.toks[j + len(run)].text)
            return " ".join(run)
    return ""
