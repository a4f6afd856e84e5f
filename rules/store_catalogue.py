"""The ``catalogue`` table: every table and view of the store, with its kind and one line.

``derive`` leaves some ninety tables and views in the store, about half of them
the standard rules' helper relations (``tie_at``, ``source_has_earlier`` …).  They
stay tables under their own names, because ``why`` explains a conclusion through
their rows; what tells them apart is this catalogue.  ``derive`` writes it in its
own transaction, so a reader of the file with plain SQL sees what each name is
(``SELECT name, description FROM catalogue WHERE NOT hidden``), and the Datasette
metadata (:mod:`deniable.rules.datasette_metadata`) is built from the same entries.

Kinds: ``conclusion``, ``companion`` (a conclusion with its strength or sources),
``own`` (defined by the user's rule files), ``helper`` (a step of the standard
rules), ``input`` (a relation the store offers to rules), ``store`` (the store's
own tables and views) and ``internal`` (the search index's parts, SQLite's
statistics, the copies an incremental derive keeps).  Helpers and internal
objects are ``hidden``: listings leave them out or sum them up.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlite_utils import Database

from deniable.facts import schema
from deniable.rules.catalogue import COMPANIONS, STANDARD_CONCLUSIONS, relation_kinds, rule_file
from deniable.rules.checked import CheckedProgram
from deniable.rules.engines.incremental import SNAPSHOT_PREFIX

__all__ = [
    "CATALOGUE",
    "HIDDEN_KINDS",
    "STORE_DESCRIPTIONS",
    "CatalogueEntry",
    "catalogue_entries",
    "store_objects",
    "write_catalogue",
]

#: The table's name; no rule may define a relation of this name.
CATALOGUE = "catalogue"
#: Kinds a listing leaves out (or sums up in one line).
HIDDEN_KINDS = frozenset({"helper", "internal"})

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
    CATALOGUE: "every table and view of the store: its kind, one line, and whether listings "
    "hide it",
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


@dataclass(frozen=True, slots=True)
class CatalogueEntry:
    """One table or view: its kind, what a row of it is, and the rule file defining it."""

    name: str
    kind: str
    description: str
    file: str = ""

    @property
    def hidden(self) -> bool:
        """Whether listings leave it out: the standard rules' helpers and internal parts."""
        return self.kind in HIDDEN_KINDS


def catalogue_entries(
    names: Iterable[str],
    checked: CheckedProgram | None,
    *,
    derived: Iterable[str] = (),
) -> list[CatalogueEntry]:
    """An entry for each of ``names`` (the store's tables and views), sorted by name.

    ``checked`` is the program that derived the store's relations (``None``: only
    the store's own objects can be told apart); ``derived`` names the tables an
    earlier derivation wrote, which are helpers when no rule of ``checked`` says
    otherwise.
    """
    kinds = relation_kinds(checked) if checked is not None else {}
    clauses = checked.clauses if checked is not None else ()
    files = {c.head.rel: rule_file(c.origin.path or c.span.path) for c in clauses}
    earlier = set(derived)
    return [
        _entry(name, kinds.get(name), files.get(name, ""), earlier) for name in sorted(set(names))
    ]


def _entry(name: str, kind: str | None, file: str, derived: set[str]) -> CatalogueEntry:
    if name in schema.RELATIONS:
        text = _PREDICATE_VIEWS.get(name) or STORE_DESCRIPTIONS.get(name, "")
        return CatalogueEntry(name, "input", text or "a relation the store offers to rules")
    if name == "sqlite_stat1":
        return CatalogueEntry(name, "internal", STORE_DESCRIPTIONS[name])
    if name in STORE_DESCRIPTIONS:
        return CatalogueEntry(name, "store", STORE_DESCRIPTIONS[name])
    if name.startswith("sentences_fts_"):
        return CatalogueEntry(name, "internal", "a part of the full-text index")
    if name.startswith(SNAPSHOT_PREFIX):
        relation = name.removeprefix(SNAPSHOT_PREFIX)
        text = f"{relation} as the last derivation read it (for incremental derive)"
        return CatalogueEntry(name, "internal", text)
    if name in STANDARD_CONCLUSIONS:
        return CatalogueEntry(name, "conclusion", STANDARD_CONCLUSIONS[name], file)
    if name in COMPANIONS:
        base, extra = COMPANIONS[name]
        return CatalogueEntry(name, "companion", f"{base} with {extra}", file)
    if kind == "own":
        return CatalogueEntry(name, "own", f"derived by your rules ({file})", file)
    if kind == "helper" or name in derived:
        where = f" ({file})" if file else ""
        text = f"a helper relation of the standard rules{where}"
        return CatalogueEntry(name, "helper", text, file)
    return CatalogueEntry(
        name, "unknown", "a table deniable does not know (not written by deniable)"
    )


def store_objects(db: Database) -> list[str]:
    """The names of every table and view of the store."""
    return [*db.table_names(), *db.view_names()]


def write_catalogue(db: Database, checked: CheckedProgram) -> int:
    """Replace ``catalogue`` with an entry for every table and view; return how many.

    Call it inside the derivation's transaction, last, so that it lists exactly the
    tables the derivation left.
    """
    db[CATALOGUE].drop(ignore=True)
    db.create_table(
        CATALOGUE,
        {"name": str, "kind": str, "hidden": int, "description": str, "file": str},
        pk="name",
        not_null={"name", "kind", "hidden", "description", "file"},
    )
    entries = catalogue_entries([*store_objects(db), CATALOGUE], checked)
    rows = [
        {
            "name": e.name,
            "kind": e.kind,
            "hidden": int(e.hidden),
            "description": e.description,
            "file": e.file,
        }
        for e in entries
    ]
    db.table(CATALOGUE).insert_all(rows, batch_size=500)
    return len(rows)
