"""`export --derived`: conclusions with their strength, rule and supporting statement ids."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest

from deniable.cli import main
from deniable.errors import UsageError
from deniable.facts.store import FactStore
from deniable.rules.derived_export import derived_files

HOSTILE_NAME = "Ivo \"Ace\" O'Hara <script>alert('x')</script> & Co; DROP TABLE documents;--"


@pytest.fixture
def desk_copy(desk_db: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "desk.db"
    shutil.copy(desk_db, copy)
    return copy


def test_csv_has_a_file_per_conclusion_and_none_for_helpers(desk_copy: Path) -> None:
    with FactStore.open(desk_copy, create=False) as store:
        files = derived_files(store, fmt="csv", cwd_rules=False)
    names = sorted(files)
    assert "derived/denial_contradicted_by_contact.csv" in names
    assert "derived/contact.csv" in names and "derived/corroborated.csv" in names
    assert not any("tie_at" in n or "_strength" in n or "beaten" in n for n in names)
    rows = list(csv.DictReader(files["derived/denial_contradicted_by_contact.csv"].splitlines()))
    assert [(r["insider"], r["kind"], r["strength"], r["statements"]) for r in rows] == [
        (HOSTILE_NAME, "met", "alleged", "1 4 5"),
        ("Vera Lind", "called", "reported", "1 2 3"),
        ("Vera Lind", "met", "reported", "1 3 7"),
    ]
    assert {(r["rule_file"], r["rule_line"]) for r in rows} == {("std/denial.dl", "72")}
    # An empty conclusion still names its columns.
    assert files["derived/conflicting_reports.csv"].splitlines() == [
        "a,b,strength,statements,rule_file,rule_line,rule"
    ]


def test_the_statement_ids_are_the_ones_statements_csv_lists(
    desk_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert main(["--db", str(desk_copy), "export", "--derived", "--out", str(out)]) == 0
    capsys.readouterr()
    with (out / "statements.csv").open(encoding="utf-8", newline="") as f:
        statements = {r["id"]: r for r in csv.DictReader(f)}
    with (out / "derived" / "denial_contradicted_by_contact.csv").open(
        encoding="utf-8", newline=""
    ) as f:
        call = next(r for r in csv.DictReader(f) if r["kind"] == "called")
    cited = [statements[i] for i in call["statements"].split()]
    assert [(s["pred"], s["modality"], s["source"]) for s in cited] == [
        ("denies", "asserted", ""),
        ("called", "reported", "leaked logs"),
        ("role", "asserted", ""),
    ]


def test_jsonl_is_one_object_per_row(desk_copy: Path) -> None:
    with FactStore.open(desk_copy, create=False) as store:
        files = derived_files(store, fmt="jsonl", cwd_rules=False)
    rows = [json.loads(line) for line in files["derived.jsonl"].splitlines()]
    met = next(
        r
        for r in rows
        if r["relation"] == "denial_contradicted_by_contact"
        and r["args"]["insider"] == HOSTILE_NAME
    )
    assert met["strength"] == "alleged" and met["statements"] == [1, 4, 5]
    assert met["rule"]["file"] == "std/denial.dl" and ":-" in met["rule"]["text"]


def test_tsv_is_refused(desk_copy: Path) -> None:
    with (
        FactStore.open(desk_copy, create=False) as store,
        pytest.raises(UsageError, match="--derived writes csv or jsonl, not tsv"),
    ):
        derived_files(store, fmt="tsv", cwd_rules=False)


def test_a_stale_store_is_re_derived_before_export(
    desk_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from deniable.facts.review import reject

    with FactStore.open(desk_copy, create=False) as store:
        (call,) = store.evidence_for("called", ("Olek Brandt", "Vera Lind"))
        reject(store, [call.statement_id], reason="unverified", by="editor")
    out = tmp_path / "out"
    assert main(["--db", str(desk_copy), "export", "--derived", "--out", str(out)]) == 0
    assert "re-derived the conclusions" in capsys.readouterr().err
    text = (out / "derived" / "denial_contradicted_by_contact.csv").read_text(encoding="utf-8")
    assert ",called," not in text and ",met,reported," in text
