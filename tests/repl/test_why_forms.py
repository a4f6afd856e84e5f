"""The output forms of ``deniable why`` (tree, brief, depth, limit) against golden files.

Each case under ``tests/golden/why_forms/<case>/`` holds ``command`` (the arguments
after ``deniable --db STORE``, shell-quoted) and ``expected.txt`` (stdout at 100
columns).  ``pytest --update-goldens`` rewrites them; review the diff.
"""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest

from deniable.cli import main

GOLDEN = Path(__file__).parent.parent / "golden" / "why_forms"
CASES = sorted(p.name for p in GOLDEN.iterdir() if (p / "command").is_file())


def _run(
    db: Path, args: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> tuple[int, str, str]:
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setenv("TERM", "dumb")
    monkeypatch.delenv("DENIABLE_DB", raising=False)
    status = main(["--db", str(db), *args])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


@pytest.mark.parametrize("case", CASES)
def test_why_form(
    case: str,
    desk_db: Path,
    update_goldens: bool,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    args = shlex.split((GOLDEN / case / "command").read_text(encoding="utf-8"))
    status, out, err = _run(desk_db, args, capsys, monkeypatch)
    assert (status, err) == (0, "")
    expected = GOLDEN / case / "expected.txt"
    if update_goldens:
        expected.write_text(out, encoding="utf-8")
    assert out == expected.read_text(encoding="utf-8")


def test_the_tree_draws_a_repeated_sub_proof_once(
    desk_db: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    query = "denial_contradicted_by_contact(d, s, i, k)"
    _, out, _ = _run(desk_db, ["why", query], capsys, monkeypatch)
    # Three conclusions rest on the one denial: its proof is drawn once, then referred to.
    assert out.count("by link_denial_at(d, s, n)") == 1
    assert out.count('link_denial_at("Ministry of Ports", "Olek Brandt", 3)  (as above)') == 2
    # The denial's sentence is quoted once; later uses name its statement.
    assert out.count("The Ministry of Ports denied any links to Olek Brandt.") == 1
    assert "quoted above)" in out


def test_the_limit_is_said(
    desk_db: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _, out, _ = _run(desk_db, ["why", "--limit", "2", "contact(a, b)"], capsys, monkeypatch)
    assert out.rstrip().endswith("explained 2 of 4 rows (use --limit)")
    _, out, _ = _run(desk_db, ["why", "--limit", "4", "contact(a, b)"], capsys, monkeypatch)
    assert "explained" not in out


def test_the_brief_shows_the_strongest_chain(
    desk_db: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Brandt met Lind (reported) and called her (reported); the brief for contact must
    # cite a reported statement, never the alleged meeting with someone else.
    query = 'contact("Olek Brandt", "Vera Lind")'
    _, out, _ = _run(desk_db, ["why", "--brief", query], capsys, monkeypatch)
    assert out.startswith('contact("Olek Brandt", "Vera Lind")  reported\n')
    assert "alleged" not in out


def test_brief_and_depth_are_one_or_the_other(
    desk_db: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    status, out, err = _run(
        desk_db, ["why", "--brief", "--depth", "2", "contact(a, b)"], capsys, monkeypatch
    )
    assert status == 2 and out == "" and err.count("\n") == 1 and "--depth" in err
    with pytest.raises(SystemExit) as exited:
        _run(desk_db, ["why", "--depth", "0", "contact(a, b)"], capsys, monkeypatch)
    assert exited.value.code == 2


# --------------------------------------------------------------------------- the shell's :why


def _shell(desk_db: Path, *statements: str) -> tuple[str, list[bool]]:
    import io

    from rich.console import Console

    from deniable.facts.store import FactStore
    from deniable.repl.commands import execute
    from deniable.repl.session import Session

    console = Console(file=io.StringIO(), width=100, color_system=None)
    with FactStore.open(desk_db, create=False) as store, Session(store, []) as session:
        results = [execute(s, session, console) for s in statements]
    return console.file.getvalue(), results  # type: ignore[attr-defined]


def test_shell_why_brief_is_the_cli_brief(desk_db: Path) -> None:
    query = "denial_contradicted_by_contact(d, s, i, k)"
    printed, ok = _shell(desk_db, f":why --brief {query}.")
    assert ok == [True]
    assert printed == (GOLDEN / "brief" / "expected.txt").read_text(encoding="utf-8")


def test_shell_why_depth_and_limit(desk_db: Path) -> None:
    printed, ok = _shell(desk_db, ":why --depth=1 --limit 1 contact(a, b)")
    assert ok == [True]
    assert "steps below not shown (raise --depth)" in printed
    assert printed.rstrip().endswith("explained 1 of 4 rows (use --limit)")


@pytest.mark.parametrize(
    "statement",
    [":why --depth x contact(a, b)", ":why --limit 0 contact(a, b)", ":why --brief --depth 2 x(a)"],
)
def test_shell_why_refuses_bad_options(desk_db: Path, statement: str) -> None:
    printed, ok = _shell(desk_db, statement)
    assert ok == [False]
    assert printed.count("\n") == 1 and "error" in printed and "Traceback" not in printed
