"""The handler of ``deniable export``: fact tables to files, Datasette metadata or PostgreSQL."""

from __future__ import annotations

import argparse
import contextlib
from pathlib import Path

from rich.console import Console

from deniable.repl.cli_options import note

# Each handler imports lazily so that `deniable --help` stays fast and a broken
# optional part cannot stop the others from running.


def export_command(args: argparse.Namespace, console: Console) -> int:
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
                current_conclusions(store, rules_dirs=rules, derive=args.derive, report=note)
            )
            extra = derived_files(store, fmt=args.format, rules_dirs=rules)
        written = export_store(
            store, fmt=args.format, out_dir=Path(args.out), extra=extra,
            include_rejected=args.include_rejected,
        )  # fmt: skip
    for path in written:
        console.print(str(path), highlight=False, markup=False, soft_wrap=True)
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
            current_conclusions(store, rules_dirs=rules, derive=args.derive, report=note)
        )
        publication = publish(store, args.to, schema=args.schema, grant=args.grant)
    console.print(str(publication), highlight=False, markup=False, soft_wrap=True)
    return 0
