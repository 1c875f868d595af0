"""Benchmark ``timeline import --from gdelt2`` against DuckDB loading the same GDELT day into a table.

Run by hand (a few minutes; use ``nice`` on a shared machine)::

    nice python benchmarks/gdelt.py
    nice python benchmarks/gdelt.py --rows 200000 --repeats 3 --big-days 5 --workdir /tmp/gdelt-bench

It writes a synthetic GDELT 2.0 day (seeded: ``--rows`` events of 61 tab-separated fields with realistic
values, about 430 bytes a line), then times, as whole processes from launch to exit with their peak RSS
(``ru_maxrss`` from ``os.wait4``), median of ``--repeats``:

- ``timeline import DAY --from gdelt2 --create`` into a fresh store;
- DuckDB (in memory) ``CREATE TABLE events AS SELECT * FROM read_csv(DAY, delim='\\t', header=false,
  columns={...})`` with the 61 GDELT columns, typed as the codebook types them, and again all VARCHAR;
- with ``--big-days N``: ``timeline import`` of a new day into a store that already holds N days
  (N x ``--rows`` events, imported first, its cache built by a query), each repeat a further day;
- ``timeline validate`` and ``timeline render`` of the fresh store (and of the big one).

The target (issue 14): the import within 2x DuckDB's load time (the faster DuckDB variant).
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from timeline.exchange.gdelt import GDELT2_FIELDS  # noqa: E402

TARGET = 2.0  # import time / DuckDB load time

# Codebook types of the GDELT 2.0 fields (FLOAT -> DOUBLE, INTEGER -> BIGINT), in GDELT2_FIELDS order.
_FLOATS = {"FractionDate", "GoldsteinScale", "AvgTone"} | {f for f in GDELT2_FIELDS if f.endswith(("_Lat", "_Long"))}
_INTEGERS = {"GLOBALEVENTID", "Day", "MonthYear", "Year", "IsRootEvent", "QuadClass", "NumMentions", "NumSources",
             "NumArticles", "DATEADDED"} | {f for f in GDELT2_FIELDS if f.endswith("Geo_Type")}
TYPES = {f: "DOUBLE" if f in _FLOATS else "BIGINT" if f in _INTEGERS else "VARCHAR" for f in GDELT2_FIELDS}

DUCKDB_SCRIPT = r"""
import sys, json, duckdb
path, columns = sys.argv[1], json.loads(sys.argv[2])
con = duckdb.connect()
con.execute("SET enable_progress_bar = false")
spec = "{" + ", ".join(f"'{name}': '{kind}'" for name, kind in columns) + "}"
con.execute(f"CREATE TABLE events AS SELECT * FROM read_csv('{path}', delim = '\t', header = false, quote = '', "
            f"escape = '', auto_detect = false, columns = {spec})")
