"""Merging the two readers' facts: the spaCy reader's vetoes, names and modality win.

The older Lark and pattern reader still runs beside the spaCy reader.  Its facts are renamed
to the reader's names, dropped where the reader read the same tuple and found no fact, where
its pronoun or description went to someone the sentence does not name, or where a longer
reading of the same role exists; where both readers have a tuple, the stance's modality and
source are kept.  A negated or attempted reading beats a positive one.
"""

from __future__ import annotations

import re
from dataclasses import replace

from deniable.facts.model import SYMMETRIC, Fact, Modality
from deniable.grammar.lexicon import lexicon
from deniable.grammar.reader import Named, Reading
from deniable.grammar.renames import renamed
from deniable.grammar.vocab import vocab


def merge(legacy: list[Fact], reading: Reading, text: str) -> list[Fact]:
    """Both readers' facts for one document whose text is ``text``."""
    older = _mentioned(_vetoed(_dedupe(renamed(legacy, reading, text)), reading), reading)
    older = _unresolved(older, reading)
    older = _other_subject(older, reading, text)
    older = _denied_elsewhere(older, reading)
    older = _namesakes(older, reading, text)
    older = _no_places(older, reading)
    older = _unread_names(older, reading, text)
    older = _inside_a_body(older, reading)
    return _own_side(_narrowed(_merge(older, reading.facts), text))


def _own_side(facts: list[Fact]) -> list[Fact]:
    """A denial's subject that is the denier's own side (a body the article gives them a
    post in, or the government whose seat that is) gives way to the other subjects of the
    same denial: "X rejected the idea that the Tories and the BNP appeal to the same
    voters" is about the BNP when X leads the Tories."""
    own: dict[str, set[str]] = {}
    for f in facts:
        if f.pred == "role" and f.modality.positive:
            body = f.args[1]
            own.setdefault(f.args[0], set()).update({body, _METONYMS.get(body.lower(), body)})
    if not own:
        return facts
    subjects: dict[tuple[str, int], set[str]] = {}
    for f in facts:
        if f.pred == "denies":
            subjects.setdefault((f.args[0], f.evidence.sentence), set()).add(f.args[1])

    def beside_others(f: Fact) -> bool:
        mine = own.get(f.args[0], set())
        others = subjects[(f.args[0], f.evidence.sentence)] - mine
        return f.args[1] in mine and bool(others)

    return [f for f in facts if not (f.pred == "denies" and beside_others(f))]


