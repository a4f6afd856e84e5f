"""The clause grammar run over a sentence's token classes, and its trees turned into candidates."""

from __future__ import annotations

import functools
from typing import Any

from lark import Lark, Token, Transformer
from lark.exceptions import UnexpectedInput

from deniable.facts.model import Modality
from deniable.grammar.stream import Item, items
from deniable.grammar.view import View

_NUMBERS = {
    "thrice": 3,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "twice": 2,
}
_COUNTRY_OK = frozenset({"indicted_by", "denies"})


@functools.cache
def _parser() -> Lark:
    return Lark.open_from_package("deniable.grammar", "sentence.lark", parser="lalr", lexer="basic")


class _ToCandidates(Transformer):
    """Parse tree -> (subject item indices, verb phrase descriptions)."""

    def np(self, c: list[Token]) -> int:
        return int(c[-1].value.split(":", 1)[0])

    def np_list(self, c: list[Any]) -> list[int]:
        return [x for x in c if isinstance(x, int)]

    def subject(self, c: list[Any]) -> list[int]:
        return c[0]

    def object(self, c: list[Any]) -> list[int]:
        return next((x for x in c if isinstance(x, list)), [])

    def verb(self, c: list[Token]) -> str:
        return c[0].type

    def verbs(self, c: list[Any]) -> list[str]:
        return [x for x in c if isinstance(x, str) and not isinstance(x, Token)]

    def noun(self, c: list[Token]) -> str:
        return c[0].type

    def count(self, c: list[Token]) -> int | None:
        return next((_number(t) for t in c if t.type in ("COUNT", "COUNTX")), None)

    def quantity(self, c: list[Token]) -> dict[str, Any]:
        return {"quantity": next((_number(t) for t in c if t.type == "COUNT"), None)}

    def prep(self, c: list[Token]) -> str:
        return c[0].type

    def pre(self, c: list[Token]) -> str:
        return c[0].type

    def verb_clause(self, c: list[Any]) -> dict[str, Any]:
        verbs = c[0]
        objs = next((x for x in c[1:] if isinstance(x, list)), [])
        count = next((x for x in c[1:] if isinstance(x, int) and not isinstance(x, bool)), None)
        return {"kinds": verbs, "objs": objs, "count": count, "last": _last(c)}

    def nominal_clause(self, c: list[Any]) -> dict[str, Any]:
        noun = next(x for x in c if isinstance(x, str) and x.startswith("N_"))
        objs = next((x for x in c if isinstance(x, list)), [])
        q = next((x["quantity"] for x in c if isinstance(x, dict)), None)
        count = next((x for x in c if isinstance(x, int) and not isinstance(x, bool)), None)
        return {"kinds": [noun], "objs": objs, "count": count or q, "last": _last(c)}

    def passive_clause(self, c: list[Any]) -> dict[str, Any]:
        kind = c[0].type
        return {"kinds": [kind], "objs": c[-1], "count": None, "last": _last(c)}

    def attempt_clause(self, c: list[Any]) -> dict[str, Any]:
        inner = dict(c[-1])
        inner["attempted"] = True
        if "NEG_AUX" in c:
            inner["negated"] = True
        return inner

    def refuse_clause(self, c: list[Any]) -> dict[str, Any]:
        inner = next((x for x in c if isinstance(x, dict) and "kinds" in x), None)
        if inner is None:
            inner = self.nominal_clause(c)
        inner = dict(inner)
        inner["negated"] = True
        inner["refused"] = True
        return inner

    def core(self, c: list[Any]) -> dict[str, Any]:
        return c[0]

    def vp(self, c: list[Any]) -> dict[str, Any]:
        core = dict(c[-1])
        if "NEG_AUX" in c[:-1] and core.get("refused"):
            # "has not denied meeting X", "did not refuse to meet X": nothing either way
            core["unstated"] = True
        if "NEG_AUX" in c[:-1]:
            core["negated"] = True
        return core

    def vps(self, c: list[Any]) -> list[dict[str, Any]]:
        return [x for x in c if isinstance(x, dict)]

    def possessive_clause(self, c: list[Any]) -> tuple[list[int], list[dict[str, Any]]]:
        return [int(c[0].value.split(":", 1)[0])], [self.nominal_clause(c)]

    def start(self, c: list[Any]) -> tuple[list[int], list[dict[str, Any]]]:
        if len(c) == 1:
            return c[0]
        return c[0], c[1]


