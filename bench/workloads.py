"""Deterministic benchmark workloads: seeded generators, one rule set, three dialects, files.

A :class:`Workload` holds its input facts, its rules as plain data, and the
relations to count.  :func:`write_workload` puts it on disk as a Soufflé program
(``program.dl``), one tab-separated ``<relation>.facts`` file per input relation
(the layout ``souffle -F facts -D out`` and ``deniable run`` read) and a
``workload.json`` manifest that the runners use to type the columns.  The same
rules render as pyDatalog (:func:`to_pydatalog`) and ASP for clingo
(:func:`to_clingo`).

Only ``random.Random(seed).random()`` is used because Python promises that its
sequence never changes across versions; ``randrange`` and ``choice`` make no such
promise.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

NUMBER = "number"
SYMBOL = "symbol"

Value = int | str
Row = tuple[Value, ...]


# --------------------------------------------------------------------------- rules as data


@dataclass(frozen=True, slots=True)
class Atom:
    """``pred(X, Y)``; every argument is a variable name starting with an upper-case letter."""

    pred: str
    args: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Rule:
    """``head :- body, A != B, ...``: a positive conjunctive rule with inequalities."""

    head: Atom
    body: tuple[Atom, ...]
    distinct: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Relation:
    """A relation's name, its attribute names and their Soufflé type (all columns share it)."""

    name: str
    columns: tuple[str, ...]
    type: str = SYMBOL

    @property
    def arity(self) -> int:
        return len(self.columns)


@dataclass(frozen=True, slots=True)
class Workload:
    """A named benchmark: inputs with their rows, rules, and the output relations to count."""

    name: str
    description: str
    inputs: tuple[Relation, ...]
    outputs: tuple[Relation, ...]
    rules: tuple[Rule, ...]
    facts: dict[str, list[Row]] = field(compare=False, repr=False)
    #: Scales by input facts: pyDatalog-based systems skip it above ``--pydatalog-max-facts``.
    scalable: bool = False

    @property
    def fact_count(self) -> int:
        return sum(len(rows) for rows in self.facts.values())


def _a(pred: str, *args: str) -> Atom:
    return Atom(pred, args)


# --------------------------------------------------------------------------- generators


class _Rng:
    """Seeded integers built on ``random()`` alone (stable across Python versions)."""

    def __init__(self, seed: int) -> None:
        self._random = random.Random(seed).random

    def below(self, n: int) -> int:
        return int(self._random() * n)

    def chance(self, p: float) -> bool:
        return self._random() < p


def transitive_closure(edges: int = 20_000, nodes: int | None = None, seed: int = 2) -> Workload:
    """Reachability over a random directed graph with ``edges`` distinct edges.

    With as many nodes as edges (average out-degree 1) the graph sits at the
    threshold where a giant strongly connected component appears, so the closure
    size swings with the seed (0.8 to 2.9 million pairs for seeds 1 to 3); the
    default seed gives 784,966 pairs, which every system can hold.
    """
    n = nodes if nodes is not None else edges
    rng = _Rng(seed)
    seen: set[Row] = set()
    rows: list[Row] = []
    while len(rows) < edges:
        a, b = rng.below(n), rng.below(n)
        if a != b and (a, b) not in seen:
            seen.add((a, b))
            rows.append((a, b))
    return Workload(
        name=f"tc-{edges}",
        description=f"transitive closure, random graph, {n:,} nodes, {edges:,} edges, seed {seed}",
        inputs=(Relation("edge", ("x", "y"), NUMBER),),
        outputs=(Relation("path", ("x", "y"), NUMBER),),
        rules=(
            Rule(_a("path", "X", "Y"), (_a("edge", "X", "Y"),)),
            Rule(_a("path", "X", "Z"), (_a("path", "X", "Y"), _a("edge", "Y", "Z"))),
        ),
        facts={"edge": rows},
    )


def chain(steps: int = 1_000_000) -> Workload:
    """Reachability along one path of ``steps`` edges from its first node.

    Each semi-naive round adds one row, so the workload measures what a round costs
    (``steps`` rounds): deep recursion, not volume.
    """
    return Workload(
        name=f"chain-{steps}",
        description=f"deep recursion, one path of {steps:,} edges: {steps:,} rounds",
        inputs=(Relation("start", ("x",), NUMBER), Relation("link", ("x", "y"), NUMBER)),
        outputs=(Relation("reach", ("x",), NUMBER),),
        rules=(
            Rule(_a("reach", "X"), (_a("start", "X"),)),
            Rule(_a("reach", "Y"), (_a("reach", "X"), _a("link", "X", "Y"))),
        ),
        facts={"start": [(0,)], "link": [(i, i + 1) for i in range(steps)]},
        scalable=True,
    )


