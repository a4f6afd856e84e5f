"""Errors a user can see: a location, a stable code and a one-line message.

Every user-facing failure is a :class:`DeniableError`.  ``str(error)`` is one
line in the compiler style ``path:line:col: error: message``; the CLI prints it
to stderr and exits 1 (2 for usage errors).  No traceback reaches a user unless
``--debug`` is given.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Location:
    """A place in a file: 1-based line and column; ``line`` 0 means the whole file."""

    path: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        if self.line <= 0:
            return self.path
        if self.column <= 0:
            return f"{self.path}:{self.line}"
        return f"{self.path}:{self.line}:{self.column}"


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One finding of a check: an error or a warning at a location, with a stable code."""

    code: str
    message: str
    location: Location | None = None
    severity: str = "error"
    # The source line and a caret under the spot, for display under the one-line form.
    context: str = field(default="", compare=False)

    def __str__(self) -> str:
        where = f"{self.location}: " if self.location else ""
        return f"{where}{self.severity}: {self.message} [{self.code}]"


class DeniableError(Exception):
    """Base class of every error shown to a user.

    Args:
        message: what is wrong and, where possible, how to fix it; one line.
        location: where it is wrong, when there is a file.
        code: a stable identifier tests and tools can match on.
        context: optional source excerpt with a caret, printed under the message.
    """

    code: str = "error"
    exit_code: int = 1

    def __init__(
        self,
        message: str,
        location: Location | None = None,
        *,
        code: str | None = None,
        context: str = "",
    ) -> None:
        super().__init__(message)
        self.message = message
        self.location = location
        if code is not None:
            self.code = code
        self.context = context

    def __str__(self) -> str:
        where = f"{self.location}: " if self.location else ""
        return f"{where}error: {self.message}"


class UsageError(DeniableError):
    """The command line itself is wrong (exit status 2)."""

    code = "usage"
    exit_code = 2


class InputError(DeniableError):
    """An input file cannot be read or is not in a format deniable understands."""

    code = "input"


class StoreError(DeniableError):
    """The fact store is missing, unreadable or not a deniable database."""

    code = "store"


class OutputError(DeniableError):
    """An output file or folder cannot be written (read-only folder, disk full)."""

    code = "output"


class ServerError(DeniableError):
    """A database server cannot be reached or refused what was asked of it."""

    code = "server"


class RuleError(DeniableError):
    """A rule program is wrong; ``diagnostics`` holds every finding, sorted by location."""

    code = "rule"

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        ordered = sorted(diagnostics, key=_diagnostic_key)
        first = ordered[0]
        super().__init__(first.message, first.location, code=first.code, context=first.context)
        self.diagnostics = ordered

    def __str__(self) -> str:
        return "\n".join(str(d) for d in self.diagnostics if d.severity == "error")


class EvaluationError(DeniableError):
    """Evaluation of a checked program failed (limit reached, construct unsupported)."""

    code = "evaluation"


def _diagnostic_key(d: Diagnostic) -> tuple[str, int, int]:
    loc = d.location or Location("")
    return (loc.path, loc.line, loc.column)


def caret_context(source_line: str, column: int, width: int = 1) -> str:
    """Return ``source_line`` and a caret line under ``column`` (1-based).

    >>> print(caret_context("p(x) :- q(y).", 9))
    p(x) :- q(y).
            ^
    """
    line = source_line.rstrip("\n")
    # Tabs before the column keep their width so the caret lines up in a terminal.
    pad = "".join("\t" if ch == "\t" else " " for ch in line[: max(column - 1, 0)])
    return f"{line}\n{pad}{'^' * max(width, 1)}"
