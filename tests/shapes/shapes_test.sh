#!/usr/bin/env bash
# Project-shape fuzzing: tests/shapes/gen_project.mjs builds a random project tree per seed
# (nested package.json with Node.js or Workers dependencies, Wrangler toml/json/jsonc with
# and without main, tsconfig extends and paths, workspaces, symbolic links, up to 8 levels
# and 64 directories); each tree is scanned and must give no crash, no sanitizer report
# (the ASan tree runs this too), exit 0 or 1, and the same SARIF byte for byte with
# --jobs 1, --jobs 2 and the merge of --shard 1/2 and 2/2.
#
#     tests/shapes/shapes_test.sh ISOLINT SOURCE_DIR [FIRST_SEED [COUNT]]
#
# The seeds are fixed (FIRST_SEED, default 1; COUNT trees, default 40), so a failure names
# the seed that reproduces it: node tests/shapes/gen_project.mjs SEED DIR.
set -u
. "$(cd "$(dirname "$0")/.." && pwd)/cli/lib.sh"
FIRST=${3:-1}
COUNT=${4:-40}
t_init shapes "$1" "$2"

bad=0
for seed in $(seq "$FIRST" $((FIRST + COUNT - 1))); do
  P=$T/p$seed
  if ! node "$SRC/tests/shapes/gen_project.mjs" "$seed" "$P" >"$T/gen.log" 2>&1; then
    fail "seed $seed: the generator runs" "$(cat "$T/gen.log")"
    continue
  fi
  CWD=$P
  before=$BAD_RUNS
  il scan --no-config --no-progress --format sarif --jobs 1 .
  cp "$OUT" "$T/j1.sarif"
  rc1=$RC
  il scan --no-config --no-progress --format sarif --jobs 2 .
  cp "$OUT" "$T/j2.sarif"
  il scan --no-config --no-progress --format sarif --jobs 2 --shard 1/2 --output "$T/s1.sarif" .
  il scan --no-config --no-progress --format sarif --jobs 2 --shard 2/2 --output "$T/s2.sarif" .
  il merge --output "$T/m.sarif" "$T/s1.sarif" "$T/s2.sarif"
  why=""
  [ "$BAD_RUNS" = "$before" ] || why="a crash, a sanitizer report or a timeout (above)"
  case $rc1 in 0 | 1) ;; *) why="$why; exit status $rc1: $(head -c 300 "$ERR")" ;; esac
  cmp -s "$T/j1.sarif" "$T/j2.sarif" || why="$why; --jobs 2 differs: $(diff "$T/j1.sarif" "$T/j2.sarif" | head -n 6)"
  cmp -s "$T/j1.sarif" "$T/m.sarif" || why="$why; the merged shards differ: $(diff "$T/j1.sarif" "$T/m.sarif" | head -n 6)"
  if [ -n "$why" ]; then
    bad=$((bad + 1))
    fail "seed $seed ($(cat "$T/gen.log")): no crash, exit 0/1, --jobs and --shard invariant" "$why"
  else
    pass "seed $seed ($(cat "$T/gen.log"))"
  fi
  rm -rf "$P"
done

t_done
