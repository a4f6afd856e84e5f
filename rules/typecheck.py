"""Type checking of one clause: symbols versus numbers, propagated through variables.

Variables take the base type of the attribute they fill in a positive atom (or
of the expression they are set equal to); every other use must agree.  Integer
literals fit ``number``, ``unsigned`` and ``float`` attributes alike, as in
Soufflé.  User types (``.type Name <: symbol``) count as their base type.

>>> from deniable.rules.parser import parse
>>> clause = parse('h(x) :- e(x), x = "a".').clauses[0]
>>> sig = Signature("e", ("a",), ("number",))
>>> ClauseTypes(clause, {"e": sig, "h": sig}).type_of(clause.body[0].args[0])
'number'
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

from deniable.rules import ast

BASE_TYPES = ("symbol", "number", "unsigned", "float")
_NUMERIC = frozenset({"number", "unsigned", "float", "?num"})
#: Type of an integer literal: fits any numeric attribute.
INT_LITERAL = "?num"

Reporter = Callable[[str, str, ast.Span], None]


@dataclass(frozen=True, slots=True)
class Signature:
    """A relation's checked shape; a type is ``None`` while it is still being inferred."""

    name: str
    attributes: tuple[str, ...]
    types: tuple[str | None, ...]
    declared_types: tuple[str, ...] = ()
    span: ast.Span = field(default=ast.NO_SPAN, compare=False)
    source: str = "decl"

    @property
    def arity(self) -> int:
        return len(self.attributes)

    def with_types(
        self, types: tuple[str | None, ...], declared: tuple[str, ...] = ()
    ) -> Signature:
        return Signature(
            self.name,
            self.attributes,
            types,
            declared or self.declared_types,
            self.span,
            self.source,
        )


def _describe(t: str | None) -> str:
    return {
        "symbol": "a symbol",
        "number": "a number",
        "unsigned": "an unsigned number",
        "float": "a float",
        INT_LITERAL: "a number",
    }.get(t or "", "of unknown type")


def _compatible(a: str | None, b: str | None) -> bool:
    if a is None or b is None or a == b:
        return True
    return INT_LITERAL in (a, b) and a in _NUMERIC and b in _NUMERIC


def _show(term: ast.Term) -> str:
    if isinstance(term, ast.Var):
        return f"variable {term.name}"
    if isinstance(term, ast.Str):
        value = term.value if len(term.value) <= 30 else term.value[:27] + "..."
        return f'"{value}"'
    if isinstance(term, ast.Num):
        return str(term.value)
    if isinstance(term, ast.Call):
        return f"{term.name}(...)"
    if isinstance(term, ast.Aggregate):
        return f"the {term.func} aggregate"
    return "the expression"


