"""Syntax highlighting of the rule language and shell commands, as a Pygments lexer."""

from __future__ import annotations

from typing import ClassVar

from pygments.lexer import RegexLexer, bygroups  # type: ignore[import-untyped]
from pygments.token import (  # type: ignore[import-untyped]
    Comment,
    Keyword,
    Name,
    Number,
    Operator,
    Punctuation,
    String,
    Text,
    Whitespace,
)

__all__ = ["RuleLexer"]


class RuleLexer(RegexLexer):
    """Soufflé-style Datalog as the shell takes it: rules, ``?-`` queries, ``:commands``."""

    name = "deniable rules"
    aliases: ClassVar[list[str]] = ["deniable"]
    filenames: ClassVar[list[str]] = ["*.dl"]

    tokens: ClassVar[dict] = {
        "root": [
            (r"\s+", Whitespace),
            (r"//.*?$", Comment.Single),
            (r"/\*", Comment.Multiline, "comment"),
            # A command owns its line: the name is a keyword, the rest plain text.
            (r"^(:[A-Za-z_]+)(.*?)$", bygroups(Keyword, Text)),
            (r"\.(decl|input|output|printsize|type|include|comp|init)\b", Keyword.Declaration),
            (r'"(?:[^"\\\n]|\\.)*"?', String),
            (r"\d+(?:\.\d+)?", Number),
            (r":-|\?-", Operator.Word),
            (r"!=|<=|>=|[!=<>+\-*/%^]", Operator),
            (r"\b(count|sum|min|max|mean|true|false|symbol|number|unsigned|float)\b", Keyword),
            (r"[A-Za-z_][A-Za-z0-9_?]*(?=\s*\()", Name.Function),
            (r"_(?![A-Za-z0-9_])", Keyword.Pseudo),
            (r"[A-Za-z_][A-Za-z0-9_?]*", Name.Variable),
            (r"[(),.;:{}\[\]|]", Punctuation),
            (r".", Text),
        ],
        "comment": [
            (r"[^*]+", Comment.Multiline),
            (r"\*/", Comment.Multiline, "#pop"),
            (r"\*", Comment.Multiline),
        ],
    }
