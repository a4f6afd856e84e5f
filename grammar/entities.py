"""Entity files (TOML), the knowledge they give, and the alias index names are matched with."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from deniable.errors import InputError, Location
from deniable.facts.model import Entity, EntityType
from deniable.grammar.tokens import Token, clean, fold, tokenize

_TOML_POS = re.compile(r"\(at line (\d+), column (\d+)\)")
_KEYS = frozenset({"name", "type", "aliases", "part_of", "speaks_for"})


@dataclass(slots=True)
class AliasIndex:
    """Surface forms of entities, matched longest first over tokens.

    A capitalised word of an alias only matches a capitalised word of the text, so the alias
    "Wagner" does not fire on "wagner" and lower-case aliases ("authorities") match any case.
    """

    # first folded word -> [(folded words, capitalised flags, entity name)], longest first
    by_first: dict[str, list[tuple[tuple[str, ...], tuple[bool, ...], str]]] = field(
        default_factory=dict
    )

    def add(self, alias: str, name: str) -> None:
        toks = tokenize(clean(alias))
        while toks and toks[-1].low in ("'s", "'"):
            toks.pop()
        if toks and toks[0].low in ("the", "a", "an") and len(toks) > 1:
            # "the Kremlin" and "Kremlin" are one alias; the article is matched separately.
            toks = toks[1:]
        if not toks:
            return
        key = tuple(fold(t.text) for t in toks)
        caps = tuple(t.text[:1].isupper() for t in toks)
        entries = self.by_first.setdefault(key[0], [])
        if any(e[0] == key and e[2] == name for e in entries):
            return
        entries.append((key, caps, name))
        entries.sort(key=lambda e: -len(e[0]))

    def match(self, toks: list[Token], keys: list[str], i: int) -> tuple[int, str] | None:
        """Return (length, entity name) of the longest alias starting at token ``i``."""
        for key, caps, name in self.by_first.get(keys[i], ()):
            n = len(key)
            if tuple(keys[i : i + n]) != key:
                continue
            # Only the first word is case-checked: "Wagner group" is still the Wagner Group.
            if _case_ok(toks[i].text, caps[0]):
                return n, name
        return None

    def copy(self) -> AliasIndex:
        return AliasIndex({k: list(v) for k, v in self.by_first.items()})


def _case_ok(text: str, capitalised: bool) -> bool:
    return not capitalised or text[:1].isupper() or text[:1].isdigit()


@dataclass(slots=True)
class Knowledge:
    """What an entity file says: entities by name, who speaks for whom, and the alias index."""

    entities: dict[str, Entity] = field(default_factory=dict)
    # An organisation that, when it speaks or denies, stands for another ("Kremlin" -> government).
    speaks_for: dict[str, str] = field(default_factory=dict)
    index: AliasIndex = field(default_factory=AliasIndex)

    @classmethod
    def of(cls, entities: Iterable[Entity], speaks_for: dict[str, str] | None = None) -> Knowledge:
        k = cls(speaks_for=dict(speaks_for or {}))
        for e in entities:
            k.entities[e.name] = e
            k.index.add(e.name, e.name)
            for a in e.aliases:
                k.index.add(a, e.name)
        return k

    def chain(self, name: str) -> list[str]:
        """Return the organisations ``name`` is part of, nearest first, following part_of links."""
        out: list[str] = []
        todo = list(self.entities[name].part_of) if name in self.entities else []
        while todo:
            n = todo.pop(0)
            if n not in out and n != name:
                out.append(n)
                if n in self.entities:
                    todo.extend(self.entities[n].part_of)
        return out


def load_entities(path: Path) -> list[Entity]:
    """Read an entity file: ``[[entity]]`` tables with name, type, aliases and part_of.

    Raises:
        InputError: the file is unreadable, not TOML, or an entity is malformed.
    """
    return list(load_knowledge(path).entities.values())


def load_knowledge(path: Path) -> Knowledge:
    """Read an entity file into :class:`Knowledge` (entities plus ``speaks_for`` links)."""
    try:
        raw = path.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read entity file: {exc}", Location(str(path))) from None
    try:
        data = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as exc:
        m = _TOML_POS.search(str(exc))
        line, col = (int(m.group(1)), int(m.group(2))) if m else (0, 0)
        if m is None and "end of document" in str(exc):
            line = raw.count("\n") or 1
        msg = _TOML_POS.sub("", str(exc)).replace("(at end of document)", "").strip()
        raise InputError(
            f"entity file is not valid TOML: {msg}", Location(str(path), line, col)
        ) from None
    tables = data.get("entity", [])
    if not isinstance(tables, list):
        raise InputError("entity file: use [[entity]] tables", Location(str(path)))
    entities: list[Entity] = []
    speaks: dict[str, str] = {}
    for n, t in enumerate(tables, 1):
        entities.append(_entity(t, n, path, speaks))
    return Knowledge.of(entities, speaks)


def _entity(t: object, n: int, path: Path, speaks: dict[str, str]) -> Entity:
    where = Location(str(path), _entity_line(path, n))
    if not isinstance(t, dict) or not isinstance(t.get("name"), str) or not t["name"].strip():
        raise InputError(f"entity #{n} needs a non-empty string 'name'", where)
    unknown = set(t) - _KEYS
    if unknown:
        raise InputError(f"entity {t['name']!r}: unknown key(s) {sorted(unknown)}", where)
    try:
        etype = EntityType(t.get("type", "person"))
    except ValueError:
        kinds = ", ".join(e.value for e in EntityType)
        raise InputError(f"entity {t['name']!r}: type must be one of {kinds}", where) from None
    lists = {}
    for key in ("aliases", "part_of"):
        v = t.get(key, [])
        if not isinstance(v, list) or not all(isinstance(a, str) and a.strip() for a in v):
            raise InputError(f"entity {t['name']!r}: {key} must be a list of strings", where)
        lists[key] = tuple(v)
    if isinstance(t.get("speaks_for"), str) and t["speaks_for"].strip():
        speaks[t["name"]] = t["speaks_for"]
    return Entity(t["name"], etype, lists["aliases"], lists["part_of"], known=True)


def _entity_line(path: Path, n: int) -> int:
    """Line of the ``n``-th ``[[entity]]`` header, for error messages."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return 0
    seen = 0
    for i, line in enumerate(lines, 1):
        if line.strip().startswith("[[entity]]"):
            seen += 1
            if seen == n:
                return i
    return 0
