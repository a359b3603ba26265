#!/usr/bin/env bash
# The command line as users and scripts see it (docs/usage.md): commands, options, exit
# status, output formats, discovery, isolint.json, colours and inline suppressions.
#
#     tests/cli/cli_test.sh ISOLINT_BINARY SOURCE_DIR
#
# Builds throwaway projects in a temporary directory, prints `ok - NAME` / `not ok - NAME`
# per assertion, ends with `N passed, N failed` and exits 1 on any failure. Needs bash and
# node; SARIF checks use tests/sarif/validate.sh (the repository's pinned multitool).
set -u
# shellcheck source=tests/cli/lib.sh disable=SC2034  # CWD, LAST_CMD are read by lib.sh
. "$(cd "$(dirname "$0")" && pwd)/lib.sh"
t_init cli "$@"

NL=$'\n'
POOL='import { Pool } from "pg";'$NL'export const pool = new Pool();'$NL
POOL_LINE="src/db.ts:2:21: error [module-scope-client] 'pool' is a 'pg Pool'"
NEON='import { neon } from "@neondatabase/serverless";'$NL'export const sql = neon(process.env.DATABASE_URL);'$NL
CLEAN='export default {'$NL'  async fetch(req: Request): Promise<Response> {'$NL'    return new Response("ok");'$NL'  },'$NL'};'$NL
RULE_IDS="module-scope-client lazy-singleton-client global-object-cache invalid-suppression unused-suppression"

# ---- projects ------------------------------------------------------------------------
P=$T/pool # one module-scope pg Pool
mk "$P/src/db.ts" "$POOL"
mk "$P/src/index.ts" "$CLEAN"
PN=$T/note # a note-level (fetch-only) client only
mk "$PN/src/http.ts" "$NEON"
PC=$T/clean
mk "$PC/src/index.ts" "$CLEAN"
mk "$PC/src/util.js" 'export const add = (a, b) => a + b;'"$NL"

# ==== commands ===========================================================================
CWD=$T
il --version
rc_is "--version exits 0" 0
out_line "--version prints 'isolint X.Y.Z'" '^isolint [0-9]+\.[0-9]+\.[0-9]+'
il version
out_line "'version' prints the version too" '^isolint [0-9]+\.[0-9]+\.[0-9]+'

il --help
rc_is "--help exits 0" 0
out_has "--help prints the usage" "Usage: isolint scan"
for opt in --format --output --jobs --exclude --config --no-config --no-prefilter --color --no-color; do
  out_has "--help documents $opt" "$opt"
done
check "--help: --no-prefilter's second line follows it (not under --no-progress)" \
  bash -c "grep -A1 -- '  --no-prefilter ' '$OUT' | tail -n 1 | grep -q 'also reports syntax errors'"
il scan --help
rc_is "scan --help exits 0" 0
out_has "scan --help prints the usage" "Usage: isolint scan"
out_has "scan --help documents the scan options" "--fail-level LEVEL"
out_lacks "scan --help is the scan's usage, not the global one" "isolint merge"
# a missing path on a terminal: said once, and no "No findings in 0 files"
if command -v script >/dev/null 2>&1; then
  (cd "$T" && timeout "$IL_TIMEOUT" script -qec "'$BIN' scan no-such-path" "$T/pty.log" >/dev/null 2>&1 </dev/null)
  check "missing path on a terminal: reported once" bash -c "[ \"\$(grep -c 'Cannot access the path' '$T/pty.log')\" = 1 ]"
  check "missing path on a terminal: no 'No findings in 0 files'" bash -c "! grep -q 'No findings' '$T/pty.log'"
else
  skip "missing path on a terminal" "script(1) is not installed"
fi
il scan no-such-path
err_has "missing path, report not on a terminal: named on stderr too" "isolint: no-such-path: Cannot access the path"
out_lacks "missing path, nothing analyzed: no summary line" "No findings"
il
rc_is "no arguments: exit 2" 2
err_has "no arguments: usage on stderr" "Usage: isolint"

il rules
rc_is "rules exits 0" 0
for id in $RULE_IDS; do
  out_line "rules lists $id" "^$id "
done

# ==== usage errors: exit 2, the culprit named on stderr, no report ===================
CWD=$P
il frobnicate
rc_is "unknown command: exit 2" 2
err_has "unknown command: named on stderr" "frobnicate"
il scan --frobnicate .
rc_is "unknown option: exit 2" 2
err_has "unknown option: named on stderr" "--frobnicate"
out_empty "unknown option: no report on stdout"
il scan --format bogus .
rc_is "--format bogus: exit 2" 2
err_has "--format bogus: option named on stderr" "--format"
err_has "--format bogus: value named on stderr" "bogus"
out_empty "--format bogus: no report on stdout"
il scan --format=bogus .
rc_is "--format=bogus: exit 2" 2
il scan --jobs 0 .
rc_is "--jobs 0: exit 2" 2
err_has "--jobs 0: option named on stderr" "--jobs"
il scan --jobs many .
rc_is "--jobs many: exit 2" 2
err_has "--jobs many: value named on stderr" "many"
il scan --jobs 1025 .
rc_is "--jobs 1025: exit 2" 2
il scan . --output
rc_is "--output without a value: exit 2" 2
err_has "--output without a value: option named" "--output"
il scan -dash.ts
rc_is "a path starting with '-' is an option: exit 2" 2

