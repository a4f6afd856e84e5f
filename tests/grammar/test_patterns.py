"""One invented sentence (or two) per clause shape, pattern and modality."""

from __future__ import annotations

import pytest

from deniable.grammar.entities import Knowledge

# (text, expected positive facts that must be present)
POSITIVE_CASES = [
    # active and coordinated verbs, counts
    (
        "Jane Doe called and texted Marcus Bell 40 times last year.",
        {("called", "Jane Doe", "Marcus Bell")},
    ),
    ("Jane Doe met Tom Harlan on Monday.", {("met", "Jane Doe", "Tom Harlan")}),
    (
        "Jane Doe met with Tom Harlan and Marcus Bell.",
        {("met", "Jane Doe", "Tom Harlan"), ("met", "Jane Doe", "Marcus Bell")},
    ),
    # nominal contact
    (
        "Marcus Bell had 12 phone conversations with Jane Doe.",
        {("called", "Jane Doe", "Marcus Bell")},
    ),
    ("Marcus Bell made contact with Jane Doe 30 times.", {("called", "Jane Doe", "Marcus Bell")}),
    ("Marcus Bell made 17 calls to Tom Harlan.", {("called", "Marcus Bell", "Tom Harlan")}),
    (
        "Jane Doe had at least two face-to-face meetings with Tom Harlan.",
        {("met", "Jane Doe", "Tom Harlan")},
    ),
    ("Jane Doe and Tom Harlan held talks in Vienna.", {("met", "Jane Doe", "Tom Harlan")}),
    (
        "The encounter between Jane Doe and Marcus Bell lasted an hour.",
        {("met", "Jane Doe", "Marcus Bell")},
    ),
    # passive
    (
        "Marcus Bell was indicted by Acme Corp in 2017.",
        {("indicted_by", "Marcus Bell", "Acme Corp")},
    ),
    (
        "An arrest warrant has been issued by Acme Corp for Marcus Bell.",
        {("indicted_by", "Marcus Bell", "Acme Corp")},
    ),
    # titles and appositions
    ("Acme Corp spokesman Tom Harlan declined to comment.", {("role", "Tom Harlan", "Acme Corp")}),
    (
        "Northern Legion boss Marcus Bell was not available.",
        {("role", "Marcus Bell", "Northern Legion")},
    ),
    ("Tom Harlan, the head of Blue Harbour, flew home.", {("role", "Tom Harlan", "Blue Harbour")}),
    (
        "Jane Doe, who is chief of staff to Ivan Sokolov, stayed.",
        {("role", "Jane Doe", "Presidential Office")},
    ),
    (
        "Marcus Bell, who once headed the Northern Legion, retired.",
        {("role", "Marcus Bell", "Northern Legion")},
    ),
    (
        "Founded by Marcus Bell, a banker, the Northern Legion grew fast.",
        {("role", "Marcus Bell", "Northern Legion")},
    ),
    ("President Ivan Sokolov spoke first.", {("role", "Ivan Sokolov", "Ruritanian government")}),
    # relative clause denial, denial of links, metonym of the state
    (
        "Marcus Bell, who denies being the leader of the Northern Legion, smiled.",
        {("denies", "Marcus Bell", "Northern Legion")},
    ),
    (
        "The Presidential Office has denied links to Marcus Bell and his firm Blue Harbour.",
        {
            ("denies", "Ruritanian government", "Marcus Bell"),
            ("denies", "Ruritanian government", "Blue Harbour"),
        },
    ),
    ("Warsaw has denied links to Marcus Bell.", {("denies", "Polish government", "Marcus Bell")}),
    # photographs
    (
        "Jane Doe was pictured with Marcus Bell at a gala.",
        {("pictured_with", "Jane Doe", "Marcus Bell")},
    ),
    ("Jane Doe with Marcus Bell at a gala", {("pictured_with", "Jane Doe", "Marcus Bell")}),
    ("Tom Harlan and Jane Doe", {("pictured_with", "Jane Doe", "Tom Harlan")}),
    (
        "Tom Harlan is photographed with Jane Doe and Marcus Bell at a dinner.",
        {
            ("pictured_with", "Jane Doe", "Tom Harlan"),
            ("pictured_with", "Marcus Bell", "Tom Harlan"),
            ("pictured_with", "Jane Doe", "Marcus Bell"),
        },
    ),
]


