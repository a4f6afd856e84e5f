"""Rich rendering of answers, proof trees and errors, shared by the shell and the CLI.

Everything that comes from articles, entity files or rule text reaches Rich as
:class:`rich.text.Text`, never as a markup string, so a name like ``[bold]``
prints as written.
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Iterable, Mapping, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

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


def _get(obj: Any, *names: str, default: Any = None) -> Any:
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
    columns = [str(c) for c in _get(answers, "columns", default=())]
    rows = [tuple(r) for r in _get(answers, "rows", default=())]
    relation = str(_get(answers, "relation", default="") or "")
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


# --------------------------------------------------------------------------- proofs


def print_proofs(proofs: Iterable[Any], console: Console) -> None:
    """Print each proof as a Rich tree, down to the sentences behind its facts.

    A proof is a ``Proof`` (a ``ProofTree`` in ``tree`` plus ``evidence`` for its
    leaves) or a bare ``ProofTree``.
    """
    parts: list[RenderableType] = []
    for proof in proofs:
        if parts:
            parts.append(Text())
        parts.append(proof_tree(proof))
        summary = review_summary(proof)
        if summary is not None:
            parts.append(summary)
    if not parts:
        console.print(Text("no rows match; nothing to explain", style="dim"))
        return
    print_paged(Group(*parts), console)


def review_summary(proof: Any) -> Text | None:
    """How many of the statements a proof rests on a reviewer confirmed (``None``: none cited)."""
    rows = _proof_statements(proof)
    if not rows:
        return None
    confirmed = sum(1 for r in rows.values() if _get(r, "review", default="") == "confirmed")
    noun = "statement" if len(rows) == 1 else "statements"
    return Text(f"{confirmed} of {len(rows)} supporting {noun} confirmed by review", style="dim")


def _proof_statements(proof: Any) -> dict[Any, Any]:
    """The distinct evidence rows of a proof, by statement id."""
    evidence = _get(proof, "evidence", default=None)
    found: dict[Any, Any] = {}
    if isinstance(evidence, Mapping):
        for rows in evidence.values():
            for row in rows:
                found.setdefault(_get(row, "statement_id", default=id(row)), row)
    return found


def proof_tree(proof: Any) -> Tree:
    """The Rich tree of one proof."""
    node = _get(proof, "tree", default=proof)
    evidence = _get(proof, "evidence", default=None)
    tree = Tree(_node_label(node))
    _add_children(tree, node, evidence)
    return tree


def _add_children(tree: Tree, node: Any, evidence: Any) -> None:
    if _get(node, "rule", default=None) is None:
        for item in _evidence_of(node, evidence):
            tree.add(evidence_text(item))
        return
    for child in _get(node, "children", default=()) or ():
        branch = tree.add(_node_label(child))
        _add_children(branch, child, evidence)
    for condition in _get(node, "conditions", default=()) or ():
        tree.add(Text.assemble(("✓ ", "green"), (str(condition), "green")))


def _evidence_of(node: Any, evidence: Any) -> list[Any]:
    own = _get(node, "evidence", default=None)
    if own is not None:
        return list(own)
    if not isinstance(evidence, Mapping):
        return []
    key = (_get(node, "rel", default=""), tuple(_get(node, "row", default=()) or ()))
    return list(evidence.get(key, ()))


#: What the explanation says about a node without a rule, as the shell words it.
_INPUT_NOTES = {"": "fact", "input": "fact", "missing": "not found in the store"}


def _node_label(node: Any) -> RenderableType:
    rel = str(_get(node, "rel", default=""))
    row = tuple(_get(node, "row", default=()) or ())
    note = str(_get(node, "note", default="") or "")
    rule = _get(node, "rule", default=None)
    if rule is None and not row and note:
        # A condition that held, given as a node of its own: only the check to show.
        return Text.assemble(("✓ ", "green"), (note, "green"))
    head = Text(format_row(rel, row), style="bold")
    if rule is None:
        head.append(f"  {_INPUT_NOTES.get(note, note)}", style="dim")
        return head
    if _get(rule, "is_fact", default=False):
        # A fact written in a rule file: where it is written is the whole story.
        head.append(f"  fact{_where(rule, ' at ')}", style="dim")
        return head
    lines: list[RenderableType] = [head, _rule_text(rule)]
    bindings = _get(node, "bindings", default=None) or {}
    if bindings:
        lines.append(_bindings_text(bindings))
    if note not in ("", "rule", "fact"):
        lines.append(Text(note, style="yellow"))
    return Group(*lines)


def _rule_text(rule: Any) -> Text:
    text = str(_get(rule, "text", default="") or "").strip() or str(rule)
    label = Text("by ", style="dim")
    label.append(" ".join(text.split()), style="cyan")
    where = _where(rule, "  (")
    if where:
        label.append(where + ")", style="dim")
    return label


def _where(rule: Any, prefix: str) -> str:
    """``prefix`` and ``file:line`` of the rule's source, or nothing when it has none."""
    origin = _get(rule, "origin", default=None)
    if origin is None or not _get(origin, "line", default=0):
        origin = _get(rule, "span", default=None)
    if origin is None or not _get(origin, "line", default=0):
        return ""
    return f"{prefix}{display_path(_get(origin, 'path'))}:{_get(origin, 'line')}"


def _bindings_text(bindings: Mapping[str, object] | Iterable[tuple[str, object]]) -> Text:
    pairs = bindings.items() if isinstance(bindings, Mapping) else bindings
    text = Text("with ", style="dim")
    for i, (name, value) in enumerate(pairs):
        if i:
            text.append(", ")
        text.append(str(name), style="italic")
        text.append(" = ")
        text.append(format_value(value))
    return text


def evidence_text(item: Any) -> Text:
    """One statement behind a fact: modality, source, article, and the sentence with its span.

    ``item`` is an ``EvidenceRow`` of the store: the span is ``sentence_start`` to
    ``sentence_end`` within ``sentence``; offsets out of range are clipped.
    """
    modality = _get(item, "modality", default="") or ""
    modality = str(getattr(modality, "value", modality))
    source = str(_get(item, "source", default="") or "")
    vouched = str(_get(item, "vouched_by", default="") or "")
    doc = str(_get(item, "doc", default="") or "")
    title = str(_get(item, "title", default="") or "")
    sentence = str(_get(item, "sentence", default="") or "")
    start = _get(item, "sentence_start", default=None)
    end = _get(item, "sentence_end", default=None)
    text = Text()
    text.append(modality or "?", style=MODALITY_STYLES.get(modality, ""))
    # The attributed source when the article names one, else who publishes it.
    who = source or (vouched if vouched != doc else "")
    if who:
        text.append(" by ")
        text.append(who, style="bold")
    text.append(" in ")
    text.append(doc)
    if title:
        # The title is not evidence: set it apart so it is never read as a quotation.
        text.append(" — ", style="dim")
        text.append(title, style="dim italic")
    if sentence:
        text.append("\n")
        body = Text(sentence)
        if isinstance(start, int) and isinstance(end, int):
            lo, hi = max(0, start), min(len(sentence), end)
            if lo < hi:
                body.stylize(SPAN_STYLE, lo, hi)
        text.append_text(body)
    return text


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
