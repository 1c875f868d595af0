"""EDTF date values and the spans they cover."""

import datetime as dt

import pytest

from timeline.dates import (
    add_months,
    century_span,
    date_notes,
    date_words,
    edtf_from_words,
    half_span,
    iso_week_span,
    month_number,
    month_span,
    parse_bound,
    parse_date,
    part_span,
    precision_words,
    quarter_span,
    season_span,
    span_precision,
    span_words,
    week_span,
    write_edtf,
    year_span,
)
from timeline.errors import DateError

D = dt.date

# (value, start, end, precision, approximate, uncertain)
SPAN_CASES = [
    ("2016-02-12", D(2016, 2, 12), D(2016, 2, 12), "day", False, False),
    ("2016-02", D(2016, 2, 1), D(2016, 2, 29), "month", False, False),
    ("2015-02", D(2015, 2, 1), D(2015, 2, 28), "month", False, False),
    ("2016", D(2016, 1, 1), D(2016, 12, 31), "year", False, False),
    ("199X", D(1990, 1, 1), D(1999, 12, 31), "decade", False, False),
    ("2015-22", D(2015, 6, 1), D(2015, 8, 31), "season", False, False),
    ("2015-24", D(2015, 12, 1), D(2016, 2, 29), "season", False, False),
    ("2016-02-12~", D(2016, 2, 12), D(2016, 2, 12), "day", True, False),
    ("2016-02-12?", D(2016, 2, 12), D(2016, 2, 12), "day", False, True),
    ("2016-02%", D(2016, 2, 1), D(2016, 2, 29), "month", True, True),
    ("2016-02-29", D(2016, 2, 29), D(2016, 2, 29), "day", False, False),
    ("2016-02-12/2016-02-27", D(2016, 2, 12), D(2016, 2, 27), "day", False, False),
    ("2016-02/2016-03", D(2016, 2, 1), D(2016, 3, 31), "month", False, False),
    ("2016-02-01~/2016-02-12", D(2016, 2, 1), D(2016, 2, 12), "day", True, False),
    ("2016-02-27/..", D(2016, 2, 27), None, "day", False, False),
    ("../2016-02-27", None, D(2016, 2, 27), "day", False, False),
    ("2016-02-27/", D(2016, 2, 27), None, "day", False, False),
]
assert len({case[0] for case in SPAN_CASES}) == len(SPAN_CASES), "duplicate date cases"


@pytest.mark.parametrize("value, start, end, precision, approximate, uncertain", SPAN_CASES)
def test_every_value_maps_to_an_earliest_and_latest_day(value, start, end, precision, approximate, uncertain):
    parsed = parse_date(value)
    assert (parsed.start, parsed.end) == (start, end)
    assert parsed.precision == precision
    assert (parsed.approximate, parsed.uncertain) == (approximate, uncertain)


BAD_VALUES = [
    ("2016-02-31", "has no day 31"),
    ("2015-02-29", "has no day 29"),
    ("2016-13", "month 13 is not 01-12"),
    ("2016-02-27/2016-02-12", "ends (2016-02-12) before it starts (2016-02-27)"),
    ("2016-03/2016-02", "ends (2016-02) before it starts"),
    ("Feb 12 2016", "is not an EDTF date"),
    ("", "the date is empty"),
    ("../..", "needs at least one known end"),
    ("2016-02-12/2016-02-13/2016-02-14", "exactly one '/'"),
    ("2016-22-01", "a season cannot have a day"),
]


