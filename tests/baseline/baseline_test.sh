#!/usr/bin/env bash
# Baselines as docs/config.md describes them: `isolint baseline` writes today's findings,
# `isolint scan --baseline FILE` reports only the others. Covers matching (moved code,
# copied lines, changed lines, renamed files, the fingerprint window), every report format,
# bad baseline files, and the options of `isolint baseline`.
#
#     tests/baseline/baseline_test.sh ISOLINT_BINARY SOURCE_DIR
#
# Prints `ok - NAME` / `not ok - NAME` per assertion, ends with `N passed, N failed` and
# exits 1 on any failure. Needs bash and node; SARIF checks use tests/sarif/validate.sh.
set -u
# shellcheck source=tests/cli/lib.sh disable=SC2034  # CWD is read by lib.sh
. "$(cd "$(dirname "$0")/../cli" && pwd)/lib.sh"
t_init baseline "$@"

NL=$'\n'
BL=isolint-baseline.sarif
POOL='import { Pool } from "pg";'$NL'export const pool = new Pool();'$NL
# db.ts: a module-scope client on line 2, then more than 100 non-blank characters of
# unrelated code, then a function far from the finding.
DB='import { Pool } from "pg";
export const pool = new Pool();

// Helpers below have nothing to do with the pool; they give the finding some
// text after it, more than the 100 characters the line fingerprint covers.
export function add(a: number, b: number): number {
  return a + b;
}

export function twice(n: number): number {
  return n * 2;
}
'
# cache.ts: a lazy singleton on line 7.
CACHE='import { Pool } from "pg";

let pool: Pool | undefined;

export default {
  async fetch(request: Request): Promise<Response> {
    pool ??= new Pool();
    const { rows } = await pool.query("SELECT 1");
    return Response.json(rows);
  },
};
'
CLEAN='export const add = (a: number, b: number) => a + b;'$NL

BASE=$T/template
mk "$BASE/src/db.ts" "$DB"
mk "$BASE/src/cache.ts" "$CACHE"
mk "$BASE/src/util.ts" "$CLEAN"
P=$T/p
PC=$T/clean
mk "$PC/src/util.ts" "$CLEAN"

# The project back to its two bugs, with the baseline written from them (after step 1).
reset() {
  rm -rf "$P"
  cp -R "$BASE" "$P"
  if [ -f "$T/baseline.sarif" ]; then cp "$T/baseline.sarif" "$P/$BL"; fi
}

# The JSON report of `scan --baseline` in $P: results, their paths and states.
scan_json() { il scan --format json --baseline "$BL" "$@"; }

# ==== writing a baseline ====================================================================
reset
CWD=$P
il scan --format json .
rc_is "the project has findings: exit 1" 1
js "the project has 2 findings" "$OUT" 'j.results.length === 2'
js "without --baseline no result has a baselineState" "$OUT" 'j.results.every((r) => !("baselineState" in r))'
il scan --format sarif .
js "without --baseline no SARIF result has a baselineState" "$OUT" \
  'j.runs[0].results.length === 2 && j.runs[0].results.every((r) => !("baselineState" in r))'

il baseline
rc_is "isolint baseline: exit 0 although there are findings" 0
out_empty "isolint baseline: nothing on stdout"
err_has "isolint baseline: one summary line" "isolint: baseline of 2 findings in 2 files written to $BL"
check "isolint baseline: exactly one line on stderr" [ "$(wc -l <"$ERR")" -eq 1 ]
check "isolint baseline: writes $BL" [ -f "$P/$BL" ]
js "the baseline holds both findings" "$P/$BL" \
  'j.runs[0].tool.driver.name === "isolint" && JSON.stringify(j.runs[0].results.map((r) => [r.ruleId, r.locations[0].physicalLocation.artifactLocation.uri]).sort()) === JSON.stringify([["lazy-singleton-client", "src/cache.ts"], ["module-scope-client", "src/db.ts"]])'
js "the baseline carries line fingerprints" "$P/$BL" \
  'j.runs[0].results.every((r) => /^[0-9a-f]+:[0-9]+$/.test(r.partialFingerprints.primaryLocationLineHash))'
