"""Benchmark ``timeline extract``: model load time, sentences per second on real news, and linear scaling.

Measured in one run and printed as Markdown tables:

- start-up: ``timeline --help`` as a process (the model must not load) and, in a fresh process,
  importing ``timeline.extract`` and loading the shipped model;
- the 60 MEANTIME dev articles (``../shared/data/meantime-dev``): sentences per second of the whole
  extraction (the model already loaded), of the parser alone, and of the evaluation's baseline
  (a regex and dateutil per sentence) as the point of comparison;
- pasted inputs of 25k and 100k characters ("between " repeated, plain words in one sentence,
  ordinary dated sentences): this process's CPU seconds (a busy machine inflates wall time) and the
  ratio between the two sizes (4 for linear work).

    python benchmarks/extract.py
    python benchmarks/extract.py --repeats 5
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
MEANTIME = ROOT.parent / "shared" / "data" / "meantime-dev"
PASTED = [
    ("'between ' repeated", "between "),
    ("plain words, one sentence", "the officials of the ministry discussed plans with rivals and "),
    ("dated sentences", "On Monday, the ministry said that rebels captured the town. "),
]


def _median_seconds(function, repeats: int, clock=time.perf_counter) -> float:
    times = []
    for _ in range(repeats):
        start = clock()
        function()
        times.append(clock() - start)
    return statistics.median(times)


def _process_seconds(code: str, repeats: int) -> float:
    return _median_seconds(lambda: subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT), repeats)


def startup(repeats: int) -> list[str]:
    """Rows: --help, import, model load."""
    help_time = _median_seconds(lambda: subprocess.run([sys.executable, "-m", "timeline", "--help"], check=True,
                                                       cwd=ROOT, capture_output=True), repeats)
    bare = _process_seconds("pass", repeats)
    imported = _process_seconds("import timeline.extract", repeats)
    loaded = _process_seconds("from timeline.extract.parse import load_model; load_model()", repeats)
    return [f"| `timeline --help` (process) | {help_time:.3f} s |",
            f"| python start-up alone (the baseline) | {bare:.3f} s |",
            f"| `import timeline.extract` (process) | {imported:.3f} s ({imported / bare:.1f}x start-up) |",
            f"| import + load the model (process) | {loaded:.3f} s (model load {loaded - imported:.3f} s) |"]


def dev_articles(repeats: int) -> list[str]:
    """Rows: sentences per second on the 60 MEANTIME dev articles."""
    import importlib.util

    from timeline.extract import extract, split_sentences
    from timeline.extract.parse import parse

    spec = importlib.util.spec_from_file_location("extract_eval", ROOT / "eval" / "extract_eval.py")
    ev = importlib.util.module_from_spec(spec)
    sys.modules["extract_eval"] = ev
    spec.loader.exec_module(ev)
    articles = ev._read_tsv(MEANTIME / "articles.tsv")
    texts = [((MEANTIME / a["path"]).read_text(encoding="utf-8"), dt.date.fromisoformat(a["dct"])) for a in articles]
    sentences = [s.text for text, _ in texts for s in split_sentences(text)]
    parse(["Warm-up sentence."])

    def run_tool():
        for text, day in texts:
            extract(text, published=day, undated=True)

    n = len(sentences)
    rows = [f"| sentences (60 articles) | {n} | |"]
    for name, function in [("`extract()` with the parser", run_tool), ("the parser alone (`nlp.pipe`)",
                                                                       lambda: parse(sentences)),
                           ("baseline (regex + dateutil)", lambda: [ev.baseline(t, d) for t, d in texts])]:
        wall = _median_seconds(function, repeats)
        cpu = _median_seconds(function, repeats, clock=time.process_time)
        rows.append(f"| {name} | {wall:.2f} s, {n / wall:.0f} sentences/s | {cpu:.2f} s, **{n / cpu:.0f} "
                    "sentences/s** |")
    return rows


def pasted(repeats: int) -> list[str]:
    """Rows: pasted inputs at two sizes."""
    from timeline.extract import extract

    rows = []
    for name, unit in PASTED:
        times = {}
        for size in (25_000, 100_000):
            text = unit * (size // len(unit)) + "."
            times[size] = _median_seconds(lambda text=text: extract(text, published="2016-02-13", undated=True),
                                          repeats, clock=time.process_time)
        rows.append(f"| {name} | {times[25_000]:.2f} s | {times[100_000]:.2f} s | "
                    f"{times[100_000] / times[25_000]:.1f} |")
    return rows


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark timeline extract.")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    print("| start-up | time (median) |\n|---|---:|")
    print("\n".join(startup(args.repeats)))
    print()
    if (MEANTIME / "articles.tsv").exists():
        print("| MEANTIME dev | wall time (median) | CPU time of this process |\n|---|---:|---:|")
        print("\n".join(dev_articles(args.repeats)))
    else:
        print(f"MEANTIME dev skipped: {MEANTIME} is absent")
    print()
    print("| pasted input (CPU seconds of this process) | 25k characters | 100k characters | ratio (4 = linear) |"
          "\n|---|---:|---:|---:|")
    print("\n".join(pasted(args.repeats)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
