"""Resolving dates as reporters write them ("On Friday", "last month", "recently") against an anchor."""

import datetime as dt
import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from timeline.cli.resolve_cmd import resolve as resolve_command
from timeline.errors import DateError, UsageError
from timeline.resolve import ResolveError, find_dates, guess_tense, resolve, to_timex3

D = dt.date
A = D(2016, 2, 13)  # a Saturday; ISO week 6 runs Mon 8 - Sun 14 February 2016
EVENT = D(2016, 2, 12)  # the anchor for anaphora: the date of the event referred to

# (text, anchor, tense, expected start, expected end, expected precision), one table per rule family.
EXPLICIT = [
    ("Feb. 12, 2016", A, None, D(2016, 2, 12), D(2016, 2, 12), "day"),
    ("12 February 2016", A, None, D(2016, 2, 12), D(2016, 2, 12), "day"),
    ("February 12, 2016", A, None, D(2016, 2, 12), D(2016, 2, 12), "day"),
    ("Friday, Feb. 12", A, None, D(2016, 2, 12), D(2016, 2, 12), "day"),
    ("On Friday, Feb. 12, 2016,", A, None, D(2016, 2, 12), D(2016, 2, 12), "day"),
    ("2016-02-12", A, None, D(2016, 2, 12), D(2016, 2, 12), "day"),
    ("02/12/2016", A, None, D(2016, 2, 12), D(2016, 2, 12), "day"),
    ("Sept. 11, 2001", A, None, D(2001, 9, 11), D(2001, 9, 11), "day"),
    ("Sep 11 2001", A, None, D(2001, 9, 11), D(2001, 9, 11), "day"),
    ("Sept 11, 2001", A, None, D(2001, 9, 11), D(2001, 9, 11), "day"),
    ("Jan. 5, 2016", A, None, D(2016, 1, 5), D(2016, 1, 5), "day"),
    ("Dec. 25, 2015", A, None, D(2015, 12, 25), D(2015, 12, 25), "day"),
    ("the 12th of February 2016", A, None, D(2016, 2, 12), D(2016, 2, 12), "day"),
    ("Feb. 29, 2016", A, None, D(2016, 2, 29), D(2016, 2, 29), "day"),
]

PARTIAL = [
    ("February 2016", A, None, D(2016, 2, 1), D(2016, 2, 29), "month"),
    ("2016", A, None, D(2016, 1, 1), D(2016, 12, 31), "year"),
    ("in 1957", A, None, D(1957, 1, 1), D(1957, 12, 31), "year"),
    ("the 1990s", A, None, D(1990, 1, 1), D(1999, 12, 31), "decade"),
    ("the early 1990s", A, None, D(1990, 1, 1), D(1993, 12, 31), "decade"),
    ("summer 2015", A, None, D(2015, 6, 1), D(2015, 8, 31), "season"),
    ("winter 2015", A, None, D(2015, 12, 1), D(2016, 2, 29), "season"),
    ("early June 2016", A, None, D(2016, 6, 1), D(2016, 6, 10), "month"),
    ("mid-June 2016", A, None, D(2016, 6, 11), D(2016, 6, 20), "month"),
    ("late June 2016", A, None, D(2016, 6, 21), D(2016, 6, 30), "month"),
    ("late February 2016", A, None, D(2016, 2, 21), D(2016, 2, 29), "month"),
    ("Q1 2016", A, None, D(2016, 1, 1), D(2016, 3, 31), "quarter"),
    ("the first quarter of 2016", A, None, D(2016, 1, 1), D(2016, 3, 31), "quarter"),
    ("fourth-quarter 2015", A, None, D(2015, 10, 1), D(2015, 12, 31), "quarter"),
    ("early 2011", A, None, D(2011, 1, 1), D(2011, 4, 30), "year"),
    ("the 20th century", A, None, D(1900, 1, 1), D(1999, 12, 31), "century"),
]

