"""The investigator's workbench: derive, query and explain conclusions over a fact store.

The CLI (``derive``, ``query``, ``why``), the REPL and the demo call these
functions; they glue the rule program (the standard library in ``rules/std``
plus the user's rules) to a :class:`~deniable.facts.store.FactStore` and one
engine.  Nothing here builds SQL: the store and the engines own the database.
"""

from __future__ import annotations

import contextlib
import difflib
import re
import sqlite3
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from importlib.abc import Traversable
from pathlib import Path
from typing import Any

from rich.console import Console
from sqlite_utils.db import quote_identifier

from deniable.errors import (
    DeniableError,
    Diagnostic,
    Location,
    RuleError,
    StoreError,
    UsageError,
    caret_context,
)
from deniable.facts import generation, review
from deniable.facts.store import FactStore
from deniable.rules.ast import Atom, Program
from deniable.rules.catalogue import relation_kinds
from deniable.rules.checked import CheckedProgram, RelationInfo
from deniable.rules.derive_summary import DeriveSummary
from deniable.rules.engines.base import Engine, Limits
from deniable.rules.evidence import (
    Explanations,
    Proof,
    evidence_of_fact,
    fact_proof,
    proof_evidence,
)
from deniable.rules.freshness import display_name, rules_fingerprint
from deniable.rules.rule_text import RULE_TEXT, write_rule_text

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
_WORD = re.compile(r"[^\W\d_]+")

#: Relations ``derive`` prepares from the store for rules: name -> ((column, type), ...).
PREPARED_INPUTS: dict[str, tuple[tuple[str, str], ...]] = {
    "claim_word": (("id", "number"), ("word", "symbol")),
}

RulePath = Traversable | Path


# --------------------------------------------------------------------------- values


@dataclass(frozen=True, slots=True)
class Answers:
    """The rows of ``relation`` that match a query; ``columns`` are the query's variables."""

    relation: str
    columns: tuple[str, ...]
    rows: list[tuple[Any, ...]]


# --------------------------------------------------------------------------- rule files


def standard_rule_files() -> list[Traversable]:
    """Return the standard rule library (``deniable.rules/std/*.dl``), sorted by name."""
    std = resources.files("deniable.rules") / "std"
    return sorted((f for f in std.iterdir() if f.name.endswith(".dl")), key=lambda f: f.name)


def rule_paths(rules_dirs: Sequence[Path] = (), *, cwd_rules: bool = True) -> list[RulePath]:
    """Return the rule files of a program: the standard library, ``./rules/*.dl``, then each dir.

    Args:
        rules_dirs: extra folders given with ``--rules``, in order.
        cwd_rules: include ``./rules/*.dl`` of the working directory when present
            (the demo turns this off: it reads nothing from the working directory).

    Raises:
        UsageError: a ``--rules`` folder does not exist or is not a folder.
    """
    paths: list[RulePath] = list(standard_rule_files())
    seen: set[Path] = set()
    folders: list[Path] = []
    local = Path("rules")
    if cwd_rules and local.is_dir():
        folders.append(local)
    for folder in rules_dirs:
        if not folder.is_dir():
            raise UsageError(f"{folder}: no such rules folder; give a folder of .dl files")
        folders.append(folder)
    for folder in folders:
        for path in sorted(folder.glob("*.dl")):
            key = path.resolve()
            if key not in seen:
                seen.add(key)
                paths.append(path)
    return paths


def load_store_program(
    store: FactStore, rules_dirs: Sequence[Path] = (), *, cwd_rules: bool = True
) -> CheckedProgram:
    """Parse every rule file as one program and check it against the store's relations.

    Raises:
        RuleError: every diagnostic of every file, sorted by location.
        UsageError: a ``--rules`` folder does not exist.
    """
    from deniable.rules.checks import check
    from deniable.rules.parser import parse_files

    paths = rule_paths(rules_dirs, cwd_rules=cwd_rules)
    with contextlib.ExitStack() as stack:
        # Package data is a real file in every ordinary install; as_file covers zips.
        files = [
            p if isinstance(p, Path) else stack.enter_context(resources.as_file(p)) for p in paths
        ]
        program = parse_files(files)
    return check(program, inputs=store_inputs(store))


