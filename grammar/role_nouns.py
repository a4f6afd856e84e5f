"""The role a noun phrase gives a person: its post ("chief executive", from ``posts.txt``) and
the organisation it belongs to (the name beside it, the person it serves, or the article's own
country for a government post named alone).

Shared by the extractors of :mod:`deniable.grammar.role_phrases` and
:mod:`deniable.grammar.role_clauses`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from deniable.grammar.candidate import Candidate, Context
from deniable.grammar.clause_args import board_body, board_owner
from deniable.grammar.kinds import FIRM_WORDS, leader_government
from deniable.grammar.lexicon import lexicon
from deniable.grammar.names import Mention
from deniable.grammar.portfolios import is_portfolio
from deniable.grammar.sole_firms import modifies_body
from deniable.grammar.vocab import SOLE_POSTS, vocab

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

_FORMER = vocab().cues["former"]


def post_of(words: list[str], ctx: Context) -> tuple[str, str] | None:
    """(post class, role phrase) when ``words`` end in a post; the longest post wins."""
    words = [w.lower().replace("–", "-") for w in words if w not in ("-",)]
    joined = [w for w in words if w]
    for n in range(min(len(joined), ctx.vocab.post_words), 0, -1):
        phrase = " ".join(joined[-n:])
        cls = ctx.vocab.posts.get(phrase)
        if cls is None and "-" in phrase:
            # "Attorney-General": written with a hyphen, the post with a space
            cls = ctx.vocab.posts.get(phrase.replace("-", " "))
        if cls is not None:
            # The opposition's "shadow chancellor" holds a party post, not a government's.
            return ("party" if joined[0] == "shadow" else cls), " ".join(joined)
    return None


def org_for(
    cls: str, org: Mention | None, after: Mention | None, ctx: Context, phrase: str = ""
) -> str | None:
    """The organisation a post belongs to, given the names beside it."""
    if org is not None:
        if cls == "party" and org.kind == "gov" and staff_post(phrase) and not adjective(org, ctx):
            # "Kremlin spokesman X": a government speaks through its own spokesman
            return seat_name(org, ctx) or org.name
        if cls == "party" and org.kind == "gov":
            return None  # "British MEP": a nationality, not the party
        if (
            cls == "party"
            and org.kind != "party"
            and phrase.split()[-1:] in (["mp"], ["msp"], ["mep"])
        ):
            return None  # "Tooting MP X": the seat, not a body
        if cls in ("job", "personal") and org.kind == "gov" and adjective(org, ctx):
            return None  # "a Russian journalist": a nationality, not an employer
        if (
            cls == "personal"
            and org.kind == "gov"
            and seat_name(org, ctx) is None
            and not phrase.endswith("attorney")  # ("U.S. Attorney X" is the state's)
        ):
            return None  # "United States lawyer X": where one practises, not a client
        if cls in ("gov", *SOLE_POSTS) and org.kind == "party":
            # "former Tory lord chancellor": the post is the government's, the party his
            return SOLE_POSTS.get(cls) or ctx.names.home
        return (seat_name(org, ctx) if org.kind == "gov" else None) or org.name
    if after is not None and after.kind == "gov" and cls in ("gov", "head"):
        return after.name
    if after is not None and after.kind in ("org", "party") and cls in ("job", "party"):
        return after.name  # "analyst X of Lumora Securities"
    if after is not None and after.kind == "place" and cls in ("gov", "head"):
        return None  # "Defence Minister X of Zemlia": a country the lexicon does not know
    if cls in SOLE_POSTS and cls != "uk":
        return SOLE_POSTS[cls]  # "Treasury Secretary X": only Washington has one
    if cls == "uk":
        home = ctx.names.home
        if home not in (None, "UK government") and phrase in _SHARED_UK_POSTS:
            return home  # "Education Secretary X" in an American article
        return "UK government"
    if cls == "gov" and phrase.split()[-1:] and phrase.split()[-1] in _ENVOYS:
        return None  # "Ambassador X" with no country: whose envoy the text does not say
    if cls == "gov":
        home = ctx.names.home
        if home is not None and phrase.split()[-2:] in _NOT_HELD.get(home, ()):
            return None  # "former prime minister X" in an American article: another country's
        if (
            home is None
            and phrase == "secretary of state"
            and any(m.name == "US government" for m in ctx.names.mentions)
        ):
            # a bare "Secretary of State X" in a story of no one country that names the US:
            # Britain's are secretaries of state for something
            return "US government"
        if home not in _SECRETARIES_OF_STATE and "secretary of state" in phrase:
            return None  # "Assistant Secretary of State X" in a story from Beijing: Washington's
        return home
    if (
        cls == "party"
        and after is None
        and (set(phrase.split()) & _PARTY_OFFICES or phrase.startswith("shadow "))
    ):
        # "deputy leader X", "shadow chancellor X" in an article about one party; a member
        # ("MEP X") may be any party's
        return ctx.names.party
    return None


_ENVOYS = vocab().cues["envoy_posts"]
# the governments whose ministers are secretaries of state
_SECRETARIES_OF_STATE = frozenset({"US government", "UK government"})
# posts a government does not have, so that a bare one in its article is another country's
_NOT_HELD = {
    "US government": (["prime", "minister"], ["premier"], ["chancellor"], ["pm"]),
    "UK government": (["president"], ["vice-president"], ["vice", "president"]),
}
_PARTY_OFFICES = frozenset({"leader", "chairman", "chairwoman", "treasurer"})
# Posts the UK government has that other governments name the same way.
_SHARED_UK_POSTS = frozenset(
    {"health secretary", "education secretary", "trade secretary", "transport secretary"}
)


def unknown_nation(tokens: Iterable[Token]) -> bool:
    """A nationality the tagger sees among a post's words that no mention took: the post is
    that country's, and its government has no name here (never the article's own)."""
    return any(t.ent_type_ == "NORP" and t.pos_ in ("ADJ", "PROPN") for t in tokens)


def adjective(m: Mention, ctx: Context) -> bool:
    """The mention is written as a nationality ("Russian"), not as the country's name."""
    return ctx.doc[m.start : m.end].text.lower() in ctx.vocab.adjectives


