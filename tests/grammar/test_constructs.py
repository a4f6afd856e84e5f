"""Golden cases per construct: tests/golden/extract/<construct>/cases.txt.

Each block is a sentence or two written for the construct (never taken from an article), the
facts it must give ("+ pred(a, b) [modality]") and the facts it must not give as positive
("- pred(a, b)") or with a given modality ("- pred(a, b) attempted").  A block named ``neg_*``
is a trap; with no "-" line it must give no positive event, denial or charge at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from deniable.facts.model import SYMMETRIC, Document
from deniable.grammar.extract import extract

CASES = Path(__file__).resolve().parent.parent / "golden" / "extract"
_LINE = re.compile(r"^([+-]) (\w+)\(([^,]+), ([^)]+)\)(?: (\w+))?$")
_EVENTS = frozenset({"met", "called", "denies", "indicted_by", "pictured_with"})


@dataclass
class Case:
    name: str
    text: list[str] = field(default_factory=list)
    must: list[tuple[str, str, str, str | None]] = field(default_factory=list)
    must_not: list[tuple[str, str, str, str | None]] = field(default_factory=list)


def _cases() -> list[Case]:
    out: list[Case] = []
    for path in sorted(CASES.glob("*/cases.txt")):
        case: Case | None = None
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("## "):
                case = Case(f"{path.parent.name}/{line[3:].strip()}")
                out.append(case)
            elif case is None or not line.strip() or line.startswith("#"):
                continue
            elif m := _LINE.match(line):
                sign, pred, a, b, mod = m.groups()
                if sign == "+":
                    case.must.append((pred, a.strip(), b.strip(), mod))
                else:
                    case.must_not.append((pred, a.strip(), b.strip(), mod))
            elif re.match(r"^[+-] \w+\(", line):
                raise ValueError(f"{path}: not a fact line: {line!r}")  # a typo, not text
            else:
                case.text.append(line)
    return out


def _key(pred: str, a: str, b: str) -> tuple[str, str, str]:
    if pred in SYMMETRIC:
        a, b = sorted((a.lower(), b.lower()))
    return (pred, a.lower(), b.lower())


def test_cases_are_found() -> None:
    names = [c.name for c in _cases()]
    assert len(names) >= 40 and len(set(names)) == len(names)


@pytest.mark.parametrize("case", _cases(), ids=lambda c: c.name)
def test_construct(case: Case) -> None:
    text = "\n".join(case.text) + "\n"
    facts = extract(Document("case.txt", text)).facts
    got = {(_key(f.pred, *f.args), f.modality.value) for f in facts}
    positive = {k for k, mod in got if mod in ("asserted", "reported", "alleged")}
    shown = sorted(f"{f.pred}({f.args[0]}, {f.args[1]}) {f.modality.value}" for f in facts)
    for pred, a, b, mod in case.must:
        key = _key(pred, a, b)
        if mod is None:
            assert key in positive, shown
        else:
            assert (key, mod) in got, shown
    for pred, a, b, mod in case.must_not:
        if mod is None:
            assert _key(pred, a, b) not in positive, shown
        else:
            assert (_key(pred, a, b), mod) not in got, shown
    if case.name.split("/")[1].startswith("neg_") and not case.must_not:
        assert not {k for k in positive if k[0] in _EVENTS}, shown