def store_inputs(store: FactStore) -> dict[str, tuple[tuple[str, str], ...]]:
    """The relations rules may read, with named columns: the store's views and derive's inputs."""
    views = {
        name: tuple(zip(store.relation_columns(name), types, strict=True))
        for name, types in store.relations().items()
    }
    return {**views, **PREPARED_INPUTS}


def claim_words(claim: str) -> list[str]:
    """The distinct lower-case words of a denied claim, in order.

    >>> claim_words("Links to Prigozhin, links!")
    ['links', 'to', 'prigozhin']
    """
    return list(dict.fromkeys(_WORD.findall(claim.casefold())))


def _prepare_inputs(store: FactStore) -> None:
    """Write ``claim_word(id, word)`` from the claims of the stored statements.

    Rules cannot look inside a string on every engine (pyDatalog has no string
    functions), so the words of each claim are laid out as a relation instead.
    """
    rows = {
        (statement_id, word)
        for statement_id, key, value in store.rows("statement_detail")
        if key == "claim"
        for word in claim_words(str(value))
    }
    store.db["claim_word"].drop(ignore=True)
    store.db.create_table("claim_word", {"id": int, "word": str}, not_null={"id", "word"})
    store.db.table("claim_word").insert_all(
        ({"id": i, "word": w} for i, w in sorted(rows)), batch_size=500
    )


# --------------------------------------------------------------------------- derive


def derive_store(
    store: FactStore,
    *,
    rules_dirs: Sequence[Path] = (),
    engine: str | Engine = "sql",
    console: Console | None = None,
    cwd_rules: bool = True,
    confirmed_only: bool = False,
    full: bool = False,
    limits: Limits | None = None,
) -> DeriveSummary:
    """Evaluate the rules over the store and keep every derived relation as a table in it.

    Rules never see rejected statements; with ``confirmed_only`` they see only the
    statements a reviewer confirmed (:mod:`deniable.facts.review`).  When the rule
    files are the ones of the last derivation and the inputs only gained rows, the
    conclusions are extended incrementally (``full`` derives from scratch anyway);
    the summary's ``mode`` says which was done.  ``limits``
    bounds the evaluation (``--max-rounds``).

    Everything happens in one transaction: a failure leaves the store, and the
    conclusions of the previous ``derive``, as they were.  Tables of relations
    that an earlier run derived and no rule defines any more are removed, so a
    query never answers from stale conclusions.  The store's generation and the
    rule files' fingerprint are recorded with the tables
    (:mod:`deniable.rules.freshness` compares them later).

    Raises:
        RuleError: the rules are wrong, or a rule would overwrite a table of the store.
        EvaluationError: the engine failed (limit reached, unsupported construct).
        StoreError: the store cannot be written (read-only file or folder, disk full).
    """
    from deniable.rules.engines import get_engine

    # Before anything else: a read-only store would otherwise fail half-way with
    # SQLite's words (a swallowed DROP, then "table already exists").
    store.ensure_writable("derive into this store")
    paths = rule_paths(rules_dirs, cwd_rules=cwd_rules)
    # Hashed before parsing: a file edited in between then reads as changed next time.
    fingerprint = rules_fingerprint(paths)
    checked = load_store_program(store, rules_dirs, cwd_rules=cwd_rules)
    previous = set(store.derived_tables())
    _refuse_store_names(store, checked, previous)
    backend = get_engine(engine)
    started = time.perf_counter()
    if console is not None and console.is_terminal:
        status = console.status(f"deriving with the {backend.name} engine…")
    else:
        status = None
    with (
        status if status is not None else contextlib.nullcontext(),
        _writing(store),
        store.db.atomic(),
        review.confirmed_only(store.db, confirmed_only),
    ):
        # The transaction's first read: the generation and the rows derived are one snapshot.
        generation_read = generation.current(store.db)
        _prepare_inputs(store)
        mode, engine_name = _derive_rows(
            store, checked, backend, fingerprint.digest, full=full, limits=limits
        )
        dropped = sorted(previous - set(checked.idb))
        for name in dropped:
            store.db[name].drop(ignore=True)
        sizes = {name: _count_rows(store, name) for name in checked.idb}
        stamp = datetime.now(UTC).isoformat(timespec="seconds")
        registry = store.db.table("derived_relations")
        for name in dropped:
            registry.delete_where("name = ?", [name])
        registry.upsert_all(
            [
                {"name": name, "engine": engine_name, "derived_at": stamp, "rows": rows}
                for name, rows in sizes.items()
            ],
            pk="name",
        )
        write_rule_text(store.db, checked)
        generation.write_stamp(store.db, fingerprint.stamp(generation_read))
    return DeriveSummary(
        engine=engine_name,
        sizes=sizes,
        seconds=time.perf_counter() - started,
        rule_files=tuple(display_name(p) for p in paths),
        dropped=tuple(dropped),
        confirmed_only=confirmed_only,
        kinds=relation_kinds(checked),
        mode=mode,
    )