def seat_name(m: Mention, ctx: Context) -> str | None:
    """A seat of government as the employer keeps its own name ("Kremlin spokesman")."""
    text = ctx.doc[m.start : m.end].text
    seat = lexicon().seat_names.get(text.lower())
    if seat and text.lower() not in ctx.vocab.metonyms_file:
        return seat
    return None


_STAFF = vocab().cues["staff_posts"] - {"deputy", "secretary"}
# The one seat of each government with one ("Kremlin" for the Russian government).
_SEATS: dict[str, str] = {}
for _low, _seat_name in lexicon().seat_names.items():
    _gov = vocab().metonyms.get(_low)
    if _gov is not None:
        _SEATS[_gov] = "" if _SEATS.get(_gov, _seat_name) != _seat_name else _seat_name


def leader_seat(m: Mention, ctx: Context) -> str | None:
    """The seat of the government a known head of state or government leads."""
    gov = ctx.vocab.leaders.get(m.name.lower().replace(".", ""))
    return _SEATS.get(gov) or None if gov else None


def staff_post(phrase: str) -> bool:
    """A post held in someone's service: adviser, aide, spokesman, chief of staff."""
    return (
        phrase.split()[-1] in _STAFF or phrase.endswith("chief of staff") or campaign_post(phrase)
    )


def campaign_post(phrase: str) -> bool:
    """ "campaign chairman", "campaign manager": a post in a person's own campaign."""
    return phrase.startswith("campaign ") and len(phrase.split()) > 1