js "the baseline has isolint's own fingerprint on every result" "$P/$BL" \
  'j.runs[0].results.every((r) => /^[0-9a-f]{16}:[1-9][0-9]*$/.test(r.partialFingerprints["isolintFingerprint/v1"]))'
js "the baseline says the run succeeded (exit code 0)" "$P/$BL" \
  'j.runs[0].invocations[0].exitCode === 0 && j.runs[0].invocations[0].executionSuccessful === true'
sarif_ok "the baseline is valid SARIF" "$P/$BL"
check "isolint baseline: no temporary file left" [ "$(ls -A "$P" | grep -c "$BL.")" -eq 0 ]
cp "$P/$BL" "$T/baseline.sarif"
il baseline
check "isolint baseline: the same file again (deterministic)" cmp -s "$P/$BL" "$T/baseline.sarif"

# ==== nothing new ============================================================================
il scan --baseline "$BL"
rc_is "scan --baseline, nothing new: exit 0" 0
out_lacks "text: the baselined finding in db.ts is not shown" "src/db.ts"
out_lacks "text: the baselined finding in cache.ts is not shown" "src/cache.ts"
out_has "text: no findings" "No findings"
scan_json
rc_is "json --baseline, nothing new: exit 0" 0
js "json: no result" "$OUT" 'j.results.length === 0 && j.filesAnalyzed === 3'
il scan --format sarif --baseline "$BL" -o "$T/none.sarif"
rc_is "sarif --baseline, nothing new: exit 0" 0
js "sarif: no result, exit code 0 recorded" "$T/none.sarif" \
  'j.runs[0].results.length === 0 && j.runs[0].invocations[0].exitCode === 0'
for fmt in concise github; do
  il scan --format "$fmt" --baseline "$BL"
  rc_is "$fmt --baseline, nothing new: exit 0" 0
  cp "$OUT" "$T/$fmt.out"
  CWD=$PC
  il scan --format "$fmt" .
  CWD=$P
  check "$fmt --baseline, nothing new: the same report as a clean project" cmp -s "$OUT" "$T/$fmt.out"
done
il scan --fail-level note --baseline "$BL"
rc_is "--fail-level note --baseline, nothing new: exit 0" 0

# ==== a new bug ==============================================================================
mk "$P/src/new.ts" "$POOL"
il scan --baseline "$BL"
rc_is "a new bug: exit 1" 1
out_has "text: the new finding is shown" "src/new.ts:2:21: error [module-scope-client]"
out_lacks "text: the old db.ts finding is not" "src/db.ts"
out_lacks "text: the old cache.ts finding is not" "src/cache.ts"
out_has "text: the summary counts the new finding only" "1 finding"
scan_json
rc_is "json, a new bug: exit 1" 1
js "json: only the new finding" "$OUT" 'JSON.stringify(paths) === JSON.stringify(["src/new.ts"])'
js "json: baselineState new" "$OUT" 'j.results[0].baselineState === "new"'
il scan --format sarif --baseline "$BL" -o "$T/new.sarif"
rc_is "sarif, a new bug: exit 1" 1
js "sarif: only the new finding" "$T/new.sarif" \
  'j.runs[0].results.length === 1 && j.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri === "src/new.ts"'
js "sarif: baselineState new on it" "$T/new.sarif" 'j.runs[0].results[0].baselineState === "new"'
js "sarif: exit code 1 recorded" "$T/new.sarif" 'j.runs[0].invocations[0].exitCode === 1'
sarif_ok "sarif with baselineState is valid" "$T/new.sarif"
for fmt in concise github; do
  il scan --format "$fmt" --baseline "$BL"
  rc_is "$fmt, a new bug: exit 1" 1
  out_lacks "$fmt: the old db.ts finding is not shown" "src/db.ts"
  out_lacks "$fmt: the old cache.ts finding is not shown" "src/cache.ts"
  cp "$OUT" "$T/$fmt.out"
  il scan --format "$fmt" src/new.ts
  check "$fmt: the same report as a scan of the new file alone" cmp -s "$OUT" "$T/$fmt.out"
