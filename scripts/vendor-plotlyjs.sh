#!/usr/bin/env bash
# Refreshes the plotly.js partial bundle that `timeline render` inlines in its pages.
#
# It takes the npm package plotly.js-cartesian-dist-min (scatter, bar, heatmap and the other cartesian
# traces; about 1.5 MB against 4.8 MB for the full bundle) at the version of the plotly.js that the
# installed plotly.py bundles, and copies its minified bundle and its licence into
# timeline/render/vendor/.  Run it after upgrading plotly.py, then run the render tests.
#
#   bash scripts/vendor-plotlyjs.sh            # the version plotly.py bundles
#   bash scripts/vendor-plotlyjs.sh 4.1.1      # a given version
set -euo pipefail
cd "$(dirname "$0")/.."
version="${1:-$(python3 -c 'from plotly.offline import get_plotlyjs_version; print(get_plotlyjs_version())')}"
package="plotly.js-cartesian-dist-min@${version}"
target=timeline/render/vendor
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "$package" >/dev/null && tar -xzf ./*.tgz)
head -c 200 "$work/package/plotly-cartesian.min.js" | grep -q "plotly.js (cartesian - minified) v${version}" \
  || { echo "error: $package does not hold plotly.js v${version}" >&2; exit 1; }
mkdir -p "$target"
cp "$work/package/plotly-cartesian.min.js" "$target/plotly-cartesian.min.js"
cp "$work/package/LICENSE" "$target/LICENSE-plotly.js.txt"
{
  echo "plotly-cartesian.min.js: npm package ${package} (https://www.npmjs.com/package/plotly.js-cartesian-dist-min),"
  echo "copied unchanged by scripts/vendor-plotlyjs.sh. plotly.js is (c) Plotly, Inc., MIT licence: LICENSE-plotly.js.txt."
  echo "sha256 $(sha256sum "$target/plotly-cartesian.min.js" | cut -d' ' -f1)"
} > "$target/README.txt"
echo "Vendored ${package} into ${target}/ ($(wc -c < "$target/plotly-cartesian.min.js") bytes)" >&2
