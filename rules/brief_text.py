"""Words and checks the Markdown and HTML briefs share: the lede, how a source is named, URLs."""

from __future__ import annotations

from urllib.parse import quote, urlsplit

from deniable.rules.brief import Footnote

__all__ = ["LEDE", "STRENGTH_NOTE", "capitalised", "safe_url", "source_words"]

LEDE = (
    "Each finding is worded from the statements of its strongest chain; every claim is "
    "footnoted to the article and the sentence that make it. A finding is only as strong as "
    "the weakest statement on that chain."
)
STRENGTH_NOTE = "(asserted beats reported beats alleged; the weakest statement on the chain)"


def capitalised(text: str) -> str:
    """The text with its first letter in capitals (names keep theirs).

    >>> capitalised("it is denied that A met B")
    'It is denied that A met B'
    """
    return text[:1].upper() + text[1:]


def source_words(note: Footnote) -> str:
    """How the article says it: ``reported by leaked logs``, ``asserted``, ``alleged``."""
    if note.source and note.modality in ("reported", "alleged"):
        return f"{note.modality} by {note.source}"
    return note.modality


def safe_url(url: str) -> str:
    """``url`` when it is an ``http``/``https`` address (with unsafe characters quoted), else "".

    A ``javascript:`` or ``data:`` address from a scraped page must never become a link.

    >>> safe_url("https://a.example/x?q=<1>&b=2"), safe_url("javascript:alert(1)")
    ('https://a.example/x?q=%3C1%3E&b=2', '')
    """
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return ""
    return quote(url, safe=":/?#[]@!$&'*+,;=%~-._")
