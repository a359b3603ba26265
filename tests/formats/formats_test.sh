#!/usr/bin/env bash
# The CI formats (docs/usage.md): gitlab (GitLab Code Quality), junit, checkstyle, rdjson
# (reviewdog) and json-lines, each parsed back and checked against the json format's
# results of the same scan: XML with xmllint (well-formedness, then XPath over the content),
# JSON with node. Also odd file names (XML metacharacters, control characters, invalid
# UTF-8), UTF-8 byte columns in rdjson, notifications in junit/checkstyle, empty reports.
#
#     tests/formats/formats_test.sh ISOLINT_BINARY SOURCE_DIR
set -u
# shellcheck source=tests/cli/lib.sh disable=SC2034
. "$(cd "$(dirname "$0")/../cli" && pwd)/lib.sh"
t_init formats "$@"
if ! command -v xmllint >/dev/null 2>&1; then
  fail "xmllint is needed to parse the XML reports (Debian: apt-get install libxml2-utils)"
  t_done
fi

NL=$'\n'
POOL='import { Pool } from "pg";'"$NL"'export const pool = new Pool();'"$NL"'export function f() { return pool; }'$NL
W=$T/w
mk "$W/src/a&b<c>\"q'.ts" "$POOL"
mk "$W/src/"$'ctl\x01\x7f'"name.ts" "$POOL"
mk "$W/src/"$'bad\xff'".ts" "$POOL"
# a non-ASCII line before the finding's column: 'é' is one UTF-16 unit and two UTF-8 bytes
mk "$W/src/u.ts" 'import { Pool } from "pg";'"$NL"'/* é */ export const p = new Pool();'"$NL"'export function g() { return p; }'$NL
mk "$W/src/neon.ts" 'import { neon } from "@neondatabase/serverless";'"$NL"'export const sql = neon(process.env.DATABASE_URL);'$NL
mk "$W/src/broken.ts" 'import { Pool } from "pg";'"$NL"'const x = (;'"$NL"'export const q = new Pool();'$NL

scan() { # scan FORMAT [ARGS...]: in $W, output to $T/out.FORMAT
  local fmt=$1
  shift
  CWD=$W il scan --no-config --format "$fmt" --output "$T/out.$fmt" "$@" .
}
scan json
rc_is "json reference scan: exit 1" 1
cp "$T/out.json" "$T/ref.json"
N=$(node -p 'JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).results.length' "$T/ref.json")
check "the reference scan has findings of every level" test "$N" -ge 6

# ---- gitlab: GitLab Code Quality ----
scan gitlab
rc_is "gitlab: exit 1" 1
js "gitlab: an array with one issue per finding" "$T/out.gitlab" "Array.isArray(j) && j.length === $N"
js "gitlab: every issue has GitLab's required fields with their types" "$T/out.gitlab" \
  "j.every((i) => typeof i.description === 'string' && i.description.length > 0 &&
     typeof i.check_name === 'string' && typeof i.fingerprint === 'string' && /^[0-9a-f]{32}\$/.test(i.fingerprint) &&
     ['info', 'minor', 'major', 'critical', 'blocker'].includes(i.severity) &&
     typeof i.location.path === 'string' && Number.isInteger(i.location.lines.begin) && i.location.lines.begin >= 1)"
js "gitlab: fingerprints are unique" "$T/out.gitlab" "new Set(j.map((i) => i.fingerprint)).size === j.length"
js "gitlab: the json results' rule, path, line and message; error -> major, warning -> minor, note -> info" "$T/out.gitlab" "
((ref) => ref.every((r, k) => j[k].check_name === r.ruleId && j[k].location.path === r.path &&
  j[k].location.lines.begin === r.start.line && j[k].description === r.message &&
  j[k].severity === ({ error: 'major', warning: 'minor', note: 'info' })[r.level]))(
JSON.parse(require('fs').readFileSync('$T/ref.json', 'utf8')).results)"
cp "$T/out.gitlab" "$T/gitlab.1"
printf '// a comment line added above\n' | cat - "$W/src/u.ts" >"$T/u.ts" && mv "$T/u.ts" "$W/src/u.ts"
scan gitlab
js "gitlab: a fingerprint survives edits of other lines (the line moved down by one)" "$T/out.gitlab" "
((old) => { const a = old.find((i) => i.location.path === 'src/u.ts'), b = j.find((i) => i.location.path === 'src/u.ts');
  return a && b && a.fingerprint === b.fingerprint && b.location.lines.begin === a.location.lines.begin + 1; })(
JSON.parse(require('fs').readFileSync('$T/gitlab.1', 'utf8')))"
scan json
cp "$T/out.json" "$T/ref.json"

