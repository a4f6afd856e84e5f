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
from deniable.grammar.clause_args import after, args, pairs, subjects
from deniable.grammar.nlp import span_tokens
from deniable.grammar.vocab import vocab

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
    for n in span_tokens(sent):
        if n.lemma_.lower() not in PICTURE_NOUNS or n.pos_ != "NOUN":
            continue
        yield from _posed(n, sent, ctx)
        shown = _people(after((n,), ("of",), ctx))
        if shown:
            # "a photo of A with B": B hangs on the photo or on A
            heads = (n, *(t for t in n.subtree if ctx.names.at(t.i) in shown))
            # "pictures of A at dinners with B": with whom, at the gathering shown
            heads += tuple(_gatherings(heads))
            beside = [m for m in _people(after(heads, ("with",), ctx)) if m not in shown]
            beside = beside or _beside(list(heads), shown, ctx)
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
        if beside:
            yield from pairs("pictured_with", n, who, beside, "in_photo_with", sent)
        elif not any(c.lower_ in _APART for c in n.children):
            # "A and B were seen in the photo", "A and B appear in a picture" (not "in
            # separate photos")
            for x, y in combinations(who, 2):
                yield from pairs("pictured_with", n, [x], [y], "in_photo_together", sent)


_GATHERINGS = vocab().cues["gatherings"]
_APART = frozenset(
    {"separate", "separately", "different", "individual", "individually", "own", "respective"}
)


def _gatherings(heads: tuple[Token, ...]) -> list[Token]:
    """The gatherings ("at a dinner") a picture or the people in it are shown at."""
    return [
        g
        for h in heads
        for p in h.children
        if p.dep_ == "prep" and p.lower_ == "at"
        for g in p.children
        if g.dep_ == "pobj" and g.lemma_.lower() in _GATHERINGS
    ]


_PLACES_IN_PICTURE = frozenset({"left", "right", "centre", "center", "second", "far"})


def caption_with(sent: Span, ctx: Context) -> Iterator[Candidate]:
    """A caption with no verb that places people in the picture: "A (left) with B at a
    fundraiser"."""
    if any(t.pos_ in ("VERB", "AUX") for t in span_tokens(sent)):
        return
    words = [t.lower_ for t in span_tokens(sent)]
    marked = any(
        words[k] == "(" and k + 2 < len(words) and words[k + 1] in _PLACES_IN_PICTURE
        for k in range(len(words))
    )
    if not marked:
        return
    for t in span_tokens(sent):
        if t.lower_ != "with":
            continue
        before = [m for m in ctx.mentions_in(sent) if m.kind == "person" and m.end <= t.i]
        beside = _people(after((t.head,), ("with",), ctx)) or [
            m for m in ctx.mentions_in(sent) if m.kind == "person" and m.start > t.i
        ]
        if before and beside:
            yield from pairs("pictured_with", t, before[:1], beside, "caption_with", sent)
        return


_DEPICT = frozenset({"show", "depict", "feature", "capture"})


def picture_shows(sent: Span, ctx: Context) -> Iterator[Candidate]:
    """ "the photograph showing A with B", "a picture shows A and B", "the photo, which
    shows A with his arm around B": who a picture shows, with whom."""
    for v in span_tokens(sent):
        if v.lemma_.lower() not in _DEPICT or v.pos_ != "VERB":
            continue
        if not _of_a_picture(v) or _shows_none(v):
            continue
        objs = [c for c in v.children if c.dep_ == "dobj"]
        # ("shows A with her arm around B": the parser may make A a second subject)
        objs += [c for c in v.children if c.dep_ == "nsubj" and c.i > v.i and not objs]
        # ("shows A shaking hands with B": the parser may make A a clause's subject)
        clauses = [c for c in v.children if c.dep_ == "ccomp" and not objs]
        objs += [g for c in clauses for g in c.children if g.dep_ == "nsubj"]
        objs += clauses
        shown = _people([m for c in objs if c.dep_ != "ccomp" for m in args(c, ctx)])
        # ("shows A shaking hands with B": with B on the participle of A)
        heads = [v, *objs, *(g for c in objs for g in c.children if g.dep_ == "acl")]
        # ("shows A at a party with B": with whom, at the gathering shown)
        heads += _gatherings(tuple(heads))
        beside = _beside(heads, shown, ctx)
        if beside:
            yield from pairs("pictured_with", v, shown, beside[:1], "picture_shows", sent)
        elif len(shown) > 1:
            for x, y in combinations(shown, 2):
                yield from pairs("pictured_with", v, [x], [y], "picture_shows", sent)


_PICTURED = frozenset({"picture", "photograph", "film", "snap"})


