"""Denial patterns: who denies what about whom ("X denied links to Y", "denied these claims").

Each pattern reads a :class:`View` and adds ``denies`` candidates; the subject of a denial is
the one the denied claim is about, other than the denier.
"""

from __future__ import annotations

import functools

from deniable.grammar.lexicon import lexicon
from deniable.grammar.mentions import Mention
from deniable.grammar.view import View
from deniable.grammar.vocab import vocab

_DENY = frozenset(
    [
        "denied",
        "denies",
        "deny",
        "denying",
        "rejected",
        "rejects",
        "dismissed",
        "dismisses",
        "disputed",
        "disputes",
        "refuted",
        "refutes",
    ]
)

_CLAIM_NOUNS = frozenset(
    [
        "claims",
        "claim",
        "allegations",
        "allegation",
        "accusations",
        "accusation",
        "reports",
        "report",
        "suggestions",
        "charges",
    ]
)

_PLACE_PREPS = frozenset(["in", "at", "near", "inside", "across", "outside"])
_ANAPHORIC = frozenset(["these", "those", "such", "the", "this", "that"])

_DENY_STOP = frozenset(
    [
        "insisting",
        "saying",
        "said",
        "but",
        "while",
        "although",
        "because",
        "who",
        "which",
        "as",
        "adding",
    ]
)

_ALLEGE = frozenset(
    [
        "allege",
        "alleges",
        "alleged",
        "alleging",
        "accused",
        "accuse",
        "accuses",
        "claim",
        "claims",
        "claimed",
    ]
)

_EVALUATIVE = frozenset(
    [
        "low",
        "absurd",
        "nonsense",
        "ridiculous",
        "wrong",
        "baseless",
        "unfounded",
        "false",
        "lies",
        "silly",
        "crazy",
    ]
)

_SUSPECT = frozenset(["suspect", "suspecting", "accuse", "accusing", "blame", "blaming"])


def deny_links(v: View) -> None:
    """ "X denied links to Y and Z", "X denies being the leader of Y", "X denied they ..."."""
    for k, low in enumerate(v.lows):
        if low not in _DENY:
            continue
        denier = _denier(v, k)
        if denier is None:
            continue
        j = k + 1
        if (
            v.low(j) in _ANAPHORIC and v.low(j + 1) in _CLAIM_NOUNS | {"strikes", "occurrence"}
        ) or (v.low(j) in _CLAIM_NOUNS and v.low(j + 1) == "of"):
            continue  # handled by deny_claims
        if v.low(j) in _CLAIM_NOUNS and v.low(j + 1) == "that":
            j += 1  # "denied reports that X met Y"
        targets = _that_targets(v, j, denier) or _deny_targets(v, j, denier)
        if targets and targets[0].start == j and _withheld(v, low, targets[0].end):
            continue  # "denied B access", "dismissed B from her post": no claim at all
        if low.startswith("dismiss") and not _dismissed_claim(v, j):
            continue  # "X dismisses chief executive B": sacks him
        # The claim: the words before the first target ("links to") and each target's name.
        lead = " ".join(t.text for t in v.toks[j : targets[0].start]) if targets else ""
        that = _that_clause(v, j)
        for t in targets:
            claim = that or f"{lead} {t.surface or t.name}".strip()
            v.add("denies", denier, t.name, _denier_start(v, k), t.end, "deny_links", claim=claim)


_WITHHELD = vocab().cues["withheld"]


def _dismissed_claim(v: View, j: int) -> bool:
    """What is dismissed is something said ("dismissed the claims", "dismissed suggestions
    that", "dismissed B as a fantasist"), not a person sent away."""
    words = v.lows[j : j + 8]
    return "that" in words or "as" in words or any(w in _CLAIM_NOUNS for w in words)


def _withheld(v: View, verb: str, after: int) -> bool:
    """The denial's object is someone refused something or sent away: "denied B bail",
    "dismissed B from the board"."""
    nxt = v.low(after)
    if nxt in ("a", "an", "the", "any"):
        nxt = v.low(after + 1)
    return nxt in _WITHHELD or (verb.startswith("dismiss") and v.low(after) == "from")


def _that_targets(v: View, j: int, denier: str) -> list[Mention]:
    """Everyone named in a denied that-clause: "denied that A met B" is about A and B."""
    if v.low(j) != "that":
        return []
    out: list[Mention] = []
    for m in v.mentions:
        if m.start <= j or m.name is None or m.kind == "country":
            continue
        if any(x in (".", ";", ",") for x in v.lows[j : m.start]):
            break
        if v.low(m.start - 1) in _PLACE_PREPS:
            continue  # "denied that X operates in Tamara": the place is not what is denied
        if v.state.speaker(m.name) != denier and m.name not in [o.name for o in out]:
            out.append(m)
    return out


