"""What the derived relations are: the standard rules' conclusions, the user's, and helpers.

A reader asks for a handful of relations (the contradicted denials, conflicting
reports, corroboration, contact, affiliation); the standard rules need some forty
more to get there.  :data:`STANDARD_CONCLUSIONS` names the first kind with one
line each, in the order ``derive`` lists them; :func:`relation_kinds` sorts every
relation a program defines into ``conclusion``, ``own`` (defined in the user's
rule files) or ``helper``.
"""

from __future__ import annotations

from pathlib import Path

from deniable.rules.checked import CheckedProgram
from deniable.rules.freshness import display_name

__all__ = ["COMPANIONS", "STANDARD_CONCLUSIONS", "relation_kinds", "rule_file"]

#: The standard rules' conclusions, main ones first, each with what a row means.
STANDARD_CONCLUSIONS: dict[str, str] = {
    "denial_contradicted_by_contact": "the denier denied links to the subject, yet someone "
    "affiliated with it had reported contact with the subject",
    "denial_contradicted_by_role": "someone denies leading or belonging to an organisation "
    "that reports name them in",
    "conflicting_reports": "one source reports contact between a and b, another that it was "
    "refused or did not happen",
    "corroborated": "a fact stated by n >= 2 independent sources",
    "contact": "a called or met b, in either direction",
    "seen_with": "a and b appear together in a photograph",
    "affiliated": "p has a current role in org or in a part of it",
}
#: Relations that repeat a conclusion with one more column: name -> (conclusion, the column).
COMPANIONS: dict[str, tuple[str, str]] = {
    **{f"{name}_strength": (name, "its strength") for name in STANDARD_CONCLUSIONS},
    "conflicting_reports_by": ("conflicting_reports", "the kind and the two sources"),
}


def rule_file(path: str) -> str:
    """A clause's file as messages name it: ``std/NAME`` for the standard rules, else the path."""
    return display_name(Path(path)) if path else ""


def relation_kinds(checked: CheckedProgram) -> dict[str, str]:
    """Each relation the program defines, in evaluation order: its kind.

    ``conclusion`` for :data:`STANDARD_CONCLUSIONS`, ``companion`` for
    :data:`COMPANIONS`, ``own`` for a relation some clause outside the standard
    rules defines, ``helper`` for the rest.
    """
    own = {
        c.head.rel
        for c in checked.clauses
        if not rule_file(c.origin.path or c.span.path).startswith("std/")
    }
    kinds = {}
    for name in checked.idb:
        if name in STANDARD_CONCLUSIONS:
            kinds[name] = "conclusion"
        elif name in COMPANIONS:
            kinds[name] = "companion"
        elif name in own:
            kinds[name] = "own"
        else:
            kinds[name] = "helper"
    return kinds