def pictured_verb(sent: Span, ctx: Context) -> Iterator[Candidate]:
    """ "A was pictured with (alongside) B", "A was photographed next to B"."""
    for v in span_tokens(sent):
        on_camera = v.lemma_.lower() in ("capture", "catch") and any(
            c.dep_ == "prep" and c.lower_ == "on" and any(g.lower_ in _CAMERAS for g in c.children)
            for c in v.children
        )  # "A was captured (caught) on camera with B"
        if (v.lemma_.lower() not in _PICTURED and not on_camera) or v.tag_ != "VBN":
            continue
        if not any(c.dep_ == "auxpass" for c in v.children) and v.dep_ != "acl":
            continue
        who = _people(subjects(v, ctx) if v.dep_ != "acl" else args(v.head, ctx))
        beside = [m for m in _beside([v], who, ctx)]
        if beside:
            yield from pairs("pictured_with", v, who, beside, "pictured_beside", sent)
        elif v.dep_ != "acl" and not any(c.lower_ in _APART for c in v.subtree):
            # "A and B were pictured at a dinner", "A and B pictured together"
            for x, y in combinations(who, 2):
                yield from pairs("pictured_with", v, [x], [y], "pictured_together", sent)


_CAMERAS = frozenset({"camera", "film", "video", "tape", "cctv"})


def _posed(n: Token, sent: Span, ctx: Context) -> Iterator[Candidate]:
    """ "A posted (took) a selfie with B"; "In the photo, A stands next to B"."""
    v = n.head
    if n.dep_ == "dobj" and v.lemma_.lower() in _TAKE_PICTURE and not after((n,), ("of",), ctx):
        # "posted a selfie with B": the poster is in it with B
        beside = _people(after((n, v), ("with", "alongside"), ctx))
        yield from pairs("pictured_with", n, _people(subjects(v, ctx)), beside, "selfie_with", sent)
    elif (
        n.dep_ == "pobj"
        and v.lower_ == "in"
        and v.head.pos_ == "VERB"
        and v.head.lemma_.lower() in _STANDING
        and not any(c.lower_ in _APART for c in n.children)
    ):
        # "In the photo, A stands next to B"
        verb = v.head
        nexts = tuple(c for c in verb.children if c.dep_ == "advmod" and c.lower_ == "next")
        beside = _people(after(nexts, ("to",), ctx)) + _people(
            after((verb,), ("beside", "with", "alongside"), ctx)
        )
        yield from pairs(
            "pictured_with", n, _people(subjects(verb, ctx)), beside, "in_photo_beside", sent
        )


_TAKE_PICTURE = frozenset({"post", "take", "share", "publish", "tweet", "upload", "snap"})
_STANDING = frozenset({"stand", "sit", "smile", "pose", "appear", "laugh", "chat"})


def _beside(heads: list[Token], shown: list[Mention], ctx: Context) -> list[Mention]:
    """People named in a "with" phrase of the picture or of those it shows, however deep
    ("A with his arm around the waist of B")."""
    names = {m.name for m in shown}
    out: list[Mention] = []
    for h in heads:
        for c in h.children:
            if c.dep_ == "prep" and c.lower_ in ("with", "alongside", "beside", "next"):
                for t in c.subtree:
                    if t.pos_ == "PRON" and t.dep_ == "poss":
                        continue  # "with her arm around B": whose arm, not who is beside
                    m = ctx.names.at(t.i)
                    if m is not None and _modifier(m, ctx):
                        continue  # "with an X client": the client is beside, not X
                    if m is not None and m.kind == "person" and m.name not in names:
                        names.add(m.name)  # ("his arm": his is A, not someone beside A)
                        out.append(m)
    return out


def _modifier(m: Mention, ctx: Context) -> bool:
    """The name only says whose someone is ("an X client", "X's lawyer"); not "around
    X's waist"."""
    last = ctx.doc[m.end - 1]
    return (
        last.dep_ in ("compound", "nmod", "poss")
        and last.head.pos_ == "NOUN"
        and last.head.lemma_.lower() in _PEOPLE_NOUNS
        and not m.start <= last.head.i < m.end
    )


_PEOPLE_NOUNS = vocab().cues["people_nouns"] | vocab().cues["agent_nouns"]


def _shows_none(v: Token) -> bool:
    """ "No photograph shows", "the photo does not show": nothing is pictured."""
    if any(c.dep_ == "neg" or c.lower_ == "never" for c in v.children):
        return True
    return any(
        c.dep_ == "nsubj" and any(d.lower_ in ("no", "none") for d in c.children)
        for c in v.children
    )


def _of_a_picture(v: Token) -> bool:
    """The verb's subject is a picture, or it qualifies one ("the photograph showing")."""
    subj = [c for c in v.children if c.dep_ == "nsubj"]
    if subj and subj[0].lemma_.lower() in PICTURE_NOUNS:
        return True
    if subj and subj[0].lower_ in ("which", "that") and v.dep_ == "relcl":
        return v.head.lemma_.lower() in PICTURE_NOUNS
    before = v.doc[v.i - 1] if v.i > 0 else None
    return v.dep_ == "acl" and (
        v.head.lemma_.lower() in PICTURE_NOUNS
        or (before is not None and before.lemma_.lower() in PICTURE_NOUNS)
    )


def _verb_of(n: Token) -> Token | None:
    """The verb ``n`` hangs on through "in" ("appears in a photo")."""
    prep = n.head
    if n.dep_ != "pobj" or prep.head.pos_ not in ("VERB", "AUX"):
        return None
    if prep.lower_ == "in" or (prep.lower_ == "for" and prep.head.lemma_ == "pose"):
        return prep.head  # "appears in a photo", "posed for a photograph"
    return None


def _people(found: list[Mention]) -> list[Mention]:
    return [m for m in found if m.kind == "person"]
