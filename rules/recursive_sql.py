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

from sqlglot import exp

from deniable.rules.ast import Aggregate, Atom, BinOp, Call, Clause, UnOp
from deniable.rules.checked import Stratum
from deniable.rules.dialects import SQLITE, Dialect, cast_type
from deniable.rules.sql import (
    HEIGHT_COLUMN,
    RULE_COLUMN,
    Compiler,
    Schema,
    Statement,
    identifier,
    null_guards,
    table,
    union,
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
    anchor: list[exp.Expr] = []
    step: list[exp.Expr] = []
    for clause in stratum.clauses:
        body = tuple(
            dataclasses.replace(lit, rel=cte) if isinstance(lit, Atom) and lit.rel == rel else lit
            for lit in clause.body
        )
        select = _select(comp, dataclasses.replace(clause, body=body))
        (step if body != clause.body else anchor).append(select)
    recursive = union(step, distinct=False)
    if len(step) > 1:
        recursive = exp.Select(expressions=[exp.Star()]).from_(exp.Subquery(this=recursive))
    start = union(anchor, distinct=True)
    types = schema.types.get(rel, ())
    if dialect is not SQLITE and len(types) == len(columns):
        # The anchor fixes the recursion's column types: a constant -3 is a 32-bit integer
        # to DuckDB, and a later 2147483648 would not fit.  Cast to the declared types.
        casts = [
            exp.Cast(this=exp.column(identifier(c)), to=cast_type(t))
            for c, t in zip(columns, types, strict=True)
        ]
        named = exp.TableAlias(this=identifier("anchor"), columns=_names(columns))
        start = exp.Select(expressions=casts).from_(exp.Subquery(this=start, alias=named))
    fixpoint = exp.Union(this=start, expression=recursive, distinct=True)
    alias = exp.TableAlias(this=identifier(cte), columns=_names(columns))
    with_ = exp.With(expressions=[exp.CTE(this=fixpoint, alias=alias)], recursive=True)
    picked = [*(exp.column(identifier(c)) for c in columns), exp.Null(), exp.Null()]
    query = exp.Select(expressions=picked).from_(table(cte))
    query.set("with_", with_)
    target = _names((*columns, RULE_COLUMN, HEIGHT_COLUMN))
    insert = exp.Insert(this=exp.Schema(this=table(rel), expressions=target), expression=query)
    return Statement(dialect.render(insert), comp.params)


def _select(comp: Compiler, clause: Clause) -> exp.Select:
    body = comp.body(clause.body)
    head = comp.head(clause.head, body)
    body.where.extend(null_guards(head, comp.dialect))
    return body.select(*head)


def _names(columns: tuple[str, ...]) -> list[exp.Identifier]:
    return [identifier(c) for c in columns]