def _last(c: list[Any]) -> int:
    best = -1
    for x in c:
        if isinstance(x, Token):
            best = max(best, int(x.value.split(":", 1)[0]))
        elif isinstance(x, list):
            best = max([best, *[y for y in x if isinstance(y, int)]])
        elif isinstance(x, dict):
            best = max(best, x.get("last", -1))
    return best


def _number(t: Token) -> int | None:
    text = t.value.split(":", 1)[1] if ":" in t.value else ""
    if text.isdigit():
        return int(text)
    return _NUMBERS.get(text)


_PRED = {
    "V_CALL": "called",
    "V_CONTACT": "called",
    "N_CALL": "called",
    "N_CONTACT": "called",
    "V_SPEAK": "called",
    "V_MEET": "met",
    "V_VISIT": "met",
    "N_MEET": "met",
    "V_MEET_BY": "met",
    "V_PICTURE_MEET": "met",
    "V_PICTURE": "pictured_with",
    "V_INDICT": "indicted_by",
}


def clauses(v: View) -> None:
    """Run the clause grammar from every noun phrase and add the longest clause's candidates."""
    seq = items(v)
    if not any(it.cls in _TRIGGERS for it in seq):
        return
    parser = _parser()
    covered_until = -1
    for i, it in enumerate(seq):
        if it.cls not in ("NP", "POSSNP") or i <= covered_until:
            continue
        if (
            it.mention is not None
            and it.mention.kind == "pron"
            and it.mention.etype == "person_obj"
        ):
            continue
        tree, last = _longest(parser, seq, i, v)
        if tree is None:
            continue
        covered_until = i + last
        subjects, vps = _ToCandidates().transform(tree)
        _emit(v, seq[i:], subjects, vps)
    for k in range(2, len(v.lows)):
        if v.lows[k] == "who" and v.lows[k - 1] == ",":
            _relative_clause(v, parser, k)


def _relative_clause(v: View, parser: Lark, k: int) -> None:
    """ "X, who met Y in 2019, ...": the clause after "who" with X as its subject."""
    spans = [(b - a, h) for a, b, h in v.absorbed if a <= k - 2 < b]
    head = max(spans, key=lambda x: x[0])[1] if spans else v.cover.get(k - 2)
    if head is None or head.name is None:
        return
    stop = next((j for j in range(k + 1, len(v.lows)) if v.lows[j] in (",", ".", ";")), None)
    seq = [Item("NP", k, k + 1, head), *items(v, k + 1, stop, asides=False)]
    tree, _last = _longest(parser, seq, 0, v)
    if tree is not None:
        subjects, vps = _ToCandidates().transform(tree)
        _emit(v, seq, subjects, vps)


# Parses by terminal sequence: the tree only depends on the classes (and counts) fed.
_PARSES: dict[tuple[str, ...], tuple[Any, int]] = {}
_PARSES_MAX = 50_000


def _longest(parser: Lark, seq: list[Item], i: int, v: View) -> tuple[Any, int]:
    """The tree of the longest clause from ``seq[i]`` and its last item, relative to ``i``."""
    run: list[str] = []
    for it in seq[i:]:
        if it.cls not in _TERMINALS:
            break
        run.append(f"{it.cls}:{v.lows[it.start]}" if it.cls in ("COUNT", "COUNTX") else it.cls)
    key = tuple(run)
    hit = _PARSES.get(key)
    if hit is None:
        hit = _parse_longest(parser, key)
        if len(_PARSES) >= _PARSES_MAX:
            _PARSES.clear()
        _PARSES[key] = hit
    return hit


