"""``deniable extract``: the facts one document gives and, with ``--trace``, why.

For each sentence the trace shows the names the reader found (with their type), every candidate
each extractor produced, and the modality decided for it, or why it was dropped.  It is how a
user finds out why a fact is missing or wrong.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from deniable.errors import InputError, Location
from deniable.facts.model import Extraction
from deniable.grammar.entities import Knowledge
from deniable.grammar.extract import extract
from deniable.grammar.reader import Named, Traced, names_of, trace
from deniable.grammar.readers import Problem, read


@dataclass(frozen=True, slots=True)
class DocumentReport:
    """One document's facts and, when asked, the reader's trace."""

    extraction: Extraction
    traced: tuple[Traced, ...]
    named: tuple[Named, ...]
    sentence: int | None
    tracing: bool = False

    def __rich__(self) -> Group:
        ex = self.extraction
        wanted = [s for s in ex.sentences if self.sentence in (None, s.index)]
        parts: list[RenderableType] = []
        for s in wanted if self.tracing or self.sentence is not None else []:
            parts.append(Text(f"[{s.index}] {s.text.strip()}", style="bold"))
            parts.extend(_sentence_trace(self.named, self.traced, s.index))
        facts = Table(title=f"facts of {ex.document.name}")
        for col in ("sent", "predicate", "a", "b", "modality", "source", "pattern"):
            facts.add_column(col)
        for f in ex.facts:
            if self.sentence is not None and f.evidence.sentence != self.sentence:
                continue
            facts.add_row(
                str(f.evidence.sentence),
                f.pred,
                f.args[0],
                f.args[1],
                f.modality.value,
                f.source,
                f.evidence.pattern,
            )
        parts.append(facts)
        return Group(*parts)


def _sentence_trace(
    named: tuple[Named, ...], traced: tuple[Traced, ...], index: int
) -> list[RenderableType]:
    chunks = Text("  names: ")
    for m in named:
        if m.sentence == index:
            chunks.append(m.text, style="cyan")
            chunks.append(f" = {m.name} ({m.kind});  ")
    rows = Table(box=None, show_header=True, padding=(0, 1))
    for col in ("extractor", "candidate", "decision"):
        rows.add_column(col)
    for t in traced:
        if t.sentence != index:
            continue
        c = t.candidate
        if t.modality is None:
            verdict = "dropped: no fact either way (plan, speculation, question, denied claim)"
        else:
            verdict = t.modality.value + (f" (source: {t.source})" if t.source else "")
        rows.add_row(c.pattern, f"{c.pred}({c.a}, {c.b})", verdict)
    return [chunks, rows]


def explain_file(
    path: Path,
    *,
    knowledge: Knowledge | None = None,
    traced: bool = False,
    sentence: int | None = None,
) -> list[DocumentReport]:
    """Extract every document of ``path``; raise :class:`InputError` if it cannot be read."""
    out = []
    for item in read(path):
        if isinstance(item, Problem):
            raise InputError(item.reason, Location(item.where))
        ex = extract(item, knowledge)
        if sentence is not None and not any(s.index == sentence for s in ex.sentences):
            raise InputError(
                f"there is no sentence {sentence} (the document has {len(ex.sentences)})",
                Location(str(path)),
            )
        steps = tuple(trace(item, ex.sentences)) if traced else ()
        named = tuple(names_of(item, ex.sentences)) if traced else ()
        out.append(DocumentReport(ex, steps, named, sentence, traced))
    return out


def print_reports(reports: list[DocumentReport], console: Console) -> None:
    for r in reports:
        console.print(r)
