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

import heapq
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from pyDatalog import Logic  # type: ignore[import-untyped]
from pyDatalog import pyEngine as _pe  # type: ignore[import-untyped]
from pyDatalog.util import DatalogError  # type: ignore[import-untyped]
from sqlite_utils import Database

from deniable.errors import EvaluationError
from deniable.rules.ast import (
    Atom,
    BinOp,
    BoolLit,
    Clause,
    Comparison,
    Negation,
    Num,
    Str,
    Term,
    UnOp,
    Var,
    Wildcard,
)
from deniable.rules.checked import CheckedProgram, Stratum
from deniable.rules.engines.base import Derivation, Limits, integer_overflow, rounds_exceeded
from deniable.rules.engines.pydatalog_refusals import UNSUPPORTED, unsupported_constructs
from deniable.rules.engines.sqlite import is_derived_table, relation_schema
from deniable.rules.sql import HEIGHT_COLUMN, RULE_COLUMN, create_table, quote

_INT64_MIN, _INT64_MAX = -(2**63), 2**63 - 1
_ARITHMETIC = {"+", "-", "*"}
_COMPARE = {"=": "==", "!=": "!=", "<": "<", "<=": "<=", ">": ">", ">=": ">="}
_PREFIX = "deniable_"

# ----------------------------------------------------------------------------- translation

# A slot of a ground pattern: ("v", variable) or ("c", constant).
Slot = tuple[str, Any]


@dataclass(slots=True)
class _Plan:
    """One clause as pyDatalog literals, plus what provenance needs to rebuild its instances."""

    clause: Clause
    head_slots: tuple[Slot, ...]
    body: list[Any] = field(default_factory=list)
    positives: list[tuple[str, tuple[Slot, ...]]] = field(default_factory=list)
    # Where each positive atom stands in ``body`` (for the semi-naive delta variants).
    atom_positions: list[int] = field(default_factory=list)
    variables: tuple[str, ...] = ()
    never: bool = False


