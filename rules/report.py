"""Collecting diagnostics while checking: errors and warnings with location, code and caret."""

from __future__ import annotations

from pathlib import Path

from deniable.errors import Diagnostic, caret_context
from deniable.rules import ast


class _Report:
    """Collects diagnostics and fills in their caret context from the source."""

    def __init__(self, program: ast.Program) -> None:
        self.program = program
        self.diagnostics: list[Diagnostic] = []
        self._files: dict[str, list[str] | None] = {}

    def error(self, code: str, message: str, span: ast.Span) -> None:
        self.diagnostics.append(Diagnostic(code, message, span.location, "error", self._ctx(span)))

    def warning(self, code: str, message: str, span: ast.Span) -> None:
        self.diagnostics.append(
            Diagnostic(code, message, span.location, "warning", self._ctx(span))
        )

    def finished(self) -> list[Diagnostic]:
        seen: set[tuple[str, str, object]] = set()
        out = []
        for d in self.diagnostics:
            key = (d.code, d.message, d.location)
            if key in seen:  # one source rule expanded into several clauses
                continue
            seen.add(key)
            if not d.context and d.location is not None and d.location.line > 0:
                span = ast.Span(d.location.path, d.location.line, d.location.column)
                d = Diagnostic(d.code, d.message, d.location, d.severity, self._ctx(span))
            out.append(d)
        return sorted(out, key=lambda d: _sort_key(d))

    def _ctx(self, span: ast.Span) -> str:
        if span.line <= 0:
            return ""
        line = self._line(span.path, span.line)
        if line is None:
            return ""
        width = span.end_column - span.column if span.end_line == span.line else 1
        return caret_context(line, span.column, max(width, 1))

    def _line(self, path: str, number: int) -> str | None:
        if path not in self._files:
            self._files[path] = _read_lines(path)
        lines = self._files[path]
        if lines is not None and number <= len(lines):
            return lines[number - 1]
        return self._line_from_clauses(path, number)

    def _line_from_clauses(self, path: str, number: int) -> str | None:
        # Text given to parse() has no file: rebuild the line from the clause text.
        for clause in self.program.clauses:
            origin = clause.origin
            if origin.path != path or not origin.line <= number <= origin.end_line:
                continue
            lines = clause.text.split("\n")
            offset = number - origin.line
            if offset >= len(lines):
                return None
            prefix = " " * (origin.column - 1) if offset == 0 else ""
            return prefix + lines[offset]
        return None


def _read_lines(path: str) -> list[str] | None:
    if path.startswith("<"):
        return None
    try:
        return Path(path).read_text(encoding="utf-8").split("\n")
    except (OSError, UnicodeDecodeError):
        return None


def _sort_key(d: Diagnostic) -> tuple[str, int, int, int]:
    loc = d.location
    if loc is None:
        return ("", 0, 0, 0)
    return (loc.path, loc.line, loc.column, 0 if d.severity == "error" else 1)