# ==== exit status and the text report ===================================================
CWD=$PC
il scan .
rc_is "clean project: exit 0" 0
out_has "clean project: 'No findings'" "No findings in 2 files."
CWD=$T
il scan "$PC"
rc_is "clean project by absolute path: exit 0" 0

CWD=$P
il scan .
rc_is "module-scope pg Pool: exit 1" 1
out_has "module-scope pg Pool: path:line:col: error [rule] line" "$POOL_LINE"
out_has "module-scope pg Pool: code frame" " 2 | export const pool = new Pool();"
out_has "module-scope pg Pool: summary" "1 finding (1 error) in 2 files."
il scan
rc_is "no path scans the current directory" 1
out_has "no path: finding reported" "$POOL_LINE"
il scan src/db.ts
rc_is "explicit file: exit 1" 1
out_has "explicit file: finding reported" "$POOL_LINE"

CWD=$PN
il scan .
rc_is "note-level finding only: exit 0" 0
out_has "note-level finding only: still printed" "src/http.ts:2:20: note [module-scope-client]"
CWD=$T
il scan note pool
rc_is "note and error: exit 1" 1

# ---- missing paths: exit 2, named on stderr, the other paths still analyzed
CWD=$P
il scan no-such-dir src/db.ts
rc_is "missing path: exit 2" 2
err_has "missing path: named on stderr" "no-such-dir"
out_has "missing path: other paths' findings still printed" "$POOL_LINE"
il scan --format json no-such-dir src/db.ts
rc_is "missing path (json): exit 2" 2
err_has "missing path (json): named on stderr" "no-such-dir"
js "missing path (json): report has the other findings and the notification" "$OUT" \
  'paths.includes("src/db.ts") && j.notifications.some((n) => n.path === "no-such-dir" && n.level === "error")'
il scan missing.ts
rc_is "only a missing path: exit 2" 2

# ---- stdout that cannot be written
if [ -w /dev/full ]; then
  LAST_CMD="isolint scan . >/dev/full"
  { (cd "$P" && exec timeout "$IL_TIMEOUT" "$BIN" scan .) >/dev/full 2>"$ERR"; RC=$?; } 2>/dev/null
  t_check_run "$RC" "$ERR" "isolint scan . >/dev/full"
  rc_is "stdout write error (/dev/full): exit 2" 2
  err_has "stdout write error: reported on stderr" "cannot write"
else
  skip "stdout write error (/dev/full): exit 2" "no writable /dev/full"
fi

# ==== JSON ==================================================================================
CWD=$P
il scan --format json .
rc_is "--format json: exit 1" 1
cp "$OUT" "$T/pool.json"
js "--format json: parses, version 1, tool name" "$T/pool.json" 'j.version === 1 && j.tool.name === "isolint" && typeof j.tool.version === "string"'
js "--format json: one module-scope-client error" "$T/pool.json" \
  'j.results.length === 1 && j.results[0].ruleId === "module-scope-client" && j.results[0].level === "error" && j.results[0].path === "src/db.ts"'
js "--format json: 1-based line and UTF-16 column" "$T/pool.json" \
  'j.results[0].start.line === 2 && j.results[0].start.column === 21 && j.results[0].end.line === 2 && j.results[0].end.column === 29'
js "--format json: byte offsets 0-based" "$T/pool.json" 'j.results[0].start.byte === 47'
js "--format json: filesAnalyzed and notifications" "$T/pool.json" 'j.filesAnalyzed === 2 && Array.isArray(j.notifications) && j.notifications.length === 0'
il scan --format=json .
check "--format=json is the same as --format json" cmp -s "$OUT" "$T/pool.json"
CWD=$PN
il scan --format json .
js "--format json: note level kept" "$OUT" 'j.results.length === 1 && j.results[0].level === "note" && j.results[0].start.column === 20'

# ==== SARIF and --output =================================================================
CWD=$P
mkdir -p "$T/reports"
il scan --format sarif --output "$T/reports/pool.sarif" .
rc_is "--format sarif --output: exit 1" 1
out_empty "--output: nothing on stdout"
check "--output: file written" test -s "$T/reports/pool.sarif"
sarif_ok "--format sarif: passes tests/sarif/validate.sh" "$T/reports/pool.sarif"
js "--format sarif: version 2.1.0, the finding with its region" "$T/reports/pool.sarif" \
  'j.version === "2.1.0" && j.runs[0].results.length === 1 && j.runs[0].results[0].ruleId === "module-scope-client" && j.runs[0].results[0].level === "error"'
js "--format sarif: region 1-based, UTF-16 columns" "$T/reports/pool.sarif" \
  '((r) => r.startLine === 2 && r.startColumn === 21 && r.endColumn === 29)(j.runs[0].results[0].locations[0].physicalLocation.region)'
js "--format sarif: relative artifact URI" "$T/reports/pool.sarif" \
  'j.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri === "src/db.ts"'
js "--format sarif: every rule described" "$T/reports/pool.sarif" \
  '"'"$RULE_IDS"'".split(" ").every((id) => j.runs[0].tool.driver.rules.some((r) => r.id === id))'
check "--output: report readable by all (mode 644)" test "$(stat -c %a "$T/reports/pool.sarif")" = 644
il scan --format sarif .
check "--output writes what stdout gets" cmp -s "$OUT" "$T/reports/pool.sarif"
CWD=$PN
il scan --format sarif -o "$T/reports/note.sarif" .
sarif_ok "--format sarif (note only): passes validate.sh" "$T/reports/note.sarif"

