"""The derived conclusions as export files, each row with its strength, rule and statements.

``deniable export --derived`` adds these to the store's own files: for every
standard conclusion and every relation of the user's rule files (helpers are
left out), one row per derived row with the strength of its best chain (where
the relation has one), the rule that derived it (file and line) and the ids of
the statements its strongest chain rests on, so a spreadsheet row can be
checked against ``statements.csv`` or ``deniable review``.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sqlite_utils.db import quote_identifier

from deniable.errors import UsageError
from deniable.facts.store import FactStore
from deniable.rules.catalogue import relation_kinds, rule_file
from deniable.rules.checked import CheckedProgram
from deniable.rules.strongest import strongest_chain
from deniable.rules.workbench import load_store_program

__all__ = ["DERIVED_FORMATS", "derived_files"]

DERIVED_FORMATS = ("csv", "jsonl")
_ENGINE_COLUMNS = frozenset({"_rule", "_height"})
_EXPORTED_KINDS = ("conclusion", "own")


def derived_files(
    store: FactStore, *, fmt: str, rules_dirs: Sequence[Path] = (), cwd_rules: bool = True
) -> dict[str, str]:
    """File name -> content: ``derived/<relation>.csv`` each, or one ``derived.jsonl``.

    Raises:
        UsageError: a format other than csv or jsonl (Soufflé's ``.facts`` keep bare rows).
    """
    if fmt not in DERIVED_FORMATS:
        raise UsageError(
            f"--derived writes {' or '.join(DERIVED_FORMATS)}, not {fmt}: the conclusions carry "
            "their statements and rule, which .facts files have no columns for"
        )
    checked = load_store_program(store, rules_dirs, cwd_rules=cwd_rules)
    kinds = relation_kinds(checked)
    derived = set(store.derived_tables())
    names = [n for n, kind in kinds.items() if kind in _EXPORTED_KINDS and n in derived]
    rules = _rule_places(checked)
    tables = {
        name: _rows(store, name, rules, checked, rules_dirs=rules_dirs, cwd_rules=cwd_rules)
        for name in names
    }
    if fmt == "jsonl":
        lines = [
            json.dumps({"relation": name, **row}, ensure_ascii=False)
            for name, (_columns, rows) in tables.items()
            for row in rows
        ]
        return {"derived.jsonl": "".join(line + "\n" for line in lines)}
    return {f"derived/{name}.csv": _csv(*table) for name, table in tables.items()}


def _rule_places(checked: CheckedProgram) -> dict[int, tuple[str, int, str]]:
    """Each clause's file, line and text, by its index (the derived tables' ``_rule``)."""
    places = {}
    for clause in checked.clauses:
        origin = clause.origin if clause.origin.line else clause.span
        places[clause.index] = (rule_file(origin.path), origin.line, " ".join(clause.text.split()))
    return places


def _rows(
    store: FactStore,
    rel: str,
    rules: dict[int, tuple[str, int, str]],
    checked: CheckedProgram,
    *,
    rules_dirs: Sequence[Path],
    cwd_rules: bool,
) -> tuple[list[str], list[dict[str, Any]]]:
    columns = [c.name for c in store.db[rel].columns if c.name not in _ENGINE_COLUMNS]
    picked = ", ".join(quote_identifier(c) for c in columns)
    found = store.db.execute(
        f"SELECT {picked}, _rule FROM {quote_identifier(rel)} ORDER BY {picked}"
    ).fetchall()
    out = []
    for *row, index in found:
        chain = strongest_chain(
            store, rel, row, rules_dirs=rules_dirs, cwd_rules=cwd_rules, rules=checked
        )
        statements = sorted(
            {e.statement_id for items in chain.proof.evidence.values() for e in items}
        )
        # The rule that derived the row itself (the chain may be its leveled companion's).
        file, line, text = rules.get(int(index), ("", 0, ""))
        out.append(
            {
                "args": dict(zip(columns, row, strict=True)),
                "strength": chain.strength or "",
                "statements": statements,
                "rule": {"file": file, "line": line, "text": text},
            }
        )
    return columns, out


def _csv(columns: list[str], rows: list[dict[str, Any]]) -> str:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([*columns, "strength", "statements", "rule_file", "rule_line", "rule"])
    for row in rows:
        rule = row["rule"]
        writer.writerow(
            [
                *row["args"].values(),
                row["strength"],
                " ".join(str(s) for s in row["statements"]),
                rule["file"],
                rule["line"],
                rule["text"],
            ]
        )
    return buffer.getvalue()
