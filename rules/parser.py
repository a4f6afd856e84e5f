"""The rule parser: Soufflé-style Datalog text to a :class:`~deniable.rules.ast.Program`.

The grammar is ``datalog.lark`` (LALR); a Lark ``Transformer`` builds the frozen
AST nodes with their spans, expands several heads and disjunctions into plain
clauses, and every syntax error becomes one :class:`~deniable.errors.RuleError`
with code ``syntax_error``, a location and a caret under the offending token.

String literals take the escapes ``\\" \\\\ \\n \\t \\r \\' \\uXXXX`` and ``\\0`` for
NUL (Soufflé cannot hold a NUL in a symbol; SQLite can, so deniable keeps it).
Differences from Soufflé: no components, user functors, records, ``eqrel`` or
qualified relation names ``a.b``; each is refused with a clear error.

>>> parse('p(x) :- q(x) ; r(x).').clauses[1].text
'p(x) :- q(x) ; r(x).'
"""

from __future__ import annotations

import gc
import os
import re
import sys
from functools import cache
from pathlib import Path
from typing import Any, NoReturn

from lark import Lark, Token
from lark import __version__ as lark_version
from lark.exceptions import UnexpectedCharacters, UnexpectedInput, UnexpectedToken, VisitError

from deniable.errors import DeniableError, Diagnostic, Location, RuleError, caret_context
from deniable.rules import ast
from deniable.rules.preprocess import Segment, preprocess_file, preprocess_text
from deniable.rules.syntax_errors import describe_syntax_error
from deniable.rules.transform import (
    CONSTANT,
    CONSTRAINTS,
    FUNCTORS,
    ToAst,
    UnsupportedDirective,
    fact_clause,
    fail_at,
    quote_string,
    source_line,
    unquote_string,
)

_FACT_LINE_RE = re.compile(
    r"[ \t]*[A-Za-z_][A-Za-z0-9_]*[ \t]*\([ \t]*"
    rf"(?:(?:{CONSTANT})(?:[ \t]*,[ \t]*(?:{CONSTANT}))*)?"
    r"[ \t]*\)[ \t]*\.[ \t]*"
)
#: Runs of at least this many fact lines bypass Lark (only in texts this long).
_FAST_PATH_MIN_RUN = 64
_FAST_PATH_MIN_CHARS = 20_000


def parse(text: str, path: str = "<string>") -> ast.Program:
    """Parse program text (whole files or fragments such as one typed rule).

    ``#define`` and ``#include`` work as in :func:`parse_file`; includes resolve
    next to ``path`` (or the working directory for ``<string>``).

    Raises:
        RuleError: ``syntax_error`` (or ``include_error``) with file, line and column.
    """
    return _parse_segments(preprocess_text(text, path), [path])


def parse_file(path: Path) -> ast.Program:
    """Parse the rule file ``path`` with everything it ``#include``s.

    Raises:
        RuleError: for syntax errors and missing or cyclic includes.
        InputError: when ``path`` itself cannot be read.
    """
    segments, sources = preprocess_file(Path(path))
    return _parse_segments(segments, sources)


def parse_files(paths: list[Path]) -> ast.Program:
    """Parse several files as one program, as if they were concatenated."""
    segments: list[Segment] = []
    sources: list[str] = []
    for path in paths:
        more, read = preprocess_file(Path(path))
        segments.extend(more)
        sources.extend(read)
    return _parse_segments(segments, sources)


def parse_atom(text: str) -> ast.Atom:
    """Parse one query atom such as ``contact("Yevgeny Prigozhin", x)``.

    A leading ``?-`` and a trailing ``.`` are allowed.

    Raises:
        RuleError: ``syntax_error`` with the column in ``text``.
    """
    atom = _run(text, "<query>", "query")
    if not isinstance(atom, ast.Atom):  # contains(...)/match(...) are conditions, not queries
        fail_at("<query>", text, atom.span, f"{atom.name}(...) is a condition, not a relation")
    return atom


def parse_goal(text: str, path: str = "<query>") -> list[tuple[Any, ...]]:
    """Parse a query body such as ``?- met(a, b), !called(a, b).``: its alternatives.

    A body with ``;`` has one conjunction of literals per alternative, as a
    rule body expands.  A leading ``?-`` and a trailing ``.`` are allowed.

    Raises:
        RuleError: ``syntax_error`` with the column in ``text``.
    """
    return list(_run(text, path, "goal"))


