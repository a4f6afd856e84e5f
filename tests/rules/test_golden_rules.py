"""Golden cases for ``deniable run``: each folder under tests/golden/rules is a Soufflé program
with its facts and the exact files (and stdout) ``souffle -F facts -D out`` produces."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest

from deniable.rules.program import run_program

GOLDEN = Path(__file__).parent.parent / "golden" / "rules"
CASES = sorted(p.name for p in GOLDEN.iterdir() if p.is_dir() and not p.name.startswith("neg_"))


@pytest.mark.parametrize("engine", ["sql", "duckdb", "postgres"])
@pytest.mark.parametrize("name", CASES)
def test_golden_case(
    name: str, engine: Any, tmp_path: Path, update_goldens: bool, request: pytest.FixtureRequest
) -> None:
    if engine == "postgres":
        # The engine on the session's server (skips, saying why, where there is none).
        engine = request.getfixturevalue("postgres_engine")
    case = GOLDEN / name
    out = io.StringIO()
    run_program(
        case / "program.dl", facts_dir=case / "facts", out_dir=tmp_path, engine=engine, stdout=out
    )
    expected_dir = case / "expected"
    written = {p.name for p in tmp_path.iterdir()}
    if update_goldens:
        for path in tmp_path.iterdir():
            (expected_dir / path.name).write_text(path.read_text(encoding="utf-8"), "utf-8")
        if out.getvalue():
            (expected_dir / "stdout").write_text(out.getvalue(), "utf-8")
    expected = {p.name for p in expected_dir.iterdir() if p.name != "stdout"}
    assert written == expected
    for file in sorted(expected):
        got = (tmp_path / file).read_text(encoding="utf-8").splitlines()
        want = (expected_dir / file).read_text(encoding="utf-8").splitlines()
        # Soufflé orders symbols by its symbol table, so only the set of lines is the contract.
        assert sorted(got) == sorted(want), file
    stdout = expected_dir / "stdout"
    assert out.getvalue() == (stdout.read_text(encoding="utf-8") if stdout.exists() else "")
