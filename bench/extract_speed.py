"""Extraction throughput: sentences per second of ``deniable.grammar.extract.extract`` on one core.

Run from the repository root::

    python bench/extract_speed.py                 # the packaged seed articles, 3 runs
    python bench/extract_speed.py --copies 50 --runs 5 --seeds DIR --entities FILE

The corpus is the seed articles repeated ``--copies`` times, each copy a
separate document (its own name), with the seeds' ``entities.toml``.  The
process is pinned to one CPU; one warm-up document (grammar and lexicon
loading) is timed on its own and left out of the throughput.  Sentences are
counted with ``deniable.grammar.tokens.split_sentences``, the splitter the
extractor uses, outside the timed loop.  Target: at least 1,000 sentences/s,
judged on CPU time (wall time is printed too; other load on the machine inflates it).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import statistics
import sys
import time
from collections.abc import Sequence
from importlib import resources
from pathlib import Path

TARGET_SENTENCES_PER_SECOND = 1_000.0


def _seed_dir() -> Path:
    try:
        return Path(str(resources.files("deniable.seeds")))
    except (NotADirectoryError, ModuleNotFoundError):
        # Without seeds/__init__.py an editable install makes deniable.seeds a namespace
        # package whose path lists a non-folder entry, which importlib.resources rejects.
        spec = importlib.util.find_spec("deniable.seeds")
        locations = (spec.submodule_search_locations or []) if spec else []
        folders = [Path(p) for p in locations if Path(p).is_dir()]
        if not folders:
            raise SystemExit("error: cannot find the seed articles; pass --seeds DIR") from None
        return folders[0]


def load_corpus(seeds: Path, copies: int) -> list[tuple[str, str]]:
    """``(name, text)`` for every seed article, ``copies`` times over, names made unique."""
    articles = sorted(p for p in seeds.iterdir() if p.suffix in (".txt", ".md") and p.is_file())
    if not articles:
        raise SystemExit(f"error: no .txt or .md articles in {seeds}")
    texts = [(p.name, p.read_text(encoding="utf-8")) for p in articles]
    return [(f"copy{c:04d}/{name}", text) for c in range(copies) for name, text in texts]


def _pin_one_core() -> str:
    if not hasattr(os, "sched_setaffinity"):
        return "not pinned (no sched_setaffinity here)"
    cpu = min(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {cpu})
    return f"pinned to CPU {cpu}"


def measure(corpus: list[tuple[str, str]], entities: Path, runs: int) -> dict[str, float]:
    """Extract the corpus ``runs`` times; return the median throughput and the counts."""
    from deniable.facts.model import Document
    from deniable.grammar.entities import load_knowledge
    from deniable.grammar.extract import extract
    from deniable.grammar.tokens import split_sentences

    knowledge = load_knowledge(entities)
    documents = [Document(name=name, text=text) for name, text in corpus]
    sentences = sum(len(split_sentences(d.text)) for d in documents)
    start = time.perf_counter()
    extract(documents[0], knowledge)
    warm_up = time.perf_counter() - start
    times, cpu_times, facts = [], [], 0
    for _ in range(runs):
        start, cpu = time.perf_counter(), time.process_time()
        facts = sum(_fact_count(extract(d, knowledge)) for d in documents)
        times.append(time.perf_counter() - start)
        cpu_times.append(time.process_time() - cpu)
    seconds, cpu_seconds = statistics.median(times), statistics.median(cpu_times)
    return {
        "documents": len(documents),
        "sentences": sentences,
        "characters": sum(len(text) for _, text in corpus),
        "facts": facts,
        "warm_up": warm_up,
        "seconds": seconds,
        "cpu_seconds": cpu_seconds,
        "sentences_per_second": sentences / seconds,
        "sentences_per_cpu_second": sentences / cpu_seconds,
    }


def _fact_count(result: object) -> int:
    # extract() returns the facts, or an Extraction holding them.
    facts = getattr(result, "facts", result)
    return len(facts) if hasattr(facts, "__len__") else 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python bench/extract_speed.py", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--seeds", type=Path, help="article folder (default: the packaged seeds)")
    parser.add_argument("--entities", type=Path, help="entity file (default: SEEDS/entities.toml)")
    parser.add_argument("--copies", type=int, default=40, help="repetitions of the seed articles")
    parser.add_argument("--runs", type=int, default=3, help="timed passes over the corpus")
    options = parser.parse_args(argv)
    if options.copies < 1 or options.runs < 1:
        raise SystemExit("error: --copies and --runs must be at least 1")
    seeds = options.seeds or _seed_dir()
    entities = options.entities or seeds / "entities.toml"
    if not entities.is_file():
        raise SystemExit(f"error: entity file {entities} not found; pass --entities FILE")
    pinned = _pin_one_core()
    r = measure(load_corpus(seeds, options.copies), entities, options.runs)
    # The verdict uses CPU time: on a shared machine wall time also counts other processes.
    mark = "✓" if r["sentences_per_cpu_second"] >= TARGET_SENTENCES_PER_SECOND else "✗"
    print(
        f"corpus: {r['documents']:,} documents ({options.copies} copies of {seeds}), "
        f"{r['sentences']:,} sentences, {r['characters']:,} characters; {pinned}\n"
        f"warm-up (first document, grammar and lexicons): {r['warm_up']:.2f} s\n"
        f"extract: median {r['seconds']:.2f} s wall, {r['cpu_seconds']:.2f} s CPU "
        f"of {options.runs} runs, {r['facts']:,} facts\n"
        f"{mark} {r['sentences_per_cpu_second']:,.0f} sentences per CPU second on one core, "
        f"{r['sentences_per_second']:,.0f} sentences/s wall "
        f"(target ≥ {TARGET_SENTENCES_PER_SECOND:,.0f}); "
        f"{r['characters'] / r['cpu_seconds'] / 1000:,.0f} k characters per CPU second"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
