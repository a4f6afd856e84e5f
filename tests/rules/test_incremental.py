"""Incremental derivation: extending the last conclusions gives exactly what a full derive gives.

The property runs on random stratified programs (recursion, negation, hostile
names) whose input rows arrive in two batches; the store tests run the standard
rules (negations and aggregates) over ingested articles, and check when a
derivation must be, and says it is, in full.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlite_utils import Database

from deniable.cli import main
from deniable.facts.store import FactStore
from deniable.rules.checked import CheckedProgram
from deniable.rules.checks import check
from deniable.rules.engines import get_engine
from deniable.rules.engines.incremental import Increment, derive_incrementally, snapshot_inputs
from deniable.rules.engines.sqlite import relation_schema
from deniable.rules.sql import quote
from deniable.rules.workbench import derive_store


def _load(name: str) -> Any:
    key = f"deniable_tests_rules_{name}"
    if key not in sys.modules:
        spec = importlib.util.spec_from_file_location(key, Path(__file__).with_name(f"{name}.py"))
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[key] = module
        spec.loader.exec_module(module)
    return sys.modules[key]


strategies = _load("strategies")


def _rows(db: Database, checked: CheckedProgram) -> dict[str, set[tuple[Any, ...]]]:
    schema = relation_schema(db, checked)
    out = {}
    for rel in checked.idb:
        cols = ", ".join(quote(c) for c in schema.columns[rel][: checked.relations[rel].arity])
        out[rel] = set(db.execute(f"SELECT {cols or '1'} FROM {quote(rel)}").fetchall())
    return out


def _add(db: Database, case: Any, rows: dict[str, list[tuple[Any, ...]]]) -> None:
    for rel in case.edb:
        records = [dict(zip(rel.attributes, row, strict=False)) for row in rows.get(rel.name, [])]
        if records:
            db.table(rel.name).insert_all(records)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(case=strategies.programs(), data=st.data())
def test_extending_equals_deriving_afresh(case: Any, data: st.DataObject) -> None:
    checked = check(case.program)
    first: dict[str, list[tuple[Any, ...]]] = {}
    later: dict[str, list[tuple[Any, ...]]] = {}
    for name, rows in case.rows.items():
        cut = data.draw(st.integers(0, len(rows)), label=f"rows of {name!r} in the first batch")
        first[name], later[name] = rows[:cut], rows[cut:]
    db = Database(memory=True)
    try:
        for rel in case.edb:  # empty input tables, then the batches
            db.execute(f"CREATE TABLE {quote(rel.name)} ({', '.join(map(quote, rel.attributes))})")
        _add(db, case, first)
        get_engine("sql").derive(checked, db)
        with db.atomic():
            snapshot_inputs(db, checked)
        _add(db, case, later)
        with db.atomic():
            done = derive_incrementally(checked, db)
        assert isinstance(done, Increment), done
        extended = _rows(db, checked)
        get_engine("sql").derive(checked, db)
        assert extended == _rows(db, checked), case.describe()
    finally:
        db.close()


# --------------------------------------------------------------------------- over a store

FIRST = (
    "Ministry denies links\n\n"
    "The Ministry of Ports denied links to Marcus Bell.\n"
    "Anton Reyes, a spokesman for the Ministry of Ports, said so on Monday.\n"
)
LATER = (
    "Reyes and Bell met\n\n"
    "Anton Reyes met Marcus Bell in Lisbon in March.\n"
    "Marcus Bell later called Anton Reyes twice, according to leaked records.\n"
)
MORE = "Doe and Bell\n\nJane Doe met Marcus Bell in Rome.\n"
REACH = """
.decl reach(a: symbol, b: symbol)
reach(a, b) :- met(a, b).
reach(a, c) :- reach(a, b), met(b, c).
.decl unreached(a: symbol)
unreached(a) :- entity(a, _), !reach(a, _).
"""


def _ingest(db: Path, folder: Path, name: str, text: str) -> None:
    (folder / name).write_text(text, encoding="utf-8")
    assert main(["--db", str(db), "ingest", "--jobs", "1", str(folder / name)]) == 0


def _conclusions(store: FactStore) -> dict[str, set[tuple[Any, ...]]]:
    out = {}
    for rel in store.derived_tables():
        cols = [c.name for c in store.db[rel].columns if c.name not in ("_rule", "_height")]
        picked = ", ".join(quote(c) for c in cols)
        out[rel] = set(store.db.execute(f"SELECT {picked} FROM {quote(rel)}").fetchall())
    return out


@pytest.fixture
def folder(tmp_path: Path, capsys) -> Path:
    (tmp_path / "articles").mkdir()
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "reach.dl").write_text(REACH, encoding="utf-8")
    return tmp_path


def test_new_documents_extend_the_conclusions(folder: Path, capsys) -> None:
    db, rules = folder / "store.db", [folder / "rules"]
    _ingest(db, folder / "articles", "first.txt", FIRST)
    with FactStore.open(db) as store:
        assert derive_store(store, rules_dirs=rules).mode == "in full"
    for name, text in (("later.txt", LATER), ("more.txt", MORE)):
        _ingest(db, folder / "articles", name, text)
        with FactStore.open(db) as store:
            summary = derive_store(store, rules_dirs=rules)
            assert summary.mode.startswith("incremental: "), summary.mode
            extended = _conclusions(store)
            # A negation over reach and the strength aggregates were recomputed.
            assert "recomputed" in summary.mode and " 0 relations extended" not in summary.mode
            assert (
                derive_store(store, rules_dirs=rules, full=True).mode
                == "in full (asked with --full)"
            )
            assert _conclusions(store) == extended
    assert ("Anton Reyes", "Marcus Bell") in extended["reach"]
    assert extended["denial_contradicted_by_contact"]
    capsys.readouterr()


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (["review", "reject", "1", "--reason", "misread"], "rows were removed from"),
        (["ingest", "--replace", "{later}"], "rows were removed from"),
        ("rules", "the rule files changed"),
    ],
)
def test_a_removal_or_new_rules_derive_in_full(
    folder: Path, change: Any, reason: str, capsys
) -> None:
    db, rules = folder / "store.db", [folder / "rules"]
    _ingest(db, folder / "articles", "first.txt", FIRST)
    _ingest(db, folder / "articles", "later.txt", LATER)
    assert main(["--db", str(db), "derive", "--rules", str(rules[0])]) == 0
    if change == "rules":
        (folder / "rules" / "reach.dl").write_text(REACH + "// changed\n", encoding="utf-8")
    else:
        if "--replace" in change:
            (folder / "articles" / "later.txt").write_text(MORE, encoding="utf-8")
        args = [a.format(later=folder / "articles" / "later.txt") for a in change]
        assert main(["--db", str(db), *args]) == 0
    capsys.readouterr()
    with FactStore.open(db) as store:
        summary = derive_store(store, rules_dirs=rules)
        assert summary.mode.startswith(f"in full ({reason}"), summary.mode
        derived = _conclusions(store)
        derive_store(store, rules_dirs=rules, full=True)
        assert _conclusions(store) == derived


def test_the_re_derivation_note_says_how(folder: Path, capsys) -> None:
    db = folder / "store.db"
    _ingest(db, folder / "articles", "first.txt", FIRST)
    assert main(["--db", str(db), "derive"]) == 0
    _ingest(db, folder / "articles", "later.txt", LATER)
    capsys.readouterr()
    assert main(["--db", str(db), "query", "contact(a, b)", "--format", "csv"]) == 0
    captured = capsys.readouterr()
    assert "Anton Reyes,Marcus Bell" in captured.out
    (line,) = captured.err.strip().splitlines()
    assert "re-derived the conclusions in " in line
    assert "; incremental: " in line and "new input rows" in line and line.endswith("unchanged)")


def test_an_input_of_another_shape_derives_in_full(folder: Path, capsys) -> None:
    db = folder / "store.db"
    _ingest(db, folder / "articles", "first.txt", FIRST)
    assert main(["--db", str(db), "derive"]) == 0
    with FactStore.open(db) as store:
        # What a store upgraded by a later version would look like to this derivation.
        kept = sorted(n for n in store.db.table_names() if n.startswith("derive_input:"))
        assert "derive_input:statement" in kept
        store.db.execute('ALTER TABLE "derive_input:statement" ADD COLUMN extra TEXT')
        summary = derive_store(store)
        assert summary.mode == "in full (the columns of statement changed)"
        assert derive_store(store).mode.startswith("incremental: 0 new input rows")
