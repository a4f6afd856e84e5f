"""SQL dialects the rule compiler targets: what differs between SQLite, DuckDB and PostgreSQL.

The compiler in :mod:`deniable.rules.sql` builds one plan (joins, semi-naive delta
windows, provenance columns) for every target; a :class:`Dialect` only decides how a
few pieces are spelled: parameter placeholders, column types, integer division,
boolean values, scalar ``min``/``max``, the insert that skips rows already there, what
a zero divisor does, and the functors one target lacks (:mod:`deniable.rules.functors`
supplies them as Python functions the engine registers; on PostgreSQL they are SQL
functions, :mod:`deniable.rules.engines.postgres_functions`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

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


@dataclass(frozen=True, slots=True)
class Dialect:
    """How one SQL target spells the parts of a compiled rule that differ between targets."""

    name: str
    #: Placeholder prefix of a named parameter (``:p0`` in SQLite, ``$p0`` in DuckDB).
    marker: str
    #: Column type of each base type in ``CREATE TABLE``.
    types: dict[str, str] = field(default_factory=dict)
    #: Integer division operator that truncates toward zero, as Soufflé's does.
    int_div: str = "/"
    #: Type a float division casts its dividend to.
    float_type: str = "REAL"
    #: Scalar (not aggregate) minimum and maximum of several values.
    least: str = "min"
    greatest: str = "max"
    #: Whether comparisons are integers already (SQLite) or booleans that need a cast.
    bool_is_int: bool = True
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
    #: The verb of an insert that skips rows already there, and what follows its
    #: ``SELECT`` (PostgreSQL has no ``OR IGNORE``: ``ON CONFLICT DO NOTHING``).
    insert_ignore: str = "INSERT OR IGNORE"
    ignore_suffix: str = ""
    #: Whether a division or remainder by zero fails (PostgreSQL) instead of giving
    #: NULL, so the divisor is wrapped in ``NULLIF(…, 0)`` (Soufflé yields no row).
    zero_divisor_fails: bool = False
    #: How a boolean becomes the integer 0 or 1 (PostgreSQL casts booleans to
    #: ``INTEGER`` only).
    bool_to_int: str = "CAST({} AS BIGINT)"

    def placeholder(self, name: str) -> str:
        """The SQL text of the named parameter ``name``."""
        return f"{self.marker}{name}"

    def to_int(self, sql: str) -> str:
        """A truth value as the integer 0 or 1, as Soufflé's logical operators give."""
        return sql if self.bool_is_int else self.bool_to_int.format(sql)

    def divisor(self, sql: str) -> str:
        """The right operand of ``/`` or ``%``: NULL instead of zero where zero fails.

        >>> POSTGRES.divisor("t1.x"), SQLITE.divisor("t1.x")
        ('NULLIF(t1.x, 0)', 't1.x')
        """
        return f"NULLIF({sql}, 0)" if self.zero_divisor_fails else sql

    def truth(self, sql: str) -> str:
        """An integer-valued functor result used as a condition."""
        return sql if self.bool_is_int else f"(({sql}) <> 0)"

    def function(self, op: str, arg_types: tuple[str | None, ...]) -> str:
        """The name of the registered function implementing ``op`` for ``arg_types``."""
        base = _UDF[op]
        if not self.typed_functions:
            return base
        return f"{base}_{signature(op, arg_types)}"


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
    ":",
    {"symbol": "TEXT", "number": "INTEGER", "unsigned": "INTEGER", "float": "REAL"},
)

DUCKDB = Dialect(
    "duckdb",
    "$",
    {"symbol": "VARCHAR", "number": "BIGINT", "unsigned": "BIGINT", "float": "DOUBLE"},
    int_div="//",
    float_type="DOUBLE",
    least="least",
    greatest="greatest",
    bool_is_int=False,
    cross_join_fixes_order=False,
    unique_in_table=True,
    ignore_skips_nulls=False,
    typed_functions=True,
    function_ops=frozenset({"bshl"}),
)

POSTGRES = Dialect(
    "postgres",
    "$",
    # Byte order for symbols, as SQLite compares them, whatever the server's locale.
    {
        "symbol": 'TEXT COLLATE "C"',
        "number": "BIGINT",
        "unsigned": "BIGINT",
        "float": "DOUBLE PRECISION",
    },
    float_type="DOUBLE PRECISION",
    least="least",
    greatest="greatest",
    bool_is_int=False,
    cross_join_fixes_order=False,
    ignore_skips_nulls=False,
    typed_functions=True,
    # PostgreSQL shifts by the count modulo 64; Soufflé gives 0 from 64 on.
    function_ops=frozenset({"bshl"}),
    insert_ignore="INSERT",
    ignore_suffix=" ON CONFLICT DO NOTHING",
    zero_divisor_fails=True,
    bool_to_int="CAST(CAST({} AS INTEGER) AS BIGINT)",
)


def has_function(op: str) -> bool:
    """Whether ``op`` is implemented by a registered function rather than plain SQL."""
    return op in _UDF
