"""Role patterns: titles, appositions, relative clauses and descriptions that state a role."""

from __future__ import annotations

from deniable.grammar.coref import HEAD_OF_STATE, DocState
from deniable.grammar.mentions import Mention
from deniable.grammar.owners import (
    PERSONAL_ONLY,
    desc_owner,
    office_or_person,
    org_noun,
    pronoun_owner,
    seat_of_government,
    unknown_company,
)
from deniable.grammar.tokens import fold
from deniable.grammar.view import View
from deniable.grammar.vocab import vocab

_MODS = frozenset(
    [
        "alleged",
        "former",
        "ex",
        "once",
        "onetime",
        "close",
        "top",
        "senior",
        "then",
        "current",
        "longtime",
        "-",
        "acting",
    ]
)
_PRE_ROLE = frozenset(["the", "a", "an", "his", "her", "its", "their"])
_COPULA = frozenset(["is", "was", "has", "been", "had", "are", "were"])
#: Words that mark a role as past, a hedge on it, or a negation/denial before it;
#: role verbs (roleverbs.py) read the same lists.
FORMER_CUES = frozenset(["former", "ex", "once", "formerly", "previously", "onetime", "one-time"])
HEDGE_CUES = frozenset(
    [
        "alleged",
        "allegedly",
        "reportedly",
        "believed",
        "suspected",
        "said",
        "thought",
        "allege",
        "alleges",
    ]
)
NEG_BEFORE = frozenset(
    ["being", "denies", "denied", "deny", "denying", "not", "never", "n't", "no"]
)


def lookup_org(state: DocState, phrase: str) -> str | None:
    """An organisation whose name or alias is ``phrase`` (folded), or ends with it uniquely."""
    key = " ".join(fold(w) for w in phrase.split())
    exact, tail, found_tail = [], [], []
    if state.org_keys is None:
        state.org_keys = [
            (" ".join(fold(w) for w in form.split()), e.name)
            for e in state.knowledge.entities.values()
            if e.type.value in ("org", "group")
            for form in (e.name, *e.aliases)
        ]
    for f, name in state.org_keys:
        if f == key:
            exact.append(name)
        elif f.endswith(" " + key):
            tail.append(name)
    for name, t in state.discovered.items():
        if t != "org":
            continue
        form = " ".join(fold(w) for w in name.split())
        if form == key:
            exact.append(name)
        elif form.endswith(" " + key) and name.split()[0].lower() in state.lex.country_names:
            found_tail.append(name)  # "Defence Ministry" is the "Russian Defence Ministry" named
    if exact:
        return exact[0]
    if len(found_tail) == 1:
        return found_tail[0]
    named = {n for _s, _k, n, _t in state.history}
    tail = [t for t in dict.fromkeys(tail) if t in named or _country_named(state, t, named)]
    return tail[0] if len(tail) == 1 else None


def _country_named(state: DocState, org: str, named: set[str]) -> bool:
    """Whether the document has named the country an organisation belongs to."""
    first = org.split()[0].lower()
    country = state.lex.country_names.get(first)
    return country is not None and country.government in named


_ENVOYS = frozenset({"ambassador", "envoy"})
# posts held for a country other than the holder's ("special representative for Ukraine")
_SENT = vocab().cues["envoy_posts"] | {"representative"}


def org_for_role(
    state: DocState,
    role: str,
    person: str | None,
    possessor: Mention | None,
    country_gov: str | None,
    complement: Mention | None,
) -> str | None:
    """Which organisation a role word relates a person to, from the words around it."""
    words = role.split()
    if country_gov is None and possessor is not None and possessor.kind == "country":
        country_gov = possessor.name  # "Russia's defence minister"
    country_adj = country_gov.removesuffix(" government") if country_gov else None
    if words[-1] == "minister" and len(words) > 1 and words[0] not in ("prime", "deputy"):
        domain = " ".join(words[:-1]) + " ministry"
        found = lookup_org(state, f"{country_adj} {domain}" if country_adj else domain)
        found = found or lookup_org(state, domain)
        if found:
            return found
        if country_adj and words[0] not in HEAD_OF_STATE:
            # "Russia's defence minister": the Russian defence ministry, even unnamed as such
            name = f"{country_adj} {domain}"
            state.discovered.setdefault(name, "org")
            return name
    if complement is not None and complement.name and words[0] not in ("ambassador", "envoy"):
        t = state.etype(complement.name)
        if t in ("org", "group"):
            return complement.name
        if t == "person":
            return office_or_person(state, role, complement.name)
    if possessor is not None and possessor.name:
        t = state.etype(possessor.name)
        if t == "person":
            return office_or_person(state, role, possessor.name)
        if possessor.kind != "country":
            return possessor.name
        country_gov = country_gov or possessor.name
    if country_gov and (
        words[0] in HEAD_OF_STATE
        or words[0] in ("ambassador", "envoy", "minister")
        or words[-1] in ("minister", "secretary")
    ):
        return country_gov
    if person and (words[-1] in HEAD_OF_STATE or role in HEAD_OF_STATE):
        return state.government_of(person)
    return None


