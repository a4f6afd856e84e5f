"""Proof trees for derived rows, read from the ``_rule``/``_height`` provenance columns.

Nothing is re-run: the row's ``_rule`` names the clause that first derived it;
one SQL query binds the head to the row and finds body rows whose heights are
below the row's (Soufflé's provenance idea), and each of those is explained in
turn, down to input rows (leaves the fact store can attach evidence to) and
program facts.  Negations, comparisons and constraints the proof relies on are
listed as satisfied conditions of their node.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlglot import exp
from sqlite_utils import Database

from deniable.errors import EvaluationError
from deniable.rules.ast import (
    Aggregate,
    Atom,
    BinOp,
    BoolLit,
    Call,
    Clause,
    Comparison,
    Constraint,
    Literal,
    Negation,
    Num,
    Str,
    Term,
    UnOp,
    Var,
    Wildcard,
)
from deniable.rules.checked import CheckedProgram
from deniable.rules.dialects import SQLITE
from deniable.rules.engines.sqlite import matching_rows, register_functions, relation_schema
from deniable.rules.soufflio import format_value
from deniable.rules.sql import HEIGHT_COLUMN, RULE_COLUMN, Compiler, Schema, column, quote

#: Explanations deeper than this are cut off with a note.
MAX_DEPTH = 64
#: At most this many nodes per proof tree.
MAX_NODES = 2000


@dataclass(frozen=True, slots=True)
class ProofTree:
    """Why ``rel(row)`` holds.

    ``rule`` is the clause that derived the row (``None`` for an input row);
    ``bindings`` the values of the clause's variables; ``children`` the proofs of
    the positive body atoms in body order; ``leaf`` is true for input rows and
    program facts; ``conditions`` are the negations, comparisons and constraints
    the rule needed, with values filled in; ``note`` says what kind of node this
    is (``input``, ``fact``, ``rule``) or why it was cut short.
    """

    rel: str
    row: tuple[Any, ...]
    rule: Clause | None
    bindings: dict[str, Any] = field(default_factory=dict, hash=False)
    children: tuple[ProofTree, ...] = ()
    leaf: bool = False
    note: str = ""
    conditions: tuple[str, ...] = ()
    height: int = 0


@dataclass(slots=True)
class _Budget:
    nodes: int
    schema: Schema


def explain(
    db: Database,
    program: CheckedProgram,
    rel: str,
    row: tuple[Any, ...],
    *,
    max_depth: int = MAX_DEPTH,
    max_nodes: int = MAX_NODES,
) -> ProofTree:
    """Explain one row of a derived (or input) relation as a proof tree.

    Raises:
        EvaluationError: the row is not in the derived table (derive first).
    """
    register_functions(db.conn)
    budget = _Budget(max_nodes, relation_schema(db, program))
    if rel in program.idb and _provenance(db, budget.schema, rel, row) is None:
        raise EvaluationError(f"{format_atom(rel, row)} is not derived; run derive first")
    return _node(db, program, rel, tuple(row), 0, max_depth, budget)


def explain_atom(
    db: Database, program: CheckedProgram, atom: Atom, *, limit: int = 10
) -> list[ProofTree]:
    """Explain every row (at most ``limit``, in sorted order) that matches ``atom``."""
    rows = matching_rows(db, program, atom, limit=limit)
    return [explain(db, program, atom.rel, row) for row in rows]


def _provenance(db: Database, schema: Schema, rel: str, row: tuple) -> tuple[int, int] | None:
    cols = schema.columns[rel]
    cond = " AND ".join(f"{quote(c)} = :v{i}" for i, c in enumerate(cols)) or "1"
    sql = (
        f"SELECT {quote(RULE_COLUMN)}, {quote(HEIGHT_COLUMN)} FROM {quote(rel)} "
        f"WHERE {cond} LIMIT 1"
    )
    found = db.execute(sql, {f"v{i}": v for i, v in enumerate(row)}).fetchone()
    return None if found is None else (int(found[0]), int(found[1]))


def _node(
    db: Database,
    program: CheckedProgram,
    rel: str,
    row: tuple,
    depth: int,
    max_depth: int,
    budget: _Budget,
) -> ProofTree:
    budget.nodes -= 1
    if rel not in program.idb:
        return ProofTree(rel, row, None, leaf=True, note="input")
    found = _provenance(db, budget.schema, rel, row)
    if found is None:
        return ProofTree(rel, row, None, leaf=True, note="missing")
    index, height = found
    try:
        clause = program.clause(index)
    except KeyError:
        return ProofTree(rel, row, None, leaf=True, note="input", height=height)
    if clause.is_fact:
        return ProofTree(rel, row, clause, leaf=True, note="fact", height=height)
    if depth >= max_depth or budget.nodes <= 0:
        return ProofTree(rel, row, clause, note="proof cut short (size limit)", height=height)
    witness = _witness(db, budget.schema, clause, row, height)
    if witness is None:
        return ProofTree(rel, row, clause, note="no witness found", height=height)
    bindings, child_rows = witness
    children = tuple(
        _node(db, program, atom.rel, child, depth + 1, max_depth, budget)
        for atom, child in child_rows
    )
    conditions = tuple(
        format_literal(lit, bindings) for lit in clause.body if not isinstance(lit, Atom)
    )
    return ProofTree(rel, row, clause, bindings, children, False, "rule", conditions, height)


def _witness(
    db: Database, schema: Schema, clause: Clause, row: tuple, height: int
) -> tuple[dict[str, Any], list[tuple[Atom, tuple]]] | None:
    comp = Compiler(schema, clause)
    body = comp.body(clause.body)
    types = schema.types.get(clause.head.rel, ())
    for j, arg in enumerate(clause.head.args):
        typ = types[j] if j < len(types) else None
        value = comp.term(arg, body, typ)[0]
        body.where.append(exp.EQ(this=value, expression=comp.param(row[j])))
    picked: list[exp.Expr] = []
    for atom, alias in body.atoms:
        cols = comp.columns(atom.rel, len(atom.args))
        picked += [column(alias, c) for c in cols]
        if atom.rel in schema.derived:
            level = column(alias, HEIGHT_COLUMN)
            body.where.append(exp.LT(this=level, expression=comp.param(height)))
    names = [n for n in body.env if _plain(n)]
    # The shallowest witness first (the most readable proof), then a stable order.
    keys: list[exp.Expr] = [exp.Literal.number(i + 1) for i in range(len(picked))]
    if any(atom.rel in schema.derived for atom, _ in body.atoms):
        keys.insert(0, comp.height(body))
    picked += [body.value(n) for n in names]
    query = body.select(*picked)
    if keys:
        query.order_by(*keys, copy=False)
    sql = SQLITE.render(query.limit(1, copy=False))
    found = db.execute(sql, comp.params).fetchone()
    if found is None:
        return None
    values = list(found)
    child_rows = []
    for atom, _alias in body.atoms:
        child_rows.append((atom, tuple(values[: len(atom.args)])))
        del values[: len(atom.args)]
    return dict(zip(names, values, strict=False)), child_rows


def _plain(name: str) -> bool:
    return not name.startswith("_")


# ----------------------------------------------------------------------------- text


def format_value_text(value: Any) -> str:
    """A value written as a constant of the rule language."""
    if isinstance(value, str):
        escaped = value.replace("\\", "\\\\").replace('"', '\\"')
        escaped = escaped.replace("\n", "\\n").replace("\t", "\\t").replace("\x00", "\\0")
        return f'"{escaped}"'
    return format_value(value)


def format_atom(rel: str, row: tuple) -> str:
    """``rel(v1, v2)`` with values written as constants."""
    return f"{rel}({', '.join(format_value_text(v) for v in row)})"


def format_term(term: Term, bindings: dict[str, Any] | None = None) -> str:
    """A term as rule text; variables with a value in ``bindings`` show the value."""
    b = bindings or {}
    if isinstance(term, Var):
        return format_value_text(b[term.name]) if term.name in b else term.name
    if isinstance(term, Wildcard):
        return "_"
    if isinstance(term, Str):
        return format_value_text(term.value)
    if isinstance(term, Num):
        return format_value(term.value)
    if isinstance(term, BinOp):
        sep = f" {term.op} "
        return f"({format_term(term.left, b)}{sep}{format_term(term.right, b)})"
    if isinstance(term, UnOp):
        space = " " if term.op.isalpha() else ""
        return f"{term.op}{space}{format_term(term.operand, b)}"
    if isinstance(term, Call):
        return f"{term.name}({', '.join(format_term(a, b) for a in term.args)})"
    if isinstance(term, Aggregate):
        body = ", ".join(format_literal(lit) for lit in term.body)
        target = f" {format_term(term.target)}" if term.target is not None else ""
        return f"{term.func}{target} : {{ {body} }}"
    return "?"


def format_literal(lit: Literal, bindings: dict[str, Any] | None = None) -> str:
    """A body literal as rule text, with bound variables replaced by their values."""
    if isinstance(lit, Atom):
        return f"{lit.rel}({', '.join(format_term(a, bindings) for a in lit.args)})"
    if isinstance(lit, Negation):
        return f"!{format_literal(lit.atom, bindings)}"
    if isinstance(lit, Comparison):
        return f"{format_term(lit.left, bindings)} {lit.op} {format_term(lit.right, bindings)}"
    if isinstance(lit, Constraint):
        args = ", ".join(format_term(a, bindings) for a in lit.args)
        return f"{'!' if lit.negated else ''}{lit.name}({args})"
    if isinstance(lit, BoolLit):
        return "true" if lit.value else "false"
    return "?"


def format_clause(clause: Clause) -> str:
    """A clause as one line of rule text."""
    head = format_literal(clause.head)
    if clause.is_fact:
        return f"{head}."
    return f"{head} :- {', '.join(format_literal(lit) for lit in clause.body)}."


def format_proof(tree: ProofTree, indent: str = "") -> str:
    """Render a proof tree as indented text, one node per line (used by golden tests).

    >>> print(format_proof(ProofTree("edge", (1, 2), None, leaf=True, note="input")))
    edge(1, 2)  [input]
    """
    line = f"{indent}{format_atom(tree.rel, tree.row)}  "
    if tree.rule is None:
        line += f"[{tree.note}]"
    elif tree.leaf:
        line += f"[fact #{tree.rule.index}]"
    else:
        line += f"[rule #{tree.rule.index}: {format_clause(tree.rule)}]"
        if tree.note != "rule":
            line += f"  ({tree.note})"
    lines = [line]
    for condition in tree.conditions:
        lines.append(f"{indent}  where {condition}")
    lines.extend(format_proof(child, indent + "  ") for child in tree.children)
    return "\n".join(lines)
