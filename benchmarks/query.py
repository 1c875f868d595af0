"""Benchmark ``timeline query`` against DuckDB on large synthetic stores.

Run by hand (it takes a few minutes at 1M events)::

    python benchmarks/query.py
    python benchmarks/query.py --sizes 100000 --repeats 5 --workdir /tmp/timeline-bench

Every measurement is a whole process (start-up, imports, reading the CSV,
filtering, sorting and writing CSV to a file), timed from launch to exit and
repeated ``--repeats`` times; the table shows the median wall time and the
largest peak RSS (``ru_maxrss`` of that one child, from ``os.wait4``).
See benchmarks/README.md for what the DuckDB side does.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

GENERATOR_VERSION = "2"  # 2: dates agree with their words, so the store validates
COLUMNS = (
    "id,date,actor,kind,summary,date_text,date_anchor,targets,event_type,quote,place,"
    "source,source_url,source_date,source_chain,notes"
).split(",")
FIRST_DAY = dt.date(2010, 1, 1)
DAYS = 3652  # ten years
WINDOW = ("2015-03-02", "2015-03-08")  # one week
KIND = "statement"
# Issue 14: at 10M a week re-run <= 0.25 s, actor+kind re-run <= 0.5 s, every cold case <= 1.0x DuckDB,
# peak RSS <= 300 MiB (queries and validate), validate within 2x a cold query, a render of the whole store
# within 1,000 MiB and 2x a cold query; at 1M a week re-run <= 0.5x DuckDB.
TARGETS = {"week re-run s": 0.25, "actor re-run s": 0.5, "cold vs duckdb": 1.0, "peak MiB": 300,
           "validate vs cold": 2.0, "render vs cold": 2.0, "render MiB": 1000, "1M week re-run vs duckdb": 0.5,
           "--help s": 0.15}

# A DuckDB query over the same CSV that mimics `timeline query` for the dates the generator writes.
DUCKDB_SCRIPT = r"""
import sys, json, duckdb
path, low, high, actors, kind = sys.argv[1:6]
actors = json.loads(actors)
def lit(s):
    return "'" + s.replace("'", "''") + "'"
con = duckdb.connect()
con.execute("SET enable_progress_bar = false")
# First and last part of DATE without qualifiers; partial dates padded so that string order is day order.
con.execute("CREATE MACRO lo(d) AS rtrim(split_part(trim(d), '/', 1), '~?%')")
con.execute("CREATE MACRO hi(d) AS rtrim(CASE WHEN contains(d, '/') THEN split_part(trim(d), '/', 2) "
            "ELSE trim(d) END, '~?%')")
con.execute("CREATE MACRO start_key(d) AS CASE WHEN lo(d) IN ('', '..') THEN NULL "
            "WHEN length(lo(d)) = 4 THEN lo(d) || '-01-01' WHEN length(lo(d)) = 7 THEN lo(d) || '-01' ELSE lo(d) END")
con.execute("CREATE MACRO end_key(d) AS CASE WHEN hi(d) IN ('', '..') THEN NULL "
            "WHEN length(hi(d)) = 4 THEN hi(d) || '-12-31' WHEN length(hi(d)) = 7 THEN hi(d) || '-31' ELSE hi(d) END")
where = ["true"]
if low:
    where.append(f"coalesce(end_key(date) >= {lit(low)}, true)")
if high:
    where.append(f"coalesce(start_key(date) <= {lit(high)}, true)")
if actors:
    where.append("trim(actor) IN (" + ", ".join(lit(a) for a in actors) + ")")
if kind:
    where.append(f"trim(kind) = {lit(kind)}")
sql = (f"SELECT * FROM read_csv({lit(path)}, all_varchar = true, header = true) WHERE {' AND '.join(where)} "
       "ORDER BY start_key(date) NULLS FIRST, id")