YEARLESS = [
    ("Dec. 30", D(2016, 1, 4), None, D(2015, 12, 30), D(2015, 12, 30), "day"),
    ("Dec. 30", D(2016, 1, 4), "future", D(2016, 12, 30), D(2016, 12, 30), "day"),
    ("Jan. 2", D(2016, 1, 4), None, D(2016, 1, 2), D(2016, 1, 2), "day"),
    ("Feb. 12", A, None, D(2016, 2, 12), D(2016, 2, 12), "day"),
    ("Feb. 29", A, None, D(2016, 2, 29), D(2016, 2, 29), "day"),
    ("Feb. 29", D(2017, 3, 1), None, D(2016, 2, 29), D(2016, 2, 29), "day"),
    ("February", A, None, D(2016, 2, 1), D(2016, 2, 29), "month"),
    ("in February", D(2016, 3, 10), None, D(2016, 2, 1), D(2016, 2, 29), "month"),
    ("in December", D(2016, 1, 4), None, D(2015, 12, 1), D(2015, 12, 31), "month"),
    ("in April", D(2016, 3, 10), "past", D(2015, 4, 1), D(2015, 4, 30), "month"),
    ("in April", D(2016, 3, 10), "future", D(2016, 4, 1), D(2016, 4, 30), "month"),
    ("the report is due to be released in May", A, None, D(2016, 5, 1), D(2016, 5, 31), "month"),
    ("late last July", A, None, D(2015, 7, 21), D(2015, 7, 31), "month"),
    ("early December", A, None, D(2015, 12, 1), D(2015, 12, 10), "month"),
    ("in the summer", A, None, D(2015, 6, 1), D(2015, 8, 31), "season"),
    ("last summer", D(2016, 9, 10), None, D(2016, 6, 1), D(2016, 8, 31), "season"),
    ("next summer", A, None, D(2016, 6, 1), D(2016, 8, 31), "season"),
    ("the end of the year", A, "past", D(2015, 9, 1), D(2015, 12, 31), "year"),
    ("by the end of the year", A, "future", A, D(2016, 12, 31), "year"),
]

WEEKDAYS = [
    ("on Friday", A, None, D(2016, 2, 12), D(2016, 2, 12), "day"),
    ("On Thursday", A, None, D(2016, 2, 11), D(2016, 2, 11), "day"),
    ("reiterated on Friday", A, None, D(2016, 2, 12), D(2016, 2, 12), "day"),
    ("on Sunday", A, None, D(2016, 2, 7), D(2016, 2, 7), "day"),
    ("on Saturday", A, None, A, A, "day"),
    ("on Saturday", A, "future", A, A, "day"),
    ("on Monday", A, "future", D(2016, 2, 15), D(2016, 2, 15), "day"),
    ("talks will resume on Monday", A, None, D(2016, 2, 15), D(2016, 2, 15), "day"),
    ("next Monday", A, None, D(2016, 2, 15), D(2016, 2, 15), "day"),
    ("next Saturday", A, None, D(2016, 2, 20), D(2016, 2, 20), "day"),
    ("last Monday", D(2016, 2, 15), None, D(2016, 2, 8), D(2016, 2, 8), "day"),
    ("last Saturday", A, None, D(2016, 2, 6), D(2016, 2, 6), "day"),
    ("last Friday", A, None, D(2016, 2, 12), D(2016, 2, 12), "day"),
    ("this Friday", A, None, D(2016, 2, 12), D(2016, 2, 12), "day"),
    ("Friday night", A, None, D(2016, 2, 12), D(2016, 2, 12), "day"),
    ("on Thursday", D(2016, 1, 1), None, D(2015, 12, 31), D(2015, 12, 31), "day"),
]

