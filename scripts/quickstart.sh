#!/usr/bin/env bash
# Quick start: install what is missing, build isolint, and scan the bundled
# example Worker (examples/worker-demo), printing the findings and writing
# isolint-demo.sarif. The scan's exit status 1 ("findings") is expected here.
# It installs only what building and scanning need (scripts/setup.sh --build); the test
# tools come with scripts/test.sh. ISOLINT_C=off: a TypeScript-only build
# (-DIL_C_FRONTEND=OFF), which needs no LLVM.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${ISOLINT_C:-on}" = off ]; then
  scripts/setup.sh --build --no-c
  c_frontend=OFF
else
  scripts/setup.sh --build
  c_frontend=ON
fi
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DIL_C_FRONTEND=$c_frontend >/dev/null
cmake --build build -j"$(nproc)" >/dev/null
echo "== isolint scan examples/worker-demo"
status=0
build/isolint scan examples/worker-demo || status=$?
build/isolint scan --format sarif --output isolint-demo.sarif examples/worker-demo || true
echo "== SARIF report written to isolint-demo.sarif"
[ "$status" -le 1 ] || exit "$status"
exit 0
