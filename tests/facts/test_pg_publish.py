"""`export --to postgresql://…` on a real server: every table, exactly, swapped atomically."""

from __future__ import annotations

import shutil
import subprocess
import sys
import urllib.parse
from pathlib import Path
from typing import Any

import psycopg
import pytest

from deniable.errors import ServerError
from deniable.facts.pg_publish import publish
from deniable.facts.store import FactStore
from deniable.rules.workbench import derive_store

CONTROL = "".join(chr(c) for c in range(1, 32))
HOSTILE = [
    'O\'Brien "the"; DROP TABLE statements; --',
    f"bell{CONTROL}end",
    "Zoë Ångström in 北京 🙂",
    "x" * 10_000 + "é",
]


def _server_rows(dsn: str, schema: str, table: str) -> list[tuple[Any, ...]]:
    with psycopg.connect(dsn) as con:
        name = psycopg.sql.Identifier(schema, table)
        query = psycopg.sql.SQL("SELECT * FROM {}").format(name)
        return [tuple(r) for r in con.execute(query).fetchall()]


def _schemas(dsn: str) -> set[str]:
    with psycopg.connect(dsn) as con:
        return {r[0] for r in con.execute("SELECT nspname FROM pg_namespace").fetchall()}


@pytest.fixture
def hostile_store(build: Any, tmp_path: Path) -> Path:
    sentences = [f"Ann Ruiz met {HOSTILE[0]} in Rome.", f"{HOSTILE[1]} {HOSTILE[3]}.", HOSTILE[2]]
    facts = [("met", "Ann Ruiz", HOSTILE[0], "asserted", 0)]
    path = tmp_path / "hostile.db"
    with FactStore.open(path, create=True) as store:
        store.add_extraction(build(f"{HOSTILE[2]}.txt", sentences, facts, title=HOSTILE[0]))
        derive_store(store, cwd_rules=False)
    return path


def test_every_table_round_trips_exactly(hostile_store: Path, postgres_dsn: str) -> None:
    schema = 'desk "one"; ü'
    with FactStore.open(hostile_store) as store:
        publication = publish(store, postgres_dsn, schema=schema)
        names = set(publication.tables) - {"_publication"}
        for required in ("documents", "sentences", "statements", "entities", "met", "contact"):
            assert required in names
        for name in names:
            local = sorted(map(repr, store.db.execute(f'SELECT * FROM "{name}"').fetchall()))
            assert sorted(map(repr, _server_rows(postgres_dsn, schema, name))) == local, name
    sentences = _server_rows(postgres_dsn, schema, "sentences")
    assert any(HOSTILE[1] in v for row in sentences for v in row if isinstance(v, str))
    assert any(HOSTILE[3] in v for row in sentences for v in row if isinstance(v, str))
    assert not any(s.startswith("deniable_publish_") for s in _schemas(postgres_dsn))


def test_a_new_publication_replaces_the_old_and_a_failed_one_changes_nothing(
    hostile_store: Path, tmp_path: Path, postgres_dsn: str
) -> None:
    with FactStore.open(hostile_store) as store:
        publish(store, postgres_dsn, schema="swap")
    before = _server_rows(postgres_dsn, "swap", "documents")
    broken = tmp_path / "broken.db"
    shutil.copy(hostile_store, broken)
    with FactStore.open(broken) as store:
        store.db.execute("CREATE TABLE notes (v TEXT)")
        store.db.execute("INSERT INTO notes VALUES (?)", ["a\x00b"])
        store.db.conn.commit()
        with pytest.raises(ServerError) as info:
            publish(store, postgres_dsn, schema="swap")
    assert "cannot publish into schema swap" in str(info.value)
    assert "\n" not in str(info.value)
    assert _server_rows(postgres_dsn, "swap", "documents") == before
    with pytest.raises(psycopg.errors.UndefinedTable):
        _server_rows(postgres_dsn, "swap", "notes")
    with FactStore.open(broken) as store:
        store.db.execute("UPDATE notes SET v = 'fine'")
        store.db.conn.commit()
        publish(store, postgres_dsn, schema="swap")
    assert _server_rows(postgres_dsn, "swap", "notes") == [("fine",)]
    assert not any(s.startswith("deniable_publish_") for s in _schemas(postgres_dsn))


def test_a_granted_role_reads_the_publication(hostile_store: Path, postgres_dsn: str) -> None:
    with psycopg.connect(postgres_dsn, autocommit=True) as con:
        con.execute("DROP ROLE IF EXISTS desk_reader")
        con.execute("CREATE ROLE desk_reader LOGIN")
    with FactStore.open(hostile_store) as store:
        publish(store, postgres_dsn, schema="shared", grant="desk_reader")
    parts = urllib.parse.urlsplit(postgres_dsn)
    reader = urllib.parse.urlunsplit(parts._replace(netloc="desk_reader@"))
    with psycopg.connect(reader) as con:
        assert con.execute('SELECT count(*) FROM shared."statements"').fetchone() == (1,)


def test_the_command_line_publishes_and_fails_in_one_line(
    hostile_store: Path, postgres_dsn: str, tmp_path: Path
) -> None:
    cli = [sys.executable, "-m", "deniable", "--db", str(hostile_store), "export"]
    done = subprocess.run([*cli, "--to", postgres_dsn], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("published ") and "into schema deniable of " in done.stdout
    assert _server_rows(postgres_dsn, "deniable", "met")
    done = subprocess.run([*cli, "--to", "mysql://x"], capture_output=True, text=True)
    assert done.returncode == 2 and "--to takes a postgresql:// URL" in done.stderr
    bad = f"postgresql://ann:hunter2@/news?host={tmp_path}"
    done = subprocess.run([*cli, "--to", bad], capture_output=True, text=True)
    assert done.returncode == 1
    assert done.stderr.startswith(f"postgresql://ann:***@/news?host={tmp_path}: error: cannot")
    assert "hunter2" not in done.stderr and len(done.stderr.splitlines()) == 1
