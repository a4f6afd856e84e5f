"""The incremental-derive benchmark runs and finds incremental and full derivations agreeing."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"


def test_the_benchmark_agrees_on_a_tiny_store(capsys: pytest.CaptureFixture[str]) -> None:
    spec = importlib.util.spec_from_file_location(
        "_deniable_bench_incr", BENCH / "incremental_derive.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    args = ["--documents", "20", "--statements", "10", "--added", "3", "--runs", "1"]
    assert module.main(args) == 0
    out = capsys.readouterr().out
    assert "| incremental (incremental: " in out and "| full |" in out
