"""Roles read from clauses: "X heads Y", "X, who leads Y", "X served as head of Y", "X was
appointed chief executive of Y", "Y was founded by X".

An extractor module.  The person is the clause's subject (through a relative clause), the
organisation a name the verb takes as its object or the post noun's "of" phrase.  Whether the
clause states it, reports it or only plans it is decided by :mod:`deniable.grammar.stance`;
a past "led" or "served as" is a former role, which still counts.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import TYPE_CHECKING

from deniable.grammar.candidate import Candidate, Context
from deniable.grammar.clause_args import agent_mentions, args, board_owner, subjects
from deniable.grammar.kinds import FIRM_WORDS
from deniable.grammar.names import Mention
from deniable.grammar.nlp import span_tokens
from deniable.grammar.role_nouns import its_org, post_of, role_noun
from deniable.grammar.vocab import vocab

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

_HEAD_VERBS = vocab().cues["head_verbs"]
_OWN_VERBS = vocab().cues["own_verbs"]
_BECOME_VERBS = vocab().cues["become_verbs"]
_CONTEST = vocab().cues["contest"]


def role_verb(sent: Span, ctx: Context) -> Iterator[Candidate]:
    """ "X heads/leads/chairs/runs Y" and "X, who heads Y": X is Y's head; "X owns Y": its
    owner."""
    for v in span_tokens(sent):
        lemma = v.lemma_.lower()
        founder = _founding(v)
        if v.pos_ != "VERB" or _negated(v):
            continue
        if lemma not in _HEAD_VERBS | _OWN_VERBS and not founder:
            continue
        post = "owner" if lemma in _OWN_VERBS else founder or "head"
        if (lemma in _HEAD_VERBS or lemma in _OWN_VERBS) and not founder:
            # "Gazprom, headed by X", "Y is run by X", "Y, which is owned by X"
            headed = _headed_by(v, ctx)
            if headed is not None:
                body, people = headed
                for person in people:
                    yield Candidate(
                        "role", person.name, body.name, v.i, body.start, person.end,
                        "role_verb", role=post, when="former" if v.tag_ == "VBD" else "",
                    )  # fmt: skip
                continue
        objs = [c for c in v.children if c.dep_ == "dobj"]
        if len(objs) != 1 or any(c.dep_ == "prep" for c in objs[0].children):
            continue  # "leads the inquiry into Y": an inquiry, not Y
        org = ctx.names.at(objs[0].i)
        if org is None and objs[0].lower_ in ("which", "that") and v.dep_ == "relcl":
            org = ctx.names.at(v.head.i)  # "Y, which X founded in 2009"
        if org is None and objs[0].lemma_.lower() in FIRM_WORDS | {"board"}:
            # "runs the online retailer X": the firm's name in apposition to its kind;
            # "chairs the X board", "runs the X group": the name before it
            named = [ctx.names.at(c.i) for c in objs[0].children if c.dep_ in ("appos", "compound")]
            org = next((m for m in named if m is not None), None)
        if org is None:
            # "leads the regional body known as X", "runs a firm called X"
            named = [
                ctx.names.at(g.i)
                for c in objs[0].children
                if c.dep_ == "acl" and c.lemma_.lower() in ("know", "call", "name")
                for g in c.subtree
            ]
            org = next((m for m in named if m is not None), None)
        if org is None or org.kind not in (
            ("org",) if post == "owner" else ("org", "gov", "party")
        ):
            continue
        when = "former" if v.tag_ == "VBD" else ""
        # "leads the Greens by five points": ahead in a race, which says so to the older
        # reader too
        contest = any(t.lemma_.lower() in _CONTEST for t in v.subtree)
        for person in _right_before(v, ctx) or _persons(v, ctx):
            if person.name != org.name:
                yield Candidate(
                    "role", person.name, org.name, v.i, min(person.start, v.i),
                    max(org.end, v.i + 1), "role_verb", role=post, when=when,
                    rejected=contest,
                )  # fmt: skip


def _headed_by(v: Token, ctx: Context) -> tuple[Mention, list[Mention]] | None:
    """The body and the people of a passive "headed (run, led) by X": the body is the
    noun the participle hangs on or the passive's subject."""
    people = [m for m in agent_mentions(v, ctx) if m.kind == "person"]
    if not people:
        return None
    subj = next((c for c in v.children if c.dep_ == "nsubjpass"), None)
    if v.dep_ == "acl" or (
        v.dep_ == "relcl" and subj is not None and subj.lower_ in ("which", "that")
    ):
        org = ctx.names.at(v.head.i)
    else:
        org = ctx.names.at(subj.i) if subj is not None else None
    if org is None or org.kind not in ("org", "party"):
        return None
    return org, people


