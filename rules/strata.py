"""Stratification: strongly connected components of the relation graph, in evaluation order.

A relation depends on every relation in the bodies of its clauses.  Each SCC
(Tarjan's algorithm, iterative so deep programs cannot hit the recursion limit)
becomes one :class:`~deniable.rules.checked.Stratum`; a negation or an
aggregate over a relation of the same SCC makes the program unstratifiable.

>>> from deniable.rules.parser import parse
>>> [s.relations for s in stratify(parse("p(x) :- e(x). q(x) :- p(x), !e(x).").clauses)]
[('p',), ('q',)]
>>> try:
...     stratify(parse("q(x) :- p(x), !r(x). r(x) :- q(x).").clauses)
... except RuleError as error:
...     print(error.code, error.location)
cyclic_negation <string>:1:15
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from deniable.errors import Diagnostic, RuleError
from deniable.rules import ast
from deniable.rules.checked import Stratum


@dataclass(frozen=True, slots=True)
class _Edge:
    """``head`` depends on ``body``; ``kind`` is positive, negative or aggregate."""

    head: str
    body: str
    kind: str
    span: ast.Span


def stratify(
    clauses: Sequence[ast.Clause], *, diagnostics: list[Diagnostic] | None = None
) -> tuple[Stratum, ...]:
    """Group the relations defined by ``clauses`` into strata in evaluation order.

    Relations used but never defined (inputs) belong to no stratum.  Within a
    stratum relations keep the order of their first definition.

    Args:
        clauses: the program's clauses.
        diagnostics: when given, ``cyclic_negation`` / ``cyclic_aggregate`` findings
            are appended here and strata are still returned; otherwise they raise.

    Raises:
        RuleError: the program is not stratifiable (only without ``diagnostics``).
    """
    order: dict[str, int] = {}
    for clause in clauses:
        order.setdefault(clause.head.rel, len(order))
    edges = [e for e in _edges(clauses) if e.body in order]
    successors: dict[str, list[str]] = {rel: [] for rel in order}
    for edge in edges:
        successors[edge.head].append(edge.body)
    components = _tarjan(list(order), successors)
    component_of = {rel: i for i, comp in enumerate(components) for rel in comp}

    found: list[Diagnostic] = []
    for edge in edges:
        if edge.kind != "positive" and component_of[edge.head] == component_of[edge.body]:
            found.append(_cycle_diagnostic(edge, successors, component_of))
    if diagnostics is not None:
        diagnostics.extend(found)
    elif found:
        raise RuleError(found)

    by_head: dict[str, list[ast.Clause]] = {}
    for clause in clauses:
        by_head.setdefault(clause.head.rel, []).append(clause)
    recursive = {
        component_of[e.head]
        for e in edges
        if e.kind == "positive" and component_of[e.head] == component_of[e.body]
    }
    strata = []
    for i, comp in enumerate(components):
        members = sorted(comp, key=order.__getitem__)
        comp_clauses = sorted((c for rel in members for c in by_head[rel]), key=lambda c: c.index)
        strata.append(Stratum(tuple(members), tuple(comp_clauses), i in recursive))
    return tuple(strata)


def _edges(clauses: Sequence[ast.Clause]) -> Iterator[_Edge]:
    for clause in clauses:
        head = clause.head.rel
        for literal in clause.body:
            yield from _literal_edges(head, literal, in_aggregate=False)
        for term in clause.head.args:
            yield from _term_edges(head, term)


def _literal_edges(head: str, literal: ast.Literal, *, in_aggregate: bool) -> Iterator[_Edge]:
    if isinstance(literal, ast.Atom):
        yield _Edge(head, literal.rel, "aggregate" if in_aggregate else "positive", literal.span)
        for term in literal.args:
            yield from _term_edges(head, term)
    elif isinstance(literal, ast.Negation):
        # A negation inside an aggregate is still a negation for stratification.
        yield _Edge(head, literal.atom.rel, "negative", literal.span)
    elif isinstance(literal, ast.Comparison):
        yield from _term_edges(head, literal.left)
        yield from _term_edges(head, literal.right)
    elif isinstance(literal, ast.Constraint):
        for term in literal.args:
            yield from _term_edges(head, term)


def _term_edges(head: str, term: ast.Term) -> Iterator[_Edge]:
    if isinstance(term, ast.Aggregate):
        for literal in term.body:
            yield from _literal_edges(head, literal, in_aggregate=True)
        if term.target is not None:
            yield from _term_edges(head, term.target)
    elif isinstance(term, ast.BinOp):
        yield from _term_edges(head, term.left)
        yield from _term_edges(head, term.right)
    elif isinstance(term, ast.UnOp):
        yield from _term_edges(head, term.operand)
    elif isinstance(term, ast.Call):
        for arg in term.args:
            yield from _term_edges(head, arg)


def _tarjan(nodes: list[str], successors: dict[str, list[str]]) -> list[list[str]]:
    """SCCs, dependencies first (Tarjan emits a component after everything it reaches)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    components: list[list[str]] = []
    counter = 0
    for root in nodes:
        if root in index:
            continue
        work: list[tuple[str, int]] = [(root, 0)]
        while work:
            node, child = work.pop()
            if child == 0:
                index[node] = low[node] = counter
                counter += 1
                stack.append(node)
                on_stack.add(node)
            succ = successors[node]
            while child < len(succ):
                nxt = succ[child]
                child += 1
                if nxt not in index:
                    work.append((node, child))
                    work.append((nxt, 0))
                    break
                if nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
            else:
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    components.append(component)
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
    return components


def _cycle_diagnostic(
    edge: _Edge, successors: dict[str, list[str]], component_of: dict[str, int]
) -> Diagnostic:
    path = _path(edge.body, edge.head, successors, component_of)
    cycle = " -> ".join([*path, edge.body]) if path else f"{edge.body} -> {edge.head}"
    if edge.kind == "negative":
        code = "cyclic_negation"
        what = f"{edge.body} is negated in a rule for {edge.head}"
        fix = "remove the cycle through the negation"
    else:
        code = "cyclic_aggregate"
        what = f"an aggregate over {edge.body} is used in a rule for {edge.head}"
        fix = "aggregate over a relation computed without this rule"
    if edge.body == edge.head:
        message = f"{what} itself, so the program cannot be stratified; {fix}"
    else:
        message = (
            f"{what}, but {edge.body} depends on {edge.head} ({cycle}), "
            f"so the program cannot be stratified; {fix}"
        )
    return Diagnostic(code, message, edge.span.location, context="")


def _path(
    start: str, goal: str, successors: dict[str, list[str]], component_of: dict[str, int]
) -> list[str]:
    """A shortest dependency path start -> ... -> goal inside one SCC (breadth first)."""
    comp = component_of[start]
    previous: dict[str, str | None] = {start: None}
    queue = [start]
    for node in queue:
        if node == goal:
            break
        for nxt in successors[node]:
            if nxt not in previous and component_of.get(nxt) == comp:
                previous[nxt] = node
                queue.append(nxt)
    if goal not in previous:
        return []
    path = [goal]
    while (prev := previous[path[-1]]) is not None:
        path.append(prev)
    return list(reversed(path))
