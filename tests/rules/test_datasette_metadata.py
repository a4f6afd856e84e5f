"""`export --datasette`: every table and view described, helpers hidden, queries that run."""

from __future__ import annotations

import asyncio
import json
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from deniable.cli import main
from deniable.facts.store import FactStore
from deniable.rules.datasette_metadata import datasette_metadata

HOSTILE_NAME = "Ivo \"Ace\" O'Hara <script>alert('x')</script> & Co; DROP TABLE documents;--"


@pytest.fixture
def desk_copy(desk_db: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "desk.db"
    shutil.copy(desk_db, copy)
    return copy


def _metadata(db: Path) -> dict[str, Any]:
    with FactStore.open(db, create=False) as store:
        return datasette_metadata(store, cwd_rules=False)


def test_every_table_and_view_has_a_line(desk_copy: Path) -> None:
    tables = _metadata(desk_copy)["databases"]["desk"]["tables"]
    with sqlite3.connect(desk_copy) as conn:
        names = {
            r[0]
            for r in conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")
        }
    assert set(tables) == names
    assert all(
        t["description"] and "does not know" not in t["description"] for t in tables.values()
    )
    hidden = {n for n, t in tables.items() if t.get("hidden")}
    assert {"tie_at", "source_has_earlier", "sentences_fts_data"} <= hidden
    assert not hidden & {"denial_contradicted_by_contact", "contact", "statements", "called"}
    assert tables["denial_contradicted_by_contact"]["description"].startswith("conclusion: ")
    assert tables["entities"]["label_column"] == "name"


def test_the_command_writes_metadata_json(
    desk_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "meta"
    folder.mkdir()
    assert main(["--db", str(desk_copy), "export", "--datasette", str(folder)]) == 0
    assert capsys.readouterr().out == f"{folder / 'metadata.json'}\n"
    written = json.loads((folder / "metadata.json").read_text(encoding="utf-8"))
    assert set(written["databases"]["desk"]["queries"]) == {
        "contradicted_denials", "contradicted_role_denials", "conflicting_reports", "documents",
        "to_review",
    }  # fmt: skip
    assert main(["--db", str(desk_copy), "export", "--datasette", str(tmp_path / "none")]) == 2
    assert "no such folder" in capsys.readouterr().err


def test_datasette_opens_the_store_with_it(desk_copy: Path) -> None:
    datasette = pytest.importorskip("datasette.app", reason="datasette is in the test extra")
    metadata = _metadata(desk_copy)

    async def fetch() -> dict[str, Any]:
        ds = datasette.Datasette([str(desk_copy)], metadata=metadata)
        out = {}
        for query in ("contradicted_denials", "documents", "to_review"):
            response = await ds.client.get(f"/desk/{query}.json?_shape=array")
            assert response.status_code == 200, (query, response.text)
            out[query] = response.json()
        listing = await ds.client.get("/desk.json")
        out["tables"] = {t["name"]: t for t in listing.json()["tables"]}
        return out

    got = asyncio.run(fetch())
    rows = got["contradicted_denials"]
    assert [(r["insider"], r["kind"], r["strength"], r["rule"]) for r in rows] == [
        (HOSTILE_NAME, "met", "alleged", "std/denial.dl:72"),
        ("Vera Lind", "called", "reported", "std/denial.dl:72"),
        ("Vera Lind", "met", "reported", "std/denial.dl:72"),
    ]
    assert [d["outlet"] for d in got["documents"]] == ["Harbour Watch", "The Harbour Ledger"]
    assert len(got["to_review"]) == 9  # every statement, negated and attempted ones too
    assert got["tables"]["tie_at"]["hidden"] is True
    assert got["tables"]["contact"]["hidden"] is False
