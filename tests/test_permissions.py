"""Permission problems in every command: one line naming the file and the cause, exit 1.

Two ways of being refused are tested, so that the tests hold whoever runs them:

* deniable's own check of the permission bits (a ``chmod a-w`` store is read-only
  even for root) and SQLite's ``mode=ro``: in-process, for every writing command;
* the kernel's refusal: the command runs as a subprocess without the
  capabilities that let root ignore permissions (``setpriv`` drops
  ``CAP_DAC_OVERRIDE`` and ``CAP_DAC_READ_SEARCH`` from the bounding set), or
  directly when not run by root.  CI runs as root, so this is how the
  unreadable-file and unreadable-folder cases run there; they are skipped, with
  the reason, only when running as root and ``setpriv`` cannot drop them.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from deniable.cli import main

DENIABLE = Path(sys.executable).with_name("deniable")
_DROP = ["setpriv", "--bounding-set=-dac_override,-dac_read_search", "--"]

ARTICLES = {
    "kept.txt": "Doe and Bell\n\nJane Doe met Marcus Bell in Rome on Monday.\n",
    "locked.txt": "Hale and Quinn\n\nJohn Hale met Mary Quinn in Vienna.\n",
    "sub/inner.txt": "Kroll and Berg\n\nPeter Kroll called Lisa Berg on Friday.\n",
}


def _kernel_prefix() -> list[str]:
    """How to run a command so that the kernel enforces permission bits on it.

    ``$DENIABLE_REQUIRE_KERNEL_PERMISSIONS`` (set by ``.ci/run``) turns a skip into a failure.
    """
    if os.geteuid() != 0:
        return []
    reason = None
    if shutil.which("setpriv") is None:
        reason = "running as root, and setpriv (util-linux) is not installed to drop root's rights"
    elif (probe := subprocess.run([*_DROP, "true"], capture_output=True, text=True)).returncode:
        reason = f"running as root, and setpriv cannot drop CAP_DAC_OVERRIDE: {probe.stderr}"
    if reason is not None:
        if os.environ.get("DENIABLE_REQUIRE_KERNEL_PERMISSIONS"):
            pytest.fail(reason)
        pytest.skip(reason)
    return _DROP


def _deniable(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DENIABLE_")}
    return subprocess.run(
        [*_kernel_prefix(), str(DENIABLE), *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def _one_line(err: str, *words: str) -> None:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err and "internal error" not in err, err
    for word in words:
        assert word in err, err


def _no_write(path: Path) -> None:
    path.chmod(path.stat().st_mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))


@pytest.fixture
def articles(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "articles"
    for name, text in ARTICLES.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    yield folder
    for path in (folder, folder / "sub", folder / "locked.txt"):
        path.chmod(0o755)


@pytest.fixture
def derived(tmp_path: Path, articles: Path, capsys) -> Iterator[Path]:
    db = tmp_path / "store.db"
    assert main(["--db", str(db), "ingest", "--jobs", "1", str(articles)]) == 0
    assert main(["--db", str(db), "derive"]) == 0
    capsys.readouterr()
    yield db
    for path in (db, tmp_path):
        path.chmod(path.stat().st_mode | stat.S_IWUSR)


# --------------------------------------------------------------------------- every command

WRITERS = {
    "ingest": ["ingest", "{articles}"],
    "derive": ["derive"],
    "confirm": ["review", "confirm", "1"],
    "reject": ["review", "reject", "1", "--reason", "misread"],
    "correct": ["review", "correct", "1", "--arg", "1", "Jane Roe"],
    "restore": ["restore", "kept.txt", "--version", "1"],
    "gc": ["gc"],
}


@pytest.mark.parametrize("how", ["chmod", "uri"])
@pytest.mark.parametrize("command", sorted(WRITERS))
def test_every_writing_command_refuses_a_read_only_store(
    derived: Path, articles: Path, command: str, how: str, capsys
) -> None:
    args = [a.format(articles=articles) for a in WRITERS[command]]
    db = f"file:{derived}?mode=ro" if how == "uri" else str(derived)
    if how == "chmod":
        _no_write(derived)
    before = derived.read_bytes()
    assert main(["--db", db, *args]) == 1
    _one_line(capsys.readouterr().err, str(derived), "read-only")
    assert derived.read_bytes() == before


@pytest.mark.parametrize("statement", [":confirm 1", ":reject 1 misread"])
def test_the_shell_refuses_to_write_a_read_only_store(
    derived: Path, statement: str, capsys, monkeypatch
) -> None:
    import io

    _no_write(derived)
    before = derived.read_bytes()
    monkeypatch.setattr("sys.stdin", io.StringIO(statement + "\n"))
    assert main(["--db", str(derived), "repl"]) == 1
    _one_line(capsys.readouterr().err, str(derived), "read-only")
    assert derived.read_bytes() == before


@pytest.mark.parametrize(
    "args",
    [["history", "kept.txt"], ["review"], ["query", "contact(a, b)"], ["export", "--out", "{out}"]],
)
def test_reading_commands_answer_from_a_read_only_store(
    derived: Path, tmp_path: Path, args: list[str], capsys
) -> None:
    _no_write(derived)
    _no_write(derived.parent)  # not even a journal can be written beside it
    before = derived.read_bytes()
    out = tmp_path.parent / f"{tmp_path.name}-out"
    try:
        assert main(["--db", str(derived), *[a.format(out=out) for a in args]]) == 0
    finally:
        derived.parent.chmod(0o755)
        shutil.rmtree(out, ignore_errors=True)
    assert derived.read_bytes() == before
    assert "error" not in capsys.readouterr().err


# --------------------------------------------------------------------------- the kernel's refusal


def test_an_unreadable_article_in_a_folder_is_reported(articles: Path, tmp_path: Path) -> None:
    (articles / "locked.txt").chmod(0)
    done = _deniable("--db", "store.db", "ingest", "--jobs", "1", str(articles), cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    _one_line(done.stderr, f"{articles / 'locked.txt'}: cannot read: Permission denied")
    assert "documents ingested                  2" in done.stdout


def test_an_unreadable_folder_is_reported_not_passed_over(articles: Path, tmp_path: Path) -> None:
    (articles / "sub").chmod(0)
    done = _deniable("--db", "store.db", "ingest", "--jobs", "1", str(articles), cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    _one_line(
        done.stderr,
        f"{articles / 'sub'}: cannot read the folder: Permission denied; its articles are not read",
    )
    counts = [" ".join(line.split()) for line in done.stdout.splitlines()]
    assert "documents ingested 2" in counts
    assert "folders not read (cannot be listed) 1" in counts  # the summary counts it too
    # The folder named itself may be the one that cannot be read.
    (articles / "sub").chmod(0o755)
    articles.chmod(0o300)
    done = _deniable("--db", "other.db", "ingest", str(articles), cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    _one_line(done.stderr, f"{articles}: cannot read the folder: Permission denied")


def test_an_unreadable_store_is_one_line(derived: Path, tmp_path: Path) -> None:
    derived.chmod(0)
    for args in (["query", "met(a, b)"], ["derive"], ["ingest", str(tmp_path / "articles")]):
        done = _deniable("--db", str(derived), *args, cwd=tmp_path)
        assert done.returncode == 1, done.stderr
        _one_line(done.stderr, str(derived))
        assert "not a deniable fact store" not in done.stderr


def test_the_kernel_refuses_a_read_only_store_and_folder(derived: Path, tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    _no_write(derived)
    _no_write(locked)
    before = derived.read_bytes()
    cases = [
        (["--db", str(derived), "derive"], [str(derived), "read-only"]),
        (["--db", str(derived), "review", "confirm", "1"], [str(derived), "read-only"]),
        (["--db", str(locked / "new.db"), "ingest", "kept.txt"], ["new.db", "read-only"]),
        (["--db", str(derived), "export", "--out", str(locked)], [str(locked), "read-only"]),
    ]
    shutil.copy(tmp_path / "articles" / "kept.txt", tmp_path / "kept.txt")
    for args, words in cases:
        done = _deniable(*args, cwd=tmp_path)
        assert done.returncode == 1, (args, done.stderr)
        _one_line(done.stderr, *words)
    assert derived.read_bytes() == before
    assert list(locked.iterdir()) == []
    # And it still answers.
    done = _deniable(
        "--db", str(derived), "query", "contact(a, b)", "--format", "csv", cwd=tmp_path
    )
    assert done.returncode == 0 and "Jane Doe,Marcus Bell" in done.stdout, done.stderr
