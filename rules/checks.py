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

import difflib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path

from deniable.errors import Diagnostic, RuleError, caret_context
from deniable.rules import ast
from deniable.rules.checked import CheckedProgram, RelationInfo
from deniable.rules.safety import check_safety
from deniable.rules.strata import stratify
from deniable.rules.typecheck import BASE_TYPES, ClauseTypes, Signature, check_ground_fact

#: Deepest nesting of terms and aggregates a clause may have (recursive passes stay safe).
MAX_DEPTH = 200

#: A relation that exists outside the program: base types, or (attribute, type) pairs.
InputSchema = Mapping[str, Sequence[str] | Sequence[tuple[str, str]]]


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


# ----------------------------------------------------------------------------- reporting


class _Report:
    """Collects diagnostics and fills in their caret context from the source."""

    def __init__(self, program: ast.Program) -> None:
        self.program = program
        self.diagnostics: list[Diagnostic] = []
        self._files: dict[str, list[str] | None] = {}

    def error(self, code: str, message: str, span: ast.Span) -> None:
        self.diagnostics.append(Diagnostic(code, message, span.location, "error", self._ctx(span)))

    def warning(self, code: str, message: str, span: ast.Span) -> None:
        self.diagnostics.append(
            Diagnostic(code, message, span.location, "warning", self._ctx(span))
        )

    def finished(self) -> list[Diagnostic]:
        seen: set[tuple[str, str, object]] = set()
        out = []
        for d in self.diagnostics:
            key = (d.code, d.message, d.location)
            if key in seen:  # one source rule expanded into several clauses
                continue
            seen.add(key)
            if not d.context and d.location is not None and d.location.line > 0:
                span = ast.Span(d.location.path, d.location.line, d.location.column)
                d = Diagnostic(d.code, d.message, d.location, d.severity, self._ctx(span))
            out.append(d)
        return sorted(out, key=lambda d: _sort_key(d))

    def _ctx(self, span: ast.Span) -> str:
        if span.line <= 0:
            return ""
        line = self._line(span.path, span.line)
        if line is None:
            return ""
        width = span.end_column - span.column if span.end_line == span.line else 1
        return caret_context(line, span.column, max(width, 1))

    def _line(self, path: str, number: int) -> str | None:
        if path not in self._files:
            self._files[path] = _read_lines(path)
        lines = self._files[path]
        if lines is not None and number <= len(lines):
            return lines[number - 1]
        return self._line_from_clauses(path, number)

    def _line_from_clauses(self, path: str, number: int) -> str | None:
        # Text given to parse() has no file: rebuild the line from the clause text.
        for clause in self.program.clauses:
            origin = clause.origin
            if origin.path != path or not origin.line <= number <= origin.end_line:
                continue
            lines = clause.text.split("\n")
            offset = number - origin.line
            if offset >= len(lines):
                return None
            prefix = " " * (origin.column - 1) if offset == 0 else ""
            return prefix + lines[offset]
        return None


def _read_lines(path: str) -> list[str] | None:
    if path.startswith("<"):
        return None
    try:
        return Path(path).read_text(encoding="utf-8").split("\n")
    except (OSError, UnicodeDecodeError):
        return None


def _sort_key(d: Diagnostic) -> tuple[str, int, int, int]:
    loc = d.location
    if loc is None:
        return ("", 0, 0, 0)
    return (loc.path, loc.line, loc.column, 0 if d.severity == "error" else 1)


# ----------------------------------------------------------------------------- types


def _resolve_types(program: ast.Program, report: _Report) -> dict[str, str]:
    """Map every type name (base and user-declared) to its base type."""
    declared = {t.name: t for t in program.types}
    resolved: dict[str, str] = {b: b for b in BASE_TYPES}
    seen: set[str] = set()
    for type_decl in program.types:
        if type_decl.name in seen or type_decl.name in BASE_TYPES:
            report.error(
                "duplicate_declaration",
                f"type {type_decl.name} is declared more than once; keep one .type",
                type_decl.span,
            )
            continue
        seen.add(type_decl.name)

    def base_of(name: str, trail: tuple[str, ...]) -> str | None:
        if name in resolved:
            return resolved[name]
        if name not in declared or name in trail:
            return None
        bases = {base_of(b, (*trail, name)) for b in declared[name].bases}
        if len(bases) != 1 or None in bases:
            return None
        (base,) = bases
        resolved[name] = base  # type: ignore[assignment]
        return base

    for type_decl in program.types:
        for member in type_decl.bases:
            if member not in declared and member not in BASE_TYPES:
                report.error(
                    "unknown_type",
                    f"unknown type {member} in .type {type_decl.name}; use symbol, number, "
                    "unsigned, float or a type declared with .type",
                    type_decl.span,
                )
        if base_of(type_decl.name, ()) is None and all(
            m in declared or m in BASE_TYPES for m in type_decl.bases
        ):
            bases = sorted({base_of(m, (type_decl.name,)) or "?" for m in type_decl.bases})
            report.error(
                "type_mismatch",
                f"the members of type {type_decl.name} have different base types "
                f"({', '.join(bases)}) or form a cycle; a union must join types of one base",
                type_decl.span,
            )
    return resolved


