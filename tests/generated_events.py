"""A small generated store for the dataset and cluster tests: dates of every kind the store holds.

Days, months, years, approximate (``~``) and uncertain (``?``) days, intervals,
open ends (``2016-02-01/..``) and open starts (``../2016-02-01``), spread over
three years so that a dataset has many partitions.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from pathlib import Path

COLUMNS = ["id", "date", "actor", "kind", "summary", "place", "notes"]
ACTORS = [  # name, aliases, type, member_of
    ("North camp", "", "side", ""),
    ("South camp", "", "side", ""),
    ("River Brigade", "RB", "armed group", "North camp"),
    ("Hill Front", "", "armed group", "South camp"),
    ("Commander Vale", "Vale", "person", "River Brigade"),
    ("Minister Rook", "", "person", "Hill Front"),
    ("Envoy Marsh", "", "person", ""),
]
WORDS = "talks ceasefire convoy shelling summit aid siege prisoners vote border drone envoy".split()
SYLLABLES = "ka lo mi ner tus va rel pon di sha gor ul".split()
PLACES = ["Aleppo", "Homs", "Geneva", "Munich", ""]
FIRST_DAY = dt.date(2015, 1, 1)
DAYS = 3 * 365


def _date(rng: random.Random) -> str:
    day = FIRST_DAY + dt.timedelta(days=rng.randrange(DAYS))
    later = day + dt.timedelta(days=rng.randrange(1, 60))
    return rng.choice([
        day.isoformat(), day.isoformat(), day.isoformat(),
        day.isoformat()[:7], day.isoformat()[:4],
        day.isoformat() + "~", day.isoformat() + "?",
        f"{day.isoformat()}/{later.isoformat()}", f"{day.isoformat()}~/{later.isoformat()}",
        f"{day.isoformat()}/..", f"../{day.isoformat()}",
    ])


def _made_up(rng: random.Random) -> str:
    """A made-up word, so that summaries are not alike (timeline.dedupe would skip them)."""
    return "".join(rng.choices(SYLLABLES, k=rng.randint(2, 3)))


def events(count: int, seed: int = 14, prefix: str = "ev") -> list[dict[str, str]]:
    """``count`` events with unique ids (``PREFIX-NNNNN``)."""
    rng = random.Random(seed)
    names = [name for name, _, kind, _ in ACTORS if kind != "side"]
    rows = []
    for number in range(count):
        actor = rng.choice(names)
        if actor == "Commander Vale" and rng.random() < 0.3:
            actor = "Vale"
        rows.append({
            "id": f"{prefix}-{number:05d}",
            "date": _date(rng),
            "actor": actor,
            "kind": rng.choice(["statement", "action"]),
            "summary": " ".join([rng.choice(WORDS)] + [_made_up(rng) for _ in range(6)]).capitalize(),
            "place": rng.choice(PLACES),
            "notes": rng.choice(["", "", "Reported by two outlets", "Contested"]),
        })
    return rows


def write_events(path: Path, rows: list[dict[str, str]], columns=COLUMNS) -> Path:
    """Write rows as a CSV file with the given header."""
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return path


def write_store(folder: Path, count: int = 600, seed: int = 14) -> Path:
    """events.csv (``count`` events) and actors.csv in ``folder``; returns the events path."""
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "actors.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["name", "aliases", "type", "member_of", "notes"])
        writer.writerows([*row, ""] for row in ACTORS)
    return write_events(folder / "events.csv", events(count, seed))


# Filters both tests run, as query keywords: (keywords, why).
FILTERS = [
    ({}, "everything"),
    ({"start": "2016-03-01", "end": "2016-03-07"}, "a one-week window"),
    ({"start": "2016-03", "end": "2016-05", "within": True}, "within a quarter"),
    ({"end": "2015-02"}, "an end only: open starts are kept"),
    ({"start": "2017-11"}, "a start only: open ends are kept"),
    ({"end": "2015-02", "within": True}, "within an end only: open starts are kept, open ends are not"),
    ({"start": "2017-11", "within": True}, "within a start only: open ends are kept, open starts are not"),
    ({"actor": "River Brigade"}, "a group with its members and aliases"),
    ({"kind": "statement"}, "a kind"),
    ({"text": "ceasefire"}, "a word"),
    ({"start": "2016-01", "end": "2016-12", "actor": ["Minister Rook"], "kind": "action", "text": "aid"},
     "all at once"),
]
