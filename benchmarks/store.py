"""Benchmark ``timeline validate``, ``add`` and ``import`` on large synthetic stores.

Run by hand (1M takes a few minutes; 10M needs ~4.5 GB of disk and half an hour)::

    python benchmarks/store.py --sizes 1000000
    python benchmarks/store.py --sizes 1000000,10000000 --workdir /work/bench

Every measurement is a whole process, timed from launch to exit, with its
peak RSS (``ru_maxrss`` from ``os.wait4``).  Baselines in the same run:

* validate: DuckDB counting the rows of the same CSV (``count(*)`` over
  ``read_csv``, every column as text), a full parse that checks nothing;
* add / import of 50 events: a Python process appending the same 50 rows to
  the file with ``open(path, "a")`` (the floor: no lock, no checks).

``warm`` means the store's cache is up to date (after a query, or after the
previous append); ``stale`` means the CSV was changed by another program, so
the append must read the whole store once to rebuild the cache.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from query import generate_store, measure, timeline_command  # noqa: E402

DUCKDB_COUNT = r"""
import sys, duckdb
con = duckdb.connect()
con.execute("SET enable_progress_bar = false")
path = sys.argv[1].replace("'", "''")
print(con.execute(f"SELECT count(*) FROM read_csv('{path}', all_varchar = true, header = true)").fetchone()[0])
"""

RAW_APPEND = r"""
import sys
with open(sys.argv[1], "a", encoding="utf-8") as handle:
    handle.write(open(sys.argv[2], encoding="utf-8").read())
"""

TARGETS = {"validate peak MiB at 10M": 300, "add 50 s at 10M": 1.0}


def fifty_events(folder: Path, tag: str) -> tuple[Path, Path]:
    """The same 50 events as JSON lines (for import) and as CSV rows (for the raw append)."""
    rows = [{"id": f"bench-{tag}-{n:02d}", "date": f"2016-04-{n % 28 + 1:02d}", "actor": "Benchmark Agency",
             "kind": "statement", "summary": f"Benchmark event {n} of run {tag}"} for n in range(50)]
    jsonl = folder / f"fifty-{tag}.jsonl"
    jsonl.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    header = (folder / "events.csv").open(encoding="utf-8").readline().strip().split(",")
    lines = [",".join(r.get(c, "") for c in header) for r in rows]
    raw = folder / f"fifty-{tag}.csv"
    raw.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return jsonl, raw


def bench(size: int, folder: Path, repeats: int, results: list) -> None:
    generate_store(folder, size)
    work = folder / "work"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    for name in ("events.csv", "actors.csv"):
        shutil.copy(folder / name, work / name)
    store = work / "events.csv"
    tl = timeline_command()
    out = work / "out.txt"
    from timeline.store.index import cache_files

    def drop_cache():
        for file in cache_files(store):
            file.unlink(missing_ok=True)

    duck = [measure([sys.executable, "-c", DUCKDB_COUNT, str(store)], out) for _ in range(repeats)]
    results.append((size, "duckdb count(*) (baseline)", duck))
    cold = []
    for _ in range(repeats):
        drop_cache()
        cold.append(measure([*tl, "validate", "--store", str(store)], out))
    results.append((size, "validate, no cache", cold))
    results.append((size, "validate, cache up to date", [measure([*tl, "validate", "--store", str(store)], out)
                                                         for _ in range(repeats)]))
    raws, imports, adds = [], [], []
    for n in range(repeats):
        _, raw = fifty_events(work, f"r{n}")
        raws.append(measure([sys.executable, "-c", RAW_APPEND, str(store), str(raw)], out))
    for n in range(repeats + 1):  # the first finds the cache stale (the raw appends changed the CSV)
        jsonl, _ = fifty_events(work, f"i{n}")
        imports.append(measure([*tl, "import", str(jsonl), "--from", "jsonl", "--store", str(store)], out))
    results.append((size, "raw append of 50 rows (baseline)", raws))
    results.append((size, "import 50 events, cache stale (after the raw append)", imports[:1]))
    results.append((size, "import 50 events, cache up to date", imports[1:]))
    for n in range(repeats):
        adds.append(measure([*tl, "add", "--date", "2016-05-01", "--actor", "Benchmark Agency", "--kind", "action",
                             "--summary", f"One more benchmark event {n}", "--store", str(store)], out))
    results.append((size, "add 1 event, cache up to date", adds))
    final = measure([*tl, "validate", "--store", str(store)], out)
    results.append((size, "validate after the appends (cache extended)", [final]))


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000000")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--workdir", type=Path)
    args = parser.parse_args(argv)
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",")]
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="timeline-bench-"))
    results: list = []
    try:
        for size in sizes:
            print(f"size {size:,} ...", file=sys.stderr)
            bench(size, workdir / f"store-{size}", args.repeats, results)
    finally:
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)
    print(f"Machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}; median of {args.repeats} runs "
          "(one for the stale import); OS page cache warm.\n")
    print("| events | case | s | vs baseline | peak RSS MiB |")
    print("|---:|---|---:|---:|---:|")
    baseline = {}
    for size, case, runs in results:
        seconds = statistics.median(t for t, _, _ in runs)
        peak = max(m for _, m, _ in runs)
        if "baseline" in case:
            baseline[size, "validate" if "duckdb" in case else "append"] = seconds
            ratio = "1.00"
        else:
            key = (size, "validate" if case.startswith("validate") else "append")
            ratio = f"{seconds / baseline[key]:.2f}x" if key in baseline else "-"
        print(f"| {size:,} | {case} | {seconds:.2f} | {ratio} | {peak:.0f} |")
    print("\nTargets:")
    for size, case, runs in results:
        if size != 10_000_000:
            continue
        seconds = statistics.median(t for t, _, _ in runs)
        peak = max(m for _, m, _ in runs)
        if case == "validate, no cache":
            ok = peak <= TARGETS["validate peak MiB at 10M"]
            print(f"- validate peak at 10M <= 300 MiB: {peak:.0f} MiB -> {'met' if ok else 'MISSED'}")
        if case == "import 50 events, cache up to date":
            ok = seconds <= TARGETS["add 50 s at 10M"]
            print(f"- import of 50 events into 10M <= 1 s: {seconds:.2f} s -> {'met' if ok else 'MISSED'}")


if __name__ == "__main__":
    main()
