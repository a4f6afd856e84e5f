"""Conjunctive questions: a rule body asked as a query, answered with each variable's bindings.

``?- met(a, b), called(a, b), a != b.`` is checked and compiled as the rule
``_goal(a, b) :- met(a, b), called(a, b), a != b.`` over the relations the store
holds now (its views and the tables of the last ``derive``), like SWI-Prolog's
top level: one column per named variable, in order of first appearance.  The
head is never materialised, so a read-only store answers too.

>>> goal_variables(parse_question("?- met(a, b), !called(b, c), c = a.").alternatives)
('a', 'b', 'c')
"""

from __future__ import annotations

import dataclasses
import difflib
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from deniable.errors import DeniableError, Diagnostic, Location, RuleError, caret_context
from deniable.facts.store import FactStore
from deniable.rules import ast

__all__ = ["GOAL_RELATION", "Question", "answer_question", "goal_variables", "parse_question"]

#: The head a question is checked under; never written to the store.
GOAL_RELATION = "_goal"
#: Where a question typed on the command line is said to be, in error messages.
QUERY_PATH = "<query>"
_BASE_TYPES = {"TEXT": "symbol", "INTEGER": "number", "REAL": "float"}


@dataclass(frozen=True, slots=True)
class Question:
    """A parsed question: its text as typed and the alternatives of its body (``;``)."""

    text: str
    alternatives: tuple[tuple[ast.Literal, ...], ...]

    @property
    def single_atom(self) -> ast.Atom | None:
        """The atom when the question is one positive atom (answered the older way)."""
        if len(self.alternatives) == 1 and len(self.alternatives[0]) == 1:
            only = self.alternatives[0][0]
            if isinstance(only, ast.Atom):
                return only
        return None

    def atoms(self) -> list[ast.Atom]:
        """Every atom the body reads (positive, negated, inside aggregates), in order."""
        return [n for n in _nodes(lit for alt in self.alternatives for lit in alt)
                if isinstance(n, ast.Atom)]  # fmt: skip


def parse_question(text: str) -> Question:
    """Parse ``?- body.`` (the ``?-`` and the ``.`` are optional).

    Raises:
        RuleError: a syntax error, with a caret in ``text`` as typed.
    """
    from deniable.rules.parser import parse_goal

    return Question(text, tuple(parse_goal(text, QUERY_PATH)))


def goal_variables(alternatives: Sequence[Sequence[ast.Literal]]) -> tuple[str, ...]:
    """The named variables every alternative binds, in order of first appearance.

    Variables local to an aggregate's body are not answers; nor is ``_``.
    """
    per_alternative = [
        list(dict.fromkeys(n.name for n in _nodes(alt, shallow=True) if isinstance(n, ast.Var)))
        for alt in alternatives
    ]
    if not per_alternative:
        return ()
    shared = set(per_alternative[0]).intersection(*per_alternative[1:])
    return tuple(name for name in per_alternative[0] if name in shared)


def answer_question(
    store: FactStore,
    question: Question,
    *,
    rules_dirs: Sequence[Path] = (),
    cwd_rules: bool = True,
) -> tuple[tuple[str, ...], list[tuple[Any, ...]]]:
    """The variables of ``question`` and the distinct, sorted rows of their values.

    Raises:
        DeniableError: a relation is unknown, or derived by rules but not derived yet.
        RuleError: the body does not check (arity, types, an unbound variable).
    """
    from deniable.rules.checks import check
    from deniable.rules.engines.sqlite import select_heads

    inputs = _available(store)
    for atom in question.atoms():
        if atom.rel not in inputs:
            raise _unknown(store, atom, question.text, rules_dirs, cwd_rules, set(inputs))
    names = goal_variables(question.alternatives)
    # Each head variable carries the span of its first use: a diagnostic about it
    # (say, bound only under a negation) then points into the question as typed.
    first: dict[str, Any] = {}
    for node in _nodes(question.alternatives[0]):
        if isinstance(node, ast.Var):
            first.setdefault(node.name, node.span)
    head = ast.Atom(GOAL_RELATION, tuple(ast.Var(n, first[n]) for n in names), _first_span(()))
    clauses = tuple(
        ast.Clause(head, tuple(body), i, _first_span(body), _first_span(body), question.text)
        for i, body in enumerate(question.alternatives)
    )
    try:
        checked = check(ast.Program(clauses=clauses), inputs=inputs, infer_decls=True)
    except RuleError as error:
        raise RuleError([_in_question(d, question.text) for d in error.diagnostics]) from None
    return names, select_heads(store.db, checked)


