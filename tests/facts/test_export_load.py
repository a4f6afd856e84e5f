"""Tests of export (tsv, csv, jsonl) and of loading a jsonl export back (round trip)."""

from __future__ import annotations

import csv
import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from deniable.errors import InputError, StoreError, UsageError
from deniable.facts.export import export_store
from deniable.facts.load import load_export
from deniable.facts.model import PREDICATES, Entity, EntityType
from deniable.facts.store import FactStore


def _fill(store: FactStore, build) -> None:
    store.add_entities(
        [
            Entity("Vladimir Putin", EntityType.PERSON, ("Putin",)),
            Entity("Dmitry Utkin", EntityType.PERSON, ("Utkin",), ("Wagner Group",)),
        ]
    )
    store.add_extraction(
        build(
            "a.txt",
            ["Putin met Prigozhin in 2018, Bellingcat says.", "Peskov denied it."],
            [
                ("met", "Vladimir Putin", "Yevgeny Prigozhin", "reported", 0,
                 {"source": "Bellingcat", "when": "2018", "count": 2, "where": "Moscow"}),
                ("denies", "Dmitry Peskov", "Vladimir Putin", "asserted", 1,
                 {"claim": "the meeting"}),
                ("called", "Vladimir Putin", "Yevgeny Prigozhin", "attempted", 1),
            ],
            outlet="Meduza",
            title='A "quoted", title',
        )
    )  # fmt: skip


def test_tsv_writes_one_facts_file_per_relation(store: FactStore, build, tmp_path: Path) -> None:
    _fill(store, build)
    written = export_store(store, fmt="tsv", out_dir=tmp_path / "out")
    assert sorted(p.name for p in written) == sorted(f"{r}.facts" for r in store.relations())
    met = (tmp_path / "out" / "met.facts").read_text(encoding="utf-8")
    assert met == "Vladimir Putin\tYevgeny Prigozhin\n"
    time = (tmp_path / "out" / "statement_time.facts").read_text(encoding="utf-8")
    (_sid, start, end) = time.strip().split("\t")
    assert (start, end) == ("20180101", "20181231")
    document = (tmp_path / "out" / "document.facts").read_text(encoding="utf-8")
    assert document == 'a.txt\tA "quoted", title\tMeduza\t\n'
    for path in written:
        rows = [line.split("\t") for line in path.read_text(encoding="utf-8").splitlines()]
        assert all(len(r) == len(store.relation_columns(path.stem)) for r in rows)


