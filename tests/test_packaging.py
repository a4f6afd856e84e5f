"""The wheel ships exactly the package `deniable` built from the fixed top-level folders."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SUBPACKAGE_DIRS = ("grammar", "facts", "rules", "repl")


def _pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_every_subpackage_is_listed() -> None:
    listed = set(_pyproject()["tool"]["setuptools"]["packages"])
    on_disk = {"deniable", "deniable.seeds"}
    for top in SUBPACKAGE_DIRS:
        for init in (ROOT / top).rglob("__init__.py"):
            rel = init.parent.relative_to(ROOT)
            on_disk.add("deniable." + ".".join(rel.parts))
    assert listed == on_disk


def test_no_root_init() -> None:
    # A root __init__.py would make pytest import the checkout a second time under its folder name.
    assert not (ROOT / "__init__.py").exists()


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    # Build from a copy: setuptools writes build/ next to the sources, and a stale
    # build/lib in the checkout would ship modules that no longer exist.
    src = tmp_path_factory.mktemp("src") / "deniable"
    shutil.copytree(
        ROOT, src, ignore=shutil.ignore_patterns(".git", ".venv", "build", "*.egg-info")
    )
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(src)],
        check=True,
        capture_output=True,
    )
    (found,) = out.glob("deniable-*.whl")
    return found


def _expected_files() -> set[str]:
    expected = {f"deniable/{p.name}" for p in ROOT.glob("*.py")} | {"deniable/py.typed"}
    patterns = {
        "grammar": ("*.py", "*.lark", "lexicons/*.txt"),
        "facts": ("*.py",),
        "rules": ("*.py", "*.lark", "std/*.dl", "engines/*.py"),
        "repl": ("*.py",),
        "seeds": ("*.txt", "*.md", "*.jsonl", "entities.toml"),
    }
    for top, globs in patterns.items():
        for pattern in globs:
            for path in (ROOT / top).glob(pattern):
                expected.add(f"deniable/{path.relative_to(ROOT).as_posix()}")
    return expected


def test_wheel_contents_match_the_folders(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as zf:
        names = [n for n in zf.namelist() if not n.endswith("/")]
    tops = {n.split("/")[0] for n in names}
    name, version = wheel.name.split("-")[:2]
    assert tops == {"deniable", f"{name}-{version}.dist-info"}
    shipped = {n for n in names if n.startswith("deniable/")}
    assert shipped == _expected_files()
    assert not any(n.startswith(("deniable/tests/", "deniable/bench/")) for n in names)


def test_seeds_are_package_data(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as zf:
        seeds = [n for n in zf.namelist() if n.startswith("deniable/seeds/")]
    on_disk = list((ROOT / "seeds").glob("*.txt"))
    assert len([n for n in seeds if n.endswith(".txt")]) == len(on_disk)
