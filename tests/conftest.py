"""Shared pytest fixtures: an in-memory fact store, a store path, and ``--update-goldens``."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from deniable.facts.store import FactStore


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-goldens",
        action="store_true",
        default=False,
        help="rewrite golden files from the current output (review the diff before committing)",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.update_goldens = config.getoption("--update-goldens")  # type: ignore[attr-defined]


@pytest.fixture
def update_goldens(request: pytest.FixtureRequest) -> bool:
    """Whether golden files are to be rewritten instead of compared."""
    return bool(request.config.getoption("--update-goldens"))


@pytest.fixture
def store() -> Iterator[FactStore]:
    """An empty fact store in memory."""
    with FactStore.memory() as s:
        yield s


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """A path for a fact store file that does not exist yet."""
    return tmp_path / "facts.db"
