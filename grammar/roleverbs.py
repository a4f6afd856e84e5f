"""Role patterns built on verbs and relative words: "who runs X", "founded by X", "whose leader"."""

from __future__ import annotations

from deniable.grammar.mentions import Mention
from deniable.grammar.roles import (
    FORMER_CUES as _FORMER_CUES,
)
from deniable.grammar.roles import (
    HEDGE_CUES as _HEDGE_CUES,
)
from deniable.grammar.roles import (
    NEG_BEFORE as _NEG_BEFORE,
)
from deniable.grammar.roles import (
    out_of_scope,
    role_phrase,
)
from deniable.grammar.view import View

ROLE_VERBS = {
    "headed": ("head", "head"),
    "heads": ("head", "head"),
    "runs": ("head", "head"),
    "ran": ("head", "head"),
    "run": ("head", "head"),
    "founded": ("founder", "head"),
    "co-founded": ("co-founder", "head"),
    "established": ("founder", "head"),
    "funded": ("funder", "staff"),
    "funds": ("funder", "staff"),
    "financed": ("funder", "staff"),
    "bankrolled": ("funder", "staff"),
    "worked": ("employee", "staff"),
    "works": ("employee", "staff"),
    "served": ("member", "staff"),
    "commanded": ("commander", "head"),
    "commands": ("commander", "head"),
    "employed": ("employee", "staff"),
    "owns": ("owner", "head"),
    "chairs": ("chairman", "head"),
    "chaired": ("chairman", "head"),
    "leads": ("head", "head"),
    "controls": ("owner", "head"),
    "head": ("head", "head"),
}

_ROLE_VERB_PREPS = frozenset(["up", "for", "in", "with", "at"])


def role_verb(v: View) -> None:
    """ "X, who once headed up the FSB", "he funded Y", "who formerly worked for Z"."""
    for k, low in enumerate(v.lows):
        if low not in ROLE_VERBS:
            continue
        role, rclass = ROLE_VERBS[low]
        subj = _subject_before(v, k)
        if subj is None or subj.name is None:
            continue
        if v.state.etype(subj.name) not in ("person", "group"):
            continue
        if low in ("worked", "works") and v.low(k + 1) != "for":
            continue
        if low == "employed" and v.low(k + 1) != "by":
            continue
        if low == "served" and v.low(k + 1) not in ("in", "with"):
            continue
        if low == "head" and v.low(k - 1) != "to":
            continue  # "believed to head X" is a verb; "the head of X" is a noun
        obj = _object_after(v, k + 1)
        if obj is None or obj.name is None or v.state.etype(obj.name) not in ("org", "group"):
            continue
        window = set(v.lows[max(0, subj.end) : k])
        before = set(v.lows[max(0, subj.start - 3) : subj.start])
        hedged = bool((window | before) & _HEDGE_CUES)
        former = bool(window & _FORMER_CUES)
        if window & _NEG_BEFORE or v.low(k - 1) in ("the", "a", "an"):
            continue
        if "who" not in window and out_of_scope(v, subj.start, k):
            continue
        v.add(
            "role",
            subj.name,
            obj.name,
            subj.start,
            obj.end,
            "role_verb",
            role=role,
            hedged=hedged,
            when="former" if former else "",
        )
        if "who" in window and subj.kind == "name":
            v.absorb(subj.start, obj.end, subj)  # the relative clause belongs to its subject
        v.state.add_role(subj.name, obj.name, role, rclass)


def _subject_before(v: View, k: int) -> Mention | None:
    """The mention a verb at ``k`` belongs to: through "who", adverbs and hedges."""
    j = k - 1
    steps = 0
    while j >= 0 and steps < 7:
        if j in v.cover:
            m = v.cover[j]
            if m.name and v.state.etype(m.name) in ("person", "group"):
                return m
            return None
        low = v.lows[j]
        if low == "who":
            # A relative clause belongs to the nearest person before it.
            for x in range(j - 1, max(-1, j - 16), -1):
                near = v.cover.get(x)
                if (
                    near is not None
                    and near.name
                    and v.state.etype(near.name) in ("person", "group")
                ):
                    return near
            return None
        if low.endswith("ed") and j == k - 1 - steps and steps <= 2 and (j - 1) in v.cover:
            j -= 1  # "the mercenaries killed were employed"
            steps += 1
            continue
        if low in (
            "were",
            "are",
            ",",
            "once",
            "formerly",
            "previously",
            "also",
            "reportedly",
            "allegedly",
            "is",
            "was",
            "believed",
            "to",
            "have",
            "has",
            "had",
            "said",
            "thought",
            "alleged",
            "suspected",
            "then",
            "later",
            "himself",
            "herself",
        ):
            j -= 1
            steps += 1
            continue
        return None
    return None


def _object_after(v: View, k: int) -> Mention | None:
    j = k
    steps = 0
    while j < len(v.lows) and steps < 9:
        m = v.at.get(j) or v.cover.get(j)
        if m is not None and v.low(m.end) == "'s":
            j = m.end + 1  # a possessor ("Russia's agency") is not the object
            steps += 1
            continue
        if m is not None and m.name:
            return m
        if m is not None:
            j = m.end
            steps += 1
            continue
        if v.lows[j] in (".", ",", ";", "and", "but"):
            return None
        if j > k and v.lows[j] in ("in", "at", "across", "throughout", "from", "into"):
            return None  # "ran X's practice in Ukraine": where, not whose
        j += 1
        steps += 1
    return None


