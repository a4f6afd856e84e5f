"""The shell's state: the fact store, the rule files, and the rules typed in this session.

The session program is the standard rules, the user's rule files and the
statements typed in.  Each accepted statement is kept as its own ``.dl`` file in
a private folder that is handed to the workbench as one more rule folder, so a
query sees exactly what ``deniable query`` would see with those rules on disk.
A statement is accepted only when the whole program still checks.
"""

from __future__ import annotations

import dataclasses
import re
import shutil
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from deniable.errors import DeniableError, Diagnostic, Location, RuleError, StoreError
from deniable.facts.store import FactStore
from deniable.repl.render import SESSION_DIR_PREFIX, display_path

if TYPE_CHECKING:
    from deniable.rules.engines.base import Limits
    from deniable.rules.evidence import Explanations
    from deniable.rules.freshness import Staleness

#: How diagnostics name the statement being typed and the earlier session statements.
TYPED_PATH = "<input>"
SESSION_PATH = "<session>"


@dataclass(frozen=True, slots=True)
class RelationSummary:
    """One line of ``:relations``; ``rows`` is ``None`` when not yet evaluated."""

    name: str
    arity: int
    kind: str  # "fact", "derived", "helper" (of the standard rules) or "session"
    rows: int | None


class Session:
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

    # ------------------------------------------------------------------ the program

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

    # ------------------------------------------------------------------ questions

    def query(self, atom_text: str) -> Any:
        """Answer a query atom over the store with the session program.

        Raises:
            DeniableError: the atom does not parse, names an unknown relation, or the
                program cannot be evaluated.
        """
        from deniable.rules.workbench import query_store

        if not self._asks_the_store(atom_text):
            self.derive()
        return query_store(self.store, atom_text, rules_dirs=self.all_rules_dirs)

    def explain(self, atom_text: str, *, limit: int = 10) -> Explanations:
        """Proofs of the rows matching ``atom_text`` (at most ``limit``), and how many matched."""
        from deniable.rules.workbench import explain_store

        if not self._asks_the_store(atom_text):
            self.derive()
        return explain_store(self.store, atom_text, rules_dirs=self.all_rules_dirs, limit=limit)

    def _asks_the_store(self, atom_text: str) -> bool:
        """Whether the question needs no derivation: it reads store relations only, or
        names a relation no rule defines (an error the query reports; deriving first
        would only delay it). Text that does not parse needs none either.
        """
        from deniable.rules.goals import parse_question
        from deniable.rules.workbench import PREPARED_INPUTS

        try:
            atoms = parse_question(atom_text).atoms()
        except RuleError:
            return True
        stored = self.store.relations()
        defined = getattr(self._program, "idb", None)

        def needs_none(rel: str) -> bool:
            if rel in stored:
                return True
            return defined is not None and rel not in defined and rel not in PREPARED_INPUTS

        return all(needs_none(atom.rel) for atom in atoms)

    def facts(self, pred: str) -> Any:
        """Rows of ``pred``: statements with modality and source for an extracted predicate,
        the rows of another store relation, or the answers of a derived one."""
        from deniable.facts.model import PREDICATES
        from deniable.rules.workbench import Answers

        if pred in PREDICATES:
            rows = [
                (a, b, modality, source, doc)
                for _, p, a, b, modality, source, doc in self.store.rows("statement")
                if p == pred
            ]
            return Answers(pred, ("a", "b", "modality", "source", "doc"), rows)
        if pred in self.store.relations():
            return Answers(pred, self.store.relation_columns(pred), self.store.rows(pred))
        info = self._relation_info(pred)
        if info is None:
            raise StoreError(f"no relation called {pred!r}; see :relations")
        names = list(info.attributes)
        if len(set(names)) != len(names) or not all(re.fullmatch(r"[a-z]\w*", n) for n in names):
            names = [f"x{i}" for i in range(info.arity)]
        return self.query(f"{pred}({', '.join(names)})")

    def _relation_info(self, name: str) -> Any:
        relations = getattr(self._program, "relations", None) or {}
        return relations.get(name)

    def relations(self, *, counts: bool = True) -> list[RelationSummary]:
        """Every relation: the store's facts, derived relations of rule files, session ones.

        With ``counts`` the session program is evaluated first so derived rows are known
        (unless the rule files did not load).
        """
        stored = self.store.relations()
        evaluate = counts and self.load_error is None
        sizes = self.derive() if evaluate else (self._sizes or {})
        session_defined = set(self._session_relations())
        out: list[RelationSummary] = []
        for name, types in stored.items():
            rows = len(self.store.rows(name)) if counts else None
            out.append(RelationSummary(name, len(types), "fact", rows))
        from deniable.rules.catalogue import relation_kinds

        relations = getattr(self._program, "relations", None) or {}
        kinds = relation_kinds(self._program) if self._program is not None else {}
        for name in getattr(self._program, "idb", ()):
            kind = "session" if name in session_defined else "derived"
            if kind == "derived" and kinds.get(name) == "helper":
                kind = "helper"
            out.append(RelationSummary(name, relations[name].arity, kind, sizes.get(name)))
        order = {"fact": 0, "derived": 1, "session": 2, "helper": 3}
        return sorted(out, key=lambda r: (order[r.kind], r.name))

    def _session_relations(self) -> list[str]:
        from deniable.rules.parser import parse

        names: list[str] = []
        for text in self.statements:
            program = parse(text, SESSION_PATH)
            names += [c.head.rel for c in program.clauses] + [d.name for d in program.decls]
        return names

    def relation_names(self) -> list[tuple[str, str]]:
        """``(name, "kind/arity")`` of every relation, for completion."""
        return [(r.name, f"{r.kind}/{r.arity}") for r in self.relations(counts=False)]

    def entity_names(self) -> list[tuple[str, str]]:
        """``(name, type)`` of every entity, for completion."""
        return [(name, "entity") for name in self.store.entity_names()]

    def review(self, action: str, ids: Sequence[int], *, reason: str = "") -> list[Any]:
        """Confirm or reject statements in the store file and in the session's copy.

        The shell works on a copy, so the decision is written to the file (where it
        lasts) and repeated in the copy (so the next question sees it).

        Raises:
            StoreError: an unknown id, a store file that changed since the shell opened
                (its ids may name other statements now), or one that cannot be written.
        """
        from deniable.facts import review

        if self.store.path is None:
            raise StoreError("this session has no store file to record decisions in")
        by = review.reviewer()

        def decide(store: FactStore) -> list[Any]:
            if action == "confirm":
                return review.confirm(store, ids, by=by)
            return review.reject(store, ids, reason=reason, by=by)

        mine = review.review_queue(self.store, ids=ids)
        with FactStore.open(self.store.path, create=False) as original:
            theirs = review.review_queue(original, ids=ids)
            if [_key(i) for i in mine] != [_key(i) for i in theirs]:
                raise StoreError(
                    f"{self.store.path} changed since the shell opened; leave and start it again"
                )
            decide(original)
        self._sizes = None
        return decide(self.store)

    def export(self, fmt: str, out_dir: Path) -> list[Path]:
        """Write the fact tables like ``deniable export``; return the files written."""
        from deniable.facts.export import export_store

        return list(export_store(self.store, fmt=fmt, out_dir=out_dir))


def _key(item: Any) -> tuple[Any, ...]:
    """What names a statement in both copies of a store."""
    return (item.statement_id, item.doc, item.pred, item.args, item.sentence)


def _snapshot(db_path: Path) -> FactStore:
    """An in-memory copy of the store at ``db_path``.

    The shell derives its session rules into the copy, so experiments typed in
    never write conclusions into the user's file.

    Raises:
        StoreError: no fact store at ``db_path``.
    """
    with FactStore.open(db_path, create=False) as original:
        return original.snapshot()
