"""Compile rule clauses to SQL statements: SQL text with named parameters, and delta variants.

Every constant of a program becomes a named parameter (``:p0``, ``:p1``...); every
identifier goes through :func:`quote`.  A clause compiles to one ``INSERT OR IGNORE
... SELECT``; for semi-naive evaluation :func:`delta_positions` lists the body atoms
that read the previous round's new rows (Mangle's ``makeDeltaRules`` as data) and
:func:`compile_rule` restricts that atom to a rowid window ``(:dlo, :dhi]``.

One plan serves every target: a :class:`~deniable.rules.dialects.Dialect` (SQLite by
default, DuckDB, PostgreSQL) only decides how placeholders, types and a few operators are spelled.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from sqlite_utils.db import quote_identifier

from deniable.errors import EvaluationError
from deniable.rules.ast import (
    Aggregate,
    Atom,
    BinOp,
    BoolLit,
    Call,
    Clause,
    Comparison,
    Constraint,
    Literal,
    Negation,
    Num,
    Str,
    Term,
    UnOp,
    Var,
    Wildcard,
)
from deniable.rules.dialects import SQLITE, Dialect

RULE_COLUMN = "_rule"
HEIGHT_COLUMN = "_height"


def quote(name: str) -> str:
    """Quote a table, column or index name; the one path identifiers take into SQL.

    >>> quote('a"b')
    '"a""b"'
    """
    if "\x00" in name:
        raise EvaluationError(f"name {name[:40]!r} contains a NUL character; rename it")
    return quote_identifier(name)


@dataclass(frozen=True, slots=True)
class Schema:
    """What the compiler knows about relations: column names, base types, derived tables."""

    columns: Mapping[str, tuple[str, ...]]
    types: Mapping[str, tuple[str, ...]]
    # Relations stored as derived tables (with _rule/_height); others have height 0.
    derived: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Statement:
    """One SQL statement and its named parameters."""

    sql: str
    params: dict[str, object]


@dataclass(slots=True)
class Body:
    """A compiled conjunctive body: FROM items, WHERE conditions and variable bindings."""

    tables: list[str] = field(default_factory=list)
    where: list[str] = field(default_factory=list)
    env: dict[str, str] = field(default_factory=dict)
    types: dict[str, str | None] = field(default_factory=dict)
    # Positive atoms with their table alias, in body order.
    atoms: list[tuple[Atom, str]] = field(default_factory=list)
    # Join in exactly the order of ``tables`` (SQLite's CROSS JOIN fixes the loop order).
    fixed_order: bool = False

    def from_sql(self) -> str:
        joiner = " CROSS JOIN " if self.fixed_order else ", "
        return f" FROM {joiner.join(self.tables)}" if self.tables else ""

    def where_sql(self) -> str:
        return f" WHERE {' AND '.join(self.where)}" if self.where else ""


class _Unbound(Exception):
    """A term mentions a variable that is not bound yet; try the literal later."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


# SQLite's % and >> behave like C's (remainder takes the dividend's sign; arithmetic shift).
_INFIX = {"+": "+", "-": "-", "*": "*", "%": "%"}
_INFIX.update({"band": "&", "bor": "|", "bshl": "<<", "bshr": ">>"})
_PLAIN = re.compile(r'(t\d+\."(?:[^"]|"")*"|[:$]p\d+)\Z')
_COMPARE = {"=": "=", "!=": "<>", "<": "<", "<=": "<=", ">": ">", ">=": ">="}
_FUNCTORS = ("^", "bxor", "bshru")


