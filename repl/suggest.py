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
RELATION_ARGUMENT: frozenset[str] = frozenset({"facts", "review"})
ENTITY_ARGUMENT: frozenset[str] = frozenset({"entity"})
ATOM_ARGUMENT: frozenset[str] = frozenset({"why"})

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
    parentheses, or with a ``.`` that ends a line; a ``:command`` ends at the
    end of its line, and so does a ``.directive`` once its parentheses are closed.
    A line that starts with ``:`` is always a command: a clause still open before
    it is handed on unfinished (its missing ``.`` is then reported).
    With ``final`` (the input ends here) a command or directive ending at the
    end of ``text`` counts as finished too.

    >>> split_statements('p("a"). q(x) :-\\n  p(x).\\n:help\\nr(')
    (['p("a").', 'q(x) :-\\n  p(x).', ':help'], 'r(')
    >>> split_statements('?- p(x)\\n:help\\n')
    (['?- p(x)', ':help'], '')
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
        if start >= 0 and mode == "clause" and _command_line(tokens, i):
            # A line starting with ':' is a command: the clause before it lacks its dot
            # and is handed on as it is, so the parser says so and the command still runs.
            statements.append(text[start : tok.start].strip())
            start = -1
        if start < 0:
            start, depth = tok.start, 0
            mode = _mode(tokens, i)
        if mode == "command" or tok.kind != "op":
            continue
        if tok.text in "([{":
            depth += 1
        elif tok.text in ")]}":
            depth -= 1
        elif tok.text == "." and mode == "clause" and (depth <= 0 or _ends_line(tokens, i)):
            # A dot that ends a line ends the statement even inside unbalanced
            # parentheses: the parser then names the missing ")" instead of the
            # shell swallowing every later line.
            statements.append(text[start : tok.end].strip())
            start = -1
    rest = "" if start < 0 else text[start:].strip()
    if rest and final and mode != "clause" and depth <= 0:
        statements.append(rest)
        rest = ""
    return statements, rest


def is_complete(text: str) -> bool:
    """Whether ``text`` holds only finished statements, comments and blanks (so Enter runs it).

    >>> is_complete('p(x) :- q(x).'), is_complete('p(x) :-'), is_complete(':help')
    (True, False, True)
    """
    tokens = scan(text)
    if tokens and _open_comment(tokens[-1]):
        return False  # an open block comment may still hide the end
    _, rest = split_statements(text, final=True)
    return not rest


def _ends_line(tokens: list[Token], i: int) -> bool:
    for tok in tokens[i + 1 :]:
        if tok.kind == "space" and "\n" in tok.text:
            return True
        if tok.kind not in ("space", "comment"):
            return False
    return True


def _command_line(tokens: list[Token], i: int) -> bool:
    """Whether ``tokens[i]`` is a ``:`` that starts a line (``:-`` is one token of its own)."""
    tok = tokens[i]
    if tok.kind != "op" or tok.text != ":" or i == 0:
        return False
    before = tokens[i - 1]
    return before.kind == "space" and "\n" in before.text


def _open_comment(tok: Token) -> bool:
    text = tok.text
    return text.startswith("/*") and not (len(text) >= 4 and text.endswith("*/"))


def _mode(tokens: list[Token], i: int) -> str:
    tok = tokens[i]
    if tok.text == ":" and tok.kind == "op":
        return "command"
    nxt = tokens[i + 1] if i + 1 < len(tokens) else None
    if tok.text == "." and nxt is not None and nxt.kind == "name":
        return "directive"
    if tok.text == "#":  # #include and #define own their line, as in the C preprocessor
        return "directive"
    return "clause"


# --------------------------------------------------------------------------- suggestions

#: Tokens after which a relation name (a body or query atom) may start.
_ATOM_STARTS: frozenset[str] = frozenset({":-", "?-", ",", ";", "!", "{"})
_DIRECTIVES: tuple[str, ...] = ("decl", "input", "output", "printsize", "type")