def role_phrase(v: View, k: int) -> tuple[int, str, str] | None:
    """(length, class, phrase) of a role word or title at token ``k``."""
    lex = v.state.lex
    r = lex.roles.match(v.lows, k)
    t = lex.titles.match(v.lows, k)
    if t and t[1] == "role" and (r is None or t[0] > r[0]):
        phrase = " ".join(v.lows[k : k + t[0]])
        return t[0], "head", phrase
    if r:
        return r[0], r[1], " ".join(v.lows[k : k + r[0]])
    return None


def _country_adj(v: View, k: int) -> str | None:
    c = v.state.lex.country_names.get(v.low(k))
    if c and v.toks[k].text[:1].isupper():
        return c.government
    return None


def _ends_a_name(v: View, j: int) -> bool:
    """The country word ends a company's name ("Seven-Eleven Japan President X"): a
    capitalised word runs into it."""
    return (
        j >= 1
        and v.toks[j - 1].text[:1].isupper()
        and v.low(j - 1) not in _MODS
        and (v.low(j - 1) not in v.state.lex.role_words)
    )


def role_title(v: View) -> None:
    """ "Kremlin spokesperson Dmitry Peskov", "Russia's defence minister X", "President X"."""
    for p in list(v.mentions):
        if p.kind != "name" or p.name is None or v.state.etype(p.name) != "person":
            continue
        found = _title_before(v, p)
        if found is None:
            continue
        start, role, possessor, country, complement, hedged, former = found
        v.state.describe(p.name, set(v.lows[start : p.start]) - {"'s", "the", "a", "an"})
        org = org_for_role(v.state, role, p.name, possessor, country, complement)
        v.absorb(start, p.end, p)
        if org:
            when = "former" if former else ""
            v.add(
                "role", p.name, org, start, p.end, "role_title", role=role, hedged=hedged, when=when
            )
            v.state.add_role(p.name, org, role, "former" if former else _role_class(v, role))


def _role_class(v: View, role: str) -> str:
    r = v.state.lex.roles.match(role.split(), 0)
    return r[1] if r else "head"


# start, role word, possessor, country government, complement, hedged, former
_Title = tuple[int, str, Mention | None, str | None, Mention | None, bool, bool]