class Compiler:
    """Compiles the literals of one clause; holds its parameters and alias counter."""

    def __init__(
        self,
        schema: Schema,
        clause: Clause | None = None,
        *,
        dialect: Dialect = SQLITE,
        prefix: str = "",
    ) -> None:
        self.schema = schema
        self.dialect = dialect
        # Parameter names start with it, so several clauses' SELECTs can share a statement.
        self._prefix = prefix
        self.params: dict[str, object] = {}
        self._aliases = 0
        # Variables visible outside the aggregate being compiled (Soufflé scoping).
        self._scope: set[str] = set()
        if clause is not None:
            self._scope = set(_var_counts([clause.head, *clause.body], shallow=True))

    # ------------------------------------------------------------------ helpers
    def param(self, value: object) -> str:
        name = f"{self._prefix}p{len(self.params)}"
        self.params[name] = value
        return self.dialect.placeholder(name)

    def alias(self) -> str:
        self._aliases += 1
        return f"t{self._aliases}"

    def columns(self, rel: str, arity: int) -> tuple[str, ...]:
        cols = self.schema.columns.get(rel)
        if cols is None or len(cols) < arity:
            raise EvaluationError(f"relation {rel} has no table or view with {arity} columns")
        return cols[:arity]

    # ------------------------------------------------------------------ bodies
    def body(
        self,
        literals: Iterable[Literal],
        *,
        outer: Body | None = None,
        delta: int | None = None,
    ) -> Body:
        """Compile a conjunction; ``delta`` is the position (among positive atoms) read as delta."""
        out = Body()
        if outer is not None:
            out.env = dict(outer.env)
            out.types = dict(outer.types)
        pending: list[Literal | tuple[str, Term, str | None]] = []
        positives = [lit for lit in literals if isinstance(lit, Atom)]
        others = [lit for lit in literals if not isinstance(lit, Atom)]
        order = list(range(len(positives)))
        if delta is not None:
            # The delta is the small side of every join, but the planner has no statistics
            # for tables that grow during the fixpoint: fix the loop order ourselves.
            order = join_order(positives, delta, set(out.env))
            out.fixed_order = self.dialect.cross_join_fixes_order
        aliased: dict[int, str] = {}
        for i in order:
            atom = positives[i]
            alias = self.alias()
            aliased[i] = alias
            out.tables.append(f"{quote(atom.rel)} AS {alias}")
            if i == delta:
                lo, hi = self.dialect.placeholder("dlo"), self.dialect.placeholder("dhi")
                out.where.append(f"{alias}.rowid > {lo} AND {alias}.rowid <= {hi}")
            self._bind_atom(atom, alias, out, pending)
        out.atoms = [(positives[i], aliased[i]) for i in range(len(positives))]
        pending.extend(others)
        self._resolve(pending, out)
        return out

    def _bind_atom(self, atom: Atom, alias: str, out: Body, pending: list) -> None:
        cols = self.columns(atom.rel, len(atom.args))
        types = self.schema.types.get(atom.rel, ())
        for j, arg in enumerate(atom.args):
            col = f"{alias}.{quote(cols[j])}"
            typ = types[j] if j < len(types) else None
            if isinstance(arg, Var):
                if arg.name in out.env:
                    out.where.append(f"{col} = {out.env[arg.name]}")
                else:
                    out.env[arg.name] = col
                    out.types[arg.name] = typ
            elif isinstance(arg, (Str, Num)):
                out.where.append(f"{col} = {self.param(arg.value)}")
            elif not isinstance(arg, Wildcard):
                pending.append((col, arg, typ))

    def _resolve(self, pending: list, out: Body) -> None:
        while pending:
            progress = False
            for item in list(pending):
                try:
                    self._condition(item, out)
                except _Unbound:
                    continue
                pending.remove(item)
                progress = True
            if not progress:
                missing = self._first_unbound(pending[0], out)
                raise EvaluationError(
                    f"variable {missing} is not bound by a positive atom; "
                    "bind it in a positive body atom"
                )

    def _first_unbound(self, item: object, out: Body) -> str:
        try:
            self._condition(item, out)  # type: ignore[arg-type]
        except _Unbound as unbound:
            return unbound.name
        return "?"

    def _condition(self, item: Literal | tuple[str, Term, str | None], out: Body) -> None:
        if isinstance(item, tuple):
            col, term, typ = item
            out.where.append(f"{col} = {self.term(term, out, typ)[0]}")
        elif isinstance(item, Comparison):
            self._comparison(item, out)
        elif isinstance(item, Negation):
            out.where.append(self._negation(item.atom, out))
        elif isinstance(item, Constraint):
            out.where.append(self._constraint(item, out))
        elif isinstance(item, BoolLit):
            if not item.value:
                out.where.append("1 = 0")
        else:
            raise EvaluationError(f"unsupported literal {type(item).__name__}")

    def _comparison(self, cmp: Comparison, out: Body) -> None:
        if cmp.op == "=":
            for var, other in ((cmp.left, cmp.right), (cmp.right, cmp.left)):
                if isinstance(var, Var) and var.name not in out.env:
                    sql, typ = self.term(other, out, None)
                    out.env[var.name] = sql
                    out.types[var.name] = typ
                    return
        left, ltype = self.term(cmp.left, out, None)
        right, rtype = self.term(cmp.right, out, ltype)
        if ltype is None and rtype is not None and isinstance(cmp.left, (BinOp, UnOp)):
            left = self.term(cmp.left, out, rtype)[0]
        out.where.append(f"{left} {_COMPARE[cmp.op]} {right}")

    def _negation(self, atom: Atom, out: Body) -> str:
        alias = self.alias()
        cols = self.columns(atom.rel, len(atom.args))
        types = self.schema.types.get(atom.rel, ())
        conds = []
        for j, arg in enumerate(atom.args):
            if isinstance(arg, Wildcard):
                continue
            typ = types[j] if j < len(types) else None
            conds.append(f"{alias}.{quote(cols[j])} = {self.term(arg, out, typ)[0]}")
        where = f" WHERE {' AND '.join(conds)}" if conds else ""
        return f"NOT EXISTS (SELECT 1 FROM {quote(atom.rel)} AS {alias}{where})"

    def _constraint(self, c: Constraint, out: Body) -> str:
        args = [self.term(a, out, "symbol")[0] for a in c.args]
        if c.name == "contains" and len(args) == 2:
            sql = f"(instr({args[1]}, {args[0]}) > 0)"
        elif c.name == "match" and len(args) == 2:
            name = self.dialect.function("match", ("symbol", "symbol"))
            sql = self.dialect.truth(f"{name}({args[0]}, {args[1]})")
        else:
            raise EvaluationError(f"unknown constraint {c.name}/{len(args)}")
        return f"NOT {sql}" if c.negated else sql

    # ------------------------------------------------------------------ terms
    def term(self, term: Term, out: Body, want: str | None) -> tuple[str, str | None]:
        """Return the SQL of ``term`` and its base type (``None`` when unknown)."""
        if isinstance(term, Var):
            if term.name not in out.env:
                raise _Unbound(term.name)
            return out.env[term.name], out.types.get(term.name)
        if isinstance(term, Str):
            return self.param(term.value), "symbol"
        if isinstance(term, Num):
            value = term.value
            if want == "float" and isinstance(value, int):
                value = float(value)
            return self.param(value), "float" if isinstance(value, float) else "number"
        if isinstance(term, BinOp):
            return self._binop(term, out, want)
        if isinstance(term, UnOp):
            operand, typ = self.term(term.operand, out, want)
            op = {"-": "-", "bnot": "~", "lnot": "NOT"}[term.op]
            if term.op == "lnot":
                return self.dialect.to_int(f"(({operand}) = 0)"), "number"
            return f"({op} {operand})", typ
        if isinstance(term, Call):
            return self._call(term, out, want)
        if isinstance(term, Aggregate):
            return self._aggregate(term, out, want)
        if isinstance(term, Wildcard):
            raise EvaluationError("a wildcard _ cannot be used as a value here")
        raise EvaluationError(f"unsupported term {type(term).__name__}")

    def _binop(self, term: BinOp, out: Body, want: str | None) -> tuple[str, str | None]:
        hint = want if want in ("float", "number", "unsigned") else None
        left, ltype = self.term(term.left, out, hint)
        right, rtype = self.term(term.right, out, hint or ltype)
        typ = "float" if "float" in (ltype, rtype, want) else (ltype or rtype)
        op = term.op
        if op in ("land", "lor"):
            word = "AND" if op == "land" else "OR"
            return self.dialect.to_int(f"(({left}) <> 0 {word} ({right}) <> 0)"), "number"
        if op == "/":
            divisor = self.dialect.divisor(right)
            if typ == "float":
                return f"(CAST({left} AS {self.dialect.float_type}) / {divisor})", typ
            # The dialect's integer division truncates toward zero, as Soufflé's does.
            return f"({left} {self.dialect.int_div} {divisor})", typ
        if op == "%":
            return f"({left} % {self.dialect.divisor(right)})", typ
        if op in _INFIX and op not in self.dialect.function_ops:
            return f"({left} {_INFIX[op]} {right})", typ
        if op in _FUNCTORS or op in self.dialect.function_ops:
            return f"{self.dialect.function(op, (ltype, rtype))}({left}, {right})", typ
        raise EvaluationError(f"unknown operator {op}")

    def _call(self, call: Call, out: Body, want: str | None) -> tuple[str, str | None]:
        name = call.name
        if name in ("min", "max"):
            args = [self.term(a, out, want) for a in call.args]
            if len(args) == 1:
                return args[0]
            typ = next((t for _, t in args if t), None)
            # Multi-argument min()/max() are scalar functions (least/greatest), not aggregates.
            func = self.dialect.least if name == "min" else self.dialect.greatest
            return f"{func}({', '.join(a for a, _ in args)})", typ
        args = [self.term(a, out, None) for a in call.args]
        sqls = [a for a, _ in args]
        if name == "cat":
            return f"({' || '.join(sqls)})" if sqls else "''", "symbol"
        if name == "strlen" and len(sqls) == 1:
            return f"length({sqls[0]})", "number"
        if name in ("contains", "match") and len(sqls) == 2:
            return self.dialect.to_int(self._constraint(Constraint(name, call.args), out)), "number"
        result = {
            "substr": "symbol",
            "ord": "number",
            "to_string": "symbol",
            "to_number": "number",
            "to_unsigned": "unsigned",
            "to_float": "float",
        }
        if name in result:
            func = self.dialect.function(name, tuple(t for _, t in args))
            return f"{func}({', '.join(sqls)})", result[name]
        raise EvaluationError(f"unknown functor {name}/{len(sqls)}")

    def _aggregate(self, agg: Aggregate, out: Body, want: str | None) -> tuple[str, str | None]:
        parts = [*agg.body, *([agg.target] if agg.target is not None else [])]
        inside = _var_counts(parts)
        for name in inside:
            # A variable also used outside the aggregate is bound from outside (Soufflé).
            if name in self._scope and name not in out.env:
                raise _Unbound(name)
        scope = Body(env={k: v for k, v in out.env.items() if k in inside and k in self._scope})
        scope.types = {k: out.types.get(k) for k in scope.env}
        saved = self._scope
        self._scope = saved | set(_var_counts(parts, shallow=True))
        try:
            inner = self.body(agg.body, outer=scope)
        finally:
            self._scope = saved
        cols = [
            f"{alias}.{quote(c)}"
            for atom, alias in inner.atoms
            for c in self.columns(atom.rel, len(atom.args))
        ]
        typ: str | None = "number"
        if agg.target is not None:
            self._scope = saved | set(inside)
            try:
                target, typ = self.term(agg.target, inner, want)
            finally:
                self._scope = saved
            cols.append(target)
        picked = ", ".join(f"{c} AS a{i}" for i, c in enumerate(cols)) or "1 AS a0"
        rows = f"SELECT DISTINCT {picked}{inner.from_sql()}{inner.where_sql()}"
        last = f"a{max(len(cols) - 1, 0)}"
        # PostgreSQL (before 16) wants every subquery in FROM named.
        alias = self.alias()
        if agg.func == "count":
            return f"(SELECT count(*) FROM ({rows}) AS {alias})", "number"
        if agg.func == "sum":
            return f"(SELECT coalesce(sum({last}), 0) FROM ({rows}) AS {alias})", typ
        func = {"min": "min", "max": "max", "mean": "avg"}.get(agg.func)
        if func is None or agg.target is None:
            raise EvaluationError(f"unknown aggregate {agg.func}")
        sql = f"(SELECT {func}({last}) FROM ({rows}) AS {alias})"
        # An empty min/max/mean yields no value, so the clause yields no row (Soufflé).
        out.where.append(f"{sql} IS NOT NULL")
        return sql, "float" if agg.func == "mean" else typ

    # ------------------------------------------------------------------ heads
    def head(self, atom: Atom, body: Body) -> list[str]:
        types = self.schema.types.get(atom.rel, ())
        return [
            self.term(arg, body, types[j] if j < len(types) else None)[0]
            for j, arg in enumerate(atom.args)
        ]

    def height(self, body: Body) -> str:
        heights = [
            f"{alias}.{quote(HEIGHT_COLUMN)}"
            for atom, alias in body.atoms
            if atom.rel in self.schema.derived
        ]
        if not heights:
            return "1"
        if len(heights) == 1:
            return f"{heights[0]} + 1"
        return f"{self.dialect.greatest}({', '.join(heights)}) + 1"


