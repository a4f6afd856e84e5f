"""``export`` writes the store's facts, never conclusions, so a stale store exports nothing stale.

``query``, ``why`` and ``repl`` re-derive stale conclusions before they answer;
``export`` has none to re-derive: what it writes is the same whether the last
``derive`` is current, stale or missing, and it writes no derived relation.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from deniable.cli import main

FIRST = "Doe and Bell\n\nJane Doe met Marcus Bell in Rome on Monday.\n"
LATER = "Hale and Quinn\n\nJohn Hale met Mary Quinn in Vienna.\n"


def _export(db: Path, out: Path, fmt: str) -> dict[str, str]:
    assert main(["--db", str(db), "export", "--format", fmt, "--out", str(out)]) == 0
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(out.iterdir())}


@pytest.mark.parametrize("fmt", ["csv", "tsv", "jsonl"])
def test_export_of_a_stale_store_is_its_current_facts(tmp_path: Path, fmt: str, capsys) -> None:
    db = tmp_path / "store.db"
    (tmp_path / "first.txt").write_text(FIRST, encoding="utf-8")
    (tmp_path / "later.txt").write_text(LATER, encoding="utf-8")
    assert main(["--db", str(db), "ingest", "--jobs", "1", str(tmp_path / "first.txt")]) == 0
    assert main(["--db", str(db), "derive"]) == 0
    assert main(["--db", str(db), "ingest", "--jobs", "1", str(tmp_path / "later.txt")]) == 0
    capsys.readouterr()
    stale = _export(db, tmp_path / "stale", fmt)
    assert "re-derived" not in capsys.readouterr().err  # nothing to re-derive
    assert "John Hale" in "".join(stale.values())  # the document ingested after the derive
    derived = {"contact", "denial_contradicted_by_contact", "affiliated"}
    assert not {name.split(".")[0] for name in stale} & derived
    assert main(["--db", str(db), "derive"]) == 0
    assert _export(db, tmp_path / "current", fmt) == stale
