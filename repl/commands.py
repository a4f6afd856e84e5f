"""The shell's statements: ``:commands`` in a registry with generated help, queries and rules.

Commands register with :func:`special_command` (litecli style); :func:`execute`
runs one statement of any kind against a :class:`~deniable.repl.session.Session`
and prints into a Rich console.  A failing statement prints its one-line error
(with a caret where there is source) and leaves the session as it was.
"""

from __future__ import annotations

import difflib
import re
import shlex
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from deniable.errors import DeniableError, UsageError
from deniable.facts.export import FORMATS
from deniable.facts.name_forms import closest_names, name_forms
from deniable.facts.records import EntityInfo
from deniable.repl.proofs import evidence_text, print_proofs
from deniable.repl.render import MODALITY_STYLES, format_error, format_row, print_answers

if TYPE_CHECKING:
    from deniable.repl.session import Session

Handler = Callable[["Session", Console, str], None]


class Quit(Exception):
    """Raised by ``:quit``: the shell ends normally."""


@dataclass(frozen=True, slots=True)
class Command:
    """A ``:command``: its handler, how to call it and what it does (one line)."""

    name: str
    handler: Handler
    syntax: str
    description: str
    aliases: tuple[str, ...] = ()


#: Every command by name, in the order they were registered (the order of ``:help``).
COMMANDS: dict[str, Command] = {}
_ALIASES: dict[str, str] = {}


def special_command(
    name: str, syntax: str, description: str, *, aliases: tuple[str, ...] = ()
) -> Callable[[Handler], Handler]:
    """Register the decorated function as the ``:name`` command."""

    def register(handler: Handler) -> Handler:
        COMMANDS[name] = Command(name, handler, syntax, description, aliases)
        for alias in aliases:
            _ALIASES[alias] = name
        return handler

    return register


def lookup(name: str) -> Command:
    """The command called ``name`` (or one of its aliases).

    Raises:
        UsageError: no such command; the message suggests the closest one.
    """
    name = _ALIASES.get(name, name)
    if name in COMMANDS:
        return COMMANDS[name]
    close = difflib.get_close_matches(name, [*COMMANDS, *_ALIASES], n=1)
    hint = f"did you mean :{_ALIASES.get(close[0], close[0])}?" if close else "type :help"
    raise UsageError(f"unknown command :{name}; {hint}", code="unknown-command")


def command_names() -> list[tuple[str, str]]:
    """``(name, description)`` of every command, for completion."""
    return [(c.name, c.description) for c in COMMANDS.values()]


# --------------------------------------------------------------------------- statements


def execute(
    statement: str, session: Session, console: Console, *, errors: Console | None = None
) -> bool:
    """Run one statement; return whether it succeeded.

    A statement is a ``:command`` line, a query ``?- atom.``, or rule text
    (rules, facts, declarations) that extends the session program.

    Args:
        statement: one finished statement (see :func:`~deniable.repl.suggest.split_statements`).
        session: the state the statement reads and extends.
        console: where results go.
        errors: where errors go (default ``console``).

    Raises:
        Quit: the statement was ``:quit``.
    """
    text = statement.strip()
    if not text:
        return True
    try:
        if text.startswith(":") and not text.startswith(":-"):
            name, _, arg = text[1:].replace("\t", " ").partition(" ")
            command = lookup(name.strip())
            command.handler(session, console, arg.strip())
        elif text.startswith("?-"):
            atom = _atom_text(text[2:])
            with _evaluating(session, console):
                answers = session.query(atom)
            print_answers(answers, console)
        else:
            defined = session.add(text)
            names = ", ".join(defined) if defined else "nothing new"
            console.print(Text(f"ok: {names}", style="dim"))
            for warning in session.warnings:
                (errors or console).print(Text(str(warning), style="yellow"), soft_wrap=True)
    except DeniableError as error:
        (errors or console).print(format_error(error), soft_wrap=True)
        return False
    return True


def _atom_text(text: str) -> str:
    """The atom of a query or ``:why`` argument, without the closing ``.``."""
    text = text.strip()
    if text.endswith("."):
        text = text[:-1].rstrip()
    if not text:
        raise UsageError("give an atom, e.g. ?- contact(x, y).", code="no-atom")
    return text