CWD=$P
il scan --format json --output "$T/no-such-dir/report.json" .
rc_is "--output into a missing directory: exit 2" 2
err_has "--output into a missing directory: path named" "no-such-dir/report.json"
check "--output into a missing directory: nothing created" test ! -e "$T/no-such-dir"
mkdir -p "$T/out-is-dir"
il scan --format json --output "$T/out-is-dir" .
rc_is "--output naming a directory: exit 2" 2
err_has "--output naming a directory: path named" "out-is-dir"
check "--output naming a directory: no temporary file left" test -z "$(find "$T" -name '*.tmp.*' -print -quit)"
check "--output naming a directory: directory untouched" test -d "$T/out-is-dir"

printf 'OLD REPORT\n' >"$T/reports/r.json"
ino_before=$(stat -c %i "$T/reports/r.json")
il scan --format json --output "$T/reports/r.json" .
rc_is "--output over an existing file: exit 1" 1
check "--output over an existing file: new content" cmp -s "$T/reports/r.json" "$T/pool.json"
check "--output over an existing file: replaced by rename (new inode)" \
  test "$(stat -c %i "$T/reports/r.json")" != "$ino_before"
check "--output over an existing file: no temporary file left" \
  test -z "$(find "$T" -name '*.tmp.*' -print -quit)"
il scan --format json -o "$T/reports/short.json" .
check "-o is --output" cmp -s "$T/reports/short.json" "$T/pool.json"

# ==== determinism: --jobs 1 and --jobs 2 give byte-identical reports ====================
PJ=$T/jobs
for i in $(seq 1 30); do
  case $((i % 3)) in 0) d=src/a/b ;; 1) d=src/c ;; *) d=src ;; esac
  mk "$PJ/$d/f$i.ts" 'import { Pool } from "pg";
import { neon } from "@neondatabase/serverless";
let db: Pool | undefined;
export const p'"$i"' = new Pool();
export function getDb() { if (!db) db = new Pool(); return db; }
export const sql = neon("postgres://x");
(globalThis as any).c'"$i"' = new Pool();
'
done
CWD=$PJ
for fmt in json sarif text; do
  il scan --format "$fmt" --jobs 1 .
  cp "$OUT" "$T/jobs1.$fmt"
  il scan --format "$fmt" --jobs 2 .
  cp "$OUT" "$T/jobs2.$fmt"
  il scan --format "$fmt" -j 8 .
  cp "$OUT" "$T/jobs8.$fmt"
  check "--jobs 1 and --jobs 2: identical $fmt" cmp -s "$T/jobs1.$fmt" "$T/jobs2.$fmt"
  check "--jobs 1 and -j 8: identical $fmt" cmp -s "$T/jobs1.$fmt" "$T/jobs8.$fmt"
done
js "30-file project: every file analyzed, findings in each" "$T/jobs1.json" \
  'j.filesAnalyzed === 30 && new Set(paths).size === 30 && j.results.length >= 60'
sarif_ok "30-file project: SARIF passes validate.sh" "$T/jobs2.sarif"

# ==== discovery ============================================================================
PD=$T/disc
for ext in ts tsx mts cts js jsx mjs cjs; do
  mk "$PD/src/f_$ext.$ext" "$POOL"
done
mk "$PD/src/types.d.ts" "$POOL"
mk "$PD/src/more.d.mts" "$POOL"
mk "$PD/src/notes.md" "$POOL"
mk "$PD/src/f.ts.bak" "$POOL"
mk "$PD/node_modules/pg/index.js" "$POOL"
mk "$PD/src/node_modules/x/y.ts" "$POOL"
mk "$PD/.git/hooks/h.ts" "$POOL"
mk "$PD/.wrangler/tmp/bundle.js" "$POOL"
mk "$PD/gen/g.ts" "$POOL"
mk "$PD/gen/deep/h.ts" "$POOL"
mk "$PD/src/a.test.ts" "$POOL"
mk "$PD/.github/scripts/ci.ts" "$POOL"
mk "$PD/README.md" "hello$NL"
CWD=$PD
il scan --all-files --format json .
cp "$OUT" "$T/disc.json"
for ext in ts tsx mts cts js jsx mjs cjs; do
  js "discovery: .$ext found" "$T/disc.json" "paths.includes('src/f_$ext.$ext')"
done
js "discovery: .d.ts and .d.mts skipped" "$T/disc.json" '!paths.some((p) => /\.d\.m?ts$/.test(p))'
js "discovery: other extensions skipped" "$T/disc.json" '!paths.some((p) => /\.(md|bak)$/.test(p))'
js "discovery: node_modules skipped (top level and nested)" "$T/disc.json" '!paths.some((p) => p.includes("node_modules"))'
js "discovery: .git and .wrangler skipped" "$T/disc.json" '!paths.some((p) => p.startsWith(".git/") || p.startsWith(".wrangler/"))'
js "discovery: other dot-directories are scanned" "$T/disc.json" 'paths.includes(".github/scripts/ci.ts")'
js "discovery: exactly the expected files" "$T/disc.json" \
  'j.filesAnalyzed === 12 && paths.join(" ") === ".github/scripts/ci.ts gen/deep/h.ts gen/g.ts src/a.test.ts src/f_cjs.cjs src/f_cts.cts src/f_js.js src/f_jsx.jsx src/f_mjs.mjs src/f_mts.mts src/f_ts.ts src/f_tsx.tsx"'

