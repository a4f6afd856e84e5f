"""The compiler of one clause's literals to sqlglot expressions: bodies, terms, heads.

:class:`Compiler` turns a conjunction into FROM items, WHERE conditions and variable
bindings (:class:`Body`), each term into an expression with its base type, and an
aggregate into a correlated subquery; constants become named parameters.  Nothing
here is SQL text: a statement built from a body is rendered once per target
(:meth:`~deniable.rules.dialects.Dialect.render`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlglot import exp

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
from deniable.rules.dialects import SQLITE, Dialect, cast_type
from deniable.rules.sql_plan import join_order, var_counts
from deniable.rules.sql_schema import HEIGHT_COLUMN, Schema, column, parameter, table


@dataclass(slots=True)
class Body:
    """A compiled conjunctive body: FROM items, WHERE conditions and variable bindings."""

    tables: list[exp.Table] = field(default_factory=list)
    where: list[exp.Expr] = field(default_factory=list)
    env: dict[str, exp.Expr] = field(default_factory=dict)
    types: dict[str, str | None] = field(default_factory=dict)
    # Positive atoms with their table alias, in body order.
    atoms: list[tuple[Atom, str]] = field(default_factory=list)
    # Join in exactly the order of ``tables`` (SQLite's CROSS JOIN fixes the loop order).
    fixed_order: bool = False

    def select(self, *columns: exp.Expr, distinct: bool = False) -> exp.Select:
        """``SELECT columns FROM`` the body's tables ``WHERE`` its conditions (``1`` for none)."""
        query = exp.Select(expressions=list(columns) or [exp.Literal.number(1)])
        if distinct:
            query.set("distinct", exp.Distinct())
        if self.tables:
            first, *rest = self.tables
            query.from_(first, copy=False)
            kind = "CROSS" if self.fixed_order else None
            query.set("joins", [exp.Join(this=t, kind=kind) for t in rest])
        if self.where:
            query.set("where", exp.Where(this=exp.and_(*self.where, copy=False)))
        return query

    def value(self, name: str) -> exp.Expr:
        """The expression variable ``name`` is bound to, as a node of its own."""
        return self.env[name].copy()