def _derive_rows(
    store: FactStore,
    checked: CheckedProgram,
    backend: Any,
    rules_hash: str,
    *,
    full: bool,
    limits: Limits | None = None,
) -> tuple[str, str]:
    """Derive incrementally where the last derivation allows, else in full; say which.

    Incremental needs the same rule files as last time, derived with the SQL engine
    (see :mod:`deniable.rules.engines.incremental`).  Returns the phrase saying what
    was done and the engine's name.
    """
    from deniable.rules.engines.incremental import (
        Increment,
        derive_incrementally,
        snapshot_inputs,
    )

    why = "asked with --full" if full else _incremental_blocker(store, rules_hash, backend.name)
    if why is None:
        result = derive_incrementally(checked, store.db, limits=limits)
        if isinstance(result, Increment):
            return result.describe(), backend.name
        why = result
    derivation = backend.derive(checked, store.db, limits=limits)
    snapshot_inputs(store.db, checked)
    return ("in full" if why == "" else f"in full ({why})"), derivation.engine


def _incremental_blocker(store: FactStore, rules_hash: str, engine: str) -> str | None:
    """Why this derivation cannot extend the last one ("": no last one), or ``None``."""
    stamp = generation.read_stamp(store.db)
    if stamp is None:
        return ""
    if stamp.rules_hash != rules_hash:
        return "the rule files changed"
    if engine != "sql":
        return f"the {engine} engine derives in full"
    engines = {r[0] for r in store.db.execute("SELECT DISTINCT engine FROM derived_relations")}
    if engines - {"sql"}:
        return "the last derivation used another engine"
    return None


def _count_rows(store: FactStore, name: str) -> int:
    return int(store.db.execute(f"SELECT count(*) FROM {quote_identifier(name)}").fetchone()[0])


@contextlib.contextmanager
def _writing(store: FactStore) -> Iterator[None]:
    """SQLite's own failures while writing conclusions (disk full, locked) as one line."""
    try:
        yield
    except sqlite3.Error as error:
        where = Location(str(store.path)) if store.path is not None else None
        raise StoreError(f"cannot write the derived relations: {error}", where) from None


def _refuse_store_names(store: FactStore, checked: CheckedProgram, previous: set[str]) -> None:
    """A rule must never replace one of the store's own tables or views."""
    taken = set(store.db.table_names()) | set(store.db.view_names()) | {RULE_TEXT}
    problems = []
    for name in checked.idb:
        if name in taken and (name not in previous or name == RULE_TEXT):
            info = checked.relations.get(name)
            span = info.span if info is not None else None
            problems.append(
                Diagnostic(
                    "store-name",
                    f"relation {name} would overwrite the store's own {name!r}; "
                    "rename the relation",
                    span.location if span is not None else None,
                )
            )
    if problems:
        raise RuleError(problems)


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
                _prepare_inputs(store)
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
