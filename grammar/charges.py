"""Charges read from the dependency parse: who was charged, arrested or indicted, and by whom.

An extractor module: pure functions of one sentence and the document context.  The
authority is the agent ("by Swiss prosecutors"), a warrant's issuer, one the article names
charging someone, a police force it names, else police or prosecutors.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from deniable.grammar.authorities import authority as named_authority
from deniable.grammar.candidate import Candidate, Context
from deniable.grammar.charging_bodies import (
    after_prep,
    agent,
    agrees,
    default_authority,
    late_agent,
)
from deniable.grammar.clause_args import after, args, passive, subjects
from deniable.grammar.names import Mention
from deniable.grammar.nlp import doc_tokens, span_tokens
from deniable.grammar.vocab import vocab

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

_CHARGE_VERBS = vocab().cues["charge_verbs"]
_AHEAD = vocab().cues["ahead"]
_ACCUSE = frozenset({"accuse", "charge", "name"})


def charged(sent: Span, ctx: Context) -> Iterator[Candidate]:
    """ "X was charged/indicted/arrested (by Y)", "police arrested X", "X arrested" (headline)."""
    for v in span_tokens(sent):
        if v.lemma_ not in _CHARGE_VERBS:
            continue
        if v.pos_ not in ("VERB", "ADJ") and not any(c.dep_ == "dobj" for c in v.children):
            continue  # (a "noun" with an object is the tagger's verb: "Police arrest X")
        if v.lemma_ == "charge" and any(
            c.dep_ in ("dobj", "npadvmod", "attr") and (c.ent_type_ == "MONEY" or c.like_num)
            for c in v.children
        ):
            continue  # "was charged £50 for the tickets": a price, not an offence
        is_passive = passive(v)
        listed = _those_charged(v, ctx)
        if listed is not None:
            people, authority, is_passive = listed, None, True
        elif is_passive:
            people = [m for c in v.children if c.dep_ == "nsubjpass" for m in args(c, ctx)]
            if not people and v.dep_ == "relcl" and agrees(v):
                people = subjects(v, ctx)  # "X, who was indicted in 2018, ..."
            if not people and v.dep_ in ("acl", "ROOT") and v.head.i != v.i:
                people = args(v.head, ctx)
                one = v.head
                if one.dep_ == "pobj" and one.head.lower_ == "of":
                    one = one.head.head  # the parser may hang it on "executives"
                if not people and one.lower_ == "one" and one.dep_ == "appos":
                    people = args(one.head, ctx)  # "X, one of six executives indicted"
            if not people and v.dep_ in ("conj", "xcomp"):
                # "A is alleged (said) to have been charged": the subject of the verb above
                people = [m for m in subjects(v.head, ctx)]
            if not people:
                people = _inverted(v, ctx)
            if v.lemma_ == "charge" and _tasked(v):
                # "X, charged by Y to investigate the claims": a task given, not a charge;
                # "*" vetoes the tuple with any authority
                for m in people:
                    yield Candidate(
                        "indicted_by", m.name, "*", v.i, sent.start, sent.end,
                        "charged_with_a_task", rejected=True,
                    )  # fmt: skip
                continue
            has_agent = any(c.dep_ == "agent" for c in v.children)
            authority = agent(v, ctx) or late_agent(v, ctx)
            if has_agent and authority is None:
                continue  # "accused by journalists": not an authority, not a charge
        else:
            people = [m for c in v.children if c.dep_ == "dobj" for m in args(c, ctx)]
            subj = next((c for c in v.children if c.dep_ == "nsubj"), None)
            if subj is None:
                # a headline's "Police arrest X": the parser may take the force for a compound
                subj = next((c for c in v.children if c.dep_ == "compound"), None)
            authority = named_authority(subj, ctx) if subj is not None else None
            if authority is None and _headline_passive(v, sent):
                # a headline's "X charged with fraud": "was" left out
                people = [m for m in subjects(v, ctx) if m.kind == "person"]
                is_passive = True
            elif authority is None:
                continue
        people = [m for m in people if m.kind in ("person", "group")]
        if not people and is_passive:
            # "six executives of X were charged": the executives, not X
            for c in v.children:
                if c.dep_ != "nsubjpass" or ctx.names.at(c.i) is not None:
                    continue
                for org in after((c,), ("of", "at", "from"), ctx):
                    before = ctx.doc[org.start - 1]
                    if (
                        org.kind == "person"
                        and c.lower_ in ctx.vocab.post_vocabulary
                        and before.dep_ == "compound"
                        and before.pos_ == "NOUN"
                        and before.text.islower()
                    ):
                        # ("X's head of oil Y was charged": the parser's "of" holds both the
                        # department and Y; not "the wife of Y")
                        yield Candidate(
                            "indicted_by", org.name, default_authority(v, sent, ctx), v.i,
                            sent.start, sent.end, f"{v.lemma_}_passive",
                        )  # fmt: skip
                        continue
                    yield Candidate(
                        "indicted_by", org.name, "*", v.i, sent.start, sent.end,
                        f"{v.lemma_}_people_of", rejected=True,
                    )  # fmt: skip
        if not people:
            continue
        people += [m for m in _along_with(v, ctx) if m not in people and m.kind == "person"]
        who = authority or default_authority(v, sent, ctx)
        pattern = f"{v.lemma_}_{'passive' if is_passive else 'active'}"
        for m in people:
            if m.name != who:
                yield Candidate("indicted_by", m.name, who, v.i, sent.start, sent.end, pattern)
        # Anyone else named in the sentence is not the one charged ("X, the lawyer of Y, was
        # charged": not Y); "*" vetoes the tuple with any authority.
        charged_names = {m.name for m in people}
        for other in ctx.mentions_in(sent):
            if other.kind == "person" and other.name not in charged_names:
                yield Candidate(
                    "indicted_by",
                    other.name,
                    "*",
                    v.i,
                    sent.start,
                    sent.end,
                    f"{pattern}_not_charged",
                    rejected=True,
                )


def group_members(sent: Span, ctx: Context) -> Iterator[Candidate]:
    """ "The other protesters are A, B and C", after "eight protesters were charged": the
    people listed as members of a group the article says was charged were charged."""
    root = sent.root
    if root.lemma_ not in ("be", "include"):
        return
    subj = next((c for c in root.children if c.dep_ == "nsubj"), None)
    if subj is None or subj.tag_ != "NNS":
        return
    if not any(c.dep_ == "det" and c.lower_ in ("the", "those") for c in subj.children):
        return
    authority = None
    for earlier in ctx.doc.sents:
        if earlier.start >= sent.start:
            break
        for c in charged(earlier, ctx):
            m = ctx.names.at(c.trigger) if c.rejected else None
            group = next(
                (x for x in ctx.mentions_in(earlier) if x.name == c.a and x.kind == "group"), None
            )
            if m is None and group is not None and c.a.split()[-1] == subj.text.lower():
                authority = c.b
    if authority is None:
        return
    doc = ctx.doc
    for m in ctx.mentions_in(doc[root.i + 1 : sent.end]):
        # a member is listed by full name, not named inside a description of another
        # ("a huntsman from X", "who plays polo with Y")
        head = doc[m.start : m.end].root
        inside = any(a.dep_ in ("relcl", "acl") for a in head.ancestors if a.i > root.i)
        after_prep = doc[m.start - 1].pos_ == "ADP" or doc[m.start - 1].lower_ in ("with", "in")
        if m.kind == "person" and " " in m.name and not inside and not after_prep:
            yield Candidate(
                "indicted_by", m.name, authority, root.i, sent.start, sent.end, "group_members"
            )


def _headline_passive(v: Token, sent: Span) -> bool:
    """A headline's past participle with its subject and no object ("X charged with fraud",
    "X arrested in Paris"): a line with no full stop whose main verb takes no object."""
    if v.dep_ != "ROOT" or v.tag_ not in ("VBD", "VBN") or v.lower_.endswith("s"):
        return False
    if any(c.dep_ in ("dobj", "ccomp", "xcomp", "dative") for c in v.children):
        return False
    text = sent.text.strip()
    return bool(text) and text[-1] not in ".!?\"'”’" and len(sent) <= 16


def _along_with(v: Token, ctx: Context) -> list[Mention]:
    """ "X was arrested along with Y", "together with Y": Y too."""
    out: list[Mention] = []
    for c in v.children:
        if (
            c.dep_ == "prep"
            and c.lower_ == "with"
            and v.doc[c.i - 1].lower_ in ("along", "together")
        ):
            out += [m for g in c.children if g.dep_ == "pobj" for m in args(g, ctx)]
        elif c.dep_ in ("prep", "advmod") and c.lower_ in ("along", "together"):
            for w in c.children:
                if w.dep_ == "prep" and w.lower_ == "with":
                    out += [m for g in w.children if g.dep_ == "pobj" for m in args(g, ctx)]
        elif c.dep_ == "prep" and c.lower_ == "alongside":
            # "charged alongside her husband, B": the apposition names him
            for g in c.children:
                if g.dep_ == "pobj":
                    out += args(g, ctx) or [
                        m for a in g.children if a.dep_ == "appos" for m in args(a, ctx)
                    ]
    return out


def _inverted(v: Token, ctx: Context) -> list[Mention]:
    """ "Also indicted were A and B": the subject comes after the passive's auxiliary."""
    aux = [c for c in v.children if c.dep_ == "auxpass" and c.i > v.i]
    if not aux or any(c.dep_ in ("nsubj", "nsubjpass") and c.i < v.i for c in v.children):
        return []
    return [m for c in aux[0].children if c.dep_ in ("nsubj", "attr") for m in args(c, ctx)]


