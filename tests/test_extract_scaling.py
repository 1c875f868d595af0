"""Extraction time grows linearly with the input: two sizes of the same text, measured in one run.

A quadratic step (a rescan of the sentence per match, all pairs of ranges)
makes four times the input cost about sixteen times as much; a linear one
about four.  The assertion allows up to eight, far from either, and the time
is this process's CPU time (best of three), so other work on a busy machine
does not make it flaky.  Absolute speed is measured by ``benchmarks/extract.py``.
"""

import time

import pytest

from timeline.extract import extract

# (name, a unit of text that is repeated)
PATTERNS = [
    ("one long run of 'between'", "between "),
    ("plain words in one sentence", "the officials of the ministry discussed plans with rivals and "),
    ("many short dated sentences", "On Monday, the ministry said that rebels captured the town. "),
]


def _seconds(text: str) -> float:
    best = float("inf")
    for _ in range(3):
        start = time.process_time()
        extract(text, published="2016-02-13", undated=True)
        best = min(best, time.process_time() - start)
    return best


@pytest.mark.parametrize("name, unit", PATTERNS, ids=[p[0] for p in PATTERNS])
def test_four_times_the_text_costs_about_four_times_as_much(name, unit):
    extract("Warm-up sentence said on Monday.", published="2016-02-13")  # load the model first
    small = unit * (6_000 // len(unit)) + "."
    large = unit * (24_000 // len(unit)) + "."
    ratio = _seconds(large) / _seconds(small)
    assert ratio < 8, f"{name}: 4x the input took {ratio:.1f}x the time"