DAY_WORDS = [
    ("today", A, None, A, A, "day"),
    ("tonight", A, None, A, A, "day"),
    ("this morning", A, None, A, A, "day"),
    ("this evening", A, None, A, A, "day"),
    ("last night", A, None, D(2016, 2, 12), D(2016, 2, 12), "day"),
    ("yesterday", A, None, D(2016, 2, 12), D(2016, 2, 12), "day"),
    ("set to begin yesterday", A, None, D(2016, 2, 12), D(2016, 2, 12), "day"),
    ("yesterday morning", D(2016, 1, 1), None, D(2015, 12, 31), D(2015, 12, 31), "day"),
    ("tomorrow", A, None, D(2016, 2, 14), D(2016, 2, 14), "day"),
    ("the day before yesterday", A, None, D(2016, 2, 11), D(2016, 2, 11), "day"),
    ("the day after tomorrow", A, None, D(2016, 2, 15), D(2016, 2, 15), "day"),
    ("the same day", EVENT, None, EVENT, EVENT, "day"),
    ("On the same day", EVENT, None, EVENT, EVENT, "day"),
    ("that day", EVENT, None, EVENT, EVENT, "day"),
    ("the next day", EVENT, None, A, A, "day"),
    ("the previous day", EVENT, None, D(2016, 2, 11), D(2016, 2, 11), "day"),
    ("now", A, None, A, A, "day"),
    ("currently", A, None, A, A, "day"),
]

UNITS_AWAY = [
    ("three days ago", A, None, D(2016, 2, 10), D(2016, 2, 10), "day"),
    ("3 days ago", D(2016, 3, 1), None, D(2016, 2, 27), D(2016, 2, 27), "day"),
    ("twelve days ago", A, None, D(2016, 2, 1), D(2016, 2, 1), "day"),
    ("a few days ago", A, None, D(2016, 2, 10), D(2016, 2, 10), "day"),
    ("a week ago", A, None, D(2016, 2, 1), D(2016, 2, 7), "week"),
    ("two weeks ago", A, None, D(2016, 1, 25), D(2016, 1, 31), "week"),
    ("a month ago", A, None, D(2016, 1, 1), D(2016, 1, 31), "month"),
    ("six months ago", A, None, D(2015, 8, 1), D(2015, 8, 31), "month"),
    ("a month ago", D(2016, 3, 31), None, D(2016, 2, 1), D(2016, 2, 29), "month"),
    ("a year ago", D(2016, 2, 29), None, D(2015, 1, 1), D(2015, 12, 31), "year"),
    ("four years ago", A, None, D(2012, 1, 1), D(2012, 12, 31), "year"),
    ("in 3 days", A, None, D(2016, 2, 16), D(2016, 2, 16), "day"),
    ("in two weeks", A, None, D(2016, 2, 22), D(2016, 2, 28), "week"),
    ("5 days from now", A, None, D(2016, 2, 18), D(2016, 2, 18), "day"),
    ("two days later", EVENT, None, D(2016, 2, 14), D(2016, 2, 14), "day"),
    ("a day earlier", EVENT, None, D(2016, 2, 11), D(2016, 2, 11), "day"),
]