@pytest.mark.parametrize("bad", ["tab\there", "new\nline", "nul\x00"])
def test_tsv_refuses_values_souffle_cannot_read(
    store: FactStore, build, tmp_path: Path, bad: str
) -> None:
    store.add_extraction(build("b.txt", ["X met Y."], [("met", bad, "Y", "asserted", 0)]))
    with pytest.raises(StoreError, match="use --format csv or jsonl"):
        export_store(store, fmt="tsv", out_dir=tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_csv_has_headers_and_rows(store: FactStore, build, tmp_path: Path) -> None:
    _fill(store, build)
    store.add_extraction(build("c.txt", ["x"], [("met", 'a "b", c\nd', "Y", "asserted", 0)]))
    written = export_store(store, fmt="csv", out_dir=tmp_path)
    assert len(written) == len(store.relations()) + 1
    for path in written:
        # Predicates and the statement view carry evidence columns (tested below).
        if path.name == "statements.csv" or path.stem in (*PREDICATES, "statement"):
            continue
        with path.open(encoding="utf-8", newline="") as f:
            header, *rows = list(csv.reader(f))
        assert tuple(header) == store.relation_columns(path.stem)
        assert rows == [[str(v) for v in r] for r in store.rows(path.stem)]
    # Every predicate file still holds the view's (a, b) pairs, in its first two columns.
    for pred in PREDICATES:
        with (tmp_path / f"{pred}.csv").open(encoding="utf-8", newline="") as f:
            header, *rows = list(csv.reader(f))
        assert header[:3] == ["a", "b", "modality"]
        assert {tuple(r[:2]) for r in rows} == {tuple(r) for r in store.rows(pred)}


def test_csv_predicate_files_say_how_each_fact_was_said(
    store: FactStore, build, tmp_path: Path
) -> None:
    _fill(store, build)
    export_store(store, fmt="csv", out_dir=tmp_path)
    with (tmp_path / "met.csv").open(encoding="utf-8", newline="") as f:
        (met,) = list(csv.DictReader(f))
    assert (met["a"], met["b"], met["modality"], met["source"], met["vouched_by"]) == (
        "Vladimir Putin", "Yevgeny Prigozhin", "reported", "Bellingcat", "Bellingcat"
    )  # fmt: skip
    assert (met["doc"], met["title"], met["count"], met["when"]) == (
        "a.txt", 'A "quoted", title', "2", "2018"
    )  # fmt: skip
    assert met["sentence"] == "Putin met Prigozhin in 2018, Bellingcat says."
    # The attempted call is no call: called.csv has no row, statements.csv keeps it.
    with (tmp_path / "called.csv").open(encoding="utf-8", newline="") as f:
        assert list(csv.DictReader(f)) == []


def test_source_means_the_same_in_csv_and_jsonl(store: FactStore, build, tmp_path: Path) -> None:
    _fill(store, build)
    export_store(store, fmt="csv", out_dir=tmp_path / "csv")
    export_store(store, fmt="jsonl", out_dir=tmp_path / "jsonl")
    lines = (tmp_path / "jsonl" / "facts.jsonl").read_text(encoding="utf-8").splitlines()
    jsonl = {
        (o["pred"], *o["args"]): (o["source"], o["vouched_by"]) for o in map(json.loads, lines)
    }
    for name in ("statements.csv", "statement.csv"):
        with (tmp_path / "csv" / name).open(encoding="utf-8", newline="") as f:
            rows = {
                (r["pred"], r["a"], r["b"]): (r["source"], r["vouched_by"])
                for r in csv.DictReader(f)
            }
        assert rows == jsonl, name
    # Said in the article's own voice: no attributed source; the outlet vouches for it.
    assert jsonl[("denies", "Dmitry Peskov", "Vladimir Putin")] == ("", "Meduza")
    assert jsonl[("met", "Vladimir Putin", "Yevgeny Prigozhin")] == ("Bellingcat", "Bellingcat")


def test_a_rejected_statement_leaves_the_predicate_file(
    store: FactStore, build, tmp_path: Path
) -> None:
    from deniable.facts.review import reject

    _fill(store, build)
    (met,) = store.evidence_for("met", ("Vladimir Putin", "Yevgeny Prigozhin"))
    reject(store, [met.statement_id], reason="wrong person", by="editor")
    export_store(store, fmt="csv", out_dir=tmp_path)
    with (tmp_path / "met.csv").open(encoding="utf-8", newline="") as f:
        assert list(csv.DictReader(f)) == []
    # Out of every export, as out of the rules' views ...
    with (tmp_path / "statements.csv").open(encoding="utf-8", newline="") as f:
        reviews = {r["pred"]: r["review"] for r in csv.DictReader(f)}
    assert reviews == {"denies": "", "called": ""}
    export_store(store, fmt="jsonl", out_dir=tmp_path / "jsonl")
    lines = (tmp_path / "jsonl" / "facts.jsonl").read_text(encoding="utf-8").splitlines()
    assert sorted(json.loads(line)["pred"] for line in lines) == ["called", "denies"]
    export_store(store, fmt="tsv", out_dir=tmp_path / "tsv")
    assert (tmp_path / "tsv" / "met.facts").read_text(encoding="utf-8") == ""
    # ... unless asked for, and then marked.
    export_store(store, fmt="csv", out_dir=tmp_path / "all", include_rejected=True)
    with (tmp_path / "all" / "statements.csv").open(encoding="utf-8", newline="") as f:
        reviews = {r["pred"]: r["review"] for r in csv.DictReader(f)}
    assert reviews == {"denies": "", "called": "", "met": "rejected"}
    with (tmp_path / "all" / "met.csv").open(encoding="utf-8", newline="") as f:
        assert list(csv.DictReader(f)) == []  # what the rules read: never a rejected one
    export_store(store, fmt="jsonl", out_dir=tmp_path / "all-jsonl", include_rejected=True)
    lines = (tmp_path / "all-jsonl" / "facts.jsonl").read_text(encoding="utf-8").splitlines()
    marks = {o["pred"]: o.get("review") for o in map(json.loads, lines)}
    assert marks == {"denies": None, "called": None, "met": "rejected"}


def test_csv_statements_say_how_each_fact_was_said(store: FactStore, build, tmp_path: Path) -> None:
    _fill(store, build)
    export_store(store, fmt="csv", out_dir=tmp_path)
    with (tmp_path / "statements.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 3
    met = next(r for r in rows if r["pred"] == "met")
    assert (met["a"], met["b"], met["modality"], met["source"], met["doc"]) == (
        "Vladimir Putin", "Yevgeny Prigozhin", "reported", "Bellingcat", "a.txt"
    )  # fmt: skip
    assert met["sentence"] == "Putin met Prigozhin in 2018, Bellingcat says."


def test_jsonl_facts_and_entities(store: FactStore, build, tmp_path: Path) -> None:
    _fill(store, build)
    export_store(store, fmt="jsonl", out_dir=tmp_path)
    facts = [json.loads(line) for line in (tmp_path / "facts.jsonl").read_text().splitlines()]
    assert len(facts) == 3
    met = next(f for f in facts if f["pred"] == "met")
    assert met["args"] == ["Vladimir Putin", "Yevgeny Prigozhin"]
    assert (met["modality"], met["source"], met["doc"], met["count"], met["when"]) == (
        "reported", "Bellingcat", "a.txt", 2, "2018"
    )  # fmt: skip
    assert met["where"] == "Moscow" and "claim" not in met
    assert met["sentence"] == "Putin met Prigozhin in 2018, Bellingcat says."
    assert {"start", "end", "pattern", "sentence_index"} <= set(met)
    entities = {
        e["name"]: e
        for e in map(json.loads, (tmp_path / "entities.jsonl").read_text().splitlines())
    }
    assert entities["Dmitry Utkin"]["part_of"] == ["Wagner Group"]
    assert "Putin" in entities["Vladimir Putin"]["aliases"]
    assert entities["Vladimir Putin"]["type"] == "person"


def test_export_rejects_unknown_format_and_file_target(store: FactStore, tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="unknown export format"):
        export_store(store, fmt="xml", out_dir=tmp_path)
    target = tmp_path / "file"
    target.write_text("")
    with pytest.raises(UsageError, match="is a file"):
        export_store(store, fmt="csv", out_dir=target)


def _snapshot(store: FactStore) -> dict[str, object]:
    """Everything visible in a store except row ids and ingestion times."""
    out: dict[str, object] = {}
    for name in store.relations():
        if "id" in store.relation_columns(name):
            out[name] = sorted(r[1:] for r in store.rows(name))
        else:
            out[name] = store.rows(name)
    out["statements"] = list(store.iter_statements())
    out["entities"] = [store.entity(n) for n in store.entity_names()]
    return out


def test_load_round_trips(store: FactStore, build, tmp_path: Path) -> None:
    _fill(store, build)
    export_store(store, fmt="jsonl", out_dir=tmp_path)
    with FactStore.memory() as other:
        report = load_export(other, tmp_path)
        assert (report.documents, report.statements) == (1, 3)
        assert _snapshot(other) == _snapshot(store)


def test_load_reports_bad_lines_with_location(store: FactStore, build, tmp_path: Path) -> None:
    _fill(store, build)
    export_store(store, fmt="jsonl", out_dir=tmp_path)
    facts = tmp_path / "facts.jsonl"
    lines = facts.read_text().splitlines()
    facts.write_text("\n".join([lines[0], "{not json", *lines[1:]]) + "\n")
    with FactStore.memory() as other:
        with pytest.raises(InputError) as caught:
            load_export(other, tmp_path)
        assert str(caught.value).startswith(f"{facts}:2:2: error: invalid JSON")
        assert other.stats().documents == 0 and other.stats().entities == 0


def test_load_missing_file(tmp_path: Path) -> None:
    with FactStore.memory() as s, pytest.raises(InputError, match="missing"):
        load_export(s, tmp_path)


HOSTILE = st.sampled_from(
    ["O'Brien", 'x"y', "a; DROP TABLE facts; --", "nul\x00x", "tab\tx", "Пригожин", "z" * 10_000]
)
NAMES = st.one_of(HOSTILE, st.text(min_size=1, max_size=12))
MODALITIES = st.sampled_from(["asserted", "reported", "alleged", "negated", "attempted"])
FACTS = st.lists(
    st.tuples(
        st.sampled_from(["called", "met", "denies", "role", "x'; --"]),
        NAMES,
        NAMES,
        MODALITIES,
        st.integers(0, 1),
        st.fixed_dictionaries(
            {},
            optional={
                "source": NAMES,
                "when": st.sampled_from(["2018", "July 1", "former", "2013..2014"]),
                "count": st.integers(0, 10**6),
                "claim": NAMES,
                "role": NAMES,
            },
        ),
    ),
    max_size=6,
)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    docs=st.lists(
        st.tuples(NAMES, st.text(max_size=20), st.text(max_size=20), FACTS),
        max_size=3,
        unique_by=lambda d: d[0],
    ),
    entities=st.lists(st.tuples(NAMES, st.lists(NAMES, max_size=3), st.lists(NAMES, max_size=2))),
)
def test_export_then_load_round_trips(build, docs, entities) -> None:
    with FactStore.memory() as original, tempfile.TemporaryDirectory() as out:
        original.add_entities(Entity(n, EntityType.ORG, tuple(a), tuple(p)) for n, a, p in entities)
        for name, s0, s1, facts in docs:
            # Distinct texts per document so no two share a content hash.
            ext = build(name, [s0 + name, s1], [(*f[:5], dict(f[5])) for f in facts])
            original.add_extraction(ext)
        export_store(original, fmt="jsonl", out_dir=Path(out))
        with FactStore.memory() as loaded:
            load_export(loaded, Path(out))
            assert _snapshot(loaded) == _snapshot(original)
