"""Whether a store's conclusions are stale: the generation and rule files against the last stamp.

A derivation is current when the store's generation is the one it read and the
rule files a command would load now hash to what it ran.  Both are cheap to ask:
the generation is one ``meta`` row and the fingerprint reads the rule files'
bytes, without parsing them, so a command that finds nothing changed costs
nothing more.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from importlib.abc import Traversable
from pathlib import Path

from deniable.facts import generation
from deniable.facts.generation import DerivationStamp
from deniable.facts.store import FactStore

__all__ = ["RulesFingerprint", "Staleness", "rules_fingerprint", "staleness"]

#: How many changed rule files a reason names before it says "and N more".
_NAMED_FILES = 3


@dataclass(frozen=True, slots=True)
class RulesFingerprint:
    """The rule files of a program by display name, each with the sha256 of its bytes."""

    files: dict[str, str]

    @property
    def digest(self) -> str:
        """One hash over the names, the order and the contents of every file."""
        h = hashlib.sha256()
        for name, sha in self.files.items():
            h.update(f"{name}\0{sha}\n".encode())
        return h.hexdigest()

    def stamp(self, generation_read: int) -> DerivationStamp:
        """The stamp of a derivation that read ``generation_read`` with these files."""
        return DerivationStamp(generation_read, self.digest, dict(self.files))


def rules_fingerprint(paths: Sequence[Traversable | Path]) -> RulesFingerprint:
    """Fingerprint the rule files ``paths`` (as :func:`~deniable.rules.workbench.rule_paths` lists).

    A file that cannot be read gets no hash; the derivation that follows fails on it
    with the parser's one-line error.
    """
    files = {}
    for path in paths:
        try:
            sha = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError:
            sha = "unreadable"
        files[display_name(path)] = sha
    return RulesFingerprint(files)


def display_name(path: Traversable | Path) -> str:
    """How a rule file is named in stamps and messages: ``std/NAME``, or its path.

    A standard file is named the same wherever deniable is installed, so moving
    the installation does not read as changed rules.
    """
    if not isinstance(path, Path) or path.parent == Path(str(_standard_folder())):
        return f"std/{path.name}"
    return str(path)


def _standard_folder() -> Traversable:
    return resources.files("deniable.rules") / "std"


@dataclass(frozen=True, slots=True)
class Staleness:
    """Why a store's conclusions are stale.

    ``derived`` is the last derivation's stamp (``None``: none was recorded);
    ``generation`` the store's generation now; ``rules_changed`` the rule files
    added, removed or edited since, by display name.
    """

    generation: int
    derived: DerivationStamp | None
    rules_changed: tuple[str, ...]
    any_conclusions: bool

    @property
    def documents_changed(self) -> bool:
        """Whether documents or entities were written since the last derivation."""
        return self.derived is not None and self.derived.generation != self.generation

    @property
    def reason(self) -> str:
        """Why, in words for a one-line message (no trailing period)."""
        if self.derived is None:
            if not self.any_conclusions:
                return "no conclusions were derived yet"
            return "the conclusions do not record what they were derived from"
        reasons = []
        if self.documents_changed:
            reasons.append(
                "documents, entities or review decisions changed: "
                f"generation {self.derived.generation}, now {self.generation}"
            )
        if self.rules_changed:
            named = ", ".join(self.rules_changed[:_NAMED_FILES])
            more = len(self.rules_changed) - _NAMED_FILES
            reasons.append(f"rules changed: {named}" + (f" and {more} more" if more > 0 else ""))
        return "; ".join(reasons) or "the rule files changed"


def staleness(store: FactStore, fingerprint: RulesFingerprint) -> Staleness | None:
    """Return why the store's conclusions are stale for the rule files ``fingerprint`` names.

    Returns:
        ``None`` when they are current: derived from this generation with these files.
    """
    now = generation.current(store.db)
    stamp = generation.read_stamp(store.db)
    if stamp is None:
        return Staleness(now, None, (), bool(store.derived_tables()))
    if stamp.generation == now and stamp.rules_hash == fingerprint.digest:
        return None
    return Staleness(now, stamp, _changed_files(stamp.rules, fingerprint.files), True)


def _changed_files(before: dict[str, str], now: dict[str, str]) -> tuple[str, ...]:
    changed = [name for name, sha in now.items() if before.get(name) != sha]
    removed = [name for name in before if name not in now]
    if not changed and not removed and list(before) != list(now):
        # Same files and contents, read in another order (a --rules folder moved).
        return ("the order of the rule files",)
    return (*changed, *(f"{name} (removed)" for name in removed))
