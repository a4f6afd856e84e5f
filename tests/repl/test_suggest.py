"""suggest(), the statement scanner and the completer: pure functions of the text."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from prompt_toolkit.completion import CompleteEvent
from prompt_toolkit.document import Document

from deniable.repl.completer import ReplCompleter, matches
from deniable.repl.suggest import (
    CommandName,
    DirectiveName,
    EntityName,
    RelationName,
    VariableName,
    is_complete,
    quote,
    split_statements,
    suggest,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", [RelationName("")]),
        (":", [CommandName("")]),
        (":he", [CommandName("he")]),
        (":facts ca", [RelationName("ca")]),
        (":entity Yevgeny Pri", [EntityName("Yevgeny Pri", raw=True)]),
        (':why contact("Yev', [EntityName("Yev", quoted=True)]),
        (":why con", [RelationName("con")]),
        (":search anything", []),
        ("?- ", [RelationName("")]),
        ("?- cont", [RelationName("cont")]),
        ('?- contact("Yev', [EntityName("Yev", quoted=True)]),
        ('?- contact("say \\"hi', [EntityName('say "hi', quoted=True)]),
        ('?- contact("Yevgeny Prigozhin"', []),
        ('?- contact("Yevgeny Prigozhin", ', [EntityName(""), VariableName("", ())]),
        ("r(x) :- ", [RelationName("")]),
        ("r(x) :- p(x), !q", [RelationName("q")]),
        ("r(x) :- p(x); q", [RelationName("q")]),
        ("r(abc, d) :- p(ab", [EntityName("ab"), VariableName("ab", ("abc", "d"))]),
        ("r(x) :- p(x) ", []),
        ("r(x) :- p(1", []),
        ("r(x) :- n = count : { p", [RelationName("p")]),
        ("p(x). q", [RelationName("q")]),
        (":help\n", [RelationName("")]),
        ("p(x). // a comm", []),
        ("/* open comment", []),
        (".de", [DirectiveName("de")]),
        (".output con", [RelationName("con")]),
    ],
)
def test_suggest(text: str, expected: list[object]) -> None:
    assert suggest(text) == expected


@pytest.mark.parametrize(
    ("text", "statements", "rest"),
    [
        ('p("a"). q("b").', ['p("a").', 'q("b").'], ""),
        ("r(x) :-\n  p(x).", ["r(x) :-\n  p(x)."], ""),
        ("r(x) :-\n  p(x)", [], "r(x) :-\n  p(x)"),
        ('p("a.b").', ['p("a.b").'], ""),
        ("p(1.5).", ["p(1.5)."], ""),
        ("p(x). // done.\n", ["p(x)."], ""),
        ("/* p(x). */ q(y).", ["q(y)."], ""),
        (":help\n?- p(x).\n", [":help", "?- p(x)."], ""),
        (":search a. b. c\n", [":search a. b. c"], ""),
        (".decl r(x: symbol)\nr(x) :- p(x).", [".decl r(x: symbol)", "r(x) :- p(x)."], ""),
        (".decl r(x: symbol,\n  y: symbol)\n", [".decl r(x: symbol,\n  y: symbol)"], ""),
        (":help", [], ":help"),
        ('p("unterminated.', [], 'p("unterminated.'),
    ],
)
def test_split_statements(text: str, statements: list[str], rest: str) -> None:
    assert split_statements(text) == (statements, rest)


def test_final_input_finishes_a_command_or_directive() -> None:
    assert split_statements(":help", final=True) == ([":help"], "")
    assert split_statements(".decl r(x: symbol)", final=True) == ([".decl r(x: symbol)"], "")
    assert split_statements("r(x) :- p(x)", final=True) == ([], "r(x) :- p(x)")


@pytest.mark.parametrize(
    ("text", "complete"),
    [
        ("?- p(x).", True),
        ("?- p(x)", False),
        ("r(x) :-", False),
        ("r(x) :- p(x).  ", True),
        (":help", True),
        (".decl r(x: symbol)", True),
        (".decl r(x: symbol,", False),
        ('p(".', False),
        ("p(x). /* still open", False),
        ("", True),
        ("   ", True),
        ("// just a note", True),
    ],
)
def test_is_complete(text: str, complete: bool) -> None:
    assert is_complete(text) is complete


@given(st.text(max_size=60))
def test_scanner_takes_any_text(text: str) -> None:
    statements, rest = split_statements(text)
    for statement in statements:
        assert statement in text
    assert rest in text
    suggest(text)
    is_complete(text)


def test_quote_round_trips_through_the_scanner() -> None:
    value = 'a "quoted" \\ name. with dot'
    literal = quote(value)
    assert split_statements(f"p({literal}).") == ([f"p({literal})."], "")


# --------------------------------------------------------------------------- completer


def _completer() -> ReplCompleter:
    return ReplCompleter(
        lambda: [("help", "list the commands"), ("facts", "rows"), ("quit", "leave")],
        lambda: [("contact", "derived/2"), ("called", "fact/2"), ("denies", "fact/2")],
        lambda: [("Yevgeny Prigozhin", "person"), ('Say "hi"', "org"), ("Anton Vaino", "person")],
    )


def _complete(text: str) -> list[tuple[str, int]]:
    found = _completer().get_completions(Document(text), CompleteEvent(completion_requested=True))
    return [(c.text, c.start_position) for c in found]


def test_completes_commands() -> None:
    assert _complete(":he") == [("help", -2)]
    assert _complete(":") == [("help", 0), ("facts", 0), ("quit", 0)]


def test_completes_relations() -> None:
    assert _complete("?- c") == [("contact", -1), ("called", -1)]
    assert _complete(":facts d") == [("denies", -1)]


def test_completes_entities_as_literals() -> None:
    assert _complete("?- called(prig") == [('"Yevgeny Prigozhin"', -4)]
    assert _complete('?- called("Yev') == [('Yevgeny Prigozhin"', -3)]
    assert _complete('?- called("say') == [('Say \\"hi\\""', -3)]
    assert _complete(":entity ant") == [("Anton Vaino", -3)]


def test_matches_word_prefixes() -> None:
    assert matches("prig", "Yevgeny Prigozhin")
    assert matches("", "anything")
    assert not matches("ozhin", "Yevgeny Prigozhin")


def test_a_command_line_ends_an_unfinished_clause() -> None:
    from deniable.repl.suggest import is_complete, split_statements

    assert split_statements("p(x) :-\n  q(x)\n:help\n") == (["p(x) :-\n  q(x)", ":help"], "")
    assert split_statements("?- met(a, b)\n  :relations", final=True) == (
        ["?- met(a, b)", ":relations"],
        "",
    )
    # `:-` opening a line continues the rule.
    assert split_statements("p(x)\n:- q(x).") == (["p(x)\n:- q(x)."], "")
    assert is_complete("p(x) :- q(x)\n:rules")


def test_helpers_are_completed_only_when_nothing_else_begins_so() -> None:
    completer = ReplCompleter(
        lambda: [],
        lambda: [
            ("contact", "derived/2"),
            ("contact_strength", "derived/3"),
            ("contact_at", "helper/4"),
            ("contact_beaten", "helper/5"),
            ("tie_at", "helper/4"),
        ],
        lambda: [],
    )

    def complete(text: str) -> list[str]:
        event = CompleteEvent(completion_requested=True)
        return [c.text for c in completer.get_completions(Document(text), event)]

    assert complete("?- cont") == ["contact", "contact_strength"]
    assert complete("?- contact_") == ["contact_strength"]
    assert complete("?- contact_a") == ["contact_at"]
    assert complete("?- ti") == ["tie_at"]
    assert "tie_at" not in complete("?- ")
