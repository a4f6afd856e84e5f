"""Meetings, charges and denials read from the dependency parse of a clause.

Each function is an extractor: from one sentence and the read-only document context it yields
the candidates its clause shape gives.  Whether a candidate was asserted, reported, planned or
denied is not decided here but in :mod:`deniable.grammar.stance`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from itertools import combinations
from typing import TYPE_CHECKING

from deniable.grammar.candidate import Candidate, Context
from deniable.grammar.names import Mention
from deniable.grammar.vocab import vocab

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

_MEETING_NOUNS = vocab().cues["meeting_nouns"]
_HOLD_VERBS = vocab().cues["hold_verbs"]
_CHARGE_VERBS = vocab().cues["charge_verbs"]
_DENY_VERBS = vocab().cues["deny"]
_SPEECH = vocab().cues["speech"]
# Things one rejects that are not claims: rejecting an offer is no denial.
_NOT_CLAIMS = vocab().cues["not_claims"]
_PEOPLE_NOUNS = vocab().cues["people_nouns"]
_AUTHORITY_WORDS = vocab().cues["authority_words"]


def subjects(v: Token, ctx: Context, speaking: bool = False) -> list[Mention]:
    """Who does ``v``: its subject, a coordinated verb's subject, or a relative clause's noun."""
    for c in v.children:
        if c.dep_ in ("nsubj", "nsubjpass"):
            if c.lower_ in ("who", "which", "that") and v.dep_ == "relcl":
                return args(v.head, ctx, speaking)
            return args(c, ctx, speaking)
    if v.dep_ in ("conj", "xcomp", "advcl") and v.head.pos_ in ("VERB", "AUX"):
        return subjects(v.head, ctx, speaking)
    if v.dep_ in ("acl", "relcl"):
        return args(v.head, ctx, speaking)
    return []


def args(t: Token, ctx: Context, speaking: bool = False) -> list[Mention]:
    """The actors a noun phrase names, through apposition and coordination."""
    out: list[Mention] = []
    heads = [t, *t.conjuncts]
    for x in list(heads):
        for c in x.children:
            if c.dep_ == "appos":  # "his counterpart, A, and the leader, B"
                heads += [g for g in c.conjuncts if g not in heads]
    for x in heads:
        m = ctx.mention(x, speaking)
        if m is None:
            m = next(
                (ctx.mention(c) for c in x.children if c.dep_ == "appos" and ctx.mention(c)),
                None,
            )
        if m is not None and m.kind == "place" and x.dep_ in ("nsubj", "dobj", "pobj"):
            # A capital acting stands for its government ("Warsaw has denied"); any other
            # "place" that acts is an organisation the tagger took for a place.
            gov = ctx.vocab.government(m.name)
            if gov and x.dep_ == "nsubj":
                m = Mention(m.start, m.end, gov, "gov")
            elif not gov:
                m = Mention(m.start, m.end, m.name, "org")
        if m is not None and m.actor and m not in out:
            out.append(m)
    return out


def _objects(v: Token, ctx: Context) -> list[Mention]:
    """The direct object's actors and those after "with"."""
    direct = [m for c in v.children if c.dep_ == "dobj" for m in args(c, ctx)]
    return direct + _after((v,), ("with",), ctx)


def _after(
    heads: tuple[Token, ...], preps: tuple[str, ...], ctx: Context, every: bool = False
) -> list[Mention]:
    """The actors after a preposition of any of ``heads`` ("talks with A", "to A")."""
    out: list[Mention] = []
    for h in heads:
        for c in h.children:
            if c.dep_ != "prep" or c.lower_ not in preps:
                continue
            for g in c.children:
                if g.dep_ == "pobj":
                    out += _all_args(g, ctx) if every else args(g, ctx)
    return out


def _pairs(
    pred: str, v: Token, a: list[Mention], b: list[Mention], pattern: str, sent: Span
) -> Iterator[Candidate]:
    done: set[frozenset[str]] = set()
    for x in a:
        for y in b:
            key = frozenset((x.name, y.name))
            if x.name == y.name or key in done:
                continue
            done.add(key)
            # The evidence is the words from the first name to the last, trigger included.
            start = min(x.start, y.start, v.i)
            end = max(x.end, y.end, v.i + 1)
            yield Candidate(pred, x.name, y.name, v.i, start, end, pattern)


