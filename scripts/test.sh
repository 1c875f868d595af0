#!/usr/bin/env bash
# Installs everything the test suite needs on a fresh machine, then runs it.
# Usage: bash scripts/test.sh [pytest arguments]
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-browser.sh
python3 -m pip install -q --disable-pip-version-check -e '.[test,cluster]'  # cluster: tests/test_cluster.py
if [ -f tests/js/package.json ]; then
  if ! command -v npm >/dev/null; then  # TimelineJS for the browser test comes from the npm registry
    SUDO=""; if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
    echo "Installing Debian's npm for the TimelineJS browser test..." >&2
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq npm >/dev/null
  fi
  npm --prefix tests/js install --silent --no-audit --no-fund >/dev/null
fi
exec python3 -m pytest "$@"
