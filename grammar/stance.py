"""How a candidate was said: asserted, reported, alleged, negated, attempted, or not a fact at all.

This is the one place the reader decides modality.  It reads the dependency parse around the
candidate's trigger: negation and modal verbs on the trigger, the verb an infinitive depends on
("tried to", "refused to", "is due to"), the speech verb or claim noun whose clause holds it,
hedging adverbs, "according to", conditions and questions.  ``None`` means the sentence states
no fact either way (a plan, a speculation, a question, a claim that is denied).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from deniable.facts.model import Modality
from deniable.grammar.candidate import Candidate, Context
from deniable.grammar.clause_args import neither_nor
from deniable.grammar.dismissals import brushed_off, named_false
from deniable.grammar.headlines import dash_attribution
from deniable.grammar.negation import RECALL as _RECALL
from deniable.grammar.negation import call_refused as _call_refused
from deniable.grammar.negation import calls_off as _calls_off
from deniable.grammar.negation import declined as _declined
from deniable.grammar.negation import negated as _negated
from deniable.grammar.negation import no_memory_of as _no_memory_of
from deniable.grammar.nlp import span_tokens
from deniable.grammar.sources import according, said_after, speaker
from deniable.grammar.vocab import vocab, word_forms

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

_SPEECH = vocab().cues["speech"]
_DENY = vocab().cues["deny"]
_ATTEMPT = vocab().cues["attempt"]
_REFUSE = vocab().cues["refuse"]
_CONFIRM = vocab().cues["confirm_verbs"]
_FACTIVE = vocab().cues["factive"]
_ARRANGE = vocab().cues["arrange"]
# The infinitive of these says what has not happened yet.
_PLAN = vocab().cues["plan"]
_PLAN_NOUNS = vocab().cues["plan_nouns"]
_JOURNEYS = vocab().cues["journeys"]
_MODALS = vocab().cues["modals"]
_CLAIM_NOUNS = {
    "claim": Modality.REPORTED,
    "report": Modality.REPORTED,
    "allegation": Modality.ALLEGED,
    "suggestion": Modality.ALLEGED,
    "speculation": Modality.ALLEGED,
    "rumour": Modality.ALLEGED,
    "rumor": Modality.ALLEGED,
    "accusation": Modality.ALLEGED,
    "suspicion": Modality.ALLEGED,
}
_FALSE = vocab().cues["false"]
# what an event said to be "a fabrication" or "fictional" is: none at all
_UNREAL = vocab().cues["unreal"]
_HEDGES = vocab().cues["hedges"]
_SUSPECT = vocab().cues["suspect_verbs"]
# Verbs that put an infinitive in someone's mouth: "claimed to have met", "is said to have".
_CLAIMS_TO = frozenset(
    {"allege", "claim", "purport", "profess", "say", "report", "believe", "rumour", "rumor"}
)
_FUTURE = ("tomorrow", "next week", "next month", "next year", "later this", "later today")
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def decide(c: Candidate, sent: Span, ctx: Context) -> tuple[Modality | None, str]:
    """The modality of ``c`` and, for reported facts, who reported it."""
    if c.rejected:
        return None, ""
    if c.pred == "role" and c.pattern not in (
        "role_copula",
        "role_verb",
        "role_appointed",
        "role_joined",
        "role_on_board",
    ):
        return Modality.ASSERTED, ""  # a title or apposition is the article's own voice
    if sent.text.rstrip().rstrip("\"'”’)").endswith("?"):
        return None, ""
    doc = ctx.doc
    v = doc[c.trigger]
    if c.pred == "called" and _call_refused(sent):
        return Modality.ATTEMPTED, ""  # "phoned B, but B refused to take the call"
    local = _local(v, c, sent)
    if local is not Modality.ASSERTED:
        return local, ""
    modality, source = Modality.ASSERTED, ""
    child, cur = v, v.head
    hops = 0
    below = ""  # the relation of the hop before
    presupposed = False
    while cur.i != child.i and hops < 12:
        hops += 1
        rel = child.dep_
        if rel == "dobj" and below in ("acl", "relcl") and cur.lemma_.lower() in _SPEECH:
            # "X said the emails show that A met B", parsed as a clause on the object
            rel = "ccomp"
        below = child.dep_
        lemma = cur.lemma_.lower()
        if rel == "conj" and child.pos_ in ("VERB", "AUX") and _quote_closes(cur, child, sent):
            # 'X wrote "A should resign", and A met B': the parser joined the clause after
            # the quotation to the quoted one; it is the article's own
            break
        if rel == "advcl" and any(m.lower_ in ("if", "unless", "whether") for m in child.children):
            return None, ""
        presupposed = presupposed or _presupposed(child) or _past_time_clause(child, rel)
        if presupposed:
            # "failed to disclose the meetings": only who says so can change how it was said
            if lemma in _SPEECH and rel in ("ccomp", "parataxis") and modality is Modality.ASSERTED:
                modality, source = Modality.REPORTED, speaker(cur, ctx)
            child, cur = cur, cur.head
            continue
        if cur.pos_ in ("VERB", "AUX"):
            if rel == "advcl" and c.pred in ("met", "called") and _purpose(child, cur):
                return None, ""  # "flew to Ankara to meet B": what the trip was for
            if rel in ("nsubjpass", "dobj") and _calls_off(cur):
                return None, ""  # "the meeting was cancelled", "postponed the talks"
            if lemma in _DENY and rel in ("ccomp", "dobj", "xcomp") and c.pred != "denies":
                # ("has not denied meeting B", "would neither confirm nor deny" say nothing
                # either way)
                return (None if _negated(cur) or neither_nor(cur) else Modality.NEGATED), ""
            if (
                lemma in _CONFIRM
                and rel in ("ccomp", "dobj")
                and (_negated(cur) or _declined(cur) or neither_nor(cur))
            ):
                return None, ""  # "declined to confirm that A met B", "could not confirm"
            if lemma == "be" and rel == "prep" and child.lower_ == "among" and _negated(cur):
                return Modality.NEGATED, ""  # "A was not among those indicted"
            if lemma in _SUSPECT and rel == "ccomp" and not _negated(cur):
                # "Officials suspect A met B": a suspicion, whoever holds it
                return Modality.ALLEGED, speaker(cur, ctx)
            if lemma in _HEARSAY and rel == "ccomp" and _impersonal(cur):
                return Modality.ALLEGED, ""  # "it is alleged (believed) that A met B"
            fronted = rel == "advcl" and child.i < cur.i and child.tag_ == "VBG"
            if lemma in _SPEECH and rel in ("ccomp", "parataxis", "conj", "advcl") and not fronted:
                # ("speaking after talks with B, A said ...": the talks are no one's words)
                if rel == "conj":
                    child, cur = cur, cur.head
                    continue
                if _negated(cur):
                    return None, ""
                if modality is Modality.ASSERTED:
                    modality, source = Modality.REPORTED, speaker(cur, ctx)
            if rel == "xcomp" and lemma in _CLAIMS_TO:
                # "A is alleged to have met B" is hedged; "A claimed to have met B" is A's word
                if any(g.dep_ in ("nsubjpass", "auxpass") for g in cur.children):
                    return Modality.ALLEGED, ""
                if modality is Modality.ASSERTED:
                    modality, source = Modality.REPORTED, speaker(cur, ctx)
                child, cur = cur, cur.head
                continue
            if rel == "xcomp":
                fate = _infinitive(cur, c)
                if fate is not Modality.ASSERTED:
                    return fate, ""
        about = rel == "prep" and child.lower_ in ("about", "of")  # "reports of his meeting"
        # (a noun the tagger took for a verb still heads a subject: "Media reports about")
        nominal = cur.pos_ == "NOUN" or cur.dep_ in ("nsubj", "nsubjpass", "dobj", "pobj")
        denying = c.pred == "denies" and child.lemma_.lower() in _DENY
        if (
            nominal
            and (rel in ("acl", "ccomp") or (rel == "relcl" and _no_that(child)))
            and any(d.lower_ == "no" for d in cur.children if d.dep_ == "det")
        ):
            # "there is no evidence (that) A met B": nothing either way (the parser takes
            # the clause without "that" for a relative one)
            return None, ""
        if (
            nominal
            and lemma in _CLAIM_NOUNS
            and (rel in ("acl", "ccomp", "relcl") or about)
            and not denying  # ("a claim he denies": the claim is what is denied)
        ):
            if _claim_denied(cur):
                return None, ""
            if modality is Modality.ASSERTED:
                modality = _CLAIM_NOUNS[lemma]
        child, cur = cur, cur.head
    if c.pred != "denies" and _denied_after(v):
        return None, ""  # "A met B, a claim he denies"
    if modality is Modality.ASSERTED:
        said = said_after(v, ctx)
        if said is not None:
            modality, source = Modality.REPORTED, said
    offence = _offence(v) if c.pred == "indicted_by" else set()
    if c.pred == "denies":
        # "refuted reports that B was allegedly suspended": the hedge is the claim's, and
        # the denial itself is no less certain
        offence |= {t.i for k in v.children if k.dep_ in ("dobj", "ccomp") for t in k.subtree}
    offence |= _described(v, sent)
    if (
        any(t.lower_ in _HEDGES and t.i not in offence for t in span_tokens(sent))
        or _hedged(v)
        or _hedged_noun(v)
    ):
        return Modality.ALLEGED, source
    named = according(sent, ctx)
    if named and modality is Modality.ASSERTED:
        return Modality.REPORTED, named
    line = [t.text for t in span_tokens(sent)]
    if line and line[-1] == ":" and sent.end < len(doc):
        line.append(doc[sent.end].text)  # ("… meeting: sources": the parser ends it at ":")
    tagged = dash_attribution(line) if modality is Modality.ASSERTED else None
    if tagged is not None:
        return Modality.REPORTED, tagged  # a headline's "A met B - sources", "… - Interfax"
    if modality is Modality.ASSERTED and _quoted_headline(v, sent):
        return Modality.REPORTED, ""  # a headline's "A 'phoned B 50 times'": someone's claim
    if modality is Modality.ASSERTED and sent.start in ctx.quoted and c.pred != "denies":
        return Modality.REPORTED, ctx.quoted[sent.start]  # a quotation's inner sentence
    if modality is Modality.ASSERTED and c.pred == "pictured_with" and _published(v):
        return Modality.REPORTED, speaker(v, ctx)  # "photographs published by X show A with B"
    return modality, source


def _published(v: Token) -> bool:
    """The subject of ``v`` is a picture someone published, obtained or released ("photographs
    published by X show …")."""
    return any(
        acl.dep_ == "acl" and acl.tag_ == "VBN" and any(a.dep_ == "agent" for a in acl.children)
        for subj in v.children
        if subj.dep_ == "nsubj"
        for acl in subj.children
    )


def _quote_closes(head: Token, conj: Token, sent: Span) -> bool:
    """A quotation mark that closes a quotation lies between ``head`` and its conjunct."""
    marks = [t.i for t in span_tokens(sent) if t.is_quote]
    return any(head.i < k < conj.i and marks.index(k) % 2 == 1 for k in marks)


_HEARSAY = frozenset({"allege", "believe", "rumour", "rumor", "think", "suspect", "fear"})


def _impersonal(v: Token) -> bool:
    """ "it is alleged that", "it is thought that": a passive with no one who says so."""
    return any(c.dep_ == "auxpass" for c in v.children) and any(
        c.dep_ in ("nsubjpass", "expl") and c.lower_ == "it" for c in v.children
    )


_QUOTES = frozenset({"'", "‘", "’", '"', "“", "”"})


def _quoted_headline(v: Token, sent: Span) -> bool:
    """The verb sits inside quotation marks in a line with no closing full stop (a
    headline), which quotes a claim without saying whose."""
    words = [t for t in span_tokens(sent) if not t.is_space]
    if not words or words[-1].text in (".", "?", "!"):
        return False
    opened = [t.i for t in words if t.text in _QUOTES and t.i < v.i]
    closed = [t.i for t in words if t.text in _QUOTES and t.i > v.i]
    return len(opened) % 2 == 1 and bool(closed)


def _denied_after(v: Token) -> bool:
    """ "A met B, a claim he denies", "…, an allegation the ministry rejects": the clause
    is a claim that someone denies, set off after it."""
    return any(
        t.dep_ in ("appos", "npadvmod")
        and t.lemma_.lower() in _CLAIM_NOUNS
        and any(r.dep_ == "relcl" and r.lemma_.lower() in _DENY and not _negated(r)
                for r in t.children)
        for t in v.subtree
    )  # fmt: skip


def _local(v: Token, c: Candidate, sent: Span) -> Modality | None:
    """What the trigger's own words say: negation, modals, infinitives, conditions."""
    if c.pred == "met" and (_remote(v) or (v.pos_ in ("NOUN", "PROPN") and _remote(v.head))):
        return None  # "met B virtually", "held talks with B by video link": not in person
    heads = [v]
    if v.dep_ == "pcomp" and v.head.head.pos_ in ("VERB", "AUX"):
        heads.append(v.head.head)  # "will fly home after meeting B": the main verb's modal
    if _no_memory_of(v):
        return None  # "has no memory of meeting her", "no recollection of the call"
    if v.pos_ in ("NOUN", "PROPN"):
        if any(d.lower_ == "no" for d in v.children if d.dep_ == "det"):
            return Modality.NEGATED
        if v.dep_ == "dobj" and v.head.lemma_.lower() in _ARRANGE:
            return None  # "helped arrange a meeting between A and B": one still to be held
        if (
            v.dep_ == "pobj"
            and v.head.lower_ in ("for", "of")
            and v.head.head.lemma_.lower() in _PLAN_NOUNS
        ):
            return None  # "plans for talks between A and B", "a request for a meeting"
        described = (
            v.dep_ in ("nsubj", "nsubjpass")
            and v.head.lemma_ == "be"
            and any(a.dep_ in ("attr", "acomp") for a in v.head.children)
        )  # "his meeting with B was not a formal one": what it was, not whether it was
        if (
            described
            and not _negated(v.head)
            and any(
                a.dep_ in ("attr", "acomp") and a.lemma_.lower() in _UNREAL for a in v.head.children
            )
        ):
            return Modality.NEGATED  # "the meeting with B was a fabrication"
        if not _presupposed(v) and not described:
            heads.append(v.head)
        if v.dep_ == "pobj" and v.head.head.pos_ in ("VERB", "AUX"):
            heads.append(v.head.head)  # "will raise it in a meeting with B": the verb's modal
    for h in heads:
        if any(m.lower_ in ("if", "unless", "whether") for m in h.children if m.dep_ == "mark"):
            return None
        modal = [
            a for a in h.children if a.dep_ == "aux" and (a.lower_ in _MODALS or a.tag_ == "MD")
        ]
        if modal and _negated(h) and all(a.lower_ in ("would", "'d") for a in modal):
            return Modality.NEGATED  # "wouldn't speak to him": a refusal, so it did not happen
        if modal:
            return None
        if _negated(h):
            return Modality.NEGATED
        to = any(a.lower_ == "to" and a.dep_ == "aux" for a in h.children)
        if to and (h.dep_ == "ROOT" or (h.dep_ == "relcl" and h.head.pos_ != "VERB")):
            return None  # a headline's "A to call B": what is to come has not happened
        if h.dep_ == "xcomp" or (
            h.dep_ in ("advcl", "acl") and any(a.lower_ == "to" for a in h.children)
        ):
            fate = _infinitive(h.head, c)
            if fate is not Modality.ASSERTED:
                return fate
        if h.tag_ == "VBG" and any(a.lemma_ == "be" for a in h.children if a.dep_ == "aux"):
            # "is meeting X on Thursday": the present progressive of a day to come
            low = sent.text.lower()
            if any(w in low for w in _FUTURE) or any(f"on {d}" in low for d in _WEEKDAYS):
                return None
    return Modality.ASSERTED


def _presupposed(t: Token) -> bool:
    """``t`` is below the object of a verb that presupposes it (a meeting one failed to
    disclose took place), or is what an account describes, so "did not reveal", "failed to
    disclose" or "disputed" above it is no denial."""
    for x in (t, *t.ancestors):
        if x.dep_ == "dobj" and x.head.lemma_.lower() in _FACTIVE and x.pos_ in ("NOUN", "PROPN"):
            return True
        if x.dep_ == "pobj" and x.head.lower_ == "of" and x.head.head.lemma_.lower() in _ACCOUNTS:
            return True  # "disputed an account of his meeting with B": the meeting was held
        if x.pos_ in ("VERB", "AUX"):
            return False
    return False


_REMOTE = vocab().cues["remote_words"]
_CLAUSES = frozenset({"ccomp", "advcl", "relcl", "xcomp", "conj", "parataxis", "acl"})


def _remote(v: Token) -> bool:
    """``v`` is done at a distance: "virtually", "online", "in a video call", "by video
    link", "over Zoom"."""
    for c in v.children:
        if c.dep_ in _CLAUSES:
            continue
        if any(t.dep_ == "advmod" and t.lower_ in _REMOTE for t in c.subtree):
            return True  # ("met B virtually on Monday": the parser may hang it on "on")
        if c.dep_ == "prep" and c.lower_ in ("in", "via", "by", "over", "on", "through"):
            for g in c.children:
                if g.dep_ != "pobj":
                    continue
                words = {
                    g.lower_,
                    *(m.lower_ for m in g.children if m.dep_ in ("compound", "amod")),
                }
                if words & _REMOTE:
                    return True
    return False


def _no_that(clause: Token) -> bool:
    """A "relative" clause with no relative word of its own: a content clause whose "that"
    was left out ("no evidence A met B"), not "no one who met B"."""
    return not any(
        c.tag_ in ("WDT", "WP", "WP$", "WRB") or c.lower_ == "that" for c in clause.subtree
    )


def _past_time_clause(t: Token, rel: str) -> bool:
    """``t`` heads a past clause of time ("when he messaged B", "after they met"): what it
    says is taken as given by the clause above, so that clause's denial is not its own."""
    return (
        rel == "advcl"
        and t.tag_ == "VBD"
        and any(
            (m.dep_ == "advmod" and m.lower_ == "when") or (m.dep_ == "mark" and m.lower_ in _SINCE)
            for m in t.children
        )
    )


_SINCE = frozenset({"after", "before", "since", "while", "when"})


# what is said of an event already held: disputing it leaves the event standing
_ACCOUNTS = frozenset(
    {"account", "readout", "version", "description", "characterisation", "characterization",
     "transcript", "minutes", "record", "summary", "details", "photo", "photograph", "video",
     "footage", "recording"}
)  # fmt: skip


def _purpose(clause: Token, verb: Token) -> bool:
    """An infinitive saying what a journey was for ("arrived to meet"): where one went is
    no report that one met (but "broke protocol to meet B" says they did)."""
    return (
        verb.lemma_.lower() in _JOURNEYS
        and clause.i > verb.i
        and any(g.dep_ == "aux" and g.lower_ == "to" and g.i < clause.i for g in clause.children)
    )


def _infinitive(head: Token, c: Candidate) -> Modality | None:
    """ "tried to meet" is an attempt; "refused to meet" did not happen; "plans to" not yet."""
    forms = word_forms(head)
    if forms & _RECALL and _negated(head):
        return None  # "doesn't remember meeting her": neither confirmed nor denied
    if forms & _ATTEMPT:
        return Modality.ATTEMPTED
    if forms & _REFUSE:
        # ("did not refuse to meet B" says nothing of whether they met)
        return None if c.pred == "denies" or _negated(head) else Modality.NEGATED
    if forms & _PLAN or head.pos_ == "ADJ":
        return None
    if head.lemma_ == "go" and head.tag_ == "VBG":
        return None  # "was going to meet B": what was to come, not what happened
    return Modality.ASSERTED


def _claim_denied(noun: Token) -> bool:
    """ "denied reports that ...", "claims that ... are false"."""
    h = noun.head
    if noun.dep_ in ("dobj", "nsubjpass") and h.lemma_.lower() in _DENY:
        return True
    if noun.dep_ == "dobj" and (named_false(h) or brushed_off(h)):
        return True  # "branded as fake news reports that …"
    if noun.dep_ == "pobj" and h.lower_ == "as" and h.head.lemma_.lower() in _DENY:
        return True  # "dismissed as nonsense reports that ..."
    if (
        noun.dep_ == "pobj"
        and h.lower_ in ("in", "to")
        and h.head.lemma_ == "truth"
        and any(d.lower_ in ("no", "little", "zero") for d in h.head.children)
    ):
        return True  # "there is no truth in the report", "little truth to the claims"
    if noun.dep_ == "nsubj":
        for c in h.children:
            if c.dep_ in ("acomp", "attr") and c.lemma_.lower() in _FALSE:
                return True
    return False


def _offence(v: Token) -> set[int]:
    """The words that say what a charge or an arrest was for ("arrested for allegedly
    taking bribes", "charged with allegedly lying"): a hedge there is the charge's, and the
    arrest itself is no less certain."""
    out: set[int] = set()
    for c in v.children:
        what = c.dep_ == "prep" and c.lower_ in ("for", "with", "over", "on", "in")
        if what or (c.dep_ == "advcl" and c.i > v.i):
            out.update(t.i for t in c.subtree)
    return out


def _described(v: Token, sent: Span) -> set[int]:
    """The words of a relative clause about someone ("businessmen who reportedly helped
    X"), or of another clause joined to the fact's ("…, but X was fired for allegedly
    lying"), unless the fact is read inside it: a hedge there hedges that clause only."""
    out: set[int] = set()
    for t in span_tokens(sent):
        joined = t.dep_ in ("conj", "advcl", "parataxis") and t.pos_ in ("VERB", "AUX")
        if (t.dep_ == "relcl" or joined) and not any(g.i == v.i for g in t.subtree):
            out.update(g.i for g in t.subtree)
    return out


def _hedged_noun(v: Token) -> bool:
    """ "his alleged meeting with B", "their reported talks": the event noun is hedged."""
    return v.pos_ in ("NOUN", "PROPN") and any(
        c.dep_ == "amod" and c.lower_ in _HEDGE_ADJECTIVES for c in v.children
    )


_HEDGE_ADJECTIVES = vocab().cues["hedge_adjectives"]


def _hedged(v: Token) -> bool:
    """ "is believed to have met", "is suspected of meeting"."""
    h = v.head
    return h.lemma_ in ("believe", "suspect", "think", "rumour", "rumor") and h.tag_ == "VBN"
