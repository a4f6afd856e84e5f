"""The rule preprocessor: ``#include`` and object-like ``#define``, keeping real file positions.

Soufflé runs a C preprocessor over programs; deniable supports the two lines
that matter in practice.  The result is a list of :class:`Segment` values, one
per stretch of a file between includes, in program order.  Each segment's text
keeps every line of its file at its original line number (other lines are left
blank), so a span in a segment is a span in the real file.

>>> [s.text for s in preprocess_text('#define N 3\\np(N).', "x.dl")]
['\\np(3).']
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import NoReturn

from deniable.errors import Diagnostic, InputError, Location, RuleError, caret_context

# Strings and comments are copied untouched; identifiers are macro candidates.
_TOKEN = re.compile(
    r'"(?:[^"\\\n]|\\.)*"|//[^\n]*|/\*.*?\*/|[?A-Za-z_][?A-Za-z0-9_]*',
    re.DOTALL,
)
_DIRECTIVE = re.compile(r"[ \t]*#[ \t]*([A-Za-z_]*)(.*)")
_INCLUDE = re.compile(r'\s*(?:"([^"\n]+)"|<([^>\n]+)>)\s*(?://.*|/\*.*\*/\s*)?$')
_DEFINE = re.compile(r"\s+([A-Za-z_][A-Za-z0-9_]*)(\(?)(.*)$")


@dataclass(frozen=True, slots=True)
class Segment:
    """A stretch of one file to parse on its own; line numbers are the file's own."""

    path: str
    text: str


@dataclass(slots=True)
class _State:
    macros: dict[str, str] = field(default_factory=dict)
    # Files currently being included, for cycle detection (resolved paths).
    stack: list[Path] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    segments: list[Segment] = field(default_factory=list)


def preprocess_file(path: Path) -> tuple[list[Segment], list[str]]:
    """Read ``path`` and every file it includes.

    Returns:
        the segments in program order and the paths of every file read.

    Raises:
        RuleError: ``include_error`` for a missing or cyclic include, ``syntax_error``
            for a malformed or unsupported ``#`` line.
    """
    state = _State()
    _read_file(path, str(path), state, None)
    return state.segments, state.sources


def preprocess_text(text: str, path: str = "<string>") -> list[Segment]:
    """Preprocess ``text`` as if it were the file ``path`` (includes resolve next to it)."""
    state = _State()
    state.sources.append(path)
    base = Path(path).parent if not path.startswith("<") else Path.cwd()
    _process(text, path, base, state)
    return state.segments


def _read_file(path: Path, shown: str, state: _State, at: tuple[str, int, int, str] | None) -> None:
    resolved = path.resolve()
    if resolved in state.stack:
        chain = " -> ".join(p.name for p in [*state.stack, resolved])
        _fail("include_error", f"include cycle {chain}; remove one of the #include lines", at)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        _fail("include_error", f"cannot find included file {shown!r}; check the path", at)
    except (OSError, UnicodeDecodeError) as error:
        _fail("include_error", f"cannot read {shown!r} ({error})", at)
    state.stack.append(resolved)
    state.sources.append(shown)
    _process(text, shown, path.parent, state)
    state.stack.pop()


def _process(text: str, shown: str, base: Path, state: _State) -> None:
    if "#" not in text:  # the common case: nothing to do, keep the text as is
        state.segments.append(Segment(shown, text))
        return
    lines = text.split("\n")
    kept: list[str] = []
    start = 0  # index of the first line of the current segment
    in_comment = False
    for number, line in enumerate(lines):
        match = None if in_comment else _DIRECTIVE.match(line)
        if match is None:
            kept.append(_expand(line, state.macros) if state.macros else line)
            in_comment = _ends_in_block_comment(line, in_comment)
            continue
        kept.append("")
        name, rest = match.group(1), match.group(2)
        at = (shown, number + 1, line.index("#") + 1, line)
        if name == "include":
            target = _include_target(rest, at)
            _flush(kept, start, shown, state)
            kept = [""] * (number + 1)
            start = number + 1
            _read_file(base / target, _shown_path(shown, target), state, at)
        elif name == "define":
            _define(rest, state.macros, at)
        elif name == "undef":
            state.macros.pop(rest.strip(), None)
        else:
            _fail(
                "syntax_error",
                f"unsupported preprocessor line #{name}; only #include and #define are supported",
                at,
            )
    _flush(kept, start, shown, state)


def _flush(kept: list[str], start: int, shown: str, state: _State) -> None:
    if any(line.strip() for line in kept[start:]):
        state.segments.append(Segment(shown, "\n".join(kept)))


def _shown_path(including: str, target: str) -> str:
    if including.startswith("<"):
        return target
    return str(Path(including).parent / target)


def _include_target(rest: str, at: tuple[str, int, int, str]) -> str:
    match = _INCLUDE.match(rest)
    if match is None:
        _fail("syntax_error", 'malformed #include; write #include "file.dl"', at)
    return match.group(1) or match.group(2)


def _define(rest: str, macros: dict[str, str], at: tuple[str, int, int, str]) -> None:
    match = _DEFINE.match(rest)
    if match is None:
        _fail("syntax_error", "malformed #define; write #define NAME value", at)
    name, paren, value = match.group(1), match.group(2), match.group(3)
    if paren:
        _fail(
            "syntax_error",
            f"function-like macro {name}(...) is not supported; use an object-like #define",
            at,
        )
    # Expanding at definition time lets a later macro use an earlier one.
    macros[name] = _expand(value.strip(), macros)


def _expand(line: str, macros: dict[str, str]) -> str:
    def replace(match: re.Match[str]) -> str:
        token = match.group(0)
        return macros.get(token, token)

    return _TOKEN.sub(replace, line)


def _ends_in_block_comment(line: str, in_comment: bool) -> bool:
    # Lines inside a /* ... */ comment may start with '#' and must not be read as directives.
    pos = 0
    while True:
        if in_comment:
            end = line.find("*/", pos)
            if end < 0:
                return True
            in_comment, pos = False, end + 2
        else:
            match = re.compile(r'"(?:[^"\\\n]|\\.)*"|//|/\*').search(line, pos)
            if match is None or match.group(0) == "//":
                return False
            if match.group(0) == "/*":
                in_comment = True
            pos = match.end()


def _fail(code: str, message: str, at: tuple[str, int, int, str] | None) -> NoReturn:
    if at is None:  # the file named on the command line itself
        raise InputError(message.replace("included file", "file"), code="input")
    path, line, column, text = at
    raise RuleError(
        [
            Diagnostic(
                code, message, Location(path, line, column), context=caret_context(text, column)
            )
        ]
    )
