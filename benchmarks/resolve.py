"""Benchmark ``resolve``, ``find_dates`` and ``guess_tense`` on long texts: time per 100,000 characters.

Run by hand (about a minute)::

    python benchmarks/resolve.py
    python benchmarks/resolve.py --sizes 10000,100000,400000 --repeats 5

Each text repeats one pattern to the size asked: "Q1 " and "on Friday " (the
inputs that took 11 s and 22 s for 10,000 characters before the resolver was
made linear), news sentences full of dates, and plain words in one sentence
with no date at all.  The baseline, measured in the same run on the same text,
is one pass of the resolver's own tokenizer: the least any reading of the text
must do.  The target is at most 1 s per 100,000 characters for each function
on each pattern; "growth" is the time at the largest size over the smallest,
divided by the ratio of their sizes (1.0 = linear).  Times are the process's
CPU time (the functions are single-threaded), so that other work on a shared
machine does not count; the wall time is printed for the largest size too.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

ANCHOR = dt.date(2016, 2, 13)
PATTERNS = {
    "Q1": "Q1 ",
    "on Friday": "on Friday ",
    "news": ("Russia said on Friday that talks set for Feb. 25 would go ahead, three days after the ceasefire "
             "began, and that aid had reached Homs in the first week of February. "),
    "plain words": "the convoy reached the town and officials said that talks would continue while aid groups waited ",
}
TARGET_SECONDS_PER_100K = 1.0


def text_of(pattern: str, size: int) -> str:
    return (pattern * (size // len(pattern) + 1))[:size]


def timed(call, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.process_time()
        call()
        times.append(time.process_time() - start)
    return statistics.median(times)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000", help="comma-separated text lengths in characters")
    parser.add_argument("--repeats", type=int, default=3, help="runs per measurement (median reported)")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]

    from timeline.resolve import ResolveError, find_dates, guess_tense, resolve
    from timeline.resolve.tokens import tokenize

    def resolve_quietly(text):
        try:
            resolve(text, ANCHOR)
        except ResolveError:
            pass

    functions = {
        "resolve": resolve_quietly,
        "find_dates": lambda text: find_dates(text, ANCHOR),
        "guess_tense": lambda text: guess_tense(text, at=(len(text) // 2, len(text) // 2 + 1)),
    }
    print(f"{len(PATTERNS)} patterns, sizes {', '.join(f'{s:,}' for s in sizes)} characters, median of "
          f"{args.repeats} runs; baseline: tokenize() on the same text.\n")
    print("| pattern | function | CPU s per 100k chars | x baseline | growth | target (<= 1 s) |")
    print("|---|---|---:|---:|---:|---|")
    worst = 0.0
    for name, pattern in PATTERNS.items():
        texts = {size: text_of(pattern, size) for size in sizes}
        baseline = {size: timed(lambda t=texts[size]: tokenize(t), args.repeats) for size in sizes}
        for label, function in functions.items():
            seconds = {size: timed(lambda t=texts[size], f=function: f(t), args.repeats) for size in sizes}
            largest, smallest = sizes[-1], sizes[0]
            per_100k = seconds[largest] * 100_000 / largest
            growth = (seconds[largest] / seconds[smallest]) / (largest / smallest) if len(sizes) > 1 else 1.0
            worst = max(worst, per_100k)
            verdict = "met" if per_100k <= TARGET_SECONDS_PER_100K else "MISSED"
            print(f"| {name} | {label} | {per_100k:.3f} | {seconds[largest] / baseline[largest]:.1f} | "
                  f"{growth:.2f} | {verdict} |")
    print(f"\nslowest: {worst:.3f} CPU s per 100k characters (target {TARGET_SECONDS_PER_100K} s)")
    text = text_of(PATTERNS["Q1"], sizes[-1])
    start = time.perf_counter()
    functions["find_dates"](text)
    print(f"wall time of find_dates on {sizes[-1]:,} characters of 'Q1 ': {time.perf_counter() - start:.3f} s "
          "(the machine's load counts here)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
