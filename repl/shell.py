"""The ``deniable repl`` loop: prompt_toolkit input at a terminal, plain lines from a pipe.

At a terminal the shell keeps history across sessions (``$DENIABLE_HISTORY``, else
``$XDG_DATA_HOME/deniable/history``), completes commands, relations and entity
names, highlights the rule language, and keeps reading lines until a statement
ends with its ``.``.  With standard input not a terminal it reads the same
statements line by line and prints plain text: no prompt, colours or pager.

Exit status: 0 when every statement succeeded (at a terminal: always 0, errors
are shown and the session goes on), 1 when a piped statement failed, the piped
input ended inside a statement, or the rule files did not load (the store can
still be browsed then; ``:reload`` retries).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, TextIO

from rich.console import Console
from rich.text import Text

from deniable.repl.commands import Quit, command_names, execute
from deniable.repl.render import format_error
from deniable.repl.session import Session
from deniable.repl.suggest import is_complete, split_statements
from deniable.rules.engines.base import Limits

PROMPT = "deniable> "
CONTINUATION = "      ... "
#: What the shell says when a key drops the statement being typed.
DROPPED_BY_CTRL_C = "statement dropped (Ctrl-C); nothing was run"
CANCELLED_BY_CTRL_D = "unfinished statement cancelled (Ctrl-D); Ctrl-D on an empty line leaves"


class _Dropped(Exception):
    """A key dropped the statement being typed; the message says which and what happened."""


def history_path() -> Path:
    """Where the shell keeps its history: ``$DENIABLE_HISTORY`` or the XDG data folder."""
    explicit = os.environ.get("DENIABLE_HISTORY")
    if explicit:
        return Path(explicit).expanduser()
    data = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data) / "deniable" / "history"


def run_shell(
    db_path: Path,
    *,
    rules_dirs: Sequence[Path],
    console: Console,
    engine: str = "sql",
    limits: Limits | None = None,
    stdin: TextIO | None = None,
    derive: bool = True,
    report: Callable[[str], None] | None = None,
) -> int:
    """Run the shell over the store at ``db_path``; return the exit status.

    Args:
        db_path: the fact store; the shell works on a copy in memory and never writes it.
        rules_dirs: extra rule folders (``--rules``).
        console: where output goes at a terminal (a plain console is used for pipes).
        engine: the engine that evaluates rules (``sql``, ``duckdb`` or ``pydatalog``).
        limits: bounds of the evaluation (``--max-rounds``).
        stdin: where statements come from (default: standard input).
        derive: re-derive stale conclusions in the copy first (``False``: warn and
            answer from them, ``--no-derive``).
        report: where the one-line note about stale conclusions goes (the CLI: stderr).

    Raises:
        StoreError: there is no store at ``db_path``.
    """
    stdin = stdin if stdin is not None else sys.stdin
    with Session.open(
        db_path, rules_dirs=rules_dirs, engine=engine, limits=limits, derive=derive, report=report
    ) as session:
        if stdin.isatty() and console.is_terminal:
            if session.load_error is not None:
                console.print(format_error(session.load_error), soft_wrap=True)
            return run_interactive(session, console)
        plain = Console(
            file=console.file, color_system=None, force_terminal=False, force_interactive=False
        )
        errors = Console(stderr=True, color_system=None, force_terminal=False)
        if session.load_error is not None:
            errors.print(format_error(session.load_error), soft_wrap=True)
        status = run_script(stdin, session, plain, errors=errors)
        return 1 if session.load_error is not None else status


def run_script(
    lines: Iterable[str], session: Session, console: Console, *, errors: Console | None = None
) -> int:
    """Run statements read line by line (a statement may span lines); return 0 or 1.

    Every statement runs even after one failed; the status is 1 if any failed or
    the input ended inside a statement.
    """
    failed = False
    buffer = ""
    try:
        for line in lines:
            buffer += line if line.endswith("\n") else line + "\n"
            statements, rest = split_statements(buffer)
            for statement in statements:
                failed |= not execute(statement, session, console, errors=errors)
            buffer = rest + "\n" if rest else ""
        statements, rest = split_statements(buffer, final=True)
        for statement in statements:
            failed |= not execute(statement, session, console, errors=errors)
    except Quit:
        return 1 if failed else 0
    if rest:
        (errors or console).print(
            Text(f"error: input ended inside a statement: {rest.splitlines()[0]} …")
        )
        failed = True
    return 1 if failed else 0


def run_interactive(session: Session, console: Console) -> int:
    """The prompt_toolkit loop; Ctrl-D or ``:quit`` ends it.

    Ctrl-C drops the statement being typed, Ctrl-D in a continuation line cancels it;
    either says so in one line.
    """
    prompt = _prompt_session(session)
    console.print(
        Text("deniable shell: ?- atom. to ask, :help for commands, Ctrl-D to leave", style="dim")
    )
    while True:
        try:
            text = prompt.prompt(PROMPT)
        except _Dropped as dropped:
            console.print(Text(str(dropped), style="dim"))
            continue
        except KeyboardInterrupt:
            continue
        except EOFError:
            return 0
        statements, rest = split_statements(text, final=True)
        try:
            for statement in statements:
                execute(statement, session, console)
        except Quit:
            return 0
        except KeyboardInterrupt:
            # A long derivation or query was stopped; the session stays as it was.
            console.print(Text("interrupted", style="yellow"))
            continue
        if rest:
            console.print(Text(f"error: unfinished statement: {rest}", style="red"))


def _prompt_session(session: Session):  # -> PromptSession[str], imported lazily
    from prompt_toolkit import PromptSession
    from prompt_toolkit.application import get_app
    from prompt_toolkit.filters import Condition
    from prompt_toolkit.history import FileHistory, History, InMemoryHistory
    from prompt_toolkit.key_binding import KeyBindings
    from prompt_toolkit.lexers import PygmentsLexer

    from deniable.repl.completer import ReplCompleter
    from deniable.repl.lexer import RuleLexer

    path = history_path()
    history: History
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch(exist_ok=True)
        history = FileHistory(str(path))
    except OSError:
        # A read-only home must not stop the shell; history is then per session.
        history = InMemoryHistory()

    bindings = KeyBindings()

    @bindings.add("enter")
    def _enter(event: Any) -> None:
        buffer = event.current_buffer
        picked = buffer.complete_state is not None
        # Enter takes a highlighted completion, and runs the statement if that finishes
        # it; it never adds a line break just to close the menu.
        buffer.complete_state = None
        if is_complete(buffer.text):
            buffer.validate_and_handle()
        elif not picked:
            buffer.insert_text("\n")

    @bindings.add("c-c")
    def _interrupt(event: Any) -> None:
        typed = event.current_buffer.text.strip()
        event.app.exit(exception=_Dropped(DROPPED_BY_CTRL_C) if typed else KeyboardInterrupt())

    # On one line Ctrl-D keeps its usual meaning (delete a character; leave when empty).
    @bindings.add("c-d", filter=Condition(lambda: "\n" in get_app().current_buffer.text))
    def _cancel(event: Any) -> None:
        event.app.exit(exception=_Dropped(CANCELLED_BY_CTRL_D))

    completer = ReplCompleter(command_names, session.relation_names, session.entity_names)
    return PromptSession(
        history=history,
        completer=completer,
        lexer=PygmentsLexer(RuleLexer),
        multiline=True,
        key_bindings=bindings,
        prompt_continuation=lambda width, line, soft: CONTINUATION[:width].rjust(width),
        complete_while_typing=False,
        enable_history_search=False,
    )
