"""The standard rule library (rules/std/*.dl) on small hand-made stores, on both engines."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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
from deniable.rules.workbench import derive_store, query_store, standard_rule_files

ENGINES = ("sql", "duckdb", "pydatalog")

# A fact as the tests write it: (pred, a, b, modality) plus optional details
# (source, when, claim, role ...) as a dict.
Spec = tuple[Any, ...]


def _extraction(
    name: str, facts: Sequence[Spec], *, outlet: str = "", date: str = ""
) -> Extraction:
    """A document with one sentence per fact; each fact's span is its whole sentence."""
    sentences: list[Sentence] = []
    built: list[Fact] = []
    pos = 0
    for i, spec in enumerate(facts):
        pred, a, b, modality = spec[:4]
        details = dict(spec[4]) if len(spec) > 4 else {}
        text = f"{a} {pred} {b} ({modality}, {name})."
        sentences.append(Sentence(i, pos, pos + len(text), text))
        evidence = Evidence(name, i, pos, pos + len(text), "test")
        built.append(Fact(pred, (a, b), Modality(modality), evidence, **details))
        pos += len(text) + 1
    text = " ".join(s.text for s in sentences)
    return Extraction(
        Document(name, text, outlet=outlet, date=date), tuple(sentences), tuple(built)
    )


def make_store(
    docs: Sequence[tuple[str, str, Sequence[Spec]]], *, links: Sequence[tuple[str, str]] = ()
) -> FactStore:
    """A store of ``(doc name, outlet, facts)`` documents and ``(part, whole)`` entity links."""
    store = FactStore.memory()
    store.add_entities(Entity(part, EntityType.ORG, (), (whole,)) for part, whole in links)
    for name, outlet, facts in docs:
        store.add_extraction(_extraction(name, facts, outlet=outlet))
    return store


def rows(store: FactStore, rel: str, arity: int) -> set[tuple[Any, ...]]:
    variables = ", ".join(f"x{i}" for i in range(arity))
    return set(query_store(store, f"{rel}({variables})").rows)


