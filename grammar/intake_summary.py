"""What ``deniable ingest`` did: the kinds of skip, one :class:`Skip` per file or record left
out, and the :class:`IngestSummary` the command prints."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from rich.console import Group
from rich.table import Table

from deniable.errors import Location
from deniable.facts.locks import LOCKED

#: Why something was skipped -> its row in the summary.  "unsupported" files (found in a
#: folder, not named) are listed but do not fail the ingest: a folder of articles often
#: holds other files too.
KINDS: dict[str, str] = {
    "unreadable": "files skipped (unreadable)",
    "too-large": "files skipped (too large)",
    "empty": "files skipped (empty)",
    "binary": "files skipped (binary)",
    "encoding": "files skipped (wrong encoding)",
    "no-text": "files skipped (no article text found)",
    "bad-record": "records skipped (bad JSON Lines record)",
    "record-too-large": "records skipped (too large)",
    "not-stored": "documents skipped (could not be extracted or stored)",
    "unreadable-folder": "folders not read (cannot be listed)",
    # One skip for the rest of the batch: another process held the store's lock too long.
    "locked": "documents not stored (the store stayed locked; run the same ingest again)",
    "unsupported": "files not read (not an article format)",
    # Not a skip: the document is read, its over-long lines cut.
    "cut": "documents with over-long lines cut into sentences",
}
_HARMLESS = frozenset({"unsupported", "cut"})


@dataclass(frozen=True, slots=True)
class Skip:
    """A file, JSON Lines record or document left out: where (``line`` 0: whole file), why.

    Kind ``cut`` is a notice, not a skip: the document is read, with its long lines cut."""

    path: str
    reason: str
    kind: str
    line: int = 0

    def __str__(self) -> str:
        return f"{Location(self.path, self.line)}: {self.reason}"


@dataclass(slots=True)
class IngestSummary:
    """What an ingest did: documents stored and already stored, sentences, facts, skips."""

    ingested: int = 0
    duplicates: int = 0
    #: Texts already stored from another place, now recorded under one more source.
    sources: int = 0
    sentences: int = 0
    facts: Counter[tuple[str, str]] = field(default_factory=Counter)
    skips: list[Skip] = field(default_factory=list)
    entity_files: list[str] = field(default_factory=list)
    #: Documents left unstored when another process kept the store locked (one skip says so).
    locked_out: int = 0

    @property
    def ok(self) -> bool:
        """True when every article file and record was stored (or already was)."""
        return all(s.kind in _HARMLESS for s in self.skips)

    @property
    def by_kind(self) -> Counter[str]:
        """How many were skipped for each kind of reason."""
        return Counter(s.kind for s in self.skips)

    def __rich__(self) -> Group:
        summary = Table(title="ingest", show_header=False, box=None)
        summary.add_column(style="bold")
        summary.add_column(justify="right")
        summary.add_row("documents ingested", str(self.ingested))
        summary.add_row("documents skipped (already stored)", str(self.duplicates))
        if self.sources:
            summary.add_row("documents already stored, another source added", str(self.sources))
        counts = self.by_kind
        for kind, label in KINDS.items():
            if counts[kind]:
                summary.add_row(label, str(self.locked_out if kind == LOCKED else counts[kind]))
        summary.add_row("sentences", str(self.sentences))
        summary.add_row("facts", str(sum(self.facts.values())))
        parts: list[Any] = [summary]
        if self.facts:
            parts.append(facts_table(self.facts))
        return Group(*parts)


def facts_table(facts: Counter[tuple[str, str]]) -> Table:
    """Facts stored, by predicate (rows) and modality (columns)."""
    table = Table(title="facts per predicate")
    table.add_column("predicate")
    modalities = sorted({m for _p, m in facts})
    for m in modalities:
        table.add_column(m, justify="right")
    for pred in sorted({p for p, _m in facts}):
        table.add_row(pred, *(str(facts.get((pred, m), 0)) for m in modalities))
    return table
