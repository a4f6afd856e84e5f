"""Write a fact store out for other tools: Soufflé ``.facts`` (tsv), CSV with headers, or JSONL.

* ``tsv``: one ``<relation>.facts`` file per rule-visible relation, tab-separated,
  no header, so ``souffle -F DIR`` and ``deniable run -F DIR`` read them.  Soufflé
  has no escape for tabs, newlines or NUL inside a symbol, so a value holding
  one is refused (nothing is written) rather than silently changed.
* ``csv``: one ``<relation>.csv`` per relation with a header row (RFC 4180 quoting), and
  ``statements.csv``: every statement with its modality, source, document, span and
  sentence.
* ``ftm``: ``entities.ftm.json``, FollowTheMoney entities for Aleph (:mod:`deniable.facts.ftm`).
* ``jsonl``: ``facts.jsonl`` (one object per statement), ``entities.jsonl`` and
  ``documents.jsonl`` (texts, their sources and sentence spans), which together hold
  the store's current documents; :mod:`deniable.facts.load` reads them back.

Every format writes the current version of each document only: the old versions
``ingest --replace`` kept are the store's own history (``deniable history``).
Statements a reviewer rejected are left out, as they are out of every view the
rules read; ``include_rejected`` puts them back into ``statements.csv``,
``facts.jsonl`` and ``entities.ftm.json``, marked (``review`` is ``rejected``, or the
link's caption says so), for an audit of the decisions.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from deniable.errors import Location, OutputError, StoreError, UsageError
from deniable.facts import schema
from deniable.facts.access import write_blocker
from deniable.facts.model import PREDICATES, Modality
from deniable.facts.statement_rows import statement_rows
from deniable.facts.store import FactStore

FORMATS = ("tsv", "csv", "jsonl", "ftm")

#: Characters a Soufflé ``.facts`` field cannot hold.
_TSV_FORBIDDEN = {"\t": "a tab", "\n": "a newline", "\r": "a carriage return", "\x00": "a NUL"}


def export_store(
    store: FactStore,
    *,
    fmt: str,
    out_dir: Path,
    extra: Mapping[str, str] | None = None,
    include_rejected: bool = False,
) -> list[Path]:
    """Write the store's relations into ``out_dir`` in format ``fmt``; return the files written.

    Every file's content is built before the first one is written, so a refused
    value leaves ``out_dir`` untouched.  ``extra`` adds files (name relative to
    ``out_dir``, which may name a subfolder, and content), such as the derived
    conclusions (:mod:`deniable.rules.derived_export`).  Rejected statements are
    written (marked) only with ``include_rejected``.

    Raises:
        UsageError: unknown format, or ``out_dir`` is a file.
        OutputError: ``out_dir`` or a file in it cannot be written (read-only, disk full).
        StoreError: a value cannot be written in the format (tsv only).
    """
    builders = {"tsv": _tsv_files, "csv": _csv_files, "jsonl": _jsonl_files, "ftm": _ftm_files}
    if fmt not in builders:
        raise UsageError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")
    if out_dir.exists() and not out_dir.is_dir():
        raise UsageError(f"{out_dir} is a file; give a folder with --out")
    blocker = write_blocker(out_dir)
    if blocker is not None:
        raise OutputError(f"cannot export here: {blocker}", Location(str(out_dir)))
    files = {**builders[fmt](store, include_rejected), **(extra or {})}
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
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(content, encoding="utf-8", newline="")
            written.append(path)
    except OSError as error:
        # Not a usage error: the command was right, the folder is not writable (or full).
        raise OutputError(f"cannot write: {error.strerror or error}", Location(str(path))) from None
    return written


def _tsv_files(store: FactStore, _include_rejected: bool) -> dict[str, str]:
    # The rule views hold no rejected statement: bare rows for Soufflé, as the rules see them.
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
    "id", "pred", "a", "b", "modality", "source", "vouched_by", "doc", "title", "date",
    "sentence_index", "start", "end", "pattern", "count", "when", "where", "claim", "role",
    "review", "sentence",
)  # fmt: skip
#: Columns of a predicate's file (``called.csv`` …): each positive statement of the fact.
FACT_COLUMNS = (
    "a", "b", "modality", "source", "vouched_by", "doc", "title", "date", "sentence", "start",
    "end", "count", "when", "id",
)  # fmt: skip
_POSITIVE = frozenset(m.value for m in Modality if m.positive)


def _csv_files(store: FactStore, include_rejected: bool) -> dict[str, str]:
    rows = [r for r in statement_rows(store) if include_rejected or r["review"] != "rejected"]
    files = {}
    for name in store.relations():
        if name in PREDICATES:
            # The rules read (a, b); a reader of a spreadsheet needs to see that a call was
            # reported, by whom, and the sentence that says so: one line per statement.
            admitted = (
                r for r in rows
                if r["pred"] == name and r["modality"] in _POSITIVE and r["review"] != "rejected"
            )  # fmt: skip
            files[f"{name}.csv"] = _csv(
                FACT_COLUMNS, ([r[k] for k in FACT_COLUMNS] for r in admitted)
            )
        elif name == "statement":
            files[f"{name}.csv"] = _statement_view_csv(store, rows)
        else:
            files[f"{name}.csv"] = _csv(store.relation_columns(name), store.rows(name))
    files["statements.csv"] = _csv(
        STATEMENT_COLUMNS, ([r[k] for k in STATEMENT_COLUMNS] for r in rows)
    )
    return files


def _statement_view_csv(store: FactStore, rows: list[dict[str, Any]]) -> str:
    """The rules' ``statement`` view, its ``source`` column split as in every other export.

    The view's ``source`` is who vouches for a statement (the attributed source,
    else the outlet, else the document); exports call that ``vouched_by`` and keep
    ``source`` for the attributed source alone, as the JSON Lines export does.
    """
    attributed = {r["id"]: r["source"] for r in rows}
    columns = ("id", "pred", "a", "b", "modality", "source", "vouched_by", "doc")
    lines = (
        (sid, pred, a, b, modality, attributed.get(sid, ""), vouched, doc)
        for sid, pred, a, b, modality, vouched, doc in store.rows("statement")
    )
    return _csv(columns, lines)


def _csv(columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(["" if v is None else v for v in row] for row in rows)
    return buffer.getvalue()


def _ftm_files(store: FactStore, include_rejected: bool) -> dict[str, str]:
    # Imported here: the FtM model takes a second to load, and only this format needs it.
    from deniable.facts.ftm import FTM_FILE, ftm_lines

    return {FTM_FILE: ftm_lines(store, include_rejected=include_rejected)}


def _jsonl_files(store: FactStore, include_rejected: bool) -> dict[str, str]:
    return {
        "facts.jsonl": _jsonl(_fact_objects(store, include_rejected)),
        "entities.jsonl": _jsonl(_entity_objects(store)),
        "documents.jsonl": _jsonl(_document_objects(store)),
    }


def _jsonl(objects: Iterable[dict[str, Any]]) -> str:
    return "".join(json.dumps(o, ensure_ascii=False) + "\n" for o in objects)


def _fact_objects(store: FactStore, include_rejected: bool) -> Iterable[dict[str, Any]]:
    keys: tuple[str, ...] = ("pred", "args", "modality", "source", "doc", "sentence")
    keys += ("sentence_index", "start", "end", "pattern", "count", "when")
    outlets = dict(store.db.execute("SELECT name, outlet FROM current_documents").fetchall())
    for st in store.iter_statements():
        if st["review"] == "rejected" and not include_rejected:
            continue
        obj = {k: st[k] for k in keys}
        # As in the CSV files: `source` is the attributed source, `vouched_by` who stands behind it.
        obj["vouched_by"] = st["source"] or outlets.get(st["doc"]) or st["doc"]
        # Optional details appear only when the text gave them, as in the gold files.
        for k in ("where", "claim", "role", "extra", "review"):
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
