"""The workbench API: rule files, derive, query and why over a fact store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from deniable.errors import DeniableError, RuleError, UsageError
from deniable.facts.model import Document, Evidence, Extraction, Fact, Modality, Sentence
from deniable.facts.store import FactStore
from deniable.rules.parser import quote_string
from deniable.rules.workbench import (
    claim_words,
    derive_store,
    explain_store,
    query_store,
    rule_paths,
    standard_rule_files,
)

SENTENCES = [
    ("Moscow denied links to Chef.", "denies", "Government", "Chef", "asserted",
     {"claim": "links"}),
    ("Spokesman speaks for the Government.", "role", "Spokesman", "Government", "asserted", {}),
    ("Chef called Spokesman, Bellingcat says.", "called", "Chef", "Spokesman", "reported",
     {"source": "Bellingcat"}),
    ("Chef tried to call Boss.", "called", "Chef", "Boss", "attempted", {}),
]  # fmt: skip


def _extraction(name: str = "a.txt") -> Extraction:
    sentences, facts, pos = [], [], 0
    for i, (text, pred, a, b, modality, details) in enumerate(SENTENCES):
        sentences.append(Sentence(i, pos, pos + len(text), text))
        start = pos + text.index(a if a in text else b)
        evidence = Evidence(name, i, start, start + 4, "test")
        facts.append(Fact(pred, (a, b), Modality(modality), evidence, **details))
        pos += len(text) + 1
    document = Document(name, " ".join(s.text for s in sentences), title="A test", outlet="Wire")
    return Extraction(document, tuple(sentences), tuple(facts))


@pytest.fixture
def store() -> Iterator[FactStore]:
    with FactStore.memory() as s:
        s.add_extraction(_extraction())
        yield s


@pytest.fixture
def rules_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "myrules"
    folder.mkdir()
    (folder / "ally.dl").write_text(
        ".decl ally(a: symbol, b: symbol)\nally(a, b) :- contact(a, b), contact(b, a).\n",
        encoding="utf-8",
    )
    return folder


# --------------------------------------------------------------------------- rule files


def test_rule_paths_order(tmp_path: Path, rules_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "b.dl").write_text("", encoding="utf-8")
    (tmp_path / "rules" / "a.dl").write_text("", encoding="utf-8")
    paths = rule_paths([rules_dir, rules_dir])
    std = standard_rule_files()
    assert [p.name for p in paths] == [*(f.name for f in std), "a.dl", "b.dl", "ally.dl"]
    assert [p.name for p in rule_paths([], cwd_rules=False)] == [f.name for f in std]


def test_missing_rules_folder_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="no such rules folder"):
        rule_paths([tmp_path / "nope"])


def test_claim_words() -> None:
    assert claim_words("Links to Prigozhin; LINKS!") == ["links", "to", "prigozhin"]
    assert claim_words("") == []


# --------------------------------------------------------------------------- query


def test_query_a_store_relation(store: FactStore) -> None:
    answers = query_store(store, 'called("Chef", who)')
    assert (answers.relation, answers.columns, answers.rows) == (
        "called",
        ("who",),
        [("Spokesman",)],
    )
    assert query_store(store, "called(x, x)").rows == []
    assert query_store(store, "called(_, _)").rows == [()]  # yes
    assert query_store(store, '?- called("Nobody", _).').rows == []  # no
    attempted = query_store(store, "attempted(p, a, b)")
    assert attempted.rows == [("called", "Chef", "Boss")]


def test_query_a_derived_relation_before_and_after_derive(store: FactStore) -> None:
    with pytest.raises(DeniableError, match=r"run `deniable derive` first") as info:
        query_store(store, "contact(a, b)", rules_dirs=[])
    assert str(info.value).startswith("<query>:1:1: error:")
    assert info.value.context.splitlines() == ["contact(a, b)", "^^^^^^^"]
    derive_store(store, cwd_rules=False)
    assert query_store(store, "contact(a, b)").rows == [
        ("Chef", "Spokesman"),
        ("Spokesman", "Chef"),
    ]
    answers = query_store(store, "denial_contradicted_by_contact_strength(d, s, i, k, st)")
    assert answers.rows == [("Government", "Chef", "Spokesman", "called", "reported")]


def test_query_errors_are_one_line_with_a_caret(store: FactStore) -> None:
    with pytest.raises(DeniableError) as info:
        query_store(store, "  caled(a, b)")
    assert str(info.value).startswith("<query>:1:3: error: unknown relation caled; did you mean")
    assert info.value.context.splitlines()[1] == "  ^^^^^"
    assert "\n" not in str(info.value)
    with pytest.raises(DeniableError, match=r"called has 2 arguments \(a, b\), the query gives 3"):
        query_store(store, "called(a, b, c)")
    with pytest.raises(RuleError) as syntax:
        query_store(store, "  called(a, ")
    # The column counts in the text as typed, leading blanks included.
    assert syntax.value.diagnostics[0].location.column == 12
    with pytest.raises(UsageError):
        query_store(store, "   ")


HOSTILE = [
    "O'Brien",
    'Say "hi"',
    "x; DROP TABLE facts; --",
    "nul\x00inside",
    "Пригожин",
    "a" * 10_000,
]


@pytest.mark.parametrize("name", HOSTILE, ids=["quote", "dquote", "sql", "nul", "cyrillic", "10k"])
def test_hostile_constants_are_values(store: FactStore, name: str) -> None:
    assert query_store(store, f"called({quote_string(name)}, x)").rows == []
    assert query_store(store, f"called(x, {quote_string(name)})").rows == []
    assert store.stats().facts == 4


# --------------------------------------------------------------------------- derive


def test_derive_records_and_replaces_conclusions(store: FactStore, rules_dir: Path) -> None:
    summary = derive_store(store, rules_dirs=[rules_dir], cwd_rules=False)
    assert summary.engine == "sql"
    assert summary.sizes["ally"] == 2
    assert summary.sizes["denial_contradicted_by_contact"] == 1
    registry = {r["name"]: r for r in store.db["derived_relations"].rows}
    assert registry["ally"]["rows"] == 2 and registry["ally"]["engine"] == "sql"
    assert "ally" in store.derived_tables()
    # Rules that no longer define a relation take its stale table away.
    summary = derive_store(store, cwd_rules=False)
    assert summary.dropped == ("ally",)
    assert "ally" not in store.derived_tables() and not store.db["ally"].exists()


def test_a_failed_derive_leaves_the_previous_conclusions(store: FactStore, tmp_path: Path) -> None:
    derive_store(store, cwd_rules=False)
    before = query_store(store, "contact(a, b)").rows
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "x.dl").write_text(".decl r(a: symbol)\nr(a) :- contact(a).\n", encoding="utf-8")
    with pytest.raises(RuleError):
        derive_store(store, rules_dirs=[broken], cwd_rules=False)
    assert query_store(store, "contact(a, b)").rows == before


def test_a_rule_may_not_overwrite_the_store(store: FactStore, tmp_path: Path) -> None:
    folder = tmp_path / "clobber"
    folder.mkdir()
    (folder / "x.dl").write_text(
        ".decl documents(a: symbol)\ndocuments(a) :- contact(a, _).\n", encoding="utf-8"
    )
    with pytest.raises(DeniableError, match="documents"):
        derive_store(store, rules_dirs=[folder], cwd_rules=False)
    assert store.document_names() == ["a.txt"]


def test_evaluate_answers_without_changing_the_store(store: FactStore, rules_dir: Path) -> None:
    answers = query_store(store, "ally(a, b)", rules_dirs=[rules_dir], evaluate=True)
    assert answers.rows == [("Chef", "Spokesman"), ("Spokesman", "Chef")]
    assert not store.db["ally"].exists() and not store.db["contact"].exists()
    assert store.derived_tables() == []


# --------------------------------------------------------------------------- why


def test_why_a_stored_fact_shows_its_sentences(store: FactStore) -> None:
    (proof,) = explain_store(store, 'called("Chef", "Spokesman")')
    assert proof.tree.rel == "called" and proof.tree.leaf
    (evidence,) = proof.evidence[("called", ("Chef", "Spokesman"))]
    assert evidence.sentence == "Chef called Spokesman, Bellingcat says."
    assert evidence.source == "Bellingcat"


def test_why_a_conclusion_reaches_every_statement(store: FactStore) -> None:
    derive_store(store, cwd_rules=False)
    proofs = explain_store(store, "denial_contradicted_by_contact(d, s, i, k)", limit=5)
    assert len(proofs) == 1
    sentences = {e.sentence for items in proofs[0].evidence.values() for e in items}
    assert sentences == {text for text, *_ in SENTENCES[:3]}
    leaves: list[Any] = proofs[0].leaves()
    assert {leaf.rel for leaf in leaves} >= {"statement", "claim_word"}


def test_why_limit(store: FactStore) -> None:
    derive_store(store, cwd_rules=False)
    assert len(explain_store(store, "contact(a, b)", limit=1)) == 1
    assert explain_store(store, 'contact("Nobody", b)') == []
    with pytest.raises(UsageError):
        explain_store(store, "contact(a, b)", limit=0)
