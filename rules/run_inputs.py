"""The inputs of a standalone run: its ``.input`` facts read into a scratch database.

``deniable run`` evaluates in a new in-memory SQLite database of its own.  Each
``.input`` relation is read from its facts file (:mod:`deniable.rules.soufflio`) into
a table there, with a unique key over all its columns (set semantics), or, for an
engine that evaluates elsewhere and reads its inputs as columns (DuckDB), left as
columns for it: the SQLite table is then created empty, for the name and column checks
every engine makes.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from deniable.errors import InputError
from deniable.rules.ast import Atom, Clause, Var
from deniable.rules.checked import CheckedProgram, Stratum
from deniable.rules.sql import create_table, quote, table_columns

#: Columns of values per input relation, for an engine that loads them itself.
Staged = dict[str, list[list[Any]]]

_PAGE_SIZE = 65536


def scratch_database() -> Database:
    """A new in-memory database tuned for one run, which nothing else reads or keeps."""
    # No sqlite-utils plugins: scanning the installed packages' entry points for them
    # costs 3-20 ms of every run, and no SQL function a plugin adds is ever called here.
    db = Database(memory=True, execute_plugins=False)
    # Larger pages halve the B-tree splits of the unique keys that set semantics inserts
    # into (5–10 % of a transitive closure); it must be set before the first table.
    # Not journal_mode = OFF: a statement that fails (a unique key over duplicate facts)
    # must still roll back, or the schema is left malformed.
    db.execute(f"PRAGMA page_size = {_PAGE_SIZE}")
    return db


def load_inputs(
    db: Database, checked: CheckedProgram, facts_dir: Path, *, stage: bool = False
) -> tuple[CheckedProgram, Staged]:
    """Read every ``.input`` relation of ``checked`` from ``facts_dir`` into ``db``.

    With ``stage``, a relation read by one directive, with columns and not defined
    by rules, is returned as columns instead of stored (its table in ``db`` stays
    empty).  Returns the program with a feeder clause for each input relation that
    rules also define, and the staged columns.

    Raises:
        InputError: an unsupported ``IO=``, a missing file or a bad line.
    """
    from deniable.rules.soufflio import fact_path, read_fact_columns, read_facts

    idb = set(checked.idb)
    extra: list[tuple[str, str]] = []
    staged: Staged = {}
    reads = [d.rel for d in checked.directives if d.kind == "input"]
    for directive in checked.directives:
        if directive.kind != "input":
            continue
        io = directive.param("IO", "file")
        if io != "file":
            raise InputError(
                f".input {directive.rel}: IO={io} is not supported; use IO=file",
                directive.span.location,
            )
        info = checked.relations[directive.rel]
        # An input relation that rules also define is loaded aside and fed in by a clause.
        table = directive.rel if directive.rel not in idb else f"{directive.rel}:input"
        columns = table_columns(info.attributes)
        path = fact_path(directive, facts_dir)
        values = read_fact_columns(path, info.types, directive) if columns else []
        if stage and columns and table == directive.rel and reads.count(table) == 1:
            db.execute(create_table(table, columns, info.types, provenance=False)[0])
            staged[table] = values
            continue
        rows = list(zip(*values, strict=True)) if columns else read_facts(path, (), directive)
        with db.atomic():
            fresh = table not in db.table_names()
            ddl, *key = create_table(table, columns, info.types, provenance=False)
            if fresh:
                db.execute(ddl)
            if columns:
                marks = ", ".join(["?"] * len(columns))
                verb = "INSERT" if fresh else "INSERT OR IGNORE"
                db.conn.executemany(f"{verb} INTO {quote(table)} VALUES ({marks})", rows)
            elif rows and not db.execute(f"SELECT 1 FROM {quote(table)} LIMIT 1").fetchone():
                db.execute(f"INSERT INTO {quote(table)} DEFAULT VALUES")
            if fresh and key:
                _unique_key(db, table, columns, key[0])
        if table != directive.rel and (directive.rel, table) not in extra:
            extra.append((directive.rel, table))
    # A relation declared with neither facts nor rules is empty (as in Soufflé), not missing.
    for rel, info in checked.relations.items():
        if rel not in idb and rel not in db.table_names() and rel not in db.view_names():
            columns = table_columns(info.attributes)
            ddl, *_ = create_table(rel, columns, info.types, provenance=False)
            db.execute(ddl)
    for rel, table in extra:
        checked = _feed(checked, rel, table)
    return checked, staged


def _unique_key(db: Database, table: str, columns: tuple[str, ...], ddl: str) -> None:
    """Index a freshly loaded table on all its columns, dropping duplicate facts first.

    Building the index after a bulk load sorts once instead of inserting at random.
    """
    import sqlite3

    try:
        db.execute(ddl)
    except sqlite3.IntegrityError:
        cols = ", ".join(quote(c) for c in columns)
        db.execute(
            f"DELETE FROM {quote(table)} WHERE rowid NOT IN "
            f"(SELECT min(rowid) FROM {quote(table)} GROUP BY {cols})"
        )
        db.execute(ddl)


def _feed(checked: CheckedProgram, rel: str, table: str) -> CheckedProgram:
    """Add ``rel(x0..xn) :- "rel:input"(x0..xn).`` to the stratum of ``rel``."""
    info = checked.relations[rel]
    args = tuple(Var(f"x{i}") for i in range(info.arity))
    index = max((c.index for c in checked.clauses), default=-1) + 1
    clause = Clause(Atom(rel, args), (Atom(table, args),), index)
    relations = dict(checked.relations)
    relations[table] = dataclasses.replace(info, name=table, is_input=True, is_output=False)
    strata = tuple(
        Stratum(s.relations, (*s.clauses, clause), s.recursive) if rel in s.relations else s
        for s in checked.strata
    )
    return dataclasses.replace(
        checked, relations=relations, clauses=(*checked.clauses, clause), strata=strata
    )
