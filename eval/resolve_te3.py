"""Score ``timeline.resolve`` on the TE3-Platinum DATE values, beside dateparser and python-dateutil.

The data (TempEval-3 platinum TIMEX3, research/evaluation use only) is read
from ../shared/data next to the repository and never copied into it.

    python eval/resolve_te3.py [--misses]
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import re
import sys
import warnings
from pathlib import Path

DATA = Path(__file__).resolve().parents[2] / "shared/data/te3_platinum_timex.tsv"
SEASONS = {"SP": (3, 5), "SU": (6, 8), "FA": (9, 11), "WI": (12, 2)}
REFS = ("PRESENT_REF", "PAST_REF", "FUTURE_REF")


def _month_end(year: int, month: int) -> dt.date:
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def gold_span(value: str) -> tuple[dt.date, dt.date] | None:
    """First and last day of a TIMEX3 calendar value; None for REF, duration or underspecified values."""
    if m := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", value):
        day = dt.date(*map(int, m.groups()))
        return day, day
    if m := re.fullmatch(r"(\d{4})-(\d{2})", value):
        year, month = map(int, m.groups())
        return dt.date(year, month, 1), _month_end(year, month)
    if m := re.fullmatch(r"(\d{4})-W(\d{2})", value):
        monday = dt.date.fromisocalendar(int(m[1]), int(m[2]), 1)
        return monday, monday + dt.timedelta(days=6)
    if m := re.fullmatch(r"(\d{4})-(SP|SU|FA|WI)", value):
        year, (first, last) = int(m[1]), SEASONS[m[2]]
        return dt.date(year, first, 1), _month_end(year + (1 if last < first else 0), last)
    if m := re.fullmatch(r"(\d{4})-Q([1-4])", value):
        year, quarter = int(m[1]), int(m[2])
        return dt.date(year, 3 * quarter - 2, 1), _month_end(year, 3 * quarter)
    if m := re.fullmatch(r"\d{4}", value):
        return dt.date(int(value), 1, 1), dt.date(int(value), 12, 31)
    if re.fullmatch(r"\d{3}", value):  # decade: 199 = 1990s
        return dt.date(int(value) * 10, 1, 1), dt.date(int(value) * 10 + 9, 12, 31)
    if re.fullmatch(r"\d{2}", value):  # century: 19 = 1900-1999
        return dt.date(max(int(value) * 100, 1), 1, 1), dt.date(int(value) * 100 + 99, 12, 31)
    return None


def load_rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as f:
        return [row for row in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE) if row["type"] == "DATE"]


class Score:
    """Counts for one system."""

    def __init__(self, name: str):
        self.name, self.n, self.exact, self.span, self.within = name, 0, 0, 0, 0

    def add(self, gold: str, value: str | None, span: tuple[dt.date, dt.date] | None) -> bool:
        self.n += 1
        good = gold_span(gold)
        exact = value == gold
        self.exact += exact
        if gold in REFS:
            self.span += exact
            self.within += exact
        elif good is not None and span is not None:
            self.span += span == good
            self.within += good[0] <= span[0] and span[1] <= good[1]
        return exact


def score_timeline(rows, misses: list | None) -> Score:
    from timeline.resolve import ResolveError, guess_tense, resolve, to_timex3

    score = Score("timeline.resolve")
    for row in rows:
        sentence, expression = row["sentence"], row["expression"]
        begin = sentence.find(expression)
        tense = guess_tense(sentence, at=(begin, begin + len(expression))) if begin >= 0 else None
        try:
            r = resolve(expression, anchor=row["dct"], tense=tense)
            value, span = to_timex3(r), (r.start, r.end)
        except ResolveError as exc:
            value, span = None, None
            r = exc
        if not score.add(row["value"], value, span) and misses is not None:
            misses.append((expression, row["dct"], row["value"], value or "-", tense or "", getattr(r, "rule", "")))
    return score


def score_day_parser(name: str, rows, parse) -> Score:
    score = Score(name)
    for row in rows:
        anchor = dt.datetime.fromisoformat(row["dct"])
        try:
            result = parse(row["expression"], anchor)
        except Exception:  # noqa: BLE001 - a parser failure is a miss
            result = None
        day = result.date() if result is not None else None
        score.add(row["value"], day.isoformat() if day else None, (day, day) if day else None)
    return score


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--misses", action="store_true", help="list the expressions timeline.resolve gets wrong")
    args = parser.parse_args(argv)
    if not DATA.exists():
        print(f"skipped: {DATA} not found")
        return 0
    rows = load_rows(DATA)
    misses: list = []
    scores = [score_timeline(rows, misses)]

    try:
        import dateparser
    except ImportError:
        print("dateparser is not installed: pip install dateparser", file=sys.stderr)
    else:
        best = None
        for prefer in ("current_period", "past", "future"):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")

                def parse(text, anchor, prefer=prefer):
                    return dateparser.parse(text, settings={"RELATIVE_BASE": anchor, "PREFER_DATES_FROM": prefer})

                score = score_day_parser(f"dateparser ({prefer})", rows, parse)
            if best is None or score.exact > best.exact:
                best = score
        best.name = best.name.replace("(", "(best: PREFER_DATES_FROM=")
        scores.append(best)

    from dateutil import parser as dateutil_parser

    scores.append(score_day_parser("python-dateutil (fuzzy)", rows,
                                   lambda text, anchor: dateutil_parser.parse(text, default=anchor, fuzzy=True)))

    print(f"TE3-Platinum, TIMEX3 type DATE (n={len(rows)}); anchor = document creation time; gold extents given.\n")
    print("| system | DATE values | exact | exact % | span match | day within span | value F1 |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for s in scores:
        print(f"| {s.name} | {s.n} | {s.exact} | {100 * s.exact / s.n:.1f} | {s.span} | {s.within} | "
              f"{100 * s.exact / s.n:.1f} |")
    print(
        "\nexact: the TIMEX3 value equals the gold string. span match: same first and last day (REF values: same"
        "\nstring). day within span: the answer lies inside the gold span. value F1: the gold extents are given,"
        "\nso precision = recall = accuracy; it is not the same measure as HeidelTime's published 77.6 value F1"
        "\n(all TIMEX3 types, extents found by the system itself), only a rough point of comparison."
        "\ndateparser and dateutil answer with one day, so they can only match day golds exactly."
    )
    if args.misses:
        print("\nMisses of timeline.resolve (expression | dct | gold | ours | tense guessed | rule):")
        for miss in misses:
            print(" | ".join(miss))
    return 0


if __name__ == "__main__":
    sys.exit(main())
