"""A brief (:mod:`deniable.rules.brief`) as one self-contained HTML page, with the contact graph.

The page needs nothing at view time: the style is inline, the graph is inline
SVG, and a Content-Security-Policy forbids scripts and every fetch, so even a
name that slipped through unescaped could not run or call home.  Every text
from the store goes through :func:`html.escape`; only ``http``/``https``
addresses become links.
"""

from __future__ import annotations

from html import escape

from deniable.rules.brief import Brief, Finding, Footnote
from deniable.rules.brief_text import LEDE, STRENGTH_NOTE, capitalised, safe_url, source_words

__all__ = ["CSP", "brief_html", "html_page"]

#: No scripts, no fetches; inline style and inline images only.
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"

_STYLE = """
body { font: 16px/1.5 Georgia, serif; color: #212529; margin: 0; background: #fff; }
main { max-width: 60rem; margin: 0 auto; padding: 1.5rem; }
h1, h2, h3 { font-family: sans-serif; line-height: 1.25; }
h3 { font-size: 1.05rem; }
.lede, .strength, figcaption { color: #495057; }
.claim.reported { color: #5c4400; } .claim.alleged { color: #7a2e74; }
.strength strong.asserted { color: #2b8a3e; } .strength strong.reported { color: #a86b00; }
.strength strong.alleged { color: #9c36b5; }
sup.ref a { text-decoration: none; }
ol.footnotes li { margin-bottom: .8rem; }
blockquote { margin: .3rem 0 .3rem 1rem; font-style: italic; }
mark { background: #fff3bf; }
figure { margin: 0; overflow-x: auto; }
.meta { color: #6c757d; font-size: .9rem; }
"""


def html_page(title: str, body: str) -> str:
    """A complete page around ``body`` (already HTML), with the style and the policy."""
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        f"<title>{escape(title)}</title>\n<style>{_STYLE}</style>\n</head>\n"
        f"<body>\n<main>\n{body}</main>\n</body>\n</html>\n"
    )


def brief_html(brief: Brief, *, store_name: str, graph_svg: str) -> str:
    """The whole brief as one HTML page; ``graph_svg`` is the graph's SVG (not standalone)."""
    count = len(brief.findings)
    title = f"Brief: {count} conclusion{'s' if count != 1 else ''} from {store_name}"
    out = [f"<h1>{escape(title)}</h1>", f'<p class="lede">{escape(LEDE)}</p>']
    if brief.shown_line():
        out.append(f'<p class="shown"><em>{escape(brief.shown_line())}.</em></p>')
    number = 0
    for rel in brief.relations:
        out.append(f'<section class="conclusions" data-relation="{escape(rel)}">')
        out.append(f"<h2>{escape(brief.heading(rel))}</h2>")
        findings = [f for f in brief.findings if f.rel == rel]
        left = brief.left_out(rel)
        if not findings and not left:
            out.append("<p><em>None.</em></p>")
        for finding in findings:
            number += 1
            out.append(_finding(number, finding))
        if left:
            more = "more " if findings else ""
            out.append(f'<p class="shown"><em>{left} {more}not shown (--limit).</em></p>')
        out.append("</section>")
    out.append('<section id="graph">\n<h2>Contact graph</h2>\n<figure>')
    out.append(graph_svg)
    out.append(
        "<figcaption>Who called, met or was pictured with whom among the names above; red "
        "dashed arrows with a cross are denials; the weaker the best statement, the lighter the "
        "line.</figcaption>\n</figure>\n</section>"
    )
    out.append('<section id="sources">\n<h2>Sources</h2>')
    if brief.footnotes:
        out.append('<ol class="footnotes">')
        out += [_footnote(note) for note in brief.footnotes]
        out.append("</ol>")
    else:
        out.append("<p><em>No statements cited.</em></p>")
    out.append("</section>")
    return html_page(title, "\n".join(out) + "\n")


def _finding(number: int, finding: Finding) -> str:
    lines = [
        f'<article class="finding" id="finding-{number}">',
        f"<h3>{number}. {escape(finding.headline)}</h3>",
        "<ul>",
    ]
    for claim in finding.claims:
        text = escape(capitalised(claim.text)) + "."
        if claim.note is None:
            ref = ' <span class="meta">(entity file)</span>'
        else:
            ref = f'<sup class="ref"><a href="#fn-{claim.note}">{claim.note}</a></sup>'
        lines.append(f'<li class="claim {escape(claim.modality)}">{text}{ref}</li>')
    lines.append("</ul>")
    if finding.strength:
        strength = escape(finding.strength)
        lines.append(
            f'<p class="strength">Strength: <strong class="{strength}">{strength}</strong> '
            f"{escape(STRENGTH_NOTE)}</p>"
        )
    lines.append("</article>")
    return "\n".join(lines)


def _footnote(note: Footnote) -> str:
    c = note.citation
    parts = [f'<span class="outlet">{escape(c.outlet or c.doc)}</span>']
    if c.title:
        parts.append(f"<cite>{escape(c.title)}</cite>")
    if c.date:
        parts.append(f"<time>{escape(c.date)}</time>")
    if c.author:
        parts.append(f"by {escape(c.author)}")
    url = safe_url(c.url)
    if url:
        parts.append(f'<a href="{escape(url)}" rel="noreferrer">{escape(c.url)}</a>')
    elif c.url:
        parts.append(escape(c.url))
    review = note.review or "not reviewed"
    return (
        f'<li id="fn-{note.number}" class="footnote">{", ".join(parts)}.'
        f"<blockquote>{_quoted(note)}</blockquote>"
        f'<span class="meta">{escape(source_words(note))} · {escape(c.doc)}, statement '
        f"#{note.statement_id} · {escape(review)}</span></li>"
    )


def _quoted(note: Footnote) -> str:
    """The sentence, the extracted span marked."""
    sentence = note.sentence
    lo = min(max(note.span[0], 0), len(sentence))
    hi = min(max(note.span[1], lo), len(sentence))
    if lo == hi:
        return escape(sentence)
    return f"{escape(sentence[:lo])}<mark>{escape(sentence[lo:hi])}</mark>{escape(sentence[hi:])}"
