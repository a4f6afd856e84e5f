"""The command dispatcher: each statement rendered into a plain 100-column console."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from rich.console import Console

from deniable.facts.store import FactStore
from deniable.repl.commands import COMMANDS, Quit, execute, lookup
from deniable.repl.session import Session


@pytest.fixture
def session(small_store: FactStore) -> Iterator[Session]:
    with Session(small_store, []) as s:
        yield s


def run(session: Session, *statements: str) -> tuple[str, list[bool]]:
    """Execute statements; return what they printed and whether each succeeded."""
    console = Console(file=io.StringIO(), width=100, color_system=None)
    results = [execute(s, session, console) for s in statements]
    return console.file.getvalue(), results  # type: ignore[attr-defined]


def test_help_lists_every_command(session: Session) -> None:
    printed, ok = run(session, ":help")
    assert ok == [True]
    lines = printed.splitlines()
    assert lines[0] == ":help [COMMAND]           list the commands, or explain one"
    for command in COMMANDS.values():
        assert any(line.startswith(command.syntax + " ") for line in lines), command.name
    assert printed.endswith("(they end with\na dot and may span lines).\n")


def test_help_for_one_command(session: Session) -> None:
    printed, ok = run(session, ":help why", ":help :facts")
    assert printed == (
        ":why [OPTIONS] ATOM  explain matching rows down to the sentences; --brief, --depth N, "
        "--limit N\n"
        ":facts PRED  rows of a relation, with modality and source for facts\n"
    )
    assert ok == [True, True]


def test_unknown_command_suggests_the_closest(session: Session) -> None:
    printed, ok = run(session, ":hlep", ":frobnicate")
    assert printed == (
        "error: unknown command :hlep; did you mean :help?\n"
        "error: unknown command :frobnicate; type :help\n"
    )
    assert ok == [False, False]


def test_aliases() -> None:
    assert lookup("q").name == "quit"
    assert lookup("h").name == "help"


def test_quit_raises(session: Session) -> None:
    with pytest.raises(Quit):
        run(session, ":quit")


def test_facts_of_an_extracted_predicate(session: Session) -> None:
    printed, _ = run(session, ":facts called")
    assert printed == (
        "called\n"
        "┏━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━┳━━━━━━━━━━┳━━━━━━━━━━━━━━━━┳━━━━━━━━┓\n"
        "┃ a                 ┃ b           ┃ modality ┃ source         ┃ doc    ┃\n"
        "┡━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━╇━━━━━━━━━━╇━━━━━━━━━━━━━━━━╇━━━━━━━━┩\n"
        "│ Yevgeny Prigozhin │ Anton Vaino │ reported │ leaked records │ a1.txt │\n"
        "└───────────────────┴─────────────┴──────────┴────────────────┴────────┘\n"
        "1 row\n"
    )


def test_facts_of_another_store_relation(session: Session) -> None:
    printed, _ = run(session, ":facts part_of")
    assert printed == (
        "part_of\n"
        "┏━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━┓\n"
        "┃ part              ┃ whole        ┃\n"
        "┡━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━┩\n"
        "│ Yevgeny Prigozhin │ Wagner Group │\n"
        "└───────────────────┴──────────────┘\n"
        "1 row\n"
    )


def test_facts_needs_a_relation(session: Session) -> None:
    printed, ok = run(session, ":facts")
    assert printed == "error: :facts needs a relation name; see :help facts\n"
    assert ok == [False]


def test_entity_with_sources(session: Session) -> None:
    printed, ok = run(session, ":entity prigozhin")
    assert printed == (
        "Yevgeny Prigozhin  person\n"
        "aliases: Prigozhin, Putin's chef\n"
        "part of: Wagner Group\n"
        'called("Yevgeny Prigozhin", "Anton Vaino")\n'
        "  reported by leaked records in a1.txt — Calls [italic]leaked[/italic]\n"
        "    Leaked records show Yevgeny Prigozhin called Anton Vaino 99 times.\n"
        'denies("Kremlin", "Yevgeny Prigozhin")\n'
        "  asserted by The Sun in a1.txt — Calls [italic]leaked[/italic]\n"
        "    The Kremlin denied any links to Yevgeny Prigozhin.\n"
        'met("[bold]Evil[/bold] Corp", "Yevgeny Prigozhin")\n'
        "  alleged by The Sun in a1.txt — Calls [italic]leaked[/italic]\n"
        "    [bold]Evil[/bold] Corp reportedly met Yevgeny Prigozhin.\n"
    )
    assert ok == [True]


def test_entity_with_markup_in_its_name(session: Session) -> None:
    printed, ok = run(session, ':entity "[bold]Evil[/bold] Corp"')
    assert printed.splitlines()[0] == "[bold]Evil[/bold] Corp  org"
    assert ok == [True]


def test_unknown_entity(session: Session) -> None:
    printed, ok = run(session, ":entity Nobody")
    assert printed == "error: no entity called 'Nobody'; try :search Nobody\n"
    assert ok == [False]


def test_search(session: Session) -> None:
    printed, ok = run(session, ":search kremlin links", ":search zzzz")
    assert printed == (
        "┏━━━━━━━━━━┳━━━┳━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┓\n"
        "┃ document ┃ # ┃ sentence                                           ┃\n"
        "┡━━━━━━━━━━╇━━━╇━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┩\n"
        "│ a1.txt   │ 1 │ The Kremlin denied any links to Yevgeny Prigozhin. │\n"
        "└──────────┴───┴────────────────────────────────────────────────────┘\n"
        "1 sentence\n"
        "no sentence contains 'zzzz'\n"
    )
    assert ok == [True, True]


def test_search_a_quoted_phrase(session: Session) -> None:
    printed, ok = run(session, ':search "called Anton"', ':search "Anton called"')
    assert ok == [True, True]
    assert "Prigozhin called Anton Vaino 99 times" in printed
    assert printed.endswith("1 sentence\nno sentence contains '\"Anton called\"'\n")


def test_search_text_is_never_fts_syntax(session: Session) -> None:
    printed, ok = run(session, ':search "NEAR( * OR')
    assert ok == [True]
    assert printed == "no sentence contains '\"NEAR( * OR'\n"


def test_commands_refuse_stray_arguments(session: Session) -> None:
    printed, ok = run(session, ":relations all", ":rules x")
    assert printed == (
        "error: :relations takes no argument but --helpers\nerror: :rules takes no argument\n"
    )
    assert ok == [False, False]


def test_export(session: Session, tmp_path: Path) -> None:
    printed, ok = run(session, f":export jsonl {tmp_path / 'out'}")
    assert ok == [True]
    written = [Path(line) for line in printed.splitlines()]
    assert written and all(p.exists() and p.parent == tmp_path / "out" for p in written)


def test_export_ftm(session: Session, tmp_path: Path) -> None:
    printed, ok = run(session, f":export {tmp_path / 'out'} ftm")
    assert ok == [True]
    assert printed == f"{tmp_path / 'out' / 'entities.ftm.json'}\n"


def test_query_needs_an_atom(session: Session) -> None:
    printed, ok = run(session, "?- .", ":why")
    assert printed == (
        "error: give an atom, e.g. ?- contact(x, y).\n"
        "error: :why needs an atom, e.g. :why contact(x, y); see :help why\n"
    )
    assert ok == [False, False]


def test_why_of_a_stored_fact_with_markup_in_a_name(session: Session) -> None:
    printed, ok = run(session, ':why met(x, "Yevgeny Prigozhin").')
    assert ok == [True]
    assert printed == (
        'met("[bold]Evil[/bold] Corp", "Yevgeny Prigozhin")  fact\n'
        "└── alleged by The Sun in a1.txt — Calls [italic]leaked[/italic]\n"
        "    [bold]Evil[/bold] Corp reportedly met Yevgeny Prigozhin.\n"
        "0 of 1 supporting statement confirmed by review\n"
    )


def test_syntax_error_in_a_query_has_a_caret(session: Session) -> None:
    printed, ok = run(session, "?- called(x y).")
    assert ok == [False]
    first, source, caret = printed.splitlines()[:3]
    assert first.startswith("<query>:1:") and "error:" in first
    assert source == "called(x y)"
    assert caret.strip() == "^"