il scan --format json --exclude 'gen/**' --exclude '*.test.ts' .
cp "$OUT" "$T/excl.json"
js "--exclude 'gen/**' skips everything under gen/" "$T/excl.json" '!paths.some((p) => p.startsWith("gen/"))'
js "--exclude '*.test.ts' skips src/a.test.ts" "$T/excl.json" '!paths.includes("src/a.test.ts")'
js "--exclude keeps the other files" "$T/excl.json" 'paths.includes("src/f_ts.ts") && paths.includes("src/f_js.js")'
il scan --format json --exclude 'src/**' .
js "--exclude 'src/**' skips everything under src/" "$OUT" '!paths.some((p) => p.startsWith("src/"))'
il scan --format json --exclude gen .
js "--exclude gen (a directory name) skips gen/" "$OUT" '!paths.some((p) => p.startsWith("gen/")) && paths.includes("src/f_ts.ts")'
il scan --format json --exclude 'gen/*' .
js "--exclude 'gen/*' skips gen/g.ts" "$OUT" '!paths.includes("gen/g.ts")'
il scan --format json --exclude '**/*.test.ts' .
js "--exclude '**/*.test.ts' skips src/a.test.ts" "$OUT" '!paths.includes("src/a.test.ts") && paths.includes("src/f_ts.ts")'
il scan --format json --exclude='src/f_*' .
js "--exclude=GLOB form" "$OUT" '!paths.some((p) => p.startsWith("src/f_"))'

il scan node_modules/pg/index.js
rc_is "explicit file inside node_modules: skipped as a walk skips it (exit 0)" 0
out_has "explicit file inside node_modules: a note says why" "under node_modules"
il scan --no-ignore node_modules/pg/index.js
rc_is "explicit file inside node_modules with --no-ignore: still skipped, as a walk skips it (exit 0)" 0
il scan --all-files --exclude gen --exclude '*.test.ts' gen/g.ts src/a.test.ts
rc_is "explicit excluded files: skipped as a walk skips them (exit 0)" 0
out_has "explicit excluded file: a note says why and names --force" "matches it; --force scans it anyway"
out_lacks "explicit excluded file gen/g.ts: no finding" "gen/g.ts:2:21: error"
il scan --all-files --force --exclude gen --exclude '*.test.ts' gen/g.ts src/a.test.ts
rc_is "explicit excluded files with --force: scanned (exit 1)" 1
out_has "explicit excluded file gen/g.ts with --force: finding printed" "gen/g.ts:2:21: error"
out_has "explicit excluded file src/a.test.ts with --force: finding printed" "src/a.test.ts:2:21: error"
il scan --format json README.md
rc_is "explicit non-source file: exit 0" 0
js "explicit non-source file: a 'skipped' notification names it" "$OUT" \
  'j.notifications.some((n) => n.path === "README.md" && n.id === "ISOL0003") && j.filesAnalyzed === 0'
mk "$PD/-dash.ts" "$POOL"
il scan -- -dash.ts
rc_is "'--' ends the options: a file named -dash.ts is scanned" 1
out_has "'--': finding in -dash.ts" "-dash.ts:2:21: error"

# ---- symbolic links
PL=$T/links
mk "$PL/src/a.ts" "$POOL"
mk "$PL/src/sub/b.ts" "$POOL"
mk "$T/outside/o.ts" "$POOL"
mk "$T/outside/more/p.ts" "$POOL"
ln -s .. "$PL/src/sub/loop"         # to src: a loop
ln -s . "$PL/src/self"              # to itself
ln -s a.ts "$PL/src/dup.ts"         # a second name of a file already scanned
ln -s ../../outside "$PL/src/ext"   # a directory outside the scanned root
ln -s ../../outside/o.ts "$PL/src/ext.ts"
ln -s nowhere.ts "$PL/src/dangling.ts"
CWD=$PL
il scan --format json src
rc_is "symlink loop: terminates, exit 1" 1
cp "$OUT" "$T/links.json"
js "symlink loop: each file reported once" "$T/links.json" \
  'paths.join(" ") === "src/a.ts src/sub/b.ts" && j.filesAnalyzed === 2'
js "symlink loop: noted" "$T/links.json" 'j.notifications.some((n) => n.id === "ISOL0005" && /loop/.test(n.message))'
js "symlink outside the root: not followed" "$T/links.json" '!paths.some((p) => /ext|outside|\/o\.ts|\/p\.ts/.test(p))'
js "symlink outside the root: noted for the directory and the file" "$T/links.json" \
  '["src/ext", "src/ext.ts"].every((p) => j.notifications.some((n) => n.path === p && n.id === "ISOL0005"))'
js "dangling symlink: noted, not fatal" "$T/links.json" 'j.notifications.some((n) => n.path === "src/dangling.ts")'
il scan --format json .
js "symlink loop from the project root: each file once" "$OUT" 'paths.join(" ") === "src/a.ts src/sub/b.ts"'

# ---- the prefilter: files naming no known client module are not parsed
PP=$T/prefilter
mk "$PP/broken.ts" 'export const x = ;'"$NL"
CWD=$PP
il scan --format json .
rc_is "prefilter: a file naming no client module, exit 0" 0
js "prefilter: the file counts as analyzed, its syntax is not checked" "$OUT" 'j.filesAnalyzed === 1 && j.notifications.length === 0'
il scan --format json --no-prefilter .
rc_is "--no-prefilter: exit 0 (syntax errors are warnings of the tool, not findings)" 0
js "--no-prefilter: the file is parsed, syntax notification" "$OUT" \
  'j.notifications.some((n) => n.path === "broken.ts" && n.id === "ISOL0002" && n.line === 1)'
