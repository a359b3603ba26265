#!/usr/bin/env bash
# isolint benchmark: isolint vs ast-grep and ESLint 9 (equivalent rules) vs a tree-sitter
# parse-only floor, on the real TypeScript sources of effect, @effect/platform and hono; peak RSS
# when the corpus is repeated; a 50 000-file synthetic monorepo; and the C front-end (libclang)
# vs `clang -fsyntax-only` on the C sources of tree-sitter 0.25.1. See bench/README.md.
#
# usage: bench/run.sh [--quick] [--runs N] [--scale "1 2 4"] [--no-monorepo] [--no-eslint]
#                     [--no-c] [--no-install] [--help]
#   --runs N        alternating rounds (default 5): each round runs every tool once, in turn
#   --quick         1 round, on a subset of the corpus (@effect/platform + hono); no scale,
#                   monorepo or C sections unless asked for with --scale / --monorepo / --c
#   --scale LIST    corpus repetitions for the peak-RSS check (default "1 2 4"; "" skips it)
#   --monorepo      (default outside --quick) generate bench/.work/monorepo with
#                   bench/gen-monorepo.sh (50 000 files) and scan it once; --no-monorepo skips
#   --c / --no-c    the C section (default outside --quick): isolint vs clang -fsyntax-only
#   --no-eslint     skip ESLint (the slowest tool)
#   --no-install    do not run npm; use what bench/.work already holds
# environment:
#   ISOLINT=PATH     isolint binary (default: build/isolint; skipped with a message if missing)
#   PARSE_ONLY=PATH  il_parse_only binary (default: build/bench/il_parse_only, else built here
#                    with cc into bench/.work/bin from bench/parse_only.c and the npm grammar)
#   AST_GREP=PATH    ast-grep binary (default: the native binary of the pinned @ast-grep/cli)
#   CLANG=PATH       clang for the C section (default: clang)
#   MONOREPO_FILES=N files of the synthetic monorepo (default 50000)
#   IL_GRAMMAR_DIR   tree-sitter-typescript package (default: node_modules/tree-sitter-typescript)
#   CC               C compiler for the fallback build of il_parse_only (default: cc)
# Exit status: 0 when every tool that could run was measured, 2 when the benchmark could not run.
set -euo pipefail

BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH/.." && pwd)"
WORK="$BENCH/.work"

ROUNDS=5
QUICK=0
INSTALL=1
ESLINT_ON=1
SCALE=default
MONO=default
C_ON=default
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) QUICK=1; ROUNDS=1 ;;
    --runs) [ $# -ge 2 ] || { echo "run.sh: --runs needs a number" >&2; exit 2; }
            ROUNDS="$2"; shift ;;
    --runs=*) ROUNDS="${1#--runs=}" ;;
    --scale) [ $# -ge 2 ] || { echo "run.sh: --scale needs a list such as \"1 2 4\"" >&2; exit 2; }
             SCALE="$2"; shift ;;
    --scale=*) SCALE="${1#--scale=}" ;;
    --monorepo) MONO=1 ;;
    --no-monorepo) MONO=0 ;;
    --c) C_ON=1 ;;
    --no-c) C_ON=0 ;;
    --no-eslint) ESLINT_ON=0 ;;
    --no-install) INSTALL=0 ;;
    -h|--help) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "run.sh: unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
case "$ROUNDS" in ''|*[!0-9]*|0) echo "run.sh: --runs needs a positive number, got '$ROUNDS'" >&2; exit 2 ;; esac
[ "$SCALE" = default ] && { [ "$QUICK" = 1 ] && SCALE="" || SCALE="1 2 4"; }
for n in $SCALE; do
  case "$n" in *[!0-9]*|0) echo "run.sh: --scale takes positive numbers, got '$n'" >&2; exit 2 ;; esac
done
[ "$MONO" = default ] && MONO=$((1 - QUICK))
[ "$C_ON" = default ] && C_ON=$((1 - QUICK))

say() { printf '\n== %s\n' "$*"; }
die() { echo "run.sh: $*" >&2; exit 2; }

command -v node >/dev/null || die "node is needed (Debian: apt-get install -y nodejs npm)"
command -v hyperfine >/dev/null || die "hyperfine is needed: apt-get install -y hyperfine"
TIME_BIN=""
if [ -x /usr/bin/time ] && /usr/bin/time -f %M -o /dev/null true 2>/dev/null; then
  TIME_BIN=/usr/bin/time
else
  echo "note: GNU time (/usr/bin/time) is missing, so peak RSS is not measured; install it with: apt-get install -y time"
fi

