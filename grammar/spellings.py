"""One name written several ways: surnames and first names for the full name, short forms
and acronyms of an organisation, transliterations of a first name, a ministry's country.

A stage of the names stage (:mod:`deniable.grammar.names`), which hands it the raw mentions
and their voted kinds.
"""

from __future__ import annotations

import re
from itertools import pairwise
from typing import TYPE_CHECKING

from deniable.grammar.kinds import leader_by_surname
from deniable.grammar.lexicon import lexicon
from deniable.grammar.namewords import KEPT_HONORIFICS, PATRONYMICS
from deniable.grammar.nlp import doc_text, doc_tokens
from deniable.grammar.raw_names import RawName
from deniable.grammar.vocab import vocab

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

    from deniable.grammar.names import Mention
    from deniable.grammar.vocab import Vocab


def full_names(raw: list[RawName], kinds: dict[str, str]) -> dict[str, list[tuple[int, str]]]:
    """Surname or first name -> [(token position, full name)] for multi-word person names."""
    out: dict[str, list[tuple[int, str]]] = {}
    for r in raw:
        words = r.text.split()
        if kinds.get(r.text) != "person" or len(words) < 2:
            continue
        # "Goldsmith" is Lord Goldsmith; "Lord" is no one's first name.
        keys = {words[-1]} if words[0].lower() in KEPT_HONORIFICS else {words[-1], words[0]}
        if words[0].lower() in KEPT_HONORIFICS and "of" in words[2:]:
            keys = {words[words.index("of", 2) - 1]}  # "Lord Irvine of Lairg" is Irvine
        bare = _bare_surname(words[-1])
        if bare:
            keys.add(bare)  # "Sisi" is "Abdel Fattah al-Sisi"
        for key in keys:
            out.setdefault(key, []).append((r.start, r.text))
    return out


_PARTICLES = vocab().cues["name_particles"]


def _son_of(name: str, word: str) -> bool:
    """Whether ``word`` ends ``name`` as a father's name ("Salman" of "Mohammed bin Salman")."""
    words = name.split()
    return len(words) > 2 and words[-1] == word and words[-2] in PATRONYMICS


def _bare_surname(word: str) -> str:
    """A surname without the Arabic article joined to it ("al-Sisi" is "Sisi"), or ""."""
    head, dash, rest = word.partition("-")
    if dash and head.lower() in ("al", "el") and rest[:1].isupper():
        return rest
    return ""