# a report on stdout that prints notifications itself prints each once, not again on stderr
for fmt in text concise github; do
  il scan --format "$fmt" --no-prefilter --no-color .
  check "--format $fmt: the syntax warning is printed once" \
    test "$(cat "$OUT" "$ERR" | grep -c 'syntax errors')" = 1
done
il scan --format json --no-prefilter .
err_has "--format json: the syntax warning also reaches stderr" "broken.ts:1:"

# ==== isolint.json ===========================================================================
PF=$T/cfg
mk "$PF/src/db.ts" "$POOL"
mk "$PF/src/deep/er/x.ts" "$CLEAN"
cfg() { printf '%s\n' "$1" >"$PF/isolint.json"; }

cfg '{"rules": {"module-scope-client": "off"}}'
CWD=$T
il scan cfg/src
rc_is "isolint.json found walking up from the scanned directory: 'off' silences (exit 0)" 0
out_lacks "'off': no module-scope-client finding" "module-scope-client"
il scan cfg/src/db.ts
rc_is "isolint.json found walking up from a scanned file: exit 0" 0
il scan cfg/src/deep/er
rc_is "isolint.json found several levels up: exit 0" 0
CWD=$PF/src
il scan
rc_is "isolint.json found from the current directory: exit 0" 0

cfg '{"rules": {"module-scope-client": "warning"}}'
CWD=$PF
il scan .
rc_is "'warning' level: exit 1" 1
out_has "'warning' level: reported as a warning" "src/db.ts:2:21: warning [module-scope-client]"
il scan --format sarif .
js "'warning' level: SARIF level warning" "$OUT" 'j.runs[0].results[0].level === "warning"'
cfg '{"rules": {"module-scope-client": "note"}}'
il scan .
rc_is "'note' level: exit 0" 0
out_has "'note' level: reported as a note" "src/db.ts:2:21: note [module-scope-client]"
cfg '{"$schema": "https://example.invalid/isolint.schema.json", "rules": {"module-scope-client": "error"}}'
il scan .
rc_is "\$schema key accepted" 1

cfg '{"rulez": {}}'
il scan .
rc_is "unknown key: exit 2" 2
err_has "unknown key: key named" '"rulez"'
err_has "unknown key: file named" "$PF/isolint.json"
out_empty "unknown key: no report"
cfg '{"rules": {"module-scope-client": "loud"}}'
il scan .
rc_is "bad level: exit 2" 2
err_has "bad level: rule named" "module-scope-client"
err_has "bad level: file named" "isolint.json"
cfg '{"rules": {"no-such-rule": "off"}}'
il scan .
rc_is "unknown rule: exit 2" 2
err_has "unknown rule: rule named" "no-such-rule"
cfg '{"rules": {"module-scope-client": "off"}'
il scan .
rc_is "invalid JSON: exit 2" 2
err_has "invalid JSON: file named" "isolint.json"
cfg '{"exclude": "gen"}'
il scan .
rc_is "exclude not an array: exit 2" 2
err_has "exclude not an array: key named" '"exclude"'
cfg '{"clients": [{"module": "acme-db", "export": "Acme", "colour": "red"}]}'
il scan .
rc_is "bad clients row: exit 2" 2
err_has "bad clients row: key named" "colour"

# broken isolint.json still present from here on: --no-config and --config bypass it
il scan --no-config .
rc_is "--no-config ignores isolint.json" 1
out_has "--no-config: default level" "src/db.ts:2:21: error [module-scope-client]"
printf '{"rules": {"module-scope-client": "off"}}\n' >"$T/other.json"
il scan --config "$T/other.json" .
rc_is "--config FILE replaces the nearest isolint.json" 0
il scan --config missing.json .
rc_is "--config missing.json: exit 2" 2
err_has "--config missing.json: file named" "missing.json"

# exclude, handlers and clients keys
mk "$PF/legacy/old.ts" "$POOL"
mk "$PF/src/report.gen.ts" "$POOL"
mk "$PF/src/acme.ts" 'import { AcmeClient } from "acme-db";
export const acme = new AcmeClient();
'
mk "$PF/src/handler.ts" 'import { Pool } from "pg";
export const pool = new Pool();
export function handleRequest(req: Request) { return pool.query("select 1"); }
'
cfg '{ "exclude": ["legacy", "*.gen.ts"],
  "handlers": ["handleRequest"],
  "clients": [ { "module": "acme-db", "export": "AcmeClient", "form": "new", "name": "Acme client",
                 "io": "tcp", "level": "error", "why": "holds a TCP socket" } ] }'
il scan --format json .
rc_is "exclude/handlers/clients config: exit 1" 1
cp "$OUT" "$T/cfgkeys.json"
js "config exclude: legacy/ and *.gen.ts skipped" "$T/cfgkeys.json" \
  '!paths.some((p) => p.startsWith("legacy/") || p.endsWith(".gen.ts")) && paths.includes("src/db.ts")'
js "config clients: a custom client is found" "$T/cfgkeys.json" \
  'j.results.some((r) => r.path === "src/acme.ts" && r.level === "error" && r.message.includes("Acme client"))'
