"""The older reader's names as the spaCy reader wrote them: a name taken with its title,
a party as written, a seat of government, a first name or surname alone, a cut-short
organisation, each mapped to the name the spaCy reader resolved in the same sentence."""

from __future__ import annotations

import re
from dataclasses import replace

from deniable.facts.model import Fact
from deniable.grammar.lexicon import lexicon
from deniable.grammar.namewords import DROPPED_HONORIFICS, ROYAL_TITLES
from deniable.grammar.reader import Reading
from deniable.grammar.vocab import vocab

_METONYMS = vocab().metonyms
_FIRST_NAMES = lexicon().first_names
_BASED = re.compile(r"[\w.-]+-based (.+)")


def renamed(facts: list[Fact], reading: Reading, text: str) -> list[Fact]:
    """A name the older reader took with its title ("Labour MP Tom Rusk") is the name the
    spaCy reader found inside it, in the same sentence; a party as written ("Lib Dem") is the
    party's name, a seat of government its government's, a post the reader resolved
    ("attorney general") the person's."""
    by_sentence: dict[int, set[str]] = {}
    parties: dict[tuple[int, str], str] = {}
    # "Downing Street" denying is the government; as an employer ("Kremlin spokesman") the
    # seat keeps its name.
    seats: dict[tuple[int, str], str] = {}
    singles: dict[int, set[str]] = {}
    surnames: dict[tuple[int, str], str] = {}
    for m in reading.names:
        if m.kind == "person" and " " in m.name:
            by_sentence.setdefault(m.sentence, set()).add(m.name)
        elif m.kind == "person":
            singles.setdefault(m.sentence, set()).add(m.name)
        if m.kind == "person" and " " not in m.text and m.name != m.text:
            surnames[(m.sentence, m.text)] = m.name  # "Netanyahu" the reader resolved
        words = m.text.split()
        if (
            m.kind == "person"
            and len(words) == 2
            and words[0].lower().rstrip(".") in DROPPED_HONORIFICS
            and m.name != words[1]
        ):
            surnames[(m.sentence, words[1])] = m.name  # "Mr Sisi" the reader resolved
        if m.kind == "person" and len(words) == 2 and words[0].lower() in ROYAL_TITLES:
            surnames[(m.sentence, words[1])] = m.name  # "Prince Mohammed": the older reader
            # took the name without the title
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
        if (sentence, name) in surnames:
            return surnames[(sentence, name)]
        if name.endswith(" government"):
            # the older reader writes a government by its adjective ("British government")
            return _METONYMS.get(name.lower(), name)
        based = _BASED.match(name)
        if based and based.group(1) in orgs:
            return based.group(1)  # "Japan-based Kyodo News": where it is based is no name
        inside = [n for n in by_sentence.get(sentence, ()) if name.endswith(f" {n}")]
        if inside:
            return max(inside, key=len)
        # "Desperate Putin" of a headline, where the reader found "Putin": no first name
        words = name.split()
        if (
            len(words) == 2
            and words[1] in singles.get(sentence, ())
            and words[0].lower() not in _FIRST_NAMES
        ):
            return words[1]
        # "George W" for "George W. Bush": the older reader stops at a full stop
        bare = name.replace(".", "")
        cut = [
            n for n in by_sentence.get(sentence, ()) if n.replace(".", "").startswith(f"{bare} ")
        ]
        if len(cut) == 1 and " " in bare:
            return cut[0]
        if (
            len(cut) == 1
            and " " not in bare
            and name not in singles.get(sentence, ())
            and not cut[0].split()[1][:1].isupper()
        ):
            return cut[0]  # "Adel" of "Adel al-Jubeir": the older reader stops at "al-"
        if len(cut) == 1 and " " not in bare and _only_in(bare, cut[0], text):
            return cut[0]  # "Jo" of "Governor Jo Marr", which the article never writes alone
        longer = [o for o in orgs if o.endswith(f" {name}")]
        return longer[0] if len(longer) == 1 and name not in orgs else name

    out = []
    for f in facts:
        k = f.evidence.sentence
        args = (fix(f.args[0], k, f.pred), fix(f.args[1], k, f.pred))
        out.append(f if args == f.args else replace(f, args=args))
    return out


def _only_in(word: str, name: str, text: str) -> bool:
    """``word`` is written in ``text`` only as the start of ``name``."""
    found = [m.start() for m in re.finditer(rf"\b{re.escape(word)}\b", text)]
    return bool(found) and all(text.startswith(name, k) for k in found)
