"""The strongest chain behind a conclusion: its strength, and the proof that gives it.

A conclusion's *strength* (``<rel>_strength``, see ``std/strength.dl``) is the
weakest modality on its best chain of statements.  The proof ``why`` finds first
is the shallowest, which need not be that chain, so a brief that prints a
strength next to sentences explains the conclusion's ``<rel>_at`` row at the
best level instead: the sentences shown are then the ones that give the
conclusion its strength.  The brief forms of ``why``, the demo and ``report``
read conclusions through :func:`strongest_chain`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from deniable.facts.store import FactStore
from deniable.rules.checked import CheckedProgram
from deniable.rules.evidence import Explanations, Proof
from deniable.rules.workbench import (
    constant_text,
    explain_store,
    load_store_program,
    query_store,
)

__all__ = ["LEVELS", "Chain", "strongest_chain", "strongest_chains"]

#: The numeric level of each strength (``std/strength.dl``).
LEVELS = {"asserted": 3, "reported": 2, "alleged": 1}

#: Conclusions whose leveled companion is not named ``<rel>_at``.
_LEVELED = {"conflicting_reports": "conflict_at"}
_ENGINE_COLUMNS = frozenset({"_rule", "_height"})


@dataclass(frozen=True, slots=True)
class Chain:
    """One conclusion row, its strength (``None`` when its relation has none) and its proof."""

    rel: str
    row: tuple[Any, ...]
    strength: str | None
    proof: Proof


def strongest_chain(
    store: FactStore,
    rel: str,
    row: Sequence[Any],
    *,
    proof: Proof | None = None,
    rules_dirs: Sequence[Path] = (),
    cwd_rules: bool = True,
    rules: CheckedProgram | None = None,
) -> Chain:
    """The strength of ``rel(row)`` and the proof of its strongest chain.

    Args:
        proof: the row's own proof, used when the relation has no leveled companion
            (it is computed when not given).
        rules: the checked rule program, when the caller has loaded it (see
            :func:`~deniable.rules.workbench.explain_store`).

    Raises:
        DeniableError: as :func:`~deniable.rules.workbench.explain_store`.
    """
    row = tuple(row)
    args = ", ".join(constant_text(v) for v in row)
    strength = _strength(store, rel, args, len(row), rules_dirs, cwd_rules)
    leveled = _LEVELED.get(rel, f"{rel}_at")
    width = _arity(store, leveled)
    if strength is not None and width is not None and width > len(row):
        gap = ", ".join(["_"] * (width - len(row) - 1))
        atom = f"{leveled}({args}, {gap + ', ' if gap else ''}{LEVELS.get(strength, 1)})"
        found = explain_store(
            store, atom, rules_dirs=rules_dirs, cwd_rules=cwd_rules, limit=1, rules=rules
        )
        if found:
            return Chain(rel, row, strength, found[0])
    if proof is None:
        (proof,) = explain_store(
            store, f"{rel}({args})", rules_dirs=rules_dirs, cwd_rules=cwd_rules, limit=1,
            rules=rules,
        )  # fmt: skip
    return Chain(rel, row, strength, proof)


def strongest_chains(
    store: FactStore,
    explained: Explanations,
    *,
    rules_dirs: Sequence[Path] = (),
    cwd_rules: bool = True,
) -> list[Chain]:
    """:func:`strongest_chain` of each row ``why`` explained, in the same order."""
    if not explained:
        return []
    rules = load_store_program(store, rules_dirs, cwd_rules=cwd_rules)
    return [
        strongest_chain(
            store,
            proof.tree.rel,
            proof.tree.row,
            proof=proof,
            rules_dirs=rules_dirs,
            cwd_rules=cwd_rules,
            rules=rules,
        )
        for proof in explained
    ]


def _arity(store: FactStore, rel: str) -> int | None:
    if rel not in store.derived_tables():
        return None
    return sum(1 for c in store.db[rel].columns if c.name not in _ENGINE_COLUMNS)


def _strength(
    store: FactStore,
    rel: str,
    args: str,
    width: int,
    rules_dirs: Sequence[Path],
    cwd_rules: bool,
) -> str | None:
    companion = f"{rel}_strength"
    if _arity(store, companion) != width + 1:
        return None
    answers = query_store(
        store, f"{companion}({args}, s)", rules_dirs=rules_dirs, cwd_rules=cwd_rules
    )
    # More than one strength would be a broken rule; the weakest is the honest one.
    found = sorted((str(r[0]) for r in answers.rows), key=lambda s: LEVELS.get(s, 0))
    return found[0] if found else None
