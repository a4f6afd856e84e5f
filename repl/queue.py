"""Rich rendering of the review queue, shared by ``deniable review`` and the shell's ``:review``.

Each statement shows its id, the fact, its modality and attribution, the document
and the sentence with the extracted span highlighted, then where it stands in
review.  Text from articles reaches Rich as :class:`rich.text.Text`, never markup.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from rich.console import Console, Group, RenderableType
from rich.text import Text

from deniable.facts.review import QueueItem, Status
from deniable.repl.render import MODALITY_STYLES, SPAN_STYLE, format_row, format_value

__all__ = ["STATUS_STYLES", "print_queue", "queue_item"]

STATUS_STYLES: dict[Status, str] = {
    Status.UNREVIEWED: "yellow",
    Status.CONFIRMED: "bold green",
    Status.REJECTED: "bold red",
}
#: What to do next once decisions changed what rules see.
DERIVE_HINT = (
    "the next query, why or repl re-derives the conclusions; "
    "`deniable derive --confirmed-only` derives from confirmed statements alone"
)


def queue_item(item: QueueItem) -> RenderableType:
    """One statement of the queue: header, document, sentence, and its decision."""
    head = Text(f"#{item.statement_id}  ", style="bold")
    head.append(format_row(item.pred, item.args), style="bold")
    head.append("  ")
    head.append(item.modality, style=MODALITY_STYLES.get(item.modality, ""))
    if item.source:
        head.append(" by ")
        head.append(item.source, style="bold")
    head.append("  ")
    head.append(f"[{item.status.value}]", style=STATUS_STYLES[item.status])
    where = Text("    ")
    where.append(item.doc)
    about = ", ".join(x for x in (item.outlet, item.date) if x)
    if item.title or about:
        where.append(" — ", style="dim")
        where.append(item.title + (f" ({about})" if about else ""), style="dim italic")
    sentence = Text(item.sentence)
    if item.sentence_start < item.sentence_end:
        sentence.stylize(SPAN_STYLE, item.sentence_start, item.sentence_end)
    lines: list[RenderableType] = [head, where, Text("    ") + sentence]
    for arg, original in item.corrections:
        lines.append(Text(f"    argument {arg} corrected from {format_value(original)}", "cyan"))
    if item.status is not Status.UNREVIEWED:
        decision = Text(f"    {item.status.value} by {item.reviewer}, {item.at}")
        if item.reason:
            decision.append(": ")
            decision.append(item.reason)
        decision.stylize(STATUS_STYLES[item.status])
        lines.append(decision)
    return Group(*lines)


def print_queue(items: Sequence[QueueItem], console: Console) -> None:
    """Print the queue with a count by status; through the pager when it is long."""
    from deniable.repl.render import print_paged

    if not items:
        console.print(Text("no statements match", style="dim"))
        return
    parts: list[RenderableType] = []
    for item in items:
        if parts:
            parts.append(Text())
        parts.append(queue_item(item))
    counts = Counter(item.status for item in items)
    noun = "statement" if len(items) == 1 else "statements"
    summary = ", ".join(f"{counts[s]} {s.value}" for s in Status if counts[s])
    parts.append(Text(f"\n{len(items)} {noun}: {summary}", style="dim"))
    print_paged(Group(*parts), console)
