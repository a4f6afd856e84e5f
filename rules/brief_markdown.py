"""A brief (:mod:`deniable.rules.brief`) as Markdown: findings with footnotes, then the sources.

Text from articles and entity names is escaped twice over: HTML's ``& < >``
become entities (Markdown passes raw HTML through) and Markdown's own marks are
backslash-escaped, so a name reads as written and never turns into a link, a
heading or a tag.
"""

from __future__ import annotations

import re
from html import escape

from deniable.rules.brief import Brief, Finding, Footnote
from deniable.rules.brief_text import LEDE, STRENGTH_NOTE, capitalised, safe_url, source_words

__all__ = ["brief_markdown", "md_text"]

_MARKS = re.compile(r"([\\`*_{}\[\]()#+!|~])")


def md_text(text: str) -> str:
    r"""``text`` as Markdown that shows it literally, on one line.

    >>> md_text("<b>A & B</b> [x](y) *z*")
    '&lt;b&gt;A &amp; B&lt;/b&gt; \\[x\\]\\(y\\) \\*z\\*'
    """
    flat = " ".join(text.split())
    return _MARKS.sub(r"\\\1", escape(flat, quote=False))


def brief_markdown(brief: Brief, *, store_name: str) -> str:
    """The whole brief as one Markdown document."""
    count = len(brief.findings)
    heading = f"# Brief: {count} conclusion{'s' if count != 1 else ''} from {md_text(store_name)}"
    out = [heading, "", LEDE, ""]
    if brief.shown_line():
        # Our own words, not the store's: nothing in them needs escaping.
        out += [f"_{brief.shown_line()}._", ""]
    number = 0
    for rel in brief.relations:
        out += [f"## {md_text(brief.heading(rel))}", ""]
        findings = [f for f in brief.findings if f.rel == rel]
        left = brief.left_out(rel)
        if not findings and not left:
            out += ["_None._", ""]
        for finding in findings:
            number += 1
            out += _finding(number, finding)
        if left:
            out += [f"_{left} {'more ' if findings else ''}not shown (--limit)._", ""]
    out += ["## Sources", ""]
    out += [_footnote(note) for note in brief.footnotes] or ["_No statements cited._"]
    return "\n".join(out).rstrip("\n") + "\n"


def _finding(number: int, finding: Finding) -> list[str]:
    lines = [f"### {number}. {md_text(finding.headline)}", ""]
    for claim in finding.claims:
        ref = f"[^{claim.note}]" if claim.note is not None else " (entity file)"
        lines.append(f"- {md_text(capitalised(claim.text))}.{ref}")
    lines.append("")
    if finding.strength:
        lines += [f"Strength: **{finding.strength}**. {STRENGTH_NOTE}", ""]
    return lines


def _footnote(note: Footnote) -> str:
    c = note.citation
    parts = [md_text(c.outlet or c.doc)]
    if c.title:
        parts.append(f"“{md_text(c.title)}”")
    if c.date:
        parts.append(md_text(c.date))
    if c.author:
        parts.append(f"by {md_text(c.author)}")
    url = safe_url(c.url)
    if url:
        parts.append(f"<{url}>")
    elif c.url:
        parts.append(md_text(c.url))
    quote = md_text(note.sentence)
    where = f"{md_text(c.doc)}, statement #{note.statement_id}, {note.review or 'not reviewed'}"
    return (
        f"[^{note.number}]: {', '.join(parts)}. Quoted ({md_text(source_words(note))}): "
        f"“{quote}” — {where}."
    )