def met_verb(sent: Span, ctx: Context) -> Iterator[Candidate]:
    """ "A met B", "A met with B", "A and B met", "A discussed X with B"."""
    for v in sent:
        if v.pos_ != "VERB" or v.lemma_ not in ("meet", "discuss"):
            continue
        a = subjects(v, ctx)
        if v.lemma_ == "meet":
            b = _objects(v, ctx)
        else:
            # "discussed X with B": the "with" may hang on the verb or on its object
            b = _after((v, *(c for c in v.children if c.dep_ == "dobj")), ("with",), ctx)
        if not b and v.lemma_ == "meet" and len(a) > 1:
            for x, y in combinations(a, 2):
                yield from _pairs("met", v, [x], [y], "met_together", sent)
            continue
        yield from _pairs("met", v, a, b, f"{v.lemma_}_verb", sent)


_CALL_VERBS = vocab().cues["call_verbs"]
_CALL_NOUNS = frozenset({"call", "phone call", "conversation", "text", "message"})


def called_verb(sent: Span, ctx: Context) -> Iterator[Candidate]:
    """ "A phoned B", "A called and texted B"; never "called for", "called on", "called it"."""
    for v in sent:
        if v.pos_ != "VERB" or v.lemma_ not in _CALL_VERBS:
            continue
        deps = {c.dep_ for c in v.children}
        if deps & {"oprd", "xcomp", "ccomp", "attr", "acomp"}:
            continue  # "called it a farce", "called him to say"
        nominal = [c for c in v.rights if c.dep_ in ("dobj", "npadvmod", "dative", "appos")]
        if v.lemma_ == "call" and (
            len(nominal) > 1
            or any(
                c.dep_ == "dobj" and any(g.dep_ in ("appos", "acl") for g in c.children)
                for c in nominal
            )
        ):
            continue  # "called Bell the worst minister": naming, not phoning
        if v.lemma_ in ("call", "ring") and any(_not_a_phone_call(c) for c in v.children):
            continue
        if v.lemma_ in ("call", "ring") and v.tag_ == "VBN" and "auxpass" in deps:
            continue  # "was called": named, or summoned
        b = [m for c in v.children if c.dep_ == "dobj" for m in args(c, ctx)]
        if not b:
            for c in v.conjuncts:  # "called and texted B"
                b += [m for g in c.children if g.dep_ == "dobj" for m in args(g, ctx)]
        yield from _pairs("called", v, subjects(v, ctx), b, "called_verb", sent)


def spoke_by_phone(sent: Span, ctx: Context) -> Iterator[Candidate]:
    """ "A spoke by phone with B", "A talked to B on the phone"."""
    for v in sent:
        if v.pos_ != "VERB" or v.lemma_ not in ("speak", "talk"):
            continue
        phone = any(t.lemma_ in ("phone", "telephone") and t.head.dep_ == "prep" for t in v.subtree)
        if phone:
            b = _after((v,), ("with", "to"), ctx)
            yield from _pairs("called", v, subjects(v, ctx), b, "spoke_by_phone", sent)


def _not_a_phone_call(c: Token) -> bool:
    """ "called for", "called on X to", "called off", "called out"; "on Monday" is a date."""
    if c.dep_ not in ("prep", "prt") or c.lower_ not in ("for", "on", "off", "up", "out"):
        return False
    if c.lower_ == "on":
        obj = next((g for g in c.children if g.dep_ == "pobj"), None)
        return obj is None or obj.ent_type_ not in ("DATE", "TIME")
    return True


