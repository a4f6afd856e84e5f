"""Hand-written patterns for shapes the clause grammar does not cover, one function each.

Each pattern reads a :class:`View` and adds candidates to it; modality is decided later.
"""

from __future__ import annotations

from deniable.facts.model import Modality
from deniable.grammar.mentions import Mention
from deniable.grammar.view import View
from deniable.grammar.vocab import vocab

_PHOTO = frozenset(["photograph", "photo", "picture", "image", "footage", "video", "snapshot"])

_MEET_NOUNS = frozenset(["meeting", "meetings", "encounter", "talks", "summit"])
_CALL_NOUNS = frozenset(["call", "calls", "conversation", "conversations"])
_INTRO_MODS = frozenset(["phone", "telephone", "private", "secret", "recent", "brief", "lengthy"])

_NEG_WORDS = frozenset(
    ["not", "n't", "never", "no", "refused", "refuses", "refusal", "declined", "denied", "without"]
)

_ATTEMPT_WORDS = frozenset(
    ["tried", "attempted", "sought", "try", "attempt", "seek", "wanted", "planned", "hoped"]
)

_PLACE_PREPS = frozenset(["at", "in", "during"])


def _people(v: View, m: Mention | None) -> str | None:
    if m is None or m.name is None or m.kind == "country":
        return None
    return m.name


def _clause_modality(v: View, start: int, end: int) -> Modality | None:
    """Negation or attempt cue in a clause span: such a fact is never positive."""
    window = set(v.lows[max(0, start) : end])
    if window & _ATTEMPT_WORDS:
        return Modality.ATTEMPTED
    if window & _NEG_WORDS:
        return Modality.NEGATED
    return None


def caption_with(v: View) -> None:
    """A caption line "X with Y[, ...] [at a place]": X and Y are in the photograph."""
    if not (v.line_start and v.mentions):
        return
    first = _first(v)
    if first is None or first.name is None:
        return
    head_end = _absorbed_end(v, first)
    if v.low(head_end) != "with":
        return
    others = _np_list(v, head_end + 1)
    if not others:
        return
    end = _absorbed_end(v, others[-1])
    rest = v.lows[end:]
    if rest and rest[0] not in (",", ".", "at", "in", "during", "after", "before", "on"):
        return
    if any(w in ("is", "was", "has", "had", "were", "are", "said", "says") for w in rest):
        return
    group = [first, *others]
    where = _where(v, end)
    _clique(v, group, 0, end, "caption_with", where)
    v.state.last_pictured = tuple(m.name for m in group if m.name)


def caption_and(v: View) -> None:
    """A caption line that is only "X and Y": the two are pictured together."""
    if not (v.line_start and v.line_end):
        return
    first = _first(v)
    if first is None or first.name is None:
        return
    k = _absorbed_end(v, first)
    if v.low(k) != "and":
        return
    second = v.at.get(k + 1)
    if second is None or second.name is None:
        return
    end = _absorbed_end(v, second)
    if end < len(v.lows) and v.lows[end:] not in ([], ["."]):
        return
    if first.kind == "country" or second.kind == "country":
        return
    _clique(v, [first, second], 0, end, "caption_and", "")
    v.state.last_pictured = (first.name, second.name)  # type: ignore[assignment]


def pictured_together(v: View) -> None:
    """ "..., X, pictured together, ...": the two people named before it share the photo."""
    for k in range(len(v.lows) - 1):
        if v.lows[k] not in ("pictured", "photographed") or v.lows[k + 1] != "together":
            continue
        before = [m for m in v.mentions if m.end <= k and _people(v, m)]
        names: list[Mention] = []
        for m in reversed(before):
            if m.name not in [n.name for n in names]:
                names.append(m)
            if len(names) == 2:
                break
        if len(names) == 2:
            _clique(v, names, names[1].start, k + 2, "pictured_together", "")


def photo_shows(v: View) -> None:
    """ "A photograph published last year shows X with Y": X and Y are in the photograph."""
    for k, low in enumerate(v.lows):
        if low not in ("shows", "showed", "show", "depicts", "depicted"):
            continue
        if not set(v.lows[max(0, k - 8) : k]) & _PHOTO:
            continue
        first = v.at.get(k + 1)
        if first is None or not _people(v, first):
            continue
        j = _absorbed_end(v, first)
        if v.low(j) not in ("with", "and", "alongside"):
            continue
        others = [m for m in _np_list(v, j + 1) if _people(v, m)]
        if not others:
            continue
        end = _absorbed_end(v, others[-1])
        if _clause_modality(v, 0, end) is not None:
            continue  # "no photograph shows X with Y"
        _clique(v, [first, *others], max(0, k - 8), end, "photo_shows", _where(v, end))
        v.state.last_pictured = tuple(m.name for m in (first, *others) if m.name)


