"""Static checks of a rule program: declarations, arities, types, safety, stratification.

:func:`check` runs every check, collects all diagnostics sorted by location and
either raises one :class:`~deniable.errors.RuleError` with every error or
returns the :class:`~deniable.rules.checked.CheckedProgram` an engine needs.

>>> from deniable.rules.parser import parse
>>> checked = check(parse(".decl e(a: symbol, b: symbol) e(\\"x\\", \\"y\\")."))
>>> checked.relations["e"].types
('symbol', 'symbol')
"""

from __future__ import annotations

from deniable.errors import RuleError
from deniable.rules import ast
from deniable.rules.checked import CheckedProgram, RelationInfo
from deniable.rules.report import _Report
from deniable.rules.safety import check_safety
from deniable.rules.signatures import (
    InputSchema,
    _atoms,
    _did_you_mean,
    _infer_signatures,
    _resolve_types,
    _signatures,
)
from deniable.rules.strata import stratify
from deniable.rules.typecheck import ClauseTypes, Signature, check_ground_fact

#: Deepest nesting of terms and aggregates a clause may have (recursive passes stay safe).
MAX_DEPTH = 200


def check(
    program: ast.Program,
    *,
    inputs: InputSchema | None = None,
    infer_decls: bool = False,
) -> CheckedProgram:
    """Check ``program`` and return it ready for an engine.

    Args:
        program: the parsed program.
        inputs: relations that exist outside the program (the fact store's views or
            a test's facts); they count as declared and are inputs.
        infer_decls: infer a missing ``.decl`` from how the relation is used
            (types flow from constants and through variables; default ``symbol``)
            instead of reporting ``undeclared_relation``.

    Raises:
        RuleError: every error found, sorted by location.
    """
    report = _Report(program)
    for clause in program.clauses:
        if _depth(clause) > MAX_DEPTH:
            report.error(
                "too_deep",
                f"this rule nests expressions more than {MAX_DEPTH} levels deep; split them "
                "with helper variables (x1 = ..., x2 = x1 + ...)",
                clause.span,
            )
    if report.diagnostics:
        # Every later pass walks terms recursively; refuse before any of them runs.
        raise RuleError(report.finished())
    types = _resolve_types(program, report)
    signatures = _signatures(program, types, inputs or {}, report)
    if infer_decls:
        _infer_signatures(program, signatures)
    suggestions = _Suggestions(program, signatures)
    undeclared: set[str] = set()
    for clause in program.clauses:
        try:
            _check_clause(clause, signatures, report, suggestions, undeclared)
        except RecursionError:
            report.error(
                "too_deep",
                "this rule is nested too deeply to analyse; split its expressions with "
                "helper variables",
                clause.span,
            )
    if any(d.code == "too_deep" for d in report.diagnostics):
        # Stratification would walk the same deep terms; the program is refused anyway.
        raise RuleError([d for d in report.finished() if d.severity == "error"])
    directives = _check_directives(program, signatures, report)
    strata = stratify(program.clauses, diagnostics=report.diagnostics)
    _warn_unused(program, signatures, inputs or {}, report)
    errors = [d for d in report.finished() if d.severity == "error"]
    if errors:
        raise RuleError(errors)
    return CheckedProgram(
        program=program,
        relations=_relation_infos(program, signatures),
        clauses=program.clauses,
        strata=strata,
        directives=directives,
        warnings=tuple(d for d in report.finished() if d.severity == "warning"),
    )


def _depth(clause: ast.Clause) -> int:
    """Nesting depth of a clause's terms, computed without recursion."""
    stack: list[tuple[object, int]] = [(a, 1) for a in clause.head.args]
    stack += [(lit, 1) for lit in clause.body]
    deepest = 0
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        if deepest > MAX_DEPTH:
            break
        children: tuple[object, ...] = ()
        if isinstance(node, ast.Atom):
            children = node.args
        elif isinstance(node, ast.Negation):
            children = (node.atom,)
        elif isinstance(node, (ast.Comparison, ast.BinOp)):
            children = (node.left, node.right)
        elif isinstance(node, ast.UnOp):
            children = (node.operand,)
        elif isinstance(node, (ast.Call, ast.Constraint)):
            children = node.args
        elif isinstance(node, ast.Aggregate):
            children = (*node.body, *([node.target] if node.target is not None else []))
        stack += [(child, depth + 1) for child in children]
    return deepest


# ----------------------------------------------------------------------------- clauses