def _title_before(v: View, p: Mention) -> _Title | None:
    """Find [possessor 's | country adj] [mods] ROLE [of/to X] right before mention ``p``."""
    for rs in range(p.start - 1, max(-1, p.start - 9), -1):
        rp = role_phrase(v, rs)
        if rp is None:
            continue
        for d in (2, 1):
            # Prefer the longest role phrase ending at the same word ("defence minister").
            longer = role_phrase(v, rs - d) if rs - d >= 0 else None
            if longer is not None and longer[0] == rp[0] + d:
                rp, rs = longer, rs - d
                break
        length, _cls, role = rp
        k = rs + length
        complement: Mention | None = None
        if k < p.start and v.low(k) in ("of", "to"):
            j = k + 1
            if v.low(j) == "the":
                j += 1
            mid = " ".join(v.toks[x].text for x in range(j, p.start))
            complement = v.at.get(j)
            if complement is not None and complement.end != p.start:
                return None
            if complement is None and not all(v.toks[x].text.isalpha() for x in range(j, p.start)):
                return None
            if v.low(k) == "to" or role.split()[0] in ("ambassador", "envoy"):
                role = f"{role} {v.low(k)} {mid}".replace(" the ", " ")
                complement = None if v.low(k) == "to" else complement
            elif complement is None:
                complement = Mention(j, p.start, None, "org", "phrase", mid)
            k = p.start
        if k != p.start:
            return None
        start = rs
        hedged = former = False
        j = rs - 1
        while j >= 0 and v.low(j) in _MODS:
            hedged = hedged or v.low(j) == "alleged"
            former = former or v.low(j) in ("former", "ex", "once")
            j -= 1
            start = j + 1
        possessor: Mention | None = None
        country: str | None = None
        if j >= 0 and v.low(j) == "'s" and j - 1 in v.cover:
            possessor = v.cover[j - 1]
            start = possessor.start
        elif j >= 1 and v.low(j) == "'s" and unknown_company(v, j - 1, role):
            # "Gazprom's chief executive Alexei Miller": a one-word company as possessor
            word = v.toks[j - 1].text
            v.state.discovered.setdefault(word, "org")
            v.state.index.add(word, word)
            possessor = Mention(j - 1, j, word, "org", "name", word)
            start = j - 1
        elif (
            j >= 0
            and j in v.cover
            and v.cover[j].end == j + 1
            and v.state.etype(v.cover[j].name or "") in ("org",)
            and not (v.cover[j].kind == "country" and _ends_a_name(v, j))
        ):
            possessor = v.cover[j]
            start = possessor.start
        elif j >= 0 and _country_adj(v, j) and not _ends_a_name(v, j):
            country = _country_adj(v, j)
            start = j
        elif j >= 0 and v.low(j) in ("his", "her"):
            possessor = pronoun_owner(v, j)
            start = j if possessor is not None else start
        elif j >= 0 and v.low(j) == "presidential" and seat_of_government(v) is not None:
            # "presidential aide X" in an article about one state: its seat of government
            possessor = Mention(j, j + 1, seat_of_government(v), "org", "name", v.toks[j].text)
            start = j
        elif j >= 0 and j not in v.cover and org_noun(v, j):
            possessor = org_noun(v, j)
            start = j - 1 if v.low(j - 1) in ("a", "an", "the") else j
        if complement is not None and complement.kind == "phrase":
            adj = country or (possessor.name if possessor and possessor.kind == "country" else None)
            adj_word = adj.removesuffix(" government") if adj else ""
            name = lookup_org(v.state, f"{adj_word} {complement.surface}".strip())
            name = name or lookup_org(v.state, complement.surface)
            complement = Mention(complement.start, complement.end, name, "org") if name else None
            if name is None:
                return None
        return start, role, possessor, country, complement, hedged, former
    return None


def role_apposition(v: View) -> None:
    """ "X, head of the Y", "X, a former Y officer", "X, who is chief of staff to Z"."""
    for p in list(v.mentions):
        if p.name is None or v.state.etype(p.name) != "person" or p.kind == "desc":
            continue
        k = p.end
        if v.low(k) == "(":
            continue
        if v.low(k) == ",":
            k += 1
            if v.low(k).isdigit() and v.low(k + 1) == ",":
                k += 2  # "X, 62, the head of Y": an age before the apposition
            if v.low(k) == "who" and v.low(k + 1) in _COPULA:
                k += 2
        elif v.low(k) in ("is", "was") or (v.low(k) in _COPULA and v.low(k + 1) == "been"):
            k += 1 if v.low(k + 1) != "been" else 2
        else:
            continue
        hedged = False
        for cue in (
            ("reported", "to", "be"),
            ("believed", "to", "be"),
            ("said", "to", "be"),
            ("thought", "to", "be"),
            ("alleged", "to", "be"),
        ):
            if tuple(v.lows[k : k + 3]) == cue:
                hedged = cue[0] != "reported"
                k += 3
        _appositive_role(v, p, k, hedged)


_OUT_OF_SCOPE = frozenset(
    [
        "denied",
        "denies",
        "deny",
        "denying",
        "rejected",
        "rejects",
        "dismissed",
        "disputed",
        "disputes",
        "whether",
        "if",
        "not",
        "never",
        "n't",
        "no",
    ]
)


def out_of_scope(v: View, start: int, end: int) -> bool:
    """Whether a role stated at tokens [start, end) sits under a denial, negation or question."""
    before = v.lows[max(0, start - 8) : start]
    return bool(set(before) & _OUT_OF_SCOPE) or bool(set(v.lows[start:end]) & _OUT_OF_SCOPE)