def resolve_person(
    r: RawName,
    full: dict[str, list[tuple[int, str]]],
    done: list[Mention],
    royal: bool = False,
    patronym: bool = False,
    titled: frozenset[str] = frozenset(),
) -> str:
    """A one-word person name is the full name given for it, when that is not in doubt.

    ``royal``: the name follows a royal title ("King Salman"), which takes a first name, so
    it is never the surname of someone else ("Mohammed bin Salman", his son).
    ``patronym``: the name follows "bin" ("bin Salman"); without it, the last word of
    "Mohammed bin Salman" names his father, not him.
    ``titled``: the genders of the article's "Mr X" and "Mrs X" for this word: a bare "X"
    in an article with "Mr X" and "Rosemary X", his wife, may be either."""
    words = r.text.split()
    if royal and len(words) == 1:
        given = {n for _pos, n in full.get(words[0], []) if n.split()[0] == words[0]}
        return given.pop() if len(given) == 1 else ""
    if len(words) == 2 and words[0].lower() in KEPT_HONORIFICS:
        # "Lord Irvine" after "Lord Irvine of Lairg"
        peers = {n for _pos, n in full.get(words[1], []) if n.startswith(f"{r.text} of ")}
        if len(peers) == 1:
            return peers.pop()
        # "Prince Mohammed" after "Mohammed bin Salman": a royal is titled by first name
        given = {
            n
            for _pos, n in full.get(words[1], [])
            if n.split()[0] == words[1] and n != r.text and " " in n
        }
        return given.pop() if len(given) == 1 and words[0].lower() == "prince" else ""
    if len(words) == 2 and re.fullmatch(r"[A-Z]\.", words[0]):
        # "J. Smith" after "John Smith"; "M. Côté" (monsieur) after "Marc Côté"
        initial = {
            n
            for _pos, n in full.get(words[1], [])
            if n.split()[-1] == words[1] and (n[0] == words[0][0] or words[0] == "M.")
        }
        initial.discard(r.text)
        return initial.pop() if len(initial) == 1 else ""
    if len(words) == 2 or (len(words) == 3 and words[0].lower() in _PARTICLES):
        # "Duncan Smith" after "Iain Duncan Smith": a double surname without the first name;
        # "Bin Salman", "Van der Berg" opening a sentence after "Mohammed bin Salman", "Alex
        # van der Berg"
        particle = words[0].lower() in PATRONYMICS | _PARTICLES
        lowered = " " + " ".join([words[0].lower(), *words[1:]]) if particle else ""
        longer = {
            n
            for _pos, n in full.get(words[-1], [])
            if n.endswith(f" {r.text}") or (lowered and n.endswith(lowered))
        }
        longer.discard(r.text)
        return longer.pop() if len(longer) == 1 else ""
    if len(words) != 1:
        return ""
    seen = [(pos, n) for pos, n in full.get(words[0], []) if patronym or not _son_of(n, words[0])]
    # ("Robert X" and "Bob X" are one person, written as first named)
    first: dict[str, str] = {}
    for _pos, n in sorted(seen):
        first.setdefault(_one_person(n), n)
    candidates = sorted(set(first.values()))
    seen = [(pos, first[_one_person(n)]) for pos, n in seen]
    fn = lexicon().first_names
    if r.gender:
        candidates = [n for n in candidates if fn.get(n.split()[0].lower(), r.gender) == r.gender]
    elif titled and any(fn.get(n.split()[0].lower(), "") not in ("", *titled) for n in candidates):
        return ""  # ("Said" with "Mr Said" and "Rosemary Said": either of them)
    if len(candidates) == 1:
        return candidates[0]
    ending = [n for n in candidates if words[0] in (n.split()[-1], _bare_surname(n.split()[-1]))]
    if len(ending) == 1:
        return ending[0]  # a surname before a first name: "Liu" of "Richard Liu", "Liu Wei"
    if len(candidates) > 1:
        # Two people share the name: only the last one named, if the other is not recent.
        before = [(pos, n) for pos, n in seen if pos < r.start and n in candidates]
        if before:
            _pos, name = max(before)
            others = [p for p, n in before if n != name]
            if not others or r.start - max(others) > 200:
                return name
        elif r.start < 30:
            # a headline's surname before anyone is named in full: the story's first
            # ("Bolsonaro indicted" over a story that names Jair, then Flavio Bolsonaro)
            _pos, name = min((pos, n) for pos, n in seen if n in candidates)
            return name
    return ""


# the letter and a state ("R-S.C.", "D-Calif.") or a home town ("D-Burbank"); not "D-Day"
US_PARTY_CODE = re.compile(r"([RDI])-(?!Day\b)[A-Z][A-Za-z.]{0,12}")


def national(doc: Doc, r: RawName, name: str, v: Vocab) -> str:
    """ "Russia's Foreign Ministry" is the Russian Foreign Ministry: a ministry named without
    its country takes the possessor's."""
    low = name.lower()
    if not (low.endswith(" ministry") or low.startswith("ministry of ")) or r.start < 2:
        return name
    if doc[r.start - 1].lower_ not in ("'s", "’s"):
        return name
    gov = v.government(doc[r.start - 2].text)
    if gov is None or not gov.endswith(" government"):
        return name
    return f"{gov.removesuffix(' government')} {name}"