def role_noun(noun: Token, m: Mention, ctx: Context) -> Iterator[Candidate]:
    """A role noun phrase describing person ``m``: its post and its organisation."""
    if noun.pos_ not in ("NOUN", "PROPN"):
        return
    if noun.lemma_.lower() == "part" and not any(c.dep_ == "det" for c in noun.children):
        yield from _part_of(noun, m, ctx)  # "X, who was part of the Butler inquiry"
        return
    board = _of_board(noun)
    if board is not None:
        # "a member of the board of X", "chairman of the board of directors of X": X's
        owner = board_owner(board, ctx)
        if owner is not None and owner.name != m.name:
            member = noun.lemma_.lower() in ("member", "director")
            yield Candidate(
                "role", m.name, owner.name, m.end - 1, min(noun.i, m.start),
                max(owner.end, m.end), "role_in_apposition",
                role="board member" if member else noun.lower_,
            )  # fmt: skip
        return
    doc = ctx.doc
    left = [c for c in noun.lefts if c.dep_ in ("compound", "amod", "nmod", "poss")]
    start = min([c.left_edge.i for c in left] + [noun.i])
    words: list[str] = []
    org: Mention | None = None
    former = any(c.lower_ in _FORMER for c in noun.lefts)  # "once a close adviser"
    # "the Republican president's lawyer": a name inside an unnamed possessor describes
    # the possessor, not the post's organisation
    described = {
        g.i for c in noun.lefts if c.dep_ == "poss" and ctx.names.at(c.i) is None for g in c.subtree
    }
    for k in range(start, noun.i + 1):
        inner = ctx.names.at(k)
        t = doc[k]
        if inner is not None:
            # ("the Treasury's chief economist": a possessor is the body, not a portfolio)
            portfolio = (
                inner.kind == "org"
                and is_portfolio(doc[inner.start : inner.end].text)
                and doc[inner.end].lower_ not in ("'s", "’s")
            )
            if portfolio and inner.start == k and inner.end <= noun.i:
                words.append(doc[inner.start : inner.end].text)  # "the US Treasury Secretary"
            elif inner.kind in ("org", "gov", "party") and k not in described:
                org = inner
            continue
        if t.lower_ in _FORMER:
            former = True
        elif t.lower_ not in ("'s", "’s", "the", "a", "an", "his", "her", "its", "their"):
            words.append(t.text)
    of_post = _of_tail(noun, ctx)
    whose: Mention | None = None
    if of_post is not None:
        nested = [p for p in of_post.children if p.dep_ == "prep"]
        skip = {g.i for p in nested for g in p.subtree}
        # "the secretary of state"
        words += ["of", *(g.text for g in of_post.subtree if g.i not in skip)]
        # "minister of foreign affairs of X": X is whose minister
        whose = next(
            (
                x
                for p in nested
                if p.lower_ == "of"
                for g in p.children
                if g.dep_ == "pobj" and (x := ctx.mention(g)) is not None
            ),
            None,
        )
    # "vice-chairman": the hyphenated parts are separate tokens
    post = post_of(join_hyphens(words), ctx)
    if post is None:
        return
    cls, phrase = post
    if org is None and unknown_nation(t for t in doc[start : noun.i] if ctx.names.at(t.i) is None):
        return  # "the Ruritanian ambassador": a country the lexicon does not know
    after: Mention | None = None
    serving = False  # "an aide to X", "chief of staff to X": a post held in X's service
    also: list[Mention] = []  # "the owner of X and Y": the other bodies of the same post
    for c in noun.rights:
        if of_post is not None and c.i < of_post.i:
            continue
        if c.dep_ == "prep" and c.lower_ in ("of", "at", "for", "to", "with"):
            serving = c.lower_ == "to" and staff_post(phrase)
            objs = [g for g in c.children if g.dep_ == "pobj"]
            obj = objs[0] if objs else None
            # ("at the law firm X": the parser may give the preposition two objects)
            after = next((x for g in objs if (x := ctx.mention(g)) is not None), None)
            also = [
                x
                for g in objs
                for k in g.conjuncts
                if (x := ctx.mention(k)) is not None and x.kind == "org" and x != after
            ]
            if obj is not None and after is None:
                # "chief executive of the internet group X": the name is the noun's apposition
                named = [ctx.mention(a) for a in obj.children if a.dep_ == "appos"]
                after = next((x for x in named if x and x.kind in ("org", "gov", "party")), None)
            if obj is not None and after is None:
                # "the owner of the Clarion newspaper": the name before the kind of firm
                named = [ctx.mention(g) for g in obj.children if g.dep_ in ("compound", "nmod")]
                after = next((x for x in named if x and x.kind in ("org", "party")), None)
            if obj is not None and after is None and obj.lower_ in FIRM_WORDS:
                # (or the word right after the firm, wherever the parser hung it)
                nxt = ctx.names.at(obj.i + 1) if obj.i + 1 < len(doc) else None
                after = nxt if nxt is not None and nxt.kind == "org" else None
            if obj is not None and after is None and c.lower_ == "of":
                # "head of corporate affairs at X": the portfolio, then the body
                named = [
                    ctx.mention(g) or _firm_named(g, ctx)
                    for p in (*obj.children, *(r for r in noun.rights if r.i > c.i))
                    if p.dep_ == "prep" and p.lower_ in ("at", "for")
                    for g in p.children
                    if g.dep_ == "pobj"
                ]
                after = next((x for x in named if x and x.kind in ("org", "party")), None)
            break
    # ("the chairman of the X Board of Directors": the body whose board it is)
    after = board_body(after or whose, ctx)
    holder = _titled_holder(after, ctx)
    if holder is not None:
        # "X, US special envoy for Iran Y, and …": the post with its country is Y's title
        body = org_for(cls, org, None, ctx, phrase)
        if body is not None and body != holder.name:
            yield Candidate(
                "role", holder.name, body, holder.end - 1, start, holder.end,
                "role_before_name", role=phrase,
            )  # fmt: skip
        return
    clients: list[Mention] = []
    if after is None:
        # "the lawyer representing X and Y"
        for c in noun.children:
            if c.dep_ == "acl" and c.lemma_ in ("represent", "defend", "advise"):
                obj = next((g for g in c.children if g.dep_ == "dobj"), None)
                if obj is not None:
                    clients = [x for g in (obj, *obj.conjuncts) if (x := ctx.mention(g))]
                after = clients[0] if clients else None
    if org is None and after is not None and after.kind in ("org", "party") and cls != "gov":
        org, after = after, None
    if (
        org is None
        and after is None
        and any(c.dep_ == "poss" and c.lower_ == "its" for c in noun.children)
    ):
        org = _its(noun, m, ctx)  # "Shares in X rose after A, its chief executive, said"
    owner = next(
        (x for c in noun.children if c.dep_ == "poss" and (x := ctx.mention(c)) is not None),
        None,
    )
    if org is None and after is not None and after.kind == "person" and cls == "personal":
        name: str | None = after.name
    elif org is None and after is not None and serving and after.kind in ("person", "gov"):
        # the person served, the seat of a leader served ("an adviser to President X" is the
        # Kremlin's), or the seat of government ("an adviser to the Kremlin")
        if after.kind == "person":
            name = (None if campaign_post(phrase) else leader_seat(after, ctx)) or after.name
        else:
            name = seat_name(after, ctx) or after.name
    elif org is None and after is None and cls == "personal" and owner and owner.kind == "person":
        name = owner.name  # "X, President Y's personal lawyer": a post held for Y
    elif org is None and after is None and staff_post(phrase) and owner and owner.kind == "person":
        # "X, Trump's spokesman,": in Y's service, at the seat Y leads if any (a campaign
        # is the person's own, not the seat's)
        name = (None if campaign_post(phrase) else leader_seat(owner, ctx)) or owner.name
    elif org is None and after is None and _unnamed_owner(doc, start, noun.i):
        return  # "the island nation's attorney general": some country, not the article's
    elif org is None and after is None and cls in ("head", "gov") and leader_government(m.name):
        name = leader_government(m.name)  # "X, the prime minister,": the one X leads
    else:
        name = org_for(cls, org, after, ctx, phrase)
    if name is None or name == m.name:
        return
    for client in clients[1:]:
        if client.kind == "person" and cls == "personal" and org is None:
            yield Candidate(
                "role",
                m.name,
                client.name,
                m.end - 1,
                min(start, m.start),
                max(noun.right_edge.i + 1, m.end),
                "role_in_apposition",
                role=phrase,
            )
    bodies = [name]
    if after is None and org is not None and org.kind == "org" and name == org.name:
        bodies += [x.name for x in also if x.name != m.name]
    for body in bodies:
        yield Candidate(
            "role",
            m.name,
            body,
            m.end - 1,
            min(start, m.start),
            max(noun.right_edge.i + 1, m.end),
            "role_in_apposition",
            role=phrase,
            when="former" if former else "",
        )