@pytest.fixture(params=ENGINES)
def engine(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def derived(engine: str) -> Iterator[Any]:
    """Build a store from documents, derive it with the engine, and hand it back."""
    opened: list[FactStore] = []

    def run(docs: Sequence[tuple[str, str, Sequence[Spec]]], **kw: Any) -> FactStore:
        store = make_store(docs, **kw)
        opened.append(store)
        derive_store(store, engine=engine, cwd_rules=False)
        return store

    yield run
    for store in opened:
        store.close()


def test_library_files_are_one_topic_each() -> None:
    names = [f.name for f in standard_rule_files()]
    assert names == sorted(names)
    assert {"contact.dl", "affiliation.dl", "denial.dl", "conflict.dl"} <= set(names)
    for f in standard_rule_files():
        text = f.read_text(encoding="utf-8")
        assert text.startswith("//"), f"{f.name} must open with a plain-English comment"


# --------------------------------------------------------------------------- contact


def test_contact_is_symmetric_and_ignores_attempts_and_refusals(derived) -> None:
    store = derived(
        [
            (
                "a.txt",
                "Outlet A",
                [
                    ("called", "A", "B", "reported", {"source": "Bellingcat"}),
                    ("met", "C", "D", "asserted"),
                    ("called", "E", "F", "attempted"),
                    ("met", "G", "H", "negated"),
                    ("pictured_with", "I", "J", "asserted"),
                ],
            )
        ]
    )
    assert rows(store, "contact", 2) == {("A", "B"), ("B", "A"), ("C", "D"), ("D", "C")}
    assert rows(store, "seen_with", 2) == {("I", "J"), ("J", "I")}
    assert rows(store, "contact_strength", 3) == {
        ("A", "B", "reported"),
        ("B", "A", "reported"),
        ("C", "D", "asserted"),
        ("D", "C", "asserted"),
    }


def test_contact_strength_is_the_best_statement(derived) -> None:
    store = derived(
        [
            ("a.txt", "A", [("met", "P", "Q", "alleged")]),
            ("b.txt", "B", [("met", "Q", "P", "reported"), ("called", "P", "R", "alleged")]),
        ]
    )
    strengths = {(a, b): s for a, b, s in rows(store, "contact_strength", 3)}
    assert strengths[("P", "Q")] == "reported"
    assert strengths[("Q", "P")] == "reported"
    # A conclusion resting only on hedged statements says so.
    assert strengths[("P", "R")] == "alleged"


# --------------------------------------------------------------------------- affiliation


def test_affiliation_follows_roles_and_part_of_links(derived) -> None:
    store = derived(
        [
            (
                "a.txt",
                "A",
                [
                    ("role", "Spokesman", "Kremlin", "asserted", {"role": "spokesperson"}),
                    ("role", "Aide", "Kremlin", "alleged", {"role": "aide"}),
                    ("role", "Ex", "Kremlin", "asserted", {"when": "former"}),
                ],
            )
        ],
        links=[("Kremlin", "Government"), ("Government", "State")],
    )
    got = rows(store, "affiliated_strength", 3)
    assert ("Spokesman", "Kremlin", "asserted") in got
    assert ("Spokesman", "Government", "asserted") in got
    assert ("Spokesman", "State", "asserted") in got
    assert ("Kremlin", "Government", "asserted") in got
    # A chain is only as strong as its weakest tie.
    assert ("Aide", "Government", "alleged") in got
    # A former role is not a present tie.
    assert not {r for r in got if r[0] == "Ex"}


def test_affiliation_terminates_on_cycles(engine: str) -> None:
    store = make_store(
        [("a.txt", "A", [("role", "X", "Org", "alleged"), ("role", "Org", "X", "asserted")])],
        links=[("Org", "Parent"), ("Parent", "Org")],
    )
    with store:
        derive_store(store, engine=engine, cwd_rules=False)
        got = rows(store, "affiliated_strength", 3)
    assert got == {
        ("X", "Org", "alleged"),
        ("X", "Parent", "alleged"),
        ("Org", "X", "asserted"),
        ("Org", "Parent", "asserted"),
        ("Parent", "Org", "asserted"),
        ("Parent", "X", "asserted"),
    }


# --------------------------------------------------------------------------- denials


def _denial_docs(contact_modality: str = "reported") -> list[tuple[str, str, list[Spec]]]:
    return [
        (
            "denial.txt",
            "Outlet A",
            [("denies", "Government", "Chef", "asserted", {"claim": "links to Chef"})],
        ),
        (
            "leak.txt",
            "Outlet B",
            [
                ("role", "Spokesman", "Kremlin", "asserted", {"role": "spokesperson"}),
                ("called", "Chef", "Spokesman", contact_modality, {"source": "Bellingcat"}),
                ("met", "Minister", "Chef", "asserted"),
                ("role", "Minister", "Ministry", "asserted", {"role": "minister"}),
                ("called", "Chef", "Stranger", "asserted"),
            ],
        ),
    ]


def test_denial_contradicted_by_insiders_contact(derived) -> None:
    store = derived(
        _denial_docs(),
        links=[("Kremlin", "Government"), ("Ministry", "Government")],
    )
    assert rows(store, "denial_contradicted_by_contact", 4) == {
        ("Government", "Chef", "Spokesman", "called"),
        ("Government", "Chef", "Minister", "met"),
    }
    assert rows(store, "denial_contradicted_by_contact_strength", 5) == {
        ("Government", "Chef", "Spokesman", "called", "reported"),
        ("Government", "Chef", "Minister", "met", "asserted"),
    }


def test_denial_is_not_contradicted_without_the_affiliation_link(derived) -> None:
    store = derived(_denial_docs(), links=[("Ministry", "Government")])
    assert rows(store, "denial_contradicted_by_contact", 4) == {
        ("Government", "Chef", "Minister", "met"),
    }


def test_denial_contradicted_by_alleged_contact_says_alleged(derived) -> None:
    store = derived(_denial_docs("alleged"), links=[("Kremlin", "Government")])
    assert rows(store, "denial_contradicted_by_contact_strength", 5) == {
        ("Government", "Chef", "Spokesman", "called", "alleged"),
    }


def test_attempted_contact_contradicts_nothing(derived) -> None:
    docs = _denial_docs("attempted")
    store = derived(docs, links=[("Kremlin", "Government")])
    assert rows(store, "denial_contradicted_by_contact", 4) == set()


def test_the_denier_itself_in_contact(derived) -> None:
    store = derived(
        [
            ("a.txt", "A", [("denies", "Boss", "Chef", "asserted", {"claim": "any ties"})]),
            ("b.txt", "B", [("met", "Chef", "Boss", "alleged")]),
        ]
    )
    assert rows(store, "denial_contradicted_by_contact_strength", 5) == {
        ("Boss", "Chef", "Boss", "met", "alleged")
    }


def test_a_denial_of_something_else_is_not_a_denial_of_links(derived) -> None:
    store = derived(
        [
            (
                "a.txt",
                "A",
                [("denies", "Boss", "Chef", "asserted", {"claim": "influenced the election"})],
            ),
            ("b.txt", "B", [("met", "Chef", "Boss", "asserted")]),
        ]
    )
    assert rows(store, "denial_contradicted_by_contact", 4) == set()


def _role_denial(*more: tuple[str, str, list[Spec]]) -> list[tuple[str, str, list[Spec]]]:
    denial = ("denies", "Chef", "Group", "asserted", {"claim": "leads Group"})
    hedged = ("role", "Chef", "Group", "alleged", {"role": "boss"})
    return [("denial.txt", "Outlet A", [denial, hedged]), *more]


def test_role_denial_contradicted_by_other_articles(derived) -> None:
    store = derived(
        _role_denial(
            ("b.txt", "Outlet B", [("role", "Chef", "Group", "asserted", {"role": "head"})]),
            ("c.txt", "Outlet C", [("role", "Chef", "Group", "reported", {"source": "X"})]),
        )
    )
    assert rows(store, "denial_contradicted_by_role", 2) == {("Chef", "Group")}
    assert rows(store, "denial_contradicted_by_role_strength", 3) == {("Chef", "Group", "asserted")}


def test_role_denial_not_contradicted_by_the_same_article_and_source(derived) -> None:
    store = derived(_role_denial())
    assert rows(store, "denial_contradicted_by_role", 2) == set()


def test_role_denial_contradicted_by_another_source_in_the_same_article(derived) -> None:
    attributed = ("role", "Chef", "Group", "reported", {"source": "Bellingcat", "role": "head"})
    store = derived(
        [
            (
                "a.txt",
                "A",
                [("denies", "Chef", "Group", "asserted", {"claim": "is a member"}), attributed],
            )
        ]
    )
    assert rows(store, "denial_contradicted_by_role_strength", 3) == {("Chef", "Group", "reported")}


def test_role_denial_not_contradicted_by_a_former_role_or_an_unrelated_claim(derived) -> None:
    store = derived(
        [
            ("a.txt", "A", [("denies", "Chef", "Group", "asserted", {"claim": "leads Group"})]),
            ("b.txt", "B", [("role", "Chef", "Group", "asserted", {"when": "former"})]),
            ("c.txt", "C", [("denies", "Boss", "Group", "asserted", {"claim": "war crimes"})]),
            ("d.txt", "D", [("role", "Boss", "Group", "asserted", {"role": "head"})]),
        ]
    )
    assert rows(store, "denial_contradicted_by_role", 2) == set()


# --------------------------------------------------------------------------- conflicts


def test_conflicting_reports_of_a_meeting(derived) -> None:
    store = derived(
        [
            ("a.txt", "Express", [("met", "Chef", "President", "alleged", {"when": "July 1"})]),
            ("b.txt", "Blick", [("met", "President", "Chef", "negated", {"source": "Meduza"})]),
        ]
    )
    assert rows(store, "conflicting_reports", 2) == {("Chef", "President"), ("President", "Chef")}
    assert rows(store, "conflicting_reports_by", 5) == {
        ("Chef", "President", "met", "Express", "Meduza"),
        ("President", "Chef", "met", "Express", "Meduza"),
    }
    assert rows(store, "conflicting_reports_strength", 3) == {
        ("Chef", "President", "alleged"),
        ("President", "Chef", "alleged"),
    }


def test_no_conflict_with_a_denial_narrowed_to_a_manner(derived) -> None:
    # "never met him privately" says nothing against a reported meeting in public
    store = derived(
        [
            ("a.txt", "Express", [("met", "Chef", "President", "reported", {"source": "X"})]),
            ("b.txt", "Blick", [("met", "President", "Chef", "negated", {"claim": "privately"})]),
        ]
    )
    assert rows(store, "conflicting_reports", 2) == set()


def test_no_conflict_when_times_do_not_overlap(derived) -> None:
    store = derived(
        [
            ("a.txt", "A", [("met", "Chef", "President", "asserted", {"when": "2019"})]),
            ("b.txt", "B", [("met", "President", "Chef", "negated", {"when": "2023"})]),
            ("c.txt", "C", [("called", "X", "Y", "asserted", {"when": "2013..2014"})]),
            ("d.txt", "D", [("called", "X", "Y", "negated", {"when": "2014"})]),
        ]
    )
    assert rows(store, "conflicting_reports", 2) == {("X", "Y"), ("Y", "X")}


def test_no_conflict_from_one_source_or_another_kind(derived) -> None:
    store = derived(
        [
            ("a.txt", "A", [("met", "Chef", "President", "asserted")]),
            ("b.txt", "A", [("met", "Chef", "President", "negated")]),
            ("c.txt", "C", [("called", "Chef", "President", "negated")]),
        ]
    )
    assert rows(store, "conflicting_reports", 2) == set()


# --------------------------------------------------------------------------- corroboration


def test_corroborated_counts_independent_sources(derived) -> None:
    store = derived(
        [
            (
                "a.txt",
                "A",
                [
                    ("called", "X", "Y", "reported", {"source": "Bellingcat"}),
                    ("called", "X", "Y", "reported", {"source": "Bellingcat"}),
                    ("indicted_by", "X", "Court", "alleged"),
                ],
            ),
            (
                "b.txt",
                "B",
                [("called", "Y", "X", "alleged"), ("indicted_by", "Court", "X", "asserted")],
            ),
            ("c.txt", "C", [("met", "X", "Z", "asserted"), ("met", "X", "Z", "negated")]),
        ]
    )
    assert rows(store, "corroborated", 4) == {("called", "X", "Y", 2), ("called", "Y", "X", 2)}
    assert rows(store, "corroborated_strength", 4) == {
        ("called", "X", "Y", "reported"),
        ("called", "Y", "X", "reported"),
    }


# --------------------------------------------------------------------------- hostile names


HOSTILE = ["O'Brien", 'Say "hi"', "x; DROP TABLE facts; --", "Пригожин Éé", "a" * 10_000]


@pytest.mark.parametrize("name", HOSTILE, ids=["quote", "dquote", "sql", "cyrillic", "10k"])
def test_hostile_names_pass_through_rules(derived, name: str) -> None:
    store = derived(
        [
            ("a.txt", "A", [("denies", "Government", name, "asserted", {"claim": "links"})]),
            ("b.txt", "B", [("role", "Spokesman", "Government", "asserted")]),
            ("c.txt", "C", [("called", name, "Spokesman", "reported", {"source": name})]),
        ]
    )
    assert rows(store, "denial_contradicted_by_contact", 4) == {
        ("Government", name, "Spokesman", "called")
    }
    from deniable.rules.parser import quote_string

    answers = query_store(store, f"contact({quote_string(name)}, who)")
    assert answers.rows == [("Spokesman",)]
    assert store.stats().facts == 3


# --------------------------------------------------------------------------- properties

NAMES = st.sampled_from(["A", "B", "C", "Org"])
STATEMENTS = st.lists(
    st.tuples(
        st.sampled_from(["called", "met", "role", "pictured_with"]),
        NAMES,
        NAMES,
        st.sampled_from([m.value for m in Modality]),
        st.sampled_from(["S1", "S2", "S3"]),
    ).filter(lambda s: s[1] != s[2]),
    max_size=8,
)
LEVEL = {"asserted": 3, "reported": 2, "alleged": 1}
NAME_OF = {3: "asserted", 2: "reported", 1: "alleged"}


@settings(max_examples=15, deadline=None)
@given(STATEMENTS)
def test_contact_and_corroboration_match_a_python_oracle(statements: list[tuple[str, ...]]) -> None:
    docs = [
        (f"d{i}.txt", source, [(pred, a, b, modality)])
        for i, (pred, a, b, modality, source) in enumerate(statements)
    ]
    with make_store(docs) as store:
        derive_store(store, cwd_rules=False)
        best: dict[tuple[str, str], int] = {}
        sources: dict[tuple[str, str, str], set[str]] = {}
        for pred, a, b, modality, source in statements:
            if modality not in LEVEL:
                continue
            pairs = [(a, b), (b, a)] if pred != "role" else [(a, b)]
            for x, y in pairs:
                sources.setdefault((pred, x, y), set()).add(source)
                if pred in ("called", "met"):
                    best[(x, y)] = max(best.get((x, y), 0), LEVEL[modality])
        assert rows(store, "contact_strength", 3) == {
            (x, y, NAME_OF[n]) for (x, y), n in best.items()
        }
        assert rows(store, "corroborated", 4) == {
            (*key, len(found)) for key, found in sources.items() if len(found) >= 2
        }
