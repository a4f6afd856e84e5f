"""The shell's state: the fact store, the rule files, and the rules typed in this session.

The session program is the standard rules, the user's rule files and the
statements typed in (:mod:`deniable.repl.session_rules`); what it answers is in
:mod:`deniable.repl.session_answers`.  This module opens and closes a session: a
copy of the store in memory, a private folder for the statements, and the verdict
on the stored conclusions.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from deniable.errors import Diagnostic, RuleError
from deniable.facts.store import FactStore
from deniable.repl.render import SESSION_DIR_PREFIX
from deniable.repl.session_answers import RelationSummary, SessionAnswers
from deniable.repl.session_rules import SESSION_PATH, TYPED_PATH

if TYPE_CHECKING:
    from deniable.rules.engines.base import Limits
    from deniable.rules.freshness import Staleness

__all__ = ["SESSION_PATH", "TYPED_PATH", "RelationSummary", "Session"]


class Session(SessionAnswers):
    """The store, the rule folders and the statements typed in; open with :meth:`open`.

    Args:
        store: the fact store (the session does not close a store it was given).
        rules_dirs: extra rule folders, as ``--rules`` gives them.
        engine: the engine queries use (``sql``, ``duckdb`` or ``pydatalog``).
        limits: bounds of its evaluation (``--max-rounds``).
    """

    def __init__(
        self,
        store: FactStore,
        rules_dirs: Sequence[Path] = (),
        *,
        engine: str = "sql",
        limits: Limits | None = None,
    ) -> None:
        self.store = store
        self.rules_dirs = [Path(d) for d in rules_dirs]
        self.engine = engine
        self.limits = limits
        self.statements: list[str] = []
        #: Warnings the checks gave about the statement most recently added.
        self.warnings: list[Diagnostic] = []
        # The .decl lines inferred for each statement, in step with `statements`.
        self._inferred: list[list[str]] = []
        #: Why the rule files did not load when the session opened (``None``: they did).
        self.load_error: RuleError | None = None
        self._owns_store = False
        self._dir = Path(tempfile.mkdtemp(prefix=SESSION_DIR_PREFIX))
        self._program: Any = None  # the last checked program, for :relations
        self._sizes: dict[str, int] | None = None  # rows per derived relation; None: stale
        self._evaluated = 0  # how many statements the last derivation included
        # Why the store's own conclusions were stale, until the derivation that says so.
        self._stale: Staleness | None = None
        self._report: Callable[[str], None] = lambda line: None

    @classmethod
    def open(
        cls,
        db_path: Path,
        *,
        rules_dirs: Sequence[Path] = (),
        engine: str = "sql",
        limits: Limits | None = None,
        derive: bool = True,
        report: Callable[[str], None] | None = None,
    ) -> Session:
        """Open a copy of the store at ``db_path`` in memory and check the rule files.

        Rule files that do not check leave the session open with ``load_error`` set:
        store relations can be browsed, derived ones repeat the error until
        :meth:`reload` succeeds.

        Args:
            derive: re-derive stale conclusions (in the copy) before the first question
                that needs them; ``False`` answers from them with a warning.
            report: called with the one-line note about stale conclusions.

        Raises:
            StoreError: no store at ``db_path``.
        """
        session = cls(_snapshot(db_path), rules_dirs, engine=engine, limits=limits)
        session._owns_store = True
        if report is not None:
            session._report = report
        try:
            session._program = session._check(session.rules_dirs)
        except RuleError as error:
            # The store can still be browsed; queries of derived relations repeat the error
            # until :reload finds the files fixed.
            session.load_error = error
        except BaseException:
            session.close()
            raise
        session._judge_stored_conclusions(derive=derive)
        return session

    def _judge_stored_conclusions(self, *, derive: bool) -> None:
        """Answer from the stored conclusions when current; else derive first, or warn."""
        from deniable.rules.conclusions import stale_warning
        from deniable.rules.freshness import rules_fingerprint, staleness
        from deniable.rules.workbench import rule_paths

        stale = staleness(self.store, rules_fingerprint(rule_paths(self.rules_dirs)))
        if stale is not None and derive:
            self._stale = stale  # derived (and said) at the first question that needs it
            return
        if stale is not None:
            self._report(stale_warning(self.store, stale))
        self._sizes = {
            str(row["name"]): int(row["rows"]) for row in self.store.db["derived_relations"].rows
        }

    def close(self) -> None:
        """Remove the session folder; close the store if the session opened it."""
        shutil.rmtree(self._dir, ignore_errors=True)
        if self._owns_store:
            self.store.close()

    def __enter__(self) -> Session:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def _snapshot(db_path: Path) -> FactStore:
    """An in-memory copy of the store at ``db_path``.

    The shell derives its session rules into the copy, so experiments typed in
    never write conclusions into the user's file.

    Raises:
        StoreError: no fact store at ``db_path``.
    """
    with FactStore.open(db_path, create=False) as original:
        return original.snapshot()
