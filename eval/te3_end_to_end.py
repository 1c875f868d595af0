"""Tag dates in running text, end to end: ``find_dates`` beside ``dateparser.search`` on TE3-Platinum sentences.

Each system gets every sentence of the TempEval-3 Platinum file and the
document's creation date as anchor, finds the date expressions itself, and is
scored against the gold TIMEX3 of type DATE: extents (strict: the same
characters; relaxed: overlapping) and values (the TIMEX3 ``value`` of a
relaxed match equals the gold one).  The data (research/evaluation use only)
is read from ../shared/data next to the repository and never copied into it.

    python eval/te3_end_to_end.py [--misses]
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import sys
import warnings
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

DATA = Path(__file__).resolve().parents[2] / "shared/data/te3_platinum_timex.tsv"


@dataclass
class Sentence:
    doc: str
    dct: dt.date
    text: str
    golds: list[tuple[int, int, str, str]] = field(default_factory=list)  # start, end, type, value


def load_sentences(path: Path) -> tuple[list[Sentence], int]:
    """The sentences with their gold TIMEX3 extents (found in order in the sentence); also how many were lost."""
    sentences: dict[tuple[str, str], Sentence] = {}
    cursor: dict[tuple[str, str], int] = defaultdict(int)
    lost = 0
    with path.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
            key = (row["doc_id"], row["sentence"])
            sentence = sentences.setdefault(key, Sentence(row["doc_id"], dt.date.fromisoformat(row["dct"]),
                                                          row["sentence"]))
            begin = sentence.text.find(row["expression"], cursor[key])
            if begin < 0:
                begin = sentence.text.find(row["expression"])
            if begin < 0:
                lost += 1
                continue
            end = begin + len(row["expression"])
            cursor[key] = end
            sentence.golds.append((begin, end, row["type"], row["value"]))
    return list(sentences.values()), lost


@dataclass
class Score:
    """Extent and value counts for one system over DATE golds."""

    name: str
    gold: int = 0
    predicted: int = 0
    strict: int = 0
    relaxed: int = 0
    value: int = 0
    ignored: int = 0
    misses: list = field(default_factory=list)

    def add(self, sentence: Sentence, predictions: list[tuple[int, int, str]]) -> None:
        dates = [g for g in sentence.golds if g[2] == "DATE"]
        others = [g for g in sentence.golds if g[2] != "DATE"]
        self.gold += len(dates)
        used: set[int] = set()
        for begin, end, value in predictions:
            match = next((k for k, g in enumerate(dates) if k not in used and begin < g[1] and g[0] < end), None)
            if match is None:
                if any(begin < g[1] and g[0] < end for g in others):
                    self.ignored += 1  # a duration, time or set: not a date, neither right nor wrong here
                    continue
                self.predicted += 1
                self.misses.append(("extra", sentence.text[begin:end], value, "", sentence.dct))
                continue
            used.add(match)
            self.predicted += 1
            gold = dates[match]
            self.relaxed += 1
            self.strict += (begin, end) == gold[:2]
            self.value += value == gold[3]
            if value != gold[3] or (begin, end) != gold[:2]:
                self.misses.append(("value" if value != gold[3] else "extent", sentence.text[begin:end], value,
                                    f"{sentence.text[gold[0]:gold[1]]} = {gold[3]}", sentence.dct))
        for k, g in enumerate(dates):
            if k not in used:
                self.misses.append(("missed", sentence.text[g[0]:g[1]], "", g[3], sentence.dct))

    @staticmethod
    def prf(hits: int, predicted: int, gold: int) -> tuple[float, float, float]:
        p = hits / predicted if predicted else 0.0
        r = hits / gold if gold else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)

    def row(self) -> str:
        cells = [self.name, str(self.gold), str(self.predicted)]
        for hits in (self.strict, self.relaxed):
            cells += [f"{x:.3f}" for x in self.prf(hits, self.predicted, self.gold)]
        cells += [f"{self.prf(self.value, self.predicted, self.gold)[2]:.3f}"]
        return "| " + " | ".join(cells) + " |"


def timeline_predictions(sentence: Sentence) -> list[tuple[int, int, str]]:
    from timeline.resolve import find_dates, to_timex3

    return [(r.span[0], r.span[1], to_timex3(r)) for r in find_dates(sentence.text, anchor=sentence.dct)]


def dateparser_predictions(prefer: str):
    """``dateparser.search.search_dates`` extents; each found text re-read by ``DateDataParser`` for its period,
    so that a year or month is written as a TIMEX3 year or month, not a day."""
    from dateparser.date import DateDataParser
    from dateparser.search import search_dates

    def predict(sentence: Sentence) -> list[tuple[int, int, str]]:
        base = dt.datetime.combine(sentence.dct, dt.time())
        settings = {"RELATIVE_BASE": base, "PREFER_DATES_FROM": prefer}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            found = search_dates(sentence.text, languages=["en"], settings=settings) or []
            reader = DateDataParser(languages=["en"], settings=settings)
            out, cursor = [], 0
            for words, moment in found:
                begin = sentence.text.find(words, cursor)
                if begin < 0:
                    continue
                cursor = begin + len(words)
                data = reader.get_date_data(words)
                day = (data.date_obj or moment).date()
                period = data.period if data.date_obj else "day"
                if period == "year":
                    value = f"{day.year:04d}"
                elif period == "month":
                    value = f"{day.year:04d}-{day.month:02d}"
                elif period == "week":
                    year, week, _ = day.isocalendar()
                    value = f"{year:04d}-W{week:02d}"
                else:
                    value = day.isoformat()
                out.append((begin, cursor, value))
        return out

    return predict


def score(name: str, sentences: list[Sentence], predict) -> Score:
    result = Score(name)
    for sentence in sentences:
        result.add(sentence, predict(sentence))
    return result


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--misses", action="store_true", help="list what timeline.find_dates gets wrong")
    args = parser.parse_args(argv)
    if not DATA.exists():
        print(f"skipped: {DATA} not found")
        return 0
    sentences, lost = load_sentences(DATA)
    scores = [score("timeline.find_dates", sentences, timeline_predictions)]
    try:
        import dateparser  # noqa: F401
    except ImportError:
        print("dateparser is not installed: pip install dateparser", file=sys.stderr)
    else:
        best = None
        for prefer in ("current_period", "past", "future"):
            candidate = score(f"dateparser.search (PREFER_DATES_FROM={prefer})", sentences,
                              dateparser_predictions(prefer))
            if best is None or candidate.value > best.value:
                best = candidate
        best.name = best.name.replace("(", "(best: ")
        scores.append(best)
    dates = sum(1 for s in sentences for g in s.golds if g[2] == "DATE")
    print(f"TE3-Platinum end to end: {len(sentences)} sentences, {dates} gold DATE expressions "
          f"({lost} gold extents not found in their sentence); anchor = document creation time.\n")
    print("| system | gold | predicted | strict P | strict R | strict F1 | relaxed P | relaxed R | relaxed F1 "
          "| value F1 |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for s in scores:
        print(s.row())
    print(
        "\nstrict: same characters; relaxed: overlapping (one prediction per gold). value F1: a relaxed match whose"
        "\nTIMEX3 value equals the gold one, over predictions (P) and golds (R). Predictions that overlap only a gold"
        "\nDURATION, TIME or SET are left out of both counts (find_dates tags dates; "
        + ", ".join(f"{s.name.split(' ')[0]} {s.ignored}" for s in scores) + " left out)."
        "\nThe file holds only sentences with a TIMEX3, so precision is measured there only. HeidelTime's published"
        "\n77.6 value F1 counts all four TIMEX3 types: a rough point of comparison, not the same measure."
    )
    if args.misses:
        print("\nMisses of timeline.find_dates (kind | found | our value | gold | dct):")
        for miss in scores[0].misses:
            print(" | ".join(str(x) for x in miss))
    return 0


if __name__ == "__main__":
    sys.exit(main())
