"""Syntax highlighting: the token kinds the shell colours."""

from __future__ import annotations

from pygments.token import Comment, Keyword, Name, Operator, String

from deniable.repl.lexer import RuleLexer


def _kinds(text: str) -> list[tuple[object, str]]:
    return [(kind, value) for kind, value in RuleLexer().get_tokens(text) if value.strip()]


def test_rule_tokens() -> None:
    kinds = _kinds('r(x) :- p(x, "a.b"), !q(x), _ = 1. // done')
    assert (Name.Function, "r") in kinds
    assert (Name.Variable, "x") in kinds
    assert (Operator.Word, ":-") in kinds
    assert (String, '"a.b"') in kinds
    assert (Operator, "!") in kinds
    assert (Keyword.Pseudo, "_") in kinds
    assert (Comment.Single, "// done") in kinds


def test_commands_directives_and_block_comments() -> None:
    kinds = _kinds(':why contact("a", x)\n.decl r(x: symbol) /* c\n c */')
    assert kinds[0] == (Keyword, ":why")
    assert (Keyword.Declaration, ".decl") in kinds
    assert (Keyword, "symbol") in kinds
    assert kinds[-1] == (Comment.Multiline, "*/")


def test_unterminated_string_is_still_a_string() -> None:
    assert _kinds('?- p("Yev')[-1] == (String, '"Yev')
