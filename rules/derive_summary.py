"""What ``derive`` tells the user: the conclusions first, the user's relations, helpers summed up.

The standard rules derive some fifty relations, most of them steps on the way
(``tie_at``, ``source_has_earlier`` …).  The summary lists the conclusions a
reader asks for with what a row means, then the relations of the user's own rule
files, and sums up the helpers in one line unless asked to list them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rich.console import Console, ConsoleOptions, RenderResult
from rich.table import Table
from rich.text import Text

from deniable.rules.catalogue import STANDARD_CONCLUSIONS

__all__ = ["DeriveSummary"]


@dataclass(frozen=True, slots=True)
class DeriveSummary:
    """What ``derive`` materialised: rows per derived relation, engine and time.

    ``kinds`` says of each relation whether it is a ``conclusion``, a
    ``companion`` of one, the user's ``own`` or a ``helper``
    (:func:`~deniable.rules.catalogue.relation_kinds`); ``list_helpers`` prints the
    helpers' table instead of their count line.
    """

    engine: str
    sizes: dict[str, int]
    seconds: float
    rule_files: tuple[str, ...] = ()
    dropped: tuple[str, ...] = ()
    confirmed_only: bool = False
    kinds: dict[str, str] = field(default_factory=dict)
    list_helpers: bool = False

    def of_kind(self, kind: str) -> list[str]:
        """The relations of one kind; conclusions in the catalogue's order, others as derived."""
        names = [n for n in self.sizes if self.kinds.get(n, "own") == kind]
        if kind == "conclusion":
            order = list(STANDARD_CONCLUSIONS)
            names.sort(key=order.index)
        return names

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield Text(
            f"derived with the {self.engine} engine: {len(self.sizes)} relations, "
            f"{sum(self.sizes.values())} rows, {len(self.rule_files)} rule files, "
            f"{self.seconds:.2f} s"
            + (", from confirmed statements only" if self.confirmed_only else "")
        )
        conclusions = self.of_kind("conclusion")
        if conclusions:
            yield self._table("conclusions", conclusions, meanings=True)
        companions = self.of_kind("companion")
        if companions:
            yield Text(
                "each with a *_strength companion (the strength of its best chain); "
                "conflicting_reports_by adds the kind and the two sources",
                style="dim",
            )
        own = self.of_kind("own")
        if own:
            yield self._table("your rules", own, meanings=False)
        helpers = self.of_kind("helper")
        if helpers and self.list_helpers:
            yield self._table("helpers of the standard rules", helpers, meanings=False)
        elif helpers:
            rows = sum(self.sizes[n] for n in helpers)
            yield Text(
                f"and {len(helpers)} helper relations of the standard rules ({rows} rows); "
                "`deniable derive --helpers` lists them",
                style="dim",
            )
        if self.dropped:
            yield Text(
                "removed conclusions no rule derives any more: " + ", ".join(self.dropped),
                style="dim",
            )

    def _table(self, title: str, names: list[str], *, meanings: bool) -> Table:
        table = Table(title=Text(title, style="bold"), title_justify="left")
        table.add_column("relation")
        table.add_column("rows", justify="right")
        if meanings:
            table.add_column("a row means", overflow="fold")
        for name in names:
            cells: list[Text | str] = [Text(name), str(self.sizes[name])]
            if meanings:
                cells.append(Text(STANDARD_CONCLUSIONS.get(name, "")))
            table.add_row(*cells)
        return table