CALENDAR_UNITS = [
    ("last week", A, None, D(2016, 2, 1), D(2016, 2, 7), "week"),
    ("last week", D(2016, 1, 6), None, D(2015, 12, 28), D(2016, 1, 3), "week"),
    ("this week", A, None, D(2016, 2, 8), D(2016, 2, 14), "week"),
    ("next week", A, None, D(2016, 2, 15), D(2016, 2, 21), "week"),
    ("the past week", A, None, D(2016, 2, 7), A, "week"),
    ("last weekend", A, None, D(2016, 2, 6), D(2016, 2, 7), "day"),
    ("this weekend", A, None, A, D(2016, 2, 14), "day"),
    ("next weekend", A, None, D(2016, 2, 20), D(2016, 2, 21), "day"),
    ("over the weekend", D(2016, 2, 15), None, D(2016, 2, 13), D(2016, 2, 14), "day"),
    ("last month", A, None, D(2016, 1, 1), D(2016, 1, 31), "month"),
    ("last month", D(2016, 1, 15), None, D(2015, 12, 1), D(2015, 12, 31), "month"),
    ("this month", A, None, D(2016, 2, 1), D(2016, 2, 29), "month"),
    ("next month", D(2016, 1, 31), None, D(2016, 2, 1), D(2016, 2, 29), "month"),
    ("last year", A, None, D(2015, 1, 1), D(2015, 12, 31), "year"),
    ("this year", A, None, D(2016, 1, 1), D(2016, 12, 31), "year"),
    ("next year", A, None, D(2017, 1, 1), D(2017, 12, 31), "year"),
    ("early this year", A, None, D(2016, 1, 1), D(2016, 4, 30), "year"),
    ("late last month", A, None, D(2016, 1, 21), D(2016, 1, 31), "month"),
    ("earlier this month", A, None, D(2016, 2, 1), A, "month"),
    ("later this month", A, None, A, D(2016, 2, 29), "month"),
    ("earlier this week", A, None, D(2016, 2, 8), A, "week"),
    ("earlier this year", A, None, D(2016, 1, 1), A, "year"),
    ("later this year", A, None, A, D(2016, 12, 31), "year"),
    ("last quarter", A, None, D(2015, 10, 1), D(2015, 12, 31), "quarter"),
    ("this quarter", A, None, D(2016, 1, 1), D(2016, 3, 31), "quarter"),
    ("that year", D(1957, 6, 1), None, D(1957, 1, 1), D(1957, 12, 31), "year"),
    ("this fiscal year", A, None, D(2016, 1, 1), D(2016, 12, 31), "year"),
    ("last decade", A, None, D(2000, 1, 1), D(2009, 12, 31), "decade"),
]

HOLIDAYS = [
    ("New Year's Eve", A, None, D(2015, 12, 31), D(2015, 12, 31), "day"),
    ("New Year's Day", A, None, D(2016, 1, 1), D(2016, 1, 1), "day"),
    ("Christmas Eve", A, None, D(2015, 12, 24), D(2015, 12, 24), "day"),
    ("Christmas", A, None, D(2015, 12, 25), D(2015, 12, 25), "day"),
    ("Christmas", D(2016, 12, 20), "future", D(2016, 12, 25), D(2016, 12, 25), "day"),
    ("Easter 2016", A, None, D(2016, 3, 27), D(2016, 3, 27), "day"),
    ("New Year's Eve 2015", A, None, D(2015, 12, 31), D(2015, 12, 31), "day"),
]

RANGES = [
    ("Feb. 12-14", A, None, D(2016, 2, 12), D(2016, 2, 14), "day"),
    ("Feb. 12 to 19", A, None, D(2016, 2, 12), D(2016, 2, 19), "day"),
    ("from Feb. 12 to Feb. 19", A, None, D(2016, 2, 12), D(2016, 2, 19), "day"),
    ("between Feb. 12 and Feb. 19", A, None, D(2016, 2, 12), D(2016, 2, 19), "day"),
    ("12-14 February 2016", A, None, D(2016, 2, 12), D(2016, 2, 14), "day"),
    ("Dec. 30 to Jan. 2", D(2016, 1, 4), None, D(2015, 12, 30), D(2016, 1, 2), "day"),
    ("2015-2016", A, None, D(2015, 1, 1), D(2016, 12, 31), "year"),
    ("1957-58", A, None, D(1957, 1, 1), D(1958, 12, 31), "year"),
    ("from January to March 2016", A, None, D(2016, 1, 1), D(2016, 3, 31), "month"),
    ("from Monday to Wednesday", A, None, D(2016, 2, 8), D(2016, 2, 10), "day"),
]

VAGUE = [
    ("recently", A, None, D(2016, 1, 15), A, "month"),
    ("in recent days", A, None, D(2016, 2, 7), A, "week"),
    ("in recent weeks", A, None, D(2016, 1, 24), A, "week"),
    ("in the last few days", A, None, D(2016, 2, 11), A, "day"),
    ("last few days", D(2016, 3, 1), None, D(2016, 2, 28), D(2016, 3, 1), "day"),
    ("earlier", A, None, D(2016, 1, 15), A, "month"),
    ("shortly after negotiations", EVENT, None, EVENT, D(2016, 2, 18), "week"),
    ("soon after", EVENT, None, EVENT, D(2016, 2, 18), "week"),
    ("shortly afterwards", EVENT, None, EVENT, D(2016, 2, 18), "week"),
    ("soon", A, "future", A, D(2016, 3, 13), "month"),
]