mkdir -p "$WORK"

# ---------------------------------------------------------------- (a) pinned corpus + ast-grep
say "corpus and ast-grep from npm (bench/package.json + bench/package-lock.json)"
# `npm ci` refuses this lock: @effect/platform -> msgpackr -> msgpackr-extract lists optional
# per-platform packages that the reachable registry does not serve for that version, so the lock
# cannot contain them. `npm install --no-save` on a copy of the same lock installs exactly the
# locked versions (checked below) and skips those unavailable optional packages.
if [ "$INSTALL" = 1 ]; then
  if [ -f "$WORK/.installed-lock" ] && cmp -s "$WORK/.installed-lock" "$BENCH/package-lock.json" &&
     [ -d "$WORK/node_modules/effect" ]; then
    echo "already installed (bench/.work/node_modules matches bench/package-lock.json)"
  else
    command -v npm >/dev/null || die "npm is needed (Debian: apt-get install -y npm)"
    cp "$BENCH/package.json" "$BENCH/package-lock.json" "$WORK/"
    # --legacy-peer-deps: @effect/platform@0.97.2 declares a peer effect@^3, the corpus pins
    # effect@4.1.0; only the sources are read, nothing is executed.
    (cd "$WORK" && npm install --ignore-scripts --legacy-peer-deps --no-save --no-audit --no-fund \
       --loglevel=error) || die "npm install failed in $WORK"
    cp "$BENCH/package-lock.json" "$WORK/.installed-lock"
  fi
fi
for spec in effect@4.1.0 @effect/platform@0.97.2 hono@4.13.19 @ast-grep/cli@0.51.1 eslint@9.39.5 \
            @typescript-eslint/parser@8.73.0 typescript@5.9.3 tree-sitter@0.25.1; do
  name="${spec%@*}"; want="${spec##*@}"
  got="$(node -p "require('$WORK/node_modules/$name/package.json').version" 2>/dev/null || true)"
  [ "$got" = "$want" ] || die "$name is '${got:-missing}' in $WORK/node_modules, expected $want (run without --no-install)"
done

# @ast-grep/cli's bin is a JS shim that its postinstall script replaces by the native binary.
# Scripts are not run (--ignore-scripts), so call the native binary of the platform package
# directly, found the way the package's own postinstall.js finds it (no node in the timing).
if [ -z "${AST_GREP:-}" ]; then
  # shellcheck disable=SC2015 # `|| true`: no binary found is handled below
  AST_GREP="$(cd "$WORK/node_modules/@ast-grep/cli" &&
    node -e 'const p = require("./postinstall.js").resolveBinaryPath(); if (p) console.log(p)' 2>/dev/null || true)"
fi
if [ -z "$AST_GREP" ] || [ ! -x "$AST_GREP" ]; then
  echo "ast-grep's native binary was not found (no @ast-grep/cli-<platform> package for this machine?); skipping ast-grep"
  AST_GREP=""
else
  echo "ast-grep: $AST_GREP ($("$AST_GREP" --version))"
fi

# ---------------------------------------------------------------- (b) corpus file list + copy
say "corpus: TypeScript sources of effect and @effect/platform, ESM JavaScript of hono"
# effect and @effect/platform ship their TypeScript sources in src/ (no .d.ts there); hono ships
# no sources at all, only dist/ (ESM .js), dist/cjs/ (the same code as CommonJS) and
# dist/types/ (.d.ts), so hono contributes its ESM JavaScript, the code a Worker runs.
CORPUS="$WORK/corpus"
rm -rf "$CORPUS.tmp"
mkdir -p "$CORPUS.tmp/effect" "$CORPUS.tmp/platform" "$CORPUS.tmp/hono"
copy_sources() { # PKGDIR DEST FIND-ARGS...
  local pkg="$1" dest="$2"; shift 2
  (cd "$WORK/node_modules/$pkg" && find "$@" -print0 | sort -z | xargs -0 -r cp --parents -t "$dest")
}
TS_FILES=( -type f \( -name '*.ts' -o -name '*.tsx' -o -name '*.mts' -o -name '*.cts' \)
           ! -name '*.d.ts' ! -name '*.d.mts' ! -name '*.d.cts' )
copy_sources effect "$CORPUS.tmp/effect" src "${TS_FILES[@]}"
copy_sources @effect/platform "$CORPUS.tmp/platform" src "${TS_FILES[@]}"
copy_sources hono "$CORPUS.tmp/hono" dist -path dist/cjs -prune -o -path dist/types -prune -o \
  -type f \( -name '*.js' -o -name '*.mjs' -o -name '*.jsx' \)
