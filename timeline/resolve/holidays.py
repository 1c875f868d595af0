"""Named days and periods of the year: Christian, civil (US and UK), Islamic and Jewish holidays.

Each name maps to a function of the Gregorian year giving its first and last
day, and whether the day is approximate.  Islamic dates follow the Umm
al-Qura calendar (``hijridate``, years 1343-1500 AH, i.e. 1924-2077); where a
country fixes the day by sighting the moon it may differ by a day or two, so
they are approximate.  Jewish dates follow the fixed Hebrew calendar
(``pyluach``) and are the first day (as in Israel) of the festival.
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import Callable

from dateutil.easter import easter

from timeline.resolve.readings import Reject

Made = tuple[_dt.date, _dt.date]
_ONE_DAY = _dt.timedelta(days=1)


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> _dt.date:
    """The n-th (1-5, or -1 for the last) weekday of a month."""
    if n > 0:
        first = _dt.date(year, month, 1)
        return first + _dt.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
    following = _dt.date(year + month // 12, month % 12 + 1, 1)
    last = following - _ONE_DAY
    return last - _dt.timedelta(days=(last.weekday() - weekday) % 7)


def _day(month: int, day: int) -> Callable[[int], Made]:
    return lambda year: (_dt.date(year, month, day), _dt.date(year, month, day))


def _weekday(month: int, weekday: int, n: int) -> Callable[[int], Made]:
    def make(year: int) -> Made:
        day = _nth_weekday(year, month, weekday, n)
        return day, day

    return make


def _easter(offset: int) -> Callable[[int], Made]:
    def make(year: int) -> Made:
        day = easter(year) + _dt.timedelta(days=offset)
        return day, day

    return make


def _hijri(month: int, day: int, days: int = 1) -> Callable[[int], Made]:
    """An Islamic date in the Gregorian year (the one that starts in it, as years share two at most)."""

    def make(year: int) -> Made:
        from hijridate import Gregorian, Hijri

        try:
            first_hijri = Gregorian(year, 1, 1).to_hijri().year
            for hijri_year in (first_hijri, first_hijri + 1):
                start = Hijri(hijri_year, month, day).to_gregorian()
                if start.year == year:
                    if days == 0:  # a whole month: to the day before the next month begins
                        following = Hijri(hijri_year + (month == 12), month % 12 + 1, 1).to_gregorian()
                        end = following - _ONE_DAY
                    else:
                        end = start + _dt.timedelta(days=days - 1)
                    return (_dt.date(start.year, start.month, start.day), _dt.date(end.year, end.month, end.day))
        except (ValueError, OverflowError):
            pass
        raise Reject(f"the Islamic calendar here covers only the years 1924-2077, not {year}")

    make.lunar = True
    return make


def _hebrew(month: int, day: int, days: int = 1) -> Callable[[int], Made]:
    """A Jewish date in the Gregorian year (months counted from Nisan = 1; Adar is 12, Adar II in a leap year)."""

    def make(year: int) -> Made:
        from pyluach import dates, hebrewcal

        for hebrew_year in (year + 3760, year + 3761):
            actual = 13 if month == 12 and hebrewcal.Year(hebrew_year).leap else month
            start = dates.HebrewDate(hebrew_year, actual, day).to_pydate()
            if start.year == year:
                return start, start + _dt.timedelta(days=days - 1)
        raise Reject(f"no such Hebrew date in {year}")

    return make


def _thanksgiving(year: int) -> Made:
    return _weekday(11, 3, 4)(year)


HOLIDAYS: dict[str, Callable[[int], Made]] = {
    "new year's day": _day(1, 1), "new year's": _day(1, 1), "new year": _day(1, 1), "new year's eve": _day(12, 31),
    "christmas": _day(12, 25), "christmas day": _day(12, 25), "xmas": _day(12, 25), "x-mas": _day(12, 25),
    "christmas eve": _day(12, 24), "boxing day": _day(12, 26), "halloween": _day(10, 31),
    "valentine's day": _day(2, 14), "st valentine's day": _day(2, 14), "independence day": _day(7, 4),
    "the fourth of july": _day(7, 4), "fourth of july": _day(7, 4), "july fourth": _day(7, 4),
    "veterans day": _day(11, 11), "armistice day": _day(11, 11), "remembrance day": _day(11, 11),
    "st patrick's day": _day(3, 17), "may day": _day(5, 1), "bastille day": _day(7, 14),
    "epiphany": _day(1, 6), "all saints' day": _day(11, 1), "guy fawkes night": _day(11, 5),
    "martin luther king day": _weekday(1, 0, 3), "martin luther king jr day": _weekday(1, 0, 3),
    "mlk day": _weekday(1, 0, 3), "presidents' day": _weekday(2, 0, 3), "presidents day": _weekday(2, 0, 3),
    "memorial day": _weekday(5, 0, -1), "labor day": _weekday(9, 0, 1), "labour day": _weekday(9, 0, 1),
    "columbus day": _weekday(10, 0, 2), "mother's day": _weekday(5, 6, 2), "father's day": _weekday(6, 6, 3),
    "thanksgiving": _thanksgiving, "thanksgiving day": _thanksgiving,
    "easter": _easter(0), "easter sunday": _easter(0), "easter day": _easter(0), "easter monday": _easter(1),
    "good friday": _easter(-2), "holy saturday": _easter(-1), "maundy thursday": _easter(-3),
    "palm sunday": _easter(-7), "ash wednesday": _easter(-46), "shrove tuesday": _easter(-47),
    "mardi gras": _easter(-47), "ascension day": _easter(39), "pentecost": _easter(49),
    "whit sunday": _easter(49), "whitsun": _easter(49),
    "eid al-fitr": _hijri(10, 1), "eid ul-fitr": _hijri(10, 1), "eid el-fitr": _hijri(10, 1),
    "eid al-adha": _hijri(12, 10), "eid ul-adha": _hijri(12, 10), "eid el-adha": _hijri(12, 10),
    "ramadan": _hijri(9, 1, days=0), "islamic new year": _hijri(1, 1), "hijri new year": _hijri(1, 1),
    "ashura": _hijri(1, 10), "mawlid": _hijri(3, 12), "laylat al-qadr": _hijri(9, 27),
    "passover": _hebrew(1, 15), "pesach": _hebrew(1, 15), "shavuot": _hebrew(3, 6),
    "rosh hashanah": _hebrew(7, 1), "rosh hashana": _hebrew(7, 1), "yom kippur": _hebrew(7, 10),
    "sukkot": _hebrew(7, 15), "hanukkah": _hebrew(9, 25), "chanukah": _hebrew(9, 25), "purim": _hebrew(12, 14),
}  # fmt: skip
# Periods, not days: their precision is the day but they span several.
PERIODS = frozenset({"ramadan"})
# Set by sighting the moon in many countries: a day or two either way.
APPROXIMATE = frozenset(name for name, make in HOLIDAYS.items() if getattr(make, "lunar", False))
LONGEST_NAME = 6  # tokens: "martin luther king jr . day"
FIRST_WORDS = frozenset(re.split(r"[\s'-]", name)[0] for name in HOLIDAYS) | {"the", "st", "saint"}
_SPACES = re.compile(r"\s+")
_ARTICLE = re.compile(r"\b(al|ul|el)[\s-]+")


def holiday_key(text: str) -> str | None:
    """The holiday the words name ("Eid al-Fitr", "St. Patrick's Day", "New Years Eve"), else None."""
    key = _SPACES.sub(" ", text.lower().replace("\u2019", "'")).strip()
    key = _ARTICLE.sub(r"\1-", key.replace("saint ", "st ").replace("st. ", "st ").replace(" jr. ", " jr "))
    if key in HOLIDAYS:
        return key
    for plain, owned in (("years", "year's"), ("valentines", "valentine's"), ("mothers", "mother's"),
                         ("fathers", "father's"), ("patricks", "patrick's"), ("saints day", "saints' day")):
        key = key.replace(plain, owned)
    return key if key in HOLIDAYS else None
