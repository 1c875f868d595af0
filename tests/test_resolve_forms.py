"""Every form of date expression the resolver reads, each with the convention it follows (docs/resolve.md).

Anchor T is Tuesday 12 February 2013 (ISO week 7: Monday 11 - Sunday 17 February), as in issue 12.
"""

import datetime as dt

import pytest

from timeline.resolve import ResolveError, resolve

D = dt.date
T = D(2013, 2, 12)
EVENT = D(2013, 2, 8)  # the date of an event referred to ("the day before")

# (text, anchor, tense, start, end, precision, convention)
WHOLE_PHRASES = [
    ("first tuesday of october", T, None, D(2012, 10, 2), D(2012, 10, 2), "day",
     "ordinal weekday of a year-less month: the nearer October, the past one unless the next is half as far"),
    ("first tuesday of october", T, "future", D(2013, 10, 1), D(2013, 10, 1), "day", "future tense: the next October"),
    ("first tuesday of october", T, "past", D(2012, 10, 2), D(2012, 10, 2), "day", "past tense: the last October"),
    ("the first Tuesday of next October", T, None, D(2013, 10, 1), D(2013, 10, 1), "day", "next October decides"),
    ("Tuesday the 19th", T, None, D(2013, 2, 19), D(2013, 2, 19), "day",
     "a weekday with a day of the month: the nearest month where the day is that weekday"),
    ("3 fridays from now", T, None, D(2013, 3, 1), D(2013, 3, 1), "day", "the third Friday after the anchor"),
    ("two Fridays ago", T, None, D(2013, 2, 1), D(2013, 2, 1), "day", "the second Friday before the anchor"),
    ("third last week of 2018", T, None, D(2018, 12, 10), D(2018, 12, 16), "week",
     "weeks of a year are its ISO weeks; 2018 has 52, the third last is W50"),
    ("since 2014", D(2016, 2, 13), None, D(2014, 1, 1), D(2016, 2, 13), "year",
     "since X: from the first day of X to the anchor"),
    ("the first of march", T, None, D(2013, 3, 1), D(2013, 3, 1), "day", "an ordinal day of a month is a day"),
    ("the ides of march", T, None, D(2013, 3, 15), D(2013, 3, 15), "day", "the ides: the 15th of March"),
    ("20 of next month", T, None, D(2013, 3, 20), D(2013, 3, 20), "day", "day 20 of the month after the anchor's"),
    ("the 20th of this month", T, None, D(2013, 2, 20), D(2013, 2, 20), "day", "day 20 of the anchor's month"),
    ("Eid al-Fitr 2018", T, None, D(2018, 6, 15), D(2018, 6, 15), "day",
     "Islamic holidays from the Umm al-Qura calendar, approximate"),
    ("day after tomorrow", T, None, D(2013, 2, 14), D(2013, 2, 14), "day", "with or without 'the'"),
    ("Sunday, Feb 10", T, "future", D(2013, 2, 10), D(2013, 2, 10), "day",
     "a weekday with a year-less date: the year where they agree, whatever the tense"),
]

ROLLING_WINDOWS = [
    ("past week", T, None, D(2013, 2, 6), T, "week", "a rolling week: the 7 days ending at the anchor"),
    ("the past week", T, None, D(2013, 2, 6), T, "week", "with 'the' too"),
    ("last 2 days", T, None, D(2013, 2, 11), T, "day", "2 days: the anchor and the day before"),
    ("the past month", T, None, D(2013, 1, 13), T, "month", "a month back from the anchor, plus one day"),
    ("recently", T, None, D(2013, 1, 14), T, "month", "recently: 30 days ending at the anchor"),
    ("in recent days", T, None, D(2013, 2, 6), T, "week", "7 days ending at the anchor"),
    ("upcoming two weeks", T, None, T, D(2013, 2, 25), "week", "14 days starting at the anchor"),
    ("the next three months", T, None, T, D(2013, 5, 11), "month", "three months from the anchor, less a day"),
    ("the past few weeks", T, None, D(2013, 1, 23), T, "week", "few = 3, approximate"),
    ("soon", T, "future", T, D(2013, 3, 13), "month", "soon: 30 days starting at the anchor"),
]

