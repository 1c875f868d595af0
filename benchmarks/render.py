"""Benchmark ``timeline render`` against a naive ``plotly.express.scatter`` of the same events.

For each size it writes a synthetic store (realistic text lengths), then measures build time
(query + figure + HTML), HTML size and load time in headless Chromium (navigation until the
plot has been drawn and its post-script ran), and prints a Markdown table.

    python benchmarks/render.py                       # 1k, 10k and 100k events
    python benchmarks/render.py --sizes 1000,10000 --runs 5
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

SIDES = ["pro-government forces", "opposition and backers", "jihadist groups", "international diplomacy",
         "analysts and media"]
WORDS = ("forces offensive ceasefire talks officials said airstrikes province rebels militia government "
         "agreement reported according statement minister negotiations humanitarian convoy border city "
         "fighting casualties withdrawal envoy resolution council sanctions").split()


def _sentence(rng: random.Random, length: int) -> str:
    words, size = [], 0
    while size < length:
        word = rng.choice(WORDS)
        words.append(word)
        size += len(word) + 1
    return " ".join(words).capitalize()


def write_store(folder: Path, n: int, seed: int = 4) -> Path:
    """A synthetic events.csv + actors.csv of ``n`` events over three years, 40 actors in 5 sides."""
    rng = random.Random(seed)
    actors = [(f"Actor {i:02d} {_sentence(rng, 8)}", SIDES[i % len(SIDES)]) for i in range(40)]
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
                f"e{i}", date, name, rng.choice(["statement", "action"]), _sentence(rng, rng.randint(60, 180)),
                rng.choice(["on Friday", "last week", "yesterday", ""]), (day + dt.timedelta(days=1)).isoformat(),
                _sentence(rng, rng.randint(40, 160)) if rng.random() < 0.5 else "", _sentence(rng, 12),
                rng.choice(["Reuters", "AFP", "Al Jazeera", "MintPress News"]),
                f"https://example.org/news/{day:%Y/%m/%d}/story-{i}", _sentence(rng, rng.randint(20, 70)),
                _sentence(rng, rng.randint(0, 120)),
            ])
    return folder / "events.csv"


def build_ours(store: Path, out: Path) -> None:
    from timeline.render import render_html

    render_html(store, out)


def build_naive(store: Path, out: Path) -> None:
    import plotly.express as px

    from timeline.api import EventStore

    frame = EventStore(store).query()
    fig = px.scatter(frame, x="start", y="actor_canonical", color="side", symbol="kind",
                     hover_data=["summary", "quote", "date_text", "source", "source_chain"])
    fig.write_html(out, include_plotlyjs=True, post_script="window.timelineReady = true;")


def load_seconds(browser, page_path: Path, runs: int) -> float:
    """Median seconds from navigation to the drawn plot (its post-script sets window.timelineReady)."""
    times = []
    for _ in range(runs):
        context = browser.new_context(viewport={"width": 1280, "height": 720})
        page = context.new_page()
        started = time.perf_counter()
        page.goto(page_path.resolve().as_uri(), timeout=300_000)
        page.wait_for_function("window.timelineReady === true && !!document.querySelector('.main-svg')",
                               timeout=300_000)
        times.append(time.perf_counter() - started)
        context.close()
    return statistics.median(times)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000", help="comma-separated event counts")
    parser.add_argument("--runs", type=int, default=3, help="page loads per file (median reported)")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]

    from browser import launch, missing_reason
    from playwright.sync_api import sync_playwright

    reason = missing_reason()
    if reason:
        print(reason, file=sys.stderr)
        return 1
    results = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        browser = launch(playwright)
        for n in sizes:
            folder = Path(tmp) / str(n)
            folder.mkdir()
            store = write_store(folder, n)
            row = {"n": n}
            for name, build in (("ours", build_ours), ("naive", build_naive)):
                out = folder / f"{name}.html"
                started = time.perf_counter()
                build(store, out)
                row[f"{name}_build"] = time.perf_counter() - started
                row[f"{name}_mb"] = out.stat().st_size / 1e6
                row[f"{name}_load"] = load_seconds(browser, out, args.runs)
                print(f"{n:>7,} {name:5}: build {row[f'{name}_build']:.2f} s, {row[f'{name}_mb']:.2f} MB, "
                      f"load {row[f'{name}_load']:.2f} s", file=sys.stderr)
            results.append(row)
        browser.close()

    base = results[0]["ours_load"]
    print(f"| events | build s (naive) | HTML MB (naive) | load s (naive) | load vs naive | load vs {sizes[0]:,} |")
    print("|---:|---:|---:|---:|---:|---:|")
    for r in results:
        print(f"| {r['n']:,} | {r['ours_build']:.2f} ({r['naive_build']:.2f}) | {r['ours_mb']:.2f} "
              f"({r['naive_mb']:.2f}) | {r['ours_load']:.2f} ({r['naive_load']:.2f}) | "
              f"{r['ours_load'] / r['naive_load']:.2f}x | {r['ours_load'] / base:.2f}x |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
