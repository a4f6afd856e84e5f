"""What the shell can complete at the cursor: typed suggestions from the text before it.

A pure function in the style of pgcli's ``sqlcompletion``: :func:`suggest` looks
only at text and returns what kind of name belongs at the cursor; the completer
turns the kinds into names from the store.  The statement scanner used for this
(:func:`split_statements`, :func:`is_complete`) also decides when multi-line
input is finished.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# --------------------------------------------------------------------------- suggestion kinds


@dataclass(frozen=True, slots=True)
class CommandName:
    """A ``:command`` name; ``word`` is what was typed after the colon."""

    word: str


@dataclass(frozen=True, slots=True)
class RelationName:
    """A relation name (a fact predicate, a derived or a session relation)."""

    word: str


@dataclass(frozen=True, slots=True)
class EntityName:
    """An entity name.

    ``quoted`` is true when the cursor is inside an open string literal, so the
    completion finishes the literal; otherwise the completion inserts a whole
    literal (``raw`` false) or the bare name (``raw`` true, for command arguments).
    """

    word: str
    quoted: bool = False
    raw: bool = False


@dataclass(frozen=True, slots=True)
class VariableName:
    """A variable already used in the statement."""

    word: str
    names: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class DirectiveName:
    """A directive after a leading dot: ``decl``, ``input``, ``output``, ``type``."""

    word: str


Suggestion = CommandName | RelationName | EntityName | VariableName | DirectiveName

#: Commands whose argument is a relation name, an entity name, or an atom.
RELATION_ARGUMENT: frozenset[str] = frozenset({"facts"})
ENTITY_ARGUMENT: frozenset[str] = frozenset({"entity"})
ATOM_ARGUMENT: frozenset[str] = frozenset({"why", "query"})

# --------------------------------------------------------------------------- scanner


@dataclass(frozen=True, slots=True)
class Token:
    """A lexical token of the rule language; ``kind`` is one of the ``_TOKEN`` group names."""

    kind: str
    text: str
    start: int

    @property
    def end(self) -> int:
        return self.start + len(self.text)


_TOKEN = re.compile(
    r"""
    (?P<comment>//[^\n]*|/\*(?:[^*]|\*(?!/))*(?:\*/)?)
  | (?P<string>"(?:[^"\\\n]|\\.)*"?)
  | (?P<number>\d+(?:\.\d+)?)
  | (?P<name>[A-Za-z_][A-Za-z0-9_?]*)
  | (?P<op>:-|\?-|<=|>=|!=|[(),.;!=<>+\-*/%^:\[\]{}|@$])
  | (?P<space>\s+)
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)


def scan(text: str) -> list[Token]:
    """Split ``text`` into tokens; unfinished strings and comments run to the end.

    >>> [t.kind for t in scan('p("a b"). // c')]
    ['name', 'op', 'string', 'op', 'op', 'space', 'comment']
    """
    tokens: list[Token] = []
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup or "other"
        tokens.append(Token(kind, m.group(), m.start()))
    return tokens


def split_statements(text: str, *, final: bool = False) -> tuple[list[str], str]:
    """Split ``text`` into finished statements and the unfinished rest.

    A rule, fact or query ends with a ``.`` outside strings, comments and
    parentheses; a ``:command`` ends at the end of its line, and so does a
    ``.directive`` once its parentheses are closed.  With ``final`` (the input
    ends here) a command or directive ending at the end of ``text`` counts as
    finished too.

    >>> split_statements('p("a"). q(x) :-\\n  p(x).\\n:help\\nr(')
    (['p("a").', 'q(x) :-\\n  p(x).', ':help'], 'r(')
    """
    statements: list[str] = []
    tokens = scan(text)
    start = -1  # offset of the current statement's first token, -1 between statements
    mode = ""  # "command", "directive" or "clause"
    depth = 0
    for i, tok in enumerate(tokens):
        if tok.kind in ("space", "comment"):
            if start >= 0 and mode != "clause" and depth <= 0 and "\n" in tok.text:
                statements.append(text[start : tok.start].strip())
                start, depth = -1, 0
            continue
        if start < 0:
            start, depth = tok.start, 0
            mode = _mode(tokens, i)
        if mode == "command" or tok.kind != "op":
            continue
        if tok.text in "([{":
            depth += 1
        elif tok.text in ")]}":
            depth -= 1
        elif tok.text == "." and depth <= 0 and mode == "clause":
            statements.append(text[start : tok.end].strip())
            start = -1
    rest = "" if start < 0 else text[start:].strip()
    if rest and final and mode != "clause" and depth <= 0:
        statements.append(rest)
        rest = ""
    return statements, rest


def is_complete(text: str) -> bool:
    """Whether ``text`` holds only finished statements (so Enter runs it).

    >>> is_complete('p(x) :- q(x).'), is_complete('p(x) :-'), is_complete(':help')
    (True, False, True)
    """
    statements, rest = split_statements(text, final=True)
    return bool(statements) and not rest


def _mode(tokens: list[Token], i: int) -> str:
    tok = tokens[i]
    if tok.text == ":" and tok.kind == "op":
        return "command"
    nxt = tokens[i + 1] if i + 1 < len(tokens) else None
    if tok.text == "." and nxt is not None and nxt.kind == "name":
        return "directive"
    return "clause"
