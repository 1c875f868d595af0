"""Dates as reporters write them ("On Friday", "last month", "recently"), resolved against an anchor.

``resolve(text, anchor)`` finds the temporal expression in a short phrase and
returns a ``ResolvedDate``: first and last day, precision, qualifiers, an EDTF
value for the store's ``date`` column and the rule that was applied.
``find_dates(sentence, anchor)`` finds every expression in a longer sentence.
The anchor is normally the publication date; for "the same day" or "shortly
after" it is the date of the event referred to.  Nothing here reads the clock.
"""

from __future__ import annotations

import calendar
import datetime as _dt
import re
from dataclasses import dataclass, field
from typing import Callable

from dateutil.easter import easter
from dateutil.relativedelta import relativedelta

from timeline.dates import qualifier
from timeline.errors import DateError, UsageError

__all__ = [
    "PRECISIONS",
    "ResolveError",
    "ResolvedDate",
    "find_dates",
    "guess_tense",
    "resolve",
    "to_timex3",
]

DAY, WEEK, MONTH, SEASON, QUARTER, YEAR, DECADE, CENTURY = (
    "day", "week", "month", "season", "quarter", "year", "decade", "century",
)
PRECISIONS = (DAY, WEEK, MONTH, SEASON, QUARTER, YEAR, DECADE, CENTURY)
TENSES = ("past", "future")

_ONE_DAY = _dt.timedelta(days=1)
_SEASON_CODES = {"spring": 21, "summer": 22, "autumn": 23, "fall": 23, "winter": 24}
_SEASON_START = {21: 3, 22: 6, 23: 9, 24: 12}
_TIMEX_SEASON = {21: "SP", 22: "SU", 23: "FA", 24: "WI"}


class ResolveError(DateError):
    """The text holds no date expression, or one naming a day that does not exist."""


@dataclass(frozen=True)
class ResolvedDate:
    """A date expression resolved to an inclusive span of days.

    ``edtf`` denotes exactly ``start``..``end``; ``rule`` says how the text was
    read; ``span`` is where ``text`` sits in the string given.  ``mod`` is
    "early", "mid", "late", "earlier" or "later" for part of a unit, and ``ref``
    is "PRESENT_REF", "PAST_REF" or "FUTURE_REF" for vague words.
    """

    text: str
    start: _dt.date
    end: _dt.date
    precision: str
    edtf: str
    rule: str
    approximate: bool = False
    uncertain: bool = False
    span: tuple[int, int] = (0, 0)
    mod: str | None = None
    ref: str | None = None

    def __str__(self) -> str:
        return f"{self.edtf}  ({self.precision}; {self.rule})"


# ---------------------------------------------------------------------------
# Spans of calendar units


def _month_end(year: int, month: int) -> _dt.date:
    return _dt.date(year, month, calendar.monthrange(year, month)[1])


def _month(year: int, month: int) -> tuple[_dt.date, _dt.date]:
    return _dt.date(year, month, 1), _month_end(year, month)


def _year(year: int) -> tuple[_dt.date, _dt.date]:
    return _dt.date(year, 1, 1), _dt.date(year, 12, 31)


def _week(day: _dt.date) -> tuple[_dt.date, _dt.date]:
    monday = day - _dt.timedelta(days=day.weekday())
    return monday, monday + _dt.timedelta(days=6)


def _season(year: int, code: int) -> tuple[_dt.date, _dt.date]:
    first = _SEASON_START[code]
    end = _month_end(year + 1, 2) if code == 24 else _month_end(year, first + 2)
    return _dt.date(year, first, 1), end


def _quarter(year: int, number: int) -> tuple[_dt.date, _dt.date]:
    return _dt.date(year, 3 * number - 2, 1), _month_end(year, 3 * number)


def _decade(first_year: int) -> tuple[_dt.date, _dt.date]:
    return _dt.date(max(first_year, 1), 1, 1), _dt.date(first_year + 9, 12, 31)


def _century(number: int) -> tuple[_dt.date, _dt.date]:
    first = (number - 1) * 100  # TIMEX3 and EDTF: the 20th century is 1900-1999
    return _dt.date(max(first, 1), 1, 1), _dt.date(first + 99, 12, 31)


def _add_months(day: _dt.date, months: int) -> _dt.date:
    return day + relativedelta(months=months)


# Parts of a unit: "early June" = days 1-10, "mid-2015" = May-Aug, "late 1990s" = 1997-1999.
_PART_WORDS = {"early": "early", "beginning": "early", "start": "early", "mid": "mid", "middle": "mid",
               "late": "late", "end": "late"}


def _part(span: tuple[_dt.date, _dt.date], part: str | None, precision: str) -> tuple[_dt.date, _dt.date]:
    if part is None:
        return span
    start, end = span
    index = ("early", "mid", "late").index(part)
    if precision == MONTH:
        first, last = ((1, 10), (11, 20), (21, end.day))[index]
        return start.replace(day=first), start.replace(day=last)
    if precision == YEAR:
        first = 1 + 4 * index
        return _dt.date(start.year, first, 1), _month_end(start.year, first + 3)
    if precision == SEASON:
        month = _add_months(start, index)
        return _month(month.year, month.month)
    if precision in (DECADE, CENTURY):
        base = start.year - start.year % (10 if precision == DECADE else 100)
        bounds = ((0, 3), (4, 6), (7, 9)) if precision == DECADE else ((0, 32), (33, 65), (66, 99))
        first, last = bounds[index]
        return _dt.date(max(base + first, 1), 1, 1), _dt.date(base + last, 12, 31)
    raise _Reject(f"cannot take the {part} part of a {precision}")


# ---------------------------------------------------------------------------
# Choosing among occurrences of a year-less date


def _choose(spans, anchor: _dt.date, tense: str | None, det: str | None = None):
    """Pick one occurrence of a repeating span: (start, end, where); _Reject if none.

    ``spans`` holds (start, end) or (start, end, unit_start, unit_end) where the
    unit is the whole month or year a part ("early June") belongs to.
    ``det`` "last" = the latest wholly before the anchor, "next" = the earliest
    wholly after, "this" = the one containing the anchor, else the nearer.
    Otherwise the occurrence containing the anchor wins, then the tense decides;
    with no tense the nearer unit wins, a future one only if less than half as far.
    """
    spans = sorted((s if len(s) == 4 else (*s, *s)) for s in spans if s is not None)
    before = [s for s in spans if s[1] < anchor]
    after = [s for s in spans if s[0] > anchor]
    containing = [s for s in spans if s[0] <= anchor <= s[1]]
    pick = None
    if det == "last":
        pick = before[-1] if before else None
    elif det == "next":
        pick = after[0] if after else None
    elif containing:
        pick = containing[0]
    elif before and after and (det == "this" or tense is None):
        past_gap = (anchor - before[-1][3]).days
        future_gap = (after[0][2] - anchor).days
        pick = after[0] if (1 if det == "this" else 2) * future_gap < past_gap else before[-1]
    elif tense == "future":
        pick = after[0] if after else before[-1] if before else None
    else:
        pick = before[-1] if before else after[0] if after else None
    if pick is None:
        raise _Reject("no such date near the anchor")
    where = "containing" if pick[0] <= anchor <= pick[1] else "before" if pick[1] < anchor else "after"
    return pick[0], pick[1], where