def _founding(v: Token) -> str:
    """ "founded", "established", "set up", "co-founded" (which the tokenizer splits):
    the founder's post, else ""."""
    lemma = v.lemma_.lower()
    if lemma in ("found", "establish") and v.tag_ != "VBN":
        return "founder"
    if lemma == "set" and any(c.dep_ == "prt" and c.lower_ == "up" for c in v.children):
        return "founder"
    doc = v.doc
    if v.lower_ == "co" and v.i + 2 < len(doc) and doc[v.i + 1].text == "-":
        return "co-founder" if doc[v.i + 2].lower_.startswith("found") else ""
    return ""


def role_appointed(sent: Span, ctx: Context) -> Iterator[Candidate]:
    """ "X served as head of Y", "X was appointed/named chief executive of Y", "X became
    chairman of Y"; "…, replacing (succeeding) B": B's post before."""
    for v in span_tokens(sent):
        if v.pos_ not in ("VERB", "AUX"):
            continue
        found = list(_appointed_at(v, ctx))
        if not found:
            continue
        yield from found
        for b in _predecessors(v, ctx):
            for c in found:
                if c.when != "former" and b.name not in (c.a, c.b):
                    yield replace(c, a=b.name, when="former")


def _predecessors(v: Token, ctx: Context) -> list[Mention]:
    """The people a participle on ``v`` says were replaced ("…, replacing B")."""
    return [
        m
        for c in v.children
        if c.dep_ in ("advcl", "xcomp", "conj") and c.tag_ == "VBG"
        and c.lemma_.lower() in ("replace", "succeed")
        for o in c.children
        if o.dep_ == "dobj"
        for m in args(o, ctx)
        if m.kind == "person"
    ]  # fmt: skip


def _appointed_at(v: Token, ctx: Context) -> Iterator[Candidate]:
    """The posts ``v`` gives its people."""
    lemma = v.lemma_.lower()
    if v.pos_ not in ("VERB", "AUX") or _negated(v):
        return
    nouns: list[Token] = []
    if lemma in ("serve", "work") or _left(v) or _took_over(v):
        # "served as head of Y"; "resigned as Y's chairman", "stepped down as chief
        # executive of Y": a post held, now left; "took over as chief executive of Y"
        nouns = _as_nouns(v)
    elif lemma in _BECOME_VERBS and (lemma == "become" or _passive(v)):
        # "A appointed B head of C" is B's post: only the passive names the holder as
        # the subject ("was hired as its finance director" too)
        nouns = [c for c in v.children if c.dep_ in ("oprd", "attr", "xcomp")]
        nouns += _as_nouns(v)
    elif lemma in _BECOME_VERBS and lemma != "become":
        yield from _appointed_by(v, ctx)
        return
    elif lemma in ("replace", "succeed") and not _passive(v):
        # "A replaced (succeeded) B as chairman of C": A's post, and B's before
        nouns = _as_nouns(v)
        if nouns:
            before = [
                m for c in v.children if c.dep_ == "dobj" for m in args(c, ctx)
                if m.kind == "person"
            ]  # fmt: skip
            for person in before:
                for noun in nouns:
                    for cand in role_noun(noun, person, ctx):
                        yield replace(cand, trigger=v.i, pattern="role_appointed", when="former")
    if not nouns and lemma == "work" and not _left(v):
        yield from _worked_for(v, ctx)
        return
    if not nouns and lemma in ("sit", "serve"):
        yield from _sits_on(v, ctx)
        return
    if not nouns:
        return
    when = "former" if (lemma in ("serve", "work") and v.tag_ == "VBD") or _left(v) else ""
    for person in _persons(v, ctx):
        for noun in nouns:
            found = False
            for cand in role_noun(noun, person, ctx):
                found = True
                yield replace(
                    cand,
                    trigger=v.i,
                    pattern="role_appointed",
                    when=cand.when or when,
                )
            if not found:
                yield from _post_at(v, noun, person, when, ctx)


