"""The command line: help, version, global options, one-line errors and exit codes."""

from __future__ import annotations

import subprocess
import sys

import pytest

from deniable.cli import build_parser, main

COMMANDS = ("ingest", "derive", "query", "why", "repl", "export", "check", "run", "demo", "score")


def _run(*args: str, **kw) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "deniable", *args], capture_output=True, text=True, **kw
    )


def test_help_lists_every_command() -> None:
    result = _run("--help")
    assert result.returncode == 0
    for command in COMMANDS:
        assert command in result.stdout


def test_version() -> None:
    result = _run("--version")
    assert result.returncode == 0
    assert result.stdout.startswith("deniable ")


def test_db_defaults_to_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DENIABLE_DB", "/tmp/elsewhere.db")
    assert build_parser().parse_args(["derive"]).db == "/tmp/elsewhere.db"
    assert build_parser().parse_args(["--db", "x.db", "derive"]).db == "x.db"
    monkeypatch.delenv("DENIABLE_DB")
    assert build_parser().parse_args(["derive"]).db == "deniable.db"


def test_no_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2


def test_unknown_command_exits_2() -> None:
    result = _run("frobnicate")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr


def test_missing_store_is_one_line(tmp_path) -> None:
    result = _run("--db", str(tmp_path / "none.db"), "query", "called(a, b)")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "none.db" in result.stderr


@pytest.mark.parametrize(
    "argv",
    [
        ["--db", "x.db", "ingest", "DIR"],
        ["ingest", "--db", "x.db", "DIR"],
        ["ingest", "DIR", "--db", "x.db"],
    ],
)
def test_db_before_or_after_the_subcommand(argv: list[str]) -> None:
    args = build_parser().parse_args(argv)
    assert args.db == "x.db" and args.paths == ["DIR"] and args.db_given


def test_debug_before_or_after_the_subcommand(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DENIABLE_DB", raising=False)
    for argv in (["--debug", "derive"], ["derive", "--debug"]):
        args = build_parser().parse_args(argv)
        assert args.debug and args.db == "deniable.db" and not args.db_given
    # A subcommand without the options keeps what was given before it.
    args = build_parser().parse_args(["--db", "x.db", "--debug", "derive"])
    assert args.db == "x.db" and args.debug


def test_db_after_the_subcommand_is_used(tmp_path) -> None:
    result = _run("query", "--db", str(tmp_path / "none.db"), "called(a, b)")
    assert result.returncode == 1
    assert "none.db" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "argv",
    [
        ["--db", "x.db", "ingest", "DIR", "--jobs", "2"],
        ["--db=x.db", "--debug", "run", "p.dl", "-F", "facts", "--engine", "duckdb"],
        ["derive", "--full"],
        ["--debug", "gc"],
    ],
)
def test_the_one_named_subcommand_parses_as_the_whole_parser(argv: list[str]) -> None:
    from deniable.cli import _named_command

    named = _named_command(argv)
    assert named == next(w for w in argv if not w.startswith("-") and w != "x.db")
    assert vars(build_parser(named).parse_args(argv)) == vars(build_parser().parse_args(argv))


@pytest.mark.parametrize(
    "argv", [[], ["-h", "run"], ["--version"], ["--deb", "run"], ["frobnicate"], ["--db"]]
)
def test_anything_else_before_the_subcommand_builds_the_whole_parser(argv: list[str]) -> None:
    from deniable.cli import _named_command

    assert _named_command(argv) is None