rm -rf "$CORPUS"
mv "$CORPUS.tmp" "$CORPUS"
(cd "$WORK" && find corpus -type f | LC_ALL=C sort > corpus-files.txt)

stats() { # DIR... -> "FILES BYTES"
  find "$@" -type f -printf '%s\n' | awk '{ n++; b += $1 } END { printf "%d %d\n", n, b }'
}
printf '%-22s %6s %10s\n' package files MB
for p in effect:effect platform:@effect/platform hono:hono; do
  read -r n b < <(stats "$CORPUS/${p%%:*}")
  printf '%-22s %6d %10.2f\n' "${p#*:}" "$n" "$(awk -v b="$b" 'BEGIN { print b / 1e6 }')"
done
read -r CORPUS_FILES CORPUS_BYTES < <(stats "$CORPUS")
printf '%-22s %6d %10.2f\n' total "$CORPUS_FILES" "$(awk -v b="$CORPUS_BYTES" 'BEGIN { print b / 1e6 }')"
echo "file list: $WORK/corpus-files.txt"

if [ "$QUICK" = 1 ]; then
  TARGETS=(corpus/platform corpus/hono)
else
  TARGETS=(corpus)
fi
read -r RUN_FILES RUN_BYTES < <(cd "$WORK" && stats "${TARGETS[@]}")
echo "measured: ${TARGETS[*]} -> $RUN_FILES files, $(awk -v b="$RUN_BYTES" 'BEGIN { printf "%.2f", b / 1e6 }') MB"

# ---------------------------------------------------------------- (c) ast-grep rules
if [ -n "$AST_GREP" ]; then
  say "ast-grep rules (bench/ast-grep): self-test"
  if (cd "$BENCH/ast-grep" && "$AST_GREP" test -c sgconfig.yml --skip-snapshot-tests >"$WORK/ast-grep-test.log" 2>&1); then
    tail -n 1 "$WORK/ast-grep-test.log"
  else
    cat "$WORK/ast-grep-test.log"; die "the ast-grep rules fail their own tests"
  fi
fi

# ESLint 9 runs the @typescript-eslint parser on every file, with the five patterns as
# no-restricted-syntax selectors (bench/eslint/eslint.config.mjs). Called through node
# directly (no npx), from bench/.work so that the config finds the pinned parser.
ESLINT=""
if [ "$ESLINT_ON" = 1 ]; then
  if [ -f "$WORK/node_modules/eslint/bin/eslint.js" ]; then
    ESLINT="$WORK/node_modules/eslint/bin/eslint.js"
    say "ESLint rules (bench/eslint): self-test"
    rm -rf "$WORK/eslint-rule-tests"
    cp -r "$BENCH/eslint/rule-tests" "$WORK/eslint-rule-tests"
    # shellcheck disable=SC2015 # `|| true`: a failed run gives no output, which the diff shows
    got="$(cd "$WORK" && node "$ESLINT" --no-config-lookup -c "$BENCH/eslint/eslint.config.mjs" -f json \
             eslint-rule-tests/cases.ts eslint-rule-tests/cases.js | node -e '
      const r = JSON.parse(require("fs").readFileSync(0, "utf8"));
      for (const f of r) for (const m of f.messages)
        console.log(require("path").basename(f.filePath) + ":" + m.line + ":" + m.column + " " + m.message);' || true)"
    if [ "$got" = "$(cat "$BENCH/eslint/rule-tests/expected.txt")" ]; then
      echo "eslint $(node "$ESLINT" --version): $(printf '%s\n' "$got" | wc -l) expected matches"
    else
      diff <(printf '%s\n' "$got") "$BENCH/eslint/rule-tests/expected.txt" || true
      die "the ESLint selectors do not give bench/eslint/rule-tests/expected.txt"
    fi
  else
    echo "eslint is not installed in $WORK/node_modules; skipping ESLint"
  fi
fi

# ---------------------------------------------------------------- the tools
ISOLINT="${ISOLINT:-$ROOT/build/isolint}"
if [ ! -x "$ISOLINT" ]; then
  echo "isolint not found at $ISOLINT (build it: cmake -S . -B build && cmake --build build, or set ISOLINT=); skipping isolint"
  ISOLINT=""
fi

