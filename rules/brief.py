"""A brief for an editor: each conclusion as plain sentences, each claim footnoted to its source.

:func:`build_brief` reads the rows of the conclusions asked for, explains each
along its strongest chain (:mod:`deniable.rules.strongest`) and words the chain:
a headline for the conclusion, then one sentence per statement it rests on, in
the order a reader checks them (the denial, then the contact, then the ties
that make the contact matter).  Each sentence keeps its modality in its words
("according to leaked logs", "allegedly") and points at a footnote giving the
outlet, title, date, author and URL of the article, the quoted sentence and
the statement's review status.  The value is plain data; ``brief_markdown`` and
``brief_html`` print it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from deniable.errors import UsageError
from deniable.facts.documents import Citation, citations
from deniable.facts.store import EvidenceRow, FactStore
from deniable.rules.strongest import Chain, strongest_chain
from deniable.rules.workbench import load_store_program, query_store

__all__ = [
    "DEFAULT_RELATIONS",
    "Brief",
    "Claim",
    "Finding",
    "Footnote",
    "build_brief",
    "claim_text",
]

#: The conclusions a brief reports when none are named, in this order.
DEFAULT_RELATIONS = (
    "denial_contradicted_by_contact",
    "denial_contradicted_by_role",
    "conflicting_reports",
)

#: Section headings of the standard conclusions.
HEADINGS = {
    "denial_contradicted_by_contact": "Denials contradicted by reported contact",
    "denial_contradicted_by_role": "Denials contradicted by a reported role",
    "conflicting_reports": "Conflicting reports of contact",
    "corroborated": "Facts corroborated by independent sources",
}

#: Relations whose rows are unordered pairs: a brief words (a, b) and (b, a) once.
_SYMMETRIC = frozenset({"conflicting_reports", "contact", "seen_with"})
#: The order in which a chain's statements are told: the denial first, then the contact.
_TELLING_ORDER = {"denies": 0, "called": 1, "met": 1, "pictured_with": 2, "role": 3}
_ENGINE_COLUMNS = frozenset({"_rule", "_height"})


@dataclass(frozen=True, slots=True)
class Claim:
    """One sentence of a finding; ``note`` is its footnote (``None``: the entity file says so)."""

    text: str
    note: int | None
    modality: str


@dataclass(frozen=True, slots=True)
class Finding:
    """One conclusion: its headline, the claims of its strongest chain, and its strength."""

    rel: str
    row: tuple[Any, ...]
    headline: str
    claims: tuple[Claim, ...]
    strength: str | None


@dataclass(frozen=True, slots=True)
class Footnote:
    """The source of one claim: the article and the sentence that says it, and how."""

    number: int
    statement_id: int
    citation: Citation
    sentence: str
    span: tuple[int, int]
    modality: str
    source: str
    review: str


@dataclass(frozen=True, slots=True)
class Brief:
    """Findings grouped by relation (in the order asked for) and the footnotes they cite."""

    relations: tuple[str, ...]
    findings: tuple[Finding, ...]
    footnotes: tuple[Footnote, ...]
    #: Every name the findings and their statements involve (for the contact graph).
    names: tuple[str, ...] = ()
    #: How many rows each relation has, shown or not (``report --limit`` shows fewer).
    totals: tuple[tuple[str, int], ...] = ()

    def heading(self, rel: str) -> str:
        """The section heading of a relation's findings."""
        return HEADINGS.get(rel, rel)

    @property
    def total(self) -> int:
        """How many findings there are in all, of which ``findings`` are shown."""
        return sum(n for _rel, n in self.totals) if self.totals else len(self.findings)

    def left_out(self, rel: str) -> int:
        """How many findings of ``rel`` the limit left out."""
        shown = sum(1 for f in self.findings if f.rel == rel)
        return dict(self.totals).get(rel, shown) - shown

    def shown_line(self) -> str:
        """``"N of M findings shown (--limit N)"`` when the limit left some out, else ``""``."""
        if self.total == len(self.findings):
            return ""
        return f"{len(self.findings)} of {self.total} findings shown (--limit {len(self.findings)})"


