"""Coreference: pronouns and descriptions resolved to the most salient compatible entity."""

from __future__ import annotations

from dataclasses import dataclass, field

from deniable.grammar.entities import AliasIndex, Knowledge
from deniable.grammar.lexicon import Lexicon
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
    # (lower-case tokens, mentions) of the sentences read so far, newest last
    recent_sentences: list[tuple[list[str], list[Mention]]] = field(default_factory=list)
    form_cache: dict[str, set[str]] = field(default_factory=dict)
    org_keys: list[tuple[str, str]] | None = None

    def etype(self, name: str) -> str:
        e = self.knowledge.entities.get(name)
        if e is not None:
            return e.type.value
        if name.endswith(" government"):
            return "org"
        return self.discovered.get(name, "person")

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
        for c in candidates:
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
            score += 1.0 / (1 + order.get(c, 10))
            if best is None or score > best[0]:
                best = (score, c)
        if best is not None and best[0] >= 1.5:
            return best[1]
        if d.role_class == "" and (d.words & _GENERIC_HEADS):
            # "the businessman": the most salient person.
            for _s, n in recent:
                if n not in exclude:
                    return n
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
            if s == sent - 1 or s == sent:
                score += 4 if rank == 0 else 2
            elif rank == 0:
                score += 1
            if score < 3:
                continue
            if best is None or score > best[0]:
                best = (score, name)
        return best[1] if best else None


def find_descriptions(toks: list[Token], mentions: list[Mention], lex: Lexicon) -> list[Mention]:
    """Descriptions not covered by a mention: "the alleged mercenary leader", "the group".

    A description starts with a determiner, a possessor ("Wagner's boss") or the sentence; it
    ends at a role word or a person/organisation noun, with an optional "of/to/in X".  A role
    word directly before a name is a title, not a description.
    """
    lows = [t.low for t in toks]
    covered: dict[int, Mention] = {}
    for m in mentions:
        for k in range(m.start, m.end):
            covered[k] = m
    starts = {m.start: m for m in mentions}
    out: list[Mention] = []
    i = 0
    n = len(toks)
    while i < n:
        d = _description_at(toks, lows, i, covered, starts, lex)
        if d is None:
            i += 1
            continue
        out.append(d)
        i = d.end
    return out


def _description_at(
    toks: list[Token],
    lows: list[str],
    i: int,
    covered: dict[int, Mention],
    starts: dict[int, Mention],
    lex: Lexicon,
) -> Mention | None:
    if i in covered:
        return None
    j = i
    possessor: Mention | None = None
    if lows[i] == "whose" and i > 0:
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
    elif i > 0 and not (i == 0 or lows[i - 1] in (",", ":", '"', "'")):
        return None
    start = i if possessor is None or lows[i - 1] == "whose" else possessor.start
    words: list[str] = []
    org: str | None = possessor.name if possessor else None
    org_is_person = possessor is not None and possessor.etype == "person"
    hedged = former = False
    country = None
    k = j
    while k < len(toks) and k - j < 6:
        if k in starts and starts[k].etype in ("org", "group") and starts[k].kind == "name":
            org = starts[k].name
            k = starts[k].end
            continue
        if k in covered:
            return None
        r = lex.roles.match(lows, k)
        if r:
            length, rclass = r
            role = " ".join(lows[k : k + length])
            end = k + length
            if end < len(toks) and end in starts and starts[end].etype == "person":
                return None  # a title before a name
            if _name_follows(toks, lows, end, starts):
                return None  # "head of military intelligence Alexey Dyumin" is a title too
            return _finish(
                toks,
                lows,
                start,
                end,
                role,
                rclass,
                "person",
                org,
                org_is_person,
                country,
                hedged,
                former,
                words,
                covered,
                starts,
                lex,
            )
        noun = lex.nouns.match(lows, k)
        if noun and (k + 1) in starts and starts[k + 1].kind == "name":
            return None  # "security firm Wagner Group": a title before a name
        if (
            noun
            and noun[1] in ("org", "person")
            and (k + 1 >= len(toks) or not _is_noun(lows, k + 1, lex))
        ):
            kind = noun[1]
            head = lows[k]
            return _finish(
                toks,
                lows,
                start,
                k + 1,
                head,
                "",
                kind,
                org,
                org_is_person,
                country,
                hedged,
                former,
                words,
                covered,
                starts,
                lex,
            )
        if lows[k] in ("mercenaries", "soldiers", "fighters", "troops") and (
            words or lows[i] in _DETS
        ):
            return _finish(
                toks,
                lows,
                start,
                k + 1,
                lows[k],
                "",
                "group",
                org,
                False,
                country,
                hedged,
                former,
                words,
                covered,
                starts,
                lex,
            )
        w = toks[k].text
        if lows[k] in _HEDGES:
            hedged = True
        elif lows[k] in _FORMER or lows[k] == "-":
            former = former or lows[k] != "-"
        elif lows[k] in lex.country_names and w[:1].isupper():
            # Only "the Russian president": a country right before the role word.
            nxt = lex.roles.match(lows, k + 1) or lex.titles.match(lows, k + 1)
            country = lex.country_names[lows[k]] if nxt else None
        elif (
            not w.isalpha()
            or not w.islower()
            or lex.words.match(lows, k)
            or lex.hedges.match(lows, k)
        ):
            return None
        words.append(lows[k])
        k += 1
    return None


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


def _finish(
    toks,
    lows,
    start,
    end,
    role,
    rclass,
    etype,
    org,
    org_is_person,
    country,
    hedged,
    former,
    words,
    covered,
    starts,
    lex,
) -> Mention:
    """Attach an "of/to/in X" complement and build the description mention."""
    target: Mention | None = None
    k = end
    if k < len(toks) and lows[k] in ("of", "to", "in", "at") and k + 1 < len(toks):
        j = k + 1
        if j in starts:
            target = starts[j]
            end = target.end
        elif lows[j] in _DETS and (j + 1) in starts:
            target = starts[j + 1]
            end = target.end
        elif lows[j] in _DETS:
            inner = _description_at(toks, lows, j, covered, starts, lex)
            if inner is not None and inner.etype != "person":
                target = inner
                end = inner.end
    m = Mention(start, end, None, etype, "desc", " ".join(t.text for t in toks[start:end]))
    m.role, m.role_class, m.hedged, m.former = role, rclass, hedged, former
    m.words = frozenset([*words, role])
    if org_is_person:
        m.owner = org
    elif org:
        m.org = org
    if country is not None and m.org is None:
        m.org = country.government
    if target is not None:
        m.target = target
        m.words = m.words | {"#" + lows[k]}
    return m
