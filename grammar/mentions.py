"""Entity mentions in a sentence: known aliases, countries, discovered names and pronouns."""

from __future__ import annotations

from dataclasses import dataclass, field

from deniable.grammar.entities import AliasIndex, Knowledge
from deniable.grammar.lexicon import Lexicon
from deniable.grammar.namewords import NAME_STOP, ORG_AFTER, ORG_HEAD, ORG_SUFFIX
from deniable.grammar.tokens import Token, fold

PRONOUNS: dict[str, str] = {
    "he": "person",
    "she": "person",
    "him": "person_obj",
    "her": "person_obj",
    "they": "plural",
    "them": "plural",
    "it": "org",
}
# Nouns for the people of an organisation: "Wagner soldiers" are the organisation itself.
MEMBER_NOUNS = frozenset(
    [
        "soldiers",
        "troops",
        "mercenaries",
        "fighters",
        "forces",
        "members",
        "chiefs",
        "commanders",
        "leaders",
        "officials",
        "leadership",
        "personnel",
        "units",
        "staff",
        "operatives",
        "army",
    ]
)


# "<Adjective> <organ>" acts for the state: "US authorities", "British prosecutors".
_STATE_ORGANS = frozenset(
    ["authorities", "government", "administration", "regime", "prosecutors", "police", "officials"]
)


@dataclass(slots=True)
class Mention:
    """A span of tokens ``[start, end)`` that names or points at an entity."""

    start: int
    end: int
    name: str | None
    etype: str
    # name | country | pron | desc
    kind: str = "name"
    surface: str = ""
    role: str = ""
    role_class: str = ""
    org: str | None = None
    hedged: bool = False
    former: bool = False
    words: frozenset[str] = field(default_factory=frozenset)
    # A description's complement ("head of <target>") and person possessor ("Putin's aide").
    target: Mention | None = None
    owner: str | None = None


def _is_cap(tok: Token) -> bool:
    c = tok.text[:1]
    return c.isupper() and tok.low not in NAME_STOP


def tag(
    toks: list[Token],
    knowledge: Knowledge,
    index: AliasIndex,
    lex: Lexicon,
    discovered: dict[str, str],
) -> list[Mention]:
    """Find the mentions of one sentence; ``discovered`` (name -> type) grows with new names.

    New names found by discovery are added to ``index`` so later sentences (and their
    surnames) match them.
    """
    keys = [fold(t.text) for t in toks]
    out: list[Mention] = []
    n = len(toks)
    i = 0
    while i < n:
        m = _known(toks, keys, i, knowledge, index) or _country(toks, i, lex, knowledge)
        if m is not None and m.kind == "name" and m.name in discovered:
            m.etype = discovered[m.name]
        if m is not None and m.kind == "name" and m.surface.lower() in lex.country_names:
            m.kind = "country"  # "Russia", "Moscow": the state, when it acts
        if m is None:
            m = _discover(toks, keys, i, lex, knowledge, index, discovered)
        if m is None and toks[i].low in _AUTHORITY_FIRST:
            m = _authority(toks, i)
            if m is not None and m.name:
                discovered.setdefault(m.name, "org")
        if m is None and toks[i].low == "authorities":
            # bare "authorities": the government of the country the article is about
            m = Mention(i, i + 1, None, "org", "country", toks[i].text)
        if m is None and toks[i].low in PRONOUNS and toks[i].text[:1] != "I":
            m = Mention(i, i + 1, None, PRONOUNS[toks[i].low], "pron", toks[i].text)
        if m is None:
            i += 1
            continue
        m = _extend_members(toks, m)
        out.append(m)
        i = m.end
    return out


# Lower-case prosecuting authorities, named by their words ("federal prosecutors", "the state
# attorney general"): they indict, so they are parties to indicted_by.
_AUTHORITY_QUALIFIERS = frozenset(
    ["federal", "state", "district", "military", "regional", "city", "county", "special"]
)
_AUTHORITY_HEADS = {
    ("prosecutors",): "prosecutors",
    ("prosecutor",): "prosecutor",
    ("attorney", "general"): "attorney general",
    ("prosecutor", "general"): "prosecutor general",
    ("prosecutor", "general's", "office"): "prosecutor general's office",
    ("attorney", "general's", "office"): "attorney general's office",
    ("grand", "jury"): "grand jury",
    ("investigators",): "investigators",
}
_AUTHORITY_FIRST = _AUTHORITY_QUALIFIERS | {h[0] for h in _AUTHORITY_HEADS}