class _Translator:
    """Turns one clause into pyDatalog literals whose order binds every variable before use."""

    def __init__(self, clause: Clause, predicates: dict[str, str]) -> None:
        self.clause = clause
        self.predicates = predicates
        self.names: dict[str, str] = {}
        self.fresh = 0
        self.pending: list[tuple[str, Any]] = []
        self.ordered: list[Any] = []
        self.bound: set[str] = set()

    def var(self, name: str) -> str:
        if name not in self.names:
            self.names[name] = f"V{len(self.names)}"
        return self.names[name]

    def new_var(self) -> str:
        self.fresh += 1
        return f"F{self.fresh}"

    def plan(self) -> _Plan:
        plan = _Plan(self.clause, ())
        negations: list[Negation] = []
        for lit in self.clause.body:
            if isinstance(lit, Atom):
                slots = tuple(self.slot(arg) for arg in lit.args)
                plan.positives.append((lit.rel, slots))
            elif isinstance(lit, Negation):
                negations.append(lit)
            elif isinstance(lit, Comparison):
                self.pending.append(("cmp", lit))
            elif isinstance(lit, BoolLit):
                plan.never = plan.never or not lit.value
        plan.head_slots = tuple(self.slot(arg) for arg in self.clause.head.args)
        for neg in negations:
            self.pending.append(("neg", neg))
        self.schedule(plan)
        plan.variables = tuple(sorted(self.bound, key=_var_order))
        return plan

    def slot(self, arg: Term) -> Slot:
        if isinstance(arg, Var):
            return ("v", self.var(arg.name))
        if isinstance(arg, Wildcard):
            return ("v", self.new_var())
        if isinstance(arg, (Str, Num)):
            return ("c", arg.value)
        name = self.new_var()
        self.pending.append(("eq", (name, arg)))
        return ("v", name)

    def schedule(self, plan: _Plan) -> None:
        self.flush()
        for rel, slots in plan.positives:
            plan.atom_positions.append(len(self.ordered))
            self.ordered.append(_pe.Literal(self.predicates[rel], [_slot_term(s) for s in slots]))
            self.bound.update(value for kind, value in slots if kind == "v")
            self.flush()
        if self.pending:
            raise EvaluationError(
                "a variable is not bound by a positive atom", self.clause.span.location
            )
        plan.body = self.ordered

    def flush(self) -> None:
        progress = True
        while progress and self.pending:
            progress = False
            for item in list(self.pending):
                literal = self.ready(item)
                if literal is not None:
                    self.pending.remove(item)
                    self.ordered.append(literal)
                    progress = True

    def ready(self, item: tuple[str, Any]) -> Any:
        kind, value = item
        if kind == "eq":
            name, term = value
            if not self.term_vars(term) <= self.bound:
                return None
            self.bound.add(name)
            return _pe.Literal("==", [_pe.Var(name), self.term(term)])
        if kind == "cmp":
            return self.comparison(value)
        return self.negation(value)

    def comparison(self, cmp: Comparison) -> Any:
        left, right = self.term_vars(cmp.left), self.term_vars(cmp.right)
        if cmp.op == "=":
            for var, other, other_vars in (
                (cmp.left, cmp.right, right),
                (cmp.right, cmp.left, left),
            ):
                if (
                    isinstance(var, Var)
                    and self.var(var.name) not in self.bound
                    and other_vars <= self.bound
                ):
                    self.bound.add(self.var(var.name))
                    return _pe.Literal("==", [self.term(var), self.term(other)])
        if not (left | right) <= self.bound:
            return None
        return _pe.Literal(_COMPARE[cmp.op], [self.term(cmp.left), self.term(cmp.right)])

    def negation(self, neg: Negation) -> Any:
        # Variables that occur nowhere else are local to the negation (existential), like _.
        elsewhere = self.outside_vars(neg)
        terms = []
        for arg in neg.atom.args:
            if isinstance(arg, Wildcard) or (isinstance(arg, Var) and arg.name not in elsewhere):
                terms.append(_pe.Var(self.new_var()))
                continue
            if not self.term_vars(arg) <= self.bound:
                return None
            terms.append(self.term(arg))
        return _pe.Literal("~" + self.predicates[neg.atom.rel], terms)

    def outside_vars(self, neg: Negation) -> set[str]:
        names: set[str] = set()
        for node in (self.clause.head, *self.clause.body):
            if node is not neg:
                names |= _names(node)
        return names

    def term_vars(self, term: Term) -> set[str]:
        return {self.var(n) for n in _names(term)}

    def term(self, term: Term) -> Any:
        if isinstance(term, Var):
            return _pe.Var(self.var(term.name))
        if isinstance(term, (Str, Num)):
            return _pe.Const(term.value)
        if isinstance(term, BinOp):
            return _pe.Operation(self.term(term.left), term.op, self.term(term.right))
        if isinstance(term, UnOp):
            return _pe.Operation(_pe.Const(0), "-", self.term(term.operand))
        raise EvaluationError(f"unsupported term {type(term).__name__}", term.span.location)


def _var_order(name: str) -> tuple[str, int]:
    return (name[0], int(name[1:]))


def _slot_term(slot: Slot) -> Any:
    kind, value = slot
    return _pe.Var(value) if kind == "v" else _pe.Const(value)


def _names(node: object) -> set[str]:
    found: set[str] = set()
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, Var):
            found.add(item.name)
        elif isinstance(item, Atom):
            stack.extend(item.args)
        elif isinstance(item, Negation):
            stack.append(item.atom)
        elif isinstance(item, (Comparison, BinOp)):
            stack.extend((item.left, item.right))
        elif isinstance(item, UnOp):
            stack.append(item.operand)
    return found


# ----------------------------------------------------------------------------- evaluation


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


Row = tuple[Any, ...]
Key = tuple[str, Row]


