"""The contact graph as SVG text: names on a circle, contacts as lines, denials as marked edges.

Written by hand, with no drawing library and nothing fetched: a call is a blue
line, a meeting a green one, a photograph a grey dotted one, a denial a red
dashed arrow from the denier with a cross at its middle; the weaker the best
statement behind an edge, the lighter it is drawn (asserted, reported, alleged).
Every name and label from the store is escaped, so a name that is markup is
shown as text.  The output is the same for the same graph, byte for byte.
"""

from __future__ import annotations

import math
from html import escape

from deniable.rules.contact_graph import (
    CONTACT_KINDS,
    DRAWN_MODALITIES,
    Edge,
    Graph,
    Placed,
    circle_layout,
)

__all__ = ["EDGE_STYLES", "OPACITY", "render_svg"]

#: Stroke colour and dash pattern of each kind of edge.
EDGE_STYLES = {
    "called": ("#1f6fb4", ""),
    "met": ("#2b8a3e", ""),
    "pictured_with": ("#6c6c6c", "2 4"),
    "denies": ("#c92a2a", "8 4"),
}
#: How opaque an edge is at its best modality: the weaker, the lighter.
OPACITY = {"asserted": 1.0, "reported": 0.6, "alleged": 0.3}
_WORDS = {"called": "called", "met": "met", "pictured_with": "pictured with", "denies": "denies"}
_NODE_R = 7
_LABEL_CHARS = 34
_MIN_WIDTH = 640
_LEGEND = 86


def render_svg(graph: Graph, *, standalone: bool = True, title: str = "Contact graph") -> str:
    """The SVG document (``standalone``: with an XML declaration, for a ``.svg`` file)."""
    radius = 120.0 + 14.0 * min(len(graph.nodes), 20)
    cy = radius + 90.0
    height = int(2 * cy + _LEGEND)
    # Room for a label of _LABEL_CHARS on either side of the circle.
    width = max(_MIN_WIDTH, int(2 * (radius + 250)))
    cx = width / 2
    placed = circle_layout(graph, cx=cx, cy=cy, radius=radius)
    out = []
    if standalone:
        out.append('<?xml version="1.0" encoding="UTF-8"?>')
    out.append(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="contact-graph" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" aria-labelledby="graph-title" font-family="sans-serif" font-size="12">'
    )
    out.append(f'<title id="graph-title">{escape(title)}</title>')
    out.append(
        '<defs><marker id="denial-arrow" viewBox="0 0 10 10" refX="9" refY="5" '
        'markerWidth="7" markerHeight="7" orient="auto-start-reverse">'
        f'<path d="M0,0 L10,5 L0,10 z" fill="{EDGE_STYLES["denies"][0]}"/></marker></defs>'
    )
    out.append(f'<rect width="{width}" height="{height}" fill="#ffffff"/>')
    if not graph.nodes:
        out.append(
            f'<text x="{cx:.0f}" y="{cy:.0f}" text-anchor="middle" fill="#555">'
            "no calls, meetings, photographs or denials to draw</text>"
        )
    out += _edges(graph, placed)
    out += _nodes(graph, placed)
    out += _legend(graph, height)
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _edges(graph: Graph, placed: dict[str, Placed]) -> list[str]:
    lines = []
    # Several kinds between the same two names are drawn as curves side by side.
    pairs: dict[tuple[str, str], list[int]] = {}
    for i, edge in enumerate(graph.edges):
        pairs.setdefault(_pair(edge), []).append(i)
    for i, edge in enumerate(graph.edges):
        group = pairs[_pair(edge)]
        bend = (group.index(i) - (len(group) - 1) / 2) * 22.0
        p, q = placed[edge.a], placed[edge.b]
        (x1, y1), (mx, my), (x2, y2) = _curve((p.x, p.y), (q.x, q.y), bend)
        colour, dash = EDGE_STYLES[edge.kind]
        width = 1.5 + 0.5 * min(edge.statements, 6)
        attrs = (
            f'class="edge {edge.kind} {edge.modality}" data-a="{escape(edge.a)}" '
            f'data-b="{escape(edge.b)}" fill="none" stroke="{colour}" '
            f'stroke-width="{width:.1f}" stroke-opacity="{OPACITY[edge.modality]}"'
        )
        if dash:
            attrs += f' stroke-dasharray="{dash}"'
        if edge.kind == "denies":
            attrs += ' marker-end="url(#denial-arrow)"'
        noun = "statement" if edge.statements == 1 else "statements"
        tip = f"{edge.a} {_WORDS[edge.kind]} {edge.b}: {edge.modality} ({edge.statements} {noun})"
        lines.append(
            f'<path {attrs} d="M{x1:.1f},{y1:.1f} Q{mx:.1f},{my:.1f} {x2:.1f},{y2:.1f}">'
            f"<title>{escape(tip)}</title></path>"
        )
        if edge.kind == "denies":
            # The cross marks a denial even where the dashes and the colour are lost (print).
            tx, ty = (x1 + 2 * mx + x2) / 4, (y1 + 2 * my + y2) / 4
            lines.append(
                f'<text class="denial-mark" x="{tx:.1f}" y="{ty + 4:.1f}" text-anchor="middle" '
                f'fill="{colour}" font-weight="bold" fill-opacity="{OPACITY[edge.modality]}">'
                "✕</text>"
            )
    return lines


