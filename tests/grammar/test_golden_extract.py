"""Golden extraction cases: tests/golden/extract/<case>/article.txt against expected.jsonl.

A case may hold an ``entities.toml``; without one, extraction works from the text alone.
``pytest --update-goldens`` rewrites expected.jsonl (review the diff).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from deniable.facts.model import Document
from deniable.grammar.entities import Knowledge, load_knowledge
from deniable.grammar.extract import extract

CASES = Path(__file__).resolve().parent.parent / "golden" / "extract"


def _lines(case: Path) -> list[str]:
    text = (case / "article.txt").read_text(encoding="utf-8")
    ents = case / "entities.toml"
    knowledge = load_knowledge(ents) if ents.exists() else Knowledge()
    ex = extract(Document("article.txt", text, text.split("\n", 1)[0]), knowledge)
    out = []
    for f in ex.facts:
        row = {
            "pred": f.pred,
            "args": list(f.args),
            "modality": f.modality.value,
            "evidence": text[f.evidence.start : f.evidence.end],
            "pattern": f.evidence.pattern,
        }
        for key in ("source", "count", "when", "where", "role", "claim"):
            value = getattr(f, key)
            if value not in ("", None):
                row[key] = value
        out.append(json.dumps(row, ensure_ascii=False, sort_keys=True))
    return out


@pytest.mark.parametrize(
    "case",
    sorted(p for p in CASES.iterdir() if (p / "article.txt").exists()),
    ids=lambda p: p.name,
)
def test_golden_extraction(case: Path, update_goldens: bool) -> None:
    got = _lines(case)
    expected_path = case / "expected.jsonl"
    if update_goldens or not expected_path.exists():
        expected_path.write_text("".join(line + "\n" for line in got), encoding="utf-8")
    assert got == expected_path.read_text(encoding="utf-8").splitlines()
