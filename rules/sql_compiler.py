"""The compiler of one clause's literals to SQL: bodies (joins, conditions), terms, heads.

:class:`Compiler` turns a conjunction into FROM items, WHERE conditions and variable
bindings (:class:`Body`), each term into an SQL expression with its base type, and an
aggregate into a correlated subquery; constants become named parameters.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

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
from deniable.rules.sql_plan import join_order, var_counts
from deniable.rules.sql_schema import HEIGHT_COLUMN, Schema, quote


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
            self._scope = set(var_counts([clause.head, *clause.body], shallow=True))

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
