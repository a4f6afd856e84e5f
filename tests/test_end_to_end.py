"""Seeds → ingest → derive → the golden conclusions, on both engines; and `deniable demo`."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from deniable.cli import main
from deniable.facts.model import (
    Document,
    Entity,
    EntityType,
    Evidence,
    Extraction,
    Fact,
    Modality,
    Sentence,
)
from deniable.facts.store import FactStore
from deniable.repl.demo import DEMO_DB, run_demo, seed_files
from deniable.rules.workbench import derive_store, explain_store, query_store

ENGINES = ("sql", "duckdb", "pydatalog")
GOLDEN = Path(__file__).parent / "golden" / "conclusions"

#: Golden file -> the query whose answers it pins.
CASES = {
    "denial_contradicted_by_contact.csv": (
        "denial_contradicted_by_contact_strength(denier, subject, insider, kind, strength)"
    ),
    "denial_contradicted_by_role.csv": (
        "denial_contradicted_by_role_strength(denier, org, strength)"
    ),
    "conflicting_reports.csv": "conflicting_reports_strength(a, b, strength)",
}
#: The shared gold annotations of the seed articles (what a careful reader takes from them).
GOLD = Path(__file__).resolve().parents[2] / "shared" / "gold"


def _console() -> Console:
    return Console(file=io.StringIO(), width=100, color_system=None)


@pytest.fixture(scope="module")
def seeds_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store of the packaged seed articles, ingested once for the whole module."""
    from deniable.grammar.ingest import ingest_paths

    path = tmp_path_factory.mktemp("seeds") / "seeds.db"
    articles, entities = seed_files()
    assert len(articles) == 5 and entities is not None
    with FactStore.open(path, create=True) as store:
        paths = [Path(str(a)) for a in articles]
        ingest_paths(
            paths,
            store,
            entities=Path(str(entities)),
            replace=False,
            console=_console(),
        )
    return path


@pytest.fixture(scope="module", params=ENGINES)
def derived(request: pytest.FixtureRequest, seeds_db: Path, tmp_path_factory) -> Iterator[Any]:
    """The seed store derived by one engine (a copy per engine)."""
    path = tmp_path_factory.mktemp(request.param) / "seeds.db"
    shutil.copy(seeds_db, path)
    with FactStore.open(path, create=False) as store:
        derive_store(store, engine=request.param, cwd_rules=False)
        yield store


def _read_golden(name: str) -> list[tuple[str, ...]]:
    with (GOLDEN / name).open(encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        next(reader)
        return [tuple(row) for row in reader]


def _write_golden(name: str, columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
    GOLDEN.mkdir(parents=True, exist_ok=True)
    with (GOLDEN / name).open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(rows)


def _gold_extractions() -> list[Extraction]:
    """The gold facts of each seed article as an extraction (one sentence per article)."""
    articles, _entities = seed_files()
    extractions = []
    for article in articles:
        text = article.read_text(encoding="utf-8")
        facts = []
        for line in (GOLD / f"{article.name}.jsonl").read_text(encoding="utf-8").splitlines():
            g = json.loads(line)
            start = max(text.find(g["evidence"]), 0)
            evidence = Evidence(article.name, 0, start, start + len(g["evidence"]), "gold")
            details = {k: g[k] for k in ("count", "when", "where", "claim", "role") if k in g}
            facts.append(
                Fact(g["pred"], tuple(g["args"]), Modality(g["modality"]), evidence, **details)
            )
        document = Document(article.name, text, title=text.splitlines()[0])
        extractions.append(Extraction(document, (Sentence(0, 0, len(text), text),), tuple(facts)))
    return extractions


@pytest.fixture(scope="module", params=ENGINES)
def gold_derived(request: pytest.FixtureRequest) -> Iterator[FactStore]:
    """A store of the gold facts (with the seeds' entity file), derived by one engine."""
    if not GOLD.is_dir():
        pytest.skip(f"no gold annotations at {GOLD}")
    _articles, entities = seed_files()
    assert entities is not None
    with FactStore.memory() as store:
        store.add_entities(_entity_file(Path(str(entities))))
        for extraction in _gold_extractions():
            store.add_extraction(extraction)
        derive_store(store, engine=request.param, cwd_rules=False)
        yield store


def _entity_file(path: Path) -> list[Entity]:
    table = tomllib.loads(path.read_text(encoding="utf-8"))
    return [
        Entity(
            e["name"],
            EntityType(e["type"]),
            tuple(e.get("aliases", ())),
            tuple(e.get("part_of", ())),
        )
        for e in table["entity"]
    ]


def _answers(store: FactStore, name: str) -> tuple[tuple[str, ...], list[tuple[str, ...]]]:
    answers = query_store(store, CASES[name], cwd_rules=False)
    return answers.columns, [tuple(str(v) for v in row) for row in answers.rows]


@pytest.mark.parametrize("name", sorted(CASES))
def test_golden_conclusions_from_the_gold_facts(
    gold_derived: FactStore, name: str, update_goldens: bool
) -> None:
    """The rules draw exactly the pinned conclusions from what a careful reader takes."""
    columns, got = _answers(gold_derived, name)
    if update_goldens:
        _write_golden(name, columns, got)
    assert got == _read_golden(name)


@pytest.mark.parametrize("name", sorted(CASES))
def test_golden_conclusions_from_the_seeds(derived: FactStore, name: str) -> None:
    """Extraction plus rules draw exactly the pinned conclusions from the articles."""
    _columns, got = _answers(derived, name)
    assert [row[:-1] for row in got] == [row[:-1] for row in _read_golden(name)]


# Extraction gives three statements another modality than a careful reader does
# (see tests/golden/conclusions/README.md); strict, so that fixing it flips this.
_EXTRACTION_MODALITIES = pytest.mark.xfail(
    strict=True,
    reason="extraction: headline 'Putin's aide' read as Peskov (gold: Vaino, asserted); "
    "'reportedly heard by General Viktor Zolotov' read as alleged (gold: reported)",
)


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(name, marks=_EXTRACTION_MODALITIES)
        if name == "denial_contradicted_by_contact.csv"
        else name
        for name in sorted(CASES)
    ],
)
def test_golden_strengths_from_the_seeds(derived: FactStore, name: str) -> None:
    """... each with the strength a careful reader gives it (extraction's modality counts)."""
    _columns, got = _answers(derived, name)
    assert got == _read_golden(name)


