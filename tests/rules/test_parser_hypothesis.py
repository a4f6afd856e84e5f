"""Property tests of the rule frontend: on any text, parse and check raise only DeniableError."""

from __future__ import annotations

import contextlib

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from deniable.errors import DeniableError, RuleError
from deniable.rules import ast
from deniable.rules.checks import check
from deniable.rules.parser import parse, parse_atom, quote_string

VALID = [
    ".decl e(a: symbol, b: number) btree\n.decl p(a: symbol)\n.output p\n"
    'e("x", 1).\np(x) :- e(x, n), n > 0, !e(x, 2).\n',
    ".decl q(a: number)\nq(n) :- q(m), n = m + 1, n < 10 ; q(n), n = count : { q(_) }.\nq(0).\n",
    '.type T <: symbol\n.decl r(a: T, b: T)\nr("a", "b").\nr(x, z) :- r(x, y), r(y, z).\n',
    'h(x) :- a(x), contains("ab", x), x = cat(x, "b"), strlen(x) > 2 /* c */ . // d\n',
]
# Pieces of the language, so mutations produce near-miss programs, not just noise.
TOKENS = [
    "(",
    ")",
    ",",
    ".",
    ":-",
    ";",
    "!",
    "not",
    "_",
    '"',
    '"s"',
    "1",
    "0x1",
    "-",
    "+",
    "=",
    "<",
    "count",
    ":",
    "{",
    "}",
    "sum",
    ".decl",
    ".output",
    "x",
    "p",
    "#define",
    "/*",
    "*/",
    "//",
    "\n",
    " ",
    "\\",
]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=200))
def test_parse_arbitrary_text_raises_only_deniable_errors(text: str) -> None:
    try:
        program = parse(text)
    except DeniableError as error:
        assert "\n" not in str(error)
        return
    with contextlib.suppress(RuleError):
        check(program, infer_decls=True)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(VALID),
    st.lists(
        st.tuples(st.integers(0, 400), st.integers(0, 3), st.sampled_from(TOKENS)),
        min_size=1,
        max_size=4,
    ),
)
def test_mutated_programs_raise_only_deniable_errors(
    base: str, edits: list[tuple[int, int, str]]
) -> None:
    text = base
    for position, delete, token in edits:
        at = position % (len(text) + 1)
        text = text[:at] + token + text[at + delete :]
    try:
        program = parse(text, "m.dl")
    except RuleError as error:
        for d in error.diagnostics:
            assert d.location is not None and d.location.line >= 1
        return
    except DeniableError:
        return
    try:
        check(program)
    except RuleError as error:
        assert error.diagnostics


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_quoted_strings_round_trip(value: str) -> None:
    literal = quote_string(value)
    assert parse(f"p({literal}).").clauses[0].head.args == (ast.Str(value),)
    assert parse_atom(f"p(x, {literal})").args[1] == ast.Str(value)


@settings(max_examples=100, deadline=None)
@given(st.integers(-(2**63), 2**63 - 1))
def test_integers_round_trip(number: int) -> None:
    assert parse(f"p({number}).").clauses[0].head.args == (ast.Num(number),)
    assert parse(f"p({number}) :- true.").clauses[0].head.args == (ast.Num(number),)