@dataclass(slots=True)
class _Instance:
    """A ground instance of a clause: its head row and its positive body rows."""

    rule: int
    base: int
    head: Key
    body: tuple[Key, ...]


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
    predicates = {rel: f"{_PREFIX}r{i}" for i, rel in enumerate(names)}
    try:
        with _fresh_logic():
            # Literals intern their predicates in the current logic: build them inside it.
            plans = [_Translator(c, predicates).plan() for c in program.clauses]
            instances = _run(program, inputs, predicates, plans, limits)
    except RecursionError as error:
        raise EvaluationError(
            f"pyDatalog exceeded Python's recursion limit ({sys.getrecursionlimit()}); "
            "the program or its data is too deep for it, use --engine sql"
        ) from error
    except (DatalogError, AttributeError, TypeError) as error:
        raise EvaluationError(f"pyDatalog failed: {error}") from error
    return _provenance(program, inputs, instances)


def _run(
    program: CheckedProgram,
    inputs: dict[str, dict[Row, int]],
    predicates: dict[str, str],
    plans: list[_Plan],
    limits: Limits,
) -> list[_Instance]:
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
            _assert(predicates[rel], [_pe.Const(v) for v in row], [])
    instances: list[_Instance] = []
    by_head: dict[str, list[_Plan]] = {}
    for plan in plans:
        if not plan.never:
            by_head.setdefault(plan.clause.head.rel, []).append(plan)
    for stratum in program.strata:
        stratum_plans = [p for rel in stratum.relations for p in by_head.get(rel, [])]
        arities = {rel: program.relations[rel].arity for rel in stratum.relations}
        instances.extend(_stratum(stratum, stratum_plans, predicates, arities, limits))
    return instances


def _stratum(
    stratum: Stratum,
    plans: list[_Plan],
    predicates: dict[str, str],
    arities: dict[str, int],
    limits: Limits,
) -> list[_Instance]:
    """Semi-naive evaluation of one stratum; every ground instance of its clauses.

    Round 1 asks each clause's full body.  Later rounds ask one variant per body atom
    over the stratum's own relations, that atom reading only the rows the previous
    round added (the ``delta`` predicate, put first: it is the small side), so each
    instance is found in the round after its last body row appeared.
    """
    rows: dict[str, set[Row]] = {rel: set() for rel in stratum.relations}
    deltas = {rel: f"{predicates[rel]}_delta" for rel in stratum.relations}
    for rel, name in deltas.items():
        _pe.insert(_pe.Pred(name, arities[rel]))
    facts: list[_Instance] = []
    full: list[tuple[_Plan, str]] = []
    variants: list[tuple[_Plan, str]] = []
    for plan in plans:
        clause = plan.clause
        if clause.is_fact and all(kind == "c" for kind, _ in plan.head_slots):
            row = tuple(value for _, value in plan.head_slots)
            facts.append(_Instance(clause.index, 0, (clause.head.rel, row), ()))
            continue
        aux = f"{_PREFIX}b{clause.index}"
        _assert(aux, [_pe.Var(v) for v in plan.variables], plan.body)
        full.append((plan, aux))
        for j, (rel, _) in enumerate(plan.positives):
            if rel not in rows:
                continue
            body = list(plan.body)
            atom = body.pop(plan.atom_positions[j])
            body.insert(0, _pe.Literal(deltas[rel], list(atom.terms)))
            _assert(f"{aux}_{j}", [_pe.Var(v) for v in plan.variables], body)
            variants.append((plan, f"{aux}_{j}"))
    for inst in facts:
        _add(inst.head, rows, predicates)
    found: dict[tuple[Any, ...], _Instance] = {}
    for inst in facts:
        found[(inst.rule, inst.head, inst.body)] = inst
    asking = full
    delta: list[Key] = []
    rounds = 0
    while asking:
        rounds += 1
        if rounds > limits.max_rounds:
            raise rounds_exceeded(list(stratum.relations), limits)
        new: list[Key] = []
        for plan, aux in asking:
            for inst in _ask(plan, aux):
                found.setdefault((inst.rule, inst.head, inst.body), inst)
                if inst.head[1] not in rows[inst.head[0]]:
                    _add(inst.head, rows, predicates)
                    new.append(inst.head)
        for rel, have in rows.items():
            if len(have) > limits.max_rows:
                raise EvaluationError(
                    f"relation {rel} has more than {limits.max_rows} rows (limit max_rows)"
                )
        for rel, row in delta:
            _pe.retract(_pe.Clause(_pe.Literal(deltas[rel], [_pe.Const(v) for v in row]), []))
        for rel, row in new:
            _assert(deltas[rel], [_pe.Const(v) for v in row], [])
        delta = new
        # A stratum whose bodies read none of its relations has no variants: one round.
        asking = variants if new else []
    return list(found.values())


