"""Keys the fact store matches on: folded names, content hashes and literal FTS queries."""

from __future__ import annotations

import hashlib
import re
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
    """Return an FTS5 MATCH expression that finds ``text`` literally: quoted phrases, other words.

    Text in double quotes is one phrase, its words side by side in that order
    (``"phone calls"``); every other whitespace-separated word is searched on its
    own, anywhere in the sentence.  Each becomes a quoted FTS phrase, so FTS syntax
    (``"``, ``*``, ``NEAR``, ``AND``, parentheses) in user text is searched for,
    never interpreted; a quote without its partner is a character like any other.
    Returns ``""`` when there is nothing to search.

    >>> print(fts_query("putin NEAR (chef*"))
    "putin" "NEAR" "(chef*"
    >>> print(fts_query('"phone  calls" Kremlin'))
    "phone calls" "Kremlin"
    """
    parts = []
    for found in _QUERY_PARTS.finditer(text.replace("\x00", " ")):
        phrase = found.group(1)
        words = phrase.split() if phrase is not None else [found.group(2)]
        if words:
            parts.append('"' + " ".join(words).replace('"', '""') + '"')
    return " ".join(parts)


_QUERY_PARTS = re.compile(r'"([^"]*)"|(\S+)')


def content_hash(text: str) -> str:
    """Return the SHA-256 hex digest of a document text (the duplicate key)."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
