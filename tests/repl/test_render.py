"""Rendering of answers, proof trees and errors, compared as exact text."""

from __future__ import annotations

import csv
import io
import json
from contextlib import contextmanager
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rich.console import Console

from deniable.errors import DeniableError, Diagnostic, Location, RuleError, caret_context
from deniable.facts.store import FactStore
from deniable.repl.proofs import evidence_text, print_proofs
from deniable.repl.render import SPAN_STYLE, format_error, print_answers
from deniable.rules.ast import Atom, Clause, Span, Var
from deniable.rules.explain import ProofTree
from deniable.rules.workbench import Answers, Proof, evidence_of_fact


def _text(console: Console) -> str:
    return console.file.getvalue()  # type: ignore[attr-defined]


MARKUP_NAME = "[bold]Evil[/bold] Corp"  # as in conftest.py
ANSWERS = Answers("called", ("x", "y"), [("Yevgeny Prigozhin", "Anton Vaino"), (MARKUP_NAME, 3)])


def test_table(out: Console) -> None:
    print_answers(ANSWERS, out)
    assert _text(out) == (
        "called\n"
        "┏━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━┓\n"
        "┃ x                      ┃ y           ┃\n"
        "┡━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━┩\n"
        "│ Yevgeny Prigozhin      │ Anton Vaino │\n"
        "│ [bold]Evil[/bold] Corp │ 3           │\n"
        "└────────────────────────┴─────────────┘\n"
        "2 rows\n"
    )


def test_table_without_rows_or_variables(out: Console) -> None:
    print_answers(Answers("met", ("x",), []), out)
    print_answers(Answers("met", (), [()]), out)
    print_answers(Answers("met", (), []), out)
    assert _text(out) == "met\n┏━━━┓\n┃ x ┃\n┡━━━┩\n└───┘\n0 rows\nyes\nno\n"


def test_csv_is_plain(out: Console) -> None:
    print_answers(ANSWERS, out, fmt="csv")
    assert _text(out) == "x,y\nYevgeny Prigozhin,Anton Vaino\n[bold]Evil[/bold] Corp,3\n"


def test_json_is_a_list_of_objects(out: Console) -> None:
    print_answers(ANSWERS, out, fmt="json")
    assert json.loads(_text(out)) == [
        {"x": "Yevgeny Prigozhin", "y": "Anton Vaino"},
        {"x": MARKUP_NAME, "y": 3},
    ]


def test_csv_and_json_carry_no_colour() -> None:
    console = Console(file=io.StringIO(), force_terminal=True, color_system="truecolor")
    print_answers(ANSWERS, console, fmt="csv")
    print_answers(ANSWERS, console, fmt="json")
    assert "\x1b" not in console.file.getvalue()  # type: ignore[attr-defined]


def test_unknown_format_is_refused(out: Console) -> None:
    with pytest.raises(ValueError, match="unknown format"):
        print_answers(ANSWERS, out, fmt="xml")


class _PagedConsole(Console):
    paged = False

    @contextmanager
    def pager(self, *args: Any, **kwargs: Any):  # type: ignore[override]
        type(self).paged = True
        yield


def test_long_answers_are_paged_only_at_a_terminal() -> None:
    many = Answers("r", ("x",), [(i,) for i in range(50)])
    terminal = _PagedConsole(
        file=io.StringIO(), force_terminal=True, force_interactive=True, height=20, width=80
    )
    print_answers(many, terminal)
    assert _PagedConsole.paged
    _PagedConsole.paged = False
    piped = _PagedConsole(file=io.StringIO(), force_terminal=False, height=20, width=80)
    print_answers(many, piped)
    assert not _PagedConsole.paged
    print_answers(Answers("r", ("x",), [(1,)]), terminal)
    assert not _PagedConsole.paged


# --------------------------------------------------------------------------- proofs

CLAUSE = Clause(
    Atom("contact", (Var("x"), Var("y"))),
    (Atom("called", (Var("x"), Var("y"))),),
    text="contact(x, y) :-\n    called(x, y).",
    origin=Span("std/contact.dl", 3, 1),
)


def _proof(store: FactStore) -> Proof:
    leaf = ProofTree("called", ("Yevgeny Prigozhin", "Anton Vaino"), None, leaf=True, note="input")
    root = ProofTree(
        "contact",
        ("Yevgeny Prigozhin", "Anton Vaino"),
        CLAUSE,
        bindings={"x": "Yevgeny Prigozhin", "y": "Anton Vaino"},
        children=(leaf,),
        note="rule",
        conditions=('!negated("called", "Yevgeny Prigozhin", "Anton Vaino")',),
    )
    return Proof(root, {(leaf.rel, leaf.row): evidence_of_fact(store, leaf.rel, leaf.row)})