_BODIES = vocab().cues["member_bodies"]


def _sits_on(v: Token, ctx: Context) -> Iterator[Candidate]:
    """ "X, who sits (serves) on the House Oversight Committee": a member of it."""
    when = "former" if v.tag_ == "VBD" else ""
    for c in v.children:
        if c.dep_ != "prep" or c.lower_ != "on":
            continue
        for g in c.children:
            body = ctx.names.at(g.i) if g.dep_ == "pobj" else None
            if body is None or body.kind != "org" or body.name.split()[-1].lower() not in _BODIES:
                continue
            for person in _persons(v, ctx):
                yield Candidate(
                    "role", person.name, body.name, v.i, min(person.start, v.i), body.end,
                    "role_appointed", role="member", when=when,
                )  # fmt: skip


def _worked_for(v: Token, ctx: Context) -> Iterator[Candidate]:
    """ "X has worked for (at) Y since 2010": X is Y's employee (former, said in the past
    tense)."""
    when = "former" if v.tag_ == "VBD" else ""
    for c in v.children:
        if c.dep_ != "prep" or c.lower_ not in ("for", "at"):
            continue
        for g in c.children:
            org = ctx.names.at(g.i) if g.dep_ == "pobj" else None
            if org is None or org.kind not in ("org", "gov", "party"):
                continue
            for person in _persons(v, ctx):
                if person.name != org.name:
                    yield Candidate(
                        "role", person.name, org.name, v.i, min(person.start, v.i), org.end,
                        "role_appointed", role="employee", when=when,
                    )  # fmt: skip


def _post_at(
    v: Token, noun: Token, person: Mention, when: str, ctx: Context
) -> Iterator[Candidate]:
    """ "X was named chief financial officer at Y": the parser hangs "at Y" on the verb."""
    words = [t.text for t in noun.subtree if t.i <= noun.i and t.dep_ != "det"]
    post = post_of(words, ctx)
    if post is None:
        return
    for c in v.children:
        if c.dep_ == "prep" and c.lower_ in ("at", "of") and c.i > noun.i:
            org = next(
                (m for g in c.children if g.dep_ == "pobj" and (m := ctx.names.at(g.i))), None
            )
            if org is not None and org.kind in ("org", "party") and org.name != person.name:
                yield Candidate(
                    "role", person.name, org.name, v.i, person.start, org.end,
                    "role_appointed", role=post[1], when=when,
                )  # fmt: skip


def role_joined(sent: Span, ctx: Context) -> Iterator[Candidate]:
    """ "X joined Y as a trader", "X joined the Green Party in 1990": a post at Y (the one
    "as" names, else a member's)."""
    for v in span_tokens(sent):
        if v.lemma_.lower() != "join" or v.pos_ != "VERB" or _negated(v):
            continue
        org = next((m for c in v.children if c.dep_ == "dobj" and (m := ctx.names.at(c.i))), None)
        board = _board_of(v, ctx)
        if org is None and board is not None:
            # "joined the board of X", "joined X's board": a board member of X
            for person in _persons(v, ctx):
                if person.name != board.name:
                    yield Candidate(
                        "role", person.name, board.name, v.i, person.start, board.end,
                        "role_joined", role="board member",
                    )  # fmt: skip
            continue
        if org is None or org.kind not in ("org", "party"):
            continue
        role = "member"
        for c in v.children:
            if c.dep_ == "prep" and c.lower_ == "as":
                noun = next((g for g in c.children if g.dep_ == "pobj"), None)
                words = [t.text for t in noun.subtree if t.i <= noun.i] if noun else []
                post = post_of([w for w in words if w.lower() not in ("a", "an", "the")], ctx)
                role = "" if post is None else post[1]  # "joined Y as a child": no post
        if not role:
            continue
        for person in _persons(v, ctx):
            yield Candidate(
                "role", person.name, org.name, v.i, person.start, org.end, "role_joined",
                role=role,
            )  # fmt: skip