def calls_made(sent: Span, ctx: Context) -> Iterator[Candidate]:
    """ "A made 99 calls to B", "A had 40 phone conversations with B", "A's calls with B"."""
    for n in sent:
        owner = [m for c in n.children if c.dep_ == "poss" for m in args(c, ctx)]
        if n.lemma_ == "call" and n.pos_ == "NOUN" and owner:
            to = _after((n,), ("to", "with"), ctx)
            yield from _pairs("called", n, owner, to, "calls_of", sent)
            continue
        if n.lemma_ not in ("call", "conversation") or n.pos_ != "NOUN" or n.dep_ != "dobj":
            continue
        if n.lemma_ == "conversation" and not any(
            c.lower_ in ("phone", "telephone") for c in n.lefts
        ):
            continue
        v = n.head
        if v.lemma_ not in ("make", "have", "hold", "place"):
            continue
        to = _after((n, v), ("to", "with"), ctx)
        count = next(
            (int(c.text) for c in n.children if c.dep_ == "nummod" and c.text.isdigit()), None
        )
        for cand in _pairs("called", v, subjects(v, ctx), to, "calls_made", sent):
            yield replace(cand, count=count) if count is not None else cand


def held_talks(sent: Span, ctx: Context) -> Iterator[Candidate]:
    """ "A held talks with B", "A began talks with B", "a meeting between A, B and C"."""
    for n in sent:
        if n.lemma_.lower() not in _MEETING_NOUNS and n.lower_ not in _MEETING_NOUNS:
            continue
        if n.pos_ not in ("NOUN", "PROPN"):
            continue
        between = _after((n,), ("between",), ctx, every=True)
        v = n.head
        if n.dep_ == "dobj" and v.lemma_ in _HOLD_VERBS:
            withs = _after((n, v), ("with",), ctx)
            yield from _pairs("met", n, subjects(v, ctx), withs, "held_talks", sent)
        if len(between) > 1:
            for x, y in combinations(between, 2):
                yield from _pairs("met", n, [x], [y], "meeting_between", sent)
        if n.dep_ == "pobj" and n.head.lower_ == "in" and n.lemma_ != "meeting":
            # "A is in talks with B"; a headline's "A and B in talks"
            holder = n.head.head
            a = subjects(holder, ctx) if holder.pos_ in ("VERB", "AUX") else args(holder, ctx)
            withs = _after((n,), ("with",), ctx)
            if withs:
                yield from _pairs("met", n, a, withs, "in_talks", sent)
            elif len(a) > 1:
                for x, y in combinations(a, 2):
                    yield from _pairs("met", n, [x], [y], "in_talks", sent)
        named = [m for c in n.children if c.dep_ in ("compound", "nmod") for m in args(c, ctx)]
        if len(named) > 1 and n.lemma_ != "meeting":
            # "Russia WTO talks": the parties to the talks modify the noun
            for x, y in combinations(named, 2):
                yield from _pairs("met", n, [x], [y], "named_talks", sent)


_VISIT_VERBS = vocab().cues["visit_verbs"]
_TRAVEL_VERBS = vocab().cues["travel_verbs"]


def visited(sent: Span, ctx: Context) -> Iterator[Candidate]:
    """ "A visited Kyiv", "A flew to Minsk", "A toured the Velcor plant"."""
    for v in sent:
        if v.pos_ != "VERB":
            continue
        if v.lemma_ in _VISIT_VERBS:
            targets = [c for c in v.children if c.dep_ == "dobj"]
        elif v.lemma_ in _TRAVEL_VERBS:
            targets = [
                g
                for c in v.children
                if c.dep_ == "prep" and c.lower_ == "to"
                for g in c.children
                if g.dep_ == "pobj"
            ]
        else:
            continue
        places = [p for t in targets for x in (t, *t.conjuncts) if (p := _place(x, ctx))]
        for who in subjects(v, ctx):
            for name, _start, end in places:
                if name != who.name:
                    yield Candidate(
                        "visited",
                        who.name,
                        name,
                        v.i,
                        min(who.start, v.i),
                        max(end, v.i + 1),
                        f"{v.lemma_}_place",
                    )


