"""EDTF: the level-1 subset the store's ``date`` column holds, read (``parse_date``) and written (``write_edtf``).

A date value is a point at some precision (``2016-02-12``, ``2016-02``,
``2016``, ``199X``, season ``2015-22``) with optional qualifiers (``~``
approximate, ``?`` uncertain, ``%`` both), or an interval of two such points
(``2016-02-12/2016-02-27``) whose ends may be open (``2016-02-27/..``) or
unknown (``2016-02-27/``).  Every value maps to an earliest and a latest day.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass
from functools import lru_cache

from timeline.dates.units import (
    CENTURY,
    DAY,
    DECADE,
    HALF,
    MONTH,
    QUARTER,
    SEASON,
    WEEK,
    YEAR,
    coarser,
    last_day,
    season_code,
    season_span,
)
from timeline.errors import DateError

_POINT = re.compile(
    r"""^(?P<year>\d{4}|\d{3}X|\d{2}XX)
        (?:-(?P<month>\d{2}|XX)
           (?:-(?P<day>\d{2}|XX))?
        )?
        (?P<qualifier>[~?%])?$""",
    re.VERBOSE,
)

_MIN_DAY = _dt.date(1, 1, 1)
_MAX_DAY = _dt.date(9999, 12, 31)


@dataclass(frozen=True)
class DatePoint:
    """One end of a date value: its first and last day, precision and qualifiers."""

    start: _dt.date
    end: _dt.date
    precision: str
    approximate: bool = False
    uncertain: bool = False


@dataclass(frozen=True)
class EventDate:
    """A parsed ``date`` value.

    ``start`` and ``end`` are the earliest and latest day (inclusive);
    either is ``None`` where the interval is open or its end unknown.
    """

    text: str
    start: _dt.date | None
    end: _dt.date | None
    precision: str
    approximate: bool = False
    uncertain: bool = False
    is_interval: bool = False

    @property
    def is_open(self) -> bool:
        """True if either end of the interval is open or unknown."""
        return self.start is None or self.end is None

    def overlaps(self, first: _dt.date | None, last: _dt.date | None) -> bool:
        """True if the span shares at least one day with [first, last]."""
        return (last is None or self.start is None or self.start <= last) and (
            first is None or self.end is None or self.end >= first
        )

    def within(self, first: _dt.date | None, last: _dt.date | None) -> bool:
        """True if the whole span lies inside [first, last]."""
        starts_inside = first is None or (self.start is not None and self.start >= first)
        ends_inside = last is None or (self.end is not None and self.end <= last)
        return starts_inside and ends_inside


def _parse_point(text: str, whole: str) -> DatePoint:
    match = _POINT.match(text)
    if not match:
        raise DateError(
            f"{whole!r} is not an EDTF date (expected e.g. 2016-02-12, 2016-02, 2016, "
            "2016-02-12~, 2016-02-12?, 2016-02-12/2016-02-27 or 2016-02-27/..)"
        )
    year_text, month_text, day_text = match["year"], match["month"], match["day"]
    qualifier = match["qualifier"] or ""
    approximate, uncertain = qualifier in "~%" and bool(qualifier), qualifier in "?%" and bool(qualifier)

    if "X" in year_text:
        if month_text:
            raise DateError(f"{whole!r}: a month cannot follow an unspecified year digit")
        digits = year_text.rstrip("X")
        width = 10 ** (4 - len(digits))
        first_year = int(digits) * width
        last_year = first_year + width - 1
        precision = DECADE if width == 10 else CENTURY
        return DatePoint(
            _dt.date(max(first_year, 1), 1, 1), _dt.date(last_year, 12, 31), precision, approximate, uncertain
        )

    year = int(year_text)
    if year == 0:
        raise DateError(f"{whole!r}: year 0000 is not supported")
    if month_text is None:
        return DatePoint(_dt.date(year, 1, 1), _dt.date(year, 12, 31), YEAR, approximate, uncertain)
    if month_text == "XX":
        if day_text and day_text != "XX":
            raise DateError(f"{whole!r}: a day cannot follow an unspecified month")
        return DatePoint(_dt.date(year, 1, 1), _dt.date(year, 12, 31), YEAR, approximate, uncertain)

    month = int(month_text)
    if 21 <= month <= 24:
        if day_text:
            raise DateError(f"{whole!r}: a season cannot have a day")
        if month == 24 and year >= 9999:
            raise DateError(f"{whole!r}: winter {year} runs into year {year + 1}, past 9999")
        first, last = season_span(year, month)
        return DatePoint(first, last, SEASON, approximate, uncertain)
    if not 1 <= month <= 12:
        raise DateError(f"{whole!r}: month {month_text} is not 01-12 (or a season 21-24)")
    if day_text is None or day_text == "XX":
        precision = MONTH
        return DatePoint(
            _dt.date(year, month, 1), _dt.date(year, month, last_day(year, month)), precision, approximate, uncertain
        )
    day = int(day_text)
    if not 1 <= day <= last_day(year, month):
        raise DateError(f"{whole!r}: {year:04d}-{month:02d} has no day {day_text}")
    point = _dt.date(year, month, day)
    return DatePoint(point, point, DAY, approximate, uncertain)


def qualifier(approximate: bool, uncertain: bool) -> str:
    """The EDTF qualifier for a date: ``~`` approximate, ``?`` uncertain, ``%`` both, '' neither."""
    return "%" if approximate and uncertain else "~" if approximate else "?" if uncertain else ""


@lru_cache(maxsize=65536)
def parse_date(text: str) -> EventDate:
    """Parse an EDTF level-1 date or interval; raise DateError if it is not one.

    >>> parse_date("2016-02").end
    datetime.date(2016, 2, 29)
    """
    if not isinstance(text, str):
        raise DateError(f"{text!r} is not a date string")
    value = text.strip()
    if not value:
        raise DateError("the date is empty")
    if "/" not in value:
        point = _parse_point(value, value)
        return EventDate(value, point.start, point.end, point.precision, point.approximate, point.uncertain)

    left, sep, right = value.partition("/")
    if "/" in right:
        raise DateError(f"{value!r}: an interval has exactly one '/'")
    ends = []
    for side in (left, right):
        if side in ("", ".."):
            ends.append(None)
        else:
            ends.append(_parse_point(side, value))
    first, last = ends
    if first is None and last is None:
        raise DateError(f"{value!r}: an interval needs at least one known end")
    if first is not None and last is not None and last.end < first.start:
        raise DateError(f"{value!r}: the interval ends ({right}) before it starts ({left})")
    known = [p for p in ends if p is not None]
    precision = known[0].precision if len(known) == 1 else coarser(known[0].precision, known[1].precision)
    return EventDate(
        value,
        first.start if first else None,
        last.end if last else None,
        precision,
        any(p.approximate for p in known),
        any(p.uncertain for p in known),
        is_interval=True,
    )


def date_span(text: str) -> tuple[_dt.date | None, _dt.date | None]:
    """Earliest and latest day of an EDTF value (None for an open end)."""
    parsed = parse_date(text)
    return parsed.start, parsed.end


def format_point(day: _dt.date | None) -> str:
    """ISO day for a span end, or an empty string for an open end."""
    return day.isoformat() if day is not None else ""


@lru_cache(maxsize=16384)
def write_edtf(start: _dt.date, end: _dt.date, precision: str = DAY, approximate: bool = False,
               uncertain: bool = False) -> str:
    """The EDTF value that denotes exactly the days ``start``..``end``, with its qualifiers.

    ``precision`` is the coarsest unit the value may be written in: a month,
    season, year, decade or century is written as such where the span is
    exactly one (``2016-02``, ``2015-22``, ``199X``, ``19XX``), whole months
    or years as an interval of them (``2016-01/2016-03``); a day, week,
    quarter or half precision, or any other span, is written in days
    (``2016-02-01/2016-02-07``).  Qualifiers go on each end.

    >>> write_edtf(_dt.date(2016, 2, 1), _dt.date(2016, 2, 29), "month")
    '2016-02'
    >>> write_edtf(_dt.date(2016, 2, 9), _dt.date(2016, 2, 15), approximate=True)
    '2016-02-09~/2016-02-15~'
    """
    if end < start:
        raise DateError(f"the span ends ({end}) before it starts ({start})")
    mark = qualifier(approximate, uncertain)

    def interval(a: str, b: str) -> str:
        return f"{a}{mark}" if a == b else f"{a}{mark}/{b}{mark}"

    whole_months = start.day == 1 and end.day == last_day(end.year, end.month)
    whole_years = whole_months and (start.month, end.month) == (1, 12)
    if precision not in (DAY, WEEK, QUARTER, HALF) and whole_months:
        code = season_code((start, end)) if precision == SEASON else None
        if code:
            return f"{start.year:04d}-{code}{mark}"
        if whole_years and precision == DECADE and start.year % 10 == 0 and end.year == start.year + 9:
            return f"{start.year // 10:03d}X{mark}"
        if whole_years and precision == CENTURY and end.year % 100 == 99 and end.year - start.year in (98, 99):
            return f"{end.year // 100:02d}XX{mark}"
        if whole_years:
            return interval(f"{start.year:04d}", f"{end.year:04d}")
        return interval(f"{start.year:04d}-{start.month:02d}", f"{end.year:04d}-{end.month:02d}")
    return interval(start.isoformat(), end.isoformat())