_THOSE = frozenset({"those", "people", "men", "women"})


def _those_charged(v: Token, ctx: Context) -> list[Mention] | None:
    """ "Those charged included A and B", "Among those arrested were A and B": the people
    listed; None when ``v`` does not qualify "those"."""
    those = v.head
    if v.tag_ != "VBN" or v.dep_ != "acl" or those.lower_ not in _THOSE:
        return None
    verb = those.head
    if those.dep_ == "nsubj" and verb.lemma_ == "include":
        return [m for c in verb.children if c.dep_ == "dobj" for m in args(c, ctx)]
    if those.dep_ == "pobj" and those.head.lower_ == "among" and verb.head.lemma_ == "be":
        be = verb.head
        listed = [m for c in be.children if c.dep_ in ("nsubj", "attr") for m in args(c, ctx)]
        end = v.right_edge.i + 1
        if not listed and end < v.sent.end and ctx.doc[end].text == ":":
            # "two vice presidents were among those arrested: A of X and B of Y"
            listed = [m for m in ctx.mentions_in(v.sent) if m.start > end and m.kind == "person"]
        return listed
    return []


# what one pleads to besides charges: "pleaded not guilty to two tax crimes"
_PLEADED_TO = frozenset({"count", "crime", "offence", "offense"})


def _tasked(v: Token) -> bool:
    """ "charged (by Y) to investigate": an infinitive of the duty given ("charged and
    bailed to appear in court" is still a charge)."""
    return any(
        c.dep_ in ("xcomp", "advcl")
        and c.pos_ == "VERB"
        and c.lemma_ not in ("appear", "stand", "face")
        and any(a.lower_ == "to" and a.dep_ == "aux" for a in c.children)
        for c in v.children
    )


