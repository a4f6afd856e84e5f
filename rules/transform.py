"""Lark parse trees to rule AST nodes: spans, disjunction expansion, literals and functors.

:class:`ToAst` turns the tree of ``datalog.lark`` into the frozen nodes of
:mod:`deniable.rules.ast`; :func:`fact_clause` builds the clause of a one-line
fact directly (the parser's fast path for large fact sets).

>>> unquote_string(quote_string('a "b"\\n'))
'a "b"\\n'
"""

from __future__ import annotations

import itertools
import re
from typing import Any, NoReturn

from lark import Token, Transformer, v_args

from deniable.errors import Diagnostic, RuleError, caret_context
from deniable.rules import ast

#: Functors usable as values, with the number of arguments they take (None: two or more).
FUNCTORS: dict[str, int | None] = {
    "cat": None,
    "strlen": 1,
    "substr": 3,
    "ord": 1,
    "to_string": 1,
    "to_number": 1,
    "min": None,
    "max": None,
}
#: Functors usable as conditions in a body (ast.Constraint).
CONSTRAINTS: dict[str, int] = {"contains": 2, "match": 2}
#: Disjunctions expand into at most this many clauses per source rule.
MAX_EXPANSION = 4096

_ESCAPES = {'"': '"', "\\": "\\", "n": "\n", "t": "\t", "r": "\r", "0": "\0", "'": "'"}
_QUOTES = {v: "\\" + k for k, v in _ESCAPES.items() if k != "'"}
_ESCAPE_RE = re.compile(r"\\(u[0-9a-fA-F]{4}|.)", re.DOTALL)
_NAME_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# Keep in step with SIMPLE_FACT in datalog.lark.
CONSTANT = (
    r'"(?:[^"\\\n]|\\.)*"'
    r"|-?(?:0[xX][0-9a-fA-F]+u?|0[bB][01]+u?|[0-9]+\.[0-9]+(?:[eE][+-]?[0-9]+)?|[0-9]+u?)"
)
_CONSTANT_RE = re.compile(CONSTANT)


def quote_string(value: str) -> str:
    """Return ``value`` as a string literal that parses back to ``value``.

    >>> quote_string('say "hi"\\n')
    '"say \\\\"hi\\\\"\\\\n"'
    """
    return '"' + "".join(_QUOTES.get(ch, ch) for ch in value) + '"'


def unquote_string(literal: str) -> str:
    """Return the value of a string literal including its quotes (escapes resolved)."""

    def replace(match: re.Match[str]) -> str:
        escape = match.group(1)
        if escape in _ESCAPES:
            return _ESCAPES[escape]
        if escape.startswith("u") and len(escape) == 5:
            return chr(int(escape[1:], 16))
        raise ValueError(escape)

    if "\\" not in literal:
        return literal[1:-1]
    return _ESCAPE_RE.sub(replace, literal[1:-1])


class UnsupportedDirective(Exception):
    """A directive deniable does not support (``.comp``, ``.functor`` ...), found while lexing."""

    def __init__(self, token: Token) -> None:
        super().__init__(str(token))
        self.token = token


def source_line(text: str, line: int) -> str:
    """Line ``line`` (1-based) of ``text``, or "" past the end."""
    lines = text.split("\n")
    return lines[line - 1] if 0 < line <= len(lines) else ""


def fail_at(path: str, text: str, span: ast.Span, message: str, width: int = 0) -> NoReturn:
    """Raise a ``syntax_error`` at ``span`` with a caret under it."""
    if width <= 0:
        width = (span.end_column - span.column) if span.end_line == span.line else 1
    raise RuleError(
        [
            Diagnostic(
                "syntax_error",
                message,
                span.location,
                context=caret_context(source_line(text, span.line), span.column, width),
            )
        ]
    )


# ----------------------------------------------------------------------------- tree -> AST


def _tokens(children: list[Any], *types: str) -> list[Token]:
    return [c for c in children if isinstance(c, Token) and c.type in types]