def _each_year(anchor: _dt.date, make, reach: int = 5):
    for year in range(max(anchor.year - reach, 1), min(anchor.year + reach, 9998) + 1):
        try:
            yield make(year)
        except ValueError:
            continue


# ---------------------------------------------------------------------------
# Words


_MONTH_NUMBERS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4, "may": 5,
    "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9, "sept": 9, "sep": 9,
    "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}
_WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6}
_NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30,
    "a dozen": 12, "a couple": 2, "a couple of": 2, "a few": 3, "few": 3, "several": 4,
}
_VAGUE_NUMBERS = {"a couple", "a couple of", "a few", "few", "several"}
_ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
    "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14,
    "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19, "twentieth": 20,
    "twenty-first": 21, "twenty first": 21,
}

_MON = (r"(?:january|february|march|april|may|june|july|august|september|october|november|december"
        r"|jan\.?|feb\.?|mar\.?|apr\.?|jun\.?|jul\.?|aug\.?|sept\.?|sep\.?|oct\.?|nov\.?|dec\.?)(?![a-z])")
_FULL_MON = r"(?:january|february|march|april|may|june|july|august|september|october|november|december)"
_WD = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_DAYNUM = r"(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?(?![\d:])"
_YEARNUM = r"\d{4}(?!\d)"
_NUM = (r"(?:\d{1,4}|a\s+couple(?:\s+of)?|a\s+few|a\s+dozen|several|few|an?|one|two|three|four|five|six|seven"
        r"|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty)")
_APPROX = r"(?:about|around|roughly|nearly|almost|some|more\s+than|over|less\s+than|just\s+over|just\s+under)"
_PART = r"(?:(?P<part>early|mid|late|the\s+(?:beginning|start|middle|end)\s+of(?:\s+the)?)(?:\s+|\s*-\s*))"
_CONNECT = r"(?:\s*[-\u2013\u2014]\s*|\s+(?:to|through|thru|until|till)\s+|(?(btw)\s+and\s+|(?!)))"
_TRIGGERS = {"in", "on", "since", "by", "until", "till", "of", "from", "during", "before", "after", "around",
             "circa", "through", "throughout", "between", "and", "to", "early", "late", "mid", "year", "spring",
             "summer", "autumn", "fall", "winter", "the", "that", "this", "last", "next", "over"}
_DAY_PARTS = r"(?:morning|afternoon|evening|night)"


class _Reject(Exception):
    """A pattern matched but the words do not make a valid date."""


@dataclass
class _Value:
    start: _dt.date
    end: _dt.date
    precision: str
    rule: str
    approximate: bool = False
    uncertain: bool = False
    mod: str | None = None
    ref: str | None = None
    with_year: Callable[[int], _Value] | None = None  # for a year-less date: the same date in a given year


@dataclass
class _Context:
    text: str
    anchor: _dt.date
    tense: str | None
    dayfirst: bool
    whole: bool  # resolve(): a lone expression may be a bare year or month
    _tenses: dict = field(default_factory=dict)

    def tense_at(self, m: re.Match) -> str | None:
        if self.tense is not None:
            return self.tense
        if m.start() not in self._tenses:
            self._tenses[m.start()] = guess_tense(self.text, at=(m.start(), m.end()))
        return self._tenses[m.start()]

    def alone(self, m: re.Match) -> bool:
        """True if, in resolve(), the match is all the text bar light words and punctuation."""
        if not self.whole:
            return False
        rest = (self.text[: m.start()] + " " + self.text[m.end():]).lower()
        return not re.sub(r"\b(?:in|on|at|of|during|by|since|until|the)\b|[^\w]", "", rest)

    def after_trigger(self, m: re.Match) -> bool:
        words = re.findall(r"[a-z]+", self.text[max(0, m.start() - 20): m.start()].lower())
        return bool(words) and words[-1] in _TRIGGERS and self.text[m.start() - 1: m.start()].isspace()


def _number(words: str) -> tuple[int, bool]:
    key = re.sub(r"\s+", " ", words.lower())
    if key.isdigit():
        return int(key), False
    return _NUMBER_WORDS[key], key in _VAGUE_NUMBERS


def _month_number(word: str) -> int:
    return _MONTH_NUMBERS[word.lower().rstrip(".")]


def _full_year(digits: str, anchor: _dt.date) -> int:
    if len(digits) == 4:
        return int(digits)
    base = anchor.year - anchor.year % 100 + int(digits)
    return base - 100 if base > anchor.year + 20 else base


def _day(year: int, month: int, day: int) -> _dt.date:
    try:
        return _dt.date(year, month, day)
    except ValueError:
        raise _Reject(f"{calendar.month_name[month]} {year} has no day {day}") from None


# ---------------------------------------------------------------------------
# Patterns: each regex has a handler returning a _Value (or None / _Reject)

_PATTERNS: list[tuple[re.Pattern, Callable]] = []


def _pattern(regex: str):
    compiled = re.compile(r"(?<![\w$\u20ac\u00a3#@/.-])(?:" + regex + r")(?!\w|-\w|[.,]\d|/\d|%)", re.I)

    def register(handler):
        _PATTERNS.append((compiled, handler))
        return handler

    return register


def _explicit_day(ctx, year, month, day, weekday=None, rule="explicit day") -> _Value:
    date = _day(year, month, day)
    value = _Value(date, date, DAY, rule)
    return _check_weekday(value, weekday)


def _check_weekday(value: _Value, weekday: str | None) -> _Value:
    if weekday and _WEEKDAYS[weekday.lower()] != value.start.weekday():
        value.uncertain = True
        value.rule += f" (the text says {weekday.capitalize()}, but it was a {value.start:%A})"
    return value


def _yearless_day(ctx, m, month, day, weekday=None) -> _Value:
    if day > calendar.monthrange(2000, month)[1]:
        raise _Reject(f"{calendar.month_name[month]} has no day {day}")
    found = _choose(_each_year(ctx.anchor, lambda y: (_dt.date(y, month, day),) * 2), ctx.anchor, ctx.tense_at(m))
    start, _, where = found
    rule = {"containing": "year-less day: the anchor's own date", "before": "year-less day before the anchor",
            "after": "year-less day after the anchor"}[where]
    value = _check_weekday(_Value(start, start, DAY, rule), weekday)
    value.with_year = lambda y: _check_weekday(_Value(*(_day(y, month, day),) * 2, DAY, "explicit day"), weekday)
    return value


@_pattern(r"(?P<y>\d{4})-(?P<m>[01]\d)-(?P<d>[0-3]\d)")
def _iso_day(m, ctx):
    return _explicit_day(ctx, int(m["y"]), _valid_month(int(m["m"])), int(m["d"]), rule="explicit day (ISO)")


@_pattern(r"(?P<y>\d{4})-(?P<m>0[1-9]|1[0-2])")
def _iso_month(m, ctx):
    if not ctx.alone(m):
        return None
    year, month = int(m["y"]), int(m["m"])
    return _Value(*_month(year, month), MONTH, "explicit month (ISO)")


