"""Benchmark ``timeline render`` against a naive Plotly page and a vis-timeline page of the same events.

For each store (the seed, the UCDP GED sample if ../shared/data holds it, and synthetic stores of the given
sizes) it writes three pages of the same events and measures, in the same run:

* ours: ``EventStore.render`` (the plotly.js partial bundle inline);
* naive Plotly: ``plotly.express.scatter`` of the events (one marker per event, hover with the same texts,
  the whole plotly.js inline), as a first Plotly attempt would be;
* vis-timeline 8 (tests/js/node_modules, ``npm --prefix tests/js install``): one item per event (its summary,
  a range for a span), one group per actor, the hover text as the item's title, the library inline.

It reports each page's size and its load time in headless Chromium (Debian's /usr/bin/chromium): the median
over ``--runs`` fresh pages of the time from the start of navigation until the page says it is drawn
(``performance.now()`` when our page's first draw ends, when the naive plot's post-script runs, when
vis-timeline's first ``changed`` event fires).  Peers are skipped above ``--peer-limit`` events.

    python benchmarks/render.py                               # seed, ucdp, 1k, 10k, 100k
    python benchmarks/render.py --sizes 1000000 --runs 1      # ours alone at 1M (a few minutes, ~3 GB)
    python benchmarks/render.py --sizes 1000000 --runs 1 --max-mb 25
"""

from __future__ import annotations

import argparse
import bisect
import csv
import datetime as dt
import html
import itertools
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]  # this checkout of timeline, and tests/browser.py
VIS = ROOT / "tests" / "js" / "node_modules" / "vis-timeline"
UCDP = ROOT.parent / "shared" / "data" / "ucdp-ged-sample-1000.csv"

SIDES = ["pro-government forces", "opposition and backers", "jihadist groups", "international diplomacy",
         "analysts and media"]
COMMON = ("forces offensive ceasefire talks officials said airstrikes province rebels militia government "
          "agreement reported according statement minister negotiations humanitarian convoy border city "
          "fighting casualties withdrawal envoy resolution council sanctions the of in and to a on at with "
          "for by from as after").split()
_SYLLABLES = ("ba ka ta ri mo lu se na di vo ge pa zi ro fe hu ja te li mu sa no ke do wi ar el in on us al ne ti "
              "ra qu").split()


class Text:
    """Sentences from a 6,000-word vocabulary with Zipf frequencies and some numbers.

    gzip shrinks them to about 0.29 of their size, as it does real news text at this volume (a 30-word
    vocabulary would shrink to 0.14 and flatter any page that packs its text).
    """

    def __init__(self, rng: random.Random):
        self.rng = rng
        words = list(COMMON)
        while len(words) < 6000:
            words.append("".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(1, 4))))
        self.words = words
        self.weights = list(itertools.accumulate(1 / (rank + 1) ** 1.05 for rank in range(len(words))))

    def sentence(self, length: int) -> str:
        out, size = [], 0
        while size < length:
            word = self.words[bisect.bisect(self.weights, self.rng.random() * self.weights[-1])]
            if self.rng.random() < 0.04:
                word = str(self.rng.randint(2, 900))
            out.append(word)
            size += len(word) + 1
        return " ".join(out).capitalize()