def _merge(legacy: list[Fact], read_facts: tuple[Fact, ...]) -> list[Fact]:
    """Both readers' facts; where one says a fact did not happen, no one says it did.

    The key is the tuple in its sentence: a negated or attempted reading of it removes a
    positive one, since a wrong positive is the error that costs most.
    """

    def key(f: Fact) -> tuple[object, ...]:
        args = frozenset(f.args) if f.pred in SYMMETRIC else f.args
        return (f.pred, args, f.evidence.sentence)

    # The older reader's negation counts unless the spaCy reader read the same tuple there
    # as positive: its stance knows what a "not" governs ("did not mention the meeting").
    read = {key(f) for f in read_facts if f.modality.positive}
    denied = {key(f) for f in read_facts if not f.modality.positive} | {
        key(f) for f in legacy if not f.modality.positive and key(f) not in read
    }
    legacy = _drop_other_authorities(_drop_partial_orgs(legacy, read_facts), read_facts)
    read_facts = _shorter_orgs(read_facts, legacy)
    # How a tuple was said is the stance's decision (attribution read from the parse), so
    # where both readers have it the older reader's fact takes the new modality and source,
    # unless that would drop an attribution.
    stance = {
        key(f): (f.modality, f.source)
        for f in read_facts
        if f.modality.positive and f.pred != "role" and key(f) not in denied
    }
    # A post in a title or an apposition ("said Kremlin aide X") is the article's own word
    # whatever clause it stands in: where the reader read it so, the older reader's
    # attribution of the clause does not hold for it.
    titled = {key(f) for f in read_facts if f.pred == "role" and f.modality is Modality.ASSERTED}
    out = [
        (
            replace(f, modality=Modality.ASSERTED, source="")
            if f.pred == "role" and f.evidence.pattern in _TITLE_PATTERNS and key(f) in titled
            else f
        )
        if key(f) not in stance or not f.modality.positive
        else _restated(f, *stance[key(f)])
        for f in legacy
        if (key(f) in denied if f.modality.positive is False else key(f) not in denied)
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


_TITLE_PATTERNS = frozenset({"role_title", "role_apposition"})
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
            # (from a little before the evidence: "no 'second meeting' between A and B")
            start = max(e.start - 16, text.rfind(".", 0, e.start) + 1, 0)
            window = text[start : end if 0 <= end < e.end + 40 else e.end + 40].lower()
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
        # an attempt or a denial is a claim too: a meeting the reader found only planned was
        # not tried, and "has not denied meeting B" says it neither happened nor did not
        return any(k in reading.vetoes for k in keys)

    return [f for f in facts if not vetoed(f)]


_VOCAB = vocab()
_METONYMS = _VOCAB.metonyms


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
        absent = [a for a in f.args if a in known and a not in here.get(e.sentence, set())]
        if not absent:
            return False
        # ("King Salman" read by the older reader as "Mohammed bin Salman", his son)
        absent_words = {w for a in absent for w in a.split()}
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
            if (described and m.text.lower() not in _PRONOUNS)  # ("… speak to him": not it)
            or (e.start <= m.start < e.end and m.text.lower() in _PRONOUNS and named_before(m))
            or (e.start <= m.start < e.end and _description(m))
            or (e.start <= m.start < e.end and bool(set(m.text.split()) & absent_words))
        }
        return bool(others - set(f.args))

    return [f for f in legacy if not wrong(f)]


_PRONOUNS = frozenset({"he", "him", "his", "she", "her", "hers"})


def _description(m: Named) -> bool:
    """A mention by a description ("the foreign secretary"), which the reader resolved by
    the posts the article gives: neither a pronoun nor a part of the name."""
    words = set(m.text.lower().split())
    return bool(words & _POST_WORDS) and not words & set(m.name.lower().split())


_POST_WORDS = vocab().post_vocabulary


def _other_subject(legacy: list[Fact], reading: Reading, text: str) -> list[Fact]:
    """The older reader's meeting or call of B with A, held or not, where the spaCy reader
    read that sentence's meeting or call of B with someone else and none with A: the older
    reader took a name beside the clause ("C, who faces a case involving A, met B"; "C
    denied a meeting between A and B") for its subject."""
    read: dict[tuple[str, int], set[frozenset[str]]] = {}
    for f in reading.facts:
        if f.pred in ("met", "called"):
            read.setdefault((f.pred, f.evidence.sentence), set()).add(frozenset(f.args))

    named = {(m.sentence, m.name) for m in reading.names}
    words = {w for m in reading.names for w in m.name.split()}

    def seen(k: int, name: str) -> bool:
        # a name the reader saw there, or words of the text it saw in no name ("Scottish
        # First" of "Scottish First Minister X"): either way not whom the reader read the
        # event with (a name from the entity file is not written so, and stays)
        return (k, name) in named or (name in text and not set(name.split()) & words)

    def other(f: Fact) -> bool:
        k = f.evidence.sentence
        pairs = read.get((f.pred, k))
        if not pairs or frozenset(f.args) in pairs:
            return False
        a, b = f.args
        with_a = any(a in p for p in pairs)
        with_b = any(b in p for p in pairs)
        # one side read with someone else, the other a name the reader saw there
        return (with_a and not with_b and seen(k, b)) or (with_b and not with_a and seen(k, a))

    return [f for f in legacy if not other(f)]


