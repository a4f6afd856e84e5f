"""Translation of one clause into pyDatalog literals, ordered so every variable is bound first.

Built from pyDatalog's engine objects (``pyEngine.Var``, ``Const``, ``Operation``,
``Literal``), never from text; relation names are mapped to generated predicates.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pyDatalog import pyEngine as _pe  # type: ignore[import-untyped]

from deniable.errors import EvaluationError
from deniable.rules.ast import (
    Atom,
    BinOp,
    BoolLit,
    Clause,
    Comparison,
    Negation,
    Num,
    Str,
    Term,
    UnOp,
    Var,
    Wildcard,
)

_COMPARE = {"=": "==", "!=": "!=", "<": "<", "<=": "<=", ">": ">", ">=": ">="}

# A slot of a ground pattern: ("v", variable) or ("c", constant).
Slot = tuple[str, Any]


@dataclass(slots=True)
class Plan:
    """One clause as pyDatalog literals, plus what provenance needs to rebuild its instances."""

    clause: Clause
    head_slots: tuple[Slot, ...]
    body: list[Any] = field(default_factory=list)
    positives: list[tuple[str, tuple[Slot, ...]]] = field(default_factory=list)
    # Where each positive atom stands in ``body`` (for the semi-naive delta variants).
    atom_positions: list[int] = field(default_factory=list)
    variables: tuple[str, ...] = ()
    never: bool = False


class Translator:
    """Turns one clause into pyDatalog literals whose order binds every variable before use."""

    def __init__(self, clause: Clause, predicates: dict[str, str]) -> None:
        self.clause = clause
        self.predicates = predicates
        self.names: dict[str, str] = {}
        self.fresh = 0
        self.pending: list[tuple[str, Any]] = []
        self.ordered: list[Any] = []
        self.bound: set[str] = set()

    def var(self, name: str) -> str:
        if name not in self.names:
            self.names[name] = f"V{len(self.names)}"
        return self.names[name]

    def new_var(self) -> str:
        self.fresh += 1
        return f"F{self.fresh}"

    def plan(self) -> Plan:
        plan = Plan(self.clause, ())
        negations: list[Negation] = []
        for lit in self.clause.body:
            if isinstance(lit, Atom):
                slots = tuple(self.slot(arg) for arg in lit.args)
                plan.positives.append((lit.rel, slots))
            elif isinstance(lit, Negation):
                negations.append(lit)
            elif isinstance(lit, Comparison):
                self.pending.append(("cmp", lit))
            elif isinstance(lit, BoolLit):
                plan.never = plan.never or not lit.value
        plan.head_slots = tuple(self.slot(arg) for arg in self.clause.head.args)
        for neg in negations:
            self.pending.append(("neg", neg))
        self.schedule(plan)
        plan.variables = tuple(sorted(self.bound, key=_var_order))
        return plan

    def slot(self, arg: Term) -> Slot:
        if isinstance(arg, Var):
            return ("v", self.var(arg.name))
        if isinstance(arg, Wildcard):
            return ("v", self.new_var())
        if isinstance(arg, (Str, Num)):
            return ("c", arg.value)
        name = self.new_var()
        self.pending.append(("eq", (name, arg)))
        return ("v", name)

    def schedule(self, plan: Plan) -> None:
        self.flush()
        for rel, slots in plan.positives:
            plan.atom_positions.append(len(self.ordered))
            self.ordered.append(_pe.Literal(self.predicates[rel], [_slot_term(s) for s in slots]))
            self.bound.update(value for kind, value in slots if kind == "v")
            self.flush()
        if self.pending:
            raise EvaluationError(
                "a variable is not bound by a positive atom", self.clause.span.location
            )
        plan.body = self.ordered

    def flush(self) -> None:
        progress = True
        while progress and self.pending:
            progress = False
            for item in list(self.pending):
                literal = self.ready(item)
                if literal is not None:
                    self.pending.remove(item)
                    self.ordered.append(literal)
                    progress = True

    def ready(self, item: tuple[str, Any]) -> Any:
        kind, value = item
        if kind == "eq":
            name, term = value
            if not self.term_vars(term) <= self.bound:
                return None
            self.bound.add(name)
            return _pe.Literal("==", [_pe.Var(name), self.term(term)])
        if kind == "cmp":
            return self.comparison(value)
        return self.negation(value)

    def comparison(self, cmp: Comparison) -> Any:
        left, right = self.term_vars(cmp.left), self.term_vars(cmp.right)
        if cmp.op == "=":
            for var, other, other_vars in (
                (cmp.left, cmp.right, right),
                (cmp.right, cmp.left, left),
            ):
                if (
                    isinstance(var, Var)
                    and self.var(var.name) not in self.bound
                    and other_vars <= self.bound
                ):
                    self.bound.add(self.var(var.name))
                    return _pe.Literal("==", [self.term(var), self.term(other)])
        if not (left | right) <= self.bound:
            return None
        return _pe.Literal(_COMPARE[cmp.op], [self.term(cmp.left), self.term(cmp.right)])

    def negation(self, neg: Negation) -> Any:
        # Variables that occur nowhere else are local to the negation (existential), like _.
        elsewhere = self.outside_vars(neg)
        terms = []
        for arg in neg.atom.args:
            if isinstance(arg, Wildcard) or (isinstance(arg, Var) and arg.name not in elsewhere):
                terms.append(_pe.Var(self.new_var()))
                continue
            if not self.term_vars(arg) <= self.bound:
                return None
            terms.append(self.term(arg))
        return _pe.Literal("~" + self.predicates[neg.atom.rel], terms)

    def outside_vars(self, neg: Negation) -> set[str]:
        names: set[str] = set()
        for node in (self.clause.head, *self.clause.body):
            if node is not neg:
                names |= _names(node)
        return names

    def term_vars(self, term: Term) -> set[str]:
        return {self.var(n) for n in _names(term)}

    def term(self, term: Term) -> Any:
        if isinstance(term, Var):
            return _pe.Var(self.var(term.name))
        if isinstance(term, (Str, Num)):
            return _pe.Const(term.value)
        if isinstance(term, BinOp):
            return _pe.Operation(self.term(term.left), term.op, self.term(term.right))
        if isinstance(term, UnOp):
            return _pe.Operation(_pe.Const(0), "-", self.term(term.operand))
        raise EvaluationError(f"unsupported term {type(term).__name__}", term.span.location)


def _var_order(name: str) -> tuple[str, int]:
    return (name[0], int(name[1:]))


def _slot_term(slot: Slot) -> Any:
    kind, value = slot
    return _pe.Var(value) if kind == "v" else _pe.Const(value)


def _names(node: object) -> set[str]:
    found: set[str] = set()
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, Var):
            found.add(item.name)
        elif isinstance(item, Atom):
            stack.extend(item.args)
        elif isinstance(item, Negation):
            stack.append(item.atom)
        elif isinstance(item, (Comparison, BinOp)):
            stack.extend((item.left, item.right))
        elif isinstance(item, UnOp):
            stack.append(item.operand)
    return found