def same_generation(nodes: int = 3_000, levels: int = 30, seed: int = 2) -> Workload:
    """Same-generation over a random tree of ``levels`` levels below one root.

    Every level holds about ``nodes / levels`` nodes whose parents are drawn from
    the level above, so the result is every ordered pair of distinct nodes on the
    same level: about ``nodes² / levels`` pairs (297,614 by default).
    """
    rng = _Rng(seed)
    width = max(1, (nodes - 1) // levels)
    previous = [0]
    next_id = 1
    rows: list[Row] = []
    for level in range(levels):
        size = width if level < levels - 1 else nodes - next_id
        size = max(size, 1)
        current = list(range(next_id, next_id + size))
        next_id += size
        rows.extend((child, previous[rng.below(len(previous))]) for child in current)
        previous = current
    return Workload(
        name=f"sg-{nodes}",
        description=(
            f"same generation, random tree, {next_id:,} nodes on {levels} levels, seed {seed}"
        ),
        inputs=(Relation("parent", ("child", "parent"), NUMBER),),
        outputs=(Relation("sg", ("x", "y"), NUMBER),),
        rules=(
            Rule(
                _a("sg", "X", "Y"),
                (_a("parent", "X", "P"), _a("parent", "Y", "P")),
                distinct=(("X", "Y"),),
            ),
            Rule(
                _a("sg", "X", "Y"),
                (_a("parent", "X", "A"), _a("sg", "A", "B"), _a("parent", "Y", "B")),
            ),
        ),
        facts={"parent": rows},
    )


#: Shares of the input facts per relation in the investigation base; ``called`` takes the rest.
_INVESTIGATION_SHARES = {
    "person": 0.10,
    "organisation": 0.02,
    "role": 0.15,
    "part_of": 0.0195,
    "met": 0.28,
    "denies": 0.04,
}
_ORGS_PER_HIERARCHY = 40
_LOCAL_CONTACT = 0.6


def investigation(facts: int = 10_000, seed: int = 3) -> Workload:
    """A synthetic investigation base with exactly ``facts`` input facts.

    Organisations form hierarchies of about 40 (``part_of`` chains a few levels
    deep); persons hold roles in them; calls and meetings mostly stay inside a
    person's own hierarchy, as real contacts do; denials come from organisations
    and persons about persons.  The rules make contact symmetric, close
    affiliation over ``part_of`` and find denials contradicted by a contact of
    the denier or of someone affiliated with it.
    """
    rng = _Rng(seed)
    count = {rel: max(1, int(facts * share)) for rel, share in _INVESTIGATION_SHARES.items()}
    n_person, n_org = count["person"], count["organisation"]
    persons = [f"p{i}" for i in range(n_person)]
    orgs = [f"org{i}" for i in range(n_org)]

    part_of = _org_hierarchies(n_org, rng)[: count["part_of"]]
    home = [rng.below(n_org) for _ in range(n_person)]
    hierarchy_members = _members_by_hierarchy(home)
    roles = _distinct_rows(
        count["role"],
        lambda: _role(rng, home, n_org),
        first=[(p, home[p]) for p in range(n_person)],
        allow_self=True,  # person 5 may hold a role in organisation 5
    )

    def contact() -> tuple[int, int]:
        a = rng.below(n_person)
        local = hierarchy_members[home[a] // _ORGS_PER_HIERARCHY]
        b = local[rng.below(len(local))] if rng.chance(_LOCAL_CONTACT) else rng.below(n_person)
        return a, b

    met = _distinct_rows(count["met"], contact)

    def denial() -> tuple[str, str]:
        # Denials mostly concern someone near the denier, as in the seed articles.
        if rng.chance(0.6):
            org = rng.below(n_org)
            denier, block = orgs[org], org // _ORGS_PER_HIERARCHY
        else:
            person = rng.below(n_person)
            denier, block = persons[person], home[person] // _ORGS_PER_HIERARCHY
        near = hierarchy_members[block]
        subject = near[rng.below(len(near))] if near and rng.chance(0.5) else rng.below(n_person)
        return denier, persons[subject]

    denies = _distinct_rows(count["denies"], denial)
    n_called = facts - n_person - n_org - len(part_of) - len(roles) - len(met) - len(denies)
    called = _distinct_rows(n_called, contact)

    rows: dict[str, list[Row]] = {
        "person": [(p,) for p in persons],
        "organisation": [(o,) for o in orgs],
        "role": [(persons[p], orgs[o]) for p, o in roles],
        "part_of": [(orgs[a], orgs[b]) for a, b in part_of],
        "called": [(persons[a], persons[b]) for a, b in called],
        "met": [(persons[a], persons[b]) for a, b in met],
        "denies": list(denies),
    }
    return Workload(
        name=f"inv-{_short(facts)}",
        description=f"investigation base, {facts:,} facts, seed {seed}",
        inputs=(
            Relation("person", ("name",)),
            Relation("organisation", ("name",)),
            Relation("role", ("person", "org")),
            Relation("part_of", ("org", "parent")),
            Relation("called", ("caller", "callee")),
            Relation("met", ("a", "b")),
            Relation("denies", ("denier", "subject")),
        ),
        outputs=(
            Relation("contact", ("a", "b")),
            Relation("affiliated", ("person", "org")),
            Relation("contradicted", ("denier", "subject")),
        ),
        rules=_INVESTIGATION_RULES,
        facts=rows,
        scalable=True,
    )


_INVESTIGATION_RULES = (
    Rule(_a("contact", "X", "Y"), (_a("called", "X", "Y"),)),
    Rule(_a("contact", "Y", "X"), (_a("called", "X", "Y"),)),
    Rule(_a("contact", "X", "Y"), (_a("met", "X", "Y"),)),
    Rule(_a("contact", "Y", "X"), (_a("met", "X", "Y"),)),
    Rule(_a("affiliated", "X", "O"), (_a("role", "X", "O"), _a("person", "X"))),
    Rule(_a("affiliated", "X", "P"), (_a("affiliated", "X", "O"), _a("part_of", "O", "P"))),
    Rule(
        _a("contradicted", "D", "S"),
        (
            _a("denies", "D", "S"),
            _a("organisation", "D"),
            _a("affiliated", "W", "D"),
            _a("contact", "W", "S"),
        ),
    ),
    Rule(
        _a("contradicted", "D", "S"),
        (_a("denies", "D", "S"), _a("person", "D"), _a("contact", "D", "S")),
    ),
)


def _org_hierarchies(n_org: int, rng: _Rng) -> list[tuple[int, int]]:
    """Blocks of organisations; each but the block's first has a parent earlier in its block."""
    rows = []
    for org in range(n_org):
        offset = org % _ORGS_PER_HIERARCHY
        if offset:
            rows.append((org, org - offset + rng.below(offset)))
    return rows


def _members_by_hierarchy(home: list[int]) -> list[list[int]]:
    blocks: list[list[int]] = [[] for _ in range(max(home) // _ORGS_PER_HIERARCHY + 1)]
    for person, org in enumerate(home):
        blocks[org // _ORGS_PER_HIERARCHY].append(person)
    return blocks


def _role(rng: _Rng, home: list[int], n_org: int) -> tuple[int, int]:
    # A second role sits in the person's own hierarchy or, less often, anywhere.
    person = rng.below(len(home))
    base = home[person] - home[person] % _ORGS_PER_HIERARCHY
    if rng.chance(0.7):
        return person, min(n_org - 1, base + rng.below(_ORGS_PER_HIERARCHY))
    return person, rng.below(n_org)


def _distinct_rows(
    n: int,
    draw: Callable[[], tuple[Any, Any]],
    first: Iterable[tuple[Any, Any]] = (),
    *,
    allow_self: bool = False,
) -> list[tuple[Any, Any]]:
    """``n`` distinct pairs: ``first`` and then fresh ``draw()`` results (no ``(x, x)``)."""
    seen: set[tuple[Any, Any]] = set()
    rows: list[tuple[Any, Any]] = []
    for row in first:
        if len(rows) < n and row not in seen:
            seen.add(row)
            rows.append(row)
    while len(rows) < n:
        row = draw()
        if (allow_self or row[0] != row[1]) and row not in seen:
            seen.add(row)
            rows.append(row)
    return rows


def _short(n: int) -> str:
    for unit, size in (("m", 1_000_000), ("k", 1_000)):
        if n >= size and n % size == 0:
            return f"{n // size}{unit}"
    return str(n)


# --------------------------------------------------------------------------- catalogue

#: The workloads ``bench/run.py`` knows by name.
CATALOGUE: dict[str, Callable[[], Workload]] = {
    "tc": lambda: transitive_closure(20_000),
    "sg": lambda: same_generation(3_000),
    "inv-10k": lambda: investigation(10_000),
    "inv-100k": lambda: investigation(100_000),
    "inv-1m": lambda: investigation(1_000_000),
    "chain-1m": lambda: chain(1_000_000),
    # Seconds for every system: the sanity test and `--workloads tiny`.
    "tc-tiny": lambda: transitive_closure(60, nodes=50),
    "sg-tiny": lambda: same_generation(40, levels=4),
    "inv-tiny": lambda: investigation(600),
    "chain-tiny": lambda: chain(50),
}
DEFAULT_WORKLOADS = ("tc", "sg", "inv-10k", "inv-100k", "inv-1m")
TINY_WORKLOADS = ("tc-tiny", "sg-tiny", "inv-tiny", "chain-tiny")


# --------------------------------------------------------------------------- dialects


def to_souffle(workload: Workload) -> str:
    """The workload as a Soufflé program with ``.decl``, ``.input`` and ``.output``."""
    lines = [f"// {workload.description}", ""]
    for relation in workload.inputs:
        lines += [_decl(relation), f".input {relation.name}"]
    lines.append("")
    for relation in workload.outputs:
        lines += [_decl(relation), f".output {relation.name}"]
    lines.append("")
    lines += [_rule_text(rule, ":-", ", ") + "." for rule in workload.rules]
    return "\n".join(lines) + "\n"


def to_pydatalog(workload: Workload) -> str:
    """The rules in pyDatalog's ``head <= body & body`` syntax, for ``pyDatalog.load``."""
    return "\n".join(_rule_text(rule, "<=", " & ") for rule in workload.rules) + "\n"


def to_clingo(workload: Workload) -> str:
    """The rules as an ASP program with ``#show`` for every output relation."""
    lines = [_rule_text(rule, ":-", ", ") + "." for rule in workload.rules]
    lines += [f"#show {r.name}/{r.arity}." for r in workload.outputs]
    return "\n".join(lines) + "\n"


def _decl(relation: Relation) -> str:
    columns = ", ".join(f"{c}: {relation.type}" for c in relation.columns)
    return f".decl {relation.name}({columns})"


def _rule_text(rule: Rule, neck: str, sep: str) -> str:
    def atom(a: Atom) -> str:
        return f"{a.pred}({', '.join(a.args)})"

    # pyDatalog's `&` binds tighter than `!=`, so its comparisons need parentheses.
    template = "({} != {})" if sep.strip() == "&" else "{} != {}"
    body = [atom(a) for a in rule.body] + [template.format(x, y) for x, y in rule.distinct]
    return f"{atom(rule.head)} {neck} {sep.join(body)}"


# --------------------------------------------------------------------------- files


def write_workload(workload: Workload, directory: Path) -> Path:
    """Write ``program.dl``, ``facts/*.facts``, ``rules.pyd``, ``rules.lp`` and ``workload.json``.

    Returns:
        ``directory``, which then holds everything a runner needs.
    """
    directory.mkdir(parents=True, exist_ok=True)
    facts_dir = directory / "facts"
    facts_dir.mkdir(exist_ok=True)
    for relation in workload.inputs:
        with (facts_dir / f"{relation.name}.facts").open("w", encoding="utf-8") as f:
            f.writelines("\t".join(map(str, row)) + "\n" for row in workload.facts[relation.name])
    (directory / "program.dl").write_text(to_souffle(workload), encoding="utf-8")
    (directory / "rules.pyd").write_text(to_pydatalog(workload), encoding="utf-8")
    (directory / "rules.lp").write_text(to_clingo(workload), encoding="utf-8")
    manifest = {
        "name": workload.name,
        "description": workload.description,
        "facts": workload.fact_count,
        "inputs": [_relation_json(r) for r in workload.inputs],
        "outputs": [_relation_json(r) for r in workload.outputs],
    }
    (directory / "workload.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return directory


def _relation_json(relation: Relation) -> dict[str, object]:
    return {"name": relation.name, "arity": relation.arity, "type": relation.type}
