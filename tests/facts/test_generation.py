"""The store's generation: bumped by every write that changes what rules read, and only then."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from deniable.errors import StoreError
from deniable.facts import generation
from deniable.facts.generation import DerivationStamp
from deniable.facts.model import Entity, EntityType, Extraction
from deniable.facts.store import FactStore


def _doc(build, name: str = "a.txt", who: str = "Jane Doe") -> Extraction:
    return build(name, [f"{who} met Marcus Bell."], [("met", who, "Marcus Bell", "asserted", 0)])


def test_a_new_store_is_at_generation_zero(store: FactStore) -> None:
    assert generation.current(store.db) == 0
    assert generation.read_stamp(store.db) is None


def test_documents_bump_the_generation_once_each(store: FactStore, build) -> None:
    store.add_extraction(_doc(build))
    assert generation.current(store.db) == 1
    store.add_extraction(_doc(build))  # the same text again: skipped, nothing changed
    assert generation.current(store.db) == 1
    store.add_extraction(_doc(build, "b.txt", "Anna Smith"))
    assert generation.current(store.db) == 2
    store.add_extraction(_doc(build, "b.txt", "Peter Jones"), replace=True)
    assert generation.current(store.db) == 3
    assert store.delete_document("b.txt")
    assert generation.current(store.db) == 4
    assert not store.delete_document("b.txt")
    assert generation.current(store.db) == 4


def test_entities_bump_the_generation_only_when_they_change(store: FactStore) -> None:
    entity = Entity("Wagner Group", EntityType.ORG, ("Wagner",))
    store.add_entities([entity])
    assert generation.current(store.db) == 1
    store.add_entities([entity])  # the same entity file read again
    assert generation.current(store.db) == 1
    store.add_entities([Entity("Wagner Group", EntityType.ORG, ("Wagner", "PMC Wagner"))])
    assert generation.current(store.db) == 2
    store.add_entities([Entity("Wagner Group", EntityType.PERSON, ())])
    assert generation.current(store.db) == 3


def test_a_failed_write_leaves_the_generation(store: FactStore, build) -> None:
    store.add_extraction(_doc(build))
    good = _doc(build, "c.txt", "Anna Smith")
    # The second fact's evidence lies outside the text: the write fails after the first
    # statement went in, and the transaction takes both back, the generation included.
    outside = dataclasses.replace(good.facts[0].evidence, start=0, end=10_000)
    bad = dataclasses.replace(
        good, facts=(good.facts[0], dataclasses.replace(good.facts[0], evidence=outside))
    )
    with pytest.raises(StoreError, match="outside the document"):
        store.add_extraction(bad)
    assert generation.current(store.db) == 1
    assert store.document_names() == ["a.txt"]


def test_the_generation_is_committed_with_the_write(db_path: Path, build) -> None:
    with FactStore.open(db_path) as s:
        s.add_extraction(_doc(build))
    with FactStore.open(db_path, create=False) as s:
        assert generation.current(s.db) == 1


def test_stamps_round_trip_and_a_bad_one_reads_as_missing(store: FactStore) -> None:
    stamp = DerivationStamp(7, "abc", {"rules/o'brien\"; DROP TABLE meta; --.dl": "123"})
    with store.db.atomic():
        generation.write_stamp(store.db, stamp)
    assert generation.read_stamp(store.db) == stamp
    store.set_meta("derived_from", "{not json")
    assert generation.read_stamp(store.db) is None
    assert store.meta("application") == "deniable"