def role_founded_by(v: View) -> None:
    """ "Founded by X, ..., the Y has", "Y, founded by X", "Y was founded by X"."""
    for k, low in enumerate(v.lows):
        if low not in _BY_VERBS or v.low(k + 1) != "by":
            continue
        role = _BY_VERBS[low]
        person = v.at.get(k + 2)
        if person is None and v.state.lex.titles.match(v.lows, k + 2):
            person = v.at.get(k + 2 + v.state.lex.titles.match(v.lows, k + 2)[0])  # type: ignore[index]
        if person is None or person.name is None or v.state.etype(person.name) != "person":
            continue
        org = None
        j = k - 1
        while j >= 0 and v.lows[j] in ("was", "is", "been", "has", ",", "reportedly", "allegedly"):
            j -= 1
        if j >= 0 and j in v.cover and v.cover[j].kind == "desc":
            org = _described_org(v, k)  # "Y, a logging company run by X": Y, not a guess
        elif j >= 0 and j in v.cover and (name := v.cover[j].name):
            org = v.cover[j] if v.state.etype(name) == "org" else None
        if org is None:
            org = _described_org(v, k)
        if org is None and role != "founder":
            continue
        if (org is None and k == 0) or (org is None and v.low(k - 1) in (",", ":")):
            # Skip the person's apposition to the next comma, then the organisation.
            j = person.end
            for _a_start, a_end, head in v.absorbed:
                if head is person:
                    j = max(j, a_end)
            if v.low(j) == ",":
                # skip the person's apposition: "Founded by X, a banker, the Y"
                close = next(
                    (x for x in range(j + 1, min(len(v.lows), j + 9)) if v.lows[x] == ","), None
                )
                if close is not None and (close + 1 in v.at or v.low(close + 1) == "the"):
                    j = close
            while v.low(j) in (",", "the"):
                j += 1
            m = v.at.get(j)
            if m is not None and m.name and v.state.etype(m.name) == "org":
                org = m
        if org is None or org.name is None:
            continue
        hedged = bool(set(v.lows[max(0, k - 4) : k]) & _HEDGE_CUES)
        v.add(
            "role",
            person.name,
            org.name,
            min(k, org.start),
            max(person.end, org.end),
            "role_founded_by",
            role=role,
            hedged=hedged,
        )
        v.state.add_role(person.name, org.name, role, "head")


# "<org> founded/run/owned by <person>": the role the verb gives the person.
_BY_VERBS = {
    "founded": "founder",
    "established": "founder",
    "created": "founder",
    "run": "head",
    "led": "head",
    "headed": "head",
    "owned": "owner",
    "controlled": "owner",
}


def _described_org(v: View, k: int) -> Mention | None:
    """ "Verde Lumber, a logging company run by": the organisation an apposition describes."""
    j = k - 1
    while j >= 0 and k - j < 7 and v.lows[j] != "," and v.toks[j].text.islower():
        d = v.cover.get(j)
        if d is not None and d.kind != "desc":
            return None
        j = d.start - 1 if d is not None else j - 1
    if j < 1 or v.lows[j] != "," or v.lows[j + 1] not in ("a", "an", "the"):
        return None
    m = v.cover.get(j - 1)
    if m is None or m.name is None or v.state.etype(m.name) != "org":
        return None
    return m


def role_whose(v: View) -> None:
    """ "Y, whose leader, X, ..."."""
    for k, low in enumerate(v.lows):
        if low != "whose":
            continue
        rp = role_phrase(v, k + 1)
        if rp is None:
            continue
        org = v.cover.get(k - 2) if v.low(k - 1) == "," else v.cover.get(k - 1)
        if org is None or org.name is None or v.state.etype(org.name) != "org":
            continue
        j = k + 1 + rp[0]
        if v.low(j) == ",":
            j += 1
        person = v.at.get(j)
        if person is None or person.name is None or v.state.etype(person.name) != "person":
            continue
        v.add("role", person.name, org.name, org.start, person.end, "role_whose", role=rp[2])
        v.state.add_role(person.name, org.name, rp[2], rp[1])
        v.absorb(k + 1, person.end, person)


def role_called(v: View) -> None:
    """ "an ex-Russian special forces officer called X": a role noun phrase naming a person."""
    for k, low in enumerate(v.lows):
        if low not in ("called", "named") or k < 2:
            continue
        person = v.at.get(k + 1)
        if person is None or person.name is None or v.state.etype(person.name) != "person":
            continue
        rp = role_phrase(v, k - 1)
        if rp is None or rp[0] != 1:
            continue
        org = v.cover.get(k - 2)
        if org is None or org.name is None or v.state.etype(org.name) != "org":
            continue
        start = org.start
        former = (v.low(start - 1) in ("-",) and v.low(start - 2) == "ex") or v.low(
            start - 1
        ) in _FORMER_CUES
        v.add(
            "role",
            person.name,
            org.name,
            start,
            person.end,
            "role_called",
            role=rp[2],
            when="former" if former else "",
        )
        v.state.add_role(person.name, org.name, rp[2], rp[1])


PATTERNS = (role_whose, role_called, role_verb, role_founded_by)
