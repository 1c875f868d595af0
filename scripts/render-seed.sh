#!/usr/bin/env bash
# Installs timeline and renders the seed timeline (events.csv) to timeline.html.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m pip install -q --disable-pip-version-check -e .
timeline validate
if timeline render --help >/dev/null 2>&1; then
  timeline render -o timeline.html
  echo "Wrote $(pwd)/timeline.html" >&2
else
  timeline query
fi