def join_order(atoms: list[Atom], first: int, bound: set[str]) -> list[int]:
    """Greedy join order: ``first``, then repeatedly the atom with the most arguments
    already bound (constants or variables of earlier atoms), ties in body order.

    >>> x, y, z = Var("x"), Var("y"), Var("z")
    >>> join_order([Atom("a", (x, y)), Atom("b", (z,)), Atom("c", (y, z))], 0, set())
    [0, 2, 1]
    """
    order = [first]
    bound = bound | {a.name for a in atoms[first].args if isinstance(a, Var)}
    rest = [i for i in range(len(atoms)) if i != first]
    while rest:
        scores = {
            i: sum(
                isinstance(a, (Str, Num)) or (isinstance(a, Var) and a.name in bound)
                for a in atoms[i].args
            )
            for i in rest
        }
        best = max(rest, key=lambda i: (scores[i], -i))
        order.append(best)
        rest.remove(best)
        bound |= {a.name for a in atoms[best].args if isinstance(a, Var)}
    return order


def _children(node: object, *, shallow: bool = False) -> tuple[object, ...]:
    """The sub-nodes of a literal or term (not into aggregates when ``shallow``)."""
    if isinstance(node, (Atom, Call, Constraint)):
        return node.args
    if isinstance(node, Negation):
        return (node.atom,)
    if isinstance(node, (Comparison, BinOp)):
        return (node.left, node.right)
    if isinstance(node, UnOp):
        return (node.operand,)
    if isinstance(node, Aggregate) and not shallow:
        return (*node.body, *((node.target,) if node.target is not None else ()))
    return ()