# ----------------------------------------------------------------------------- driver


@cache
def _lark() -> Lark:
    return Lark.open_from_package(
        "deniable.rules",
        "datalog.lark",
        ("",),
        parser="lalr",
        lexer="contextual",
        start=["start", "query", "goal"],
        propagate_positions=True,
        maybe_placeholders=True,
        lexer_callbacks={"UNSUPPORTED_DIRECTIVE": _unsupported_directive},
        # Lark keeps the analysed grammar in a file that holds the grammar's hash: every
        # `deniable` process after the first starts ~10x faster (a failed write or a
        # stale file only costs the analysis again).
        cache=_cache_file(),
    )


def _cache_file() -> str | bool:
    """The file Lark keeps the analysed grammar in: in the user's own cache folder.

    Not Lark's default, a name any user can take first in the shared temporary folder,
    for a file that is unpickled.  Without a usable cache folder there is no cache.
    """
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    if not os.path.isabs(base):  # no home folder, or a relative XDG_CACHE_HOME (ignored)
        return False
    folder = Path(base) / "deniable"
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError:
        return False
    # One file per Lark and Python version: pickles are not shared between them.
    major, minor = sys.version_info[:2]
    return str(folder / f"datalog-lark{lark_version}-py{major}.{minor}.cache")


@cache
def _literals() -> dict[str, str]:
    """Terminal name -> its text, for terminals that are fixed strings."""
    return {t.name: t.pattern.value for t in _lark().terminals if t.pattern.type == "str"}


def _unsupported_directive(token: Token) -> Token:
    # Raised while lexing: the rest of a .comp/.functor line would only confuse the parser.
    raise UnsupportedDirective(token)


def _parse_segments(segments: list[Segment], sources: list[str]) -> ast.Program:
    decls: list[ast.Decl] = []
    types: list[ast.TypeDecl] = []
    directives: list[ast.Directive] = []
    clauses: list[ast.Clause] = []
    for segment in segments:
        for item in _run(segment.text, segment.path, "start"):
            if isinstance(item, ast.Clause):
                clauses.append(_reindex(item, len(clauses)))
            elif isinstance(item, ast.Decl):
                decls.append(item)
            elif isinstance(item, ast.TypeDecl):
                types.append(item)
            else:
                directives.append(item)
    return ast.Program(
        tuple(decls), tuple(types), tuple(directives), tuple(clauses), tuple(sources)
    )


def _reindex(clause: ast.Clause, index: int) -> ast.Clause:
    if clause.index == index:
        return clause
    return ast.Clause(clause.head, clause.body, index, clause.span, clause.origin, clause.text)


def _run(text: str, path: str, start: str) -> Any:
    # Parsing allocates millions of small objects that all stay alive; the cyclic
    # garbage collector would rescan them over and over (3x slower on 100k facts).
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _run_unguarded(text, path, start)
    finally:
        if enabled:
            gc.enable()


def _run_unguarded(text: str, path: str, start: str) -> Any:
    if start == "start" and len(text) > _FAST_PATH_MIN_CHARS:
        items = _run_with_fact_runs(text, path)
        if items is not None:
            return items
    return _run_lark(text, path, start)


def _run_with_fact_runs(text: str, path: str) -> list[Any] | None:
    """Parse long runs of one-fact lines without Lark, the rest with it.

    A line that looks like a fact may really sit inside a block comment or a
    multi-line rule; then the Lark part before it does not parse on its own and
    None sends the whole text through Lark, which reports any error exactly.
    """
    lines = text.split("\n")
    runs: list[tuple[int, int]] = []  # [first, end) line indexes of fact lines
    first = None
    for i, line in enumerate([*lines, ""]):
        if i < len(lines) and _FACT_LINE_RE.fullmatch(line):
            first = i if first is None else first
            continue
        if first is not None and i - first >= _FAST_PATH_MIN_RUN:
            runs.append((first, i))
        first = None
    if not runs:
        return None
    items: list[Any] = []
    done = 0
    for run_start, run_end in [*runs, (len(lines), len(lines))]:
        chunk = "\n".join(lines[done:run_start])
        if chunk.strip():
            try:
                items.extend(_run_lark("\n" * done + chunk, path, "start"))
            except RuleError:
                return None
        for i in range(run_start, run_end):
            line = lines[i]
            indent = len(line) - len(line.lstrip())
            fact = line.strip()
            items.append(fact_clause(fact, path, i + 1, indent + 1, text))
        done = run_end
    return items