con.execute(f"COPY ({sql}) TO '/dev/stdout' (FORMAT csv, HEADER)")
"""

WORDS = (
    "the a of to in and on for with by from at as says said forces government rebels city province talks "
    "ceasefire agreement airstrike attack offensive troops officials minister president army militia "
    "coalition border aid convoy civilians killed wounded fighting front town village capital region "
    "northern southern eastern western near after before during amid despite against support backing "
    "claims denies confirms warns calls demands rejects accepts announces reports statement negotiations "
    "round humanitarian corridor siege release prisoners exchange election vote parliament council "
    "security summit envoy delegation meeting weapons supplies shelling drone strike base checkpoint "
    "highway bridge hospital school market refugees camp displaced thousands hundreds dozens least "
    "week month year day night morning evening local sources activists monitor group observatory "
    "spokesman foreign ministry defence interior unnamed senior diplomats analysts according reportedly"
).split()
PLACES = [f"{w.title()} {s}" for w in WORDS[20:70] for s in ("province", "city")][:100]
OUTLETS = ["Reuters", "AFP", "AP", "BBC", "Al Jazeera", "The Guardian", "Le Monde", "NYT", "WaPo", "DW",
           "Al Arabiya", "TASS", "RFE/RL", "Bloomberg", "The Daily Beast", "MintPress News", "Haaretz",
           "Middle East Eye", "Anadolu", "Xinhua"]
EVENT_TYPES = ["claim", "airstrike", "ground fighting", "agreement", "casualty report", "disclosure",
               "assessment", "ceasefire", "intervention", "protest", "meeting"]
DATE_TEXTS = ["", "", "On Friday", "yesterday", "last week", "on Monday", "earlier this month", "recently",
              "On the same day", "two days ago"]


def make_registry(rng: random.Random):
    """200 actors: 10 sides, 40 groups (members of a side), 150 people or units (members of a group)."""
    actors = []  # (name, aliases, type, member_of)
    sides = [f"Side {i:02d} camp" for i in range(10)]
    groups = [f"Group {i:02d} {rng.choice(WORDS[20:60]).title()}" for i in range(40)]
    leaves = [f"{rng.choice(WORDS[20:60]).title()} {rng.choice(WORDS[60:120]).title()} {i:03d}" for i in range(150)]
    for name in sides:
        actors.append((name, [], "side", ""))
    for i, name in enumerate(groups):
        actors.append((name, [f"G{i:02d}", f"the {name.lower()}"] if i % 2 else [], "armed group", sides[i % 10]))
    for i, name in enumerate(leaves):
        aliases = [f"A{i:03d}"] + ([f"{name.split()[0]} #{i}"] if i % 3 == 0 else [])
        actors.append((name, aliases, "person", groups[i % 40]))
    return actors


def _text(rng: random.Random, length: int) -> str:
    words = rng.choices(WORDS, k=max(1, length // 6))
    return " ".join(words).capitalize()[:length]


def _date(rng: random.Random) -> str:
    day = FIRST_DAY + dt.timedelta(days=rng.randrange(DAYS))
    roll = rng.random()
    if roll < 0.78:
        return day.isoformat()
    if roll < 0.84:
        return day.isoformat()[:7]
    if roll < 0.89:
        return day.isoformat() + "~"
    if roll < 0.93:
        return day.isoformat() + "?"
    if roll < 0.99:
        last = day + dt.timedelta(days=rng.randrange(1, 31))
        return f"{day.isoformat()}{'~' if roll < 0.96 else ''}/{last.isoformat()}"
    if roll < 0.996:
        return f"{day.isoformat()}/.."
    return f"../{day.isoformat()}"


def _worded_date(text: str, anchor: dt.date, memo: dict) -> str | None:
    """The date ``text`` gives against ``anchor`` (as ``timeline validate`` re-checks it), or None."""
    key = (text, anchor)
    if key not in memo:
        from timeline.resolve import ResolveError, guess_tense, resolve

        try:
            memo[key] = resolve(text, anchor, tense=guess_tense(text)).edtf
        except ResolveError:
            memo[key] = None
    return memo[key]


def generate_store(folder: Path, size: int, seed: int = 2016) -> Path:
    """Write events.csv (``size`` events) and actors.csv into ``folder``; reuse them if already there."""
    events = folder / "events.csv"
    marker = folder / "generated.json"
    wanted = {"version": GENERATOR_VERSION, "size": size, "seed": seed}
    if events.exists() and marker.exists() and json.loads(marker.read_text()) == wanted:
        return events
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    registry = make_registry(rng)
    with open(folder / "actors.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["name", "aliases", "type", "member_of", "notes"])
        for name, aliases, kind, member_of in registry:
            writer.writerow([name, ";".join(aliases), kind, member_of, ""])
    speakers = [(name, aliases) for name, aliases, kind, _ in registry if kind != "side"]
    worded: dict = {}
    started = time.perf_counter()
    with open(events, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(COLUMNS)
        for i in range(size):
            name, aliases = rng.choice(speakers)
            actor = rng.choice(aliases) if aliases and rng.random() < 0.2 else name
            date = _date(rng)
            anchor_day = FIRST_DAY + dt.timedelta(days=rng.randrange(DAYS))
            date_text = rng.choice(DATE_TEXTS)
            has_anchor = rng.random() < 0.6
            if date_text and has_anchor:  # a date with its words: the one they give, as validate checks
                date = _worded_date(date_text, anchor_day, worded) or date
            quote = _text(rng, rng.randint(50, 110)) if rng.random() < 0.7 else ""
            if quote and rng.random() < 0.01:
                quote = quote[:40] + '\n"' + quote[40:] + '", he said'
            outlet = rng.choice(OUTLETS)
            writer.writerow([
                f"ev-{i:07d}-{actor.split()[0].lower()}",
                date,
                actor,
                "statement" if rng.random() < 0.5 else "action",
                _text(rng, rng.randint(70, 130)),
                date_text,
                anchor_day.isoformat() if has_anchor else "",
                ";".join(rng.choice(speakers)[0] for _ in range(rng.randrange(4))),
                rng.choice(EVENT_TYPES),
                quote,
                rng.choice(PLACES),
                outlet,
                f"https://news.example.org/{anchor_day:%Y/%m}/{i}-{outlet.lower().replace(' ', '-')}",
                anchor_day.isoformat() + ("?" if rng.random() < 0.1 else ""),
                f"{outlet}, citing {rng.choice(OUTLETS)}" if rng.random() < 0.5 else outlet,
                _text(rng, rng.randint(30, 90)) if rng.random() < 0.8 else "",
            ])
    marker.write_text(json.dumps(wanted))
    print(f"  generated {events} ({size:,} events, {events.stat().st_size / 2**20:.0f} MiB) "
          f"in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return events


def group_names(folder: Path, group: str) -> list[str]:
    """Every spelling the actor filter accepts for ``group``: its names and aliases and its members'."""
    with open(folder / "actors.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    chosen = [row for row in rows if row["name"] == group or row["member_of"] == group]
    return sorted({n for row in chosen for n in [row["name"], *filter(None, row["aliases"].split(";"))]})


def measure(command: list[str], output: Path) -> tuple[float, float, int]:
    """Run one process with stdout to ``output``: (wall seconds, peak RSS MiB, exit code)."""
    with open(output, "wb") as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, stderr=err)
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode:
            err.seek(0)
            sys.exit(f"failed ({process.returncode}): {' '.join(command)}\n{err.read().decode()}")
    return elapsed, usage.ru_maxrss / 1024, process.returncode


