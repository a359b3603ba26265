#!/usr/bin/env bash
# Differential tests on real code: the npm packages pinned in tests/realworld/package-lock.json
# (installed by scripts/setup.sh with `npm ci --ignore-scripts`; never committed) are copied
# into a scratch directory (a walk skips node_modules) and scanned in several ways that must
# give the same SARIF, byte for byte:
#   --jobs 1 / --jobs 2; no cache / a cold --cache / a warm --cache; a full scan / `isolint
#   merge` of --shard 1/3..3/3; a directory walk / the same files as explicit paths / the same
#   files staged in a scratch git repository (--staged); and, every file parsed
#   (--no-prefilter), --jobs 1 / --jobs 2. And `scan FILE` / the language server on the same
#   file (tests/lsp/project_test.mjs --differential: same findings, locations, messages and
#   related locations), for a sample of the files outside build output and every file with
#   a finding.
# Each scan must also finish without a crash or a sanitizer report (the ASan tree runs it too).
#
#     tests/realworld/differential.sh ISOLINT SOURCE_DIR
set -u
. "$(cd "$(dirname "$0")/.." && pwd)/cli/lib.sh"
IL_TIMEOUT=${IL_TIMEOUT:-600}
t_init realworld "$@"

CORPUS=$SRC/tests/realworld/node_modules
if [ ! -f "$SRC/tests/realworld/node_modules/.package-lock.json" ]; then
  fail "the corpus is installed" "missing $CORPUS: run scripts/setup.sh (npm ci --ignore-scripts in tests/realworld)"
  t_done
fi

# ---- the corpus, unpacked: each package's files under its own name, links resolved --------
R=$T/repo
mkdir -p "$R"
cp -rL "$CORPUS/." "$R/" 2>/dev/null
rm -f "$R/.package-lock.json"
# the files a walk finds, in its order (byte order of the paths), for the explicit-path run
(cd "$R" && find . -name node_modules -prune -o -name .git -prune -o -type f \
  \( -name '*.ts' -o -name '*.tsx' -o -name '*.mts' -o -name '*.cts' -o -name '*.js' \
     -o -name '*.jsx' -o -name '*.mjs' -o -name '*.cjs' -o -name '*.c' -o -name '*.h' \) -print |
  sed 's|^\./||' | grep -vE '\.d\.(ts|mts|cts)$' | LC_ALL=C sort -r >"$T/files.txt")
check "the corpus has many source files" test "$(wc -l <"$T/files.txt")" -gt 3000

CWD=$R
# scan NAME ARGS...: a SARIF scan of the corpus into $T/NAME.sarif
scan() {
  local name=$1
  shift
  # --no-ignore: npm packages ship their code in dist/, build output a scan skips by default
  il scan --no-config --no-ignore --no-progress --exit-zero --format sarif "$@"
  cp "$OUT" "$T/$name.sarif"
  if [ "$RC" != 0 ]; then
    fail "$name: exit 0 (--exit-zero)" "exit status $RC" "$(last_run)"
  fi
}
same_as() { # NAME OTHER: OTHER.sarif is NAME.sarif byte for byte
  if cmp -s "$T/$1.sarif" "$T/$2.sarif"; then
    pass "$2 gives the same SARIF as $1"
  else
    fail "$2 gives the same SARIF as $1" "$(diff "$T/$1.sarif" "$T/$2.sarif" | head -n 20)"
  fi
}

scan jobs1 --jobs 1 .
js "the corpus scan has findings and analyzed files" "$T/jobs1.sarif" \
  'j.runs[0].results.length > 0 && j.runs[0].invocations[0].executionSuccessful === true'
scan jobs2 --jobs 2 .
same_as jobs1 jobs2

# every file parsed (the prefilter skips most): the front-end on all of the corpus
scan noprefilter1 --jobs 1 --no-prefilter .
scan noprefilter2 --jobs 2 --no-prefilter .
same_as noprefilter1 noprefilter2

scan cache-cold --jobs 2 --cache-dir "$T/cache" .
same_as jobs1 cache-cold
check "the cold run wrote the cache" test -s "$T/cache/facts.pack"
scan cache-warm --jobs 2 --cache-dir "$T/cache" .
same_as jobs1 cache-warm

SH=()
for k in 1 2 3; do
  scan "shard-$k" --jobs 2 --shard "$k/3" .
  SH+=("$T/shard-$k.sarif")
done
il merge --output "$T/merged.sarif" "${SH[@]}"
rc_is "merge of the 3 shards exits 0" 0
same_as jobs1 merged

# explicit paths: the walk's files, in reverse order
mapfile -t FILES <"$T/files.txt"
scan explicit --jobs 2 "${FILES[@]}"
same_as jobs1 explicit

# staged: a fresh repository with everything added (nothing committed: all of it is new)
git -C "$R" init -q && git -C "$R" add -A .
scan staged --jobs 2 --staged
same_as jobs1 staged

# the language server: each file of the sample opened in `isolint lsp` (workspace folder: the
# corpus) gives the findings of `scan FILE` run there (no --no-ignore: the server has none, so
# the sample leaves build output out); the files with a finding are always in it
node -e '
  const j = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  for (const r of j.runs[0].results) console.log(decodeURIComponent(r.locations[0].physicalLocation.artifactLocation.uri));
' "$T/jobs1.sarif" | sort -u >"$T/lsp-files.txt"
grep -vE '(^|/)(dist|\.next|\.nuxt|\.output|\.open-next|\.svelte-kit|\.vercel|\.turbo|\.netlify)/' "$T/files.txt" |
  LC_ALL=C sort | awk 'NR % 40 == 1' >>"$T/lsp-files.txt"
check "the language server sample has files" test "$(wc -l <"$T/lsp-files.txt")" -gt 50
if (cd "$R" && node "$SRC/tests/lsp/project_test.mjs" "$BIN" "$SRC" --differential "$R" "$T/lsp-files.txt") \
  >"$T/lsp.out" 2>&1; then
  pass "scan FILE and the language server agree ($(grep -o 'compared .*' "$T/lsp.out"))"
else
  fail "scan FILE and the language server agree" "$(grep -vE '^ *(duration_ms|\.\.\.|---)' "$T/lsp.out" | head -n 60)"
fi

t_done
