"""Evaluators running datalog-conformance YAML programs through deniable's checks and engines.

``ConformanceEvaluator("sql")`` and ``ConformanceEvaluator("pydatalog")`` implement the
suite's ``DatalogEvaluator`` protocol (``evaluate(program) -> Model``):

* the YAML ``rules`` strings are joined into one program text (a missing final ``.``
  is added) and parsed by :func:`deniable.rules.parser.parse`;
* the YAML ``facts`` of a relation no rule defines become an input table (ints as
  ``number``, strings as ``symbol`` columns); other facts become fact clauses numbered
  after the rules, so the checker sees arity and type clashes as in program text;
* :func:`deniable.rules.checks.check` runs with ``infer_decls=True`` because the suite
  declares no relations;
* the chosen engine derives on an in-memory SQLite database and every relation of
  the checked program is read back into the model.

Errors keep deniable's class and code, with one exception documented in
:data:`SUITE_SYNONYMS`: a check failure whose code names a *safety* violation is
re-raised as :class:`SafetyViolationError` (with the original as ``__cause__``).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

from datalog_conformance.schema import Model
from datalog_conformance.schema import Program as YamlProgram
from sqlite_utils import Database

from deniable.errors import RuleError
from deniable.rules.ast import Atom, Clause, Num, Program, Str, Term
from deniable.rules.engines import get_engine
from deniable.rules.engines.sqlite import index_inputs, relation_schema
from deniable.rules.sql import quote

#: deniable check codes that are, by definition, what the suite calls a safety violation
#: (a variable not range-restricted by a positive body atom: ``p(X) :- q(Y).``,
#: ``ok(X) :- person(X), not banned(X, Y).``, ``Ok(_) :- Ok(_).``), mapped to the code the
#: re-raised :class:`SafetyViolationError` carries.  The code stays deniable's own: the
#: only renaming is the class.  Nothing else is renamed.
SUITE_SYNONYMS: dict[str, str] = {"unbound_variable": "unbound_variable"}


_COLUMN_TYPES: dict[str, type] = {"number": int, "unsigned": int, "float": float, "symbol": str}


class SafetyViolationError(Exception):
    """A deniable :class:`RuleError` whose first diagnostic is a safety violation.

    ``code`` is the suite name from :data:`SUITE_SYNONYMS`; ``deniable_code`` keeps
    deniable's own code and ``__cause__`` the original error.
    """

    def __init__(self, error: RuleError) -> None:
        super().__init__(str(error))
        self.deniable_code = error.code
        self.code = SUITE_SYNONYMS[error.code]


def program_text(rules: Sequence[str]) -> str:
    """The YAML rule strings as one program text, each ending in ``.``.

    >>> program_text(["p(X) :- q(X)", "r(1)."])
    'p(X) :- q(X).\\nr(1).\\n'
    """
    lines = []
    for rule in rules:
        text = rule.strip()
        lines.append(text if text.endswith(".") else text + ".")
    return "".join(line + "\n" for line in lines)


def _constant(value: object) -> Term:
    if isinstance(value, bool):
        raise TypeError(f"boolean fact value {value!r} has no deniable type")
    if isinstance(value, (int, float)):
        return Num(value)
    if isinstance(value, str):
        return Str(value)
    raise TypeError(f"fact value {value!r} has no deniable type")


def _column_types(rows: Sequence[Sequence[object]]) -> tuple[str, ...] | None:
    """Base types of a fact table whose rows agree on arity and per-column value type."""
    arities = {len(row) for row in rows}
    if len(arities) != 1:
        return None
    types = []
    for column in zip(*rows, strict=False):
        kinds = {type(v) for v in column}
        if kinds == {int}:
            types.append("number")
        elif kinds == {str}:
            types.append("symbol")
        else:
            return None
    return tuple(types)


def build_program(
    program: YamlProgram, path: str = "<conformance>"
) -> tuple[Program, dict[str, list[tuple[str, str]]], dict[str, list[tuple[Any, ...]]]]:
    """A deniable program for a suite program, and the input tables it reads.

    A relation with facts and no rule becomes an input table (columns ``c0, c1...``,
    typed ``number`` for ints and ``symbol`` for strings), as ``deniable run`` loads
    ``.facts`` files.  Facts of a relation that rules also define, or whose rows
    disagree on arity or type, become fact clauses numbered after the rules, so the
    checker judges them like any program text.

    Returns:
        The program, the input schema for :func:`check`, and the input rows.
    """
    from deniable.rules.parser import parse

    parsed = parse(program_text(program.rules), path)
    clauses = list(parsed.clauses)
    heads = {c.head.rel for c in clauses}
    index = max((c.index for c in clauses), default=-1) + 1
    inputs: dict[str, list[tuple[str, str]]] = {}
    rows: dict[str, list[tuple[Any, ...]]] = {}
    for rel, facts in program.facts.items():
        types = _column_types(facts) if rel not in heads and facts else None
        if types is not None:
            inputs[rel] = [(f"c{i}", t) for i, t in enumerate(types)]
            rows[rel] = [tuple(row) for row in facts]
            continue
        for row in facts:
            head = Atom(rel, tuple(_constant(v) for v in row))
            clauses.append(Clause(head, (), index=index))
            index += 1
    built = Program(
        decls=parsed.decls,
        types=parsed.types,
        directives=parsed.directives,
        clauses=tuple(clauses),
        sources=parsed.sources,
    )
    return built, inputs, rows


def read_model(db: Database, checked: Any) -> Model:
    """Every relation of ``checked`` as the set of its rows (attribute columns only)."""
    schema = relation_schema(db, checked)
    facts: dict[str, set[tuple[Any, ...]]] = {}
    for rel, info in checked.relations.items():
        if rel not in schema.columns:
            facts[rel] = set()
            continue
        if info.arity == 0:
            found = db.execute(f"SELECT 1 FROM {quote(rel)} LIMIT 1").fetchall()
            facts[rel] = {()} if found else set()
            continue
        cols = ", ".join(quote(c) for c in schema.columns[rel][: info.arity])
        facts[rel] = {tuple(r) for r in db.execute(f"SELECT {cols} FROM {quote(rel)}")}
    return Model(facts=facts)


def _freeze(program: YamlProgram) -> tuple[Any, ...]:
    facts = tuple(
        sorted((rel, tuple(tuple(row) for row in rows)) for rel, rows in program.facts.items())
    )
    return (tuple(program.rules), facts)


class ConformanceEvaluator:
    """Runs suite programs through deniable with the engine ``engine`` (``sql`` or ``pydatalog``).

    Many suite cases share one program and assert different relations of it (the
    19 ``lubm`` cases share 103,074 facts); the outcome of a program, model or
    error, is therefore kept per program content and engine for the session.
    """

    _cache: dict[tuple[Any, ...], Model | BaseException] = {}  # noqa: RUF012
    _lock = threading.Lock()

    def __init__(self, engine: Any) -> None:
        # A name, or an engine already built (postgres, with its server).
        self.engine = engine

    def evaluate(self, program: YamlProgram) -> Model:
        """Evaluate ``program``; raise deniable's error (or :class:`SafetyViolationError`)."""
        key = (getattr(self.engine, "name", self.engine), *_freeze(program))
        with self._lock:
            outcome = self._cache.get(key)
        if outcome is None:
            try:
                outcome = self._evaluate(program)
            except Exception as error:
                outcome = error
            with self._lock:
                self._cache[key] = outcome
        if isinstance(outcome, BaseException):
            raise outcome
        return Model(facts={rel: set(rows) for rel, rows in outcome.facts.items()})

    def _evaluate(self, program: YamlProgram) -> Model:
        from deniable.rules.checks import check

        built, inputs, rows = build_program(program)
        try:
            checked = check(built, inputs=inputs, infer_decls=True)
        except RuleError as error:
            if error.code in SUITE_SYNONYMS:
                raise SafetyViolationError(error) from error
            raise
        db = Database(memory=True)
        try:
            for rel, info in checked.relations.items():
                if not info.is_input:
                    continue
                # Relations in a body that nothing defines and no fact fills stay empty.
                table = db.table(rel)
                table.create(
                    {
                        a: _COLUMN_TYPES.get(t, str)
                        for a, t in zip(info.attributes, info.types, strict=False)
                    }
                )
                if rows.get(rel):
                    db.conn.executemany(
                        f"INSERT INTO {quote(rel)} VALUES ({', '.join('?' * info.arity)})",
                        rows[rel],
                    )
            # As `deniable run` does for the tables it loads.
            index_inputs(db, checked)
            get_engine(self.engine).derive(checked, db)
            return read_model(db, checked)
        finally:
            db.close()


def fact_count(program: YamlProgram | None) -> int:
    """How many facts a suite program brings (0 for cases without a program)."""
    if program is None:
        return 0
    return sum(len(rows) for rows in program.facts.values())
