"""Dates in words, and words back to dates: month names, spans, EDTF values as people read them.

Short forms are for labels (``12 Feb 2016``, ``14 Jan – 27 Feb 2016``);
long forms for display text (``about 12 February 2016 (uncertain)``,
``summer 2015``, ``the 1990s``) and are read back by ``edtf_from_words``.
"""

from __future__ import annotations

import datetime as _dt
import re

from timeline.dates.edtf import EventDate, parse_date, qualifier
from timeline.dates.units import CENTURY, DAY, DECADE, MONTH, SEASON, SEASON_NAMES, YEAR

MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
               "November", "December")
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTH_NUMBERS = {name.lower(): number for number, name in enumerate(MONTH_NAMES, start=1)}
_MONTH_NUMBERS.update({name[:3].lower(): number for number, name in enumerate(MONTH_NAMES, start=1)})
_MONTH_NUMBERS["sept"] = 9
MONTH_WORDS = frozenset(_MONTH_NUMBERS)  # every spelling month_number reads: names and abbreviations
_PRECISION_WORDS = {"day": "to the day", "week": "to the week", "month": "to the month", "season": "to the season",
                    "quarter": "to the quarter", "half": "to the half year", "year": "to the year",
                    "decade": "to the decade", "century": "to the century"}
RANGE_DASH = " \u2013 "


def month_number(word: str) -> int | None:
    """1-12 for a month's name or abbreviation (``"Feb."``, ``"sept"``, ``"December"``), else None."""
    return _MONTH_NUMBERS.get(word.strip().rstrip(".").lower())


def ordinal(number: int) -> str:
    """``1st``, ``2nd``, ``11th``, ``21st``."""
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def day_words(day: _dt.date) -> str:
    """``12 Feb 2016``."""
    return f"{day.day} {MONTH_NAMES[day.month - 1][:3]} {day.year}"


def span_words(first: _dt.date | None, last: _dt.date | None) -> str:
    """``14 Jan – 27 Feb 2016``, ``11 – 12 Feb 2016``, ``from 27 Feb 2016``, ``until 12 Feb 2016``."""
    if first is None and last is None:
        return "no dates"
    if first is None:
        return f"until {day_words(last)}"
    if last is None:
        return f"from {day_words(first)}"
    if first == last:
        return day_words(first)
    if first.year != last.year:
        return f"{day_words(first)}{RANGE_DASH}{day_words(last)}"
    if first.month != last.month:
        return f"{first.day} {MONTH_NAMES[first.month - 1][:3]}{RANGE_DASH}{day_words(last)}"
    return f"{first.day}{RANGE_DASH}{day_words(last)}"


def precision_words(precision: str) -> str:
    """``to the day``, ``to the month``, ... for a precision."""
    return _PRECISION_WORDS.get(precision, f"to the {precision}")


def date_notes(parsed: EventDate, *, brief: bool = False) -> list[str]:
    """What a reader must know beyond the span: approximate, uncertain, an open or unknown end.

    ``brief``: ``open-ended`` rather than ``open-ended: no known end`` (for short descriptions).
    """
    notes = []
    if parsed.approximate:
        notes.append("approximate")
    if parsed.uncertain:
        notes.append("uncertain")
    if parsed.is_interval and parsed.end is None:
        notes.append("open-ended" if brief else "open-ended: no known end")
    if parsed.is_interval and parsed.start is None:
        notes.append("no known start")
    return notes


def describe_date(parsed: EventDate) -> str:
    """A parsed date for display: its days, precision and qualifiers.

    ``11 Feb 2016 (to the day)``, ``Feb 2016 (to the month, approximate)``,
    ``from 27 Feb 2016 (to the day, open-ended: no known end)``.
    """
    if not parsed.is_interval and parsed.precision == MONTH:
        text = f"{MONTH_NAMES[parsed.start.month - 1][:3]} {parsed.start.year}"
    elif not parsed.is_interval and parsed.precision == YEAR:
        text = str(parsed.start.year)
    elif parsed.start is not None and parsed.end is not None and parsed.start != parsed.end:
        text = f"{day_words(parsed.start)}{RANGE_DASH}{day_words(parsed.end)}"
    else:
        text = span_words(parsed.start, parsed.end)
    return f"{text} ({', '.join([precision_words(parsed.precision), *date_notes(parsed)])})"


