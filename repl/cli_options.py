"""The shared pieces of the ``deniable`` command line: option types, repeated options, notes.

The parser in ``cli.py`` and the handlers in ``cli_*.py`` both use them; nothing here
imports more than ``argparse`` until an option or handler runs.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from deniable.errors import DeniableError, RuleError, UsageError

if TYPE_CHECKING:
    from deniable.rules.engines.base import Limits


def positive(text: str) -> int:
    """A whole number of at least 1, for argparse ``type=``."""
    try:
        n = int(text)
    except ValueError:
        n = 0
    if n < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {text!r}")
    return n


def size(text: str) -> int:
    """A byte count: a whole number, or one with K, M or G (1024, 1024², 1024³) after it."""
    units = {"k": 1024, "m": 1024**2, "g": 1024**3}
    scale = units.get(text[-1:].lower(), 1)
    n = positive(text[:-1] if scale > 1 else text)
    return n * scale


def limits(args: argparse.Namespace) -> Limits:
    """The evaluation limits given by ``--max-rounds``."""
    from deniable.rules.engines.base import Limits

    return Limits(max_rounds=args.max_rounds)


def note(line: str) -> None:
    """Print a note for the user on stderr, leaving stdout to the answers."""
    print(line, file=sys.stderr)


class DbPath(argparse.Action):
    """Store ``--db`` and note that it was given (the demo ignores $DENIABLE_DB otherwise)."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: str | Sequence[Any] | None,
        option_string: str | None = None,
    ) -> None:
        setattr(namespace, self.dest, values)
        namespace.db_given = True


def global_options(parser: argparse.ArgumentParser, *, default: Any) -> None:
    """Add ``--db`` and ``--debug`` (with ``default`` SUPPRESS on subcommands)."""
    parser.add_argument(
        "--db",
        action=DbPath,
        default=default,
        metavar="PATH",
        help="the fact store (default: $DENIABLE_DB or ./deniable.db)",
    )
    parser.add_argument(
        "--debug",
        action="store_true",
        default=False if default is not argparse.SUPPRESS else argparse.SUPPRESS,
        help="show tracebacks on errors",
    )
    if default is not argparse.SUPPRESS:
        parser.set_defaults(db_given=False)


def print_diagnostic(d: object) -> None:
    """Print one diagnostic line, and its source context when it has one, on stderr."""
    print(str(d), file=sys.stderr)
    context = getattr(d, "context", "")
    if context:
        print(context, file=sys.stderr)


def rules_option(p: argparse.ArgumentParser) -> None:
    """Add ``--rules DIR`` (repeatable)."""
    p.add_argument(
        "--rules",
        action="append",
        default=[],
        metavar="DIR",
        help="extra rule folder (repeatable; ./rules is used when present)",
    )


def engine_option(p: argparse.ArgumentParser) -> None:
    """Add ``--engine``, its PostgreSQL options and ``--max-rounds``."""
    # The package's __init__ only: building the parser imports no engine.
    from deniable.rules.engines import DEFAULT_MAX_ROUNDS, ENGINES

    p.add_argument("--engine", choices=ENGINES, default="sql")
    p.add_argument(
        "--dsn",
        metavar="URL",
        help="the PostgreSQL server of --engine postgres (default: $DENIABLE_DSN)",
    )
    p.add_argument(
        "--keep-schema",
        metavar="NAME",
        help="--engine postgres: derive in schema NAME on the server and keep it "
        "(default: a fresh schema, dropped afterwards)",
    )
    p.add_argument(
        "--max-rounds",
        type=positive,
        default=DEFAULT_MAX_ROUNDS,
        metavar="N",
        help="stop with an error when a recursive rule still derives new rows after N "
        f"rounds (default {DEFAULT_MAX_ROUNDS})",
    )


def no_derive_option(p: argparse.ArgumentParser) -> None:
    """Add ``--no-derive``."""
    p.add_argument(
        "--no-derive",
        dest="derive",
        action="store_false",
        help="answer from the stored conclusions even when they are stale (with a warning)",
    )


def max_nodes_option(p: argparse.ArgumentParser) -> None:
    """Add ``--max-nodes N`` of the contact graph."""
    p.add_argument(
        "--max-nodes",
        type=positive,
        default=60,
        metavar="N",
        help="draw at most N names in the contact graph, those with most contacts (default 60)",
    )


def server_engine(args: argparse.Namespace) -> None:
    """Replace ``--engine postgres`` by the engine itself, built with its ``--dsn``."""
    if getattr(args, "engine", "postgres") != "postgres":
        for option in ("dsn", "keep_schema"):
            if getattr(args, option, None) is not None:
                flag = "--" + option.replace("_", "-")
                raise UsageError(f"{flag} is for --engine postgres; add --engine postgres")
    if getattr(args, "engine", None) == "postgres":
        from deniable.rules.engines import get_engine

        args.engine = get_engine("postgres", dsn=args.dsn, keep_schema=args.keep_schema)


def report_error(error: DeniableError) -> None:
    """Print an error as its one line, or a rule error as one line per diagnostic."""
    if isinstance(error, RuleError):
        for d in error.diagnostics:
            print_diagnostic(d)
        return
    print_diagnostic(error)
