"""Coreference: pronouns and descriptions resolved to the most salient compatible entity."""

from __future__ import annotations

from dataclasses import dataclass, field

from deniable.grammar.entities import AliasIndex, Knowledge
from deniable.grammar.lexicon import Country, Lexicon
from deniable.grammar.mentions import Mention
from deniable.grammar.tokens import Token, fold

_DETS = frozenset(
    ["the", "a", "an", "his", "her", "its", "their", "this", "that", "these", "those"]
)
_HEDGES = frozenset(["alleged", "suspected", "reputed", "purported", "so-called", "self-styled"])
_FORMER = frozenset(["former", "ex", "once", "onetime", "one-time", "erstwhile", "then"])
_ROLEISH = frozenset(["russian", "top", "senior", "deputy", "chief", "head", "boss", "leader"])
_GENERIC_HEADS = frozenset(["man", "woman", "businessman", "businesswoman"])
# Roles that make "the <Adjective> <role>" the head of that country's government.
HEAD_OF_STATE = frozenset(
    [
        "president",
        "leader",
        "prime",
        "minister",
        "premier",
        "dictator",
        "strongman",
        "chancellor",
        "king",
        "ruler",
    ]
)


# Organisation nouns that say what kind of body it is; a description headed by one only
# names an organisation whose name or description has that noun.
_SPECIFIC_ORG_HEADS = frozenset(
    [
        "ministry",
        "court",
        "tribunal",
        "council",
        "committee",
        "bank",
        "party",
        "agency",
        "service",
        "army",
        "junta",
        "syndicate",
        "cartel",
        "legion",
        "brigade",
        "militia",
        "consortium",
        "administration",
        "regime",
        "government",
    ]
)
# Prosecuting authorities found by their words are never "the company" of the last sentence.
_AUTHORITY_ENDS = ("prosecutors", "prosecutor", "attorney general", "grand jury", "investigators")
_PRONOUN_GENDER = {"he": "m", "him": "m", "his": "m", "she": "f", "her": "f", "hers": "f"}


@dataclass(slots=True)
class RoleNote:
    """A role the document has stated: person, organisation, role word and its class."""

    person: str
    org: str
    role: str
    role_class: str


