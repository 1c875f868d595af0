"""Reading dates takes time proportional to the text: counted in rules run, and compared across sizes in one run.

The figures against a baseline are in benchmarks/resolve.py; here only the growth is checked, with generous
bounds that a return of quadratic behaviour (x16 for x4 the text) would break.
"""

import datetime as dt
import time

import pytest

from timeline.resolve import ResolveError, find_dates, guess_tense, resolve
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


def _seconds(call) -> float:
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        call()
        best = min(best, time.perf_counter() - start)
    return best


def _resolve(text):
    try:
        resolve(text, A)
    except ResolveError:
        pass


@pytest.mark.parametrize("name", PATTERNS)
@pytest.mark.parametrize("function", [_resolve, lambda text: find_dates(text, A),
                                      lambda text: guess_tense(text, at=(len(text) // 2, len(text) // 2 + 1))],
                         ids=["resolve", "find_dates", "guess_tense"])
def test_the_time_taken_grows_in_proportion_to_the_text(name, function):
    small = _seconds(lambda: function(_text(PATTERNS[name], SMALL)))
    large = _seconds(lambda: function(_text(PATTERNS[name], LARGE)))
    assert large / max(small, 1e-4) < 10, (small, large)  # x4 the text; quadratic would be x16
