"""What `derive` says and keeps: conclusions first, helpers summed up, and the rule_text table."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from deniable.cli import main
from deniable.errors import RuleError
from deniable.facts.store import FactStore
from deniable.rules.catalogue import COMPANIONS, STANDARD_CONCLUSIONS
from deniable.rules.workbench import derive_store, load_store_program


@pytest.fixture
def desk_copy(desk_db: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "desk.db"
    shutil.copy(desk_db, copy)
    return copy


def _rules(tmp_path: Path, folder: str, text: str) -> Path:
    path = tmp_path / folder
    path.mkdir()
    (path / "mine.dl").write_text(text, encoding="utf-8")
    return path


def test_the_summary_sorts_relations_by_kind(desk_copy: Path, tmp_path: Path) -> None:
    folder = _rules(
        tmp_path,
        "rules",
        ".decl twice(a: symbol, b: symbol)\ntwice(a, b) :- met(a, b), called(a, b).\n",
    )
    with FactStore.open(desk_copy, create=False) as store:
        summary = derive_store(store, rules_dirs=[folder], cwd_rules=False)
    assert summary.of_kind("conclusion") == list(STANDARD_CONCLUSIONS)
    assert set(summary.of_kind("companion")) == set(COMPANIONS)
    assert summary.of_kind("own") == ["twice"]
    helpers = summary.of_kind("helper")
    assert "tie_at" in helpers and "source_has_earlier" in helpers and "twice" not in helpers
    assert len(summary.sizes) == len(STANDARD_CONCLUSIONS) + len(COMPANIONS) + 1 + len(helpers)


def test_derive_prints_conclusions_first_and_counts_helpers(
    desk_copy: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "100")
    assert main(["--db", str(desk_copy), "derive"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0].startswith("derived with the sql engine: ")
    assert lines[1].startswith("conclusions")
    assert out.index("denial_contradicted_by_contact ") < out.index("affiliated ")
    assert "tie_at" not in out and "_strength │" not in out
    assert "helper relations of the standard rules" in out
    assert main(["--db", str(desk_copy), "derive", "--helpers"]) == 0
    out = capsys.readouterr().out
    assert "helpers of the standard rules" in out and "tie_at" in out


def test_rule_text_names_the_rule_of_every_derived_row(desk_copy: Path) -> None:
    with FactStore.open(desk_copy, create=False) as store:
        program = load_store_program(store, cwd_rules=False)
        derive_store(store, cwd_rules=False)
        tables = store.derived_tables()
    with sqlite3.connect(desk_copy) as conn:
        rules = {r[0]: r[1:] for r in conn.execute("SELECT _rule, file, line, text FROM rule_text")}
        assert set(rules) == {c.index for c in program.clauses}
        for table in tables:
            used = {r[0] for r in conn.execute(f'SELECT DISTINCT _rule FROM "{table}"')}
            assert used <= set(rules), table
        (row,) = conn.execute(
            "SELECT r.file, r.text FROM denial_contradicted_by_contact d "
            "JOIN rule_text r USING (_rule) WHERE d.insider = 'Vera Lind' AND d.kind = 'called'"
        )
    assert row == (
        "std/denial.dl",
        "denial_contradicted_by_contact(d, s, i, k) :- "
        "denial_contradicted_by_contact_at(d, s, i, k, _).",
    )
    assert all(file.startswith("std/") and line > 0 and text for file, line, text in rules.values())


def test_rule_text_keeps_a_hostile_rule_file_name(desk_copy: Path, tmp_path: Path) -> None:
    folder = _rules(
        tmp_path,
        'ru\'les; DROP "x" ö',
        '.decl odd(a: symbol)\nodd(a) :- met(a, "O\'Hara \\"Ace\\"; --").\n',
    )
    with FactStore.open(desk_copy, create=False) as store:
        derive_store(store, rules_dirs=[folder], cwd_rules=False)
    with sqlite3.connect(desk_copy) as conn:
        (row,) = conn.execute("SELECT file, line, text FROM rule_text WHERE text LIKE 'odd(%'")
    assert row == (str(folder / "mine.dl"), 2, 'odd(a) :- met(a, "O\'Hara \\"Ace\\"; --").')


def test_no_rule_may_define_rule_text(desk_copy: Path, tmp_path: Path) -> None:
    folder = _rules(tmp_path, "clash", ".decl rule_text(a: symbol)\nrule_text(a) :- met(a, _).\n")
    with (
        FactStore.open(desk_copy, create=False) as store,
        pytest.raises(RuleError, match="rule_text would overwrite the store's own"),
    ):
        derive_store(store, rules_dirs=[folder], cwd_rules=False)
