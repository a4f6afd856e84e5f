"""Shared pytest fixtures: an in-memory fact store, a store path, and ``--update-goldens``."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

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


# --------------------------------------------------------------------------- the desk's store
# An invented investigation for `why`, `report` and `graph`: a denial contradicted by a
# reported call, a reported meeting and an alleged one, a photograph, an attempt and a
# refusal, with names and titles that are HTML, SQL and quotes (they must print as written).

#: A name that is HTML, SQL and quotes at once.
HOSTILE_NAME = "Ivo \"Ace\" O'Hara <script>alert('x')</script> & Co; DROP TABLE documents;--"
#: A name outside ASCII.
ACCENTED_NAME = "Zoë Ångström"
#: A title that is markup, with an ampersand.
HOSTILE_TITLE = 'Port calls <b>leaked</b> & "denied"'


def _desk_extractions() -> list[Any]:
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

    def extraction(name: str, sentences: list[tuple[str, tuple[Any, ...]]], **doc: str) -> Any:
        spans, facts, pos = [], [], 0
        for i, (text, fact) in enumerate(sentences):
            spans.append(Sentence(i, pos, pos + len(text), text))
            if fact:
                pred, a, b, modality, phrase, *extra = fact
                offset = pos + text.index(phrase)
                evidence = Evidence(name, i, offset, offset + len(phrase), "test")
                details = extra[0] if extra else {}
                facts.append(Fact(pred, (a, b), Modality(modality), evidence, **details))
            pos += len(text) + 1
        text = " ".join(t for t, _ in sentences)
        return Extraction(Document(name, text, **doc), tuple(spans), tuple(facts), entities)

    brandt, lind, ministry, office = (
        "Olek Brandt",
        "Vera Lind",
        "Ministry of Ports",
        "Harbour Office",
    )
    entities = (
        Entity(brandt, EntityType.PERSON, ("Brandt",)),
        Entity(lind, EntityType.PERSON, ("Lind",)),
        Entity(HOSTILE_NAME, EntityType.PERSON),
        Entity(ACCENTED_NAME, EntityType.PERSON),
        Entity(ministry, EntityType.ORG),
        Entity(office, EntityType.ORG, part_of=(ministry,)),
    )
    ledger = extraction(
        "ledger/calls.txt",
        [
            (
                f"The {ministry} denied any links to {brandt}.",
                (
                    "denies",
                    ministry,
                    brandt,
                    "asserted",
                    "denied any links",
                    {"claim": f"any links to {brandt}"},
                ),
            ),
            (
                f"Leaked logs show {brandt} phoned {lind} 40 times.",
                (
                    "called",
                    brandt,
                    lind,
                    "reported",
                    f"{brandt} phoned {lind} 40 times",
                    {"source": "leaked logs", "count": 40},
                ),
            ),
            (
                f"{lind} is a deputy minister at the {ministry}.",
                (
                    "role",
                    lind,
                    ministry,
                    "asserted",
                    "deputy minister",
                    {"role": "deputy minister"},
                ),
            ),
            (
                f"Brandt reportedly met {HOSTILE_NAME} in Tallinn.",
                ("met", brandt, HOSTILE_NAME, "alleged", "reportedly met"),
            ),
            (
                f"{HOSTILE_NAME} runs the {office}.",
                ("role", HOSTILE_NAME, office, "asserted", "runs the"),
            ),
        ],
        title=HOSTILE_TITLE,
        outlet="The Harbour Ledger",
        date="2024-03-01",
        url="https://ledger.example/calls?id=1&view=<full>",
        author="R. Quill",
    )
    watch = extraction(
        "watch/gala.txt",
        [
            (f"{brandt} was pictured with {ACCENTED_NAME} at a gala.",
             ("pictured_with", brandt, ACCENTED_NAME, "asserted", "was pictured with")),
            (f"Brandt met {lind} twice, according to two officials.",
             ("met", brandt, lind, "reported", f"Brandt met {lind} twice",
              {"source": "two officials", "count": 2})),
            (f"{brandt} tried to call {ACCENTED_NAME} in May.",
             ("called", brandt, ACCENTED_NAME, "attempted", "tried to call")),
            (f"{ACCENTED_NAME} said she never met {brandt}.",
             ("met", ACCENTED_NAME, brandt, "negated", "never met")),
        ],
        title="Gala photographs",
        outlet="Harbour Watch",
        date="2024-04-02",
    )  # fmt: skip
    return [ledger, watch]


@pytest.fixture(scope="session")
def desk_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The invented investigation in a store file, derived with the standard rules.

    Shared by many tests: copy it (``shutil.copy``) before writing to it.
    """
    from deniable.rules.workbench import derive_store

    path = tmp_path_factory.mktemp("desk") / "desk.db"
    with FactStore.open(path, create=True) as s:
        for extraction in _desk_extractions():
            s.add_extraction(extraction)
        derive_store(s, cwd_rules=False)
    return path


# --------------------------------------------------------------------------- a PostgreSQL server
# `postgres_dsn` is a real server: $DENIABLE_TEST_DSN when set, else a throw-away cluster
# (bench/pg_cluster.py: initdb + pg_ctl on a Unix socket in a temporary folder) started
# once per session and stopped at its end.  Where none can be started the tests skip and
# say why; with DENIABLE_REQUIRE_POSTGRES=1 (CI) they fail instead.


def _pg_cluster_module() -> Any:
    import importlib.util
    import sys

    path = Path(__file__).resolve().parents[1] / "bench" / "pg_cluster.py"
    spec = importlib.util.spec_from_file_location("_deniable_pg_cluster", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def postgres_dsn() -> Iterator[str]:
    """The DSN of a PostgreSQL server for the session (skips when there is none)."""
    import os

    given = os.environ.get("DENIABLE_TEST_DSN")
    if given:
        yield given
        return
    clusters = _pg_cluster_module()
    try:
        cluster = clusters.start()
    except clusters.ClusterError as error:
        if os.environ.get("DENIABLE_REQUIRE_POSTGRES"):
            pytest.fail(f"DENIABLE_REQUIRE_POSTGRES is set but no server starts: {error}")
        pytest.skip(f"no PostgreSQL server: {error}; set DENIABLE_TEST_DSN or install postgresql")
    try:
        yield cluster.dsn
    finally:
        cluster.stop()


@pytest.fixture
def postgres_engine(postgres_dsn: str) -> Any:
    """The ``postgres`` engine on the session's server."""
    from deniable.rules.engines import get_engine

    return get_engine("postgres", dsn=postgres_dsn)
