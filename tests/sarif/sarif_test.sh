#!/usr/bin/env bash
# SARIF checks: every SARIF the suite produces from fixtures/ and examples/ passes
# the SARIF Multitool (rule kinds Sarif;Gh) with no error or warning, and the demo's
# report matches its golden file byte for byte.
# Usage: sarif_test.sh ISOLINT SOURCE_DIR
set -uo pipefail
isolint=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
check() { # name, command...
  local name=$1
  shift
  if "$@" >"$tmp/out" 2>&1; then
    echo "ok - $name"
    pass=$((pass + 1))
  else
    echo "not ok - $name"
    sed 's/^/    /' "$tmp/out"
    fail=$((fail + 1))
  fi
}
cd "$src" || exit 2
scan() { # output, paths...
  local out=$1
  shift
  "$isolint" scan --no-config --format sarif --output "$out" "$@"
  [ $? -le 1 ]
}
check "scan fixtures/ts to SARIF" scan "$tmp/fixtures.sarif" fixtures/ts
check "scan examples to SARIF" scan "$tmp/examples.sarif" examples
for d in fixtures/ts/*/; do
  name=$(basename "$d")
  check "scan fixtures/ts/$name to SARIF" scan "$tmp/$name.sarif" "$d"
done
check "empty result is valid SARIF" scan "$tmp/empty.sarif" fixtures/ts/module-scope-client/non-client-objects-negative.ts
check "multitool validates every SARIF" bash tests/sarif/validate.sh "$tmp"/*.sarif
check "demo SARIF matches tests/sarif/demo/expected.sarif" \
  diff -u tests/sarif/demo/expected.sarif "$tmp/examples.sarif"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
