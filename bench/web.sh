#!/usr/bin/env bash
# Page-load timing of the traveller app on an emulated slow phone (web/bench/page-load.mjs):
# Chromium at Slow 4G and 4x CPU slowdown against the monolith, as ratios to a bare page, and
# the size of the built bundles. Uses build/bin/travio (make build) and web/dist.
set -euo pipefail
cd "$(dirname "$0")/.."
echo "== bundles (web/dist/assets, bytes and gzip)"
for file in web/dist/assets/*.js web/dist/assets/*.css web/dist/assets/*.wasm; do
  [[ -f "$file" ]] || continue
  printf '%-48s %9d %9d\n' "${file#web/dist/assets/}" "$(stat -c %s "$file")" \
    "$(stat -c %s "$file.gz" 2>/dev/null || echo 0)"
done
echo "== page load"
(cd web && node bench/page-load.mjs)
