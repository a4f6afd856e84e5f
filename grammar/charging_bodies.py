"""Who brought a charge a sentence reports: the verb's agent ("charged by Swiss
prosecutors", even one the parser hung late), the authority that says so ("…, the Justice
Department said"), a warrant's issuer, the one authority the article names charging someone,
a police force it names, else police or prosecutors.

The helpers of :mod:`deniable.grammar.charges`; pure functions of the parse and the context.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy

from deniable.grammar.authorities import authority as named_authority
from deniable.grammar.clause_args import args, passive
from deniable.grammar.nlp import span_tokens
from deniable.grammar.vocab import vocab

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

    from deniable.grammar.candidate import Context
    from deniable.grammar.names import Mention

_CHARGE_VERBS = vocab().cues["charge_verbs"]


def after_prep(t: Token, prep: str, ctx: Context) -> list[Mention]:
    """The names after ``prep`` hung on ``t`` ("against X and Y")."""
    return [
        m
        for c in t.children
        if c.dep_ == "prep" and c.lower_ == prep
        for g in c.children
        if g.dep_ == "pobj"
        for m in args(g, ctx)
    ]


def late_agent(v: Token, ctx: Context) -> str | None:
    """ "charged with tax evasion by prosecutors", "indicted on six charges by a grand jury":
    the parser hangs "by" on the charge."""
    for c in v.children:
        if c.dep_ == "prep" and c.lower_ in ("with", "on"):
            for t in c.subtree:
                if t.lower_ == "by" and t.dep_ in ("prep", "agent"):
                    obj = next((g for g in t.children if g.dep_ == "pobj"), None)
                    if obj is not None and (who := named_authority(obj, ctx)):
                        return who
    return None


def agent(v: Token, ctx: Context) -> str | None:
    for c in v.children:
        if c.dep_ == "agent":
            for g in c.children:
                if g.dep_ == "pobj":
                    return named_authority(g, ctx)
    return None


def agrees(v: Token) -> bool:
    """ "A, who were charged": a plural verb does not hang on one person's name."""
    plural = any(
        c.lower_ in ("were", "are", "have") for c in v.children if c.dep_.startswith("aux")
    )
    return not (plural and v.head.tag_ in ("NNP", "NN"))


# Who indicts: an indictment is a prosecutor's, a jury's or a court's, never an arrest's.
_INDICTERS = ("prosecut", "attorney", "court", "jury", "justice", "counsel")


def _fits(who: str, v: Token) -> bool:
    """The authority named elsewhere can have done this: an indictment is a prosecutor's
    or a jury's; an arrest is no prosecutor's or court's."""
    low = who.lower()
    if v.lemma_ in ("arrest", "detain"):
        return not any(w in low for w in ("prosecut", "attorney", "court", "justice"))
    return v.lemma_ != "indict" or any(w in low for w in _INDICTERS)


def charging(v: Token, ctx: Context) -> str | None:
    """The authority a charge verb names: "charged by X", "X charged Y", "they were
    charged, police said"."""
    if v.tag_ == "VBN" and passive(v):  # ("has indicted X" is active)
        who = agent(v, ctx)
    else:
        subj = next((c for c in v.children if c.dep_ == "nsubj"), None)
        who = named_authority(subj, ctx) if subj is not None and v.pos_ == "VERB" else None
    if who is not None:
        return who
    sayers = [c for c in v.children if c.dep_ == "parataxis"]
    if v.dep_ in ("ccomp", "parataxis"):
        sayers.append(v.head)
    for t in sayers:
        if t.lemma_.lower() in _SAY and t.pos_ == "VERB":
            subj = next((c for c in t.children if c.dep_ == "nsubj"), None)
            if subj is not None and (who := named_authority(subj, ctx)) is not None:
                return None if _outlet(subj, who) else who
    return None


def _charge_verbs(doc: Doc) -> list[Token]:
    """The document's charge verbs, found from its lemma array (a pass making every token
    would cost more than the rest of this stage)."""
    strings = doc.vocab.strings
    wanted = numpy.array([strings[w] for w in _CHARGE_VERBS], dtype="uint64")
    at = numpy.nonzero(numpy.isin(doc.to_array("LEMMA"), wanted))[0]
    return [doc[int(i)] for i in at]


def _outlet(subj: Token, who: str) -> bool:
    """The one saying so is a news outlet ("Xinhua news agency said"): it reports the
    arrest, it made none."""
    words = who.lower().split()
    return "news" in words or any(
        c.dep_ in ("compound", "appos") and c.lemma_.lower() in _MEDIA for c in subj.children
    )


_MEDIA = vocab().cues["media_nouns"]


def _aside(say: Token, v: Token) -> bool:
    """The speech verb is inside a relative clause the charge is not in ("charges three men
    who authorities say paid him"): it says something of them, not who charges."""
    for a in (say, *say.ancestors):
        if a.dep_ == "relcl":
            return v not in a.subtree
    return False


