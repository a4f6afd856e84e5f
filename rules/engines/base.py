"""The engine protocol: evaluate a checked program over a SQLite database.

Contract for every engine:

* Before ``derive``: every input relation (used in a body, defined by no clause)
  exists in ``db`` as a table or view named after the relation whose columns are
  the relation's attributes in order.  The fact store provides its relations as
  views; ``deniable run`` loads ``.facts`` files into tables first.
* After ``derive``: every relation defined by clauses exists as a table named
  after it, with the attribute columns followed by ``_rule`` (the ``Clause.index``
  that first derived the row) and ``_height`` (proof height: 1 + the greatest
  height of the body rows, counting only positive atoms outside aggregates; rows of
  input relations and program facts have height 0).  Older tables
  of those names are replaced in one transaction.  Set semantics: no duplicate rows.

A third backend (DuckDB, PostgreSQL) implements this protocol in a new module.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from sqlite_utils import Database

from deniable.rules.checked import CheckedProgram


@dataclass(frozen=True, slots=True)
class Limits:
    """Guards against runaway evaluation."""

    #: Stop when a recursive stratum has not reached its fixpoint after this many rounds.
    max_iterations: int = 100_000
    #: Stop when a relation grows beyond this many rows (runaway arithmetic recursion).
    max_rows: int = 50_000_000


@dataclass(frozen=True, slots=True)
class Derivation:
    """What an engine derived: row counts per relation and the time it took."""

    engine: str
    sizes: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


class Engine(Protocol):
    """An evaluation backend."""

    name: str

    def derive(
        self, program: CheckedProgram, db: Database, *, limits: Limits | None = None
    ) -> Derivation:
        """Evaluate ``program`` over ``db`` and materialise every derived relation."""
        ...