def _board_of(v: Token, ctx: Context) -> Mention | None:
    """The body whose board is the verb's object ("the board of X", "X's board")."""
    for c in v.children:
        if c.dep_ != "dobj" or c.lemma_.lower() != "board":
            continue
        body = board_owner(c, ctx)
        return body if body is not None and body.kind in ("org", "party") else None
    return None


def role_on_board(sent: Span, ctx: Context) -> Iterator[Candidate]:
    """ "X sits (serves) on the board of Y", "X is on Y's board": a board member of Y."""
    for v in span_tokens(sent):
        if v.lemma_.lower() not in ("sit", "serve", "be") or _negated(v):
            continue
        for c in v.children:
            if c.dep_ != "prep" or c.lower_ != "on":
                continue
            board = next((g for g in c.children if g.dep_ == "pobj"), None)
            if board is None or board.lemma_.lower() != "board":
                continue
            owners = [ctx.names.at(g.i) for g in board.children if g.dep_ == "poss"]
            owners += [
                ctx.names.at(g.i)
                for p in board.children
                if p.dep_ == "prep" and p.lower_ == "of"
                for g in p.children
                if g.dep_ == "pobj"
            ]
            # (only a body has a board: a "place" here is a firm the tagger mistook)
            org = next(
                (m for m in owners if m is not None and m.kind in ("org", "party", "place")), None
            )
            if org is None:
                continue
            when = "former" if v.tag_ == "VBD" else ""
            for person in _persons(v, ctx):
                yield Candidate(
                    "role", person.name, org.name, v.i, person.start, org.end, "role_on_board",
                    role="board member", when=when,
                )  # fmt: skip


def _appointed_by(v: Token, ctx: Context) -> Iterator[Candidate]:
    """ "Y appointed X (as) chief executive", "A named X head of Y": X's post is the one
    the object is given, of the body named with it or, failing that, of the body that
    appoints (a company's board names its own officers; a person appointing names no body)."""
    people = [m for c in v.children if c.dep_ == "dobj" for m in args(c, ctx) if m.kind == "person"]
    # ("named X its president": the parser may make X the predicate and the post its
    # apposition)
    given = [
        c for c in v.children if c.dep_ == "oprd" and any(a.dep_ == "appos" for a in c.children)
    ]
    people += [m for c in given for m in args(c, ctx) if m.kind == "person" and m not in people]
    nouns = [c for c in v.children if c.dep_ in ("oprd", "xcomp")] + [
        g for c in v.children if c.dep_ == "prep" and c.lower_ == "as" for g in c.children
        if g.dep_ == "pobj"
    ] + [
        # "named X its president": the parser may take the post for X's apposition
        a for c in v.children if c.dep_ in ("dobj", "oprd") for a in c.children
        if a.dep_ == "appos"
    ]  # fmt: skip
    appointer = [_board_owner(m, ctx) or m for m in subjects(v, ctx) if m.kind in ("org", "party")]
    appointer = [m for m in appointer if not _a_board(m)]
    for person in people:
        for noun in nouns:
            found = [
                replace(c, trigger=v.i, pattern="role_appointed")
                for c in role_noun(noun, person, ctx)
            ]
            yield from found
            if found or len(appointer) != 1 or noun.pos_ != "NOUN":
                continue
            words = [
                t.text
                for t in ctx.doc[noun.left_edge.i : noun.i + 1]
                if t.dep_ not in ("det", "poss")
            ]
            post = post_of(words, ctx)
            # "X named Y its president": "its" is the body that names
            its = any(c.dep_ == "poss" and c.lower_ == "its" for c in noun.children)
            if post is not None and (post[0] in ("job", "party") or its):
                org = appointer[0]
                yield Candidate(
                    "role", person.name, org.name, v.i, min(org.start, v.i),
                    noun.i + 1, "role_appointed", role=post[1],
                )  # fmt: skip


def _a_board(m: Mention) -> bool:
    return m.name.lower().split()[0] in ("board", "boards")