def test_the_issue_conclusions_are_derived(derived: FactStore) -> None:
    """The conclusions issue 5 names, whatever else the golden files hold."""
    contact = set(query_store(derived, "denial_contradicted_by_contact(d, s, i, k)").rows)
    moscow, chef = "Russian government", "Yevgeny Prigozhin"
    assert (moscow, chef, "Dmitry Peskov", "called") in contact
    assert (moscow, chef, "Anton Vaino", "called") in contact
    assert (moscow, chef, "Sergei Shoigu", "met") in contact
    role = set(query_store(derived, "denial_contradicted_by_role(d, o)").rows)
    assert (chef, "Wagner Group") in role
    conflicts = set(query_store(derived, "conflicting_reports_by(a, b, k, r, f)").rows)
    assert {(a, b, k) for a, b, k, _r, _f in conflicts} >= {
        (chef, "Vladimir Putin", "met"),
        ("Vladimir Putin", chef, "met"),
    }


def test_engines_agree_on_every_derived_relation(seeds_db: Path, tmp_path: Path) -> None:
    results = {}
    for engine in ENGINES:
        path = tmp_path / f"{engine}.db"
        shutil.copy(seeds_db, path)
        with FactStore.open(path, create=False) as store:
            summary = derive_store(store, engine=engine, cwd_rules=False)
            results[engine] = {
                rel: set(query_store(store, _all_of(store, rel)).rows) for rel in summary.sizes
            }
    assert results["sql"] == results["pydatalog"]
    assert results["sql"] == results["duckdb"]
    assert results["sql"]["denial_contradicted_by_contact"]


def _all_of(store: FactStore, rel: str) -> str:
    columns = [c.name for c in store.db[rel].columns if c.name not in ("_rule", "_height")]
    return f"{rel}({', '.join(f'v{i}' for i in range(len(columns)))})"


def test_why_reaches_the_sentences(derived: FactStore) -> None:
    proofs = explain_store(
        derived,
        'denial_contradicted_by_contact("Russian government", "Yevgeny Prigozhin", '
        '"Dmitry Peskov", "called")',
    )
    assert len(proofs) == 1
    sentences = [e.sentence for items in proofs[0].evidence.values() for e in items]
    assert any("Moscow has denied links" in s for s in sentences)
    assert any("Peskov" in s and "144" in s for s in sentences)


# --------------------------------------------------------------------------- demo