def _pair(edge: Edge) -> tuple[str, str]:
    return (edge.a, edge.b) if edge.a <= edge.b else (edge.b, edge.a)


def _curve(
    start: tuple[float, float], end: tuple[float, float], bend: float
) -> tuple[tuple[float, float], tuple[float, float], tuple[float, float]]:
    """Start, control point and end of a quadratic curve from node to node, off the circles."""
    (x1, y1), (x2, y2) = start, end
    dx, dy = x2 - x1, y2 - y1
    length = math.hypot(dx, dy) or 1.0
    nx, ny = -dy / length, dx / length
    mx, my = (x1 + x2) / 2 + nx * bend, (y1 + y2) / 2 + ny * bend
    # Stop short of the node circles so an arrowhead stays visible.
    ax, ay = _toward((x1, y1), (mx, my), _NODE_R + 1)
    bx, by = _toward((x2, y2), (mx, my), _NODE_R + 3)
    return (ax, ay), (mx, my), (bx, by)


def _toward(p: tuple[float, float], q: tuple[float, float], step: float) -> tuple[float, float]:
    dx, dy = q[0] - p[0], q[1] - p[1]
    length = math.hypot(dx, dy) or 1.0
    return p[0] + dx / length * step, p[1] + dy / length * step


def _nodes(graph: Graph, placed: dict[str, Placed]) -> list[str]:
    lines = []
    for name in graph.nodes:
        p = placed[name]
        cos, sin = math.cos(p.angle), math.sin(p.angle)
        anchor = "start" if cos > 0.2 else "end" if cos < -0.2 else "middle"
        lx, ly = p.x + cos * 14, p.y + sin * 14 + 4
        label = name if len(name) <= _LABEL_CHARS else name[: _LABEL_CHARS - 1] + "…"
        lines.append(
            f'<g class="node" data-name="{escape(name)}"><title>{escape(name)}</title>'
            f'<circle cx="{p.x:.1f}" cy="{p.y:.1f}" r="{_NODE_R}" fill="#343a40"/>'
            f'<text x="{lx:.1f}" y="{ly:.1f}" text-anchor="{anchor}" fill="#212529">'
            f"{escape(label)}</text></g>"
        )
    return lines


def _legend(graph: Graph, height: int) -> list[str]:
    y = height - _LEGEND + 24
    lines = [f'<g class="legend" transform="translate(20,{y})">']
    for i, kind in enumerate(CONTACT_KINDS):
        colour, dash = EDGE_STYLES[kind]
        x = i * 150
        dashes = f' stroke-dasharray="{dash}"' if dash else ""
        lines.append(
            f'<line x1="{x}" y1="0" x2="{x + 40}" y2="0" stroke="{colour}" stroke-width="2.5"'
            f"{dashes}/>"
            f'<text x="{x + 46}" y="4">{_WORDS[kind]}</text>'
        )
    for i, modality in enumerate(DRAWN_MODALITIES):
        x = i * 150
        lines.append(
            f'<line x1="{x}" y1="26" x2="{x + 40}" y2="26" stroke="#343a40" stroke-width="2.5" '
            f'stroke-opacity="{OPACITY[modality]}"/><text x="{x + 46}" y="30">{modality}</text>'
        )
    if graph.left_out:
        noun = "name" if graph.left_out == 1 else "names"
        lines.append(
            f'<text x="{3 * 150}" y="30" fill="#555">{graph.left_out} more {noun} with fewer '
            "contacts left out (--max-nodes)</text>"
        )
    lines.append("</g>")
    return lines