FAMILIES = {
    "explicit": EXPLICIT, "partial": PARTIAL, "yearless": YEARLESS, "weekdays": WEEKDAYS, "day_words": DAY_WORDS,
    "units_away": UNITS_AWAY, "calendar_units": CALENDAR_UNITS, "holidays": HOLIDAYS, "ranges": RANGES,
    "vague": VAGUE,
}
ALL_CASES = [case for family in FAMILIES.values() for case in family]
assert len({case[:3] for case in ALL_CASES}) == len(ALL_CASES), "duplicate resolve cases"


def _check(text, anchor, tense, start, end, precision):
    r = resolve(text, anchor=anchor, tense=tense)
    assert (r.start, r.end, r.precision) == (start, end, precision), r.rule


@pytest.mark.parametrize("text, anchor, tense, start, end, precision", EXPLICIT)
def test_explicit_dates_in_news_styles(text, anchor, tense, start, end, precision):
    _check(text, anchor, tense, start, end, precision)


@pytest.mark.parametrize("text, anchor, tense, start, end, precision", PARTIAL)
def test_partial_dates_cover_their_whole_span(text, anchor, tense, start, end, precision):
    _check(text, anchor, tense, start, end, precision)


@pytest.mark.parametrize("text, anchor, tense, start, end, precision", YEARLESS)
def test_yearless_dates_take_the_nearest_year_preferring_the_past(text, anchor, tense, start, end, precision):
    _check(text, anchor, tense, start, end, precision)


@pytest.mark.parametrize("text, anchor, tense, start, end, precision", WEEKDAYS)
def test_weekdays_go_back_unless_future(text, anchor, tense, start, end, precision):
    _check(text, anchor, tense, start, end, precision)


@pytest.mark.parametrize("text, anchor, tense, start, end, precision", DAY_WORDS)
def test_day_words_and_anaphora(text, anchor, tense, start, end, precision):
    _check(text, anchor, tense, start, end, precision)


@pytest.mark.parametrize("text, anchor, tense, start, end, precision", UNITS_AWAY)
def test_units_ago_and_ahead_keep_the_unit_as_precision(text, anchor, tense, start, end, precision):
    _check(text, anchor, tense, start, end, precision)


@pytest.mark.parametrize("text, anchor, tense, start, end, precision", CALENDAR_UNITS)
def test_last_this_next_calendar_units(text, anchor, tense, start, end, precision):
    _check(text, anchor, tense, start, end, precision)


@pytest.mark.parametrize("text, anchor, tense, start, end, precision", HOLIDAYS)
def test_holidays(text, anchor, tense, start, end, precision):
    _check(text, anchor, tense, start, end, precision)


@pytest.mark.parametrize("text, anchor, tense, start, end, precision", RANGES)
def test_ranges(text, anchor, tense, start, end, precision):
    _check(text, anchor, tense, start, end, precision)


@pytest.mark.parametrize("text, anchor, tense, start, end, precision", VAGUE)
def test_vague_words_are_approximate_spans_never_a_single_day(text, anchor, tense, start, end, precision):
    _check(text, anchor, tense, start, end, precision)
    r = resolve(text, anchor=anchor, tense=tense)
    assert r.approximate and r.start < r.end


# The project's seed data: (text, anchor, EDTF value).
SEED = [
    ("On Friday", A, "2016-02-12"),
    ("On Thursday", A, "2016-02-11"),
    ("last month", A, "2016-01"),
    ("set to begin yesterday", A, "2016-02-12?"),
    ("recently", A, "2016-01-15~/2016-02-13~"),
    ("On the same day", EVENT, "2016-02-12"),
    ("shortly after negotiations", EVENT, "2016-02-12~/2016-02-18~"),
]
assert len({case[:2] for case in SEED}) == len(SEED), "duplicate seed cases"