def _authority(toks: list[Token], i: int) -> Mention | None:
    """ "federal prosecutors", "the state attorney general": an authority that can indict.

    A bare "prosecutors" or "investigators" is an authority only after "by" ("charged by
    prosecutors"); elsewhere it is usually the source of a claim, not a party to a fact.
    """
    j = i + 1 if toks[i].low in _AUTHORITY_QUALIFIERS else i
    for head, name in sorted(_AUTHORITY_HEADS.items(), key=lambda h: -len(h[0])):
        if tuple(t.low for t in toks[j : j + len(head)]) != head:
            continue
        if j == i and (i == 0 or toks[i - 1].low not in ("by", "the")):
            return None
        if name == "investigators" and j == i:
            return None
        full = f"{toks[i].low} {name}" if j > i else name
        return Mention(i, j + len(head), full, "org", "name", full)
    return None


def _etype(knowledge: Knowledge, discovered: dict[str, str], name: str) -> str:
    e = knowledge.entities.get(name)
    return e.type.value if e else discovered.get(name, "person")


def _known(
    toks: list[Token], keys: list[str], i: int, knowledge: Knowledge, index: AliasIndex
) -> Mention | None:
    hit = index.match(toks, keys, i)
    if (
        hit is None
        and keys[i].endswith("s")
        and toks[i].text[:1].isupper()
        and keys[i][:-1] in index.by_first
    ):
        # "Prigozhins secret meeting": a possessive written without its apostrophe.
        stem = [*keys[:i], keys[i][:-1], *keys[i + 1 :]]
        hit = index.match(toks, stem, i)
        if hit and hit[0] != 1:
            hit = None
    if hit is None:
        return None
    length, name = hit
    etype = knowledge.entities[name].type.value if name in knowledge.entities else "person"
    return Mention(
        i, i + length, name, etype, "name", " ".join(t.text for t in toks[i : i + length])
    )


_CONTINENT_PARTS = frozenset({"north", "south", "central", "latin"})


def _country(toks: list[Token], i: int, lex: Lexicon, knowledge: Knowledge) -> Mention | None:
    """A country or capital name, or "<adjective> authorities/government": the state."""
    seat = _seat(toks, i, lex)
    if seat is not None:
        return seat
    if toks[i].low not in lex.country_first:
        return None
    if not toks[i].text[:1].isupper():
        return None
    if i > 0 and toks[i - 1].low in _CONTINENT_PARTS and toks[i].low in ("america", "american"):
        return None  # "the North American body": a continent's part, not the United States
    for length in (3, 2, 1):
        phrase = " ".join(t.low for t in toks[i : i + length])
        c = lex.country_names.get(phrase)
        if c is None or len(toks) < i + length:
            continue
        nxt = toks[i + length].low if i + length < len(toks) else ""
        after = toks[i + length].text if i + length < len(toks) else ""
        if length == 1 and phrase in lex.first_names and after[:1].isupper() and after.isalpha():
            return None  # "Sofia Marin", "Georgia Hale": a first name, not a capital
        if nxt in _STATE_ORGANS:
            return Mention(i, i + length + 1, c.government, "org", "country", phrase)
        if phrase == c.adjective.lower() and phrase not in (c.name.lower(), c.capital.lower()):
            return None
        return Mention(i, i + length, c.government, "org", "country", phrase)
    return None


def _seat(toks: list[Token], i: int, lex: Lexicon) -> Mention | None:
    """ "the Kremlin", "the White House": an organisation that speaks for a government."""
    if toks[i].low not in lex.seat_first:
        return None
    for length in (2, 1):
        phrase = " ".join(t.low for t in toks[i : i + length])
        if phrase in lex.seat_names and toks[i].text[:1].isupper():
            name = lex.seat_names[phrase]
            return Mention(i, i + length, name, "org", "name", name)
    return None


