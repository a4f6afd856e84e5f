"""Who holds a role where: possessors, pronouns, organisation nouns and persons served."""

from __future__ import annotations

from deniable.grammar.coref import DocState
from deniable.grammar.mentions import Mention
from deniable.grammar.tokens import fold
from deniable.grammar.view import View

_PRE_ROLE = frozenset(["the", "a", "an", "his", "her", "its", "their"])

# Roles that serve one person: "Petrov's chief of staff", "her spokeswoman", "his lawyer".
_PERSONAL_STAFF = frozenset(
    [
        "chief of staff",
        "spokesman",
        "spokeswoman",
        "spokesperson",
        "press secretary",
        "aide",
        "adviser",
        "advisor",
        "assistant",
        "lawyer",
        "deputy",
        "bodyguard",
        "secretary",
    ]
)


# Titles of those whose staff serve a state office, not the person: "adviser to President X".
_STATE_HEADS = frozenset(
    ["president", "premier", "prime", "king", "queen", "chancellor", "dictator", "emperor"]
)
# Roles that serve the person, never the person's organisation: "Kalinin's lawyer".
PERSONAL_ONLY = frozenset(["lawyer", "attorney", "bodyguard"])


def office_or_person(state: DocState, role: str, person: str) -> str | None:
    """The organisation a person's ``role`` holder serves: the person's office, else the person."""
    if role in PERSONAL_ONLY:
        return person
    office = state.office_of(person)
    if office or state.descriptors.get(person, set()) & _STATE_HEADS:
        # A head of state's aides serve an office ("the presidential administration") the
        # text may not name; the person is not that office.
        return office
    return staff_of(role, person)


def staff_of(role: str, person: str) -> str | None:
    """A role relative to a person whose organisation is unknown names the person (guideline)."""
    return person if role in _PERSONAL_STAFF else None


def desc_owner(v: View, d: Mention) -> str | None:
    """ "A council spokeswoman, X", "His lawyer, X": an org noun or a possessive pronoun."""
    if v.low(d.start) in ("his", "her"):
        owner = pronoun_owner(v, d.start)
        return office_or_person(v.state, d.role, owner.name) if owner and owner.name else None
    for j in range(d.start, d.end):
        m = org_noun(v, j)
        if m is not None:
            return m.name
    return None


def seat_of_government(v: View) -> str | None:
    """The seat of the government the article is about ("Kremlin"), when one is named."""
    gov = v.state.main_government()
    seats = [seat for low, seat in v.state.lex.seat_names.items() if v.state.lex.seats[low] == gov]
    return seats[0] if gov and len(seats) == 1 else None


# Roles only an organisation has; "X's spokesman" or "X's aide" may serve a person.
_COMPANY_ROLES = frozenset(
    [
        "chief executive",
        "ceo",
        "chairman",
        "chairwoman",
        "founder",
        "co-founder",
        "owner",
        "director",
    ]
)


def unknown_company(v: View, k: int, role: str) -> bool:
    """Whether the capitalised word at ``k`` before "'s <role> <Name>" is a company."""
    w = v.toks[k].text
    low = v.lows[k]
    return (
        role in _COMPANY_ROLES
        and k not in v.cover
        and w[:1].isupper()
        and w[1:].isalpha()
        and low not in v.state.lex.first_names
        and low not in v.state.lex.country_names
        and low not in _NAME_WORDS_STOP
        and not v.state.lex.titles.match(v.lows, k)
        and not v.state.lex.nouns.match(v.lows, k)
        and not v.state.lex.roles.match(v.lows, k)
        and (k == 0 or not v.toks[k - 1].text[:1].isupper())
    )


_NAME_WORDS_STOP = frozenset(["the", "a", "an", "its", "his", "her", "their", "this", "that"])


def pronoun_owner(v: View, j: int) -> Mention | None:
    """ "her spokeswoman Elena Varga": the person "her" points at, by gender and salience."""
    local = [m for m in v.mentions if m.end <= j and m.kind not in ("country", "pron")]
    pron = Mention(j, j + 1, None, "person", "pron", v.toks[j].text)
    name = v.state.resolve_pronoun(v.index, pron, local, set())
    if name is None or v.state.etype(name) != "person" or not v.state.gender(name):
        return None  # only a pronoun whose person is known to agree names an owner
    return Mention(j, j + 1, name, "person", "pron", v.toks[j].text)


def org_noun(v: View, j: int) -> Mention | None:
    """ "Ministry spokesman X", "a council spokeswoman": the organisation that noun names.

    The noun must be the head or a word of the name of an organisation the article has
    already named (its latest such one); a noun no named organisation fits is ignored.
    """
    low = v.low(j)
    if not low.isalpha() or low in _PRE_ROLE or not v.state.lex.nouns.match([low], 0):
        return None
    if v.state.lex.nouns.match([low], 0)[1] != "org":  # type: ignore[index]
        return None
    for _s, _k, name, t in reversed(v.state.history):
        if t not in ("org", "group") or name.endswith(" government"):
            continue
        words = {fold(w) for w in name.split()} | {
            fold(w) for w in v.state.descriptors.get(name, ())
        }
        if fold(low) in words:
            return Mention(j, j + 1, name, "org", "name", v.toks[j].text)
    return None