ABBREVIATIONS = [
    ("Thu", T, None, D(2013, 2, 7), D(2013, 2, 7), "day", "weekday abbreviations"),
    ("Fri.", T, None, D(2013, 2, 8), D(2013, 2, 8), "day", "with a period"),
    ("last yr", T, None, D(2012, 1, 1), D(2012, 12, 31), "year", "unit abbreviations: yr"),
    ("this qtr", T, None, D(2013, 1, 1), D(2013, 3, 31), "quarter", "qtr"),
    ("next wk", T, None, D(2013, 2, 18), D(2013, 2, 24), "week", "wk"),
    ("18q4", T, None, D(2018, 10, 1), D(2018, 12, 31), "quarter", "two-digit year, q, quarter"),
    ("xmas", T, None, D(2012, 12, 25), D(2012, 12, 25), "day", "Christmas, as for year-less dates"),
    ("Sept. 11, 2001", T, None, D(2001, 9, 11), D(2001, 9, 11), "day", "month abbreviations"),
]

NUMERIC = [
    ("2/15", T, None, D(2013, 2, 15), D(2013, 2, 15), "day", "month/day, as python-dateutil reads it"),
    ("Feb. 15", T, None, D(2013, 2, 15), D(2013, 2, 15), "day", "the same day as 2/15"),
    ("10-31-74", T, None, D(1974, 10, 31), D(1974, 10, 31), "day", "two-digit years: within 20 years after the "
     "anchor, else the century before"),
    ("31-Oct-74", T, None, D(1974, 10, 31), D(1974, 10, 31), "day", "day-month abbreviation-year"),
    ("2014/10", T, None, D(2014, 10, 1), D(2014, 10, 31), "month", "year/month"),
    ("2016-02", T, None, D(2016, 2, 1), D(2016, 2, 29), "month", "ISO month"),
    ("29.02.2020", T, None, D(2020, 2, 29), D(2020, 2, 29), "day", "29 cannot be a month: day first"),
    ("13/02", T, None, D(2013, 2, 13), D(2013, 2, 13), "day", "13 cannot be a month: read day first"),
    ("02/12/2013", T, None, D(2013, 2, 12), D(2013, 2, 12), "day", "month first by default"),
    ("2013-02-12", T, None, T, T, "day", "ISO day"),
]

DAYS_OF_A_MONTH = [
    ("on the 15th", T, None, D(2013, 2, 15), D(2013, 2, 15), "day", "a bare ordinal day: the nearest such day"),
    ("the 1st", T, None, D(2013, 2, 1), D(2013, 2, 1), "day", "the 1st of the anchor's month is nearer than the next"),
    ("march first", T, None, D(2013, 3, 1), D(2013, 3, 1), "day", "month then ordinal word"),
    ("the second Monday in May", T, None, D(2013, 5, 13), D(2013, 5, 13), "day", "ordinal weekday in a month"),
    ("the last Friday of the month", T, None, D(2013, 2, 22), D(2013, 2, 22), "day", "of the anchor's month"),
    ("the last day of 2016", T, None, D(2016, 12, 31), D(2016, 12, 31), "day", "last day of a year"),
    ("the first day of next month", T, None, D(2013, 3, 1), D(2013, 3, 1), "day", "first day of a month"),
    ("the first week of March 2013", T, None, D(2013, 3, 1), D(2013, 3, 7), "week",
     "weeks of a month are 7-day blocks from the 1st"),
]

RELATIVE_DAYS = [
    ("the day before", EVENT, None, D(2013, 2, 7), D(2013, 2, 7), "day", "the day before the event referred to"),
    ("the day after", EVENT, None, D(2013, 2, 9), D(2013, 2, 9), "day", "the day after the event referred to"),
    ("overnight", T, None, D(2013, 2, 11), T, "day", "the night before the anchor into the anchor day"),
    ("a fortnight ago", T, None, D(2013, 1, 28), D(2013, 2, 3), "week", "a fortnight is two weeks; offsets in "
     "weeks give the ISO week"),
    ("in 1 year 11 months", T, None, D(2015, 1, 1), D(2015, 1, 31), "month", "compound offsets: the finest unit"),
    ("1 year 2 months ago", T, None, D(2011, 12, 1), D(2011, 12, 31), "month", "compound offsets back"),
    ("two years and six months ago", T, None, D(2010, 8, 1), D(2010, 8, 31), "month", "joined by 'and'"),
    ("+2 years", T, None, D(2015, 1, 1), D(2015, 12, 31), "year", "signed offsets"),
    ("-3 days", T, None, D(2013, 2, 9), D(2013, 2, 9), "day", "signed offsets back"),
    ("now - 1 day", T, None, D(2013, 2, 11), D(2013, 2, 11), "day", "now minus an offset"),
    ("today plus 3 days", T, None, D(2013, 2, 15), D(2013, 2, 15), "day", "today plus an offset"),
    ("two days before Christmas 2012", T, None, D(2012, 12, 23), D(2012, 12, 23), "day", "an offset from a day"),
    ("a week after Feb. 1", T, None, D(2013, 2, 8), D(2013, 2, 8), "day", "an offset from a day is a day"),
    ("the week before last", T, None, D(2013, 1, 28), D(2013, 2, 3), "week", "two weeks before the anchor's"),
]

