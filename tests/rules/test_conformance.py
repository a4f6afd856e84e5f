"""The datalog-conformance suite's core (non-defeasible) cases on both engines.

The suite's pytest plugin parametrizes ``yaml_test_case`` over its bundled YAML
cases; :mod:`conformance_adapter` turns each program into a deniable program.
Defeasible, theory and KLM cases are outside deniable's language and skipped.

On pyDatalog, a case is skipped only for a documented reason:

* :data:`PYDATALOG_UNSUPPORTED` names the cases whose program uses a construct the
  engine refuses (``pydatalog_unsupported``); the test checks both ways that the
  list is exactly the set of cases refused, so it cannot go stale;
* programs with more than :data:`PYDATALOG_MAX_FACTS` facts are too slow for
  pyDatalog within the test budget (top-down resolution in pure Python).
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Any

import pytest
from datalog_conformance.runner import YamlTestRunner

from deniable.errors import EvaluationError
from deniable.rules.engines.pydatalog import UNSUPPORTED


def _load(name: str) -> Any:
    # Helper modules next to this file (tests have no __init__.py, import mode importlib).
    key = f"deniable_tests_rules_{name}"
    if key not in sys.modules:
        spec = importlib.util.spec_from_file_location(key, Path(__file__).with_name(f"{name}.py"))
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[key] = module
        spec.loader.exec_module(module)
    return sys.modules[key]


adapter = _load("conformance_adapter")

#: Above this many facts a program is not run on pyDatalog (seconds to minutes each).
PYDATALOG_MAX_FACTS = 2_500

#: Cases pyDatalog refuses before running, with the construct that makes it refuse.
PYDATALOG_UNSUPPORTED: dict[str, str] = {}


def _skip_unless_core(case: Any) -> None:
    if case.program is None or "defeasible" in case.tags:
        pytest.skip("defeasible / theory / KLM case: not part of deniable's Datalog")


def test_core_sql(yaml_test_case: tuple[Path, Any]) -> None:
    _, case = yaml_test_case
    _skip_unless_core(case)
    YamlTestRunner(adapter.ConformanceEvaluator("sql")).run_test_case(case)


def test_core_pydatalog(yaml_test_case: tuple[Path, Any]) -> None:
    _, case = yaml_test_case
    _skip_unless_core(case)
    facts = adapter.fact_count(case.program)
    if facts > PYDATALOG_MAX_FACTS:
        pytest.skip(f"{facts} facts: beyond pyDatalog's budget ({PYDATALOG_MAX_FACTS})")
    evaluator = adapter.ConformanceEvaluator("pydatalog")
    try:
        evaluator.evaluate(case.program)
    except EvaluationError as error:
        if error.code == UNSUPPORTED:
            assert case.name in PYDATALOG_UNSUPPORTED, f"unlisted refusal: {error}"
            pytest.skip(f"pyDatalog cannot express it: {PYDATALOG_UNSUPPORTED[case.name]}")
    except Exception:  # noqa: BLE001, S110 - expected errors are judged by the runner below
        pass
    assert case.name not in PYDATALOG_UNSUPPORTED, "listed as unsupported but pyDatalog ran it"
    YamlTestRunner(evaluator).run_test_case(case)