def count_rows(path: Path) -> int:
    with open(path, newline="", encoding="utf-8") as handle:
        return sum(1 for _ in csv.reader(handle)) - 1


def timeline_command() -> list[str]:
    """``python -m timeline`` with this interpreter: the code on PYTHONPATH, no launcher script (a pyenv shim
    would add a shell start-up to every measurement)."""
    return [sys.executable, "-m", "timeline"]


def bench_size(size: int, folder: Path, repeats: int, results: list, checks: list) -> None:
    events = generate_store(folder, size)
    from timeline.store.index import cache_files
    out = folder / "out.csv"
    subprocess.run(["cat", str(events)], stdout=subprocess.DEVNULL, check=True)  # warm the OS page cache
    with open(folder / "actors.csv", newline="", encoding="utf-8") as handle:
        group = next(row["name"] for row in csv.DictReader(handle) if row["name"].startswith("Group 07 "))
    cases = [
        ("1-week window", ["--from", WINDOW[0], "--to", WINDOW[1]], (WINDOW[0], WINDOW[1], [], "")),
        (f"actor+kind ({group!r}, {KIND})", ["--actor", group, "--kind", KIND],
         ("", "", group_names(folder, group), KIND)),
    ]
    for label, flags, (low, high, actors, kind) in cases:
        duck_cmd = [sys.executable, "-c", DUCKDB_SCRIPT, str(events), low, high, json.dumps(actors), kind]
        duck = [measure(duck_cmd, out) for _ in range(repeats)]
        duck_rows = count_rows(out)
        tl_cmd = [*timeline_command(), "query", *flags, "--format", "csv", "--store", str(events)]
        cold = []
        for _ in range(repeats):
            for file in cache_files(events):
                file.unlink(missing_ok=True)
            cold.append(measure(tl_cmd, out))
        cold_rows = count_rows(out)
        rerun = [measure(tl_cmd, out) for _ in range(repeats)]
        rerun_rows = count_rows(out)
        duck_s = statistics.median(t for t, _, _ in duck)
        for case, runs in (("cold", cold), ("re-run", rerun)):
            tl_s = statistics.median(t for t, _, _ in runs)
            peak = max(m for _, m, _ in runs)
            results.append((f"{label}, {case}", size, tl_s, duck_s, peak))
        checks.append((size, label, cold_rows, rerun_rows, duck_rows, max(m for _, m, _ in duck)))
    # Issue 14: validate within 2x a cold query; a render of the whole store (counts above --max-events)
    # within 1 GB and 2x a cold query. Each with no index, then with the index it built.
    commands = [("`timeline validate`", ["validate", "--store", str(events)]),
                ("`timeline render`", ["render", "--store", str(events), "-o", str(folder / "page.html")])]
    for name, args in commands:
        for case, clear in ((f"{name}, no index", True), (f"{name}, index up to date", False)):
            runs = []
            for _ in range(repeats):
                if clear:
                    for file in cache_files(events):
                        file.unlink(missing_ok=True)
                runs.append(measure([*timeline_command(), *args], out))
            results.append((case, size, statistics.median(t for t, _, _ in runs), None, max(m for _, m, _ in runs)))