if [ -z "${PARSE_ONLY:-}" ]; then
  if [ -x "$ROOT/build/bench/il_parse_only" ]; then
    PARSE_ONLY="$ROOT/build/bench/il_parse_only"
  else
    PARSE_ONLY="$WORK/bin/il_parse_only"
    G="${IL_GRAMMAR_DIR:-$ROOT/node_modules/tree-sitter-typescript}"
    if [ ! -x "$PARSE_ONLY" ] || [ "$BENCH/parse_only.c" -nt "$PARSE_ONLY" ]; then
      if [ -f "$G/typescript/src/parser.c" ] && [ -f "$G/tsx/src/parser.c" ]; then
        echo "building $PARSE_ONLY (no build/bench/il_parse_only) with ${CC:-cc} -O2"
        mkdir -p "$WORK/bin/obj"
        for d in typescript tsx; do
          for f in parser scanner; do
            "${CC:-cc}" -O2 -w -c "$G/$d/src/$f.c" -I "$G/$d/src" -o "$WORK/bin/obj/$d-$f.o"
          done
        done
        # shellcheck disable=SC2046 # pkg-config output is a list of flags
        "${CC:-cc}" -std=c11 -O2 -Wall -Wextra -Wpedantic -D_POSIX_C_SOURCE=200809L \
          $(pkg-config --cflags tree-sitter 2>/dev/null) "$BENCH/parse_only.c" "$WORK"/bin/obj/*.o \
          $(pkg-config --libs tree-sitter 2>/dev/null || echo -ltree-sitter) -o "$PARSE_ONLY"
      else
        echo "tree-sitter-typescript not found in $G (run: npm ci --ignore-scripts at the repository root)"
        PARSE_ONLY=""
      fi
    fi
  fi
fi
if [ -n "$PARSE_ONLY" ] && [ ! -x "$PARSE_ONLY" ]; then
  echo "il_parse_only not found at $PARSE_ONLY; skipping parse-only"
  PARSE_ONLY=""
fi

# name | command (hyperfine -N: split like a shell, no shell started) | accepted exit codes
NAMES=(); CMDS=(); OKCODES=()
q() { printf '%q ' "$@"; }
add_tool() { NAMES+=("$1"); CMDS+=("$2"); OKCODES+=("$3"); }
if [ -n "$ISOLINT" ]; then
  add_tool isolint-j2 "$(q "$ISOLINT" scan --no-config --no-ignore --format json --jobs 2 "${TARGETS[@]}")" "0 1"
  add_tool isolint-j1 "$(q "$ISOLINT" scan --no-config --no-ignore --format json --jobs 1 "${TARGETS[@]}")" "0 1"
  # every file parsed and analyzed: the prefilter off
  add_tool isolint-j2-all "$(q "$ISOLINT" scan --no-config --no-ignore --no-prefilter --format json --jobs 2 "${TARGETS[@]}")" "0 1"
  add_tool isolint-j1-all "$(q "$ISOLINT" scan --no-config --no-ignore --no-prefilter --format json --jobs 1 "${TARGETS[@]}")" "0 1"
fi
if [ -n "$AST_GREP" ]; then
  add_tool ast-grep "$(q "$AST_GREP" scan -c "$BENCH/ast-grep/sgconfig.yml" --json=stream "${TARGETS[@]}")" "0 1"
  # not a headline figure: ast-grep on one thread, to compare per core with isolint --jobs 1
  add_tool ast-grep-j1 "$(q "$AST_GREP" scan -c "$BENCH/ast-grep/sgconfig.yml" --json=stream -j 1 "${TARGETS[@]}")" "0 1"
fi
if [ -n "$ESLINT" ]; then
  add_tool eslint "$(q node "$ESLINT" --no-config-lookup -c "$BENCH/eslint/eslint.config.mjs" -f json "${TARGETS[@]}")" "0 1"
fi
if [ -n "$PARSE_ONLY" ]; then
  add_tool parse-only "$(q "$PARSE_ONLY" "${TARGETS[@]}")" "0"
  # the same parse with isolint's allocator (a per-thread pool, a parser per file): the
  # ratio against it shows isolint's own work, without the pool's gain on the parse
  add_tool parse-only-pool "$(q "$PARSE_ONLY" --pool "${TARGETS[@]}")" "0"
fi
[ "${#NAMES[@]}" -gt 0 ] || die "no tool to measure"

STAMP="$(date +%Y%m%d-%H%M%S)"
OUT="$WORK/results/$STAMP"
mkdir -p "$OUT"
ln -sfn "$STAMP" "$WORK/results/latest"
{
  echo "date: $(date -Is)"
  echo "machine: $(nproc) cores, $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo), $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
  echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "hyperfine: $(hyperfine --version)"
  [ -n "$AST_GREP" ] && echo "ast-grep: $("$AST_GREP" --version)"
  [ -n "$ESLINT" ] && echo "eslint: $(node "$ESLINT" --version), node $(node --version)"
  [ -n "$ISOLINT" ] && echo "isolint: $("$ISOLINT" --version)$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null | sed 's/^/ (commit /; s/$/)/')"
  echo "libtree-sitter: $(dpkg-query -W -f '${Version}' libtree-sitter0 2>/dev/null || echo '?')"
  echo "corpus: ${TARGETS[*]} ($RUN_FILES files, $RUN_BYTES bytes)"
  echo "rounds: $ROUNDS"
} > "$OUT/env.txt"
lscpu 2>/dev/null | head -n 20 > "$OUT/lscpu.txt" || true

# check_run GROUP: runs each tool of NAMES/CMDS once under GNU time (peak RSS, outputs); KEEP
# gets the indexes of the tools that exited as expected.
check_run() {
  local group="$1" i n rc
  KEEP=()
  for i in "${!NAMES[@]}"; do
    n="${NAMES[$i]}"
    eval "set -- ${CMDS[$i]}"
    rc=0
    if [ -n "$TIME_BIN" ]; then
      (cd "$WORK" && "$TIME_BIN" -f %M -o "$OUT/$group.$n.rss" "$@" >"$OUT/$group.$n.out" 2>"$OUT/$group.$n.err") || rc=$?
    else
      (cd "$WORK" && "$@" >"$OUT/$group.$n.out" 2>"$OUT/$group.$n.err") || rc=$?
    fi
    if [[ " ${OKCODES[$i]} " != *" $rc "* ]]; then
      echo "$n: exit $rc, skipped; stderr:"; head -n 20 "$OUT/$group.$n.err"
      continue
    fi
    KEEP+=("$i")
    case "$n" in
      ast-grep*) echo "$n: exit $rc, $(wc -l < "$OUT/$group.$n.out") matches" ;;
      parse-only*) echo "$n: exit $rc, $(tr '\n' ' ' < "$OUT/$group.$n.out")" ;;
      eslint) echo "$n: exit $rc, $(node -e 'let n = 0, m = 0; for (const f of JSON.parse(require("fs").readFileSync(0, "utf8"))) { n++; m += f.messages.length; } console.log(n + " files, " + m + " messages")' < "$OUT/$group.$n.out")" ;;
      isolint*) echo "$n: exit $rc, $(node -e 'const r = JSON.parse(require("fs").readFileSync(0, "utf8")); console.log(r.results.length + " findings")' < "$OUT/$group.$n.out" 2>/dev/null || echo "$(wc -c < "$OUT/$group.$n.out") bytes")" ;;
      *) echo "$n: exit $rc" ;;
    esac
  done
  [ "${#KEEP[@]}" -gt 0 ] || die "every tool failed its check run (outputs in $OUT)"
}

# rounds GROUP: ROUNDS alternating hyperfine rounds over the tools in KEEP.
rounds() {
  local group="$1" r i
  for r in $(seq 1 "$ROUNDS"); do
    local args=(-N -i --style none --runs 1 --export-json "$OUT/$group.round-$r.json")
    [ "$r" = 1 ] && args+=(--warmup 1)
    for i in "${KEEP[@]}"; do args+=(-n "${NAMES[$i]}" "${CMDS[$i]}"); done
    # hyperfine's own output (warnings about isolint's exit 1 with -i) goes to a log
    (cd "$WORK" && hyperfine "${args[@]}" >"$OUT/$group.hyperfine-round-$r.log" 2>&1) ||
      { cat "$OUT/$group.hyperfine-round-$r.log"; die "hyperfine failed in round $r"; }
    node -e '
      const r = require(process.argv[1]).results;
      console.log("round " + process.argv[2] + ": " + r.map(x => x.command + " " + x.times[0].toFixed(3) + " s").join(", "));
    ' "$OUT/$group.round-$r.json" "$r/$ROUNDS"
    echo "  load average: $(cut -d' ' -f1-3 /proc/loadavg)"
  done
}

# summary GROUP MEGABYTES RATIO-SPECS...: the table of medians and the ratios ("a/b=label").
summary() {
  node - "$OUT" "$1" "$ROUNDS" "$2" "${@:3}" <<'NODE'
const fs = require("fs");
const [out, group, roundsS, mbS, ...ratios] = process.argv.slice(2);
const rounds = +roundsS, mb = +mbS;
const tools = new Map();
for (let r = 1; r <= rounds; r++) {
  for (const x of JSON.parse(fs.readFileSync(`${out}/${group}.round-${r}.json`, "utf8")).results) {
    if (!tools.has(x.command)) tools.set(x.command, { wall: [], cpu: [] });
    tools.get(x.command).wall.push(x.times[0]);
    tools.get(x.command).cpu.push(x.user + x.system);
  }
}
const median = a => { const s = [...a].sort((p, q) => p - q), m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const rss = n => { try { return +fs.readFileSync(`${out}/${group}.${n}.rss`, "utf8").trim().split("\n").pop() / 1024; }
                   catch { return NaN; } };
const rows = [];
for (const [name, t] of tools) {
  const m = median(t.wall);
  rows.push({ tool: name, median_s: m, min_s: Math.min(...t.wall), max_s: Math.max(...t.wall),
              cpu_s: median(t.cpu), mb_per_s: mb / m, peak_rss_mb: rss(name) });
}
const f = (v, d) => Number.isFinite(v) ? v.toFixed(d) : "-";
const w0 = Math.max(14, ...rows.map(r => r.tool.length));
console.log(["tool", "median s", "min s", "max s", "cpu s", "MB/s", "peak RSS MB"]
  .map((h, i) => i ? h.padStart(11) : h.padEnd(w0)).join(" "));
for (const r of rows)
  console.log([r.tool.padEnd(w0), f(r.median_s, 3), f(r.min_s, 3), f(r.max_s, 3), f(r.cpu_s, 3),
               f(r.mb_per_s, 1), f(r.peak_rss_mb, 1)].map((v, i) => i ? v.padStart(11) : v).join(" "));
const by = Object.fromEntries(rows.map(r => [r.tool, r]));
console.log("");
const out_ratios = [];
for (const spec of ratios) {
  const [ab, label] = spec.split("=");
  const [a, b] = ab.split("/");
  if (by[a] && by[b]) {
    const t = by[a].median_s / by[b].median_s, m = by[a].peak_rss_mb / by[b].peak_rss_mb;
    console.log(`${label}: time ${t.toFixed(2)}` + (Number.isFinite(m) ? `, peak RSS ${m.toFixed(2)}` : ""));
    out_ratios.push({ a, b, label, time: t, rss: m });
  } else console.log(`${label}: - (${!by[a] ? a : b} not measured)`);
}
fs.writeFileSync(`${out}/${group}.summary.json`,
  JSON.stringify({ group, rounds, megabytes: mb, tools: rows, ratios: out_ratios }, null, 2) + "\n");
NODE
}

# ---------------------------------------------------------------- check run (+ peak RSS)
say "check run (outputs and peak RSS)"
check_run ts
if [ -n "$AST_GREP" ]; then
  # ast-grep skips hidden and ignored paths: make sure it sees every corpus file.
  seen="$(cd "$WORK" && "$AST_GREP" scan -c "$BENCH/ast-grep/sgconfig.yml" --json=stream --inspect summary \
          "${TARGETS[@]}" 2>&1 >/dev/null | sed -n 's/.*scannedFileCount=\([0-9]*\).*/\1/p')"
  [ "$seen" = "$RUN_FILES" ] || echo "WARNING: ast-grep scanned ${seen:-?} files, the corpus has $RUN_FILES"
