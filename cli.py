"""The ``deniable`` command line: parse arguments, call one library function, print.

Each handler is a thin translation from arguments to a library call; the work
lives in the subpackages.  Every :class:`~deniable.errors.DeniableError` becomes
one line on stderr and exit status 1 (2 for usage errors); ``--debug`` shows
tracebacks for anything else.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import os
import sys
from collections.abc import Callable, Sequence
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.console import Console

from deniable.errors import DeniableError, RuleError, UsageError

if TYPE_CHECKING:
    from deniable.rules.engines.base import Limits

DEFAULT_DB = "deniable.db"

Handler = Callable[[argparse.Namespace, Console], int | None]


def _version() -> str:
    try:
        return version("deniable")
    except PackageNotFoundError:  # running from a checkout that was never installed
        return "0+unknown"


def _default_db() -> str:
    return os.environ.get("DENIABLE_DB") or DEFAULT_DB


# --------------------------------------------------------------------------- handlers
# Each handler imports lazily so that `deniable --help` stays fast and a broken
# optional part cannot stop the others from running.


def _positive(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        n = 0
    if n < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {text!r}")
    return n


def _size(text: str) -> int:
    """A byte count: a whole number, or one with K, M or G (1024, 1024², 1024³) after it."""
    units = {"k": 1024, "m": 1024**2, "g": 1024**3}
    scale = units.get(text[-1:].lower(), 1)
    n = _positive(text[:-1] if scale > 1 else text)
    return n * scale


def _ingest(args: argparse.Namespace, console: Console) -> int:
    from deniable.facts.store import FactStore
    from deniable.grammar.intake import check_encoding, ingest

    check_encoding(args.encoding)  # before a new store file is created for nothing
    paths = [Path(p) for p in args.paths]
    with FactStore.open(args.db) as store:
        store.ensure_writable("ingest into this store")
        summary = ingest(
            paths,
            store,
            entities=Path(args.entities) if args.entities else None,
            replace=args.replace,
            encoding=args.encoding,
            max_bytes=args.max_bytes,
            max_sentence_chars=args.max_sentence_chars,
            # One line per skip on stderr; the summary alone goes to stdout.
            on_skip=lambda skip: print(skip, file=sys.stderr),
            console=console,
            jobs=args.jobs,
        )
    console.print(summary)
    return 0 if summary.ok else 1


def _derive(args: argparse.Namespace, console: Console) -> int:
    from deniable.facts.store import FactStore
    from deniable.rules.workbench import derive_store

    with FactStore.open(args.db, create=False) as store:
        summary = derive_store(
            store,
            rules_dirs=[Path(d) for d in args.rules],
            engine=args.engine,
            console=console,
            confirmed_only=args.confirmed_only,
            full=args.full,
            limits=_limits(args),
        )
    console.print(dataclasses.replace(summary, list_helpers=args.helpers))
    return 0


def _limits(args: argparse.Namespace) -> Limits:
    from deniable.rules.engines.base import Limits

    return Limits(max_rounds=args.max_rounds)


def _server_engine(args: argparse.Namespace) -> None:
    """Replace ``--engine postgres`` by the engine itself, built with its ``--dsn``."""
    if getattr(args, "engine", "postgres") != "postgres":
        for option in ("dsn", "keep_schema"):
            if getattr(args, option, None) is not None:
                flag = "--" + option.replace("_", "-")
                raise UsageError(f"{flag} is for --engine postgres; add --engine postgres")
    if getattr(args, "engine", None) == "postgres":
        from deniable.rules.engines import get_engine

        args.engine = get_engine("postgres", dsn=args.dsn, keep_schema=args.keep_schema)


def _note(line: str) -> None:
    print(line, file=sys.stderr)


def _review(args: argparse.Namespace, console: Console) -> int:
    from deniable.facts import review
    from deniable.facts.store import FactStore
    from deniable.repl.queue import DERIVE_HINT, print_queue

    action, words = _review_action(args.words)
    with FactStore.open(args.db, create=False) as store:
        if action is None:
            pred = words[0] if words else None
            if len(words) > 1:
                raise UsageError("review lists one predicate at a time; give PRED or nothing")
            items = review.review_queue(store, pred=pred, doc=args.doc, status=args.status)
            print_queue(items, console)
            return 0
        ids = [_statement_id(w) for w in words]
        by = review.reviewer(args.by)
        if action == "confirm":
            items = review.confirm(store, ids, by=by)
        elif action == "reject":
            items = review.reject(store, ids, reason=args.reason or "", by=by)
        else:
            if len(ids) != 1 or args.arg is None:
                raise UsageError("usage: deniable review correct ID --arg N VALUE")
            arg, value = args.arg
            items = review.correct(
                store, ids[0], arg=_statement_id(arg), value=value, by=by, reason=args.reason or ""
            )
    print_queue(items, console)
    console.print(DERIVE_HINT, style="dim", highlight=False)
    return 0


def _entities(args: argparse.Namespace, console: Console) -> int:
    from deniable.facts import entity_decisions as who
    from deniable.facts.ambiguity import ambiguous_entities
    from deniable.facts.review import reviewer
    from deniable.facts.store import FactStore
    from deniable.repl.who import ambiguity_table, decisions_table, entities_table, print_decision

    action, words = (args.words[0], args.words[1:]) if args.words else ("", [])
    if action not in ("merge", "split", "undo", "decisions"):
        action, words = "", list(args.words)
    with FactStore.open(args.db, create=False) as store:
        if action == "":
            if len(words) > 1:
                raise UsageError("entities lists one name filter at a time; quote a name")
            if args.toml:
                from deniable.facts.entity_file import entity_toml
                from deniable.rules.publish import write_whole

                written = write_whole(Path(args.toml), entity_toml(store))
                console.print(f"wrote {written}", highlight=False, markup=False, soft_wrap=True)
            elif args.ambiguous:
                console.print(ambiguity_table(ambiguous_entities(store)))
            else:
                console.print(entities_table(store, contains=words[0] if words else ""))
            return 0
        if action == "decisions":
            console.print(decisions_table(who.decisions(store)))
            return 0
        by = reviewer(args.by)
        if action == "merge":
            if len(words) != 2:
                raise UsageError("usage: deniable entities merge NAME OTHER (OTHER becomes NAME)")
            decision = who.merge(store, words[0], words[1], by=by, reason=args.reason or "")
        elif action == "split":
            if len(words) != 1 or not args.doc:
                raise UsageError("usage: deniable entities split NAME --doc DOC [--as NEW_NAME]")
            decision = who.split(
                store, words[0], doc=args.doc, new_name=args.as_name or "", by=by,
                reason=args.reason or "",
            )  # fmt: skip
        else:
            if len(words) != 1:
                raise UsageError("usage: deniable entities undo ID")
            decision = who.undo(store, _statement_id(words[0]), by=by)
    print_decision(decision, console)
    return 0


def _review_action(words: Sequence[str]) -> tuple[str | None, list[str]]:
    if words and words[0] in ("confirm", "reject", "correct"):
        return words[0], list(words[1:])
    return None, list(words)


def _statement_id(text: str) -> int:
    try:
        return int(text.lstrip("#"))
    except ValueError:
        raise UsageError(f"{text!r} is not a statement id; ids are numbers") from None


def _query(args: argparse.Namespace, console: Console) -> int:
    from deniable.facts.store import FactStore
    from deniable.repl.render import print_answers
    from deniable.rules.conclusions import current_conclusions
    from deniable.rules.workbench import query_store

    rules = [Path(d) for d in args.rules]
    with (
        FactStore.open(args.db, create=False) as opened,
        current_conclusions(
            opened,
            atom_text=args.atom,
            rules_dirs=rules,
            derive=args.derive,
            engine=args.engine,
            limits=_limits(args),
            report=_note,
        ) as store,
    ):
        answers = query_store(store, args.atom, rules_dirs=rules)
        if not answers.rows:
            from deniable.facts.name_forms import query_hints

            for hint in query_hints(store, args.atom):  # "Hale" for "Marcus Hale"
                _note(hint)
    print_answers(answers, console, fmt=args.format)
    return 0


def _why(args: argparse.Namespace, console: Console) -> int:
    from deniable.facts.store import FactStore
    from deniable.repl.brief import print_briefs
    from deniable.repl.proofs import print_proofs
    from deniable.rules.conclusions import current_conclusions
    from deniable.rules.strongest import strongest_chains
    from deniable.rules.workbench import explain_store

    if args.brief and args.depth is not None:
        raise UsageError("--brief shows the statements only; give --brief or --depth, not both")
    rules = [Path(d) for d in args.rules]
    with (
        FactStore.open(args.db, create=False) as opened,
        current_conclusions(
            opened,
            atom_text=args.atom,
            rules_dirs=rules,
            derive=args.derive,
            engine=args.engine,
            limits=_limits(args),
            report=_note,
        ) as store,
    ):
        proofs = explain_store(store, args.atom, rules_dirs=rules, limit=args.limit)
        if args.brief:
            chains = strongest_chains(store, proofs, rules_dirs=rules)
            print_briefs(chains, console, matched=proofs.matched)
            return 0
    print_proofs(proofs, console, depth=args.depth)
    return 0


def _report_command(args: argparse.Namespace, console: Console) -> int:
    from deniable.facts.store import FactStore
    from deniable.rules.conclusions import current_conclusions
    from deniable.rules.publish import render_report, write_report

    rules = [Path(d) for d in args.rules]
    with (
        FactStore.open(args.db, create=False) as opened,
        current_conclusions(opened, rules_dirs=rules, derive=args.derive, report=_note) as store,
    ):
        if args.out is None:
            text = render_report(
                store, args.relations, fmt=args.format or "md", rules_dirs=rules,
                max_nodes=args.max_nodes, limit=args.limit,
            )  # fmt: skip
            sys.stdout.write(text)
            return 0
        written = write_report(
            store, args.relations, out=Path(args.out), fmt=args.format, rules_dirs=rules,
            max_nodes=args.max_nodes, limit=args.limit,
        )  # fmt: skip
    console.print(f"wrote {written}", highlight=False, markup=False, soft_wrap=True)
    return 0


def _graph(args: argparse.Namespace, console: Console) -> int:
    from deniable.facts.store import FactStore
    from deniable.rules.publish import write_graph

    with FactStore.open(args.db, create=False) as store:
        written = write_graph(store, out=Path(args.out), fmt=args.format, max_nodes=args.max_nodes)
    console.print(f"wrote {written}", highlight=False, markup=False, soft_wrap=True)
    return 0


def _repl(args: argparse.Namespace, console: Console) -> int:
    from deniable.repl.shell import run_shell

    return run_shell(
        Path(args.db),
        rules_dirs=[Path(d) for d in args.rules],
        console=console,
        engine=args.engine,
        limits=_limits(args),
        derive=args.derive,
        report=_note,
    )


def _export(args: argparse.Namespace, console: Console) -> int:
    from deniable.facts.export import export_store
    from deniable.facts.store import FactStore
    from deniable.rules.conclusions import current_conclusions
    from deniable.rules.derived_export import derived_files

    rules = [Path(d) for d in args.rules]
    if args.datasette is not None:
        from deniable.rules.datasette_metadata import write_metadata

        with FactStore.open(args.db, create=False) as store:
            metadata = write_metadata(store, Path(args.datasette), rules_dirs=rules)
        console.print(str(metadata), highlight=False, markup=False, soft_wrap=True)
        return 0
    if args.to is not None:
        return _publish(args, console, rules)
    with contextlib.ExitStack() as stack:
        store = stack.enter_context(FactStore.open(args.db, create=False))
        extra = None
        if args.derived:
            # Conclusions are exported as they are now: a stale store is re-derived first.
            store = stack.enter_context(
                current_conclusions(store, rules_dirs=rules, derive=args.derive, report=_note)
            )
            extra = derived_files(store, fmt=args.format, rules_dirs=rules)
        written = export_store(
            store, fmt=args.format, out_dir=Path(args.out), extra=extra,
            include_rejected=args.include_rejected,
        )  # fmt: skip
    for path in written:
        console.print(str(path), highlight=False)
    return 0


def _publish(args: argparse.Namespace, console: Console, rules: list[Path]) -> int:
    from deniable.facts.pg_publish import publish, require_server
    from deniable.facts.store import FactStore
    from deniable.rules.conclusions import current_conclusions

    require_server(args.to)
    with contextlib.ExitStack() as stack:
        store = stack.enter_context(FactStore.open(args.db, create=False))
        # The conclusions go too, as they are now: a stale store is re-derived first.
        store = stack.enter_context(
            current_conclusions(store, rules_dirs=rules, derive=args.derive, report=_note)
        )
        publication = publish(store, args.to, schema=args.schema, grant=args.grant)
    console.print(str(publication), highlight=False, markup=False, soft_wrap=True)
    return 0


def _history(args: argparse.Namespace, console: Console) -> int:
    from deniable.facts.store import FactStore
    from deniable.facts.versions import history

    with FactStore.open(args.db, create=False) as store:
        console.print(history(store, args.doc))
    return 0


def _restore(args: argparse.Namespace, console: Console) -> int:
    from deniable.facts.store import FactStore
    from deniable.facts.versions import restore

    with FactStore.open(args.db, create=False) as store:
        found, changed = restore(store, args.doc, args.version)
    if not changed:
        _note(f"{found.source}: version {args.version} is already the current one")
    console.print(found)
    return 0


def _gc(args: argparse.Namespace, console: Console) -> int:
    from deniable.facts.store import FactStore
    from deniable.facts.versions import collect_garbage

    with FactStore.open(args.db, create=False) as store:
        report = collect_garbage(store)
    console.print(report, highlight=False)
    return 0


def _check(args: argparse.Namespace, console: Console) -> int:
    from deniable.rules.program import check_files

    checked = check_files([Path(p) for p in args.files])
    for warning in checked.warnings:
        _print_diagnostic(warning)
    clauses, strata = len(checked.clauses), len(checked.strata)
    console.print(
        f"ok: {clauses} clause{'s' if clauses != 1 else ''} in {strata} "
        f"strat{'a' if strata != 1 else 'um'}, {len(checked.warnings)} warning(s)",
        highlight=False,
    )
    return 0


def _run(args: argparse.Namespace, console: Console) -> int:
    from deniable.rules.program import run_program

    run_program(
        Path(args.program),
        facts_dir=Path(args.facts_dir),
        out_dir=Path(args.output_dir),
        engine=args.engine,
        console=console,
        limits=_limits(args),
    )
    return 0


def _demo(args: argparse.Namespace, console: Console) -> int:
    from deniable.repl.demo import DEMO_DB, run_demo

    # Not $DENIABLE_DB or ./deniable.db: those hold the user's own work.
    db = args.db if args.db_given else DEMO_DB
    return run_demo(Path(db), console=console, engine=args.engine, limits=_limits(args))


def _extract(args: argparse.Namespace, console: Console) -> int:
    from deniable.grammar.entities import load_knowledge
    from deniable.grammar.explain import explain_file, print_reports

    knowledge = load_knowledge(Path(args.entities)) if args.entities else None
    reports = explain_file(
        Path(args.file), knowledge=knowledge, traced=args.trace, sentence=args.sentence
    )
    print_reports(reports, console)
    return 0


def _score(args: argparse.Namespace, console: Console) -> int:
    from deniable.facts.score import score_store
    from deniable.facts.store import FactStore

    with FactStore.open(args.db, create=False) as store:
        report = score_store(store, Path(args.gold_dir))
    console.print(report)
    if args.errors:
        for title, items in (
            ("false positives", report.false_positives),
            ("missed (false negatives)", report.false_negatives),
        ):
            console.print(f"{title}: {len(items)}", highlight=False)
            for article, (pred, a, b) in items:
                console.print(f"  {article}  {pred}({a!r}, {b!r})", highlight=False, markup=False)
    return 0


# --------------------------------------------------------------------------- parser


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of the ``deniable`` command."""
    parser = argparse.ArgumentParser(
        prog="deniable",
        description="A fact database with a Datalog query layer: check what officials "
        "say against what is reported.",
    )
    parser.add_argument("--version", action="version", version=f"deniable {_version()}")
    _global_options(parser, default=_default_db())
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    # The same options again on every subcommand, so `deniable ingest --db x.db DIR` works.
    # Their default is SUPPRESS: a subcommand that was not given them must not reset the
    # value parsed before the subcommand's name.
    common = argparse.ArgumentParser(add_help=False)
    _global_options(common, default=argparse.SUPPRESS)

    def add(name: str, handler: Handler, help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text, parents=[common])
        p.set_defaults(handler=handler)
        return p

    def rules_option(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--rules",
            action="append",
            default=[],
            metavar="DIR",
            help="extra rule folder (repeatable; ./rules is used when present)",
        )

    def engine_option(p: argparse.ArgumentParser) -> None:
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
            type=_positive,
            default=DEFAULT_MAX_ROUNDS,
            metavar="N",
            help="stop with an error when a recursive rule still derives new rows after N "
            f"rounds (default {DEFAULT_MAX_ROUNDS})",
        )

    def no_derive_option(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--no-derive",
            dest="derive",
            action="store_false",
            help="answer from the stored conclusions even when they are stale (with a warning)",
        )

    # The readers' limits, for the defaults in the help (a small import: no spaCy).
    from deniable.grammar import readers

    p = add("ingest", _ingest, "read articles into the fact store")
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
        type=_size,
        metavar="N",
        help="skip a file (a JSON Lines record) larger than N bytes; K, M, G allowed "
        f"(default: {readers.MAX_BYTES // 1024**2}M)",
    )
    p.add_argument(
        "--max-sentence-chars",
        type=_positive,
        metavar="N",
        help="cut a line longer than N characters into sentences of at most N "
        f"(default: {readers.MAX_SENTENCE_CHARS})",
    )
    p.add_argument(
        "--jobs",
        type=_positive,
        default=os.cpu_count() or 1,
        metavar="N",
        help="extract in N processes (default: the number of cores)",
    )

    p = add("derive", _derive, "evaluate the standard and user rules over the store")
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

    p = add(
        "review",
        _review,
        "list extracted statements for review; `review confirm ID…`, "
        "`review reject ID… --reason TEXT`, `review correct ID --arg N VALUE`",
    )
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

    p = add(
        "entities",
        _entities,
        "list entities (--ambiguous: names that may be different people); "
        "`entities merge NAME OTHER`, `entities split NAME --doc DOC`, `entities undo ID`, "
        "`entities decisions`",
    )
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

    p = add("query", _query, "answer a query atom, e.g. 'contact(a, b)'")
    p.add_argument("atom", help="an atom; identifiers are variables, quoted strings constants")
    p.add_argument("--format", choices=["table", "csv", "json"], default="table")
    rules_option(p)
    engine_option(p)
    no_derive_option(p)

    p = add("why", _why, "explain a derived row as a proof tree down to sentences")
    p.add_argument("atom", help="an atom naming the row(s) to explain")
    p.add_argument("--limit", type=int, default=10, help="explain at most this many rows")
    p.add_argument(
        "--brief",
        action="store_true",
        help="each conclusion with its strength and the statements of its strongest chain",
    )
    p.add_argument(
        "--depth",
        type=_positive,
        metavar="N",
        help="draw N steps below each conclusion; deeper ones only as their statements",
    )
    rules_option(p)
    engine_option(p)
    no_derive_option(p)

    p = add(
        "report",
        _report_command,
        "a brief for an editor: conclusions in plain words, footnoted to their sources",
    )
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
        type=_positive,
        metavar="N",
        help="word the first N findings only; the brief says how many of how many it shows",
    )

    def max_nodes_option(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--max-nodes",
            type=_positive,
            default=60,
            metavar="N",
            help="draw at most N names in the contact graph, those with most contacts (default 60)",
        )

    max_nodes_option(p)
    rules_option(p)
    no_derive_option(p)

    p = add(
        "graph",
        _graph,
        "draw who called, met or was pictured with whom, and denials, as SVG, PNG or HTML",
    )
    p.add_argument("--out", required=True, metavar="FILE.svg|FILE.png|FILE.html")
    p.add_argument(
        "--format", choices=["svg", "png", "html"], help="default: from --out (png: by Chromium)"
    )
    max_nodes_option(p)

    p = add("repl", _repl, "interactive shell over the store")
    rules_option(p)
    engine_option(p)
    no_derive_option(p)

    p = add("export", _export, "write fact tables for other tools")
    p.add_argument("--format", choices=["csv", "tsv", "jsonl"], default="csv")
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
        "review column, facts.jsonl's review key); left out otherwise, as from the rules",
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

    p = add(
        "history",
        _history,
        "list the versions of a document: number, hash, when ingested, statements, current",
    )
    p.add_argument("doc", metavar="DOC", help="the document's path as ingested (or its end)")

    p = add("restore", _restore, "make an older version of a document current again")
    p.add_argument("doc", metavar="DOC", help="the document's path as ingested (or its end)")
    p.add_argument(
        "--version", type=_positive, required=True, metavar="N", help="the version to restore"
    )

    add("gc", _gc, "delete the versions that are not current, with their statements")

    p = add("check", _check, "check rule files without running them")
    p.add_argument("files", nargs="+", metavar="FILE")

    p = add("run", _run, "evaluate a standalone program like `souffle -F -D`")
    p.add_argument("program", metavar="PROG.dl")
    p.add_argument("-F", "--facts-dir", default=".", metavar="DIR", help="input .facts folder")
    p.add_argument("-D", "--output-dir", default=".", metavar="DIR", help="output .csv folder")
    engine_option(p)

    p = add(
        "demo",
        _demo,
        "ingest the seed articles into ./deniable-demo.db (or --db PATH), derive, "
        "show contradicted denials",
    )
    engine_option(p)

    p = add("extract", _extract, "show the facts one article gives (--trace: and why)")
    p.add_argument("file", metavar="FILE", help="an article (.txt, .md or .jsonl)")
    p.add_argument("--sentence", type=int, metavar="N", help="only sentence N (0-based)")
    p.add_argument("--trace", action="store_true", help="names, candidates and decisions")
    p.add_argument("--entities", metavar="FILE", help="entity file (TOML) to use")

    p = add("score", _score, "score stored facts against gold files (precision, recall, F1)")
    p.add_argument("gold_dir", metavar="GOLD_DIR")
    p.add_argument("--errors", action="store_true", help="also list false positives and misses")
    return parser


