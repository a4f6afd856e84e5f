"""Article to facts: sentences, mentions, coreference, roles, clauses, patterns and modality."""

from __future__ import annotations

import copy
import functools
import re
from collections.abc import Callable
from dataclasses import replace

from deniable.facts.model import (
    EVENTS,
    SYMMETRIC,
    Document,
    Entity,
    EntityType,
    Evidence,
    Extraction,
    Fact,
    Modality,
    Sentence,
)
from deniable.grammar import denials, patterns, roles, roleverbs
from deniable.grammar.coref import DocState, find_descriptions
from deniable.grammar.entities import Knowledge
from deniable.grammar.lexicon import lexicon
from deniable.grammar.mentions import Mention, tag
from deniable.grammar.modality import modality
from deniable.grammar.namewords import CALENDAR_WORDS
from deniable.grammar.reader import Named, Reading, read
from deniable.grammar.tokens import Token, clean, split_sentences, tokenize
from deniable.grammar.transform import clauses
from deniable.grammar.view import View
from deniable.grammar.vocab import vocab

__all__ = ["Knowledge", "extract"]

_YEAR_RANGE = re.compile(r"\bbetween (\d{4}) and (\d{4})\b")
_YEAR = re.compile(
    r"\b(?:in|since|during) ((?:(?:January|February|March|April|May|June|July|August|September|"
    r"October|November|December) )?(?:19|20)\d\d)\b"
)
_DAY = re.compile(
    r"\bon ((?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December) \d{1,2})\b"
)
_CLOCK = re.compile(r"\b(around noon|around midnight|this morning|last night)\b")
# Words right before a name that say whether a person is a man or a woman.
_GENDERED = {
    "mr": "m",
    "sir": "m",
    "lord": "m",
    "spokesman": "m",
    "businessman": "m",
    "chairman": "m",
    "mrs": "f",
    "ms": "f",
    "miss": "f",
    "dame": "f",
    "lady": "f",
    "spokeswoman": "f",
    "businesswoman": "f",
    "chairwoman": "f",
}
_EVENT_PREDS = EVENTS