def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100000,1000000", help="comma-separated store sizes (events)")
    parser.add_argument("--repeats", type=int, default=3, help="runs per measurement; the median is shown")
    parser.add_argument("--workdir", type=Path, help="keep generated stores here and reuse them (default: a temp dir)")
    args = parser.parse_args(argv)
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="timeline-bench-"))
    # Byte-code as an installed package has it (pip compiles it); with PYTHONDONTWRITEBYTECODE set, every
    # process would otherwise compile timeline's modules again (~0.08 s here).
    import timeline

    subprocess.run([sys.executable, "-m", "compileall", "-q", str(Path(timeline.__file__).parent)],
                   stdout=subprocess.DEVNULL, check=True)
    results, checks = [], []
    try:
        for size in sizes:
            print(f"size {size:,} ...", file=sys.stderr)
            bench_size(size, workdir / f"store-{size}", args.repeats, results, checks)
        helps = [measure([*timeline_command(), "--help"], workdir / "help.txt") for _ in range(max(5, args.repeats))]
    finally:
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)

    load = os.getloadavg()
    print(f"Machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}; median of {args.repeats} runs; "
          f"cold = index deleted, OS page cache warm; load average at the end {load[0]:.1f} / {load[1]:.1f} / "
          f"{load[2]:.1f} (1 / 5 / 15 min).\n")
    print("| case | events | timeline s | duckdb s | timeline / duckdb | peak RSS MiB |")
    print("|---|---:|---:|---:|---:|---:|")
    for case, size, tl_s, duck_s, peak in results:
        duck = f"{duck_s:.2f}" if duck_s is not None else "-"
        ratio = f"{tl_s / duck_s:.2f}" if duck_s is not None else "-"
        print(f"| {case} | {size:,} | {tl_s:.2f} | {duck} | {ratio} | {peak:.0f} |")
    help_s = statistics.median(t for t, _, _ in helps)
    print(f"| `timeline --help` | - | {help_s:.3f} | - | - | {max(m for _, m, _ in helps):.0f} |")

    print("\nRow counts (timeline cold / re-run / duckdb; duckdb peak RSS MiB):")
    for size, label, cold_rows, rerun_rows, duck_rows, duck_peak in checks:
        same = "same" if cold_rows == rerun_rows == duck_rows else "DIFFERENT"
        print(f"- {size:,} {label}: {cold_rows} / {rerun_rows} / {duck_rows} ({same}); duckdb {duck_peak:.0f} MiB")

    print("\nTargets:")
    for size in sizes:
        rows = [r for r in results if r[1] == size]
        colds = [(case, tl_s, duck_s) for case, _, tl_s, duck_s, _ in rows if case.endswith(", cold")]
        for case, tl_s, duck_s, _peak in [(c, t, d, p) for c, _, t, d, p in rows if c.endswith(", re-run")]:
            if size >= 10_000_000:
                limit = TARGETS["week re-run s"] if case.startswith("1-week") else TARGETS["actor re-run s"]
                print(f"- {size:,} {case}: at most {limit} s: {tl_s:.2f} s -> {_met(tl_s <= limit)}")
            elif case.startswith("1-week"):
                limit = TARGETS["1M week re-run vs duckdb"]
                print(f"- {size:,} {case}: at most {limit}x DuckDB: {tl_s / duck_s:.2f}x -> "
                      f"{_met(tl_s <= limit * duck_s)}")
        if size < 10_000_000:  # the other targets are for 10M events
            continue
        for case, tl_s, duck_s in colds:
            print(f"- {size:,} {case}: at most 1.0x DuckDB: {tl_s / duck_s:.2f}x -> {_met(tl_s <= duck_s)}")
        peak = max(p for c, *_, p in rows if not c.startswith("`timeline render`"))
        print(f"- {size:,} peak RSS at most {TARGETS['peak MiB']} MiB: {peak:.0f} MiB -> "
              f"{_met(peak <= TARGETS['peak MiB'])}")
        validate = next(t for c, _, t, _, _ in rows if c == "`timeline validate`, no index")
        fastest = min(t for _, t, _ in colds)
        within = validate <= TARGETS["validate vs cold"] * fastest
        print(f"- {size:,} `timeline validate` (no index) within 2x the fastest cold query: {validate:.2f} s vs "
              f"{fastest:.2f} s = {validate / fastest:.2f}x -> {_met(within)}")
        for case, _, tl_s, _, peak in (r for r in rows if r[0].startswith("`timeline render`")):
            ok = tl_s <= TARGETS["render vs cold"] * fastest and peak <= TARGETS["render MiB"]
            print(f"- {size:,} {case}: at most {TARGETS['render MiB']} MiB and 2x the fastest cold query: "
                  f"{peak:.0f} MiB, {tl_s / fastest:.2f}x -> {_met(ok)}")
    print(f"- `timeline --help` < 0.15 s: {help_s:.3f} s -> {_met(help_s < TARGETS['--help s'])}")


def _met(ok: bool) -> str:
    return "met" if ok else "MISSED"


if __name__ == "__main__":
    main()