def _add(key: Key, rows: dict[str, set[Row]], predicates: dict[str, str]) -> None:
    rel, row = key
    if row not in rows[rel]:
        rows[rel].add(row)
        _assert(predicates[rel], [_pe.Const(v) for v in row], [])


def _ask(plan: _Plan, aux: str) -> Iterator[_Instance]:
    query = _pe.Literal(aux, [_pe.Var(f"Q{i}") for i in range(len(plan.variables))])
    for answer in query.ask() or []:
        yield _instance(plan, dict(zip(plan.variables, answer, strict=True)))


def _assert(pred: str, terms: list[Any], body: list[Any]) -> None:
    _pe.assert_(_pe.Clause(_pe.Literal(pred, terms), body))


def _instance(plan: _Plan, env: dict[str, Any]) -> _Instance:
    def ground(slots: tuple[Slot, ...]) -> Row:
        return tuple(env[value] if kind == "v" else value for kind, value in slots)

    head = ground(plan.head_slots)
    for value in head:
        if type(value) is int and not _INT64_MIN <= value <= _INT64_MAX:
            error = integer_overflow(f"clause {plan.clause.index} derives {value}")
            error.location = plan.clause.span.location if plan.clause.span.line > 0 else None
            raise error
        if type(value) not in (int, str):
            raise EvaluationError(
                f"pyDatalog computed {value!r} ({type(value).__name__}) in clause "
                f"{plan.clause.index}; only integers and strings are supported"
            )
    body = tuple((rel, ground(slots)) for rel, slots in plan.positives)
    base = 0 if plan.clause.is_fact else 1
    return _Instance(plan.clause.index, base, (plan.clause.head.rel, head), body)


def _provenance(
    program: CheckedProgram,
    inputs: dict[str, dict[Row, int]],
    instances: list[_Instance],
) -> dict[str, dict[Row, tuple[int, int]]]:
    """Least proof heights, Knuth's generalisation of Dijkstra over the ground instances.

    An instance becomes usable once every derived row in its body has its final
    height; it then offers its head ``1 + max(body heights)`` (0 for a fact).  Rows
    are settled in increasing ``(height, rule)`` order, so each gets its least height
    and the smallest clause index reaching it.
    """
    idb = set(program.idb)
    derived: dict[str, dict[Row, tuple[int, int]]] = {rel: {} for rel in program.idb}
    waiting: dict[Key, list[int]] = {}
    missing: list[int] = []
    highest: list[int] = []
    queue: list[tuple[int, int, int]] = []
    for n, inst in enumerate(instances):
        deps = {key for key in inst.body if key[0] in idb}
        top = max((inputs[rel].get(row, 0) for rel, row in inst.body if rel not in idb), default=0)
        missing.append(len(deps))
        highest.append(top if inst.body and inst.base else 0)
        for key in deps:
            waiting.setdefault(key, []).append(n)
        if not deps:
            heapq.heappush(queue, (_offer(inst, highest[n]), inst.rule, n))
    while queue:
        height, rule, n = heapq.heappop(queue)
        rel, row = instances[n].head
        if row in derived[rel]:
            continue
        derived[rel][row] = (rule, height)
        for m in waiting.pop((rel, row), ()):
            missing[m] -= 1
            highest[m] = max(highest[m], height)
            if missing[m] == 0:
                heapq.heappush(queue, (_offer(instances[m], highest[m]), instances[m].rule, m))
    return derived


def _offer(inst: _Instance, body_height: int) -> int:
    if inst.base == 0:
        return 0
    # The SQL engine counts only derived atoms: no derived atom in the body means height 1.
    return body_height + 1


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