@pytest.mark.parametrize("value, message", BAD_VALUES)
def test_impossible_or_malformed_dates_are_errors(value, message):
    with pytest.raises(DateError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_date(value)


def test_overlap_and_within_treat_open_ends_as_unbounded():
    ongoing = parse_date("2016-02-27/..")
    assert ongoing.overlaps(D(2030, 1, 1), D(2030, 1, 2))
    assert not ongoing.overlaps(D(2016, 1, 1), D(2016, 2, 26))
    assert not ongoing.within(D(2016, 2, 1), D(2016, 12, 31))
    assert parse_date("2016-02").within(D(2016, 2, 1), D(2016, 2, 29))
    assert not parse_date("2016-02").within(D(2016, 2, 1), D(2016, 2, 28))


BOUND_CASES = [
    ("2016-02", False, D(2016, 2, 1)),
    ("2016-02", True, D(2016, 2, 29)),
    ("2016", True, D(2016, 12, 31)),
    ("2016-02-11", False, D(2016, 2, 11)),
    ("Feb 11 2016", False, D(2016, 2, 11)),
    ("February 2016", True, D(2016, 2, 29)),
    ("11 February 2016", True, D(2016, 2, 11)),
]


@pytest.mark.parametrize("text, is_end, expected", BOUND_CASES)
def test_query_bounds_accept_partial_and_free_form_dates(text, is_end, expected):
    assert parse_bound(text, end=is_end) == expected


@pytest.mark.parametrize("text", ["Feb 11", "not a date", "2016-02-30"])
def test_query_bounds_without_a_year_or_day_are_errors(text):
    with pytest.raises(DateError):
        parse_bound(text)


# write_edtf: (start, end, precision, approximate, uncertain, EDTF), the coarsest form that denotes exactly the span.
WRITE_CASES = [
    (D(2016, 2, 12), D(2016, 2, 12), "day", False, False, "2016-02-12"),
    (D(2016, 2, 1), D(2016, 2, 29), "month", False, False, "2016-02"),
    (D(2016, 2, 1), D(2016, 2, 29), "day", False, False, "2016-02-01/2016-02-29"),  # day precision: in days
    (D(2016, 1, 1), D(2016, 3, 31), "month", False, False, "2016-01/2016-03"),
    (D(2016, 1, 1), D(2016, 3, 31), "quarter", False, False, "2016-01-01/2016-03-31"),
    (D(2015, 12, 1), D(2016, 2, 29), "season", False, False, "2015-24"),
    (D(2016, 1, 1), D(2016, 12, 31), "year", False, True, "2016?"),
    (D(2015, 1, 1), D(2016, 12, 31), "year", False, False, "2015/2016"),
    (D(1990, 1, 1), D(1999, 12, 31), "decade", False, False, "199X"),
    (D(1900, 1, 1), D(1999, 12, 31), "century", False, False, "19XX"),
    (D(2016, 2, 9), D(2016, 2, 15), "day", True, False, "2016-02-09~/2016-02-15~"),
    (D(2016, 2, 10), D(2016, 2, 10), "day", True, True, "2016-02-10%"),
    (D(2016, 2, 3), D(2016, 2, 20), "month", False, False, "2016-02-03/2016-02-20"),  # not whole months: days
]


@pytest.mark.parametrize("start, end, precision, approximate, uncertain, edtf", WRITE_CASES)
def test_write_edtf_denotes_exactly_the_span(start, end, precision, approximate, uncertain, edtf):
    assert write_edtf(start, end, precision, approximate, uncertain) == edtf
    parsed = parse_date(edtf)
    assert (parsed.start, parsed.end, parsed.approximate, parsed.uncertain) == (start, end, approximate, uncertain)


def test_write_edtf_refuses_a_reversed_span():
    with pytest.raises(DateError, match="ends"):
        write_edtf(D(2016, 2, 12), D(2016, 2, 11))


WORDS_CASES = [
    ("2016-02-12", "12 February 2016"),
    ("2016-02", "February 2016"),
    ("2015-22", "summer 2015"),
    ("2015-24~", "about winter 2015"),
    ("2016?", "2016 (uncertain)"),
    ("199X", "1990s"),
    ("20XX", "21st century"),
    ("2016-02-12%", "about 12 February 2016 (uncertain)"),
    ("2016-02-01~/2016-02-12", "about 1 February 2016 \u2013 12 February 2016"),
    ("2016-02-27/..", "from 27 February 2016 (open-ended)"),
    ("2016-02-27/", "from 27 February 2016"),
    ("../2016-01-31", "until 31 January 2016"),
]


@pytest.mark.parametrize("value, words", WORDS_CASES)
def test_each_value_in_words(value, words):
    assert date_words(value) == words


@pytest.mark.parametrize("start, end, words, value", [
    ("2016-02-12", None, "about 12 February 2016 (uncertain)", "2016-02-12%"),
    ("2016-02-01", "2016-02-12", "about 1 February 2016 \u2013 12 February 2016", "2016-02-01~/2016-02-12"),
    ("2016-02-27", None, "from 27 February 2016 (open-ended)", "2016-02-27/.."),
    ("2016-01-31", None, "until 31 January 2016", "../2016-01-31"),
    ("2016", None, "2016 (uncertain)", "2016?"),
])
def test_the_words_date_words_writes_are_read_back(start, end, words, value):
    assert edtf_from_words(start, end, words) == value
    assert date_words(value) == words


@pytest.mark.parametrize("first, last, words", [
    (D(2016, 2, 12), D(2016, 2, 12), "12 Feb 2016"),
    (D(2016, 2, 11), D(2016, 2, 12), "11 \u2013 12 Feb 2016"),
    (D(2016, 1, 14), D(2016, 2, 27), "14 Jan \u2013 27 Feb 2016"),
    (D(2015, 12, 30), D(2016, 1, 2), "30 Dec 2015 \u2013 2 Jan 2016"),
    (D(2016, 2, 27), None, "from 27 Feb 2016"),
    (None, D(2016, 2, 27), "until 27 Feb 2016"),
])
def test_spans_in_short_words(first, last, words):
    assert span_words(first, last) == words


def test_notes_say_what_the_span_does_not():
    assert date_notes(parse_date("2016-02-12%/..")) == ["approximate", "uncertain", "open-ended: no known end"]
    assert precision_words("month") == "to the month"
    assert [month_number(w) for w in ("Feb.", "sept", "December", "Smarch")] == [2, 9, 12, None]


UNIT_CASES = [
    (part_span(month_span(2016, 2), "late", "month"), (D(2016, 2, 21), D(2016, 2, 29))),
    (part_span(year_span(2016), "mid", "year"), (D(2016, 5, 1), D(2016, 8, 31))),
    (part_span(week_span(D(2016, 2, 13)), "early", "week"), (D(2016, 2, 8), D(2016, 2, 9))),
    (part_span(quarter_span(2016, 1), "late", "quarter"), (D(2016, 3, 1), D(2016, 3, 31))),
    (half_span(2016, 2), (D(2016, 7, 1), D(2016, 12, 31))),
    (season_span(2015, 24), (D(2015, 12, 1), D(2016, 2, 29))),
    (iso_week_span(2015, 53), (D(2015, 12, 28), D(2016, 1, 3))),
    (century_span(21), (D(2000, 1, 1), D(2099, 12, 31))),
    ((add_months(D(2016, 1, 31), 1), add_months(D(2016, 3, 31), -1)), (D(2016, 2, 29), D(2016, 2, 29))),
]


@pytest.mark.parametrize("span, expected", UNIT_CASES)
def test_calendar_units(span, expected):
    assert tuple(span) == expected


@pytest.mark.parametrize("span, precision", [
    ((D(2016, 2, 12), D(2016, 2, 12)), "day"), ((D(2016, 2, 8), D(2016, 2, 14)), "week"),
    ((D(2016, 2, 1), D(2016, 2, 29)), "month"), ((D(2015, 12, 1), D(2016, 2, 29)), "season"),
    ((D(2016, 1, 1), D(2016, 12, 31)), "year"), ((D(1990, 1, 1), D(1999, 12, 31)), "decade"),
    ((D(2016, 2, 3), D(2016, 2, 20)), "day"),
])
def test_span_precision_is_the_unit_a_span_is_exactly_one_of(span, precision):
    assert span_precision(span) == precision