class _DbPath(argparse.Action):
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


def _global_options(parser: argparse.ArgumentParser, *, default: Any) -> None:
    parser.add_argument(
        "--db",
        action=_DbPath,
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


# --------------------------------------------------------------------------- main


def _print_diagnostic(d: object) -> None:
    print(str(d), file=sys.stderr)
    context = getattr(d, "context", "")
    if context:
        print(context, file=sys.stderr)


def _report(error: DeniableError) -> None:
    if isinstance(error, RuleError):
        for d in error.diagnostics:
            _print_diagnostic(d)
        return
    _print_diagnostic(error)


def _store_file(db: str) -> Path:
    """The file of ``--db`` (which may be an SQLite URI), for messages."""
    from urllib.parse import unquote, urlsplit

    return Path(unquote(urlsplit(db).path)) if db.startswith("file:") else Path(db)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "handler", None) is None:
        parser.print_help(sys.stderr)
        return 2
    console = Console()
    try:
        _server_engine(args)
        return int(args.handler(args, console) or 0)
    except DeniableError as error:
        if args.debug:
            raise
        _report(error)
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
            _report(locked_error(_store_file(args.db), lock_timeout()))
            return 1
        print(
            f"error: internal error ({type(error).__name__}: {error}); "
            "rerun with --debug and report it",
            file=sys.stderr,
        )
        return 70


__all__ = ["UsageError", "build_parser", "main"]