def _nodes(literals: Iterable[Any], *, shallow: bool = False) -> Iterator[Any]:
    """Literals and terms depth first, left to right (not into aggregates when ``shallow``)."""
    for node in literals:
        yield node
        if isinstance(node, (ast.Atom, ast.Call, ast.Constraint)):
            yield from _nodes(node.args, shallow=shallow)
        elif isinstance(node, ast.Negation):
            yield from _nodes([node.atom], shallow=shallow)
        elif isinstance(node, (ast.Comparison, ast.BinOp)):
            yield from _nodes([node.left, node.right], shallow=shallow)
        elif isinstance(node, ast.UnOp):
            yield from _nodes([node.operand], shallow=shallow)
        elif isinstance(node, ast.Aggregate) and not shallow:
            target = () if node.target is None else (node.target,)
            yield from _nodes([*node.body, *target], shallow=shallow)


def _available(store: FactStore) -> dict[str, tuple[tuple[str, str], ...]]:
    """Relations with rows in the store now: its views, derive's inputs, derived tables."""
    from deniable.rules.workbench import PREPARED_INPUTS, store_inputs

    inputs = {
        name: columns
        for name, columns in store_inputs(store).items()
        if name not in PREPARED_INPUTS or store.db[name].exists()
    }
    for name in store.derived_tables():
        if store.db[name].exists():
            inputs[name] = tuple(
                (c.name, _BASE_TYPES.get(str(c.type).upper(), "symbol"))
                for c in store.db[name].columns
                if c.name not in ("_rule", "_height")
            )
    return inputs


def _first_span(body: Sequence[ast.Literal]) -> ast.Span:
    span = getattr(body[0], "span", None) if body else None
    return span if isinstance(span, ast.Span) else ast.Span(QUERY_PATH, 1, 1, 1, 1)


def _in_question(d: Diagnostic, text: str) -> Diagnostic:
    """A diagnostic about the hidden head, reworded for the question typed."""
    message = re.sub(rf" (?:in|of) the head(?: of {GOAL_RELATION})?", "", d.message)
    message = message.replace(f"relation {GOAL_RELATION}", "the question")
    return dataclasses.replace(
        d, message=message, location=d.location or Location(QUERY_PATH, 1, 1)
    )


def _unknown(
    store: FactStore,
    atom: ast.Atom,
    text: str,
    rules_dirs: Sequence[Path],
    cwd_rules: bool,
    known: set[str],
) -> DeniableError:
    from deniable.rules.workbench import load_store_program

    # Broken rules are the likelier reason for a missing relation: say so.
    program = load_store_program(store, rules_dirs, cwd_rules=cwd_rules)
    if atom.rel in program.idb:
        message = (
            f"{atom.rel} is derived by rules but is not in the store yet; "
            "run `deniable derive` first"
        )
    else:
        close = difflib.get_close_matches(atom.rel, sorted(known | set(program.idb)), n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        message = f"unknown relation {atom.rel}{hint}"
    lines = text.splitlines() or [""]
    line = atom.span.line if 0 < atom.span.line <= len(lines) else 1
    column = max(atom.span.column, 1)
    return DeniableError(
        message,
        Location(QUERY_PATH, line, column),
        code="query",
        context=caret_context(lines[line - 1], column, max(len(atom.rel), 1)),
    )
