"""An organisation's or a person's several-word name found once is that name wherever the
article writes it again, though the tagger cut it there ("Cambridge" + "Analytica") or took
part of it for something else (a person's surname that is also a town's name)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from deniable.grammar.nlp import doc_tokens
from deniable.grammar.raw_names import RawName

if TYPE_CHECKING:
    from spacy.tokens import Doc


def spread(doc: Doc, raw: list[RawName]) -> list[RawName]:
    """An organisation's or a person's several-word name found once is that name wherever
    the article writes it again, though the tagger cut it there ("Cambridge" + "Analytica")
    or took a word of it for a place, or wrote a body's head word in lower case ("the Butler
    inquiry" after "the Butler Inquiry")."""
    kinds: dict[tuple[str, ...], str] = {}
    for r in raw:
        if r.kind in ("org", "person") and " " in r.text:
            kinds.setdefault(tuple(r.text.split()), r.kind)
    names = sorted(kinds, key=len, reverse=True)
    words = [t.text for t in doc_tokens(doc)]
    at: dict[str, list[int]] = {}
    for i, w in enumerate(words):
        at.setdefault(w, []).append(i)
    out = list(raw)
    for name in names:
        n = len(name)
        # (only where the name's first word is written)
        for i in at.get(name[0], ()):
            if i + n > len(words):
                continue
            kind = kinds[name]
            if tuple(words[i : i + n]) != name and not (
                kind == "org" and _lower_head(words[i : i + n], name)
            ):
                continue
            inside = [r for r in out if i <= r.start and r.end <= i + n]
            if any(r.start < i + n and r.end > i and r not in inside for r in out) or any(
                (r.start, r.end) == (i, i + n) for r in inside
            ):
                continue  # already this name, or a name crossing its edge
            out = [r for r in out if r not in inside] + [RawName(i, i + n, " ".join(name), kind)]
    return sorted(out, key=lambda r: r.start)


_HEADS = frozenset({"inquiry", "committee", "commission", "council"})


def _lower_head(words: list[str], name: tuple[str, ...]) -> bool:
    """``words`` are ``name`` with its last word, a body's head word, in lower case."""
    return (
        len(words) == len(name) > 1
        and name[-1].lower() in _HEADS
        and words[-1] == name[-1].lower()
        and tuple(words[:-1]) == name[:-1]
    )
