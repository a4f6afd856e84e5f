"""What a reader needs to cite a document: outlet, title, date, author and URL, by source name."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from deniable.facts.schema import has_authors
from deniable.facts.store import FactStore

__all__ = ["Citation", "citations"]


@dataclass(frozen=True, slots=True)
class Citation:
    """A current document as a footnote names it; empty strings where the store knows nothing."""

    doc: str
    title: str = ""
    outlet: str = ""
    date: str = ""
    author: str = ""
    url: str = ""


def citations(store: FactStore, docs: Iterable[str]) -> dict[str, Citation]:
    """The citation of each named current document (names the store does not know are left out)."""
    wanted = sorted(set(docs))
    if not wanted:
        return {}
    # An older store opened read-only may lack the author column (see has_authors).
    author = "author" if has_authors(store.db) else "''"
    marks = ", ".join("?" for _ in wanted)
    rows = store.db.execute(
        f"SELECT name, title, outlet, date, {author}, url FROM current_documents "
        f"WHERE name IN ({marks})",
        wanted,
    ).fetchall()
    return {r[0]: Citation(*(str(v or "") for v in r)) for r in rows}