class ClauseTypes:
    """Variable types of one clause, and the check of every use against them.

    Args:
        clause: the clause.
        signatures: relations by name (only those whose arity matches are consulted).
        report: called with (code, message, span) for each finding; None to only infer.
    """

    def __init__(
        self,
        clause: ast.Clause,
        signatures: dict[str, Signature],
        report: Reporter | None = None,
    ) -> None:
        self.clause = clause
        self.signatures = signatures
        self._report = report
        # variable -> (type, where it came from)
        self.env: dict[str, tuple[str, str]] = {}
        self._conflicts: list[tuple[ast.Var, str, str]] = []
        self._bind_from_atoms(clause.body)
        for _ in range(3):  # equalities may chain: x = y + 1, y = strlen(s)
            if not self._bind_from_equalities(clause.body):
                break

    # -- inference

    def _signature(self, atom: ast.Atom) -> Signature | None:
        sig = self.signatures.get(atom.rel)
        return sig if sig is not None and sig.arity == len(atom.args) else None

    def _bind_from_atoms(self, literals: Sequence[ast.Literal]) -> None:
        for atom in _positive_atoms(literals):
            sig = self._signature(atom)
            if sig is None:
                continue
            for i, arg in enumerate(atom.args):
                expected = sig.types[i]
                if not isinstance(arg, ast.Var) or expected is None:
                    continue
                where = f"{atom.rel} argument {i + 1} at line {atom.span.line}"
                have = self.env.get(arg.name)
                if have is None:
                    self.env[arg.name] = (expected, where)
                elif not _compatible(have[0], expected):
                    self._conflicts.append((arg, expected, where))

    def _bind_from_equalities(self, literals: Sequence[ast.Literal]) -> bool:
        changed = False
        # Any comparison relates two values of one type; `=` also binds, which the
        # safety check handles separately, so typing can learn from `<` too.
        for comparison in _comparisons(literals):
            for var, other in (
                (comparison.left, comparison.right),
                (comparison.right, comparison.left),
            ):
                if isinstance(var, ast.Var) and var.name not in self.env:
                    found = self.type_of(other)
                    if found is not None:
                        self.env[var.name] = (
                            found,
                            f"{_show(other)} at line {comparison.span.line}",
                        )
                        changed = True
        return changed

    def type_of(self, term: ast.Term, *, check: bool = False) -> str | None:
        """The base type of ``term`` (``'?num'`` for integer literals); None if unknown."""
        if isinstance(term, ast.Var):
            found = self.env.get(term.name)
            return found[0] if found else None
        if isinstance(term, ast.Str):
            return "symbol"
        if isinstance(term, ast.Num):
            return "float" if isinstance(term.value, float) else INT_LITERAL
        if isinstance(term, ast.BinOp):
            return self._arith(term.op, (term.left, term.right), term.span, check)
        if isinstance(term, ast.UnOp):
            return self._arith(term.op, (term.operand,), term.span, check)
        if isinstance(term, ast.Call):
            return self._call(term, check)
        if isinstance(term, ast.Aggregate):
            return self._aggregate(term, check)
        return None  # Wildcard

    def _arith(
        self, op: str, operands: tuple[ast.Term, ...], span: ast.Span, check: bool
    ) -> str | None:
        result: str | None = INT_LITERAL
        for operand in operands:
            t = self.type_of(operand, check=check)
            if t == "symbol":
                if check:
                    self._error(
                        operand.span,
                        f"{op} needs numbers but {_show(operand)} is a symbol; "
                        "use cat(...) to join symbols or to_number(...) to convert",
                    )
                continue
            if t is None or t == INT_LITERAL:
                continue
            if result not in (INT_LITERAL, t):
                if check:
                    self._error(
                        span,
                        f"{op} mixes {_describe(result)} and {_describe(t)}; "
                        "convert one side so both have the same numeric type",
                    )
                continue
            result = t
        return result

    def _call(self, call: ast.Call, check: bool) -> str | None:
        name = call.name
        if name in ("min", "max"):
            types = [self.type_of(a, check=check) for a in call.args]
            known = [t for t in types if t is not None]
            concrete = [t for t in known if t != INT_LITERAL]
            if check and any(not _compatible(a, b) for a in known for b in known):
                self._error(
                    call.span,
                    f"the arguments of {name} have different types "
                    f"({', '.join(sorted({_describe(t) for t in known}))}); compare like with like",
                )
            return concrete[0] if concrete else (known[0] if known else None)
        expected = {
            "cat": ("symbol",) * len(call.args),
            "strlen": ("symbol",),
            "ord": ("symbol",),
            "to_number": ("symbol",),
            "to_string": ("?num",),
            "substr": ("symbol", "?num", "?num"),
        }.get(name, ())
        for arg, want in zip(call.args, expected, strict=False):
            t = self.type_of(arg, check=check)
            if check and not _compatible(t, want):
                self._error(arg.span, _call_hint(name, arg, t, want))
        return {"cat": "symbol", "substr": "symbol", "to_string": "symbol"}.get(name, "number")

    def _aggregate(self, agg: ast.Aggregate, check: bool) -> str | None:
        if agg.func == "count":
            return "number"
        target = self.type_of(agg.target, check=check) if agg.target is not None else None
        if agg.func in ("sum", "mean") and target == "symbol":
            if check and agg.target is not None:
                self._error(
                    agg.target.span,
                    f"{agg.func} needs numbers but {_show(agg.target)} is a symbol; "
                    "aggregate a numeric attribute (or count the rows with count)",
                )
            return "number"
        if agg.func == "mean":
            return "float"
        return target

    # -- checking

    def _error(self, span: ast.Span, message: str) -> None:
        if self._report is not None:
            self._report("type_mismatch", message, span)

    def check(self) -> None:
        """Report every use that disagrees with the inferred types."""
        for var, expected, where in self._conflicts:
            have, origin = self.env[var.name]
            self._error(
                var.span,
                f"variable {var.name} is {_describe(have)} (from {origin}) but "
                f"{_describe(expected)} in {where}; a variable has one type, so use "
                "two variables or fix a .decl",
            )
        self._check_atom(self.clause.head, role="head")
        self._check_literals(self.clause.body)

    def _check_literals(self, literals: Sequence[ast.Literal]) -> None:
        for literal in literals:
            if isinstance(literal, ast.Atom):
                self._check_atom(literal, role="body")
            elif isinstance(literal, ast.Negation):
                self._check_atom(literal.atom, role="negation")
            elif isinstance(literal, ast.Comparison):
                self._check_comparison(literal)
            elif isinstance(literal, ast.Constraint):
                for arg in literal.args:
                    t = self.type_of(arg, check=True)
                    if not _compatible(t, "symbol"):
                        self._error(
                            arg.span,
                            f"{literal.name} works on symbols but {_show(arg)} is "
                            f"{_describe(t)}; convert it with to_string(...)",
                        )

    def _check_atom(self, atom: ast.Atom, *, role: str) -> None:
        sig = self._signature(atom)
        for i, arg in enumerate(atom.args):
            if isinstance(arg, ast.Aggregate):
                self._check_literals(arg.body)
            t = self.type_of(arg, check=True)
            if sig is None:
                continue
            expected = sig.types[i]
            if role == "body" and isinstance(arg, ast.Var):
                continue  # positive atoms define variable types; conflicts reported above
            if not _compatible(expected, t):
                self._error(arg.span, _argument_message(atom, i, sig, t))

    def _check_comparison(self, comparison: ast.Comparison) -> None:
        for side in (comparison.left, comparison.right):
            if isinstance(side, ast.Aggregate):
                self._check_literals(side.body)
        left = self.type_of(comparison.left, check=True)
        right = self.type_of(comparison.right, check=True)
        if not _compatible(left, right):
            self._error(
                comparison.span,
                f"cannot compare {_show(comparison.left)} ({_describe(left)}) with "
                f"{_show(comparison.right)} ({_describe(right)}); both sides of "
                f"{comparison.op} must have the same type",
            )


