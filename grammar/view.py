"""One sentence as the patterns see it: tokens, word classes, resolved mentions, candidates."""

from __future__ import annotations

from dataclasses import dataclass, field

from deniable.facts.model import Modality
from deniable.grammar.coref import DocState
from deniable.grammar.mentions import Mention
from deniable.grammar.tokens import Token


@dataclass(slots=True)
class Candidate:
    """A fact a pattern proposes, before modality: token span ``[start, end)`` of its evidence."""

    pred: str
    a: str
    b: str
    start: int
    end: int
    pattern: str
    role: str = ""
    when: str = ""
    count: int | None = None
    where: str = ""
    claim: str = ""
    hedged: bool = False
    modality: Modality | None = None


@dataclass(slots=True)
class View:
    """A sentence with its tokens, resolved mentions and the document state."""

    index: int
    toks: list[Token]
    lows: list[str]
    mentions: list[Mention]
    state: DocState
    line_start: bool = True
    line_end: bool = True
    at: dict[int, Mention] = field(default_factory=dict)
    cover: dict[int, Mention] = field(default_factory=dict)
    # spans (start, end) that appositions and titles fold into their head mention
    absorbed: list[tuple[int, int, Mention]] = field(default_factory=list)
    cands: list[Candidate] = field(default_factory=list)
    _hedges: list[tuple[int, str] | None] | None = None

    def ent(self, k: int, *types: str) -> Mention | None:
        """The resolved mention starting at token ``k`` (of one of ``types`` if given)."""
        m = self.at.get(k)
        if m is None or m.name is None:
            return None
        if types and self.state.etype(m.name) not in types:
            return None
        return m

    def hedge(self, k: int) -> tuple[int, str] | None:
        """(length, class) of the modality cue starting at token ``k`` (cached per sentence)."""
        if self._hedges is None:
            table = self.state.lex.hedges
            self._hedges = [table.match(self.lows, j) for j in range(len(self.lows))]
        return self._hedges[k] if 0 <= k < len(self._hedges) else None

    def low(self, k: int) -> str:
        return self.lows[k] if 0 <= k < len(self.lows) else ""

    def add(
        self,
        pred: str,
        a: str | None,
        b: str | None,
        start: int,
        end: int,
        pattern: str,
        **kw: object,
    ) -> None:
        if a and b and a != b:
            self.cands.append(Candidate(pred, a, b, start, end, pattern, **kw))  # type: ignore[arg-type]

    def absorb(self, start: int, end: int, head: Mention) -> None:
        self.absorbed.append((start, end, head))
