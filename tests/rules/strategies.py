"""Hypothesis strategies: random safe, stratified rule programs over hostile names, with facts.

Programs are built as AST values (never as text), so relation, attribute and
constant names can be anything SQLite must quote: quotes, ``;``, ``--``, spaces,
non-ASCII, a 10 kB string.  Safety and stratification hold by construction:

* input (EDB) relations have stored rows only; derived (IDB) relation ``i`` sits at
  level ``i`` and reads EDBs and IDBs ``0..i`` positively (``i`` itself: recursion)
  but negates only EDBs and IDBs ``0..i-1``;
* every head variable, compared variable and non-wildcard negated variable is bound
  by a positive body atom or by an ``=`` whose other side is bound;
* arithmetic (``+ - *`` on numbers) appears only in rules that are not recursive, so
  every relation stays finite;
* values are typed per column (``number`` ints or ``symbol`` strings), so joins,
  comparisons and constants never mix types.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from hypothesis import strategies as st
from sqlite_utils import Database

from deniable.rules.ast import (
    Atom,
    Attribute,
    BinOp,
    Clause,
    Comparison,
    Decl,
    Literal,
    Negation,
    Num,
    Program,
    Str,
    Term,
    Var,
    Wildcard,
)

TYPES = ("number", "symbol")
NUMBERS = (-3, -1, 0, 1, 2, 3, 5, 8, 13, 2**31)
FACTORS = (-1, 0, 2, 3)
SYMBOLS = (
    "",
    "a",
    "b",
    "O'Brien",
    'say "hi"',
    "x; DROP TABLE edge; --",
    "-- comment",
    "\x00nul",
    "naïve",
    "日本",
    "line\nbreak",
    "tab\tbell\x07\x1f\r",
    "True",
    "??",
    "X",
    "_",
    "z" * 10_000,
)
# Distinct without regard to case: SQLite table names are case-insensitive.
EDB_NAMES = ("edge", "in put", 'q"uote', "semi;colon", "--dash", "naïve_ß", "x'y", "select")
IDB_NAMES = ("path", "reach", 'r"1', "drop table", "ünï", "p;q", "out--", "Ω")
ATTRIBUTE_NAMES = ("a", "b", "c", "x y", 'c"1', "_rule", "é")
COMPARE = ("=", "!=", "<", "<=", ">", ">=")
ARITHMETIC = ("+", "-", "*")


@dataclass(frozen=True)
class Relation:
    """A generated relation: its name, attribute names and base types."""

    name: str
    attributes: tuple[str, ...]
    types: tuple[str, ...]


@dataclass
class GeneratedCase:
    """A random program with the rows of its input relations."""

    edb: list[Relation]
    idb: list[Relation]
    clauses: list[Clause]
    # A few numbers and symbols per example, so joins and constants meet often.
    domain: dict[str, list[Any]] = field(default_factory=dict)
    rows: dict[str, list[tuple[Any, ...]]] = field(default_factory=dict)

    @property
    def program(self) -> Program:
        """The program with a ``.decl`` for every relation."""
        decls = tuple(
            Decl(
                r.name, tuple(Attribute(a, t) for a, t in zip(r.attributes, r.types, strict=False))
            )
            for r in [*self.edb, *self.idb]
        )
        return Program(decls=decls, clauses=tuple(self.clauses))

    def load(self, db: Database) -> None:
        """Create and fill one table per input relation."""
        for rel in self.edb:
            columns = {
                a: (int if t == "number" else str)
                for a, t in zip(rel.attributes, rel.types, strict=False)
            }
            table = db.table(rel.name)
            table.create(columns)
            records = [
                dict(zip(rel.attributes, row, strict=False)) for row in self.rows.get(rel.name, [])
            ]
            if records:
                table.insert_all(records)

    def describe(self) -> str:
        """A readable listing for failure messages (names repr'd, long strings cut)."""
        return "\n".join(_show_clause(c) for c in self.clauses)


def _show_term(t: Term) -> str:
    if isinstance(t, Var):
        return t.name
    if isinstance(t, Wildcard):
        return "_"
    if isinstance(t, (Str, Num)):
        text = repr(t.value)
        return text if len(text) < 30 else text[:27] + "..."
    if isinstance(t, BinOp):
        return f"({_show_term(t.left)} {t.op} {_show_term(t.right)})"
    return type(t).__name__


def _show_lit(lit: Literal) -> str:
    if isinstance(lit, Atom):
        return f"{lit.rel!r}({', '.join(_show_term(a) for a in lit.args)})"
    if isinstance(lit, Negation):
        return "!" + _show_lit(lit.atom)
    if isinstance(lit, Comparison):
        return f"{_show_term(lit.left)} {lit.op} {_show_term(lit.right)}"
    return type(lit).__name__


def _show_clause(c: Clause) -> str:
    body = ", ".join(_show_lit(b) for b in c.body)
    return f"[{c.index}] {_show_lit(c.head)}" + (f" :- {body}." if body else ".")


def values(kind: str, domain: dict[str, list[Any]]) -> st.SearchStrategy[Any]:
    """Constants of base type ``kind`` from this example's small domain."""
    return st.sampled_from(domain[kind])


@st.composite
def relations(draw: st.DrawFn, names: tuple[str, ...], count: int) -> list[Relation]:
    """``count`` relations with distinct names from ``names``, arity 1-3."""
    chosen = draw(st.lists(st.sampled_from(names), min_size=count, max_size=count, unique=True))
    out = []
    for name in chosen:
        arity = draw(st.integers(1, 3))
        attrs = draw(
            st.lists(
                st.sampled_from(ATTRIBUTE_NAMES),
                min_size=arity,
                max_size=arity,
                unique_by=str.lower,
            )
        )
        types = tuple(draw(st.sampled_from(TYPES)) for _ in range(arity))
        out.append(Relation(name, tuple(attrs), types))
    return out


class _RuleBuilder:
    """Draws one rule for a head relation, keeping track of bound, typed variables."""

    def __init__(self, draw: st.DrawFn, head: Relation, level: int, case: GeneratedCase) -> None:
        self.draw = draw
        self.head = head
        self.level = level
        self.case = case
        self.bound: dict[str, str] = {}
        self.body: list[Literal] = []

    def var_for(self, kind: str) -> Var:
        prefix = "N" if kind == "number" else "S"
        return Var(f"{prefix}{self.draw(st.integers(0, 2))}")

    def bound_of(self, kind: str) -> list[str]:
        return sorted(n for n, k in self.bound.items() if k == kind)

    def positive(self, rel: Relation) -> None:
        args: list[Term] = []
        for kind in rel.types:
            choice = self.draw(st.sampled_from(("var", "var", "var", "const", "wild")))
            if choice == "var":
                var = self.var_for(kind)
                self.bound[var.name] = kind
                args.append(var)
            elif choice == "const":
                args.append(_const(self.draw(values(kind, self.case.domain))))
            else:
                args.append(Wildcard())
        self.body.append(Atom(rel.name, tuple(args)))

    def operand(self, kind: str) -> Term:
        names = self.bound_of(kind)
        if names and self.draw(st.booleans()):
            return Var(self.draw(st.sampled_from(names)))
        return _const(self.draw(values(kind, self.case.domain)))

    def number_expr(self, recursive: bool) -> Term:
        names = self.bound_of("number")
        base: Term = Var(self.draw(st.sampled_from(names))) if names else _const(1)
        if recursive or not self.draw(st.booleans()):
            return base
        op = self.draw(st.sampled_from(ARITHMETIC))
        return BinOp(op, base, self.factor() if op == "*" else self.operand("number"))

    def factor(self) -> Term:
        # Products stay within 64 bits: only small constant factors.
        return _const(self.draw(st.sampled_from(FACTORS)))

    def comparison(self, recursive: bool) -> None:
        kinds = [k for k in TYPES if self.bound_of(k)]
        if not kinds:
            return
        kind = self.draw(st.sampled_from(kinds))
        left: Term = Var(self.draw(st.sampled_from(self.bound_of(kind))))
        if kind == "number" and not recursive and self.draw(st.booleans()):
            op = self.draw(st.sampled_from(ARITHMETIC))
            left = BinOp(op, left, self.factor() if op == "*" else self.operand("number"))
        op = self.draw(st.sampled_from(COMPARE))
        self.body.append(Comparison(op, left, self.operand(kind)))

    def binding(self) -> None:
        if not self.bound_of("number"):
            return
        name = f"E{len(self.bound)}"
        expr = self.number_expr(recursive=False)
        self.body.append(Comparison("=", Var(name), expr))
        self.bound[name] = "number"

    def negation(self, rel: Relation) -> None:
        args: list[Term] = []
        for kind in rel.types:
            names = self.bound_of(kind)
            choice = self.draw(st.sampled_from(("var", "const", "wild")))
            if choice == "var" and names:
                args.append(Var(self.draw(st.sampled_from(names))))
            elif choice == "wild":
                args.append(Wildcard())
            else:
                args.append(_const(self.draw(values(kind, self.case.domain))))
        self.body.append(Negation(Atom(rel.name, tuple(args))))

    def head_atom(self, recursive: bool) -> Atom:
        args: list[Term] = []
        for kind in self.head.types:
            names = self.bound_of(kind)
            if names and self.draw(st.integers(0, 4)) > 0:
                if kind == "number":
                    args.append(self.number_expr(recursive))
                else:
                    args.append(Var(self.draw(st.sampled_from(names))))
            else:
                args.append(_const(self.draw(values(kind, self.case.domain))))
        return Atom(self.head.name, tuple(args))

    def build(self, index: int) -> Clause:
        positives = [*self.case.edb, *self.case.idb[: self.level + 1]]
        negatable = [*self.case.edb, *self.case.idb[: self.level]]
        for _ in range(self.draw(st.integers(1, 3))):
            self.positive(self.draw(st.sampled_from(positives)))
        recursive = any(isinstance(lit, Atom) and lit.rel == self.head.name for lit in self.body)
        if not recursive and self.draw(st.integers(0, 3)) == 0:
            self.binding()
        for _ in range(self.draw(st.integers(0, 1))):
            self.comparison(recursive)
        if self.draw(st.integers(0, 3)) == 0:
            self.negation(self.draw(st.sampled_from(negatable)))
        order = self.draw(st.permutations(range(len(self.body))))
        # Literal order must not matter to either engine: shuffle it.
        body = tuple(self.body[i] for i in order)
        return Clause(self.head_atom(recursive), body, index=index)


def _const(value: Any) -> Term:
    return Num(value) if isinstance(value, int) else Str(value)


@st.composite
def programs(draw: st.DrawFn) -> GeneratedCase:
    """A random safe, stratified program with rows for its input relations."""
    n_edb = draw(st.integers(1, 3))
    n_idb = draw(st.integers(1, 3))
    edb = draw(relations(EDB_NAMES, n_edb))
    idb = draw(relations(IDB_NAMES, n_idb))
    taken = {r.name.lower() for r in edb}
    idb = [r for r in idb if r.name.lower() not in taken] or [
        Relation("derived", ("a",), ("number",))
    ]
    domain = {
        "number": draw(st.lists(st.sampled_from(NUMBERS), min_size=2, max_size=4, unique=True)),
        "symbol": draw(st.lists(st.sampled_from(SYMBOLS), min_size=2, max_size=4, unique=True)),
    }
    case = GeneratedCase(edb, idb, [], domain)
    for level, rel in enumerate(idb):
        for _ in range(draw(st.integers(1, 3))):
            builder = _RuleBuilder(draw, rel, level, case)
            case.clauses.append(builder.build(len(case.clauses)))
        if draw(st.integers(0, 3)) == 0:
            fact = Atom(rel.name, tuple(_const(draw(values(k, domain))) for k in rel.types))
            case.clauses.append(Clause(fact, (), index=len(case.clauses)))
    for rel in edb:
        row = st.tuples(*(values(k, domain) for k in rel.types))
        case.rows[rel.name] = draw(st.lists(row, min_size=2, max_size=8, unique=True))
    return case
