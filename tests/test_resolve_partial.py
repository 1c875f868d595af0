"""A phrase is read whole, or the answer says it was not: refused, or uncertain with the words left over."""

import datetime as dt
import json

import pytest
from click.testing import CliRunner

from timeline.cli.resolve_cmd import resolve as resolve_command
from timeline.resolve import ResolveError, resolve

T = dt.date(2013, 2, 12)

# (text, message): words next to what was read would change the date, or a second date is there: refused.
REFUSED = [
    ("first tuesday of octobre", 'read "tuesday" but not "first ... of octobre"'),
    ("Friday and Saturday", 'read "Friday" but not "and Saturday" (a second date expression)'),
    ("last Friday and next Monday", 'read "last Friday" but not "and next Monday" (a second date expression)'),
    ("between Monday", 'read "Monday" but not "between"'),
    ("Friday 13", 'read "Friday" but not "13"'),
    ("on Feb. 12 and 13", 'read "Feb. 12" but not "and 13"'),  # the second word over is a number
    ("Monday, the 1st of never", 'read "Monday" but not "the 1st of never"'),
    ("next first tuesday of october", 'read "first tuesday of october" but not "next"'),
    # before a past year gives only an upper bound, after a future one only a lower bound: no date
    ("before 2010", 'read "2010" but not "before": before a date up to the anchor gives only the latest day, '
     "not a date"),
    ("after 2020", 'read "2020" but not "after": after a date from the anchor on gives only the earliest day, '
     "not a date"),
]
assert len({case[0] for case in REFUSED}) == len(REFUSED)


@pytest.mark.parametrize("text, message", REFUSED)
def test_words_that_would_change_the_date_make_a_refusal_naming_them(text, message):
    with pytest.raises(ResolveError) as caught:
        resolve(text, T)
    assert str(caught.value) == f'"{text}": {message}'


# (text, start, words left over): the words read still bound the answer; it is uncertain and says what was not read
# (from the first word not read to the expression, as in 'read "tuesday" but not "first ... of october"').
UNCERTAIN = [
    ("set to begin yesterday", dt.date(2013, 2, 11), "set to begin"),
    ("talks resume on Friday", dt.date(2013, 2, 8), "talks resume on"),
    ("Diwali 2018", dt.date(2018, 1, 1), "Diwali"),  # a holiday we do not know, in a year we do
    ("the report is due to be released in May", dt.date(2013, 5, 1), "report is due to be released in"),
    ("Friday's vote", dt.date(2013, 2, 8), "vote"),
]


@pytest.mark.parametrize("text, start, words", UNCERTAIN)
def test_other_words_left_over_make_the_answer_uncertain_with_them_in_the_note(text, start, words):
    r = resolve(text, T)
    assert (r.start, r.uncertain, r.unread) == (start, True, words)
    assert r.note == f'words not read: "{words}"'
    assert r.edtf.endswith("?")


@pytest.mark.parametrize("text", ["On Friday,", "the 12th of February 2016", "in the summer", "on the 15th",
                                  "during the past week", "at the end of the month", "Friday's"])
def test_filler_words_and_punctuation_need_no_reading(text):
    r = resolve(text, T)
    assert not r.uncertain and r.unread == "" and r.note == ""


NOT_DATES = ["", "xyz", "3 militias", "five years", "two days before the vote", "the day after the election",
             "next", "late", "in the first week", "about 3 weeks", "fifth of"]


@pytest.mark.parametrize("text", NOT_DATES)
def test_text_with_no_date_expression_is_refused(text):
    with pytest.raises(ResolveError, match="is not a date expression"):
        resolve(text, T)


def _run(*args):
    return CliRunner().invoke(resolve_command, list(args))


def test_cli_a_refusal_exits_1_with_the_words_it_could_not_place():
    result = _run("first tuesday of octobre", "--anchor", "2013-02-12")
    assert result.exit_code == 1
    assert result.stderr == 'Error: "first tuesday of octobre": read "tuesday" but not "first ... of octobre"\n'
    assert result.stdout == ""


def test_cli_an_uncertain_answer_prints_its_note():
    result = _run("set to begin yesterday", "--anchor", "2013-02-12")
    assert result.exit_code == 0
    assert result.stdout == "2013-02-11?  (day; the day before the anchor)\n"
    assert result.stderr == 'Note: words not read: "set to begin"\n'
    data = json.loads(_run("set to begin yesterday", "--anchor", "2013-02-12", "--format", "json").stdout)
    assert (data["uncertain"], data["note"]) == (True, 'words not read: "set to begin"')