def lowercase_ministries(doc: Doc, raw: list[RawName], v: Vocab) -> list[RawName]:
    """ "China's foreign ministry", "the Russian defence ministry": a ministry written in
    lower case is still that country's ministry, where no name covers its words."""
    if "ministry" not in doc_text(doc):
        return raw  # (the common case, without a pass over every token)
    taken = {i for r in raw for i in range(r.start, r.end)}
    found = [r for t in doc_tokens(doc) if (r := _lowercase_ministry(doc, t, v)) is not None]
    # "foreign ministry spokesman X" after "China's foreign ministry": the one ministry of that
    # portfolio the article names with its country
    whose: dict[str, set[str]] = {}
    for r in [*raw, *found]:
        words = r.text.split()
        if r.kind != "org" or len(words) < 2 or words[-1] != "Ministry":
            continue
        full = r.text
        if len(words) == 2 and r.start >= 2 and doc[r.start - 1].lower_ in ("'s", "’s"):
            gov = v.government(doc[r.start - 2].text)  # "China's foreign ministry"
            full = f"{gov.removesuffix(' government')} {r.text}" if gov else ""
        if len(full.split()) >= 3:
            whose.setdefault(" ".join(words[-2:]).lower(), set()).add(full)
    for t in doc_tokens(doc):
        if t.lower_ != "ministry" or not t.text.islower() or t.i < 1:
            continue
        title = f"{doc[t.i - 1].lower_} ministry"
        if len(whose.get(title, ())) == 1 and not any(r.start <= t.i - 1 < r.end for r in found):
            found.append(RawName(t.i - 1, t.i + 1, next(iter(whose[title])), "org"))
    new = [r for r in found if not any(i in taken for i in range(r.start, r.end))]
    return sorted([*raw, *new], key=lambda r: r.start) if new else raw


_PORTFOLIOS = vocab().cues["portfolios"] | {"foreign"}


def _lowercase_ministry(doc: Doc, t: Token, v: Vocab) -> RawName | None:
    """ "China's foreign ministry" (the ministry, for :func:`national` to name), "the
    Russian defence ministry" (the whole name)."""
    if t.lower_ != "ministry" or not t.text.islower() or t.i < 2:
        return None
    portfolio = doc[t.i - 1]
    if not portfolio.text.islower() or portfolio.lower_ not in _PORTFOLIOS:
        return None
    title = f"{portfolio.text.title()} Ministry"
    before = doc[t.i - 2]
    if before.lower_ in ("'s", "’s") and t.i >= 3 and v.government(doc[t.i - 3].text):
        return RawName(t.i - 1, t.i + 1, title, "org")
    gov = v.government(before.text) if before.lower_ in v.adjectives else None
    if gov and gov.endswith(" government"):
        return RawName(t.i - 2, t.i + 1, f"{gov.removesuffix(' government')} {title}", "org")
    return None


def one_spelling(named: list[Mention]) -> list[Mention]:
    """ "Sergey Lavrov" and "Sergei Lavrov" in one article are one person, named as first
    written: transliterations of a first name differ, a surname must not."""
    from deniable.grammar.names import Mention  # the names stage calls this one

    first: dict[tuple[str, str], str] = {}
    out: list[Mention] = []
    for m in named:
        words = m.name.split()
        if m.kind != "person" or len(words) < 2:
            out.append(m)
            continue
        # ("Donald J. Trump" is "Donald Trump": a middle initial)
        rest = [w for w in words[1:-1] if not _INITIAL.fullmatch(w)] + words[-1:]
        key = (_transliterated(words[0]), " ".join(rest).lower())
        name = first.setdefault(key, m.name)
        out.append(m if name == m.name else Mention(m.start, m.end, name, m.kind, m.post))
    return out


_INITIAL = re.compile(r"[A-Z]\.?")
_FORMAL = dict(pair.split(":", 1) for pair in vocab().cues["familiar_names"])


def _one_person(name: str) -> str:
    """The key two spellings of one person's full name share."""
    first, _, rest = name.partition(" ")
    return f"{_transliterated(first)} {rest.lower()}"


def _transliterated(name: str) -> str:
    low = name.lower()
    low = _FORMAL.get(low, low)  # "Bob" is "Robert"
    low = low.replace("ks", "x").replace("iy", "i").replace("ey", "ei")
    # Arabic names: "Muhammad", "Mohammad" and "Mohammed" are one name
    low = low.replace("muha", "moha").replace("ammad", "ammed")
    return low[:-1] + "i" if low.endswith("y") else low