def _signatures(
    program: ast.Program, types: dict[str, str], inputs: InputSchema, report: _Report
) -> dict[str, Signature]:
    signatures: dict[str, Signature] = {}
    for decl in program.decls:
        if decl.name in signatures:
            first = signatures[decl.name].span
            report.error(
                "duplicate_declaration",
                f"relation {decl.name} is declared twice (first at line {first.line}); "
                "remove one .decl",
                decl.span,
            )
            continue
        bases: list[str | None] = []
        for attr in decl.attributes:
            base = types.get(attr.type)
            if base is None:
                report.error(
                    "unknown_type",
                    f"unknown type {attr.type} for attribute {attr.name} of {decl.name}; "
                    f"{_did_you_mean(attr.type, types)}"
                    "use symbol, number, unsigned, float or declare it with .type",
                    attr.span,
                )
            bases.append(base)
        signatures[decl.name] = Signature(
            decl.name,
            tuple(a.name for a in decl.attributes),
            tuple(bases),
            tuple(a.type for a in decl.attributes),
            decl.span,
            "decl",
        )
    for name, schema in inputs.items():
        attrs, bases_in = _input_columns(schema)
        existing = signatures.get(name)
        if existing is None:
            signatures[name] = Signature(name, attrs, bases_in, bases_in, ast.NO_SPAN, "input")
            continue
        if existing.arity != len(bases_in):
            report.error(
                "arity_mismatch",
                f"relation {name} is declared with {existing.arity} attributes but the fact "
                f"store provides {len(bases_in)}; declare it as {name}"
                f"({', '.join(f'{a}: {t}' for a, t in zip(attrs, bases_in, strict=True))})",
                existing.span,
            )
        elif any(a is not None and a != b for a, b in zip(existing.types, bases_in, strict=True)):
            report.error(
                "type_mismatch",
                f"relation {name} is declared with types ({', '.join(map(str, existing.types))}) "
                f"but the fact store provides ({', '.join(bases_in)}); use the store's types",
                existing.span,
            )
        signatures[name] = Signature(
            name,
            existing.attributes,
            existing.types,
            existing.declared_types,
            existing.span,
            "both",
        )
    return signatures


def _input_columns(
    schema: Sequence[str] | Sequence[tuple[str, str]],
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    attrs: list[str] = []
    bases: list[str] = []
    for i, column in enumerate(schema):
        # A type may come as a BaseType enum member; its value is the type name.
        if isinstance(column, str):
            attrs.append(f"c{i}")
            bases.append(str(getattr(column, "value", column)))
        else:
            attrs.append(str(column[0]))
            bases.append(str(getattr(column[1], "value", column[1])))
    return tuple(attrs), tuple(bases)


def _infer_signatures(program: ast.Program, signatures: dict[str, Signature]) -> None:
    """Declare relations used without a ``.decl``: arity from first use, types by propagation."""
    inferred: dict[str, Signature] = {}
    for clause in program.clauses:
        for atom, _kind in _atoms(clause):
            if atom.rel not in signatures and atom.rel not in inferred:
                inferred[atom.rel] = Signature(
                    atom.rel,
                    tuple(f"c{i}" for i in range(len(atom.args))),
                    (None,) * len(atom.args),
                    (),
                    atom.span,
                    "inferred",
                )
    if not inferred:
        return
    signatures.update(inferred)
    columns: dict[tuple[str, int], str] = {}
    for _round in range(1 + sum(s.arity for s in inferred.values())):
        changed = False
        for clause in program.clauses:
            types = ClauseTypes(clause, signatures, report=None)
            for atom, _kind in _atoms(clause):
                sig = inferred.get(atom.rel)
                if sig is None or sig.arity != len(atom.args):
                    continue
                for i, arg in enumerate(atom.args):
                    if (atom.rel, i) in columns:
                        continue
                    found = types.type_of(arg)
                    if found is not None:
                        columns[(atom.rel, i)] = "number" if found == "?num" else found
                        changed = True
        for name, sig in inferred.items():
            signatures[name] = sig.with_types(
                tuple(columns.get((name, i)) for i in range(sig.arity))
            )
        if not changed:
            break
    for name, sig in inferred.items():
        final = tuple(columns.get((name, i), "symbol") for i in range(sig.arity))
        signatures[name] = sig.with_types(final, declared=final)


# ----------------------------------------------------------------------------- clauses


def _atoms(clause: ast.Clause) -> Iterator[tuple[ast.Atom, str]]:
    """Every atom of a clause with its role: head, positive, negative (aggregates included)."""
    yield clause.head, "head"
    for term in clause.head.args:
        yield from _term_atoms(term)
    yield from _literal_atoms(clause.body)


def _literal_atoms(literals: Sequence[ast.Literal]) -> Iterator[tuple[ast.Atom, str]]:
    for literal in literals:
        if isinstance(literal, ast.Atom):
            yield literal, "positive"
            for term in literal.args:
                yield from _term_atoms(term)
        elif isinstance(literal, ast.Negation):
            yield literal.atom, "negative"
        elif isinstance(literal, ast.Comparison):
            yield from _term_atoms(literal.left)
            yield from _term_atoms(literal.right)


def _term_atoms(term: ast.Term) -> Iterator[tuple[ast.Atom, str]]:
    if isinstance(term, ast.Aggregate):
        yield from _literal_atoms(term.body)
    elif isinstance(term, ast.BinOp):
        yield from _term_atoms(term.left)
        yield from _term_atoms(term.right)
    elif isinstance(term, ast.UnOp):
        yield from _term_atoms(term.operand)
    elif isinstance(term, ast.Call):
        for arg in term.args:
            yield from _term_atoms(arg)


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


def _did_you_mean(name: str, known: Iterable[str]) -> str:
    """``"did you mean X? "`` when ``name`` looks like a typo of a known name, else ""."""
    close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.75)
    return f"did you mean {close[0]}? If not, " if close else ""


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
