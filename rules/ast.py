"""The abstract syntax of rule programs: frozen dataclasses, each node with its Span.

The parser produces a :class:`Program`; disjunctions (``;``) and multiple heads
are already expanded there, so every :class:`Clause` has exactly one head atom
and a conjunctive body.  Checks, strata, engines and explanations consume these
nodes and never see rule text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from deniable.errors import Location


@dataclass(frozen=True, slots=True)
class Span:
    """Where a node stands in its source: 1-based lines and columns, end exclusive."""

    path: str
    line: int
    column: int
    end_line: int = 0
    end_column: int = 0

    @property
    def location(self) -> Location:
        return Location(self.path, self.line, self.column)


NO_SPAN = Span("<generated>", 0, 0)


def _span() -> Span:
    return field(default=NO_SPAN, compare=False, repr=False)  # type: ignore[return-value]


class BaseType(StrEnum):
    """Soufflé's primitive types."""

    SYMBOL = "symbol"
    NUMBER = "number"
    UNSIGNED = "unsigned"
    FLOAT = "float"


# ----------------------------------------------------------------------------- terms


@dataclass(frozen=True, slots=True)
class Var:
    """A named variable; identifiers in argument positions are variables, as in Soufflé."""

    name: str
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class Wildcard:
    """``_``: a fresh variable that is never read."""

    span: Span = _span()


@dataclass(frozen=True, slots=True)
class Str:
    """A string constant (a ``symbol``); ``value`` is unescaped."""

    value: str
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class Num:
    """A numeric constant: ``int`` for number/unsigned literals, ``float`` for floats."""

    value: int | float
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class BinOp:
    """Binary arithmetic or bitwise operation.

    ``op`` is one of ``+ - * / % ^`` (``^`` is power, as in Soufflé) or ``band bor
    bxor bshl bshr bshru land lor``.
    """

    op: str
    left: Term
    right: Term
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class UnOp:
    """Unary ``-``, ``bnot`` or ``lnot``."""

    op: str
    operand: Term
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class Call:
    """A functor call used as a value: ``cat strlen substr ord to_string to_number min max``
    (``contains`` and ``match`` are constraints, see :class:`Constraint`)."""

    name: str
    args: tuple[Term, ...]
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class Aggregate:
    """``count : { body }``, ``sum x : { body }``, ``min``, ``max``, ``mean``.

    ``target`` is ``None`` for ``count``.  Variables of ``body`` that do not occur
    outside the aggregate are local to it, as in Soufflé.
    """

    func: str
    target: Term | None
    body: tuple[Literal, ...]
    span: Span = _span()


Term = Var | Wildcard | Str | Num | BinOp | UnOp | Call | Aggregate

# ----------------------------------------------------------------------------- literals


@dataclass(frozen=True, slots=True)
class Atom:
    """``rel(t1, ..., tn)``; a nullary atom has ``args == ()``."""

    rel: str
    args: tuple[Term, ...]
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class Negation:
    """``!atom`` (also written ``not atom``)."""

    atom: Atom
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class Comparison:
    """``left op right`` with ``op`` in ``= != < <= > >=``."""

    op: str
    left: Term
    right: Term
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class Constraint:
    """A functor used as a condition: ``contains(sub, s)`` or ``match(regex, s)``;
    ``negated`` for ``!contains(...)``."""

    name: str
    args: tuple[Term, ...]
    negated: bool = False
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class BoolLit:
    """``true`` or ``false`` in a body."""

    value: bool
    span: Span = _span()


Literal = Atom | Negation | Comparison | Constraint | BoolLit

# ----------------------------------------------------------------------------- clauses


@dataclass(frozen=True, slots=True)
class Clause:
    """One head and a conjunctive body; a fact has an empty body.

    ``index`` numbers clauses in program order after expansion (stable, used as
    the rule id in provenance); ``origin`` is the span of the whole source rule
    this clause was expanded from, so explanations can quote it.
    """

    head: Atom
    body: tuple[Literal, ...]
    index: int = 0
    span: Span = _span()
    origin: Span = _span()
    text: str = field(default="", compare=False, repr=False)

    @property
    def is_fact(self) -> bool:
        return not self.body


# ----------------------------------------------------------------------------- declarations


@dataclass(frozen=True, slots=True)
class Attribute:
    """One ``name: type`` of a ``.decl``."""

    name: str
    type: str
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class Decl:
    """``.decl rel(attr: type, ...)``."""

    name: str
    attributes: tuple[Attribute, ...]
    span: Span = _span()

    @property
    def arity(self) -> int:
        return len(self.attributes)


@dataclass(frozen=True, slots=True)
class TypeDecl:
    """``.type Name <: base`` (a subtype) or ``.type Name = A | B`` (a union)."""

    name: str
    bases: tuple[str, ...]
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class Directive:
    """``.input``, ``.output`` or ``.printsize`` with Soufflé's I/O parameters."""

    kind: str
    rel: str
    params: tuple[tuple[str, str], ...] = ()
    span: Span = _span()

    def param(self, key: str, default: str | None = None) -> str | None:
        for k, v in self.params:
            if k == key:
                return v
        return default


@dataclass(frozen=True, slots=True)
class Program:
    """A parsed program: declarations, directives and expanded clauses, in source order."""

    decls: tuple[Decl, ...] = ()
    types: tuple[TypeDecl, ...] = ()
    directives: tuple[Directive, ...] = ()
    clauses: tuple[Clause, ...] = ()
    # Paths of every file read (the main one first, then #include'd ones).
    sources: tuple[str, ...] = ()
