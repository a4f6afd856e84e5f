"""Writing a brief or the contact graph to a file: the format, the text, all or nothing written.

``deniable report`` and ``deniable graph`` call these.  A file is written beside
its target and moved into place, so a failure never leaves half a report, and
an existing report is replaced only by a complete one.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Sequence
from html import escape
from pathlib import Path

from deniable.errors import Location, OutputError, UsageError
from deniable.facts.access import write_blocker
from deniable.facts.store import FactStore
from deniable.rules.brief import build_brief
from deniable.rules.brief_html import brief_html, html_page
from deniable.rules.brief_markdown import brief_markdown
from deniable.rules.contact_graph import contact_graph
from deniable.rules.graph_svg import render_svg

__all__ = ["GRAPH_FORMATS", "REPORT_FORMATS", "render_report", "write_graph", "write_report"]

REPORT_FORMATS = ("md", "html")
GRAPH_FORMATS = ("svg", "png", "html")
_SUFFIXES = {
    ".md": "md", ".markdown": "md", ".html": "html", ".htm": "html", ".svg": "svg", ".png": "png",
}  # fmt: skip


def render_report(
    store: FactStore,
    relations: Sequence[str] = (),
    *,
    fmt: str = "md",
    rules_dirs: Sequence[Path] = (),
    max_nodes: int = 60,
    limit: int | None = None,
) -> str:
    """The brief of ``relations`` as Markdown or HTML text (HTML with the contact graph).

    ``limit`` words the first that many findings only, and the brief says how many of
    how many it shows.

    Raises:
        UsageError: an unknown format or relation.
    """
    if fmt not in REPORT_FORMATS:
        raise UsageError(f"unknown report format {fmt!r}; use one of {', '.join(REPORT_FORMATS)}")
    brief = build_brief(store, relations, rules_dirs=rules_dirs, limit=limit)
    name = store.path.name if store.path is not None else "<memory>"
    if fmt == "md":
        return brief_markdown(brief, store_name=name)
    graph = contact_graph(store, focus=brief.names, max_nodes=max_nodes)
    svg = render_svg(graph, standalone=False, title=f"Contact graph of {name}")
    return brief_html(brief, store_name=name, graph_svg=svg)


def write_report(
    store: FactStore,
    relations: Sequence[str] = (),
    *,
    out: Path,
    fmt: str | None = None,
    rules_dirs: Sequence[Path] = (),
    max_nodes: int = 60,
    limit: int | None = None,
) -> Path:
    """Write the brief to ``out`` (format from ``fmt``, else from the file's suffix).

    Raises:
        UsageError: unknown format or relation, or no format to tell from ``out``.
        OutputError: ``out`` cannot be written.
    """
    fmt = _format(out, fmt, REPORT_FORMATS, "report")
    text = render_report(
        store, relations, fmt=fmt, rules_dirs=rules_dirs, max_nodes=max_nodes, limit=limit
    )
    return write_whole(out, text)


def write_graph(
    store: FactStore, *, out: Path, fmt: str | None = None, max_nodes: int = 60
) -> Path:
    """Write the store's contact graph to ``out`` as SVG, as PNG, or as an HTML page around it.

    The PNG is the SVG drawn by headless Chromium (:mod:`deniable.rules.graph_png`).

    Raises:
        UsageError: unknown format, or none to tell from ``out``.
        OutputError: ``out`` cannot be written, or no Chromium can draw the PNG.
    """
    fmt = _format(out, fmt, GRAPH_FORMATS, "graph")
    graph = contact_graph(store, max_nodes=max_nodes)
    name = store.path.name if store.path is not None else "<memory>"
    title = f"Contact graph of {name}"
    if fmt == "svg":
        return write_whole(out, render_svg(graph, title=title))
    if fmt == "png":
        from deniable.rules.graph_png import svg_to_png

        _check_target(out)  # before Chromium takes its seconds
        return write_whole(out, svg_to_png(render_svg(graph, title=title), out))
    svg = render_svg(graph, standalone=False, title=title)
    body = f'<h1>{escape(title)}</h1>\n<figure id="graph">\n{svg}</figure>\n'
    return write_whole(out, html_page(title, body))


def _format(out: Path, fmt: str | None, allowed: tuple[str, ...], what: str) -> str:
    chosen = fmt or _SUFFIXES.get(out.suffix.lower())
    if chosen is None:
        raise UsageError(
            f"{out}: cannot tell the {what} format from the name; end it in "
            f"{_either(['.' + f for f in allowed])}, or give --format"
        )
    if chosen not in allowed:
        raise UsageError(f"a {what} is written as {_either(list(allowed))}, not {chosen}")
    return chosen


def _either(words: list[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} or {words[-1]}"


def _check_target(path: Path) -> None:
    if path.is_dir():
        raise OutputError("is a folder; give a file name with --out", Location(str(path)))
    if not path.parent.is_dir():
        raise OutputError(f"no folder {path.parent}; create it first", Location(str(path)))
    blocker = write_blocker(path)
    if blocker is not None:
        raise OutputError(f"cannot write: {blocker}", Location(str(path)))


def write_whole(path: Path, text: str | bytes) -> Path:
    """Write ``text`` (UTF-8) or bytes to ``path`` through a file beside it, replaced in one step.

    Raises:
        OutputError: the folder or the file cannot be written.
    """
    _check_target(path)
    scratch = None
    try:
        fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        scratch = Path(name)
        if isinstance(text, bytes):
            with os.fdopen(fd, "wb") as raw:
                raw.write(text)
        else:
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
                handle.write(text)
        os.replace(scratch, path)
        scratch = None
    except OSError as error:
        raise OutputError(f"cannot write: {error.strerror or error}", Location(str(path))) from None
    finally:
        if scratch is not None:
            with contextlib.suppress(OSError):
                scratch.unlink()
    return path
