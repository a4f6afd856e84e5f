"""Rich rendering of answers and errors, shared by the shell and the CLI (proofs: ``proofs.py``).

Everything that comes from articles, entity files or rule text reaches Rich as
:class:`rich.text.Text`, never as a markup string, so a name like ``[bold]``
prints as written.
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Mapping, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from deniable.errors import DeniableError, RuleError
from deniable.repl.suggest import quote

#: Colours of the modalities: the stronger the statement, the calmer the colour.
MODALITY_STYLES: dict[str, str] = {
    "asserted": "bold green",
    "reported": "yellow",
    "alleged": "magenta",
    "negated": "red",
    "attempted": "red",
}
SPAN_STYLE = "bold underline"
#: The name of the temporary folders that hold a shell session's typed-in rules start so.
SESSION_DIR_PREFIX = "deniable-session-"
FORMATS = ("table", "csv", "json")


# --------------------------------------------------------------------------- values


def get_field(obj: Any, *names: str, default: Any = None) -> Any:
    """The first of ``names`` that ``obj`` has, as an attribute or a mapping key."""
    for name in names:
        if isinstance(obj, Mapping):
            if name in obj:
                return obj[name]
        elif hasattr(obj, name):
            return getattr(obj, name)
    return default


def format_value(value: object) -> str:
    """A value as the rule language writes it: strings quoted, numbers bare.

    >>> format_value("Yevgeny Prigozhin"), format_value(99)
    ('"Yevgeny Prigozhin"', '99')
    """
    if isinstance(value, str):
        return quote(value)
    if value is None:
        return "_"
    return str(value)


def format_row(rel: str, row: Sequence[object]) -> str:
    """``rel("a", 2)``: a row written as a ground atom.

    >>> format_row("met", ("A", "B"))
    'met("A", "B")'
    """
    return f"{rel}({', '.join(format_value(v) for v in row)})"


def display_path(path: object) -> str:
    """A rule file's path as the user knows it: ``std/x.dl`` for the standard library,
    relative to the working directory when below it, else as given."""
    text = str(path)
    if SESSION_DIR_PREFIX in text:
        return "<session>"  # rules typed in live in a temporary folder nobody should see
    std = str(resources.files("deniable.rules") / "std")
    if text.startswith(std + os.sep):
        return "std/" + text[len(std) + 1 :]
    try:
        return str(Path(text).relative_to(Path.cwd()))
    except ValueError:
        return text


# Control characters in a cell would be expanded or executed by the terminal and
# break the table's layout; show them the way the rule language writes them.
_CONTROL = {i: f"\\x{i:02x}" for i in range(32)} | {9: "\\t", 10: "\\n", 13: "\\r", 127: "\\x7f"}


def _cell(value: object) -> Text:
    return Text("" if value is None else str(value).translate(_CONTROL))


# --------------------------------------------------------------------------- answers


def print_answers(answers: Any, console: Console, *, fmt: str = "table") -> None:
    """Print query answers as a Rich table, or as plain CSV or JSON for machines.

    Args:
        answers: an ``Answers`` value with ``columns``, ``rows`` and ``relation``.
        console: where to print; CSV and JSON go to ``console.file`` unstyled.
        fmt: ``table``, ``csv`` or ``json`` (a list of objects keyed by column).
    """
    columns = [str(c) for c in get_field(answers, "columns", default=())]
    rows = [tuple(r) for r in get_field(answers, "rows", default=())]
    relation = str(get_field(answers, "relation", default="") or "")
    if fmt == "csv":
        _write_csv(console.file, columns, rows)
        return
    if fmt == "json":
        objects = [dict(zip(columns, row, strict=False)) for row in rows]
        console.file.write(json.dumps(objects, ensure_ascii=False, indent=2, default=str) + "\n")
        return
    if fmt != "table":
        raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    renderable = answers_table(columns, rows, relation)
    print_paged(renderable, console, tall=len(rows) + 6 > console.height)


def print_paged(renderable: RenderableType, console: Console, *, tall: bool | None = None) -> None:
    """Print ``renderable``, through the pager when it is taller than the terminal.

    Only a person at a terminal gets a pager; pipes and tests get everything at
    once.  ``tall`` says whether it is too tall when the caller knows (else it is
    measured by rendering it).
    """
    if console.is_terminal and console.is_interactive:
        if tall is None:
            tall = len(console.render_lines(renderable, pad=False)) >= console.height
        if tall:
            with console.pager(styles=_pager_shows_colour()):
                console.print(renderable)
            return
    console.print(renderable)


def _write_csv(out: Any, columns: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    plain = csv.writer(out, lineterminator="\n")
    # With "\n" line ends a lone "\r" is not special to the writer, but readers end a
    # line there: quote every field of such a row.
    quoted = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_ALL)
    plain.writerow(columns)
    for row in rows:
        cells = ["" if v is None else v for v in row]
        (quoted if any("\r" in str(c) for c in cells) else plain).writerow(cells)


def _pager_shows_colour() -> bool:
    """Whether the pager passes colours through (``less -R``); else page plain text."""
    pager = os.environ.get("MANPAGER") or os.environ.get("PAGER") or "less"
    flags = os.environ.get("LESS", "") if pager.split()[0].endswith("less") else ""
    return any(f in f"{pager} {flags}" for f in ("-R", "-r", "R"))


def answers_table(
    columns: Sequence[str], rows: Sequence[Sequence[object]], relation: str
) -> RenderableType:
    """The relation's name, a table of ``rows`` and a row count; ``yes``/``no`` without columns.

    Title and count stand outside the table so a narrow table never wraps them.
    """
    if not columns:
        return Text("yes" if rows else "no", style="bold")
    table = Table()
    for column in columns:
        table.add_column(Text(column), overflow="fold")
    for row in rows:
        table.add_row(*(_cell(v) for v in row))
    count = Text(f"{len(rows)} row" + ("" if len(rows) == 1 else "s"), style="dim")
    return Group(Text(relation, style="bold"), table, count) if relation else Group(table, count)


# --------------------------------------------------------------------------- errors


def format_error(error: BaseException) -> Text:
    """The error as its one-line form, each followed by the source line and a caret.

    Print it with ``soft_wrap=True``: a wrapped line would move the caret.

    For a :class:`RuleError` every error diagnostic is listed (warnings are not).
    """
    entries: list[tuple[str, str]] = []
    if isinstance(error, RuleError):
        for d in error.diagnostics:
            if d.severity == "error":
                entries.append((str(d), d.context))
    elif isinstance(error, DeniableError):
        entries.append((str(error), error.context))
    else:
        entries.append((f"error: {error}", ""))
    text = Text()
    for i, (line, context) in enumerate(entries):
        if i:
            text.append("\n")
        body = Text(line)
        body.highlight_regex(r"\berror:", "bold red")
        body.highlight_regex(r"\bwarning:", "bold yellow")
        text.append_text(body)
        if context:
            text.append("\n")
            text.append(context.rstrip("\n"))
    return text
