#!/usr/bin/env bash
# Builds the seed corpora of the fuzz harnesses from the repository's own inputs
# (nothing here is duplicated in git): make_corpus.sh SOURCE_DIR OUT_DIR ISOLINT
#   OUT/ts        every TS/TSX/JS fixture and example, prefixed with fuzz_ts's
#                 selector byte ('0' .ts, '1' .tsx, '2' .js, '3' .jsx)
#   OUT/c         every C fixture
#   OUT/config    the knowledge-base files (isolint.json "clients" shape), the JSON
#                 files of the fixtures (wrong shape: error paths) and tests/fuzz/seeds/config
#   OUT/baseline  SARIF written by ISOLINT for tests/fuzz/baseline/src/worker.ts (the
#                 file fuzz_baseline applies baselines to) and for some fixtures, and
#                 the SARIF example of tests/sarif
# Names are the paths with '/' replaced, so reruns replace rather than add.
set -euo pipefail
src=$1 out=$2 isolint=$3
rm -rf "$out.tmp"
mkdir -p "$out.tmp"/{ts,c,config,baseline}
name() { printf '%s' "${1#"$src"/}" | tr '/' '_'; }

while IFS= read -r -d '' f; do
  case "$f" in
    *.d.ts) continue ;;
    *.ts | *.mts | *.cts) sel=0 ;;
    *.tsx) sel=1 ;;
    *.js | *.mjs | *.cjs) sel=2 ;;
    *.jsx) sel=3 ;;
    *) continue ;;
  esac
  { printf '%s' "$sel"; cat "$f"; } > "$out.tmp/ts/$(name "$f")"
done < <(find "$src/fixtures" "$src/examples" -name node_modules -prune -o -type f -print0)

while IFS= read -r -d '' f; do
  cp "$f" "$out.tmp/c/$(name "$f")"
done < <(find "$src/fixtures" -type f \( -name '*.c' -o -name '*.h' \) -print0)

while IFS= read -r -d '' f; do
  cp "$f" "$out.tmp/config/$(name "$f")"
done < <(find "$src/rules/kb" "$src/fixtures" "$src/tests/fuzz/seeds/config" \
           -name node_modules -prune -o -type f \( -name '*.json' -o -name '*.jsonc' \) -print0)

cp "$src/tests/sarif/demo/expected.sarif" "$out.tmp/baseline/tests_sarif_demo_expected.sarif"
# isolint exits 1 when it finds something: that is the point here
(cd "$src/tests/fuzz/baseline" &&
  "$isolint" scan --no-config --format sarif src/worker.ts > "$out.tmp/baseline/worker.sarif" ||
  [ $? = 1 ])
for d in module-scope-client lazy-singleton-client global-scope-io; do
  (cd "$src/fixtures/ts" && "$isolint" scan --no-config --format sarif "$d" \
    > "$out.tmp/baseline/fixtures_$d.sarif" || [ $? = 1 ])
done

rm -rf "$out"
mv "$out.tmp" "$out"
