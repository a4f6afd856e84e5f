"""The investigator's workbench: derive, query and explain conclusions over a fact store.

The CLI (``derive``, ``query``, ``why``), the REPL and the demo call these
functions; they glue the rule program (the standard library in ``rules/std``
plus the user's rules) to a :class:`~deniable.facts.store.FactStore` and one
engine.  Nothing here builds SQL: the store and the engines own the database.
``derive`` lives in :mod:`deniable.rules.store_derivation` and the rule program in
:mod:`deniable.rules.store_program`; their names are re-exported here.
"""

from __future__ import annotations

import contextlib
import difflib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from deniable.errors import (
    DeniableError,
    Location,
    RuleError,
    UsageError,
    caret_context,
)
from deniable.facts.store import FactStore
from deniable.rules.ast import Atom, Program
from deniable.rules.checked import CheckedProgram, RelationInfo
from deniable.rules.derive_summary import DeriveSummary
from deniable.rules.engines.base import Engine
from deniable.rules.evidence import (
    Explanations,
    Proof,
    evidence_of_fact,
    fact_proof,
    proof_evidence,
)
from deniable.rules.store_derivation import derive_store
from deniable.rules.store_program import (
    PREPARED_INPUTS,
    claim_words,
    load_store_program,
    prepare_inputs,
    rule_paths,
    standard_rule_files,
    store_inputs,
)

__all__ = [
    "PREPARED_INPUTS",
    "Answers",
    "DeriveSummary",
    "Explanations",
    "Proof",
    "claim_words",
    "constant_text",
    "derive_store",
    "evidence_of_fact",
    "explain_store",
    "load_store_program",
    "query_store",
    "rule_paths",
    "standard_rule_files",
    "store_inputs",
]

#: Where a query typed on the command line is said to be, in error messages.
QUERY_PATH = "<query>"
#: The bookkeeping columns engines add to every derived table.
_ENGINE_COLUMNS = frozenset({"_rule", "_height"})
_BASE_TYPES = {"TEXT": "symbol", "INTEGER": "number", "REAL": "float"}


# --------------------------------------------------------------------------- values


@dataclass(frozen=True, slots=True)
class Answers:
    """The rows of ``relation`` that match a query; ``columns`` are the query's variables."""

    relation: str
    columns: tuple[str, ...]
    rows: list[tuple[Any, ...]]


# --------------------------------------------------------------------------- query


def query_store(
    store: FactStore,
    atom_text: str,
    *,
    rules_dirs: Sequence[Path] = (),
    evaluate: bool = False,
    engine: str | Engine = "sql",
    cwd_rules: bool = True,
) -> Answers:
    """Answer one atom: constants filter, each variable becomes a column, ``_`` is ignored.

    The relation may be one the store offers (``called``, ``statement`` …) or one
    that ``deniable derive`` materialised.  Rows are distinct and sorted.

    Args:
        evaluate: answer relations that rules define from a fresh evaluation of the
            rules (rolled back afterwards, the store is not changed) instead of
            the tables of the last ``derive``; the REPL uses this for rules typed in.
        cwd_rules: read ``./rules/*.dl`` too (see :func:`rule_paths`).

    Raises:
        RuleError: the atom does not parse (one line with a caret).
        DeniableError: unknown relation, wrong number of arguments, or a derived
            relation that is not in the store yet ("run `deniable derive` first").
    """
    from deniable.rules.engines.sqlite import select_atom
    from deniable.rules.goals import answer_question, parse_question

    try:
        atom = _parse_query(atom_text)
    except RuleError:
        # Not one atom: a conjunction `met(a, b), called(a, b)` is answered as a rule body
        # (whose parser also words the syntax errors of both).
        question = parse_question(atom_text)
        names, rows = answer_question(store, question, rules_dirs=rules_dirs, cwd_rules=cwd_rules)
        return Answers(" ".join(atom_text.strip().removeprefix("?-").split()), names, rows)
    dirs = _RuleDirs(tuple(rules_dirs), cwd_rules)
    with _answering(store, atom, atom_text, dirs, evaluate, engine) as program:
        columns, found = select_atom(store.db, program, atom)
    return Answers(atom.rel, tuple(columns), list(found))


def _parse_query(atom_text: str) -> Atom:
    from deniable.rules.parser import parse_atom

    if not atom_text.strip().removeprefix("?-").strip().rstrip("."):
        raise UsageError("empty query; write an atom such as 'contact(a, b)'")
    # The text as typed, so that a caret lands under the right column.
    return parse_atom(atom_text)


class _Rollback(Exception):
    """Raised inside a scratch transaction to undo it."""


@contextlib.contextmanager
def _answering(
    store: FactStore,
    atom: Atom,
    atom_text: str,
    dirs: _RuleDirs,
    evaluate: bool,
    engine: str | Engine,
) -> Iterator[CheckedProgram]:
    """The program to select ``atom`` with, the relation checked to exist with its arity.

    With ``evaluate`` a relation defined by rules is evaluated first inside a
    transaction that is rolled back when the block ends.
    """
    rel = atom.rel
    if rel in store.relations():
        program = _one_relation(store, rel, list(store.relation_columns(rel)))
        _check_arity(program, atom, atom_text)
        yield program
        return
    if rel in PREPARED_INPUTS and store.db[rel].exists():
        program = _one_relation(store, rel, [c for c, _ in PREPARED_INPUTS[rel]])
        _check_arity(program, atom, atom_text)
        yield program
        return
    checked: CheckedProgram | None = None
    if evaluate or rel not in store.derived_tables():
        # Broken rules are the likelier reason for a missing relation: say so.
        checked = dirs.load(store)
    if evaluate and checked is not None and rel in checked.idb:
        from deniable.rules.engines import get_engine

        _check_arity(checked, atom, atom_text)
        try:
            with store.db.atomic():
                prepare_inputs(store)
                get_engine(engine).derive(checked, store.db)
                yield checked
                raise _Rollback
        except _Rollback:
            pass
        return
    if rel in store.derived_tables():
        program = _one_relation(store, rel, _derived_columns(store, rel))
        _check_arity(program, atom, atom_text)
        yield program
        return
    raise _unknown_relation(store, atom, atom_text, checked)


