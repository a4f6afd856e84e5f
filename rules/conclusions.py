"""Current conclusions for ``query`` and ``why``: re-derive a stale store first, and say so.

:func:`current_conclusions` hands a command the store to answer from.  When the
conclusions are current it is the store itself and nothing is said.  When they
are stale it re-derives them first (into the file, or, for a store that cannot be
written, into a copy in memory that is thrown away afterwards) and reports one
line with the reason and the time taken; with ``derive=False`` it answers from
what is there and reports a warning naming the generation the conclusions are from.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from deniable.errors import DeniableError, StoreError
from deniable.facts.store import FactStore
from deniable.rules.engines.base import Engine, Limits
from deniable.rules.freshness import Staleness, rules_fingerprint, staleness

__all__ = ["Report", "current_conclusions", "derived_note", "stale_warning", "store_label"]

#: Where the one-line notes go (the CLI prints them on stderr).
Report = Callable[[str], None]


@contextlib.contextmanager
def current_conclusions(
    store: FactStore,
    *,
    atom_text: str | None = None,
    rules_dirs: Sequence[Path] = (),
    derive: bool = True,
    engine: str | Engine = "sql",
    limits: Limits | None = None,
    cwd_rules: bool = True,
    report: Report,
) -> Iterator[FactStore]:
    """Yield the store to answer from, its conclusions re-derived first when stale.

    Args:
        atom_text: the query; one that names a relation the store holds itself
            (``met``, ``statement`` …), or does not parse, needs no conclusions and
            is answered from ``store`` as it is (the query reports its own errors).
        rules_dirs, cwd_rules: the rule program, as :func:`~deniable.rules.workbench.rule_paths`.
        derive: ``False`` answers stale conclusions as they are, with a warning.
        engine, limits: how a re-derivation evaluates (``--engine``, ``--max-rounds``).
        report: called with each one-line note (at most one).

    Raises:
        RuleError: the rules changed and no longer check (``derive=False`` answers anyway).
        EvaluationError, StoreError: the re-derivation failed; the store is as it was.
    """
    from deniable.rules.workbench import derive_store, rule_paths

    if atom_text is not None and not _asks_conclusions(store, atom_text):
        yield store
        return
    stale = staleness(store, rules_fingerprint(rule_paths(rules_dirs, cwd_rules=cwd_rules)))
    if stale is None:
        yield store
        return
    if not derive:
        report(stale_warning(store, stale))
        yield store
        return
    blocker = _write_blocker(store)
    with contextlib.ExitStack() as stack:
        target = store if blocker is None else stack.enter_context(store.snapshot())
        started = time.perf_counter()
        summary = derive_store(
            target, rules_dirs=rules_dirs, engine=engine, cwd_rules=cwd_rules, limits=limits
        )
        seconds = time.perf_counter() - started
        report(derived_note(store, stale, seconds, not_saved=blocker, how=summary.mode))
        yield target


def stale_warning(store: FactStore, stale: Staleness) -> str:
    """The one line that says conclusions are answered stale (``--no-derive``)."""
    origin = (
        f"of generation {stale.derived.generation}"
        if stale.derived is not None
        else "of unknown origin"
    )
    return (
        f"{store_label(store)}: warning: answering from stale conclusions {origin} "
        f"({stale.reason}); drop --no-derive or run `deniable derive` to update them"
    )


def derived_note(
    store: FactStore,
    stale: Staleness,
    seconds: float,
    *,
    not_saved: str | None = None,
    how: str = "",
) -> str:
    """The one line that says the conclusions were re-derived, why, how, and how long it took.

    Args:
        not_saved: why the store could not be written, when the derivation went
            into a copy in memory instead.
        how: the derivation's mode ("in full (…)" or "incremental: …").
    """
    where = "" if not_saved is None else " in memory"
    note = f"{store_label(store)}: re-derived the conclusions{where} in {seconds:.2f} s"
    note += f" ({stale.reason}" + (f"; {how})" if how else ")")
    return note if not_saved is None else f"{note}; not saved: {not_saved}"


def store_label(store: FactStore) -> str:
    """How notes name the store: its file, or ``<memory>``."""
    return str(store.path) if store.path is not None else "<memory>"


def _asks_conclusions(store: FactStore, atom_text: str) -> bool:
    from deniable.rules.parser import parse_atom

    try:
        atom = parse_atom(atom_text)
    except DeniableError:
        return False
    return atom.rel not in store.relations()


def _write_blocker(store: FactStore) -> str | None:
    """Why the store cannot take a derivation (read-only, or SQLite refuses), or ``None``."""
    action = "save the conclusions"
    try:
        store.ensure_writable(action)
    except StoreError as error:
        return error.message.removeprefix(f"cannot {action}: ")
    return None
