"""A ``metadata.json`` for Datasette: every table and view described, helpers hidden, queries.

``deniable export --datasette DIR`` writes it, so that ``datasette STORE.db -m
DIR/metadata.json`` opens a store a reader can find their way in: the
conclusions and the store's relations with one line each, the standard rules'
helper relations and the search index's shadow tables hidden from the listing
(still there to query), labels for the entity and document tables, and canned
queries for the main conclusions with their strength and rule, the documents by
title, outlet and date, and the statements waiting for review.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from deniable.errors import UsageError
from deniable.facts.store import FactStore
from deniable.rules.store_catalogue import catalogue_entries, store_objects
from deniable.rules.workbench import load_store_program

__all__ = ["datasette_metadata", "metadata_json", "write_metadata"]

_QUERIES: dict[str, dict[str, str]] = {
    "contradicted_denials": {
        "title": "Denials contradicted by reported contact",
        "description": "Each with the strength of its best chain and the rule that derived it",
        "sql": (
            "SELECT d.denier, d.subject, d.insider, d.kind, s.strength, "
            "r.file || ':' || r.line AS rule FROM denial_contradicted_by_contact d "
            "JOIN denial_contradicted_by_contact_strength s "
            "ON s.denier = d.denier AND s.subject = d.subject AND s.insider = d.insider "
            "AND s.kind = d.kind LEFT JOIN rule_text r ON r._rule = d._rule "
            "ORDER BY d.denier, d.subject, d.insider, d.kind"
        ),
    },
    "contradicted_role_denials": {
        "title": "Denials contradicted by a reported role",
        "sql": (
            "SELECT d.denier, d.org, s.strength FROM denial_contradicted_by_role d "
            "JOIN denial_contradicted_by_role_strength s "
            "ON s.denier = d.denier AND s.org = d.org ORDER BY d.denier, d.org"
        ),
    },
    "conflicting_reports": {
        "title": "Conflicting reports of contact",
        "sql": (
            "SELECT a, b, kind, reporter, refuter FROM conflicting_reports_by "
            "WHERE a < b ORDER BY a, b, kind"
        ),
    },
    "documents": {
        "title": "Documents by title, outlet and date",
        "sql": (
            "SELECT title, outlet, date, author, url, name AS source FROM current_documents "
            "ORDER BY date DESC, outlet, title"
        ),
    },
    "to_review": {
        "title": "Statements not yet reviewed",
        "sql": (
            "SELECT s.id, s.pred, s.a, s.b, s.modality, s.source, s.doc FROM statement s "
            "WHERE NOT EXISTS (SELECT 1 FROM review_marks m WHERE m.statement_id = s.id) "
            "ORDER BY s.doc, s.id"
        ),
    },
}


def datasette_metadata(
    store: FactStore, *, rules_dirs: Sequence[Path] = (), cwd_rules: bool = True
) -> dict[str, Any]:
    """The metadata for the store's file: a description of every table and view, and queries.

    Raises:
        RuleError: the rule files do not check (their relations cannot be described).
    """
    checked = load_store_program(store, rules_dirs, cwd_rules=cwd_rules)
    names = store_objects(store.db)
    tables: dict[str, dict[str, Any]] = {}
    for entry in catalogue_entries(names, checked, derived=store.derived_tables()):
        description = entry.description
        if entry.kind == "conclusion":
            description = f"conclusion: {description}"
        tables[entry.name] = {"description": description}
        if entry.hidden:
            tables[entry.name]["hidden"] = True
    tables["entities"]["label_column"] = "name"
    tables["documents"]["label_column"] = "title"
    db_name = store.path.stem if store.path is not None else "deniable"
    # A query over conclusions that were never derived would only show an error.
    present = set(names)
    queries = {
        key: query
        for key, query in _QUERIES.items()
        if all(t in present for t in _tables_of(query["sql"]))
    }
    return {
        "title": f"deniable: {db_name}",
        "description": "Facts extracted from news articles with their modality and provenance, "
        "and the conclusions Datalog rules derive from them; hidden tables are the standard "
        "rules' helpers and the search index.",
        "databases": {
            db_name: {
                "description": "a deniable fact store",
                "tables": tables,
                "queries": queries,
            }
        },
    }


def _tables_of(sql: str) -> list[str]:
    """The tables a canned query reads (the words after FROM and JOIN)."""
    words = sql.replace("(", " ").split()
    return [words[i + 1] for i, w in enumerate(words[:-1]) if w.upper() in ("FROM", "JOIN")]


def metadata_json(metadata: dict[str, Any]) -> str:
    """The metadata as the file's text."""
    return json.dumps(metadata, ensure_ascii=False, indent=2) + "\n"


def write_metadata(
    store: FactStore, folder: Path, *, rules_dirs: Sequence[Path] = (), cwd_rules: bool = True
) -> Path:
    """Write ``folder/metadata.json`` for the store; return its path.

    Raises:
        UsageError: ``folder`` is not an existing folder.
        OutputError: the file cannot be written.
    """
    from deniable.rules.publish import write_whole

    if not folder.is_dir():
        raise UsageError(f"{folder}: no such folder; give an existing folder to --datasette")
    metadata = datasette_metadata(store, rules_dirs=rules_dirs, cwd_rules=cwd_rules)
    return write_whole(folder / "metadata.json", metadata_json(metadata))
