"""Dates put into words for the page: ``12 Feb 2016``, ``14 Jan – 27 Feb 2016``, ``(to the month, approximate)``.

These wordings belong with the rest of the date vocabulary in ``timeline.dates``
(issue 12 gathers it there); they live here until then, and nothing else in
the render package words a date.
"""

from __future__ import annotations

import datetime as _dt

from timeline.dates import MONTH, YEAR

_PRECISION_WORDS = {"day": "to the day", "month": "to the month", "season": "to the season", "year": "to the year",
                    "decade": "to the decade", "century": "to the century"}
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def format_day(day: _dt.date) -> str:
    """``12 Feb 2016`` (``1 Jan 1`` for the first day there is)."""
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def format_span(first: _dt.date | None, last: _dt.date | None) -> str:
    """``14 Jan – 27 Feb 2016``, ``11 – 12 Feb 2016``, ``from 27 Feb 2016``, ``until 31 Jan 2016``."""
    if first is None and last is None:
        return "no dates"
    if first is None:
        return f"until {format_day(last)}"
    if last is None:
        return f"from {format_day(first)}"
    if first == last:
        return format_day(first)
    if first.year != last.year:
        return f"{format_day(first)} – {format_day(last)}"
    if first.month != last.month:
        return f"{first.day} {_MONTHS[first.month - 1]} – {format_day(last)}"
    return f"{first.day} – {format_day(last)}"


def precision_words(precision: str) -> str:
    """``to the day``, ``to the month``, ... for a precision of ``timeline.dates``."""
    return _PRECISION_WORDS.get(precision, precision)


def describe_date(parsed) -> str:
    """A parsed date (``EventDate``) in words: ``11 Feb 2016 (to the day)``, ``Feb 2016 (to the month, approximate)``.

    Open ends say so: ``from 27 Feb 2016 (to the day, ongoing: no end given)``.
    """
    text = format_span(parsed.start, parsed.end)
    if parsed.start is not None and parsed.end is not None and parsed.start != parsed.end:
        text = f"{format_day(parsed.start)} – {format_day(parsed.end)}"
    if not parsed.is_interval and parsed.precision == MONTH:
        text = f"{_MONTHS[parsed.start.month - 1]} {parsed.start.year}"
    elif not parsed.is_interval and parsed.precision == YEAR:
        text = str(parsed.start.year)
    words = [precision_words(parsed.precision)]
    if parsed.approximate:
        words.append("approximate")
    if parsed.uncertain:
        words.append("uncertain")
    if parsed.is_interval and parsed.end is None:
        words.append("ongoing: no end given")
    if parsed.is_interval and parsed.start is None:
        words.append("start not given")
    return f"{text} ({', '.join(words)})"