PARTS = [
    ("end of the month", T, None, D(2013, 2, 21), D(2013, 2, 28), "month", "late part: days 21 to the end"),
    ("the end of the month", T, None, D(2013, 2, 21), D(2013, 2, 28), "month", "of the anchor's month"),
    ("early next year", T, None, D(2014, 1, 1), D(2014, 4, 30), "year", "early part of a year: January-April"),
    ("late last year", T, None, D(2012, 9, 1), D(2012, 12, 31), "year", "late part: September-December"),
    ("mid-February", T, None, D(2013, 2, 11), D(2013, 2, 20), "month", "mid part of a month: days 11-20"),
    ("mid-2015", T, None, D(2015, 5, 1), D(2015, 8, 31), "year", "mid part of a year: May-August"),
    ("late on Friday", T, None, D(2013, 2, 8), D(2013, 2, 8), "day", "part of a day: the day"),
    ("early next week", T, None, D(2013, 2, 18), D(2013, 2, 19), "week", "early part of a week: Monday-Tuesday"),
    ("the beginning of 2016", T, None, D(2016, 1, 1), D(2016, 4, 30), "year", "the beginning = the early part"),
    ("by the end of 2016", T, None, T, D(2016, 12, 31), "year", "by X in the future: from the anchor to X's end"),
    ("until March", T, None, T, D(2013, 3, 31), "month", "until X: from the anchor to its end"),
    ("the first half of 2016", T, None, D(2016, 1, 1), D(2016, 6, 30), "half", "halves of a year"),
]

UNITS = [
    ("the weekend", T, None, D(2013, 2, 9), D(2013, 2, 10), "day", "the weekend: the latest, or the one under way"),
    ("the weekend", T, "future", D(2013, 2, 16), D(2013, 2, 17), "day", "in the future tense, the coming one"),
    ("this past weekend", T, None, D(2013, 2, 9), D(2013, 2, 10), "day", "this past = last"),
    ("the week of Feb. 8", T, None, D(2013, 2, 4), D(2013, 2, 10), "week", "the ISO week holding that day"),
    ("Q1", T, None, D(2013, 1, 1), D(2013, 3, 31), "quarter", "a year-less quarter: the nearest"),
    ("1Q", T, None, D(2013, 1, 1), D(2013, 3, 31), "quarter", "number first"),
    ("first quarter", T, None, D(2013, 1, 1), D(2013, 3, 31), "quarter", "in words"),
    ("the third quarter of last year", T, None, D(2012, 7, 1), D(2012, 9, 30), "quarter", "of a deictic year"),
    ("Q4 2012", T, None, D(2012, 10, 1), D(2012, 12, 31), "quarter", "with a year"),
    ("1Q16", T, None, D(2016, 1, 1), D(2016, 3, 31), "quarter", "number, Q, two-digit year"),
    ("H2", T, None, D(2012, 7, 1), D(2012, 12, 31), "half", "a year-less half: the nearest"),
    ("second half", T, None, D(2012, 7, 1), D(2012, 12, 31), "half", "in words"),
    ("H1 2014", T, None, D(2014, 1, 1), D(2014, 6, 30), "half", "with a year"),
    ("the 1990s", T, None, D(1990, 1, 1), D(1999, 12, 31), "decade", "decades"),
    ("the '90s", T, None, D(1990, 1, 1), D(1999, 12, 31), "decade", "short decades: the latest up to the anchor"),
    ("the 19th century", T, None, D(1800, 1, 1), D(1899, 12, 31), "century", "the 19th century is 1800-1899"),
    ("the nineteenth century", T, None, D(1800, 1, 1), D(1899, 12, 31), "century", "in words"),
    ("in March", T, None, D(2013, 3, 1), D(2013, 3, 31), "month", "the nearer March"),
    ("in March", T, "past", D(2012, 3, 1), D(2012, 3, 31), "month", "past tense: the last March"),
    ("2013-W07", T, None, D(2013, 2, 11), D(2013, 2, 17), "week", "ISO week"),
    ("week 7 of 2013", T, None, D(2013, 2, 11), D(2013, 2, 17), "week", "ISO week in words"),
    ("AD 79", T, None, D(79, 1, 1), D(79, 12, 31), "year", "years AD"),
    ("summer of 2015", T, None, D(2015, 6, 1), D(2015, 8, 31), "season", "seasons are meteorological"),
]