def default_authority(v: Token, sent: Span, ctx: Context) -> str:
    """No agent: the warrant's issuer, the authority that says so ("..., the Justice
    Department said"), an authority the article names as charging someone, a police force
    it names, else police or prosecutors."""
    for t in v.subtree:
        if t.lemma_ == "warrant":
            for c in t.children:
                if c.dep_ == "acl" and (who := agent(c, ctx)):
                    return who
    probe = _probe_of(v, ctx)
    if probe is not None:
        return probe
    for t in span_tokens(sent):
        if t.lemma_.lower() in _SAY and t.pos_ == "VERB" and not _aside(t, v):
            subj = next((c for c in t.children if c.dep_ == "nsubj"), None)
            who = named_authority(subj, ctx) if subj is not None else None
            if who is not None and subj is not None and not _outlet(subj, who):
                return who
    if any(t.lemma_.lower() in ("extradite", "extradition") for t in span_tokens(sent)):
        return "prosecutors"  # "extradited to the US to face charges": that country's, unnamed
    # An authority named charging someone elsewhere in the article counts only when it is
    # the article's one such authority (a second regulator or a foreign court may be the one).
    verbs = _charge_verbs(ctx.doc)
    named = {who for t in verbs if (who := charging(t, ctx)) and _fits(who, v)}
    # ("the prosecutor said ... were charged" speaks of the "Belgian prosecutors" named too)
    named = {w for w in named if not _generic_of(w, named)}
    if len(named) == 1:
        return named.pop()
    if not named and v.lemma_ in ("arrest", "detain"):
        # "arrested in the probe" after "arrested as part of the probe by X authorities"
        probes = {who for t in verbs if (who := _probe_of(t, ctx)) and _fits(who, v)}
        if len(probes) == 1:
            return probes.pop()
    # (a prosecutor's office named elsewhere charges; it is no force that arrests)
    arrests = v.lemma_ in ("arrest", "detain", "hold")
    kinds = ("police", "constabulary") if arrests else ("police", "constabulary", "prosecut")
    forces = [
        m
        for m in ctx.names.mentions
        if m.kind == "org"
        and m.start < sent.end + 400
        and any(w in m.name.lower() for w in kinds)
        and not m.name.lower().endswith(("station", "headquarters"))  # a building, no force
    ]
    # "charged in a criminal complaint unsealed in federal court": before a court and with
    # no police force named, prosecutors bring the charge
    in_court = any(t.lemma_.lower() in _COURT_WORDS for t in span_tokens(sent))
    if named and not (v.lemma_ == "charge" and in_court and not forces):
        return "police" if v.lemma_ in ("arrest", "charge") else "prosecutors"
    if forces:
        return forces[0].name
    if v.lemma_ == "charge" and (
        in_court or _prosecution(ctx) or ctx.names.home == "US government"
    ):
        return "prosecutors"  # an article about an indictment: prosecutors bring its charges
    return "police" if v.lemma_ in ("arrest", "charge") else "prosecutors"


def _generic_of(who: str, named: set[str]) -> bool:
    """ "prosecutor" beside "Belgian prosecutors": the bare word for a body named in full."""
    if not who.islower() or " " in who:
        return False
    stem = who.rstrip("s")
    return any(o != who and stem in o.lower() for o in named)


def _probe_of(v: Token, ctx: Context) -> str | None:
    """ "charged in special counsel X's investigation": the authority whose inquiry it is."""
    for c in v.children:
        if c.dep_ != "prep" or c.lower_ not in ("in", "as"):
            continue
        for g in c.subtree:
            if g.lemma_ in ("investigation", "probe", "inquiry"):
                for owner in (o for o in g.children if o.dep_ == "poss"):
                    if (who := named_authority(owner, ctx)) is not None:
                        return who
                # "arrested as part of the probe by Belgian authorities"
                for by in (o for o in g.children if o.dep_ == "prep" and o.lower_ == "by"):
                    for obj in (o for o in by.children if o.dep_ == "pobj"):
                        if (who := named_authority(obj, ctx)) is not None:
                            return who
    return None


_PROSECUTION = vocab().cues["prosecution_words"]
# Words that put a charge in a prosecutor's filing, not a police station's ("a criminal
# complaint", "a federal court"); a magistrates' court hears police charges too.
_COURT_WORDS = _PROSECUTION | {"complaint", "jury", "federal"}
_SAY = frozenset({"say", "announce", "confirm", "state"})


def _prosecution(ctx: Context) -> bool:
    """The article speaks of prosecutors, an indictment or a grand jury."""
    return any(t.lemma_.lower() in _PROSECUTION or t.lower_ in _PROSECUTION for t in ctx.doc)