def _unread_names(legacy: list[Fact], reading: Reading, text: str) -> list[Fact]:
    """The older reader's role for a capitalised run, written so in ``text``, that the
    spaCy reader found no name in ("Former Ambassador Denies Discussing Sanctions" of a
    headline): words of a title-case line, not a person.  (A name from the entity file is
    its own evidence.)  And its fact about a post the reader found no name for."""
    words = {w for m in reading.names for w in m.name.split()}

    def unread(name: str) -> bool:
        parts = name.split()
        return all(p[:1].isupper() for p in parts) and not set(parts) & words and name in text

    names = {m.name for m in reading.names}

    def post(name: str) -> bool:
        # "Nancy Pelosi, the House Speaker, met B": a post, which is no one's name
        parts = name.split()
        return (
            name not in names
            and parts[-1].lower() in _POST_WORDS
            and all(p[:1].isupper() for p in parts)
        )

    def captioned(f: Fact) -> bool:
        # "X Denies Having Sex with Y" of a title-case headline is no caption of a photograph:
        # its words are no names the reader found
        return f.evidence.pattern == "caption_with" and not set(f.args) <= names

    return [
        f
        for f in legacy
        if not (f.pred == "role" and unread(f.args[0]))
        and not any(post(a) for a in f.args)
        and not captioned(f)
    ]


def _inside_a_body(legacy: list[Fact], reading: Reading) -> list[Fact]:
    """The older reader's fact about a name that, in that sentence, the spaCy reader read
    only as part of a body's name ("the Ann Lee Foundation's director"): no one of that
    name is there."""
    named = {(m.sentence, m.name) for m in reading.names}
    bodies: dict[int, list[str]] = {}
    for m in reading.names:
        if m.kind in ("org", "gov", "party", "place"):
            bodies.setdefault(m.sentence, []).append(m.name)

    def inside(k: int, name: str) -> bool:
        if (k, name) in named:
            return False
        word = re.compile(rf"(?<!\w){re.escape(name)}(?!\w)")
        return any(b != name and word.search(b) for b in bodies.get(k, ()))

    return [f for f in legacy if not any(inside(f.evidence.sentence, a) for a in f.args)]


def _no_places(legacy: list[Fact], reading: Reading) -> list[Fact]:
    """The older reader's meeting, call, picture or denial by a name the spaCy reader read
    as a place in that sentence ("businessmen from South Florida met B"): a place does
    none of these."""
    places = {(m.sentence, m.name) for m in reading.names if m.kind == "place"}
    return [
        f
        for f in legacy
        if f.pred == "visited" or not any((f.evidence.sentence, a) in places for a in f.args)
    ]


def _namesakes(legacy: list[Fact], reading: Reading, text: str) -> list[Fact]:
    """The older reader's fact naming A Ross, who the article names elsewhere, in a sentence
    where the spaCy reader found only another Ross (B Ross): the older reader took the
    surname for the wrong person."""
    here: dict[int, set[str]] = {}
    for m in reading.names:
        if m.kind == "person":
            here.setdefault(m.sentence, set()).add(m.name)

    def namesake(f: Fact) -> bool:
        names = here.get(f.evidence.sentence, set())
        for a in f.args:
            if a in names or " " not in a or a not in text:
                continue  # (a spelling from the entity file is no other person)
            surname = a.split()[-1]
            if any(
                n.split()[-1] == surname
                and " " in n
                and not n.endswith(f" {a}")
                and not a.endswith(f" {n}")
                for n in names
            ):
                return True
        return False

    return [f for f in legacy if not namesake(f)]


def _denied_elsewhere(legacy: list[Fact], reading: Reading) -> list[Fact]:
    """The older reader's denial by A of a claim about someone the sentence never names,
    where the spaCy reader read A's denial of a claim about someone it does name: the older
    reader carried "the reports" back to an earlier sentence's subject, the reader read what
    the claim says."""
    deniers = {(f.evidence.sentence, f.args[0]) for f in reading.facts if f.pred == "denies"}
    named = {(m.sentence, m.name) for m in reading.names}

    def elsewhere(f: Fact) -> bool:
        k = f.evidence.sentence
        return f.pred == "denies" and (k, f.args[0]) in deniers and (k, f.args[1]) not in named

    return [f for f in legacy if not elsewhere(f)]


