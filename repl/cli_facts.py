"""The handlers of the ``deniable`` commands that fill, curate and version the fact store.

Ingest, extract, review, entities, history, restore, gc and score: each parses its
arguments, calls one library function and prints; the work lives in ``facts`` and
``grammar``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from rich.console import Console

from deniable.errors import UsageError
from deniable.repl.cli_options import note

# Each handler imports lazily so that `deniable --help` stays fast and a broken
# optional part cannot stop the others from running.


def ingest_command(args: argparse.Namespace, console: Console) -> int:
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


def extract_command(args: argparse.Namespace, console: Console) -> int:
    from deniable.grammar.entities import load_knowledge
    from deniable.grammar.explain import explain_file, print_reports

    knowledge = load_knowledge(Path(args.entities)) if args.entities else None
    reports = explain_file(
        Path(args.file), knowledge=knowledge, traced=args.trace, sentence=args.sentence
    )
    print_reports(reports, console)
    return 0


def review_command(args: argparse.Namespace, console: Console) -> int:
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


def _review_action(words: Sequence[str]) -> tuple[str | None, list[str]]:
    if words and words[0] in ("confirm", "reject", "correct"):
        return words[0], list(words[1:])
    return None, list(words)


def entities_command(args: argparse.Namespace, console: Console) -> int:
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


def _statement_id(text: str) -> int:
    try:
        return int(text.lstrip("#"))
    except ValueError:
        raise UsageError(f"{text!r} is not a statement id; ids are numbers") from None


def history_command(args: argparse.Namespace, console: Console) -> int:
    from deniable.facts.store import FactStore
    from deniable.facts.versions import history

    with FactStore.open(args.db, create=False) as store:
        console.print(history(store, args.doc))
    return 0


def restore_command(args: argparse.Namespace, console: Console) -> int:
    from deniable.facts.store import FactStore
    from deniable.facts.versions import restore

    with FactStore.open(args.db, create=False) as store:
        found, changed = restore(store, args.doc, args.version)
    if not changed:
        note(f"{found.source}: version {args.version} is already the current one")
    console.print(found)
    return 0


def gc_command(args: argparse.Namespace, console: Console) -> int:
    from deniable.facts.store import FactStore
    from deniable.facts.versions import collect_garbage

    with FactStore.open(args.db, create=False) as store:
        report = collect_garbage(store)
    console.print(report, highlight=False)
    return 0


def score_command(args: argparse.Namespace, console: Console) -> int:
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
