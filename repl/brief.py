"""The brief form of a proof: a conclusion, its strength, and one line per statement it rests on.

This is the demo's "Why" section and ``why --brief``: no rules, no bindings, only
the statements at the leaves of the conclusion's strongest chain, each with its
modality, who says it, the article and the sentence (the span underlined,
a long sentence cut around it).  Names and sentences reach Rich as
:class:`rich.text.Text`, never as markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.console import Console, Group
from rich.text import Text
from rich.tree import Tree

from deniable.repl.proofs import limit_note
from deniable.repl.render import MODALITY_STYLES, SPAN_STYLE, print_paged
from deniable.rules.evidence import Proof
from deniable.rules.strongest import Chain
from deniable.rules.workbench import constant_text

__all__ = ["brief_tree", "leaf_lines", "print_briefs"]

#: How long a quoted sentence may get in a brief proof.
QUOTE_WIDTH = 160


def print_briefs(chains: Sequence[Chain], console: Console, *, matched: int | None = None) -> None:
    """Print one brief tree per conclusion, and a line when the rows were cut at the limit."""
    if not chains:
        console.print(Text("no rows match; nothing to explain", style="dim"))
        return
    parts: list[Any] = [brief_tree(chain) for chain in chains]
    note = limit_note(len(chains), matched)
    if note is not None:
        parts.append(note)
    print_paged(Group(*parts), console)


def brief_tree(chain: Chain) -> Tree:
    """The conclusion with its strength, and a line per statement of its strongest chain."""
    args = ", ".join(constant_text(v) for v in chain.row)
    label = Text(f"{chain.rel}({args})", style="bold")
    if chain.strength:
        label.append(f"  {chain.strength}", style=MODALITY_STYLES.get(chain.strength, ""))
    tree = Tree(label)
    lines = leaf_lines(chain.proof)
    for line in lines:
        tree.add(line)
    if not lines:
        tree.add(Text("no stored statement behind it (rule facts only)", style="dim"))
    return tree


def leaf_lines(proof: Proof) -> list[Text]:
    """The statements a proof rests on, one line each, with the sentence that says it."""
    lines: list[Text] = []
    seen: set[int] = set()
    for leaf in proof.leaves():
        key = (leaf.rel, tuple(leaf.row or ()))
        for item in proof.evidence.get(key, [])[:1]:
            if item.statement_id in seen:
                continue
            seen.add(item.statement_id)
            lines.append(_evidence_line(item))
        if not proof.evidence.get(key) and leaf.rel == "part_of":
            lines.append(
                Text.assemble(
                    (f"{leaf.row[0]} is part of {leaf.row[1]}", ""), ("  (entity file)", "dim")
                )
            )
    return lines


def _evidence_line(item: Any) -> Text:
    modality = item.modality.value
    text = Text()
    text.append(f"{item.pred}({item.args[0]}, {item.args[1]})", style="bold")
    text.append(" ")
    text.append(modality, style=MODALITY_STYLES.get(modality, ""))
    if item.source:
        text.append(f" by {item.source}")
    text.append(f" in {item.doc}\n  ", style="")
    # Same length as the stored sentence, so the span offsets still fit.
    sentence = item.sentence.replace("\n", " ").replace("\t", " ")
    lo = min(max(item.sentence_start, 0), len(sentence))
    hi = min(max(item.sentence_end, lo), len(sentence))
    body = Text(sentence)
    if lo < hi:
        body.stylize(SPAN_STYLE, lo, hi)
    if len(sentence) > QUOTE_WIDTH:
        # Keep the span in view: cut the sentence around it.
        cut_from = max(0, min(lo - 20, len(sentence) - QUOTE_WIDTH))
        body = body[cut_from : cut_from + QUOTE_WIDTH]
        if cut_from:
            body = Text("…") + body
        if cut_from + QUOTE_WIDTH < len(sentence):
            body.append("…")
    text.append("“")
    text.append_text(body)
    text.append("”")
    return text
