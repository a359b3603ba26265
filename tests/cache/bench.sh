#!/usr/bin/env bash
# Measures the warm-run cache (docs/cache.md); not a test (CTest does not run it).
#
#   bash tests/cache/bench.sh ISOLINT_BINARY CORPUS_DIR [WORK_DIR]
#
# 1. cold vs warm full scans of CORPUS_DIR (--jobs 2), and a run after one file changed;
# 2. a 5 000-file git repository made by copying CORPUS_DIR's TS/JS files, with 10 files
#    staged: `isolint scan --staged --cache` with a warm cache.
# Needs hyperfine. Prints hyperfine's reports; the machine's load is printed with them.
# The trees are left to age for 3 s before the cache is filled: the stat fast path
# trusts only records made more than 2 s after a file's last change (docs/cache.md),
# as the files of a working tree mostly are.
set -eu
BIN=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
CORPUS=$(cd "$2" && pwd)
WORK=${3:-${TMPDIR:-/tmp}/isolint-cache-bench}
N_FILES=${N_FILES:-5000}
N_STAGED=${N_STAGED:-10}
command -v hyperfine >/dev/null || { echo "$0: hyperfine is needed" >&2; exit 2; }
# medians (hyperfine prints means): hf NAME ARGS... runs hyperfine with a JSON export
hf() {
  local name=$1
  shift
  hyperfine "$@" --export-json "$WORK/$name.json" || true
  node -e '
    const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).results;
    for (const x of r) console.log(`median ${x.command}: ${(x.median * 1000).toFixed(1)} ms (user ${(x.user * 1000).toFixed(1)} ms, system ${(x.system * 1000).toFixed(1)} ms, ${x.times.length} runs)`);
  ' "$WORK/$name.json" || true
}
rm -rf "$WORK"
mkdir -p "$WORK"

echo "== load: $(uptime)"
echo "== 1. full scans of $CORPUS (cold: no cache; warm: the pack is complete)"
FULL=$WORK/full
cp -R "$CORPUS" "$FULL"
cd "$FULL"
sleep 3
"$BIN" scan --jobs 2 --cache-dir "$WORK/c-full" --format sarif -o "$WORK/warm.sarif" . 2>/dev/null || true
hf full -N -i --warmup 1 --runs 5 \
  -n cold "$BIN scan --jobs 2 --format sarif -o $WORK/cold.sarif ." \
  -n cold-cache "$BIN scan --jobs 2 --cache-dir $WORK/c-cold --format sarif -o $WORK/cold-cache.sarif ." \
  --prepare "rm -rf $WORK/c-cold" \
  -n warm "$BIN scan --jobs 2 --cache-dir $WORK/c-full --format sarif -o $WORK/warm.sarif ."
cmp "$WORK/cold.sarif" "$WORK/warm.sarif" && echo "cold and warm reports are identical"
# one changed file: each run appends a line to the same file, so the cache misses it once
ONE=$(find . -name '*.ts' -size +20k | sort | head -n 1)
echo "== one changed file per run: $ONE"
hf one -N -i --warmup 1 --runs 5 \
  -n one-changed "sh -c 'echo // edit >> $ONE && exec $BIN scan --jobs 2 --cache-dir $WORK/c-full --format sarif -o $WORK/one.sarif .'"
ISOLINT_CACHE_STATS=1 sh -c "echo // edit >> $ONE && exec $BIN scan --jobs 2 --cache-dir $WORK/c-full --format sarif -o $WORK/one.sarif ." 2>&1 | grep 'cache:' || true

echo "== 2. --staged in a $N_FILES-file repository, $N_STAGED files staged"
REPO=$WORK/repo
mkdir -p "$REPO"
mapfile -t SRCS < <(cd "$CORPUS" && find . -type f \( -name '*.ts' -o -name '*.tsx' -o -name '*.js' -o -name '*.mjs' \) ! -name '*.d.ts' | sort)
i=0
while [ "$i" -lt "$N_FILES" ]; do
  s=${SRCS[$((i % ${#SRCS[@]}))]}
  d=$REPO/copy$((i / ${#SRCS[@]}))/${s#./}
  mkdir -p "$(dirname "$d")"
  cp "$CORPUS/$s" "$d"
  i=$((i + 1))
done
cd "$REPO"
git init -q
git add -A
git -c user.email=bench@example.com -c user.name=bench commit -qm corpus
git ls-files | awk 'NR % 487 == 1' | head -n "$N_STAGED" | while read -r f; do
  echo "// staged edit" >>"$f"
  git add "$f"
done
echo "files: $(git ls-files | wc -l), staged: $(git diff --cached --name-only | wc -l)"
sleep 3
"$BIN" scan --staged --cache >/dev/null 2>&1 || true # fills the cache
ISOLINT_CACHE_STATS=1 "$BIN" scan --staged --cache 2>&1 >/dev/null | grep 'cache:' || true
echo "== load: $(uptime)"
hf staged -N -i --warmup 2 \
  -n staged-warm "$BIN scan --staged --cache" \
  -n version "$BIN --version"
hf staged-cold -N -i --warmup 1 --runs 3 -n staged-no-cache "$BIN scan --staged"
echo "== load: $(uptime)"
