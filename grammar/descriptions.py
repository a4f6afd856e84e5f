"""Descriptions by post: "the attorney general" as a mention of the one person the article
gives that post ("Attorney General Lord X").

A stage between names and extractors: the reader finds the posts named with people first,
then adds these mentions to a new, read-only :class:`DocNames`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from deniable.grammar.names import DocNames, Mention

if TYPE_CHECKING:
    from spacy.tokens import Doc

_DESCRIPTION_DETS = frozenset({"the", "his", "her", "its", "their"})


def with_descriptions(doc: Doc, names: DocNames, holders: dict[str, str]) -> DocNames:
    """Add "the attorney general" as a mention of the one person the article gives that post.

    ``holders`` maps a post as written ("attorney general") to the person the article names
    with it; posts held by more than one person in the article are left out by the caller.
    """
    if not holders:
        return names
    longest = max(len(p.split()) for p in holders)
    added: list[Mention] = []
    k = 0
    while k < len(doc):
        if doc[k].lower_ not in _DESCRIPTION_DETS or names.at(k + 1) is not None:
            k += 1
            continue
        for n in range(longest, 0, -1):
            end = k + 1 + n
            if end > len(doc) or any(names.at(j) is not None for j in range(k + 1, end)):
                continue
            phrase = doc[k + 1 : end].text.lower()
            who = holders.get(phrase)
            nxt = names.at(end) if end < len(doc) else None
            if who and (nxt is None or nxt.kind != "person") and doc[end - 1].pos_ != "ADJ":
                added.append(Mention(k + 1, end, who, "person"))
                k = end
                break
        else:
            k += 1
    if not added:
        return names
    mentions = tuple(sorted((*names.mentions, *added), key=lambda m: m.start))
    by_token = {i: m for m in mentions for i in range(m.start, m.end)}
    return DocNames(mentions, by_token, names.home, names.genders)