def charges_faced(sent: Span, ctx: Context) -> Iterator[Candidate]:
    """ "X denied/faces charges of fraud": X has been charged."""
    for n in span_tokens(sent):
        pleaded_to = n.lemma_ in _PLEADED_TO
        if (n.lemma_ not in ("charge", "indictment") and not pleaded_to) or n.pos_ != "NOUN":
            continue
        while n.dep_ == "conj" and n.head.i != n.i:
            n = n.head  # "pleaded not guilty to conspiracy and other charges"
        v = n.head
        if (
            n.dep_ == "pobj"
            and v.lower_ in ("on", "over")
            and v.head.lemma_ == "trial"
            and v.head.head.lemma_ in ("face", "stand")
        ):
            # "faces (stands) trial on charges of fraud": charged, and to be tried
            v, n = v.head.head, v.head
        if n.dep_ == "pobj" and v.lower_ == "to":
            up = v.head.head if v.head.lemma_ == "guilty" else v.head
            if up.lemma_ != "plead":
                continue
            v = up  # "pleaded guilty to fraud charges", "pleaded not guilty to two crimes"
        elif n.dep_ != "dobj" or pleaded_to:
            continue
        if v.lemma_ not in ("deny", "face", "contest", "plead") and not (
            v.lemma_ == "stand" and n.lemma_ == "trial"
        ):
            continue
        if any(c.lower_ in _AHEAD for c in n.children if c.dep_ == "amod"):
            continue  # "faces possible charges": none brought yet
        if v.lemma_ in ("deny", "contest") and n.lemma_ == "charge" and not _of_the_law(ctx):
            continue  # "denied the charge, calling it outrageous": a rival's, in a debate
        if any(c.lower_ == "no" for c in n.children if c.dep_ == "det"):
            continue  # "faces no charges"
        # "would plead not guilty to the charges": whatever the plea, the charges are there
        definite = v.lemma_ == "plead" and any(
            c.dep_ == "det" and c.lower_ in ("the", "these", "those") for c in n.children
        )
        brought = _brought_by(n, ctx)  # "faces charges brought by Swiss prosecutors"
        for m in subjects(v, ctx):
            if m.kind == "person":
                who = brought or default_authority(v, sent, ctx)
                yield Candidate(
                    "indicted_by", m.name, who, n.i if definite else v.i, sent.start,
                    sent.end, "charges_faced",
                )  # fmt: skip