@pytest.mark.parametrize(("text", "expected"), POSITIVE_CASES)
def test_shape_gives_fact(
    text: str, expected: set[tuple[str, str, str]], knowledge: Knowledge, facts, pos
) -> None:
    got = pos(facts(text, knowledge))
    assert expected <= got, got


# Sentences that must give no positive fact of the listed predicate between the two people.
NEVER_POSITIVE = [
    ("Jane Doe tried to call Marcus Bell.", "called"),
    ("Jane Doe allegedly tried to call Marcus Bell.", "called"),
    ("Jane Doe sought to meet Marcus Bell.", "met"),
    ("Jane Doe attempted to contact Marcus Bell.", "called"),
    ("Jane Doe did not meet Marcus Bell.", "met"),
    ("Jane Doe never met Marcus Bell.", "met"),
    ("Jane Doe has refused any direct contact with Marcus Bell.", "called"),
    ("Jane Doe has refused any direct contact with Marcus Bell.", "met"),
    ("Jane Doe wouldn't speak to Marcus Bell.", "called"),
    ("Jane Doe refused to meet Marcus Bell.", "met"),
    ("Jane Doe planned to call Marcus Bell.", "called"),
    ("Jane Doe will meet Marcus Bell next week.", "met"),
    ("Jane Doe has called on Marcus Bell to resign.", "called"),
    ("Jane Doe called Marcus Bell a liar.", "called"),
    ("Jane Doe called for an inquiry into Marcus Bell.", "called"),
    ("Jane Doe negotiated with Marcus Bell.", "met"),
    ("Jane Doe spoke to Marcus Bell.", "called"),
    ("Marcus Bell was accused by Jane Doe of fraud.", "indicted_by"),
    ("Acme Corp has denied that Jane Doe met Marcus Bell.", "met"),
    ("Acme Corp rejected claims that Jane Doe called Marcus Bell.", "called"),
    ("Jane Doe denied meeting Marcus Bell.", "met"),
]


@pytest.mark.parametrize(("text", "pred"), NEVER_POSITIVE)
def test_negated_or_attempted_is_never_positive(
    text: str, pred: str, knowledge: Knowledge, facts, pos
) -> None:
    got = pos(facts(text, knowledge))
    assert not {f for f in got if f[0] == pred}, got


@pytest.mark.parametrize(
    ("text", "modality"),
    [
        ("Jane Doe tried to call Marcus Bell.", "attempted"),
        ("Jane Doe allegedly tried to call Marcus Bell.", "attempted"),
        ("Jane Doe did not meet Marcus Bell.", "negated"),
        ("Jane Doe wouldn't speak to Marcus Bell.", "negated"),
        ("Jane Doe allegedly met Marcus Bell.", "alleged"),
        ("Jane Doe is believed to have met Marcus Bell.", "alleged"),
        ("According to the Ledger, Jane Doe met Marcus Bell.", "reported"),
        ("Jane Doe met Marcus Bell, leaked records show.", "reported"),
        ("Jane Doe met Marcus Bell, it has been reported.", "reported"),
        ("Jane Doe met Marcus Bell, reports say.", "reported"),
        ("Jane Doe met Marcus Bell in May.", "asserted"),
    ],
)
def test_modality(text: str, modality: str, knowledge: Knowledge, facts, pos) -> None:
    got = facts(text, knowledge)
    mods = {m for p, _a, _b, m in got if p in ("called", "met")}
    assert mods == {modality}, got


def test_speaker_after_an_apposition_is_the_source(knowledge: Knowledge) -> None:
    from deniable.facts.model import Document
    from deniable.grammar.extract import extract

    text = "Tom Harlan, a close friend of Jane Doe, said he had spoken to Marcus Bell by phone."
    (fact,) = [f for f in extract(Document("t", text), knowledge).facts if f.pred == "called"]
    assert (fact.args, fact.modality.value, fact.source) == (
        ("Tom Harlan", "Marcus Bell"),
        "reported",
        "Tom Harlan",
    )


def test_a_title_in_reported_words_is_the_articles_own(knowledge: Knowledge) -> None:
    from deniable.facts.model import Document
    from deniable.grammar.extract import extract

    text = (
        "Officials proposed a summit of Ann Lee and Tom Rusk, said Russian presidential aide "
        "Ivo Brandt. Brandt said Danish Prime Minister Karl Moller agreed."
    )
    facts = extract(Document("t", text), knowledge).facts
    sources = {f.args: (f.modality.value, f.source) for f in facts if f.pred == "role"}
    # a title is the article's own word, whoever speaks the clause it stands in
    assert sources.get(("Karl Moller", "Danish government")) == ("asserted", "")


