"""Kill writers at random moments and check that the store is always the old one or the new one.

Run by hand (a few minutes)::

    python benchmarks/kill_writers.py --trials 240
    python benchmarks/kill_writers.py --trials 40 --sizes 1000 --workdir /tmp/kill

Each trial copies a generated store (1k, 10k or 100k events, with or without
its cache), starts one writer as a real process (``timeline add``, ``timeline
import`` of 20 events, or an import that adds a column and so rewrites the
whole file), and sends it SIGKILL after a random delay within its usual
running time.  Then it checks:

* torn: what a reader sees (``timeline validate``, and the bytes up to the
  journal's length) is neither the store before nor the store after the
  command (the "after" is made by running the same command to the end on
  another copy);
* left over: temp files, journals or locks held after the *next* writer
  (one more ``timeline add``) has run, and whether that writer's result
  validates.

The table counts trials, the old/new outcomes, torn stores and left-over files.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from query import generate_store  # noqa: E402

TIMELINE = [sys.executable, "-m", "timeline"]


def writer_command(kind: str, store: Path, source: Path) -> list[str]:
    if kind == "add":
        return [*TIMELINE, "add", "--date", "2016-02-12", "--actor", "Killed Writer", "--kind", "action",
                "--summary", "An event written while the writer is killed", "--store", str(store)]
    return [*TIMELINE, "import", str(source), "--from", "jsonl", "--store", str(store)]


def import_file(folder: Path, kind: str) -> Path:
    rows = []
    for n in range(20):
        row = {"date": f"2016-03-{n + 1:02d}", "actor": "Killed Importer", "kind": "statement",
               "summary": f"Imported event number {n} of a killed import"}
        if kind == "import-new-column":
            row["killed_column"] = f"value {n}"
        rows.append(row)
    path = folder / f"{kind}.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def prepare(base: Path, size: int, cached: bool, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("events.csv", "actors.csv"):
        shutil.copy(base.parent / name, folder / name)
    store = folder / "events.csv"
    if cached:
        subprocess.run([*TIMELINE, "query", "--format", "csv", "--store", str(store)], stdout=subprocess.DEVNULL,
                       check=True)
    return store


def visible_bytes(store: Path) -> bytes:
    """What a reader sees: the file, or its first bytes up to an unfinished append's journal."""
    data = store.read_bytes()
    journal = store.with_name(f".{store.name}.journal")
    if journal.exists():
        try:
            data = data[: json.loads(journal.read_text())["length"]]
        except (ValueError, KeyError, OSError):
            pass
    return data


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp") or p.name.endswith(".journal"))


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--trials", type=int, default=240)
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--workdir", type=Path)
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="timeline-kill-"))
    sizes = [int(s) for s in args.sizes.split(",")]
    kinds = ["add", "import", "import-new-column"]
    bases = {size: generate_store(workdir / f"base-{size}", size) for size in sizes}
    expected, durations = {}, {}
    for size in sizes:
        for kind in kinds:
            for cached in (False, True):
                folder = workdir / f"expected-{size}-{kind}-{cached}"
                shutil.rmtree(folder, ignore_errors=True)
                store = prepare(bases[size], size, cached, folder)
                before = store.read_bytes()
                command = writer_command(kind, store, import_file(folder, kind))
                started = time.perf_counter()
                subprocess.run(command, check=True, capture_output=True)
                durations[size, kind, cached] = time.perf_counter() - started
                expected[size, kind, cached] = (before, store.read_bytes())
    counts = {"trials": 0, "old": 0, "new": 0, "torn": 0, "left over after next writer": 0,
              "next writer failed": 0}
    by_case: dict = {}
    try:
        for trial in range(args.trials):
            size, kind, cached = rng.choice(sizes), rng.choice(kinds), rng.random() < 0.5
            folder = workdir / "trial"
            shutil.rmtree(folder, ignore_errors=True)
            store = prepare(bases[size], size, cached, folder)
            command = writer_command(kind, store, import_file(folder, kind))
            delay = rng.uniform(0, durations[size, kind, cached] * 1.1)
            process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(delay)
            process.send_signal(signal.SIGKILL)
            process.wait()
            old, new = expected[size, kind, cached]
            seen = visible_bytes(store)
            outcome = "old" if seen == old else "new" if seen == new else "torn"
            valid = subprocess.run([*TIMELINE, "validate", "--store", str(store)], capture_output=True, text=True)
            if valid.returncode != 0:
                outcome = "torn"
            counts["trials"] += 1
            counts[outcome] += 1
            case = by_case.setdefault((size, kind), {"trials": 0, "old": 0, "new": 0, "torn": 0})
            case["trials"] += 1
            case[outcome] += 1
            next_writer = subprocess.run(writer_command("add", store, folder / "none"), capture_output=True, text=True)
            if next_writer.returncode != 0 or subprocess.run(
                    [*TIMELINE, "validate", "--store", str(store)], capture_output=True).returncode != 0:
                counts["next writer failed"] += 1
            if leftovers(folder):
                counts["left over after next writer"] += 1
                print(f"  trial {trial}: left over {leftovers(folder)}", file=sys.stderr)
            if outcome == "torn":
                print(f"  trial {trial}: TORN ({size}, {kind}, cached={cached}, delay {delay:.3f} s)", file=sys.stderr)
            if sys.stderr.isatty():
                print(f"\r  {trial + 1}/{args.trials} trials", end="", file=sys.stderr)
    finally:
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)
    print(f"\nMachine: {os.cpu_count()} cores, Python {sys.version.split()[0]}; seed {args.seed}.\n")
    print("| store size | writer | trials | old | new | torn |")
    print("|---:|---|---:|---:|---:|---:|")
    for (size, kind), case in sorted(by_case.items()):
        print(f"| {size:,} | {kind} | {case['trials']} | {case['old']} | {case['new']} | {case['torn']} |")
    print()
    for key, value in counts.items():
        print(f"- {key}: {value}")


if __name__ == "__main__":
    main()