def write_store(folder: Path, n: int, seed: int = 4) -> Path:
    """A synthetic events.csv + actors.csv of ``n`` events over three years, 40 actors in 5 sides."""
    rng = random.Random(seed)
    text = Text(rng)
    actors = [(f"Actor {i:02d} {text.sentence(8)}", SIDES[i % len(SIDES)]) for i in range(40)]
    with open(folder / "actors.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["name", "aliases", "type", "member_of", "notes"])
        for side in SIDES:
            writer.writerow([side, "", "side", "", ""])
        for name, side in actors:
            writer.writerow([name, "", rng.choice(["state", "person", "armed group"]), side, ""])
    first = dt.date(2014, 1, 1)
    columns = ["id", "date", "actor", "kind", "summary", "date_text", "date_anchor", "quote", "place", "source",
               "source_url", "source_chain", "notes"]
    with open(folder / "events.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        for i in range(n):
            day = first + dt.timedelta(days=int(rng.triangular(0, 1095, 900)))
            roll = rng.random()
            if roll < 0.7:
                date = day.isoformat()
            elif roll < 0.8:
                date = f"{day:%Y-%m}"
            elif roll < 0.95:
                date = f"{day.isoformat()}/{(day + dt.timedelta(days=rng.randint(1, 40))).isoformat()}"
            elif roll < 0.98:
                date = f"{day.isoformat()}~"
            else:
                date = f"{day.isoformat()}/.."
            name, _ = actors[min(int(rng.expovariate(0.12)), 39)]
            writer.writerow([
                f"e{i}", date, name, rng.choice(["statement", "action"]), text.sentence(rng.randint(60, 180)),
                rng.choice(["on Friday", "last week", "yesterday", ""]), (day + dt.timedelta(days=1)).isoformat(),
                text.sentence(rng.randint(40, 160)) if rng.random() < 0.5 else "", text.sentence(12),
                rng.choice(["Reuters", "AFP", "Al Jazeera", "MintPress News"]),
                f"https://example.org/news/{day:%Y/%m/%d}/story-{i}", text.sentence(rng.randint(20, 70)),
                text.sentence(rng.randint(0, 120)),
            ])
    return folder / "events.csv"


def ucdp_store(folder: Path) -> Path | None:
    if not UCDP.exists():
        return None
    from timeline.api import EventStore

    store = EventStore(folder / "events.csv")
    store.import_file(UCDP, "ucdp-ged", create=True)
    return store.path


READY = "window.timelineReadyAt = performance.now(); window.timelineReady = true;"


MAX_MB = {}  # --max-mb for our page, if given


def build_ours(store: Path, out: Path) -> str:
    from timeline.api import EventStore

    result = EventStore(store).render(out, **MAX_MB)
    notes = [", ".join(result.left_out)] if result.left_out else []
    notes += [f"summaries cut to {result.summary_chars} characters"] if result.summary_chars else []
    return f"left out: {'; '.join(notes)}" if notes else ""


def _frame(store: Path):
    from timeline.api import EventStore

    return EventStore(store).query()


def build_naive(store: Path, out: Path) -> str:
    import plotly.express as px

    frame = _frame(store)
    for column in ("summary", "quote", "date_text", "source", "source_chain"):
        if column not in frame:
            frame[column] = ""
    fig = px.scatter(frame, x="start", y="actor_canonical", color="side", symbol="kind",
                     hover_data=["summary", "quote", "date_text", "source", "source_chain"])
    fig.write_html(out, include_plotlyjs=True, post_script=READY)
    return ""


def build_vis(store: Path, out: Path) -> str:
    frame = _frame(store)
    groups = sorted(set(frame["actor_canonical"]))
    index = {name: number for number, name in enumerate(groups)}

    def cell(row, name):
        value = row.get(name)
        return "" if value is None or value != value else str(value)

    items = []
    for number, row in enumerate(frame.to_dict("records")):
        start, end = row["start"], row["end"]
        start = start or end
        item = {"id": number, "group": index[row["actor_canonical"]], "content": html.escape(cell(row, "summary")),
                "start": start.isoformat(),
                "title": html.escape(" | ".join(filter(None, (cell(row, c) for c in ("summary", "date", "quote",
                                                                                       "source")))))}
        if end and end != start:
            item.update(end=(end + dt.timedelta(days=1)).isoformat(), type="range")
        else:
            item["type"] = "point"
        items.append(item)
    script = (VIS / "standalone" / "umd" / "vis-timeline-graph2d.min.js").read_text(encoding="utf-8")
    style = (VIS / "styles" / "vis-timeline-graph2d.min.css").read_text(encoding="utf-8")
    data = json.dumps({"items": items, "groups": [{"id": k, "content": html.escape(g)} for k, g in enumerate(groups)]})
    data = data.replace("</", "<\\/")
    page = f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>vis-timeline</title><style>{style}</style>
</head><body><div id="vis"></div><script>{script}</script><script>
var data = {data};
var timeline = new vis.Timeline(document.getElementById('vis'), new vis.DataSet(data.items),
  new vis.DataSet(data.groups), {{stack: true, maxHeight: 720, verticalScroll: true, zoomKey: 'ctrlKey'}});
timeline.once('changed', function () {{ {READY} }});
</script></body></html>"""
    out.write_text(page, encoding="utf-8")
    return ""


def load_seconds(browser, page_path: Path, runs: int, timeout: float) -> float | None:
    """Median seconds from the start of navigation until the page is drawn; None if it never is in time."""
    times = []
    for _ in range(runs):
        context = browser.new_context(viewport={"width": 1280, "height": 720})
        page = context.new_page()
        try:
            page.goto(page_path.resolve().as_uri(), timeout=timeout * 1000)
            deadline = time.monotonic() + timeout
            while not page.evaluate("window.timelineReady === true"):
                if time.monotonic() > deadline:
                    return None
                page.wait_for_timeout(20)
            times.append(page.evaluate("window.timelineReadyAt") / 1000)
        except Exception as exc:  # a page that crashes the tab or never loads
            print(f"  {page_path.name}: {type(exc).__name__}: {str(exc).splitlines()[0]}", file=sys.stderr)
            return None
        finally:
            context.close()
    return statistics.median(times)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="seed,ucdp,1000,10000,100000",
                        help="comma-separated: seed, ucdp and event counts (default: %(default)s)")
    parser.add_argument("--runs", type=int, default=5, help="page loads per file (median reported)")
    parser.add_argument("--peer-limit", type=int, default=100_000, help="largest store the peers are run on")
    parser.add_argument("--timeout", type=float, default=120, help="seconds a page may take to load")
    parser.add_argument("--max-mb", type=float, help="the cap on our page (timeline render --max-mb; default 8)")
    parser.add_argument("--workdir", help="keep the synthetic stores here and reuse them (default: a temp folder)")
    args = parser.parse_args(argv)
    if args.max_mb:
        MAX_MB["max_mb"] = args.max_mb

    from browser import launch, missing_reason
    from playwright.sync_api import sync_playwright

    reason = missing_reason()
    if reason:
        print(reason, file=sys.stderr)
        return 1
    if not VIS.exists():
        print(f"{VIS} not found: run npm --prefix tests/js install", file=sys.stderr)
        return 1
    results = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        browser = launch(playwright)
        for size in [s.strip() for s in args.sizes.split(",") if s.strip()]:
            folder = Path(args.workdir or tmp) / size
            folder.mkdir(parents=True, exist_ok=True)
            if size == "seed":
                store = ROOT / "events.csv"
            elif size == "ucdp":
                store = folder / "events.csv" if (folder / "events.csv").exists() else ucdp_store(folder)
                if store is None:
                    print(f"{UCDP} not found: skipping the UCDP sample", file=sys.stderr)
                    continue
            elif args.workdir and (folder / "events.csv").exists():
                store = folder / "events.csv"
            else:
                started = time.perf_counter()
                store = write_store(folder, int(size))
                print(f"{size}: store written in {time.perf_counter() - started:.1f} s", file=sys.stderr)
            count = len(_frame(store)) if size in ("seed", "ucdp") else int(size)
            row = {"name": size, "n": count, "note": ""}
            for name, build in (("ours", build_ours), ("naive", build_naive), ("vis", build_vis)):
                if name != "ours" and count > args.peer_limit:
                    continue
                out = folder / f"{name}.html"
                started = time.perf_counter()
                note = build(store, out)
                row[f"{name}_build"] = time.perf_counter() - started
                row[f"{name}_mb"] = out.stat().st_size / 1e6
                row[f"{name}_load"] = load_seconds(browser, out, args.runs, args.timeout)
                row["note"] = row["note"] or note
                load = row[f"{name}_load"]
                print(f"{size:>7} {name:5}: build {row[f'{name}_build']:.2f} s, {row[f'{name}_mb']:.2f} MB, "
                      f"load {'%.2f s' % load if load is not None else 'not drawn in time'} {note}",
                      file=sys.stderr)
                out.unlink()
            results.append(row)
        browser.close()
    print(table(results))
    return 0


def table(results) -> str:
    def load(row, name):
        value = row.get(f"{name}_load", "-")
        return "-" if value == "-" else "timeout" if value is None else f"{value:.2f}"

    def size(row, name):
        return f"{row[f'{name}_mb']:.2f}" if f"{name}_mb" in row else "-"

    def ratio(row, name):
        ours, other = row.get("ours_load"), row.get(f"{name}_load")
        return f"{ours / other:.2f}x" if ours and other else "-"

    lines = ["| store | events | ours MB | ours load s | naive Plotly MB | naive load s | vis-timeline MB | "
             "vis-timeline load s | ours / naive | ours / vis-timeline | ours: left out |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
    for row in results:
        name = row["name"] if not row["name"].isdigit() else "synthetic"
        lines.append(f"| {name} | {row['n']:,} | {size(row, 'ours')} | {load(row, 'ours')} | {size(row, 'naive')} | "
                     f"{load(row, 'naive')} | {size(row, 'vis')} | {load(row, 'vis')} | {ratio(row, 'naive')} | "
                     f"{ratio(row, 'vis')} | {row['note'].removeprefix('left out: ') or '-'} |")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