def test_an_honorific_is_no_source(knowledge: Knowledge) -> None:
    from deniable.facts.model import Document
    from deniable.grammar.extract import extract

    text = "Tom Harlan met Jane Doe in May, according to Mr. Bell's spokesman, Ray Cole."
    facts = extract(Document("t", text), knowledge).facts
    assert facts and all(f.source not in ("Mr", "Mr.") for f in facts)


def test_a_sources_modifiers_are_not_its_name(knowledge: Knowledge) -> None:
    from deniable.facts.model import Document
    from deniable.grammar.extract import extract

    text = (
        "Iranian President Karim Sadri refused to take a phone call from US President Tom "
        "Harlan, Iranian officials said.\n\nHarlan had tried to call Sadri several times, "
        "according to a senior Iranian official."
    )
    facts = extract(Document("t", text), knowledge).facts
    assert facts and all(f.source.endswith("official") for f in facts if f.source)
    assert any(f.source for f in facts)


def test_reported_source_is_named(knowledge: Knowledge, facts, pos) -> None:
    from deniable.facts.model import Document
    from deniable.grammar.extract import extract

    ex = extract(Document("t", "According to The Ledger, Jane Doe met Marcus Bell."), knowledge)
    (fact,) = [f for f in ex.facts if f.pred == "met"]
    assert fact.source == "The Ledger"


def test_evidence_points_into_the_document(knowledge: Knowledge, facts, pos) -> None:
    from deniable.facts.model import Document
    from deniable.grammar.extract import extract

    text = "Title line\n\nSome words first. Jane Doe met Marcus Bell on Monday."
    ex = extract(Document("t", text), knowledge)
    (fact,) = [f for f in ex.facts if f.pred == "met"]
    assert text[fact.evidence.start : fact.evidence.end] == "Jane Doe met Marcus Bell"
    assert fact.evidence.pattern == "clause:met"
    assert ex.sentences[fact.evidence.sentence].text.startswith("Jane Doe met")


def test_pronoun_and_description_resolve(knowledge: Knowledge, facts, pos) -> None:
    text = (
        "Northern Legion boss Marcus Bell arrived in town.\n"
        "He later had three phone calls with Jane Doe.\n"
        "The Legion chief also met Tom Harlan."
    )
    got = pos(facts(text, knowledge))
    assert ("called", "Jane Doe", "Marcus Bell") in got
    assert ("met", "Marcus Bell", "Tom Harlan") in got


def test_object_pronoun_is_not_the_subject(knowledge: Knowledge, facts, pos) -> None:
    text = "Marcus Bell tried to call Jane Doe.\nBut Jane Doe wouldn't speak to him."
    got = facts(text, knowledge)
    assert ("called", "Jane Doe", "Marcus Bell", "negated") in got


def test_transliteration_and_surname(knowledge: Knowledge, facts, pos) -> None:
    got = pos(facts("Anna Petrowa met Tom Harlan. Later Petrova met Jane Doe.", knowledge))
    assert ("met", "Anna Petrova", "Tom Harlan") in got
    assert ("met", "Anna Petrova", "Jane Doe") in got


def test_discovered_names_without_entity_file(facts, pos) -> None:
    text = "Senator Jane Roe met Hal Brent in Ohio. Roe later called Brent twice."
    got = pos(facts(text))
    assert ("met", "Hal Brent", "Jane Roe") in got
    assert ("called", "Hal Brent", "Jane Roe") in got


def test_seat_of_government_speaks_for_it_without_entity_file(facts, pos) -> None:
    got = pos(facts("The White House has denied links to Hal Brent, a donor."))
    assert ("denies", "US government", "Hal Brent") in got


def test_denied_claims_point_back_to_the_allegation(knowledge: Knowledge, facts, pos) -> None:
    text = (
        "Prosecutors allege Marcus Bell funded the Northern Legion.\n"
        "The Presidential Office has denied these claims."
    )
    got = pos(facts(text, knowledge))
    assert ("denies", "Ruritanian government", "Marcus Bell") in got