@pytest.mark.parametrize("text, anchor, edtf", SEED)
def test_seed_data_values(text, anchor, edtf):
    assert resolve(text, anchor=anchor).edtf == edtf


# (text, anchor, tense, EDTF): the value denotes exactly start..end, with its qualifiers.
EDTF = [
    ("last week", A, None, "2016-02-01/2016-02-07"),
    ("Q1 2016", A, None, "2016-01-01/2016-03-31"),
    ("early June 2016", A, None, "2016-06-01/2016-06-10"),
    ("the 1990s", A, None, "199X"),
    ("summer 2015", A, None, "2015-22"),
    ("winter 2015", A, None, "2015-24"),
    ("the 20th century", A, None, "19XX"),
    ("February 2016", A, None, "2016-02"),
    ("a few days ago", A, None, "2016-02-10~"),
    ("this fiscal year", A, None, "2016?"),
    ("in the past", A, None, "2015-02-14%/2016-02-13%"),
    ("2015-2016", A, None, "2015/2016"),
    ("from January to March 2016", A, None, "2016-01/2016-03"),
    ("early 2011", A, None, "2011-01/2011-04"),
    ("earlier this month", D(2016, 2, 29), None, "2016-02-01/2016-02-29"),
    ("Friday, Feb. 11, 2016", A, None, "2016-02-11?"),
]
assert len({case[:3] for case in EDTF}) == len(EDTF), "duplicate EDTF cases"


@pytest.mark.parametrize("text, anchor, tense, edtf", EDTF)
def test_edtf_values(text, anchor, tense, edtf):
    assert resolve(text, anchor=anchor, tense=tense).edtf == edtf


RULES = [
    ("on Friday", A, "weekday before the anchor"),
    ("on Saturday", A, "anchor's own weekday"),
    ("in February", D(2016, 3, 10), "the February before the anchor"),
    ("recently", A, "vague: recently = 30 days up to the anchor"),
    ("12 February 2016", A, "explicit day"),
    ("last month", A, "the month before the anchor's"),
    ("Friday, Feb. 11, 2016", A, "explicit day (the text says Friday, but it was a Thursday)"),
]
assert len({case[:2] for case in RULES}) == len(RULES), "duplicate rule cases"


@pytest.mark.parametrize("text, anchor, rule", RULES)
def test_each_result_names_its_rule(text, anchor, rule):
    assert resolve(text, anchor=anchor).rule == rule


def test_the_matched_words_and_their_place_are_kept():
    r = resolve("reiterated on Friday,", anchor=A)
    assert (r.text, r.span) == ("Friday", (14, 20))


def test_day_first_numeric_dates():
    assert resolve("12/02/2016", anchor=A, dayfirst=True).start == D(2016, 2, 12)
    assert resolve("12/02/2016", anchor=A).start == D(2016, 12, 2)


@pytest.mark.parametrize("anchor", [A, dt.datetime(2016, 2, 13, 23, 59), "2016-02-13"])
def test_the_anchor_may_be_a_date_a_datetime_or_an_iso_string(anchor):
    assert resolve("yesterday", anchor=anchor).start == D(2016, 2, 12)


NOT_DATES = ["", "xyz", "3 militias", "at least one unit", "1,000 fighters", "talks may resume", "five years"]


@pytest.mark.parametrize("text", NOT_DATES)
def test_text_that_is_not_a_date_raises_resolve_error_quoting_it(text):
    with pytest.raises(ResolveError, match=f'"{text}" is not a date expression'):
        resolve(text, anchor=A)


@pytest.mark.parametrize("text, message", [("Feb. 30, 2016", "February 2016 has no day 30"),
                                           ("13/13/2016", "there is no month 13")])
def test_impossible_days_say_why(text, message):
    with pytest.raises(ResolveError, match=message):
        resolve(text, anchor=A)


