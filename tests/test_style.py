"""The code stays ruff clean (lint and format), as CI and the style guide require.

ruff is found where the test extra installed it: beside this Python (the virtual
environment's ``bin``, whether or not it is on ``PATH``), else as ``python -m
ruff``, else on ``PATH``.  Since the test extra names ruff, a missing ruff is a
broken install and fails; it skips only where the extra does not name it.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _ruff() -> list[str] | None:
    beside = Path(sys.executable).with_name("ruff.exe" if os.name == "nt" else "ruff")
    if beside.is_file():
        return [str(beside)]
    if importlib.util.find_spec("ruff") is not None:
        return [sys.executable, "-m", "ruff"]
    found = shutil.which("ruff")
    return [found] if found else None


def _in_test_extra() -> bool:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    extra = project["project"].get("optional-dependencies", {}).get("test", [])
    return any(re.match(r"ruff\b", requirement) for requirement in extra)


@pytest.mark.parametrize("args", [["check", "."], ["format", "--check", "."]])
def test_ruff(args: list[str]) -> None:
    ruff = _ruff()
    if ruff is None:
        if _in_test_extra():
            pytest.fail(
                "ruff is in the test extra but not installed beside "
                f"{sys.executable}: pip install -e '.[test]'"
            )
        pytest.skip("ruff is not installed, and the test extra does not name it")
    result = subprocess.run([*ruff, *args], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_is_found_without_path(monkeypatch: pytest.MonkeyPatch) -> None:
    """An environment used without activating it (no ``bin`` on ``PATH``) still finds ruff."""
    if not _in_test_extra():
        pytest.skip("the test extra does not name ruff")
    monkeypatch.setenv("PATH", "/nonexistent")
    ruff = _ruff()
    assert ruff is not None, "ruff is in the test extra, so it must be found"
    version = subprocess.run([*ruff, "--version"], capture_output=True, text=True)
    assert version.returncode == 0 and version.stdout.startswith("ruff ")