# ---- junit ----
scan junit
rc_is "junit: exit 1" 1
check "junit: well-formed XML (xmllint)" xmllint --noout "$T/out.junit"
xp() { xmllint --xpath "$2" "$1" 2>/dev/null; }
check "junit: one failed testcase per finding" test "$(xp "$T/out.junit" 'count(//testsuite/testcase/failure)')" = "$N"
check "junit: the suite's counts add up" bash -c "
  [ \"\$(xmllint --xpath 'string(/testsuites/testsuite/@failures)' '$T/out.junit')\" = $N ] &&
  [ \"\$(xmllint --xpath 'string(/testsuites/testsuite/@tests)' '$T/out.junit')\" = \"\$(xmllint --xpath 'count(//testcase)' '$T/out.junit')\" ] &&
  [ \"\$(xmllint --xpath 'string(/testsuites/testsuite/@errors)' '$T/out.junit')\" = \"\$(xmllint --xpath 'count(//testcase/error)' '$T/out.junit')\" ] &&
  [ \"\$(xmllint --xpath 'string(/testsuites/testsuite/@skipped)' '$T/out.junit')\" = \"\$(xmllint --xpath 'count(//testcase/skipped)' '$T/out.junit')\" ]"
check "junit: the file with XML metacharacters in its name comes back as written" \
  test "$(xp "$T/out.junit" "string(//testcase[starts-with(@file, 'src/a&')]/@file)")" = "src/a&b<c>\"q'.ts"
check "junit: the first failure's message is the json result's" bash -c "
  [ \"\$(xmllint --xpath 'string((//testcase/failure)[1]/@message)' '$T/out.junit')\" = \"\$(node -p 'JSON.parse(require(\"fs\").readFileSync(process.argv[1], \"utf8\")).results[0].message' '$T/ref.json')\" ]"
check "junit: a syntax error notification is a testcase (skipped, warning level)" \
  test "$(xp "$T/out.junit" "count(//testcase[@file='src/broken.ts']/skipped)")" = 1

# ---- checkstyle ----
scan checkstyle
rc_is "checkstyle: exit 1" 1
check "checkstyle: well-formed XML (xmllint)" xmllint --noout "$T/out.checkstyle"
check "checkstyle: one isolint.<rule> error per finding" \
  test "$(xp "$T/out.checkstyle" "count(//file/error[starts-with(@source, 'isolint.') and not(starts-with(@source, 'isolint.ISOL'))])")" = "$N"
node - "$T/ref.json" >"$T/cs.want" <<'JS'
const j = JSON.parse(require('fs').readFileSync(process.argv[2], 'utf8'));
const sev = { error: 'error', warning: 'warning', note: 'info' };
for (const r of j.results) console.log([r.path, r.start.line, r.start.column, sev[r.level], 'isolint.' + r.ruleId].join('|'));
JS
node - "$T/out.checkstyle" >"$T/cs.got" <<'JS'
// a small reader of the checkstyle this writer emits (xmllint has checked it is well-formed)
const x = require('fs').readFileSync(process.argv[2], 'utf8');
const un = (s) => s.replace(/&#(\d+);/g, (m, d) => String.fromCodePoint(+d)).replace(/&lt;/g, '<')
  .replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
let file = null;
for (const m of x.matchAll(/<file name="([^"]*)">|<error ([^>]*)\/>/g)) {
  if (m[1] !== undefined) { file = un(m[1]); continue; }
  const a = Object.fromEntries([...m[2].matchAll(/(\w+)="([^"]*)"/g)].map((p) => [p[1], un(p[2])]));
  if (a.source.startsWith('isolint.ISOL')) continue;
  console.log([file, a.line, a.column, a.severity, a.source].join('|'));
}
JS
# the json format keeps a control character in a path as written; XML cannot carry it (U+FFFD)
sed -i 's/ctl\x01\x7fname/ctl\xef\xbf\xbd\x7fname/' "$T/cs.want"
check "checkstyle: path, line, column, severity and rule of every finding match the json results" \
  cmp "$T/cs.want" "$T/cs.got"
check "checkstyle: the syntax error notification is a warning of source isolint.ISOL0002" \
  test "$(xp "$T/out.checkstyle" "count(//file[@name='src/broken.ts']/error[@source='isolint.ISOL0002' and @severity='warning'])")" = 1

# ---- rdjson: reviewdog ----
scan rdjson
rc_is "rdjson: exit 1" 1
js "rdjson: a DiagnosticResult with source.name and one diagnostic per finding" "$T/out.rdjson" \
  "j.source.name === 'isolint' && Array.isArray(j.diagnostics) && j.diagnostics.length === $N"
js "rdjson: the fields reviewdog needs (message, location.path, range.start line/column >= 1, severity enum, code.value)" "$T/out.rdjson" \
  "j.diagnostics.every((d) => typeof d.message === 'string' && d.message && typeof d.location.path === 'string' &&
     d.location.range.start.line >= 1 && d.location.range.start.column >= 1 &&
     (d.location.range.end.line > d.location.range.start.line || d.location.range.end.column >= d.location.range.start.column) &&
     ['ERROR', 'WARNING', 'INFO'].includes(d.severity) && typeof d.code.value === 'string')"
js "rdjson: columns are UTF-8 bytes (src/u.ts: one more than the UTF-16 column, past a two-byte 'é')" "$T/out.rdjson" "
((ref) => j.diagnostics.some((d) => d.location.path === 'src/u.ts' && d.location.range.start.column === ref.start.column + 1 &&
  d.location.range.start.line === ref.start.line))(
JSON.parse(require('fs').readFileSync('$T/ref.json', 'utf8')).results.find((r) => r.path === 'src/u.ts'))"
js "rdjson: same rules, paths, lines and messages as the json results" "$T/out.rdjson" "
((ref) => ref.every((r, k) => j.diagnostics[k].code.value === r.ruleId && j.diagnostics[k].location.path === r.path &&
  j.diagnostics[k].location.range.start.line === r.start.line && j.diagnostics[k].message === r.message &&
  j.diagnostics[k].severity === r.level.toUpperCase().replace('NOTE', 'INFO')))(
JSON.parse(require('fs').readFileSync('$T/ref.json', 'utf8')).results)"

# ---- json-lines ----
scan json-lines
rc_is "json-lines: exit 1" 1
check "json-lines: one line per finding" test "$(wc -l <"$T/out.json-lines")" = "$N"
check "json-lines: each line parses alone and equals the json format's result" node -e '
const fs = require("fs");
const ref = JSON.parse(fs.readFileSync(process.argv[1], "utf8")).results;
const lines = fs.readFileSync(process.argv[2], "utf8").split("\n");
if (lines.pop() !== "") process.exit(1);
const ok = lines.length === ref.length && lines.every((l, k) => JSON.stringify(JSON.parse(l)) === JSON.stringify(ref[k]));
process.exit(ok ? 0 : 1);' "$T/ref.json" "$T/out.json-lines"

# ---- notifications and empty reports ----
E=$T/empty
mk "$E/ok.ts" 'export const x = 1;'$NL
for fmt in gitlab junit checkstyle rdjson json-lines; do
  CWD=$E il scan --no-config --format "$fmt" --output "$T/empty.$fmt" .
  rc_is "$fmt, no findings: exit 0" 0
done
js "gitlab, no findings: []" "$T/empty.gitlab" 'Array.isArray(j) && j.length === 0'
js "rdjson, no findings: no diagnostics" "$T/empty.rdjson" 'j.diagnostics.length === 0'
check "json-lines, no findings: empty output" test ! -s "$T/empty.json-lines"
check "checkstyle, no findings: well-formed, no <file>" bash -c "xmllint --noout '$T/empty.checkstyle' && [ \"\$(xmllint --xpath 'count(//file)' '$T/empty.checkstyle')\" = 0 ]"
check "junit, no findings: well-formed, one passing testcase" bash -c "xmllint --noout '$T/empty.junit' && [ \"\$(xmllint --xpath 'count(//testcase)' '$T/empty.junit')\" = 1 ] && [ \"\$(xmllint --xpath 'count(//failure|//error)' '$T/empty.junit')\" = 0 ]"
CWD=$E il scan --no-config --format junit --output "$T/missing.junit" ok.ts no-such.ts
rc_is "junit, a missing path: exit 2" 2
check "junit, a missing path: an <error> testcase, well-formed" bash -c "xmllint --noout '$T/missing.junit' && [ \"\$(xmllint --xpath 'count(//testcase/error)' '$T/missing.junit')\" = 1 ]"
CWD=$E il scan --no-config --format bogus .
rc_is "--format bogus: exit 2" 2
err_has "--format bogus: the message lists the formats" "gitlab, junit, checkstyle, rdjson or json-lines"
t_done