def _place(t: Token, ctx: Context) -> tuple[str, int, int] | None:
    """A place as written ("France", not the French government) or an organisation."""
    m = ctx.names.at(t.i)
    if m is None:
        m = next(
            (
                ctx.names.at(c.i)
                for c in t.children
                if c.dep_ == "compound" and ctx.names.at(c.i) is not None
            ),
            None,
        )
    if m is None or m.kind == "person":
        return None
    if m.kind in ("gov", "place"):
        return ctx.doc[m.start : m.end].text, m.start, m.end
    return m.name, m.start, m.end


def _all_args(t: Token, ctx: Context) -> list[Mention]:
    """Every actor in a list, including the appositions' names ("X chairman A, Y chairman B")."""
    out: list[Mention] = []
    for x in t.subtree:
        m = ctx.names.at(x.i)
        if m is not None and m.actor and m.kind == "person" and m not in out:
            out.append(m)
    return out


def charged(sent: Span, ctx: Context) -> Iterator[Candidate]:
    """ "X was charged/indicted/arrested (by Y)", "police arrested X", "X arrested" (headline)."""
    for v in sent:
        if v.lemma_ not in _CHARGE_VERBS or v.pos_ not in ("VERB", "ADJ"):
            continue
        passive = _passive(v)
        if passive:
            people = [m for c in v.children if c.dep_ == "nsubjpass" for m in args(c, ctx)]
            if not people and v.dep_ in ("acl", "ROOT") and v.head.i != v.i:
                people = args(v.head, ctx)
                one = v.head
                if one.dep_ == "pobj" and one.head.lower_ == "of":
                    one = one.head.head  # the parser may hang it on "executives"
                if not people and one.lower_ == "one" and one.dep_ == "appos":
                    people = args(one.head, ctx)  # "X, one of six executives indicted"
            if not people and v.dep_ in ("conj",):
                people = [m for m in subjects(v.head, ctx)]
            has_agent = any(c.dep_ == "agent" for c in v.children)
            authority = _agent(v, ctx) or _late_agent(v, ctx)
            if has_agent and authority is None:
                continue  # "accused by journalists": not an authority, not a charge
        else:
            people = [m for c in v.children if c.dep_ == "dobj" for m in args(c, ctx)]
            subj = next((c for c in v.children if c.dep_ == "nsubj"), None)
            authority = _authority(subj, ctx) if subj is not None else None
            if authority is None:
                continue
        people = [m for m in people if m.kind == "person"]
        if not people:
            continue
        who = authority or _default_authority(v, sent, ctx)
        pattern = f"{v.lemma_}_{'passive' if passive else 'active'}"
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


def charges_faced(sent: Span, ctx: Context) -> Iterator[Candidate]:
    """ "X denied/faces charges of fraud": X has been charged."""
    for n in sent:
        if n.lemma_ not in ("charge", "indictment") or n.pos_ != "NOUN" or n.dep_ != "dobj":
            continue
        v = n.head
        if v.lemma_ not in ("deny", "face", "contest", "plead"):
            continue
        for m in subjects(v, ctx):
            if m.kind == "person":
                who = _default_authority(v, sent, ctx)
                yield Candidate(
                    "indicted_by", m.name, who, v.i, sent.start, sent.end, "charges_faced"
                )


def _late_agent(v: Token, ctx: Context) -> str | None:
    """ "charged with tax evasion by prosecutors": the parser hangs "by" on the charge."""
    for c in v.children:
        if c.dep_ == "prep" and c.lower_ == "with":
            for t in c.subtree:
                if t.lower_ == "by" and t.dep_ in ("prep", "agent"):
                    obj = next((g for g in t.children if g.dep_ == "pobj"), None)
                    if obj is not None and (who := _authority(obj, ctx)):
                        return who
    return None


def _agent(v: Token, ctx: Context) -> str | None:
    for c in v.children:
        if c.dep_ == "agent":
            for g in c.children:
                if g.dep_ == "pobj":
                    return _authority(g, ctx)
    return None