fi
if [ -n "$PARSE_ONLY" ] && [ -f "$OUT/ts.parse-only.out" ]; then
  grep -qx "files $RUN_FILES" "$OUT/ts.parse-only.out" || echo "WARNING: parse-only did not parse the $RUN_FILES corpus files"
fi

# ---------------------------------------------------------------- (d) alternating rounds
say "timing: $ROUNDS alternating round(s) with hyperfine, every tool once per round"
rounds ts

# ---------------------------------------------------------------- (e) summary
say "summary (medians over $ROUNDS round(s); $RUN_FILES files, $(awk -v b="$RUN_BYTES" 'BEGIN { printf "%.1f", b / 1e6 }') MB)"
summary ts "$(awk -v b="$RUN_BYTES" 'BEGIN { print b / 1e6 }')" \
  "isolint-j2/ast-grep=isolint (2 jobs) / ast-grep (2 threads)" \
  "isolint-j2/eslint=isolint (2 jobs) / ESLint" \
  "isolint-j1/parse-only=isolint (1 job) / parse-only (1 thread)" \
  "isolint-j2-all/ast-grep=isolint --no-prefilter (2 jobs) / ast-grep (2 threads)" \
  "isolint-j1-all/parse-only=isolint --no-prefilter (1 job) / parse-only (1 thread)" \
  "isolint-j1-all/parse-only-pool=isolint --no-prefilter (1 job) / parse-only --pool (1 thread)" \
  "isolint-j1-all/ast-grep-j1=isolint --no-prefilter (1 job) / ast-grep (1 thread)" \
  "ast-grep-j1/parse-only=ast-grep (1 thread) / parse-only (1 thread)" \
  "eslint/parse-only=ESLint / parse-only (1 thread)" | tee "$OUT/summary.txt"

