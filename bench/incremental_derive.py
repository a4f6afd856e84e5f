"""Incremental derive against a full derive, over the same store, in one run.

Run from the repository root::

    python bench/incremental_derive.py                      # 400 documents of 50 statements, +5
    python bench/incremental_derive.py --documents 800 --statements 100 --added 20 --runs 3

A synthetic store is built from a fixed seed (no spaCy: statements are generated
over a few hundred people and organisations with the standard rules' predicates,
modalities and claims), derived in full, and then ``--added`` documents are added.
Each run copies that store twice and times, with the standard rules, ``derive``
extending the last conclusions (incremental) and ``derive --full`` (from scratch),
checks that both give the same rows, and prints the median CPU seconds of each
and their ratio (full / incremental).
"""

from __future__ import annotations

import argparse
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

from deniable.facts.model import Document, Evidence, Extraction, Fact, Modality, Sentence
from deniable.facts.store import FactStore
from deniable.rules.workbench import derive_store

PREDICATES = ("met", "called", "role", "denies", "visited")
MODALITIES = (Modality.ASSERTED, Modality.REPORTED, Modality.ALLEGED, Modality.NEGATED)


def _document(rnd: random.Random, n: int, statements: int) -> Extraction:
    people = [f"Person {i}" for i in range(300)]
    orgs = [f"Ministry {i}" for i in range(30)]
    sentences, facts, lines, pos = [], [], [], 0
    for k in range(statements):
        pred = rnd.choice(PREDICATES)
        a = rnd.choice(people)
        b = rnd.choice(orgs) if pred in ("role", "visited") else rnd.choice(people)
        if a == b:
            b = people[(people.index(a) + 1) % len(people)]
        line = f"{a} {pred} {b} ({n}.{k})."
        sentences.append(Sentence(k, pos, pos + len(line), line))
        claim = "links" if pred == "denies" else ""
        evidence = Evidence(f"doc{n}", k, pos, pos + len(line), "synthetic")
        facts.append(Fact(pred, (a, b), rnd.choice(MODALITIES), evidence, claim=claim))
        lines.append(line)
        pos += len(line) + 1
    text = "\n".join(lines)
    return Extraction(Document(f"doc{n}.txt", text), tuple(sentences), tuple(facts))


def _build(db: Path, documents: int, statements: int, seed: int) -> random.Random:
    rnd = random.Random(seed)
    with FactStore.open(db) as store, store.db.atomic():
        for n in range(documents):
            store.add_extraction(_document(rnd, n, statements))
    with FactStore.open(db) as store:
        derive_store(store, cwd_rules=False)
    return rnd


def _add(db: Path, rnd: random.Random, first: int, added: int, statements: int) -> None:
    with FactStore.open(db) as store, store.db.atomic():
        for n in range(first, first + added):
            store.add_extraction(_document(rnd, n, statements))


def _timed_derive(db: Path, *, full: bool) -> tuple[float, str, dict[str, set]]:
    with FactStore.open(db) as store:
        started = time.process_time()
        summary = derive_store(store, cwd_rules=False, full=full)
        seconds = time.process_time() - started
    conn = sqlite3.connect(db)
    rows = {}
    for name in summary.sizes:
        cols = [r[1] for r in conn.execute(f'PRAGMA table_info("{name}")')][:-2]
        picked = ", ".join(f'"{c}"' for c in cols)
        rows[name] = set(conn.execute(f'SELECT {picked} FROM "{name}"'))
    conn.close()
    return seconds, summary.mode, rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=400)
    parser.add_argument("--statements", type=int, default=50, help="statements per document")
    parser.add_argument("--added", type=int, default=5, help="documents added after the derive")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="deniable-bench-"))
    try:
        base = work / "base.db"
        rnd = _build(base, args.documents, args.statements, args.seed)
        _add(base, rnd, args.documents, args.added, args.statements)
        times: dict[bool, list[float]] = {False: [], True: []}
        modes = {}
        for run in range(args.runs):
            answers = {}
            for full in (False, True):
                db = work / f"run{run}-{'full' if full else 'incremental'}.db"
                shutil.copy(base, db)
                seconds, modes[full], answers[full] = _timed_derive(db, full=full)
                times[full].append(seconds)
            if answers[False] != answers[True]:
                print("incremental and full derivations disagree", file=sys.stderr)
                return 1
        incremental, scratch = statistics.median(times[False]), statistics.median(times[True])
        statements = args.documents * args.statements
        print(
            f"store: {args.documents} documents, {statements} statements; "
            f"added {args.added} documents ({args.added * args.statements} statements)"
        )
        print("| derive | median CPU s | vs incremental |\n|---|---:|---:|")
        print(f"| incremental ({modes[False]}) | {incremental:.3f} | 1.00× |")
        print(f"| full | {scratch:.3f} | {scratch / incremental:.2f}× |")
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
