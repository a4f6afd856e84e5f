"""Photographs that show people together, read from the dependency parse.

An extractor module.  "photographs of A and B together", "a photo of A with B", "A appears
in a picture with B": each pair of people the picture shows is ``pictured_with``.  A
picture is no meeting; a caption with no verb ("A (left) with B") says who is in it; how
it was said ("she had seen photographs of …") is for
:mod:`deniable.grammar.stance`.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import combinations
from typing import TYPE_CHECKING

from deniable.grammar.candidate import Candidate, Context
from deniable.grammar.clause_args import after, pairs, subjects

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

    from deniable.grammar.names import Mention

PICTURE_NOUNS = frozenset(
    {"photograph", "photo", "picture", "image", "snapshot", "selfie", "footage", "video"}
)
# "A appears in a photo with B", "A is seen in a picture with B"
_SHOWN_VERBS = frozenset({"appear", "feature", "see", "show", "pose", "stand"})


def photographed_together(sent: Span, ctx: Context) -> Iterator[Candidate]:
    """ "photographs of A and B (together)", "a photo of A with B", "A appears in a photo
    with B"."""
    for n in sent:
        if n.lemma_.lower() not in PICTURE_NOUNS or n.pos_ != "NOUN":
            continue
        shown = _people(after((n,), ("of",), ctx))
        if shown:
            # "a photo of A with B": B hangs on the photo or on A
            heads = (n, *(t for t in n.subtree if ctx.names.at(t.i) in shown))
            beside = [m for m in _people(after(heads, ("with",), ctx)) if m not in shown]
            if beside:
                yield from pairs("pictured_with", n, shown, beside, "photo_of_with", sent)
            elif len(shown) > 1:
                for x, y in combinations(shown, 2):
                    yield from pairs("pictured_with", n, [x], [y], "photo_of", sent)
            continue
        v = _verb_of(n)
        if v is None or v.lemma_.lower() not in _SHOWN_VERBS:
            continue
        who = _people(subjects(v, ctx))
        beside = _people(after((n, v), ("with", "alongside", "beside"), ctx))
        yield from pairs("pictured_with", n, who, beside, "in_photo_with", sent)


_PLACES_IN_PICTURE = frozenset({"left", "right", "centre", "center", "second", "far"})


def caption_with(sent: Span, ctx: Context) -> Iterator[Candidate]:
    """A caption with no verb that places people in the picture: "A (left) with B at a
    fundraiser"."""
    if any(t.pos_ in ("VERB", "AUX") for t in sent):
        return
    words = [t.lower_ for t in sent]
    marked = any(
        words[k] == "(" and k + 2 < len(words) and words[k + 1] in _PLACES_IN_PICTURE
        for k in range(len(words))
    )
    if not marked:
        return
    for t in sent:
        if t.lower_ != "with":
            continue
        before = [m for m in ctx.mentions_in(sent) if m.kind == "person" and m.end <= t.i]
        beside = _people(after((t.head,), ("with",), ctx)) or [
            m for m in ctx.mentions_in(sent) if m.kind == "person" and m.start > t.i
        ]
        if before and beside:
            yield from pairs("pictured_with", t, before[:1], beside, "caption_with", sent)
        return


def _verb_of(n: Token) -> Token | None:
    """The verb ``n`` hangs on through "in" ("appears in a photo")."""
    prep = n.head
    if n.dep_ != "pobj" or prep.lower_ != "in" or prep.head.pos_ not in ("VERB", "AUX"):
        return None
    return prep.head


def _people(found: list[Mention]) -> list[Mention]:
    return [m for m in found if m.kind == "person"]
