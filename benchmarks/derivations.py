"""Benchmark the re-check of dates against their words on a store whose words are real date phrases:
``timeline validate`` with the derivation worker (timeline.store.derivation_worker) against the same command
judging every phrase in one process, in the same run.

Run by hand (a few minutes)::

    python benchmarks/derivations.py --rows 100000 --repeats 3 --workdir /tmp/derivation-bench

The phrases are the DATE expressions of TempEval-3 Platinum (``../shared/data/te3_platinum_timex.tsv``,
research use; it is read, never copied), each event anchored on a random day of 2010-2019, its date the
resolver's reading as ``timeline validate`` makes it (so that the store has no errors). Nearly every (phrase, anchor) pair is distinct, as in
a store of extracted events, so the resolver dominates the read. Whole processes, launch to exit, peak RSS
from ``os.wait4`` (the larger of the reader and its worker, which the reader waits for).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PHRASES = ROOT.parent / "shared" / "data" / "te3_platinum_timex.tsv"
ALONE = "from timeline.store.validation import RowChecker; RowChecker.WORKER_AFTER = 1 << 62; " \
        "from timeline.cli import main; main()"


def phrases() -> list[str]:
    with open(PHRASES, newline="", encoding="utf-8") as handle:
        return sorted({row["expression"] for row in csv.DictReader(handle, delimiter="\t") if row["type"] == "DATE"})


def write_store(folder: Path, rows: int) -> Path:
    from timeline.resolve import ResolveError, guess_tense, resolve

    path = folder / "events.csv"
    if path.exists():
        return path
    texts, rng = phrases(), random.Random(3)
    temp = folder / "events.csv.part"
    with open(temp, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "date", "actor", "kind", "summary", "date_text", "date_anchor"])
        for number in range(rows):
            text = rng.choice(texts)
            anchor = dt.date(2010, 1, 1) + dt.timedelta(days=rng.randrange(3652))
            try:
                date = resolve(text, anchor, tense=guess_tense(text)).edtf  # as validate reads it
            except (ResolveError, ValueError, OverflowError):
                date = anchor.isoformat()
            writer.writerow([f"ev-{number}", date, "Envoy", "statement", "talks", text, anchor.isoformat()])
    temp.rename(path)
    return path


def measure(command: list[str]) -> tuple[float, float]:
    with tempfile.TemporaryFile() as out:
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.DEVNULL, cwd=ROOT)
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) not in (0, 1):  # validate exits 1 when it finds errors
        sys.exit(f"failed: {' '.join(command)}")
    return elapsed, usage.ru_maxrss / 1024


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--workdir", type=Path)
    args = parser.parse_args(argv)
    if not PHRASES.exists():
        sys.exit(f"{PHRASES} is not here: this benchmark needs ../shared/data")
    folder = args.workdir or Path(tempfile.mkdtemp(prefix="timeline-derivations-"))
    folder.mkdir(parents=True, exist_ok=True)
    print(f"writing {args.rows:,} events with TempEval-3 date phrases in {folder} ...", file=sys.stderr)
    store = write_store(folder, args.rows)
    commands = {"worker": [sys.executable, "-m", "timeline", "validate", "--store", str(store)],
                "one process": [sys.executable, "-c", ALONE, "validate", "--store", str(store)]}
    runs = {name: [] for name in commands}
    for _ in range(args.repeats):  # alternated, so that a slow spell of the machine falls on both
        for name, command in commands.items():
            runs[name].append(measure(command))
    base = statistics.median(t for t, _ in runs["one process"])
    print(f"| `timeline validate`, {args.rows:,} events with TE3 date phrases | s | vs one process | peak MiB |")
    print("|---|---:|---:|---:|")
    for name in commands:
        seconds = statistics.median(t for t, _ in runs[name])
        print(f"| {name} | {seconds:.2f} | {seconds / base:.2f}x | {max(m for _, m in runs[name]):.0f} |")


if __name__ == "__main__":
    main()
