"""Query bounds: a day from an EDTF value or any full date python-dateutil reads ('Feb 11 2016')."""

from __future__ import annotations

import datetime as _dt

from timeline.dates.edtf import parse_date
from timeline.dates.units import last_day
from timeline.errors import DateError


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
        last = last_day(low.year, low.month)
        return _dt.date(low.year, low.month, last if end else 1)
    return low.date()


def parse_day(text: str, *, dayfirst: bool = False) -> _dt.date:
    """A full date with year, month and day: ``2016-02-13``, or any python-dateutil reads (``Feb 13 2016``).

    :raises DateError: the text is not a date, or leaves out its year, month or day.
    """
    value = (text or "").strip()
    try:
        return _dt.date.fromisoformat(value)
    except ValueError:
        pass
    from dateutil import parser as dateutil_parser

    defaults = (_dt.datetime(2000, 1, 1), _dt.datetime(2004, 12, 31))
    try:
        low, high = (dateutil_parser.parse(value, default=d, dayfirst=dayfirst) for d in defaults)
    except (ValueError, OverflowError):
        raise DateError(f"{value!r} is not a date (expected YYYY-MM-DD, e.g. 2016-02-13)") from None
    if low.date() != high.date():
        raise DateError(f"{value!r} is not a full date with year, month and day (e.g. 2016-02-13)")
    return low.date()
