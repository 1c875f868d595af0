"""Calendar units: precisions, and the first and last day of a month, week, season, quarter, decade...

Every span is a pair of inclusive days.  Seasons are the Northern-hemisphere
meteorological ones EDTF level 1 codes 21-24 (winter 2015 = December 2015 to
February 2016); weeks are ISO weeks (Monday to Sunday); centuries run from
year 00 to 99 as TIMEX3 and EDTF write them (the 20th century is 1900-1999).
"""

from __future__ import annotations

import datetime as _dt

DAY, WEEK, MONTH, SEASON, QUARTER, HALF, YEAR, DECADE, CENTURY = (
    "day", "week", "month", "season", "quarter", "half", "year", "decade", "century",
)
PRECISIONS = (DAY, WEEK, MONTH, SEASON, QUARTER, HALF, YEAR, DECADE, CENTURY)
_RANK = {p: i for i, p in enumerate(PRECISIONS)}

SEASON_CODES = {"spring": 21, "summer": 22, "autumn": 23, "fall": 23, "winter": 24}
SEASON_NAMES = {21: "spring", 22: "summer", 23: "autumn", 24: "winter"}
_SEASON_FIRST_MONTH = {21: 3, 22: 6, 23: 9, 24: 12}
PARTS = ("early", "mid", "late")
ONE_DAY = _dt.timedelta(days=1)
Span = tuple[_dt.date, _dt.date]


def coarser(a: str, b: str) -> str:
    """The coarser of two precisions (``coarser("day", "month") == "month"``)."""
    return a if _RANK[a] >= _RANK[b] else b


_MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def last_day(year: int, month: int) -> int:
    """The number of days in a month."""
    if month == 2 and year % 4 == 0 and (year % 100 != 0 or year % 400 == 0):
        return 29
    return _MONTH_DAYS[month - 1]


def month_span(year: int, month: int) -> Span:
    """First and last day of a month."""
    return _dt.date(year, month, 1), _dt.date(year, month, last_day(year, month))


def year_span(year: int) -> Span:
    """1 January to 31 December."""
    return _dt.date(year, 1, 1), _dt.date(year, 12, 31)


def week_span(day: _dt.date) -> Span:
    """The ISO week (Monday to Sunday) holding a day."""
    monday = day - _dt.timedelta(days=day.weekday())
    return monday, monday + _dt.timedelta(days=6)


def iso_week_span(year: int, week: int) -> Span:
    """ISO week ``week`` of ``year`` (``ValueError`` if the year has no such week)."""
    monday = _dt.date.fromisocalendar(year, week, 1)
    return monday, monday + _dt.timedelta(days=6)


def season_span(year: int, code: int) -> Span:
    """A meteorological season by EDTF code (21 spring ... 24 winter, which ends in February of the next year)."""
    first = _SEASON_FIRST_MONTH[code]
    if code == 24:
        return _dt.date(year, 12, 1), month_span(year + 1, 2)[1]
    return _dt.date(year, first, 1), month_span(year, first + 2)[1]


def season_code(span: Span) -> int | None:
    """The EDTF season code of a span that is exactly one season, else None."""
    start = span[0]
    code = {3: 21, 6: 22, 9: 23, 12: 24}.get(start.month)
    if code is None or start.day != 1:
        return None
    return code if season_span(start.year, code) == tuple(span) else None


def season_of(day: _dt.date) -> tuple[int, int]:
    """The season a day falls in, as (the year it starts in, EDTF code): 10 January 2016 is (2015, 24)."""
    code = {12: 24, 1: 24, 2: 24, 3: 21, 4: 21, 5: 21, 6: 22, 7: 22, 8: 22}.get(day.month, 23)
    return day.year - (1 if day.month < 3 else 0), code


def quarter_span(year: int, number: int) -> Span:
    """Quarter 1-4 of a year."""
    return _dt.date(year, 3 * number - 2, 1), month_span(year, 3 * number)[1]


def half_span(year: int, number: int) -> Span:
    """Half 1 (January-June) or 2 (July-December) of a year."""
    return _dt.date(year, 6 * number - 5, 1), month_span(year, 6 * number)[1]


def decade_span(first_year: int) -> Span:
    """The ten years from ``first_year`` (the 1990s: 1990)."""
    return _dt.date(max(first_year, 1), 1, 1), _dt.date(first_year + 9, 12, 31)


def century_span(number: int) -> Span:
    """The ``number``-th century as TIMEX3 and EDTF count it: the 20th is 1900-1999."""
    first = (number - 1) * 100
    return _dt.date(max(first, 1), 1, 1), _dt.date(first + 99, 12, 31)


def add_months(day: _dt.date, months: int) -> _dt.date:
    """The same day ``months`` later (or earlier), clipped to the month's last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return _dt.date(year, month + 1, min(day.day, last_day(year, month + 1)))


def span_precision(span: Span) -> str:
    """The coarsest unit a span is exactly one of: day, month, season, year, decade, century; else day."""
    start, end = span
    if start == end:
        return DAY
    if start.day != 1 or end.day != last_day(end.year, end.month):
        return WEEK if (start, end) == week_span(start) else DAY
    if (start.year, start.month) == (end.year, end.month):
        return MONTH
    if season_code(span):
        return SEASON
    if (start.month, end.month) == (1, 12):
        if start.year == end.year:
            return YEAR
        if start.year % 10 == 0 and end.year == start.year + 9:
            return DECADE
        if end.year % 100 == 99 and end.year - start.year in (98, 99):
            return CENTURY
    return DAY


def part_span(span: Span, part: str, precision: str) -> Span:
    """The early, mid or late part of a unit.

    Month: days 1-10, 11-20, 21-end.  Year: January-April, May-August,
    September-December.  Season, quarter: its first, middle, last month.
    Half: two months each.  Week: Monday-Tuesday, Wednesday-Thursday,
    Friday-Sunday.  Decade: years 0-3, 4-6, 7-9.  Century: 00-32, 33-65,
    66-99.  A day is its own part.  ``ValueError`` for any other precision.
    """
    start, end = span
    index = PARTS.index(part)
    if precision == DAY:
        return span
    if precision == WEEK:
        first, last = ((0, 1), (2, 3), (4, 6))[index]
        return start + _dt.timedelta(days=first), start + _dt.timedelta(days=last)
    if precision == MONTH:
        first, last = ((1, 10), (11, 20), (21, end.day))[index]
        return start.replace(day=first), start.replace(day=last)
    if precision in (SEASON, QUARTER):
        month = add_months(start, index)
        return month_span(month.year, month.month)
    if precision == HALF:
        first = add_months(start, 2 * index)
        last = add_months(first, 1)
        return first, month_span(last.year, last.month)[1]
    if precision == YEAR:
        first = 1 + 4 * index
        return _dt.date(start.year, first, 1), month_span(start.year, first + 3)[1]
    if precision in (DECADE, CENTURY):
        base = start.year - start.year % (10 if precision == DECADE else 100)
        bounds = ((0, 3), (4, 6), (7, 9)) if precision == DECADE else ((0, 32), (33, 65), (66, 99))
        first, last = bounds[index]
        return _dt.date(max(base + first, 1), 1, 1), _dt.date(base + last, 12, 31)
    raise ValueError(f"a {precision} has no {part} part")