def _that_clause(v: View, j: int) -> str:
    """ "denied that X was an agent": the denied clause itself, up to the next punctuation."""
    if v.low(j) != "that":
        return ""
    end = j + 1
    while end < len(v.toks) and v.lows[end] not in (".", ",", ";", '"'):
        end += 1
    return " ".join(t.text for t in v.toks[j + 1 : end])


def _denier(v: View, k: int) -> str | None:
    """The one who denies: the mention before the verb, through auxiliaries and asides."""
    j = k - 1
    steps = 0
    while j >= 0 and steps < 10:
        spans = [(b - a, h) for a, b, h in v.absorbed if a <= j < b]
        head = max(spans, key=lambda x: x[0])[1] if spans else None
        if head is not None and head.name:
            return v.state.speaker(head.name)
        if j in v.cover:
            m = v.cover[j]
            if m.name is None:
                return None
            return v.state.speaker(m.name)
        low = v.lows[j]
        if low in (
            "has",
            "have",
            "had",
            "is",
            "was",
            "also",
            "strongly",
            "vehemently",
            "who",
            "consistently",
            "repeatedly",
            "publicly",
            "always",
            "officially",
            "however",
            ",",
            "as",
            "expected",
            "flatly",
            "firmly",
            "categorically",
            "previously",
            "but",
            "then",
            "again",
            "long",
        ):
            j -= 1
            steps += 1
            continue
        return None
    return None


def _denier_start(v: View, k: int) -> int:
    j = k - 1
    while j >= 0 and j not in v.cover:
        j -= 1
    if j < 0:
        return k
    spans = [a for a, b, _h in v.absorbed if a <= j < b]
    return min(spans) if spans else v.cover[j].start


_DENY_OBJECT = frozenset(
    [
        "links",
        "link",
        "ties",
        "connections",
        "connection",
        "any",
        "all",
        "involvement",
        "in",
        "to",
        "with",
        "of",
        "being",
        "having",
        "been",
        "the",
        "a",
        "an",
        "that",
        "knowing",
        "knowledge",
        "contact",
        "contacts",
        "relationship",
        "relations",
        "association",
        "dealings",
        "ever",
        "meeting",
        "meetings",
        "met",
        "working",
        "his",
        "her",
        "its",
        "their",
        "reports",
        "report",
        "claims",
        "allegations",
        "accusations",
        "suggestions",
        "was",
        "were",
        "is",
        "are",
        "any",
        "direct",
        "close",
        "financial",
        "personal",
    ]
)


def _deny_targets(v: View, j: int, denier: str) -> list[Mention]:
    out: list[Mention] = []
    k = j
    joined = True
    relative = v.low(j - 2) == "who" or v.low(j - 3) == "who"
    while k < len(v.lows) and k - j < 25:
        low = v.lows[k]
        if low in _DENY_STOP or low in (".", ";") or (relative and low == ","):
            break
        if not out and k not in v.at and low not in _DENY_OBJECT and low not in ('"', "'"):
            near = (k + 1) in v.at or ((k + 2) in v.at and v.low(k + 1).isalpha())
            if not (near and low.isalpha() and v.toks[k].text.islower()):
                break  # "denies any wrongdoing": the denial is about something, not someone
        hit = v.state.lex.words.match(v.lows, k) if out else None
        if hit and hit[1].split("|")[0] in (
            "AUX",
            "LIGHT",
            "V_CALL",
            "V_MEET",
            "ATTEMPT",
            "REFUSE",
        ):
            break
        m = v.at.get(k)
        if m is not None and m.kind == "desc" and m.etype == "person" and m.target is not None:
            m = m.target  # "denies being the leader of X" is about X
        if m is not None:
            same = m.name is not None and v.state.speaker(m.name) == denier
            if m.name and not same and joined and m.name not in [o.name for o in out]:
                out.append(m)
            joined = False
            k = m.end
            continue
        if low == "and":
            joined = True
        k += 1
    return out