@dataclass(slots=True)
class DocState:
    """What is known while reading one document: entities, salience and stated roles."""

    knowledge: Knowledge
    lex: Lexicon
    index: AliasIndex
    discovered: dict[str, str] = field(default_factory=dict)
    # (sentence index, token start, entity name, type, was a clause subject)
    history: list[tuple[int, int, str, str]] = field(default_factory=list)
    roles: list[RoleNote] = field(default_factory=list)
    descriptors: dict[str, set[str]] = field(default_factory=dict)
    last_pictured: tuple[str, ...] = ()
    last_met: str | None = None
    # (sentence, parties) of the positive contacts (called/met) each recent sentence reported
    last_contacts: list[tuple[int, tuple[str, str]]] = field(default_factory=list)
    # (lower-case tokens, mentions) of the sentences read so far, newest last
    recent_sentences: list[tuple[list[str], list[Mention]]] = field(default_factory=list)
    form_cache: dict[str, set[str]] = field(default_factory=dict)
    org_keys: list[tuple[str, str]] | None = None
    # person name -> "m" / "f", where a title or gendered word in the text says so
    genders: dict[str, str] = field(default_factory=dict)

    def gender(self, name: str) -> str:
        """The grammatical gender of a person ("m", "f"), or "" when nothing says."""
        said = self.genders.get(name)
        if said:
            return said
        return self.lex.first_names.get(name.split(" ", 1)[0].lower(), "")

    def agrees(self, name: str, pronoun: str) -> bool:
        """Whether ``pronoun`` can point at ``name``: "she" never at a man, nor "he" at a woman."""
        want = _PRONOUN_GENDER.get(pronoun.lower(), "")
        have = self.gender(name) if self.etype(name) == "person" else ""
        return not (want and have and want != have)

    def etype(self, name: str) -> str:
        e = self.knowledge.entities.get(name)
        if e is not None:
            return e.type.value
        if name.endswith(" government") or name.lower() in self.lex.seat_names:
            return "org"
        return self.discovered.get(name, "person")

    def speaker(self, name: str) -> str:
        """Who speaks when ``name`` speaks: "the Kremlin" denies for the Russian government."""
        if name in self.knowledge.speaks_for:
            return self.knowledge.speaks_for[name]
        # A seat of government speaks for it even when an entity file lists the seat without
        # saying so ("the Kremlin denied" is the Russian government denying).
        return self.lex.seats.get(name.lower(), name)

    def note(self, sent: int, m: Mention) -> None:
        if m.name:
            self.history.append((sent, m.start, m.name, self.etype(m.name)))

    def describe(self, name: str, words: set[str]) -> None:
        self.descriptors.setdefault(name, set()).update(words)

    def add_role(self, person: str, org: str, role: str, role_class: str) -> None:
        note = RoleNote(person, org, role, role_class)
        if note not in self.roles:
            self.roles.append(note)

    def government_of(self, person: str) -> str | None:
        """The government a person belongs to through part_of links, if any."""
        for org in self.knowledge.chain(person):
            if org.endswith(" government"):
                return org
        return None

    def office_of(self, person: str) -> str | None:
        """The organisation a person's staff work for: the nearest part_of link, else a role."""
        chain = self.knowledge.chain(person)
        if chain:
            return chain[0]
        for r in self.roles:
            if r.person == person and r.role_class == "head":
                return r.org
        return None

    # ------------------------------------------------------------------ pronouns

    def resolve_pronoun(
        self, sent: int, m: Mention, local: list[Mention], exclude: set[str]
    ) -> str | None:
        """Resolve a pronoun: an earlier same-sentence subject, else the last sentence's subject."""
        want = m.etype
        kinds = {"person": ("person",), "person_obj": ("person",), "org": ("org",)}.get(
            want, ("org", "group")
        )
        before = [x for x in local if x.end <= m.start and x.name and self.etype(x.name) in kinds]
        before = [x for x in before if x.name not in exclude]
        if before and want.startswith("person"):
            fitting = [x for x in before if self.agrees(x.name or "", m.surface)]
            if not fitting:
                # "Ortega tried to call the editor but she refused": the pronoun points at
                # someone in this sentence we cannot name; a guess could invent a contact.
                return None
            before = fitting
        if before and want != "person_obj":
            return before[0].name
        if before and want == "person_obj":
            return before[-1].name
        scores: dict[str, float] = {}
        firsts: set[tuple[int, str]] = set()
        seen_sent: set[int] = set()
        for s, _start, name, t in self.history:
            if s >= sent or t not in kinds or name in exclude:
                continue
            if not self.agrees(name, m.surface):
                continue
            dist = sent - s
            first = s not in seen_sent
            seen_sent.add(s)
            if first:
                firsts.add((s, name))
            weight = (2.0 if first else 1.0) / dist if dist <= 3 else 0.0
            # Frequency over the whole document: the article's protagonist stays salient.
            scores[name] = scores.get(name, 0.0) + weight + 0.15
        if not scores:
            return None
        return max(scores, key=lambda n: scores[n])

    def main_government(self) -> str | None:
        """The government named most often so far ("authorities" stands for it)."""
        counts: dict[str, int] = {}
        for _s, _start, name, _t in self.history:
            gov = self.speaker(name)
            if gov.endswith(" government"):
                counts[gov] = counts.get(gov, 0) + 1
        return max(counts, key=lambda n: counts[n]) if counts else None

    def protagonist(self, sent: int) -> str | None:
        """The person mentioned most often so far (the latest on a tie): "the businessman"."""
        counts: dict[str, tuple[int, int]] = {}
        for s, start, name, t in self.history:
            if t == "person" and s <= sent:
                n, _last = counts.get(name, (0, 0))
                counts[name] = (n + 1, s * 10_000 + start)
        return max(counts, key=lambda n: counts[n]) if counts else None

    # --------------------------------------------------------------- descriptions

    def resolve_desc(self, sent: int, d: Mention, exclude: set[str]) -> str | None:
        """Resolve a description ("the Wagner chief", "the paramilitary firm") to an entity."""
        if d.etype == "person":
            return self._resolve_person(sent, d, exclude)
        return self._resolve_org(sent, d, exclude)

    def _recent(self, sent: int, kinds: tuple[str, ...]) -> list[tuple[int, str]]:
        """Entities of the given types, most recently mentioned first, with their sentence."""
        seen: dict[str, tuple[int, int]] = {}
        for s, start, name, t in self.history:
            if t in kinds and s <= sent:
                seen[name] = (s, start)
        ordered = sorted(seen.items(), key=lambda x: (-x[1][0], -x[1][1]))
        return [(pos[0], n) for n, pos in ordered]

    def _forms(self, name: str) -> set[str]:
        """Folded words of an entity's name and aliases (cached)."""
        hit = self.form_cache.get(name)
        if hit is None:
            hit = {fold(w) for w in name.split()}
            known = self.knowledge.entities.get(name)
            for a in known.aliases if known else ():
                hit.update(fold(w) for w in a.split())
            self.form_cache[name] = hit
        return hit

    def _resolve_person(self, sent: int, d: Mention, exclude: set[str]) -> str | None:
        role_class = d.role_class
        words = {w for w in d.words if w not in _DETS and w not in _HEDGES and w not in _FORMER}
        if d.role and d.role in HEAD_OF_STATE and d.org and d.org.endswith(" government"):
            heads = [r.person for r in self.roles if r.org == d.org and r.role in HEAD_OF_STATE]
            heads += [
                n for _s, n in self._recent(sent, ("person",)) if self.government_of(n) == d.org
            ]
            heads += [n for n in self.knowledge.entities if self.government_of(n) == d.org]
            heads = [h for h in heads if h not in exclude]
            return heads[0] if heads else None
        best: tuple[float, str] | None = None
        recent = self._recent(sent, ("person",))
        order = {n: k for k, (_s, n) in enumerate(recent)}
        candidates = set(order) | {r.person for r in self.roles}
        base_scores: dict[str, float] = {}
        # Sorted: set order changes with the hash seed, and a tie must not be broken by it.
        for c in sorted(candidates):
            if c in exclude:
                continue
            score = 0.0
            for r in self.roles:
                if r.person != c:
                    continue
                if d.org and r.org == d.org and (r.role_class == role_class or r.role == d.role):
                    score = max(score, 6)
                elif d.org is None and d.role and r.role == d.role:
                    score = max(score, 4)
                elif (
                    d.org is None
                    and role_class == "head" == r.role_class
                    and d.role not in HEAD_OF_STATE
                ):
                    score = max(score, 1.5)
            mods = words - _ROLEISH if not d.role_class else words - {d.role} - _ROLEISH
            known_words = set(self.descriptors.get(c, set()))
            for r in self.roles:
                if r.person == c and r.role_class == "head":
                    known_words |= self.descriptors.get(r.org, set())
                    known_words |= {w.lower() for w in r.org.split()}
            overlap = mods & known_words
            score += 3 * len(overlap)
            if mods and not overlap:
                score -= 2
            if score <= 0 and not (d.role in HEAD_OF_STATE and self.government_of(c)):
                continue
            if d.role in HEAD_OF_STATE and d.org is None and not mods and self.government_of(c):
                score += 3
            if d.org and d.org.endswith(" government") and self.government_of(c) == d.org:
                score += 3
            base_scores[c] = score
            score += 1.0 / (1 + order.get(c, 10))
            if best is None or score > best[0]:
                best = (score, c)
        if best is not None and best[0] >= 1.5:
            rivals = [
                c for c, v in base_scores.items() if c != best[1] and v >= base_scores[best[1]]
            ]
            exact = any(r.person == best[1] and r.role == d.role for r in self.roles)
            if best[1] not in order and (rivals or not exact or sent > 0):
                # Nobody was named before the description ("Putin's aide" in a headline):
                # only a post held under that very title, by one person, names them, and
                # only in the headline; anything else would be a guess.
                return None
            return best[1]
        if d.role_class == "" and (d.words & _GENERIC_HEADS):
            # "the businessman": the article's main person, not merely the last one named.
            main = self.protagonist(sent)
            return main if main not in exclude else None
        return None

    def _resolve_org(self, sent: int, d: Mention, exclude: set[str]) -> str | None:
        kinds = ("group",) if d.etype == "group" else ("org", "group")
        recent = self._recent(sent, kinds)
        words = {fold(w) for w in d.words if w not in _DETS and w not in _HEDGES}
        best: tuple[float, str] | None = None
        recent = [
            (s, n)
            for s, n in recent
            if n not in exclude and (not n.endswith(" government") or "government" in words)
        ]
        for rank, (s, name) in enumerate(recent):
            forms = self._forms(name) | {fold(w) for w in self.descriptors.get(name, set())}
            head = fold(d.role) if d.role else ""
            score = 0.0
            if head and (head in forms or head.rstrip("s") in forms):
                score += 3
            score += len((words - {head}) & forms)
            if score <= 0 and not (rank == 0 and s == sent - 1):
                continue  # recency alone only reaches the organisation just mentioned
            if score <= 0 and (
                d.role.lower() in _SPECIFIC_ORG_HEADS or name.endswith(_AUTHORITY_ENDS)
            ):
                continue  # "the ministry" is never a bank or a company just named
            if s == sent - 1 or s == sent:
                score += 4 if rank == 0 else 2
            elif rank == 0:
                score += 1
            if score < 3:
                continue
            if best is None or score > best[0]:
                best = (score, name)
        return best[1] if best else None


