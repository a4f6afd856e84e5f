"""Who was in touch with whom, as a graph: calls, meetings, photographs and denials, with modality.

:func:`contact_graph` reads the store's ``statement`` view (rejected statements are
not in it): an edge per kind of contact between two names, at the best modality
any statement gives it, with the number of statements; a denial is a directed
edge from the denier.  Attempts and refusals are no contact and are not drawn.
:func:`circle_layout` places the nodes on a circle in a fixed order, so the same
store always gives the same picture.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from deniable.facts.store import FactStore

__all__ = ["CONTACT_KINDS", "Edge", "Graph", "Placed", "circle_layout", "contact_graph"]

#: The kinds of edge drawn, in drawing order; ``denies`` is directed, the others are not.
CONTACT_KINDS = ("called", "met", "pictured_with", "denies")
#: The modalities that are drawn, strongest first (negated and attempted are no contact).
DRAWN_MODALITIES = ("asserted", "reported", "alleged")
_RANK = {m: i for i, m in enumerate(DRAWN_MODALITIES)}


@dataclass(frozen=True, slots=True)
class Edge:
    """``kind`` between ``a`` and ``b`` (from ``a`` for a denial), its best modality, statements."""

    kind: str
    a: str
    b: str
    modality: str
    statements: int


@dataclass(frozen=True, slots=True)
class Graph:
    """Nodes (names) in layout order, edges among them, and how many names were left out."""

    nodes: tuple[str, ...]
    edges: tuple[Edge, ...]
    left_out: int = 0


@dataclass(frozen=True, slots=True)
class Placed:
    """A node's position (``x``, ``y``) and the side its label goes (``angle`` in radians)."""

    name: str
    x: float
    y: float
    angle: float


def contact_graph(
    store: FactStore, *, focus: Iterable[str] | None = None, max_nodes: int = 60
) -> Graph:
    """The graph of the store's calls, meetings, photographs and denials.

    Args:
        focus: only edges whose two ends are among these names (``None``: all).
        max_nodes: keep the names with the most edges (ties by name); the rest, and
            their edges, are left out and counted in ``left_out``.
    """
    wanted = None if focus is None else set(focus)
    best: dict[tuple[str, str, str], tuple[int, int]] = {}
    for _id, pred, a, b, modality, _source, _doc in store.rows("statement"):
        if pred not in CONTACT_KINDS or modality not in _RANK or a == b:
            continue
        if wanted is not None and (a not in wanted or b not in wanted):
            continue
        if pred != "denies":
            a, b = sorted((a, b))  # a call or a meeting has no direction worth drawing
        rank, count = best.get((pred, a, b), (len(_RANK), 0))
        best[(pred, a, b)] = (min(rank, _RANK[modality]), count + 1)
    edges = [
        Edge(kind, a, b, DRAWN_MODALITIES[rank], count)
        for (kind, a, b), (rank, count) in best.items()
    ]
    degree: dict[str, int] = {}
    for edge in edges:
        for name in (edge.a, edge.b):
            degree[name] = degree.get(name, 0) + 1
    ranked = sorted(degree, key=lambda n: (-degree[n], n))
    kept = set(ranked[:max_nodes])
    edges = [e for e in edges if e.a in kept and e.b in kept]
    edges.sort(key=lambda e: (CONTACT_KINDS.index(e.kind), e.a, e.b))
    return Graph(_order(kept, edges), tuple(edges), len(ranked) - len(kept))


def _order(nodes: set[str], edges: list[Edge]) -> tuple[str, ...]:
    """Nodes in breadth-first order from the busiest, so neighbours sit near on the circle."""
    neighbours: dict[str, list[str]] = {n: [] for n in nodes}
    for edge in edges:
        neighbours[edge.a].append(edge.b)
        neighbours[edge.b].append(edge.a)
    for names in neighbours.values():
        names.sort()
    order: list[str] = []
    placed: set[str] = set()
    for start in sorted(nodes, key=lambda n: (-len(neighbours[n]), n)):
        if start in placed:
            continue
        queue = [start]
        placed.add(start)
        while queue:
            name = queue.pop(0)
            order.append(name)
            for other in neighbours[name]:
                if other not in placed:
                    placed.add(other)
                    queue.append(other)
    return tuple(order)


def circle_layout(graph: Graph, *, cx: float, cy: float, radius: float) -> dict[str, Placed]:
    """Each node on a circle around (``cx``, ``cy``), the first at the top, clockwise.

    >>> placed = circle_layout(Graph(("a", "b"), ()), cx=0, cy=0, radius=10)
    >>> [(p.name, round(p.x), round(p.y)) for p in placed.values()]
    [('a', 0, -10), ('b', 0, 10)]
    """
    n = len(graph.nodes)
    placed = {}
    for i, name in enumerate(graph.nodes):
        angle = -math.pi / 2 + 2 * math.pi * i / max(n, 1)
        x = cx + radius * math.cos(angle) if n > 1 else cx
        y = cy + radius * math.sin(angle) if n > 1 else cy
        placed[name] = Placed(name, x, y, angle)
    return placed
