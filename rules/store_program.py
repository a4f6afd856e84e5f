"""The rule program of a store: rule files, the relations rules may read, prepared inputs.

The standard library in ``rules/std`` plus ``./rules`` and each ``--rules`` folder,
parsed as one program and checked against the store's relations; ``claim_word`` is
laid out from the stored claims before every evaluation.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Sequence
from importlib import resources
from importlib.abc import Traversable
from pathlib import Path

from deniable.errors import UsageError
from deniable.facts.store import FactStore
from deniable.rules.checked import CheckedProgram

_WORD = re.compile(r"[^\W\d_]+")

#: Relations ``derive`` prepares from the store for rules: name -> ((column, type), ...).
PREPARED_INPUTS: dict[str, tuple[tuple[str, str], ...]] = {
    "claim_word": (("id", "number"), ("word", "symbol")),
}

RulePath = Traversable | Path


def standard_rule_files() -> list[Traversable]:
    """Return the standard rule library (``deniable.rules/std/*.dl``), sorted by name."""
    std = resources.files("deniable.rules") / "std"
    return sorted((f for f in std.iterdir() if f.name.endswith(".dl")), key=lambda f: f.name)


def rule_paths(rules_dirs: Sequence[Path] = (), *, cwd_rules: bool = True) -> list[RulePath]:
    """Return the rule files of a program: the standard library, ``./rules/*.dl``, then each dir.

    Args:
        rules_dirs: extra folders given with ``--rules``, in order.
        cwd_rules: include ``./rules/*.dl`` of the working directory when present
            (the demo turns this off: it reads nothing from the working directory).

    Raises:
        UsageError: a ``--rules`` folder does not exist or is not a folder.
    """
    paths: list[RulePath] = list(standard_rule_files())
    seen: set[Path] = set()
    folders: list[Path] = []
    local = Path("rules")
    if cwd_rules and local.is_dir():
        folders.append(local)
    for folder in rules_dirs:
        if not folder.is_dir():
            raise UsageError(f"{folder}: no such rules folder; give a folder of .dl files")
        folders.append(folder)
    for folder in folders:
        for path in sorted(folder.glob("*.dl")):
            key = path.resolve()
            if key not in seen:
                seen.add(key)
                paths.append(path)
    return paths


def load_store_program(
    store: FactStore, rules_dirs: Sequence[Path] = (), *, cwd_rules: bool = True
) -> CheckedProgram:
    """Parse every rule file as one program and check it against the store's relations.

    Raises:
        RuleError: every diagnostic of every file, sorted by location.
        UsageError: a ``--rules`` folder does not exist.
    """
    from deniable.rules.checks import check
    from deniable.rules.parser import parse_files

    paths = rule_paths(rules_dirs, cwd_rules=cwd_rules)
    with contextlib.ExitStack() as stack:
        # Package data is a real file in every ordinary install; as_file covers zips.
        files = [
            p if isinstance(p, Path) else stack.enter_context(resources.as_file(p)) for p in paths
        ]
        program = parse_files(files)
    return check(program, inputs=store_inputs(store))


def store_inputs(store: FactStore) -> dict[str, tuple[tuple[str, str], ...]]:
    """The relations rules may read, with named columns: the store's views and derive's inputs."""
    views = {
        name: tuple(zip(store.relation_columns(name), types, strict=True))
        for name, types in store.relations().items()
    }
    return {**views, **PREPARED_INPUTS}


def claim_words(claim: str) -> list[str]:
    """The distinct lower-case words of a denied claim, in order.

    >>> claim_words("Links to Prigozhin, links!")
    ['links', 'to', 'prigozhin']
    """
    return list(dict.fromkeys(_WORD.findall(claim.casefold())))


def prepare_inputs(store: FactStore) -> None:
    """Write ``claim_word(id, word)`` from the claims of the stored statements.

    Rules cannot look inside a string on every engine (pyDatalog has no string
    functions), so the words of each claim are laid out as a relation instead.
    """
    rows = {
        (statement_id, word)
        for statement_id, key, value in store.rows("statement_detail")
        if key == "claim"
        for word in claim_words(str(value))
    }
    store.db["claim_word"].drop(ignore=True)
    store.db.create_table("claim_word", {"id": int, "word": str}, not_null={"id", "word"})
    store.db.table("claim_word").insert_all(
        ({"id": i, "word": w} for i, w in sorted(rows)), batch_size=500
    )
