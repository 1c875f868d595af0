"""Render a store and save a screenshot of the page in headless Chromium.

Usage: python scripts/screenshot.py [--store events.csv] [--size 1280x720] OUT.png [more timeline render options]

The README's screenshots, from the repository root:

    python scripts/screenshot.py docs/seed-timeline.png
    python scripts/screenshot.py --size 390x844 docs/seed-timeline-phone.png
    python -m timeline import ../shared/data/ucdp-ged-sample-1000.csv --from ucdp-ged --create \
        --store /tmp/ucdp/events.csv
    python scripts/screenshot.py --store /tmp/ucdp/events.csv docs/ucdp-timeline.png
    python scripts/screenshot.py --store /tmp/ucdp/events.csv --size 390x844 docs/ucdp-timeline-phone.png
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]  # this checkout of timeline, and tests/browser.py


def main(argv=None) -> int:
    from browser import missing_reason, screenshot
    from click.testing import CliRunner

    from timeline.cli.render_cmd import render

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", help="the PNG to write")
    parser.add_argument("--store", default=str(ROOT / "events.csv"))
    parser.add_argument("--size", default="1280x720", help="viewport WIDTHxHEIGHT (default 1280x720)")
    args, render_args = parser.parse_known_args(argv)
    reason = missing_reason()
    if reason:
        print(reason, file=sys.stderr)
        return 1
    width, height = (int(v) for v in args.size.lower().split("x"))
    with tempfile.TemporaryDirectory() as folder:
        page = Path(folder) / "timeline.html"
        result = CliRunner().invoke(render, ["--store", args.store, "-o", str(page), *render_args])
        if result.exit_code:
            print(result.output, file=sys.stderr, end="")
            return result.exit_code
        screenshot(page, args.output, width=width, height=height)
    print(f"Wrote {args.output} ({width}x{height})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