def test_proof_tree(small_store: FactStore, out: Console) -> None:
    print_proofs([_proof(small_store)], out)
    assert _text(out) == (
        'contact("Yevgeny Prigozhin", "Anton Vaino")\n'
        "by contact(x, y) :- called(x, y).  (std/contact.dl:3)\n"
        'with x = "Yevgeny Prigozhin", y = "Anton Vaino"\n'
        '├── called("Yevgeny Prigozhin", "Anton Vaino")  fact\n'
        "│   └── reported by leaked records in a1.txt — Calls [italic]leaked[/italic]\n"
        "│       Leaked records show Yevgeny Prigozhin called Anton Vaino 99 times.\n"
        '└── ✓ !negated("called", "Yevgeny Prigozhin", "Anton Vaino")\n'
        "0 of 1 supporting statement confirmed by review\n"
    )


def test_fact_proof_with_markup_in_names(small_store: FactStore, out: Console) -> None:
    row = (MARKUP_NAME, "Yevgeny Prigozhin")
    leaf = ProofTree("met", row, None, leaf=True, note="input")
    print_proofs([Proof(leaf, {("met", row): evidence_of_fact(small_store, "met", row)})], out)
    assert _text(out) == (
        'met("[bold]Evil[/bold] Corp", "Yevgeny Prigozhin")  fact\n'
        "└── alleged by The Sun in a1.txt — Calls [italic]leaked[/italic]\n"
        "    [bold]Evil[/bold] Corp reportedly met Yevgeny Prigozhin.\n"
        "0 of 1 supporting statement confirmed by review\n"
    )


def test_no_proofs(out: Console) -> None:
    print_proofs([], out)
    assert _text(out) == "no rows match; nothing to explain\n"


def test_evidence_highlights_the_span(small_store: FactStore) -> None:
    (row,) = small_store.evidence_for("denies", ("Kremlin", "Yevgeny Prigozhin"))
    rendered = evidence_text(row)
    plain = rendered.plain
    sentence_at = plain.index("The Kremlin denied")
    spans = [s for s in rendered.spans if s.style == SPAN_STYLE]
    assert [(s.start - sentence_at, s.end - sentence_at) for s in spans] == [(0, 18)]
    modality = [s for s in rendered.spans if s.start == 0]
    assert modality and modality[0].style == "bold green"


def test_markup_in_evidence_reaches_the_terminal_as_written(small_store: FactStore) -> None:
    console = Console(file=io.StringIO(), force_terminal=True, color_system="standard", width=100)
    row = (MARKUP_NAME, "Yevgeny Prigozhin")
    console.print(evidence_text(small_store.evidence_for("met", row)[0]))
    written = console.file.getvalue()  # type: ignore[attr-defined]
    assert "[bold]Evil[/bold] Corp" in written
    assert "[italic]leaked[/italic]" in written


# --------------------------------------------------------------------------- errors


def test_format_error_with_caret(out: Console) -> None:
    error = RuleError(
        [
            Diagnostic(
                "syntax_error",
                "expected ) here",
                Location("<input>", 1, 12),
                context=caret_context("r(x) :- p(x.", 12),
            ),
            Diagnostic("style", "just a warning", Location("<input>", 1, 1), severity="warning"),
        ]
    )
    out.print(format_error(error))
    assert _text(out) == (
        "<input>:1:12: error: expected ) here [syntax_error]\nr(x) :- p(x.\n           ^\n"
    )


def test_format_error_keeps_markup_literal(out: Console) -> None:
    out.print(format_error(DeniableError("no [bold]thing[/bold]", Location("<query>", 1, 3))))
    out.print(format_error(ValueError("plain")))
    assert _text(out) == "<query>:1:3: error: no [bold]thing[/bold]\nerror: plain\n"


# --------------------------------------------------------------------------- properties

_VALUES = st.one_of(st.text(max_size=30), st.integers(min_value=-(2**62), max_value=2**62))


@given(st.lists(st.tuples(_VALUES, _VALUES), max_size=5))
def test_csv_round_trips_any_values(rows: list[tuple[Any, Any]]) -> None:
    console = Console(file=io.StringIO(), width=100, color_system=None)
    print_answers(Answers("r", ("a", "b"), rows), console, fmt="csv")
    read = list(csv.reader(io.StringIO(console.file.getvalue(), newline="")))  # type: ignore[attr-defined]
    assert read == [["a", "b"], *([str(v) for v in row] for row in rows)]


@given(st.lists(st.tuples(_VALUES, _VALUES), max_size=5))
def test_json_round_trips_any_values(rows: list[tuple[Any, Any]]) -> None:
    console = Console(file=io.StringIO(), width=100, color_system=None)
    print_answers(Answers("r", ("a", "b"), rows), console, fmt="json")
    assert json.loads(console.file.getvalue()) == [{"a": a, "b": b} for a, b in rows]  # type: ignore[attr-defined]


@given(st.text(min_size=1, max_size=40).filter(lambda s: s.strip() and "\x1b" not in s))
def test_table_never_interprets_markup(name: str) -> None:
    console = Console(file=io.StringIO(), width=200, color_system=None)
    print_answers(Answers("r", ("x",), [(name,)]), console)
    printed = console.file.getvalue()  # type: ignore[attr-defined]
    for word in name.split():
        if word.isprintable():
            assert word in printed