js "config handlers: the function is a request handler" "$T/cfgkeys.json" \
  'j.results.some((r) => r.path === "src/handler.ts" && r.related.some((l) => /request handler .handleRequest./.test(l.message)))'
il scan --no-config --format json .
js "without the config: no custom client, no custom handler" "$OUT" \
  '!paths.includes("src/acme.ts") && !j.results.some((r) => r.related.some((l) => /request handler .handleRequest./.test(l.message)))'

# ---- knowledge base location
mkdir -p "$T/empty-kb"
CWD=$P
ISOLINT_KB_DIR=$T/empty-kb il scan .
rc_is "ISOLINT_KB_DIR without rule files: exit 2" 2
err_has "ISOLINT_KB_DIR without rule files: directory named" "$T/empty-kb"
mkdir -p "$T/kb"
printf '{ "clients": [ { "module": "acme-db", "export": "AcmeClient", "form": "new", "level": "error" } ] }\n' >"$T/kb/acme.json"
ISOLINT_KB_DIR=$T/kb il scan .
rc_is "ISOLINT_KB_DIR replaces the built-in knowledge base (pg unknown): exit 0" 0
il scan --kb "$T/kb" "$PF/src/acme.ts"
rc_is "--kb DIR: its clients are found" 1

# ==== colour ================================================================================
CWD=$P
il scan .
check "non-terminal stdout: no ESC bytes" no_esc "$OUT"
NO_COLOR=1 il scan .
check "NO_COLOR=1: no ESC bytes" no_esc "$OUT"
il scan --color .
check "--color: ESC bytes" has_esc "$OUT"
NO_COLOR=1 il scan --color .
check "--color wins over NO_COLOR" has_esc "$OUT"
il scan --color --format json .
check "--color does not touch JSON" no_esc "$OUT"
il scan --color --output "$T/reports/color.txt" .
check "--color with --output: colours in the file" has_esc "$T/reports/color.txt"
il scan --output "$T/reports/plain.txt" .
check "--output text: no colours by default" no_esc "$T/reports/plain.txt"
if command -v script >/dev/null 2>&1 && script -qec true /dev/null >/dev/null 2>&1; then
  tty_run() { # tty_run ENV... -- ARGS: isolint on a pseudo-terminal; output in $OUT
    LAST_CMD="script: isolint $*"
    { (cd "$P" && timeout "$IL_TIMEOUT" env "$@" script -qec "$(t_show "$BIN" scan .)" /dev/null) >"$OUT" 2>&1 </dev/null; RC=$?; } 2>/dev/null
    t_check_run "$RC" "$OUT" "isolint scan . (on a terminal, env $*)"
  }
  tty_run -u NO_COLOR
  check "terminal: colours by default" has_esc "$OUT"
  tty_run NO_COLOR=1
  check "terminal with NO_COLOR=1: no ESC bytes" no_esc "$OUT"
  tty_run NO_COLOR=
  check "terminal with NO_COLOR empty: colours (no-color.org: only a non-empty value counts)" has_esc "$OUT"
else
  skip "terminal: colours by default" "script(1) cannot allocate a pseudo-terminal here"
fi

# ==== inline suppressions ====================================================================
PS=$T/sup
mk "$PS/ok.ts" 'import { Pool } from "pg";
// isolint-disable-next-line module-scope-client -- one pool per test isolate, never deployed
export const a = new Pool();
export const b = new Pool(); // isolint-disable-line module-scope-client -- same-line form
/* isolint-disable-next-line module-scope-client -- block comment form */
export const c = new Pool();
'
mk "$PS/noreason.ts" 'import { Pool } from "pg";
// isolint-disable-next-line module-scope-client
export const a = new Pool();
'
mk "$PS/unused.ts" '// isolint-disable-next-line module-scope-client -- nothing to silence here
export const x = 1;
'
mk "$PS/typo.ts" 'import { Pool } from "pg";
// isolint-disable-next-line module-scope-clients -- typo in the rule id
export const a = new Pool();
'
mk "$PS/norule.ts" 'import { Pool } from "pg";
// isolint-disable-next-line -- no rule id
export const a = new Pool();
'
mk "$PS/far.ts" 'import { Pool } from "pg";
// isolint-disable-next-line module-scope-client -- two lines above the finding

export const a = new Pool();
'
CWD=$PS
il scan ok.ts
rc_is "suppression with a reason silences (next-line, line, /* */): exit 0" 0
out_has "suppression with a reason: nothing reported" "No findings in 1 file."
il scan --format json noreason.ts
rc_is "suppression without a reason: exit 1" 1
js "suppression without a reason: invalid-suppression at the comment" "$OUT" \
  'j.results.some((r) => r.ruleId === "invalid-suppression" && r.level === "warning" && r.start.line === 2 && r.start.column === 1)'
il scan --format json unused.ts
rc_is "suppression that silences nothing: exit 1" 1
js "suppression that silences nothing: unused-suppression" "$OUT" \
  'j.results.length === 1 && j.results[0].ruleId === "unused-suppression" && j.results[0].start.line === 1'
il scan --format json typo.ts
js "suppression naming an unknown rule: invalid-suppression, finding kept" "$OUT" \
  'j.results.some((r) => r.ruleId === "invalid-suppression") && j.results.some((r) => r.ruleId === "module-scope-client" && r.start.line === 3)'
