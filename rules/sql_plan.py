"""Join planning over clause ASTs: walking literals, delta positions, join order, lookups.

Pure functions of the AST, shared by the SQL compiler and the engines that build
indexes or decide which body atoms read a round's delta.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator

from deniable.rules.ast import (
    Aggregate,
    Atom,
    BinOp,
    Call,
    Clause,
    Comparison,
    Constraint,
    Negation,
    Num,
    Str,
    UnOp,
    Var,
)


def join_order(atoms: list[Atom], first: int, bound: set[str]) -> list[int]:
    """Greedy join order: ``first``, then repeatedly the atom with the most arguments
    already bound (constants or variables of earlier atoms), ties in body order.

    >>> x, y, z = Var("x"), Var("y"), Var("z")
    >>> join_order([Atom("a", (x, y)), Atom("b", (z,)), Atom("c", (y, z))], 0, set())
    [0, 2, 1]
    """
    order = [first]
    bound = bound | {a.name for a in atoms[first].args if isinstance(a, Var)}
    rest = [i for i in range(len(atoms)) if i != first]
    while rest:
        scores = {
            i: sum(
                isinstance(a, (Str, Num)) or (isinstance(a, Var) and a.name in bound)
                for a in atoms[i].args
            )
            for i in rest
        }
        best = max(rest, key=lambda i: (scores[i], -i))
        order.append(best)
        rest.remove(best)
        bound |= {a.name for a in atoms[best].args if isinstance(a, Var)}
    return order


def _children(node: object, *, shallow: bool = False) -> tuple[object, ...]:
    """The sub-nodes of a literal or term (not into aggregates when ``shallow``)."""
    if isinstance(node, (Atom, Call, Constraint)):
        return node.args
    if isinstance(node, Negation):
        return (node.atom,)
    if isinstance(node, (Comparison, BinOp)):
        return (node.left, node.right)
    if isinstance(node, UnOp):
        return (node.operand,)
    if isinstance(node, Aggregate) and not shallow:
        return (*node.body, *((node.target,) if node.target is not None else ()))
    return ()


def walk(nodes: Iterable[object], *, shallow: bool = False) -> Iterator[object]:
    """Every node below ``nodes`` (literals, terms, aggregate bodies), depth first."""
    stack = list(nodes)
    while stack:
        node = stack.pop()
        yield node
        stack.extend(_children(node, shallow=shallow))


def var_counts(nodes: Iterable[object], *, shallow: bool = False) -> Counter[str]:
    """How often each variable occurs below ``nodes``."""
    return Counter(n.name for n in walk(nodes, shallow=shallow) if isinstance(n, Var))


def body_relations(clause: Clause) -> set[str]:
    """Relations read by ``clause``: positive, negated and aggregated atoms."""
    return {n.rel for n in walk(clause.body) if isinstance(n, Atom)}


def delta_positions(clause: Clause, stratum: Iterable[str]) -> tuple[int, ...]:
    """Positions (among the positive body atoms) of atoms over relations of ``stratum``.

    One semi-naive variant of the clause reads the delta of each such atom.

    >>> c = Clause(Atom("p", ()), (Atom("e", ()), Atom("p", ())))
    >>> delta_positions(c, ["p"])
    (1,)
    """
    rels = set(stratum)
    positives = [lit for lit in clause.body if isinstance(lit, Atom)]
    return tuple(i for i, atom in enumerate(positives) if atom.rel in rels)


def lookup_columns(
    clause: Clause, recursive: Iterable[str] = ()
) -> list[tuple[str, tuple[int, ...]]]:
    """The indexes ``clause`` wants: (relation, argument positions it is looked up by).

    In the semi-naive variants of a clause over the ``recursive`` relations of its
    stratum, the join order is fixed (:func:`join_order`), so the positions bound
    when each atom is reached are known exactly; the delta atom is scanned by rowid
    and needs none.  Elsewhere the planner orders joins: an atom is assumed looked up
    by its constants and the variables it shares with other body literals.
    """
    positives = [lit for lit in clause.body if isinstance(lit, Atom)]
    deltas = delta_positions(clause, recursive)
    found: list[tuple[str, tuple[int, ...]]] = []
    for first in deltas:
        order = join_order(positives, first, set())
        bound = {a.name for a in positives[first].args if isinstance(a, Var)}
        for i in order[1:]:
            atom = positives[i]
            found.append((atom.rel, _bound_positions(atom, bound)))
            bound |= {a.name for a in atom.args if isinstance(a, Var)}
    counts = var_counts(clause.body)
    for node in walk(lit for lit in clause.body if not (deltas and isinstance(lit, Atom))):
        if isinstance(node, Atom):
            shared = {n for n, k in counts.items() if k > var_counts([node])[n]}
            found.append((node.rel, _bound_positions(node, shared)))
    return [(rel, positions) for rel, positions in found if positions]


def _bound_positions(atom: Atom, bound: set[str]) -> tuple[int, ...]:
    return tuple(
        j
        for j, arg in enumerate(atom.args)
        if isinstance(arg, (Str, Num)) or (isinstance(arg, Var) and arg.name in bound)
    )
