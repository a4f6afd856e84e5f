"""Score the facts in a store against hand-made gold files: precision, recall and F1 per predicate.

The gold folder holds ``entities.json`` and one ``<article file name>.jsonl``
per article (see the gold ``GUIDELINE.md``).  A fact is the tuple (pred, a, b)
after mapping both names through the gold aliases with the gold checker's fold
(case, accents, curly quotes, spaces); ``called``, ``met`` and
``pictured_with`` are unordered.  Per article, the gold positive tuples (not
negated or attempted) are the set to find; each distinct positive system tuple
is a true positive when in that set, else a false positive.  Only articles that
are both in the gold folder and in the store are scored; the others are listed.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rich.console import Group
from rich.table import Table
from rich.text import Text

from deniable.errors import InputError, Location
from deniable.facts.load import read_jsonl
from deniable.facts.model import PREDICATES, SYMMETRIC
from deniable.facts.predicates import SPECS
from deniable.facts.schema import ALL_MODALITIES, POSITIVE_MODALITIES
from deniable.facts.store import FactStore, fold

#: A scored tuple: predicate and its two canonical names (sorted when unordered).
Key = tuple[str, str, str]


@dataclass(frozen=True, slots=True)
class Counts:
    """True positives, false positives and false negatives of one predicate (or all)."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        """TP / (TP + FP); 0.0 when nothing was extracted."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        """TP / (TP + FN); 0.0 when the gold has nothing."""
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
        }


@dataclass(frozen=True, slots=True)
class ScoreReport:
    """The score of a store against a gold folder; a Rich renderable (a table)."""

    by_predicate: dict[str, Counts]
    total: Counts
    # System positives that the gold marks negated/attempted (and not positive) there.
    negative_hits: tuple[tuple[str, Key], ...]
    false_positives: tuple[tuple[str, Key], ...]
    false_negatives: tuple[tuple[str, Key], ...]
    articles: tuple[str, ...]
    gold_only: tuple[str, ...] = ()
    store_only: tuple[str, ...] = ()
    by_article: dict[str, Counts] = field(default_factory=dict)
    # (predicate, system tuples) for predicates this gold does not annotate
    unscored: tuple[tuple[str, int], ...] = ()

    @property
    def precision(self) -> float:
        return self.total.precision

    @property
    def recall(self) -> float:
        return self.total.recall

    @property
    def f1(self) -> float:
        return self.total.f1

    def as_dict(self) -> dict[str, Any]:
        def keys(items: tuple[tuple[str, Key], ...]) -> list[dict[str, Any]]:
            return [{"article": a, "pred": k[0], "args": [k[1], k[2]]} for a, k in items]

        return {
            "articles": list(self.articles),
            "gold_only": list(self.gold_only),
            "store_only": list(self.store_only),
            "by_predicate": {p: c.as_dict() for p, c in self.by_predicate.items()},
            "by_article": {a: c.as_dict() for a, c in self.by_article.items()},
            "total": self.total.as_dict(),
            "negative_hits": len(self.negative_hits),
            "unscored": dict(self.unscored),
            "negative_hit_tuples": keys(self.negative_hits),
            "false_positives": keys(self.false_positives),
            "false_negatives": keys(self.false_negatives),
        }

    def __rich__(self) -> Group:
        table = Table(title=f"Score against gold ({len(self.articles)} articles)")
        for name in ("predicate", "gold", "system", "TP", "FP", "FN", "P", "R", "F1"):
            table.add_column(name, justify="left" if name == "predicate" else "right")
        for pred, c in self.by_predicate.items():
            table.add_row(pred, *_cells(c))
        table.add_section()
        table.add_row("all", *_cells(self.total), style="bold")
        lines = [
            Text(f"negated/attempted gold tuples extracted as positive: {len(self.negative_hits)}")
        ]
        if self.gold_only:
            lines.append(Text(f"gold articles not in the store: {', '.join(self.gold_only)}"))
        if self.unscored:
            shown = ", ".join(f"{p} ({n} tuples)" for p, n in self.unscored)
            lines.append(Text(f"not scored (the gold does not annotate them): {shown}"))
        return Group(table, *lines)


def _cells(c: Counts) -> list[str]:
    return [
        str(c.tp + c.fn),
        str(c.tp + c.fp),
        str(c.tp),
        str(c.fp),
        str(c.fn),
        f"{c.precision:.3f}",
        f"{c.recall:.3f}",
        f"{c.f1:.3f}",
    ]


@dataclass
class _Gold:
    positive: dict[str, set[Key]]
    negative: dict[str, set[Key]]


def score_store(store: FactStore, gold_dir: Path) -> ScoreReport:
    """Score the store's facts against the gold folder ``gold_dir``.

    Raises:
        InputError: the folder, ``entities.json`` or a gold line cannot be read.
    """
    if not gold_dir.is_dir():
        raise InputError(f"{gold_dir} is not a folder of gold files")
    canon = _aliases(gold_dir / "entities.json")
    gold = _read_gold(gold_dir, canon)
    stored = {_article_name(name): name for name in store.document_names()}
    articles = tuple(sorted(a for a in gold.positive if a in stored))
    system = _system_tuples(store, canon, {stored[a]: a for a in articles})
    per_pred: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    per_article: dict[str, Counts] = {}
    fps, fns, neg_hits = [], [], []
    # A predicate neither the guideline nor any gold file annotates cannot be scored here.
    annotated = {p for p in PREDICATES if SPECS[p].in_guideline} | {
        k[0] for keys in (*gold.positive.values(), *gold.negative.values()) for k in keys
    }
    unscored: dict[str, int] = defaultdict(int)
    for article in articles:
        for key in system.get(article, set()):
            if key[0] not in annotated:
                unscored[key[0]] += 1
        found = {k for k in system.get(article, set()) if k[0] in annotated}
        wanted = gold.positive[article]
        for key in sorted(found | wanted):
            slot = per_pred[key[0]]
            if key in found and key in wanted:
                slot[0] += 1
            elif key in found:
                slot[1] += 1
                fps.append((article, key))
                if key in gold.negative[article]:
                    neg_hits.append((article, key))
            else:
                slot[2] += 1
                fns.append((article, key))
        per_article[article] = Counts(len(found & wanted), len(found - wanted), len(wanted - found))
    order = [p for p in PREDICATES if p in per_pred] + sorted(set(per_pred) - set(PREDICATES))
    by_pred = {p: Counts(*per_pred[p]) for p in order}
    total = Counts(*(sum(c[i] for c in per_pred.values()) for i in range(3)))
    return ScoreReport(
        by_predicate=by_pred,
        total=total,
        negative_hits=tuple(neg_hits),
        false_positives=tuple(fps),
        false_negatives=tuple(fns),
        articles=articles,
        gold_only=tuple(sorted(a for a in gold.positive if a not in stored)),
        store_only=tuple(sorted(n for a, n in stored.items() if a not in gold.positive)),
        by_article=per_article,
        unscored=tuple(sorted(unscored.items())),
    )


def _article_name(doc_name: str) -> str:
    # Stored names are file names; a path-like name still matches its gold file.
    return doc_name.replace("\\", "/").rsplit("/", 1)[-1]


def _key(pred: str, a: str, b: str, canon: dict[str, str]) -> Key:
    a, b = canon.get(fold(a), a), canon.get(fold(b), b)
    if pred in SYMMETRIC and b < a:
        a, b = b, a
    return (pred, a, b)


def _aliases(path: Path) -> dict[str, str]:
    try:
        entities = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"{path} is missing; a gold folder needs entities.json") from None
    except json.JSONDecodeError as error:
        raise InputError(
            f"invalid JSON: {error.msg}", Location(str(path), error.lineno, error.colno)
        ) from None
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"cannot read {path}: {error}") from None
    if not isinstance(entities, list):
        raise InputError("expected a list of entities", Location(str(path)))
    canon: dict[str, str] = {}
    for i, e in enumerate(entities):
        if not isinstance(e, dict) or not isinstance(e.get("name"), str):
            raise InputError(f"entity {i} needs a string 'name'", Location(str(path)))
        for alias in [e["name"], *(a for a in e.get("aliases", []) if isinstance(a, str))]:
            canon.setdefault(fold(alias), e["name"])
    return canon


def _read_gold(gold_dir: Path, canon: dict[str, str]) -> _Gold:
    gold = _Gold({}, {})
    for path in sorted(gold_dir.glob("*.jsonl")):
        article = path.name[: -len(".jsonl")]
        positive, negative = set(), set()
        for obj, where in read_jsonl(path):
            n = where.line
            args = obj.get("args")
            if not (
                isinstance(obj.get("pred"), str)
                and isinstance(args, list)
                and len(args) == 2
                and all(isinstance(a, str) for a in args)
            ):
                raise InputError(
                    "a gold fact needs 'pred' and two string 'args'", Location(str(path), n, 1)
                )
            if obj.get("modality") not in ALL_MODALITIES:
                raise InputError(
                    f"unknown modality {obj.get('modality')!r}", Location(str(path), n, 1)
                )
            key = _key(obj["pred"], args[0], args[1], canon)
            if obj.get("modality") in POSITIVE_MODALITIES:
                positive.add(key)
            else:
                negative.add(key)
        gold.positive[article] = positive
        gold.negative[article] = negative - positive
    return gold


def _system_tuples(
    store: FactStore, canon: dict[str, str], doc_to_article: dict[str, str]
) -> dict[str, set[Key]]:
    found: dict[str, set[Key]] = defaultdict(set)
    rows = store.db.execute(
        "SELECT DISTINCT doc, pred, a, b FROM statement WHERE modality IN (?, ?, ?)",
        list(POSITIVE_MODALITIES),
    ).fetchall()
    for doc, pred, a, b in rows:
        article = doc_to_article.get(doc)
        if article is not None:
            found[article].add(_key(pred, a, b, canon))
    return found
