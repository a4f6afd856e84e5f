"""A minister's portfolio ("Housing", "Public Enterprises", "Trade and Industry"), which the
tagger often takes for an organisation's name when it is written before the post."""

from __future__ import annotations

from deniable.grammar.vocab import vocab

PORTFOLIOS = vocab().cues["portfolios"]
_WORDS = PORTFOLIOS | vocab().cues["portfolio_words"]


def is_portfolio(text: str) -> bool:
    """``text`` is one of the portfolios, or several words that only portfolios are written
    in ("Public Enterprises", "Home Affairs")."""
    words = [w for w in text.lower().split() if w not in ("and", "&")]
    return (
        bool(words)
        and all(w in _WORDS for w in words)
        and (len(words) > 1 or words[0] in PORTFOLIOS)
    )
