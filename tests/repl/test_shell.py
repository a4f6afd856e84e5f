"""The shell reading piped statements: plain output, errors on stderr, exit status."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from rich.console import Console

from deniable.facts.store import FactStore
from deniable.repl.session import Session
from deniable.repl.shell import history_path, run_script


def _repl(db: Path, stdin: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "deniable", "--db", str(db), "repl", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        # Colours forced on for the command: piped input must still print plain text.
        env={**os.environ, "FORCE_COLOR": "1", "TERM": "xterm-256color"},
    )


def _script(session: Session, text: str) -> tuple[int, str, str]:
    out = Console(file=io.StringIO(), width=100, color_system=None)
    err = Console(file=io.StringIO(), width=100, color_system=None)
    status = run_script(io.StringIO(text), session, out, errors=err)
    return status, out.file.getvalue(), err.file.getvalue()  # type: ignore[attr-defined]


# --------------------------------------------------------------------------- piped input


def test_piped_query_prints_plain_text(small_db: Path) -> None:
    result = _repl(small_db, '?- called(x, "Anton Vaino").\n')
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert "\x1b" not in result.stdout
    assert result.stdout == (
        "called\n"
        "┏━━━━━━━━━━━━━━━━━━━┓\n"
        "┃ x                 ┃\n"
        "┡━━━━━━━━━━━━━━━━━━━┩\n"
        "│ Yevgeny Prigozhin │\n"
        "└───────────────────┘\n"
        "1 row\n"
    )


def test_piped_failure_goes_to_stderr_and_exits_1(small_db: Path) -> None:
    result = _repl(small_db, "?- nothere(x).\n:facts part_of\n")
    assert result.returncode == 1
    assert result.stderr.startswith("<query>:1:")
    assert "unknown relation nothere" in result.stderr
    assert "Traceback" not in result.stderr
    assert "Wagner Group" in result.stdout  # later statements still run


def test_piped_missing_store_is_one_line(tmp_path: Path) -> None:
    result = _repl(tmp_path / "none.db", ":help\n")
    assert result.returncode == 1
    assert len(result.stderr.strip().splitlines()) == 1
    assert "none.db" in result.stderr


def test_statements_span_lines(small_store: FactStore) -> None:
    with Session(small_store, []) as session:
        status, out, err = _script(
            session,
            'linked(x, y) :-\n  called(x, y).\n?- linked(\n  "Yevgeny Prigozhin",\n  y).\n',
        )
    assert (status, err) == (0, "")
    assert out == (
        "ok: linked\n"
        "linked\n"
        "┏━━━━━━━━━━━━━┓\n"
        "┃ y           ┃\n"
        "┡━━━━━━━━━━━━━┩\n"
        "│ Anton Vaino │\n"
        "└─────────────┘\n"
        "1 row\n"
    )


def test_error_keeps_the_session(small_store: FactStore) -> None:
    with Session(small_store, []) as session:
        status, out, err = _script(
            session,
            'r(x) :- called(x, _).\nr(x :- nope.\nr2(x) :- r(x), !met(x, "z").\n?- r2(x).\n',
        )
        assert session.statements == ["r(x) :- called(x, _).", 'r2(x) :- r(x), !met(x, "z").']
    assert status == 1
    assert err.startswith("<input>:1:")
    assert "r(x :- nope." in err and "^" in err
    assert out.endswith("│ Yevgeny Prigozhin │\n└───────────────────┘\n1 row\n")


def test_unfinished_statement_at_end_of_input(small_store: FactStore) -> None:
    with Session(small_store, []) as session:
        status, _, err = _script(session, "?- called(x,\n")
    assert status == 1
    assert err == "error: input ended inside a statement: ?- called(x, …\n"


def test_quit_stops_reading(small_store: FactStore) -> None:
    with Session(small_store, []) as session:
        status, out, _ = _script(session, ":quit\n:help\n")
    assert (status, out) == (0, "")


def test_history_path(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("DENIABLE_HISTORY", str(tmp_path / "h"))
    assert history_path() == tmp_path / "h"
    monkeypatch.delenv("DENIABLE_HISTORY")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert history_path() == tmp_path / "deniable" / "history"


def test_a_clause_without_its_dot_does_not_swallow_a_command(small_db: Path) -> None:
    result = _repl(small_db, 'p(x) :- called(x, "Anton Vaino")\n:facts part_of\n')
    assert result.returncode == 1
    assert "missing '.'" in result.stderr
    assert "Wagner Group" in result.stdout  # the command after it ran


def test_review_in_the_shell_is_kept_in_the_file(small_db: Path, tmp_path: Path) -> None:
    import shutil

    from deniable.facts.review import review_queue

    db = tmp_path / "copy.db"
    shutil.copy(small_db, db)
    with FactStore.open(db) as store:
        (item,) = review_queue(store, pred="called")
    script = (
        ":review called\n"
        f':reject {item.statement_id} wrong man; "quoted"\n'
        '?- called(x, "Anton Vaino").\n'
        ":reject 4242 nope\n"
    )
    result = _repl(db, script)
    assert f"#{item.statement_id}  called(" in result.stdout
    assert "[unreviewed]" in result.stdout and "[rejected]" in result.stdout
    assert 'wrong man; "quoted"' in result.stdout
    assert result.stdout.rstrip().endswith("0 rows")  # the session sees the decision at once
    assert result.stderr.strip() == (
        "error: no statement 4242 in this store; `deniable review` lists the ids"
    )
    with FactStore.open(db) as store:
        (item,) = review_queue(store, pred="called")
        assert item.status.value == "rejected" and item.reason == 'wrong man; "quoted"'
