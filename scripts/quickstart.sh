#!/usr/bin/env bash
# Quick start: install what is missing, build isolint, and scan the bundled
# example Worker (examples/worker-demo), printing the findings and writing
# isolint-demo.sarif. The scan's exit status 1 ("findings") is expected here.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j"$(nproc)" >/dev/null
echo "== isolint scan examples/worker-demo"
status=0
build/isolint scan examples/worker-demo || status=$?
build/isolint scan --format sarif --output isolint-demo.sarif examples/worker-demo || true
echo "== SARIF report written to isolint-demo.sarif"
[ "$status" -le 1 ] || exit "$status"
exit 0
