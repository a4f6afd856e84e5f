"""Python implementations of the operators and functors SQLite lacks (power, regex match, ...).

The SQL engine registers :data:`FUNCTIONS` on its connection as deterministic
functions; :mod:`deniable.rules.sql` calls them by these names.  NULL in, NULL
out: a row whose value is NULL (division by zero, bad number) is dropped.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Any


def _wrap64(value: int) -> int:
    # Soufflé's numbers wrap around like C integers; SQLite would overflow instead.
    return (value + 2**63) % 2**64 - 2**63


def _pow(base: object, exp: object) -> object:
    if base is None or exp is None:
        return None
    if isinstance(base, int) and isinstance(exp, int):
        if exp < 0:
            return 0 if abs(base) != 1 else base**exp
        return _wrap64(pow(base, exp, 2**64) if exp > 64 else base**exp)
    try:
        return float(base) ** float(exp)  # type: ignore[arg-type]
    except (OverflowError, ZeroDivisionError, ValueError):
        return None


def _bxor(a: int | None, b: int | None) -> int | None:
    return None if a is None or b is None else a ^ b


def _bshru(a: int | None, b: int | None) -> int | None:
    if a is None or b is None or b < 0:
        return None
    return _wrap64((a % 2**64) >> b)


def _bshl(a: int | None, b: int | None) -> int | None:
    if a is None or b is None or b < 0:
        return None
    return 0 if b >= 64 else _wrap64(a << b)


def _substr(s: str | None, start: int | None, length: int | None) -> str | None:
    if s is None or start is None or length is None:
        return None
    if start < 0 or start > len(s):
        return ""  # Soufflé warns and yields the empty string
    return s[start:] if length < 0 else s[start : start + length]


def _ord(s: str | None) -> int | None:
    return ord(s[0]) if s else None


def _to_string(value: object) -> str | None:
    from deniable.rules.soufflio import format_value

    return None if value is None else format_value(value)


def _to_number(value: object) -> int | None:
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value)
    try:
        return _wrap64(int(str(value).strip(), 10))
    except ValueError:
        return None


def _to_float(value: object) -> float | None:
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


# Python syntax that ECMAScript (std::regex, which Soufflé uses) does not have: groups
# other than (?: (?= (?! — named, inline flags, lookbehind, atomic, comments,
# conditionals — and the anchors and escapes \A \Z \z \G \N.
_NOT_ECMASCRIPT = re.compile(r"\(\?(?![:=!])|\\[AZzGN]")


@functools.lru_cache(maxsize=256)
def _regex(pattern: str) -> re.Pattern[str] | None:
    if _NOT_ECMASCRIPT.search(_without_classes(pattern)):
        return None
    try:
        return re.compile(pattern)
    except re.error:
        return None


def _without_classes(pattern: str) -> str:
    # Inside [...] a "(?" or "\A" is literal characters; blank the classes out first.
    return re.sub(r"\[(?:\\.|[^\]\\])*\]", "[]", re.sub(r"\\\\", "", pattern))


def _match(pattern: str | None, s: str | None) -> int | None:
    """``match(pattern, s)``: Soufflé's std::regex_match, so the whole string must match.

    A pattern that is not a valid ECMAScript regular expression gives NULL: Soufflé
    warns and the constraint is false, and so is its negation.
    """
    if pattern is None or s is None:
        return 0
    compiled = _regex(pattern)
    if compiled is None:
        return None
    return int(compiled.fullmatch(s) is not None)


FUNCTIONS: dict[str, tuple[int, Callable[..., Any]]] = {
    "deniable_pow": (2, _pow),
    "deniable_bxor": (2, _bxor),
    "deniable_bshru": (2, _bshru),
    "deniable_bshl": (2, _bshl),
    "deniable_substr": (3, _substr),
    "deniable_ord": (1, _ord),
    "deniable_to_string": (1, _to_string),
    "deniable_to_number": (1, _to_number),
    "deniable_to_float": (1, _to_float),
    "deniable_match": (2, _match),
}
