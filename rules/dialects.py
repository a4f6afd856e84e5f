"""SQL dialects the rule compiler targets: what differs between SQLite, DuckDB and PostgreSQL.

The compiler in :mod:`deniable.rules.sql` builds one plan (joins, semi-naive delta
windows, provenance columns) for every target as one sqlglot expression tree a
statement, and a :class:`Dialect` renders it: sqlglot's own dialect spells what it
knows (placeholders, casts, ``least``/``greatest``, string positions, the division that
keeps its operands' type).  The fields here are what sqlglot cannot know: column types
in ``CREATE TABLE``, how the target divides integers the way Soufflé does, booleans as
integers, the insert that skips rows already there, what a NULL or a zero divisor does,
and the functors one target lacks (:mod:`deniable.rules.functors` supplies them as
Python functions the engine registers; on PostgreSQL they are SQL functions,
:mod:`deniable.rules.engines.postgres_functions`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlglot import dialects as glot
from sqlglot import exp
from sqlglot.errors import ErrorLevel
from sqlglot.generator import Generator

# Functors both targets call through registered Python functions (same semantics
# everywhere: Soufflé's wrap-around, its substr and its full-string match).
_UDF = {
    "^": "deniable_pow",
    "bxor": "deniable_bxor",
    "bshru": "deniable_bshru",
    "bshl": "deniable_bshl",
    "substr": "deniable_substr",
    "ord": "deniable_ord",
    "to_string": "deniable_to_string",
    "to_number": "deniable_to_number",
    "to_unsigned": "deniable_to_number",
    "to_float": "deniable_to_float",
    "match": "deniable_match",
}

# The type a cast to each base type names; each target's sqlglot dialect spells it.  As
# members, not names: sqlglot parses a type's name each time it builds one from it.
_CAST_TYPES = {
    "symbol": exp.DataType.Type.TEXT,
    "number": exp.DataType.Type.BIGINT,
    "unsigned": exp.DataType.Type.BIGINT,
    "float": exp.DataType.Type.DOUBLE,
}
_PLAIN_CASTS = frozenset(_CAST_TYPES.values())


class UnaryPlus(exp.Unary):
    """``+x``: SQLite's way to keep a term from using an index (sqlglot drops a unary plus)."""


def _unary_plus_sql(generator: Generator, expression: UnaryPlus) -> str:
    return f"+{generator.sql(expression, 'this')}"


def _sqlite_cast_sql(generator: Generator, expression: exp.Cast) -> str:
    # sqlglot's SQLite cast first builds five date and time types from their names, a
    # parse each, to spell casts to them as functions: two thirds of rendering a small
    # statement.  A cast to a base type needs none of it.
    if expression.to.this in _PLAIN_CASTS:
        return Generator.cast_sql(generator, expression)
    return glot.SQLite.Generator.cast_sql(generator, expression)


def _target(base: type[glot.Dialect]) -> glot.Dialect:
    """``base`` with :class:`UnaryPlus`, as a dialect instance rendering is given."""
    transforms = {**base.Generator.TRANSFORMS, UnaryPlus: _unary_plus_sql}
    if base is glot.SQLite:
        transforms[exp.Cast] = _sqlite_cast_sql
    generator = type("Generator", (base.Generator,), {"TRANSFORMS": transforms})
    return type(f"Deniable{base.__name__}", (base,), {"Generator": generator})()


@dataclass(frozen=True, slots=True)
class Dialect:
    """How one SQL target renders a compiled rule, and what it does that sqlglot cannot know."""

    name: str
    #: The sqlglot dialect that renders every statement.
    target: glot.Dialect = field(repr=False, compare=False)
    #: Column type of each base type in ``CREATE TABLE``.
    types: dict[str, str] = field(default_factory=dict)
    #: The integer division that truncates toward zero, as Soufflé's does: ``/`` keeping
    #: its operands' type (SQLite, PostgreSQL) or DuckDB's ``//`` (its ``/`` gives floats).
    int_div: type[exp.Div] | type[exp.IntDiv] = exp.Div
    #: Casts that make a boolean the integer 0 or 1, innermost first (SQLite's
    #: comparisons are integers already; PostgreSQL casts booleans to ``INTEGER`` only).
    bool_casts: tuple[str, ...] = ()
    #: Whether ``CROSS JOIN`` fixes the join order (SQLite) or is just a join (DuckDB).
    cross_join_fixes_order: bool = True
    #: Whether set semantics is a ``UNIQUE`` constraint in the table (DuckDB's
    #: ``INSERT OR IGNORE`` needs one) rather than a separate unique index.
    unique_in_table: bool = False
    #: Whether ``INSERT OR IGNORE`` skips a row with NULL in a NOT NULL column (SQLite)
    #: rather than failing (DuckDB).
    ignore_skips_nulls: bool = True
    #: Whether functor calls carry a type suffix (DuckDB's Python functions are
    #: registered once per argument type; SQLite's take any value).
    typed_functions: bool = False
    #: Operators the target has but spells with other semantics, called as functions
    #: instead (DuckDB refuses to shift a negative number left; Soufflé wraps around).
    function_ops: frozenset[str] = frozenset()
    #: Whether the insert that skips rows already there is ``ON CONFLICT DO NOTHING``
    #: (PostgreSQL has no ``INSERT OR IGNORE``).
    on_conflict: bool = False
    #: Whether a division or remainder by zero fails (PostgreSQL) instead of giving
    #: NULL, so the divisor is wrapped in ``NULLIF(…, 0)`` (Soufflé yields no row).
    zero_divisor_fails: bool = False

    def render(self, expression: exp.Expr) -> str:
        """The SQL text of ``expression`` in this target; ``expression`` is spent (rendering
        may rewrite it).

        >>> POSTGRES.render(exp.Parameter(this=exp.var("p0")))
        '$p0'
        """
        # A construct the target cannot spell is a compiler bug: fail rather than log it.
        # Not a copy: sqlglot's generator may rewrite the tree, but every tree is built
        # for one statement and dropped once rendered (the copy was a sixth of compiling).
        return expression.sql(dialect=self.target, unsupported_level=ErrorLevel.RAISE, copy=False)

    def skip_existing(self, insert: exp.Insert) -> exp.Insert:
        """``insert`` made to skip the rows already in its table (set semantics)."""
        if self.on_conflict:
            insert.set("conflict", exp.OnConflict(action=exp.var("DO NOTHING")))
        else:
            insert.set("alternative", "IGNORE")
        return insert

    def to_int(self, condition: exp.Expr) -> exp.Expr:
        """A truth value as the integer 0 or 1, as Soufflé's logical operators give."""
        for typ in self.bool_casts:
            condition = exp.Cast(this=condition, to=exp.DataType.build(typ))
        return condition

    def divisor(self, operand: exp.Expr) -> exp.Expr:
        """The right operand of ``/`` or ``%``: NULL instead of zero where zero fails.

        >>> POSTGRES.render(POSTGRES.divisor(exp.column("x", "t1")))
        'NULLIF(t1.x, 0)'
        """
        if not self.zero_divisor_fails:
            return operand
        return exp.Nullif(this=operand, expression=exp.Literal.number(0))

    def truth(self, value: exp.Expr) -> exp.Expr:
        """An integer-valued functor result used as a condition."""
        if not self.bool_casts:
            return value
        return exp.Paren(this=exp.NEQ(this=exp.Paren(this=value), expression=exp.Literal.number(0)))

    def function(self, op: str, arg_types: tuple[str | None, ...]) -> str:
        """The name of the registered function implementing ``op`` for ``arg_types``."""
        base = _UDF[op]
        if not self.typed_functions:
            return base
        return f"{base}_{signature(op, arg_types)}"


