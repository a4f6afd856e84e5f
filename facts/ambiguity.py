"""Names that may stand for different people: one name, unrelated organisations, two articles.

Extraction takes one name string for one entity across articles, which is right
until two people share a name.  :func:`ambiguous_entities` flags a person when two
articles give the name roles in organisations that have nothing to do with each
other: neither is part of the other and they are not parts of one whole (the
entity file's ``part_of`` links, followed all the way up).  It is a warning for a
reader to settle with ``deniable entities split`` or ``merge``, never a change.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from deniable.facts.store import FactStore

__all__ = ["Ambiguity", "Reading", "ambiguous_entities"]

#: Entity types that name a person (a discovered name has no type yet).
_PEOPLE = frozenset({"person", "unknown"})
_POSITIVE = frozenset({"asserted", "reported", "alleged"})


@dataclass(frozen=True, slots=True)
class Reading:
    """What one document says a name is: the organisations and posts it gives it."""

    doc: str
    orgs: tuple[str, ...]
    roles: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Ambiguity:
    """A name whose readings in different documents do not fit one person."""

    name: str
    readings: tuple[Reading, ...]

    def __str__(self) -> str:
        parts = []
        for r in self.readings:
            posts = f" ({', '.join(r.roles)})" if r.roles else ""
            parts.append(f"{r.doc}: {', '.join(r.orgs)}{posts}")
        return f"{self.name}: possibly different people; " + "; ".join(parts)


def ambiguous_entities(store: FactStore) -> list[Ambiguity]:
    """The people whose roles in two documents are in unrelated organisations, by name."""
    types = dict(store.rows("entity"))
    roles = {int(i): str(v) for i, key, v in store.rows("statement_detail") if key == "role"}
    orgs: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    posts: dict[tuple[str, str], set[str]] = defaultdict(set)
    for sid, pred, a, b, modality, _source, doc in store.rows("statement"):
        if pred != "role" or modality not in _POSITIVE or types.get(a, "unknown") not in _PEOPLE:
            continue
        orgs[a][doc].add(b)
        if sid in roles:
            posts[(a, doc)].add(roles[sid])
    above = _ancestors(store)
    found = []
    for name in sorted(orgs):
        docs = orgs[name]
        clash = {d for d in docs for e in docs if d != e and not _related(docs[d], docs[e], above)}
        if clash:
            readings = tuple(
                Reading(d, tuple(sorted(docs[d])), tuple(sorted(posts[(name, d)])))
                for d in sorted(clash)
            )
            found.append(Ambiguity(name, readings))
    return found


def _ancestors(store: FactStore) -> dict[str, set[str]]:
    """Each organisation with itself and every whole it is part of, however far up."""
    wholes: dict[str, set[str]] = defaultdict(set)
    for part, whole in store.rows("part_of"):
        wholes[part].add(whole)
    closed: dict[str, set[str]] = {}

    def up(name: str) -> set[str]:
        if name not in closed:
            closed[name] = {name}  # a cycle in the entity file stops here
            for whole in sorted(wholes.get(name, ())):
                closed[name] |= up(whole)
        return closed[name]

    return defaultdict(set, {name: up(name) for name in list(wholes)})


def _related(left: set[str], right: set[str], above: dict[str, set[str]]) -> bool:
    """Whether some organisation of one side shares a whole (or is one) with one of the other."""
    reach_left = set().union(*(above.get(o) or {o} for o in left))
    reach_right = set().union(*(above.get(o) or {o} for o in right))
    return bool(reach_left & reach_right)