done
il scan --exit-zero --baseline "$BL"
rc_is "a new bug with --exit-zero: exit 0" 0
il scan --fail-level error --baseline "$BL"
rc_is "a new error-level bug with --fail-level error: exit 1" 1
il scan --baseline "$BL" src/db.ts src/cache.ts
rc_is "only the old files named: exit 0" 0

# ==== moved code stays matched =================================================================
reset
{ printf '// a header comment\n// added above the import\n\n'; cat "$BASE/src/db.ts"; } >"$P/src/db.ts"
il scan --format json .
js "moved: the finding is now on line 5" "$OUT" 'j.results.some((r) => r.path === "src/db.ts" && r.start.line === 5)'
scan_json
rc_is "lines inserted above an old bug: exit 0" 0
js "lines inserted above an old bug: still matched" "$OUT" 'j.results.length === 0'

reset
sed -i '2d' "$P/src/cache.ts" # the blank line above the lazy singleton
il scan --format json .
js "moved up: the cache.ts finding is now on line 6" "$OUT" 'j.results.some((r) => r.path === "src/cache.ts" && r.start.line === 6)'
scan_json
rc_is "a line deleted above an old bug: exit 0" 0

reset
sed -i 's/^export const pool = new Pool();$/export   const pool =   new Pool();/' "$P/src/db.ts"
il scan --format json .
js "respaced: the finding moved to column 25" "$OUT" 'j.results.some((r) => r.path === "src/db.ts" && r.start.column === 25)'
scan_json
rc_is "spaces added on the old bug's line: still matched, exit 0" 0

reset
sed -i 's/return n \* 2;/return n * 3;/' "$P/src/db.ts"
grep -q 'n \* 3' "$P/src/db.ts"
check "edited: the far code changed" [ $? -eq 0 ]
scan_json
rc_is "code edited far below an old bug (past the fingerprint window): still matched" 0

# ==== what becomes new ==========================================================================
reset
sed -i '2p' "$P/src/db.ts" # the offending line now appears twice
il scan --format json .
js "copied: two findings in db.ts" "$OUT" 'j.results.filter((r) => r.path === "src/db.ts").length === 2'
scan_json
rc_is "an old bug's line copied: exit 1" 1
js "an old bug's line copied: one matched, one new" "$OUT" \
  'j.results.length === 1 && j.results[0].path === "src/db.ts" && j.results[0].baselineState === "new"'

reset
sed -i '2p;2p' "$P/src/db.ts" # three copies
scan_json
js "an old bug's line there three times: one matched, two new" "$OUT" \
  'j.results.length === 2 && j.results.every((r) => r.path === "src/db.ts")'

reset
sed -i 's/^export const pool = new Pool();$/export const db = new Pool();/' "$P/src/db.ts"
scan_json
rc_is "the offending line changed: exit 1" 1
js "the offending line changed: reported as new" "$OUT" \
  'JSON.stringify(paths) === JSON.stringify(["src/db.ts"]) && j.results[0].start.line === 2'

reset
sed -i 's/pool ??= new Pool();/pool ??= new Pool({ max: 1 });/' "$P/src/cache.ts"
scan_json
js "the lazy singleton's line changed: new" "$OUT" 'JSON.stringify(paths) === JSON.stringify(["src/cache.ts"])'

reset
mv "$P/src/db.ts" "$P/src/database.ts"
scan_json
rc_is "file renamed: exit 1" 1
js "file renamed: its finding is new, the other file's still matched" "$OUT" \
  'JSON.stringify(paths) === JSON.stringify(["src/database.ts"])'

reset
mkdir -p "$P/lib"
mv "$P/src/cache.ts" "$P/lib/cache.ts"
scan_json
js "file moved to another directory: new" "$OUT" 'JSON.stringify(paths) === JSON.stringify(["lib/cache.ts"])'

reset
sed -i '2a export const limit = 10;' "$P/src/db.ts" # just below the finding
scan_json
rc_is "a line added right below an old bug (isolint's own fingerprint): still matched, exit 0" 0

# A baseline without isolint's own fingerprint (as GitHub or an older isolint would keep it):
# matched by GitHub's primaryLocationLineHash, which also hashes the text after the line.
reset
node -e '
  const fs = require("fs");
  const j = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
  for (const r of j.runs[0].results) delete r.partialFingerprints["isolintFingerprint/v1"];
  fs.writeFileSync(process.argv[1], JSON.stringify(j));' "$P/$BL"