def _evaluating(session: Session, console: Console) -> AbstractContextManager[Any]:
    """A spinner at a terminal while the session program may be evaluated."""
    if console.is_terminal and session.stale:
        return console.status("evaluating the rules…")
    return nullcontext()


def _no_argument(name: str, arg: str) -> None:
    if arg:
        raise UsageError(f":{name} takes no argument", code="usage")


def _need_argument(name: str, arg: str, what: str) -> str:
    if not arg:
        raise UsageError(f":{name} needs {what}; see :help {name}", code="usage")
    return arg


# --------------------------------------------------------------------------- commands


@special_command("help", ":help [COMMAND]", "list the commands, or explain one", aliases=("h", "?"))
def _help(session: Session, console: Console, arg: str) -> None:
    if arg:
        command = lookup(arg.lstrip(":"))
        console.print(Text(f"{command.syntax}  {command.description}"))
        return
    width = max(len(c.syntax) for c in COMMANDS.values())
    for command in COMMANDS.values():
        console.print(Text(command.syntax.ljust(width + 2)) + Text(command.description))
    console.print(
        Text(
            "Statements: ?- atom. asks a query; rules, facts and .decl typed in extend the "
            "session (they end with a dot and may span lines)."
        )
    )


@special_command(
    "relations",
    ":relations [--helpers]",
    "relations with arity, kind (fact/derived/session) and rows; --helpers: the standard "
    "rules' helpers too",
)
def _relations(session: Session, console: Console, arg: str) -> None:
    if arg.strip() not in ("", "--helpers"):
        raise UsageError(":relations takes no argument but --helpers")
    with _evaluating(session, console):
        relations = session.relations()
    # The standard rules' helpers (tie_at, source_has_earlier …) are the rules' own working:
    # summed up in a line unless asked for, as `deniable derive` does.
    helpers = [r for r in relations if r.kind == "helper"]
    shown = relations if arg.strip() else [r for r in relations if r.kind != "helper"]
    table = Table()
    table.add_column("name")
    table.add_column("arity", justify="right")
    table.add_column("kind")
    table.add_column("rows", justify="right")
    for r in shown:
        table.add_row(Text(r.name), str(r.arity), r.kind, "-" if r.rows is None else str(r.rows))
    console.print(table)
    if helpers and not arg.strip():
        rows = sum(r.rows or 0 for r in helpers)
        console.print(
            Text(
                f"and {len(helpers)} helper relations of the standard rules ({rows} rows); "
                "`:relations --helpers` lists them",
                style="dim",
            )
        )


@special_command("facts", ":facts PRED", "rows of a relation, with modality and source for facts")
def _facts(session: Session, console: Console, arg: str) -> None:
    pred = _need_argument("facts", arg, "a relation name")
    with _evaluating(session, console):
        answers = session.facts(pred)
    print_answers(answers, console)


@special_command("entity", ":entity NAME", "what is known about an entity, with sources")
def _entity(session: Session, console: Console, arg: str) -> None:
    name = _need_argument("entity", _unquote(arg), "an entity name or alias")
    info = session.store.entity(name)
    if info is not None:
        _print_entity(session, console, info)
        return
    # A surname, title or description an article used for a full name.
    forms = name_forms(session.store, name)
    if not forms:
        close = closest_names(session.store, name)
        hint = f"; closest: {', '.join(close)}" if close else ""
        raise UsageError(f"no entity called {name!r}{hint}; try :search {name}", code="no-entity")
    names = list(dict.fromkeys(form.name for form in forms))
    if len(names) > 1:
        console.print(Text(f"{name!r} stands for {len(names)} entities", style="bold"))
    for form in forms:
        console.print(Text(str(form), style="dim"))
    for found in names:
        entity = session.store.entity(found)
        if entity is not None:
            _print_entity(session, console, entity)