def _valid_month(month: int) -> int:
    if not 1 <= month <= 12:
        raise _Reject(f"there is no month {month}")
    return month


@_pattern(r"(?P<a>[0-3]?\d)/(?P<b>[0-3]?\d)/(?P<y>\d{4}|\d{2})(?!\d)")
def _slash_day(m, ctx):
    first, second = int(m["a"]), int(m["b"])
    day, month = (first, second) if ctx.dayfirst else (second, first)
    order = "day first" if ctx.dayfirst else "month first"
    return _explicit_day(ctx, _full_year(m["y"], ctx.anchor), _valid_month(month), day,
                         rule=f"explicit day (numeric, {order})")


def _day_range(ctx, m, month, d1, month2, d2, year, weekday) -> _Value:
    if year is not None:
        first = _explicit_day(ctx, year, month, d1, weekday)
    else:
        first = _yearless_day(ctx, m, month, d1, weekday)
    if d2 is None:
        return first
    month2 = month2 or month
    last_year = first.start.year + (1 if month2 < month else 0)
    last = _day(last_year, month2, d2)
    if last < first.start:
        raise _Reject("the range ends before it starts")
    rule = "explicit range of days" if year is not None else f"range of days; {first.rule}"
    return _Value(first.start, last, DAY, rule, uncertain=first.uncertain)


@_pattern(
    r"(?:(?P<wd>" + _WD + r"),?\s+)?(?:(?P<btw>between)\s+|from\s+)?(?:the\s+)?(?P<mon>" + _MON + r")\s+(?:the\s+)?"
    r"(?P<d1>" + _DAYNUM + r")(?:" + _CONNECT + r"(?:(?P<mon2>" + _MON + r")\s+)?(?P<d2>" + _DAYNUM + r"))?"
    r"(?:,?\s+(?P<y>" + _YEARNUM + r"))?"
)
def _month_day(m, ctx):
    if not (ctx.whole or m["mon"][0].isupper()):
        return None
    month = _month_number(m["mon"])
    month2 = _month_number(m["mon2"]) if m["mon2"] else None
    year = int(m["y"]) if m["y"] else None
    d2 = int(re.sub(r"\D", "", m["d2"])) if m["d2"] else None
    return _day_range(ctx, m, month, int(re.sub(r"\D", "", m["d1"])), month2, d2, year, m["wd"])


@_pattern(
    r"(?:(?P<wd>" + _WD + r"),?\s+)?(?:(?P<btw>between)\s+|from\s+)?(?:the\s+)?(?P<d1>" + _DAYNUM + r")"
    r"(?:" + _CONNECT + r"(?:the\s+)?(?P<d2>" + _DAYNUM + r"))?\s+(?:of\s+)?(?P<mon>" + _MON + r")"
    r"(?:,?\s+(?P<y>" + _YEARNUM + r"))?"
)
def _day_month(m, ctx):
    if not (ctx.whole or m["mon"][0].isupper()):
        return None
    month = _month_number(m["mon"])
    year = int(m["y"]) if m["y"] else None
    d1 = int(re.sub(r"\D", "", m["d1"]))
    d2 = int(re.sub(r"\D", "", m["d2"])) if m["d2"] else None
    return _day_range(ctx, m, month, d1, None, d2, year, m["wd"])


@_pattern(_PART + r"?(?P<mon>" + _MON + r"),?\s+(?:of\s+)?(?P<y>" + _YEARNUM + r")")
def _month_year(m, ctx):
    if not (ctx.whole or m["mon"][0].isupper()):
        return None
    part = _part_word(m["part"])
    span = _part(_month(int(m["y"]), _month_number(m["mon"])), part, MONTH)
    rule = f"explicit month, {part} part" if part else "explicit month"
    value = _Value(*span, MONTH, rule, mod=part)
    return value


def _part_word(text: str | None) -> str | None:
    if not text:
        return None
    words = re.findall(r"[a-z]+", text.lower())
    return _PART_WORDS[words[1] if words[0] == "the" else words[0]]


_DETS = {"last": "last", "this past": "last", "past": "last", "previous": "last", "the previous": "last",
         "next": "next", "this coming": "next", "coming": "next", "the coming": "next", "the following": "next",
         "following": "next", "this": "this", "the current": "this", "current": "this"}


def _det(text: str | None) -> str | None:
    return _DETS[re.sub(r"\s+", " ", text.lower())] if text else None


_WHERE = {"containing": "containing the anchor", "before": "before the anchor", "after": "after the anchor"}


@_pattern(_PART + r"?(?:(?P<det>last|next|this\s+past|this\s+coming|this|past|coming)\s+)?(?P<mon>" + _FULL_MON + r")")
def _bare_month(m, ctx):
    word = m["mon"]
    if not (m["part"] or m["det"] or ctx.alone(m) or ctx.after_trigger(m)):
        if word.lower() in ("may", "march") or not word[0].isupper():
            return None
    part, det = _part_word(m["part"]), _det(m["det"])
    month = _month_number(word)
    found = _choose(_each_year(ctx.anchor, lambda y: (*_part(_month(y, month), part, MONTH), *_month(y, month))),
                    ctx.anchor, ctx.tense_at(m), det)
    start, end, where = found
    rule = f"month {_WHERE[where]}"
    if det in ("last", "next"):
        rule = f"{det} {calendar.month_name[month]}: the {'latest' if det == 'last' else 'first'} {_WHERE[where]}"
    if part:
        rule = f"{part} part of the {rule}"

    def with_year(year):
        return _Value(*_part(_month(year, month), part, MONTH), MONTH, "explicit month", mod=part)

    return _Value(start, end, MONTH, rule, mod=part, with_year=with_year)


_YEAR_TRIGGERS = {"in", "since", "by", "until", "till", "of", "from", "during", "before", "after", "around", "circa",
                  "through", "throughout", "between", "and", "to", "early", "late", "mid", "year", "spring", "summer",
                  "autumn", "fall", "winter", "c"}


def _plausible_year(m, ctx, year: int) -> bool:
    if ctx.alone(m):
        return 1 <= year <= 9999
    after = re.match(r"\s+([a-z]+)", ctx.text[m.end():])  # "2000 fighters" is a number
    if after and after[1].endswith("s") and after[1] not in ("was", "is", "has", "as", "says", "gas", "its"):
        return False
    before = re.findall(r"[a-z]+", ctx.text[max(0, m.start() - 20): m.start()].lower())
    if before and before[-1] in _YEAR_TRIGGERS:
        return 1000 <= year <= 2999
    if before and before[-1] in ("about", "some", "nearly", "almost", "than", "over", "least", "the", "of"):
        return False
    return 1900 <= year <= 2099


@_pattern(_PART + r"?(?P<y>" + _YEARNUM + r")")
def _bare_year(m, ctx):
    year = int(m["y"])
    if not (m["part"] or _plausible_year(m, ctx, year)):
        return None
    if year == 0:
        raise _Reject("there is no year 0")
    part = _part_word(m["part"])
    return _Value(*_part(_year(year), part, YEAR), YEAR, f"explicit year, {part} part" if part else "explicit year",
                  mod=part)