scan_json
rc_is "baseline without isolintFingerprint/v1: matched by primaryLocationLineHash, exit 0" 0
sed -i '2a export const limit = 10;' "$P/src/db.ts" # just below the finding
scan_json
rc_is "baseline without isolintFingerprint/v1, a line added right below an old bug: exit 1" 1
js "baseline without isolintFingerprint/v1, a line added right below: reported as new" "$OUT" \
  'JSON.stringify(paths) === JSON.stringify(["src/db.ts"])'

reset
rm "$P/src/cache.ts"
scan_json
rc_is "an old bug fixed (stale baseline entry): exit 0" 0
js "an old bug fixed: nothing reported" "$OUT" 'j.results.length === 0'

reset
mk "$P/src/other.ts" "$POOL"
printf '%s' "$DB" >"$P/src/db2.ts" # the same code in another file: new too
scan_json
js "the same code in other files: new" "$OUT" \
  'JSON.stringify(paths) === JSON.stringify(["src/db2.ts", "src/other.ts"])'

# ==== levels and rules ============================================================================
reset
printf '{"rules": {"module-scope-client": "warning"}}\n' >"$P/isolint.json"
scan_json
rc_is "the rule's level changed since the baseline: still matched" 0
printf '{"rules": {"module-scope-client": "off"}}\n' >"$P/isolint.json"
il baseline -o off.sarif
rc_is "baseline with a rule off: exit 0" 0
err_has "baseline with a rule off: 1 finding" "baseline of 1 finding in 1 file written to off.sarif"
rm "$P/isolint.json"
il scan --format json --baseline off.sarif
rc_is "the rule turned on again: exit 1" 1
js "the rule turned on again: its finding is new" "$OUT" 'JSON.stringify(paths) === JSON.stringify(["src/db.ts"])'
il scan --format json --baseline off.sarif --rule module-scope-client=off
rc_is "--rule over the baseline run: exit 0" 0

# ==== several findings on one line, odd paths, absolute paths, stdin =================================
PT=$T/two
mk "$PT/src/two.ts" 'import { Pool } from "pg";'"$NL"'export const a = new Pool(), b = new Pool();'"$NL"
CWD=$PT
il baseline
err_has "two findings on one line: both in the baseline" "baseline of 2 findings in 1 file"
il scan --format json --baseline "$BL"
rc_is "two findings on one line: both matched" 0
sed -i 's/b = new Pool()/b = new Pool(), c = new Pool()/' "$PT/src/two.ts"
il scan --format json --baseline "$BL"
js "a third client added on that line: the line changed, all three new" "$OUT" 'j.results.length === 3'

# One baseline entry matches one finding: a second finding of the same rule appears on an
# unchanged line (a client row added to isolint.json), so the two share rule, path and
# fingerprint; only one of them can be the baselined one.
PS=$T/same
mk "$PS/src/s.ts" 'import { Pool } from "pg";'"$NL"'import { make } from "acme-kit";'"$NL"'export const a = new Pool(), b = make();'"$NL"
CWD=$PS
il baseline
err_has "one entry per finding: the baseline holds the one finding" "baseline of 1 finding in 1 file"
printf '{"clients": [{"module": "acme-kit", "export": "make", "form": "call"}]}\n' >"$PS/isolint.json"
il scan --format json
js "one entry per finding: now two findings on the unchanged line" "$OUT" \
  'j.results.length === 2 && j.results.every((r) => r.start.line === 3 && r.ruleId === "module-scope-client")'
il scan --format json --baseline "$BL"
rc_is "one entry per finding: exit 1" 1
js "one entry per finding: one matched, the other new" "$OUT" \
  'j.results.length === 1 && j.results[0].start.column === 34 && j.results[0].baselineState === "new"'

PO=$T/odd
ODD='src/my file%20 ü#1.ts'
mk "$PO/$ODD" "$POOL"
CWD=$PO
il baseline
rc_is "a path needing percent-encoding: baseline written" 0
js "the baseline's URI is percent-encoded" "$PO/$BL" \
  'j.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri === "src/my%20file%2520%20%C3%BC%231.ts"'
