"""The store's ``catalogue``: every table and view with its kind and one line, helpers hidden."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from deniable.errors import RuleError
from deniable.facts.store import FactStore
from deniable.rules.catalogue import COMPANIONS, STANDARD_CONCLUSIONS
from deniable.rules.workbench import derive_store


@pytest.fixture
def desk_copy(desk_db: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "desk.db"
    shutil.copy(desk_db, copy)
    return copy


def _catalogue(db: Path) -> dict[str, tuple[str, int, str, str]]:
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT name, kind, hidden, description, file FROM catalogue")
        return {r[0]: tuple(r[1:]) for r in rows}


def _objects(db: Path) -> set[str]:
    with sqlite3.connect(db) as conn:
        query = "SELECT name FROM sqlite_master WHERE type IN ('table', 'view')"
        return {r[0] for r in conn.execute(query)}


def _rules(tmp_path: Path, text: str) -> Path:
    folder = tmp_path / "rules"
    folder.mkdir(exist_ok=True)
    (folder / "mine.dl").write_text(text, encoding="utf-8")
    return folder


def test_derive_lists_every_table_and_view_once(desk_copy: Path) -> None:
    catalogue = _catalogue(desk_copy)
    assert set(catalogue) == _objects(desk_copy)
    assert all(description for _kind, _hidden, description, _file in catalogue.values())
    kinds = {name: kind for name, (kind, *_rest) in catalogue.items()}
    assert {n for n, k in kinds.items() if k == "conclusion"} == set(STANDARD_CONCLUSIONS)
    assert {n for n, k in kinds.items() if k == "companion"} == set(COMPANIONS)
    assert kinds["tie_at"] == kinds["source_has_earlier"] == "helper"
    assert kinds["called"] == kinds["statement"] == kinds["document"] == "input"
    assert kinds["statements"] == kinds["rule_text"] == kinds["catalogue"] == "store"
    assert kinds["sentences_fts_data"] == "internal"
    assert "unknown" not in kinds.values()


def test_helpers_and_internal_parts_are_hidden(desk_copy: Path) -> None:
    catalogue = _catalogue(desk_copy)
    hidden = {name for name, (kind, flag, *_rest) in catalogue.items() if flag}
    assert hidden == {n for n, (kind, *_r) in catalogue.items() if kind in ("helper", "internal")}
    assert {"tie_at", "contact_at", "source_has_earlier", "sentences_fts_idx"} <= hidden
    assert not hidden & {"denial_contradicted_by_contact", "contact", "called", "documents"}
    # A reader with plain SQL sees what each helper belongs to.
    _kind, _flag, description, file = catalogue["tie_at"]
    assert file.startswith("std/") and file in description
    assert catalogue["denial_contradicted_by_contact"][3].startswith("std/")


def test_a_users_relation_is_listed_as_own_and_leaves_with_its_rule(
    desk_copy: Path, tmp_path: Path
) -> None:
    folder = _rules(tmp_path, ".decl twice(a: symbol, b: symbol)\ntwice(a, b) :- met(a, b).\n")
    with FactStore.open(desk_copy, create=False) as store:
        derive_store(store, rules_dirs=[folder], cwd_rules=False)
    kind, hidden, description, file = _catalogue(desk_copy)["twice"]
    assert (kind, hidden, file) == ("own", 0, str(folder / "mine.dl"))
    assert "your rules" in description
    (folder / "mine.dl").write_text("", encoding="utf-8")
    with FactStore.open(desk_copy, create=False) as store:
        derive_store(store, rules_dirs=[folder], cwd_rules=False)
    catalogue = _catalogue(desk_copy)
    assert "twice" not in catalogue and set(catalogue) == _objects(desk_copy)


def test_no_rule_may_define_catalogue(desk_copy: Path, tmp_path: Path) -> None:
    folder = _rules(tmp_path, ".decl catalogue(a: symbol)\ncatalogue(a) :- met(a, _).\n")
    with (
        FactStore.open(desk_copy, create=False) as store,
        pytest.raises(RuleError, match="catalogue would overwrite the store's own"),
    ):
        derive_store(store, rules_dirs=[folder], cwd_rules=False)
    assert _catalogue(desk_copy)["catalogue"][0] == "store"