def _unresolved(legacy: list[Fact], reading: Reading) -> list[Fact]:
    """The older reader's positive fact whose words hold a "he" the spaCy reader could tie to
    no one ("A forced B out after learning that he had met C"), with a person from outside
    those words: the older reader guessed who "he" was, and a guess is no fact."""
    if not reading.unresolved:
        return legacy
    people = {m.name for m in reading.names if m.kind == "person"}

    def guessed(f: Fact) -> bool:
        e = f.evidence
        if not f.modality.positive or not any(e.start <= p < e.end for p in reading.unresolved):
            return False
        inside = {m.name for m in reading.names if e.start <= m.start < e.end}
        return any(a in people and a not in inside for a in f.args)

    return [f for f in legacy if not guessed(f)]


_LEADERS = vocab().leaders
_SEAT_NAMES = frozenset(lexicon().seat_names.values())


def _drop_partial_orgs(legacy: list[Fact], read_facts: tuple[Fact, ...]) -> list[Fact]:
    """A role whose organisation is part of a longer name read for the same person in the same
    sentence ("Independence Party" in "UK Independence Party") is the shorter reading's error."""
    longer = {(f.args[0], f.evidence.sentence): f.args[1] for f in read_facts if f.pred == "role"}

    posts = vocab().posts

    def partial(f: Fact) -> bool:
        other = longer.get((f.args[0], f.evidence.sentence), "")
        if f.pred != "role" or not other or f.args[1] == other:
            return False
        if f.role and f"{f.args[1].split()[-1]} {f.role}".lower() in posts:
            return True  # "House Minority" + "leader": the name took the post's first word
        if _LEADERS.get(f.args[1].lower().replace(".", "")) and other in _SEAT_NAMES:
            return True  # "X's spokesman Y": the seat X leads, which the reader named
        # "South Africa Finance Minister X": the older reader's "South African finance
        # ministry" is the same post the reader gave to the country's government
        country = other.removesuffix(" government")
        return f" {f.args[1]}" in f" {other}" or (
            country != other and f.args[1].startswith(country + " ")
        )

    govs: dict[tuple[str, int], set[str]] = {}
    for f in read_facts:
        if f.pred == "role" and f.args[1].endswith(" government"):
            govs.setdefault((f.args[0], f.evidence.sentence), set()).add(f.args[1])

    def other_country(f: Fact) -> bool:
        # "A's Foreign Minister X and B's Foreign Minister Y": one person serves one country
        read = govs.get((f.args[0], f.evidence.sentence), set())
        if f.pred != "role" or not read:
            return False
        gov = _VOCAB.government(f.args[1].split()[0])  # "Palestinian foreign ministry"
        return gov is not None and gov not in read

    return [f for f in legacy if not partial(f) and not other_country(f)]


def _shorter_orgs(read_facts: tuple[Fact, ...], legacy: list[Fact]) -> tuple[Fact, ...]:
    """A role the reader gave to the tail of the organisation the older reader named for the
    same person in the same sentence ("Foreign Ministry" of a country's foreign ministry) is
    the same post, named less fully."""
    longer: dict[tuple[str, int], set[str]] = {}
    for f in legacy:
        if f.pred == "role" and f.modality.positive:
            longer.setdefault((f.args[0], f.evidence.sentence), set()).add(f.args[1])

    def shorter(f: Fact) -> bool:
        orgs = longer.get((f.args[0], f.evidence.sentence), set())
        return f.pred == "role" and any(
            o != f.args[1] and o.endswith(" " + f.args[1]) for o in orgs
        )

    return tuple(f for f in read_facts if not shorter(f))


def _drop_other_authorities(legacy: list[Fact], read_facts: tuple[Fact, ...]) -> list[Fact]:
    """A charge the reader read for the same person in the same sentence is the one charge:
    the older reader's other authority for it ("British government" for "British
    prosecutors") is its own renaming, not a second indictment."""
    read = {
        (f.args[0], f.evidence.sentence): f.args[1] for f in read_facts if f.pred == "indicted_by"
    }

    def other(f: Fact) -> bool:
        who = read.get((f.args[0], f.evidence.sentence))
        return f.pred == "indicted_by" and who is not None and who != f.args[1]

    return [f for f in legacy if not other(f)]


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