def walk(nodes: Iterable[object], *, shallow: bool = False) -> Iterator[object]:
    """Every node below ``nodes`` (literals, terms, aggregate bodies), depth first."""
    stack = list(nodes)
    while stack:
        node = stack.pop()
        yield node
        stack.extend(_children(node, shallow=shallow))


def _var_counts(nodes: Iterable[object], *, shallow: bool = False) -> Counter[str]:
    return Counter(n.name for n in walk(nodes, shallow=shallow) if isinstance(n, Var))


def body_relations(clause: Clause) -> set[str]:
    """Relations read by ``clause``: positive, negated and aggregated atoms."""
    return {n.rel for n in walk(clause.body) if isinstance(n, Atom)}


def delta_positions(clause: Clause, stratum: Iterable[str]) -> tuple[int, ...]:
    """Positions (among the positive body atoms) of atoms over relations of ``stratum``.

    One semi-naive variant of the clause reads the delta of each such atom.

    >>> c = Clause(Atom("p", ()), (Atom("e", ()), Atom("p", ())))
    >>> delta_positions(c, ["p"])
    (1,)
    """
    rels = set(stratum)
    positives = [lit for lit in clause.body if isinstance(lit, Atom)]
    return tuple(i for i, atom in enumerate(positives) if atom.rel in rels)


