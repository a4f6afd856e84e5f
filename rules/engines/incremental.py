"""Incremental derivation in SQLite: extend the last conclusions by the rows the inputs gained.

Every derivation keeps a copy of each input relation as it read it (a table
``derive_input:<relation>``).  The next derivation of the same rules compares the
inputs with those copies:

* an input that lost a row (a document replaced or removed, a statement rejected)
  makes it a full derivation, since conclusions cannot be taken back row by row;
* otherwise the rows an input gained are its delta.  Each input is shadowed, for
  this transaction only, by a temporary table of its old rows followed by the new
  ones, so the delta is a rowid window, as it is for recursive relations in
  :mod:`deniable.rules.engines.sqlite`.  Stratum by stratum, in order:

  - a stratum none of whose inputs changed is left as it is;
  - a stratum whose grown inputs it reads only positively is *extended*: each
    clause runs once for each body atom over a grown relation, that atom reading
    only the new rows (semi-naive from the new statements), then the stratum's
    own recursion runs on from the rows it had;
  - a stratum that reads a changed relation under a negation or inside an
    aggregate, or reads a recomputed one, is *recomputed* from scratch, and the
    strata above it that read it are recomputed in turn (what a negation or an
    aggregate gives can shrink when its input grows).

The result is the same set of rows as a full derivation (the tests compare them);
``_rule`` and ``_height`` of a row describe the derivation that first found it,
which may be a longer one than a full run would have found first.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database

from deniable.rules.ast import Aggregate, Atom, Negation
from deniable.rules.checked import CheckedProgram, Stratum
from deniable.rules.engines.base import Limits
from deniable.rules.engines.sqlite import (
    check_overflow,
    evaluate_stratum,
    high_water,
    is_derived_table,
    object_kinds,
    register_functions,
    relation_schema,
    run_statement,
    run_to_fixpoint,
)
from deniable.rules.sql import Schema, body_relations, compile_rule, delta_positions, quote, walk

__all__ = ["SNAPSHOT_PREFIX", "Increment", "derive_incrementally", "inputs_of", "snapshot_inputs"]

#: The tables that keep each input relation as the last derivation read it.
SNAPSHOT_PREFIX = "derive_input:"


@dataclass(frozen=True, slots=True)
class Increment:
    """What an incremental derivation did: relations extended, recomputed and left alone."""

    extended: tuple[str, ...]
    recomputed: tuple[str, ...]
    unchanged: tuple[str, ...]
    new_input_rows: int

    def describe(self) -> str:
        """One phrase for the summary and the re-derivation note."""
        return (
            f"incremental: {self.new_input_rows} new input rows; {len(self.extended)} relations "
            f"extended from them, {len(self.recomputed)} recomputed (above a negation or "
            f"aggregate), {len(self.unchanged)} unchanged"
        )


def inputs_of(program: CheckedProgram) -> list[str]:
    """The relations ``program`` reads and does not define, sorted."""
    read = set().union(*map(body_relations, program.clauses)) if program.clauses else set()
    return sorted(read - set(program.idb))


def snapshot_inputs(db: Database, program: CheckedProgram) -> None:
    """Keep a copy of each input of ``program`` as it is now (inside the derive's transaction)."""
    wanted = {SNAPSHOT_PREFIX + rel: rel for rel in inputs_of(program)}
    for name in db.table_names():
        if name.startswith(SNAPSHOT_PREFIX):
            db.execute(f"DROP TABLE {quote(name)}")
    for name, rel in wanted.items():
        db.execute(f"CREATE TABLE {quote(name)} AS SELECT * FROM main.{quote(rel)}")


def derive_incrementally(
    program: CheckedProgram, db: Database, *, limits: Limits | None = None
) -> Increment | str:
    """Extend the derived tables of ``program`` by what its inputs gained since they were kept.

    Call it inside the transaction that writes the derivation; the input copies
    are brought up to date in it.  The program must be the one the tables were
    derived with (the caller compares the rule files' fingerprint).

    Returns:
        What was done, or, when it cannot be done incrementally, why (a phrase):
        the caller then derives in full.
    """
    limits = limits or Limits()
    kinds = object_kinds(db)
    inputs = inputs_of(program)
    for rel in program.idb:
        if kinds.get(rel) != "table" or not is_derived_table(_columns(db, rel)):
            return f"relation {rel} was not derived before"
    for rel in inputs:
        if kinds.get(SNAPSHOT_PREFIX + rel) != "table":
            return f"the input {rel} was not kept by the last derivation"
        if _columns(db, SNAPSHOT_PREFIX + rel) != _columns(db, rel):
            # An upgraded store gives a relation another column: rows cannot be compared.
            return f"the columns of {rel} changed"
        if _lost_rows(db, rel):
            return f"rows were removed from {rel}"
    register_functions(db.conn)
    shadowed: list[str] = []
    try:
        grown: dict[str, tuple[int, int]] = {}
        for rel in inputs:
            window = _shadow(db, rel)
            shadowed.append(rel)
            if window[1] > window[0]:
                grown[rel] = window
        new_rows = sum(hi - lo for lo, hi in grown.values())
        schema = relation_schema(db, program)
        done = _strata(db, program, schema, grown, limits)
        check_overflow(db, program, schema)
        for rel in inputs:
            lo, hi = grown.get(rel, (0, 0))
            if hi > lo:
                db.execute(
                    f"INSERT INTO main.{quote(SNAPSHOT_PREFIX + rel)} "
                    f"SELECT * FROM temp.{quote(rel)} WHERE rowid > ? AND rowid <= ?",
                    [lo, hi],
                )
    finally:
        for rel in shadowed:
            db.execute(f"DROP TABLE temp.{quote(rel)}")
    return Increment(*done, new_input_rows=new_rows)


def _strata(
    db: Database,
    program: CheckedProgram,
    schema: Schema,
    grown: dict[str, tuple[int, int]],
    limits: Limits,
) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    extended: list[str] = []
    recomputed: set[str] = set()
    unchanged: list[str] = []
    for stratum in program.strata:
        own = set(stratum.relations)
        reads = set().union(*(body_relations(c) for c in stratum.clauses)) - own
        if reads & recomputed or _read_under_negation_or_aggregate(stratum) & set(grown):
            for rel in stratum.relations:
                db.execute(f"DELETE FROM {quote(rel)}")
            evaluate_stratum(db, stratum, schema, limits)
            recomputed |= own
        elif reads & set(grown):
            before = {rel: high_water(db, rel) for rel in stratum.relations}
            _extend(db, stratum, schema, grown, before, limits)
            for rel in stratum.relations:
                after = high_water(db, rel)
                if after > before[rel]:
                    grown[rel] = (before[rel], after)
            extended.extend(stratum.relations)
        else:
            unchanged.extend(stratum.relations)
    return tuple(extended), tuple(r for r in program.idb if r in recomputed), tuple(unchanged)


def _read_under_negation_or_aggregate(stratum: Stratum) -> set[str]:
    """Relations a stratum reads where a new row can take a conclusion away."""
    found: set[str] = set()
    for clause in stratum.clauses:
        for node in walk(clause.body):
            if isinstance(node, Negation | Aggregate):
                found |= {n.rel for n in walk([node]) if isinstance(n, Atom)}
    return found


def _extend(
    db: Database,
    stratum: Stratum,
    schema: Schema,
    grown: dict[str, tuple[int, int]],
    before: dict[str, int],
    limits: Limits,
) -> None:
    """Semi-naive from the new rows of the inputs, then the stratum's own recursion."""
    for clause in stratum.clauses:
        positives = [lit for lit in clause.body if isinstance(lit, Atom)]
        for pos, atom in enumerate(positives):
            if atom.rel in grown and atom.rel not in stratum.relations:
                lo, hi = grown[atom.rel]
                run_statement(db, compile_rule(clause, schema, delta=pos), {"dlo": lo, "dhi": hi})
    if not stratum.recursive:
        return
    rels = stratum.relations
    positions = []
    for clause in stratum.clauses:
        atoms = [lit for lit in clause.body if isinstance(lit, Atom)]
        for pos in delta_positions(clause, rels):
            stmt = compile_rule(clause, schema, delta=pos)
            positions.append((stmt, atoms[pos].rel, clause.head.rel))
    run_to_fixpoint(db, rels, positions, limits, low=dict(before))


def _shadow(db: Database, rel: str) -> tuple[int, int]:
    """Shadow input ``rel`` by a temporary table: its kept rows, then the new ones.

    Returns the rowid window of the new rows.
    """
    kept = quote(SNAPSHOT_PREFIX + rel)
    db.execute(f"CREATE TEMP TABLE {quote(rel)} AS SELECT * FROM main.{kept}")
    low = _temp_high(db, rel)
    db.execute(
        f"INSERT INTO temp.{quote(rel)} SELECT * FROM main.{quote(rel)} "
        f"EXCEPT SELECT * FROM main.{kept}"
    )
    return low, _temp_high(db, rel)


def _temp_high(db: Database, rel: str) -> int:
    row = db.execute(f"SELECT coalesce(max(rowid), 0) FROM temp.{quote(rel)}").fetchone()
    return int(row[0])


def _lost_rows(db: Database, rel: str) -> bool:
    kept = quote(SNAPSHOT_PREFIX + rel)
    row = db.execute(
        f"SELECT 1 FROM (SELECT * FROM main.{kept} EXCEPT SELECT * FROM main.{quote(rel)}) LIMIT 1"
    ).fetchone()
    return row is not None


def _columns(db: Database, rel: str) -> tuple[str, ...]:
    return tuple(row[1] for row in db.execute(f"PRAGMA table_info({quote(rel)})").fetchall())