def build_brief(
    store: FactStore,
    relations: Sequence[str] = (),
    *,
    rules_dirs: Sequence[Path] = (),
    cwd_rules: bool = True,
    limit: int | None = None,
) -> Brief:
    """Word the rows of ``relations`` (default :data:`DEFAULT_RELATIONS`) as findings.

    With ``limit``, the first ``limit`` rows (relation by relation, in order) are
    worded; the brief still counts every row (:attr:`Brief.totals`).

    Raises:
        UsageError: a relation is not among the derived conclusions.
        DeniableError: as :func:`~deniable.rules.workbench.explain_store`.
    """
    relations = tuple(dict.fromkeys(relations or DEFAULT_RELATIONS))
    derived = set(store.derived_tables())
    for rel in relations:
        if rel not in derived:
            raise UsageError(
                f"{rel} is not a derived conclusion of this store; name one of "
                f"{', '.join(r for r in DEFAULT_RELATIONS if r in derived) or 'the conclusions'}"
                " (or run `deniable derive` first)"
            )
    notes = _Notes()
    findings: list[Finding] = []
    program = load_store_program(store, rules_dirs, cwd_rules=cwd_rules)
    totals = []
    for rel in relations:
        rows = _rows(store, rel, rules_dirs, cwd_rules)
        totals.append((rel, len(rows)))
        room = len(rows) if limit is None else max(0, limit - len(findings))
        for row in rows[:room]:
            chain = strongest_chain(
                store, rel, row, rules_dirs=rules_dirs, cwd_rules=cwd_rules, rules=program
            )
            findings.append(_finding(chain, notes))
    documents = citations(store, (e.doc for e in notes.rows.values()))
    footnotes = tuple(
        _footnote(number, notes.rows[sid], documents) for sid, number in notes.numbers.items()
    )
    names = {str(v) for f in findings for v in f.row if isinstance(v, str)}
    names |= {a for e in notes.rows.values() for a in e.args}
    return Brief(relations, tuple(findings), footnotes, tuple(sorted(names)), tuple(totals))


def _rows(
    store: FactStore, rel: str, rules_dirs: Sequence[Path], cwd_rules: bool
) -> list[tuple[Any, ...]]:
    width = sum(1 for c in store.db[rel].columns if c.name not in _ENGINE_COLUMNS)
    names = ", ".join(f"v{i}" for i in range(width))
    answers = query_store(store, f"{rel}({names})", rules_dirs=rules_dirs, cwd_rules=cwd_rules)
    rows = [tuple(r) for r in answers.rows]
    if rel in _SYMMETRIC:
        seen: set[tuple[Any, ...]] = set()
        once = []
        for row in rows:
            if (row[1], row[0], *row[2:]) not in seen:
                seen.add(row)
                once.append(row)
        rows = once
    return rows


class _Notes:
    """Footnote numbers by statement id, in order of first citation."""

    def __init__(self) -> None:
        self.numbers: dict[int, int] = {}
        self.rows: dict[int, EvidenceRow] = {}

    def number(self, item: EvidenceRow) -> int:
        if item.statement_id not in self.numbers:
            self.numbers[item.statement_id] = len(self.numbers) + 1
            self.rows[item.statement_id] = item
        return self.numbers[item.statement_id]


def _finding(chain: Chain, notes: _Notes) -> Finding:
    items: list[EvidenceRow] = []
    links: list[tuple[str, str]] = []
    seen: set[int] = set()
    for leaf in chain.proof.leaves():
        found = chain.proof.evidence.get((leaf.rel, tuple(leaf.row or ())), [])
        if not found and leaf.rel == "part_of" and len(leaf.row) == 2:
            links.append((str(leaf.row[0]), str(leaf.row[1])))
        # One statement per leaf: the first in reading order, as `why --brief` shows it.
        for item in found[:1]:
            if item.statement_id not in seen:
                seen.add(item.statement_id)
                items.append(item)
    items.sort(key=lambda e: _TELLING_ORDER.get(e.pred, 4))
    claims = [Claim(claim_text(e), notes.number(e), e.modality.value) for e in items]
    claims += [Claim(f"{part} is part of {whole}", None, "asserted") for part, whole in links]
    return Finding(chain.rel, chain.row, _headline(chain), tuple(claims), chain.strength)


