"""Properties of the resolver on any text and any anchor (hypothesis)."""

import datetime as dt
import re

from hypothesis import example, given, settings
from hypothesis import strategies as st

from timeline.dates import parse_date
from timeline.resolve import ResolveError, find_dates, resolve

WORDS = [
    "last", "next", "this", "early", "mid-", "late", "the end of", "Feb.", "Dec. 31", "February", "May", "2016",
    "9999", "0001", "1990s", "'90s", "summer", "winter", "fall", "Q4", "fourth quarter", "week", "weekend", "month",
    "year", "decade", "century", "20th", "Friday", "Sunday", "ago", "a few", "several", "12", "29", "31", "-", "to",
    "from", "between", "and", "days", "weeks", "months", "years", "in", "recently", "soon", "shortly after",
    "the past", "now", "yesterday", "tomorrow", "Christmas", "Easter", "New Year's Eve", "fiscal", "of", "the",
    "1/2/03", "2016-02-30", "9999-12-31", "0001-01-01", "earlier this", "later this", "Thanksgiving",
    "1000000 days ago", "99999 years ago", "that day", "will", "said", ",", "first", "second", "third", "last",
    "Tuesday", "the 19th", "of october", "fridays", "from now", "BC", "AD", "since", "until", "by", "before",
    "after", "about", "18q4", "1Q", "H2", "half", "2/15", "13/02", "29.02.2020", "31-Oct-74", "2014/10", "Thu",
    "Fri.", "yr", "qtr", "xmas", "Eid al-Fitr", "Ramadan", "Passover", "ides", "+2", "now -", "1 year 2 months",
    "fortnight", "overnight", "upcoming", "W07", "2015-W53", "week 53", "the day before", "Diwali", "talks",
    "'s", "vote", "set to begin", "5th", "1st", "century BC", "Monday", "in the coming weeks", "2000 fighters",
]  # fmt: skip
phrases = st.lists(st.sampled_from(WORDS), min_size=1, max_size=6).map(" ".join)
anchors = st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31))
tenses = st.sampled_from([None, "past", "future"])
FILLER = {"on", "the", "of", "at", "in", "during", "s"}


def _resolve_or_none(text, anchor, tense=None, dayfirst=False):
    try:
        return resolve(text, anchor=anchor, tense=tense, dayfirst=dayfirst)
    except ResolveError:
        return None


@settings(max_examples=300, deadline=None)
@given(st.text(), anchors)
def test_any_text_gives_a_result_or_resolve_error_and_nothing_else(text, anchor):
    r = _resolve_or_none(text, anchor)
    assert r is None or r.start <= r.end


@settings(max_examples=600, deadline=None)
@given(phrases, anchors, tenses, st.booleans())
def test_date_like_phrases_on_any_anchor_give_a_span_or_resolve_error(text, anchor, tense, dayfirst):
    r = _resolve_or_none(text, anchor, tense, dayfirst)
    if r is not None:
        assert r.start <= r.end
        assert r.text == text[r.span[0]: r.span[1]]


@settings(max_examples=600, deadline=None)
@given(st.lists(st.one_of(phrases, st.text(max_size=12)), min_size=1, max_size=4).map(" ".join), anchors, tenses)
@example("Feb. \u00b9", dt.date(2000, 1, 1), None)  # a superscript digit is a word left unread, not punctuation
def test_every_word_not_read_is_flagged_uncertain_and_named(text, anchor, tense):
    """No result whose rule read fewer words than the phrase has (filler aside) unless it is flagged uncertain."""
    r = _resolve_or_none(text, anchor, tense)
    if r is None:
        return
    outside = re.findall(r"[^\W_]+", text[: r.span[0]] + " " + text[r.span[1]:])
    if any(word.lower() not in FILLER for word in outside):
        assert r.uncertain and r.unread and r.note and ("?" in r.edtf or "%" in r.edtf), (text, r)
    else:
        assert not r.unread


@settings(max_examples=500, deadline=None)
@given(phrases, st.dates(min_value=dt.date(1000, 1, 1), max_value=dt.date(2999, 12, 31)), tenses)
def test_the_edtf_value_denotes_exactly_start_to_end(text, anchor, tense):
    r = _resolve_or_none(text, anchor, tense)
    if r is not None:
        parsed = parse_date(r.edtf)
        assert (parsed.start, parsed.end) == (r.start, r.end), r.edtf
        assert (parsed.approximate, parsed.uncertain) == (r.approximate, r.uncertain)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(phrases, st.text(max_size=20)), max_size=8).map(" ".join), anchors)
def test_find_dates_spans_are_ordered_and_point_at_their_text(sentence, anchor):
    found = find_dates(sentence, anchor=anchor)
    ends = [0]
    for r in found:
        assert r.start <= r.end
        assert sentence[r.span[0]: r.span[1]] == r.text
        assert r.span[0] >= ends[-1]
        ends.append(r.span[1])
        assert (parse_date(r.edtf).start, parse_date(r.edtf).end) == (r.start, r.end)


@settings(max_examples=200, deadline=None)
@given(st.lists(phrases, min_size=1, max_size=6).map(". ".join), anchors, tenses)
def test_a_tense_callback_is_asked_for_each_expression_and_used(text, anchor, tense):
    asked = []

    def tense_of(span):
        asked.append(span)
        return tense

    found = find_dates(text, anchor, tense_of=tense_of)
    assert {r.span for r in found} <= set(asked)
    assert all(r.tense == tense for r in found)