def _print_entity(session: Session, console: Console, info: EntityInfo) -> None:
    head = Text(info.name, style="bold")
    head.append(f"  {info.type}" + ("" if info.known else " (discovered in text)"), style="dim")
    console.print(head)
    aliases = [a for a in info.aliases if a != info.name]
    if aliases:
        console.print(Text("aliases: ") + Text(", ".join(aliases)))
    if info.part_of:
        console.print(Text("part of: ") + Text(", ".join(info.part_of)))
    if not info.facts:
        console.print(Text("no facts mention it", style="dim"))
    for fact in info.facts:
        console.print(Text(format_row(fact.pred, fact.args), style="bold"))
        # One line per kind of statement: the same modality, source and article
        # said twice is counted, not repeated.
        lines: dict[str, tuple[Text, int]] = {}
        for row in session.store.evidence_for(fact.pred, fact.args):
            line = evidence_text(row)
            seen = lines.get(line.plain)
            lines[line.plain] = (line, seen[1] + 1 if seen else 1)
        for line, count in lines.values():
            head, _, sentence = _split_evidence(line)
            suffix = Text(f" (×{count})", style="dim") if count > 1 else Text()
            console.print(Text("  ") + head + suffix)
            if sentence.plain:
                console.print(Text("    ") + sentence)


def _split_evidence(text: Text) -> tuple[Text, Text, Text]:
    """Split an evidence line into its header and the sentence under it (styles kept)."""
    cut = text.plain.find("\n")
    if cut < 0:
        return text, Text(), Text()
    return text[:cut], Text("\n"), text[cut + 1 :]


@special_command(
    "search", ":search TEXT", 'full-text search over the stored sentences; "a phrase" in quotes'
)
def _search(session: Session, console: Console, arg: str) -> None:
    text = _need_argument("search", arg, "words to find")
    hits = session.store.search(text)
    if not hits:
        console.print(Text(f"no sentence contains {text!r}", style="dim"))
        return
    table = Table()
    table.add_column("document")
    table.add_column("#", justify="right")
    table.add_column("sentence", overflow="fold")
    for hit in hits:
        sentence = Text(hit.text)
        # A quoted phrase is highlighted word by word, without its quotes.
        words = [w.strip('"') for w in text.split() if w.strip('"')]
        sentence.highlight_words(words, "bold", case_sensitive=False)
        table.add_row(Text(hit.doc), str(hit.sentence_index), sentence)
    console.print(table)
    console.print(Text(f"{len(hits)} sentence" + ("" if len(hits) == 1 else "s"), style="dim"))


@special_command(
    "why",
    ":why [OPTIONS] ATOM",
    "explain matching rows down to the sentences; --brief, --depth N, --limit N",
)
def _why(session: Session, console: Console, arg: str) -> None:
    from deniable.repl.brief import print_briefs
    from deniable.rules.strongest import strongest_chains

    options, rest = _why_options(arg)
    atom = _atom_text(_need_argument("why", rest, "an atom, e.g. :why contact(x, y)"))
    with _evaluating(session, console):
        proofs = session.explain(atom, limit=options.get("limit", 10))
        if "brief" in options:
            chains = strongest_chains(session.store, proofs, rules_dirs=session.all_rules_dirs)
            print_briefs(chains, console, matched=proofs.matched)
            return
    print_proofs(proofs, console, depth=options.get("depth"))


_WHY_OPTION = re.compile(r"\s*(--brief\b|--(depth|limit)(?:\s+|=)(\S*))")


def _why_options(arg: str) -> tuple[dict[str, int], str]:
    """The options before the atom of ``:why`` (``brief`` is 1 when given), and the atom."""
    options: dict[str, int] = {}
    while (found := _WHY_OPTION.match(arg)) is not None:
        arg = arg[found.end() :]
        if found.group(2) is None:
            options["brief"] = 1
            continue
        value = found.group(3)
        if not value.isdigit() or int(value) < 1:
            raise UsageError(
                f":why --{found.group(2)} takes a whole number of at least 1, not {value!r}",
                code="usage",
            )
        options[found.group(2)] = int(value)
    if "brief" in options and "depth" in options:
        raise UsageError(":why takes --brief or --depth, not both", code="usage")
    return options, arg.strip()


