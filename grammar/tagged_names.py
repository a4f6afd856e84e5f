"""The tagger's own entities as names: two of them joined where the first modifies the
second ("Cambridge" + "Analytica"), a person's run cut at "and", and each one trimmed of what
is no part of a name (a title, a party, a post, a possessive, a trailing date or number).

A helper of :mod:`deniable.grammar.raw_names`, which adds the names the tagger missed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from spacy.tokens import Span

from deniable.grammar.kinds import leader_surnames
from deniable.grammar.lexicon import lexicon
from deniable.grammar.name_runs import RawName, name_end, name_word
from deniable.grammar.namewords import CALENDAR_WORDS, DROPPED_HONORIFICS
from deniable.grammar.vocab import Vocab, vocab
from deniable.grammar.word_kinds import country_words, date_word, ends_post, title_word

if TYPE_CHECKING:
    from spacy.tokens import Doc

_ORG_WORDS = vocab().cues["org_words"]
LABELS = {"PERSON": "person", "ORG": "org", "GPE": "gpe", "NORP": "norp"}
_WEEKDAYS = frozenset(
    ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
)
_SUFFIXES = vocab().cues["suffixes"]
_PORTFOLIOS = vocab().cues["portfolios"]
# the tagger's labels for what is no one's name (not its WORK_OF_ART, which it also gives
# to companies it does not know)
NOT_NAMES = frozenset(
    {"EVENT", "DATE", "TIME", "MONEY", "PERCENT", "QUANTITY", "CARDINAL", "ORDINAL", "LAW",
     "LANGUAGE"}
)  # fmt: skip


_PLACE_LABELS = ("GPE", "LOC", "ORG", "FAC")


def joined_entities(doc: Doc, v: Vocab) -> list[Span]:
    """The tagger's entities, two side by side joined when the first modifies the second
    ("Cambridge" + "Analytica" is one company, not two places)."""
    out: list[Span] = []
    for ent in _people_apart(doc):
        prev = out[-1] if out else None
        last = doc[ent.start - 1] if ent.start > 0 else None
        if (
            prev is not None
            and last is not None
            and prev.end == ent.start
            and prev.label_ in _PLACE_LABELS
            and ent.label_ in _PLACE_LABELS
            and last.dep_ == "compound"
            and ent.start <= last.head.i < ent.end
            and prev.text.lower() not in v.governments
            and ent.text.lower() not in v.governments
        ):
            out[-1] = Span(doc, prev.start, ent.end, label="ORG")
            continue
        if (
            prev is not None
            and prev.end == ent.start
            and prev.label_ == "NORP"
            and ent.label_ == "ORG"
            and ent[0].text[:1].isupper()
            and any(t.lower_ == "ministry" for t in ent)
        ):
            # "Chinese" + "Foreign Ministry": each country has one, and its name says whose
            out[-1] = Span(doc, prev.start, ent.end, label="ORG")
            continue
        out.append(ent)
    return out


def _people_apart(doc: Doc) -> list[Span]:
    """The tagger's entities, a person's run cut at "and" ("Ozan and Dror" is two people;
    a company's "Marks and Spencer" stays one); no run of verbs."""
    out: list[Span] = []
    for ent in doc.ents:
        if all(t.pos_ == "VERB" for t in ent):
            continue  # a title-case headline's "Denies Discussing": the verbs, not a name
        # (not a plural's possessive: "the National Farmers' Union")
        quotes = [t.i for t in ent[1:-1] if t.is_quote and t.tag_ != "POS"]
        if quotes:
            # 'said on Twitter "AG X should …': a quotation opens inside the tagger's name
            ent = Span(doc, quotes[-1] + 1, ent.end, label=ent.label_)
        cuts = [t.i for t in ent[1:-1] if t.lower_ == "and"] if ent.label_ == "PERSON" else []
        out.extend(Span(doc, a, b, label="PERSON") for a, b in _parts(ent.start, ent.end, cuts))
        if not cuts:
            out[-1] = ent
    return out


def _parts(start: int, end: int, cuts: list[int]) -> list[tuple[int, int]]:
    return list(zip([start, *(c + 1 for c in cuts)], [*cuts, end], strict=True))


_NOT_IN_A_NAME = vocab().cues["not_in_a_name"]
_FAITHS = vocab().cues["faiths"]


_DESCRIBERS = (
    vocab().cues["person_nouns"]
    | vocab().cues["group_nouns"]
    | vocab().cues["people_nouns"]
    | frozenset({"industrialist", "businessman", "restaurateur", "politician", "millionaire",
                 "philanthropist", "activist", "journalist", "tycoon", "billionaire"})
)  # fmt: skip


def _post_then_person(doc: Doc, k: int, v: Vocab) -> bool:
    """A person's name at ``k``, after the rest of a post ("... Executive | Vice President
    X": the post began inside the tagger's organisation)."""
    while (
        k < len(doc)
        and doc[k].ent_type_ != "PERSON"
        and doc[k].lower_ in v.post_vocabulary
        and doc[k].text[:1].isupper()  # (not "and": "Justice and Home Affairs Minister X")
    ):
        k += 1
    return k < len(doc) and doc[k].ent_type_ == "PERSON"


def entity_name(ent: Span, kind: str, v: Vocab) -> RawName | None:
    if any(t.text in (",", ";") for t in ent):
        return None  # "Bellingcat, Prigozhin": two names the tagger ran together
    toks = list(ent)
    # "Meanwhile Grell": a sentence's first word is capitalised whatever it is
    while toks and (
        toks[0].lower_ in ("the", "a", "an")
        or toks[0].is_punct
        or (
            toks[0].is_sent_start
            and toks[0].pos_ in ("ADV", "ADP", "SCONJ", "CCONJ", "DET", "PRON", "VERB", "AUX")
        )
    ):
        toks.pop(0)
    # "Industrialist Gautam X" opening a sentence: a common noun for people, capitalised
    while (
        len(toks) > 2
        and kind == "person"
        and toks[0].is_sent_start
        and toks[0].lower_ in _DESCRIBERS
        and toks[1].text[:1].isupper()
    ):
        toks.pop(0)
    # "a stake in X through Y": the tagger may run two names together over a preposition
    # (written in lower case: "Stand With Ukraine" is one name)
    cut = next((k for k, t in enumerate(toks) if k and t.text in _NOT_IN_A_NAME), None)
    if cut is not None:
        toks = toks[:cut]
    # "Salvini denies League Party": a headline's verb in lower case ends the name
    cut = next((k for k, t in enumerate(toks) if k and t.pos_ == "VERB" and t.is_lower), None)
    if cut is not None:
        toks = toks[:cut]
    if len(toks) == 1 and toks[0].lower_ in _FAITHS:
        return None  # "a Methodist minister": a faith, not an organisation
    if toks and all(t.lower_ in CALENDAR_WORDS for t in toks):
        return None  # "last November": the tagger may take a month for a name
    # "Treasurer Lena Brook", "Conservative Graham Brady", "PM Modi": the tagger sometimes
    # takes the title or the party into the name
    while (
        len(toks) > 1
        and (
            kind == "person"
            or (
                toks[0].text.isupper()
                and (
                    toks[0].lower_ in v.post_vocabulary
                    or lexicon().titles.match([toks[0].lower_], 0) is not None
                )
            )
        )
        and (
            title_word(toks[0].lower_, v)
            or toks[0].lower_ in v.parties
            or toks[0].lower_ in v.adjectives
        )
    ):
        toks.pop(0)
    # "the ambassador to the US Gilad Erdan", "Secretary of Defense Lloyd Austin": a
    # country's short name or the post's portfolio run into a person's name
    if (
        kind in ("org", "person")
        and len(toks) >= 3
        and toks[1].lower_ in lexicon().first_names
        and (
            (toks[0].text.isupper() and toks[0].lower_ in country_words())
            or (
                toks[0].lower_ in _PORTFOLIOS | {"state"}
                and toks[0].i > 0
                and ent.doc[toks[0].i - 1].lower_ == "of"
            )
        )
    ):
        toks.pop(0)
        kind = "person"
    # "Wirecard COO Jan Marsalek": a post inside the tagger's person ends a company's name
    # before the person's
    if kind == "person" and len(toks) >= 3:
        cut = next(
            (
                j
                for j in range(len(toks) - 2, 0, -1)
                if title_word(toks[j].lower_, v) and all(name_word(t) for t in toks[j + 1 :])
            ),
            None,
        )
        if cut is not None:
            toks = toks[cut + 1 :]
    # "Mr Brown's International Finance Facility": the possessor ends the name.
    for k, t in enumerate(toks):
        if (
            t.text in ("'", "’")
            and k + 1 < len(toks)
            and toks[k - 1].lower_.endswith("s")
            and toks[k + 1].lower_ in _ORG_WORDS
        ):
            continue  # "the National Farmers' Union": a plural's possessive inside the name
        if t.text in ("'s", "’s", "'", "(") and k > 0:
            toks = toks[:k]
            break
    while (
        toks
        and (
            toks[-1].is_punct
            or toks[-1].lower_ in _SUFFIXES
            or toks[-1].text == "'s"
            or (kind == "person" and toks[-1].like_num)  # "phoned Rick Dunn 12 times"
            or (kind == "person" and len(toks) > 1 and date_word(toks[-1]))
            # "the Hinds County district attorney": a post after a place's name is no part of
            # it (a body's own word is: "Hinds County council")
            or (
                kind in ("gpe", "org")
                and len(toks) > 1
                and toks[-1].pos_ == "NOUN"
                and toks[-1].text.islower()
                and toks[-1].lower_ not in _ORG_WORDS
                and any(t.text[:1].isupper() for t in toks[:-1])
            )
            # "Environmental Protection Agency Administrator Scott Pruitt": the post before
            # a name, run into the body's name
            or (
                kind == "org"
                and len(toks) > 1
                and toks[-1].lower_ in v.post_vocabulary
                and toks[-1].lower_ not in _ORG_WORDS
                and _post_then_person(ent.doc, toks[-1].i + 1, v)
                # (not a post's own first word: "Solicitor General X")
                and toks[-2].lower_ not in v.post_vocabulary
                and not title_word(toks[-2].lower_, v)
            )
        )
    ):
        toks.pop()
    if not toks:
        return None
    if (
        kind == "person"
        and len(toks) == 1
        and toks[0].lower_.removesuffix("s") in v.post_vocabulary
        and len(toks) < len(ent)
    ):
        return None  # "Labour MPs": the party kept apart, what is left is a post, no one
    doc = ent.doc
    start, end = toks[0].i, toks[-1].i + 1
    if kind == "org" and start > 0 and doc[start - 1].lower_ in _WEEKDAYS:
        start -= 1  # "the Sunday Telegraph": the tagger takes the day for a date
    while (
        kind in ("org", "person")
        and start > ent.sent.start
        and doc[start - 1].dep_ == "compound"
        and start <= doc[start - 1].head.i < end
        and doc[start - 1].text.istitle()
        and doc[start - 1].ent_type_ == ""
        and not title_word(doc[start - 1].lower_, v)
        and doc[start - 1].lower_ not in v.parties
        and doc[start - 1].lower_ not in v.adjectives
        # ("Industrialist X has been indicted": a common noun capitalised as the first word)
        and not (doc[start - 1].is_sent_start and doc[start - 1].pos_ == "NOUN")
        and doc[start - 1].lower_ not in _DESCRIBERS
        and not (
            # a headline capitalises its words: "Desperate Putin's …" names no Desperate
            # Putin, where the tagger's name is a leader's surname and the word no first name
            kind == "person"
            and doc[start - 1].is_sent_start
            and doc[start - 1].lower_ not in lexicon().first_names
            and doc[start:end].text.lower() in leader_surnames()
        )
    ):
        # "Shareholders United", "Otis Ferry": a capitalised compound the tagger left out
        start -= 1
    if (
        kind == "org"
        and doc[end - 1].lower_ in _ORG_WORDS
        and end + 1 < len(doc)
        and doc[end].lower_ == "of"
        and doc[end + 1].pos_ == "PROPN"
        and doc[end + 1].text.istitle()
    ):
        # "Muslim Council of Britain", "Bank of England": the tagger stops at "of"; not
        # "the committee of Russia's upper house", whose "of" names another body
        stop = name_end(doc, end + 1, most=3)
        if stop >= len(doc) or doc[stop].lower_ not in ("'s", "’s"):
            end = stop
    if kind in ("gpe", "org") and end < len(doc) and doc[end].lower_ == "police":
        end += 1  # "West Yorkshire police"
        return RawName(start, end, " ".join(doc[start : end - 1].text.split()) + " Police", "org")
    text = " ".join(doc[start:end].text.split())
    low = text.lower()
    if kind == "org" and ends_post(doc, start, low, v):
        return None  # "Secretary of State": the last word of a post, no body of that name
    if low in v.parties:
        return RawName(start, end, v.parties[low], "party")
    for k in range(start + 1, end):
        tail = doc[k:end].text.lower()
        # "London UKIP": the party of a place; not "the Nationalist Congress Party", whose
        # first word makes it another party
        named = tail.endswith(" party") and not all(
            w.ent_type_ in ("GPE", "LOC") or w.lower_ in v.governments or w.lower_ in v.adjectives
            for w in doc[start:k]
        )
        if tail in v.parties and not named:
            return RawName(k, end, v.parties[tail], "party")
    if low in v.metonyms:
        return RawName(start, end, v.metonyms[low], "gov")
    if kind in ("gpe", "norp"):
        gov = v.government(low)
        if gov and (low in country_words() or low in v.adjectives):
            # (the tagger also takes "Kuwaiti" for a place)
            return RawName(start, end, gov, "gov")
        if gov and kind == "norp":
            return RawName(start, end, gov, "gov")
        return RawName(start, end, text, "place") if kind == "gpe" else None
    text = " ".join(text.split())
    if kind == "person" and any(t.lower_ in DROPPED_HONORIFICS for t in toks[:1]):
        return None  # handled by the honorific pass
    return RawName(start, end, text, kind)
