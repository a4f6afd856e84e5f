"""The checked program: the one value handed from the static checks to an engine.

An engine receives a :class:`CheckedProgram` and nothing else of the rules: the
relations with their resolved base types, the clauses, and the strata in the
order they must be evaluated.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from deniable.errors import Diagnostic
from deniable.rules.ast import Clause, Directive, Program, Span


@dataclass(frozen=True, slots=True)
class RelationInfo:
    """A relation as the engines see it.

    ``types`` are base types (``symbol``, ``number``, ``unsigned``, ``float``) after
    resolving ``.type`` subtypes; ``declared_types`` keeps the names as written.
    ``is_input`` is true for relations no clause defines (they must already exist
    as a table or view, or be loaded by ``.input``); ``is_output`` for ``.output``.
    """

    name: str
    attributes: tuple[str, ...]
    types: tuple[str, ...]
    declared_types: tuple[str, ...] = ()
    is_input: bool = False
    is_output: bool = False
    span: Span | None = field(default=None, compare=False)

    @property
    def arity(self) -> int:
        return len(self.attributes)


@dataclass(frozen=True, slots=True)
class Stratum:
    """Relations evaluated together; ``recursive`` when a clause depends on the stratum itself."""

    relations: tuple[str, ...]
    clauses: tuple[Clause, ...]
    recursive: bool = False


@dataclass(frozen=True, slots=True)
class CheckedProgram:
    """A program that passed every check, ready for any engine."""

    program: Program
    relations: dict[str, RelationInfo]
    clauses: tuple[Clause, ...]
    strata: tuple[Stratum, ...]
    directives: tuple[Directive, ...] = ()
    warnings: tuple[Diagnostic, ...] = ()

    def clause(self, index: int) -> Clause:
        """The clause with ``Clause.index == index``."""
        for c in self.clauses:
            if c.index == index:
                return c
        raise KeyError(index)

    @property
    def idb(self) -> tuple[str, ...]:
        """Relations defined by at least one clause, in stratum order."""
        return tuple(r for s in self.strata for r in s.relations)