def _firm_named(obj: Token, ctx: Context) -> Mention | None:
    """ "the engineering group X": the organisation named beside a word for a firm."""
    if obj.lower_ not in FIRM_WORDS:
        return None
    named = [ctx.mention(a) for a in obj.children if a.dep_ in ("appos", "compound")]
    return next((x for x in named if x and x.kind in ("org", "party")), None)


def _of_tail(noun: Token, ctx: Context) -> Token | None:
    """The object of "of" that completes a post written with it ("secretary of state")."""
    for c in noun.rights:
        if c.dep_ == "prep" and c.lower_ == "of":
            obj = next((g for g in c.children if g.dep_ == "pobj"), None)
            if obj is None or ctx.names.at(obj.i) is not None:
                return None
            # ("minister of foreign affairs of X": the portfolio, without whose it is)
            whose = {g.i for p in obj.children if p.dep_ == "prep" for g in p.subtree}
            words = " ".join(
                g.lower_ for g in obj.subtree if g.lower_ != "the" and g.i not in whose
            )
            posts = ctx.vocab.posts
            if f"{noun.lower_} of {words}" in posts or f"{noun.lower_} of the {words}" in posts:
                return obj
            return None
    return None


def _of_board(noun: Token) -> Token | None:
    """The board of "a member (a director) of the board of X"."""
    if noun.lemma_.lower() not in ("member", "director", "chairman", "chairwoman", "chair"):
        return None
    for c in noun.children:
        if c.dep_ == "prep" and c.lower_ == "of":
            for g in c.children:
                if g.dep_ == "pobj" and g.lemma_.lower() == "board":
                    return g
    return None


