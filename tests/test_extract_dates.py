"""``timeline.extract.dates``: the one place where extraction finds and resolves date expressions."""

import datetime as dt

import pytest

from timeline.extract.dates import approximate_until, around, checkable_text, find_mentions, resolve_mention

ANCHOR = dt.date(2005, 10, 4)  # a Tuesday


def test_mentions_keep_their_preposition_and_span():
    sentence = "The summit will be held on October 12 in Paris."
    [mention] = find_mentions(sentence, ANCHOR)
    assert (mention.text, mention.core) == ("on October 12", "October 12")
    assert sentence[mention.start:mention.end] == "on October 12"


# (tense of the clause, expected day for "on October 12" in an article of 2005-10-04)
TENSES = [("future", "2005-10-12"), ("past", "2004-10-12")]


@pytest.mark.parametrize("tense, expected", TENSES)
def test_the_clause_tense_decides_a_yearless_day(tense, expected):
    [mention] = find_mentions("It is to be held on October 12.", ANCHOR)
    assert resolve_mention(mention, ANCHOR, tense).edtf == expected


def test_ongoing_words_are_not_event_dates():
    assert find_mentions("At the moment, GM now has 6,246 dealers and currently grows.", ANCHOR) == []


def test_without_an_anchor_only_values_that_need_none_are_resolved():
    mentions = find_mentions("On Friday, on Feb. 11, 2016, it rained.", None)
    assert [(m.core, m.value.edtf if m.value else None) for m in mentions] == [
        ("Friday", None), ("Feb. 11, 2016", "2016-02-11")]


def test_the_same_day_refers_to_an_event():
    [mention] = find_mentions("The same day, Jubeir warned.", ANCHOR)
    assert mention.refers_to_event


def test_checkable_text_adds_the_tense_cue_a_weekday_needs():
    [mention] = find_mentions("Leaders meet on Sunday.", ANCHOR)
    value = resolve_mention(mention, ANCHOR, "future")
    assert value.edtf == "2005-10-09"
    assert checkable_text(mention.text, value, ANCHOR, "future") == "will be on Sunday"


def test_spans_for_clauses_without_date_words():
    assert approximate_until(dt.date(2016, 2, 13)).edtf == "2016-01-15~/2016-02-13~"
    day = approximate_until(dt.date(2016, 2, 13))
    assert around(day, "same") == day
    assert around(find_mentions("on Friday", ANCHOR)[0].value, "after").edtf == "2005-08-31~/2005-09-30~"
