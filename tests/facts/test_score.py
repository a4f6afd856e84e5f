"""Tests of scoring a store against a synthetic gold folder with hand-computed numbers."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from rich.console import Console

from deniable.cli import main
from deniable.errors import InputError
from deniable.facts.score import score_store
from deniable.facts.store import FactStore

ENTITIES = [
    {"name": "Vladimir Putin", "type": "person", "aliases": ["Putin", "Путин"]},
    {"name": "Yevgeny Prigozhin", "type": "person", "aliases": ["Prigozhin", "Putin’s chef"]},
    {"name": "Kremlin", "type": "org", "aliases": ["the Kremlin"]},
    {"name": "Wagner Group", "type": "org", "aliases": ["Wagner"]},
]
P, PR, K, W = "Vladimir Putin", "Yevgeny Prigozhin", "Kremlin", "Wagner Group"
GOLD = {
    "a1.txt": [
        ("met", P, PR, "asserted"),
        ("met", PR, P, "reported"),  # the same unordered tuple
        ("role", PR, W, "asserted"),
        ("denies", K, PR, "asserted"),
        ("called", P, PR, "negated"),
    ],
    "a2.txt": [
        ("role", PR, W, "asserted"),
        ("called", P, PR, "attempted"),
        ("called", K, PR, "negated"),
        ("called", K, PR, "reported"),  # positive too, so not a negative tuple
    ],
    "a3.txt": [("pictured_with", P, W, "asserted")],
}


@pytest.fixture
def gold_dir(tmp_path: Path) -> Path:
    gold = tmp_path / "gold"
    gold.mkdir()
    (gold / "entities.json").write_text(json.dumps(ENTITIES), encoding="utf-8")
    for article, facts in GOLD.items():
        lines = [
            json.dumps({"pred": p, "args": [a, b], "modality": m, "evidence": "x"})
            for p, a, b, m in facts
        ]
        (gold / f"{article}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return gold


def _system(store: FactStore, build) -> None:
    store.add_extraction(
        build(
            "a1.txt",
            ["one", "two"],
            [
                ("met", PR, "putin", "asserted", 0),  # TP via alias, reversed order
                ("met", PR, "putin", "negated", 1),  # negatives are not system facts
                ("role", W, PR, "asserted", 0),  # FP: role is ordered
                ("called", P, PR, "asserted", 1),  # FP, gold says negated
                ("denies", "THE KREMLIN", "Putin's chef", "reported", 0),  # TP after folding
                ("pictured_with", "Nobody", "Someone", "asserted", 1),  # FP
            ],
        )
    )
    store.add_extraction(
        build(
            "a2.txt",
            ["three"],
            [
                ("role", PR, W, "alleged", 0),  # TP
                ("role", PR, W, "asserted", 0),  # duplicate counts once
                ("called", PR, P, "reported", 0),  # FP, gold says attempted
                ("called", PR, K, "asserted", 0),  # TP, unordered
            ],
        )
    )
    store.add_extraction(build("extra.txt", ["four"], [("met", P, W, "asserted", 0)]))


def test_score_numbers(store: FactStore, build, gold_dir: Path) -> None:
    _system(store, build)
    report = score_store(store, gold_dir)
    assert report.articles == ("a1.txt", "a2.txt")
    assert report.gold_only == ("a3.txt",)
    assert report.store_only == ("extra.txt",)
    got = {p: (c.tp, c.fp, c.fn) for p, c in report.by_predicate.items()}
    assert got == {
        "called": (1, 2, 0),
        "met": (1, 0, 0),
        "denies": (1, 0, 0),
        "role": (1, 1, 1),
        "pictured_with": (0, 1, 0),
    }
    assert list(report.by_predicate) == ["called", "met", "denies", "role", "pictured_with"]
    assert (report.total.tp, report.total.fp, report.total.fn) == (4, 4, 1)
    assert report.precision == pytest.approx(0.5)
    assert report.recall == pytest.approx(0.8)
    assert report.f1 == pytest.approx(8 / 13)
    assert report.by_predicate["role"].f1 == pytest.approx(0.5)
    assert report.by_predicate["pictured_with"].recall == 0.0
    assert report.negative_hits == (
        ("a1.txt", ("called", P, PR)),
        ("a2.txt", ("called", P, PR)),
    )
    d = report.as_dict()
    assert d["negative_hits"] == 2 and d["total"]["tp"] == 4
    assert {"article": "a1.txt", "pred": "role", "args": [W, PR]} in d["false_positives"]
    assert d["false_negatives"] == [{"article": "a1.txt", "pred": "role", "args": [PR, W]}]
    assert json.loads(json.dumps(d)) == d


def test_score_renders_a_table(store: FactStore, build, gold_dir: Path) -> None:
    _system(store, build)
    console = Console(file=io.StringIO(), width=100, color_system=None)
    console.print(score_store(store, gold_dir))
    text = console.file.getvalue()
    assert "pictured_with" in text and "0.500" in text and "0.615" in text
    assert "negated/attempted gold tuples extracted as positive: 2" in text
    assert "a3.txt" in text


def test_empty_store_scores_zero(store: FactStore, gold_dir: Path) -> None:
    report = score_store(store, gold_dir)
    assert report.articles == () and report.total.tp == 0 and report.f1 == 0.0


def test_bad_gold_is_an_input_error(store: FactStore, gold_dir: Path, tmp_path: Path) -> None:
    (gold_dir / "a1.txt.jsonl").write_text('{"pred": "met", "args": ["a"]}\n')
    with pytest.raises(InputError, match=r"a1\.txt\.jsonl:1:1"):
        score_store(store, gold_dir)
    (gold_dir / "a1.txt.jsonl").write_text('{"pred": \n')
    with pytest.raises(InputError, match="invalid JSON"):
        score_store(store, gold_dir)
    with pytest.raises(InputError, match="not a folder"):
        score_store(store, tmp_path / "nowhere")
    (gold_dir / "entities.json").unlink()
    with pytest.raises(InputError, match=r"entities\.json is missing"):
        score_store(store, gold_dir)


def test_cli_score(build, gold_dir: Path, db_path: Path, capsys) -> None:
    with FactStore.open(db_path) as s:
        _system(s, build)
    assert main(["--db", str(db_path), "score", str(gold_dir), "--errors"]) == 0
    out = capsys.readouterr().out
    assert "F1" in out and "false positives: 4" in out and "missed (false negatives): 1" in out
    assert main(["--db", str(db_path.with_name("none.db")), "score", str(gold_dir)]) == 1
    assert "no fact store at" in capsys.readouterr().err


def test_cli_export(build, db_path: Path, tmp_path: Path, capsys) -> None:
    with FactStore.open(db_path) as s:
        _system(s, build)
    out_dir = tmp_path / "tsv"
    assert main(["--db", str(db_path), "export", "--format", "tsv", "--out", str(out_dir)]) == 0
    assert (out_dir / "met.facts").read_text().count("\n") == 2
    assert str(out_dir / "met.facts") in capsys.readouterr().out


def test_a_predicate_the_gold_does_not_annotate_is_not_scored(
    store: FactStore, build, gold_dir: Path
) -> None:
    store.add_extraction(
        build(
            "a1.txt",
            ["one"],
            [("met", PR, P, "asserted", 0), ("visited", PR, "Minsk", "asserted", 0)],
        )
    )
    report = score_store(store, gold_dir)
    assert "visited" not in report.by_predicate
    assert report.unscored == (("visited", 1),)
    assert (report.total.tp, report.total.fp) == (1, 0)
    text = io.StringIO()
    Console(file=text, width=120).print(report)
    assert "not scored (the gold does not annotate them): visited (1 tuples)" in text.getvalue()
    # once a gold file annotates the predicate, it is scored like any other
    line = {"pred": "visited", "args": [PR, "Minsk"], "modality": "asserted", "evidence": "x"}
    with (gold_dir / "a1.txt.jsonl").open("a", encoding="utf-8") as f:
        f.write(json.dumps(line) + "\n")
    report = score_store(store, gold_dir)
    assert report.by_predicate["visited"].tp == 1 and report.unscored == ()