def table_columns(attributes: Iterable[str]) -> tuple[str, ...]:
    """Column names for a derived table: the attributes, made unique without regard to case.

    >>> table_columns(["a", "A", "_rule"])
    ('a', 'A_2', '_rule_3')
    """
    seen = {RULE_COLUMN.lower(), HEIGHT_COLUMN.lower()}
    cols = []
    for i, name in enumerate(attributes, start=1):
        col = name
        if col.lower() in seen:
            col = f"{name}_{i}"
        seen.add(col.lower())
        cols.append(col)
    return tuple(cols)


def create_table(
    rel: str,
    columns: tuple[str, ...],
    types: tuple[str, ...],
    *,
    provenance: bool = True,
    dialect: Dialect = SQLITE,
    keyed: bool = True,
) -> list[str]:
    """DDL of a table and, when ``keyed``, its unique key (set semantics); derived tables
    get ``provenance`` columns ``_rule`` and ``_height``."""
    defs = [
        f"{quote(c)} {dialect.types.get(t, '')} NOT NULL"
        for c, t in zip(columns, types, strict=True)
    ]
    integer = dialect.types["number"]
    if provenance:
        defs += [f"{quote(RULE_COLUMN)} {integer}", f"{quote(HEIGHT_COLUMN)} {integer}"]
    if not defs:
        defs = [f"_present {integer}"]
    cols = ", ".join(quote(c) for c in columns)
    if keyed and columns and dialect.unique_in_table:
        defs.append(f"UNIQUE ({cols})")
    ddl = [f"CREATE TABLE {quote(rel)} ({', '.join(defs)})"]
    if keyed and columns and not dialect.unique_in_table:
        ddl.append(f"CREATE UNIQUE INDEX {quote(f'{rel}:key')} ON {quote(rel)} ({cols})")
    return ddl


