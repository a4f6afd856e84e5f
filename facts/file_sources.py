"""Which stored source a file read from disk is: the bridge from a path to a document's identity.

A document is its source (the path relative to the folder given to ``ingest``)
plus its text's hash (:mod:`deniable.facts.versions`).  The same file reached
through another root has another relative path: ``outlets/b/story.txt`` is
``b/story.txt`` when ``outlets`` is ingested, but ``story.txt`` when
``outlets/b`` or the file itself is.  Taken literally, ``ingest --replace
outlets/b`` would then add a second current document for one article.
:func:`source_for_file` maps the relative path back to the stored source it
stands for, so that a re-ingest or a replace reaches exactly the document that
file was stored as.
"""

from __future__ import annotations

import os
from collections import defaultdict
from pathlib import Path

from sqlite_utils import Database

from deniable.errors import StoreError

__all__ = ["StoredSources", "source_for_file"]


class StoredSources:
    """The store's sources by their last part (the file name), read once for a whole ingest."""

    def __init__(self, db: Database) -> None:
        self._by_name: dict[str, list[str]] = defaultdict(list)
        for (source,) in db.execute("SELECT DISTINCT source FROM document_sources"):
            self._by_name[str(source).rsplit("/", 1)[-1]].append(str(source))

    def ending_with(self, source: str) -> list[str]:
        """The stored sources that are ``source`` or end with ``/source``, sorted."""
        tail = "/" + source
        named = self._by_name.get(source.rsplit("/", 1)[-1], [])
        return sorted(s for s in named if s == source or s.endswith(tail))


def source_for_file(
    stored: StoredSources, path: Path, source: str, *, named: bool, replace: bool
) -> str:
    """Return the source a file read from ``path`` is stored as; ``source`` is its relative path.

    A stored source counts as this file's when it is ``source`` extended to the left
    by folders ``path`` really lies in (``b/story.txt`` for ``outlets/b/story.txt``
    read as ``story.txt``); of several, the longest, the one naming most of the
    path.  Only the folders above the ingest root may extend it, so another file
    at a longer relative path is never taken for a stored one.  Failing that, a file
    ``named`` on the command line with ``replace`` may stand for the one stored
    source that ends with its relative path, as ``deniable history`` takes the end
    of a path; several are an error, since replacing a guess could put one outlet's
    article in another's place.  Otherwise ``source`` is a new source.

    Raises:
        StoreError: ``replace`` of a file named directly whose name ends several
            stored sources and whose path fits none of them.
    """
    ends = stored.ending_with(source)
    if not ends:
        return source
    # abspath, not resolve(): the folders as the user reached them, ``..`` folded.
    where = "/" + Path(os.path.abspath(path)).as_posix().lstrip("/")
    above = [s for s in ends if where.endswith("/" + s)]
    if above:
        return max(above, key=len)
    if source in ends or not (named and replace):
        return source
    if len(ends) == 1:
        return ends[0]
    raise StoreError(
        f"{source!r} names {len(ends)} stored documents: {', '.join(ends)}; to replace one, "
        f"give the file by a path that ends with it (…/{ends[-1]})"
    )