@special_command(
    "review",
    ":review [PRED] [OPTIONS]",
    "statements with their sentences, for review; options --doc DOC, --status S",
)
def _review(session: Session, console: Console, arg: str) -> None:
    from deniable.facts.review import review_queue
    from deniable.repl.queue import print_queue

    words = shlex.split(arg)
    options: dict[str, str] = {}
    preds: list[str] = []
    while words:
        word = words.pop(0)
        if word in ("--doc", "--status"):
            if not words:
                raise UsageError(f":review {word} needs a value; see :help review", code="usage")
            options[word[2:]] = words.pop(0)
        else:
            preds.append(word)
    if len(preds) > 1:
        raise UsageError(":review lists one predicate at a time", code="usage")
    items = review_queue(
        session.store,
        pred=preds[0] if preds else None,
        doc=options.get("doc"),
        status=options.get("status"),
    )
    print_queue(items, console)


@special_command("confirm", ":confirm ID…", "confirm extracted statements (kept in the store)")
def _confirm(session: Session, console: Console, arg: str) -> None:
    ids, _ = _ids_and_text("confirm", arg)
    _print_decided(session.review("confirm", ids), console)


@special_command(
    "reject", ":reject ID… REASON", "reject statements: rules no longer see them (kept)"
)
def _reject(session: Session, console: Console, arg: str) -> None:
    ids, reason = _ids_and_text("reject", arg)
    if not reason:
        raise UsageError(":reject needs a reason after the ids; see :help reject", code="usage")
    _print_decided(session.review("reject", ids, reason=reason), console)


def _ids_and_text(name: str, arg: str) -> tuple[list[int], str]:
    """The leading statement ids of a command's argument, and the text after them."""
    words = arg.split()
    ids: list[int] = []
    while words and words[0].lstrip("#").isdigit():
        ids.append(int(words.pop(0).lstrip("#")))
    if not ids:
        raise UsageError(f":{name} needs statement ids (see :review)", code="usage")
    return ids, _unquote(" ".join(words))


def _print_decided(items: list[Any], console: Console) -> None:
    from deniable.repl.queue import print_queue

    print_queue(items, console)
    console.print(Text("the next question evaluates the rules with the decision", style="dim"))


@special_command("rules", ":rules", "the rule files loaded and the rules typed in this session")
def _rules(session: Session, console: Console, arg: str) -> None:
    _no_argument("rules", arg)
    files = session.rule_files()
    console.print(Text("rule files:", style="bold"))
    for path in files:
        console.print(Text(f"  {path}"))
    if not files:
        console.print(Text("  (none)", style="dim"))
    console.print(Text("session rules:", style="bold"))
    for statement in session.statements:
        console.print(Text("  " + " ".join(statement.split())))
    if not session.statements:
        console.print(Text("  (none)", style="dim"))
    if session.declarations:
        console.print(Text("declarations inferred for session relations:", style="bold"))
        for line in session.declarations:
            console.print(Text("  " + line))


@special_command("reload", ":reload", "read the rule files again (session rules stay)")
def _reload(session: Session, console: Console, arg: str) -> None:
    _no_argument("reload", arg)
    count = session.reload()
    console.print(Text(f"reloaded {count} rule file" + ("" if count == 1 else "s"), style="dim"))


@special_command(
    "export",
    ":export [FORMAT] [DIR]",
    "write the fact tables like `deniable export` (csv, tsv, jsonl or ftm)",
)
def _export(session: Session, console: Console, arg: str) -> None:
    fmt, out = "csv", "export"
    for word in shlex.split(arg):
        if word in FORMATS:
            fmt = word
        else:
            out = word
    for path in session.export(fmt, Path(out)):
        console.print(Text(str(path)))


@special_command("quit", ":quit", "leave the shell (Ctrl-D works too)", aliases=("q", "exit"))
def _quit(session: Session, console: Console, arg: str) -> None:
    raise Quit


def _unquote(text: str) -> str:
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        return text[1:-1]
    return text


__all__ = [
    "COMMANDS",
    "MODALITY_STYLES",
    "Command",
    "Quit",
    "command_names",
    "execute",
    "lookup",
    "special_command",
]