@dataclass(frozen=True, slots=True)
class _RuleDirs:
    """Where a query's rule program comes from (see :func:`rule_paths`)."""

    folders: tuple[Path, ...]
    cwd: bool

    def load(self, store: FactStore) -> CheckedProgram:
        return load_store_program(store, self.folders, cwd_rules=self.cwd)


def _derived_columns(store: FactStore, rel: str) -> list[Any]:
    return [c for c in store.db[rel].columns if c.name not in _ENGINE_COLUMNS]


def _one_relation(store: FactStore, rel: str, columns: Sequence[Any]) -> CheckedProgram:
    """A program that only declares ``rel`` as it stands in the store, for selecting rows."""
    names = tuple(getattr(c, "name", c) for c in columns)
    inputs = store_inputs(store)
    if rel in inputs:
        types = tuple(t for _, t in inputs[rel])
    else:
        types = tuple(_BASE_TYPES.get(str(c.type).upper(), "symbol") for c in columns)
    info = RelationInfo(rel, names, types, is_input=True)
    return CheckedProgram(Program(), {rel: info}, (), ())


def _check_arity(program: CheckedProgram, atom: Atom, atom_text: str) -> None:
    info = program.relations[atom.rel]
    if len(atom.args) != info.arity:
        raise _query_error(
            f"{atom.rel} has {info.arity} argument{'' if info.arity == 1 else 's'} "
            f"({', '.join(info.attributes)}), the query gives {len(atom.args)}",
            atom,
            atom_text,
        )


def _unknown_relation(
    store: FactStore, atom: Atom, atom_text: str, program: CheckedProgram | None
) -> DeniableError:
    known = set(store.relations()) | set(store.derived_tables())
    if program is not None and atom.rel in program.idb:
        return _query_error(
            f"{atom.rel} is derived by rules but is not in the store yet; "
            "run `deniable derive` first",
            atom,
            atom_text,
        )
    if program is not None:
        known |= set(program.idb)
    close = difflib.get_close_matches(atom.rel, sorted(known), n=3)
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    return _query_error(f"unknown relation {atom.rel}{hint}", atom, atom_text)


def _query_error(message: str, atom: Atom, atom_text: str) -> DeniableError:
    """A one-line error with a caret under the relation name, in the query as typed."""
    lines = atom_text.splitlines() or [""]
    line = atom.span.line if 0 < atom.span.line <= len(lines) else 1
    column = atom.span.column if atom.span.line else lines[0].find(atom.rel) + 1
    column = max(column, 1)
    return DeniableError(
        message,
        Location(QUERY_PATH, line, column),
        code="query",
        context=caret_context(lines[line - 1], column, max(len(atom.rel), 1)),
    )


# --------------------------------------------------------------------------- why


def explain_store(
    store: FactStore,
    atom_text: str,
    *,
    rules_dirs: Sequence[Path] = (),
    limit: int = 10,
    evaluate: bool = False,
    engine: str | Engine = "sql",
    cwd_rules: bool = True,
    rules: CheckedProgram | None = None,
) -> Explanations:
    """Explain each derived row matching the atom (at most ``limit``) down to the sentences.

    ``rules`` is the checked rule program when the caller has it already (a brief
    explains many rows; parsing the rules for each would cost more than the proofs).

    The answer is a list of proofs that also says how many rows matched in all
    (``matched``), so that output cut at the limit can say so.

    For a relation the store offers (``called``, ``denies`` …) each matching fact
    is its own proof: a leaf with the statements behind it.  ``evaluate`` and
    ``cwd_rules`` as in :func:`query_store`.

    Raises:
        RuleError, DeniableError: as :func:`query_store`.
    """
    from deniable.rules.engines.sqlite import matching_rows
    from deniable.rules.explain import explain

    if limit < 1:
        raise UsageError(f"--limit must be at least 1, not {limit}")
    atom = _parse_query(atom_text)
    dirs = _RuleDirs(tuple(rules_dirs), cwd_rules)
    with _answering(store, atom, atom_text, dirs, evaluate, engine) as program:
        matched = matching_rows(store.db, program, atom)
        rows = matched[:limit]
        if atom.rel in store_inputs(store):
            facts = [fact_proof(store, atom.rel, row) for row in rows]
            return Explanations(facts, matched=len(matched))
        if atom.rel in program.idb:
            checked = program
        else:
            checked = rules if rules is not None else dirs.load(store)
        if atom.rel not in checked.idb:
            raise _query_error(
                f"no rule defines {atom.rel} any more; run `deniable derive` again",
                atom,
                atom_text,
            )
        proofs = []
        for row in rows:
            tree = explain(store.db, checked, atom.rel, tuple(row))
            proofs.append(Proof(tree, proof_evidence(store, tree)))
    return Explanations(proofs, matched=len(matched))


def constant_text(value: Any) -> str:
    """A value written as a constant of the rule language (for hints such as `why` commands)."""
    from deniable.rules.parser import quote_string

    return quote_string(value) if isinstance(value, str) else str(value)