def acronyms(doc: Doc, raw: list[RawName], kinds: dict[str, str]) -> dict[str, str]:
    """Short forms of organisations: "LSE" -> "London Stock Exchange", defined in brackets or
    the initials of a name; "Charter" -> "Charter Communications", its first word."""
    out: dict[str, str] = {}
    for m in re.finditer(
        r"([A-Z][\w&-]*(?:['’]s)?(?: (?:[A-Z][\w&-]*(?:['’]s)?|&|of|and|for|the|de|des|du|"
        r"di|del|der|la|le|von|van))+) ?"
        r"\(([A-Z][A-Z&]{1,5})\)",
        doc_text(doc),
    ):
        long = re.sub(r"^(?:The|the) ", "", m.group(1))
        out[m.group(2)] = _spelled_out(long, m.group(2))
    longs = [r.text for r in raw if kinds.get(r.text) == "org" and len(r.text.split()) > 1]
    # "X SA, also known as X Group,": one company by two names
    text = doc_text(doc)
    for a, b in pairwise(raw):
        between = text[doc[a.end - 1].idx + len(doc[a.end - 1]) : doc[b.start].idx]
        if kinds.get(a.text) == "org" and _AKA.fullmatch(between) and b.text != a.text:
            out.setdefault(b.text, a.text)
    longs = [n for n in longs if n not in out]
    for r in raw:
        if r.text in out or not (r.text.isupper() and 2 <= len(r.text) <= 6):
            continue
        hits = {n for n in longs if _initials(n) == r.text}
        if len(hits) == 1:
            out[r.text] = hits.pop()
    people = {
        w for r in raw if kinds.get(r.text) == "person" and " " in r.text for w in r.text.split()
    }
    first_names = lexicon().first_names
    for r in raw:
        # "Charter" after "Charter Communications": a company's first word is its short name,
        # even where the tagger took it for a person ("Arvex's chief executive")
        kind = kinds.get(r.text)
        if r.text in out or " " in r.text or r.text.isupper():
            continue
        if kind == "place":
            # "Velta's chief operating officer" after "Velta Foods": a firm, not a town
            hits = {n for n in longs if n.split()[0] == r.text and _firm(n)}
            if len(hits) == 1 and lexicon().country_names.get(r.text.lower()) is None:
                out[r.text] = hits.pop()
            continue
        if kind != "org" and (
            kind != "person" or r.text in people or r.text.lower() in first_names
        ):
            continue
        if r.text.lower() in _CHAMBERS:
            continue  # "the House" is the chamber, not its "House Intelligence Committee"
        hits = {n for n in longs if n.split()[0] == r.text}
        if not hits and kind == "org" and r.text.lower() not in _GENERIC:
            # "United" after "Manchester United": a club or firm by its last word, when no
            # other organisation ends in it and the word names no kind of body
            hits = {n for n in longs if n.split()[-1] == r.text}
        if len(hits) == 1:
            out[r.text] = hits.pop()
    return out


_GENERIC = (
    vocab().cues["public_bodies"]
    | vocab().cues["company_nouns"]
    | frozenset(
        {"group", "holdings", "inc", "ltd", "plc", "corp", "corporation", "partners",
         "industries", "enterprises", "systems", "resources", "investments", "capital",
         "party", "union", "association", "federation", "institute", "foundation", "fund",
         "exchange", "times", "post", "news", "city", "international", "global", "america",
         "europe", "africa", "asia"}
    )
)  # fmt: skip


_AKA = re.compile(r",? \(?(?:also |better |formerly )?known as (?:the )?")
_CHAMBERS = frozenset({"house", "senate", "congress", "parliament", "assembly", "commons", "lords"})
_FIRM_ENDS = frozenset(
    {"holdings", "foods", "mining", "inc", "ltd", "plc", "corp", "corporation", "energy",
     "oil", "gas", "motors", "airlines", "capital", "partners", "industries", "enterprises",
     "technologies", "systems", "pharmaceuticals", "communications", "resources",
     "investments", "group"}
)  # fmt: skip


def _firm(name: str) -> bool:
    return name.split()[-1].lower().rstrip(".") in _FIRM_ENDS


