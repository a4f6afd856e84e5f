"""Sentences, tokens, name folding and entity files."""

from __future__ import annotations

from pathlib import Path

import pytest

from deniable.errors import InputError
from deniable.facts.model import EntityType
from deniable.grammar.entities import Knowledge, load_entities, load_knowledge
from deniable.grammar.tokens import clean, fold, split_sentences, tokenize


def test_lines_and_sentences_split_with_offsets() -> None:
    text = "A headline without a stop\n\nFirst one. Second one? Lt. Gen. Ivan Roe spoke.\nA caption"
    sents = split_sentences(text)
    assert [s.text for s in sents] == [
        "A headline without a stop",
        "First one.",
        "Second one?",
        "Lt. Gen. Ivan Roe spoke.",
        "A caption",
    ]
    for s in sents:
        assert text[s.start : s.end] == s.text


def test_credits_and_page_furniture_are_dropped() -> None:
    text = (
        "Jane with Bob at a partyCredit: Agency\nREAD MORE: Something else\n"
        "Don't miss this\nReal text."
    )
    assert [s.text for s in split_sentences(text)] == ["Jane with Bob at a party", "Real text."]


def test_curly_quotes_and_nbsp_keep_offsets() -> None:
    text = "Putin\u2019s\u00a0aide \u201cmet\u201d him."
    (s,) = split_sentences(text)
    assert s.text == text[s.start : s.end]  # evidence stays verbatim
    toks = tokenize(clean(s.text), s.start)
    assert [t.text for t in toks][:3] == ["Putin", "'s", "aide"]
    assert all(
        text[t.start : t.end].replace("\u2019", "'") == t.text for t in toks if t.text != '"'
    )


def test_tokenize_splits_possessive_negation_and_ex() -> None:
    toks = tokenize("the ex-envoy didn't call Smith's aide")
    assert [t.text for t in toks] == [
        "the",
        "ex",
        "-",
        "envoy",
        "did",
        "n't",
        "call",
        "Smith",
        "'s",
        "aide",
    ]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Yevgeny", "Evgeny"),
        ("Vayno", "Vaino"),
        ("Sergey", "Sergei"),
        ("Zelenskyy", "Zelensky"),
        ("Nicolás", "Nicolas"),
        ("defense", "defence"),
    ],
)
def test_fold_transliterations(a: str, b: str) -> None:
    assert fold(a) == fold(b)


def test_load_entities(tmp_path: Path) -> None:
    path = tmp_path / "entities.toml"
    path.write_text(
        '[[entity]]\nname = "Acme"\ntype = "org"\naliases = ["Acme Corp"]\n'
        '[[entity]]\nname = "Jo Roe"\npart_of = ["Acme"]\n'
        '[[entity]]\nname = "Office"\ntype = "org"\nspeaks_for = "Acme"\n',
        encoding="utf-8",
    )
    ents = load_entities(path)
    assert [e.name for e in ents] == ["Acme", "Jo Roe", "Office"]
    assert ents[0].type is EntityType.ORG and ents[0].aliases == ("Acme Corp",)
    assert ents[1].type is EntityType.PERSON and ents[1].part_of == ("Acme",)
    assert load_knowledge(path).speaks_for == {"Office": "Acme"}


@pytest.mark.parametrize(
    ("body", "line", "needle"),
    [
        ('[[entity]]\nname = "A"\naliases = ["x"\n', 3, "not valid TOML"),
        ('[[entity]]\nname = "A"\ntype = "planet"\n', 1, "type must be one of"),
        ('[[entity]]\nname = "A"\n[[entity]]\nnmae = "B"\n', 3, "needs a non-empty string 'name'"),
        ('[[entity]]\nname = "A"\ncolour = "red"\n', 1, "unknown key"),
        ('[[entity]]\nname = "A"\naliases = "x"\n', 1, "aliases must be a list"),
    ],
)
def test_bad_entity_files_name_file_and_line(
    tmp_path: Path, body: str, line: int, needle: str
) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_entities(path)
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(f"{path}:{line}")
    assert needle in message


def test_missing_entity_file(tmp_path: Path) -> None:
    with pytest.raises(InputError):
        load_entities(tmp_path / "nope.toml")


def test_alias_index_is_case_aware() -> None:
    from deniable.facts.model import Entity

    k = Knowledge.of([Entity("Wagner Group", EntityType.ORG, ("Wagner",))])
    toks = tokenize("Wagner and wagner")
    keys = [fold(t.text) for t in toks]
    assert k.index.match(toks, keys, 0) == (1, "Wagner Group")
    assert k.index.match(toks, keys, 2) is None