def check_ground_fact(atom: ast.Atom, sig: Signature, report: Reporter) -> None:
    """Type-check a fact whose arguments are all constants (the fast path for big fact sets)."""
    for i, arg in enumerate(atom.args):
        if isinstance(arg, ast.Str):
            t = "symbol"
        else:
            t = "float" if isinstance(arg.value, float) else INT_LITERAL  # type: ignore[union-attr]
        if not _compatible(sig.types[i], t):
            report("type_mismatch", _argument_message(atom, i, sig, t), arg.span)


def _argument_message(atom: ast.Atom, i: int, sig: Signature, t: str | None) -> str:
    arg, expected = atom.args[i], sig.types[i]
    return (
        f"argument {i + 1} of {atom.rel} ({sig.attributes[i]}) is {_describe(expected)}, "
        f"but {_show(arg)} is {_describe(t)}; {_fix_hint(arg, expected)}"
    )


def _fix_hint(arg: ast.Term, expected: str | None) -> str:
    if isinstance(arg, ast.Num) and expected == "symbol":
        return f'quote it if you mean the symbol: "{arg.value}"'
    if isinstance(arg, ast.Str) and expected in _NUMERIC:
        return "write the number without quotes"
    if expected == "symbol":
        return "convert it with to_string(...) or use another variable"
    if expected in _NUMERIC:
        return "convert it with to_number(...) or use another variable"
    return "fix the argument or the .decl"


def _call_hint(name: str, arg: ast.Term, t: str | None, want: str) -> str:
    found = f"{_show(arg)} is {_describe(t)}"
    if want == "symbol":
        return f"{name} works on symbols but {found}; convert it with to_string(...)"
    return f"{name} needs a number here but {found}; convert it with to_number(...)"


def _positive_atoms(literals: Sequence[ast.Literal]) -> Iterator[ast.Atom]:
    for literal in literals:
        if isinstance(literal, ast.Atom):
            yield literal
        for agg in _aggregates_in(literal):
            yield from _positive_atoms(agg.body)


def _comparisons(literals: Sequence[ast.Literal]) -> Iterator[ast.Comparison]:
    for literal in literals:
        if isinstance(literal, ast.Comparison):
            yield literal
        for agg in _aggregates_in(literal):
            yield from _comparisons(agg.body)


def _aggregates_in(literal: ast.Literal) -> Iterator[ast.Aggregate]:
    terms: tuple[ast.Term, ...] = ()
    if isinstance(literal, ast.Atom):
        terms = literal.args
    elif isinstance(literal, ast.Comparison):
        terms = (literal.left, literal.right)
    elif isinstance(literal, ast.Constraint):
        terms = literal.args
    for term in terms:
        yield from _aggregates_of(term)


def _aggregates_of(term: ast.Term) -> Iterator[ast.Aggregate]:
    if isinstance(term, ast.Aggregate):
        yield term
    elif isinstance(term, ast.BinOp):
        yield from _aggregates_of(term.left)
        yield from _aggregates_of(term.right)
    elif isinstance(term, ast.UnOp):
        yield from _aggregates_of(term.operand)
    elif isinstance(term, ast.Call):
        for arg in term.args:
            yield from _aggregates_of(arg)
