"""The rules a shell session runs: the rule files and the statements typed in, checked, evaluated.

Each accepted statement is kept as its own ``.dl`` file in the session's private
folder, which is handed to the workbench as one more rule folder, so a query sees
exactly what ``deniable query`` would see with those rules on disk.  A statement
is accepted only when the whole program still checks; a derivation that fails
drops the statements typed since the last one that worked.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from deniable.errors import DeniableError, Diagnostic, Location, RuleError
from deniable.facts.store import FactStore
from deniable.repl.render import display_path

if TYPE_CHECKING:
    from deniable.rules.engines.base import Limits
    from deniable.rules.freshness import Staleness

__all__ = ["SESSION_PATH", "TYPED_PATH", "SessionRules"]

#: How diagnostics name the statement being typed and the earlier session statements.
TYPED_PATH = "<input>"
SESSION_PATH = "<session>"


class SessionRules:
    """The program part of :class:`~deniable.repl.session.Session` (which sets the state)."""

    store: FactStore
    rules_dirs: list[Path]
    engine: str
    limits: Limits | None
    statements: list[str]
    #: Warnings the checks gave about the statement most recently added.
    warnings: list[Diagnostic]
    #: Why the rule files did not load when the session opened (``None``: they did).
    load_error: RuleError | None
    _inferred: list[list[str]]
    _dir: Path
    _program: Any
    _sizes: dict[str, int] | None
    _evaluated: int
    _stale: Staleness | None
    _report: Callable[[str], None]

    @property
    def declarations(self) -> list[str]:
        """The ``.decl`` lines inferred for relations typed in without one."""
        return [line for lines in self._inferred for line in lines]

    @property
    def all_rules_dirs(self) -> list[Path]:
        """The rule folders a query reads: the given ones, then the session's."""
        return [*self.rules_dirs, self._dir] if self.statements else list(self.rules_dirs)

    def add(self, text: str) -> tuple[str, ...]:
        """Add rules, facts or declarations typed in; return the relations they define.

        The whole program is checked with the new text; on any error nothing is
        kept and the error names the typed text ``<input>``.

        Raises:
            RuleError: the text does not parse, or the program no longer checks.
        """
        from deniable.rules.parser import parse

        program = parse(text, TYPED_PATH)  # syntax errors point into what was typed
        index = len(self.statements)
        path, decl_path = self._statement_path(index), self._declaration_path(index)
        path.write_text(text + "\n", encoding="utf-8")
        dirs = [*self.rules_dirs, self._dir]
        heads = {*self._session_relations(), *(c.head.rel for c in program.clauses)}
        try:
            declarations, checked = self._infer_declarations(dirs, heads)
            if declarations:
                decl_path.write_text("\n".join(declarations) + "\n", encoding="utf-8")
            if checked is None:
                checked = self._check(dirs)
            else:
                self._refuse_store_names(checked)
        except BaseException as error:
            path.unlink(missing_ok=True)
            decl_path.unlink(missing_ok=True)
            if isinstance(error, RuleError):
                raise self._renamed(error) from None
            raise
        self.statements.append(text)
        self._inferred.append(declarations)
        self._program = checked
        self._sizes = None
        self.warnings = [
            self._rename(d, str(path))
            for d in getattr(checked, "warnings", ())
            if d.location is not None
            and d.location.path == str(path)
            # Declaring first and defining next is the normal order at a prompt.
            and d.code != "unused_relation"
        ]
        defined = [c.head.rel for c in program.clauses] + [d.name for d in program.decls]
        return tuple(dict.fromkeys(defined))

    def _infer_declarations(self, dirs: Sequence[Path], heads: set[str]) -> tuple[list[str], Any]:
        """``.decl`` lines for relations the session defines without declaring them.

        Only relations in a head are declared this way: an undeclared relation
        used in a body alone is more likely a typo, and the strict check says so.

        Returns:
            The lines, and the checked program when nothing had to be inferred (it
            is then what the strict check would give), else ``None``.
        """
        from deniable.rules.program import load_program
        from deniable.rules.workbench import rule_paths

        stored = self.store.relations()
        # The standard library is a Traversable; load_program reads each through Path().
        paths = [Path(str(p)) for p in rule_paths(dirs)]
        checked = load_program(paths, inputs=stored, infer_decls=True)
        declared = {d.name for d in checked.program.decls}
        inferred = [n for n in checked.relations if n not in declared and n not in stored]
        lines = []
        for name in inferred:
            if name in heads:
                info = checked.relations[name]
                types = info.declared_types or info.types
                attributes = ", ".join(
                    f"{a}: {t}" for a, t in zip(info.attributes, types, strict=True)
                )
                lines.append(f".decl {name}({attributes})")
        return lines, (None if inferred else checked)

    def reload(self) -> int:
        """Re-read the rule files; return how many there are.

        Raises:
            RuleError: a rule file (or a session statement with the new files) is wrong;
                the session keeps its previous program.
        """
        try:
            self._program = self._check(self.all_rules_dirs)
        except RuleError as error:
            raise self._renamed(error) from None
        self._sizes = None
        self.load_error = None
        return len(self.rule_files())

    def rule_files(self) -> list[str]:
        """The rule files the program is read from (standard, ./rules, --rules), in order."""
        from deniable.rules.workbench import rule_paths

        return [display_path(p) for p in rule_paths(self.rules_dirs)]

    def _statement_path(self, index: int) -> Path:
        # Zero-padded so that reading the folder in name order keeps typing order.
        return self._dir / f"s{index:05d}.dl"

    def _declaration_path(self, index: int) -> Path:
        return self._dir / f"d{index:05d}.dl"

    def _check(self, dirs: Sequence[Path]) -> Any:
        from deniable.rules.workbench import load_store_program

        checked = load_store_program(self.store, dirs)
        self._refuse_store_names(checked)
        return checked

    def _refuse_store_names(self, checked: Any) -> None:
        """A rule typed in must not define one of the store's relations (derive would refuse)."""
        stored = self.store.relations()
        problems = [
            Diagnostic(
                "store-name",
                f"relation {name} is one of the store's own; choose another name",
                info.span.location if info.span is not None else None,
            )
            for name, info in checked.relations.items()
            if name in stored and name in checked.idb
        ]
        if problems:
            raise RuleError(problems)

    @property
    def stale(self) -> bool:
        """Whether the next question about a derived relation evaluates the program first."""
        return self._sizes is None and self.load_error is None

    def derive(self) -> dict[str, int]:
        """Evaluate the session program into the session's copy of the store, when stale.

        A derivation that fails drops the statements typed since the last one that
        worked, so one runaway rule does not block every later query.

        Returns:
            Rows per derived relation.
        """
        from deniable.rules.workbench import derive_store

        if self._sizes is not None:
            return self._sizes
        if self.load_error is not None:
            raise self.load_error
        try:
            summary = derive_store(
                self.store, rules_dirs=self.all_rules_dirs, engine=self.engine, limits=self.limits
            )
        except RuleError as error:
            self._forget_unevaluated()
            raise self._renamed(error) from None
        except DeniableError:
            self._forget_unevaluated()
            raise
        self._sizes = dict(summary.sizes)
        self._evaluated = len(self.statements)
        if self._stale is not None:
            from deniable.rules.conclusions import derived_note

            why = "the shell works on a copy; `deniable derive` saves them"
            self._report(
                derived_note(
                    self.store, self._stale, summary.seconds, not_saved=why, how=summary.mode
                )
            )
            self._stale = None
        return self._sizes

    def _forget_unevaluated(self) -> None:
        for index in range(self._evaluated, len(self.statements)):
            self._statement_path(index).unlink(missing_ok=True)
            self._declaration_path(index).unlink(missing_ok=True)
        del self.statements[self._evaluated :]
        del self._inferred[self._evaluated :]
        self._program = self._check(self.all_rules_dirs)

    def _renamed(self, error: RuleError) -> RuleError:
        """The error with session files named ``<input>`` (the newest) or ``<session>``."""
        newest = str(self._statement_path(len(self.statements)))
        return RuleError([self._rename(d, newest) for d in error.diagnostics])

    def _rename(self, d: Diagnostic, newest: str) -> Diagnostic:
        if d.location is None or not d.location.path.startswith(str(self._dir)):
            return d
        path = TYPED_PATH if d.location.path == newest else SESSION_PATH
        return dataclasses.replace(d, location=Location(path, d.location.line, d.location.column))

    def _session_relations(self) -> list[str]:
        from deniable.rules.parser import parse

        names: list[str] = []
        for text in self.statements:
            program = parse(text, SESSION_PATH)
            names += [c.head.rel for c in program.clauses] + [d.name for d in program.decls]
        return names