def _headline(chain: Chain) -> str:
    row = [str(v) for v in chain.row]
    # The headline says no more than the chain: a reported chain reads "reportedly".
    adverb = {"reported": "reportedly ", "alleged": "allegedly "}.get(chain.strength or "", "")
    if chain.rel == "denial_contradicted_by_contact" and len(row) == 4:
        denier, subject, insider, kind = row
        how = {"called": f"was {adverb}in phone contact with", "met": f"{adverb}met"}.get(
            kind, f"{adverb}{kind}"
        )
        if insider == denier:
            return f"{denier} denied links to {subject}, yet {denier} itself {how} {subject}."
        return (
            f"{denier} denied links to {subject}, yet {insider}, who is tied to {denier}, "
            f"{how} {subject}."
        )
    if chain.rel == "denial_contradicted_by_role" and len(row) == 2:
        said = {"reported": "is reported to", "alleged": "is alleged to"}.get(chain.strength or "")
        if said is None:
            return (
                f"{row[0]} denied leading or belonging to {row[1]}, yet an article names "
                f"{row[0]} its leader or a member."
            )
        return (
            f"{row[0]} denied leading or belonging to {row[1]}, yet {row[0]} {said} lead or "
            "belong to it."
        )
    if chain.rel == "conflicting_reports" and len(row) == 2:
        return (
            f"Reports conflict on contact between {row[0]} and {row[1]}: one source reports it, "
            "another that it was refused or did not happen."
        )
    if chain.rel == "corroborated" and len(row) == 4:
        pred, a, b, n = row
        return f"{n} independent sources state {pred}({a}, {b})."
    return f"{chain.rel}({', '.join(row)})."


def claim_text(item: EvidenceRow) -> str:
    """A statement in plain words, its modality in them (no final full stop).

    ``reported`` names who reports it; ``alleged`` says "allegedly"; ``negated`` and
    ``attempted`` never read as if it happened.
    """
    a, b = item.args
    phrase = _verb_phrase(item.pred, b, item)
    if item.count and item.count > 1 and item.pred in ("called", "met"):
        phrase += " twice" if item.count == 2 else f" {item.count} times"
    if item.when:
        phrase += f" ({item.when})"
    modality = item.modality.value
    if modality == "reported":
        who = item.source
        return f"{a} {phrase}, according to {who}" if who else f"{a} reportedly {phrase}"
    if modality == "alleged":
        return f"{a} allegedly {phrase}"
    if modality == "negated":
        return f"it is denied that {a} {phrase}"
    if modality == "attempted":
        return f"{a} tried, without success: {phrase}"
    return f"{a} {phrase}"


def _verb_phrase(pred: str, b: str, item: EvidenceRow) -> str:
    if pred == "denies":
        return f"denied {item.claim}" if item.claim else f"denied links to {b}"
    if pred == "role":
        return f"is {item.role} at {b}" if item.role else f"has a role in {b}"
    words = {
        "called": "called",
        "met": "met",
        "pictured_with": "was pictured with",
        "indicted_by": "was indicted by",
        "visited": "visited",
    }
    return f"{words.get(pred, pred)} {b}"


def _footnote(number: int, item: EvidenceRow, documents: dict[str, Citation]) -> Footnote:
    return Footnote(
        number=number,
        statement_id=item.statement_id,
        citation=documents.get(item.doc, Citation(item.doc, item.title, item.outlet, item.date)),
        sentence=item.sentence,
        span=(item.sentence_start, item.sentence_end),
        modality=item.modality.value,
        source=item.source,
        review=item.review,
    )
