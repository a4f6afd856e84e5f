"""Pronouns as mentions of who they stand for: "he", "she", "his", "her"; "I" and "my" in a
quotation; an organisation's "it" in what it says.

A stage of the names stage: the last person named before, of that gender, within two
sentences; a subject earlier in the same sentence first.  Two people before and neither the
subject, or two in its own sentence and "he" not in what the subject says: no antecedent,
since "he" could be either.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from deniable.grammar.lexicon import lexicon
from deniable.grammar.nlp import doc_tokens, span_tokens
from deniable.grammar.quotes import first_person, quotations
from deniable.grammar.vocab import vocab

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

    from deniable.grammar.names import Mention

_PRONOUNS = {"he": "m", "him": "m", "his": "m", "she": "f", "her": "f"}


def _is_subject(doc: Doc, m: Mention) -> bool:
    return doc[m.start : m.end].root.dep_ in ("nsubj", "nsubjpass")


def _says(doc: Doc, m: Mention, pronoun: Token) -> bool:
    """``m`` is the subject of the verb whose direct complement holds ``pronoun``."""
    clause = pronoun.head
    while clause.dep_ in ("conj", "aux", "auxpass") and clause.head.i != clause.i:
        clause = clause.head
    if clause.dep_ != "ccomp":
        return False
    said, head = clause.head, doc[m.start : m.end].root.head
    root = doc[m.start : m.end].root
    if (
        said.dep_ == "relcl"
        and said.head.i == root.i
        and any(c.dep_ == "nsubj" and c.lower_ in ("who", "that") for c in said.children)
    ):
        return True  # "A, who has confirmed that he had …": A says it
    # ("A played it down and denied he had …": the second verb shares the first's subject)
    return head.i == said.i or (
        said.dep_ == "conj"
        and head.i == said.head.i
        and not any(c.dep_ in ("nsubj", "nsubjpass") for c in said.children)
    )


def _said_by_description(pronoun: Token) -> bool:
    """``pronoun`` is in what a person named only by a description said ("the minister
    said he ..."): that person, whom the descriptions stage names later."""
    clause = pronoun.head
    while clause.dep_ in ("conj", "aux", "auxpass", "xcomp") and clause.head.i != clause.i:
        clause = clause.head
    if clause.dep_ != "ccomp":
        return False
    return any(
        c.dep_ == "nsubj"
        and c.pos_ == "NOUN"
        and c.lower_ in _VOCAB.post_vocabulary
        and any(d.lower_ == "the" for d in c.children if d.dep_ == "det")
        for c in clause.head.children
    )


def _clause_by_description(pronoun: Token, named: list[Mention]) -> bool:
    """``pronoun`` is in a clause whose subject, before it, is a person named only by a
    description ("the leader", "the minister"): most likely that person's."""
    if pronoun.dep_ in ("nsubj", "nsubjpass"):
        return False
    verb = pronoun.head
    while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
        verb = verb.head
    at = {i for m in named for i in range(m.start, m.end)}
    return any(
        c.dep_ in ("nsubj", "nsubjpass")
        and c.i < pronoun.i
        and c.pos_ == "NOUN"
        and c.i not in at
        and (c.lower_ in _VOCAB.post_vocabulary or c.lower_ in _PEOPLE)
        and any(d.lower_ == "the" for d in c.children if d.dep_ == "det")
        for c in verb.children
    )


def _described_subject(doc: Doc, k: int, named: list[Mention]) -> bool:
    """Sentence ``k`` has a person as its subject by description ("The minister said that
    B's claim was false"): "he" after it may be that person rather than B."""
    sent = list(doc.sents)[k]
    at = {i for m in named for i in range(m.start, m.end)}
    lex = lexicon()

    def a_person(low: str) -> bool:
        return (
            low in _VOCAB.post_vocabulary
            or low in _PEOPLE
            or lex.nouns.single.get(low) == "person"
            or low in lex.roles.single
            or low in lex.titles.single
        )

    return any(
        t.dep_ in ("nsubj", "nsubjpass")
        and t.pos_ == "NOUN"
        and t.i not in at
        and a_person(t.lower_)
        and any(c.lower_ == "the" for c in t.children if c.dep_ == "det")
        for t in span_tokens(sent)
    )


def resolve_pronouns(doc: Doc, named: list[Mention], genders: dict[str, str]) -> list[Mention]:
    """He/she/him/her: the last person named before, of that gender, within two sentences."""
    from deniable.grammar.names import Mention  # the names stage calls this one

    people = sorted((m for m in named if m.kind == "person"), key=lambda m: m.start)
    sent_of = {t.i: k for k, s in enumerate(doc.sents) for t in s}
    out: list[Mention] = []
    starts = {m.start: m for m in people}
    for t in doc_tokens(doc):
        g = _PRONOUNS.get(t.lower_)
        if g is None:
            continue
        if t.i + 1 < len(doc) and doc[t.i + 1].text in ("[", "(") and t.i + 2 in starts:
            # "he [Lord X] said": the reporter's brackets name who is meant
            out.append(Mention(t.i, t.i + 1, starts[t.i + 2].name, "person"))
            continue
        here = sent_of[t.i]
        prior = [
            m
            for m in people
            if m.start < t.i and here - sent_of[m.start] <= 2 and genders.get(m.name, g) == g
        ]
        if not prior:
            continue
        if not any(sent_of[m.start] == here and _says(doc, m, t) for m in prior) and any(
            sent_of[m.start] == here and m.start < t.i and _says(doc, m, t) for m in people
        ):
            # "Sen. Lindsey Graham denied that he …": the speaker, whatever the first name
            # suggested; never someone from the sentences before
            continue
        other = _not_its_subject(doc, t, prior, out, sent_of)
        if other is not None:
            out.append(Mention(t.i, t.i + 1, other, "person"))
            continue
        if _clause_by_description(t, named):
            continue  # "The US leader briefed B on his talks": the leader's, whom no name gives
        # A subject earlier in the same sentence; else the nearest sentence naming people:
        # its only person, or its first subject.
        same = [m for m in prior if sent_of[m.start] == here and _is_subject(doc, m)]
        if len({m.name for m in prior if sent_of[m.start] == here}) > 1:
            # "A forced B to resign after learning that he had …": either of them; but
            # "A, an ally of B, said he had …" is the speaker's own clause
            same = [m for m in same if _says(doc, m, t)]
            if not same:
                continue
        if same:
            last = same[-1]
        elif _said_by_description(t):
            continue  # "the minister said he had never met him": the minister, not the last name
        else:
            nearest = max(sent_of[m.start] for m in prior)
            there = [m for m in prior if sent_of[m.start] == nearest]
            subj = [m for m in there if _is_subject(doc, m)]
            if len({m.name for m in there}) == 1 and (
                _is_subject(doc, there[-1])
                or nearest == here
                or not _described_subject(doc, nearest, named)
            ):
                last = there[-1]
            elif subj:
                last = subj[0]
            else:
                continue  # two people before and neither the subject: "he" could be either
        if any(
            o.name == last.name
            and sent_of[o.start] == here
            and _PRONOUNS.get(doc[o.start].lower_, g) != g
            for o in out
        ):
            continue  # "He denies she met B": "she" in his own sentence is not him
        found = Mention(t.i, t.i + 1, last.name, "person")
        out.append(found)
        if t.dep_ in ("nsubj", "nsubjpass") and t.head.dep_ == "ROOT":
            # "He then joined X. He has been …": a paragraph about one person goes on with
            # "he" as its subject, so the window runs on from the last "he"
            people.append(found)
    return out


def _not_its_subject(
    doc: Doc, t: Token, prior: list[Mention], resolved: list[Mention], sent_of: dict[int, int]
) -> str | None:
    """ "A denied he had met him": an object "him" is never its own clause's subject, so it
    is the one other person of that gender the sentence names before it, if only one."""
    if t.lower_ not in ("him", "her") or t.dep_ not in ("dobj", "pobj", "dative"):
        return None
    verb = t.head.head if t.dep_ == "pobj" else t.head
    subj = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    while subj is None and verb.dep_ == "conj" and verb.head.pos_ in ("VERB", "AUX"):
        # "he had not met B but had exchanged texts with him": the first verb's subject
        verb = verb.head
        subj = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subj is None:
        return None
    at = {m.start: m.name for m in (*prior, *resolved)}
    own = at.get(doc[subj.i : subj.i + 1].root.i) or at.get(subj.left_edge.i)
    if own is None:
        return None
    here = sent_of[t.i]
    others = {m.name for m in prior if sent_of[m.start] == here and m.name != own}
    return others.pop() if len(others) == 1 else None


def organisation_it(doc: Doc, named: list[Mention]) -> list[Mention]:
    """ "X said it had held talks with Y": "it" in what an organisation says is that
    organisation (anywhere else "it" is left unresolved)."""
    from deniable.grammar.names import Mention  # the names stage calls this one

    at = {i: m for m in named for i in range(m.start, m.end)}
    out: list[Mention] = []
    for t in doc_tokens(doc):
        if t.lower_ not in ("it", "its") or t.i in at:
            continue
        clause = t.head if t.dep_ in ("nsubj", "nsubjpass") else t.head.head
        if t.dep_ == "poss":
            clause = t.head.head  # "X said its chairman had resigned"
        while clause.dep_ in ("conj", "aux") and clause.head.i != clause.i:
            clause = clause.head
        if clause.dep_ != "ccomp" or clause.head.lemma_.lower() not in _SPEECH:
            continue
        if clause.lemma_ in ("be", "seem", "appear", "remain") and t.dep_ == "nsubj":
            continue  # "X said it was untrue that ...": no organisation is meant
        subj = next((c for c in clause.head.children if c.dep_ == "nsubj"), None)
        m = at.get(subj.i) if subj is not None else None
        if m is not None and m.kind in ("org", "gov", "party"):
            out.append(Mention(t.i, t.i + 1, m.name, m.kind))
    return out


_SPEECH = vocab().cues["speech"]
_VOCAB = vocab()
_PEOPLE = _VOCAB.cues["people_nouns"]


def first_person_mentions(doc: Doc, named: list[Mention]) -> list[Mention]:
    """ "I", "me", "my" in a quotation are the person it is attributed to."""
    from deniable.grammar.names import Mention  # the names stage calls this one

    at = {i: m for m in named for i in range(m.start, m.end)}

    def speaker(v: Token) -> str | None:
        subj = next((c for c in v.children if c.dep_ == "nsubj"), None)
        m = at.get(subj.i) if subj is not None else None
        return m.name if m is not None and m.kind == "person" else None

    quotes = quotations(doc, speaker)
    return [Mention(i, i + 1, who, "person") for i, who in first_person(doc, quotes) if i not in at]
