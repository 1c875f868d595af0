#!/usr/bin/env bash
# Installs timeline, checks the seed store and renders it to timeline.html (a self-contained page).
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m pip install -q --disable-pip-version-check -e .
timeline validate
timeline render -o timeline.html
echo "Open $(pwd)/timeline.html in a browser." >&2
