"""The pyDatalog engine: a checked program translated to pyDatalog terms, evaluated, written back.

The program is built from pyDatalog's engine objects (``pyEngine.Var``, ``Const``,
``Operation``, ``Literal``, ``Clause``), never from text, so no constant or
relation name of a user is ever parsed or executed as Python.  Relations are
renamed to generated predicates (``deniable_r0``...); every evaluation runs in a
fresh pyDatalog logic of the calling thread, and the thread's previous logic is
restored afterwards.

pyDatalog cannot express everything the SQL engine does with identical
semantics.  :func:`unsupported_constructs` lists, with their locations, the
constructs this engine refuses *before* running (``EvaluationError`` with code
``pydatalog_unsupported``):

=====================================  ===============================================
construct                              why it is refused
=====================================  ===============================================
aggregates (count, sum, min, max,      pyDatalog aggregates are head-only functions
mean)                                  over non-empty groups; Soufflé's ``count`` of an
                                       empty body is 0, etc.
functors (cat, strlen, substr, ord,    no pyDatalog counterpart; Python callables would
to_string, to_number, min, max, ...)   not match SQLite's edge cases
``/`` and ``%``                        Python floors, Soufflé/SQLite truncate toward 0;
                                       division by zero becomes an exception *value*
``^`` and bitwise/logical operators    not offered by pyDatalog's operation terms
(band bor bxor bshl bshr bshru land
lor bnot lnot)
``contains`` and ``match``             no string predicates in pyDatalog
float values and float columns         pyDatalog rounds floats to 8 significant digits
arithmetic on symbol/unsigned/float    Python semantics (string concatenation,
values                                 no unsigned wrap-around) differ from Soufflé
comparing or matching a symbol with    SQLite's column affinity converts ``'6'`` to 6,
a number                               pyDatalog compares them as different values
=====================================  ===============================================

Recursion is driven here, not by pyDatalog: its tabled resolution (0.22) never
returns on a right-recursive rule over cyclic data (``r(X,Y) <= e(X,Z) & r(Z,Y)``
with ``e`` a cycle).  So pyDatalog only ever sees facts and one auxiliary clause
``b_i(all body variables) <= body`` per clause ``i`` (plus one variant per body
atom over the clause's own stratum, that atom reading the last round's new rows);
strata are evaluated in order, a recursive one semi-naively until a round adds no
row (bounded by ``Limits.max_rounds`` and ``max_rows``).  pyDatalog still does
all the matching: joins, repeated variables, constants, negation, comparisons and
arithmetic.

The answers of all rounds are every ground instance of the clauses over the final
relations; provenance comes from them: ``_height`` is the least proof height
(input rows 0 or their stored ``_height``, fact clauses 0, a rule instance 1 + the
greatest height of its positive body rows over derived relations) and ``_rule``
the smallest clause index reaching that height.  The SQL engine records the
height of the *first* derivation it finds, which is the same number except when
a later round of a recursive stratum finds a shorter proof through a lower
stratum; row contents are identical in every case.

pyDatalog is slow (every clause body is resolved in Python): keep it for small
programs and for cross-checking the SQL engine.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

from pyDatalog import Logic  # type: ignore[import-untyped]
from pyDatalog import pyEngine as _pe  # type: ignore[import-untyped]
from pyDatalog.util import DatalogError  # type: ignore[import-untyped]
from sqlite_utils import Database

from deniable.errors import EvaluationError
from deniable.rules.ast import Atom, Negation
from deniable.rules.checked import CheckedProgram
from deniable.rules.engines.base import Derivation, Limits
from deniable.rules.engines.pydatalog_refusals import UNSUPPORTED, unsupported_constructs
from deniable.rules.engines.pydatalog_rounds import (
    PREFIX,
    Instance,
    Row,
    assert_clause,
    least_heights,
    stratum_instances,
)
from deniable.rules.engines.pydatalog_translation import Plan, Translator
from deniable.rules.engines.sqlite import is_derived_table, relation_schema
from deniable.rules.sql import HEIGHT_COLUMN, RULE_COLUMN, create_table, quote


@contextmanager
def _fresh_logic() -> Iterator[None]:
    """A cleared pyDatalog logic for this thread; the thread's previous one comes back after."""
    previous = getattr(Logic.tl, "logic", None)
    Logic()
    try:
        yield
    finally:
        if previous is not None:
            Logic.tl.logic = previous


