"""Reading dates takes work proportional to the text: rules run and tense scans counted at two sizes in one run.

Time per 100,000 characters, against a baseline measured in the same run, is in benchmarks/resolve.py; here
only the growth of the work is checked, with a bound that a return of quadratic behaviour (x16 the work for x4
the text) would break.  Wall time is left out: the machine is shared, and a test must not depend on its load.
"""

import datetime as dt

import pytest

from timeline.resolve import ResolveError, find_dates, resolve
from timeline.resolve.grammar import Parser

A = dt.date(2016, 2, 13)
PATTERNS = {
    "quarters": "Q1 ",
    "weekdays": "on Friday ",
    "dates": "Talks will resume on Feb. 12, 2016, three days ago, the first Tuesday of October. ",
    "words": "the convoy reached the town and officials said that talks would continue while aid groups waited ",
}
SMALL, LARGE = 3_000, 12_000  # characters


def _text(unit: str, size: int) -> str:
    return (unit * (size // len(unit) + 1))[:size]


def _work(text: str, whole: bool) -> int:
    parser = Parser(text, A, whole=whole)
    for i in range(parser.n):
        parser.expression(i)
    return parser.work


@pytest.mark.parametrize("name", PATTERNS)
@pytest.mark.parametrize("whole", [False, True], ids=["find_dates", "resolve"])
def test_the_rules_run_grow_in_proportion_to_the_text(name, whole):
    small, large = _work(_text(PATTERNS[name], SMALL), whole), _work(_text(PATTERNS[name], LARGE), whole)
    assert small > 0
    assert large / small < 4.5, (small, large)  # x4 the text: x4 the work (quadratic would be x16)


def test_the_tense_cues_of_a_text_are_found_once_not_once_per_expression(monkeypatch):
    from timeline.resolve import tense

    scans = []
    real = tense._cues
    monkeypatch.setattr(tense, "_cues", lambda text: scans.append(len(text)) or real(text))
    text = _text(PATTERNS["dates"], LARGE)
    found = find_dates(text, A)
    assert len(found) > 100 and scans == [len(text)]
    scans.clear()
    with pytest.raises(ResolveError):  # many expressions: not one phrase
        resolve(text, A)
    assert scans == [len(text)]
