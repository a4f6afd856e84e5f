"""Rule programs from files: parse and check them as one program (and, below, run them).

>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "a.dl").write_text('.decl e(x: symbol)\\ne("a").')
>>> len(check_files([folder / "a.dl"]).clauses)
1
"""

from __future__ import annotations

import dataclasses
import gc
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from deniable.errors import InputError
from deniable.rules.ast import Directive
from deniable.rules.checked import CheckedProgram, RelationInfo
from deniable.rules.checks import InputSchema, check
from deniable.rules.parser import parse_files

if TYPE_CHECKING:
    from rich.console import Console
    from sqlite_utils import Database

    from deniable.rules.engines.base import Derivation, Engine, Limits, Tables


def load_program(
    paths: Sequence[Path], inputs: InputSchema | None = None, *, infer_decls: bool = False
) -> CheckedProgram:
    """Parse ``paths`` as one program (like their concatenation) and check it.

    Args:
        paths: rule files, in order; each may ``#include`` others.
        inputs: relations that exist outside the program (name -> types or
            (attribute, type) pairs), e.g. the fact store's views.
        infer_decls: infer missing ``.decl`` lines instead of reporting them.

    Raises:
        RuleError: syntax or check errors, every one with its location.
        InputError: a named file cannot be read.
    """
    program = parse_files([Path(p) for p in paths])
    return check(program, inputs=inputs, infer_decls=infer_decls)


def check_files(paths: list[Path], *, inputs: InputSchema | None = None) -> CheckedProgram:
    """Check rule files without running them (``deniable check``).

    Without ``inputs`` the relations of the fact store (``called``, ``statement``
    ...) count as declared inputs, as they do for ``deniable derive``; pass
    ``inputs={}`` to check a standalone Soufflé program.
    """
    if inputs is None:
        inputs = _store_relations()
    return load_program(paths, inputs)


def _store_relations() -> InputSchema:
    # The same relations `deniable derive` offers: the store's views and the
    # inputs it prepares before evaluation (claim_word).
    from deniable.facts.schema import RELATIONS
    from deniable.rules.workbench import PREPARED_INPUTS

    return {**RELATIONS, **PREPARED_INPUTS}


# --------------------------------------------------------------------------- run_program


def run_program(
    path: Path,
    *,
    facts_dir: Path = Path("."),
    out_dir: Path = Path("."),
    engine: str | Engine = "sql",
    console: Console | None = None,
    stdout: IO[str] | None = None,
    limits: Limits | None = None,
) -> Derivation:
    """Evaluate a standalone program like ``souffle -F facts_dir -D out_dir``.

    ``.input`` relations come from ``facts_dir/<rel>.facts``, ``.output`` relations go
    to ``out_dir/<rel>.csv`` (or to stdout with ``IO=stdout``), ``.printsize`` prints
    ``<rel>\\t<size>``; all in Soufflé's formats.

    Raises:
        RuleError: the program does not parse or check.
        InputError: a facts file is missing or has a bad line (``file:line: error: ...``).
        EvaluationError: evaluation failed (limit reached).
    """
    from deniable.rules.engines.base import SqliteTables

    # Nothing asks `why` of a standalone run: engines may skip provenance to go faster,
    # and the outputs are read where the engine keeps them.
    with _collector_paused():
        db, tables, checked, derivation = evaluate_program(
            path, facts_dir=facts_dir, engine=engine, limits=limits, provenance=False
        )
        try:
            out = stdout or (console.file if console is not None else sys.stdout)
            _store_outputs(tables, SqliteTables(db), checked, out_dir, out)
        finally:
            tables.close()
            db.close()
    return derivation


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Keep Python's cycle collector off while a run reads and writes its rows.

    Rows are tuples of strings and numbers, which form no cycles, but every tuple
    counts towards the next collection, and each collection walks every object the
    process holds (the grammar, the loaded modules): a fifth of a small run's time.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def evaluate_program(
    path: Path,
    *,
    facts_dir: Path = Path("."),
    engine: str | Engine = "sql",
    limits: Limits | None = None,
    provenance: bool = True,
) -> tuple[Database, Tables, CheckedProgram, Derivation]:
    """Check ``path``, load its ``.input`` facts into a new in-memory database and evaluate.

    Returns the database and the tables the derived relations can be read from
    (the caller closes both), the program as evaluated (with a feeder clause for
    each ``.input`` relation that rules also define) and the derivation.
    """
    from deniable.rules.engines import get_engine
    from deniable.rules.engines.base import evaluate
    from deniable.rules.engines.sqlite import index_inputs
    from deniable.rules.run_inputs import load_inputs, scratch_database

    checked = load_program([path])
    chosen = get_engine(engine)
    db = scratch_database()
    try:
        # An engine that keeps its rows (DuckDB) takes the facts as columns: they never
        # pass through SQLite, which would only hold them to be copied out again.
        stage = not provenance and hasattr(chosen, "evaluate")
        checked, staged = load_inputs(db, checked, facts_dir, stage=stage)
        index_inputs(db, checked)
        tables, derivation = evaluate(
            chosen, checked, db, limits=limits, provenance=provenance, staged=staged
        )
    except BaseException:
        db.close()
        raise
    return db, tables, checked, derivation