def deny_claims(v: View) -> None:
    """ "X has denied these claims": the claims are the allegations of the sentences before."""
    for k, low in enumerate(v.lows):
        if low not in _DENY:
            continue
        j = k + 1
        if v.low(j) in _ANAPHORIC:
            j += 1
        while v.low(j) in ("occurrence", "existence", "of", "the", "such", "an", "a", "attempted"):
            j += 1
        noun = v.low(j)
        pointing = {"such", "these", "those"} & set(v.lows[k + 1 : j])
        if not (noun in _CLAIM_NOUNS or (pointing and noun.isalpha())):
            continue
        if v.low(j + 1) == "that" and not pointing:
            continue  # "denied reports that X ...": the content is given, deny_links reads it
        denier = _denier(v, k)
        if denier is None:
            continue
        about = _claim_subjects(v, k, denier)
        if not about and noun in _REPORT_NOUNS and not pointing and v.low(j + 1) not in _OWN_WORDS:
            # ("denied allegations of bribery" says what they were: not the reports before)
            about = _reported_parties(v, denier)
        for name in about:
            v.add(
                "denies",
                denier,
                name,
                _denier_start(v, k),
                min(len(v.lows), j + 1),
                "deny_claims",
                claim=_claim_words(v, k + 1, min(len(v.toks), j + 4)),
            )


_REPORT_NOUNS = frozenset(["reports", "report", "claims", "allegations", "accusations"])
_TOPIC = frozenset(["of", "about", "over", "regarding", "concerning"])
_OWN_WORDS = _TOPIC | {"by"}
_FUNCTION_WORDS = frozenset(
    ["in", "on", "at", "for", "to", "by", "from", "into", "last", "this", "that", "his", "her",
     "their", "its", "he", "she", "they", "it", "was", "were", "is", "are", "be", "been"]
)  # fmt: skip


def _claim_words(v: View, start: int, end: int) -> str:
    """The claim's words, up to "as" ("dismissed the reports as lies": the reports)."""
    words = []
    for x in range(start, end):
        if v.lows[x] in ("as", '"', ",", "."):
            break
        words.append(v.toks[x].text)
    return " ".join(words)


def _reported_parties(v: View, denier: str) -> list[str]:
    """ "X dismissed the reports": the contact the sentence before reported is what X denies.

    The subject is the party other than the denier's own side (the denier, the organisation
    it speaks for, and anyone holding a role there): the Kremlin denying a reported meeting
    between its aide and a tycoon denies something about the tycoon.
    """
    sides = {denier, v.state.speaker(denier)}
    sides |= {r.org for r in v.state.roles if r.person == denier}
    own = {r.person for r in v.state.roles if r.org in sides} | sides
    out: list[str] = []
    for sent, pair in v.state.last_contacts:
        if sent != v.index - 1:
            continue
        if not set(pair) & own:
            return []  # neither party is the denier's: whose claim it denies is unclear
        out += [p for p in pair if p not in own and p not in out]
    return out


def _claim_subjects(v: View, k: int, denier: str) -> list[str]:
    """Who the denied claims are about, from the previous sentences."""
    j = k + 1
    words = []
    while j < len(v.lows) and v.lows[j] not in (".", ",", ";", "with", "and", "but", "as"):
        words.append(v.lows[j])
        j += 1
    key = [
        w
        for w in words
        if w not in _ANAPHORIC
        and w not in _CLAIM_NOUNS
        and w not in ("of", "an", "a", "occurrence", "attempted", "existence", "the")
    ]
    prev = v.state.recent_sentences
    out: list[str] = []
    if key and key[0] in ("claims", "claim"):
        key = []
    # ("allegations of bribery", "allegations by X that …": the claim says what it is)
    topic = bool(key) and k + 2 < len(v.lows) and v.lows[k + 2] in (*_TOPIC, "by", "that")
    # (the claim's own words, not "in" or "2017", find the sentence it comes from)
    key = [w for w in key if w.isalpha() and w not in _FUNCTION_WORDS]
    if topic and not key:
        return out
    if key:
        for sent in reversed(prev):
            toks, mentions = sent
            for i, low in enumerate(toks):
                if low in key:
                    tgt = _target_after(toks, mentions, i, denier)
                    if tgt:
                        return [tgt]
        for sent in reversed(prev):
            toks, mentions = sent
            if any(w in toks for w in key):
                names = [m for m in mentions if m.name and m.name != denier]
                return [names[0].name] if names else []  # type: ignore[list-item]
    if topic:
        return out  # "denied allegations of bribery": not whatever was alleged before
    for toks, mentions in list(reversed(prev))[:2]:
        for i, low in enumerate(toks):
            if low not in _ALLEGE:
                continue
            after = [m for m in mentions if m.start > i and m.start <= i + 2 and m.name]
            before = [m for m in mentions if m.end <= i and m.name]
            pick = (
                after[0]
                if after
                else (before[0] if before and toks[i] in ("alleged", "accused") else None)
            )
            if pick and pick.name != denier and pick.name not in out:
                out.append(pick.name)  # type: ignore[arg-type]
    return out