def _board_owner(m: Mention, ctx: Context) -> Mention | None:
    """The company whose board ``m`` is ("its board of directors", "Y's board")."""
    if not _a_board(m):
        return None
    root = ctx.doc[m.start : m.end].root
    for c in root.children:
        if c.dep_ != "poss":
            continue
        if c.lower_ == "its":
            name = its_org(root.sent, m.start, ctx) or ctx.names.company
            # (placed at "its", so the fact stays in this sentence)
            return Mention(c.i, c.i + 1, name, "org") if name else None
        owner = ctx.mention(c)
        if owner is not None and owner.kind == "org":
            return owner
    return None


def _left(v: Token) -> bool:
    """ "resigned", "quit", "stepped down", "was ousted": a post given up or taken away."""
    lemma = v.lemma_.lower()
    if lemma in ("resign", "quit", "retire"):
        return True
    if lemma in _REMOVED and _passive(v):
        return True
    return lemma == "step" and any(
        c.dep_ in ("prt", "advmod") and c.lower_ == "down" for c in v.children
    )


_REMOVED = vocab().cues["removed_verbs"]


def _as_nouns(v: Token) -> list[Token]:
    """The nouns of the verb's "as" phrase ("served as head of Y": "head"; "as prime
    minister of X and president of Y": both)."""
    nouns = [
        g
        for c in v.children
        if c.dep_ == "prep" and c.lower_ == "as"
        for g in c.children
        if g.dep_ == "pobj"
    ]
    return nouns + [c for g in nouns for c in g.conjuncts if c.pos_ in ("NOUN", "PROPN")]


def _took_over(v: Token) -> bool:
    """ "took over as chief executive": a post taken up."""
    return v.lemma_.lower() == "take" and any(
        c.dep_ == "prt" and c.lower_ == "over" for c in v.children
    )


def _right_before(v: Token, ctx: Context) -> list[Mention]:
    """ "A is president of Y and B leads Z": a joined verb with no subject of its own, the
    person named right before it, whom the parser hung on Y."""
    if v.dep_ != "conj" or any(c.dep_ in ("nsubj", "nsubjpass") for c in v.children):
        return []
    m = ctx.names.at(v.i - 1) if v.i > 0 else None
    return [m] if m is not None and m.kind == "person" and ctx.doc[v.i - 1].dep_ == "conj" else []


def _persons(v: Token, ctx: Context) -> list[Mention]:
    return [m for m in subjects(v, ctx) if m.kind == "person"]


def _passive(v: Token) -> bool:
    return any(c.dep_ in ("auxpass", "nsubjpass") for c in v.children)


def _negated(v: Token) -> bool:
    return any(c.dep_ == "neg" or c.lower_ in ("never", "longer") for c in v.children)


def role_founded_by(sent: Span, ctx: Context) -> Iterator[Candidate]:
    """ "Y was founded by X": X is Y's founder."""
    for t in span_tokens(sent):
        if t.lemma_ != "found" or t.tag_ != "VBN":
            continue
        agent = next((c for c in t.children if c.dep_ == "agent"), None)
        subj = next((c for c in t.children if c.dep_ == "nsubjpass"), None)
        if subj is None and t.dep_ == "acl":
            subj = t.head  # "Y, founded by X in 1999,"
        if subj is not None and subj.lower_ in ("which", "that") and t.dep_ == "relcl":
            subj = t.head  # "Y, which was founded by X"
        if agent is None or subj is None:
            continue
        pobj = next((c for c in agent.children if c.dep_ == "pobj"), None)
        who = _person_at(pobj, ctx) if pobj is not None else None
        org = ctx.mention(subj)
        if who is None or org is None or org.kind != "org":
            continue
        yield Candidate(
            "role", who.name, org.name, t.i, subj.i, t.i + 3, "role_founded_by", role="founder"
        )


def _person_at(t: Token, ctx: Context) -> Mention | None:
    m = ctx.mention(t)
    if m is None:
        for c in t.children:
            if c.dep_ == "appos":
                m = ctx.mention(c)
    return m if m is not None and m.kind == "person" else None
