"""The store's pyarrow fast path for date spans (timeline.store.spans) agrees with parse_date on every value."""

import datetime as dt

import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from timeline.dates import parse_date
from timeline.errors import DateError
from timeline.store.spans import spans

years = st.one_of(st.integers(0, 9999).map(lambda y: f"{y:04d}"), st.sampled_from(["199X", "19XX", "20XX"]))
months = st.one_of(st.integers(0, 13), st.sampled_from([21, 22, 23, 24])).map(lambda m: f"{m:02d}")
days = st.integers(0, 32).map(lambda d: f"{d:02d}")
qualifiers = st.sampled_from(["", "", "~", "?", "%"])


@st.composite
def points(draw):
    """A day (most often, as the fast path takes days), a month, a season, a year or a decade; valid or not."""
    year = draw(years)
    shape = draw(st.sampled_from(["day", "day", "day", "month", "year"]))
    if shape == "day":
        text = f"{year}-{draw(months)}-{draw(days)}"
    elif shape == "month":
        text = f"{year}-{draw(months)}"
    else:
        text = year
    return text + draw(qualifiers)


@st.composite
def values(draw):
    """A point, an interval of two, or an interval with an open or unknown end."""
    kind = draw(st.sampled_from(["point", "interval", "interval", "open"]))
    if kind == "point":
        return draw(points())
    if kind == "interval":
        return f"{draw(points())}/{draw(points())}"
    end = draw(st.sampled_from(["..", ""]))
    return f"{draw(points())}/{end}" if draw(st.booleans()) else f"{end}/{draw(points())}"


def _expected(text):
    try:
        parsed = parse_date(text)
    except DateError:
        return DateError
    return parsed.start, parsed.end


def _fast(texts):
    """Spans from the fast path; a value it finds bad raises DateError with its reason, as parse_date does."""
    start, end, bad = spans(pa.array(texts, pa.string()))
    if bad:
        raise DateError(bad[min(bad)])
    return list(zip(start.to_pylist(), end.to_pylist()))


def _check_one(text):
    expected = _expected(text)
    if expected is DateError:
        with pytest.raises(DateError):
            _fast([text])
    else:
        assert _fast([text]) == [expected]


@settings(max_examples=400, deadline=None)
@given(values())
def test_each_value_has_the_span_parse_date_gives_it_or_the_same_error(text):
    _check_one(text)


@settings(max_examples=100, deadline=None)
@given(st.lists(values(), min_size=1, max_size=40, unique=True))
def test_a_batch_of_valid_values_gets_the_spans_parse_date_gives(texts):
    good = [t for t in texts if _expected(t) is not DateError]
    if good:
        assert _fast(good) == [_expected(t) for t in good]


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)),
       st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)), qualifiers, qualifiers)
def test_any_day_interval_on_the_fast_path_matches(first, last, q1, q2):
    _check_one(f"{first.isoformat()}{q1}/{last.isoformat()}{q2}")
