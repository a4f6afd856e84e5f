"""Tests of time normalisation into YYYYMMDD intervals."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from deniable.facts.timeexpr import document_year, interval


@pytest.mark.parametrize(
    ("text", "doc_date", "expected"),
    [
        ("2018", "", (20180101, 20181231)),
        ("in 2018", "", (20180101, 20181231)),
        ("2013..2014", "", (20130101, 20141231)),
        ("2013–2014", "", (20130101, 20141231)),
        ("2013..14", "", (20130101, 20141231)),
        ("between 2013 and 2014", "", (20130101, 20141231)),
        ("from 2013 to 2014", "", (20130101, 20141231)),
        ("July 1", "2023-07-10", (20230701, 20230701)),
        ("on 1 July", "10 July 2023", (20230701, 20230701)),
        ("July 1", "", None),
        ("July 2018", "", (20180701, 20180731)),
        ("February 2020", "", (20200201, 20200229)),
        ("July 1, 2019", "", (20190701, 20190701)),
        ("2023-07-01", "", (20230701, 20230701)),
        ("the 1990s", "", (19900101, 19991231)),
        ("former", "2023-07-10", None),
        ("around noon", "2023-07-10", None),
        ("February 30", "2023-01-01", None),
        ("2014..2013", "", None),
        ("", "", None),
    ],
)
def test_interval(text: str, doc_date: str, expected: tuple[int, int] | None) -> None:
    assert interval(text, doc_date=doc_date) == expected


def test_document_year() -> None:
    assert document_year("2023-07-10T12:00:00Z") == 2023
    assert document_year("no date") is None


@given(st.text(max_size=40), st.text(max_size=20))
def test_interval_never_raises_and_is_ordered(text: str, doc_date: str) -> None:
    got = interval(text, doc_date=doc_date)
    assert got is None or got[0] <= got[1]