class ToAst(Transformer[Token, Any]):
    """Build AST nodes; spans come from Lark's propagated positions."""

    def __init__(self, path: str, text: str) -> None:
        super().__init__(visit_tokens=False)
        self.path = path
        self.text = text

    # -- helpers

    def _span(self, meta: Any) -> ast.Span:
        return ast.Span(self.path, meta.line, meta.column, meta.end_line, meta.end_column)

    def _tspan(self, token: Token) -> ast.Span:
        return ast.Span(
            self.path,
            token.line or 0,
            token.column or 0,
            token.end_line or 0,
            token.end_column or 0,
        )

    def _error(self, span: ast.Span, message: str) -> NoReturn:
        fail_at(self.path, self.text, span, message)

    # -- program

    def start(self, children: list[Any]) -> list[Any]:
        items: list[Any] = []
        for child in children:
            if isinstance(child, list):
                items.extend(child)
            else:
                items.append(child)
        return items

    def query(self, children: list[Any]) -> ast.Atom | ast.Constraint:
        app = next(c for c in children if isinstance(c, tuple))
        return self.positive([app])

    def goal(self, children: list[Any]) -> list[tuple[Any, ...]]:
        return next(c for c in children if isinstance(c, list))

    @v_args(meta=True)
    def decl(self, meta: Any, children: list[Any]) -> list[ast.Decl]:
        names, attributes, *qualifiers = children
        for qualifier in qualifiers:
            if qualifier.type == "EQREL":
                self._error(
                    self._tspan(qualifier),
                    "eqrel relations are not supported; declare a plain relation and "
                    "write the symmetric and transitive rules explicitly",
                )
        span = self._span(meta)
        attrs = tuple(attributes or ())
        seen: set[str] = set()
        for attr in attrs:
            if attr.name in seen:
                self._error(attr.span, f"attribute {attr.name} is declared twice; rename one")
            seen.add(attr.name)
        return [
            ast.Decl(
                str(n), attrs, ast.Span(self.path, n.line, n.column, span.end_line, span.end_column)
            )
            for n in names
        ]

    def decl_names(self, children: list[Token]) -> list[Token]:
        return _tokens(children, "IDENT")

    def attributes(self, children: list[ast.Attribute]) -> list[ast.Attribute]:
        return list(children)

    @v_args(meta=True)
    def attribute(self, meta: Any, children: list[Token]) -> ast.Attribute:
        name, type_ = _tokens(children, "IDENT")
        return ast.Attribute(str(name), str(type_), self._span(meta))

    def qualifier(self, children: list[Token]) -> Token:
        return children[0]

    @v_args(meta=True)
    def subtype(self, meta: Any, children: list[Token]) -> ast.TypeDecl:
        name, base = _tokens(children, "IDENT")
        return ast.TypeDecl(str(name), (str(base),), self._span(meta))

    @v_args(meta=True)
    def union_type(self, meta: Any, children: list[Token]) -> ast.TypeDecl:
        name, *bases = _tokens(children, "IDENT")
        return ast.TypeDecl(str(name), tuple(str(b) for b in bases), self._span(meta))

    def io_directive(self, children: list[Any]) -> list[ast.Directive]:
        kind_token, names, params = children
        kind = str(kind_token)[1:]
        return [ast.Directive(kind, str(n), tuple(params or ()), self._tspan(n)) for n in names]

    def rel_list(self, children: list[Token]) -> list[Token]:
        return _tokens(children, "IDENT")

    def io_params(self, children: list[tuple[str, str]]) -> list[tuple[str, str]]:
        return list(children)

    def io_param(self, children: list[Any]) -> tuple[str, str]:
        key, value = children[0], children[-1]
        text = str(value)
        if value.type == "STRING":
            text = self._unquote(value)
        return (str(key), text)

    @v_args(meta=True)
    def pragma(self, meta: Any, children: list[Any]) -> ast.Directive:
        values = tuple(self._unquote(t) for t in children if t is not None)
        key = values[0]
        value = values[1] if len(values) > 1 else ""
        return ast.Directive("pragma", "", ((key, value),), self._span(meta))

    def unsupported_directive(self, children: list[Token]) -> NoReturn:
        raise UnsupportedDirective(children[0])  # pragma: no cover - the lexer raises first

    # -- clauses

    def simple_fact(self, children: list[Token]) -> list[ast.Clause]:
        (token,) = children
        return [fact_clause(str(token), self.path, token.line or 0, token.column or 0, self.text)]

    @v_args(meta=True)
    def fact(self, meta: Any, children: list[Any]) -> list[ast.Clause]:
        (heads,) = children
        return self._clauses(meta, heads, [()])

    @v_args(meta=True)
    def rule(self, meta: Any, children: list[Any]) -> list[ast.Clause]:
        heads, alternatives = children
        return self._clauses(meta, heads, alternatives)

    def _clauses(
        self, meta: Any, heads: list[ast.Atom], alternatives: list[tuple[Any, ...]]
    ) -> list[ast.Clause]:
        origin = self._span(meta)
        text = self.text[meta.start_pos : meta.end_pos]
        if len(heads) * len(alternatives) > MAX_EXPANSION:
            self._error(
                origin,
                f"this rule expands into {len(heads) * len(alternatives)} clauses "
                f"(limit {MAX_EXPANSION}); split the disjunctions into separate rules",
            )
        return [
            ast.Clause(head, body, 0, head.span, origin, text)
            for head in heads
            for body in alternatives
        ]

    def heads(self, children: list[ast.Atom]) -> list[ast.Atom]:
        return list(children)

    @v_args(meta=True)
    def atom(self, meta: Any, children: list[Any]) -> ast.Atom:
        name, terms = children
        return ast.Atom(str(name), tuple(terms or ()), self._span(meta))

    @v_args(meta=True)
    def app(self, meta: Any, children: list[Any]) -> tuple[Token, tuple[Any, ...], ast.Span]:
        name, terms = children
        return (name, tuple(terms or ()), self._span(meta))

    def disjunction(self, children: list[list[tuple[Any, ...]]]) -> list[tuple[Any, ...]]:
        out: list[tuple[Any, ...]] = []
        for alternatives in children:
            out.extend(alternatives)
        return out

    def conjunction(self, children: list[Any]) -> list[tuple[Any, ...]]:
        # Each child is a literal or a group (a list of alternative conjunctions).
        parts = [c if isinstance(c, list) else [(c,)] for c in children]
        size = 1
        for part in parts:
            size *= len(part)
        if size > MAX_EXPANSION:
            raise RuleError(
                [
                    Diagnostic(
                        "syntax_error",
                        f"this body expands into {size} alternatives (limit {MAX_EXPANSION}); "
                        "split the disjunctions into separate rules",
                        None,
                    )
                ]
            )
        return [tuple(itertools.chain.from_iterable(combo)) for combo in itertools.product(*parts)]

    def group(self, children: list[Any]) -> list[tuple[Any, ...]]:
        return children[0]

    def positive(self, children: list[Any]) -> ast.Atom | ast.Constraint:
        name, args, span = children[0]
        if str(name) in CONSTRAINTS:
            return self._constraint(name, args, span, negated=False)
        if str(name) in FUNCTORS:
            self._error(
                self._tspan(name),
                f"{name}(...) is a value, not a condition; compare it, e.g. x = {name}(...)",
            )
        return ast.Atom(str(name), args, span)

    @v_args(meta=True)
    def negated(self, meta: Any, children: list[Any]) -> ast.Negation | ast.Constraint:
        name, args, span = children[-1]
        whole = self._span(meta)
        if str(name) in CONSTRAINTS:
            return self._constraint(name, args, whole, negated=True)
        return ast.Negation(ast.Atom(str(name), args, span), whole)

    def _constraint(
        self, name: Token, args: tuple[Any, ...], span: ast.Span, *, negated: bool
    ) -> ast.Constraint:
        expected = CONSTRAINTS[str(name)]
        if len(args) != expected:
            self._error(
                span,
                f"{name} takes {expected} arguments, got {len(args)}; write {name}(a, b)",
            )
        return ast.Constraint(str(name), args, negated, span)

    @v_args(meta=True)
    def comparison(self, meta: Any, children: list[Any]) -> ast.Comparison:
        left, op, right = children
        return ast.Comparison(str(op), left, right, self._span(meta))

    @v_args(meta=True)
    def true_lit(self, meta: Any, children: list[Any]) -> ast.BoolLit:
        return ast.BoolLit(True, self._span(meta))

    @v_args(meta=True)
    def false_lit(self, meta: Any, children: list[Any]) -> ast.BoolLit:
        return ast.BoolLit(False, self._span(meta))

    def terms(self, children: list[Any]) -> list[Any]:
        return list(children)

    # -- terms

    @v_args(meta=True)
    def agg_count(self, meta: Any, children: list[Any]) -> ast.Aggregate:
        body = self._aggregate_body(children[-1])
        return ast.Aggregate("count", None, body, self._span(meta))

    @v_args(meta=True)
    def agg_value(self, meta: Any, children: list[Any]) -> ast.Aggregate:
        func, target, body = children
        return ast.Aggregate(str(func), target, self._aggregate_body(body), self._span(meta))

    def agg_atom(self, children: list[Any]) -> list[tuple[Any, ...]]:
        return [(self.positive(children),)]

    def _aggregate_body(self, alternatives: list[tuple[Any, ...]]) -> tuple[Any, ...]:
        if len(alternatives) != 1:
            first = alternatives[1][0]
            self._error(
                first.span,
                "a disjunction inside an aggregate is not supported; "
                "define a helper relation with one rule per alternative",
            )
        return alternatives[0]

    @v_args(meta=True)
    def binop(self, meta: Any, children: list[Any]) -> ast.BinOp:
        left, op, right = children
        return ast.BinOp(str(op), left, right, self._span(meta))

    @v_args(meta=True)
    def neg(self, meta: Any, children: list[Any]) -> ast.Num | ast.UnOp:
        operand = children[-1]
        span = self._span(meta)
        # A negative literal stays a constant, so `p(-1).` is a ground fact.
        if isinstance(operand, ast.Num):
            return ast.Num(-operand.value, span)
        return ast.UnOp("-", operand, span)

    @v_args(meta=True)
    def unop(self, meta: Any, children: list[Any]) -> ast.UnOp:
        op, operand = children
        return ast.UnOp(str(op), operand, self._span(meta))

    def var(self, children: list[Token]) -> ast.Var:
        (token,) = children
        return ast.Var(str(token), self._tspan(token))

    @v_args(meta=True)
    def wildcard(self, meta: Any, children: list[Any]) -> ast.Wildcard:
        return ast.Wildcard(self._span(meta))

    def string(self, children: list[Token]) -> ast.Str:
        (token,) = children
        return ast.Str(self._unquote(token), self._tspan(token))

    def number(self, children: list[Token]) -> ast.Num:
        (token,) = children
        return ast.Num(_number_value(str(token)), self._tspan(token))

    def call(self, children: list[Any]) -> ast.Call:
        name, args, span = children[0]
        arity = FUNCTORS.get(str(name), -1)
        if str(name) in CONSTRAINTS:
            self._error(
                self._tspan(name),
                f"{name}(...) is a condition, not a value; use it on its own in the body",
            )
        if arity == -1:
            known = ", ".join(sorted(FUNCTORS))
            self._error(
                self._tspan(name),
                f"unknown functor {name}; relations cannot be used as values "
                f"(known functors: {known})",
            )
        if arity is not None and len(args) != arity:
            self._error(span, f"{name} takes {arity} argument(s), got {len(args)}")
        if arity is None and str(name) == "cat" and not args:
            self._error(span, "cat needs at least one argument")
        return ast.Call(str(name), args, span)

    @v_args(meta=True)
    def minmax_call(self, meta: Any, children: list[Any]) -> ast.Call:
        name, first, rest = children
        return ast.Call(str(name), (first, *rest), self._span(meta))

    def _unquote(self, token: Token) -> str:
        return self._unquote_at(str(token), self._tspan(token))

    def _unquote_at(self, literal: str, span: ast.Span) -> str:
        try:
            return unquote_string(literal)
        except ValueError as error:
            self._error(span, _escape_message(str(error)))

    def __default__(self, data: str, children: list[Any], meta: Any) -> Any:
        # Every grammar rule has a method; reaching here means grammar and transformer diverged.
        raise AssertionError(f"no transformer for rule {data}")  # pragma: no cover


