"""Tests of ``export --format ftm``: FollowTheMoney entities, checked by followthemoney itself."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from followthemoney import model
from followthemoney.exc import InvalidData
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from deniable.cli import main
from deniable.errors import StoreError
from deniable.facts.export import export_store
from deniable.facts.ftm import FTM_FILE, ftm_entities
from deniable.facts.model import Entity, EntityType
from deniable.facts.store import FactStore

HOSTILE = "Ivo \"Ace\" O'Hara <script>alert('x')</script> & Co; DROP TABLE documents;--"
ACCENTED = "Zoë Ångström"


@pytest.fixture(scope="module")
def seeds_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The packaged seed articles with their entity file, ingested once."""
    from rich.console import Console

    from deniable.grammar.ingest import ingest_paths
    from deniable.repl.demo import seed_files

    path = tmp_path_factory.mktemp("ftm-seeds") / "seeds.db"
    articles, entities = seed_files()
    assert entities is not None
    with FactStore.open(path, create=True) as store:
        console = Console(file=open("/dev/null", "w"), width=100)  # noqa: SIM115
        ingest_paths(
            [Path(str(a)) for a in articles],
            store,
            entities=Path(str(entities)),
            replace=False,
            console=console,
        )
    return path


def _read(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _ftm_errors(entities: list[dict[str, Any]]) -> list[str]:
    """What followthemoney's model finds wrong with ``entities``, one line per problem.

    ``Schema.validate`` checks the values of every property it is given; it does not
    check that required properties are there, nor that an entity property points at
    an entity of its range, so those are checked here against the same model.
    """
    errors = []
    schemata = {e["id"]: e["schema"] for e in entities}
    if len(schemata) != len(entities):
        errors.append("duplicate ids")
    for e in entities:
        schema = model.get(e["schema"])
        if schema is None or schema.abstract:
            errors.append(f"{e['id']}: no concrete schema {e['schema']}")
            continue
        try:
            schema.validate(e)
        except InvalidData as error:
            errors.append(f"{e['id']}: {error.errors}")
        errors += [f"{e['id']}: {p} missing" for p in schema.required if not e["properties"].get(p)]
        for name, values in e["properties"].items():
            prop = schema.get(name)
            if prop is None:
                errors.append(f"{e['id']}: {schema.name} has no property {name}")
            elif prop.type.name == "entity":
                for value in values:
                    target = schemata.get(value)
                    if target is None or not model.get(target).is_a(prop.range):
                        errors.append(
                            f"{e['id']}: {name} -> {value} ({target}) not {prop.range.name}"
                        )
    return errors


def _ftm_validate(path: Path, tmp_path: Path) -> list[dict[str, Any]]:
    """Run the ``ftm validate`` command the library installs; return what it wrote back."""
    ftm = shutil.which("ftm", path=str(Path(sys.executable).parent)) or "ftm"
    out = tmp_path / "validated.json"
    done = subprocess.run(
        [ftm, "validate", "-i", str(path), "-o", str(out)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return _read(out)


def _links(entities: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [e for e in entities if e["schema"] in ("Membership", "Event", "UnknownLink")]


def test_seeds_export_round_trips_through_followthemoney(seeds_store: Path, tmp_path: Path) -> None:
    with FactStore.open(seeds_store, create=False) as store:
        (path,) = export_store(store, fmt="ftm", out_dir=tmp_path / "out")
        positive = store.db.execute(
            "SELECT count(*) FROM admitted_statements "
            "WHERE modality IN ('asserted', 'reported', 'alleged')"
        ).fetchone()[0]
        parts = len(store.rows("part_of"))
    assert path.name == FTM_FILE
    entities = _read(path)
    assert _ftm_errors(entities) == []
    # `ftm validate` re-reads every entity and cleans every value again: nothing changes.
    validated = _ftm_validate(path, tmp_path)
    keep = ("id", "schema", "properties")
    assert [{k: e[k] for k in keep} for e in validated] == entities
    schemata = [e["schema"] for e in entities]
    assert schemata.count("Article") == 5
    assert {"Person", "Organization", "Membership", "Event", "UnknownLink"} <= set(schemata)
    # A link per positive statement, each with its article as proof; a link per part_of.
    assert len([e for e in _links(entities) if e["properties"].get("proof")]) == positive
    part_of = [e for e in _links(entities) if e["properties"].get("role") == ["part of"]]
    assert len(part_of) == parts > 0
    assert len(_links(entities)) == positive + parts


def _two_articles(build) -> list[Any]:
    return [
        build(
            "a.txt",
            ["Leaked logs show Brandt phoned Lind 40 times.", "Lind is deputy minister."],
            [
                ("called", "Olek Brandt", "Vera Lind", "reported", 0,
                 {"source": "leaked logs", "count": 40, "when": "2018"}),
                ("role", "Vera Lind", "Ministry of Ports", "asserted", 1,
                 {"role": "deputy minister"}),
            ],
            entities=[
                Entity("Olek Brandt", EntityType.PERSON, ("Brandt",)),
                Entity("Vera Lind", EntityType.PERSON, ("Lind",)),
                Entity("Ministry of Ports", EntityType.ORG),
            ],
            outlet="The Ledger",
            date="2024-03-01",
        ),
        build(
            "b.txt",
            ["Brandt reportedly met Lind in Tallinn.", "Lind said she never met Brandt."],
            [
                ("met", "Olek Brandt", "Vera Lind", "alleged", 0, {"where": "Tallinn"}),
                ("met", "Vera Lind", "Olek Brandt", "negated", 1),
            ],
        ),
    ]  # fmt: skip


def test_two_exports_give_the_same_ids(desk_db: Path, build, tmp_path: Path) -> None:
    with FactStore.open(desk_db, create=False) as store:
        first = export_store(store, fmt="ftm", out_dir=tmp_path / "a")[0].read_bytes()
        second = export_store(store, fmt="ftm", out_dir=tmp_path / "b")[0].read_bytes()
    assert first == second
    # The same articles stored in another order (other row ids) keep their ids.
    ids = []
    for order in (1, -1):
        with FactStore.memory() as store:
            for extraction in _two_articles(build)[::order]:
                store.add_extraction(extraction)
            ids.append(sorted(e["id"] for e in ftm_entities(store)))
    assert ids[0] == ids[1] and len(ids[0]) == 3 + 2 + 3


def _by_name(entities: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {e["properties"]["name"][0]: e for e in entities if "name" in e["properties"]}


def test_part_of_links_are_memberships_of_the_whole(tmp_path: Path) -> None:
    """The entity file's part_of: an organisation's or a person's Membership of the
    organisation it is part of; an UnknownLink where the whole is no organisation."""
    with FactStore.memory() as store:
        store.add_entities(
            [
                Entity("Ministry of Ports", EntityType.ORG),
                Entity("Harbour Police", EntityType.ORG, part_of=("Ministry of Ports",)),
                Entity("Vera Lind", EntityType.PERSON, part_of=("Ministry of Ports",)),
                Entity("Dock Workers", EntityType.GROUP),
                Entity("Night Shift", EntityType.ORG, part_of=("Dock Workers",)),
                Entity(HOSTILE, EntityType.ORG, part_of=("Ministry of Ports",)),
            ]
        )
        (path,) = export_store(store, fmt="ftm", out_dir=tmp_path / "a")
        again = export_store(store, fmt="ftm", out_dir=tmp_path / "b")[0]
    entities = _read(path)
    assert _ftm_errors(entities) == []
    assert [
        {k: e[k] for k in ("id", "schema", "properties")} for e in _ftm_validate(path, tmp_path)
    ] == entities
    assert path.read_bytes() == again.read_bytes()  # the same ids every time
    named = _by_name(entities)
    links = {
        (e["schema"], *(e["properties"].get(p, [""])[0] for p in ("member", "organization"))):
        e["properties"]
        for e in entities
        if e["schema"] == "Membership"
    }  # fmt: skip
    ministry = named["Ministry of Ports"]["id"]
    for part in ("Harbour Police", "Vera Lind", HOSTILE):
        props = links[("Membership", named[part]["id"], ministry)]
        assert props["role"] == ["part of"]
        assert "proof" not in props  # the user's entity file, read from no article
        assert props["summary"][0].endswith("as the entity file says (read from no article)")
    (unknown,) = [e for e in entities if e["schema"] == "UnknownLink"]
    assert unknown["properties"]["subject"] == [named["Night Shift"]["id"]]
    assert unknown["properties"]["object"] == [named["Dock Workers"]["id"]]
    assert unknown["properties"]["role"] == ["part of"]
    assert model.get("Organization").is_a(model.get("Asset")) is False  # why not Ownership


def test_hostile_names_and_titles_survive(desk_db: Path, tmp_path: Path) -> None:
    with FactStore.open(desk_db, create=False) as store:
        (path,) = export_store(store, fmt="ftm", out_dir=tmp_path)
    entities = _read(path)
    assert _ftm_errors(entities) == []
    assert _ftm_validate(path, tmp_path) != []
    named = _by_name(entities)
    assert named[HOSTILE]["schema"] == named[ACCENTED]["schema"] == "Person"
    articles = {
        e["properties"]["fileName"][0]: e["properties"]
        for e in entities
        if e["schema"] == "Article"
    }
    ledger = articles["ledger/calls.txt"]
    assert ledger["title"] == ['Port calls <b>leaked</b> & "denied"']
    assert ledger["publisher"] == ["The Harbour Ledger"]
    assert ledger["publishedAt"] == ["2024-03-01"]
    assert ledger["author"] == ["R. Quill"]
    assert ledger["sourceUrl"] == ["https://ledger.example/calls?id=1&view=<full>"]
    # The hostile person's role and meeting point at their entity, whatever the name holds.
    hostile_id = named[HOSTILE]["id"]
    (runs,) = [e for e in entities if e["properties"].get("member") == [hostile_id]]
    assert runs["properties"]["organization"] == [named["Harbour Office"]["id"]]


@pytest.mark.parametrize(
    ("date", "published", "summary"),
    [
        ("2024-03-01", ["2024-03-01"], None),
        ("2024-03-01T10:00:00+02:00", ["2024-03-01T08:00:00"], None),
        ("2024-13-01", None, ["published 2024-13-01"]),
        ("2013..2014", None, ["published 2013..2014"]),
    ],
)
def test_an_article_date_ftm_cannot_read_is_kept_as_written(
    store: FactStore, build, date: str, published: list[str] | None, summary: list[str] | None
) -> None:
    store.add_extraction(build("d.txt", ["x"], date=date))
    (article,) = [e["properties"] for e in ftm_entities(store)]
    assert (article.get("publishedAt"), article.get("summary")) == (published, summary)


def test_a_newline_in_a_name_is_the_space_ftm_names_have(store: FactStore, build) -> None:
    store.add_extraction(
        build("n.txt", ["x"], [("met", 'Ann "Q" \nLee; --', "Bo Ünal", "asserted", 0)])
    )
    named = _by_name(ftm_entities(store))
    # FtM's name type folds whitespace: the one change, and the only one, to the name.
    assert {'Ann "Q" Lee; --', "Bo Ünal"} <= set(named)


def test_negated_and_attempted_statements_are_no_links(store: FactStore, build) -> None:
    for extraction in _two_articles(build):
        store.add_extraction(extraction)
    store.add_extraction(
        build("c.txt", ["Brandt tried to call Lind."],
              [("called", "Olek Brandt", "Vera Lind", "attempted", 0)])
    )  # fmt: skip
    entities = ftm_entities(store)
    assert _ftm_errors(entities) == []
    texts = [e["properties"]["description"][0] for e in _links(entities)]
    assert "Lind said she never met Brandt." not in texts
    assert "Brandt tried to call Lind." not in texts
    assert sorted(texts) == [
        "Brandt reportedly met Lind in Tallinn.",
        "Leaked logs show Brandt phoned Lind 40 times.",
        "Lind is deputy minister.",
    ]


def test_aliases_modality_and_evidence(store: FactStore, build) -> None:
    for extraction in _two_articles(build):
        store.add_extraction(extraction)
    entities = ftm_entities(store)
    named = _by_name(entities)
    assert named["Olek Brandt"]["properties"]["alias"] == ["Brandt"]
    assert named["Ministry of Ports"]["schema"] == "Organization"
    (article,) = [e for e in entities if e["properties"].get("fileName") == ["a.txt"]]
    links = {e["schema"]: e["properties"] for e in _links(entities)}
    call = links["UnknownLink"]
    # A reported call says so in its caption, its summary, and carries its evidence.
    assert call["role"] == ["called (reported by leaked logs)"]
    assert call["subject"] == [named["Olek Brandt"]["id"]]
    assert call["summary"] == [
        "Olek Brandt called Vera Lind; reported by leaked logs; 40 times; when: 2018; "
        "from “a.txt” (a.txt, The Ledger, 2024-03-01)"
    ]
    assert call["description"] == ["Leaked logs show Brandt phoned Lind 40 times."]
    assert call["proof"] == [article["id"]] and call["publisher"] == ["The Ledger"]
    assert call["date"] == ["2018"] and call["recordId"] == ["a.txt:0-45"]
    assert links["Membership"]["role"] == ["deputy minister"]
    assert links["Membership"]["organization"] == [named["Ministry of Ports"]["id"]]
    meeting = links["Event"]
    assert meeting["name"] == ["Olek Brandt met Vera Lind (alleged)"]
    assert meeting["location"] == ["Tallinn"]
    assert sorted(meeting["involved"]) == sorted(
        named[n]["id"] for n in ("Olek Brandt", "Vera Lind")
    )


@pytest.mark.parametrize(
    ("when", "dates"),
    [
        ("2018", {"date": ["2018"]}),
        ("2013..2014", {"startDate": ["2013"], "endDate": ["2014"]}),
        ("July 2018", {"date": ["2018-07"]}),
        ("former", {}),
    ],
)
def test_a_links_dates_keep_the_precision_of_the_text(
    store: FactStore, build, when: str, dates: dict[str, list[str]]
) -> None:
    store.add_extraction(build("d.txt", ["x"], [("met", "A", "B", "asserted", 0, {"when": when})]))
    (link,) = _links(ftm_entities(store))
    got = {k: v for k, v in link["properties"].items() if k in ("date", "startDate", "endDate")}
    assert got == dates


def test_a_role_held_for_a_person_is_an_unknown_link(store: FactStore, build) -> None:
    store.add_extraction(
        build("r.txt", ["Vaino, chief of staff to Putin."],
              [("role", "Anton Vaino", "Vladimir Putin", "asserted", 0,
                {"role": "chief of staff"})],
              entities=[Entity("Anton Vaino"), Entity("Vladimir Putin")])
    )  # fmt: skip
    entities = ftm_entities(store)
    assert _ftm_errors(entities) == []
    (link,) = _links(entities)
    assert link["schema"] == "UnknownLink"
    assert link["properties"]["role"] == ["role: chief of staff"]


def test_rejected_statements_only_with_include_rejected(store: FactStore, build) -> None:
    from deniable.facts.review import reject

    for extraction in _two_articles(build):
        store.add_extraction(extraction)
    (call,) = store.evidence_for("called", ("Olek Brandt", "Vera Lind"))
    reject(store, [call.statement_id], reason="wrong person", by="editor")
    kept = [e["properties"]["description"][0] for e in _links(ftm_entities(store))]
    assert "Leaked logs show Brandt phoned Lind 40 times." not in kept and len(kept) == 2
    marked = _links(ftm_entities(store, include_rejected=True))
    (rejected,) = [e["properties"] for e in marked if e["schema"] == "UnknownLink"]
    assert rejected["role"] == ["called (reported by leaked logs; REJECTED by a reviewer)"]
    assert "REJECTED by a reviewer" in rejected["summary"][0]


def test_cli_writes_the_ftm_file(desk_db: Path, tmp_path: Path, capsys) -> None:
    # A long path with markup in it is printed as it is: one line, no markup read.
    out = tmp_path / ("a [bold]long[/bold] folder name " * 3) / "out"
    assert main(["--db", str(desk_db), "export", "--format", "ftm", "--out", str(out)]) == 0
    assert capsys.readouterr().out.strip() == str(out / FTM_FILE)
    assert _ftm_errors(_read(out / FTM_FILE)) == []
    code = main(["--db", str(desk_db), "export", "--format", "ftm", "--derived", "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 2 and len(err.strip().splitlines()) == 1 and "--derived" in err


def test_the_checks_above_can_fail() -> None:
    person = {"id": "p", "schema": "Person", "properties": {"name": ["A"]}}
    broken = [
        person,
        {"id": "m", "schema": "Membership", "properties": {"member": ["p"], "date": ["July"]}},
        {"id": "u", "schema": "UnknownLink", "properties": {"subject": ["p"], "object": ["x"]}},
        {"id": "t", "schema": "Thing", "properties": {"name": ["T"]}},
    ]
    errors = _ftm_errors(broken)
    assert any("date" in e for e in errors)
    assert "m: organization missing" in errors
    assert "u: object -> x (None) not Thing" in errors
    assert "t: no concrete schema Thing" in errors


@pytest.mark.parametrize(
    ("name", "problem"),
    [("x" * 400, "name is 400 characters, over 384"), ("\u200b\t", "name is empty")],
)
def test_a_name_ftm_cannot_hold_is_one_error_and_no_file(
    build, tmp_path: Path, name: str, problem: str
) -> None:
    db = tmp_path / "s.db"
    with FactStore.open(db, create=True) as store:
        store.add_extraction(build("n.txt", ["x"], [("met", name, "Bo", "asserted", 0)]))
        with pytest.raises(StoreError, match="as FollowTheMoney") as raised:
            export_store(store, fmt="ftm", out_dir=tmp_path / "out")
    assert problem in str(raised.value) and "\n" not in str(raised.value)
    assert not (tmp_path / "out").exists()
    code = main(["--db", str(db), "export", "--format", "ftm", "--out", str(tmp_path / "out")])
    assert code == 1 and not (tmp_path / "out").exists()


def test_a_long_article_and_long_names_still_fit(store: FactStore, build) -> None:
    long_a, long_b = "A" + "a" * 200, "B" + "b" * 200
    filler = ["word " * 400] * 40 + ["é" * 1999] * 40
    store.add_extraction(
        build("long.txt", [*filler, "They met."], [("met", long_a, long_b, "reported", 80)],
              title="T" * 2000)
    )  # fmt: skip
    entities = ftm_entities(store)
    assert _ftm_errors(entities) == []
    (article,) = [e["properties"] for e in entities if e["schema"] == "Article"]
    assert len(article["bodyText"]) == 3
    # FtM strips each value at its ends; the words are all there, in order.
    assert " ".join(article["bodyText"]).split() == " ".join([*filler, "They met."]).split()
    assert len(article["title"][0]) == 1024 and article["title"][0].endswith("…")
    (meeting,) = _links(entities)
    assert meeting["properties"]["name"] == ["meeting (reported)"]


_NAMES = st.text(min_size=1, max_size=40)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(a=_NAMES, b=_NAMES, alias=_NAMES, title=st.text(max_size=40))
def test_any_names_give_valid_entities_or_one_error(
    build, a: str, b: str, alias: str, title: str
) -> None:
    with FactStore.memory() as store:
        store.add_entities([Entity(a, EntityType.PERSON, (alias,))])
        store.add_extraction(
            build("h.txt", [f"{a} met {b}."], [("met", a, b, "alleged", 0)], title=title)
        )
        try:
            entities = ftm_entities(store)
        except StoreError as error:
            assert "\n" not in str(error) and "as FollowTheMoney" in str(error)
            return
    assert _ftm_errors(entities) == []
    assert len(_links(entities)) == 1