def test_also_in_the_photograph(knowledge: Knowledge, facts, pos) -> None:
    text = (
        "Jane Doe was pictured with Marcus Bell at a dinner.\n"
        "Tom Harlan was also in the photograph."
    )
    got = pos(facts(text, knowledge))
    assert ("pictured_with", "Jane Doe", "Tom Harlan") in got
    assert ("pictured_with", "Marcus Bell", "Tom Harlan") in got


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Tom Harlan, who met Jane Doe in May, resigned.", ("met", "Jane Doe", "Tom Harlan")),
        ("Jane Doe's secret meeting with Marcus Bell leaked.", ("met", "Jane Doe", "Marcus Bell")),
        (
            "A phone call between Jane Doe and Marcus Bell was taped.",
            ("called", "Jane Doe", "Marcus Bell"),
        ),
        (
            "In a phone call with Marcus Bell, Jane Doe asked for help.",
            ("called", "Jane Doe", "Marcus Bell"),
        ),
        (
            "Lukas Berg, a close ally of Jane Doe, said he had spoken to Marcus Bell by phone.",
            ("called", "Lukas Berg", "Marcus Bell"),
        ),
    ],
)
def test_more_shapes(
    text: str, expected: tuple[str, str, str], knowledge: Knowledge, facts, pos
) -> None:
    assert expected in pos(facts(text, knowledge))


@pytest.mark.parametrize(
    "text",
    [
        "Tom Harlan, who never met Jane Doe, resigned.",
        "Jane Doe's planned meeting with Marcus Bell was cancelled.",
        "Jane Doe has repeatedly called Marcus Bell incompetent.",
        "Jane Doe called Marcus Bell the worst minister in history.",
    ],
)
def test_more_shapes_never_positive(text: str, knowledge: Knowledge, facts, pos) -> None:
    assert not {f for f in pos(facts(text, knowledge)) if f[0] in ("met", "called")}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Jane Doe spoke by phone with Marcus Bell on Friday.",
            {("called", "Jane Doe", "Marcus Bell", "asserted")},
        ),
        (
            "Jane Doe and Marcus Bell spoke by phone on Friday.",
            {("called", "Jane Doe", "Marcus Bell", "asserted")},
        ),
        ("Doe refused to say whether she had met Bell.", set()),
        ("If Doe met Bell, it would be a scandal.", set()),
        ("Doe could have met Bell.", {("met", "Jane Doe", "Marcus Bell", "alleged")}),
        ("Doe may meet Bell next month.", {("met", "Jane Doe", "Marcus Bell", "attempted")}),
        ("Doe said she would call Bell.", {("called", "Jane Doe", "Marcus Bell", "attempted")}),
        (
            "Bell, who was fired by Acme Corp in 2019, met Doe.",
            {("met", "Marcus Bell", "Jane Doe", "asserted")},
        ),
        (
            "Doe, Acme's chief executive, met Bell.",
            {
                ("role", "Jane Doe", "Acme Corp", "asserted"),
                ("met", "Jane Doe", "Marcus Bell", "asserted"),
            },
        ),
        ("Doe met Bell's lawyer.", set()),
    ],
)
def test_exact_facts(text: str, expected: set, knowledge: Knowledge, facts) -> None:
    assert facts(text, knowledge) == expected


def test_apposition_after_an_age(knowledge: Knowledge, facts, pos) -> None:
    got = pos(facts("Tom Harlan, 62, the head of Blue Harbour, met Jane Doe.", knowledge))
    assert ("role", "Tom Harlan", "Blue Harbour") in got
    assert ("met", "Jane Doe", "Tom Harlan") in got


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Hal Brent was charged by British prosecutors in 2021.",
            ("indicted_by", "Hal Brent", "British prosecutors"),
        ),
        (
            "Hal Brent was indicted by US authorities in 2018.",
            ("indicted_by", "Hal Brent", "US government"),
        ),
        ("Britain's foreign secretary Liz Moor spoke.", ("role", "Liz Moor", "UK government")),
        ("Ukrainian President Ivan Holub spoke.", ("role", "Ivan Holub", "Ukrainian government")),
    ],
)
def test_state_organs_without_entity_file(
    text: str, expected: tuple[str, str, str], facts, pos
) -> None:
    assert expected in pos(facts(text))


def test_state_metonym_is_not_met_or_called(facts, pos) -> None:
    got = pos(facts("Hal Brent met Russian officials and called Moscow twice."))
    assert not got