def fact_clause(fact: str, path: str, line: int, start: int, source: str) -> ast.Clause:
    """The clause of one SIMPLE_FACT text (a name and constants) found at line:start."""
    name = _NAME_RE.match(fact)
    assert name is not None  # the SIMPLE_FACT pattern starts with a name
    args: list[ast.Term] = []
    for match in _CONSTANT_RE.finditer(fact, fact.index("(") + 1):
        span = ast.Span(path, line, start + match.start(), line, start + match.end())
        literal = match.group(0)
        if literal[0] != '"':
            args.append(ast.Num(_number_value(literal), span))
            continue
        try:
            args.append(ast.Str(unquote_string(literal), span))
        except ValueError as error:
            fail_at(path, source, span, _escape_message(str(error)))
    end = start + fact.rindex(")") + 1
    head = ast.Atom(name.group(0), tuple(args), ast.Span(path, line, start, line, end))
    origin = ast.Span(path, line, start, line, start + len(fact))
    return ast.Clause(head, (), 0, head.span, origin, fact)


def _escape_message(escape: str) -> str:
    return f'unknown escape \\{escape} in string; use \\" \\\\ \\n \\t \\r \\0 or \\uXXXX'


def _number_value(text: str) -> int | float:
    if text.startswith("-"):
        return -_number_value(text[1:])
    lowered = text.lower().rstrip("u")
    if lowered.startswith("0x"):
        return int(lowered[2:], 16)
    if lowered.startswith("0b"):
        return int(lowered[2:], 2)
    if "." in lowered:
        return float(lowered)
    return int(lowered, 10)
