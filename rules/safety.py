"""Safety (range restriction): every variable a clause reads must be bound by its body.

A variable is bound by appearing as a plain argument of a positive atom, or by
``x = expr`` once every variable of ``expr`` is bound, or as the result of an
aggregate.  Arithmetic inside an atom binds nothing (``p(n - 1)`` needs ``n``).
Variables inside an aggregate that do not occur outside it are local to it.

>>> from deniable.rules.parser import parse
>>> [f.message for f in check_safety(parse("p(x, y) :- q(x).").clauses[0])]
['variable y in the head of p is not bound in the body; use it in a positive atom of the body']
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from deniable.rules import ast


@dataclass(frozen=True, slots=True)
class Finding:
    """An unbound variable: where and what to tell the user."""

    span: ast.Span
    message: str
    var: str = ""


def check_safety(clause: ast.Clause) -> list[Finding]:
    """Return one finding per unbound variable (its first offending use) of ``clause``."""
    findings: list[Finding] = []
    outer = _vars_outside_aggregates(clause.body, clause.head.args)
    bound = _bound(clause.body, set(), outer)
    _check_level(clause.body, bound, outer, findings)
    head = clause.head
    for arg in head.args:
        if isinstance(arg, ast.Wildcard):
            findings.append(
                Finding(
                    arg.span,
                    f"'_' cannot appear in the head of {head.rel}: every head argument needs "
                    "a value; use a variable bound in the body or a constant",
                )
            )
        elif isinstance(arg, ast.Var):
            if arg.name not in bound:
                findings.append(Finding(arg.span, _head_message(clause, arg.name), arg.name))
        else:
            _check_term(arg, bound, outer, findings, context="head", rel=head.rel)
    return _first_per_variable(findings)


def _head_message(clause: ast.Clause, name: str) -> str:
    if clause.is_fact:
        return (
            f"variable {name} in the fact {clause.head.rel}(...) has no value; facts take "
            f'constants, so quote it if you mean the symbol: "{name}"'
        )
    return (
        f"variable {name} in the head of {clause.head.rel} is not bound in the body; "
        "use it in a positive atom of the body"
    )


def _first_per_variable(findings: list[Finding]) -> list[Finding]:
    ordered = sorted(findings, key=lambda f: (f.span.line, f.span.column))
    seen: set[str] = set()
    out = []
    for finding in ordered:
        if finding.var:
            if finding.var in seen:
                continue
            seen.add(finding.var)
        out.append(finding)
    return out


# ----------------------------------------------------------------------------- binding


def _bound(literals: Sequence[ast.Literal], initial: set[str], level_vars: set[str]) -> set[str]:
    """Variables bound at one level: plain positive-atom arguments, then `=` to a value."""
    bound = set(initial)
    for literal in literals:
        if isinstance(literal, ast.Atom):
            bound.update(a.name for a in literal.args if isinstance(a, ast.Var))
    changed = True
    while changed:
        changed = False
        for literal in literals:
            if not isinstance(literal, ast.Comparison) or literal.op != "=":
                continue
            for target, source in ((literal.left, literal.right), (literal.right, literal.left)):
                if (
                    isinstance(target, ast.Var)
                    and target.name not in bound
                    and _needs(source, level_vars) <= bound
                ):
                    bound.add(target.name)
                    changed = True
    return bound


def _needs(term: ast.Term, level_vars: set[str]) -> set[str]:
    """Variables of this level that must be bound before ``term`` has a value."""
    if isinstance(term, ast.Var):
        return {term.name}
    if isinstance(term, ast.Aggregate):
        # Its shared variables must be bound outside; that is reported at the
        # aggregate itself, so its result counts as a value here (no cascade).
        return set()
    return set().union(*(_needs(t, level_vars) for t in _children(term)))


def _children(term: ast.Term) -> tuple[ast.Term, ...]:
    if isinstance(term, ast.BinOp):
        return (term.left, term.right)
    if isinstance(term, ast.UnOp):
        return (term.operand,)
    if isinstance(term, ast.Call):
        return term.args
    return ()


# ----------------------------------------------------------------------------- reporting


def _check_level(
    literals: Sequence[ast.Literal], bound: set[str], level_vars: set[str], out: list[Finding]
) -> None:
    for literal in literals:
        if isinstance(literal, ast.Atom):
            for arg in literal.args:
                if not isinstance(arg, (ast.Var, ast.Wildcard)):
                    _check_term(arg, bound, level_vars, out, context="atom", rel=literal.rel)
        elif isinstance(literal, ast.Negation):
            for arg in literal.atom.args:
                if isinstance(arg, ast.Var) and arg.name not in bound:
                    out.append(
                        Finding(
                            arg.span,
                            f"variable {arg.name} occurs in the negation of {literal.atom.rel} "
                            "but in no positive atom; bind it in a positive atom or "
                            "replace it with _",
                            arg.name,
                        )
                    )
                elif not isinstance(arg, (ast.Var, ast.Wildcard)):
                    _check_term(
                        arg, bound, level_vars, out, context="negation", rel=literal.atom.rel
                    )
        elif isinstance(literal, ast.Comparison):
            for side in (literal.left, literal.right):
                _check_term(side, bound, level_vars, out, context="comparison", rel="")
        elif isinstance(literal, ast.Constraint):
            for arg in literal.args:
                _check_term(arg, bound, level_vars, out, context=literal.name, rel="")


def _check_term(
    term: ast.Term,
    bound: set[str],
    level_vars: set[str],
    out: list[Finding],
    *,
    context: str,
    rel: str,
) -> None:
    if isinstance(term, ast.Var):
        if term.name not in bound:
            out.append(Finding(term.span, _message(term.name, context, rel), term.name))
    elif isinstance(term, ast.Wildcard):
        # Plain `_` arguments of atoms never get here; everywhere else `_` is read.
        out.append(
            Finding(
                term.span,
                "'_' has no value and cannot be used in an expression or comparison; "
                "use a variable bound in a positive atom",
            )
        )
    elif isinstance(term, ast.Aggregate):
        _check_aggregate(term, bound, level_vars, out)
    else:
        for child in _children(term):
            _check_term(child, bound, level_vars, out, context=context, rel=rel)


def _message(name: str, context: str, rel: str) -> str:
    if context == "head":
        return (
            f"variable {name} in the head of {rel} is not bound in the body; "
            "use it in a positive atom of the body"
        )
    if context in ("atom", "negation"):
        return (
            f"variable {name} in an expression argument of {rel} is not bound; arithmetic "
            f"inside an atom binds nothing, so bind {name} in a positive atom first"
        )
    if context == "comparison":
        return (
            f"variable {name} in a comparison is not bound; bind it in a positive atom "
            f"(or set it with {name} = <expression of bound variables>)"
        )
    return f"variable {name} in {context}(...) is not bound; bind it in a positive atom"


def _check_aggregate(
    agg: ast.Aggregate, bound: set[str], level_vars: set[str], out: list[Finding]
) -> None:
    shared = _aggregate_vars(agg) & level_vars
    for name in sorted(shared - bound):
        span = _first_use(agg, name)
        out.append(
            Finding(
                span,
                f"variable {name} is used inside the {agg.func} aggregate and outside it but "
                "is not bound outside it; bind it in a positive atom of the rule body",
                name,
            )
        )
    inner_vars = _vars_outside_aggregates(agg.body, (agg.target,) if agg.target else ())
    inner_bound = _bound(agg.body, shared & bound, inner_vars)
    _check_level(agg.body, inner_bound, inner_vars, out)
    if agg.target is not None:
        for var in _plain_vars(agg.target):
            if var.name not in inner_bound:
                out.append(
                    Finding(
                        var.span,
                        f"{agg.func} target variable {var.name} is not bound inside the "
                        "aggregate; use it in an atom of the aggregate body",
                        var.name,
                    )
                )


def _plain_vars(term: ast.Term) -> Iterator[ast.Var]:
    if isinstance(term, ast.Var):
        yield term
    for child in _children(term):
        yield from _plain_vars(child)


def _first_use(agg: ast.Aggregate, name: str) -> ast.Span:
    for var in _all_vars_in_aggregate(agg):
        if var.name == name:
            return var.span
    return agg.span


# ----------------------------------------------------------------------------- variables


def _vars_outside_aggregates(
    literals: Sequence[ast.Literal], extra_terms: Sequence[ast.Term]
) -> set[str]:
    names: set[str] = set()
    terms: list[ast.Term] = list(extra_terms)
    for literal in literals:
        terms.extend(_literal_terms(literal))
    for term in terms:
        names.update(v.name for v in _vars_outside(term))
    return names


def _literal_terms(literal: ast.Literal) -> tuple[ast.Term, ...]:
    if isinstance(literal, ast.Atom):
        return literal.args
    if isinstance(literal, ast.Negation):
        return literal.atom.args
    if isinstance(literal, ast.Comparison):
        return (literal.left, literal.right)
    if isinstance(literal, ast.Constraint):
        return literal.args
    return ()


def _vars_outside(term: ast.Term) -> Iterator[ast.Var]:
    if isinstance(term, ast.Var):
        yield term
    elif not isinstance(term, ast.Aggregate):
        for child in _children(term):
            yield from _vars_outside(child)


def _aggregate_vars(agg: ast.Aggregate) -> set[str]:
    return {v.name for v in _all_vars_in_aggregate(agg)}


def _all_vars_in_aggregate(agg: ast.Aggregate) -> Iterator[ast.Var]:
    terms: list[ast.Term] = [agg.target] if agg.target is not None else []
    for literal in agg.body:
        terms.extend(_literal_terms(literal))
    for term in terms:
        yield from _all_vars(term)


def _all_vars(term: ast.Term) -> Iterator[ast.Var]:
    if isinstance(term, ast.Var):
        yield term
    elif isinstance(term, ast.Aggregate):
        yield from _all_vars_in_aggregate(term)
    else:
        for child in _children(term):
            yield from _all_vars(child)