def test_resolve_error_is_a_date_error_and_a_value_error():
    assert issubclass(ResolveError, DateError) and issubclass(ResolveError, ValueError)


def test_bad_arguments():
    with pytest.raises(ResolveError, match="not an ISO day"):
        resolve("today", anchor="13 Feb")
    with pytest.raises(TypeError):
        resolve("today", anchor=20160213)
    with pytest.raises(UsageError):
        resolve("today", anchor=A, tense="present")


# (sentence, [(text, EDTF), ...]) with anchor A
FIND_CASES = [
    ("3 militias attacked at least one unit, and 1,000 fighters fled.", []),
    ("Some 2000 fighters and 1999 civilians were counted; 2,500 people left in 2015.", [("2015", "2015")]),
    ("The 2016 election, a 5 percent rise, $2015 paid and F-16 jets; two days of talks.", []),
    ("The ceasefire, agreed on Friday, is set to begin next week, Russia said on Saturday.",
     [("Friday", "2016-02-12"), ("next week", "2016-02-15/2016-02-21"), ("Saturday", "2016-02-13")]),
    ("Talks may resume on Monday, officials said after May 5.",
     [("Monday", "2016-02-15"), ("after May 5", "2015-05-06/2016-02-13")]),
    ("Forces advanced between Feb. 1 and Feb. 10, then from Jan. 3 to 7.",
     [("between Feb. 1 and Feb. 10", "2016-02-01/2016-02-10"), ("from Jan. 3 to 7", "2016-01-03/2016-01-07")]),
    ("The strikes killed 12 people three days ago and 40 more in recent weeks, the monitor said earlier.",
     [("three days ago", "2016-02-10"), ("in recent weeks", "2016-01-24~/2016-02-13~"),
      ("earlier", "2016-01-15~/2016-02-13~")]),
    ("An earlier report, the fall of Aleppo and the first quarter of the match.", []),
    ("The war began in March 2011; troops march on.", [("March 2011", "2011-03")]),
]
assert len({case[0] for case in FIND_CASES}) == len(FIND_CASES), "duplicate find_dates cases"


@pytest.mark.parametrize("sentence, expected", FIND_CASES)
def test_find_dates_finds_every_expression_and_no_numbers(sentence, expected):
    found = find_dates(sentence, anchor=A)
    assert [(r.text, r.edtf) for r in found] == expected
    for r in found:
        assert sentence[r.span[0]: r.span[1]] == r.text


TENSE_CASES = [
    ("Talks will resume on Monday.", "future"),
    ("The convoy is due to be inspected in May.", "future"),
    ("Aid groups want a corridor to stay open until June.", "future"),
    ("The rebels agreed to hand over the town in October.", "past"),
    ("The commander was replaced in July.", "past"),
    ("They met on Friday.", "past"),
    ("Talks on Friday.", None),
    ("Talks may resume on Friday.", "future"),
    ("In May, talks resumed.", "past"),
    ("May 2", None),  # the month, not the modal "may"
    ("MAY 2", None),  # in capitals (a headline, a date cell): still the month
    ("in MAY", None),
    ("a place for may 2012", None),  # the month in lower case, a year after it
    ("TALKS MAY RESUME ON FRIDAY", "future"),  # the modal, in capitals
    ("Talks MAY resume on Friday.", "future"),
]
assert len({case[0] for case in TENSE_CASES}) == len(TENSE_CASES), "duplicate tense cases"


@pytest.mark.parametrize("sentence, tense", TENSE_CASES)
def test_guess_tense(sentence, tense):
    assert guess_tense(sentence) == tense


def test_a_modal_may_after_a_preposition_is_still_a_future_cue():
    for sentence in ("Voters who arrive late may be turned away on Friday.", "Users who log in may see it on Friday.",
                     "The town they fled from may fall on Friday."):
        assert guess_tense(sentence, at=(sentence.index("Friday"), len(sentence) - 1)) == "future"