class PyDatalogEngine:
    """Evaluate a checked program with pyDatalog (``--engine pydatalog``); slow, cross-checks."""

    name = "pydatalog"

    def derive(
        self,
        program: CheckedProgram,
        db: Database,
        *,
        limits: Limits | None = None,
        provenance: bool = True,
    ) -> Derivation:
        """Evaluate ``program`` over ``db`` and materialise every derived relation.

        Raises:
            EvaluationError: a construct pyDatalog cannot express (code
                ``pydatalog_unsupported``, raised before anything runs), a missing
                input relation, a name clash with a stored table rules did not
                derive, a value that is not an int or str, integer overflow beyond
                64 bits, ``limits.max_rows`` exceeded, or pyDatalog failing
                (including Python's recursion limit).
        """
        limits = limits or Limits()
        started = time.perf_counter()
        refused = unsupported_constructs(program)
        if refused:
            first = refused[0]
            more = f" (and {len(refused) - 1} more)" if len(refused) > 1 else ""
            raise EvaluationError(first.message + more, first.location, code=UNSUPPORTED)
        inputs = _read_inputs(program, db)
        relations = _evaluate(program, inputs, limits)
        for rel, rows in relations.items():
            if len(rows) > limits.max_rows:
                raise EvaluationError(
                    f"relation {rel} has more than {limits.max_rows} rows (limit max_rows)"
                )
        _write(program, db, relations)
        sizes = {rel: len(relations[rel]) for rel in program.idb}
        return Derivation(self.name, sizes, time.perf_counter() - started)


def _objects(db: Database) -> dict[str, str]:
    rows = db.execute(
        "SELECT name, type FROM sqlite_master WHERE type IN ('table', 'view') "
        "UNION ALL SELECT name, type FROM sqlite_temp_master WHERE type IN ('table', 'view')"
    ).fetchall()
    return {name: kind for name, kind in rows}


def _read_inputs(program: CheckedProgram, db: Database) -> dict[str, dict[Row, int]]:
    """Rows of every relation read but not derived, with their height (0, or a stored one)."""
    idb = set(program.idb)
    objects = _objects(db)
    for rel in idb:
        kind = objects.get(rel)
        if kind is not None and (kind == "view" or not is_derived_table(_columns(db, rel))):
            raise EvaluationError(
                f"relation {rel} is defined by rules but the store already has a "
                f"{kind} {rel} that rules did not derive; rename the relation"
            )
    schema = relation_schema(db, program)
    inputs: dict[str, dict[Row, int]] = {}
    for rel in sorted(_body_relations(program) - idb):
        if rel not in objects:
            raise EvaluationError(
                f"input relation {rel} has no table or view in the database; "
                "load it with .input or ingest facts first"
            )
        arity = program.relations[rel].arity
        columns = schema.columns[rel]
        if len(columns) < arity:
            raise EvaluationError(
                f"input relation {rel} needs {arity} columns but the stored {rel} "
                f"has {len(columns)}"
            )
        picked = [quote(c) for c in columns[:arity]]
        height = quote(HEIGHT_COLUMN) if rel in schema.derived else "0"
        sql = f"SELECT {', '.join([*picked, height])} FROM {quote(rel)}"
        rows: dict[Row, int] = {}
        for record in db.execute(sql).fetchall():
            row = tuple(record[:-1])
            for value in row:
                if type(value) not in (int, str):
                    raise EvaluationError(
                        f"input relation {rel} holds the value {value!r} "
                        f"({type(value).__name__}); the pyDatalog engine takes only "
                        "integers and strings"
                    )
            rows[row] = min(rows.get(row, record[-1]), record[-1])
        inputs[rel] = rows
    return inputs


def _columns(db: Database, name: str) -> tuple[str, ...]:
    return tuple(row[1] for row in db.execute(f"PRAGMA table_info({quote(name)})").fetchall())


