"""What the pyDatalog engine refuses to evaluate, found before anything runs.

pyDatalog cannot give some constructs the meaning the SQL engine gives them (aggregates
over empty groups, functors, integer division, floats, bitwise operators, comparisons
between symbols and numbers).  :func:`unsupported_constructs` lists every such use with
its location, so the engine can refuse the whole program with one clear error.
"""

from __future__ import annotations

from deniable.errors import Diagnostic, Location
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
    Span,
    Str,
    Term,
    UnOp,
    Var,
)
from deniable.rules.checked import CheckedProgram

#: ``EvaluationError.code`` of a construct the pyDatalog engine refuses to evaluate.
UNSUPPORTED = "pydatalog_unsupported"

_ARITHMETIC = {"+", "-", "*"}


def unsupported_constructs(program: CheckedProgram) -> list[Diagnostic]:
    """Every construct of ``program`` this engine cannot evaluate with the SQL engine's meaning.

    Returns:
        One diagnostic (code ``pydatalog_unsupported``) per refused construct,
        sorted by location; empty when the whole program is supported.
    """
    found: list[Diagnostic] = []
    for name, info in program.relations.items():
        if "float" in info.types:
            span = info.span
            found.append(_refusal(f"relation {name} has a float column", span))
    for clause in program.clauses:
        found.extend(_ClauseScan(program, clause).scan())
    return sorted(found, key=_where)


def _where(d: Diagnostic) -> tuple[str, int, int]:
    loc = d.location or Location("")
    return (loc.path, loc.line, loc.column)


def _refusal(what: str, span: Span | None) -> Diagnostic:
    return Diagnostic(
        UNSUPPORTED,
        f"the pyDatalog engine cannot evaluate {what}; use --engine sql",
        span.location if span is not None and span.line > 0 else None,
    )


class _ClauseScan:
    """Finds refused constructs in one clause, knowing the base type of its variables."""

    def __init__(self, program: CheckedProgram, clause: Clause) -> None:
        self.program = program
        self.clause = clause
        self.types = _variable_types(program, clause)
        self.found: list[Diagnostic] = []

    def scan(self) -> list[Diagnostic]:
        self.atom(self.clause.head)
        for lit in self.clause.body:
            if isinstance(lit, Atom):
                self.atom(lit)
            elif isinstance(lit, Negation):
                self.atom(lit.atom)
            elif isinstance(lit, Comparison):
                self.comparison(lit)
            elif isinstance(lit, Constraint):
                self.refuse(f"the string constraint {lit.name}(...)", lit.span)
        return self.found

    def refuse(self, what: str, span: Span) -> None:
        self.found.append(_refusal(what, span))

    def atom(self, atom: Atom) -> None:
        info = self.program.relations.get(atom.rel)
        types = info.types if info is not None else ()
        for j, arg in enumerate(atom.args):
            column = types[j] if j < len(types) else None
            self.term(arg)
            kind = self.kind(arg)
            if column is not None and kind is not None and _family(kind) != _family(column):
                self.refuse(
                    f"a {kind} value in {column} column {j + 1} of {atom.rel}", _span(arg, atom)
                )

    def comparison(self, cmp: Comparison) -> None:
        self.term(cmp.left)
        self.term(cmp.right)
        left, right = self.kind(cmp.left), self.kind(cmp.right)
        if left is not None and right is not None and _family(left) != _family(right):
            self.refuse(f"the comparison of a {left} with a {right}", cmp.span)

    def term(self, term: Term) -> None:
        if isinstance(term, Num) and isinstance(term.value, float):
            self.refuse(f"the float constant {term.value!r}", term.span)
        elif isinstance(term, Aggregate):
            self.refuse(f"the aggregate {term.func}", term.span)
        elif isinstance(term, Call):
            self.refuse(f"the functor {term.name}(...)", term.span)
        elif isinstance(term, BinOp):
            if term.op not in _ARITHMETIC:
                self.refuse(f"the operator {term.op}", term.span)
            self.term(term.left)
            self.term(term.right)
            self.arithmetic(term, (term.left, term.right))
        elif isinstance(term, UnOp):
            if term.op != "-":
                self.refuse(f"the operator {term.op}", term.span)
            self.term(term.operand)
            self.arithmetic(term, (term.operand,))

    def arithmetic(self, term: BinOp | UnOp, operands: tuple[Term, ...]) -> None:
        for operand in operands:
            kind = self.kind(operand)
            if kind is not None and kind != "number":
                self.refuse(f"arithmetic on a {kind} value", term.span)
                return

    def kind(self, term: Term) -> str | None:
        """The base type of ``term`` when it is known without evaluating it."""
        if isinstance(term, Str):
            return "symbol"
        if isinstance(term, Num):
            return "float" if isinstance(term.value, float) else "number"
        if isinstance(term, Var):
            return self.types.get(term.name)
        if isinstance(term, (BinOp, UnOp)):
            return "number"
        return None


def _family(kind: str) -> str:
    # number and unsigned columns hold the same Python ints; a symbol never equals one.
    return "symbol" if kind == "symbol" else "float" if kind == "float" else "integer"


def _span(arg: Term, atom: Atom) -> Span:
    span = getattr(arg, "span", None)
    return span if span is not None and span.line > 0 else atom.span


def _variable_types(program: CheckedProgram, clause: Clause) -> dict[str, str]:
    """Base types of variables from the positive atoms they occur in, then through ``=``."""
    types: dict[str, str] = {}
    for lit in clause.body:
        if isinstance(lit, Atom):
            info = program.relations.get(lit.rel)
            for j, arg in enumerate(lit.args):
                if isinstance(arg, Var) and info is not None and j < len(info.types):
                    types.setdefault(arg.name, info.types[j])
    changed = True
    while changed:
        changed = False
        for lit in clause.body:
            if not (isinstance(lit, Comparison) and lit.op == "="):
                continue
            for var, other in ((lit.left, lit.right), (lit.right, lit.left)):
                if not isinstance(var, Var) or var.name in types:
                    continue
                kind = (
                    types.get(other.name)
                    if isinstance(other, Var)
                    else "symbol"
                    if isinstance(other, Str)
                    else "number"
                    if isinstance(other, (Num, BinOp, UnOp))
                    else None
                )
                if kind is not None:
                    types[var.name] = kind
                    changed = True
    return types
