"""The seed articles scored against the shared gold: the extraction targets hold."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console

from deniable.facts.score import ScoreReport, score_store
from deniable.facts.store import FactStore
from deniable.grammar.ingest import ingest_paths

REPO = Path(__file__).resolve().parents[2]
GOLD = REPO.parent / "shared" / "gold"
TARGET_F1 = ("called", "met", "denies", "indicted_by", "role")


@pytest.mark.skipif(not GOLD.is_dir(), reason="../shared/gold is not present")
def test_seed_extraction_meets_targets() -> None:
    with FactStore.memory() as store:
        report = ingest_paths(
            [REPO / "seeds"],
            store,
            entities=None,
            replace=False,
            console=Console(file=io.StringIO()),
        )
        assert report.ok and report.ingested == 5
        score = score_store(store, GOLD)
    text = io.StringIO()
    Console(file=text, width=120, color_system=None).print(score)
    rows = text.getvalue()
    for pred in TARGET_F1:
        assert _f1(score, pred) >= 0.85, rows
    assert _precision(score) >= 0.90, rows
    assert _negated_as_positive(score) == 0, rows


def _f1(score: ScoreReport, pred: str) -> float:
    return score.by_predicate[pred].f1


def _precision(score: ScoreReport) -> float:
    return score.total.precision


def _negated_as_positive(score: ScoreReport) -> int:
    return len(score.negative_hits)