il scan --format json --baseline "$BL"
rc_is "a path needing percent-encoding: matched" 0
js "a path needing percent-encoding: nothing reported" "$OUT" 'j.results.length === 0'

reset
mkdir -p "$T/elsewhere"
CWD=$T/elsewhere
il baseline -o abs.sarif "$P/src"
js "files outside the current directory: file: URIs" "$T/elsewhere/abs.sarif" \
  'j.runs[0].results.length === 2 && j.runs[0].results.every((r) => r.locations[0].physicalLocation.artifactLocation.uri.startsWith("file:///"))'
il scan --format json --baseline abs.sarif "$P/src"
rc_is "absolute paths: matched" 0
mk "$P/src/new.ts" "$POOL"
il scan --format json --baseline abs.sarif "$P/src"
js "absolute paths: a new file is new" "$OUT" "j.results.length === 1 && j.results[0].path === '$P/src/new.ts'"
rm "$P/src/new.ts"
CWD=$P
il scan --format json --baseline "$T/elsewhere/abs.sarif" .
js "a baseline written from another directory does not match (documented)" "$OUT" 'j.results.length === 2'

reset
LAST_CMD="(cd $P) isolint scan --baseline $BL --stdin-filename src/db.ts"
(cd "$P" && timeout 60 "$BIN" scan --format json --baseline "$BL" --stdin-filename src/db.ts <"$P/src/db.ts" >"$OUT" 2>"$ERR")
RC=$?
rc_is "--stdin-filename with an old bug: matched, exit 0" 0
js "--stdin-filename with an old bug: nothing reported" "$OUT" 'j.filesAnalyzed === 1 && j.results.length === 0'
{ printf '%s' "$POOL"; printf 'export const more = new Pool();\n'; } >"$T/stdin.ts"
(cd "$P" && timeout 60 "$BIN" scan --format json --baseline "$BL" --stdin-filename src/db.ts <"$T/stdin.ts" >"$OUT" 2>"$ERR")
RC=$?
rc_is "--stdin-filename with a new bug: exit 1" 1

reset
il scan --format sarif -o report.sarif .
il scan --format json --baseline report.sarif
rc_is "a report from scan --format sarif works as a baseline" 0

# ==== bad baseline files: exit 2, the file named ===================================================
reset
# bad_baseline NAME FILE [WORD]: scan --baseline FILE exits 2 naming FILE (and WORD).
bad_baseline() {
  local name=$1 file=$2 word=${3:-}
  il scan --baseline "$file"
  rc_is "$name: exit 2" 2
  err_has "$name: names the file" "isolint: --baseline $file"
  if [ -n "$word" ]; then err_has "$name: says why" "$word"; fi
}
bad_baseline "missing baseline" missing.sarif "No such file or directory"
: >"$P/empty.sarif"
bad_baseline "empty baseline" empty.sarif "empty"
printf '{"version": "2.1.0", "runs": [{"tool": ' >"$P/cut.sarif"
bad_baseline "truncated baseline" cut.sarif "not a SARIF log"
printf 'not json at all\n' >"$P/text.sarif"
bad_baseline "not JSON" text.sarif "not a SARIF log"
printf '{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "ESLint"}}, "results": []}]}\n' >"$P/eslint.sarif"
bad_baseline "another tool's SARIF" eslint.sarif "written by 'ESLint', not isolint"
printf '{"rules": {}}\n' >"$P/config.json"
bad_baseline "JSON that is not SARIF" config.json "not a SARIF log"
printf '[1, 2]\n' >"$P/array.sarif"
bad_baseline "a JSON array" array.sarif "not a SARIF log"
node -e 'const j = JSON.parse(require("fs").readFileSync(process.argv[1])); j.version = "2.0.0"; console.log(JSON.stringify(j))' "$P/$BL" >"$P/v2.sarif"
bad_baseline "SARIF 2.0.0" v2.sarif "2.0.0"
printf '{"version": "2.1.0", "runs": []}\n' >"$P/noruns.sarif"
bad_baseline "no run" noruns.sarif "no run"
node -e 'const j = JSON.parse(require("fs").readFileSync(process.argv[1])); delete j.runs[0].results[1].partialFingerprints; console.log(JSON.stringify(j))' "$P/$BL" >"$P/nofp.sarif"
bad_baseline "a result without fingerprint" nofp.sarif "runs[0].results[1]"
node -e 'const j = JSON.parse(require("fs").readFileSync(process.argv[1])); delete j.runs[0].results; console.log(JSON.stringify(j))' "$P/$BL" >"$P/noresults.sarif"
bad_baseline "a run without results" noresults.sarif "results"
mkdir -p "$P/adir"
bad_baseline "a directory" adir "directory"
il scan --format json --baseline missing.sarif
js "bad baseline: the report is still written, without baseline states" "$OUT" \
  'j.results.length === 2 && j.results.every((r) => r.baselineState === undefined)'
