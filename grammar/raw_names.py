"""Where names stand: the runs of tokens one document names someone or something with.

spaCy's entities are the start; to them this module adds the names a statistical tagger misses
or runs together (names after an honorific, a known first name and a surname, capitalised words
it left unnamed, acronyms, two people's names joined by "and").  Each run is a
:class:`RawName` with a first guess at its kind; :mod:`~deniable.grammar.names` decides the
canonical names.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from deniable.grammar.company_words import (
    acronym,
    boss_of,
    founded_word,
    officers_company,
    owns_officer,
    traded_word,
)
from deniable.grammar.kinds import FIRM_WORDS, leader_surnames
from deniable.grammar.lexicon import lexicon
from deniable.grammar.name_runs import (
    RawName,
    given_name,
    honorific_name,
    name_end,
    name_word,
    nicknamed,
    two_names,
)
from deniable.grammar.namewords import CALENDAR_WORDS, DROPPED_HONORIFICS, KEPT_HONORIFICS
from deniable.grammar.nlp import doc_tokens
from deniable.grammar.tagged_names import LABELS, NOT_NAMES, entity_name, joined_entities
from deniable.grammar.vocab import Vocab, vocab
from deniable.grammar.word_kinds import country_words, title_word

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

_ORG_WORDS = vocab().cues["org_words"]
_GENERIC_ORGS = vocab().cues["generic_orgs"]
_PLACE_WORDS = vocab().cues["place_words"]
_PARTICLES = vocab().cues["name_particles"]
_WEEKDAYS = frozenset(
    ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
)
_SUFFIXES = vocab().cues["suffixes"]


_PORTFOLIOS = vocab().cues["portfolios"]


def raw_mentions(doc: Doc, v: Vocab) -> list[RawName]:
    """Named entities, honorific names and vocabulary names, one per token run."""
    taken: set[int] = set()
    out: list[RawName] = []
    tokens = doc_tokens(doc)  # (made once: every pass over ``doc`` would build them anew)

    def add(r: RawName | None) -> None:
        if r is None or not r.text.strip() or any(i in taken for i in range(r.start, r.end)):
            return
        taken.update(range(r.start, r.end))
        out.append(r)

    # "the Manhattan District Attorney's Office": a post's office is a body, which the tagger
    # often leaves unnamed (before the country its name may hold: "United States Attorney's")
    for t in tokens:
        add(_post_office(doc, t, v))
    # Several-word vocabulary names first ("Liberal Democrat" is not the US party), then
    # names after an honorific: the tagger often misses "Lord Falconer" entirely.
    for t in tokens:
        add(_vocab_mention(doc, t, v, min_words=2))
    for t in tokens:
        low = t.lower_
        if (low in DROPPED_HONORIFICS or low in KEPT_HONORIFICS) and t.text[:1].isupper():
            add(honorific_name(doc, t))
    # A known first name and a capitalised word are a person whatever the tagger says.
    first_names = lexicon().first_names
    for t in tokens:
        add(nicknamed(doc, t, first_names))
    for t in tokens:
        if not (t.lower_ in first_names and t.text[:1].isupper() and t.i + 1 < len(doc)):
            continue
        if t.i >= 2 and tokens[t.i - 1].text in _PARTICLES and name_word(tokens[t.i - 2]):
            continue  # "Tamim bin Hamad Al Thani": a father's name inside the name
        if t.ent_iob_ == "I" and t.ent_type_ == "PERSON" and given_name(tokens[t.i - 1], v):
            continue  # "Karine Jean-Pierre": the tagger's name begins at an unknown first name
        end = two_names(doc, t.i, name_end(doc, t.i + 1, most=3), first_names)
        if end > t.i + 1:
            add(RawName(t.i, end, doc[t.i : end].text, "person", first_names[t.lower_]))
    for ent in joined_entities(doc, v):
        kind = LABELS.get(ent.label_)
        if kind is not None:
            r = entity_name(ent, kind, v)
            parts = _title_inside(doc, r, v) if r is not None else None
            if parts is not None:
                add(parts[0])
                add(parts[1])
                continue
            add(r)
            if r is not None and r not in out:
                add(_before_a_person(doc, r, taken, v))
    for t in tokens:
        if t.i not in taken:
            add(_vocab_mention(doc, t, v, min_words=1))
    # Two or three capitalised proper nouns the tagger left unnamed ("Ivy Lamb") are a name:
    # an organisation if the last word says so, a person otherwise.
    for t in tokens:
        if t.i in taken or not name_word(t):
            continue
        if t.i > 0 and name_word(tokens[t.i - 1]) and t.i - 1 not in taken:
            continue  # (inside a run begun before; "Irish Taoiseach X" begins after a name)
        end = name_end(doc, t.i, most=4)
        start = t.i
        # "Labour Tom Rusk", "Mayor Ann Cole": a party, a nationality or a title before the
        # name is not part of it
        while start < end and (
            doc[start].lower_ in v.parties
            or doc[start].lower_ in v.adjectives
            or lexicon().titles.match([doc[start].lower_], 0) is not None
            or doc[start].lower_ in v.post_vocabulary  # "Director of Football Ann Lee"
        ):
            start += 1
        words = [w.lower_ for w in doc[start:end]]
        body = bool(words) and words[-1] in _ORG_WORDS
        # ("the Malawi Anti-Corruption Bureau": a body's name may hold its country and a
        # hyphenated word)
        size = sum(w != "-" for w in words)
        if not 2 <= size <= (4 if body else 3) or any(i in taken for i in range(start, end)):
            continue
        if any(w.ent_type_ in NOT_NAMES for w in doc[start:end]):
            continue  # "World War II", "Human Rights Act": the tagger knows what it is
        if any(
            w in v.post_vocabulary or (w in v.governments and not body) or w in CALENDAR_WORDS
            for w in words
        ):
            continue
        kind = "org" if body else "person"
        add(RawName(start, end, doc[start:end].text, kind))
    # An acronym the tagger left unnamed ("the boss of PTKL") is an organisation.
    for t in tokens:
        if t.i not in taken and acronym(t, v):
            add(RawName(t.i, t.i + 1, t.text, "org"))
    # So is a capitalised word the tagger missed whose shares trade ("X shares fell",
    # "shares in X"): only a company has shares.
    firms: set[str] = set()
    for t in tokens:
        if t.i not in taken and (
            traded_word(doc, t, v)
            or officers_company(doc, t, v)
            or boss_of(doc, t, v)
            or owns_officer(doc, t, v)
            or founded_word(t, v)
        ):
            town = next((r for r in out if r.end == t.i and r.kind == "place"), None)
            if (
                town is not None
                and tokens[t.i - 1].dep_ == "compound"
                and tokens[t.i - 1].head == t
            ):
                # "Dubai Airports chief executive X": the town is part of the company's name
                out.remove(town)
                out.append(RawName(town.start, t.i + 1, doc[town.start : t.i + 1].text, "org"))
                taken.add(t.i)
                continue
            add(RawName(t.i, t.i + 1, t.text, "org"))
            firms.add(t.text)
    # So is a name the tagger missed after a noun saying what kind of firm it is
    # ("the internet group Arvato", "the carmaker Velta").
    for t in tokens:
        kind_word = tokens[t.i - 1] if t.i > 0 else None
        if (
            t.i not in taken
            and kind_word is not None
            and kind_word.lower_ in _BODY_KINDS
            # ("the head of space corporation X": the parser may hang X beside the kind)
            and (kind_word.head.i == t.i or t.head.i == kind_word.i or t.dep_ == "appos")
            and (name_word(t) or (t.pos_ == "NOUN" and t.text[:1].isupper() and t.is_alpha))
            and not t.is_sent_start
        ):
            end = max(name_end(doc, t.i, most=3), t.i + 1)
            if not any(i in taken for i in range(t.i, end)):
                add(RawName(t.i, end, doc[t.i : end].text, "org"))
    # A surname the tagger missed once is still the person it names elsewhere in full.
    surnames = {
        r.text.split()[-1]
        for r in out
        if r.kind == "person" and " " in r.text and r.text.split()[-1].lower() not in _ORG_WORDS
    }
    for t in tokens:
        # (a headline's "Hartley: …" is often tagged a common noun)
        if t.i in taken or t.text not in surnames:
            continue
        # ("May said …" after "Theresa May": the tagger's modal verb, which it also calls a
        # person)
        if t.pos_ in ("PROPN", "NOUN") or (t.pos_ in ("AUX", "VERB") and t.ent_type_ == "PERSON"):
            add(RawName(t.i, t.i + 1, t.text, "person"))
    # So is a one-word company's name found once ("Corvane shares fell"), where the tagger
    # took it for a common noun elsewhere ("Corvane hired X")
    for t in tokens:
        if (
            t.i not in taken
            and t.text in firms
            and t.text.istitle()
            and t.pos_ in ("PROPN", "NOUN")
        ):
            add(RawName(t.i, t.i + 1, t.text, "org"))
    # So is a first name of one person named in full, where the article's people share a
    # surname ("Mukesh is chairman and Anil his deputy" of the Ambani brothers).
    firsts = Counter(
        r.text.split()[0] for r in out if r.kind == "person" and len(r.text.split()) == 2
    )
    shared = len(surnames) < len({r.text for r in out if r.kind == "person" and " " in r.text})
    for t in tokens:
        if (
            shared
            and t.i not in taken
            and t.pos_ == "PROPN"
            and firsts.get(t.text) == 1
            and t.text not in surnames
            and not t.is_sent_start
        ):
            add(RawName(t.i, t.i + 1, t.text, "person"))
    # A leader's surname the tagger left unnamed ("Erdogan denies links to …" in a headline).
    leaders = leader_surnames()
    for t in tokens:
        if (
            t.i not in taken
            and t.pos_ in ("PROPN", "NOUN")
            and t.text[:1].isupper()
            and t.is_alpha
            and t.lower_ in leaders
        ):
            add(RawName(t.i, t.i + 1, t.text, "person"))
    out = _towns_in_names(doc, out, v)
    # "The Company also announced": a press release capitalises the word for its company
    return [r for r in out if not (r.kind == "org" and r.text.lower() in _GENERIC_ORGS)]


def _title_inside(doc: Doc, r: RawName, v: Vocab) -> tuple[RawName, RawName] | None:
    """ "Revolutionary Guards General Soleimani": a body, a title and a name the tagger ran
    into one organisation; the body and the person."""
    if r.kind != "org" or r.end - r.start < 3:
        return None
    for j in range(r.start + 1, r.end - 1):
        if lexicon().titles.match([doc[j].lower_], 0) is None or not doc[j].text[:1].isupper():
            continue
        if doc[r.end - 1].lower_ in _ORG_WORDS:
            return None  # "Senate Foreign Relations Committee" is one body
        if all(name_word(doc[k]) for k in range(j + 1, r.end)) and r.end - j - 1 <= 3:
            body = RawName(r.start, j, doc[r.start : j].text, "org")
            person = RawName(j + 1, r.end, doc[j + 1 : r.end].text, "person")
            return body, person
    return None


def _before_a_person(doc: Doc, r: RawName, taken: set[int], v: Vocab) -> RawName | None:
    """ "directors of Petrobras Paulo Costa": the tagger ran a body's name into a person's
    found already; the words before the person are the body."""
    cut = next((k for k in range(r.start, r.end) if k in taken), None)
    if cut is None or cut == r.start or any(k not in taken for k in range(cut, r.end)):
        return None
    words = doc[r.start : cut]
    if not all(w.pos_ == "PROPN" and w.text[:1].isupper() for w in words):
        return None
    text = words.text
    low = text.lower()
    if (
        low in v.governments
        or low in v.parties
        or low in v.adjectives
        or any(w.lower_ in v.post_vocabulary or title_word(w.lower_, v) for w in words)
    ):
        return None  # ("Senator Paulo Costa": a title, which the names stage reads)
    return RawName(r.start, cut, text, "org")


def _post_office(doc: Doc, t: Token, v: Vocab) -> RawName | None:
    """ "the U.S. Attorney's Office" at its word "Office": the post's capitalised words, the
    possessive and "Office" (with "for the Southern District of New York" after it)."""
    k = t.i
    if t.lower_ != "office" or k < 2 or doc[k - 1].lower_ not in ("'s", "’s"):
        return None
    post = doc[k - 2]
    if not post.text[:1].isupper() or post.lower_ not in v.post_vocabulary:
        return None
    if t.text != "Office" and post.lower_ not in ("attorney", "prosecutor", "general"):
        return None  # ("the President's office" is his staff; a prosecutor's is a body)
    start = k - 2
    while (
        start > post.sent.start
        and doc[start - 1].text[:1].isupper()
        and not (doc[start - 1].is_sent_start and doc[start - 1].lower_ in ("the", "a"))
    ):
        start -= 1
    end = k + 1
    if end + 1 < len(doc) and doc[end].lower_ in ("for", "of") and doc[end + 1].lower_ == "the":
        tail = name_end(doc, end + 2, most=6)
        while tail < len(doc) - 1 and doc[tail].lower_ == "of" and doc[tail + 1].text[:1].isupper():
            tail = name_end(doc, tail + 1, most=3)
        if tail > end + 2:
            end = tail
    return RawName(start, end, doc[start:end].text, "org")


def _towns_in_names(doc: Doc, out: list[RawName], v: Vocab) -> list[RawName]:
    """ "Mayor Chokwe Antar Lumumba": a first name the tagger took for a town it knows and
    this vocabulary does not, right before a person's name it modifies, is part of that
    name (a known place or country before a name stays one: "Ohio Senator X")."""
    at = {r.start: r for r in out}
    merged = False
    for town in [r for r in out if r.kind == "place" and r.end - r.start == 1]:
        person = at.get(town.end)
        t = doc[town.start]
        if (
            person is not None
            and person.kind == "person"
            and t.dep_ == "compound"
            and person.start <= t.head.i < person.end
            and not t.is_sent_start
            and t.text.istitle()
            and t.lower_ not in v.governments
            and t.lower_ not in v.adjectives
            # (a first name of its own after it: "Mayor Kisumu Tom Rusk" is a place's mayor)
            and doc[person.start].lower_ not in lexicon().first_names
        ):
            out = [r for r in out if r is not town and r is not person]
            out.append(
                RawName(
                    town.start,
                    person.end,
                    doc[town.start : person.end].text,
                    "person",
                    person.gender,
                )
            )
            merged = True
    return sorted(out, key=lambda r: r.start) if merged else out


# nouns that say what kind of body the name after them is ("the regulator Bafin")
_BODY_KINDS = FIRM_WORDS | {"regulator", "watchdog", "confederation", "federation"}
# first words of countries' long names ("Democratic People's Republic of Korea")
_LONG_NAME_FIRST = frozenset(k.split()[0] for k in vocab().governments if len(k.split()) > 2)


def _vocab_mention(doc: Doc, t: Token, v: Vocab, min_words: int) -> RawName | None:
    """Parties, metonyms and country words the tagger did not mark ("Tory", "No 10")."""
    if not t.text[:1].isupper() or t.lower_ not in _first_words(v):
        return None
    longest = min(6 if t.lower_ in _LONG_NAME_FIRST else 4, len(doc) - t.i)
    # (one span for every length: the shorter names are its prefixes)
    span = doc[t.i : t.i + longest]
    text, base = span.text.lower(), t.idx
    ends = [w.idx + len(w.text) - base for w in span]
    for n in range(longest, min_words - 1, -1):
        low = text[: ends[n - 1]]
        if low in v.governments and (
            n >= 3
            or (n == 1 and t.ent_iob_ == "B" and t.ent_type_ == "PERSON")
            or (n == 2 and (low in v.adjectives or low in country_words()))  # "Sri Lankan"
        ):
            # a country's long official name, which the tagger tends to cut in two, or a
            # country's word it ran into a person's name ("Qatari Emir Tamim")
            return RawName(t.i, t.i + n, v.governments[low], "gov")
        if low in v.parties and not _inside_a_name(doc, t, v):
            return RawName(t.i, t.i + n, v.parties[low], "party")
        if low in v.metonyms and low != "the government":
            return RawName(t.i, t.i + n, v.metonyms[low], "gov")
    return None


def _inside_a_name(doc: Doc, t: Token, v: Vocab) -> bool:
    """``t`` continues a name the tagger began with a word of its own ("the Nationalist
    Congress Party"), not a place's or a nation's ("Scottish Labour")."""
    if t.i == 0 or t.ent_iob_ != "I":
        return False
    before = doc[t.i - 1]
    return (
        before.text.istitle()
        and before.ent_type_ == t.ent_type_
        and before.lower_ not in v.governments
        and before.lower_ not in v.adjectives
        and before.lower_ not in v.parties
    )


_FIRSTS: dict[int, frozenset[str]] = {}


def _first_words(v: Vocab) -> frozenset[str]:
    """The first word of every vocabulary name, as the tokenizer splits it (a cheap pre-check;
    one set per vocabulary)."""
    hit = _FIRSTS.get(id(v))
    if hit is None:
        keys = [*v.governments, *v.parties, *v.metonyms]
        first = {k.split()[0] for k in keys if k}
        hit = frozenset(first | {w.split("-")[0] for w in first} | {w.split("'")[0] for w in first})
        _FIRSTS[id(v)] = hit
    return hit
