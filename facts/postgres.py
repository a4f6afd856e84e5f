"""Connections to a PostgreSQL server from a DSN; failures as one line that hides the password.

Both PostgreSQL paths use it: the ``postgres`` rule engine (``--engine postgres``)
and ``deniable export --to postgresql://…``.  Statements are written with named
``$name`` parameters (the compiler's DuckDB-style markers) and sent with
server-side positional binding (psycopg's ``RawCursor``), so no value is ever put
into SQL text and no ``%`` in a quoted name is read as a placeholder.
"""

from __future__ import annotations

import os
import re
import urllib.parse
from typing import TYPE_CHECKING, Any

from sqlite_utils.db import quote_identifier

from deniable.errors import Location, ServerError, UsageError

if TYPE_CHECKING:
    import psycopg

#: The environment variable ``--dsn`` defaults to.
DSN_VARIABLE = "DENIABLE_DSN"
#: PostgreSQL cuts identifiers longer than this many bytes (NAMEDATALEN - 1).
MAX_NAME_BYTES = 63

# A quoted identifier, a string literal, or a named parameter: only the last is rewritten.
_TOKENS = re.compile(r'"(?:[^"]|"")*"|\'(?:[^\']|\'\')*\'|\$([A-Za-z_]\w*)')
_PASSWORD_WORD = re.compile(r"(password\s*=\s*)('(?:[^'\\]|\\.)*'|\S+)", re.IGNORECASE)


def resolve_dsn(dsn: str | None) -> str:
    """``dsn``, or ``$DENIABLE_DSN`` when it is not given.

    Raises:
        UsageError: neither is set.
    """
    found = dsn or os.environ.get(DSN_VARIABLE)
    if not found:
        raise UsageError(
            f"the postgres engine needs a server: give --dsn postgresql://… or set ${DSN_VARIABLE}"
        )
    return found


def redact(dsn: str) -> str:
    """``dsn`` with its password (in the URL or as ``password=``) replaced by ``***``.

    >>> redact("postgresql://ann:s3cret@db.example/news")
    'postgresql://ann:***@db.example/news'
    >>> redact("host=db password='a b' dbname=news")
    'host=db password=*** dbname=news'
    """
    if "://" in dsn:
        parts = urllib.parse.urlsplit(dsn)
        netloc = parts.netloc
        if "@" in netloc:
            user, _, host = netloc.rpartition("@")
            if ":" in user:
                user = f"{user.split(':', 1)[0]}:***"
            netloc = f"{user}@{host}"
        query = re.sub(r"(^|&)(password=)[^&]*", r"\1\2***", parts.query)
        return urllib.parse.urlunsplit(parts._replace(netloc=netloc, query=query))
    return _PASSWORD_WORD.sub(r"\1***", dsn)


def connect(dsn: str) -> psycopg.Connection[Any]:
    """Open a connection to ``dsn`` (not in autocommit: the caller commits).

    Raises:
        ServerError: the server cannot be reached or refuses the connection; the
            message names the DSN without its password.
    """
    import psycopg

    try:
        # Never prepared: a table's size changes every round, so a plan made for the
        # first rounds would be kept for the last (planning costs little beside them).
        # UTF-8 on the wire whatever the server's default: text is sent as it is stored.
        return psycopg.connect(
            dsn,
            cursor_factory=psycopg.RawCursor,
            connect_timeout=10,
            prepare_threshold=None,
            client_encoding="utf8",
        )
    except (psycopg.Error, ValueError) as error:
        raise ServerError(
            f"cannot connect to PostgreSQL: {first_line(error)}", Location(redact(dsn))
        ) from None


def first_line(error: BaseException) -> str:
    """The first line of an error's message (psycopg's messages run over several)."""
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def positional(sql: str, params: dict[str, object]) -> tuple[str, list[object]]:
    """``sql`` with its ``$name`` parameters numbered ``$1, $2 …``, and their values in order.

    >>> positional('SELECT $p0, "a$p1" FROM t WHERE x = $p0 AND y = $p2', {"p0": 1, "p2": "b"})
    ('SELECT $1, "a$p1" FROM t WHERE x = $1 AND y = $2', [1, 'b'])
    """
    text, names = numbered(sql)
    return text, [params[name] for name in names]


def numbered(sql: str) -> tuple[str, list[str]]:
    """``sql`` with its ``$name`` parameters numbered, and the names in their numbers' order."""
    numbers: dict[str, int] = {}

    def number(match: re.Match[str]) -> str:
        name = match.group(1)
        if name is None:
            return match.group(0)
        if name not in numbers:
            numbers[name] = len(numbers) + 1
        return f"${numbers[name]}"

    return _TOKENS.sub(number, sql), list(numbers)


def quote_name(name: str) -> str:
    """Quote a schema, table or column name for PostgreSQL, refusing what it would change.

    >>> quote_name('a"b;')
    '"a""b;"'

    Raises:
        ServerError: the name holds a NUL or is longer than PostgreSQL keeps
            (63 bytes), where two names would silently become one.
    """
    if "\x00" in name:
        raise ServerError(f"name {name[:40]!r} contains a NUL character; rename it")
    if len(name.encode()) > MAX_NAME_BYTES:
        raise ServerError(
            f"name {name[:40]!r}… is {len(name.encode())} bytes long; PostgreSQL keeps "
            f"{MAX_NAME_BYTES}: use a shorter name"
        )
    return quote_identifier(name)
