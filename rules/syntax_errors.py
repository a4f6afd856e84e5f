"""Named messages for rule syntax errors, matched by parser state against malformed examples.

Lark's ``UnexpectedInput.match_examples`` parses each example below and
returns the label whose failure happened in the same parser state as the
user's error; the label is a message that says what is wrong and how to fix it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from lark.exceptions import UnexpectedCharacters, UnexpectedInput, UnexpectedToken

#: Message -> malformed programs that fail the same way.  Order matters: the first
#: matching label wins, so specific situations come before general ones.
EXAMPLES: dict[str, list[str]] = {
    "missing '.' at the end of the clause; end every fact and rule with '.'": [
        "p(1)",
        "p(1) q(2).",
        "p(1)\nq(2).",
        "p(x) :- q(x)",
        "p(x) :- q(x) r(x).",
        "p(x) :- q(x)\np(x) :- r(x).",
        "p(x) :- q(x), x = 1\np(1).",
        'p(x) :- q(x), x = "a"\np(1).',
        "p(x) :- q(x), x = y + 1\np(1).",
        "p(x) :- q(x), !r(x)\np(1).",
        "p(x) :- q(x), true\np(1).",
        "p(x) :- q(x), n = count : { r(_) }\np(1).",
        "p(x) :- q(x), n = count : r(_)\np(1).",
        ".decl a(x: number)\np(x) :- q(x)\n.decl b(x: number)",
        "p(x) :- q(x)\n.output p",
    ],
    "':-' must be followed by a body; write `head :- atom, ... .` or drop ':-' for a fact": [
        "p(x) :- .",
        "p(x) :-",
        "p(x) :- ;",
    ],
    "unbalanced parenthesis: a '(' is not closed; add the missing ')'": [
        "p(x :- q(x).",
        "p(x :- q(x)",
        "p(x) :- q(x.",
        "p(x) :- q(x",
        "p(x) :- (q(x), r(x).",
        "p(x) :- (q(x) ; r(x).",
        "p(x) :- q(x), x = (1 + 2.",
        "p(x) :- q(x), x = cat(x, y.",
        "p(1, 2.",
        'p("a".',
    ],
    "unbalanced parenthesis: a ')' has no matching '('; remove it": [
        "p(x)) :- q(x).",
        "p(x) :- q(x)).",
        "p(1)).",
        "p(x) :- q(x), x = 1).",
    ],
    "missing ',' between arguments; separate arguments with ','": [
        "p(x y) :- q(x).",
        'p("a" "b").',
        "p(1 2).",
        "p(x) :- q(x y).",
    ],
    "missing ',' between body literals; separate them with ',' (or ';' for alternatives)": [
        "p(x) :- q(x) r(x).",
        "p(x) :- q(x) !r(x).",
    ],
    "a clause must start with an atom such as p(x) or a directive such as .decl": [
        "(x).",
        ":- q(x).",
        '"a".',
        "1.",
        "p(1). , q(2).",
    ],
    "a relation name must be followed by '(' and its arguments, e.g. p(x) or p()": [
        "p.",
        "p :- q(x).",
        "p(x) :- q.",
        "p(x) :- q, r(x).",
    ],
    "malformed .decl; write .decl name(attribute: type, ...)": [
        ".decl p",
        ".decl p(x)",
        ".decl p(x number)",
        ".decl p(x:)",
        ".decl p(x: number",
        ".decl p(x: number,)",
        ".decl (x: number)",
        ".decl p(x: 1)",
        '.decl p(x: "symbol")',
    ],
    "malformed .type; write .type Name <: symbol (or <: number) or .type Name = A | B": [
        ".type T",
        ".type T symbol",
        ".type T <:",
        ".type T = ",
        ".type <: symbol",
    ],
    'malformed I/O directive; write e.g. .output rel or .input rel(IO=file, filename="x.facts")': [
        ".output",
        ".input",
        ".output p(",
        ".output p(IO)",
        ".output p(IO=)",
        ".output p(IO=file",
        ".output p, ",
        ".output 1",
    ],
    'malformed .pragma; write .pragma "key" "value"': [
        ".pragma",
        ".pragma key",
    ],
    "expected an argument (a variable, a constant or an expression)": [
        "p(,) :- q(x).",
        "p(x,) :- q(x).",
        "p(x) :- q(x,).",
        "p(x) :- q(x), x = .",
        "p(x) :- q(x), x = 1 + .",
        "p(x) :- q(x), x = y +",
        "p(x) :- q(x), x = (",
    ],
    "use = for equality and <=, >= for ordering (not ==, =<, =>)": [
        "p(x) :- q(x), x == 1.",
        "p(x) :- q(x), x => 1.",
        "p(x) :- q(x), x =< 1.",
    ],
    "a ',' or ';' in a body must be followed by another literal; remove it or add one": [
        "p(x) :- q(x), .",
        "p(x) :- q(x); .",
        "p(x) :- q(x), (r(x); ).",
    ],
    "negation applies to an atom such as !p(x); for comparisons use != < <= > >= instead": [
        "p(x) :- q(x), !(x = 1).",
        "p(x) :- q(x), not x = 1.",
        "p(x) :- q(x), !x = 1.",
        "p(x) :- q(x), not (x = 1).",
    ],
    "min and max as functors take two or more values, e.g. max(a, b); "
    "as aggregates write max x : { p(x) }": [
        "p(x) :- q(x), x = max(1).",
        "p(x) :- q(x), x = min(y).",
    ],
    "an aggregate needs ':' and a body, e.g. count : { p(x) } or sum x : { p(x, y) }": [
        "p(n) :- n = sum x : .",
        "p(n) :- n = min x : ,",
        "p(n) :- n = count { q(_) }.",
        "p(n) :- n = count q(_).",
        "p(n) :- n = sum x { q(x) }.",
        "p(n) :- n = sum : { q(x) }.",
        "p(n) :- n = count : { q(_) .",
        "p(n) :- n = count : .",
    ],
    "a comparison needs a right-hand side, e.g. x < 3": [
        "p(x) :- q(x), x < .",
        "p(x) :- q(x), x = ,",
    ],
}

# Lark's terminal names, as a user would say them.
_TERMINALS = {
    "IDENT": "a name",
    "STRING": "a string",
    "NUMBER": "a number",
    "LPAR": "'('",
    "RPAR": "')'",
    "LBRACE": "'{'",
    "RBRACE": "'}'",
    "COMMA": "','",
    "DOT": "'.'",
    "SEMICOLON": "';'",
    "COLON": "':'",
    "IF": "':-'",
    "$END": "the end of the file",
}

_Parse = Callable[[str], Any]


def describe_syntax_error(
    error: UnexpectedInput,
    text: str,
    parse: _Parse,
    key: str,
    literals: Mapping[str, str] | None = None,
) -> str:
    """Return a one-line message for ``error`` raised while parsing ``text``.

    ``parse`` parses the malformed examples (its failures are cached under ``key``);
    ``literals`` maps terminal names to their text, for "expected ..." lists.
    """
    if isinstance(error, UnexpectedCharacters):
        return _describe_characters(error, text)
    if isinstance(error, UnexpectedToken) and text.startswith("/*", error.token.start_pos or 0):
        return "unterminated /* comment; close it with */"
    found = _found(error)
    label = _match(error, parse, key)
    if label:
        return f"{label} (found {found})"
    expected = _expected(error, literals or {})
    return f"unexpected {found}; expected {expected}" if expected else f"unexpected {found}"


def _match(error: UnexpectedInput, parse: _Parse, key: str) -> str | None:
    # Lark's own match_examples also compares stack depths, so an error after a
    # few clauses would never match a one-clause example; the LR state suffices.
    position = _position(error)
    if position is None:
        return None
    candidate = None
    for label, example_position, accepts, token in _example_failures(parse, key):
        if example_position != position or accepts != getattr(error, "accepts", None):
            continue
        if isinstance(error, UnexpectedToken) and token == error.token.type:
            return label
        candidate = candidate or label
    return candidate


_CACHE: dict[str, list[tuple[str, Any, Any, str]]] = {}


def _example_failures(parse: _Parse, key: str) -> list[tuple[str, Any, Any, str]]:
    if key not in _CACHE:
        failures = []
        for label, examples in EXAMPLES.items():
            for malformed in examples:
                try:
                    parse(malformed)
                except UnexpectedToken as failure:
                    position = _position(failure)
                    failures.append((label, position, failure.accepts, failure.token.type))
                except UnexpectedInput:
                    continue
        _CACHE[key] = failures
    return _CACHE[key]


def _position(error: UnexpectedInput) -> Any:
    state = getattr(error, "state", None)
    return getattr(state, "position", None)


def _describe_characters(error: UnexpectedCharacters, text: str) -> str:
    pos = error.pos_in_stream or 0
    char = text[pos] if pos < len(text) else ""
    if char == '"':
        return 'unterminated string; close it with " on the same line (write \\n for a newline)'
    if char == "#":
        return "'#' lines must start a line; only #include and #define are supported"
    if char == ".":
        return "unexpected '.'; directives are .decl, .type, .input, .output, .printsize, .pragma"
    if char == "[":
        return "records and lists ([...]) are not supported; use separate attributes"
    if char == "@":
        return "user-defined functors (@name) are not supported"
    if char == "/":
        return "unterminated /* comment; close it with */"
    return f"unexpected character {char!r}; it cannot appear here"


def _found(error: UnexpectedInput) -> str:
    if isinstance(error, UnexpectedToken):
        token = error.token
        if token.type == "$END":
            return "the end of the file"
        if token.type == "SIMPLE_FACT":  # a whole fact is one token; name its relation
            return repr(str(token).split("(")[0].strip())
        return f"{str(token)[:40]!r}"
    return "this"


def _expected(error: UnexpectedInput, literals: Mapping[str, str]) -> str:
    if not isinstance(error, UnexpectedToken):
        return ""
    names: set[str] = set(error.accepts or error.expected or ())
    words = sorted({_TERMINALS.get(n) or _terminal_text(n, literals) for n in names})
    if len(words) > 6:
        return ""
    return " or ".join(words)


def _terminal_text(name: str, literals: Mapping[str, str]) -> str:
    if name in _KEYWORDS:
        return _KEYWORDS[name]
    if name in literals:
        return repr(literals[name])
    return repr(name.lower())


_KEYWORDS = {
    "PLUS": "'+'",
    "MINUS": "'-'",
    "MUL_OP": "'*'",
    "POW": "'^'",
    "EQ": "'='",
    "NE": "'!='",
    "LT": "'<'",
    "LE": "'<='",
    "GT": "'>'",
    "GE": "'>='",
    "BANG": "'!'",
    "VBAR": "'|'",
    "SIMPLE_FACT": "a fact",
}
