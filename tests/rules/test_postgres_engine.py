"""The PostgreSQL engine on a server: the SQL engine's rows and provenance, in its own schema."""

from __future__ import annotations

import shutil
import subprocess
import sys
import urllib.parse
from pathlib import Path
from typing import Any

import psycopg
import pytest
from sqlite_utils import Database

from deniable.errors import EvaluationError, ServerError, UsageError
from deniable.facts.postgres import positional, quote_name, redact
from deniable.facts.store import FactStore
from deniable.rules.checks import check
from deniable.rules.engines import get_engine
from deniable.rules.parser import parse
from deniable.rules.sql import quote
from deniable.rules.workbench import derive_store

HOSTILE = ['O\'Brien "the; DROP TABLE x; --"', "naïve 日本", "tab\there\x07\r\n", "z" * 10_000]


def _checked(text: str, inputs: dict[str, list[tuple[str, str]]] | None = None) -> Any:
    return check(parse(text, "t.dl"), inputs=inputs or {})


def _all_rows(db: Database, rel: str) -> set[tuple[object, ...]]:
    return {tuple(r) for r in db.execute(f"SELECT * FROM {quote(rel)}").fetchall()}


def _schemas(dsn: str) -> set[str]:
    with psycopg.connect(dsn) as con:
        rows = con.execute("SELECT nspname FROM pg_namespace").fetchall()
    return {r[0] for r in rows}


@pytest.mark.parametrize("name", ['e"dge', "semi;colon", "Ω ü", "select"])
def test_hostile_names_and_values_give_the_sql_engines_rows(
    name: str, postgres_engine: Any
) -> None:
    rows = [(HOSTILE[0], HOSTILE[1]), (HOSTILE[1], HOSTILE[2]), (HOSTILE[2], HOSTILE[3])]
    # Hostile relation names reach the engines through the AST (tests/rules/strategies.py);
    # here a hostile table beside the program's must come through a derive untouched.
    program = (
        ".decl reach(a: symbol, b: symbol)\n"
        "reach(a, b) :- e(a, b).\nreach(a, c) :- reach(a, b), e(b, c).\n"
        '.decl tagged(a: symbol, t: symbol)\ntagged(a, cat(a, "; --\'")) :- reach(a, _).\n'
        ".decl long(a: symbol)\nlong(a) :- reach(_, a), strlen(a) > 100.\n"
    )
    checked = _checked(program, {"e": [("a", "symbol"), ("b", "symbol")]})
    results = []
    for engine in ("sql", postgres_engine):
        db = Database(memory=True)
        db["e"].insert_all([{"a": a, "b": b} for a, b in rows])
        db[name].insert({"v": HOSTILE[0]})
        get_engine(engine).derive(checked, db)
        results.append({rel: _all_rows(db, rel) for rel in ("reach", "tagged", "long")})
        assert list(db[name].rows) == [{"v": HOSTILE[0]}]
    sql, pg = results
    assert sql == pg  # provenance columns too
    assert len(pg["reach"]) == 6
    assert {r[0] for r in pg["long"]} == {HOSTILE[3]}


def test_derive_into_a_store_matches_sql_and_leaves_nothing_on_the_server(
    desk_db: Path, tmp_path: Path, postgres_dsn: str
) -> None:
    copy = tmp_path / "desk.db"
    shutil.copy(desk_db, copy)
    before = _schemas(postgres_dsn)
    with FactStore.open(copy) as store:
        summary = derive_store(
            store, engine=get_engine("postgres", dsn=postgres_dsn), cwd_rules=False
        )
        assert summary.engine == "postgres"
    assert _schemas(postgres_dsn) == before
    original, derived = Database(desk_db), Database(copy)
    names = [r[0] for r in original.execute("SELECT name FROM derived_relations")]
    assert len(names) > 20
    for rel in names:
        assert _all_rows(original, rel) == _all_rows(derived, rel), rel
    engines = {r[0] for r in derived.execute("SELECT engine FROM derived_relations")}
    assert engines == {"postgres"}


def test_keep_schema_commits_the_derivation_there(postgres_dsn: str) -> None:
    schema = 'kept "one"; é'
    checked = _checked(".decl p(x: number)\np(1).\np(x + 1) :- p(x), x < 5.\n")
    db = Database(memory=True)
    get_engine("postgres", dsn=postgres_dsn, keep_schema=schema).derive(checked, db)
    with psycopg.connect(postgres_dsn) as con:
        rows = con.execute(f"SELECT x, _rule, _height FROM {quote(schema)}.p ORDER BY x").fetchall()
        con.execute(f"DROP SCHEMA {quote(schema)} CASCADE")
    assert [r[0] for r in rows] == [1, 2, 3, 4, 5]
    assert _all_rows(db, "p") == {tuple(r) for r in rows}