def _part_of(noun: Token, m: Mention, ctx: Context) -> Iterator[Candidate]:
    """ "part of Y" said of a person, Y a named body: a member of Y."""
    for c in noun.children:
        if c.dep_ == "prep" and c.lower_ == "of":
            for g in c.children:
                body = (ctx.mention(g) or _named_before(g, ctx)) if g.dep_ == "pobj" else None
                if body is not None and body.kind in ("org", "party") and body.name != m.name:
                    yield Candidate(
                        "role", m.name, body.name, m.end - 1, min(noun.i, m.start),
                        max(body.end, m.end), "role_in_apposition", role="member",
                    )  # fmt: skip


def _named_before(noun: Token, ctx: Context) -> Mention | None:
    """ "the Butler inquiry": a body named by the name before its lower-case head word."""
    if not noun.is_lower:
        return None
    named = [ctx.names.at(c.i) for c in noun.children if c.dep_ == "compound"]
    found = [x for x in named if x is not None and x.kind in ("org", "party")]
    if len(found) != 1:
        return None
    body = found[0]
    if body.name.lower().endswith(noun.lower_):
        return body
    if noun.lower_ in _BODY_HEADS and body.end == noun.i:
        # "the Butler inquiry" in an article that never capitalises it: the Butler Inquiry
        return Mention(body.start, noun.i + 1, f"{body.name} {noun.text.title()}", "org")
    return None


_BODY_HEADS = frozenset({"inquiry", "committee", "commission"})


def _titled_holder(after: Mention | None, ctx: Context) -> Mention | None:
    """The person named right after the country a post is "for" or "of" ("envoy for Iran
    Y"): the post is their title, not the noun phrase's it stands in."""
    if after is None or after.kind != "person" or after.start < 2:
        return None
    before = ctx.names.at(after.start - 1)
    prep = ctx.doc[after.start - 2] if before is None else ctx.doc[before.start - 1]
    if before is None or before.kind not in ("gov", "place") or prep.lower_ not in ("for", "of"):
        return None
    return after


def _its(noun: Token, m: Mention, ctx: Context) -> Mention | None:
    """The one organisation named earlier in the sentence that "its" can stand for."""
    return _its_before(noun.sent.start, min(m.start, noun.i), ctx)


def its_org(sent: Span, before: int, ctx: Context) -> str | None:
    """The name of the one organisation named in ``sent`` before token ``before``."""
    org = _its_before(sent.start, before, ctx)
    return org.name if org is not None else None


def _its_before(start: int, before: int, ctx: Context) -> Mention | None:
    orgs = [
        x for x in ctx.names.mentions if start <= x.start < before and x.kind in ("org", "party")
    ]
    orgs = [x for x in orgs if not modifies_body(x, orgs, ctx)]  # "the FTSE 100 group X"
    return orgs[0] if len({x.name for x in orgs}) == 1 else None


def _unnamed_owner(doc: Doc, start: int, end: int) -> bool:
    """A possessive before the post that is no name ("the country's", "its")."""
    return any(
        doc[k].tag_ in ("POS", "PRP$") and doc[k].lower_ not in ("his", "her")
        for k in range(start, end)
    )


def join_hyphens(words: list[str]) -> list[str]:
    """ "vice", "-", "chairman" as the one word "vice-chairman" the tokenizer split."""
    out: list[str] = []
    for w in words:
        if w == "-" and out:
            out[-1] += "-"
        elif out and out[-1].endswith("-"):
            out[-1] += w
        else:
            out.append(w)
    return out