il scan --format json far.ts
js "suppression on the wrong line: unused-suppression, finding kept" "$OUT" \
  'j.results.some((r) => r.ruleId === "unused-suppression") && j.results.some((r) => r.ruleId === "module-scope-client" && r.start.line === 4)'
il scan --format json norule.ts
js "suppression naming no rule: invalid-suppression" "$OUT" 'j.results.some((r) => r.ruleId === "invalid-suppression" && r.start.line === 2)'
# docs/rules/invalid-suppression.md: "There is no blanket form that disables every rule."
js "suppression naming no rule is not a blanket: the finding is kept" "$OUT" \
  'j.results.some((r) => r.ruleId === "module-scope-client" && r.start.line === 3)'
printf '{"rules": {"unused-suppression": "off"}}\n' >"$PS/isolint.json"
il scan unused.ts
rc_is "unused-suppression turned off in isolint.json: exit 0" 0
printf '{"rules": {"module-scope-client": "off"}}\n' >"$PS/isolint.json"
il scan ok.ts
rc_is "suppressions of a disabled rule are not 'unused': exit 0" 0
rm -f "$PS/isolint.json"

# ==== --output to a FIFO or a device: written in place, never replaced by rename() ============
CWD=$P
mkfifo "$T/out.fifo"
for cmd in "scan --format json" "baseline"; do
  cat "$T/out.fifo" >"$T/fifo.read" &
  reader=$!
  il $cmd -o "$T/out.fifo" .
  wait "$reader"
  rc_is "$cmd -o FIFO: exit status" 0 1
  check "$cmd -o FIFO: still a FIFO" test -p "$T/out.fifo"
  check "$cmd -o FIFO: the reader got the report" grep -q '"version"' "$T/fifo.read"
  check "$cmd -o FIFO: no temporary file left in its directory" \
    test -z "$(find "$T" -maxdepth 1 -name 'out.fifo?*' -print -quit)"
done
il scan --format sarif -o "$T/m.sarif" .
cat "$T/out.fifo" >"$T/fifo.read" &
reader=$!
il merge -o "$T/out.fifo" "$T/m.sarif"
wait "$reader"
rc_is "merge -o FIFO: exit 0" 0
check "merge -o FIFO: still a FIFO" test -p "$T/out.fifo"
check "merge -o FIFO: the reader got the log" grep -q '"runs"' "$T/fifo.read"
if [ -c /dev/full ]; then
  il scan --format json -o /dev/full .
  rc_is "--output /dev/full: exit 2" 2
  err_has "--output /dev/full: the device named" "/dev/full"
  check "--output /dev/full: still a character device" test -c /dev/full
fi

# ==== --stdin-filename: standard input linted as if it were the file ==========================
CWD=$P
mk "$T/stdin-pool.ts" "$POOL"
il_in "$T/stdin-pool.ts" scan --stdin-filename src/other.ts
rc_is "--stdin-filename: finding in the piped text, exit 1" 1
out_has "--stdin-filename: reported under the given path" "src/other.ts:2:21: error [module-scope-client]"
out_lacks "--stdin-filename: the files on disk are not scanned" "src/db.ts"
il_in "$T/stdin-pool.ts" scan --stdin-filename does/not/exist.ts
rc_is "--stdin-filename: the file need not exist" 1
out_has "--stdin-filename: a path that does not exist is reported as given" "does/not/exist.ts:2:21"
il_in "$PC/src/index.ts" scan --stdin-filename src/db.ts
rc_is "--stdin-filename: clean text under a buggy file's name: exit 0 (disk ignored)" 0
mk "$P/isolint.json" '{"rules": {"module-scope-client": "note"}}'
il_in "$T/stdin-pool.ts" scan --stdin-filename src/x.ts
rc_is "--stdin-filename: the config near the given path applies" 0
out_has "--stdin-filename: level from that config" "note [module-scope-client]"
il_in "$T/stdin-pool.ts" scan --stdin-filename src/x.ts --exclude 'src/**'
rc_is "--stdin-filename: an excluded path is not linted" 0
rm -f "$P/isolint.json"
il_in "$T/stdin-pool.ts" scan --stdin-filename src/x.ts src/db.ts
rc_is "--stdin-filename with PATH arguments: exit 2" 2
err_has "--stdin-filename with PATH arguments: named" "--stdin-filename"
for name in x.d.ts notes.txt; do
  printf 'export declare const x: number;\n' >"$T/decl.d.ts"
  CWD=$T il scan --format concise "decl.d.ts"
  cp "$OUT" "$T/explicit-dts.txt"
  il_in "$T/decl.d.ts" scan --format concise --stdin-filename "$name"
  out_has "--stdin-filename $name: ISOL0003, as an explicit file gets" "$name: warning ISOL0003 Skipped: not a TypeScript"
done
check "--stdin-filename x.d.ts: the same note as the explicit .d.ts" \
  grep -q "decl.d.ts: warning ISOL0003 Skipped: not a TypeScript" "$T/explicit-dts.txt"
il scan --stdin-filename=
rc_is "--stdin-filename empty: exit 2" 2
il_in "$T/stdin-pool.ts" scan --stdin-filename src/x.ts --staged
rc_is "--stdin-filename with --staged: exit 2" 2
il_in "$T/stdin-pool.ts" scan --format sarif --stdin-filename src/x.ts
js "--stdin-filename: SARIF uri is the given path" "$OUT" \
  'j.runs[0].results.length === 1 && j.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri === "src/x.ts"'