# ---------------------------------------------------------------- (f) peak RSS vs corpus size
if [ -n "$SCALE" ] && [ -n "$ISOLINT" ] && [ -n "$TIME_BIN" ]; then
  say "peak RSS with the corpus repeated: $SCALE (one run each, /usr/bin/time -f %M)"
  # real copies, not hard links: isolint takes a file once per inode
  for n in $SCALE; do
    d="$WORK/corpus-x$n"
    if [ ! -f "$d/.complete" ] || [ "$d/.complete" -ot "$WORK/corpus-files.txt" ]; then
      rm -rf "$d"; mkdir -p "$d"
      for k in $(seq 1 "$n"); do cp -r "$CORPUS" "$d/copy$k"; done
      touch "$d/.complete"
    fi
  done
  {
    printf '%-6s %7s  %-34s %9s %12s\n' copies files command "wall s" "peak RSS MB"
    for n in $SCALE; do
      files=$((CORPUS_FILES * n))
      for v in "default:scan --no-config --no-ignore --format json --jobs 2" \
               "all-j1:scan --no-config --no-ignore --no-prefilter --format json --jobs 1" \
               "all-j2:scan --no-config --no-ignore --no-prefilter --format json --jobs 2"; do
        # shellcheck disable=SC2086 # the options are words
        (cd "$WORK" && "$TIME_BIN" -f '%e %M' -o "$OUT/scale-$n-${v%%:*}.time" "$ISOLINT" ${v#*:} "corpus-x$n" \
           >/dev/null 2>&1) || true
        read -r wall kb < <(tail -n 1 "$OUT/scale-$n-${v%%:*}.time")
        printf '%-6s %7d  %-34s %9s %12.1f\n' "$n" "$files" "isolint ${v#*:} " "$wall" "$(awk -v k="$kb" 'BEGIN { print k / 1024 }')"
      done
      if [ -n "$PARSE_ONLY" ]; then
        (cd "$WORK" && "$TIME_BIN" -f '%e %M' -o "$OUT/scale-$n-parse.time" "$PARSE_ONLY" "corpus-x$n" >/dev/null 2>&1) || true
        read -r wall kb < <(tail -n 1 "$OUT/scale-$n-parse.time")
        printf '%-6s %7d  %-34s %9s %12.1f\n' "$n" "$files" "il_parse_only" "$wall" "$(awk -v k="$kb" 'BEGIN { print k / 1024 }')"
      fi
    done
    printf 'baseline: isolint with nothing to scan (libclang is loaded only for C files): %s MB\n' \
      "$(mkdir -p "$WORK/empty" && "$TIME_BIN" -f %M "$ISOLINT" scan --no-config "$WORK/empty" 2>&1 >/dev/null | tail -n 1 | awk '{ printf "%.1f", $1 / 1024 }')"
  } | tee "$OUT/scale.txt"
fi

# ---------------------------------------------------------------- (g) 50 000-file monorepo
if [ "$MONO" = 1 ] && [ -n "$ISOLINT" ] && [ -n "$TIME_BIN" ]; then
  MFILES="${MONOREPO_FILES:-50000}"
  say "synthetic monorepo: $MFILES files (bench/gen-monorepo.sh), one scan"
  if [ ! -f "$WORK/monorepo/.complete-$MFILES" ] || [ "$WORK/monorepo/.complete-$MFILES" -ot "$WORK/corpus-files.txt" ]; then
    "$BENCH/gen-monorepo.sh" --files "$MFILES" "$CORPUS" "$WORK/monorepo"
    touch "$WORK/monorepo/.complete-$MFILES"
  fi
  read -r mf mb < <(stats "$WORK/monorepo")
  echo "monorepo: $mf files, $(awk -v b="$mb" 'BEGIN { printf "%.1f", b / 1e6 }') MB"
  {
    for v in "default:scan --no-config --no-ignore --format json --jobs 2" \
             "all-j2:scan --no-config --no-ignore --no-prefilter --format json --jobs 2"; do
      rc=0
      # shellcheck disable=SC2086
      (cd "$WORK" && "$TIME_BIN" -f '%e %M' -o "$OUT/monorepo-${v%%:*}.time" "$ISOLINT" ${v#*:} \
         --no-progress monorepo >"$OUT/monorepo-${v%%:*}.json" 2>"$OUT/monorepo-${v%%:*}.err") || rc=$?
      read -r wall kb < <(tail -n 1 "$OUT/monorepo-${v%%:*}.time" 2>/dev/null || echo "- 0")
      nf="$(node -e 'const r = JSON.parse(require("fs").readFileSync(0, "utf8")); console.log(r.results.length)' \
            < "$OUT/monorepo-${v%%:*}.json" 2>/dev/null || echo '?')"
      printf 'isolint %-58s exit %s, %s s, peak RSS %.1f MB, %s findings\n' "${v#*:}" "$rc" "$wall" \
        "$(awk -v k="$kb" 'BEGIN { print k / 1024 }')" "$nf"
    done
  } | tee "$OUT/monorepo.txt"
fi

# ---------------------------------------------------------------- (h) C: libclang vs clang
if [ "$C_ON" = 1 ] && [ -n "$ISOLINT" ]; then
  CLANG="${CLANG:-clang}"
  if ! command -v "$CLANG" >/dev/null; then
    echo "clang not found; skipping the C section (apt-get install -y clang)"
  else
    say "C: isolint (libclang) vs $CLANG -fsyntax-only on tree-sitter 0.25.1 lib/src/*.c"
    CDIR="$WORK/c-corpus"
    rm -rf "$CDIR"; mkdir -p "$CDIR"
    cp -r "$WORK/node_modules/tree-sitter/vendor/tree-sitter/lib/src" \
          "$WORK/node_modules/tree-sitter/vendor/tree-sitter/lib/include" "$CDIR/"
    CFLAGS_BENCH=(-std=c11 -D_POSIX_C_SOURCE=200112L -D_DEFAULT_SOURCE "-I$CDIR/src" "-I$CDIR/include")
    (cd "$CDIR" && ls src/*.c) > "$WORK/c-files.txt"
    # the same flags for isolint, through a compilation database beside the sources
    node -e '
      const [dir, list, ...flags] = process.argv.slice(1);
      const files = require("fs").readFileSync(list, "utf8").trim().split("\n");
      require("fs").writeFileSync(dir + "/compile_commands.json", JSON.stringify(files.map(f =>
        ({ directory: dir, file: dir + "/" + f, arguments: ["cc", ...flags, "-c", f] })), null, 1) + "\n");
    ' "$CDIR" "$WORK/c-files.txt" "${CFLAGS_BENCH[@]}"
    # shellcheck disable=SC2046 # one file name per line, no spaces (src/*.c)
    read -r cf cb < <(cd "$CDIR" && stats $(cat "$WORK/c-files.txt"))
    echo "$cf files, $cb bytes (lib.c includes the others: it is the whole library in one unit)"
    mapfile -t CFILES < <(sed 's|^|c-corpus/|' "$WORK/c-files.txt")
    NAMES=(); CMDS=(); OKCODES=()
    # --no-prefilter: none of these files names a client library, so the prefilter would skip them
    add_tool c-isolint-j1 "$(q "$ISOLINT" scan --no-config --no-ignore --no-prefilter --format json --jobs 1 "${CFILES[@]}")" "0 1"
    add_tool c-clang-j1 "$(q "$BENCH/clang-syntax.sh" "$CLANG" 1 "${CFLAGS_BENCH[@]}" -- "${CFILES[@]}")" "0"
    add_tool c-isolint-j2 "$(q "$ISOLINT" scan --no-config --no-ignore --no-prefilter --format json --jobs 2 "${CFILES[@]}")" "0 1"
    add_tool c-clang-j2 "$(q "$BENCH/clang-syntax.sh" "$CLANG" 2 "${CFLAGS_BENCH[@]}" -- "${CFILES[@]}")" "0"
    check_run c
    if grep -q '"level": "error"' "$OUT/c.c-isolint-j1.out"; then
      echo "WARNING: isolint reported errors on the C corpus:"; grep -A3 '"level": "error"' "$OUT/c.c-isolint-j1.out" | head
    fi
    rounds c
    summary c "$(awk -v b="$cb" 'BEGIN { print b / 1e6 }')" \
      "c-isolint-j1/c-clang-j1=isolint C (1 job) / clang -fsyntax-only (sequential)" \
      "c-isolint-j2/c-clang-j2=isolint C (2 jobs) / clang -fsyntax-only (2 at a time)" | tee "$OUT/c-summary.txt"
  fi
fi

echo
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/env.txt"
echo "results: $OUT (summary.txt, scale.txt, monorepo.txt, c-summary.txt, *.summary.json, *.round-*.json, <group>.<tool>.out/.err/.rss, env.txt, lscpu.txt)"