def test_demo_from_another_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A ./rules folder in the working directory must not leak into the demo.
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "broken.dl").write_text("this is not datalog\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    console = _console()
    assert run_demo(Path(DEMO_DB), console=console) == 0
    out = console.file.getvalue()  # type: ignore[attr-defined]
    assert "denial_contradicted_by_contact" in out
    assert "Dmitry Peskov" in out and "Sergei Shoigu" in out
    assert "Moscow has denied links" in out
    assert f"deniable --db {DEMO_DB} why" in out and f"deniable --db {DEMO_DB} repl" in out
    with FactStore.open(tmp_path / DEMO_DB, create=False) as store:
        assert "denial_contradicted_by_role" in store.derived_tables()
    assert not [p for p in os.listdir(tmp_path) if p.endswith(".tmp")]


def test_demo_names_a_conflicting_reports_articles_by_title(tmp_path: Path) -> None:
    console = _console()
    assert run_demo(tmp_path / DEMO_DB, console=console) == 0
    out = console.file.getvalue()  # type: ignore[attr-defined]
    table = out[out.index("conflicting_reports") : out.index("Why:")]
    assert "Putin and Prigozhins" in table and "On June 24, events took" in table
    assert ".txt" not in table  # not by file name


def test_document_labels_give_title_outlet_and_date() -> None:
    from deniable.facts.model import Document, Extraction, Sentence
    from deniable.repl.demo import document_labels

    def article(name: str, **kw: str) -> Extraction:
        text = f"Quay deal in {name}."
        return Extraction(Document(name, text, **kw), (Sentence(0, 0, len(text), text),), (), ())

    with FactStore.memory() as store:
        title = "A quay deal " + "much " * 20
        store.add_extraction(article("a.txt", title=title, outlet="The Ledger", date="2024-03-01"))
        store.add_extraction(article("b.txt"))
        labels = document_labels(store)
    assert labels["a.txt"].startswith("A quay deal much")
    assert labels["a.txt"].endswith("… (The Ledger, 2024-03-01)")
    assert len(labels["a.txt"].split(" (")[0]) <= 60
    assert labels["b.txt"] == "b.txt"


def test_demo_rebuilds_its_own_store(tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    assert run_demo(db, console=_console()) == 0
    assert run_demo(db, console=_console()) == 0
    with FactStore.open(db, create=False) as store:
        assert store.stats().documents == 5


def test_demo_refuses_a_store_it_did_not_build(tmp_path: Path, capsys) -> None:
    db = tmp_path / "mine.db"
    FactStore.open(db, create=True).close()
    before = db.read_bytes()
    assert main(["--db", str(db), "demo"]) == 1
    err = capsys.readouterr().err
    assert "not built by the demo" in err and str(db) in err
    assert len(err.strip().splitlines()) == 1
    assert db.read_bytes() == before


def test_demo_refuses_a_demo_store_with_the_users_documents(tmp_path: Path, capsys) -> None:
    db = tmp_path / "demo.db"
    assert run_demo(db, console=_console()) == 0
    article = tmp_path / "mine.txt"
    article.write_text("Mine\n\nJane Doe met Marcus Bell in Rome.\n", encoding="utf-8")
    assert main(["--db", str(db), "ingest", str(article)]) == 0
    capsys.readouterr()
    assert main(["demo", "--db", str(db)]) == 1
    err = capsys.readouterr().err
    assert "ingested into this demo store" in err and len(err.strip().splitlines()) == 1
    with FactStore.open(db, create=False) as store:
        assert "mine.txt" in store.document_names()


def test_demo_leaves_the_users_store_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    # Neither ./deniable.db nor $DENIABLE_DB: the demo builds ./deniable-demo.db.
    monkeypatch.chdir(tmp_path)
    mine = tmp_path / "mine.db"
    for path in (mine, tmp_path / "deniable.db"):
        FactStore.open(path, create=True).close()
    before = {p: p.read_bytes() for p in (mine, tmp_path / "deniable.db")}
    monkeypatch.setenv("DENIABLE_DB", str(mine))
    assert main(["demo"]) == 0
    out = capsys.readouterr().out
    assert "deniable-demo.db" in out and "--db deniable-demo.db query" in out
    assert {p: p.read_bytes() for p in before} == before
    with FactStore.open(tmp_path / "deniable-demo.db", create=False) as store:
        assert store.stats().documents == 5
    # A second run rebuilds the demo's own store.
    assert main(["demo"]) == 0


def test_demo_refuses_to_replace_another_file(tmp_path: Path, capsys) -> None:
    db = tmp_path / "deniable.db"
    db.write_text("my notes, not a database\n", encoding="utf-8")
    assert main(["--db", str(db), "demo"]) == 1
    err = capsys.readouterr().err
    assert "not a deniable fact store" in err and len(err.strip().splitlines()) == 1
    assert db.read_text(encoding="utf-8") == "my notes, not a database\n"


def test_cli_query_and_why_after_demo(tmp_path: Path, capsys) -> None:
    db = str(tmp_path / "d.db")
    assert main(["--db", db, "demo"]) == 0
    capsys.readouterr()
    assert main(["--db", db, "query", "denial_contradicted_by_role(d, o)", "--format", "csv"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "d,o"
    assert "Yevgeny Prigozhin,Wagner Group" in out
    query = 'denial_contradicted_by_role("Yevgeny Prigozhin", "Wagner Group")'
    assert main(["--db", db, "why", query]) == 0
    assert "denies" in capsys.readouterr().out
