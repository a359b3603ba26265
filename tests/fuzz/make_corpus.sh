#!/usr/bin/env bash
# Builds the seed corpora of the fuzz harnesses from the repository's own inputs
# (nothing here is duplicated in git): make_corpus.sh SOURCE_DIR OUT_DIR ISOLINT
#   OUT/ts        every TS/TSX/JS fixture and example, prefixed with fuzz_ts's
#                 selector byte ('0' .ts, '1' .tsx, '2' .js, '3' .jsx), and each
#                 project of fixtures/ts-projects in fuzz_ts's project mode
#   OUT/c         every C fixture
#   OUT/config    the knowledge-base files (isolint.json "clients" shape), the JSON
#                 files of the fixtures (wrong shape: error paths) and tests/fuzz/seeds/config
#   OUT/baseline  SARIF written by ISOLINT for tests/fuzz/baseline/src/worker.ts (the
#                 file fuzz_baseline applies baselines to) and for some fixtures, and
#                 the SARIF example of tests/sarif
# Names are the paths with '/' replaced, so reruns replace rather than add.
set -euo pipefail
src=$(realpath "$1") out=$(realpath -m "$2") isolint=$(realpath "$3")
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

# each project of fixtures/ts-projects as one input of fuzz_ts's project mode ('t':
# 0x40 project, 0x04 prefilter on, 0x30 colour and SARIF category)
for p in "$src"/fixtures/ts-projects/*/; do
  p=${p%/}
  {
    printf 't'
    (cd "$p" && find . -type f -print | LC_ALL=C sort) | while IFS= read -r f; do
      printf '//--- %s\n' "${f#./}"
      cat "$p/$f"
      [ -z "$(tail -c 1 "$p/$f")" ] || printf '\n'
    done
  } > "$out.tmp/ts/project_${p##*/}"
done

while IFS= read -r -d '' f; do
  cp "$f" "$out.tmp/c/$(name "$f")"
done < <(find "$src/fixtures" -type f \( -name '*.c' -o -name '*.h' \) -print0)

while IFS= read -r -d '' f; do
  cp "$f" "$out.tmp/config/$(name "$f")"
done < <(find "$src/rules/kb" "$src/fixtures" "$src/tests/fuzz/seeds/config" \
           -name node_modules -prune -o -type f \( -name '*.json' -o -name '*.jsonc' \) -print0)

cp "$src/tests/sarif/demo/expected.sarif" "$out.tmp/baseline/tests_sarif_demo_expected.sarif"
sarif() { # DIR OUT PATH: isolint's SARIF for PATH, scanned from DIR (exit 1: findings)
  local rc=0
  (cd "$1" && "$isolint" scan --no-config --format sarif "$3") > "$2" || rc=$?
  if [ "$rc" -gt 1 ] || ! grep -q '"ruleId"' "$2"; then
    echo "make_corpus.sh: isolint scan $1/$3 failed (exit $rc) or found nothing" >&2
    exit 1
  fi
}
sarif "$src/tests/fuzz/baseline" "$out.tmp/baseline/worker.sarif" src/worker.ts
for d in module-scope-client lazy-singleton-client global-scope-io; do
  sarif "$src/fixtures/ts" "$out.tmp/baseline/fixtures_$d.sarif" "$d"
done

rm -rf "$out"
mv "$out.tmp" "$out"