HOLIDAYS = [
    ("Passover 2014", T, None, D(2014, 4, 15), D(2014, 4, 15), "day", "Jewish holidays: the Hebrew calendar"),
    ("Thanksgiving 2012", T, None, D(2012, 11, 22), D(2012, 11, 22), "day", "the fourth Thursday of November"),
    ("Memorial Day", T, "future", D(2013, 5, 27), D(2013, 5, 27), "day", "the last Monday of May"),
    ("Ramadan 2018", T, None, D(2018, 5, 16), D(2018, 6, 14), "day", "a holiday that lasts a month"),
    ("Christmas Eve 2015", T, None, D(2015, 12, 24), D(2015, 12, 24), "day", "with a year"),
]

FAMILIES = {
    "whole_phrases": WHOLE_PHRASES, "rolling_windows": ROLLING_WINDOWS, "abbreviations": ABBREVIATIONS,
    "numeric": NUMERIC, "days_of_a_month": DAYS_OF_A_MONTH, "relative_days": RELATIVE_DAYS, "parts": PARTS,
    "units": UNITS, "holidays": HOLIDAYS,
}
ALL = [(family, *case) for family, cases in FAMILIES.items() for case in cases]
assert len({case[1:4] for case in ALL}) == len(ALL), "duplicate cases"


@pytest.mark.parametrize("family, text, anchor, tense, start, end, precision, convention", ALL,
                         ids=[f"{c[0]}: {c[1]} ({c[3] or 'no tense'})" for c in ALL])
def test_each_form_reads_as_its_convention_says(family, text, anchor, tense, start, end, precision, convention):
    r = resolve(text, anchor=anchor, tense=tense)
    assert (r.start, r.end, r.precision) == (start, end, precision), f"{convention}; read as: {r.rule}"
    assert not r.unread, r.note


def test_the_acceptance_examples_of_issue_12():
    assert resolve("first tuesday of october", T, tense="future").start == D(2013, 10, 1)
    assert resolve("next October", T).start == D(2013, 10, 1)
    assert resolve("first tuesday of october", T, tense="past").start == D(2012, 10, 2)
    assert resolve("first tuesday of october", T).start != T
    first_of_march = resolve("the first of march", T)
    assert first_of_march.start == first_of_march.end
    past_week = resolve("past week", T)
    assert (past_week.end, (past_week.end - past_week.start).days + 1) == (T, 7)
    assert (resolve("2/15", T).start, resolve("2/15", T).end) == (resolve("Feb. 15", T).start, resolve("Feb. 15",
                                                                                                     T).end)


@pytest.mark.parametrize("text, flag", [
    ("Eid al-Fitr 2018", "approximate"),  # the day depends on the moon being sighted
    ("Saturday, Feb 10", "uncertain"),  # neither 10 February nearest the anchor is a Saturday
    ("Friday, Feb. 11, 2016", "uncertain"),  # a Thursday
    ("this fiscal year", "uncertain"),  # read as the calendar year
    ("about 2015", "approximate"),
    ("the past few weeks", "approximate"),
])
def test_readings_that_are_not_exact_say_so(text, flag):
    r = resolve(text, T)
    assert getattr(r, flag)
    if flag == "uncertain":
        assert r.note and "?" in r.edtf or "%" in r.edtf


@pytest.mark.parametrize("text, dayfirst, day", [
    ("12/02/2016", False, D(2016, 12, 2)), ("12/02/2016", True, D(2016, 2, 12)),
    ("13/02/2016", False, D(2016, 2, 13)),  # 13 cannot be a month: read day first even by default
    ("02/13/2016", True, D(2016, 2, 13)),  # 13 cannot be a month: read month first even with dayfirst
])
def test_numeric_order_is_month_first_unless_dayfirst_or_forced(text, dayfirst, day):
    assert resolve(text, T, dayfirst=dayfirst).start == day


@pytest.mark.parametrize("text, reason", [
    ("in 2014 BC", "BC is before year 1"),
    ("the 5th century BC", "BC is before year 1"),
    ("Feb. 30, 2016", "February 2016 has no day 30"),
    ("2015-W54", "2015 has no ISO week 54"),
    ("since 2014", "since a date after the anchor"),  # against T, in 2013
    ("the fifth Monday of February 2013", "no such"),
])
def test_dates_that_cannot_be_given_are_refused_with_the_reason(text, reason):
    with pytest.raises(ResolveError, match=reason):
        resolve(text, T)
