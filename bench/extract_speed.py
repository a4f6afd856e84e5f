"""Extraction speed against its own substrate: spaCy's bare pipeline and the whole extraction.

Run from the repository root::

    python bench/extract_speed.py                       # ../shared/news repeated 5 times
    python bench/extract_speed.py --articles DIR --copies 10 --runs 3

The corpus is every ``.txt``/``.md`` article of ``--articles`` (default: the real-news set in
``../shared/news``, else the packaged seeds) repeated ``--copies`` times.  The process is pinned
to one CPU.  In the same run it times, over the same texts:

* the bare pipeline: ``nlp(text)`` of the pinned spaCy model (what any spaCy-based extractor
  pays before reading a word), and
* the whole extraction: ``deniable.grammar.extract.extract`` (spaCy, names, every extractor,
  modality, the older reader, merging),

and prints sentences per CPU second for each and their ratio.  The target is that extraction
adds at most 30 % to spaCy's own time (ratio ≤ 1.30).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from importlib import resources
from pathlib import Path

TARGET_RATIO = 1.30


def _default_articles() -> Path:
    news = Path(__file__).resolve().parent.parent.parent / "shared" / "news"
    if news.is_dir():
        return news
    try:
        return Path(str(resources.files("deniable.seeds")))
    except (NotADirectoryError, ModuleNotFoundError):
        spec = importlib.util.find_spec("deniable.seeds")
        folders = [Path(p) for p in (spec.submodule_search_locations or [])] if spec else []
        return next((p for p in folders if p.is_dir()), Path("seeds"))


def load_corpus(folder: Path, copies: int) -> list[tuple[str, str]]:
    """``(name, text)`` for every article in ``folder``, ``copies`` times over."""
    articles = sorted(p for p in folder.iterdir() if p.suffix in (".txt", ".md") and p.is_file())
    if not articles:
        raise SystemExit(f"error: no .txt or .md articles in {folder}")
    texts = [(p.name, p.read_text(encoding="utf-8")) for p in articles]
    return [(f"copy{c:04d}/{name}", text) for c in range(copies) for name, text in texts]


def _pin_one_core() -> str:
    if not hasattr(os, "sched_setaffinity"):
        return "not pinned (no sched_setaffinity here)"
    cpu = min(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {cpu})
    return f"pinned to CPU {cpu}"


def _cpu(work: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.process_time()
        work()
        times.append(time.process_time() - start)
    return statistics.median(times)


def measure(corpus: list[tuple[str, str]], runs: int) -> dict[str, float]:
    """Median CPU seconds of the bare pipeline and of the whole extraction, same texts."""
    from deniable.facts.model import Document
    from deniable.grammar.extract import extract
    from deniable.grammar.nlp import parse, pipeline
    from deniable.grammar.tokens import split_sentences

    documents = [Document(name=name, text=text) for name, text in corpus]
    sentences = sum(len(split_sentences(d.text)) for d in documents)
    start = time.perf_counter()
    pipeline()
    extract(documents[0])
    warm_up = time.perf_counter() - start
    facts = sum(len(extract(d).facts) for d in documents)
    spacy_cpu = _cpu(lambda: [parse(d.text) for d in documents], runs)
    extract_cpu = _cpu(lambda: [extract(d) for d in documents], runs)
    return {
        "documents": len(documents),
        "sentences": sentences,
        "facts": facts,
        "warm_up": warm_up,
        "spacy_cpu": spacy_cpu,
        "extract_cpu": extract_cpu,
        "spacy_rate": sentences / spacy_cpu,
        "extract_rate": sentences / extract_cpu,
        "ratio": extract_cpu / spacy_cpu,
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python bench/extract_speed.py", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--articles", type=Path, help="article folder (default: ../shared/news)")
    parser.add_argument("--copies", type=int, default=5, help="repetitions of the articles")
    parser.add_argument("--runs", type=int, default=3, help="timed passes over the corpus")
    options = parser.parse_args(argv)
    if options.copies < 1 or options.runs < 1:
        raise SystemExit("error: --copies and --runs must be at least 1")
    folder = options.articles or _default_articles()
    pinned = _pin_one_core()
    r = measure(load_corpus(folder, options.copies), options.runs)
    mark = "✓" if r["ratio"] <= TARGET_RATIO else "✗"
    print(
        f"corpus: {r['documents']:,} documents ({options.copies} copies of {folder}), "
        f"{r['sentences']:,} sentences, {r['facts']:,} facts; {pinned}\n"
        f"warm-up (model, grammar, lexicons, first document): {r['warm_up']:.2f} s\n"
        f"spaCy pipeline alone : {r['spacy_cpu']:7.2f} s CPU "
        f"{r['spacy_rate']:8,.0f} sentences/s\n"
        f"whole extraction     : {r['extract_cpu']:7.2f} s CPU "
        f"{r['extract_rate']:8,.0f} sentences/s\n"
        f"{mark} extraction / spaCy = {r['ratio']:.2f}× (target ≤ {TARGET_RATIO:.2f}×; "
        f"median of {options.runs} runs)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