def cast_type(typ: str | None) -> exp.DataType:
    """The type a value is cast to as base type ``typ`` (an integer when unknown)."""
    return exp.DataType.build(_CAST_TYPES.get(typ or "", exp.DataType.Type.BIGINT))


_TYPE_LETTER = {"symbol": "s", "number": "i", "unsigned": "i", "float": "f"}
# Argument letters of each functor with a fixed signature; the others take any one value.
_FIXED = {"bxor": "ii", "bshru": "ii", "bshl": "ii", "substr": "sii", "ord": "s", "match": "ss"}


def signature(op: str, arg_types: tuple[str | None, ...]) -> str:
    """Letters (``s`` symbol, ``i`` integer, ``f`` float) of the variant ``op`` is called as.

    >>> signature("^", ("number", "float")), signature("to_string", (None,))
    ('ff', 's')
    """
    if op in _FIXED:
        return _FIXED[op]
    letters = [_TYPE_LETTER.get(t or "", "") for t in arg_types]
    if op == "^":
        return "ff" if "f" in letters else "ii"
    return "".join(letter or "s" for letter in letters)


#: Every variant a typed dialect's engine registers: (functor, signature).
SIGNATURES: tuple[tuple[str, str], ...] = (
    ("^", "ii"),
    ("^", "ff"),
    *((op, sig) for op, sig in _FIXED.items()),
    *((op, t) for op in ("to_string", "to_number", "to_float") for t in "sif"),
)

SQLITE = Dialect(
    "sqlite",
    _target(glot.SQLite),
    {"symbol": "TEXT", "number": "INTEGER", "unsigned": "INTEGER", "float": "REAL"},
)

# DuckDB's and PostgreSQL's sqlglot dialects take 15-20 ms to import, which a
# `deniable run` on SQLite would spend for nothing: each is built on first use.
DUCKDB: Dialect
POSTGRES: Dialect


def _duckdb() -> Dialect:
    return Dialect(
        "duckdb",
        _target(glot.DuckDB),
        {"symbol": "VARCHAR", "number": "BIGINT", "unsigned": "BIGINT", "float": "DOUBLE"},
        int_div=exp.IntDiv,
        bool_casts=("BIGINT",),
        cross_join_fixes_order=False,
        unique_in_table=True,
        ignore_skips_nulls=False,
        typed_functions=True,
        function_ops=frozenset({"bshl"}),
    )


def _postgres() -> Dialect:
    return Dialect(
        "postgres",
        _target(glot.Postgres),
        # Byte order for symbols, as SQLite compares them, whatever the server's locale.
        {
            "symbol": 'TEXT COLLATE "C"',
            "number": "BIGINT",
            "unsigned": "BIGINT",
            "float": "DOUBLE PRECISION",
        },
        bool_casts=("INTEGER", "BIGINT"),
        cross_join_fixes_order=False,
        ignore_skips_nulls=False,
        typed_functions=True,
        # PostgreSQL shifts by the count modulo 64; Soufflé gives 0 from 64 on.
        function_ops=frozenset({"bshl"}),
        on_conflict=True,
        zero_divisor_fails=True,
    )


_LAZY = {"DUCKDB": _duckdb, "POSTGRES": _postgres}


def __getattr__(name: str) -> Dialect:
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    dialect = globals()[name] = _LAZY[name]()
    return dialect


def has_function(op: str) -> bool:
    """Whether ``op`` is implemented by a registered function rather than plain SQL."""
    return op in _UDF
