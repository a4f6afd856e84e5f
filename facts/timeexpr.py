"""Turn the time of a fact as written ("2018", "2013..2014", "July 1") into a day interval.

An interval is a pair of inclusive ``YYYYMMDD`` integers, so that two intervals
overlap when ``a.start <= b.end and b.start <= a.end``.  Texts that name no
calendar span ("former", "around noon", "recently") give ``None``: saying
nothing is better than inventing a time.
"""

from __future__ import annotations

import calendar
import re
from datetime import date

_MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name} | {
    name.lower(): number for number, name in enumerate(calendar.month_abbr) if name
}
_MONTHS["sept"] = 9

_YEAR = r"(1[89]\d\d|2[01]\d\d)"
_MONTH = r"(" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(\d{1,2})(?:st|nd|rd|th)?"

# Prefixes that do not change the span ("in 2018", "on July 1", "early 2018").
_LEADING = re.compile(
    r"^(?:(?:in|on|during|since|by|around|about|circa|c\.|early|late|mid|the|the year)\s+|mid-)+",
    re.IGNORECASE,
)
_RANGE = re.compile(
    r"^(?:between\s+(?P<a1>.+?)\s+and\s+(?P<b1>.+)"
    r"|from\s+(?P<a2>.+?)\s+(?:to|until|till)\s+(?P<b2>.+)"
    r"|(?P<a3>.+?)\s*(?:\.\.|–|—|-|\bto\b)\s*(?P<b3>.+))$",
    re.IGNORECASE,
)

Interval = tuple[int, int]


def document_year(doc_date: str) -> int | None:
    """Return the year of a document date such as ``2023-07-10`` or ``10 July 2023``."""
    found = re.search(_YEAR, doc_date or "")
    return int(found.group(1)) if found else None


def interval(text: str, *, doc_date: str = "") -> Interval | None:
    """Return the ``YYYYMMDD`` interval a time text names, or ``None``.

    >>> interval("2018")
    (20180101, 20181231)
    >>> interval("between 2013 and 2014")
    (20130101, 20141231)
    >>> interval("July 1", doc_date="2023-07-10")
    (20230701, 20230701)
    >>> interval("July 1") is None
    True
    """
    cleaned = " ".join((text or "").replace("\u00a0", " ").split()).strip(" ,.")
    if not cleaned:
        return None
    year = document_year(doc_date)
    single = _single(cleaned, year)
    if single is not None:
        return single
    found = _RANGE.match(cleaned)
    if not found:
        return None
    a = next(g for g in (found["a1"], found["a2"], found["a3"]) if g)
    b = next(g for g in (found["b1"], found["b2"], found["b3"]) if g)
    b = b.strip(" ,.")
    if re.fullmatch(r"\d\d", b) and re.fullmatch(_YEAR, a.strip()):
        b = a.strip()[:2] + b  # "2013..14"
    end = _single(b, year)
    if end is None:
        return None
    # "July 1 to 3, 2018" and "2013..14" borrow what the first half leaves out.
    start = _single(a.strip(" ,."), end[1] // 10000)
    if start is None and re.fullmatch(r"\d{1,2}", a.strip()):
        start = _day(end[0] // 10000, end[0] // 100 % 100, int(a))
    if start is None or start[0] > end[1]:
        return None
    return (start[0], end[1])


def _single(text: str, year: int | None) -> Interval | None:
    text = _LEADING.sub("", text).strip(" ,.")
    low = text.lower()
    if m := re.fullmatch(_YEAR + r"s?", low):
        y = int(m.group(1))
        if low.endswith("s") and y % 10 == 0:
            return (y * 10000 + 101, (y + 9) * 10000 + 1231)
        return (y * 10000 + 101, y * 10000 + 1231)
    if m := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", low):
        return _day(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    if m := re.fullmatch(r"(\d{4})-(\d{2})", low):
        return _month(int(m.group(1)), int(m.group(2)))
    if m := re.fullmatch(_MONTH + r"\s+" + _YEAR, low):
        return _month(int(m.group(2)), _MONTHS[m.group(1)])
    if m := re.fullmatch(_MONTH + r"\s+" + _DAY + r"(?:,?\s+" + _YEAR + r")?", low):
        day_year = int(m.group(3)) if m.group(3) else year
        return _day(day_year, _MONTHS[m.group(1)], int(m.group(2)))
    if m := re.fullmatch(_DAY + r"\s+(?:of\s+)?" + _MONTH + r"(?:,?\s+" + _YEAR + r")?", low):
        day_year = int(m.group(3)) if m.group(3) else year
        return _day(day_year, _MONTHS[m.group(2)], int(m.group(1)))
    if m := re.fullmatch(_MONTH, low):
        return _month(year, _MONTHS[m.group(1)]) if year else None
    return None


def _day(year: int | None, month: int, day: int) -> Interval | None:
    if year is None:
        return None
    try:
        value = date(year, month, day)
    except ValueError:
        return None
    n = value.year * 10000 + value.month * 100 + value.day
    return (n, n)


def _month(year: int | None, month: int) -> Interval | None:
    if year is None or not 1 <= month <= 12:
        return None
    last = calendar.monthrange(year, month)[1]
    return (year * 10000 + month * 100 + 1, year * 10000 + month * 100 + last)
