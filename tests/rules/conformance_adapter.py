"""Evaluators that run datalog-conformance YAML programs through deniable's parser, checks and engines.

``ConformanceEvaluator("sql")`` and ``ConformanceEvaluator("pydatalog")`` implement the
suite's ``DatalogEvaluator`` protocol (``evaluate(program) -> Model``):

* the YAML ``rules`` strings are joined into one program text (a missing final ``.``
  is added) and parsed by :func:`deniable.rules.parser.parse`;
* the YAML ``facts`` become fact clauses of the program (ints as numbers, strings as
  symbols), numbered after the rules, so a relation can have facts and rules at once
  and its column types are inferred from facts and rules alike;
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
from collections.abc import Mapping, Sequence
from typing import Any

from datalog_conformance.schema import Model
from datalog_conformance.schema import Program as YamlProgram
from sqlite_utils import Database

from deniable.errors import RuleError
from deniable.rules.ast import Atom, Clause, Num, Program, Str, Term
from deniable.rules.engines import get_engine
from deniable.rules.engines.sqlite import relation_schema
from deniable.rules.sql import quote

#: deniable check codes that are, by definition, what the suite calls a safety violation
#: (a variable not range-restricted by a positive body atom), with the code the suite's
#: crepe cases use for the same finding.  Nothing else is renamed: every other error
#: reaches the runner with deniable's own class name and ``code``.
SUITE_SYNONYMS: dict[str, str] = {
    # p(X) :- q(Y).  /  ok(X) :- person(X), not banned(X, Y).
    "unbound_variable": "unbound_variable",
    # Ok(_) :- Ok(_).  A head wildcard is an unbound head variable (crepe: safety_violations).
    "wildcard_in_head": "safety_violations",
}


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


def build_program(program: YamlProgram, path: str = "<conformance>") -> Program:
    """A deniable :class:`Program`: the parsed rules, then one fact clause per YAML fact."""
    from deniable.rules.parser import parse

    parsed = parse(program_text(program.rules), path)
    clauses = list(parsed.clauses)
    index = max((c.index for c in clauses), default=-1) + 1
    for rel, rows in program.facts.items():
        for row in rows:
            head = Atom(rel, tuple(_constant(v) for v in row))
            clauses.append(Clause(head, (), index=index))
            index += 1
    return Program(
        decls=parsed.decls,
        types=parsed.types,
        directives=parsed.directives,
        clauses=tuple(clauses),
        sources=parsed.sources,
    )


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
        sorted(
            (rel, tuple(tuple(row) for row in rows)) for rel, rows in program.facts.items()
        )
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

    def __init__(self, engine: str) -> None:
        self.engine = engine

    def evaluate(self, program: YamlProgram) -> Model:
        """Evaluate ``program``; raise deniable's error (or :class:`SafetyViolationError`)."""
        key = (self.engine, *_freeze(program))
        with self._lock:
            outcome = self._cache.get(key)
        if outcome is None:
            try:
                outcome = self._evaluate(program)
            except Exception as error:  # noqa: BLE001 - replayed below, type intact
                outcome = error
            with self._lock:
                self._cache[key] = outcome
        if isinstance(outcome, BaseException):
            raise outcome
        return Model(facts={rel: set(rows) for rel, rows in outcome.facts.items()})

    def _evaluate(self, program: YamlProgram) -> Model:
        from deniable.rules.checks import check

        try:
            checked = check(build_program(program), infer_decls=True)
        except RuleError as error:
            if error.code in SUITE_SYNONYMS:
                raise SafetyViolationError(error) from error
            raise
        db = Database(memory=True)
        try:
            for rel, info in checked.relations.items():
                if info.is_input:
                    # Mentioned in a body, defined nowhere, no YAML facts: an empty input.
                    db.table(rel).create(
                        {a: _COLUMN_TYPES.get(t, str) for a, t in zip(info.attributes, info.types)}
                    )
            get_engine(self.engine).derive(checked, db)
            return read_model(db, checked)
        finally:
            db.close()


def fact_count(program: YamlProgram | None) -> int:
    """How many facts a suite program brings (0 for cases without a program)."""
    if program is None:
        return 0
    return sum(len(rows) for rows in program.facts.values())


def tags_of(case: Any) -> Mapping[str, bool]:
    """The tags of a suite case as a set-like mapping (for readable skip conditions)."""
    return dict.fromkeys(case.tags, True)