def compile_rule(
    clause: Clause,
    schema: Schema,
    *,
    delta: int | None = None,
    sort: bool = False,
    dialect: Dialect = SQLITE,
) -> Statement:
    """Compile ``clause`` to ``INSERT OR IGNORE INTO head SELECT ...``.

    Args:
        clause: the clause; its head relation must be a derived table of ``schema``.
        schema: column names and types of every relation.
        delta: position of the positive body atom restricted to rowids in ``(:dlo, :dhi]``.
        sort: insert in key order when the head is plain columns and constants (bulk
            inserts into the unique index are several times faster in order).
        dialect: the SQL target.
    """
    comp = Compiler(schema, clause, dialect=dialect)
    body = comp.body(clause.body, delta=delta)
    head = comp.head(clause.head, body)
    rule = comp.param(clause.index)
    height = "0" if clause.is_fact else comp.height(body)
    cols = [quote(c) for c in comp.columns(clause.head.rel, len(clause.head.args))]
    target = ", ".join([*cols, quote(RULE_COLUMN), quote(HEIGHT_COLUMN)])
    select = ", ".join([*head, rule, height])
    body.where.extend(null_guards(head, dialect))
    where = body.where_sql()
    if not clause.head.args:
        # Nullary relations have no key to be unique on: insert at most one row.
        cond = f"NOT EXISTS (SELECT 1 FROM {quote(clause.head.rel)})"
        where = f"{where} AND {cond}" if where else f" WHERE {cond}"
        where += " LIMIT 1"
    elif sort and clause.body and all(_PLAIN.match(h) for h in head):
        # Unary + keeps the planner from picking a worse join order to avoid the sort.
        where += " ORDER BY " + ", ".join(f"+{h}" for h in head)
    # A nullary table has no key for OR IGNORE to act on (DuckDB then refuses it).
    verb, suffix = (
        (dialect.insert_ignore, dialect.ignore_suffix) if clause.head.args else ("INSERT", "")
    )
    sql = (
        f"{verb} INTO {quote(clause.head.rel)} ({target}) "
        f"SELECT {select}{body.from_sql()}{where}{suffix}"
    )
    return Statement(sql, comp.params)