class _Unbound(Exception):
    """A term mentions a variable that is not bound yet; try the literal later."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


# SQLite's % and >> behave like C's (remainder takes the dividend's sign; arithmetic shift).
_INFIX: dict[str, type[exp.Binary]] = {"+": exp.Add, "-": exp.Sub, "*": exp.Mul}
_INFIX.update(
    {
        "band": exp.BitwiseAnd,
        "bor": exp.BitwiseOr,
        "bshl": exp.BitwiseLeftShift,
        "bshr": exp.BitwiseRightShift,
    }
)
_COMPARE: dict[str, type[exp.Binary]] = {
    "=": exp.EQ,
    "!=": exp.NEQ,
    "<": exp.LT,
    "<=": exp.LTE,
    ">": exp.GT,
    ">=": exp.GTE,
}
_FUNCTORS = ("^", "bxor", "bshru")


def _zero() -> exp.Expr:
    return exp.Literal.number(0)


def _paren(node: exp.Expr) -> exp.Paren:
    return exp.Paren(this=node)


def _binary(cls: type[exp.Binary], left: exp.Expr, right: exp.Expr) -> exp.Expr:
    return cls(this=left, expression=right)


def is_not_null(node: exp.Expr) -> exp.Expr:
    """``node IS NOT NULL`` (sqlglot spells it ``NOT node IS NULL``)."""
    return exp.Not(this=exp.Is(this=node, expression=exp.Null()))


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
            self._scope = set(var_counts([clause.head, *clause.body], shallow=True))

    # ------------------------------------------------------------------ helpers
    def param(self, value: object) -> exp.Parameter:
        name = f"{self._prefix}p{len(self.params)}"
        self.params[name] = value
        return parameter(name)

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
        pending: list[Literal | tuple[exp.Expr, Term, str | None]] = []
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
            out.tables.append(table(atom.rel, alias))
            if i == delta:
                rowid = exp.column("rowid", alias)
                out.where.append(exp.GT(this=rowid, expression=parameter("dlo")))
                out.where.append(exp.LTE(this=rowid.copy(), expression=parameter("dhi")))
            self._bind_atom(atom, alias, out, pending)
        out.atoms = [(positives[i], aliased[i]) for i in range(len(positives))]
        pending.extend(others)
        self._resolve(pending, out)
        return out

    def _bind_atom(self, atom: Atom, alias: str, out: Body, pending: list) -> None:
        cols = self.columns(atom.rel, len(atom.args))
        types = self.schema.types.get(atom.rel, ())
        for j, arg in enumerate(atom.args):
            col = column(alias, cols[j])
            typ = types[j] if j < len(types) else None
            if isinstance(arg, Var):
                if arg.name in out.env:
                    out.where.append(exp.EQ(this=col, expression=out.value(arg.name)))
                else:
                    out.env[arg.name] = col
                    out.types[arg.name] = typ
            elif isinstance(arg, (Str, Num)):
                out.where.append(exp.EQ(this=col, expression=self.param(arg.value)))
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

    def _condition(self, item: Literal | tuple[exp.Expr, Term, str | None], out: Body) -> None:
        if isinstance(item, tuple):
            col, term, typ = item
            out.where.append(exp.EQ(this=col.copy(), expression=self.term(term, out, typ)[0]))
        elif isinstance(item, Comparison):
            self._comparison(item, out)
        elif isinstance(item, Negation):
            out.where.append(self._negation(item.atom, out))
        elif isinstance(item, Constraint):
            out.where.append(self._constraint(item, out))
        elif isinstance(item, BoolLit):
            if not item.value:
                out.where.append(exp.EQ(this=exp.Literal.number(1), expression=_zero()))
        else:
            raise EvaluationError(f"unsupported literal {type(item).__name__}")

    def _comparison(self, cmp: Comparison, out: Body) -> None:
        if cmp.op == "=":
            for var, other in ((cmp.left, cmp.right), (cmp.right, cmp.left)):
                if isinstance(var, Var) and var.name not in out.env:
                    value, typ = self.term(other, out, None)
                    out.env[var.name] = value
                    out.types[var.name] = typ
                    return
        left, ltype = self.term(cmp.left, out, None)
        right, rtype = self.term(cmp.right, out, ltype)
        if ltype is None and rtype is not None and isinstance(cmp.left, (BinOp, UnOp)):
            left = self.term(cmp.left, out, rtype)[0]
        out.where.append(_binary(_COMPARE[cmp.op], left, right))

    def _negation(self, atom: Atom, out: Body) -> exp.Expr:
        alias = self.alias()
        cols = self.columns(atom.rel, len(atom.args))
        types = self.schema.types.get(atom.rel, ())
        inner = Body(tables=[table(atom.rel, alias)])
        for j, arg in enumerate(atom.args):
            if isinstance(arg, Wildcard):
                continue
            typ = types[j] if j < len(types) else None
            value = self.term(arg, out, typ)[0]
            inner.where.append(exp.EQ(this=column(alias, cols[j]), expression=value))
        return exp.Not(this=exp.Exists(this=inner.select()))

    def _constraint(self, c: Constraint, out: Body) -> exp.Expr:
        args = [self.term(a, out, "symbol")[0] for a in c.args]
        found: exp.Expr
        if c.name == "contains" and len(args) == 2:
            position = exp.StrPosition(this=args[1], substr=args[0])
            found = _paren(exp.GT(this=position, expression=_zero()))
        elif c.name == "match" and len(args) == 2:
            name = self.dialect.function("match", ("symbol", "symbol"))
            found = self.dialect.truth(exp.Anonymous(this=name, expressions=args))
        else:
            raise EvaluationError(f"unknown constraint {c.name}/{len(args)}")
        return exp.Not(this=found) if c.negated else found

    # ------------------------------------------------------------------ terms
    def term(self, term: Term, out: Body, want: str | None) -> tuple[exp.Expr, str | None]:
        """Return the expression of ``term`` and its base type (``None`` when unknown)."""
        if isinstance(term, Var):
            if term.name not in out.env:
                raise _Unbound(term.name)
            return out.value(term.name), out.types.get(term.name)
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
            if term.op == "lnot":
                zero = exp.EQ(this=_paren(operand), expression=_zero())
                return self.dialect.to_int(_paren(zero)), "number"
            unary = exp.Neg if term.op == "-" else exp.BitwiseNot
            return _paren(unary(this=operand)), typ
        if isinstance(term, Call):
            return self._call(term, out, want)
        if isinstance(term, Aggregate):
            return self._aggregate(term, out, want)
        if isinstance(term, Wildcard):
            raise EvaluationError("a wildcard _ cannot be used as a value here")
        raise EvaluationError(f"unsupported term {type(term).__name__}")

    def _binop(self, term: BinOp, out: Body, want: str | None) -> tuple[exp.Expr, str | None]:
        hint = want if want in ("float", "number", "unsigned") else None
        left, ltype = self.term(term.left, out, hint)
        right, rtype = self.term(term.right, out, hint or ltype)
        typ = "float" if "float" in (ltype, rtype, want) else (ltype or rtype)
        op = term.op
        if op in ("land", "lor"):
            sides = [exp.NEQ(this=_paren(side), expression=_zero()) for side in (left, right)]
            both = exp.And if op == "land" else exp.Or
            return self.dialect.to_int(_paren(_binary(both, *sides))), "number"
        if op == "/":
            divisor = self.dialect.divisor(right)
            if typ == "float":
                dividend = exp.Cast(this=left, to=cast_type("float"))
                return _paren(exp.Div(this=dividend, expression=divisor, typed=True)), typ
            # The dialect's integer division truncates toward zero, as Soufflé's does.
            if self.dialect.int_div is exp.Div:
                return _paren(exp.Div(this=left, expression=divisor, typed=True)), typ
            return _paren(_binary(self.dialect.int_div, left, divisor)), typ
        if op == "%":
            return _paren(exp.Mod(this=left, expression=self.dialect.divisor(right))), typ
        if op in _INFIX and op not in self.dialect.function_ops:
            return _paren(_binary(_INFIX[op], left, right)), typ
        if op in _FUNCTORS or op in self.dialect.function_ops:
            name = self.dialect.function(op, (ltype, rtype))
            return exp.Anonymous(this=name, expressions=[left, right]), typ
        raise EvaluationError(f"unknown operator {op}")

    def _call(self, call: Call, out: Body, want: str | None) -> tuple[exp.Expr, str | None]:
        name = call.name
        if name in ("min", "max"):
            args = [self.term(a, out, want) for a in call.args]
            if len(args) == 1:
                return args[0]
            typ = next((t for _, t in args if t), None)
            # Multi-argument min()/max() are scalar functions (least/greatest), not aggregates.
            scalar = exp.Least if name == "min" else exp.Greatest
            first, *rest = (a for a, _ in args)
            return scalar(this=first, expressions=rest), typ
        args = [self.term(a, out, None) for a in call.args]
        values = [a for a, _ in args]
        if name == "cat":
            if not values:
                return exp.Literal.string(""), "symbol"
            joined = values[0]
            for value in values[1:]:
                joined = exp.DPipe(this=joined, expression=value)
            return _paren(joined), "symbol"
        if name == "strlen" and len(values) == 1:
            return exp.Length(this=values[0]), "number"
        if name in ("contains", "match") and len(values) == 2:
            found = self._constraint(Constraint(name, call.args), out)
            return self.dialect.to_int(found), "number"
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
            return exp.Anonymous(this=func, expressions=values), result[name]
        raise EvaluationError(f"unknown functor {name}/{len(values)}")

    def _aggregate(
        self, agg: Aggregate, out: Body, want: str | None
    ) -> tuple[exp.Expr, str | None]:
        parts = [*agg.body, *([agg.target] if agg.target is not None else [])]
        inside = var_counts(parts)
        for name in inside:
            # A variable also used outside the aggregate is bound from outside (Soufflé).
            if name in self._scope and name not in out.env:
                raise _Unbound(name)
        scope = Body(env={k: v for k, v in out.env.items() if k in inside and k in self._scope})
        scope.types = {k: out.types.get(k) for k in scope.env}
        saved = self._scope
        self._scope = saved | set(var_counts(parts, shallow=True))
        try:
            inner = self.body(agg.body, outer=scope)
        finally:
            self._scope = saved
        cols: list[exp.Expr] = [
            column(alias, c)
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
        picked = [exp.alias_(c, f"a{i}") for i, c in enumerate(cols)]
        rows = inner.select(*(picked or [exp.alias_(exp.Literal.number(1), "a0")]), distinct=True)
        last = exp.column(f"a{max(len(cols) - 1, 0)}")
        # PostgreSQL (before 16) wants every subquery in FROM named.
        source = exp.Subquery(this=rows, alias=exp.TableAlias(this=exp.to_identifier(self.alias())))
        value: exp.Expr
        if agg.func == "count":
            value, typ = exp.Count(this=exp.Star()), "number"
        elif agg.func == "sum":
            value = exp.Coalesce(this=exp.Sum(this=last), expressions=[_zero()])
        elif agg.func in ("min", "max", "mean") and agg.target is not None:
            func = {"min": exp.Min, "max": exp.Max, "mean": exp.Avg}[agg.func]
            value = func(this=last)
        else:
            raise EvaluationError(f"unknown aggregate {agg.func}")
        found = exp.Subquery(this=exp.Select(expressions=[value]).from_(source, copy=False))
        if agg.func in ("min", "max", "mean"):
            # An empty min/max/mean yields no value, so the clause yields no row (Soufflé).
            out.where.append(is_not_null(found.copy()))
        return found, "float" if agg.func == "mean" else typ

    # ------------------------------------------------------------------ heads
    def head(self, atom: Atom, body: Body) -> list[exp.Expr]:
        types = self.schema.types.get(atom.rel, ())
        return [
            self.term(arg, body, types[j] if j < len(types) else None)[0]
            for j, arg in enumerate(atom.args)
        ]

    def height(self, body: Body) -> exp.Expr:
        heights: list[exp.Expr] = [
            column(alias, HEIGHT_COLUMN)
            for atom, alias in body.atoms
            if atom.rel in self.schema.derived
        ]
        one = exp.Literal.number(1)
        if not heights:
            return one
        if len(heights) == 1:
            return exp.Add(this=heights[0], expression=one)
        tallest = exp.Greatest(this=heights[0], expressions=heights[1:])
        return exp.Add(this=tallest, expression=one)