@_pattern(r"(?:(?P<btw>between)\s+|from\s+)?(?P<y1>\d{4})" + _CONNECT + r"(?P<y2>\d{4}|\d{2})(?!\d)")
def _year_range(m, ctx):
    first = int(m["y1"])
    last = int(m["y2"]) if len(m["y2"]) == 4 else first - first % 100 + int(m["y2"])
    if not (1000 <= first < last <= 2999) or (len(m["y2"]) == 2 and last - first > 20):
        return None
    return _Value(_year(first)[0], _year(last)[1], YEAR, "explicit range of years")


@_pattern(_PART + r"?(?:the\s+)?(?:(?P<cent>1\d|20)(?P<dec>\d)0|['\u2019](?P<short>\d)0)['\u2019]?s")
def _decade_words(m, ctx):
    if m["short"]:
        digit = int(m["short"])
        first = ctx.anchor.year - ctx.anchor.year % 100 + 10 * digit
        if first > ctx.anchor.year:
            first -= 100
    else:
        first = int(m["cent"] + m["dec"] + "0")
    part = _part_word(m["part"])
    return _Value(*_part(_decade(first), part, DECADE), DECADE,
                  f"explicit decade, {part} part" if part else "explicit decade", mod=part)


_ORD_RX = "|".join(sorted((re.escape(k).replace(r"\ ", r"\s+") for k in _ORDINALS), key=len, reverse=True))


@_pattern(_PART + r"?(?:the\s+)?(?:(?P<n>\d{1,2})(?:st|nd|rd|th)|(?P<w>" + _ORD_RX + r"))[\s-]+century")
def _century_words(m, ctx):
    number = int(m["n"]) if m["n"] else _ORDINALS[re.sub(r"\s+", " ", m["w"].lower())]
    if number < 1:
        return None
    part = _part_word(m["part"])
    return _Value(*_part(_century(number), part, CENTURY), CENTURY,
                  f"explicit century, {part} part" if part else "explicit century", mod=part)


@_pattern(
    _PART + r"?(?:(?P<det>last|next|this\s+past|this\s+coming|this|past|the\s+coming|coming)\s+|the\s+)?"
    r"(?P<s>spring|summer|autumn|fall|winter)(?:\s+(?:of\s+)?(?P<y>" + _YEARNUM + r"))?"
)
def _season_words(m, ctx):
    code = _SEASON_CODES[m["s"].lower()]
    part, det = _part_word(m["part"]), _det(m["det"])
    if m["y"]:
        return _Value(*_part(_season(int(m["y"]), code), part, SEASON), SEASON, "explicit season", mod=part)
    if not (det or part):
        if m["s"].lower() == "fall" or not (ctx.alone(m) or ctx.after_trigger(m)):
            return None
    found = _choose(_each_year(ctx.anchor, lambda y: (*_part(_season(y, code), part, SEASON), *_season(y, code))),
                    ctx.anchor, ctx.tense_at(m), det)
    rule = f"season {_WHERE[found[2]]}"
    if det in ("last", "next"):
        rule = f"{det} {m['s'].lower()}: the {'latest' if det == 'last' else 'first'} {_WHERE[found[2]]}"
    return _Value(found[0], found[1], SEASON, f"{part} part of the {rule}" if part else rule, mod=part)


@_pattern(
    r"(?:the\s+)?(?:q(?P<q>[1-4])|(?P<qw>first|second|third|fourth|1st|2nd|3rd|4th)[\s-]+quarter)"
    r"(?:,?\s+(?:of\s+)?(?:(?:fiscal\s+)?(?P<y>" + _YEARNUM + r")|(?P<ydet>last|this|next)\s+year))?"
)
def _quarter_words(m, ctx):
    number = int(m["q"]) if m["q"] else {"first": 1, "second": 2, "third": 3, "fourth": 4}.get(
        m["qw"].lower(), int(m["qw"][0]) if m["qw"][0].isdigit() else 0)
    if m["y"]:
        return _Value(*_quarter(int(m["y"]), number), QUARTER, "explicit quarter")
    if m["ydet"]:
        year = ctx.anchor.year + {"last": -1, "this": 0, "next": 1}[m["ydet"].lower()]
        return _Value(*_quarter(year, number), QUARTER, f"quarter of {m['ydet'].lower()} year")
    if re.match(r"\s+of\s+(?:the\s+)?(?!year\b|fiscal\b)[a-z]", ctx.text[m.end():], re.I):
        return None  # "the first quarter of the match"
    found = _choose(_each_year(ctx.anchor, lambda y: _quarter(y, number)), ctx.anchor, ctx.tense_at(m))
    return _Value(found[0], found[1], QUARTER, f"quarter {_WHERE[found[2]]}")


