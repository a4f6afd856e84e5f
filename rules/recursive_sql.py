"""One ``WITH RECURSIVE … UNION`` statement for a stratum that is a single linear recursion.

A recursive stratum of one relation whose clauses each read it at most once, as a
positive atom, is evaluated by the target's own recursive query: the clauses that
do not read it are the anchor, the others the recursive part, and ``UNION`` (set
semantics) stops it at the fixpoint.  That is semi-naive evaluation done inside
the database, without a statement a round.  It cannot keep ``_rule`` and ``_height``
(the rows of a ``UNION`` are compared whole, so a height per row would keep a
cycle going), so engines use it only where no one reads provenance
(``deniable run``).  Only clauses that compute no value qualify: the rows are then
drawn from the values already stored, so the recursion always ends.
"""

from __future__ import annotations

import dataclasses

from deniable.rules.ast import Aggregate, Atom, BinOp, Call, Clause, UnOp
from deniable.rules.checked import Stratum
from deniable.rules.dialects import SQLITE, Dialect
from deniable.rules.sql import (
    HEIGHT_COLUMN,
    RULE_COLUMN,
    Compiler,
    Schema,
    Statement,
    null_guards,
    quote,
    walk,
)


def linear_relation(stratum: Stratum) -> str | None:
    """The relation of ``stratum`` when one recursive query can evaluate it, else ``None``.

    >>> from deniable.rules.ast import Var
    >>> x, y, z = Var("x"), Var("y"), Var("z")
    >>> base = Clause(Atom("p", (x, y)), (Atom("e", (x, y)),))
    >>> step = Clause(Atom("p", (x, z)), (Atom("p", (x, y)), Atom("e", (y, z))))
    >>> linear_relation(Stratum(("p",), (base, step), recursive=True))
    'p'
    >>> double = Clause(Atom("p", (x, z)), (Atom("p", (x, y)), Atom("p", (y, z))))
    >>> linear_relation(Stratum(("p",), (base, double), recursive=True)) is None
    True
    """
    if not stratum.recursive or len(stratum.relations) != 1:
        return None
    rel = stratum.relations[0]
    anchored = False
    for clause in stratum.clauses:
        if not clause.head.args:
            return None
        nodes = list(walk([clause.head, *clause.body]))
        if any(isinstance(n, (BinOp, UnOp, Call, Aggregate)) for n in nodes):
            return None
        reads = [n for n in nodes if isinstance(n, Atom) and n.rel == rel and n is not clause.head]
        direct = [lit for lit in clause.body if isinstance(lit, Atom) and lit.rel == rel]
        if len(reads) > 1 or len(direct) != len(reads):
            return None
        anchored = anchored or not reads
    return rel if anchored else None


def compile_recursive(stratum: Stratum, schema: Schema, *, dialect: Dialect = SQLITE) -> Statement:
    """``INSERT INTO rel … WITH RECURSIVE`` evaluating ``stratum`` in one statement.

    ``_rule`` and ``_height`` of the rows are NULL.  The caller has checked
    :func:`linear_relation`.
    """
    rel = linear_relation(stratum)
    if rel is None:
        raise ValueError("compile_recursive needs a stratum of one linear recursion")
    cte = f"{rel}:recursive"
    columns = schema.columns[rel]
    inner = Schema(
        {**schema.columns, cte: columns},
        {**schema.types, cte: schema.types.get(rel, ())},
        schema.derived,
    )
    comp = Compiler(inner, dialect=dialect)
    anchor: list[str] = []
    step: list[str] = []
    for clause in stratum.clauses:
        body = tuple(
            dataclasses.replace(lit, rel=cte) if isinstance(lit, Atom) and lit.rel == rel else lit
            for lit in clause.body
        )
        select = _select(comp, dataclasses.replace(clause, body=body))
        (step if body != clause.body else anchor).append(select)
    recursive = step[0] if len(step) == 1 else f"SELECT * FROM ({' UNION ALL '.join(step)})"
    cols = ", ".join(quote(c) for c in columns)
    start = " UNION ".join(anchor)
    types = schema.types.get(rel, ())
    if dialect is not SQLITE and len(types) == len(columns):
        # The anchor fixes the recursion's column types: a constant -3 is a 32-bit integer
        # to DuckDB, and a later 2147483648 would not fit.  Cast to the declared types.
        casts = ", ".join(
            f"CAST({quote(c)} AS {dialect.types.get(t, 'BIGINT')})"
            for c, t in zip(columns, types, strict=True)
        )
        start = f"SELECT {casts} FROM ({start}) AS {quote('anchor')} ({cols})"
    target = ", ".join([cols, quote(RULE_COLUMN), quote(HEIGHT_COLUMN)])
    sql = (
        f"INSERT INTO {quote(rel)} ({target}) "
        f"WITH RECURSIVE {quote(cte)} ({cols}) AS "
        f"({start} UNION {recursive}) "
        f"SELECT {cols}, NULL, NULL FROM {quote(cte)}"
    )
    return Statement(sql, comp.params)


def _select(comp: Compiler, clause: Clause) -> str:
    body = comp.body(clause.body)
    head = comp.head(clause.head, body)
    body.where.extend(null_guards(head, comp.dialect))
    return f"SELECT {', '.join(head)}{body.from_sql()}{body.where_sql()}"
