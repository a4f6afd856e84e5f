"""Who charges: the authority a noun phrase names ("Swiss prosecutors", a police force, a
court, "special counsel X", "the ICC prosecutor"), as the store writes it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from deniable.grammar.vocab import vocab

if TYPE_CHECKING:
    from spacy.tokens import Token

    from deniable.grammar.candidate import Context
    from deniable.grammar.names import Mention

_AUTHORITY_WORDS = vocab().cues["authority_words"]


def authority(t: Token, ctx: Context) -> str | None:
    """An authority named by a noun phrase: a police force, "Swiss prosecutors", a court."""
    m = ctx.mention(t, speaking=True)
    if m is not None and m.kind in ("org", "gov"):
        return m.name
    if m is not None and m.kind == "person" and _prosecuting_title(m, ctx):
        return m.name  # "by special counsel X", "by Judge X": the official who charges
    # "the district attorney" prosecutes; "his attorney" defends
    attorney = t.lower_ == "attorney" and any(c.lower_ in _ATTORNEY_OFFICES for c in t.lefts)
    named = t.lemma_.lower() in _AUTHORITY_WORDS or t.lower_ in _AUTHORITY_WORDS
    if not named and not attorney:
        # "by a grand jury hearing evidence": the parser made the jury a compound
        inner = next(
            (
                g
                for c in t.lefts
                if c.dep_ == "compound"
                for g in c.subtree
                if g.dep_ == "compound" and g.lemma_.lower() in _AUTHORITY_WORDS
            ),
            None,
        )
        return authority(inner, ctx) if inner is not None else None
    body = next(
        (
            x
            for c in t.lefts
            if c.dep_ in ("compound", "nmod") and (x := ctx.names.at(c.i)) is not None
        ),
        None,
    )
    if body is not None and body.kind == "org":
        return body.name  # "the ICC prosecutor", "FBI agents": the body they act for
    if t.lemma_.lower() in ("authority", "government"):
        # "Canadian authorities" are the state's: its government (the guideline's metonym)
        state = next(
            (x for c in t.lefts if (x := ctx.names.at(c.i)) is not None and x.kind == "gov"),
            None,
        )
        if state is not None:
            return state.name
    # The phrase as written, without its determiner: "US prosecutors", "a federal grand jury".
    left = [c for c in t.lefts if c.dep_ in ("compound", "amod", "nmod", "npadvmod")]
    start = min([c.left_edge.i for c in left] + [t.i])
    kept = [w for w in ctx.doc[start : t.i + 1] if w.dep_ not in ("det", "poss", "punct")]
    # "Federal prosecutors in X have …": a sentence's capital is no part of the name
    words = [
        w.lower_ if w.is_sent_start and w.pos_ != "PROPN" and w.ent_type_ != "NORP" else w.text
        for w in kept
    ]
    # joined as written: "anti-corruption agency" keeps its hyphen
    text = "".join(word + w.whitespace_ for word, w in zip(words, kept, strict=True)).strip()
    return text if len(words) > 1 else text.lower()


def _prosecuting_title(m: Mention, ctx: Context) -> bool:
    """The words right before a person's name, here or where the article names them
    elsewhere, are an authority's post ("special counsel", "federal prosecutor", "Judge")."""
    return any(_titled_here(x, ctx) for x in ctx.names.mentions if x.name == m.name)


def _titled_here(m: Mention, ctx: Context) -> bool:
    k = m.start - 1
    words = []
    while k >= 0 and ctx.doc[k].pos_ in ("NOUN", "PROPN", "ADJ") and ctx.names.at(k) is None:
        words.append(ctx.doc[k].lower_)
        k -= 1
    inside = [w.lower_ for w in ctx.doc[m.start : m.end] if w.ent_type_ != "PERSON"]
    return any(w.rstrip(".") in _PROSECUTING for w in (*words[:3], *inside))


_PROSECUTING = vocab().cues["prosecuting_posts"]
_ATTORNEY_OFFICES = vocab().cues["attorney_offices"]
