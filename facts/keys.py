"""Keys the fact store matches on: folded names, content hashes and literal FTS queries."""

from __future__ import annotations

import hashlib
import unicodedata


def fold(text: str) -> str:
    """Return the case-, accent-, quote- and space-insensitive key of a name.

    The same fold as the gold ``check.py``, so store lookups and scoring agree.

    >>> fold("  Putin’s  CHEF ")
    "putin's chef"
    """
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    text = text.replace("\u201c", '"').replace("\u201d", '"').replace("\u00a0", " ")
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(text.casefold().split())


def fts_query(text: str) -> str:
    """Return an FTS5 MATCH expression that finds every word of ``text`` literally.

    Each whitespace-separated word becomes a quoted phrase, so that FTS syntax
    (``"``, ``*``, ``NEAR``, ``AND``, parentheses) in user text is searched
    for, never interpreted.  Returns ``""`` when there is nothing to search.

    >>> print(fts_query("putin NEAR (chef*"))
    "putin" "NEAR" "(chef*"
    """
    words = text.replace("\x00", " ").split()
    return " ".join('"' + w.replace('"', '""') + '"' for w in words)


def content_hash(text: str) -> str:
    """Return the SHA-256 hex digest of a document text (the duplicate key)."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
