"""What a shell session answers: queries, proofs, facts, relations, review decisions, exports.

Questions about derived relations evaluate the session program first, once, in
the session's copy of the store (:mod:`deniable.repl.session_rules`); questions
about the store's own relations never derive.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from deniable.errors import RuleError, StoreError
from deniable.facts.store import FactStore
from deniable.repl.session_rules import SessionRules

if TYPE_CHECKING:
    from deniable.rules.evidence import Explanations

__all__ = ["RelationSummary", "SessionAnswers"]


@dataclass(frozen=True, slots=True)
class RelationSummary:
    """One line of ``:relations``; ``rows`` is ``None`` when not yet evaluated."""

    name: str
    arity: int
    kind: str  # "fact", "derived", "helper" (of the standard rules) or "session"
    rows: int | None


class SessionAnswers(SessionRules):
    """The questions part of :class:`~deniable.repl.session.Session`."""

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
