"""Write a fact store out for other tools: Soufflé ``.facts`` (tsv), CSV with headers, or JSONL.

* ``tsv``: one ``<relation>.facts`` file per rule-visible relation, tab-separated,
  no header, so ``souffle -F DIR`` and ``deniable run -F DIR`` read them.  Soufflé
  has no escape for tabs, newlines or NUL inside a symbol, so a value holding
  one is refused (nothing is written) rather than silently changed.
* ``csv``: one ``<relation>.csv`` per relation with a header row (RFC 4180 quoting), and
  ``statements.csv``: every statement with its modality, source, document, span and
  sentence.
* ``jsonl``: ``facts.jsonl`` (one object per statement), ``entities.jsonl`` and
  ``documents.jsonl`` (texts, their sources and sentence spans), which together hold
  the store's current documents; :mod:`deniable.facts.load` reads them back.

Every format writes the current version of each document only: the old versions
``ingest --replace`` kept are the store's own history (``deniable history``).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from deniable.errors import Location, OutputError, StoreError, UsageError
from deniable.facts import schema
from deniable.facts.access import write_blocker
from deniable.facts.store import FactStore

FORMATS = ("tsv", "csv", "jsonl")

#: Characters a Soufflé ``.facts`` field cannot hold.
_TSV_FORBIDDEN = {"\t": "a tab", "\n": "a newline", "\r": "a carriage return", "\x00": "a NUL"}


def export_store(store: FactStore, *, fmt: str, out_dir: Path) -> list[Path]:
    """Write the store's relations into ``out_dir`` in format ``fmt``; return the files written.

    Every file's content is built before the first one is written, so a refused
    value leaves ``out_dir`` untouched.

    Raises:
        UsageError: unknown format, or ``out_dir`` is a file.
        OutputError: ``out_dir`` or a file in it cannot be written (read-only, disk full).
        StoreError: a value cannot be written in the format (tsv only).
    """
    builders = {"tsv": _tsv_files, "csv": _csv_files, "jsonl": _jsonl_files}
    if fmt not in builders:
        raise UsageError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")
    if out_dir.exists() and not out_dir.is_dir():
        raise UsageError(f"{out_dir} is a file; give a folder with --out")
    blocker = write_blocker(out_dir)
    if blocker is not None:
        raise OutputError(f"cannot export here: {blocker}", Location(str(out_dir)))
    files = builders[fmt](store)
    for name in files:
        # A read-only file from an earlier export would stop the loop below half-way.
        if (out_dir / name).exists() and (blocker := write_blocker(out_dir / name)):
            raise OutputError(f"cannot export: {blocker}", Location(str(out_dir / name)))
    written = []
    path = out_dir
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        for name, content in files.items():
            path = out_dir / name
            path.write_text(content, encoding="utf-8", newline="")
            written.append(path)
    except OSError as error:
        # Not a usage error: the command was right, the folder is not writable (or full).
        raise OutputError(f"cannot write: {error.strerror or error}", Location(str(path))) from None
    return written


def _tsv_files(store: FactStore) -> dict[str, str]:
    files = {}
    for name in store.relations():
        lines = []
        for n, row in enumerate(store.rows(name), 1):
            for value in row:
                _check_tsv(name, n, value)
            lines.append("\t".join(str(v) for v in row) + "\n")
        files[f"{name}.facts"] = "".join(lines)
    return files


def _check_tsv(relation: str, row: int, value: Any) -> None:
    if not isinstance(value, str):
        return
    for char, what in _TSV_FORBIDDEN.items():
        if char in value:
            raise StoreError(
                f"cannot export {relation} row {row} as Soufflé facts: the value "
                f"{_short(value)!r} holds {what}, which .facts files cannot escape; "
                "use --format csv or jsonl"
            )


def _short(value: str, width: int = 60) -> str:
    return value if len(value) <= width else value[: width - 1] + "…"


#: Columns of ``statements.csv``: each statement with how it was said and where it came from.
STATEMENT_COLUMNS = (
    "pred", "a", "b", "modality", "source", "doc", "sentence_index", "start", "end",
    "pattern", "count", "when", "where", "claim", "role", "sentence",
)  # fmt: skip


def _csv_files(store: FactStore) -> dict[str, str]:
    files = {}
    for name in store.relations():
        buffer = io.StringIO(newline="")
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(store.relation_columns(name))
        writer.writerows(store.rows(name))
        files[f"{name}.csv"] = buffer.getvalue()
    # The predicate files hold what the rules read (a, b); a reader of a spreadsheet needs
    # to see that a call was reported, by whom, and the sentence that says so.
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(STATEMENT_COLUMNS)
    for st in store.iter_statements():
        row = {**st, "a": st["args"][0], "b": st["args"][1]}
        writer.writerow(["" if row[k] is None else row[k] for k in STATEMENT_COLUMNS])
    files["statements.csv"] = buffer.getvalue()
    return files


def _jsonl_files(store: FactStore) -> dict[str, str]:
    return {
        "facts.jsonl": _jsonl(_fact_objects(store)),
        "entities.jsonl": _jsonl(_entity_objects(store)),
        "documents.jsonl": _jsonl(_document_objects(store)),
    }


def _jsonl(objects: Iterable[dict[str, Any]]) -> str:
    return "".join(json.dumps(o, ensure_ascii=False) + "\n" for o in objects)


def _fact_objects(store: FactStore) -> Iterable[dict[str, Any]]:
    keys: tuple[str, ...] = ("pred", "args", "modality", "source", "doc", "sentence")
    keys += ("sentence_index", "start", "end", "pattern", "count", "when")
    for st in store.iter_statements():
        obj = {k: st[k] for k in keys}
        # Optional details appear only when the text gave them, as in the gold files.
        for k in ("where", "claim", "role", "extra"):
            if st[k]:
                obj[k] = st[k]
        yield obj


def _entity_objects(store: FactStore) -> Iterable[dict[str, Any]]:
    for name in store.entity_names():
        info = store.entity(name)
        if info is None:  # pragma: no cover - names come from the store itself
            continue
        yield {
            "name": info.name,
            "type": info.type,
            "aliases": list(info.aliases),
            "part_of": list(info.part_of),
            "known": info.known,
        }


def _document_objects(store: FactStore) -> Iterable[dict[str, Any]]:
    author = "author" if schema.has_authors(store.db) else "''"
    docs = store.db.execute(
        f"SELECT id, name, title, url, date, outlet, {author}, sha256, text "
        "FROM current_documents ORDER BY name"
    ).fetchall()
    for doc_id, name, title, url, date, outlet, by, sha, text in docs:
        sentences = store.db.execute(
            "SELECT position, char_start, char_end, text FROM sentences "
            "WHERE doc_id = ? ORDER BY position",
            [doc_id],
        ).fetchall()
        sources = store.db.execute(
            "SELECT source FROM document_sources WHERE doc_id = ? AND current = 1 ORDER BY source",
            [doc_id],
        ).fetchall()
        yield {
            "name": name,
            # The same text from several places is one document with several sources.
            "sources": [r[0] for r in sources],
            "title": title,
            "url": url,
            "date": date,
            "outlet": outlet,
            "author": by,
            "sha256": sha,
            "text": text,
            "sentences": [
                {"index": i, "start": s, "end": e, "text": t} for i, s, e, t in sentences
            ],
        }
