"""The session program: rules typed in, checked with the rule files, evaluated on the next query."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from rich.console import Console

from deniable.errors import RuleError, StoreError
from deniable.facts.store import FactStore
from deniable.repl.commands import execute
from deniable.repl.session import Session


@pytest.fixture
def session(small_store: FactStore) -> Iterator[Session]:
    with Session(small_store, []) as s:
        yield s


def run(session: Session, *statements: str) -> tuple[str, list[bool]]:
    console = Console(file=io.StringIO(), width=100, color_system=None)
    results = [execute(s, session, console) for s in statements]
    return console.file.getvalue(), results  # type: ignore[attr-defined]


@pytest.mark.parametrize("engine", ["sql", "duckdb"])
def test_rule_typed_in_is_explained(small_store: FactStore, engine: str) -> None:
    with Session(small_store, [], engine=engine) as session:
        printed, ok = run(
            session, "linked(x, y) :- called(x, y), !denies(y, x).", ":why linked(x, y)."
        )
    assert ok == [True, True]
    assert printed == (
        "ok: linked\n"
        'linked("Yevgeny Prigozhin", "Anton Vaino")\n'
        "by linked(x, y) :- called(x, y), !denies(y, x).  (<session>:1)\n"
        'with x = "Yevgeny Prigozhin", y = "Anton Vaino"\n'
        '├── called("Yevgeny Prigozhin", "Anton Vaino")  fact\n'
        "│   └── reported by leaked records in a1.txt — Calls [italic]leaked[/italic]\n"
        "│       Leaked records show Yevgeny Prigozhin called Anton Vaino 99 times.\n"
        '└── ✓ !denies("Anton Vaino", "Yevgeny Prigozhin")\n'
        "0 of 1 supporting statement confirmed by review\n"
    )


def test_undeclared_session_relation_gets_an_inferred_declaration(session: Session) -> None:
    printed, ok = run(session, 'p("a", 1).', "q(x, n) :- p(x, n), n > 0.", "?- q(x, n).")
    assert ok == [True, True, True]
    assert session.declarations == [
        ".decl p(c0: symbol, c1: number)",
        ".decl q(c0: symbol, c1: number)",
    ]
    assert printed.endswith("│ a │ 1 │\n└───┴───┘\n1 row\n")


def test_rules_lists_files_session_rules_and_declarations(session: Session) -> None:
    printed, _ = run(session, 'p("a").', ":rules")
    lines = printed.splitlines()
    assert "  std/contact.dl" in lines
    assert lines[lines.index("session rules:") + 1] == '  p("a").'
    assert lines[-2:] == ["declarations inferred for session relations:", "  .decl p(c0: symbol)"]


def test_type_error_keeps_the_session(session: Session) -> None:
    printed, ok = run(session, 'p("a").', "p(1).", "?- p(x).")
    assert ok == [True, False, True]
    assert session.statements == ['p("a").']
    assert "<input>:1:3: error: " in printed
    assert "p(1).\n  ^\n" in printed


def test_undeclared_body_relation_is_an_error_not_a_guess(session: Session) -> None:
    printed, ok = run(session, "r(x) :- nope(x).")
    assert ok == [False]
    assert printed.startswith("<input>:1:9: error: relation nope is not declared")
    assert "r(x) :- nope(x).\n        ^^^^\n" in printed
    assert session.statements == []


def test_a_rule_may_not_define_a_store_relation(session: Session) -> None:
    printed, ok = run(session, 'called("a", "b").')
    assert ok == [False]
    assert "relation called is one of the store's own" in printed


def test_relations_kinds_and_rows(session: Session) -> None:
    printed, _ = run(session, "linked(x, y) :- called(x, y).", ":relations")
    rows = {line.split("│")[1].strip(): line for line in printed.splitlines() if "│" in line}
    assert rows["linked"] == "│ linked                                  │     2 │ session │    1 │"
    assert "│     2 │ fact    │    1 │" in rows["called"]
    assert "│ derived │" in rows["contact"]
    # The standard rules' helpers are summed up in one line, not listed.
    assert "tie_at" not in rows and "source_has_earlier" not in rows
    summary = " ".join(printed.split("┘")[-1].split())
    said = re.fullmatch(
        r"and (\d+) helper relations of the standard rules \((\d+) rows\); "
        r"`:relations --helpers` lists them",
        summary,
    )
    assert said is not None, summary
    printed, ok = run(session, ":relations --helpers")
    assert ok == [True]
    listed = {line.split("│")[1].strip(): line for line in printed.splitlines() if "│" in line}
    assert "│ helper  │" in listed["tie_at"] and "│ derived │" in listed["contact"]
    assert set(rows) <= set(listed)
    count = int(said.group(1))
    assert sum("│ helper  │" in line for line in listed.values()) == count


@pytest.mark.parametrize("engine", ["sql", "duckdb"])
def test_hostile_constants_round_trip(small_store: FactStore, engine: str) -> None:
    with Session(small_store, [], engine=engine) as session:
        _hostile_constants_round_trip(session)


def _hostile_constants_round_trip(session: Session) -> None:
    hostile = 'a\\"; DROP TABLE facts; -- ünïcödé ' + "x" * 10_000
    printed, ok = run(session, f'p("{hostile}").', "?- p(x).", '?- called("x\\"; --", y).')
    assert ok == [True, True, True]
    assert 'a"; DROP TABLE facts; -- ünïcödé' in printed
    assert session.query("p(x)").rows == [(hostile.replace("\\", ""),)]
    assert printed.endswith("┏━━━┓\n┃ y ┃\n┡━━━┩\n└───┘\n0 rows\n")
    assert session.store.stats().facts == 3


def test_reload_reads_changed_rule_files(small_store: FactStore, tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "mine.dl").write_text('.decl mine(x: symbol)\nmine("one").\n', encoding="utf-8")
    with Session(small_store, [rules]) as session:
        printed, _ = run(session, ":reload", "?- mine(x).")
        assert "│ one │" in printed
        (rules / "mine.dl").write_text('.decl mine(x: symbol)\nmine("two").\n', encoding="utf-8")
        printed, ok = run(session, ":reload", "?- mine(x).")
        assert ok == [True, True]
        assert "│ two │" in printed and "one" not in printed


def test_broken_rule_files_still_let_the_store_be_browsed(small_db: Path, tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "bad.dl").write_text(".decl bad(x: symbol)\nbad(x) :- .\n", encoding="utf-8")
    with Session.open(small_db, rules_dirs=[rules]) as session:
        assert isinstance(session.load_error, RuleError)
        printed, ok = run(session, "?- called(x, y).", "?- contact(x, y).")
        assert ok == [True, False]
        assert "bad.dl:2:" in printed
        (rules / "bad.dl").write_text('.decl bad(x: symbol)\nbad("b").\n', encoding="utf-8")
        printed, ok = run(session, ":reload", "?- bad(x).")
        assert ok == [True, True]


def test_the_store_file_is_never_written(small_db: Path) -> None:
    with Session.open(small_db) as session:
        run(session, "linked(x, y) :- called(x, y).", "?- linked(x, y).", "?- contact(x, y).")
        assert "linked" in session.store.derived_tables()
    with FactStore.open(small_db, create=False) as store:
        assert store.derived_tables() == []


def test_missing_store(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no fact store"):
        Session.open(tmp_path / "none.db")