def _appositive_role(v: View, p: Mention, k: int, hedged: bool) -> None:
    former = False
    if v.low(k) in _PRE_ROLE:
        k += 1
    while v.low(k) in _MODS:
        former = former or v.low(k) in ("former", "ex", "once")
        hedged = hedged or v.low(k) == "alleged"
        k += 1
    if v.low(k) in _PRE_ROLE:
        k += 1
    while v.low(k) in _MODS or v.low(k) in ("close", "senior", "top"):
        former = former or v.low(k) in ("former", "ex", "once")
        k += 1
    org_mod: Mention | None = None
    country: str | None = None
    inner = v.cover.get(k)
    if inner is not None and inner.start == k and inner.name and v.state.etype(inner.name) == "org":
        org_mod = inner
        k = org_mod.end
        if v.low(k) == "'s":
            k += 1  # "X, Acme's chief executive"
    elif _country_adj(v, k):
        country = _country_adj(v, k)
        k += 1
    rp = role_phrase(v, k)
    if rp is None:
        return
    length, rclass, role = rp
    k += length
    complement: Mention | None = None
    if v.low(k) in ("of", "to", "in", "at", "for"):
        prep = v.low(k)
        j = k + 1
        if j not in v.at and v.low(j) == "the":
            j += 1
        for _ in range(2):
            if (
                j not in v.at
                and v.low(j).isalpha()
                and v.toks[j].text.islower()
                and (j + 1) in v.at
            ):
                j += 1  # "of the famous X"

        # Titles before the complement's name ("to President Vladimir Putin").
        while j not in v.at and j < len(v.lows) and role_phrase(v, j):
            j += role_phrase(v, j)[0]  # type: ignore[index]
        complement = v.at.get(j)
        if complement is None or complement.name is None:
            return
        if role.split()[0] in ("ambassador", "envoy") or (
            prep == "to" and v.state.etype(complement.name) != "person"
        ):
            role = f"{role} {prep} {complement.surface}"
            if country is None and v.state.etype(complement.name) == "org":
                complement = None
        k = complement.end if complement else (j + 1)
        if complement is not None:
            k = complement.end
        if (
            complement is not None
            and v.low(k) == "'s"
            and v.state.etype(complement.name or "") in ("org", "group")
        ):
            k += 1  # "deputy head of the Kremlin's policy department": a unit of that body
        extra = 0
        while (
            extra < 3
            and v.low(k).isalpha()
            and v.toks[k].text.islower()
            and v.low(k) not in ("who", "and", "has", "had", "is", "was")
        ):
            if v.low(k) in ("in", "at") and (k + 1) in v.at:
                k = v.at[k + 1].end  # "commander of X in Ukraine"
                break
            k += 1  # "of Wagner security force": trailing descriptive nouns
            extra += 1
    if k < len(v.lows) and v.low(k) not in (
        ",",
        ".",
        ";",
        ")",
        "and",
        "who",
        "has",
        "had",
        "is",
        "was",
        '"',
        "'",
    ):
        return
    org = org_mod.name if org_mod else None
    org = org or org_for_role(v.state, role, p.name, None, country, complement)
    if p.name is None or (v.low(p.end) != "," and out_of_scope(v, p.start, k)):
        return
    v.absorb(p.start, k, p)  # the apposition belongs to its name even when no role is known
    if org is None:
        return
    v.add(
        "role",
        p.name,
        org,
        p.start,
        k,
        "role_apposition",
        role=role,
        hedged=hedged,
        when="former" if former else "",
    )
    v.state.add_role(p.name, org, role, "former" if former else rclass)
    v.absorb(p.start, k, p)


_SUCCESSION = frozenset({"successor", "predecessor", "replacement"})
_FRONTING = frozenset({"through", "via", "according", "like", "unlike", "with"})