def _check_clause(
    clause: ast.Clause,
    signatures: dict[str, Signature],
    report: _Report,
    suggestions: _Suggestions,
    undeclared: set[str],
) -> None:
    head = clause.head
    if not clause.body and all(isinstance(a, (ast.Str, ast.Num)) for a in head.args):
        sig = signatures.get(head.rel)
        if sig is not None and sig.arity == len(head.args):
            check_ground_fact(head, sig, report.error)
            return
    known: dict[str, Signature] = {}
    for atom, _kind in _atoms(clause):
        sig = signatures.get(atom.rel)
        if sig is None:
            if atom.rel not in undeclared:  # once per relation: the first use says it all
                undeclared.add(atom.rel)
                report.error(
                    "undeclared_relation",
                    f"relation {atom.rel} is not declared; "
                    f"{_did_you_mean(atom.rel, signatures)}add "
                    f"{_suggest_decl(atom, suggestions.get(atom.rel))}",
                    _name_span(atom),
                )
            continue
        if sig.arity != len(atom.args):
            where = f" (declared at line {sig.span.line})" if sig.span.line > 0 else ""
            report.error(
                "arity_mismatch",
                f"{atom.rel} takes {sig.arity} argument{'s' if sig.arity != 1 else ''}"
                f"{where} but is used with {len(atom.args)}; "
                f"write {atom.rel}({', '.join(sig.attributes)})",
                atom.span,
            )
            continue
        known[atom.rel] = sig
    for finding in check_safety(clause):
        report.error("unbound_variable", finding.message, finding.span)
    ClauseTypes(clause, known, report=report.error).check()


class _Suggestions:
    """Inferred signatures, computed on first need, to suggest a missing .decl."""

    def __init__(self, program: ast.Program, signatures: dict[str, Signature]) -> None:
        self._program = program
        self._signatures = signatures
        self._inferred: dict[str, Signature] | None = None

    def get(self, rel: str) -> Signature | None:
        if self._inferred is None:
            self._inferred = dict(self._signatures)
            _infer_signatures(self._program, self._inferred)
        return self._inferred.get(rel)


def _suggest_decl(atom: ast.Atom, sig: Signature | None) -> str:
    types = sig.types if sig is not None and sig.arity == len(atom.args) else ()
    names: list[str] = []
    for i, arg in enumerate(atom.args):
        name = arg.name if isinstance(arg, ast.Var) and arg.name.isidentifier() else f"x{i}"
        names.append(name if name not in names else f"x{i}")
    attrs = ", ".join(
        f"{name}: {types[i] if i < len(types) and types[i] else 'symbol'}"
        for i, name in enumerate(names)
    )
    return f".decl {atom.rel}({attrs})"


def _name_span(atom: ast.Atom) -> ast.Span:
    span = atom.span
    return ast.Span(span.path, span.line, span.column, span.line, span.column + len(atom.rel))


def _check_directives(
    program: ast.Program, signatures: dict[str, Signature], report: _Report
) -> tuple[ast.Directive, ...]:
    kept = []
    for directive in program.directives:
        if directive.kind == "pragma":
            key = directive.params[0][0] if directive.params else ""
            report.warning(
                "pragma_ignored",
                f".pragma {key!r} is ignored by deniable; remove it to silence this warning",
                directive.span,
            )
            continue
        if directive.rel not in signatures:
            report.error(
                "undeclared_relation",
                f"relation {directive.rel} in .{directive.kind} is not declared; "
                f"{_did_you_mean(directive.rel, signatures)}add .decl {directive.rel}(...)",
                ast.Span(
                    directive.span.path,
                    directive.span.line,
                    directive.span.column,
                    directive.span.line,
                    directive.span.column + len(directive.rel),
                ),
            )
            continue
        kept.append(directive)
    return tuple(kept)


def _warn_unused(
    program: ast.Program,
    signatures: dict[str, Signature],
    inputs: InputSchema,
    report: _Report,
) -> None:
    defined = {c.head.rel for c in program.clauses}
    used: dict[str, ast.Atom] = {}
    for clause in program.clauses:
        for atom, kind in _atoms(clause):
            if kind != "head":
                used.setdefault(atom.rel, atom)
    declared_input = {d.rel for d in program.directives if d.kind == "input"}
    for decl in program.decls:
        if decl.name not in defined and decl.name not in used:
            report.warning(
                "unused_relation",
                f"relation {decl.name} is declared but never used in a rule or fact; "
                "remove the .decl or use it",
                ast.Span(
                    decl.span.path,
                    decl.span.line,
                    decl.span.column,
                    decl.span.line,
                    decl.span.column + len(decl.name),
                ),
            )
    for name, atom in used.items():
        if name in defined or name in declared_input or name in inputs or name not in signatures:
            continue
        report.warning(
            "undefined_relation",
            f"relation {name} has no facts or rules and is not an input, so it is always "
            f"empty; add facts, a rule, or .input {name}",
            _name_span(atom),
        )


def _relation_infos(
    program: ast.Program, signatures: dict[str, Signature]
) -> dict[str, RelationInfo]:
    defined = {c.head.rel for c in program.clauses}
    outputs = {d.rel for d in program.directives if d.kind == "output"}
    infos: dict[str, RelationInfo] = {}
    for name, sig in signatures.items():
        infos[name] = RelationInfo(
            name=name,
            attributes=sig.attributes,
            types=tuple(t or "symbol" for t in sig.types),
            declared_types=sig.declared_types or tuple(t or "symbol" for t in sig.types),
            is_input=name not in defined,
            is_output=name in outputs,
            span=sig.span if sig.span.line > 0 else None,
        )
    return infos