def _store_outputs(
    derived: Tables, inputs: Tables, checked: CheckedProgram, out_dir: Path, out: IO[str]
) -> None:
    from deniable.rules.soufflio import output_path, write_output

    order = {rel: i for i, rel in enumerate(checked.idb)}
    directives = [d for d in checked.directives if d.kind in ("output", "printsize")]
    # Soufflé stores a relation once its stratum is done: inputs first, then by stratum.
    directives.sort(key=lambda d: order.get(d.rel, -1))
    for directive in directives:
        info = checked.relations[directive.rel]
        # Input relations stay in SQLite; derived ones are where the engine left them.
        tables = derived if directive.rel in derived.relations() else inputs
        if directive.kind == "printsize":
            out.write(f"{directive.rel}\t{_derived_size(tables, directive.rel)}\n")
            continue
        io = directive.param("IO", "file")
        if io not in ("file", "stdout"):
            raise InputError(
                f".output {directive.rel}: IO={io} is not supported; use IO=file or IO=stdout",
                directive.span.location,
            )
        if str(out_dir) == "-":
            # `souffle -D -` prints every output relation instead of writing files.
            directive = dataclasses.replace(directive, params=(("IO", "stdout"), *directive.params))
        to_file = directive.param("IO", "file") == "file"
        if to_file and directive.param("headers", "false") != "true" and _plain(directive, info):
            # The common case, millions of rows: the engine writes the file itself.
            _write_sorted(tables, directive, info, output_path(directive, out_dir))
            continue
        rows, types = _rows(tables, directive, info)
        write_output(directive, rows, info.attributes, out_dir, out, types)


def _derived_size(tables: Tables, rel: str) -> int:
    from deniable.rules.sql import quote

    if rel not in tables.relations():
        return 0
    return int(tables.fetch(f"SELECT count(*) FROM {quote(rel)}")[0][0])


def _rows(
    tables: Tables, directive: Directive, info: RelationInfo
) -> tuple[list[tuple[Any, ...]], tuple[str, ...]]:
    """The sorted rows to write and their types; plain rows come back as ready lines."""
    from deniable.rules.engines.base import lines_query
    from deniable.rules.soufflio import delimiter_of
    from deniable.rules.sql import quote

    rel = directive.rel
    if rel not in tables.relations():
        return [], info.types
    cols = tables.columns(rel)[: info.arity]
    if not cols:
        return ([()] if _derived_size(tables, rel) else []), ()
    if _plain(directive, info):
        delimiter, _ = delimiter_of(directive)
        return tables.fetch(*lines_query(rel, cols, delimiter, tables.dialect)), ("symbol",)
    picked = ", ".join(quote(c) for c in cols)
    rows = tables.fetch(f"SELECT {picked} FROM {quote(rel)} ORDER BY {picked}")
    fixes = [_unwrap if t == "unsigned" else None for t in info.types]
    if any(fixes):
        rows = [tuple(f(v) if f else v for f, v in zip(fixes, r, strict=True)) for r in rows]
        rows.sort()
    return rows, info.types


def _plain(directive: Directive, info: RelationInfo) -> bool:
    """Whether the fields print as the database casts them to text: integers and symbols,
    no RFC 4180 quoting, at least one column."""
    from deniable.rules.soufflio import delimiter_of

    _, rfc4180 = delimiter_of(directive)
    return bool(info.types) and not rfc4180 and set(info.types) <= {"number", "symbol"}


def _write_sorted(tables: Tables, directive: Directive, info: RelationInfo, path: Path) -> None:
    from deniable.errors import Location
    from deniable.rules.soufflio import delimiter_of

    delimiter, _ = delimiter_of(directive)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if directive.rel not in tables.relations():
            path.write_text("", encoding="utf-8")
            return
        cols = tables.columns(directive.rel)[: info.arity]
        tables.write_sorted(directive.rel, cols, delimiter, path)
    except OSError as error:
        reason = error.strerror or str(error)
        raise InputError(f"cannot write to {path}: {reason}", Location(str(path))) from None


def _unwrap(value: int) -> int:
    # Unsigned values above 2**63 - 1 are stored wrapped into SQLite's signed integers.
    return value + 2**64 if value < 0 else value
