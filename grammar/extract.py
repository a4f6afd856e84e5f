"""Article to facts: sentences, mentions, coreference, roles, clauses, patterns and modality."""

from __future__ import annotations

import copy
import functools
import re
from collections.abc import Callable

from deniable.facts.model import (
    EVENTS,
    Document,
    Entity,
    EntityType,
    Evidence,
    Extraction,
    Fact,
    Sentence,
)
from deniable.facts.predicates import default_type
from deniable.grammar import denials, patterns, roles, roleverbs
from deniable.grammar.coref import DocState, find_descriptions
from deniable.grammar.entities import Knowledge
from deniable.grammar.lexicon import lexicon
from deniable.grammar.mentions import Mention, tag
from deniable.grammar.merge import merge
from deniable.grammar.modality import modality
from deniable.grammar.namewords import CALENDAR_WORDS
from deniable.grammar.principals import spoken_for
from deniable.grammar.reader import read
from deniable.grammar.tokens import Token, clean, split_sentences, tokenize
from deniable.grammar.transform import clauses
from deniable.grammar.view import View

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
    merged = spoken_for(merge(facts, reading, document.text))
    return Extraction(
        document, tuple(sentences), tuple(merged), _entities(merged, state, reading.types)
    )


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


def _entities(
    facts: list[Fact], state: DocState, types: dict[str, EntityType]
) -> tuple[Entity, ...]:
    names = sorted({a for f in facts for a in f.args})
    # (a name neither reader typed: the first type its argument admits)
    admitted = {a: default_type(f.pred, k) for f in facts for k, a in enumerate(f.args)}
    out = []
    for n in names:
        known = state.knowledge.entities.get(n)
        if known is not None:
            out.append(known)
        else:
            found = state.etype(n)  # ("person" also when the older reader knows nothing)
            if n not in state.discovered and found == "person":
                found = admitted[n]
            kind = types.get(n) or EntityType(found)
            out.append(Entity(n, kind, (), (), known=False))
    return tuple(out)