def _discover(
    toks: list[Token],
    keys: list[str],
    i: int,
    lex: Lexicon,
    knowledge: Knowledge,
    index: AliasIndex,
    discovered: dict[str, str],
) -> Mention | None:
    """A run of capitalised words the entity file does not know: a new person or org."""
    if not _is_cap(toks[i]):
        return None
    if toks[i].low in lex.country_names and not _national_org(toks, i):
        return None
    if i + 1 < len(toks) and toks[i + 1].low == ":":
        return None  # "Killed: X and Y", a caption label
    j = i
    while j < len(toks) and (
        _is_cap(toks[j])
        or (j > i and toks[j].low in ("al", "bin", "de", "van", "von", "la"))
        or (j > i and toks[j].low == "credit" and j + 1 < len(toks) and _is_cap(toks[j + 1]))
    ):
        if j > i and (lex.titles.match([t.low for t in toks], j) or index.match(toks, keys, j)):
            break  # a title or a known name starts here
        j += 1
    if (
        j == i + 1
        and toks[i].low in ORG_HEAD
        and j + 1 < len(toks)
        and toks[j].low == "of"
        and _is_cap(toks[j + 1])
    ):
        # "Ministry of Ports", "Bank of Valmora": an institution named by its remit.
        j += 2
        while j < len(toks) and _is_cap(toks[j]):
            j += 1
    while (
        i < j - 1
        and toks[i + 1].low != "of"
        and (lex.nouns.match([toks[i].low], 0) or lex.roles.match([toks[i].low], 0))
    ):
        i += 1  # "Billionaire Oleg Marin": the noun is not part of the name
    words = toks[i:j]
    if not words:
        return None
    # Titles ("President", "General") are not part of the name.
    lows = [t.low for t in toks]
    t = lex.titles.match(lows, i)
    if t:
        return None
    suffix = words[-1].low in ORG_SUFFIX
    titled = i > 0 and bool(_title_before(lows, i, lex))
    if len(words) == 1 and not titled:
        w = words[0].text
        camel = w[1:].isalpha() and any(c.isupper() for c in w[2:]) and not w[1:].isupper()
        if i == 0 or not camel or w.startswith(_SURNAME_PREFIXES):
            return None
        # "KazTrade", "PetroChina": a one-word name with an inner capital is a company.
        if w in discovered or w in knowledge.entities:
            return Mention(i, j, w, discovered.get(w, "org"), "name", w)
        discovered[w] = "org"
        index.add(w, w)
        return Mention(i, j, w, "org", "name", w)
    if any(w.low in lex.country_names for w in words) and not suffix:
        return None
    if i == 0 and len(words) == 2 and not titled and words[0].low in NAME_STOP:
        return None
    name = " ".join(w.text for w in words)
    after_role = (
        i >= 2
        and lows[i - 1] in ("of", "at", "for")
        and bool(lex.roles.match(lows, i - 2) or lex.nouns.match(lows, i - 2))
        # "aides of X's campaign": X owns the organisation, it is not one
        and not (j < len(toks) and toks[j].low in ("'s", "’s"))
    )
    window = lows[max(0, i - 4) : i]
    owned = any(
        w in _OWNING_VERBS and "by" not in window[x:] for x, w in enumerate(window)
    )  # "who owns the giant X" (an org), never "founded by X" (a person)
    org_first = words[0].low in ORG_HEAD or (owned and not titled)
    org_after = j < len(toks) and toks[j].low in ORG_AFTER and toks[j].text.islower()
    etype = "org" if suffix or after_role or org_first or org_after else "person"
    if (
        etype == "person"
        and not titled
        and i > 0
        and lows[i - 1] in ("in", "near", "outside")
        and (j >= len(toks) or toks[j].low != "'s")
    ):
        etype = "place"  # "at the palace in Port Salem": a place, never a party to a contact
    if name not in discovered and name not in knowledge.entities:
        discovered[name] = etype
        index.add(name, name)
        if etype == "person" and len(words) >= 2:
            index.add(words[-1].text, name)
    return Mention(i, j, name, etype, "name", name)


# Verbs whose object is an organisation: "who owns the smelting giant Uralskaya Metallurgiya".
_OWNING_VERBS = frozenset(["owns", "owned", "runs", "founded", "heads", "chairs", "controls"])


# Surnames with an inner capital ("McCain", "DeSantis", "DiCaprio") are not company names.
_SURNAME_PREFIXES = ("Mc", "Mac", "De", "Di", "Da", "Du", "La", "Le", "Van", "Von", "O'")


def _national_org(toks: list[Token], i: int) -> bool:
    """ "Libyan National Army", "Russian Defence Ministry": a country word opens an org name."""
    j = i + 1
    while j < len(toks) and _is_cap(toks[j]):
        j += 1
    return j > i + 1 and toks[j - 1].low in ORG_SUFFIX


def _title_before(lows: list[str], i: int, lex: Lexicon) -> str:
    for k in range(max(0, i - 3), i):
        m = lex.titles.match(lows, k)
        if m and k + m[0] == i:
            return " ".join(lows[k:i])
    return ""


def _extend_members(toks: list[Token], m: Mention) -> Mention:
    """ "Wagner soldiers", "the National Guard leadership": members stand for the organisation."""
    if m.etype != "org" or m.kind == "country":
        return m
    j = m.end
    if (
        j < len(toks)
        and toks[j].low in ("group", "group's")
        and m.surface.lower().endswith("group")
    ):
        return m
    if j + 1 < len(toks) and toks[j].low == "army" and toks[j + 1].low in MEMBER_NOUNS:
        j += 1
    if j < len(toks) and toks[j].low in MEMBER_NOUNS:
        m.end = j + 1
    return m
