"""Benchmark record imports (``timeline import FILE --from jsonl|csv``) against DuckDB loading the same file.

For each size, ``query.py``'s generated store is the input: its events.csv as it is (``--from csv``) and
exported as JSON lines (``--from jsonl``).  As whole processes, with their peak RSS:

* import of the CSV into a new store (``--create``);
* import of the JSON lines into a new store;
* re-import of the JSON lines with the ids left out into the store that already holds the events:
  every event is a duplicate by actor, dates and summary (``timeline.dedupe``), so nothing is added;
* DuckDB creating a table from the same file (``read_csv`` all text, ``read_json`` with the file's
  columns as text): the baseline, measured in the same run.

The new stores must validate and keep the same events each time (the generator makes a few events alike
by actor, dates and summary, which the dedupe leaves out), and the re-import must add none.  Medians of ``--repeats`` runs.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from query import generate_store, measure, timeline_command  # noqa: E402

DUCKDB_SCRIPT = r"""
import sys, json, duckdb
con = duckdb.connect()
con.execute("SET enable_progress_bar = false")
path, fmt, columns = sys.argv[1].replace("'", "''"), sys.argv[2], json.loads(sys.argv[3])
if fmt == "csv":
    source = f"read_csv('{path}', all_varchar = true, header = true)"
else:
    listed = ", ".join(f"'{c}': 'VARCHAR'" for c in columns)
    source = f"read_json('{path}', format = 'newline_delimited', columns = {{{listed}}})"
con.execute(f"CREATE TABLE events AS SELECT * FROM {source}")
print(con.execute("SELECT count(*) FROM events").fetchone()[0])
"""


def without_ids(source: Path, target: Path) -> None:
    """The JSON lines of ``source`` with each event's id left out (so only the dedupe can find them)."""
    with open(source, encoding="utf-8") as lines, open(target, "w", encoding="utf-8") as out:
        for line in lines:
            event = json.loads(line)
            event.pop("id", None)
            out.write(json.dumps(event) + "\n")


def events_in(store: Path) -> int:
    """How many events ``timeline validate`` finds in ``store`` (it must find no error)."""
    found = subprocess.run([*timeline_command(), "validate", "--store", str(store)], capture_output=True, text=True)
    if found.returncode:
        sys.exit(f"{store} does not validate:\n{found.stdout}{found.stderr}")
    return int(found.stdout.split()[1])


def bench(size: int, folder: Path, repeats: int, results: list) -> None:
    source = generate_store(folder, size)
    tl = timeline_command()
    work = folder / "imports"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    shutil.copy(folder / "actors.csv", work / "actors.csv")
    jsonl, bare = work / "events.jsonl", work / "events-no-ids.jsonl"
    subprocess.run([*tl, "export", "--store", str(source), "--to", "jsonl", "-o", str(jsonl)], check=True,
                   capture_output=True)
    without_ids(jsonl, bare)
    columns = sorted({key for line in open(jsonl, encoding="utf-8") for key in json.loads(line)})
    out = work / "out.txt"
    kept: set[int] = set()
    for fmt, file in (("csv", source), ("jsonl", jsonl)):
        duck = [measure([sys.executable, "-c", DUCKDB_SCRIPT, str(file), fmt, json.dumps(columns)], out)
                for _ in range(repeats)]
        if int(out.read_text()) != size:
            sys.exit(f"DuckDB read {out.read_text().strip()} rows of {file}, not {size}")
        runs = []
        for _ in range(repeats):  # the events kept: all but those the dedupe finds alike (same every time)
            store = work / f"new-{fmt}" / "events.csv"
            shutil.rmtree(store.parent, ignore_errors=True)
            store.parent.mkdir()
            shutil.copy(folder / "actors.csv", store.parent / "actors.csv")
            runs.append(measure([*tl, "import", str(file), "--from", fmt, "--create", "--store", str(store)], out))
            kept.add(events_in(store))
        if len(kept) != 1:
            sys.exit(f"imports of the same {size} events kept different numbers of them: {sorted(kept)}")
        results.append((size, f"{fmt} into a new store", runs, duck))
    store = work / "new-jsonl" / "events.csv"
    before = store.read_bytes()
    runs = []
    for _ in range(repeats):
        runs.append(measure([*tl, "import", str(bare), "--from", "jsonl", "--store", str(store)], out))
        if store.read_bytes() != before:
            sys.exit("the re-import without ids added events: every one should be a duplicate")
    results.append((size, "jsonl without ids into the store holding them (all duplicates)", runs, duck))
    print(f"  {size:,} events: {kept.pop():,} kept by each import into a new store (the rest alike by actor, "
          "dates and summary)", file=sys.stderr)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000", help="comma-separated event counts")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/timeline-bench"),
                        help="where the generated stores are kept (shared with query.py)")
    args = parser.parse_args(argv)
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(Path(__file__).resolve().parents[1] / "timeline")],
                   check=True)
    results: list = []
    for size in (int(s) for s in args.sizes.split(",")):
        print(f"{size:,} events ...", file=sys.stderr)
        bench(size, args.workdir / f"store-{size}", args.repeats, results)
    print(f"\nMedians of {args.repeats} runs; load average at the end {os.getloadavg()[0]:.2f}.\n")
    print("| events | case | timeline s | peak MiB | DuckDB load s | ratio |")
    print("|---:|---|---:|---:|---:|---:|")
    for size, case, runs, duck in results:
        seconds = statistics.median(r[0] for r in runs)
        peak = statistics.median(r[1] for r in runs)
        duck_seconds = statistics.median(r[0] for r in duck)
        print(f"| {size:,} | {case} | {seconds:.2f} | {peak:.0f} | {duck_seconds:.2f} | {seconds / duck_seconds:.1f}x |")


if __name__ == "__main__":
    main()