def extract(
    document: Document,
    knowledge: Knowledge | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Extraction:
    """Read ``document`` and return its sentences and facts with evidence and modality.

    Args:
        document: the article; evidence offsets refer to ``document.text``.
        knowledge: entities from an entity file (may be empty); names the file does not know
            are discovered from the text.
        progress: hears (characters read, characters in all) as a long text is parsed,
            block by block.
    """
    knowledge = knowledge or Knowledge()
    lex = lexicon()
    state = DocState(knowledge, lex, knowledge.index.copy())
    sentences = split_sentences(document.text)
    tagged: list[tuple[Sentence, list[Token], list[Mention]]] = []
    for s in sentences:
        toks = tokenize(clean(s.text), s.start)
        tagged.append((s, toks, tag(toks, knowledge, state.index, lex, state.discovered)))
    # First pass: roles stated with names, so that descriptions can be resolved by role even
    # before the name appears ("Putin's chief of staff ... Anton Vayno, who is chief of staff").
    cues = _role_cues()
    for s, toks, ments in tagged:
        if not any(t.low in cues for t in toks):
            continue  # no role word, title or role verb: nothing for the role patterns
        names = [copy.copy(m) for m in ments if m.kind != "pron"]
        v = _view(s, toks, names, state, document.text)
        for pattern in (*roles.PATTERNS, *roleverbs.PATTERNS):
            pattern(v)
    state.history.clear()
    facts: list[Fact] = []
    for s, toks, ments in tagged:
        v = _view(s, toks, _resolve(s.index, toks, ments, state), state, document.text)
        if any(t.low in cues for t in toks):
            for pattern in (*roles.PATTERNS, *roleverbs.PATTERNS):
                pattern(v)
        roles.role_description(v)
        clauses(v)
        for pattern in (*patterns.PATTERNS, *denials.PATTERNS):
            pattern(v)
        facts.extend(_facts(document, v, s))
        for m in v.mentions:
            possessor = v.low(m.end) == "'s" and m.kind != "desc"
            if (m.kind in ("name", "country") or m.name) and not possessor:
                state.note(s.index, m)
        state.recent_sentences.append((v.lows, v.mentions))
    reading = read(document, sentences, progress)
    merged = _narrowed(
        _merge(
            _mentioned(_vetoed(_dedupe(_renamed(facts, reading)), reading), reading), reading.facts
        ),
        document.text,
    )
    return Extraction(
        document, tuple(sentences), tuple(merged), _entities(merged, state, reading.types)
    )


def _merge(legacy: list[Fact], read_facts: tuple[Fact, ...]) -> list[Fact]:
    """Both readers' facts; where one says a fact did not happen, no one says it did.

    The key is the tuple in its sentence: a negated or attempted reading of it removes a
    positive one, since a wrong positive is the error that costs most.
    """

    def key(f: Fact) -> tuple[object, ...]:
        args = frozenset(f.args) if f.pred in SYMMETRIC else f.args
        return (f.pred, args, f.evidence.sentence)

    denied = {key(f) for f in (*legacy, *read_facts) if not f.modality.positive}
    legacy = _drop_partial_orgs(legacy, read_facts)
    # How a tuple was said is the stance's decision (attribution read from the parse), so
    # where both readers have it the older reader's fact takes the new modality and source,
    # unless that would drop an attribution.
    stance = {
        key(f): (f.modality, f.source)
        for f in read_facts
        if f.modality.positive and f.pred != "role" and key(f) not in denied
    }
    out = [
        f if key(f) not in stance or not f.modality.positive else _restated(f, *stance[key(f)])
        for f in legacy
        if f.modality.positive is False or key(f) not in denied
    ]
    have = {(key(f), f.modality, f.role) for f in out}
    for f in read_facts:
        k = key(f)
        if f.modality.positive and k in denied:
            continue
        if any(h[0] == k for h in have):
            continue  # the older reader already has this tuple here
        have.add((k, f.modality, f.role))
        out.append(f)
    return out


_MANNERS = vocab().cues["manner"]
_MANNER_PHRASES = ("in private", "in secret", "in person", "face to face", "one-on-one")


def _narrowed(facts: list[Fact], text: str) -> list[Fact]:
    """A denied contact keeps its manner as its claim ("never met B privately"): it says
    nothing against a public meeting, and the rules read it so."""
    out = []
    for f in facts:
        if f.modality is Modality.NEGATED and f.pred in ("met", "called") and not f.claim:
            e = f.evidence
            end = text.find(".", e.end)
            window = text[e.start : end if 0 <= end < e.end + 40 else e.end + 40].lower()
            words = re.findall(r"[a-z][a-z-]*", window)
            manner = next((w for w in words if w in _MANNERS), None) or next(
                (p for p in _MANNER_PHRASES if p in window), None
            )
            if manner:
                f = replace(f, claim=manner)
        out.append(f)
    return out


def _restated(f: Fact, modality: Modality, source: str) -> Fact:
    if (f.modality, f.source) == (modality, source):
        return f
    if modality is Modality.ASSERTED:
        # The parse can lose a trailing ", the leaked emails show": an attribution either
        # reader found is kept.
        return f
    if source and f.source.endswith(f" {source}"):
        source = f.source  # the entity file's "The Ledger" for the parse's "Ledger"
    return replace(f, modality=modality, source=source)


@functools.cache
def _role_cues() -> frozenset[str]:
    """Every word that can start or carry a role statement (a cheap pre-check)."""
    lex = lexicon()
    words = {
        w
        for table in (lex.roles, lex.titles)
        for e in table.by_first.values()
        for p, _ in e
        for w in p
    }
    extra = {"founded", "whose", "called", "named", "led", "owned", "controlled", "created"}
    return frozenset(words | set(roleverbs.ROLE_VERBS) | extra)


def _view(s: Sentence, toks: list[Token], ments: list[Mention], state: DocState, text: str) -> View:
    line_start = s.start == 0 or text[s.start - 1] == "\n"
    rest = text[s.end : s.end + 200]
    line_end = (
        s.end >= len(text)
        or rest.split("\n", 1)[0].strip() in ("",)
        or rest.lstrip(" ").startswith(("Credit", "\n"))
    )
    ordered = sorted(ments, key=lambda m: (m.start, -(m.end - m.start)))
    v = View(
        s.index,
        toks,
        [t.low for t in toks],
        ordered,
        state,
        line_start,
        line_end,
    )
    # Descriptions win the start position (a possessor "Putin's aide" is not the object);
    # the innermost mention wins the coverage of each token.
    v.at = {}
    for m in ordered:
        if m.start not in v.at or m.kind == "desc":
            v.at[m.start] = m
    v.cover = {}
    for m in sorted(ordered, key=lambda m: -(m.end - m.start)):
        for k in range(m.start, m.end):
            v.cover[k] = m
    return v


def _resolve(sent: int, toks: list[Token], ments: list[Mention], state: DocState) -> list[Mention]:
    """Resolve pronouns and descriptions of a sentence, in reading order."""
    lex = state.lex
    base = [copy.copy(m) for m in ments]
    descs = find_descriptions(toks, base, lex)
    lows = [t.low for t in toks]
    allm = sorted([*base, *descs], key=lambda m: (m.start, -(m.end - m.start)))
    done: list[Mention] = []
    for m in allm:
        if m.kind == "desc":
            _prepare(sent, m, state)
            nxt = next(
                (
                    x
                    for x in base
                    if x.start in (m.end + 1,) and lows[m.end : m.end + 1] in ([","], ["("])
                ),
                None,
            )
            if (
                m.etype == "person"
                and nxt is not None
                and nxt.name
                and state.etype(nxt.name) == "person"
            ):
                m.name = nxt.name
            elif m.etype == "person" and not m.role_class and not m.org and not m.owner:
                # "the businessman": a plain description is as salient as a pronoun.
                m.name = state.resolve_desc(sent, m, set()) or state.protagonist(sent)
            else:
                m.name = _inner_org(m, base, state) or state.resolve_desc(sent, m, set())
            if m.name:
                words = {w for w in m.words if w.isalpha()}
                state.describe(m.name, words)
        elif m.kind == "country" and m.name is None:
            m.name = state.main_government()
        elif m.kind == "pron":
            exclude: set[str] = set()
            if m.etype == "person_obj":
                subj = next((x for x in done if x.name and state.etype(x.name) == "person"), None)
                if subj:
                    exclude.add(subj.name)  # type: ignore[arg-type]
            local = [x for x in done if x.kind != "country"]
            m.name = state.resolve_pronoun(sent, m, local, exclude)
        elif m.kind == "name" and m.name and state.etype(m.name) in ("person", "org"):
            pre = [lows[k] for k in range(max(0, m.start - 3), m.start)]
            said = _GENDERED.get(pre[-1].rstrip(".")) if pre else None
            if said and state.etype(m.name) == "person":
                state.genders.setdefault(m.name, said)
            if state.etype(m.name) == "org":
                pre += [w for w in lows[m.end : m.end + 2] if toks[m.end].text.islower()]
            state.describe(
                m.name,
                {
                    w
                    for w in pre
                    if w.isalpha()
                    and w.islower()
                    and w not in ("the", "a", "an", "and", "of", "with", "to", "by")
                },
            )
        done.append(m)
    return allm


def _inner_org(d: Mention, base: list[Mention], state: DocState) -> str | None:
    """ "the Blue Harbor syndicate": an organisation description built on an org's name."""
    if d.etype not in ("org", "group"):
        return None
    for x in base:
        if (
            x.kind == "name"
            and x.name
            and d.start <= x.start
            and x.end == d.end - 1
            and state.etype(x.name) == "org"
        ):
            return x.name
    return None


def _open_question(v: View, start: int) -> bool:
    """Whether the clause at ``start`` sits under "whether" or "if" ("unclear whether X met Y")."""
    before = v.lows[max(0, start - 6) : start]
    return "whether" in before or (bool(before) and before[-1] == "if")


def _prepare(sent: int, m: Mention, state: DocState) -> None:
    """Resolve a description's complement and possessor into the organisation it names."""
    t = m.target
    if t is not None and t.name is None and t.kind == "desc":
        _prepare(sent, t, state)
        t.name = state.resolve_desc(sent, t, set())
    if m.etype != "person":
        return
    if t is not None and t.name:
        kind = state.etype(t.name)
        if kind == "person":
            m.owner = m.owner or t.name
        elif m.org is None or t.kind != "country":
            m.org = t.name
    if m.org is None and m.owner:
        m.org = state.office_of(m.owner)


def _facts(document: Document, v: View, s: Sentence) -> list[Fact]:
    out: list[Fact] = []
    when = _time(clean(s.text)) if any(c.pred in _EVENT_PREDS for c in v.cands) else ""
    photo_sentence = False
    question = s.text.rstrip().rstrip("\"'”’)").endswith("?")
    for c in v.cands:
        mod, source = modality(v, c)
        if mod is None:
            continue
        if mod.positive and (question or _open_question(v, c.start)):
            continue  # "Did X meet Y?", "whether X met Y remains unclear": not a statement
        if c.pred in ("met", "called") and mod.positive:
            v.state.last_contacts.append((s.index, (c.a, c.b)))
        if c.pred == "met" and mod.positive:
            v.state.last_met = v.state.last_met or c.a
        if c.pred == "met" and mod.positive and c.pattern.startswith("clause"):
            v.state.last_met = c.a
        if c.pred == "pictured_with" and mod.positive and c.pattern.startswith("clause"):
            # everyone in this sentence's photograph, for "X was also in the photograph"
            seen = list(v.state.last_pictured) if photo_sentence else []
            photo_sentence = True
            v.state.last_pictured = tuple(dict.fromkeys([*seen, c.a, c.b]))
        start = v.toks[c.start].start
        end = v.toks[max(c.start, c.end - 1)].end
        ev = Evidence(document.name, s.index, start, end, c.pattern)
        out.append(
            Fact(
                c.pred,
                (c.a, c.b),
                mod,
                ev,
                source=source,
                count=c.count,
                when=c.when or (_when_after(v, s, c.end, when) if c.pred in _EVENT_PREDS else ""),
                where=c.where or (_place(v, c.end) if c.pred in _EVENT_PREDS else ""),
                claim=c.claim,
                role=c.role,
            )
        )
    return out


_VENUES = frozenset(
    [
        "event",
        "ceremony",
        "function",
        "forum",
        "summit",
        "meeting",
        "dinner",
        "reception",
        "rally",
        "conference",
        "gala",
        "party",
        "fundraiser",
        "hotel",
        "palace",
        "residence",
        "office",
        "headquarters",
        "base",
    ]
)


def _place(v: View, k: int) -> str:
    """Where an event happened: "in Geneva", "at a Kremlin ceremony", within a few words."""
    for j in range(k, min(len(v.toks) - 1, k + 6)):
        low = v.lows[j]
        if low in (".", ";", "but", "while", "who", "which"):
            return ""
        if low not in ("in", "at"):
            continue
        nxt = v.toks[j + 1]
        if nxt.text[:1].isupper() and nxt.text.isalpha() and v.lows[j + 1] not in CALENDAR_WORDS:
            m = v.cover.get(j + 1)
            if m is not None and v.state.etype(m.name or "") == "person":
                return ""
            end = j + 2
            while (
                end < len(v.toks) and v.toks[end].text[:1].isupper() and v.toks[end].text.isalpha()
            ):
                end += 1
            return " ".join(t.text for t in v.toks[j + 1 : end])
        if v.lows[j + 1] in ("a", "an", "the"):
            for e in range(j + 2, min(len(v.toks), j + 6)):
                if v.lows[e] in _VENUES:
                    return " ".join(t.text for t in v.toks[j + 2 : e + 1])
    return ""


def _when_after(v: View, s: Sentence, end: int, when: str) -> str:
    """The time said after a fact's words, else the sentence's: "X, who founded Y in 2009,
    was charged by Z in 2023" dates the charge 2023."""
    if not when or end >= len(v.toks):
        return when
    after = _time(clean(s.text)[v.toks[max(0, end - 1)].start - s.start :])
    return after or when


def _time(text: str) -> str:
    m = _YEAR_RANGE.search(text)
    if m:
        return f"{m.group(1)}..{m.group(2)}"
    m = _DAY.search(text) or _YEAR.search(text) or _CLOCK.search(text)
    return m.group(1) if m else ""


def _dedupe(facts: list[Fact]) -> list[Fact]:
    seen: set[tuple[object, ...]] = set()
    out = []
    for f in facts:
        key = (f.pred, f.args, f.modality, f.evidence.sentence, f.role)
        if key in seen:
            continue
        seen.add(key)
        out.append(f)
    return out


def _vetoed(facts: list[Fact], reading: Reading) -> list[Fact]:
    """Drop a positive fact the spaCy reader read in the same sentence and found to be none
    (a planned meeting, a claim called false, a name beside a denial that it is not about),
    and a role given to someone the sentence does not name when the reader gave that
    organisation's role there to someone it does ("Mary Carver, the chief executive of ...")."""
    named = {(m.sentence, m.name) for m in reading.names}
    role_orgs = {(f.evidence.sentence, f.args[1]) for f in reading.facts if f.pred == "role"}

    def vetoed(f: Fact) -> bool:
        s = f.evidence.sentence
        keys = [(f.pred, f.args, s), (f.pred, (f.args[0], "*"), s)]
        if f.pred in SYMMETRIC:
            keys.append((f.pred, (f.args[1], f.args[0]), s))
        if f.pred == "role" and (s, f.args[1]) in role_orgs and (s, f.args[0]) not in named:
            return True
        return f.modality.positive and any(k in reading.vetoes for k in keys)

    return [f for f in facts if not vetoed(f)]


def _renamed(facts: list[Fact], reading: Reading) -> list[Fact]:
    """A name the older reader took with its title ("Labour MP Tom Rusk") is the name the
    spaCy reader found inside it, in the same sentence; a party as written ("Lib Dem") is the
    party's name, a seat of government its government's, a post the reader resolved
    ("attorney general") the person's."""
    by_sentence: dict[int, set[str]] = {}
    parties: dict[tuple[int, str], str] = {}
    # "Downing Street" denying is the government; as an employer ("Kremlin spokesman") the
    # seat keeps its name.
    seats: dict[tuple[int, str], str] = {}
    for m in reading.names:
        if m.kind == "person" and " " in m.name:
            by_sentence.setdefault(m.sentence, set()).add(m.name)
        if m.kind == "party" or (m.kind == "person" and m.text.islower()):
            # a party as written, or a description the reader resolved ("the home secretary")
            parties[(m.sentence, m.text.lower())] = m.name
        elif m.kind == "gov":
            seats[(m.sentence, m.text.lower())] = m.name

    # Organisations the older reader cut short ("Independence Party" of "UK Independence
    # Party"): the one longer name of the document that ends with it.
    orgs = {m.name for m in reading.names if m.kind in ("org", "party")}

    def fix(name: str, sentence: int, pred: str) -> str:
        party = parties.get((sentence, name.lower()))
        if party:
            return party
        seat = seats.get((sentence, name.lower()))
        if seat and pred != "role":
            return seat
        inside = [n for n in by_sentence.get(sentence, ()) if name.endswith(f" {n}")]
        if inside:
            return max(inside, key=len)
        longer = [o for o in orgs if o.endswith(f" {name}")]
        return longer[0] if len(longer) == 1 and name not in orgs else name

    out = []
    for f in facts:
        k = f.evidence.sentence
        args = (fix(f.args[0], k, f.pred), fix(f.args[1], k, f.pred))
        out.append(f if args == f.args else replace(f, args=args))
    return out


def _mentioned(legacy: list[Fact], reading: Reading) -> list[Fact]:
    """The older reader's pronoun or description that went to the wrong person: within
    the fact's words the spaCy reader resolved a pronoun, or (for a role read from a
    description) found a name, to someone else, and the sentence never names the older
    reader's person."""
    here: dict[int, set[str]] = {}
    for m in reading.names:
        here.setdefault(m.sentence, set()).add(m.name)
    known = {m.name for m in reading.names if m.kind == "person"}

    def wrong(f: Fact) -> bool:
        e = f.evidence
        if not any(a in known and a not in here.get(e.sentence, set()) for a in f.args):
            return False
        # A description's role goes to whoever the sentence names ("the envoy, X");
        # a pronoun to the person the reader resolved it to.
        described = f.pred == "role" and e.pattern == "role_description"
        in_sentence = [m for m in reading.names if m.sentence == e.sentence and m.kind == "person"]

        # Only a pronoun the reader resolved inside the sentence ("A said that he …") is
        # trusted over the older reader's resolution.
        def named_before(m: Named) -> bool:
            return any(
                n.name == m.name and n.start < m.start and n.text.lower() not in _PRONOUNS
                for n in in_sentence
            )

        others = {
            m.name
            for m in in_sentence
            if described
            or (e.start <= m.start < e.end and m.text.lower() in _PRONOUNS and named_before(m))
        }
        return bool(others - set(f.args))

    return [f for f in legacy if not wrong(f)]


_PRONOUNS = frozenset({"he", "him", "his", "she", "her", "hers"})


def _drop_partial_orgs(legacy: list[Fact], read_facts: tuple[Fact, ...]) -> list[Fact]:
    """A role whose organisation is part of a longer name read for the same person in the same
    sentence ("Independence Party" in "UK Independence Party") is the shorter reading's error."""
    longer = {(f.args[0], f.evidence.sentence): f.args[1] for f in read_facts if f.pred == "role"}

    def partial(f: Fact) -> bool:
        other = longer.get((f.args[0], f.evidence.sentence), "")
        if f.pred != "role" or not other or f.args[1] == other:
            return False
        # "South Africa Finance Minister X": the older reader's "South African finance
        # ministry" is the same post the reader gave to the country's government
        country = other.removesuffix(" government")
        return f" {f.args[1]}" in f" {other}" or (
            country != other and f.args[1].startswith(country + " ")
        )

    return [f for f in legacy if not partial(f)]


def _entities(
    facts: list[Fact], state: DocState, types: dict[str, EntityType]
) -> tuple[Entity, ...]:
    names = sorted({a for f in facts for a in f.args})
    out = []
    for n in names:
        known = state.knowledge.entities.get(n)
        if known is not None:
            out.append(known)
        else:
            kind = types.get(n) or EntityType(state.etype(n))
            out.append(Entity(n, kind, (), (), known=False))
    return tuple(out)