def _authority(t: Token, ctx: Context) -> str | None:
    """An authority named by a noun phrase: a police force, "Swiss prosecutors", a court."""
    m = ctx.mention(t, speaking=True)
    if m is not None and m.kind in ("org", "gov"):
        return m.name
    if t.lemma_.lower() not in _AUTHORITY_WORDS and t.lower_ not in _AUTHORITY_WORDS:
        return None
    # The phrase as written, without its determiner: "US prosecutors", "a federal grand jury".
    left = [c for c in t.lefts if c.dep_ in ("compound", "amod", "nmod", "npadvmod")]
    start = min([c.left_edge.i for c in left] + [t.i])
    words = [w.text for w in ctx.doc[start : t.i + 1] if w.dep_ not in ("det", "poss", "punct")]
    text = " ".join(words)
    return text if len(words) > 1 else text.lower()


def _default_authority(v: Token, sent: Span, ctx: Context) -> str:
    """No agent: the warrant's issuer, an authority the article names as charging someone, a
    police force it names, else police or prosecutors."""
    for t in v.subtree:
        if t.lemma_ == "warrant":
            for c in t.children:
                if c.dep_ == "acl" and (who := _agent(c, ctx)):
                    return who
    for t in ctx.doc:
        if t.lemma_ in _CHARGE_VERBS and t.tag_ == "VBN" and (who := _agent(t, ctx)):
            return who
    forces = [
        m
        for m in ctx.names.mentions
        if m.kind == "org"
        and m.start < sent.end + 400
        and any(w in m.name.lower() for w in ("police", "constabulary", "prosecut"))
    ]
    if forces:
        return forces[0].name
    return "police" if v.lemma_ in ("arrest", "charge") else "prosecutors"


def denied(sent: Span, ctx: Context) -> Iterator[Candidate]:
    """ "A denied/rejected/dismissed claims that B ...", "a claim denied by A"."""
    for v in sent:
        if v.lemma_ not in _DENY_VERBS or v.pos_ != "VERB":
            continue
        claim_roots: list[Token] = []
        if v.dep_ in ("acl", "relcl") and v.head.pos_ == "NOUN":
            deniers = _agent_mentions(v, ctx) or [
                m for c in v.children if c.dep_ == "nsubj" for m in args(c, ctx, True)
            ]
            claim_roots.append(v.head)
        else:
            deniers = _agent_mentions(v, ctx) if _passive(v) else subjects(v, ctx, True)
            for c in v.children:
                if c.dep_ in ("dobj", "ccomp", "xcomp", "nsubjpass"):
                    claim_roots.append(c)
                elif c.dep_ == "conj" and c.pos_ in ("NOUN", "PROPN"):
                    claim_roots.append(c)  # "denied links to A and B", B hung on the verb
        roots = [r for r in claim_roots if r.lemma_.lower() not in _NOT_CLAIMS or _has_clause(r)]
        about = _claim_subjects(roots, ctx, {d.name for d in deniers})
        claim = "; ".join(_text(r, ctx) for r in roots)
        for d in deniers:
            for m in about:
                if m.name != d.name:
                    yield Candidate(
                        "denies",
                        d.name,
                        m.name,
                        v.i,
                        sent.start,
                        sent.end,
                        f"{v.lemma_}_claim",
                        claim=claim,
                    )
        # Everyone else in the sentence is not what this denial is about.
        others = {m.name for m in ctx.mentions_in(sent) if m.actor} - {m.name for m in about}
        for d in deniers:
            for name in sorted(others - {x.name for x in deniers}):
                yield Candidate(
                    "denies",
                    d.name,
                    name,
                    v.i,
                    sent.start,
                    sent.end,
                    f"{v.lemma_}_not_the_claim",
                    rejected=True,
                )


def denied_part(sent: Span, ctx: Context) -> Iterator[Candidate]:
    """ "A said B played no part in it", "A insisted B had nothing to do with it": A denies
    a claim about B."""
    for v in sent:
        if v.lemma_ not in _SPEECH or v.pos_ != "VERB":
            continue
        for c in v.children:
            if c.dep_ != "ccomp" or not _no_part(c):
                continue
            about = [m for g in c.children if g.dep_ == "nsubj" for m in args(g, ctx)]
            for d in subjects(v, ctx, True):
                for m in about:
                    if m.name != d.name:
                        yield Candidate(
                            "denies",
                            d.name,
                            m.name,
                            v.i,
                            sent.start,
                            sent.end,
                            "said_no_part",
                            claim=_text(c, ctx),
                        )