def also_in_photo(v: View) -> None:
    """ "X was also in the photograph": X joins everyone in the last photograph described."""
    for k in range(len(v.lows) - 3):
        if v.lows[k] not in ("was", "were", "is", "are") or v.lows[k + 1] != "also":
            continue
        if v.lows[k + 2] != "in" or not set(v.lows[k + 3 : k + 5]) & _PHOTO:
            continue
        subj = [m for m in v.mentions if m.end <= k and _people(v, m)]
        if not subj or not v.state.last_pictured:
            continue
        who = subj[0]
        for other in v.state.last_pictured:
            v.add("pictured_with", who.name, other, who.start, k + 5, "also_in_photo")


def also_present(v: View) -> None:
    """ "X was also present": X met the one the last meeting was about."""
    for k in range(len(v.lows) - 2):
        if (
            v.lows[k] not in ("was", "were")
            or v.lows[k + 1] != "also"
            or v.lows[k + 2] != "present"
        ):
            continue
        subj = [m for m in v.mentions if m.end <= k and _people(v, m)]
        if subj and v.state.last_met:
            v.add("met", subj[0].name, v.state.last_met, subj[0].start, k + 3, "also_present")


def meeting_between(v: View) -> None:
    """ "meeting/encounter between X and Y", "X and Y's secret meeting", "X's meeting with Y"."""
    lows = v.lows
    for k, low in enumerate(lows):
        if low in _CALL_NOUNS and v.low(k + 1) == "between":
            _between(v, k, "called")
        if low not in _MEET_NOUNS:
            continue
        if v.low(k + 1) == "between":
            _between(v, k, "met")
            continue
        # X and Y's [secret] meeting
        j = k - 1
        while (
            j >= 0 and lows[j].isalpha() and lows[j] not in ("and", "the", "a") and j not in v.cover
        ):
            j -= 1
        between = set(lows[j + 1 : k])
        if between & _REMOTE:
            continue  # "A and B held video talks": neither a meeting nor a call
        if j >= 0 and j in v.cover and (lows[j + 1] == "'s" or v.cover[j].end == j + 1):
            b = v.cover[j]
            if b.start >= 2 and lows[b.start - 1] == "and" and (b.start - 2) in v.cover:
                a = v.cover[b.start - 2]
                if _people(v, a) and _people(v, b):
                    v.add(
                        "met",
                        a.name,
                        b.name,
                        a.start,
                        k + 1,
                        "meeting_possessive",
                        modality=_clause_modality(v, a.start, k),
                    )
                    v.state.last_met = a.name


_AHEAD = vocab().cues["ahead"]
_CANCEL = vocab().cues["cancel"]
_REMOTE = vocab().cues["remote_words"] | vocab().cues["phone_words"]


def _called_off(v: View, k: int) -> bool:
    """ "a proposed summit between …", "… was cancelled / postponed / called off": a meeting
    that is still ahead or never happened."""
    if any(v.low(j) in _AHEAD for j in range(max(0, k - 3), k)):
        return True
    for j, low in enumerate(v.lows):
        if low == "off" and j > 0 and v.lows[j - 1] in ("called", "call", "calls"):
            return True
        if any(low.startswith(stem[:-1] if stem.endswith("e") else stem) for stem in _CANCEL):
            return True
    return False


def _between(v: View, k: int, pred: str) -> None:
    a = v.at.get(k + 2)
    if a is None or v.low(a.end) != "and" or _called_off(v, k):
        return
    b = v.at.get(a.end + 1)
    if b is not None:
        mod = _clause_modality(v, 0, k)
        v.add(pred, _people(v, a), _people(v, b), k, b.end, f"{pred}_between", modality=mod)


def contact_intro(v: View) -> None:
    """ "In a phone call with X, Y said ...", "During a meeting with X, Y ...": Y and X."""
    if v.low(0) not in ("in", "during", "at", "after"):
        return
    k = 1
    while v.low(k) in ("a", "an", "the", "their", "his", "her", "its") or v.low(k) in _INTRO_MODS:
        k += 1
    pred = "called" if v.low(k) in _CALL_NOUNS else "met" if v.low(k) in _MEET_NOUNS else None
    if pred is None or v.low(k + 1) != "with" or (k + 2) not in v.at:
        return
    other = v.at[k + 2]
    j = _absorbed_end(v, other)
    if v.low(j) != "," or (j + 1) not in v.at:
        return
    subject = v.at[j + 1]
    end = _absorbed_end(v, subject)
    v.add(
        pred,
        _people(v, subject),
        _people(v, other),
        0,
        end,
        "contact_intro",
        modality=_clause_modality(v, 0, end),
    )


