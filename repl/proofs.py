"""Rich rendering of proof trees for ``why`` and ``:why``: the full tree, cut at a depth or not.

A proof is drawn node by node down to the sentences behind its facts.  A sub-proof
drawn once is not drawn again in the same output: its second appearance is its
head and ``(as above)``, and a sentence already quoted is named by its statement
instead of quoted again.  With a depth the tree stops that many steps below the
conclusion, and each cut branch lists the statements it rests on, so the
sentences stay in view.  Everything from articles and rule files reaches Rich
as :class:`rich.text.Text`, never as markup.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from rich.console import Console, Group, RenderableType
from rich.text import Text
from rich.tree import Tree

from deniable.repl.render import (
    MODALITY_STYLES,
    SPAN_STYLE,
    display_path,
    format_row,
    format_value,
    get_field,
    print_paged,
)

__all__ = [
    "evidence_text",
    "limit_note",
    "print_proofs",
    "proof_tree",
    "review_summary",
]

#: What the explanation says about a node without a rule, as the shell words it.
_INPUT_NOTES = {"": "fact", "input": "fact", "missing": "not found in the store"}


@dataclass(slots=True)
class _Shown:
    """What one output has drawn so far: rule nodes (by relation and row) and statements."""

    nodes: set[tuple[str, tuple[Any, ...]]] = field(default_factory=set)
    statements: set[Any] = field(default_factory=set)


def print_proofs(
    proofs: Iterable[Any],
    console: Console,
    *,
    depth: int | None = None,
    matched: int | None = None,
) -> None:
    """Print each proof as a Rich tree, down to the sentences behind its facts.

    A proof is a ``Proof`` (a ``ProofTree`` in ``tree`` plus ``evidence`` for its
    leaves) or a bare ``ProofTree``.  Sub-proofs and sentences that an earlier
    part of the output already showed are referred back to, not repeated.

    Args:
        depth: draw at most this many steps below each conclusion (``None``: all).
        matched: how many rows matched in all; when more than were explained, a
            last line says so.  Defaults to the ``matched`` of ``proofs`` if it has one.
    """
    if matched is None:
        matched = getattr(proofs, "matched", None)
    parts: list[RenderableType] = []
    shown = _Shown()
    count = 0
    for proof in proofs:
        count += 1
        if parts:
            parts.append(Text())
        parts.append(proof_tree(proof, depth=depth, shown=shown))
        summary = review_summary(proof)
        if summary is not None:
            parts.append(summary)
    if not parts:
        console.print(Text("no rows match; nothing to explain", style="dim"))
        return
    note = limit_note(count, matched)
    if note is not None:
        parts.append(note)
    print_paged(Group(*parts), console)


def limit_note(explained: int, matched: int | None) -> Text | None:
    """``explained 20 of 1,929 rows (use --limit)`` when the output stopped short, else ``None``.

    >>> print(limit_note(20, 1929))
    explained 20 of 1,929 rows (use --limit)
    >>> limit_note(3, 3) is None
    True
    """
    if matched is None or matched <= explained:
        return None
    return Text(f"explained {explained:,} of {matched:,} rows (use --limit)", style="bold")


def review_summary(proof: Any) -> Text | None:
    """How many of the statements a proof rests on a reviewer confirmed (``None``: none cited)."""
    rows = _proof_statements(proof)
    if not rows:
        return None
    confirmed = sum(1 for r in rows.values() if get_field(r, "review", default="") == "confirmed")
    noun = "statement" if len(rows) == 1 else "statements"
    return Text(f"{confirmed} of {len(rows)} supporting {noun} confirmed by review", style="dim")


def _proof_statements(proof: Any) -> dict[Any, Any]:
    """The distinct evidence rows of a proof, by statement id."""
    evidence = get_field(proof, "evidence", default=None)
    found: dict[Any, Any] = {}
    if isinstance(evidence, Mapping):
        for rows in evidence.values():
            for row in rows:
                found.setdefault(get_field(row, "statement_id", default=id(row)), row)
    return found


def proof_tree(proof: Any, *, depth: int | None = None, shown: _Shown | None = None) -> Tree:
    """The Rich tree of one proof (``shown``: what earlier trees of the same output drew)."""
    node = get_field(proof, "tree", default=proof)
    evidence = get_field(proof, "evidence", default=None)
    shown = _Shown() if shown is None else shown
    tree = Tree(_node_label(node))
    shown.nodes.add(_key(node))
    _add_children(tree, node, evidence, shown, depth)
    return tree


def _key(node: Any) -> tuple[str, tuple[Any, ...]]:
    return (
        str(get_field(node, "rel", default="")),
        tuple(get_field(node, "row", default=()) or ()),
    )


def _is_rule_node(node: Any) -> bool:
    rule = get_field(node, "rule", default=None)
    return rule is not None and not get_field(rule, "is_fact", default=False)


def _add_children(tree: Tree, node: Any, evidence: Any, shown: _Shown, depth: int | None) -> None:
    if get_field(node, "rule", default=None) is None:
        for item in _evidence_of(node, evidence):
            tree.add(_evidence_once(item, shown))
        return
    children = get_field(node, "children", default=()) or ()
    if depth is not None and depth <= 0 and children:
        _add_cut(tree, node, evidence, shown)
        return
    for child in children:
        key = _key(child)
        if _is_rule_node(child) and key in shown.nodes:
            # A sub-proof drawn before: its head and a back-reference, not the whole again.
            label = Text(format_row(*key), style="bold")
            label.append("  (as above)", style="dim")
            tree.add(label)
            continue
        if _is_rule_node(child):
            shown.nodes.add(key)
        branch = tree.add(_node_label(child))
        _add_children(branch, child, evidence, shown, None if depth is None else depth - 1)
    for condition in get_field(node, "conditions", default=()) or ():
        tree.add(Text.assemble(("✓ ", "green"), (str(condition), "green")))


def _add_cut(tree: Tree, node: Any, evidence: Any, shown: _Shown) -> None:
    """Below the depth limit: how many steps are hidden, and the statements they rest on."""
    leaves: list[Any] = []
    steps = _collect(node, leaves) - 1
    noun = "step" if steps == 1 else "steps"
    tree.add(Text(f"… {steps} {noun} below not shown (raise --depth)", style="dim"))
    seen: set[Any] = set()
    for leaf in leaves:
        for item in _evidence_of(leaf, evidence):
            sid = get_field(item, "statement_id", default=id(item))
            if sid not in seen:
                seen.add(sid)
                # Cut from its node, a statement needs its fact to say what it supports.
                line = Text(format_row(item.pred, item.args), style="bold")
                line.append(": ")
                line.append_text(_evidence_once(item, shown))
                tree.add(line)


def _collect(node: Any, leaves: list[Any]) -> int:
    """Append the leaves under ``node`` to ``leaves``; return the number of nodes under it."""
    children = get_field(node, "children", default=()) or ()
    if not children:
        leaves.append(node)
        return 1
    return 1 + sum(_collect(child, leaves) for child in children)


def _evidence_once(item: Any, shown: _Shown) -> Text:
    """The statement with its sentence, or a reference to it when already quoted."""
    sid = get_field(item, "statement_id", default=None)
    if sid is None or sid not in shown.statements:
        if sid is not None:
            shown.statements.add(sid)
        return evidence_text(item)
    modality = str(getattr(get_field(item, "modality", default=""), "value", "") or "")
    modality = modality or str(get_field(item, "modality", default="") or "?")
    text = Text()
    text.append(modality, style=MODALITY_STYLES.get(modality, ""))
    text.append(f" in {get_field(item, 'doc', default='')}")
    text.append(f"  (statement #{sid}, quoted above)", style="dim")
    return text


def _evidence_of(node: Any, evidence: Any) -> list[Any]:
    own = get_field(node, "evidence", default=None)
    if own is not None:
        return list(own)
    if not isinstance(evidence, Mapping):
        return []
    return list(evidence.get(_key(node), ()))


def _node_label(node: Any) -> RenderableType:
    rel = str(get_field(node, "rel", default=""))
    row = tuple(get_field(node, "row", default=()) or ())
    note = str(get_field(node, "note", default="") or "")
    rule = get_field(node, "rule", default=None)
    if rule is None and not row and note:
        # A condition that held, given as a node of its own: only the check to show.
        return Text.assemble(("✓ ", "green"), (note, "green"))
    head = Text(format_row(rel, row), style="bold")
    if rule is None:
        head.append(f"  {_INPUT_NOTES.get(note, note)}", style="dim")
        return head
    if get_field(rule, "is_fact", default=False):
        # A fact written in a rule file: where it is written is the whole story.
        head.append(f"  fact{_where(rule, ' at ')}", style="dim")
        return head
    lines: list[RenderableType] = [head, _rule_text(rule)]
    bindings = get_field(node, "bindings", default=None) or {}
    if bindings:
        lines.append(_bindings_text(bindings))
    if note not in ("", "rule", "fact"):
        lines.append(Text(note, style="yellow"))
    return Group(*lines)


def _rule_text(rule: Any) -> Text:
    text = str(get_field(rule, "text", default="") or "").strip() or str(rule)
    label = Text("by ", style="dim")
    label.append(" ".join(text.split()), style="cyan")
    where = _where(rule, "  (")
    if where:
        label.append(where + ")", style="dim")
    return label


def _where(rule: Any, prefix: str) -> str:
    """``prefix`` and ``file:line`` of the rule's source, or nothing when it has none."""
    origin = get_field(rule, "origin", default=None)
    if origin is None or not get_field(origin, "line", default=0):
        origin = get_field(rule, "span", default=None)
    if origin is None or not get_field(origin, "line", default=0):
        return ""
    return f"{prefix}{display_path(get_field(origin, 'path'))}:{get_field(origin, 'line')}"


def _bindings_text(bindings: Mapping[str, object] | Sequence[tuple[str, object]]) -> Text:
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
    modality = get_field(item, "modality", default="") or ""
    modality = str(getattr(modality, "value", modality))
    source = str(get_field(item, "source", default="") or "")
    vouched = str(get_field(item, "vouched_by", default="") or "")
    doc = str(get_field(item, "doc", default="") or "")
    title = str(get_field(item, "title", default="") or "")
    sentence = str(get_field(item, "sentence", default="") or "")
    start = get_field(item, "sentence_start", default=None)
    end = get_field(item, "sentence_end", default=None)
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