il baseline --baseline missing.sarif
rc_is "isolint baseline --baseline: exit 2" 2

# ==== isolint baseline options ========================================================================
reset
il baseline --help
rc_is "baseline --help: exit 0" 0
out_has "baseline --help: usage" "Usage: isolint baseline"
il baseline --format json
rc_is "baseline --format json: exit 2" 2
err_has "baseline --format json: says a baseline is SARIF" "always SARIF"
il baseline --format=text
rc_is "baseline --format=text: exit 2" 2
il baseline --format sarif
rc_is "baseline --format sarif: exit 0" 0
il baseline --exclude --format
rc_is "baseline: a value that looks like --format is not taken for it (exit 0)" 0
il baseline --baseline "$BL"
rc_is "baseline --baseline: exit 2" 2
err_has "baseline --baseline: explained" "--baseline cannot be used"
check "baseline --baseline: the baseline is untouched" cmp -s "$P/$BL" "$T/baseline.sarif"
il baseline --frob
rc_is "baseline unknown option: exit 2" 2

il baseline -o custom.sarif src/db.ts
rc_is "baseline -o FILE PATH: exit 0" 0
err_has "baseline -o FILE PATH: summary names the file" "baseline of 1 finding in 1 file written to custom.sarif"
js "baseline -o FILE PATH: only that path's finding" "$P/custom.sarif" 'j.runs[0].results.length === 1'
check "baseline -o FILE: the default file is untouched" cmp -s "$P/$BL" "$T/baseline.sarif"
il baseline --output=other.sarif --rule lazy-singleton-client=off
err_has "baseline --output= --rule: 1 finding" "baseline of 1 finding in 1 file written to other.sarif"

il baseline nope
rc_is "baseline of a missing path: exit 2" 2
check "baseline of a missing path: the old baseline is left as it was" cmp -s "$P/$BL" "$T/baseline.sarif"
err_has "baseline of a missing path: says so" "left unchanged"
check "baseline of a missing path: no temporary file left" [ "$(ls -A "$P" | grep -c "$BL.")" -eq 0 ]
printf '{"rulez": 1}\n' >"$P/isolint.json"
il baseline
rc_is "baseline with a bad isolint.json: exit 2" 2
err_has "baseline with a bad isolint.json: names it" "isolint.json"
check "baseline with a bad isolint.json: the old baseline is left as it was" cmp -s "$P/$BL" "$T/baseline.sarif"
check "baseline with a bad isolint.json: no temporary file left" [ "$(ls -A "$P" | grep -c "$BL.")" -eq 0 ]
rm "$P/isolint.json"
il baseline -o no/such/dir/b.sarif
rc_is "baseline into a missing directory: exit 2" 2
err_has "baseline into a missing directory: names it" "no/such/dir/b.sarif"
CWD=$PC
il baseline
rc_is "baseline of a clean project: exit 0" 0
err_has "baseline of a clean project: 0 findings" "baseline of 0 findings in 0 files"
js "baseline of a clean project: an empty results array" "$PC/$BL" 'j.runs[0].results.length === 0'
il scan --baseline "$BL"
rc_is "scan with an empty baseline: exit 0" 0
mk "$PC/src/db.ts" "$POOL"
il scan --baseline "$BL"
rc_is "scan with an empty baseline and a bug: exit 1" 1

t_done
