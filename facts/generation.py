"""The store's generation number and the stamp of the last derivation, kept in the ``meta`` table.

Every write that changes what rules read (documents, statements, entities, their
links) bumps the generation inside the write's own transaction, so a committed
change and its new number are never seen apart.  A derivation records the
generation it read and the hash of the rule files it ran, inside the transaction
that writes its tables; comparing the two tells whether the conclusions are stale.

Older stores have neither key: their generation is 0 and their conclusions, if
any, carry no stamp, which reads as "stale, origin unknown".
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from sqlite_utils import Database

__all__ = ["DerivationStamp", "bump", "current", "read_stamp", "write_stamp"]

_GENERATION = "generation"
_STAMP = "derived_from"


@dataclass(frozen=True, slots=True)
class DerivationStamp:
    """What a derivation was computed from.

    ``rules`` maps each rule file's display name to the sha256 of its bytes, in
    the order the program read them; ``rules_hash`` is one hash over all of it.
    """

    generation: int
    rules_hash: str
    rules: dict[str, str] = field(default_factory=dict)


def bump(db: Database) -> int:
    """Add one to the store's generation and return the new number.

    Call it inside the transaction of the write it counts (SQLite then commits or
    rolls back both together).
    """
    db.execute(
        "INSERT INTO meta (key, value) VALUES (?, '1') "
        "ON CONFLICT (key) DO UPDATE SET value = CAST(value AS INTEGER) + 1",
        [_GENERATION],
    )
    return current(db)


def current(db: Database) -> int:
    """Return the store's generation (0 for a store no write has counted yet)."""
    row = db.execute("SELECT value FROM meta WHERE key = ?", [_GENERATION]).fetchone()
    return int(row[0]) if row else 0


def read_stamp(db: Database) -> DerivationStamp | None:
    """Return the stamp of the last derivation, or ``None`` when none was recorded.

    A stamp this version cannot read counts as missing: the conclusions are then
    re-derived, which is always safe.
    """
    row = db.execute("SELECT value FROM meta WHERE key = ?", [_STAMP]).fetchone()
    if row is None:
        return None
    try:
        data = json.loads(row[0])
        return DerivationStamp(
            int(data["generation"]), str(data["rules_hash"]), dict(data.get("rules", {}))
        )
    except (ValueError, KeyError, TypeError):
        return None


def write_stamp(db: Database, stamp: DerivationStamp) -> None:
    """Record ``stamp``; call it inside the transaction that writes the derived tables."""
    value = json.dumps(
        {"generation": stamp.generation, "rules_hash": stamp.rules_hash, "rules": stamp.rules},
        ensure_ascii=False,
    )
    db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", [_STAMP, value])