def _of_the_law(ctx: Context) -> bool:
    """The article speaks of the law's charges: police, prosecutors, a court, an arrest or
    an indictment (not a charge a rival makes in a debate)."""
    return any(t.lemma_.lower() in _LAW_WORDS for t in doc_tokens(ctx.doc))


_LAW_WORDS = vocab().cues["prosecution_words"] | {
    "police", "court", "arrest", "jury", "trial", "bail", "magistrate", "judge", "plead",
    "detective", "investigator",
}  # fmt: skip


def _brought_by(charge: Token, ctx: Context) -> str | None:
    """The authority of "charges brought (filed, laid) by X" (the parser may hang the verb
    on the offence: "charges of fraud brought by X")."""
    for c in charge.subtree:
        if c.dep_ == "acl" and c.lemma_ in _RETURN_VERBS:
            who = agent(c, ctx)
            if who is not None:
                return who
    return None


_RETURN_VERBS = frozenset(
    {"announce", "approve", "authorise", "authorize", "bring", "file", "hand", "issue", "lay",
     "press", "return", "unseal", "present", "level", "lodge", "formalise", "formalize"}
)  # fmt: skip


def indictment_returned(sent: Span, ctx: Context) -> Iterator[Candidate]:
    """ "A grand jury returned an indictment against X", "an indictment charging X and Y"."""
    for n in span_tokens(sent):
        if _criminal_case(n):
            # "Swiss prosecutors opened criminal proceedings against X": an authority's only
            subj = next((c for c in n.head.children if c.dep_ == "nsubj"), None)
            who = named_authority(subj, ctx) if subj is not None else None
            if who is None:
                continue
            people = after_prep(n, "against", ctx) + after_prep(n.head, "against", ctx)
            yield from _each_charged(people, who, n.head.i, sent, "criminal_case_opened")
            continue
        if n.lemma_ not in ("indictment", "charge") or n.pos_ != "NOUN":
            continue
        v = n.head
        authority = None
        if v.lemma_ in _RETURN_VERBS and n.dep_ == "dobj":
            subj = next((c for c in v.children if c.dep_ == "nsubj"), None)
            authority = named_authority(subj, ctx) if subj is not None else None
            if n.lemma_ == "charge" and subj is not None and authority is None:
                continue  # "she brought charges against him": anyone may complain
        elif v.lemma_ in _RETURN_VERBS and n.dep_ == "nsubjpass":
            authority = agent(v, ctx)
        elif (
            n.lemma_ == "indictment"
            and n.dep_ == "pobj"
            and v.lower_ == "in"
            and v.head.lemma_ == "name"
            and passive(v.head)
            # ("named in an indictment as an unindicted co-conspirator": a label, no charge)
            and not any(
                c.dep_ == "prep" and c.lower_ == "as" for c in (*v.head.children, *n.children)
            )
            and not any(t.lower_.startswith("unindicted") for t in v.head.subtree)
        ):
            # "X was named in an indictment unsealed in Brooklyn": charged in it
            who = default_authority(v.head, sent, ctx)
            people = subjects(v.head, ctx)
            yield from _each_charged(people, who, v.head.i, sent, "named_in_indictment")
            continue
        elif n.lemma_ == "indictment" and n.dep_ == "nsubj" and v.lemma_ in _ACCUSE:
            # "An indictment unsealed on Thursday accuses A and B of …"
            people = [m for g in v.children if g.dep_ == "dobj" for m in args(g, ctx)]
            who = default_authority(v, sent, ctx)
            for m in people:
                if m.kind in ("person", "group"):
                    yield Candidate(
                        "indicted_by", m.name, who, v.i, sent.start, sent.end, "indictment_accuses"
                    )
            continue
        else:
            continue
        people = after_prep(n, "against", ctx) + after_prep(v, "against", ctx)
        for c in n.children:
            if c.dep_ == "acl" and c.lemma_ == "charge":
                people += [m for g in c.children if g.dep_ == "dobj" for m in args(g, ctx)]
        who = authority or "prosecutors"
        for m in people:
            if m.kind in ("person", "group") and m.name != who:
                yield Candidate(
                    "indicted_by", m.name, who, v.i, sent.start, sent.end, "indictment_returned"
                )


