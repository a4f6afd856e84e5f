"""Rich tables for who is who: the entities, the names that may be two people, the decisions."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from deniable.facts.ambiguity import Ambiguity
from deniable.facts.entity_decisions import Decision
from deniable.facts.name_forms import NameForm, closest_names, name_forms
from deniable.facts.store import FactStore

__all__ = ["ambiguity_table", "decisions_table", "entities_table"]


def entities_table(store: FactStore, *, contains: str = "") -> RenderableType:
    """Every entity (whose name contains ``contains``, any case): type and statements.

    Entities an article called by ``contains`` as a surname, a title with it or a
    description (:func:`name_forms`) are listed too, with how and where; when nothing
    matches, the closest names are suggested.
    """
    counts: Counter[str] = Counter()
    for _id, _pred, a, b, _modality, _source, _doc in store.rows("statement"):
        counts[a] += 1
        counts[b] += 1
    wanted = contains.casefold()
    kinds = dict(store.rows("entity"))
    rows = [n for n in kinds if wanted in n.casefold()]
    known_as: dict[str, list[str]] = {}
    for form in name_forms(store, contains) if contains.strip() else []:
        known_as.setdefault(form.name, []).append(_known_as(form))
        if form.name not in rows:
            rows.append(form.name)
    rows.sort()
    table = Table()
    headings = ["entity", "type", "statements"] + (["called so in"] if known_as else [])
    for heading in headings:
        table.add_column(heading, justify="right" if heading == "statements" else "left")
    for name in rows:
        cells: list[RenderableType] = [Text(name), Text(kinds.get(name, "")), str(counts[name])]
        if known_as:
            cells.append(Text("; ".join(known_as.get(name, []))))
        table.add_row(*cells)
    count = f"{len(rows)} entit{'y' if len(rows) == 1 else 'ies'}"
    parts: list[RenderableType] = [table, Text(count, style="dim")]
    if not rows and contains.strip():
        close = closest_names(store, contains)
        if close:
            parts.append(Text(f"closest names: {', '.join(close)}", style="dim"))
    return Group(*parts)


def _known_as(form: NameForm) -> str:
    docs = ", ".join(form.docs)
    if form.how == "description":
        return f"{form.detail} ({docs})"
    if form.how == "alias":
        return f"{form.detail} (alias)"
    return f"{form.form}, {form.how} ({docs})"


def ambiguity_table(found: Sequence[Ambiguity]) -> RenderableType:
    """The possibly different people, a row per document, with the command that settles it."""
    if not found:
        return Text("no name has unrelated organisations in different documents", style="dim")
    table = Table(title=Text("possibly different people", style="bold"), title_justify="left")
    for heading in ("name", "document", "organisations", "posts"):
        table.add_column(heading, overflow="fold")
    for item in found:
        for i, reading in enumerate(item.readings):
            table.add_row(
                Text(item.name if i == 0 else ""),
                Text(reading.doc),
                Text(", ".join(reading.orgs)),
                Text(", ".join(reading.roles)),
            )
    hint = Text(
        f"{len(found)} name{'s' if len(found) != 1 else ''}; settle one with "
        "`deniable entities split NAME --doc DOC` (or `merge` when two names are one person)",
        style="dim",
    )
    return Group(table, hint)


def decisions_table(found: Sequence[Decision]) -> RenderableType:
    """The recorded decisions, oldest first."""
    if not found:
        return Text("no entity decisions recorded", style="dim")
    return Group(*(Text(str(d)) for d in found))


def print_decision(decision: Decision, console: Console) -> None:
    """One decision and the hint that the conclusions follow on the next question."""
    console.print(Text(str(decision)))
    console.print(
        Text("the next query, why, report or repl re-derives the conclusions", style="dim")
    )