def null_guards(head: list[str], dialect: Dialect) -> list[str]:
    """Conditions that drop a row with a NULL head value where the target would fail on it.

    A NULL (division by zero, a bad number, a NULL stored value) yields no row, as in
    Soufflé; SQLite's ``INSERT OR IGNORE`` skips such a row by itself.
    """
    if dialect.ignore_skips_nulls:
        return []
    return [f"{h} IS NOT NULL" for h in head if not h.startswith(dialect.marker)]


def select_rule(
    clause: Clause, schema: Schema, *, dialect: Dialect = SQLITE, prefix: str = ""
) -> Statement:
    """``SELECT head…, rule, height FROM body``: the rows ``clause`` derives, with provenance.

    Parameter names start with ``prefix`` so that several clauses can be combined in
    one statement.
    """
    comp = Compiler(schema, clause, dialect=dialect, prefix=prefix)
    body = comp.body(clause.body)
    head = comp.head(clause.head, body)
    rule = comp.param(clause.index)
    height = "0" if clause.is_fact else comp.height(body)
    body.where.extend(null_guards(head, dialect))
    select = ", ".join([*head, rule, height])
    return Statement(f"SELECT {select}{body.from_sql()}{body.where_sql()}", comp.params)


def lookup_columns(
    clause: Clause, recursive: Iterable[str] = ()
) -> list[tuple[str, tuple[int, ...]]]:
    """The indexes ``clause`` wants: (relation, argument positions it is looked up by).

    In the semi-naive variants of a clause over the ``recursive`` relations of its
    stratum, the join order is fixed (:func:`join_order`), so the positions bound
    when each atom is reached are known exactly; the delta atom is scanned by rowid
    and needs none.  Elsewhere the planner orders joins: an atom is assumed looked up
    by its constants and the variables it shares with other body literals.
    """
    positives = [lit for lit in clause.body if isinstance(lit, Atom)]
    deltas = delta_positions(clause, recursive)
    found: list[tuple[str, tuple[int, ...]]] = []
    for first in deltas:
        order = join_order(positives, first, set())
        bound = {a.name for a in positives[first].args if isinstance(a, Var)}
        for i in order[1:]:
            atom = positives[i]
            found.append((atom.rel, _bound_positions(atom, bound)))
            bound |= {a.name for a in atom.args if isinstance(a, Var)}
    counts = _var_counts(clause.body)
    for node in walk(lit for lit in clause.body if not (deltas and isinstance(lit, Atom))):
        if isinstance(node, Atom):
            shared = {n for n, k in counts.items() if k > _var_counts([node])[n]}
            found.append((node.rel, _bound_positions(node, shared)))
    return [(rel, positions) for rel, positions in found if positions]


def _bound_positions(atom: Atom, bound: set[str]) -> tuple[int, ...]:
    return tuple(
        j
        for j, arg in enumerate(atom.args)
        if isinstance(arg, (Str, Num)) or (isinstance(arg, Var) and arg.name in bound)
    )
