"""prompt_toolkit completion: the kinds :func:`~deniable.repl.suggest.suggest` asks for, filled
with names from the registry, the rules and the store."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from prompt_toolkit.completion import CompleteEvent, Completer, Completion
from prompt_toolkit.document import Document

from deniable.repl.suggest import (
    CommandName,
    DirectiveName,
    EntityName,
    RelationName,
    Suggestion,
    VariableName,
    quote,
    suggest,
)

DIRECTIVES = ("decl", "input", "output", "printsize", "type")

Names = Callable[[], Sequence[tuple[str, str]]]


def matches(word: str, name: str) -> bool:
    """Whether ``name`` completes ``word``: a case-insensitive prefix of the name or of one
    of its words ("prig" finds "Yevgeny Prigozhin").

    >>> matches("prig", "Yevgeny Prigozhin"), matches("zhin", "Yevgeny Prigozhin")
    (True, False)
    """
    if not word:
        return True
    word = word.casefold()
    folded = name.casefold()
    return folded.startswith(word) or any(w.startswith(word) for w in folded.split())


class ReplCompleter(Completer):
    """Complete commands, relation names and entity names (quoted as string literals).

    Args:
        commands: returns ``(name, description)`` of each ``:command``.
        relations: returns ``(name, meta)`` of each relation, meta like ``fact/2``.
        entities: returns ``(name, type)`` of each entity in the store.
    """

    def __init__(self, commands: Names, relations: Names, entities: Names) -> None:
        self._commands = commands
        self._relations = relations
        self._entities = entities

    def get_completions(
        self, document: Document, complete_event: CompleteEvent
    ) -> Iterable[Completion]:
        for suggestion in suggest(document.text_before_cursor):
            yield from self._complete(suggestion)

    def _complete(self, suggestion: Suggestion) -> Iterable[Completion]:
        word = suggestion.word
        if isinstance(suggestion, CommandName):
            for name, description in self._commands():
                if name.startswith(word):
                    yield Completion(name, -len(word), display=f":{name}", display_meta=description)
        elif isinstance(suggestion, RelationName):
            found = [(n, meta) for n, meta in self._relations() if n.startswith(word)]
            # The standard rules' helpers only once no other relation begins so: `contact`
            # offers contact and contact_strength, not contact_at and contact_beaten.
            shown = [(n, meta) for n, meta in found if not meta.startswith("helper/")]
            for name, meta in shown or found:
                yield Completion(name, -len(word), display_meta=meta)
        elif isinstance(suggestion, DirectiveName):
            for name in DIRECTIVES:
                if name.startswith(word):
                    yield Completion(name, -len(word))
        elif isinstance(suggestion, VariableName):
            for name in suggestion.names:
                if name.startswith(word):
                    yield Completion(name, -len(word), display_meta="variable")
        elif isinstance(suggestion, EntityName):
            yield from self._complete_entity(suggestion)

    def _complete_entity(self, suggestion: EntityName) -> Iterable[Completion]:
        word = suggestion.word
        # Inside an open literal the typed text is escaped; replace exactly that much.
        typed = len(quote(word)) - 2 if suggestion.quoted else len(word)
        for name, type_ in self._entities():
            if not matches(word, name):
                continue
            if suggestion.raw:
                text = name
            elif suggestion.quoted:
                text = quote(name)[1:]
            else:
                text = quote(name)
            yield Completion(text, -typed, display=name, display_meta=type_)