def _parse_longest(parser: Lark, run: tuple[str, ...]) -> tuple[Any, int]:
    ip = parser.parse_interactive(start="start")
    states = ip.parser_state.parse_conf.parse_table.states
    snapshots: list[tuple[Any, int]] = []
    for j, cls in enumerate(run):
        kind, _, text = cls.partition(":")
        try:
            ip.feed_token(Token(kind, f"{j}:{text}"))
        except UnexpectedInput:
            break
        # Reading the parse table is much cheaper than InteractiveParser.accepts().
        if "$END" in states[ip.parser_state.position]:
            snapshots.append((ip.copy(), j))
    for snap, last in reversed(snapshots):
        try:
            return snap.feed_eof(), last
        except UnexpectedInput:
            continue
    return None, -1


_TRIGGERS = frozenset(
    [
        "V_CALL",
        "V_CONTACT",
        "V_SPEAK",
        "V_MEET",
        "V_VISIT",
        "V_PICTURE",
        "V_PICTURE_MEET",
        "N_CALL",
        "N_MEET",
        "N_CONTACT",
        "V_INDICT",
        "V_MEET_BY",
    ]
)
_TERMINALS = frozenset(
    [
        "NP",
        "POSSNP",
        "XNP",
        "W",
        "COMMA",
        "AND",
        "ANDV",
        "AUX",
        "LIGHT",
        "NEG_AUX",
        "V_CALL",
        "V_CONTACT",
        "V_SPEAK",
        "V_MEET",
        "V_VISIT",
        "V_PICTURE",
        "V_PICTURE_MEET",
        "TO",
        "WITH",
        "ATTEMPT",
        "REFUSE",
        "MOD",
        "DET",
        "COUNT",
        "TIMES",
        "COUNTX",
        "N_CALL",
        "N_MEET",
        "N_CONTACT",
        "BETWEEN",
        "BY",
        "V_INDICT",
        "V_MEET_BY",
    ]
)


def _until(v: View, end: int) -> bool:
    """ "did not meet B until 2003": the meeting happened, later."""
    for w in v.lows[end : end + 6]:
        if w == "until":
            return True
        if w in (",", ";", ".", "but", "and"):
            return False
    return False


def _emit(v: View, seq: list[Item], subjects: list[int], vps: list[dict[str, Any]]) -> None:
    subj = [seq[s] for s in subjects]
    start = subj[0].start
    for vp in vps:
        if vp.get("unstated"):
            continue
        end = seq[vp["last"]].end if vp.get("last", -1) >= 0 else subj[-1].end
        objs = [seq[o] for o in vp["objs"]]
        modality = None
        if vp.get("negated") and not _until(
            v, seq[vp["last"]].end if vp.get("last", -1) >= 0 else end
        ):
            modality = Modality.NEGATED
        elif vp.get("attempted"):
            modality = Modality.ATTEMPTED
        for kind in vp["kinds"]:
            pred = _PRED.get(kind)
            if pred is None:
                continue
            if kind == "V_SPEAK" and modality is None and not _by_phone(v, objs):
                continue  # "spoke to" says neither phone nor meeting: only its negation counts
            if kind == "V_VISIT":
                # "visited Moscow", "hosted a summit": only a visit to a person is a meeting.
                objs = [o for o in objs if _person(v, o)]
            if kind == "V_CALL" and objs and _naming(v, objs[-1].end):
                continue  # "called him a traitor", "called X incompetent": naming, not phoning
            preds = [pred]
            if kind == "N_CONTACT" and modality is Modality.NEGATED:
                preds = ["called", "met"]
            for p in preds:
                _pairs(v, p, subj, objs, start, end, vp.get("count"), modality)


