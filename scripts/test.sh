#!/usr/bin/env bash
# Installs everything the test suite needs on a fresh machine, then runs it.
# Usage: bash scripts/test.sh [pytest arguments]
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-browser.sh
python3 -m pip install -q --disable-pip-version-check -e '.[test]'
if [ -f tests/js/package.json ]; then
  npm --prefix tests/js install --silent --no-audit --no-fund >/dev/null
fi
exec python3 -m pytest "$@"
