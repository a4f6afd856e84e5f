"""Pronouns: "he", "she", "his", "her" as mentions of the person they stand for.

A stage of the names stage: the last person named before, of that gender, within two
sentences; a subject earlier in the same sentence first.  Two people before and neither the
subject: no antecedent, since "he" could be either.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from deniable.grammar.names import Mention

_PRONOUNS = {"he": "m", "him": "m", "his": "m", "she": "f", "her": "f"}


def _is_subject(doc: Doc, m: Mention) -> bool:
    return doc[m.start : m.end].root.dep_ in ("nsubj", "nsubjpass")


def resolve_pronouns(doc: Doc, named: list[Mention], genders: dict[str, str]) -> list[Mention]:
    """He/she/him/her: the last person named before, of that gender, within two sentences."""
    from deniable.grammar.names import Mention  # the names stage calls this one

    people = sorted((m for m in named if m.kind == "person"), key=lambda m: m.start)
    sent_of = {t.i: k for k, s in enumerate(doc.sents) for t in s}
    out: list[Mention] = []
    for t in doc:
        g = _PRONOUNS.get(t.lower_)
        if g is None:
            continue
        here = sent_of[t.i]
        prior = [
            m
            for m in people
            if m.start < t.i and here - sent_of[m.start] <= 2 and genders.get(m.name, g) == g
        ]
        if not prior:
            continue
        # A subject earlier in the same sentence; else the nearest sentence naming people:
        # its only person, or its first subject.
        same = [m for m in prior if sent_of[m.start] == here and _is_subject(doc, m)]
        if same:
            last = same[-1]
        else:
            nearest = max(sent_of[m.start] for m in prior)
            there = [m for m in prior if sent_of[m.start] == nearest]
            subj = [m for m in there if _is_subject(doc, m)]
            if len({m.name for m in there}) == 1:
                last = there[-1]
            elif subj:
                last = subj[0]
            else:
                continue  # two people before and neither the subject: "he" could be either
        out.append(Mention(t.i, t.i + 1, last.name, "person"))
    return out