# "last week", "this month", "next year", "the end of the year", "the past month", "that week", "this fiscal year"
@_pattern(
    _PART + r"?(?:(?P<det>last|next|this|past|coming|previous|following|current|that|the\s+(?:past|last|next|coming"
    r"|previous|following|current|same)|the)\s+)?(?:(?P<fiscal>fiscal)\s+)?"
    r"(?P<unit>year|month|week|weekend|quarter|decade|century)"
)
def _deictic_unit(m, ctx):
    unit = m["unit"].lower()
    part = _part_word(m["part"])
    det_text = re.sub(r"\s+", " ", (m["det"] or "").lower())
    anchor = ctx.anchor
    approximate = uncertain = False
    if det_text in ("the past", "past", "the coming", "coming") and not part and unit != "weekend":
        return _rolling(unit, -1 if "past" in det_text else 1, anchor, det_text)
    det = {"last": "last", "the last": "last", "previous": "last", "the previous": "last", "next": "next",
           "the next": "next", "following": "next", "the following": "next", "this": "this", "current": "this",
           "the current": "this", "that": "this", "the same": "this", "": None, "the": None}.get(det_text)
    if det_text in ("that", "the same"):
        rule_base = f"the anchor's {unit}"
    else:
        rule_base = None
    if det is None and not (part or unit == "weekend" and det_text == "the"):
        return None
    if unit == "weekend":
        if part:
            return None
        return _weekend(anchor, det, ctx.tense_at(m))
    if unit == "quarter" and part:
        return None
    precision = {"year": YEAR, "month": MONTH, "week": WEEK, "quarter": QUARTER, "decade": DECADE,
                 "century": CENTURY}[unit]

    def occurrence(step: int):
        if unit == "year":
            return _year(anchor.year + step)
        if unit == "month":
            first = _add_months(anchor.replace(day=1), step)
            return _month(first.year, first.month)
        if unit == "week":
            return _week(anchor + _dt.timedelta(weeks=step))
        if unit == "quarter":
            first = _add_months(anchor.replace(day=1), 3 * step)
            return _quarter(first.year, (first.month - 1) // 3 + 1)
        if unit == "decade":
            return _decade(anchor.year - anchor.year % 10 + 10 * step)
        return _century((anchor.year // 100) + 1 + step)

    if det is None:  # "the end of the year": the nearest year end, by tense
        found = _choose([(*_part(occurrence(step), part, precision), *occurrence(step)) for step in (-1, 0, 1)],
                        anchor, ctx.tense_at(m))
        start, end = found[0], found[1]
        rule = f"{part} part of the {unit} {_WHERE[found[2]]}"
    else:
        step = {"last": -1, "this": 0, "next": 1}[det]
        start, end = _part(occurrence(step), part, precision)
        rule = rule_base or {"last": f"the {unit} before the anchor's", "this": f"the anchor's {unit}",
                             "next": f"the {unit} after the anchor's"}[det]
        if part:
            rule = f"{part} part of {rule}"
    if m["fiscal"]:
        if unit != "year":
            return None
        uncertain = True
        rule += " (fiscal year read as the calendar year)"
    return _Value(start, end, precision, rule, approximate, uncertain, mod=part)


def _rolling(unit: str, direction: int, anchor: _dt.date, words: str) -> _Value:
    days = {"year": 365, "month": 30, "week": 7, "quarter": 91, "decade": 3652, "century": 36524}[unit]
    precision = {"quarter": QUARTER, "decade": DECADE, "century": CENTURY}.get(unit, unit)
    if direction < 0:
        return _Value(anchor - _dt.timedelta(days=days), anchor, precision,
                      f"rolling: {words} {unit} = {days} days up to the anchor")
    return _Value(anchor, anchor + _dt.timedelta(days=days), precision,
                  f"rolling: {words} {unit} = {days} days from the anchor")


def _weekend(anchor: _dt.date, det: str | None, tense: str | None) -> _Value:
    monday = _week(anchor)[0]
    if det is None:  # "the weekend": the one under way, else the latest (the coming one in the future tense)
        step = 0 if anchor.weekday() >= 5 or tense == "future" else -1
        rule = "the weekend of the anchor's week" if step == 0 else "weekend before the anchor"
    else:
        step = {"last": -1, "this": 0, "next": 1}[det]
        rule = {"last": "weekend of the week before the anchor's", "this": "weekend of the anchor's week",
                "next": "weekend of the week after the anchor's"}[det]
    saturday = monday + _dt.timedelta(days=5 + 7 * step)
    return _Value(saturday, saturday + _ONE_DAY, DAY, rule)


@_pattern(r"(?P<el>earlier|later)\s+(?:(?:this|that)\s+|in\s+the\s+|the\s+same\s+)(?P<unit>week|month|year|decade)")
def _earlier_later(m, ctx):
    unit = m["unit"].lower()
    anchor = ctx.anchor
    start, end = {"week": _week(anchor), "month": _month(anchor.year, anchor.month), "year": _year(anchor.year),
                  "decade": _decade(anchor.year - anchor.year % 10)}[unit]
    precision = {"week": WEEK, "month": MONTH, "year": YEAR, "decade": DECADE}[unit]
    if m["el"].lower() == "earlier":
        return _Value(start, anchor, precision, f"earlier this {unit}: from its start to the anchor", mod="earlier")
    return _Value(anchor, end, precision, f"later this {unit}: from the anchor to its end", mod="later")


@_pattern(r"(?P<el>earlier|later)\s+(?:today|in\s+the\s+day|that\s+day|tonight)")
def _earlier_later_today(m, ctx):
    return _Value(ctx.anchor, ctx.anchor, DAY, "the anchor day")


@_pattern(
    r"(?:(?P<det>last|next|this\s+past|this\s+coming|this|past|coming)\s+)?(?P<wd>" + _WD + r")"
    r"(?:\s+(?P<pod>" + _DAY_PARTS + r"))?"
)
def _weekday(m, ctx):
    target = _WEEKDAYS[m["wd"].lower()]
    anchor = ctx.anchor
    det = _det(m["det"])
    back = (anchor.weekday() - target) % 7
    forward = (target - anchor.weekday()) % 7
    if det == "last":
        day, rule = anchor - _dt.timedelta(days=back or 7), "last weekday: strictly before the anchor"
    elif det == "next":
        day, rule = anchor + _dt.timedelta(days=forward or 7), "next weekday: strictly after the anchor"
    elif det == "this":
        day, rule = _week(anchor)[0] + _dt.timedelta(days=target), "weekday in the anchor's week"
    elif back == 0:
        day, rule = anchor, "anchor's own weekday"
    elif ctx.tense_at(m) == "future":
        day, rule = anchor + _dt.timedelta(days=forward), "weekday after the anchor (future tense)"
    else:
        day, rule = anchor - _dt.timedelta(days=back), "weekday before the anchor"
    return _Value(day, day, DAY, rule)


_DAY_WORDS = [
    (r"today|tonight|this\s+" + _DAY_PARTS + r"|earlier\s+today|later\s+today", 0, "the anchor day"),
    (r"yesterday(?:\s+" + _DAY_PARTS + r")?|last\s+night", -1, "the day before the anchor"),
    (r"tomorrow(?:\s+" + _DAY_PARTS + r")?", 1, "the day after the anchor"),
    (r"the\s+day\s+before\s+yesterday", -2, "two days before the anchor"),
    (r"the\s+day\s+after\s+tomorrow", 2, "two days after the anchor"),
    (r"(?:the\s+same|that)\s+(?:day|date|" + _DAY_PARTS + r")|the\s+same\s+day", 0,
     "the anchor (the day referred to)"),
    (r"the\s+(?:next|following)\s+day|the\s+day\s+after(?=\s*(?:[,.;:)]|$))", 1, "the day after the anchor"),
    (r"the\s+(?:previous|preceding)\s+day|the\s+day\s+before(?=\s*(?:[,.;:)]|$))|the\s+night\s+before"
     r"|the\s+eve(?=\s*(?:[,.;:)]|$))", -1, "the day before the anchor"),
]


def _register_day_word(regex: str, offset: int, rule: str):
    @_pattern(regex)
    def handler(m, ctx):
        day = ctx.anchor + _dt.timedelta(days=offset)
        return _Value(day, day, DAY, rule)

    return handler


for _regex, _offset, _rule in _DAY_WORDS:
    _register_day_word(_regex, _offset, _rule)


@_pattern(
    r"(?:(?P<in>in|within)\s+)?(?:(?P<approx>" + _APPROX + r")\s+)?(?P<num>" + _NUM + r")\s+"
    r"(?P<unit>day|week|month|year|decade)s?(?:['\u2019]s)?"
    r"(?:\s+(?P<dir>ago|earlier|later|before|after|afterwards?|from\s+now|hence|on))?"
)
def _units_away(m, ctx):
    direction = (m["dir"] or "").lower()
    if m["in"] and direction:
        return None
    if m["in"]:
        if m["in"].lower() == "within" or re.match(r"\s+of\b", ctx.text[m.end():]) or ctx.tense_at(m) == "past":
            return None
        sign = 1
    elif direction in ("ago", "earlier", "before"):
        sign = -1
    elif direction in ("later", "after", "afterwards", "afterward", "from now", "hence", "on"):
        sign = 1
    else:
        return None
    if direction in ("before", "after") and not re.match(r"\s*(?:[,.;:)]|$)", ctx.text[m.end():]):
        return None  # "two days before the vote" is relative to the vote, not the anchor
    number, vague = _number(m["num"])
    approximate = vague or bool(m["approx"])
    unit = m["unit"].lower()
    anchor = ctx.anchor
    words = f"{number} {unit}{'s' if number != 1 else ''}"
    where = "before" if sign < 0 else "after"
    if unit == "day":
        day = anchor + _dt.timedelta(days=sign * number)
        return _Value(day, day, DAY, f"{words} {where} the anchor", approximate)
    if unit == "week":
        start, end = _week(anchor + _dt.timedelta(weeks=sign * number))
        return _Value(start, end, WEEK, f"the week {words} {where} the anchor", approximate)
    if unit == "month":
        month = _add_months(anchor, sign * number)
        return _Value(*_month(month.year, month.month), MONTH, f"the month {words} {where} the anchor", approximate)
    years = number * (10 if unit == "decade" else 1)
    approximate = approximate or unit == "decade"
    return _Value(*_year(anchor.year + sign * years), YEAR, f"the year {words} {where} the anchor", approximate)


@_pattern(
    r"(?:(?:in|over|during|for)\s+)?(?P<the>the\s+)?(?P<det>past|last|previous|coming|next)\s+(?P<num>" + _NUM
    + r")?\s*(?P<unit>days|weeks|months|years|decades)"
)
def _rolling_span(m, ctx):
    if not (m["the"] or m["num"]) or (not m["num"] and m["det"].lower() in ("coming", "next")):
        return None  # "in the coming weeks" is a vague word
    number, vague = _number(m["num"]) if m["num"] else (3, True)
    unit = m["unit"].lower()
    days = number * {"days": 1, "weeks": 7, "months": 30, "years": 365, "decades": 3652}[unit]
    precision = {"days": DAY, "weeks": WEEK, "months": MONTH, "years": YEAR, "decades": DECADE}[unit]
    anchor = ctx.anchor
    words = f"{re.sub(r'^a ', '', m['num'].lower()) if m['num'] else 'few'} {unit}"
    if m["det"].lower() in ("coming", "next"):
        return _Value(anchor, anchor + _dt.timedelta(days=days), precision,
                      f"rolling: the next {words} = {days} days from the anchor", vague)
    return _Value(anchor - _dt.timedelta(days=days), anchor, precision,
                  f"rolling: the last {words} = {days} days up to the anchor", vague)


# Vague words: approximate spans that end (or, for "soon", start) at the anchor.
_VAGUE = [
    (r"recently|lately|of\s+late|in\s+recent\s+times", -30, MONTH, "recently = 30 days up to the anchor",
     "PAST_REF"),
    (r"in\s+recent\s+days", -7, WEEK, "in recent days = 7 days up to the anchor", "PAST_REF"),
    (r"in\s+recent\s+weeks", -21, WEEK, "in recent weeks = 21 days up to the anchor", "PAST_REF"),
    (r"in\s+recent\s+months", -90, MONTH, "in recent months = 90 days up to the anchor", "PAST_REF"),
    (r"in\s+recent\s+years", -1095, YEAR, "in recent years = 3 years up to the anchor", "PAST_REF"),
    (r"earlier(?=\s*(?:[,.;:)]|$))", -30, MONTH, "earlier = 30 days up to the anchor", "PAST_REF"),
    (r"(?:shortly|soon)\s+(?:after(?:wards?)?|thereafter)", 7, WEEK,
     "shortly after = 7 days from the anchor (the event referred to)", None),
    (r"shortly\s+before", -7, WEEK, "shortly before = 7 days up to the anchor (the event referred to)", None),
    (r"(?<!as\s)soon(?!\s+as\b)", 30, MONTH, "soon = 30 days from the anchor", "FUTURE_REF"),
    (r"in\s+the\s+coming\s+days", 7, WEEK, "in the coming days = 7 days from the anchor", "FUTURE_REF"),
    (r"in\s+the\s+coming\s+weeks", 21, WEEK, "in the coming weeks = 21 days from the anchor", "FUTURE_REF"),
    (r"in\s+the\s+coming\s+months", 90, MONTH, "in the coming months = 90 days from the anchor", "FUTURE_REF"),
    (r"(?:in\s+)?the\s+past(?!\s+(?:\d|few|several|couple|dozen|day|week|weekend|month|year|decade|century"
     r"|quarter|summer|winter|spring|autumn|fall|monday|tuesday|wednesday|thursday|friday|saturday|sunday|two"
     r"|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty)\b)", -365, YEAR,
     "the past = up to a year before the anchor (uncertain)", "PAST_REF"),
    (r"in\s+the\s+future", 365, YEAR, "in the future = up to a year after the anchor (uncertain)", "FUTURE_REF"),
]


def _register_vague(regex: str, days: int, precision: str, rule: str, ref: str | None):
    @_pattern(regex)
    def handler(m, ctx):
        anchor = ctx.anchor
        other = anchor + _dt.timedelta(days=days)
        start, end = (other, anchor) if days < 0 else (anchor, other)
        return _Value(start, end, precision, "vague: " + rule, True, abs(days) == 365, ref=ref)

    return handler


for _vague in _VAGUE:
    _register_vague(*_vague)


@_pattern(r"(?:right\s+)?now|currently|at\s+present|presently|at\s+the\s+moment|nowadays|these\s+days")
def _present(m, ctx):
    loose = m.group(0).lower() in ("nowadays", "these days")
    return _Value(ctx.anchor, ctx.anchor, DAY, "now = the anchor day" + (" (approximately)" if loose else ""),
                  loose, ref="PRESENT_REF")


_HOLIDAYS = {
    "new year's eve": (lambda y: _dt.date(y, 12, 31)), "new year's day": (lambda y: _dt.date(y, 1, 1)),
    "new year's": (lambda y: _dt.date(y, 1, 1)), "christmas eve": (lambda y: _dt.date(y, 12, 24)),
    "christmas": (lambda y: _dt.date(y, 12, 25)), "christmas day": (lambda y: _dt.date(y, 12, 25)),
    "boxing day": (lambda y: _dt.date(y, 12, 26)), "halloween": (lambda y: _dt.date(y, 10, 31)),
    "valentine's day": (lambda y: _dt.date(y, 2, 14)), "fourth of july": (lambda y: _dt.date(y, 7, 4)),
    "easter": easter, "easter sunday": easter, "good friday": (lambda y: easter(y) - 2 * _ONE_DAY),
    "easter monday": (lambda y: easter(y) + _ONE_DAY),
    "thanksgiving": (lambda y: _dt.date(y, 11, 22 + (3 - _dt.date(y, 11, 1).weekday()) % 7)),
    "thanksgiving day": (lambda y: _dt.date(y, 11, 22 + (3 - _dt.date(y, 11, 1).weekday()) % 7)),
}


@_pattern(
    r"(?:(?P<det>last|next|this)\s+)?(?P<h>new\s+year['\u2019]?s\s+eve|new\s+year['\u2019]?s(?:\s+day)?"
    r"|christmas\s+eve|christmas(?:\s+day)?|boxing\s+day|halloween|valentine['\u2019]?s\s+day|fourth\s+of\s+july"
    r"|easter(?:\s+sunday|\s+monday)?|good\s+friday|thanksgiving(?:\s+day)?)(?:\s+(?P<y>" + _YEARNUM + r"))?"
)
def _holiday(m, ctx):
    name = re.sub(r"\s+", " ", m["h"].lower().replace("\u2019", "'").replace("years", "year's"))
    name = name.replace("valentines", "valentine's")
    make = _HOLIDAYS[name]
    if m["y"]:
        day = make(int(m["y"]))
        return _Value(day, day, DAY, f"holiday: {name}")
    found = _choose(((d, d) for d in _each_year(ctx.anchor, make)), ctx.anchor, ctx.tense_at(m), _det(m["det"]))
    return _Value(found[0], found[0], DAY, f"holiday: {name}, {_WHERE[found[2]]}")


# ---------------------------------------------------------------------------
# Scanning


@dataclass
class _Found:
    begin: int
    end: int
    order: int
    value: _Value


def _scan(ctx: _Context, reasons: list[str]) -> list[_Found]:
    found: list[_Found] = []
    rejected: list[tuple[int, int, str]] = []
    for order, (regex, handler) in enumerate(_PATTERNS):
        for m in regex.finditer(ctx.text):
            try:
                value = handler(m, ctx)
            except _Reject as exc:
                rejected.append((m.start(), m.end(), str(exc)))
                continue
            except (ValueError, OverflowError):
                rejected.append((m.start(), m.end(), "it falls outside the supported years 1-9999"))
                continue
            if value is not None:
                found.append(_Found(m.start(), m.end(), order, value))
    # Words read as an impossible date ("Feb. 30, 2016") are not a date at all, not the year "2016".
    rejected.sort(key=lambda r: r[0] - r[1])
    for begin, end, reason in rejected:
        if not any(f.begin <= begin and end <= f.end for f in found):
            reasons.append(reason)
            found = [f for f in found if f.end <= begin or f.begin >= end or f.end - f.begin > end - begin]
    found.sort(key=lambda f: (-(f.end - f.begin), f.begin, f.order))
    chosen: list[_Found] = []
    for item in found:
        if all(item.end <= other.begin or item.begin >= other.end for other in chosen):
            chosen.append(item)
    chosen.sort(key=lambda f: f.begin)
    return _merge_ranges(ctx, chosen)


_PRECISION_ORDER = {p: i for i, p in enumerate(PRECISIONS)}


def _merge_ranges(ctx: _Context, items: list[_Found]) -> list[_Found]:
    """Join "from Feb. 12 to Feb. 19", "between Monday and Wednesday", "June-July 2015"."""
    merged: list[_Found] = []
    for item in items:
        if merged:
            first = merged[-1]
            gap = ctx.text[first.end: item.begin]
            lead = re.search(r"\b(from|between)\s+$", ctx.text[: first.begin], re.I)
            word = gap.strip().lower()
            joins = (word in ("-", "\u2013", "\u2014") or (lead and lead[1].lower() == "from" and word in (
                "to", "through", "until", "till")) or (lead and lead[1].lower() == "between" and word == "and"))
            if joins and len(gap) <= 10:
                start_value = first.value
                if first.value.with_year and not item.value.with_year and item.value.start.year:
                    try:
                        start_value = first.value.with_year(item.value.end.year)
                    except (_Reject, ValueError):
                        start_value = first.value
                    if start_value.start > item.value.end:
                        start_value = first.value
                if start_value.start <= item.value.end:
                    precision = max(start_value.precision, item.value.precision, key=_PRECISION_ORDER.get)
                    value = _Value(start_value.start, item.value.end, precision,
                                   f"range: {start_value.rule} to {item.value.rule}",
                                   start_value.approximate or item.value.approximate,
                                   start_value.uncertain or item.value.uncertain)
                    begin = lead.start(1) if lead else first.begin
                    merged[-1] = _Found(begin, item.end, first.order, value)
                    continue
        merged.append(item)
    return merged


# ---------------------------------------------------------------------------
# EDTF and TIMEX3


def _edtf(start: _dt.date, end: _dt.date, precision: str, approximate: bool, uncertain: bool,
          days: bool = False) -> str:
    """EDTF for the span: a season, decade, year(s) or month(s) where it is exactly one, else days."""
    q = qualifier(approximate, uncertain)

    def interval(a: str, b: str) -> str:
        return f"{a}{q}" if a == b else f"{a}{q}/{b}{q}"

    whole_months = start.day == 1 and end == _month_end(end.year, end.month)
    whole_years = whole_months and (start.month, end.month) == (1, 12)
    if not days and precision not in (DAY, WEEK, QUARTER) and whole_months:
        if precision == SEASON and start.month in (3, 6, 9, 12) and (start, end) == _season(
                start.year, {3: 21, 6: 22, 9: 23, 12: 24}[start.month]):
            return f"{start.year:04d}-{ {3: 21, 6: 22, 9: 23, 12: 24}[start.month]}{q}"
        if whole_years and precision == DECADE and start.year % 10 == 0 and end.year == start.year + 9:
            return f"{start.year // 10:03d}X{q}"
        if whole_years and precision == CENTURY and end.year % 100 == 99 and end.year - start.year in (98, 99):
            return f"{end.year // 100:02d}XX{q}"
        if whole_years:
            return interval(f"{start.year:04d}", f"{end.year:04d}")
        return interval(f"{start.year:04d}-{start.month:02d}", f"{end.year:04d}-{end.month:02d}")
    return interval(start.isoformat(), end.isoformat())


def to_timex3(r: ResolvedDate) -> str:
    """The TIMEX3 ``value`` of a resolved date: 2013-03-22, 2013-W11, 2013-SU, 2013-Q1, 199, PAST_REF, ..."""
    if r.ref:
        return r.ref
    start, end = r.start, r.end
    if r.precision == DAY and start == end:
        return start.isoformat()
    if r.precision == WEEK and (start, end) == _week(start):
        year, week, _ = start.isocalendar()
        return f"{year:04d}-W{week:02d}"
    if r.precision == QUARTER and (start, end) == _quarter(start.year, (start.month - 1) // 3 + 1):
        return f"{start.year:04d}-Q{(start.month - 1) // 3 + 1}"
    if r.mod or "/" not in r.edtf:
        if r.precision == MONTH:
            return f"{start.year:04d}-{start.month:02d}"
        if r.precision == SEASON:
            month, year = start.month, start.year - (1 if start.month < 3 else 0)
            code = {12: 24, 1: 24, 2: 24, 3: 21, 4: 21, 5: 21, 6: 22, 7: 22, 8: 22}.get(month, 23)
            return f"{year:04d}-{_TIMEX_SEASON[code]}"
        if r.precision == YEAR:
            return f"{start.year:04d}"
        if r.precision == DECADE:
            return f"{start.year // 10:03d}"
        if r.precision == CENTURY:
            return f"{end.year // 100:02d}"
    return f"{start.isoformat()}/{end.isoformat()}"


# ---------------------------------------------------------------------------
# Tense


_FUTURE_CUE = re.compile(
    r"\b(?:will|shall|won['\u2019]t|(?:may|might)(?!\s+(?:not\s+)?have\b)|going\s+to|to\s+be|(?:is|are|am|was|were)\s+(?:due|set|scheduled|expected"
    r"|slated|poised|planning|planned|about|likely|going)\s+to|plans?\s+to|intends?\s+to|aims?\s+to|next|upcoming"
    r"|in\s+the\s+coming)\b|['\u2019]ll\b",
    re.I,
)
_PAST_CUE = re.compile(
    r"\b(?:was|were|had|did|said|told|ago|last|earlier|previously|went|came|began|took|made|gave|saw|met|left"
    r"|held|won|lost|fell|rose|became|sought|fought|brought|bought|sold|struck|agreed|freed|[a-z]{2,}(?<!e)ed)\b",
    re.I,
)
_NOT_PAST_WORDS = {"hundred", "united", "armed", "alleged", "so-called", "limited", "based", "related", "detailed",
                   "advanced", "red", "bed", "shed"}
_NOT_PAST_BEFORE = {"be", "been", "being", "is", "are", "am", "has", "have", "to"}
_INFINITIVE = re.compile(r"\b([a-z]+)\s+to\s+([a-z]+)\b")
_NOT_VERBS = {"the", "a", "an", "his", "her", "its", "their", "our", "my", "your", "this", "that", "these", "those",
              "be", "date", "what", "which", "whom", "where", "some", "all", "one", "two", "him", "them", "us", "me"}
_NOT_INTENT = {"according", "due", "up", "close", "compared", "prior", "back", "went", "came", "returned", "how",
               "from", "used", "had", "ought", "able", "unable", "tried", "refused", "agreed", "wanted", "sought",
               "decided", "began", "started", "failed", "managed", "continued"}


def guess_tense(sentence: str, at: tuple[int, int] | None = None) -> str | None:
    """Guess "past" or "future" from the cue words in a sentence, or None.

    Cues: will, 'll, is set/due/expected to, to be, plans to, next, a purpose
    infinitive ("the program to run through June") for the future; a past-tense
    verb, "was", "said", "ago", "last" for the past.  With ``at`` (the
    expression's character span), the cue nearest before it decides, else the
    nearest after it; without, the first cue in the sentence.
    """
    cues: list[tuple[int, int, str]] = []
    for m in _FUTURE_CUE.finditer(sentence):
        cues.append((m.start(), m.end(), "future"))
    for m in _INFINITIVE.finditer(sentence):
        before, verb = m[1].lower(), m[2].lower()
        if verb in _NOT_VERBS or before in _NOT_INTENT or before.endswith("ed") or before in ("is", "are", "was"):
            continue
        cues.append((m.start(2), m.end(), "future"))
    for m in _PAST_CUE.finditer(sentence):
        previous = re.findall(r"[a-z]+", sentence[max(0, m.start() - 12): m.start()].lower())
        if m[0].lower() in _NOT_PAST_WORDS:
            continue
        if m[0].lower().endswith("ed") and previous and previous[-1] in _NOT_PAST_BEFORE:
            continue  # passive or perfect: "to be published", "has identified"
        cues.append((m.start(), m.end(), "past"))
    if at is not None:
        cues = [c for c in cues if c[1] <= at[0] or c[0] >= at[1]]
    if not cues:
        return None
    if at is None:
        return min(cues)[2]
    before = [c for c in cues if c[1] <= at[0]]
    if before:
        return max(before, key=lambda c: c[1])[2]
    return min(cues)[2]


# ---------------------------------------------------------------------------
# Public functions


def _anchor_date(anchor) -> _dt.date:
    if isinstance(anchor, _dt.datetime):
        return anchor.date()
    if isinstance(anchor, _dt.date):
        return anchor
    if isinstance(anchor, str):
        try:
            return _dt.date.fromisoformat(anchor.strip())
        except ValueError:
            raise ResolveError(f"anchor {anchor!r} is not an ISO day (YYYY-MM-DD)") from None
    raise TypeError(f"anchor must be a date, a datetime or an ISO string, not {type(anchor).__name__}")


def _check_tense(tense):
    if tense not in (None, *TENSES):
        raise UsageError(f"tense must be 'past', 'future' or None, not {tense!r}")


def _in_days(v: _Value) -> bool:
    return v.ref is not None or v.rule.startswith(("vague", "rolling")) or v.mod in ("earlier", "later")


def _result(text: str, item: _Found, offset: int = 0) -> ResolvedDate:
    v = item.value
    return ResolvedDate(
        text=text[item.begin: item.end],
        start=v.start,
        end=v.end,
        precision=v.precision,
        edtf=_edtf(v.start, v.end, v.precision, v.approximate, v.uncertain, days=_in_days(v)),
        rule=v.rule,
        approximate=v.approximate,
        uncertain=v.uncertain,
        span=(item.begin + offset, item.end + offset),
        mod=v.mod,
        ref=v.ref,
    )


def resolve(text: str, anchor, tense: str | None = None, dayfirst: bool = False) -> ResolvedDate:
    """Resolve the date expression in a short phrase ("On Friday,", "set to begin yesterday").

    ``anchor`` is a date, datetime or 'YYYY-MM-DD' (normally the publication
    date).  ``tense`` "past" or "future" steers year-less dates and weekdays;
    None guesses it from the phrase's own words (see ``guess_tense``) and
    otherwise prefers the past.  Where the phrase holds several expressions the
    longest wins.

    :raises ResolveError: the text holds no date expression (message quotes it).
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a string, not {type(text).__name__}")
    _check_tense(tense)
    day = _anchor_date(anchor)
    reasons: list[str] = []
    ctx = _Context(text, day, tense, dayfirst, whole=True)
    found = _scan(ctx, reasons)
    if not found:
        shown = " ".join(text.split())
        if len(shown) > 80:
            shown = shown[:77] + "..."
        why = f": {reasons[0]}" if reasons else (
            ' (expected e.g. "on Friday", "Feb. 12", "last month", "three days ago", "recently")'
        )
        raise ResolveError(f'"{shown}" is not a date expression{why}')
    best = max(found, key=lambda f: (f.end - f.begin, -f.begin))
    return _result(text, best)


def find_dates(sentence: str, anchor, tense: str | None = None, dayfirst: bool = False) -> list[ResolvedDate]:
    """Every date expression in a sentence, in order, each with ``.text`` and ``.span``.

    Bare numbers are left alone ("3 militias", "1,000 fighters"); a bare year
    needs a preposition before it or must not be followed by a plural noun.
    """
    if not isinstance(sentence, str):
        raise TypeError(f"sentence must be a string, not {type(sentence).__name__}")
    _check_tense(tense)
    ctx = _Context(sentence, _anchor_date(anchor), tense, dayfirst, whole=False)
    return [_result(sentence, item) for item in _scan(ctx, [])]
