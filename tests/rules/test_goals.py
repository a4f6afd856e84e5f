"""Conjunctive questions: exactly the joined rows, one column per variable, one-line errors."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from deniable.errors import DeniableError, RuleError
from deniable.facts.model import Document, Evidence, Extraction, Fact, Modality, Sentence
from deniable.facts.store import FactStore
from deniable.rules.goals import goal_variables, parse_question
from deniable.rules.workbench import derive_store, query_store

FACTS = (
    ("met", "A", "B"),
    ("met", "A", "C"),
    ("met", "D", "E"),
    ("called", "A", "B"),
    ("called", "D", "E"),
    ("called", "F", "G"),
    ("denies", "K", "A"),
)


def _fill(store: FactStore) -> FactStore:
    text = "One sentence holds every fact."
    sentence = Sentence(0, 0, len(text), text)
    facts = tuple(
        Fact(p, (a, b), Modality.ASSERTED, Evidence("d.txt", 0, 0, len(text), "test"))
        for p, a, b in FACTS
    )
    store.add_extraction(Extraction(Document("d.txt", text), (sentence,), facts, ()))
    return store


@pytest.fixture
def filled() -> Iterator[FactStore]:
    with FactStore.memory() as store:
        yield _fill(store)


def _ask(store: FactStore, text: str) -> tuple[tuple[str, ...], list[tuple]]:
    answers = query_store(store, text, cwd_rules=False)
    return answers.columns, answers.rows


def test_conjunction_returns_exactly_the_joined_rows(filled: FactStore) -> None:
    assert _ask(filled, "?- met(a, b), called(a, b).") == (("a", "b"), [("A", "B"), ("D", "E")])


def test_shared_variables_negation_and_comparisons(filled: FactStore) -> None:
    assert _ask(filled, "met(a, b), !called(a, b)") == (("a", "b"), [("A", "C")])
    assert _ask(filled, 'met(a, b), b != "B", denies(k, a).') == (
        ("a", "b", "k"),
        [("A", "C", "K")],
    )
    assert _ask(filled, 'met("A", x) ; called(x, "G")') == (("x",), [("B",), ("C",), ("F",)])
    assert _ask(filled, 'met("A", _), called("F", "G")') == ((), [()])
    assert _ask(filled, 'met("A", _), called("G", "F")') == ((), [])


def test_conjunction_over_a_derived_relation(filled: FactStore) -> None:
    derive_store(filled, cwd_rules=False)
    columns, rows = _ask(filled, "contact(a, b), denies(k, a)")
    assert columns == ("a", "b", "k")
    assert ("A", "B", "K") in rows and all(r[0] == "A" for r in rows)


def test_errors_point_into_the_question(filled: FactStore) -> None:
    with pytest.raises(DeniableError, match=r"<query>:1:15: error: unknown relation mett"):
        _ask(filled, "called(a, b), mett(a, c)")
    with pytest.raises(RuleError, match=r"<query>:1:20: error: variable c occurs in the negation"):
        _ask(filled, "called(a, b), !met(c, b)")
    with pytest.raises(RuleError, match=r"called takes 2 arguments"):
        _ask(filled, "called(a, b, c), met(a, b)")
    with pytest.raises(RuleError, match=r"<query>:1:23: error: unbalanced parenthesis"):
        _ask(filled, "called(a, b), met(a, b")


def test_contact_not_derived_yet_says_so(filled: FactStore) -> None:
    with pytest.raises(DeniableError, match="run `deniable derive` first"):
        _ask(filled, "contact(a, b), met(a, b)")


def test_hostile_constants_stay_values(filled: FactStore) -> None:
    assert _ask(filled, 'met(a, "x\'; DROP TABLE facts; --"), called(a, b)') == (("a", "b"), [])
    assert len(filled.rows("met")) == 3


def test_variables_in_first_appearance_order() -> None:
    question = parse_question("?- p(y, x), n = count : { q(y, z) }, !r(x, w0), w0 = y.")
    assert goal_variables(question.alternatives) == ("y", "x", "n", "w0")


def test_query_command_accepts_a_conjunction(tmp_path: Path) -> None:
    db = tmp_path / "g.db"
    with FactStore.open(db) as store:
        _fill(store)
    question = ["query", "met(a, b), called(a, b)", "--format", "csv"]
    result = subprocess.run(
        [sys.executable, "-m", "deniable", "--db", str(db), *question],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == "a,b\nA,B\nD,E\n"