def _spelled_out(long: str, short: str) -> str:
    """The words of ``long`` that ``short`` abbreviates: "Minister of Foreign Affairs of
    the Democratic People's Republic of Korea (DPRK)" defines "DPRK" by its last five."""
    words = long.split()
    for k in range(len(words) - 1):
        if words[k][:1].isupper() and _initials(" ".join(words[k:])) == short:
            return " ".join(words[k:])
    return long


def _initials(name: str) -> str:
    return "".join(w[0] for w in name.split() if w[:1].isupper())


def person_aliases(doc: Doc, raw: list[RawName], kinds: dict[str, str]) -> dict[str, str]:
    """Other names a person is given where first named in full: "X, known as MBS,", "X
    (MBS)", "X, nicknamed Bibi,": the short name is that person wherever it stands."""
    people = sorted(
        {r.text for r in raw if kinds.get(r.text) == "person" and " " in r.text}, key=len
    )
    out: dict[str, str] = {}
    text = doc_text(doc)
    # (one pass for the cues, then the name each follows: a pattern per person costs a scan
    # of the whole text per person)
    for m in _ALIAS_CUE.finditer(text):
        short = m.group(1) or m.group(2)
        for full in reversed(people):  # the longest name that ends right there
            if text.endswith(full, 0, m.start()) and short not in full.split():
                out.setdefault(short, full)
                break
    return out


_ALIAS_CUE = re.compile(
    r"(?:,? (?:also |widely |better |popularly )?(?:known as|nicknamed|dubbed)"
    r' ["“]?([A-Z][\w.-]+)["”]?| \(([A-Z][A-Z.]{1,5})\))'
)


def lone_surnames(
    doc: Doc, raw: list[RawName], full: dict[str, list[tuple[int, str]]]
) -> list[RawName]:
    """A person's surname alone, after the full name, where the tagger named nothing
    ("Olusegun Adeyemi, a businessman, ... Adeyemi denied")."""
    taken = {i for r in raw for i in range(r.start, r.end)}
    firsts = {r.start for r in raw}
    out: list[RawName] = []
    for t in doc_tokens(doc):
        if t.i in taken or t.pos_ != "PROPN" or not t.text[:1].isupper():
            continue
        named = [pos for pos, name in full.get(t.text, []) if name.split()[-1] == t.text]
        if not named or min(named) > t.i or t.i - 1 in taken or t.i + 1 in firsts:
            continue  # only after the full name, and not inside a longer run of names
        if t.i + 1 < len(doc) and doc[t.i + 1].pos_ == "PROPN":
            continue
        out.append(RawName(t.i, t.i + 1, t.text, "person"))
    return out


def surnames_apart(
    doc: Doc, raw: list[RawName], full: dict[str, list[tuple[int, str]]]
) -> list[RawName]:
    """ "talks with Ozan and Dror": two people's surnames the tagger ran into one name are
    the two people the article named in full."""
    out: list[RawName] = []
    leaders = leader_by_surname()
    for r in raw:
        cuts = [t.i for t in doc[r.start + 1 : r.end - 1] if t.lower_ == "and"]
        parts = list(zip([r.start, *(c + 1 for c in cuts)], [*cuts, r.end], strict=True))
        if cuts and all(b - a == 1 and doc[a].text in full for a, b in parts):
            out.extend(RawName(a, b, doc[a].text, "person") for a, b in parts)
            continue
        # "the Trump-Putin summit": two people's surnames joined by a hyphen, where each is
        # someone the article names in full or a known leader (a double-barrelled surname
        # is neither)
        if (
            r.end - r.start == 3
            and doc[r.start + 1].text in ("-", "–")
            and not any(doc[k].whitespace_ for k in (r.start, r.start + 1))
        ):
            a, b = doc[r.start].text, doc[r.end - 1].text
            if a != b and all(w in full or w.lower() in leaders for w in (a, b)):
                out += [RawName(r.start, r.start + 1, a, "person")]
                out += [RawName(r.end - 1, r.end, b, "person")]
                continue
        out.append(r)
    return out
