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
from deniable.rules.catalogue import COMPANIONS, STANDARD_CONCLUSIONS, relation_kinds, rule_file
from deniable.rules.workbench import load_store_program

__all__ = ["STORE_DESCRIPTIONS", "datasette_metadata", "metadata_json", "write_metadata"]

#: One line for each table and view the store itself has (derived relations are described
#: from the rules).
STORE_DESCRIPTIONS: dict[str, str] = {
    "sqlite_stat1": "SQLite's statistics for its query planner",
    "meta": "the store's own settings: application, schema version, generation, derivation stamp",
    "documents": "every stored text: source name, title, URL, date, outlet, author, hash, text",
    "current_documents": "the documents whose text is some source's current version",
    "document_sources": "which source held which text as which version, and which is current",
    "sentences": "the sentences of each document with their character offsets",
    "sentences_fts": "the full-text index over the sentences (`:search`)",
    "entities": "every canonical name with its type; known when it came from an entity file",
    "aliases": "the other names each entity goes by",
    "entity_links": "part_of links between entities (from the entity file)",
    "facts": "each distinct predicate(a, b) that some statement states",
    "statements": "every extracted statement: its fact, modality, source, span, pattern, details",
    "admitted_statements": "the statements rules may read: current, not rejected in review",
    "reviews": "every review decision: confirmed, rejected or corrected, by whom, when, why",
    "review_marks": "each current statement's latest review status",
    "derived_relations": "the relations `deniable derive` wrote, with engine, time and rows",
    "rule_text": "what each _rule number of a derived row stands for: file, line, rule",
    "claim_word": "each word of each denied claim, laid out for the rules",
    "entity_decisions": "who is who, as decided: merges and splits of names, who, when, why",
    "entity_moves": "the statements each entity decision moved, to undo it",
    "statement": "every admitted statement: id, predicate, arguments, modality, who vouches, "
    "document",
    "statement_detail": "the details of each admitted statement (count, time, place, claim, role)",
    "statement_time": "the time each admitted statement gives, as a day range",
    "negated": "pred(a, b) stated as refused or not having happened",
    "attempted": "pred(a, b) stated as tried, not done",
    "entity": "every entity with its type",
    "alias": "every alias with the entity it names",
    "part_of": "part_of links by name",
    "document": "the current documents by source, with title, outlet and date",
}

#: What a row of each predicate view says (positive statements only).
_PREDICATE_VIEWS = {
    "called": "a called b (by phone or text), stated positively in some article",
    "met": "a met b in person, stated positively in some article",
    "denies": "the denier denied something about the subject",
    "indicted_by": "the person was indicted or charged by the authority",
    "role": "the person holds a post in, leads or belongs to the organisation",
    "pictured_with": "a appears in a photograph with b",
    "visited": "the visitor went to the place or organisation",
}

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
    kinds = relation_kinds(checked)
    files = {c.head.rel: rule_file(c.origin.path or c.span.path) for c in checked.clauses}
    tables: dict[str, dict[str, Any]] = {}
    names = [*store.db.table_names(), *store.db.view_names()]
    derived = set(store.derived_tables())
    for name in names:
        tables[name] = _table(name, kinds.get(name), files.get(name, ""), derived)
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


def _table(name: str, kind: str | None, file: str, derived: set[str]) -> dict[str, Any]:
    if name in STORE_DESCRIPTIONS and name != "sqlite_stat1":
        return {"description": STORE_DESCRIPTIONS[name]}
    if name in _PREDICATE_VIEWS:
        return {"description": _PREDICATE_VIEWS[name]}
    if name == "sqlite_stat1":
        return {"description": STORE_DESCRIPTIONS[name], "hidden": True}
    if name.startswith("sentences_fts_"):
        return {"description": "a part of the full-text index", "hidden": True}
    if name in STANDARD_CONCLUSIONS:
        return {"description": f"conclusion: {STANDARD_CONCLUSIONS[name]}"}
    if name in COMPANIONS:
        base, extra = COMPANIONS[name]
        return {"description": f"{base} with {extra}"}
    if kind == "own":
        return {"description": f"derived by your rules ({file})"}
    if kind == "helper" or name in derived:
        where = f" ({file})" if file else ""
        return {"description": f"a helper relation of the standard rules{where}", "hidden": True}
    return {"description": "a table deniable does not know (not written by deniable)"}


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
