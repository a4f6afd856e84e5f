"""Relation signatures: type names resolved to base types; declared, input, inferred relations."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator, Mapping, Sequence

from deniable.rules import ast
from deniable.rules.report import _Report
from deniable.rules.typecheck import BASE_TYPES, ClauseTypes, Signature

#: A relation that exists outside the program: base types, or (attribute, type) pairs.
InputSchema = Mapping[str, Sequence[str] | Sequence[tuple[str, str]]]


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


def _did_you_mean(name: str, known: Iterable[str]) -> str:
    """``"did you mean X? "`` when ``name`` looks like a typo of a known name, else ""."""
    close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.75)
    return f"did you mean {close[0]}? If not, " if close else ""