def _body_relations(program: CheckedProgram) -> set[str]:
    found: set[str] = set()
    for clause in program.clauses:
        for lit in clause.body:
            if isinstance(lit, Atom):
                found.add(lit.rel)
            elif isinstance(lit, Negation):
                found.add(lit.atom.rel)
    return found


def _evaluate(
    program: CheckedProgram, inputs: dict[str, dict[Row, int]], limits: Limits
) -> dict[str, dict[Row, tuple[int, int]]]:
    """Run pyDatalog; return each derived relation's rows with their ``(_rule, _height)``."""
    names = sorted(set(program.relations) | set(inputs) | _body_relations(program))
    predicates = {rel: f"{PREFIX}r{i}" for i, rel in enumerate(names)}
    try:
        with _fresh_logic():
            # Literals intern their predicates in the current logic: build them inside it.
            plans = [Translator(c, predicates).plan() for c in program.clauses]
            instances = _run(program, inputs, predicates, plans, limits)
    except RecursionError as error:
        raise EvaluationError(
            f"pyDatalog exceeded Python's recursion limit ({sys.getrecursionlimit()}); "
            "the program or its data is too deep for it, use --engine sql"
        ) from error
    except (DatalogError, AttributeError, TypeError) as error:
        raise EvaluationError(f"pyDatalog failed: {error}") from error
    return least_heights(program, inputs, instances)


def _run(
    program: CheckedProgram,
    inputs: dict[str, dict[Row, int]],
    predicates: dict[str, str],
    plans: list[Plan],
    limits: Limits,
) -> list[Instance]:
    """Evaluate stratum by stratum; pyDatalog answers clause bodies over stored facts only.

    pyDatalog 0.22's tabled resolution never returns on a right-recursive rule over
    cyclic data (``r(X,Y) <= e(X,Z) & r(Z,Y)`` with ``e`` a cycle), so no rule of a
    derived relation is given to it: each clause ``i`` becomes ``b_i(vars) <= body``
    over predicates that hold facts only, and this function iterates a recursive
    stratum (naively) until a round adds no row.  The last round's answers are then
    every ground instance of the stratum's clauses over the final relations.
    """
    for rel, pred in predicates.items():
        arity = program.relations[rel].arity if rel in program.relations else 0
        _pe.insert(_pe.Pred(pred, arity))
    for rel, rows in inputs.items():
        for row in rows:
            assert_clause(predicates[rel], [_pe.Const(v) for v in row], [])
    instances: list[Instance] = []
    by_head: dict[str, list[Plan]] = {}
    for plan in plans:
        if not plan.never:
            by_head.setdefault(plan.clause.head.rel, []).append(plan)
    for stratum in program.strata:
        stratum_plans = [p for rel in stratum.relations for p in by_head.get(rel, [])]
        arities = {rel: program.relations[rel].arity for rel in stratum.relations}
        instances.extend(stratum_instances(stratum, stratum_plans, predicates, arities, limits))
    return instances


def _write(
    program: CheckedProgram, db: Database, relations: dict[str, dict[Row, tuple[int, int]]]
) -> None:
    """Replace every derived relation's table in one transaction, as the SQL engine does."""
    objects = _objects(db)
    with db.atomic():
        for rel in program.idb:
            if rel in objects:
                db.execute(f"DROP TABLE {quote(rel)}")
        schema = relation_schema(db, program)
        for rel in program.idb:
            info = program.relations[rel]
            columns = schema.columns[rel]
            for ddl in create_table(rel, columns, info.types):
                db.execute(ddl)
            names = [quote(c) for c in columns] + [quote(RULE_COLUMN), quote(HEIGHT_COLUMN)]
            marks = ", ".join("?" for _ in names)
            sql = f"INSERT INTO {quote(rel)} ({', '.join(names)}) VALUES ({marks})"
            db.conn.executemany(
                sql, [(*row, rule, height) for row, (rule, height) in relations[rel].items()]
            )


__all__ = ["UNSUPPORTED", "PyDatalogEngine", "unsupported_constructs"]