def _target_after(toks: list[str], mentions: list[Mention], i: int, denier: str) -> str | None:
    for k in range(i + 1, min(len(toks), i + 8)):
        if toks[k] in ("targeting", "against", "on", "at"):
            for m in mentions:
                if k < m.start <= k + 3 and m.name and m.name != denier:
                    return m.name
    return None


def deny_no_information(v: View) -> None:
    """ "X said it had no information about Y", "X refused to talk about Y"."""
    if "information" not in v.lows and not _deny_starts() & set(v.lows):
        return
    for k in range(len(v.lows)):
        hit = v.hedge(k)
        phrase = None
        if hit and hit[1] == "DENY" and hit[0] > 1:
            phrase = hit[0]
        elif v.lows[k] == "no" and v.low(k + 1) == "information" and v.low(k + 2) == "about":
            phrase = 3
        if phrase is None:
            continue
        j = k - 1
        while j >= 0 and v.lows[j] in (
            "had",
            "has",
            "have",
            "it",
            "said",
            "says",
            "today",
            "consistently",
            "repeatedly",
            "also",
            "they",
            "he",
            "she",
        ):
            j -= 1
        if j < 0 or j not in v.cover or v.cover[j].name is None:
            continue
        who = v.cover[j]
        denier = v.state.speaker(who.name)  # type: ignore[arg-type]
        for m in v.mentions:
            if k + phrase <= m.start <= k + phrase + 6 and m.name and m.name != denier:
                if v.lows[m.start] in ("it", "its", "them", "this", "that"):
                    break  # "no information about it": whatever "it" is, a guess
                if m.kind == "country" and v.low(m.start - 1) in ("in", "at", "near", "from"):
                    break  # "mercenaries killed in Syria": the place is not what is denied
                v.add("denies", denier, m.name, who.start, m.end, "deny_no_information")
                break


def quoted_no_information(v: View) -> None:
    """ "'We don't have information about X,' Y told reporters": Y denies knowing about X."""
    lows = v.lows
    for k in range(len(lows) - 3):
        if (
            lows[k] != "information"
            or lows[k + 1] != "about"
            or "n't" not in lows[max(0, k - 4) : k]
        ):
            continue
        close = next(
            (j for j in range(k, len(lows)) if lows[j] in ('"', "'") and lows[j - 1] == ","), None
        )
        if close is None or lows[0] not in ('"', "'"):
            continue
        speaker = next(
            (
                m
                for m in v.mentions
                if m.start > close and m.name and v.state.etype(m.name) == "person"
            ),
            None,
        )
        if speaker is None:
            continue
        about = next(
            (m for m in v.mentions if k + 1 < m.start <= k + 3 and m.name and m.kind != "country"),
            None,
        )
        name = about.name if about else _demonym_group(v, k + 2, close)
        if name and speaker.name:
            v.add("denies", speaker.name, name, 0, speaker.end, "quoted_no_information")


def _demonym_group(v: View, k: int, end: int) -> str | None:
    """ "other Russians": the salient group named after that people, if there is one."""
    for j in range(k, min(end, k + 3)):
        low = v.lows[j]
        if not low.endswith("s"):
            continue
        country = v.state.lex.country_names.get(low[:-1])
        if country is None or low[:-1] != country.adjective.lower():
            continue
        groups = [
            n for _s, n in v.state._recent(v.index, ("group",)) if n.split()[0] == country.adjective
        ]
        return groups[0] if groups else None
    return None


def dismiss_suspicion(v: View) -> None:
    """ "X saying it was 'so low' to suspect Y": a dismissal of a suspicion about Y."""
    for k, low in enumerate(v.lows):
        if low not in ("saying", "said", "says"):
            continue
        speaker = v.cover.get(k - 1)
        if speaker is None or speaker.name is None:
            continue
        window = v.lows[k + 1 : k + 12]
        if not set(window) & _EVALUATIVE:
            continue
        for i, w in enumerate(window):
            if w in _SUSPECT:
                target = next(
                    (m for m in v.mentions if m.start > k + 1 + i and m.start <= k + i + 5), None
                )
                if target and target.name:
                    v.add(
                        "denies",
                        speaker.name,
                        target.name,
                        speaker.start,
                        target.end,
                        "dismiss_suspicion",
                    )
                break


@functools.cache
def _deny_starts() -> frozenset[str]:
    """First words of the denial phrases ("refused to talk about")."""
    hedges = lexicon().hedges
    return frozenset(
        p[0] for entries in hedges.by_first.values() for p, c in entries if c == "DENY"
    )


PATTERNS = (
    deny_links,
    deny_claims,
    deny_no_information,
    quoted_no_information,
    dismiss_suspicion,
)
