#!/usr/bin/env bash
# Replays every input the fuzzers found (tests/fuzz/regressions/<harness>/*) through
# the isolint binary the way a user would hit the same code, in any build (Release,
# ASan): regress_cli.sh ISOLINT SOURCE_DIR
#   ts        scan --stdin-filename src/fuzz.{ts,tsx,js,jsx} (the selector byte
#             stripped and applied as options), in every output format: exit 0 or 1
#   c         scan --no-prefilter --stdin-filename src/fuzz.c: exit 0 or 1
#   config    scan --config INPUT of a small tree: exit 0 or 1, or 2 with a message
#   baseline  scan --baseline INPUT of tests/fuzz/baseline: exit 0 or 1, or 2 with a message
# Anything else (a signal, a sanitizer report, exit 2 without a message, more than
# 60 s: timeout's exit 124) fails.
set -uo pipefail
isolint=$1 src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0 runs=0

check() { # NAME ALLOW_2 CODE: the exit code and stderr of the last run
  local what=$1 allow2=$2 code=$3
  runs=$((runs + 1))
  if [ "$code" = 0 ] || [ "$code" = 1 ]; then
    return
  fi
  if [ "$code" = 2 ] && [ "$allow2" = yes ] && [ -s "$tmp/err" ] &&
     ! grep -q 'Sanitizer\|runtime error' "$tmp/err"; then
    return
  fi
  echo "FAIL: $what: exit $code" >&2
  head -c 2000 "$tmp/err" >&2
  fails=$((fails + 1))
}

shopt -s nullglob
mkdir -p "$tmp/tree/src"
printf 'import { Pool } from "pg";\nexport const pool = new Pool();\n' > "$tmp/tree/src/a.ts"

for f in "$src"/tests/fuzz/regressions/ts/*; do
  sel=$(od -An -tu1 -N1 "$f" | tr -d ' ')
  [ -n "$sel" ] || sel=0
  exts=(ts tsx js jsx)
  opts=(--no-config --stdin-filename "src/fuzz.${exts[$((sel & 3))]}")
  ((sel & 4)) || opts+=(--no-prefilter)
  ((sel & 8)) && opts+=(--target node)
  ((sel & 16)) && opts+=(--color)
  tail -c +2 "$f" > "$tmp/input"
  for fmt in text concise json sarif github; do
    (cd "$tmp" && timeout 60 "$isolint" scan "${opts[@]}" --format "$fmt" < "$tmp/input" > /dev/null 2> "$tmp/err")
    check "ts ${f##*/} --format $fmt" no $?
  done
done

for f in "$src"/tests/fuzz/regressions/c/*; do
  (cd "$tmp" && timeout 60 "$isolint" scan --no-config --no-prefilter --stdin-filename src/fuzz.c \
    --format sarif < "$f" > /dev/null 2> "$tmp/err")
  check "c ${f##*/}" no $?
done

for f in "$src"/tests/fuzz/regressions/config/*; do
  (cd "$tmp/tree" && timeout 60 "$isolint" scan --config "$f" --format sarif src > /dev/null 2> "$tmp/err")
  check "config ${f##*/}" yes $?
done

for f in "$src"/tests/fuzz/regressions/baseline/*; do
  (cd "$src/tests/fuzz/baseline" && timeout 60 "$isolint" scan --no-config --baseline "$f" --format sarif \
    src/worker.ts > /dev/null 2> "$tmp/err")
  check "baseline ${f##*/}" yes $?
done

if [ "$runs" = 0 ]; then
  echo "FAIL: no regression inputs under tests/fuzz/regressions" >&2
  exit 1
fi
echo "$runs runs, $fails failed"
[ "$fails" = 0 ]