print(con.execute("SELECT count(*) FROM events").fetchone()[0])
"""

# A few hundred actors, as GDELT codes and names them (country, role, group).
COUNTRIES = [("SYR", "SYRIA", "SY", "Syria"), ("RUS", "RUSSIA", "RS", "Russia"), ("USA", "UNITED STATES", "US",
             "United States"), ("TUR", "TURKEY", "TU", "Turkey"), ("IRN", "IRAN", "IR", "Iran"),
             ("SAU", "SAUDI ARABIA", "SA", "Saudi Arabia"), ("IRQ", "IRAQ", "IZ", "Iraq"), ("GBR", "UNITED KINGDOM",
             "UK", "United Kingdom"), ("FRA", "FRANCE", "FR", "France"), ("DEU", "GERMANY", "GM", "Germany"),
             ("CHN", "CHINA", "CH", "China"), ("ISR", "ISRAEL", "IS", "Israel"), ("LBN", "LEBANON", "LE", "Lebanon"),
             ("JOR", "JORDAN", "JO", "Jordan"), ("EGY", "EGYPT", "EG", "Egypt"), ("IND", "INDIA", "IN", "India"),
             ("NGA", "NIGERIA", "NI", "Nigeria"), ("BRA", "BRAZIL", "BR", "Brazil"), ("UKR", "UKRAINE", "UP",
             "Ukraine"), ("AFG", "AFGHANISTAN", "AF", "Afghanistan")]
ROLES = [("GOV", "GOVERNMENT"), ("MIL", "MILITARY"), ("COP", "POLICE"), ("REB", "REBEL"), ("OPP", "OPPOSITION"),
         ("CVL", "CIVILIAN"), ("MED", "MEDIA"), ("BUS", "COMPANY"), ("JUD", "COURT"), ("LEG", "PARLIAMENT"),
         ("EDU", "STUDENT"), ("HLH", "HOSPITAL"), ("", "")]
CITIES = ["Aleppo, Halab", "Homs, Hims", "Damascus, Dimashq", "Moscow, Moskva", "Washington, District of Columbia",
          "Ankara, Ankara", "Tehran, Tehran", "Riyadh, Ar Riyad", "Baghdad, Baghdad", "London, London, City of",
          "Paris, Ile-de-France", "Berlin, Berlin", "Beijing, Beijing", "Beirut, Beyrouth", "Cairo, Al Qahirah"]
DOMAINS = ["reuters.com", "bbc.co.uk", "aljazeera.com", "nytimes.com", "theguardian.com", "washingtonpost.com",
           "dailystar.com.lb", "hurriyetdailynews.com", "presstv.ir", "rt.com", "news.yahoo.com", "timesofindia.com",
           "abc.net.au", "cnn.com", "france24.com", "dw.com", "alarabiya.net", "jpost.com", "haaretz.com", "tass.com"]
WORDS = ("syria talks ceasefire aleppo strikes russia rebels government turkey border refugees aid convoy "
         "minister says warns opposition forces army killed offensive city province munich deal geneva").split()
CODES = {1: ["010", "012", "013", "014", "015", "016", "017", "018", "019"], 2: ["020", "021", "023", "024", "026"],
         3: ["030", "031", "036", "037"], 4: ["040", "042", "043", "045", "046"], 5: ["050", "051", "057"],
         6: ["060", "061", "062"], 7: ["070", "071", "073", "074"], 8: ["080", "081", "083", "087"],
         9: ["090", "091"], 10: ["100", "101", "102", "106"], 11: ["110", "111", "112", "114"],
         12: ["120", "125", "128", "129"], 13: ["130", "131", "138"], 14: ["140", "141", "145"],
         15: ["150", "152", "154"], 16: ["160", "163", "166"], 17: ["170", "172", "173", "175"],
         18: ["180", "181", "182", "183", "186"], 19: ["190", "193", "194", "195"], 20: ["200", "201", "202"]}
# Share of each root in GDELT 2.0 (roughly: statements, consultations and cooperation are most of it).
ROOT_WEIGHTS = [14, 6, 6, 14, 4, 3, 4, 2, 2, 2, 7, 3, 2, 2, 2, 2, 5, 4, 5, 0.2]


def write_day(path: Path, rows: int, first_id: int, seed: int, day: str = "20160212") -> int:
    """A synthetic GDELT 2.0 daily file; return its size in bytes."""
    rng = random.Random(seed)
    year, month = int(day[:4]), int(day[4:6])
    actors = []
    for code, name, _, _ in COUNTRIES:
        for role, role_name in ROLES:
            actors.append((code + role, (name + " " + role_name).strip() if role else name, code))
    roots = list(CODES)
    event_id = first_id
    with open(path, "w", encoding="utf-8", newline="") as out:
        lines = []
        for _ in range(rows):
            event_id += rng.choice((1, 1, 1, 2))
            date = day if rng.random() < 0.9 else f"{year - rng.choice((0, 0, 1))}{month:02d}{rng.randint(1, 28):02d}"
            root = rng.choices(roots, ROOT_WEIGHTS)[0]
            code = rng.choice(CODES[root])
            a1 = rng.choice(actors) if rng.random() < 0.9 else ("", "", "")
            a2 = rng.choice(actors) if rng.random() < 0.7 else ("", "", "")
            country = rng.choice(COUNTRIES)
            city = rng.choice(CITIES)
            lat, lon = f"{rng.uniform(-60, 70):.4f}", f"{rng.uniform(-170, 170):.4f}"
            place = f"{city}, {country[3]}"

            def geo(actor, rng=rng, place=place, country=country, lat=lat, lon=lon):
                if not actor[0]:
                    return ["0", "", "", "", "", "", "", ""]
                return ["4", place, country[2], country[2] + "0" + str(rng.randint(1, 9)), "", lat, lon,
                        str(-rng.randint(1000000, 3000000))]

            slug = "-".join(rng.choices(WORDS, k=rng.randint(4, 10)))
            url = f"https://www.{rng.choice(DOMAINS)}/news/2016/02/{rng.randint(10, 12)}/{slug}-{rng.randint(1, 99999)}"
            mentions = max(1, int(rng.paretovariate(1.5)))
            fields = [
                str(event_id), date, date[:6], date[:4], f"{int(date[:4]) + (int(date[4:6]) - 1) / 12:.4f}",
                a1[0], a1[1], a1[2], "", "", "", "", a1[0][3:6], "", "",
                a2[0], a2[1], a2[2], "", "", "", "", a2[0][3:6], "", "",
                rng.choice("01"), code, code[:3], code[:2], str(1 + (root > 5) + 2 * (root > 9)),
                f"{rng.uniform(-10, 10):.1f}", str(mentions), str(max(1, mentions // 3)), str(mentions),
                repr(rng.uniform(-12, 8)), *geo(a1), *geo(a2), "4", place, country[2],
                country[2] + "0" + str(rng.randint(1, 9)), "", lat, lon, str(-rng.randint(1000000, 3000000)),
                f"{day}{rng.randint(0, 23):02d}{rng.choice(('00', '15', '30', '45'))}00", url,
            ]
            lines.append("\t".join(fields))
            if len(lines) >= 10000:
                out.write("\n".join(lines) + "\n")
                lines = []
        if lines:
            out.write("\n".join(lines) + "\n")
    return path.stat().st_size


def timed(args, cwd=None) -> tuple[float, float, str]:
    """Run a whole process; return (seconds, peak RSS MiB, stdout+stderr tail)."""
    start = time.perf_counter()
    process = subprocess.Popen(args, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(map(str, args))} failed ({process.returncode}):\n{output.decode()[-2000:]}")
    return elapsed, usage.ru_maxrss / 1024, output.decode()[-300:]


def timeline(*args):
    return [sys.executable, "-m", "timeline", *map(str, args)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--big-days", type=int, default=5, help="days already in the big store (0: skip it)")
    parser.add_argument("--workdir", type=Path)
    parser.add_argument("--no-render", action="store_true")
    options = parser.parse_args()
    work = options.workdir or Path(tempfile.mkdtemp(prefix="gdelt-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    os.environ["PYTHONPATH"] = str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")
    day = work / "20160212.export.CSV"
    size = write_day(day, options.rows, 498_000_000, seed=1)
    print(f"# GDELT 2.0 day: {options.rows:,} events, {size / 2**20:.1f} MiB ({day})", file=sys.stderr)
    import json

    results: dict[str, list[tuple[float, float]]] = {}

    def record(name, value):
        results.setdefault(name, []).append(value[:2])
        print(f"{name}: {value[0]:.2f} s, {value[1]:.0f} MiB", file=sys.stderr)

    typed = json.dumps([[f, TYPES[f]] for f in GDELT2_FIELDS])
    varchar = json.dumps([[f, "VARCHAR"] for f in GDELT2_FIELDS])
    fresh = work / "fresh"
    for _ in range(options.repeats):
        record("duckdb load (codebook types)", timed([sys.executable, "-c", DUCKDB_SCRIPT, day, typed]))
        record("duckdb load (all VARCHAR)", timed([sys.executable, "-c", DUCKDB_SCRIPT, day, varchar]))
        shutil.rmtree(fresh, ignore_errors=True)
        fresh.mkdir()
        record("timeline import, fresh store", timed(timeline("import", day, "--from", "gdelt2", "--create",
                                                              "--store", fresh / "events.csv")))
        record("timeline import again (all duplicates)", timed(timeline("import", day, "--from", "gdelt2",
                                                                        "--store", fresh / "events.csv")))
    record("timeline validate, fresh store", timed(timeline("validate", "--store", fresh / "events.csv")))
    if not options.no_render:
        record("timeline render, fresh store", timed(timeline("render", "-o", work / "fresh.html", "--store",
                                                              fresh / "events.csv")))
    if options.big_days:
        big = work / "big"
        shutil.rmtree(big, ignore_errors=True)
        big.mkdir()
        for number in range(options.big_days):
            extra = work / f"big-{number}.CSV"
            write_day(extra, options.rows, 400_000_000 + number * 2 * options.rows, seed=100 + number,
                      day=f"201602{number + 1:02d}")
            timed(timeline("import", extra, "--from", "gdelt2", "--create", "--store", big / "events.csv"))
            extra.unlink()
        timed(timeline("query", "--store", big / "events.csv", "--from", "2016-02-01", "--to", "2016-02-01",
                       "--format", "csv"))  # builds the cache, as any use of the store does
        for number in range(options.repeats):
            extra = work / f"next-{number}.CSV"
            write_day(extra, options.rows, 600_000_000 + number * 2 * options.rows, seed=200 + number,
                      day=f"201602{20 + number:02d}")
            record(f"timeline import into a {options.big_days * options.rows // 1000:,}k-event store",
                   timed(timeline("import", extra, "--from", "gdelt2", "--store", big / "events.csv")))
            extra.unlink()
        record("timeline validate, big store", timed(timeline("validate", "--store", big / "events.csv")))
        if not options.no_render:
            record("timeline render, big store", timed(timeline("render", "-o", work / "big.html", "--store",
                                                                big / "events.csv")))

    duck = min(statistics.median(t for t, _ in results[name]) for name in results if name.startswith("duckdb"))
    print(f"\n{options.rows:,}-event GDELT 2.0 day ({size / 2**20:.0f} MiB), median of {options.repeats}, "
          f"2 shared cores; ratio = time / fastest DuckDB load\n")
    print("| case | s | peak RSS MiB | ratio to DuckDB |")
    print("|---|---:|---:|---:|")
    for name, values in results.items():
        seconds = statistics.median(t for t, _ in values)
        peak = max(m for _, m in values)
        print(f"| {name} | {seconds:.2f} | {peak:.0f} | {seconds / duck:.2f} |")
    imported = statistics.median(t for t, _ in results["timeline import, fresh store"])
    verdict = "met" if imported <= TARGET * duck else "missed"
    print(f"\nTarget: import within {TARGET:.0f}x DuckDB's load: {imported / duck:.2f}x, {verdict}.")


if __name__ == "__main__":
    main()
