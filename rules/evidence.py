"""Proofs with their evidence: the stored statements behind each leaf of a proof tree.

``why`` and the demo show a conclusion down to the sentences that support it: a
leaf of a proof tree is a row of a store relation (``called``, ``statement`` …),
and :func:`evidence_of_fact` finds the statements, with their sentences and
spans, that the row stands for.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from deniable.facts.model import PREDICATES, Modality
from deniable.facts.store import EvidenceRow, FactStore
from deniable.rules.ast import Atom, Num, Program, Wildcard
from deniable.rules.checked import CheckedProgram, RelationInfo

__all__ = [
    "Evidence",
    "Explanations",
    "Proof",
    "collect_leaves",
    "evidence_of_fact",
    "fact_proof",
    "proof_evidence",
]

#: The statements behind each leaf, keyed by ``(relation, row)``.
Evidence = dict[tuple[str, tuple[Any, ...]], list[EvidenceRow]]

#: The fact predicates whose views hold positive facts only.
_POSITIVE_VIEWS = frozenset(PREDICATES)
_POSITIVE = frozenset(m.value for m in Modality if m.positive)
#: Relations whose first column is a statement id.
_BY_STATEMENT_ID = frozenset({"statement_detail", "statement_time", "claim_word"})


@dataclass(frozen=True, slots=True)
class Proof:
    """One explained row: its proof tree, and the stored statements behind each leaf fact.

    ``evidence`` maps ``(relation, row)`` of a leaf to the statements it rests on,
    in reading order (see :meth:`FactStore.evidence_for`).
    """

    tree: Any
    evidence: Evidence = field(default_factory=dict)

    def leaves(self) -> list[Any]:
        """The leaf nodes of the tree, left to right."""
        found: list[Any] = []
        collect_leaves(self.tree, found)
        return found


class Explanations(list[Proof]):
    """The proofs ``why`` explained, and how many rows matched (``matched`` ≥ ``len(self)``).

    A list, so callers that only want the proofs iterate it as before; ``matched``
    lets the output say that it stopped at the limit.
    """

    __slots__ = ("matched",)

    def __init__(self, proofs: Sequence[Proof] = (), *, matched: int | None = None) -> None:
        super().__init__(proofs)
        self.matched = len(self) if matched is None else max(matched, len(self))


@dataclass(frozen=True, slots=True)
class _FactLeaf:
    """A proof of a stored fact: the fact itself, with no rule."""

    rel: str
    row: tuple[Any, ...]
    rule: None = None
    bindings: tuple[tuple[str, Any], ...] = ()
    children: tuple[Any, ...] = ()
    leaf: bool = True
    note: str = ""


def fact_proof(store: FactStore, rel: str, row: tuple[Any, ...]) -> Proof:
    """The proof of a row of a store relation: the fact itself and its statements."""
    leaf = _FactLeaf(rel, tuple(row))
    return Proof(leaf, proof_evidence(store, leaf))


def collect_leaves(node: Any, found: list[Any]) -> None:
    """Append the leaf nodes under ``node`` to ``found``, left to right."""
    children = getattr(node, "children", ()) or ()
    if getattr(node, "leaf", False) or not children:
        found.append(node)
        return
    for child in children:
        collect_leaves(child, found)


def proof_evidence(store: FactStore, tree: Any) -> Evidence:
    """The statements behind every leaf of ``tree`` that the store can vouch for."""
    leaves: list[Any] = []
    collect_leaves(tree, leaves)
    evidence: Evidence = {}
    for leaf in leaves:
        rel, row = leaf.rel, tuple(leaf.row or ())
        if getattr(leaf, "rule", None) is not None or (rel, row) in evidence:
            continue
        found = evidence_of_fact(store, rel, row)
        if found:
            evidence[(rel, row)] = found
    return evidence


def evidence_of_fact(store: FactStore, rel: str, row: Sequence[Any]) -> list[EvidenceRow]:
    """The stored statements behind one row of a store relation (none for other relations).

    ``called("A", "B")`` gets its positive statements, ``negated("met", "A", "B")``
    its negated ones, and ``statement(7, …)`` or ``statement_detail(7, …)`` the
    statement with id 7.
    """
    # A statement a reviewer rejected is not evidence: the rule views leave it out too.
    return [e for e in _evidence_of_fact(store, rel, row) if e.review != "rejected"]


def _evidence_of_fact(store: FactStore, rel: str, row: Sequence[Any]) -> list[EvidenceRow]:
    if rel in _POSITIVE_VIEWS and len(row) == 2:
        return [
            e for e in store.evidence_for(rel, (row[0], row[1])) if e.modality.value in _POSITIVE
        ]
    if rel in ("negated", "attempted") and len(row) == 3:
        return [e for e in store.evidence_for(row[0], (row[1], row[2])) if e.modality.value == rel]
    if rel == "statement" and len(row) == 7:
        return [e for e in store.evidence_for(row[1], (row[2], row[3])) if e.statement_id == row[0]]
    if rel in _BY_STATEMENT_ID and row:
        return _statement_by_id(store, row[0])
    return []


def _statement_by_id(store: FactStore, statement_id: Any) -> list[EvidenceRow]:
    from deniable.rules.engines.sqlite import matching_rows

    columns = store.relation_columns("statement")
    info = RelationInfo("statement", columns, store.relations()["statement"], is_input=True)
    program = CheckedProgram(Program(), {"statement": info}, (), ())
    atom = Atom("statement", (Num(int(statement_id)), *(Wildcard() for _ in columns[1:])))
    for row in matching_rows(store.db, program, atom, limit=1):
        return evidence_of_fact(store, "statement", tuple(row))
    return []
