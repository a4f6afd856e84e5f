"""Read a JSONL export (``documents.jsonl``, ``entities.jsonl``, ``facts.jsonl``) back into a store.

The files are those :func:`deniable.facts.export.export_store` writes with
``fmt="jsonl"``; loading them into an empty store gives the same relations.
Everything is read and checked before anything is written, and the writes
happen in one transaction.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from deniable.errors import InputError, Location
from deniable.facts import versions
from deniable.facts.keys import content_hash
from deniable.facts.model import Document, Entity, Evidence, Extraction, Fact, Modality, Sentence
from deniable.facts.store import FactStore


@dataclass(frozen=True, slots=True)
class LoadReport:
    """What a load stored: documents added (skipped when already stored), entities, facts."""

    documents: int
    entities: int
    statements: int


def load_export(store: FactStore, in_dir: Path, *, replace: bool = False) -> LoadReport:
    """Load a JSONL export from ``in_dir`` into ``store``.

    Raises:
        InputError: a file is missing or a line is not valid (with file, line, column).
    """
    entities = [_entity(obj, loc) for obj, loc in read_jsonl(in_dir / "entities.jsonl")]
    docs: dict[str, tuple[Document, tuple[Sentence, ...]]] = {}
    sources: dict[str, list[str]] = {}
    for obj, loc in read_jsonl(in_dir / "documents.jsonl"):
        doc, sentences = _document(obj, loc)
        docs[doc.name] = (doc, sentences)
        sources[doc.name] = [s for s in _get(obj, "sources", list, loc, []) if s != doc.name]
        if not all(isinstance(s, str) and s for s in sources[doc.name]):
            raise InputError("'sources' must be a list of non-empty strings", loc)
    facts: dict[str, list[Fact]] = {name: [] for name in docs}
    for obj, loc in read_jsonl(in_dir / "facts.jsonl"):
        fact = _fact(obj, loc)
        if fact.evidence.doc not in facts:
            raise InputError(
                f"fact names document {fact.evidence.doc!r}, which documents.jsonl lacks", loc
            )
        facts[fact.evidence.doc].append(fact)
    with store.db.atomic():
        store.add_entities(entities)
        for name, (doc, sentences) in docs.items():
            extraction = Extraction(doc, sentences, tuple(facts[name]))
            store.add_extraction(extraction, replace=replace)
            for source in sources[name]:
                versions.place_stored_text(
                    store, source, doc.sha256 or content_hash(doc.text), replace=replace
                )
    return LoadReport(len(docs), len(entities), sum(len(f) for f in facts.values()))


def read_jsonl(path: Path) -> Iterator[tuple[dict[str, Any], Location]]:
    """Yield each JSON object of a JSON Lines file with its location; blank lines are skipped.

    Raises:
        InputError: the file is missing or unreadable, or a line is not a JSON object
            (with file, line and column).
    """
    try:
        lines = path.read_text(encoding="utf-8").split("\n")
    except FileNotFoundError:
        raise InputError(
            f"{path} is missing; give a folder written by `deniable export --format jsonl`"
        ) from None
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"cannot read {path}: {error}") from None
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as error:
            raise InputError(
                f"invalid JSON: {error.msg}", Location(str(path), n, error.colno)
            ) from None
        if not isinstance(obj, dict):
            raise InputError("expected a JSON object", Location(str(path), n, 1))
        yield obj, Location(str(path), n, 1)


def _get(
    obj: dict[str, Any], key: str, kind: type | tuple[type, ...], loc: Location, default: Any = ...
) -> Any:
    if key not in obj:
        if default is ...:
            raise InputError(f"missing key {key!r}", loc)
        return default
    value = obj[key]
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise InputError(f"key {key!r} has the wrong type ({type(value).__name__})", loc)
    return value


def _entity(obj: dict[str, Any], loc: Location) -> Entity:
    aliases = _get(obj, "aliases", list, loc, [])
    part_of = _get(obj, "part_of", list, loc, [])
    if not all(isinstance(x, str) for x in [*aliases, *part_of]):
        raise InputError("aliases and part_of must be lists of strings", loc)
    return Entity(
        _get(obj, "name", str, loc),
        _get(obj, "type", str, loc, "unknown"),  # type: ignore[arg-type]
        tuple(aliases),
        tuple(part_of),
        known=_get(obj, "known", bool, loc, True),
    )


def _document(obj: dict[str, Any], loc: Location) -> tuple[Document, tuple[Sentence, ...]]:
    doc = Document(
        name=_get(obj, "name", str, loc),
        text=_get(obj, "text", str, loc),
        title=_get(obj, "title", str, loc, ""),
        url=_get(obj, "url", str, loc, ""),
        date=_get(obj, "date", str, loc, ""),
        outlet=_get(obj, "outlet", str, loc, ""),
        author=_get(obj, "author", str, loc, ""),
        sha256=_get(obj, "sha256", str, loc, ""),
    )
    sentences = []
    for s in _get(obj, "sentences", list, loc, []):
        if not isinstance(s, dict):
            raise InputError("a sentence must be an object", loc)
        sentences.append(
            Sentence(
                _get(s, "index", int, loc),
                _get(s, "start", int, loc),
                _get(s, "end", int, loc),
                _get(s, "text", str, loc),
            )
        )
    return doc, tuple(sentences)


def _fact(obj: dict[str, Any], loc: Location) -> Fact:
    args = _get(obj, "args", list, loc)
    if len(args) != 2 or not all(isinstance(a, str) for a in args):
        raise InputError("args must be a list of two strings", loc)
    try:
        modality = Modality(_get(obj, "modality", str, loc))
    except ValueError:
        raise InputError(f"unknown modality {obj['modality']!r}", loc) from None
    count = _get(obj, "count", (int, type(None)), loc, None)
    if isinstance(count, bool):
        raise InputError("key 'count' has the wrong type (bool)", loc)
    extra = _get(obj, "extra", list, loc, [])
    if not all(isinstance(kv, list) and len(kv) == 2 for kv in extra):
        raise InputError("extra must be a list of [key, value] pairs", loc)
    return Fact(
        pred=_get(obj, "pred", str, loc),
        args=(args[0], args[1]),
        modality=modality,
        evidence=Evidence(
            _get(obj, "doc", str, loc),
            _get(obj, "sentence_index", int, loc),
            _get(obj, "start", int, loc),
            _get(obj, "end", int, loc),
            _get(obj, "pattern", str, loc, ""),
        ),
        source=_get(obj, "source", str, loc, ""),
        count=count,
        when=_get(obj, "when", str, loc, ""),
        where=_get(obj, "where", str, loc, ""),
        claim=_get(obj, "claim", str, loc, ""),
        role=_get(obj, "role", str, loc, ""),
        extra=tuple((str(k), str(v)) for k, v in extra),
    )