@dataclass(slots=True)
class _Scan:
    """The sentence a description is read from."""

    toks: list[Token]
    lows: list[str]
    covered: dict[int, Mention]
    starts: dict[int, Mention]
    lex: Lexicon


@dataclass(slots=True)
class _Parts:
    """What a description says before its head word."""

    start: int
    org: str | None = None
    org_is_person: bool = False
    country: Country | None = None
    hedged: bool = False
    former: bool = False
    words: list[str] = field(default_factory=list)


def find_descriptions(toks: list[Token], mentions: list[Mention], lex: Lexicon) -> list[Mention]:
    """Descriptions not covered by a mention: "the alleged mercenary leader", "the group".

    A description starts with a determiner, a possessor ("Wagner's boss") or the sentence; it
    ends at a role word or a person/organisation noun, with an optional "of/to/in X".  A role
    word directly before a name is a title, not a description.
    """
    covered: dict[int, Mention] = {}
    for m in mentions:
        for k in range(m.start, m.end):
            covered[k] = m
    scan = _Scan(toks, [t.low for t in toks], covered, {m.start: m for m in mentions}, lex)
    out: list[Mention] = []
    i = 0
    while i < len(toks):
        d = _description_at(scan, i)
        if d is None:
            i += 1
            continue
        out.append(d)
        i = d.end
    return out


