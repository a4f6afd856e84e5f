"""Denials a spokesperson speaks for a government or a party: "Kremlin spokesman X denied
…" is the Russian government's denial too, as the annotation guideline reads it.

A stage after the readers' facts are merged: for each denial by a person the article gives
a spokesperson's post in a government (its seat, a ministry of it) or a party, the same
denial by that principal, with the same evidence.  The spokesperson's own denial stays.
"""

from __future__ import annotations

from dataclasses import replace

from deniable.facts.model import Fact
from deniable.grammar.vocab import vocab

_VOCAB = vocab()
_PARTIES = frozenset(_VOCAB.parties.values())
_SPEAKERS = ("spokes", "press secretary", "press officer", "mouthpiece")


def spoken_for(facts: list[Fact]) -> list[Fact]:
    """``facts`` and the denials their government or party spokespeople speak for it."""
    principal: dict[str, set[str]] = {}
    # (the government does not deny a claim about its own leader: "the Kremlin denied
    # talks between A and Putin" is about A)
    members = {(f.args[0], f.args[1]) for f in facts if f.pred == "role" and f.modality.positive}
    for f in facts:
        if f.pred != "role" or not f.modality.positive or f.when == "former":
            continue
        if not any(w in f.role.lower() for w in _SPEAKERS):
            continue
        whose = government_of(f.args[1])
        if whose is not None:
            principal.setdefault(f.args[0], set()).add(whose)
    if not principal:
        return facts
    have = {(f.pred, f.args, f.evidence.sentence) for f in facts}
    out = list(facts)
    for f in facts:
        if f.pred != "denies" or f.args[0] not in principal:
            continue
        for whose in sorted(principal[f.args[0]]):
            args = (whose, f.args[1])
            if whose == f.args[1] or ("denies", args, f.evidence.sentence) in have:
                continue
            if (f.args[1], whose) in members or _VOCAB.leaders.get(f.args[1].lower()) == whose:
                continue
            have.add(("denies", args, f.evidence.sentence))
            evidence = replace(f.evidence, pattern=f"spoken_for:{f.evidence.pattern}")
            out.append(replace(f, args=args, evidence=evidence))
    return out


def government_of(body: str) -> str | None:
    """The government or party a body named in a spokesperson's post speaks for: the body
    itself when it is one, a seat of government's ("Kremlin"), a ministry's whose name
    opens with its country ("Iranian Foreign Ministry")."""
    low = body.lower()
    if low.endswith(" government") or body in _PARTIES:
        return body
    seat = _VOCAB.metonyms.get(low)
    if seat is not None and seat.endswith(" government"):
        return seat
    first, _, rest = body.partition(" ")
    if rest and "ministry" in rest.lower().split():
        return _VOCAB.government(first)
    return None