# ==== --rule ID=LEVEL over the config file =====================================================
CWD=$P
il scan --rule module-scope-client=off
rc_is "--rule ...=off: exit 0" 0
out_lacks "--rule ...=off: no finding" "module-scope-client"
il scan --rule module-scope-client=note
rc_is "--rule ...=note: exit 0 (below the fail level)" 0
out_has "--rule ...=note: reported as a note" "note [module-scope-client]"
mk "$P/isolint.json" '{"rules": {"module-scope-client": "off"}}'
il scan --rule module-scope-client=error
rc_is "--rule wins over isolint.json" 1
out_has "--rule wins over isolint.json: error again" "error [module-scope-client]"
rm -f "$P/isolint.json"
il scan --rule module-scope-client=loud
rc_is "--rule with a bad level: exit 2" 2
err_has "--rule with a bad level: named" "module-scope-client=loud"
il scan --rule no-such-rule=off
rc_is "--rule with an unknown rule: exit 2" 2
err_has "--rule with an unknown rule: named" "no-such-rule"
il scan --rule module-scope-client
rc_is "--rule without '=': exit 2" 2

# ==== ignore files: .gitignore, .isolintignore, build output, --no-ignore ========================
IG=$T/ignore
mkdir -p "$IG/app/src/gen" "$IG/app/dist" "$IG/app/.next/server" "$IG/app/keep" "$IG/app/src/sub"
printf 'gen/\n*.local.ts\n!keep.local.ts\n# a comment\n\n/src/sub/only.ts\n' >"$IG/app/.gitignore"
printf 'keep/\n' >"$IG/app/.isolintignore"
for f in src/a.ts src/gen/b.ts src/x.local.ts src/keep.local.ts dist/c.ts .next/server/d.ts \
         keep/e.ts src/sub/only.ts src/sub/other.ts; do
  printf 'import { Pool } from "pg";\nexport const p = new Pool();\n' >"$IG/app/$f"
done
files_of() { node -e 'const j=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8"));console.log(j.results.map(r=>r.path).sort().join(" "))' "$OUT"; }
CWD=$IG il scan --no-config --target workers --format json app
check "ignore files: the walk skips gitignored, isolintignored and build output files" \
  test "$(files_of)" = "app/src/a.ts app/src/keep.local.ts app/src/sub/other.ts"
CWD=$IG il scan --no-config --target workers --no-ignore --format json app
check "--no-ignore: every file is scanned" test "$(files_of | wc -w)" = 9
CWD=$IG/app il scan --no-config --target workers --format json src/gen/b.ts dist/c.ts src/a.ts
check "explicit files the walk would skip are skipped" test "$(files_of)" = "src/a.ts"
CWD=$IG/app il scan --no-config --target workers src/gen/b.ts
out_has "an explicit file skipped says why" "an ignore file lists it"
CWD=$IG/app il scan --no-config --target workers --no-ignore --format json src/gen/b.ts dist/c.ts
check "explicit files with --no-ignore: ignore files and build output do not apply" \
  test "$(files_of)" = "dist/c.ts src/gen/b.ts"
CWD=$IG/app il_in "$IG/app/src/gen/b.ts" scan --no-config --target workers --format json --stdin-filename src/gen/b.ts
check "--stdin-filename of an ignored path is skipped too" test -z "$(files_of)"

# git's own excludes, in a repository's top directory: the global excludes file (core.excludesFile
# of ~/.gitconfig, else ~/.config/git/ignore) and .git/info/exclude, below every ignore file
GX=$T/gitexcludes
mkdir -p "$GX/home/.config/git" "$GX/home2" "$GX/repo/.git/info" "$GX/repo/src/tmp"
printf '*.scratch.ts\n' >"$GX/home/.config/git/ignore"
printf '[user]\n  name = x\n[core]\n  excludesFile = ~/my-ignore\n' >"$GX/home2/.gitconfig"
printf 'tmp/\n' >"$GX/home2/my-ignore"
printf 'src/tmp/\n' >"$GX/repo/.git/info/exclude"
printf '!keep.scratch.ts\n' >"$GX/repo/.gitignore"
for f in src/a.ts src/b.scratch.ts src/keep.scratch.ts src/tmp/c.ts; do
  printf 'import { Pool } from "pg";\nexport const p = new Pool();\n' >"$GX/repo/$f"
done
HOME=$GX/home XDG_CONFIG_HOME= CWD=$GX/repo il scan --no-config --target workers --format json .
check "git excludes: ~/.config/git/ignore and .git/info/exclude apply, a .gitignore overrides them" \
  test "$(files_of)" = "src/a.ts src/keep.scratch.ts"
HOME=$GX/home2 XDG_CONFIG_HOME= CWD=$GX/repo il scan --no-config --target workers --format json .
check "git excludes: core.excludesFile of ~/.gitconfig replaces the default file" \
  test "$(files_of)" = "src/a.ts src/b.scratch.ts src/keep.scratch.ts"
HOME=$GX/home XDG_CONFIG_HOME= CWD=$GX/repo il scan --no-config --target workers --format json src/b.scratch.ts src/a.ts
check "git excludes: explicit paths are skipped the same way" test "$(files_of)" = "src/a.ts"

# ==== summary ==================================================================================
if [ "$BAD_RUNS" -eq 0 ]; then
  pass "$RUNS runs: no crash, no hang, no sanitizer report"
fi
t_done