def _description_at(scan: _Scan, i: int) -> Mention | None:
    toks, lows, covered, starts, lex = scan.toks, scan.lows, scan.covered, scan.starts, scan.lex
    head = starts.get(i)
    org_first = (
        head is not None
        and head.kind == "name"
        and head.etype in ("org", "group")
        and bool(lex.roles.match(lows, head.end))
        and (i == 0 or lows[i - 1] not in _DETS)
    )
    if i in covered and not org_first:
        return None
    j = i
    possessor: Mention | None = None
    if org_first:
        pass  # "with Wagner chief": an organisation and a role word name a person
    elif lows[i] == "whose" and i > 0:
        # "X, whose leader": the organisation before "whose" owns the role.
        k0 = i - 2 if lows[i - 1] == "," else i - 1
        if k0 in covered and covered[k0].etype in ("org", "group"):
            possessor = covered[k0]
        j = i + 1
        i += 1  # "whose" itself stays outside, so it still ends a coordination
    elif lows[i] in _DETS:
        j = i + 1
    elif lows[i] == "'s" and i - 1 in covered:
        possessor = covered[i - 1]
        j = i + 1
    elif i > 0 and lows[i - 1] not in (",", ":", '"', "'"):
        return None
    parts = _Parts(i if possessor is None or lows[i - 1] == "whose" else possessor.start)
    parts.org = possessor.name if possessor else None
    parts.org_is_person = possessor is not None and possessor.etype == "person"
    k = j
    while k < len(toks) and k - j < 6:
        if k in starts and starts[k].etype in ("org", "group") and starts[k].kind == "name":
            parts.org = starts[k].name
            k = starts[k].end
            continue
        if k in covered:
            return None
        r = lex.roles.match(lows, k)
        if r:
            end = k + r[0]
            if end < len(toks) and end in starts and starts[end].etype == "person":
                return None  # a title before a name
            if _name_follows(toks, lows, end, starts):
                return None  # "head of military intelligence Alexey Dyumin" is a title too
            return _finish(scan, parts, end, " ".join(lows[k:end]), r[1], "person")
        noun = lex.nouns.match(lows, k)
        if noun and (k + 1) in starts and starts[k + 1].kind == "name":
            return None  # "security firm Wagner Group": a title before a name
        if noun and noun[1] in ("org", "person") and not _is_noun(lows, k + 1, lex):
            return _finish(scan, parts, k + 1, lows[k], "", noun[1])
        if lows[k] in ("mercenaries", "soldiers", "fighters", "troops") and (
            parts.words or lows[i] in _DETS
        ):
            parts.org_is_person = False
            return _finish(scan, parts, k + 1, lows[k], "", "group")
        if not _modifier(scan, parts, k):
            return None
        parts.words.append(lows[k])
        k += 1
    return None


