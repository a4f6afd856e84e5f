"""The store's entities as an entity file (``entities.toml``) to seed the next investigation.

Names, types, aliases and ``part_of`` links, in the format ``ingest --entities``
reads.  An entity whose type nobody knows is written commented out, for the
reader to give it one: the file's default type (person) would otherwise claim
what the store does not know.
"""

from __future__ import annotations

import json
from collections import defaultdict

from deniable.facts.model import EntityType
from deniable.facts.store import FactStore

__all__ = ["entity_toml", "toml_string"]

_TYPES = frozenset(t.value for t in EntityType)


def toml_string(text: str) -> str:
    r"""``text`` as a TOML basic string.

    >>> print(toml_string('O\'Hara "Ace"\x7f'))
    "O'Hara \"Ace\"\u007f"
    """
    # JSON's escapes are TOML's, except that TOML also forbids a bare DEL.
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


def entity_toml(store: FactStore) -> str:
    """The whole entity file, entities by name."""
    aliases: dict[str, list[str]] = defaultdict(list)
    for alias, name in store.rows("alias"):
        if alias != name:
            aliases[name].append(alias)
    wholes: dict[str, list[str]] = defaultdict(list)
    for part, whole in store.rows("part_of"):
        wholes[part].append(whole)
    out = [
        "# Entities exported by `deniable entities --toml` from a fact store: give this file to",
        "# `deniable ingest --entities FILE` to start the next investigation with them.",
    ]
    for name, kind in store.rows("entity"):
        lines = ["[[entity]]", f"name = {toml_string(name)}"]
        if kind in _TYPES:
            lines.append(f"type = {toml_string(kind)}")
        if aliases[name]:
            lines.append(f"aliases = [{', '.join(toml_string(a) for a in sorted(aliases[name]))}]")
        if wholes[name]:
            lines.append(f"part_of = [{', '.join(toml_string(w) for w in sorted(wholes[name]))}]")
        out.append("")
        if kind not in _TYPES:
            out.append(f"# type {kind!s} is not known: give one (person, org, place, group)")
            lines = [f"# {line}" for line in lines]
        out += lines
    return "\n".join(out) + "\n"
