"""Evaluation rounds of the pyDatalog engine: semi-naive strata, ground instances, heights.

pyDatalog answers each clause body over facts only; this module asserts the facts,
drives a stratum's rounds until no row is new, and computes from the ground
instances each derived row's least proof height and the clause reaching it.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from pyDatalog import pyEngine as _pe  # type: ignore[import-untyped]

from deniable.errors import EvaluationError
from deniable.rules.checked import CheckedProgram, Stratum
from deniable.rules.engines.base import Limits, integer_overflow, rounds_exceeded
from deniable.rules.engines.pydatalog_translation import Plan, Slot

_INT64_MIN, _INT64_MAX = -(2**63), 2**63 - 1
# Generated predicate names start with it; a user's relation name never reaches pyDatalog.
PREFIX = "deniable_"

Row = tuple[Any, ...]
Key = tuple[str, Row]


@dataclass(slots=True)
class Instance:
    """A ground instance of a clause: its head row and its positive body rows."""

    rule: int
    base: int
    head: Key
    body: tuple[Key, ...]


def stratum_instances(
    stratum: Stratum,
    plans: list[Plan],
    predicates: dict[str, str],
    arities: dict[str, int],
    limits: Limits,
) -> list[Instance]:
    """Semi-naive evaluation of one stratum; every ground instance of its clauses.

    Round 1 asks each clause's full body.  Later rounds ask one variant per body atom
    over the stratum's own relations, that atom reading only the rows the previous
    round added (the ``delta`` predicate, put first: it is the small side), so each
    instance is found in the round after its last body row appeared.
    """
    rows: dict[str, set[Row]] = {rel: set() for rel in stratum.relations}
    deltas = {rel: f"{predicates[rel]}_delta" for rel in stratum.relations}
    for rel, name in deltas.items():
        _pe.insert(_pe.Pred(name, arities[rel]))
    facts: list[Instance] = []
    full: list[tuple[Plan, str]] = []
    variants: list[tuple[Plan, str]] = []
    for plan in plans:
        clause = plan.clause
        if clause.is_fact and all(kind == "c" for kind, _ in plan.head_slots):
            row = tuple(value for _, value in plan.head_slots)
            facts.append(Instance(clause.index, 0, (clause.head.rel, row), ()))
            continue
        aux = f"{PREFIX}b{clause.index}"
        assert_clause(aux, [_pe.Var(v) for v in plan.variables], plan.body)
        full.append((plan, aux))
        for j, (rel, _) in enumerate(plan.positives):
            if rel not in rows:
                continue
            body = list(plan.body)
            atom = body.pop(plan.atom_positions[j])
            body.insert(0, _pe.Literal(deltas[rel], list(atom.terms)))
            assert_clause(f"{aux}_{j}", [_pe.Var(v) for v in plan.variables], body)
            variants.append((plan, f"{aux}_{j}"))
    for inst in facts:
        _add(inst.head, rows, predicates)
    found: dict[tuple[Any, ...], Instance] = {}
    for inst in facts:
        found[(inst.rule, inst.head, inst.body)] = inst
    asking = full
    delta: list[Key] = []
    rounds = 0
    while asking:
        rounds += 1
        if rounds > limits.max_rounds:
            raise rounds_exceeded(list(stratum.relations), limits)
        new: list[Key] = []
        for plan, aux in asking:
            for inst in _ask(plan, aux):
                found.setdefault((inst.rule, inst.head, inst.body), inst)
                if inst.head[1] not in rows[inst.head[0]]:
                    _add(inst.head, rows, predicates)
                    new.append(inst.head)
        for rel, have in rows.items():
            if len(have) > limits.max_rows:
                raise EvaluationError(
                    f"relation {rel} has more than {limits.max_rows} rows (limit max_rows)"
                )
        for rel, row in delta:
            _pe.retract(_pe.Clause(_pe.Literal(deltas[rel], [_pe.Const(v) for v in row]), []))
        for rel, row in new:
            assert_clause(deltas[rel], [_pe.Const(v) for v in row], [])
        delta = new
        # A stratum whose bodies read none of its relations has no variants: one round.
        asking = variants if new else []
    return list(found.values())


def _add(key: Key, rows: dict[str, set[Row]], predicates: dict[str, str]) -> None:
    rel, row = key
    if row not in rows[rel]:
        rows[rel].add(row)
        assert_clause(predicates[rel], [_pe.Const(v) for v in row], [])


def _ask(plan: Plan, aux: str) -> Iterator[Instance]:
    query = _pe.Literal(aux, [_pe.Var(f"Q{i}") for i in range(len(plan.variables))])
    for answer in query.ask() or []:
        yield _instance(plan, dict(zip(plan.variables, answer, strict=True)))


def assert_clause(pred: str, terms: list[Any], body: list[Any]) -> None:
    """Assert ``pred(terms) <= body`` (a fact when ``body`` is empty) in the current logic."""
    _pe.assert_(_pe.Clause(_pe.Literal(pred, terms), body))


def _instance(plan: Plan, env: dict[str, Any]) -> Instance:
    def ground(slots: tuple[Slot, ...]) -> Row:
        return tuple(env[value] if kind == "v" else value for kind, value in slots)

    head = ground(plan.head_slots)
    for value in head:
        if type(value) is int and not _INT64_MIN <= value <= _INT64_MAX:
            error = integer_overflow(f"clause {plan.clause.index} derives {value}")
            error.location = plan.clause.span.location if plan.clause.span.line > 0 else None
            raise error
        if type(value) not in (int, str):
            raise EvaluationError(
                f"pyDatalog computed {value!r} ({type(value).__name__}) in clause "
                f"{plan.clause.index}; only integers and strings are supported"
            )
    body = tuple((rel, ground(slots)) for rel, slots in plan.positives)
    base = 0 if plan.clause.is_fact else 1
    return Instance(plan.clause.index, base, (plan.clause.head.rel, head), body)


def least_heights(
    program: CheckedProgram,
    inputs: dict[str, dict[Row, int]],
    instances: list[Instance],
) -> dict[str, dict[Row, tuple[int, int]]]:
    """Least proof heights, Knuth's generalisation of Dijkstra over the ground instances.

    An instance becomes usable once every derived row in its body has its final
    height; it then offers its head ``1 + max(body heights)`` (0 for a fact).  Rows
    are settled in increasing ``(height, rule)`` order, so each gets its least height
    and the smallest clause index reaching it.
    """
    idb = set(program.idb)
    derived: dict[str, dict[Row, tuple[int, int]]] = {rel: {} for rel in program.idb}
    waiting: dict[Key, list[int]] = {}
    missing: list[int] = []
    highest: list[int] = []
    queue: list[tuple[int, int, int]] = []
    for n, inst in enumerate(instances):
        deps = {key for key in inst.body if key[0] in idb}
        top = max((inputs[rel].get(row, 0) for rel, row in inst.body if rel not in idb), default=0)
        missing.append(len(deps))
        highest.append(top if inst.body and inst.base else 0)
        for key in deps:
            waiting.setdefault(key, []).append(n)
        if not deps:
            heapq.heappush(queue, (_offer(inst, highest[n]), inst.rule, n))
    while queue:
        height, rule, n = heapq.heappop(queue)
        rel, row = instances[n].head
        if row in derived[rel]:
            continue
        derived[rel][row] = (rule, height)
        for m in waiting.pop((rel, row), ()):
            missing[m] -= 1
            highest[m] = max(highest[m], height)
            if missing[m] == 0:
                heapq.heappush(queue, (_offer(instances[m], highest[m]), instances[m].rule, m))
    return derived


def _offer(inst: Instance, body_height: int) -> int:
    if inst.base == 0:
        return 0
    # The SQL engine counts only derived atoms: no derived atom in the body means height 1.
    return body_height + 1