def _modifier(scan: _Scan, parts: _Parts, k: int) -> bool:
    """Read one word before a description's head; False when it cannot be part of one."""
    w, low, lex = scan.toks[k].text, scan.lows[k], scan.lex
    if low in _HEDGES:
        parts.hedged = True
    elif low in _FORMER or low == "-":
        parts.former = parts.former or low != "-"
    elif low in lex.country_names and w[:1].isupper():
        # Only "the Russian president": a country right before the role word.
        nxt = lex.roles.match(scan.lows, k + 1) or lex.titles.match(scan.lows, k + 1)
        parts.country = lex.country_names[low] if nxt else None
    elif (
        not w.isalpha()
        or not w.islower()
        or lex.words.match(scan.lows, k)
        or lex.hedges.match(scan.lows, k)
    ):
        return False
    return True


def _name_follows(toks: list[Token], lows: list[str], k: int, starts: dict[int, Mention]) -> bool:
    if k >= len(toks) or lows[k] not in ("of", "to"):
        return False
    for j in range(k + 1, min(len(toks), k + 7)):
        if j in starts:
            m = starts[j]
            if m.etype == "person" and m.kind == "name":
                return True
            continue
        if not toks[j].text.isalpha() and lows[j] != "-":
            return False
    return False


def _is_noun(lows: list[str], k: int, lex: Lexicon) -> bool:
    return bool(lex.nouns.match(lows, k) or lex.roles.match(lows, k))


def _finish(scan: _Scan, parts: _Parts, end: int, role: str, rclass: str, etype: str) -> Mention:
    """Attach an "of/to/in X" complement and build the description mention."""
    toks, lows, starts = scan.toks, scan.lows, scan.starts
    target: Mention | None = None
    k = end
    if k < len(toks) and lows[k] in ("of", "to", "in", "at", "for") and k + 1 < len(toks):
        j = k + 1
        if j in starts:
            target = starts[j]
            end = target.end
        elif lows[j] in _DETS and (j + 1) in starts:
            target = starts[j + 1]
            end = target.end
        elif lows[j] in _DETS:
            inner = _description_at(scan, j)
            if inner is not None and inner.etype != "person":
                target = inner
                end = inner.end
    start = parts.start
    m = Mention(start, end, None, etype, "desc", " ".join(t.text for t in toks[start:end]))
    m.role, m.role_class, m.hedged, m.former = role, rclass, parts.hedged, parts.former
    m.words = frozenset([*parts.words, role])
    if parts.org_is_person:
        m.owner = parts.org
    elif parts.org:
        m.org = parts.org
    if parts.country is not None and m.org is None:
        m.org = parts.country.government
    if target is not None:
        m.target = target
        m.words = m.words | {"#" + lows[k]}
    return m