def arrest_warrant(v: View) -> None:
    """ "an arrest warrant has been issued by X for Y", "X issued an arrest warrant for Y"."""
    for k in range(len(v.lows) - 1):
        if v.lows[k] == "warrant" and v.low(k - 1) in ("a", "an") and v.low(k + 1) == "issued":
            _warrant_for_subject(v, k)
            continue
        if v.lows[k] != "arrest" or v.lows[k + 1] not in ("warrant", "warrants"):
            continue
        issuer = person = None
        j = k + 2
        while j < len(v.lows) and j - k < 12:
            low = v.lows[j]
            if low == "by" and (j + 1) in v.at:
                issuer = v.at[j + 1]
            if low == "for" and (j + 1) in v.at:
                person = v.at[j + 1]
            j += 1
        if issuer is None:
            before = [m for m in v.mentions if m.end <= k and m.end >= k - 4]
            issuer = before[-1] if before else None
        if issuer is None or person is None or issuer.name is None or person.name is None:
            continue
        claim = ""
        for i in range(k, len(v.lows) - 2):
            if v.lows[i] == "charged" and v.lows[i + 1] == "with":
                claim = v.toks[i + 2].text
        v.add(
            "indicted_by",
            person.name,
            issuer.name,
            min(k, issuer.start),
            max(person.end, issuer.end),
            "arrest_warrant",
            claim=claim,
        )


def indicted_active(v: View) -> None:
    """ "Federal prosecutors in Brasilia have indicted Senator X": the subject indicts X."""
    for k, low in enumerate(v.lows):
        if low not in ("indicted", "charged", "prosecuted") or k == 0:
            continue
        j = k - 1
        while j >= 0 and v.lows[j] in ("have", "has", "had", "formally", "now", "also"):
            j -= 1
        if j == k - 1 and j not in v.cover:
            continue  # "was charged": passive, read by the clause grammar
        place = v.cover.get(j)
        first = place.start if place is not None else j
        if first >= 2 and v.lows[first - 1] == "in" and v.toks[j].text[:1].isupper():
            j = first - 2  # "prosecutors in Brasilia have indicted": the place is not the subject
        subj = v.cover.get(j)
        if subj is None or subj.name is None or v.state.etype(subj.name) not in ("org", "group"):
            continue
        obj_at = k + 1
        title = v.state.lex.titles.match(v.lows, obj_at)
        if obj_at not in v.at and title:
            obj_at += title[0]
        obj = v.at.get(obj_at)
        if obj is None or obj.name is None or v.state.etype(obj.name) != "person":
            continue
        if _clause_modality(v, subj.start, obj.end) is not None:
            continue
        v.add("indicted_by", obj.name, subj.name, subj.start, obj.end, "indicted_active")


def _warrant_for_subject(v: View, k: int) -> None:
    """ "X was arrested ... on a warrant issued by Y": Y's warrant is for X."""
    at = k + 4 if v.low(k + 3) == "the" else k + 3
    if v.low(k + 2) != "by" or at not in v.at:
        return
    issuer = v.at[at]
    arrested = next(
        (j for j in range(k - 1, max(-1, k - 14), -1) if v.lows[j] in _ARREST_VERBS), None
    )
    if arrested is None or v.low(arrested - 1) not in ("was", "were", "been"):
        return
    subj = [m for m in v.mentions if m.end <= arrested and _people(v, m)]
    if not subj or issuer.name is None or v.state.etype(subj[0].name or "") != "person":
        return
    if _clause_modality(v, 0, issuer.end) is not None:
        return
    v.add("indicted_by", subj[0].name, issuer.name, subj[0].start, issuer.end, "arrest_warrant")


_ARREST_VERBS = frozenset(["arrested", "detained", "extradited", "held"])


def _first(v: View) -> Mention | None:
    """The mention a sentence starts with, through a title folded into it."""
    for start, _end, head in v.absorbed:
        if start == 0:
            return head
    return v.at.get(0)


def _absorbed_end(v: View, m: Mention) -> int:
    end = m.end
    for start, a_end, head in v.absorbed:
        if head is m or (start <= m.start < a_end):
            end = max(end, a_end)
    return end


def _np_list(v: View, k: int) -> list[Mention]:
    out: list[Mention] = []
    while k < len(v.lows):
        m = v.at.get(k)
        if m is None:
            break
        if m.name:
            out.append(m)
        k = _absorbed_end(v, m)
        if v.low(k) == "and" or (v.low(k) == "," and (k + 1) in v.at):
            k += 1
            continue
        break
    return out


def _where(v: View, k: int) -> str:
    if v.low(k) in _PLACE_PREPS and v.low(k + 1) in ("a", "an", "the"):
        j = k + 2
        words: list[str] = []
        while j < len(v.toks) and v.toks[j].text.isalpha() and len(words) < 4:
            words.append(v.toks[j].text)
            j += 1
        return " ".join(words)
    return ""


def _clique(v: View, group: list[Mention], start: int, end: int, pattern: str, where: str) -> None:
    names = [m.name for m in group if m.name and m.kind != "country"]
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            v.add("pictured_with", a, b, start, end, pattern, where=where)


PATTERNS = (
    caption_with,
    caption_and,
    pictured_together,
    photo_shows,
    also_in_photo,
    also_present,
    meeting_between,
    contact_intro,
    arrest_warrant,
    indicted_active,
)
