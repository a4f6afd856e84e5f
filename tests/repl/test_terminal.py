"""The shell at a terminal, driven through a pseudo-terminal with pexpect.

These start ``python -m deniable repl`` and type at it: completion, history across
sessions, multi-line input and ``:why``.  They skip where no pseudo-terminal can
be opened.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pytest

pexpect = pytest.importorskip("pexpect")


def _spawn(db: Path, history: Path, rows: int = 40, **extra: str):  # type: ignore[no-untyped-def]
    env = {
        **os.environ,
        **extra,
        "TERM": "xterm",
        "DENIABLE_HISTORY": str(history),
        # No cursor-position requests: pexpect never answers them.
        "PROMPT_TOOLKIT_NO_CPR": "1",
    }
    try:
        child = pexpect.spawn(
            sys.executable,
            ["-m", "deniable", "--db", str(db), "repl"],
            env=env,
            encoding="utf-8",
            timeout=30,
            dimensions=(rows, 120),
        )
    except (OSError, pexpect.ExceptionPexpect) as error:
        pytest.skip(f"no pseudo-terminal: {error}")
    child.expect("deniable>")
    return child


def _shown(text: str) -> str:
    """A pattern for ``text`` on the screen: prompt_toolkit redraws only what changed,
    so escape sequences may stand between any two characters."""
    escapes = r"(?:\x1b\[[0-9;?]*[A-Za-z])*"
    return escapes.join(re.escape(ch) for ch in text)


def _leave(child) -> int:  # type: ignore[no-untyped-def]
    child.send("\x04")  # Ctrl-D
    child.expect(pexpect.EOF)
    child.close()
    return int(child.exitstatus or 0)


def test_tab_completes_a_command(small_db: Path, tmp_path: Path) -> None:
    child = _spawn(small_db, tmp_path / "history")
    child.send(":he\t")
    child.expect(_shown(":help"))  # Enter only once the completion is on the screen
    child.send("\r")
    child.expect("list the commands")
    child.expect("deniable>")
    child.send(":entity prig\t")
    child.expect(_shown("Yevgeny Prigozhin"))
    child.send("\r")
    child.expect("part of: Wagner Group")
    child.expect("deniable>")
    child.send("?- called(prig\t")  # an entity completes to a quoted literal
    child.expect(_shown('called("Yevgeny Prigozhin"'))
    child.send(", y).\r")
    child.expect("Anton Vaino")
    assert _leave(child) == 0


def test_history_across_sessions(small_db: Path, tmp_path: Path) -> None:
    history = tmp_path / "history"
    first = _spawn(small_db, history)
    first.send(":facts part_of\r")
    first.expect("Wagner Group")
    assert _leave(first) == 0
    second = _spawn(small_db, history)
    second.send("\x1b[A")  # up arrow recalls the last statement
    second.expect(_shown(":facts part_of"))
    second.send("\r")
    second.expect("Wagner Group")
    assert _leave(second) == 0


def test_multi_line_query_and_why(small_db: Path, tmp_path: Path) -> None:
    child = _spawn(small_db, tmp_path / "history")
    child.send("?- called(x,\r")
    child.expect(_shown("..."))  # the continuation prompt: the statement is not finished
    child.send("y).\r")
    child.expect("Anton Vaino")
    child.expect("deniable>")
    child.send(':why called("Yevgeny Prigozhin", y).\r')
    child.expect("leaked records")
    child.expect("99 times")
    assert _leave(child) == 0


def test_ctrl_c_and_ctrl_d_drop_the_statement_and_say_so(small_db: Path, tmp_path: Path) -> None:
    child = _spawn(small_db, tmp_path / "history")
    child.send("?- called(x,")
    child.expect(_shown("?- called(x,"))
    child.send("\x03")  # Ctrl-C
    child.expect("statement dropped \\(Ctrl-C\\)")
    child.expect("deniable>")
    child.send("?- called(x,\r")
    child.expect(_shown("..."))
    child.send("\x04")  # Ctrl-D in the continuation: cancels, does not leave
    child.expect("unfinished statement cancelled \\(Ctrl-D\\)")
    child.expect("deniable>")
    child.send(":facts part_of\r")  # the shell is still there, and the buffer empty
    child.expect("Wagner Group")
    child.expect("deniable>")
    assert _leave(child) == 0


def test_a_command_after_a_clause_without_its_dot_runs(small_db: Path, tmp_path: Path) -> None:
    child = _spawn(small_db, tmp_path / "history")
    child.send("p(x) :- called(x, y)\r")
    child.expect(_shown("..."))
    child.send(":facts part_of\r")
    child.expect("missing '.'")
    child.expect("Wagner Group")
    assert _leave(child) == 0


def test_long_why_goes_through_the_pager(small_db: Path, tmp_path: Path) -> None:
    child = _spawn(small_db, tmp_path / "history", rows=20, PAGER="sed -e s/^/PAGED:/")
    child.send(":why contact(x, y).\r")  # some 90 lines
    child.expect("PAGED:.*leaked records")
    child.expect("deniable>")
    child.send(":help quit\r")  # short output is printed as it is
    child.expect("leave the shell")
    assert "PAGED:" not in child.before
    assert _leave(child) == 0