def _no_part(clause: Token) -> bool:
    """ "played no part", "had no role", "had nothing to do with"."""
    for c in clause.children:
        if c.dep_ != "dobj":
            continue
        if c.lemma_ in ("part", "role", "involvement") and any(
            d.lower_ == "no" for d in c.children if d.dep_ == "det"
        ):
            return True
        if c.lower_ == "nothing" and clause.lemma_ == "have":
            return True
    return False


def _passive(v: Token) -> bool:
    """ "was charged", "X charged" (a headline); not "have charged", which is active."""
    deps = {c.dep_ for c in v.children}
    if deps & {"auxpass", "nsubjpass", "agent"}:
        return True
    return v.tag_ == "VBN" and "nsubj" not in deps and "aux" not in deps


def _agent_mentions(v: Token, ctx: Context) -> list[Mention]:
    return [
        m
        for c in v.children
        if c.dep_ == "agent"
        for g in c.children
        if g.dep_ == "pobj"
        for m in args(g, ctx, True)
    ]


def _has_clause(n: Token) -> bool:
    """ "the idea that X did Y": a content clause right after an offer-like noun makes it a
    claim (a "that" clause after a comma belongs to something else)."""
    return any(
        c.dep_ in ("acl", "ccomp")
        and c.left_edge.i == n.i + 1
        and any(m.lower_ == "that" and m.dep_ == "mark" for m in c.children)
        for c in n.children
    )


# Deeper than this, a name is a detail of a detail ("a network accused of moving goods through X").
_DEEPEST = 4


def _claim_subjects(roots: list[Token], ctx: Context, deniers: set[str]) -> list[Mention]:
    """The entities a denied claim is about: the names closest to the claim's head.

    A name in a clause about when or where ("..., when he told X") is not what is denied, and
    names deeper in the claim only count when no name is closer ("denied accusing A of
    using B": A).  Coordinated objects ("links to A and B") are each a claim; one whose
    nearest name is much deeper than the others' is a detail, not a claim.
    """
    per_root = [_depths(r, ctx, deniers) for r in roots]
    bests = [min(d.values()) for d in per_root if d]
    if not bests:
        return []
    out: list[Mention] = []
    for depths in per_root:
        if not depths or min(depths.values()) > min(bests) + 1:
            continue
        best = min(depths.values())
        out += [m for m, d in depths.items() if d == best and m not in out]
    return out


def _depths(root: Token, ctx: Context, deniers: set[str]) -> dict[Mention, int]:
    """Each name under ``root`` with its distance in clauses and arguments."""
    found: dict[Mention, int] = {}

    def walk(t: Token, depth: int) -> None:
        m = ctx.names.at(t.i)
        if m is not None and m.actor and m.name not in deniers:
            head = ctx.doc[m.start : m.end].root
            noun = head.head
            people_noun = head.dep_ == "compound" and (
                noun.lemma_.lower() in _PEOPLE_NOUNS or noun.lower_.rstrip("s") in _PEOPLE_NOUNS
            )
            # "Giuliani associates": the claim is about the associates
            if not people_noun and depth < found.get(m, 99):
                found[m] = depth
        for c in t.children:
            if c.dep_ in ("advcl", "parataxis", "npadvmod") or c.lower_ in ("when", "while"):
                continue
            # A name inside a predicate noun ("an agent of the FSB") is further from what the
            # claim is about than the clause's subject.
            step = 0 if c.dep_ in ("prep", "compound", "case", "det", "conj", "appos") else 1
            step += 1 if c.dep_ in ("attr", "acomp") else 0
            walk(c, depth + step)

    walk(root, 0)
    return {m: d for m, d in found.items() if d <= _DEEPEST}


def _text(root: Token, ctx: Context) -> str:
    span = ctx.doc[root.left_edge.i : root.right_edge.i + 1]
    return span.text[:160]