def test_a_refused_statement_is_one_line_and_the_store_keeps_its_tables(
    postgres_engine: Any,
) -> None:
    db = Database(memory=True)
    db["e"].insert({"a": "x\x00y"})
    db["p"].insert_all([{"a": "old", "_rule": 0, "_height": 0}])
    checked = _checked(".decl p(a: symbol)\np(a) :- e(a).\n", {"e": [("a", "symbol")]})
    with pytest.raises(EvaluationError) as info:
        postgres_engine.derive(checked, db)
    assert str(info.value).startswith("error: PostgreSQL failed while evaluating: ")
    assert "\n" not in str(info.value)
    assert list(db["p"].rows) == [{"a": "old", "_rule": 0, "_height": 0}]


def test_integer_overflow_is_an_error_naming_the_cause(postgres_engine: Any) -> None:
    checked = _checked(".decl p(x: number)\np(9223372036854775807 + 1).\n")
    with pytest.raises(EvaluationError, match="bigint out of range"):
        postgres_engine.derive(checked, Database(memory=True))


def test_the_round_limit_holds_on_the_server(postgres_dsn: str) -> None:
    from deniable.rules.engines.base import Limits

    checked = _checked(".decl n(x: number)\nn(0).\nn(x + 1) :- n(x), x < 100.\n")
    with pytest.raises(EvaluationError, match="still grows after 10 rounds"):
        get_engine("postgres", dsn=postgres_dsn).derive(
            checked, Database(memory=True), limits=Limits(max_rounds=10)
        )


def test_no_server_is_one_line_naming_the_dsn_without_its_password(tmp_path: Path) -> None:
    dsn = f"postgresql://ann:s3cret@/news?host={tmp_path}"
    engine = get_engine("postgres", dsn=dsn)
    with pytest.raises(ServerError) as info:
        engine.derive(_checked(".decl p(x: number)\np(1).\n"), Database(memory=True))
    message = str(info.value)
    assert message.startswith(f"postgresql://ann:***@/news?host={tmp_path}: error: cannot connect")
    assert "s3cret" not in message and "\n" not in message