def _each_charged(
    people: list[Mention], who: str, trigger: int, sent: Span, pattern: str
) -> Iterator[Candidate]:
    """``indicted_by`` for each person or group of ``people`` other than the authority."""
    for m in people:
        if m.kind in ("person", "group") and m.name != who:
            yield Candidate("indicted_by", m.name, who, trigger, sent.start, sent.end, pattern)


def _criminal_case(n: Token) -> bool:
    """ "opened (launched) criminal proceedings (a criminal case) against X"."""
    return (
        n.lemma_.lower() in ("proceeding", "proceedings", "case")
        and n.dep_ == "dobj"
        and n.head.lemma_.lower() in ("open", "launch", "initiate", "institute", "bring", "file")
        and any(c.dep_ == "amod" and c.lower_ == "criminal" for c in n.children)
    )


def warrant_issued(sent: Span, ctx: Context) -> Iterator[Candidate]:
    """ "An arrest warrant was issued for X by a court", "a court issued a warrant for the
    arrest of X": the issuer is the authority."""
    for n in span_tokens(sent):
        if n.lemma_ != "warrant" or n.pos_ != "NOUN" or n.head.lemma_ != "issue":
            continue
        v = n.head
        if n.dep_ == "nsubjpass":
            authority = agent(v, ctx)
        elif n.dep_ == "dobj":
            subj = next((c for c in v.children if c.dep_ == "nsubj"), None)
            if subj is not None and subj.tag_ in ("WP", "WDT") and v.dep_ == "relcl":
                subj = v.head  # "the judges who issued a warrant"
            authority = named_authority(subj, ctx) if subj is not None else None
        else:
            continue
        people = after_prep(n, "for", ctx) + after_prep(v, "for", ctx)
        for prep in (c for t in (n, v) for c in t.children if c.dep_ == "prep"):
            for arrest in prep.children:
                if arrest.dep_ == "pobj" and arrest.lemma_ == "arrest":
                    people += after_prep(arrest, "of", ctx)  # "for the arrest of X"
        who = authority or "prosecutors"
        for m in people:
            if m.kind == "person" and m.name != who:
                yield Candidate(
                    "indicted_by", m.name, who, v.i, sent.start, sent.end, "warrant_issued"
                )
