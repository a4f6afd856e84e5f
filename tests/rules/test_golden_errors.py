"""Golden failing programs: each ``tests/golden/rules/neg_<case>/program.dl`` must make
``deniable check program.dl`` (run inside the case folder) exit 1 with exactly ``expected.err``."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from deniable.cli import main

GOLDEN = Path(__file__).parent.parent / "golden" / "rules"
CASES = sorted(p.name for p in GOLDEN.iterdir() if p.is_dir() and p.name.startswith("neg_"))


@pytest.mark.parametrize("name", CASES)
def test_negative_case(
    name: str,
    update_goldens: bool,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    case = GOLDEN / name
    monkeypatch.chdir(case)
    status = main(["check", "program.dl"])
    captured = capsys.readouterr()
    expected = case / "expected.err"
    if update_goldens:
        expected.write_text(captured.err, encoding="utf-8")
    assert status == 1
    assert captured.out == ""
    assert captured.err == expected.read_text(encoding="utf-8")
    # The first line of every diagnostic names the file, line and column in compiler style.
    first = captured.err.splitlines()[0]
    assert re.match(r"[\w/.-]+\.dl:\d+:\d+: error: ", first), first


def test_every_error_code_has_a_golden_case() -> None:
    codes: set[str] = set()
    for name in CASES:
        text = (GOLDEN / name / "expected.err").read_text(encoding="utf-8")
        codes.update(part.split("]")[0] for part in text.split("[")[1:] if "]" in part)
    assert {
        "syntax_error",
        "undeclared_relation",
        "arity_mismatch",
        "type_mismatch",
        "unbound_variable",
        "cyclic_negation",
        "cyclic_aggregate",
        "include_error",
        "unknown_type",
    } <= codes
