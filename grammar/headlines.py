"""Headlines: names in a title-case line, where capitals say nothing, kept as the body
writes them; and a line's attribution after a dash ("A met B - sources").

"Former Ambassador Denies Discussing Sanctions With Flynn" capitalises every word, so the
tagger's names there ("Denies Discussing", "A Day") are guesses.  A person or company the
headline names is named again in the article; a run the body never writes is cut to the
part it does write, or dropped.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from deniable.grammar.kinds import leader_surnames
from deniable.grammar.nlp import span_tokens
from deniable.grammar.raw_names import RawName

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

    from deniable.grammar.vocab import Vocab

_CHECKED = frozenset({"person", "org"})


def title_case(sent: Span) -> bool:
    """A headline's line: no closing full stop, every word longer than three letters
    capitalised but for stop words, several of them, and one a word no name has ("Denies",
    "With")."""
    words = [t for t in span_tokens(sent) if not t.is_space]
    if not words or words[-1].text in (".", "!", "?"):
        return False  # ("Welsh Secretary X met First Minister Y." is a sentence of names)
    long = [t for t in words if t.is_alpha and len(t.text) > 3]
    # (a stop word may stay in lower case: "… Having Sex with Epstein Victim")
    capital = [t for t in long if not (t.is_stop and t.is_lower)]
    return (
        len(capital) >= 3
        and all(t.text[:1].isupper() for t in capital)
        and any(t.pos_ not in ("PROPN", "NOUN", "ADJ") or t.is_stop for t in long)
    )


def headline_names(doc: Doc, raw: list[RawName], v: Vocab) -> list[RawName]:
    """``raw`` with each person or company name of a title-case line cut to the words the
    rest of the article writes, or dropped when it writes none of them."""
    heads = [s for s in doc.sents if title_case(s)]
    body = " ".join(s.text for s in doc.sents if not title_case(s))
    if not heads or len(body.split()) < 20:
        return raw  # (no body to check against: a caption, a one-line case)
    spans = [(s.start, s.end) for s in heads]
    out: list[RawName] = []
    for r in raw:
        if r.kind not in _CHECKED or not any(a <= r.start < b for a, b in spans):
            out.append(r)
            continue
        kept = _written(doc, r, body, v)
        if kept is not None:
            out.append(kept)
    return out


def _written(doc: Doc, r: RawName, body: str, v: Vocab) -> RawName | None:
    words = r.text.split()
    low = r.text.lower()
    if low in v.leaders or low in leader_surnames() or _in(r.text, body):
        return r
    if len(words) != r.end - r.start:
        return r  # (a name written other than token by token: leave it be)
    # the longest run of its words the body writes, from either end
    for n in range(len(words) - 1, 0, -1):
        for k in (0, len(words) - n):
            part = words[k : k + n]
            if _in(" ".join(part), body) and part[0][:1].isupper():
                start = r.start + k
                return RawName(start, start + n, doc[start : start + n].text, r.kind, r.gender)
    return None


def _in(text: str, body: str) -> bool:
    """``text`` is written in ``body`` as whole words."""
    at = body.find(text)
    while at >= 0:
        before = body[at - 1] if at > 0 else " "
        after = body[at + len(text)] if at + len(text) < len(body) else " "
        if not before.isalnum() and not after.isalnum():
            return True
        at = body.find(text, at + 1)
    return False


_DASHES = frozenset({"-", "–", "—"})
_TAGS = frozenset({"sources", "source", "report", "reports", "media", "officials", "witnesses"})


def dash_attribution(words: list[str]) -> str | None:
    """Who a line ending in a dash and a source says it ("A met B - sources", "… -
    Interfax", "A met B: sources"): a headline's attribution, "" for nobody named; None for
    no such line."""
    words = [w for w in words if w.strip()]
    while words and words[-1] in ('"', "'", "”", "’"):
        words.pop()
    if len(words) >= 3 and words[-2] == ":" and words[-1].lower() in _TAGS:
        return ""  # "A and B hold secret talks: sources"
    if len(words) < 3 or words[-2] not in _DASHES:
        return None
    last = words[-1]
    if last.lower() in _TAGS:
        return ""
    # an outlet or agency named after the dash ("… - Interfax", "– Reuters")
    return last if last[:1].isupper() and last.isalpha() and len(last) > 2 else None
