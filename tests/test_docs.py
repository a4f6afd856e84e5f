"""The README stays true: its commands match CI and it documents every command."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
CLI_COMMANDS = (
    "ingest",
    "derive",
    "query",
    "why",
    "repl",
    "export",
    "check",
    "run",
    "demo",
    "score",
    "extract",
    "review",
    "history",
    "restore",
    "gc",
    "report",
    "graph",
    "entities",
)
REPL_COMMANDS = (
    ":help",
    ":relations",
    ":facts",
    ":entity",
    ":search",
    ":why",
    ":review",
    ":confirm",
    ":reject",
    ":rules",
    ":reload",
    ":export",
    ":quit",
)


def test_ci_runs_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    (command,) = [line for line in ci.splitlines() if "pytest" in line and "#" not in line]
    assert f"\n{command.strip()}\n" in README


def test_readme_documents_every_cli_command() -> None:
    for command in CLI_COMMANDS:
        assert re.search(rf"deniable (--db \S+ )?{command}\b", README), command


def test_readme_documents_every_repl_command() -> None:
    for command in REPL_COMMANDS:
        assert command in README, command


def test_cli_help_and_readme_agree() -> None:
    from deniable.cli import build_parser

    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    assert set(sub.choices) == set(CLI_COMMANDS)
