"""``deniable derive`` over a store: one transaction that replaces the conclusions.

Incremental where the last derivation allows it, in full otherwise; the store's
generation and the rule files' fingerprint are stamped with the tables.
"""

from __future__ import annotations

import contextlib
import sqlite3
import time
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from rich.console import Console
from sqlite_utils.db import quote_identifier

from deniable.errors import Diagnostic, Location, RuleError, StoreError
from deniable.facts import generation, review
from deniable.facts.store import FactStore
from deniable.rules.catalogue import relation_kinds
from deniable.rules.checked import CheckedProgram
from deniable.rules.derive_summary import DeriveSummary
from deniable.rules.engines.base import Engine, Limits
from deniable.rules.freshness import display_name, rules_fingerprint
from deniable.rules.rule_text import RULE_TEXT, write_rule_text
from deniable.rules.store_catalogue import CATALOGUE, write_catalogue
from deniable.rules.store_program import load_store_program, prepare_inputs, rule_paths


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
        prepare_inputs(store)
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
        # Last: it lists exactly the tables this derivation leaves.
        write_catalogue(store.db, checked)
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
    own = {RULE_TEXT, CATALOGUE}
    taken = set(store.db.table_names()) | set(store.db.view_names()) | own
    problems = []
    for name in checked.idb:
        if name in taken and (name not in previous or name in own):
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