def test_a_month_may_in_capitals_is_no_cue_for_the_expression_after_it():
    headline = "CEASEFIRE SIGNED IN MAY, TALKS BEGAN FRIDAY"
    assert guess_tense(headline, at=(headline.index("FRIDAY"), len(headline))) == "past"
    headline = "REBELS HELD THE TOWN FROM MAY 2 TO JUNE"
    assert guess_tense(headline, at=(headline.index("JUNE"), len(headline))) == "past"


def test_guess_tense_uses_the_cue_nearest_before_the_expression():
    sentence = "He said on Friday that talks will resume on Monday."
    assert guess_tense(sentence, at=(11, 17)) == "past"
    assert guess_tense(sentence, at=(44, 50)) == "future"


TIMEX = [
    ("last week", A, "2016-W05"),
    ("this week", A, "2016-W06"),
    ("last summer", A, "2015-SU"),
    ("winter 2015", A, "2015-WI"),
    ("Q1 2016", A, "2016-Q1"),
    ("the 1990s", A, "199"),
    ("the 20th century", A, "19"),
    ("now", A, "PRESENT_REF"),
    ("recently", A, "PAST_REF"),
    ("soon", A, "FUTURE_REF"),
    ("early December", A, "2015-12"),
    ("early this year", A, "2016"),
    ("Friday", A, "2016-02-12"),
    ("Feb. 12-14", A, "2016-02-12/2016-02-14"),
]
assert len({case[:2] for case in TIMEX}) == len(TIMEX), "duplicate TIMEX3 cases"


@pytest.mark.parametrize("text, anchor, value", TIMEX)
def test_timex3_values(text, anchor, value):
    assert to_timex3(resolve(text, anchor=anchor)) == value


def test_the_core_imports_neither_click_nor_plotly_nor_pandas():
    code = "import sys, timeline.resolve; print(sorted({'click', 'plotly', 'pandas'} & set(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


# The command line


def _run(*args):
    return CliRunner().invoke(resolve_command, list(args))


def test_cli_json():
    result = _run("on Friday", "--anchor", "2016-02-13", "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {
        "text": "Friday", "value": "2016-02-12", "start": "2016-02-12", "end": "2016-02-12", "precision": "day",
        "approximate": False, "uncertain": False, "rule": "weekday before the anchor", "tense": None, "note": "",
    }


@pytest.mark.parametrize("text, start, end", [("last month", "2016-01-01", "2016-01-31"),
                                              ("recently", "2016-01-15", "2016-02-13")])
def test_cli_json_spans(text, start, end):
    data = json.loads(_run(text, "--anchor", "2016-02-13", "--format", "json").stdout)
    assert (data["start"], data["end"]) == (start, end)
    assert data["approximate"] == (text == "recently")


def test_cli_text_is_one_readable_line():
    result = _run("On Friday,", "--anchor", "2016-02-13")
    assert (result.exit_code, result.stdout) == (0, "2016-02-12  (day; weekday before the anchor)\n")


def test_cli_tense_and_dayfirst():
    assert _run("on Monday", "--anchor", "2016-02-13", "--tense", "future").stdout.startswith("2016-02-15 ")
    assert _run("12/02/2016", "--anchor", "2016-02-13", "--dayfirst").stdout.startswith("2016-02-12 ")


def test_cli_text_that_is_not_a_date_exits_1_without_traceback():
    result = _run("xyz", "--anchor", "2016-02-13")
    assert result.exit_code == 1
    assert result.stderr.startswith('Error: "xyz" is not a date expression')
    assert "Traceback" not in result.output


@pytest.mark.parametrize("args", [["today", "--anchor", "nope"], ["today", "--anchor", "2016-02-30"], ["today"]])
def test_cli_bad_or_missing_anchor_is_a_usage_error(args):
    result = _run(*args)
    assert result.exit_code == 2
    assert "--anchor" in result.stderr


def test_cli_help_ends_with_an_example():
    assert "Example:\n      timeline resolve" in _run("--help").stdout