def role_description(v: View) -> None:
    """A resolved description states a role: "the Wagner chief", "Head of the group, he"."""
    for d in v.mentions:
        if d.kind != "desc" or d.etype != "person" or not d.role_class:
            continue
        if set(v.lows[max(0, d.start - 3) : d.start]) & NEG_BEFORE:
            continue
        if any(a < d.start < b for a, b, _h in v.absorbed):
            continue  # already read as another name's apposition
        if d.words & _SUCCESSION:
            continue  # "X's successor as home secretary": X is no one's principal here
        if v.low(d.end) in ("'s", "’s") and "of" in v.lows[d.start : d.end]:
            continue  # "the Secretary-General of Japan's ruling party": the party's post
        person = d.name
        k = d.end
        named = None
        prior = v.cover.get(d.start - 2) if v.low(d.start - 1) == "," else None
        if prior is not None and prior.name and v.state.etype(prior.name) == "person":
            continue  # "Vaino, the head of X, Patrushev, ...": the description is Vaino's
        title = v.state.lex.titles.match(v.lows, k + 1) if v.low(k) == "," else None
        skip = title[0] if title and (k + 1) not in v.at else 0
        # "Villar's deputy, Colonel Edgar Reyes": a title before the apposed name
        fronted = 0 < d.start <= 2 and v.low(0) in _FRONTING
        if v.low(k) in (",", "(") and (k + 1 + skip) in v.at and not fronted:
            # ("Through his lawyer, X denied …": X is the sentence's subject, the client)
            named = v.at[k + 1 + skip]
            if named.name and v.state.etype(named.name) == "person":
                person = named.name
            else:
                named = None
        if person is None or _other_office(v.state, person, d.role):
            continue
        target = d.target
        org = d.org
        if target is not None and target.name:
            t = v.state.etype(target.name)
            if t == "person":
                org = v.state.office_of(target.name)
            elif target.kind == "country" and d.role.split()[-1] in _ENVOYS:
                if org == target.name:
                    org = None  # "the ambassador to Moscow" serves some other country
            elif (
                target.kind == "country"
                and d.org in (None, target.name)
                and d.role.split()[-1] in _SENT
            ):
                continue  # "the special representative for Ukraine": some other country's
            else:
                org = target.name if not (target.kind == "country" and d.org) else d.org
        elif d.owner:
            org = v.state.office_of(d.owner) if d.role not in PERSONAL_ONLY else None
            if org is None and named is not None:
                # only with the staffer named beside it: "Kalinin's lawyer, Dmitri Gurov"
                org = office_or_person(v.state, d.role, d.owner)
        elif org is None and d.role in HEAD_OF_STATE:
            org = v.state.government_of(person) or _role_org(v.state, person, d.role)
        if org is None and named is not None:
            org = desc_owner(v, d)
        if org is None or org == person:
            continue
        role = d.role
        if target is not None and target.kind == "country" and role in ("ambassador", "envoy"):
            role = f"{role} to {target.surface}"
        end = named.end if named else d.end
        if named is not None:
            v.absorb(d.start, end, named)
        v.add(
            "role",
            person,
            org,
            d.start,
            end,
            "role_description",
            role=role,
            hedged=d.hedged,
            when="former" if d.former else "",
        )
        v.state.add_role(person, org, role, "former" if d.former else d.role_class)


def _other_office(state: DocState, person: str, role: str) -> bool:
    """A head of state is not also the description's aide or spokesman: the description was
    resolved to the wrong person."""
    if not set(role.split()) & _STAFF_POSTS:
        return False
    return any(r.person == person and r.role in HEAD_OF_STATE for r in state.roles)


_STAFF_POSTS = vocab().cues["staff_posts"]


def _role_org(state: DocState, person: str, role: str) -> str | None:
    for r in state.roles:
        if r.person == person and r.role == role:
            return r.org
    return None


def role_in_name(v: View) -> None:
    """A person known by a role ("Putin's domestic politics boss") holds it in that office."""
    for m in v.mentions:
        if m.kind != "name" or m.name is None or v.state.etype(m.name) != "person":
            continue
        lows = v.lows[m.start : m.end]
        if "'s" not in lows or not v.state.lex.roles.match(lows, len(lows) - 1):
            continue
        cut = lows.index("'s")
        keys = tuple(fold(t.text) for t in v.toks[m.start : m.start + cut])
        owners = [n for k, _c, n in v.state.index.by_first.get(keys[0], ()) if k == keys]
        if not owners or v.state.etype(owners[0]) != "person":
            continue
        office = v.state.office_of(owners[0])
        if office:
            role = " ".join(lows[cut + 1 :])
            v.add("role", m.name, office, m.start, m.end, "role_in_name", role=role)


PATTERNS = (role_title, role_apposition, role_in_name)