def point_words(value: str) -> str:
    """One EDTF point in words: ``12 February 2016``, ``February 2016``, ``summer 2015``, ``2016``,
    ``1990s``, ``20th century``, with ``about`` for ``~`` and ``(uncertain)`` for ``?``."""
    point = parse_date(value)
    if point.precision == DAY:
        words = f"{point.start.day} {MONTH_NAMES[point.start.month - 1]} {point.start.year}"
    elif point.precision == MONTH:
        words = f"{MONTH_NAMES[point.start.month - 1]} {point.start.year}"
    elif point.precision == SEASON:
        bare = value.strip().rstrip("~?%")
        words = f"{SEASON_NAMES[int(bare[5:7])]} {bare[:4]}"
    elif point.precision == YEAR:
        words = str(point.start.year)
    elif point.precision == DECADE:
        words = f"{point.start.year}s"
    elif point.precision == CENTURY:
        words = f"{ordinal(point.end.year // 100 + 1)} century"
    else:
        words = value
    if point.approximate:
        words = f"about {words}"
    if point.uncertain:
        words = f"{words} (uncertain)"
    return words


def date_words(value: str) -> str:
    """Any EDTF value in words: a point, ``X – Y``, ``from X (open-ended)``, ``from X``, ``until X``."""
    value = value.strip()
    if "/" not in value:
        return point_words(value)
    left, _, right = value.partition("/")
    if left in ("", ".."):
        return f"until {point_words(right)}"
    if right in ("", ".."):
        return f"from {point_words(left)}" + (" (open-ended)" if right == ".." else "")
    return f"{point_words(left)}{RANGE_DASH}{point_words(right)}"


_ABOUT = re.compile(r"^(?:about|circa|c\.|ca\.)\s+", re.IGNORECASE)
_UNCERTAIN = re.compile(r"\s*\(uncertain\)$", re.IGNORECASE)
_OPEN_ENDED = re.compile(r"\s*\(open-ended\)$", re.IGNORECASE)
_UNTIL = re.compile(r"^until\s+", re.IGNORECASE)
_FROM = re.compile(r"^from\s+", re.IGNORECASE)
_RANGE = re.compile(r"\s+[\u2013\u2014-]\s+")


def qualifier_from_words(words: str) -> str:
    """The EDTF qualifier words say: ``about ...`` -> ``~``, ``... (uncertain)`` -> ``?``, both -> ``%``."""
    words = words.strip()
    return qualifier(bool(_ABOUT.match(words)), bool(_UNCERTAIN.search(words)))


def edtf_from_words(start: str, end: str | None, words: str) -> str:
    """The EDTF value for given start (and end) points whose qualifiers and open ends are said in words.

    Reads what ``date_words`` writes: "about" -> ``~``, "(uncertain)" -> ``?``
    (both -> ``%``), on each side of a " – " range; "(open-ended)" without an
    end -> ``start/..``; "until X" without an end -> ``../X``.

    >>> edtf_from_words("2016-02-12", None, "about 12 February 2016 (uncertain)")
    '2016-02-12%'
    >>> edtf_from_words("2016-02-01", "2016-02-12", "about 1 February 2016 – 12 February 2016")
    '2016-02-01~/2016-02-12'
    >>> edtf_from_words("2016-02-27", None, "from 27 February 2016 (open-ended)")
    '2016-02-27/..'
    """
    words = " ".join(words.split())
    if end is not None:
        halves = _RANGE.split(words, maxsplit=1)
        left, right = halves if len(halves) == 2 else (words, words)
        return f"{start}{qualifier_from_words(left)}/{end}{qualifier_from_words(right)}"
    if _OPEN_ENDED.search(words):
        return f"{start}{qualifier_from_words(_FROM.sub('', _OPEN_ENDED.sub('', words)))}/.."
    if _UNTIL.match(words):
        return f"../{start}{qualifier_from_words(_UNTIL.sub('', words))}"
    return f"{start}{qualifier_from_words(words)}"