def suggest(text: str) -> list[Suggestion]:
    """Return what may be completed at the end of ``text`` (the text before the cursor).

    >>> suggest(":he")
    [CommandName(word='he')]
    >>> suggest('?- contact("Yev')
    [EntityName(word='Yev', quoted=True, raw=False)]
    >>> suggest("r(x) :- cont")
    [RelationName(word='cont')]
    """
    tokens = scan(text)
    if tokens and (_open_comment(tokens[-1]) or tokens[-1].text.startswith("//")):
        return []
    _, rest = split_statements(text)
    # Between statements the cursor starts a new one; otherwise keep the trailing
    # whitespace of the unfinished statement, which tells "after a word" apart.
    current = text[text.rfind(rest) :] if rest else ""
    if current.startswith(":") and not current.startswith(":-"):
        return _suggest_command(current[1:])
    if current.startswith(".") and len(current) > 1 and current[1].isalpha():
        return _suggest_directive(current[1:])
    return _suggest_clause(current)


def _suggest_command(body: str) -> list[Suggestion]:
    name, space, arg = body.partition(" ")
    if not space:
        return [CommandName(name)] if re.fullmatch(r"[A-Za-z_]*", name) else []
    arg = arg.lstrip()
    if name in RELATION_ARGUMENT:
        return [RelationName(arg)] if re.fullmatch(r"[A-Za-z_0-9]*", arg) else []
    if name in ENTITY_ARGUMENT:
        return [EntityName(arg, raw=True)]
    if name in ATOM_ARGUMENT:
        return _suggest_clause(arg)
    return []


def _suggest_directive(body: str) -> list[Suggestion]:
    name, space, arg = body.partition(" ")
    if not space:
        return [DirectiveName(name)]
    if name in ("input", "output", "printsize") and re.fullmatch(r"[A-Za-z_0-9]*", arg):
        return [RelationName(arg)]
    return []


def _suggest_clause(text: str) -> list[Suggestion]:
    tokens = scan(text)
    last = tokens[-1] if tokens else None
    if last is not None and last.kind == "comment":
        return []
    if last is not None and last.kind == "string":
        if _string_closed(last.text):
            return []
        return [EntityName(_unescape(last.text[1:]), quoted=True)]
    word = last.text if last is not None and last.kind == "name" else ""
    if last is not None and not word and last.kind not in ("space", "op"):
        return []
    depth, previous = _position(tokens[:-1] if word else tokens)
    if depth == 0 and (previous is None or previous in _ATOM_STARTS):
        return [RelationName(word)]
    if depth > 0 and previous in ("(", ","):
        names = _variables(tokens[:-1] if word else tokens)
        return [EntityName(word), VariableName(word, tuple(n for n in names if n != word))]
    return []


def _position(tokens: list[Token]) -> tuple[int, str | None]:
    """Parenthesis depth (reset inside braces) and the last significant token."""
    depths = [0]
    previous: str | None = None
    for tok in tokens:
        if tok.kind in ("space", "comment"):
            continue
        previous = tok.text
        if tok.kind != "op":
            continue
        if tok.text == "(":
            depths[-1] += 1
        elif tok.text == ")":
            depths[-1] = max(depths[-1] - 1, 0)
        elif tok.text == "{":
            depths.append(0)
        elif tok.text == "}" and len(depths) > 1:
            depths.pop()
    return depths[-1], previous


def _variables(tokens: list[Token]) -> list[str]:
    """Variables seen so far: names inside parentheses not followed by ``(``."""
    seen: list[str] = []
    depth = 0
    significant = [t for t in tokens if t.kind not in ("space", "comment")]
    for i, tok in enumerate(significant):
        if tok.text == "(":
            depth += 1
        elif tok.text == ")":
            depth -= 1
        elif tok.kind == "name" and depth > 0 and tok.text != "_":
            follows = significant[i + 1].text if i + 1 < len(significant) else ""
            if follows != "(" and tok.text not in seen:
                seen.append(tok.text)
    return seen


def _string_closed(literal: str) -> bool:
    if len(literal) < 2 or not literal.endswith('"'):
        return False
    # An even run of backslashes before the final quote leaves it unescaped.
    run = len(literal[1:-1]) - len(literal[1:-1].rstrip("\\"))
    return run % 2 == 0


def _unescape(body: str) -> str:
    return re.sub(r"\\(.)", r"\1", body)


def quote(value: str) -> str:
    """A string literal of the rule language for ``value``.

    >>> print(quote('say "hi"'))
    "say \\"hi\\""
    """
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'
