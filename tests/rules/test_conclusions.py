"""Conclusions are never stale: `query`, `why` and `repl` re-derive first, and say so.

Real store files and real command runs: ingest, derive, ingest more (or edit a
rule file), then ask.  The re-derivation's one line on stderr, the ``--no-derive``
warning, and the untouched bytes of a read-only store are what is checked.
"""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from deniable.cli import main

FIRST = "Doe and Bell met\n\nJane Doe met Marcus Bell in Rome.\n"
SECOND = "Smith and Jones met\n\nAnna Smith met Peter Jones in Paris.\n"
CONTACT = ["query", "contact(a, b)", "--format", "csv"]
PAIR_RULE = ".decl paired(a: symbol)\npaired(a) :- contact(a, _).\n"


@pytest.fixture(scope="module")
def articles(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("articles")
    for name, text in (("first", FIRST), ("second", SECOND)):
        (folder / name).mkdir()
        (folder / name / f"{name}.txt").write_text(text, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def derived_template(articles: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store of the first article, derived (copied for each test)."""
    db = tmp_path_factory.mktemp("template") / "facts.db"
    assert main(["--db", str(db), "ingest", "--jobs", "1", str(articles / "first")]) == 0
    assert main(["--db", str(db), "derive"]) == 0
    return db


@pytest.fixture
def db(
    derived_template: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> Iterator[Path]:
    """A derived store of the first article in a working folder of its own (no ./rules)."""
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "facts.db"
    shutil.copy(derived_template, path)
    capsys.readouterr()
    yield path
    for p in (path, tmp_path):
        p.chmod(p.stat().st_mode | stat.S_IWUSR)


def _ingest_second(db: Path, articles: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", str(db), "ingest", "--jobs", "1", str(articles / "second")]) == 0
    capsys.readouterr()


def _run(db: str | Path, argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[str, str]:
    assert main(["--db", str(db), *argv]) == 0
    captured = capsys.readouterr()
    return captured.out, captured.err


def _one_line(err: str, *words: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    for word in words:
        assert word in lines[0], err
    return lines[0]


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _stamp(db: Path) -> str:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT value FROM meta WHERE key = 'derived_from'").fetchone()[0]


def _read_only(path: Path) -> None:
    path.chmod(path.stat().st_mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))


# --------------------------------------------------------------------------- current


def test_current_conclusions_are_answered_without_a_word(db: Path, capsys) -> None:
    before = _sha(db)
    out, err = _run(db, CONTACT, capsys)
    assert "Jane Doe,Marcus Bell" in out
    assert err == ""
    out, err = _run(db, ["why", 'contact("Jane Doe", "Marcus Bell")'], capsys)
    assert "Rome" in out and err == ""
    assert _sha(db) == before  # nothing was re-derived


def test_ingesting_a_stored_text_again_keeps_them_current(db: Path, articles: Path, capsys):
    assert main(["--db", str(db), "ingest", "--jobs", "1", str(articles / "first")]) == 0
    capsys.readouterr()
    assert _run(db, CONTACT, capsys)[1] == ""


# --------------------------------------------------------------------------- new documents


def test_new_documents_are_derived_before_the_answer(db: Path, articles: Path, capsys) -> None:
    _ingest_second(db, articles, capsys)
    out, err = _run(db, CONTACT, capsys)
    assert "Anna Smith,Peter Jones" in out and "Jane Doe,Marcus Bell" in out
    changed = "documents, entities or review decisions changed"
    line = _one_line(err, str(db), "re-derived the conclusions in ", " s ", changed)
    assert "generation 1, now 2" in line
    # Saved: the next question finds them current.
    stamp = _stamp(db)
    out, err = _run(db, CONTACT, capsys)
    assert "Anna Smith,Peter Jones" in out and err == ""
    assert _stamp(db) == stamp


def test_why_derives_first_too(db: Path, articles: Path, capsys) -> None:
    _ingest_second(db, articles, capsys)
    out, err = _run(db, ["why", 'contact("Anna Smith", "Peter Jones")'], capsys)
    assert "Paris" in out
    _one_line(err, "re-derived the conclusions", "documents, entities or review decisions changed")


def test_no_derive_answers_the_old_conclusions_with_a_warning(
    db: Path, articles: Path, capsys
) -> None:
    _ingest_second(db, articles, capsys)
    before = _sha(db)
    out, err = _run(db, [*CONTACT, "--no-derive"], capsys)
    assert "Jane Doe,Marcus Bell" in out and "Anna Smith" not in out
    _one_line(err, "warning", "stale conclusions of generation 1", "now 2", "--no-derive")
    assert (
        main(["--db", str(db), "why", 'contact("Anna Smith", "Peter Jones")', "--no-derive"]) == 0
    )
    captured = capsys.readouterr()
    assert "Paris" not in captured.out
    _one_line(captured.err, "warning", "generation 1")
    assert _sha(db) == before


def test_a_store_relation_needs_no_derivation(db: Path, articles: Path, capsys) -> None:
    _ingest_second(db, articles, capsys)
    before = _sha(db)
    out, err = _run(db, ["query", "met(a, b)", "--format", "csv"], capsys)
    assert "Anna Smith,Peter Jones" in out and err == ""
    assert _sha(db) == before


# --------------------------------------------------------------------------- rules


def test_a_changed_rule_file_is_derived_before_the_answer(db: Path, capsys) -> None:
    rules = Path("rules")
    rules.mkdir()
    (rules / "mine.dl").write_text(PAIR_RULE, encoding="utf-8")
    out, err = _run(db, ["query", "paired(a)", "--format", "csv"], capsys)
    assert out.splitlines() == ["a", "Jane Doe", "Marcus Bell"]
    _one_line(err, "re-derived the conclusions", "rules changed: rules/mine.dl")
    assert _run(db, ["query", "paired(a)", "--format", "csv"], capsys)[1] == ""
    # An edit to the file (not only a new file) counts.
    (rules / "mine.dl").write_text(
        PAIR_RULE.replace("contact(a, _)", 'contact(a, _), a != "Jane Doe"'), encoding="utf-8"
    )
    out, err = _run(db, ["query", "paired(a)", "--format", "csv"], capsys)
    assert out.splitlines() == ["a", "Marcus Bell"]
    _one_line(err, "rules changed: rules/mine.dl")
    # And a removed file: its conclusions go, the query says the relation is unknown.
    (rules / "mine.dl").unlink()
    assert main(["--db", str(db), "query", "paired(a)"]) == 1
    err = capsys.readouterr().err
    assert "rules/mine.dl (removed)" in err and "unknown relation paired" in err


def test_rules_given_with_rules_count(db: Path, tmp_path: Path, capsys) -> None:
    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "pair.dl").write_text(PAIR_RULE, encoding="utf-8")
    out, err = _run(db, ["query", "paired(a)", "--rules", str(extra), "--format", "csv"], capsys)
    assert "Jane Doe" in out
    _one_line(err, f"rules changed: {extra / 'pair.dl'}")


def test_rules_that_no_longer_check_leave_the_store_and_no_derive_answers(db: Path, capsys):
    Path("rules").mkdir()
    Path("rules/bad.dl").write_text("broken(x :- contact(x, _).\n", encoding="utf-8")
    before = _sha(db)
    assert main(["--db", str(db), *CONTACT]) == 1
    err = capsys.readouterr().err
    assert "rules/bad.dl:1:" in err and "Traceback" not in err
    assert _sha(db) == before
    out, err = _run(db, [*CONTACT, "--no-derive"], capsys)
    assert "Jane Doe,Marcus Bell" in out
    _one_line(err, "warning", "rules changed: rules/bad.dl")


# --------------------------------------------------------------------------- read-only


@pytest.mark.parametrize("how", ["chmod", "uri"])
def test_a_read_only_stale_store_answers_from_memory(
    db: Path, articles: Path, how: str, capsys
) -> None:
    _ingest_second(db, articles, capsys)
    target = f"file:{db}?mode=ro" if how == "uri" else str(db)
    if how == "chmod":
        _read_only(db)
    before = _sha(db)
    out, err = _run(target, CONTACT, capsys)
    assert "Anna Smith,Peter Jones" in out
    line = _one_line(err, "re-derived the conclusions in memory", "not saved", "read-only")
    assert "documents, entities or review decisions changed" in line
    out, err = _run(target, ["why", 'contact("Anna Smith", "Peter Jones")'], capsys)
    assert "Paris" in out
    _one_line(err, "in memory", "not saved")
    out, err = _run(target, [*CONTACT, "--no-derive"], capsys)
    assert "Anna Smith" not in out
    _one_line(err, "warning", "generation 1")
    assert _sha(db) == before
    assert not db.with_name(db.name + "-journal").exists()


def test_a_read_only_store_never_derived_answers_too(db: Path, tmp_path: Path, capsys) -> None:
    fresh = tmp_path / "never.db"
    with sqlite3.connect(db) as src, sqlite3.connect(fresh) as dst:
        src.backup(dst)
    with sqlite3.connect(fresh) as conn:
        conn.execute("DELETE FROM meta WHERE key = 'derived_from'")
    _read_only(fresh)
    before = _sha(fresh)
    out, err = _run(fresh, CONTACT, capsys)
    assert "Jane Doe,Marcus Bell" in out
    _one_line(err, "in memory", "do not record what they were derived from")
    assert _sha(fresh) == before
    fresh.chmod(0o644)


# --------------------------------------------------------------------------- the shell


def _repl(db: Path, stdin: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "deniable", "--db", str(db), "repl", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_shell_derives_stale_conclusions_in_its_copy(db: Path, articles: Path, capsys):
    ask = '?- contact("Anna Smith", x).\n'
    result = _repl(db, ask)
    assert result.returncode == 0 and result.stderr == ""  # current: not a word
    assert "Peter Jones" not in result.stdout
    _ingest_second(db, articles, capsys)
    before = _sha(db)
    result = _repl(db, ask)
    assert result.returncode == 0, result.stderr
    assert "Peter Jones" in result.stdout
    _one_line(result.stderr, "re-derived the conclusions in memory", "not saved", "generation 1")
    result = _repl(db, ask, "--no-derive")
    assert result.returncode == 0, result.stderr
    assert "Peter Jones" not in result.stdout
    _one_line(result.stderr, "warning", "stale conclusions of generation 1")
    assert _sha(db) == before  # the shell never writes the store
