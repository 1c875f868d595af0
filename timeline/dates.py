"""Event dates: the EDTF level-1 subset the store's ``date`` column holds.

A date value is a point at some precision (``2016-02-12``, ``2016-02``,
``2016``, ``199X``, season ``2015-22``) with optional qualifiers (``~``
approximate, ``?`` uncertain, ``%`` both), or an interval of two such points
(``2016-02-12/2016-02-27``) whose ends may be open (``2016-02-27/..``) or
unknown (``2016-02-27/``).  Every value maps to an earliest and a latest day.
"""

from __future__ import annotations

import calendar
import datetime as _dt
import re
from dataclasses import dataclass
from functools import lru_cache

from timeline.errors import DateError

DAY, MONTH, SEASON, YEAR, DECADE = "day", "month", "season", "year", "decade"

# EDTF level-1 season codes: Northern-hemisphere meteorological seasons.
_SEASON_MONTHS = {21: (3, 5), 22: (6, 8), 23: (9, 11), 24: (12, 2)}

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


def _last_day(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


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
        precision = DECADE if width == 10 else "century"
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
    if month in _SEASON_MONTHS:
        if day_text:
            raise DateError(f"{whole!r}: a season cannot have a day")
        first_month, last_month = _SEASON_MONTHS[month]
        last_year = year + 1 if month == 24 else year
        if last_year > _MAX_DAY.year:
            raise DateError(f"{whole!r}: winter {year} runs into year {last_year}, past 9999")
        return DatePoint(
            _dt.date(year, first_month, 1),
            _dt.date(last_year, last_month, _last_day(last_year, last_month)),
            SEASON,
            approximate,
            uncertain,
        )
    if not 1 <= month <= 12:
        raise DateError(f"{whole!r}: month {month_text} is not 01-12 (or a season 21-24)")
    if day_text is None or day_text == "XX":
        precision = MONTH
        return DatePoint(
            _dt.date(year, month, 1), _dt.date(year, month, _last_day(year, month)), precision, approximate, uncertain
        )
    day = int(day_text)
    if not 1 <= day <= _last_day(year, month):
        raise DateError(f"{whole!r}: {year:04d}-{month:02d} has no day {day_text}")
    point = _dt.date(year, month, day)
    return DatePoint(point, point, DAY, approximate, uncertain)


_PRECISION_ORDER = [DAY, MONTH, SEASON, YEAR, DECADE, "century"]


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
    precision = max((p.precision for p in known), key=_PRECISION_ORDER.index)
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


def parse_bound(text: str, *, end: bool = False, dayfirst: bool = False) -> _dt.date:
    """Read a query bound such as ``2016-02``, ``2016-02-11`` or ``Feb 11 2016``.

    Partial dates cover their whole span: as a lower bound ``2016-02`` is
    1 Feb 2016, as an upper bound (``end=True``) it is 29 Feb 2016.  Anything
    python-dateutil reads is accepted; a date without a year is an error.
    """
    value = (text or "").strip()
    if not value:
        raise DateError("the date is empty")
    try:
        span = parse_date(value)
    except DateError:
        span = None
    if span is not None and not span.is_interval:
        return span.end if end else span.start
    return _parse_with_dateutil(value, end=end, dayfirst=dayfirst)


def _parse_with_dateutil(value: str, *, end: bool, dayfirst: bool) -> _dt.date:
    from dateutil import parser as dateutil_parser

    # Two different defaults reveal which fields the text left out.
    defaults = (_dt.datetime(2000, 1, 1), _dt.datetime(2004, 12, 31))
    try:
        low, high = (dateutil_parser.parse(value, default=d, dayfirst=dayfirst) for d in defaults)
    except (ValueError, OverflowError) as exc:
        raise DateError(f"{value!r} is not a date") from exc
    if low.year != high.year:
        raise DateError(f"{value!r} has no year")
    if low.month != high.month:  # year only
        return _dt.date(low.year, 12, 31) if end else _dt.date(low.year, 1, 1)
    if low.day != high.day:  # year and month
        last = _last_day(low.year, low.month)
        return _dt.date(low.year, low.month, last if end else 1)
    return low.date()


def format_point(day: _dt.date | None) -> str:
    """ISO day for a span end, or an empty string for an open end."""
    return day.isoformat() if day is not None else ""
