"""Benchmark the Parquet dataset store and the Dask engine against the CSV store, in one run.

Run by hand (a few minutes at 1M events; run it with ``nice`` on a shared machine)::

    nice python benchmarks/dataset.py --size 1000000 --workdir /tmp/timeline-dataset-bench
    nice python benchmarks/dataset.py --size 1000000 --copy-from /work/bench/store-1000000

The store is benchmarks/query.py's generated one (``--copy-from`` copies an
already generated folder instead).  Every measurement is a whole process
(start-up, imports, reading, filtering, sorting, writing CSV to a file), the
median of ``--repeats`` runs, with the largest peak RSS of the query process
(for Dask, not counting the workers).  Engines:

- CSV store, cold: its query cache deleted first; re-run: with its cache;
- dataset, local engine: ``--store DIR``;
- dataset, dask cluster: ``--engine dask --scheduler ADDR``, a
  ``distributed.LocalCluster`` of 2 worker processes (1 thread each) started
  by this script before the runs;
- dataset, dask threads: ``--engine dask`` with no scheduler.

Every engine's output must be byte-identical to the CSV store's, or the run fails.
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(ROOT), str(HERE)]
os.environ["PYTHONPATH"] = os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep)

from query import KIND, WINDOW, generate_store, measure  # noqa: E402  (benchmarks/query.py)

TIMELINE = [sys.executable, "-m", "timeline"]


def prepare(folder: Path, size: int, copy_from: Path | None) -> Path:
    """The CSV store of ``size`` events in ``folder``: copied from ``copy_from``, or generated."""
    if copy_from is not None:
        folder.mkdir(parents=True, exist_ok=True)
        for name in ("events.csv", "actors.csv", "generated.json"):
            target = folder / name
            if not target.exists() or target.stat().st_size != (copy_from / name).stat().st_size:
                shutil.copyfile(copy_from / name, target)
    return generate_store(folder, size)


def drop_cache(events: Path) -> None:
    """Delete the CSV store's query cache, whatever its files are named."""
    for file in events.parent.iterdir():
        if file.name.startswith(f".{events.name}.") and not file.name.endswith(".lock"):
            if file.is_dir():
                shutil.rmtree(file)
            else:
                file.unlink()


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=1_000_000, help="events in the store")
    parser.add_argument("--repeats", type=int, default=3, help="runs per measurement; the median is shown")
    parser.add_argument("--workdir", type=Path, help="keep the stores here and reuse them (default: a temp dir)")
    parser.add_argument("--copy-from", type=Path, help="a folder benchmarks/query.py generated at this size")
    args = parser.parse_args(argv)
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="timeline-dataset-bench-"))
    try:
        run(args, workdir)
    finally:
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)


def run(args, workdir: Path) -> None:
    from distributed import LocalCluster

    events = prepare(workdir / f"store-{args.size}", args.size, args.copy_from)
    dataset = workdir / f"dataset-{args.size}"
    out = workdir / "out.csv"
    shutil.rmtree(dataset, ignore_errors=True)
    export_s, export_mib, _ = measure([*TIMELINE, "export", "--to", "parquet", str(dataset), "--store", str(events)],
                                      out)
    files = sum(1 for _ in dataset.rglob("*.parquet"))
    size_mib = sum(f.stat().st_size for f in dataset.rglob("*.parquet")) / 2**20
    with open(events.parent / "actors.csv", newline="", encoding="utf-8") as handle:
        group = next(row["name"] for row in csv.DictReader(handle) if row["name"].startswith("Group 07 "))
    cases = [
        ("1-week window", ["--from", WINDOW[0], "--to", WINDOW[1]]),
        ("1-year window", ["--from", "2014-01-01", "--to", "2014-12-31"]),
        (f"actor+kind ({group!r}, {KIND})", ["--actor", group, "--kind", KIND]),
    ]
    results = []
    with LocalCluster(n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None) as cluster:
        engines = [
            ("CSV store, cold", str(events), [], True),
            ("CSV store, re-run", str(events), [], False),
            ("dataset, local", str(dataset), [], False),
            ("dataset, dask LocalCluster (2 procs)", str(dataset), ["--engine", "dask", "--scheduler",
                                                                    cluster.scheduler_address], False),
            ("dataset, dask threads", str(dataset), ["--engine", "dask"], False),
        ]
        measure([*TIMELINE, "query", "--from", "2030", "--store", str(events)], out)  # build the CSV cache once
        for label, flags in cases:
            expected = None
            for engine, store, extra, cold in engines:
                runs = []
                for _ in range(args.repeats):
                    if cold:
                        drop_cache(events)
                    runs.append(measure([*TIMELINE, "query", *flags, "--format", "csv", "--store", store, *extra],
                                        out))
                text = out.read_bytes()
                if expected is None:
                    expected = text
                elif text != expected:
                    sys.exit(f"{engine} gave another answer than the CSV store for {label}")
                rows = text.count(b"\n") - 1
                results.append((label, engine, statistics.median(t for t, _, _ in runs), max(m for _, m, _ in runs),
                                rows))
    validate = measure([*TIMELINE, "validate", "--store", str(dataset)], out)
    validate_csv = measure([*TIMELINE, "validate", "--store", str(events)], out)

    print(f"Machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}; {args.size:,} events; median of "
          f"{args.repeats} runs; whole processes; OS page cache warm.\n")
    print(f"Export to a dataset: {export_s:.1f} s, peak {export_mib:.0f} MiB; {files} files, {size_mib:.0f} MiB "
          f"(CSV: {events.stat().st_size / 2**20:.0f} MiB).")
    print(f"validate: dataset {validate[0]:.1f} s ({validate[1]:.0f} MiB), CSV store {validate_csv[0]:.1f} s "
          f"({validate_csv[1]:.0f} MiB).\n")
    print("| query | engine | s | x CSV re-run | peak RSS MiB | rows |")
    print("|---|---|---:|---:|---:|---:|")
    for label, engine, seconds, peak, rows in results:
        base = next(s for lab, eng, s, _, _ in results if lab == label and eng == "CSV store, re-run")
        print(f"| {label} | {engine} | {seconds:.2f} | {seconds / base:.2f} | {peak:.0f} | {rows:,} |")
    print("\nEvery engine's CSV output was byte-identical to the CSV store's.")


if __name__ == "__main__":
    main()
