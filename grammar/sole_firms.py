"""The one company a sentence names, for a company officer's post named without one ("chief
executive X said …" in a sentence that names one firm and no other body).

A helper of the role extractors: a pure function of a sentence and the document context.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from deniable.grammar.vocab import vocab

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

    from deniable.grammar.candidate import Context
    from deniable.grammar.names import Mention

_SAID = vocab().cues["speech"]
_INDICES = vocab().cues["market_indices"]
_OTHER_PARTY = (
    vocab().cues["deny"] | vocab().cues["call_verbs"] | vocab().cues["visit_verbs"]
    | frozenset({"meet", "sue", "accuse", "blame", "criticise", "criticize", "attack"})
)  # fmt: skip
_TOLD = frozenset(
    {"tell", "told", "say", "report", "according", "quote", "interview", "post", "publish"}
)
_MEDIA = vocab().cues["media_nouns"]


def sole_firm(sent: Span, m: Mention, ctx: Context) -> str | None:
    """The one company the sentence names, when it names no other body and is not who the
    person speaks to or who reports it ("told the BBC", "the Times reported")."""
    bodies = [x for x in ctx.mentions_in(sent) if x.kind in ("org", "gov", "party") and x != m]
    # "the FTSE 100 group X": a name that only modifies another body's name is not a body
    bodies = [x for x in bodies if not modifies_body(x, bodies, ctx)]
    if len({x.name for x in bodies}) != 1 or bodies[0].kind != "org":
        return None
    firm = bodies[0]
    head = ctx.doc[firm.start : firm.end].root
    if _titles_another(head, m, ctx):
        return None
    up = head.head
    if up.lemma_.lower() in _TOLD or up.head.lemma_.lower() in _TOLD:
        return None
    if any(c.dep_ == "compound" and c.lemma_.lower() in _MEDIA for c in head.children):
        return None  # "posted by the news outlet X": the outlet that reports it
    if head.dep_ == "nsubj" and up.lemma_.lower() in _SAID:
        return None
    # "denied links to X", "talks with X", "sued X", "called X": the company the sentence
    # names is the other party, not the employer
    if head.dep_ == "pobj" and up.lower_ in ("to", "with", "against", "from"):
        return None
    if head.dep_ == "dobj" and up.lemma_.lower() in _OTHER_PARTY:
        return None
    return firm.name


def _titles_another(root: Token, m: Mention, ctx: Context) -> bool:
    """The name stands in the words before another person's name ("the two-times League
    winner A and chief executive B"): it describes A, it is not B's employer."""
    up = root
    for _ in range(4):
        if up.dep_ not in ("compound", "nmod", "amod") or up.head.i == up.i:
            return False
        up = up.head
        who = ctx.names.at(up.i)
        if who is not None:
            return who.kind == "person" and who.name != m.name
    return False


def modifies_body(x: Mention, bodies: list[Mention], ctx: Context) -> bool:
    """``x`` is a modifier inside the noun phrase of another body's name, a stock-market
    index, which only says where a company is listed, or a country's word describing
    someone or something."""
    if x.name.split()[0].lower() in _INDICES:
        return any(b.name != x.name for b in bodies)
    root = ctx.doc[x.start : x.end].root
    if x.kind == "gov" and root.dep_ == "amod" and ctx.names.at(root.head.i) is None:
        return True  # "the British whistleblower": a nationality, no body in the sentence
    if x.kind == "gov" and root.dep_ == "poss" and ctx.names.at(root.head.i) in bodies:
        return True  # "Japan's Olympus Corp": where the company is
    if root.dep_ not in ("nmod", "compound"):
        return False
    up = root.head
    for _ in range(4):  # "FTSE" of "the FTSE 100 engineering group X", through "group"
        head = ctx.names.at(up.i)
        if head is not None:
            return head != x and head in bodies
        if up.dep_ not in ("nmod", "compound") or up.head.i == up.i:
            return False
        up = up.head
    return False


_SAYING = frozenset({"say", "add", "tell"})
_PUBLISHED = frozenset({"report", "write", "publish", "broadcast", "reveal", "quote"})


def spoken_for(m: Mention, ctx: Context) -> str | None:
    """The body whose words ``m`` gives ("The ministry declined to comment, spokesman X
    said"): the subject of the clause before "X said", when it is an organisation or a
    government."""
    root = ctx.doc[m.start : m.end].root
    verb = root.head
    if root.dep_ != "nsubj" or verb.lemma_.lower() not in _SAYING:
        return None
    for clause in verb.children:
        if clause.dep_ not in ("ccomp", "parataxis") or clause.i > m.start:
            continue
        if clause.lemma_.lower() in _PUBLISHED:
            continue  # "The BBC reported that …, spokesman X said": an outlet's report
        for c in clause.children:
            body = ctx.mention(c) if c.dep_ in ("nsubj", "nsubjpass") else None
            if body is not None and body.kind in ("org", "gov"):
                return body.name
    return None
