"""The handlers of the ``deniable`` commands that derive, ask and explain conclusions.

Derive, query, why, report, graph, repl, demo, check and run: each parses its
arguments, calls one library function and prints; the work lives in ``rules`` and
the shell.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console

from deniable.errors import UsageError
from deniable.repl.cli_options import limits, note, print_diagnostic

if TYPE_CHECKING:
    from deniable.facts.store import FactStore

# Each handler imports lazily so that `deniable --help` stays fast and a broken
# optional part cannot stop the others from running.


def derive_command(args: argparse.Namespace, console: Console) -> int:
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
            limits=limits(args),
        )
    console.print(dataclasses.replace(summary, list_helpers=args.helpers))
    return 0


@contextmanager
def _answering(args: argparse.Namespace, rules: list[Path]) -> Iterator[FactStore]:
    """The store to answer ``args.atom`` from, its conclusions re-derived first if stale."""
    from deniable.facts.store import FactStore
    from deniable.rules.conclusions import current_conclusions

    with (
        FactStore.open(args.db, create=False) as opened,
        current_conclusions(
            opened,
            atom_text=args.atom,
            rules_dirs=rules,
            derive=args.derive,
            engine=args.engine,
            limits=limits(args),
            report=note,
        ) as store,
    ):
        yield store


def query_command(args: argparse.Namespace, console: Console) -> int:
    from deniable.repl.render import print_answers
    from deniable.rules.workbench import query_store

    rules = [Path(d) for d in args.rules]
    with _answering(args, rules) as store:
        answers = query_store(store, args.atom, rules_dirs=rules)
        if not answers.rows:
            from deniable.facts.name_forms import query_hints

            for hint in query_hints(store, args.atom):  # "Hale" for "Marcus Hale"
                note(hint)
    print_answers(answers, console, fmt=args.format)
    return 0


def why_command(args: argparse.Namespace, console: Console) -> int:
    from deniable.repl.brief import print_briefs
    from deniable.repl.proofs import print_proofs
    from deniable.rules.strongest import strongest_chains
    from deniable.rules.workbench import explain_store

    if args.brief and args.depth is not None:
        raise UsageError("--brief shows the statements only; give --brief or --depth, not both")
    rules = [Path(d) for d in args.rules]
    with _answering(args, rules) as store:
        proofs = explain_store(store, args.atom, rules_dirs=rules, limit=args.limit)
        if args.brief:
            chains = strongest_chains(store, proofs, rules_dirs=rules)
            print_briefs(chains, console, matched=proofs.matched)
            return 0
    print_proofs(proofs, console, depth=args.depth)
    return 0


def report_command(args: argparse.Namespace, console: Console) -> int:
    from deniable.facts.store import FactStore
    from deniable.rules.conclusions import current_conclusions
    from deniable.rules.publish import render_report, write_report

    rules = [Path(d) for d in args.rules]
    with (
        FactStore.open(args.db, create=False) as opened,
        current_conclusions(opened, rules_dirs=rules, derive=args.derive, report=note) as store,
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


def graph_command(args: argparse.Namespace, console: Console) -> int:
    from deniable.facts.store import FactStore
    from deniable.rules.publish import write_graph

    with FactStore.open(args.db, create=False) as store:
        written = write_graph(store, out=Path(args.out), fmt=args.format, max_nodes=args.max_nodes)
    console.print(f"wrote {written}", highlight=False, markup=False, soft_wrap=True)
    return 0


def repl_command(args: argparse.Namespace, console: Console) -> int:
    from deniable.repl.shell import run_shell

    return run_shell(
        Path(args.db),
        rules_dirs=[Path(d) for d in args.rules],
        console=console,
        engine=args.engine,
        limits=limits(args),
        derive=args.derive,
        report=note,
    )


def demo_command(args: argparse.Namespace, console: Console) -> int:
    from deniable.repl.demo import DEMO_DB, run_demo

    # Not $DENIABLE_DB or ./deniable.db: those hold the user's own work.
    db = args.db if args.db_given else DEMO_DB
    return run_demo(Path(db), console=console, engine=args.engine, limits=limits(args))


def check_command(args: argparse.Namespace, console: Console) -> int:
    from deniable.rules.program import check_files

    checked = check_files([Path(p) for p in args.files])
    for warning in checked.warnings:
        print_diagnostic(warning)
    clauses, strata = len(checked.clauses), len(checked.strata)
    console.print(
        f"ok: {clauses} clause{'s' if clauses != 1 else ''} in {strata} "
        f"strat{'a' if strata != 1 else 'um'}, {len(checked.warnings)} warning(s)",
        highlight=False,
    )
    return 0


def run_command(args: argparse.Namespace, console: Console) -> int:
    from deniable.rules.program import run_program

    run_program(
        Path(args.program),
        facts_dir=Path(args.facts_dir),
        out_dir=Path(args.output_dir),
        engine=args.engine,
        console=console,
        limits=limits(args),
    )
    return 0
