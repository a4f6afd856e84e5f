"""The predicate registry: one :class:`PredicateSpec` per extracted predicate.

Everything that needs to know the predicates reads them from here: the fact model's
``PREDICATES`` and ``SYMMETRIC``, the store's rule views, extraction (which predicates are
events that carry a time and place), the proof explainer and scoring.  Adding a predicate is
one spec here, the lexicon lines and extractor that read it, and golden cases.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class PredicateSpec:
    """What a predicate is: its arguments, whether order matters, whether it is an event."""

    name: str
    # argument names and the entity types each admits ("person|org")
    args: tuple[tuple[str, str], tuple[str, str]]
    symmetric: bool
    # an event happens at a time and place; a state (a role, a denial's content) holds
    event: bool
    # the detail keys its statements may carry
    details: tuple[str, ...]
    # the lexicon files whose words feed its extractors
    lexicons: tuple[str, ...]
    # annotated by the shared gold guideline (scored even where a gold set has none)
    in_guideline: bool = True


REGISTRY: tuple[PredicateSpec, ...] = (
    PredicateSpec(
        "called",
        (("caller", "person|org|group"), ("callee", "person|org|group")),
        symmetric=True,
        event=True,
        details=("count", "when"),
        lexicons=("cues.txt",),
    ),
    PredicateSpec(
        "met",
        (("a", "person|org|group"), ("b", "person|org|group")),
        symmetric=True,
        event=True,
        details=("count", "when", "where"),
        lexicons=("cues.txt",),
    ),
    PredicateSpec(
        "denies",
        (("denier", "person|org"), ("subject", "person|org|group")),
        symmetric=False,
        event=False,
        details=("claim",),
        lexicons=("cues.txt",),
    ),
    PredicateSpec(
        "indicted_by",
        (("person", "person|org|group"), ("authority", "org")),
        symmetric=False,
        event=True,
        details=("when", "claim"),
        lexicons=("cues.txt",),
    ),
    PredicateSpec(
        "role",
        (("person", "person"), ("org", "org|person")),
        symmetric=False,
        event=False,
        details=("role", "when"),
        lexicons=("posts.txt", "parties.txt", "countries.txt", "metonyms.txt", "homes.txt"),
    ),
    PredicateSpec(
        "pictured_with",
        (("a", "person|org|group"), ("b", "person|org|group")),
        symmetric=True,
        event=True,
        details=("when", "where"),
        lexicons=("words.txt",),
    ),
    PredicateSpec(
        "visited",
        (("visitor", "person|org"), ("place", "place|org")),
        symmetric=False,
        event=True,
        details=("when",),
        lexicons=("cues.txt",),
        in_guideline=False,
    ),
)

SPECS: dict[str, PredicateSpec] = {s.name: s for s in REGISTRY}


def default_type(pred: str, position: int) -> str:
    """The entity type of an argument nothing else typed: the first its predicate admits
    there ("org" for a charge's authority, "place" for where a visit went)."""
    spec = SPECS.get(pred)
    return spec.args[position][1].split("|")[0] if spec else "person"