def test_the_engine_needs_a_dsn(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DENIABLE_DSN", raising=False)
    with pytest.raises(UsageError, match=r"--dsn postgresql://… or set \$DENIABLE_DSN"):
        get_engine("postgres")


def test_the_command_line_derives_and_runs_on_the_server(
    desk_db: Path, tmp_path: Path, postgres_dsn: str
) -> None:
    copy = tmp_path / "desk.db"
    shutil.copy(desk_db, copy)
    cli = [sys.executable, "-m", "deniable", "--db", str(copy)]
    env = {"DENIABLE_DSN": postgres_dsn, "PATH": "/usr/bin:/bin"}
    done = subprocess.run(
        [*cli, "derive", "--engine", "postgres"], env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert "the postgres engine derives in full" in done.stdout
    done = subprocess.run(
        [*cli, "why", "denial_contradicted_by_contact(_, _, _, _)", "--brief", "--limit", "1"],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0 and "denial_contradicted_by_contact" in done.stdout, done.stderr
    bad = "postgresql://ann:pw@/x?host=/nonexistent-folder"
    done = subprocess.run(
        [*cli, "derive", "--engine", "postgres", "--dsn", bad], capture_output=True, text=True
    )
    assert done.returncode == 1
    assert done.stderr.startswith("postgresql://ann:***@/x?host=/nonexistent-folder: error: ")
    assert len(done.stderr.strip().splitlines()) == 1 and "pw" not in done.stderr


def test_positional_parameters_leave_quoted_names_alone() -> None:
    sql, values = positional(
        'SELECT $p1 FROM "t$p0%s" AS t1 WHERE t1."x" = $p0 AND \'$p1\' <> $p1', {"p0": 1, "p1": "b"}
    )
    assert sql == 'SELECT $1 FROM "t$p0%s" AS t1 WHERE t1."x" = $2 AND \'$p1\' <> $1'
    assert values == ["b", 1]


def test_names_postgresql_would_cut_are_refused() -> None:
    assert quote_name("é" * 31) == '"' + "é" * 31 + '"'
    with pytest.raises(ServerError, match="PostgreSQL keeps 63"):
        quote_name("é" * 32)
    assert redact("host=h user=u password=p dbname=d") == "host=h user=u password=*** dbname=d"


def test_a_database_that_is_not_utf8_is_refused_in_one_line(postgres_dsn: str) -> None:
    with psycopg.connect(postgres_dsn, autocommit=True) as con:
        con.execute("DROP DATABASE IF EXISTS deniable_ascii")
        con.execute("CREATE DATABASE deniable_ascii ENCODING 'SQL_ASCII' TEMPLATE template0")
    parts = urllib.parse.urlsplit(postgres_dsn)
    dsn = urllib.parse.urlunsplit(parts._replace(path="/deniable_ascii"))
    with pytest.raises(ServerError) as info:
        get_engine("postgres", dsn=dsn).derive(
            _checked('.decl p(x: symbol)\np("é").\n'), Database(memory=True)
        )
    assert "the database's encoding is SQL_ASCII; the postgres engine needs UTF8" in str(info.value)
    assert str(info.value).startswith(f"{redact(dsn)}: error: ")


def test_two_derivations_at_once_do_not_meet(postgres_dsn: str) -> None:
    from concurrent.futures import ThreadPoolExecutor

    checked = _checked(
        ".decl p(x: number)\np(0).\np(x + 1) :- p(x), x < 300.\n"
        ".decl q(x: number)\nq(x) :- p(x), x % 7 = 0.\n"
    )

    def derive(_: int) -> set[tuple[object, ...]]:
        db = Database(memory=True)
        get_engine("postgres", dsn=postgres_dsn).derive(checked, db)
        return _all_rows(db, "q")

    before = _schemas(postgres_dsn)
    with ThreadPoolExecutor(max_workers=3) as pool:
        results = list(pool.map(derive, range(3)))
    assert results[0] == results[1] == results[2]
    assert {r[0] for r in results[0]} == set(range(0, 301, 7))
    assert _schemas(postgres_dsn) == before


def test_server_options_without_the_postgres_engine_are_a_usage_error(
    desk_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from deniable.cli import main

    assert main(["--db", str(desk_db), "derive", "--dsn", "postgresql://x/y"]) == 2
    assert "--dsn is for --engine postgres" in capsys.readouterr().err
    assert main(["--db", str(desk_db), "run", "p.dl", "--keep-schema", "k"]) == 2
    assert "--keep-schema is for --engine postgres" in capsys.readouterr().err


def test_a_connection_lost_mid_derivation_is_one_line_naming_the_server(
    postgres_dsn: str,
) -> None:
    import threading
    import time

    sep = "&" if "?" in postgres_dsn else "?"
    dsn = f"{postgres_dsn}{sep}application_name=deniable_lost_test"
    checked = _checked(".decl n(x: number)\nn(0).\nn(x + 1) :- n(x), x < 1000000.\n")
    db = Database(memory=True)

    def terminate() -> None:
        with psycopg.connect(postgres_dsn, autocommit=True) as con:
            for _ in range(100):
                time.sleep(0.1)
                killed = con.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE application_name = 'deniable_lost_test'"
                ).fetchall()
                if killed:
                    return

    killer = threading.Thread(target=terminate)
    killer.start()
    try:
        with pytest.raises(ServerError) as info:
            get_engine("postgres", dsn=dsn).derive(checked, db)
    finally:
        killer.join()
    message = str(info.value)
    assert message.startswith(f"{redact(dsn)}: error: lost the connection to PostgreSQL: ")
    assert "\n" not in message
    assert "n" not in db.table_names()


def test_a_query_rederives_stale_conclusions_on_the_server(
    desk_db: Path, tmp_path: Path, postgres_dsn: str
) -> None:
    copy = tmp_path / "desk.db"
    shutil.copy(desk_db, copy)
    rules = tmp_path / "mine"
    rules.mkdir()
    (rules / "mine.dl").write_text(
        ".decl spoke(a: symbol, b: symbol)\nspoke(a, b) :- contact(a, b).\n", encoding="utf-8"
    )
    cli = [sys.executable, "-m", "deniable", "--db", str(copy), "query", "spoke(a, b)"]
    done = subprocess.run(
        [*cli, "--rules", str(rules), "--engine", "postgres", "--dsn", postgres_dsn],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert "re-derived the conclusions" in done.stderr and "rules changed" in done.stderr
    stored = Database(copy)
    engines = {r[0] for r in stored.execute("SELECT engine FROM derived_relations")}
    assert engines == {"postgres"}
    assert stored.execute("SELECT count(*) FROM spoke").fetchone()[0] > 0