_AFTER_CALL = frozenset(
    [
        ".",
        ",",
        ";",
        ":",
        "and",
        "but",
        "in",
        "on",
        "at",
        "from",
        "during",
        "before",
        "after",
        "over",
        "about",
        "times",
        "twice",
        "again",
        "last",
        "yesterday",
        "today",
        "repeatedly",
        "several",
        "to",
        "for",
        "while",
        "when",
        "as",
        "by",
        "(",
        "-",
        "either",
        "too",
        "back",
        "personally",
        "directly",
        "first",
        "later",
        "now",
        "then",
        "soon",
        "immediately",
        "afterwards",
        "regularly",
        "often",
        "daily",
        "weekly",
        "every",
        "each",
        "early",
        "late",
        "via",
        "through",
        "using",
        "with",
        # counts: "called X dozens of times", "some 40 times", "more than once"
        "dozens",
        "hundreds",
        "scores",
        "numerous",
        "many",
        "multiple",
        "once",
        "some",
        "more",
        "nearly",
        "almost",
        "around",
        "roughly",
    ]
)


def _person(v: View, it: Item) -> bool:
    m = it.mention
    return m is not None and m.name is not None and v.state.etype(m.name) == "person"


def _naming(v: View, k: int) -> bool:
    """Whether the words after "called X" make it naming X rather than phoning X."""
    if k >= len(v.lows):
        return False
    low = v.lows[k]
    if low in _COUNT_WORDS:
        # "called X dozens of times" is phoning; "called X many names" is naming
        return not {"times", "occasions", "once", "twice"} & set(v.lows[k + 1 : k + 5])
    return not (low in _AFTER_CALL or low.isdigit() or low in _NUMBERS)


_COUNT_WORDS = frozenset(
    [
        "dozens",
        "hundreds",
        "scores",
        "numerous",
        "many",
        "multiple",
        "some",
        "more",
        "nearly",
        "almost",
        "around",
        "roughly",
        "several",
    ]
)


def _by_phone(v: View, objs: list[Item]) -> bool:
    """ "spoke to X by phone": a call after all."""
    if not objs:
        return False
    after = " ".join(v.lows[objs[-1].end : objs[-1].end + 3])
    if after.startswith(("by phone", "by telephone", "on the phone", "over the phone")):
        return True
    # "phone records show that A spoke with B 37 times": the records are of calls.
    return any(w in _PHONE_WORDS and v.low(k + 1) in _RECORD_WORDS for k, w in enumerate(v.lows))


_PHONE_WORDS = frozenset(["phone", "telephone", "call", "mobile", "cellphone"])
_RECORD_WORDS = frozenset(["records", "logs", "log", "data", "intercepts", "metadata"])


def _pairs(
    v: View,
    pred: str,
    subj: list[Item],
    objs: list[Item],
    start: int,
    end: int,
    count: int | None,
    modality: Modality | None,
) -> None:
    names = [_arg(v, it, pred) for it in subj]
    targets = [_arg(v, it, pred) for it in objs]
    pattern = f"clause:{pred}"
    if not targets and pred in ("met", "called") and len(names) >= 2:
        # "X and Y met", "X and Y spoke by phone": everyone in the subject with everyone else.
        for a_i, a in enumerate(names):
            for b in names[a_i + 1 :]:
                v.add(pred, a, b, start, end, pattern, count=count, modality=modality)
        return
    for a in names:
        for b in targets:
            v.add(pred, a, b, start, end, pattern, count=count, modality=modality)
    if pred == "pictured_with" and len(targets) > 1:
        for t_i, a in enumerate(targets):
            for b in targets[t_i + 1 :]:
                v.add(pred, a, b, start, end, pattern, modality=modality)


def _arg(v: View, it: Item, pred: str) -> str | None:
    m = it.mention
    if m is None or m.name is None:
        return None
    if m.kind == "country" and pred not in _COUNTRY_OK:
        return None
    if pred in ("called", "met", "pictured_with") and v.state.etype(m.name) == "place":
        return None
    return m.name
