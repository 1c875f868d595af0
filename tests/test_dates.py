"""EDTF date values and the spans they cover."""

import datetime as dt

import pytest

from timeline.dates import parse_bound, parse_date
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
