"""Sentences and tokens with character offsets into the document text."""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

from deniable.facts.model import Sentence

# Single characters mapped to single characters, so offsets in the cleaned text are the
# offsets in the original one.
_SAME_LENGTH = str.maketrans(
    {
        "\u00a0": " ",
        "\u2009": " ",
        "\u202f": " ",
        "\u2007": " ",
        "\u2018": "'",
        "\u2019": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2026": ".",
        "\t": " ",
        "\r": " ",
    }
)

_WORD = re.compile(r"[^\W_]+(?:[-.'][^\W_]+)*|\S", re.UNICODE)
_LINE = re.compile(r"[^\n]+")
# A sentence ends at . ! ? (maybe a closing quote) before a space and an upper-case start.
_SENT_END = re.compile(r"[.!?][\"')\]]*\s+(?=[\"'(\[]?[^\W\d_a-z])")
_ABBREV = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "st",
        "lt",
        "gen",
        "col",
        "sgt",
        "capt",
        "maj",
        "jr",
        "sr",
        "prof",
        "rep",
        "sen",
        "gov",
        "no",
        "vs",
        "u.s",
        "u.k",
        "inc",
        "ltd",
        "corp",
        "co",
    ]
)
# Picture credits glued to a caption ("...periodCredit: Reuters") and page furniture.
_CREDIT = re.compile(r"\s*Credit:.*$")
_BOILERPLATE = re.compile(
    r"^\s*(READ MORE\b|Don't miss|Source:|Popular posts|We use your sign-up|More info\b|"
    r"This is a breaking story|class=|Sign up\b|Subscribe\b|Follow us\b|Click here\b|"
    r"I am [A-Z][a-z]+ [A-Z][a-z]+, a\b)|\[(INSIGHT|PICTURES|VIDEO|REVEAL|LATEST)\]\s*$",
)


@dataclass(slots=True)
class Token:
    """A token: surface text, offsets into the document, its lower-case form and token class."""

    text: str
    start: int
    end: int
    low: str
    cls: str = "W"


def clean(text: str) -> str:
    """Return ``text`` with quotes, dashes and odd spaces made plain, keeping every offset."""
    return text.translate(_SAME_LENGTH)


@functools.lru_cache(maxsize=1 << 16)
def fold(word: str) -> str:
    """Return a matching key for a name word: case, accents and transliteration folded.

    >>> fold("Yevgeny") == fold("Evgeny"), fold("Vayno") == fold("Vaino")
    (True, True)
    """
    w = unicodedata.normalize("NFKD", word.translate(_SAME_LENGTH).casefold())
    w = "".join(c for c in w if not unicodedata.combining(c))
    if w.startswith("ye") and len(w) > 3:
        w = w[1:]
    w = w.replace("yy", "y").replace("defense", "defence")
    w = re.sub(r"(?<=[aeiou])y", "i", w)
    if w.endswith("y") and len(w) > 3:
        w = w[:-1] + "i"
    return w


def split_sentences(text: str) -> list[Sentence]:
    """Split ``text`` into sentences: every line on its own, then at sentence-final punctuation.

    Each sentence's text is the article's, verbatim; :func:`clean` it before tokenizing.

    Page furniture (link lists, "READ MORE", sign-up notices) and picture credits are dropped.
    """
    plain = clean(text)
    out: list[Sentence] = []
    for line in _LINE.finditer(plain):
        body = line.group()
        credit = _CREDIT.search(body)
        if credit:
            body = body[: credit.start()]
        if not body.strip() or _BOILERPLATE.search(body):
            continue
        base = line.start()
        start = 0
        for m in _SENT_END.finditer(body):
            if _is_abbreviation(body, m.start()):
                continue
            _add(out, plain, text, base + start, base + m.start() + 1)
            start = m.end()
        _add(out, plain, text, base + start, base + len(body))
    return out


def _is_abbreviation(body: str, dot: int) -> bool:
    if body[dot] != ".":
        return False
    word = re.search(r"([\w.]+)$", body[:dot])
    if not word:
        return False
    w = word.group(1).lower()
    return w in _ABBREV or (len(w) == 1 and w.isalpha())


def _add(out: list[Sentence], plain: str, text: str, start: int, end: int) -> None:
    while start < end and plain[start].isspace():
        start += 1
    while end > start and plain[end - 1].isspace():
        end -= 1
    if end > start and any(c.isalpha() for c in plain[start:end]):
        # Evidence is quoted verbatim: the sentence keeps the article's own quotes and
        # dashes; only the tokenizer sees the cleaned form (same offsets).
        out.append(Sentence(len(out), start, end, text[start:end]))


def tokenize(text: str, offset: int = 0) -> list[Token]:
    """Split cleaned ``text`` into tokens; possessive 's, n't and an ex- prefix are split off.

    >>> [t.text for t in tokenize("Putin's ex-aide wouldn't go")]
    ['Putin', "'s", 'ex', '-', 'aide', 'would', "n't", 'go']
    """
    out: list[Token] = []
    for m in _WORD.finditer(text):
        word, start = m.group(), m.start() + offset
        low = word.lower()
        if low.startswith("ex-") and len(word) > 3:
            out.append(Token(word[:2], start, start + 2, "ex"))
            out.append(Token("-", start + 2, start + 3, "-"))
            word, start, low = word[3:], start + 3, low[3:]
        if low.endswith("n't") and len(low) > 3:
            cut = len(word) - 3
            out.append(Token(word[:cut], start, start + cut, low[:cut]))
            out.append(Token(word[cut:], start + cut, start + len(word), "n't"))
            continue
        if low.endswith("'s") and len(low) > 2:
            cut = len(word) - 2
            out.append(Token(word[:cut], start, start + cut, low[:cut]))
            out.append(Token(word[cut:], start + cut, start + len(word), "'s"))
            continue
        out.append(Token(word, start, start + len(word), low))
    return out
