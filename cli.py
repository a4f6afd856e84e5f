"""The ``deniable`` command line: parse arguments, call one library function, print.

Each handler (in ``deniable.repl.cli_*``) is a thin translation from arguments to a
library call; the work lives in the subpackages.  Every
:class:`~deniable.errors.DeniableError` becomes one line on stderr and exit status 1
(2 for usage errors); ``--debug`` shows tracebacks for anything else.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from rich.console import Console

from deniable.errors import DeniableError, UsageError
from deniable.repl.cli_conclusions import (
    check_command,
    demo_command,
    derive_command,
    graph_command,
    query_command,
    repl_command,
    report_command,
    run_command,
    why_command,
)
from deniable.repl.cli_export import export_command
from deniable.repl.cli_facts import (
    entities_command,
    extract_command,
    gc_command,
    history_command,
    ingest_command,
    restore_command,
    review_command,
    score_command,
)
from deniable.repl.cli_options import (
    engine_option,
    global_options,
    max_nodes_option,
    no_derive_option,
    positive,
    report_error,
    rules_option,
    server_engine,
    size,
)

DEFAULT_DB = "deniable.db"

# deniable multiplies no matrices, but NumPy (imported by sqlite-utils, and by the DuckDB
# engine for its bulk copies) starts an OpenBLAS thread pool whose worker spins a second
# core for 50-60 ms after the import, inside the command's time. A user's setting wins.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

Handler = Callable[[argparse.Namespace, Console], int | None]


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("deniable")
    except PackageNotFoundError:  # running from a checkout that was never installed
        return "0+unknown"


class _VersionAction(argparse.Action):
    """``--version``, looking the version up only when asked.

    ``importlib.metadata`` scans every installed distribution to find ours: 2-20 ms,
    which argparse's own ``version=`` would spend on every command.
    """

    def __init__(self, option_strings: Sequence[str], dest: str = argparse.SUPPRESS) -> None:
        super().__init__(
            option_strings,
            dest,
            default=argparse.SUPPRESS,
            nargs=0,
            help="show program's version number and exit",
        )

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: str | Sequence[object] | None,
        option_string: str | None = None,
    ) -> None:
        print(f"deniable {_version()}")
        parser.exit()


def _default_db() -> str:
    return os.environ.get("DENIABLE_DB") or DEFAULT_DB


# --------------------------------------------------------------------------- parser


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """Return the argument parser of the ``deniable`` command.

    With ``command``, the parser knows that one subcommand only: what :func:`main` builds
    once it knows which one ``argv`` names.  All eighteen cost every command 3-4 ms, as
    argparse looks up its translations and the terminal's width for each option.
    """
    parser = argparse.ArgumentParser(
        prog="deniable",
        description="A fact database with a Datalog query layer: check what officials "
        "say against what is reported.",
    )
    parser.add_argument("--version", action=_VersionAction)
    global_options(parser, default=_default_db())
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    # The same options again on every subcommand, so `deniable ingest --db x.db DIR` works.
    # Their default is SUPPRESS: a subcommand that was not given them must not reset the
    # value parsed before the subcommand's name.
    common = argparse.ArgumentParser(add_help=False)
    global_options(common, default=argparse.SUPPRESS)
    for name, handler, help_text, arguments in _SUBCOMMANDS:
        if command is None or name == command:
            p = sub.add_parser(name, help=help_text, description=help_text, parents=[common])
            p.set_defaults(handler=handler)
            arguments(p)
    return parser


def _named_command(argv: Sequence[str]) -> str | None:
    """The subcommand ``argv`` names, if only ``--db PATH`` and ``--debug`` come before it.

    Anything else before it (``-h``, ``--version``, an abbreviation, a mistake) gives
    ``None``: the whole parser then reads ``argv``, as it always did.
    """
    names = {name for name, *_ in _SUBCOMMANDS}
    i = 0
    while i < len(argv):
        word = argv[i]
        if word in names:
            return word
        if word == "--db":
            i += 2
        elif word == "--debug" or word.startswith("--db="):
            i += 1
        else:
            return None
    return None


# --------------------------------------------------------------------------- subcommands


def _ingest_arguments(p: argparse.ArgumentParser) -> None:
    # The readers' limits, for the defaults in the help (a small import: no spaCy).
    from deniable.grammar import readers

    p.add_argument("paths", nargs="+", metavar="PATH", help="files or folders")
    p.add_argument("--entities", metavar="FILE", help="entity file (TOML) to use")
    p.add_argument("--replace", action="store_true", help="re-extract stored documents")
    p.add_argument(
        "--encoding",
        metavar="NAME",
        help="text encoding of the files, e.g. latin-1 or cp1252 (default: UTF-8, or what "
        "a web page declares)",
    )
    p.add_argument(
        "--max-bytes",
        type=size,
        metavar="N",
        help="skip a file (a JSON Lines record) larger than N bytes; K, M, G allowed "
        f"(default: {readers.MAX_BYTES // 1024**2}M)",
    )
    p.add_argument(
        "--max-sentence-chars",
        type=positive,
        metavar="N",
        help="cut a line longer than N characters into sentences of at most N "
        f"(default: {readers.MAX_SENTENCE_CHARS})",
    )
    p.add_argument(
        "--jobs",
        type=positive,
        default=os.cpu_count() or 1,
        metavar="N",
        help="extract in N processes (default: the number of cores)",
    )


def _derive_arguments(p: argparse.ArgumentParser) -> None:
    rules_option(p)
    engine_option(p)
    p.add_argument(
        "--confirmed-only",
        action="store_true",
        help="derive from the statements a reviewer confirmed, nothing else",
    )
    p.add_argument(
        "--helpers",
        action="store_true",
        help="also list the standard rules' helper relations (summed up in one line otherwise)",
    )
    p.add_argument(
        "--full",
        action="store_true",
        help="derive from scratch, even where the last conclusions could be extended",
    )


def _review_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "words",
        nargs="*",
        metavar="PRED | confirm ID… | reject ID… | correct ID",
        help="a predicate to list, or an action and statement ids",
    )
    p.add_argument("--doc", metavar="DOC", help="only statements of this document")
    p.add_argument("--status", choices=["unreviewed", "confirmed", "rejected"])
    p.add_argument("--reason", metavar="TEXT", help="why a statement is rejected (or corrected)")
    p.add_argument("--arg", nargs=2, metavar=("N", "VALUE"), help="correct: argument N (1 or 2)")
    p.add_argument("--by", metavar="NAME", help="who decides (default: $USER)")


def _entities_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "words",
        nargs="*",
        metavar="NAME | merge NAME OTHER | split NAME | undo ID | decisions",
        help="a part of a name to list, or an action",
    )
    p.add_argument(
        "--ambiguous",
        action="store_true",
        help="names given roles in unrelated organisations in different documents",
    )
    p.add_argument(
        "--toml",
        metavar="FILE",
        help="write the entities as an entity file for `ingest --entities`",
    )
    p.add_argument(
        "--doc", metavar="DOC", help="split: the document where the name is someone else"
    )
    p.add_argument("--as", dest="as_name", metavar="NAME", help="split: the other person's name")
    p.add_argument("--reason", metavar="TEXT", help="why (kept with the decision)")
    p.add_argument("--by", metavar="NAME", help="who decides (default: $USER)")


def _query_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("atom", help="an atom; identifiers are variables, quoted strings constants")
    p.add_argument("--format", choices=["table", "csv", "json"], default="table")
    rules_option(p)
    engine_option(p)
    no_derive_option(p)


def _why_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("atom", help="an atom naming the row(s) to explain")
    p.add_argument("--limit", type=int, default=10, help="explain at most this many rows")
    p.add_argument(
        "--brief",
        action="store_true",
        help="each conclusion with its strength and the statements of its strongest chain",
    )
    p.add_argument(
        "--depth",
        type=positive,
        metavar="N",
        help="draw N steps below each conclusion; deeper ones only as their statements",
    )
    rules_option(p)
    engine_option(p)
    no_derive_option(p)


def _report_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "relations",
        nargs="*",
        metavar="RELATION",
        help="conclusions to report (default: the contradicted denials and conflicting reports)",
    )
    p.add_argument("--format", choices=["md", "html"], help="default: from --out, else md")
    p.add_argument("--out", metavar="FILE", help="write here (default: Markdown on stdout)")
    p.add_argument(
        "--limit",
        type=positive,
        metavar="N",
        help="word the first N findings only; the brief says how many of how many it shows",
    )

    max_nodes_option(p)
    rules_option(p)
    no_derive_option(p)


def _graph_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--out", required=True, metavar="FILE.svg|FILE.png|FILE.html")
    p.add_argument(
        "--format", choices=["svg", "png", "html"], help="default: from --out (png: by Chromium)"
    )
    max_nodes_option(p)


def _repl_arguments(p: argparse.ArgumentParser) -> None:
    rules_option(p)
    engine_option(p)
    no_derive_option(p)


def _export_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--format", choices=["csv", "tsv", "jsonl", "ftm"], default="csv")
    p.add_argument("--out", default="export", metavar="DIR", help="output folder")
    p.add_argument(
        "--derived",
        action="store_true",
        help="also the conclusions (csv: derived/RELATION.csv, jsonl: derived.jsonl), each row "
        "with its strength, rule and supporting statement ids",
    )
    p.add_argument(
        "--include-rejected",
        action="store_true",
        help="also the statements a reviewer rejected, marked rejected (statements.csv's "
        "review column, facts.jsonl's review key, ftm links' caption); left out otherwise, "
        "as from the rules",
    )
    p.add_argument(
        "--datasette",
        metavar="DIR",
        help="write DIR/metadata.json instead: descriptions, hidden helpers and canned queries "
        "for `datasette STORE.db -m DIR/metadata.json`",
    )
    p.add_argument(
        "--to",
        metavar="URL",
        help="publish every table (conclusions too) into a schema on this PostgreSQL server "
        "instead, replacing the previous publication in one transaction",
    )
    p.add_argument(
        "--schema",
        default="deniable",
        metavar="NAME",
        help="with --to: the schema to publish into (default: deniable)",
    )
    p.add_argument(
        "--grant",
        metavar="ROLE",
        help="with --to: let ROLE (or PUBLIC) read the publication",
    )
    rules_option(p)
    no_derive_option(p)


def _history_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("doc", metavar="DOC", help="the document's path as ingested (or its end)")


def _restore_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("doc", metavar="DOC", help="the document's path as ingested (or its end)")
    p.add_argument(
        "--version", type=positive, required=True, metavar="N", help="the version to restore"
    )


def _gc_arguments(p: argparse.ArgumentParser) -> None:
    del p  # no options of its own


def _check_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("files", nargs="+", metavar="FILE")


def _run_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("program", metavar="PROG.dl")
    p.add_argument("-F", "--facts-dir", default=".", metavar="DIR", help="input .facts folder")
    p.add_argument("-D", "--output-dir", default=".", metavar="DIR", help="output .csv folder")
    engine_option(p)


def _demo_arguments(p: argparse.ArgumentParser) -> None:
    engine_option(p)


def _extract_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", metavar="FILE", help="an article (.txt, .md or .jsonl)")
    p.add_argument("--sentence", type=int, metavar="N", help="only sentence N (0-based)")
    p.add_argument("--trace", action="store_true", help="names, candidates and decisions")
    p.add_argument("--entities", metavar="FILE", help="entity file (TOML) to use")


def _score_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("gold_dir", metavar="GOLD_DIR")
    p.add_argument("--errors", action="store_true", help="also list false positives and misses")


#: Name, handler, help and options of every subcommand, in the order ``--help`` lists them.
_SUBCOMMANDS: tuple[tuple[str, Handler, str, Callable[[argparse.ArgumentParser], None]], ...] = (
    ("ingest", ingest_command, "read articles into the fact store", _ingest_arguments),
    (
        "derive",
        derive_command,
        "evaluate the standard and user rules over the store",
        _derive_arguments,
    ),
    (
        "review",
        review_command,
        "list extracted statements for review; `review confirm ID…`, "
        "`review reject ID… --reason TEXT`, `review correct ID --arg N VALUE`",
        _review_arguments,
    ),
    (
        "entities",
        entities_command,
        "list entities (--ambiguous: names that may be different people); "
        "`entities merge NAME OTHER`, `entities split NAME --doc DOC`, `entities undo ID`, "
        "`entities decisions`",
        _entities_arguments,
    ),
    ("query", query_command, "answer a query atom, e.g. 'contact(a, b)'", _query_arguments),
    ("why", why_command, "explain a derived row as a proof tree down to sentences", _why_arguments),
    (
        "report",
        report_command,
        "a brief for an editor: conclusions in plain words, footnoted to their sources",
        _report_arguments,
    ),
    (
        "graph",
        graph_command,
        "draw who called, met or was pictured with whom, and denials, as SVG, PNG or HTML",
        _graph_arguments,
    ),
    ("repl", repl_command, "interactive shell over the store", _repl_arguments),
    ("export", export_command, "write fact tables for other tools", _export_arguments),
    (
        "history",
        history_command,
        "list the versions of a document: number, hash, when ingested, statements, current",
        _history_arguments,
    ),
    (
        "restore",
        restore_command,
        "make an older version of a document current again",
        _restore_arguments,
    ),
    (
        "gc",
        gc_command,
        "delete the versions that are not current, with their statements",
        _gc_arguments,
    ),
    ("check", check_command, "check rule files without running them", _check_arguments),
    ("run", run_command, "evaluate a standalone program like `souffle -F -D`", _run_arguments),
    (
        "demo",
        demo_command,
        "ingest the seed articles into ./deniable-demo.db (or --db PATH), derive, "
        "show contradicted denials",
        _demo_arguments,
    ),
    (
        "extract",
        extract_command,
        "show the facts one article gives (--trace: and why)",
        _extract_arguments,
    ),
    (
        "score",
        score_command,
        "score stored facts against gold files (precision, recall, F1)",
        _score_arguments,
    ),
)


# --------------------------------------------------------------------------- main


def _store_file(db: str) -> Path:
    """The file of ``--db`` (which may be an SQLite URI), for messages."""
    from urllib.parse import unquote, urlsplit

    return Path(unquote(urlsplit(db).path)) if db.startswith("file:") else Path(db)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    words = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(_named_command(words))
    args = parser.parse_args(words)
    if getattr(args, "handler", None) is None:
        parser.print_help(sys.stderr)
        return 2
    console = Console()
    try:
        server_engine(args)
        return int(args.handler(args, console) or 0)
    except DeniableError as error:
        if args.debug:
            raise
        report_error(error)
        return error.exit_code
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # `deniable query ... | head` closes the pipe early; that is not an error.
        return 0
    except Exception as error:  # the last line of defence for users
        if args.debug:
            raise
        from deniable.facts.locks import is_busy, lock_timeout, locked_error

        if is_busy(error):
            # A read that waited the whole timeout behind another process's write.
            report_error(locked_error(_store_file(args.db), lock_timeout()))
            return 1
        print(
            f"error: internal error ({type(error).__name__}: {error}); "
            "rerun with --debug and report it",
            file=sys.stderr,
        )
        return 70


__all__ = ["UsageError", "build_parser", "main"]