def _run_lark(text: str, path: str, start: str) -> Any:
    try:
        tree = _lark().parse(text, start=start)
    except UnexpectedInput as error:
        _raise_syntax(error, text, path, start)
    except UnsupportedDirective as error:
        token = error.token
        span = ast.Span(
            path, token.line or 0, token.column or 0, token.end_line or 0, token.end_column or 0
        )
        message = (
            f"unknown or unsupported directive {token}; deniable supports .decl, .type, "
            ".input, .output, .printsize and .pragma"
        )
        if _after_name(text, token.start_pos or 0):
            message = _QUALIFIED
        fail_at(path, text, span, message)
    try:
        return ToAst(path, text).transform(tree)
    except RecursionError:
        _raise_too_deep(text, path)
    except VisitError as error:
        if isinstance(error.orig_exc, DeniableError):
            raise error.orig_exc from None
        if isinstance(error.orig_exc, RecursionError):
            _raise_too_deep(text, path)
        raise


def _raise_too_deep(text: str, path: str) -> NoReturn:
    # Python recursion is the limit; point at the longest line, where the deep
    # expression most likely is.
    lines = text.split("\n")
    number = max(range(len(lines)), key=lambda i: len(lines[i])) + 1
    raise RuleError(
        [
            Diagnostic(
                "too_deep",
                "this expression is nested too deeply to analyse; split it with helper "
                "variables (x1 = ..., x2 = x1 + ...)",
                Location(path, number, 1),
                context=caret_context(lines[number - 1][:200], 1),
            )
        ]
    )


def _raise_syntax(error: UnexpectedInput, text: str, path: str, start: str) -> NoReturn:
    line, column, width = error.line, error.column, 1
    if isinstance(error, UnexpectedToken):
        token = error.token
        if token.type == "$END":
            line, column = _end_position(text)
        else:
            width = len(str(token)) if "\n" not in str(token) else 1
    elif isinstance(error, UnexpectedCharacters):
        width = 1
    if line < 1:  # empty input
        line, column = 1, 1
    message = describe_syntax_error(
        error, text, lambda t: _lark().parse(t, start=start), start, _literals()
    )
    if (
        isinstance(error, UnexpectedToken)
        and str(error.token) == "."
        and _after_name(text, error.token.start_pos or 0)
        and text[(error.token.start_pos or 0) + 1 : (error.token.start_pos or 0) + 2].isalpha()
    ):
        message = _QUALIFIED
    if (
        message.startswith("missing '.'")
        and isinstance(error, UnexpectedToken)
        and error.token.type != "$END"
    ):
        # The dot is missing after the previous token, not before the next one.
        line, column = _end_position(text[: error.token.start_pos or 0])
        width = 1
    shown = source_line(text, line)
    raise RuleError(
        [
            Diagnostic(
                "syntax_error",
                message,
                Location(path, line, column),
                context=caret_context(shown, column, width),
            )
        ]
    ) from None


_QUALIFIED = (
    "qualified names such as a.b (Soufflé components) are not supported; "
    "use a plain name such as a_b"
)


def _after_name(text: str, pos: int) -> bool:
    """Whether ``text[pos]`` directly follows a name character (``a.b``, not ``a. b``)."""
    return pos > 0 and (text[pos - 1].isalnum() or text[pos - 1] in "_?")


def _end_position(text: str) -> tuple[int, int]:
    stripped = _strip_trailing_comments(text).rstrip()
    if not stripped:
        return 1, 1
    line = stripped.count("\n") + 1
    column = len(stripped) - (stripped.rfind("\n") + 1) + 1
    return line, column


def _strip_trailing_comments(text: str) -> str:
    # The end-of-input caret belongs after the last token, not after a trailing comment.
    while True:
        stripped = text.rstrip()
        last = stripped.rfind("\n") + 1
        comment = stripped.find("//", last)
        if stripped.endswith("*/") and "/*" in stripped:
            text = stripped[: stripped.rfind("/*")]
        elif comment >= 0 and '"' not in stripped[last:comment]:
            text = stripped[:comment]
        else:
            return stripped


__all__ = [
    "CONSTRAINTS",
    "FUNCTORS",
    "parse",
    "parse_atom",
    "parse_file",
    "parse_files",
    "parse_goal",
    "quote_string",
    "unquote_string",
]
