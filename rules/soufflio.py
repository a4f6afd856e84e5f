"""Soufflé's fact I/O: read ``.facts`` files and write ``.csv`` files as ``souffle -F -D`` does.

Files are tab-separated by default (``delimiter=`` and ``rfc4180=true`` change that);
symbols are taken verbatim, numbers accept Soufflé's ``0x``/``0b`` prefixes for
unsigned columns.  A bad line is one error ``file:line: error: ...``.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Iterable
from operator import itemgetter
from pathlib import Path
from typing import IO, cast

from deniable.errors import InputError, Location
from deniable.rules.ast import Directive

INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1


def format_value(value: object) -> str:
    """Render one value as Soufflé prints it: ints plainly, floats in shortest ``%g`` form.

    >>> [format_value(v) for v in (3, 2.0, 10.0, 0.5, 1e20, 123456.0, "a b")]
    ['3', '2', '10', '0.5', '1e+20', '123456', 'a b']
    """
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        digits = next(d for d in range(1, 18) if float(f"{value:.{d}g}") == value)
        exponent = math.floor(math.log10(abs(value))) if value else 0
        if -4 <= exponent < 17:
            # Like C++'s `<<` at precision 17: positional unless the exponent is extreme.
            digits = max(digits, exponent + 1)
        return f"{value:.{digits}g}"
    return str(value)


def parse_value(text: str, typ: str) -> object:
    """Convert one field of a facts file to the Python value of base type ``typ``.

    Raises:
        ValueError: when the field is not a value of that type.
    """
    if typ == "symbol":
        return text
    if typ == "float":
        value = float(text)
        return value
    stripped = text.strip()
    if not stripped:
        raise ValueError("empty field")
    if typ == "unsigned":
        base = 16 if stripped[:2] in ("0x", "0X") else 2 if stripped[:2] in ("0b", "0B") else 10
        number = int(stripped[2:] if base != 10 else stripped, base)
        if number < 0 or number > 2**64 - 1:
            raise ValueError("out of range")
        # SQLite integers are signed 64-bit; larger unsigned values are stored wrapped.
        return number - 2**64 if number > INT64_MAX else number
    number = int(stripped, 10)
    if not INT64_MIN <= number <= INT64_MAX:
        raise ValueError("out of range")
    return number


def fact_path(directive: Directive, facts_dir: Path) -> Path:
    """The file an ``.input`` directive reads: ``filename=`` or ``<rel>.facts`` in ``facts_dir``."""
    name = directive.param("filename") or f"{directive.rel}.facts"
    path = Path(name)
    return path if path.is_absolute() else facts_dir / path


def output_path(directive: Directive, out_dir: Path) -> Path:
    """The file an ``.output`` directive writes: ``filename=`` or ``<rel>.csv`` in ``out_dir``."""
    name = directive.param("filename") or f"{directive.rel}.csv"
    path = Path(name)
    return path if path.is_absolute() else out_dir / path


def delimiter_of(directive: Directive) -> tuple[str, bool]:
    """The field delimiter of an I/O directive and whether it reads/writes RFC 4180 CSV."""
    rfc4180 = directive.param("rfc4180", "false") == "true"
    delimiter = directive.param("delimiter") or ("," if rfc4180 else "\t")
    return delimiter.replace("\\t", "\t"), rfc4180


def _split_rfc4180(line: str, delimiter: str) -> list[str]:
    fields: list[str] = []
    pos = 0
    while True:
        if line.startswith('"', pos):
            chars: list[str] = []
            pos += 1
            while True:
                if pos >= len(line):
                    raise ValueError("unbalanced field quote")
                ch = line[pos]
                pos += 1
                if ch == '"' and line.startswith('"', pos):
                    chars.append('"')
                    pos += 1
                elif ch == '"':
                    break
                else:
                    chars.append(ch)
            fields.append("".join(chars))
            if pos < len(line) and not line.startswith(delimiter, pos):
                raise ValueError("separator expected immediately after quoted field")
        else:
            end = line.find(delimiter, pos)
            end = len(line) if end < 0 else end
            fields.append(line[pos:end])
            pos = end
        if pos >= len(line):
            return fields
        pos += len(delimiter)


def read_facts(path: Path, types: tuple[str, ...], directive: Directive) -> list[tuple]:
    """Read the rows of a facts file, converted to ``types``.

    Raises:
        InputError: ``cannot open fact file`` when it is missing, or ``file:line`` for a
            line with the wrong number of fields or a value of the wrong type.
    """
    if not types:
        return [()] if _lines(path, directive) else []
    return list(zip(*read_fact_columns(path, types, directive), strict=True))


def read_fact_columns(
    path: Path, types: tuple[str, ...], directive: Directive
) -> list[list[object]]:
    """Read a facts file column by column (one list of values per type in ``types``).

    Raises:
        InputError: as :func:`read_facts`.
    """
    lines = _lines(path, directive)
    if not types:
        raise ValueError("read_fact_columns needs at least one column; use read_facts")
    delimiter, rfc4180 = delimiter_of(directive)
    # Whole columns at a time: a million facts must load in seconds.
    split = _split_lines(path, lines, delimiter, rfc4180)
    for number, fields in enumerate(split, start=1):
        if len(fields) != len(types):
            raise InputError(
                f"expected {len(types)} fields separated by {delimiter!r} "
                f"for {directive.rel}, found {len(fields)}",
                Location(str(path), number),
            )
    return [_column(path, split, j, typ) for j, typ in enumerate(types)]


def _lines(path: Path, directive: Directive) -> list[str]:
    try:
        data = path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise InputError(
            f"cannot open fact file {path} for relation {directive.rel}; "
            "create it or fix -F/filename=",
            Location(str(path)),
        ) from None
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"cannot read fact file: {error}", Location(str(path))) from None
    if "\r" in data:
        data = data.replace("\r\n", "\n")
    lines = data.split("\n")
    if lines and lines[-1] == "":
        lines.pop()  # the newline ending the last line does not start another one
    return lines


def _split_lines(path: Path, lines: list[str], delimiter: str, rfc4180: bool) -> list[list[str]]:
    if not rfc4180:
        return [line.split(delimiter) for line in lines]
    split = []
    for number, line in enumerate(lines, start=1):
        try:
            split.append(_split_rfc4180(line, delimiter))
        except ValueError as error:
            raise InputError(f"{error}", Location(str(path), number)) from None
    return split


def _column(path: Path, split: list[list[str]], j: int, typ: str) -> list[object]:
    if typ == "symbol":
        return [fields[j] for fields in split]
    if typ == "number":
        # int() in bulk reads what parse_value does (it strips blanks too), at a third of
        # the cost; any bad or out-of-range field sends the column down the exact path.
        try:
            ints = [int(fields[j]) for fields in split]
        except ValueError:
            pass
        else:
            if not ints or (min(ints) >= INT64_MIN and max(ints) <= INT64_MAX):
                return cast("list[object]", ints)
    values: list[object] = []
    for number, fields in enumerate(split, start=1):
        try:
            values.append(parse_value(fields[j], typ))
        except ValueError:
            raise InputError(
                f"cannot convert {fields[j][:60]!r} in column {j + 1} to {typ}",
                Location(str(path), number),
            ) from None
    return values


def _field(value: object, rfc4180: bool) -> str:
    text = format_value(value)
    if rfc4180 and isinstance(value, str):
        return '"' + text.replace('"', '""') + '"'
    return text


def write_rows(
    out: IO[str],
    rows: Iterable[tuple],
    directive: Directive,
    attributes: tuple[str, ...],
    types: tuple[str, ...] = (),
) -> None:
    """Write rows in Soufflé's CSV form (nullary relations print ``()``).

    With ``types`` free of floats (and no ``rfc4180``), every value is written with
    ``str``: the fast path for millions of rows.
    """
    delimiter, rfc4180 = delimiter_of(directive)
    if directive.param("headers", "false") == "true":
        out.write(delimiter.join(attributes) + "\n")
    if not attributes:
        out.write("".join("()\n" for _ in rows))
        return
    if types == ("symbol",) and not rfc4180:
        lines = list(map(itemgetter(0), rows))
    elif types and not rfc4180 and "float" not in types:
        lines = [delimiter.join(map(str, row)) for row in rows]
    else:
        lines = [delimiter.join(_field(v, rfc4180) for v in row) for row in rows]
    if lines:
        out.write("\n".join(lines))
        out.write("\n")


def write_output(
    directive: Directive,
    rows: list[tuple],
    attributes: tuple[str, ...],
    out_dir: Path,
    stdout: IO[str] | None = None,
    types: tuple[str, ...] = (),
) -> Path | None:
    """Store one ``.output`` relation: a file in ``out_dir`` or, with ``IO=stdout``, Soufflé's
    framed listing.  Returns the path written, if any."""
    if directive.param("IO") == "stdout":
        out = stdout or sys.stdout
        out.write(f"---------------\n{directive.rel}\n")
        if directive.param("headers", "false") == "true":
            out.write("\t".join(attributes) + "\n")
        out.write("===============\n")
        plain = Directive(
            directive.kind,
            directive.rel,
            tuple((k, v) for k, v in directive.params if k != "headers"),
        )
        write_rows(out, rows, plain, attributes, types)
        out.write("===============\n")
        return None
    path = output_path(directive, out_dir)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", encoding="utf-8", newline="") as out:
            write_rows(out, rows, directive, attributes, types)
    except OSError as error:
        raise InputError(f"cannot write to {path}: {error.strerror}", Location(str(path))) from None
    return path
