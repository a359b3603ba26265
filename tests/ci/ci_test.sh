#!/usr/bin/env bash
# CI integration (docs/ci.md): the concise and github formats, the --fail-level x --exit-zero
# exit-status matrix, --sarif-category, --shard K/N, `isolint merge`, and the recipes: the
# example workflow examples/ci/github-actions.yml (identical to the one in docs/ci.md) and
# docs/ci.md's GitLab job, every shell line run in a scratch git repository against the npm
# package packed by scripts/npm-pack.sh into $IL_NPM_PACK (skipped, saying so, without it).
#
#     tests/ci/ci_test.sh ISOLINT_BINARY SOURCE_DIR
#
# Prints `ok - NAME` / `not ok - NAME` per assertion, ends with `N passed, N failed` and
# exits 1 on any failure. Needs bash and node; SARIF is validated with
# tests/sarif/validate.sh (the repository's pinned SARIF multitool).
set -u
# shellcheck source=tests/cli/lib.sh disable=SC2034  # CWD, LAST_CMD are read by lib.sh
. "$(cd "$(dirname "$0")/../cli" && pwd)/lib.sh"
t_init ci "$@"

NL=$'\n'
CR=$'\r'
POOL='import { Pool } from "pg";'$NL'export const pool = new Pool();'$NL'export function f() { return pool; }'$NL
NEON='import { neon } from "@neondatabase/serverless";'$NL'export const sql = neon(process.env.DATABASE_URL);'$NL
STALE='// isolint-disable-next-line module-scope-client -- nothing to silence here'$NL'export const x = 1;'$NL
CLEAN='export default {'$NL'  async fetch(req: Request): Promise<Response> {'$NL'    return new Response("ok");'$NL'  },'$NL'};'$NL
GLOBAL='import { PrismaClient } from "@prisma/client";'$NL'const g = globalThis as any;'$NL'g'$NL'  .prisma ??= new PrismaClient();'$NL'export const db = g.prisma;'$NL
BROKEN='import { Pool } from "pg";'$NL'const x = (;'$NL

# node helpers: $1 = a file of workflow commands; parses each line as the GitHub runner
# does (actions/runner ActionCommand.TryParseV2: "::cmd k=v,k=v::data", properties split
# on ',', then '=' once; UnescapeProperty / UnescapeData) and prints one JSON object per
# line: {command, props, data}. A line that is not a command prints {"bad": line}.
parse_gh() {
  node - "$1" <<'EOF'
const fs = require('fs');
const text = fs.readFileSync(process.argv[2], 'utf8');
const unescapeData = (s) => s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
const unescapeProp = (s) => s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%3A/g, ':')
  .replace(/%2C/g, ',').replace(/%25/g, '%');
const lines = text.split('\n');
if (lines[lines.length - 1] === '') lines.pop();
for (const line of lines) {
  const m = line.startsWith('::') ? line.indexOf('::', 2) : -1;
  if (m < 0) { console.log(JSON.stringify({ bad: line })); continue; }
  const info = line.slice(2, m);
  const sp = info.indexOf(' ');
  const command = sp < 0 ? info : info.slice(0, sp);
  const props = {};
  if (sp > 0)
    for (const p of info.slice(sp + 1).trim().split(',').filter(Boolean)) {
      const eq = p.indexOf('=');
      if (eq > 0) props[p.slice(0, eq)] = unescapeProp(p.slice(eq + 1));
    }
  console.log(JSON.stringify({ command, props, data: unescapeData(line.slice(m + 2)) }));
}
EOF
}

# gh NAME FILE EXPR: EXPR (over `a`, the parsed annotations of FILE, and `fs`) is truthy.
gh() {
  local name=$1 file=$2 expr=$3 msg
  if ! parse_gh "$file" >"$T/.gh.jsonl" 2>"$T/.gh.err"; then
    fail "$name" "cannot parse $file" "$(head -5 "$T/.gh.err")"
    return
  fi
  if msg=$(node - "$T/.gh.jsonl" "$expr" "${CWD:-$T}" 2>&1 <<'EOF'
const fs = require('fs');
const [file, expr, cwd] = process.argv.slice(2);
process.chdir(cwd);
const a = fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
let v;
try {
  v = new Function('a', 'fs', `return (${expr});`)(a, fs);
} catch (e) {
  console.log(`threw: ${e.message}`);
  process.exit(1);
}
if (!v) {
  console.log(`false: ${expr}`);
  console.log(JSON.stringify(a, null, 1).slice(0, 1500));
  process.exit(1);
}
EOF
  ); then
    pass "$name"
  else
    fail "$name" "$msg" "$(last_cmd)"
  fi
}

# sh_run CMD: runs the shell command line CMD in $CWD with `isolint` on PATH, like il.
SHIM=$T/.bin
mkdir -p "$SHIM"
ln -s "$BIN" "$SHIM/isolint"
sh_run() {
  LAST_CMD="(cd ${CWD:-$T}) $1"
  { (cd "${CWD:-$T}" && PATH="$SHIM:$PATH" exec timeout "$IL_TIMEOUT" bash -c "$1") >"$OUT" 2>"$ERR" </dev/null; RC=$?; } 2>/dev/null
  RUNS=$((RUNS + 1))
  t_check_run "$RC" "$ERR" "$1"
  return 0
}

# same NAME FILE1 FILE2: the files are byte-identical.
same() {
  if cmp -s "$2" "$3"; then pass "$1"; else fail "$1" "$2 and $3 differ:" "$(diff "$2" "$3" | head -20)"; fi
}

# ==== projects ============================================================================
PC=$T/clean
mk "$PC/src/index.ts" "$CLEAN"
PN=$T/note # note-level findings only
mk "$PN/src/http.ts" "$NEON"
PW=$T/warn # warning-level findings only (a stale suppression)
mk "$PW/src/stale.ts" "$STALE"
PE=$T/err # an error, a warning and a note
mk "$PE/src/db.ts" "$POOL"
mk "$PE/src/stale.ts" "$STALE"
mk "$PE/src/http.ts" "$NEON"

# odd file names: every character the github format escapes
PO=$T/odd
for name in 'comma,name.ts' 'colon:name.ts' 'per%cent.ts' "new${NL}line.ts" "car${CR}return.ts" 'all,:%25.ts'; do
  mk "$PO/src/$name" "$POOL"
done
mk "$PO/src/global.ts" "$GLOBAL"
mk "$PO/src/http.ts" "$NEON"
mk "$PO/src/stale.ts" "$STALE"
mk "$PO/src/broken.ts" "$BROKEN"
ln -s does-not-exist.ts "$PO/src/dangling.ts"
# a client whose display name puts %, :, ',', CR and LF into the message
PM=$T/msg
mk "$PM/isolint.json" '{"clients": [{"module": "acme-db", "export": "Db", "form": "new", "name": "Db 100%: a,b\nsecond\rthird"}]}'
ACME='import { Db } from "acme-db";'$NL'export const db = new Db();'$NL
mk "$PM/src/acme.ts" "$ACME"

# ==== --format github =====================================================================
CWD=$PO
il scan --format github .
rc_is "github: findings exit 1" 1
N_GH=$(wc -l <"$OUT")
cp "$OUT" "$T/odd.gh"
il scan --format json .
cp "$OUT" "$T/odd.json"
js "github: the odd project has its findings (json)" "$T/odd.json" \
  "j.results.length === 9 && j.results.filter((r) => r.ruleId === 'module-scope-client' && r.level === 'error').length === 6"
N_EXPECT=$(node -e 'const fs=require("fs"); const j=JSON.parse(fs.readFileSync(process.argv[1], "utf8"));console.log(j.results.length+j.notifications.length)' "$T/odd.json")
check "github: one line per finding and notification ($N_GH = $N_EXPECT)" test "$N_GH" = "$N_EXPECT"
gh "github: every line is a workflow command" "$T/odd.gh" "a.every((x) => !x.bad)"
gh "github: comma in a path escaped as %2C" "$T/odd.gh" "a.some((x) => x.props.file === 'src/comma,name.ts')"
check "github: raw comma escaped in the file property" grep -qF 'file=src/comma%2Cname.ts,' "$T/odd.gh"
check "github: colon escaped as %3A" grep -qF 'file=src/colon%3Aname.ts,' "$T/odd.gh"
check "github: percent escaped as %25" grep -qF 'file=src/per%25cent.ts,' "$T/odd.gh"
check "github: LF in a path escaped as %0A" grep -qF 'file=src/new%0Aline.ts,' "$T/odd.gh"
check "github: CR in a path escaped as %0D" grep -qF 'file=src/car%0Dreturn.ts,' "$T/odd.gh"
check "github: an escape-like name is escaped, not kept" grep -qF 'file=src/all%2C%3A%2525.ts,' "$T/odd.gh"
check "github: in the message only % CR LF are escaped" grep -qF "at src/all,:%2525.ts:3:" "$T/odd.gh"
check "github: LF in a path inside the message is %0A" grep -qF "at src/new%0Aline.ts:3:" "$T/odd.gh"
gh "github: every file property names a file that exists, once unescaped" "$T/odd.gh" \
  "a.filter((x) => x.props.file).every((x) => x.props.title === 'ISOL0005' || fs.existsSync(x.props.file)) && a.filter((x) => x.props.file).length === $N_GH"
gh "github: the six odd names annotated as errors" "$T/odd.gh" \
  "['comma,name.ts','colon:name.ts','per%cent.ts','new\nline.ts','car\rreturn.ts','all,:%25.ts'].every((n) => a.some((x) => x.command === 'error' && x.props.file === 'src/' + n && x.props.title === 'module-scope-client'))"
gh "github: properties are the annotation's (no stray keys)" "$T/odd.gh" \
  "a.every((x) => Object.keys(x.props).every((k) => ['file','line','endLine','col','endColumn','title'].includes(k)))"
gh "github: single-line region has col and endColumn" "$T/odd.gh" \
  "a.filter((x) => x.props.file === 'src/comma,name.ts').every((x) => x.props.line === '2' && x.props.endLine === '2' && x.props.col === '21' && x.props.endColumn === '29')"
gh "github: multi-line region has line and endLine but no columns" "$T/odd.gh" \
  "a.filter((x) => x.props.file === 'src/global.ts').length === 1 && a.filter((x) => x.props.file === 'src/global.ts').every((x) => x.props.line === '3' && x.props.endLine === '4' && !('col' in x.props) && !('endColumn' in x.props))"
gh "github: error level is ::error" "$T/odd.gh" \
  "a.some((x) => x.command === 'error' && x.props.title === 'global-object-cache')"
gh "github: warning level is ::warning" "$T/odd.gh" \
  "a.some((x) => x.command === 'warning' && x.props.title === 'unused-suppression' && x.props.file === 'src/stale.ts')"
gh "github: note level is ::notice" "$T/odd.gh" \
  "a.some((x) => x.command === 'notice' && x.props.title === 'module-scope-client' && x.props.file === 'src/http.ts')"
gh "github: only error, warning and notice commands" "$T/odd.gh" \
  "a.every((x) => ['error','warning','notice'].includes(x.command))"
gh "github: related locations follow the message" "$T/odd.gh" \
  "a.some((x) => x.props.file === 'src/comma,name.ts' && /\\nnote: used in 'f' at src\\/comma,name\\.ts:3:30\$/.test(x.data))"
gh "github: syntax error is a ::warning titled ISOL0002 at its line" "$T/odd.gh" \
  "a.some((x) => x.command === 'warning' && x.props.title === 'ISOL0002' && x.props.file === 'src/broken.ts' && x.props.line === '2' && x.props.col)"
gh "github: note-level notification (dangling link) is a ::notice" "$T/odd.gh" \
  "a.some((x) => x.command === 'notice' && x.props.title === 'ISOL0005')"
gh "github: findings come before notifications" "$T/odd.gh" \
  "a.findIndex((x) => /^ISOL/.test(x.props.title)) > a.map((x) => /^ISOL/.test(x.props.title)).lastIndexOf(false)"
node - "$T/odd.json" "$T/odd.gh" >"$T/.cmp" 2>&1 <<'EOF'
const fs = require('fs');
const j = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const gh = fs.readFileSync(process.argv[3], 'utf8').split('\n').filter((l) => l.startsWith('::'));
const level = { error: 'error', warning: 'warning', note: 'notice' };
let bad = 0;
j.results.forEach((r, i) => {
  const head = gh[i].slice(0, gh[i].indexOf('::', 2));
  if (!head.startsWith(`::${level[r.level]} `) || !head.includes(`,line=${r.start.line},endLine=${r.end.line}`) ||
      !head.endsWith(`,title=${r.ruleId}`)) { console.log(`result ${i}: ${head}`); bad++; }
});
process.exit(bad ? 1 : 0);
EOF
if [ $? -eq 0 ]; then pass "github: findings in order, with the json levels, lines and rule ids"; else fail "github: findings in order, with the json levels, lines and rule ids" "$(cat "$T/.cmp")"; fi

CWD=$PM
il scan --format github .
rc_is "github: configured client found" 1
gh "github: %, CR, LF in a message are escaped and come back once unescaped" "$OUT" \
  "a.length === 1 && a[0].data.includes(\"'Db 100%: a,b\\nsecond\\rthird'\")"
out_has "github: message escapes % CR LF but not : or ," "'Db 100%25: a,b%0Asecond%0Dthird'"
check "github: the message stays on one line" test "$(wc -l <"$OUT")" = 1

# control characters and invalid UTF-8 in a path: U+FFFD, never raw
PX=$T/hostile
mk "$PX/src/esc"$'\033'"[31mname.ts" "$POOL"
mk "$PX/src/bad"$'\xff'"byte.ts" "$POOL"
mk "$PX/src/tab"$'\t'"name.ts" "$POOL"
CWD=$PX
il scan --format github .
rc_is "github: hostile names: exit 1" 1
check "github: hostile names: no escape character reaches the log" no_esc "$OUT"
check "github: hostile names: output is valid UTF-8" valid_utf8 "$OUT"
out_has "github: ESC printed as U+FFFD" "file=src/esc"$'\xef\xbf\xbd'"[31mname.ts,"
out_has "github: invalid byte printed as U+FFFD" "file=src/bad"$'\xef\xbf\xbd'"byte.ts,"
out_has "github: tab kept" "file=src/tab"$'\t'"name.ts,"
check "github: hostile names: three annotations on three lines" test "$(wc -l <"$OUT")" = 3
il scan --format concise .
check "concise: hostile names: no escape character" no_esc "$OUT"
check "concise: hostile names: valid UTF-8" valid_utf8 "$OUT"
out_has "concise: ESC printed as U+FFFD" "src/esc"$'\xef\xbf\xbd'"[31mname.ts:2:21: error"

CWD=$PE
il scan --format github --rule module-scope-client=warning .
gh "github: --rule changes the command (error -> warning)" "$OUT" \
  "a.some((x) => x.command === 'warning' && x.props.file === 'src/db.ts') && !a.some((x) => x.command === 'error')"
il scan --format github --rule unused-suppression=off .
gh "github: findings switched off are not annotated" "$OUT" \
  "a.length === 2 && !a.some((x) => x.props.title === 'unused-suppression')"
il scan --format github nope.ts src/db.ts
rc_is "github: a missing path still exits 2" 2
gh "github: a whole-file notification has a file but no line" "$OUT" \
  "a.some((x) => x.command === 'error' && x.props.title === 'ISOL0001' && x.props.file === 'nope.ts' && !('line' in x.props))"
CWD=$PC
il scan --format github .
rc_is "github: clean project exits 0" 0
out_empty "github: clean project prints nothing"

# ==== --format concise ====================================================================
CWD=$PO
il scan --format concise .
rc_is "concise: findings exit 1" 1
cp "$OUT" "$T/odd.concise"
node - "$T/odd.json" "$T/odd.concise" >"$T/.cmp" 2>&1 <<'EOF'
const fs = require('fs');
const j = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const got = fs.readFileSync(process.argv[3], 'utf8');
const clean = (s) => s.replace(/[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/g, '\ufffd');
const want = j.results.map((r) => `${clean(r.path)}:${r.start.line}:${r.start.column}: ${r.level} ${r.ruleId} ${clean(r.message)}`);
for (const n of j.notifications)
  if (n.level === 'error' || n.level === 'warning')
    want.push(n.path === null ? `isolint: ${n.level} ${n.id} ${clean(n.message)}`
      : n.line === null ? `${clean(n.path)}: ${n.level} ${n.id} ${clean(n.message)}`
      : `${clean(n.path)}:${n.line}:${n.column}: ${n.level} ${n.id} ${clean(n.message)}`);
const exp = want.join('\n') + '\n';
if (got !== exp) {
  console.log('expected:\n' + exp.slice(0, 1500) + '\ngot:\n' + got.slice(0, 1500));
  process.exit(1);
}
EOF
if [ $? -eq 0 ]; then pass "concise: exactly one line per finding and per warning/error notification, as json says"; else fail "concise: exactly one line per finding and per warning/error notification, as json says" "$(cat "$T/.cmp")"; fi
check "concise: lines match path:line:col: level id message" \
  bash -c "! grep -vE '^[^ ]+:[0-9]+:[0-9]+: (error|warning|note) [a-zA-Z0-9-]+ .+\$' '$T/odd.concise'"
check "concise: note-level notification (dangling link) left out" bash -c "! grep -q ISOL0005 '$T/odd.concise'"
check "concise: syntax error notification included" grep -qE '^src/broken\.ts:2:[0-9]+: warning ISOL0002 ' "$T/odd.concise"
check "concise: newline in a path printed as U+FFFD" grep -qF "src/new"$'\xef\xbf\xbd'"line.ts:2:21: error module-scope-client" "$T/odd.concise"
check "concise: no summary line" bash -c "! grep -qiE 'findings? (\\(|in)|No findings' '$T/odd.concise'"
check "concise: no escape sequences" no_esc "$T/odd.concise"
check "concise: valid UTF-8" valid_utf8 "$T/odd.concise"
CWD=$PM
il scan --format concise .
out_line "concise: CR/LF in a message printed as U+FFFD" "^src/acme\\.ts:2:[0-9]+: error module-scope-client .*'Db 100%: a,b"$'\xef\xbf\xbd'"second"$'\xef\xbf\xbd'"third'"
check "concise: one line for one finding" test "$(wc -l <"$OUT")" = 1
CWD=$PE
il scan --format concise --rule unused-suppression=off .
out_lacks "concise: rules switched off are not printed" "unused-suppression"
out_has "concise: the note is printed" "src/http.ts:2:20: note module-scope-client"
out_has "concise: the error is printed" "src/db.ts:2:21: error module-scope-client"
il scan --format concise nope.ts src/db.ts
rc_is "concise: missing path exits 2" 2
out_has "concise: a notification without a position drops the numbers" "nope.ts: error ISOL0001 "
CWD=$PC
il scan --format concise .
rc_is "concise: clean project exits 0" 0
out_empty "concise: clean project prints nothing"

# ==== exit status: --fail-level x --exit-zero ============================================
# expected status for (project findings level, fail level)
expect_rc() { # worst-level(clean|note|warning|error) fail-level exit-zero
  local worst=$1 fl=$2 ez=$3 rank_w rank_f
  [ "$ez" = yes ] && { echo 0; return; }
  case $worst in clean) rank_w=0 ;; note) rank_w=1 ;; warning) rank_w=2 ;; error) rank_w=3 ;; esac
  case $fl in note) rank_f=1 ;; warning | default) rank_f=2 ;; error) rank_f=3 ;; esac
  [ "$rank_w" -ge "$rank_f" ] && [ "$rank_w" -gt 0 ] && echo 1 || echo 0
}
for proj in clean:$PC note:$PN warning:$PW error:$PE; do
  worst=${proj%%:*}
  CWD=${proj#*:}
  for fl in default note warning error; do
    for ez in no yes; do
      args=(scan --format concise)
      [ "$fl" != default ] && args+=(--fail-level "$fl")
      [ "$ez" = yes ] && args+=(--exit-zero)
      il "${args[@]}" .
      want=$(expect_rc "$worst" "$fl" "$ez")
      rc_is "exit status: $worst findings, fail level $fl, exit-zero $ez -> $want" "$want"
    done
  done
done
CWD=$PE
il scan --fail-level off .
rc_is "exit status: --fail-level off is a usage error (2)" 2
err_has "exit status: --fail-level off named" "--fail-level"
il scan --fail-level bogus --exit-zero .
rc_is "exit status: bad --fail-level with --exit-zero still 2" 2
il scan --fail-level
rc_is "exit status: --fail-level without a value is 2" 2
il scan --bogus --exit-zero .
rc_is "exit status: unknown option with --exit-zero still 2" 2
il scan --exit-zero nope.ts
rc_is "exit status: missing path with --exit-zero still 2" 2
il scan --format sarif --exit-zero .
rc_is "exit status: --exit-zero with findings is 0" 0
js "exit status: SARIF invocation records the exit status 0 under --exit-zero" "$OUT" \
  "j.runs[0].invocations[0].exitCode === 0 && j.runs[0].invocations[0].executionSuccessful === true && j.runs[0].results.length === 3"
il scan --format sarif --fail-level error --rule module-scope-client=note .
rc_is "exit status: --rule lowers the error below --fail-level error" 0

# ==== --sarif-category ========================================================================
CWD=$PE
il scan --format sarif --output "$T/nocat.sarif" .
rc_is "sarif-category: scan without it exits 1" 1
js "sarif-category: absent without the option" "$T/nocat.sarif" "!('automationDetails' in j.runs[0])"
il scan --format sarif --sarif-category isolint --output "$T/cat.sarif" .
js "sarif-category: NAME gives automationDetails.id NAME/" "$T/cat.sarif" \
  "j.runs[0].automationDetails.id === 'isolint/' && Object.keys(j.runs[0].automationDetails).length === 1"
il scan --format sarif --sarif-category=js/app/ .
js "sarif-category: a trailing / is not doubled" "$OUT" "j.runs[0].automationDetails.id === 'js/app/'"
il scan --format json --sarif-category isolint .
js "sarif-category: no effect on json" "$OUT" "!JSON.stringify(j).includes('automationDetails')"
il scan --format sarif --sarif-category '' .
rc_is "sarif-category: empty name is a usage error" 2
out_empty "sarif-category: no report on a usage error"
sarif_ok "sarif-category: both SARIF files validate" "$T/nocat.sarif" "$T/cat.sarif"

# ==== --shard K/N ============================================================================
# The source tree's fixtures and examples: many files, scanned from the source directory.
SHARD_PATHS=(fixtures/ts examples)
CWD=$SRC
il scan --format json --no-config "${SHARD_PATHS[@]}"
cp "$OUT" "$T/full.json"
js "shard: the full scan has findings in many files" "$T/full.json" \
  "new Set(j.results.map((r) => r.path)).size >= 10 && j.filesAnalyzed >= 20"
for n in 1 2 3 4; do
  files=()
  for k in $(seq 1 "$n"); do
    il scan --format json --no-config --shard "$k/$n" "${SHARD_PATHS[@]}"
    cp "$OUT" "$T/shard-$k-$n.json"
    files+=("$T/shard-$k-$n.json")
  done
  if node - "$T/full.json" "$n" "${files[@]}" >"$T/.cmp" 2>&1 <<'EOF'; then
const fs = require('fs');
const [full, n, ...shards] = process.argv.slice(2);
const N = BigInt(n);
const key = (r) => JSON.stringify([r.path, r.start, r.end, r.ruleId, r.level, r.message, r.related]);
const f = JSON.parse(fs.readFileSync(full, 'utf8'));
const logs = shards.map((s) => JSON.parse(fs.readFileSync(s, 'utf8')));
// FNV-1a (64-bit) of the displayed path's bytes, modulo N: the documented shard of a file
const shardOf = (p) => {
  let h = 1469598103934665603n;
  for (const b of Buffer.from(p, 'utf8')) h = ((h ^ BigInt(b)) * 1099511628211n) & 0xffffffffffffffffn;
  return Number(h % N);
};
let bad = [];
const union = logs.flatMap((l) => l.results.map(key)).sort();
const want = f.results.map(key).sort();
if (JSON.stringify(union) !== JSON.stringify(want)) bad.push(`union of results != full scan (${union.length} vs ${want.length})`);
const owner = new Map();
logs.forEach((l, k) => l.results.forEach((r) => {
  if (owner.has(r.path) && owner.get(r.path) !== k) bad.push(`${r.path} in shards ${owner.get(r.path) + 1} and ${k + 1}`);
  owner.set(r.path, k);
  if (shardOf(r.path) !== k) bad.push(`${r.path} in shard ${k + 1}, its hash says ${shardOf(r.path) + 1}`);
}));
const files = logs.reduce((s, l) => s + l.filesAnalyzed, 0);
if (files !== f.filesAnalyzed) bad.push(`files analyzed: ${files} in the shards, ${f.filesAnalyzed} in the full scan`);
if (N > 2n && logs.filter((l) => l.results.length).length < 2) bad.push('all findings in one shard');
if (bad.length) { console.log(bad.slice(0, 10).join('\n')); process.exit(1); }
EOF
    pass "shard: N=$n: shards are disjoint, follow the path hash, and their union is the full scan"
  else
    fail "shard: N=$n: shards are disjoint, follow the path hash, and their union is the full scan" "$(cat "$T/.cmp")"
  fi
done
il scan --shard 0/3 .
rc_is "shard: 0/3 is a usage error" 2
il scan --shard 4/3 .
rc_is "shard: 4/3 is a usage error" 2
il scan --shard 2 .
rc_is "shard: K without /N is a usage error" 2

# ==== isolint merge ============================================================================
CWD=$SRC
for cat in "" isolint; do
  catargs=()
  [ -n "$cat" ] && catargs=(--sarif-category "$cat")
  tag=${cat:-nocat}
  il scan --format sarif --no-config "${catargs[@]}" --output "$T/full-$tag.sarif" "${SHARD_PATHS[@]}"
  for n in 1 2 3 4; do
    files=()
    for k in $(seq 1 "$n"); do
      il scan --format sarif --no-config "${catargs[@]}" --shard "$k/$n" --output "$T/s-$tag-$k-$n.sarif" "${SHARD_PATHS[@]}"
      files+=("$T/s-$tag-$k-$n.sarif")
    done
    il merge --output "$T/merged-$tag-$n.sarif" "${files[@]}"
    rc_is "merge ($tag): N=$n exits 0" 0
    out_empty "merge ($tag): N=$n with --output prints nothing"
    same "merge ($tag): N=$n equals the full-scan SARIF byte for byte" "$T/full-$tag.sarif" "$T/merged-$tag-$n.sarif"
  done
done
js "merge: the merged log has the results of many files" "$T/merged-isolint-4.sarif" \
  "j.runs.length === 1 && j.runs[0].results.length >= 10 && j.runs[0].automationDetails.id === 'isolint/'"
# shards in reverse order, and on stdout
il merge "$T/s-isolint-4-4.sarif" "$T/s-isolint-3-4.sarif" "$T/s-isolint-2-4.sarif" "$T/s-isolint-1-4.sarif"
rc_is "merge: to stdout exits 0" 0
same "merge: input order does not matter, stdout same as --output" "$T/full-isolint.sarif" "$OUT"
il merge -o "$T/merged-o.sarif" "$T/s-isolint-1-2.sarif" "$T/s-isolint-2-2.sarif"
same "merge: -o is --output" "$T/full-isolint.sarif" "$T/merged-o.sarif"
check "merge: --output file has mode 0644" test "$(stat -c %a "$T/merged-o.sarif")" = 644
sarif_ok "merge: merged SARIF validates (multitool)" "$T/merged-isolint-4.sarif" "$T/merged-nocat-3.sarif"

# rule indexes are renumbered: a rule switched off but used appears in one shard only
CWD=$PE
mk "$PE/src/db2.ts" "$POOL"
il scan --format sarif --rule unused-suppression=error --output "$T/fullr.sarif" .
SH_R=()
for k in 1 2 3 4; do
  il scan --format sarif --rule unused-suppression=error --shard "$k/4" --output "$T/r-$k.sarif" .
  SH_R+=("$T/r-$k.sarif")
done
il merge -o "$T/mr.sarif" "${SH_R[@]}"
same "merge: --rule levels and several files per shard merge to the full scan" "$T/fullr.sarif" "$T/mr.sarif"
js "merge: every ruleIndex points at the result's rule" "$T/mr.sarif" \
  "j.runs[0].results.length === 4 && j.runs[0].results.every((r) => j.runs[0].tool.driver.rules[r.ruleIndex].id === r.ruleId)"
# a shard whose rules differ (indexes shifted) is renumbered
node -e '
const fs = require("fs");
const [src, dst] = process.argv.slice(1);
const j = JSON.parse(fs.readFileSync(src, "utf8"));
const run = j.runs[0];
const rules = run.tool.driver.rules;
const keep = new Set(run.results.map((r) => r.ruleId));
const kept = rules.filter((r) => keep.has(r.id));
run.tool.driver.rules = kept;
for (const r of run.results) r.ruleIndex = kept.findIndex((x) => x.id === r.ruleId);
fs.writeFileSync(dst, JSON.stringify(j, null, 2) + "\n");
' "$T/r-1.sarif" "$T/r-1-fewer-rules.sarif"
il merge -o "$T/mr2.sarif" "$T/r-1-fewer-rules.sarif" "${SH_R[@]:1}"
same "merge: a shard listing fewer rules is renumbered into the union" "$T/fullr.sarif" "$T/mr2.sarif"

# notifications every shard repeats (discovery) are kept once; per-file ones are kept
CWD=$PO
il scan --format sarif --output "$T/fulln.sarif" . nope.ts
rc_is "merge: full scan with a missing path exits 2" 2
SH_N=()
for k in 1 2 3; do
  il scan --format sarif --shard "$k/3" --output "$T/n-$k.sarif" . nope.ts
  SH_N+=("$T/n-$k.sarif")
done
il merge -o "$T/mn.sarif" "${SH_N[@]}"
rc_is "merge: shards of a failed scan still merge" 0
same "merge: notifications (missing path, dangling link, syntax error) as in the full scan" "$T/fulln.sarif" "$T/mn.sarif"
js "merge: one ISOL0001 for the missing path, exit code 2, not successful" "$T/mn.sarif" \
  "j.runs[0].invocations.length === 1 && j.runs[0].invocations[0].toolExecutionNotifications.filter((n) => n.descriptor.id === 'ISOL0001').length === 1 && j.runs[0].invocations[0].exitCode === 2 && j.runs[0].invocations[0].executionSuccessful === false"
js "merge: odd file names survive (percent-encoded URIs sort as paths)" "$T/mn.sarif" \
  "j.runs[0].results.filter((r) => r.ruleId === 'module-scope-client' && r.level === 'error').length === 6"

# the "Target: Node.js ... for N files below this directory" note counts the files of the
# full scan in every shard (each shard used to count its own), so the shards merge to it
PX=$T/express-app
mk "$PX/app/package.json" '{"dependencies":{"express":"^4.19.0"}}'
for i in 1 2 3 4 5 6; do mk "$PX/app/f$i.ts" "$POOL"; done
CWD=$PX
il scan --format sarif --output "$T/fullx.sarif" app
js "merge: the Node.js target note counts the six files" "$T/fullx.sarif" \
  "j.runs[0].invocations[0].toolExecutionNotifications.filter((n) => /Target: Node.js .* for 6 files below/.test(n.message.text)).length === 1"
for n in 2 3; do
  SH_X=()
  for k in $(seq 1 "$n"); do
    il scan --format sarif --shard "$k/$n" --output "$T/x-$k-$n.sarif" app
    SH_X+=("$T/x-$k-$n.sarif")
  done
  il merge -o "$T/mx-$n.sarif" "${SH_X[@]}"
  same "merge: N=$n: a Node.js target note merges to the full scan's" "$T/fullx.sarif" "$T/mx-$n.sarif"
done

# ---- merge errors: exit 2, the file named, nothing written ----------------------------------
CWD=$T
A=$T/s-isolint-1-2.sarif
B=$T/s-isolint-2-2.sarif
merge_fails() { # NAME EXPECTED-IN-STDERR FILE...
  local name=$1 what=$2
  shift 2
  rm -f "$T/never.sarif"
  il merge -o "$T/never.sarif" "$@"
  rc_is "merge error: $name: exit 2" 2
  err_has "merge error: $name: message names it" "$what"
  out_empty "merge error: $name: nothing on stdout"
  check "merge error: $name: no output file" test ! -e "$T/never.sarif"
  check "merge error: $name: no temporary file left" bash -c "! ls '$T'/never.sarif.tmp.* >/dev/null 2>&1"
}
printf 'not json at all\n' >"$T/notjson.sarif"
merge_fails "not JSON" "notjson.sarif: not a SARIF log: not valid JSON" "$A" "$T/notjson.sarif"
printf '[1, 2]\n' >"$T/array.sarif"
merge_fails "JSON array" "array.sarif: not a SARIF log" "$A" "$T/array.sarif"
node -e 'const fs=require("fs"); const j=JSON.parse(fs.readFileSync(process.argv[1], "utf8")); j.version="2.0.0"; fs.writeFileSync(process.argv[2], JSON.stringify(j))' "$A" "$T/v200.sarif"
merge_fails "SARIF 2.0.0" "v200.sarif: not a SARIF 2.1.0 log (version: '2.0.0')" "$A" "$T/v200.sarif"
node -e 'const fs=require("fs"); const j=JSON.parse(fs.readFileSync(process.argv[1], "utf8")); delete j.version; fs.writeFileSync(process.argv[2], JSON.stringify(j))' "$A" "$T/nover.sarif"
merge_fails "no version" "nover.sarif: not a SARIF 2.1.0 log" "$T/nover.sarif" "$B"
node -e 'const fs=require("fs"); const j=JSON.parse(fs.readFileSync(process.argv[1], "utf8")); j.runs.push(j.runs[0]); fs.writeFileSync(process.argv[2], JSON.stringify(j))' "$B" "$T/tworuns.sarif"
merge_fails "two runs" "tworuns.sarif: has 2 runs" "$A" "$T/tworuns.sarif"
node -e 'const fs=require("fs"); const j=JSON.parse(fs.readFileSync(process.argv[1], "utf8")); j.runs=[]; fs.writeFileSync(process.argv[2], JSON.stringify(j))' "$B" "$T/noruns.sarif"
merge_fails "no run" "noruns.sarif: has 0 runs" "$A" "$T/noruns.sarif"
node -e 'const fs=require("fs"); const j=JSON.parse(fs.readFileSync(process.argv[1], "utf8")); j.runs[0].tool.driver.name="ESLint"; fs.writeFileSync(process.argv[2], JSON.stringify(j))' "$B" "$T/eslint.sarif"
merge_fails "another tool" "eslint.sarif: written by 'ESLint', not by isolint" "$A" "$T/eslint.sarif"
node -e 'const fs=require("fs"); const j=JSON.parse(fs.readFileSync(process.argv[1], "utf8")); j.runs[0].tool.driver.version="9.9.9"; fs.writeFileSync(process.argv[2], JSON.stringify(j))' "$B" "$T/v999.sarif"
merge_fails "another isolint version" "v999.sarif: written by isolint 9.9.9" "$A" "$T/v999.sarif"
node -e 'const fs=require("fs"); const j=JSON.parse(fs.readFileSync(process.argv[1], "utf8")); j.runs[0].results[0].ruleIndex=99; fs.writeFileSync(process.argv[2], JSON.stringify(j))' "$B" "$T/badindex.sarif"
merge_fails "ruleIndex out of range" "badindex.sarif: results[0].ruleIndex" "$A" "$T/badindex.sarif"
printf '{"version": "2.1.0", "version": "2.1.0", "runs": []}\n' >"$T/dupkey.sarif"
merge_fails "duplicate JSON keys" "dupkey.sarif: not a SARIF log: not valid JSON" "$A" "$T/dupkey.sarif"
node -e 'const fs=require("fs"); const j=JSON.parse(fs.readFileSync(process.argv[1], "utf8")); j.runs[0].results=[1, "x"]; fs.writeFileSync(process.argv[2], JSON.stringify(j))' "$B" "$T/badresult.sarif"
merge_fails "a result that is not an object" "badresult.sarif: results[0] is not an object" "$A" "$T/badresult.sarif"
node -e 'const fs=require("fs"); const j=JSON.parse(fs.readFileSync(process.argv[1], "utf8")); j.runs[0].invocations[0].exitCode="1"; fs.writeFileSync(process.argv[2], JSON.stringify(j))' "$B" "$T/badcode.sarif"
merge_fails "exitCode not an integer" "badcode.sarif: runs[0].invocations[0].exitCode is not an integer" "$A" "$T/badcode.sarif"
# results: null (a run that produced none) and results without locations merge without trouble
node -e 'const fs=require("fs"); const j=JSON.parse(fs.readFileSync(process.argv[1], "utf8")); j.runs[0].results=null; fs.writeFileSync(process.argv[2], JSON.stringify(j))' "$B" "$T/nullresults.sarif"
il merge "$A" "$T/nullresults.sarif"
rc_is "merge: results null in one input is no results" 0
js "merge: results null: the other input's results are kept" "$OUT" \
  "j.runs[0].results.length === JSON.parse(require('fs').readFileSync('$A', 'utf8')).runs[0].results.length"
node -e 'const fs=require("fs"); const j=JSON.parse(fs.readFileSync(process.argv[1], "utf8")); for (const r of j.runs[0].results) delete r.locations; fs.writeFileSync(process.argv[2], JSON.stringify(j))' "$B" "$T/noloc.sarif"
il merge "$A" "$T/noloc.sarif"
rc_is "merge: results without locations merge" 0
merge_fails "mismatched category (none vs isolint)" "s-nocat-2-2.sarif: automationDetails is none, but 'isolint/'" "$A" "$T/s-nocat-2-2.sarif"
CWD=$SRC
il scan --format sarif --no-config --sarif-category other --shard 2/2 --output "$T/other-2-2.sarif" "${SHARD_PATHS[@]}"
CWD=$T
merge_fails "mismatched category (isolint vs other)" "other-2-2.sarif: automationDetails is 'other/', but 'isolint/' in $A" "$A" "$T/other-2-2.sarif"
merge_fails "overlapping shards (a shard and the full scan)" "both have results for" "$A" "$T/full-isolint.sarif"
merge_fails "the same shard twice" "both have results for" "$A" "$A"
merge_fails "different configurations" "rule 'unused-suppression' is described differently" "$T/r-1.sarif" "$T/s-nocat-2-2.sarif"
merge_fails "missing input" "nope.sarif: cannot read: No such file or directory" "$A" "$T/nope.sarif"
merge_fails "directory input" "cannot read: Is a directory" "$A" "$T"
il merge -o "$T/no/such/dir/out.sarif" "$A" "$B"
rc_is "merge error: output in a missing directory: exit 2" 2
err_has "merge error: output in a missing directory: named" "$T/no/such/dir/out.sarif"
il merge
rc_is "merge error: no input files: exit 2" 2
err_has "merge error: no input files: usage hint" "isolint merge [-o FILE]"
il merge --frob "$A"
rc_is "merge error: unknown option: exit 2" 2
err_has "merge error: unknown option: named" "--frob"
il merge "$A" -o
rc_is "merge error: -o without a value: exit 2" 2
il merge --help
rc_is "merge --help exits 0" 0
out_has "merge --help shows the usage" "Usage: isolint merge [-o FILE] A.sarif B.sarif..."
il --help
out_has "isolint --help lists merge" "isolint merge"
out_has "isolint --help lists --format concise and github" "concise, json, json-lines, sarif, github,"

# ==== the example workflow and the GitLab job, run against the npm package ====================
# Every shell line of examples/ci/github-actions.yml (each job's `run` blocks, the matrix
# expanded) and of docs/ci.md's GitLab job (`script`) runs in a scratch git repository (the
# repository's examples/) with `npx isolint` resolved to the locally packed npm package:
# no network (npm_config_offline), no build tools on PATH.
WF=$SRC/examples/ci/github-actions.yml
DOC=$SRC/docs/ci.md
check "workflow: examples/ci/github-actions.yml exists" test -s "$WF"
awk '/<!-- BEGIN examples\/ci\/github-actions.yml -->/{f=1;next} /<!-- END examples\/ci\/github-actions.yml -->/{f=0} f' "$DOC" >"$T/doc-block.txt"
if [ "$(head -n 1 "$T/doc-block.txt")" = '```yaml' ] && [ "$(tail -n 1 "$T/doc-block.txt")" = '```' ]; then
  sed '1d;$d' "$T/doc-block.txt" >"$T/doc-workflow.yml"
  same "workflow: docs/ci.md shows exactly examples/ci/github-actions.yml" "$WF" "$T/doc-workflow.yml"
else
  fail "workflow: docs/ci.md shows exactly examples/ci/github-actions.yml" "no \`\`\`yaml block between the BEGIN/END markers in docs/ci.md"
fi
check "workflow: uploads with github/codeql-action/upload-sarif" grep -qE 'uses: github/codeql-action/upload-sarif@' "$WF"
check "workflow: grants security-events: write" grep -qE '^ +security-events: write$' "$WF"
check "workflow: every action is pinned to a commit SHA with its tag in a comment" \
  bash -c "grep -E '^ *(- )?uses: ' '$WF' >'$T/uses.txt' && [ -s '$T/uses.txt' ] && ! grep -vE '^ *(- )?uses: [A-Za-z0-9_.-]+/[A-Za-z0-9_./-]+@[0-9a-f]{40} # v[0-9]+(\.[0-9]+)*$' '$T/uses.txt'"
check "workflow: the SARIF is uploaded with a category (--sarif-category)" grep -q -- '--sarif-category isolint ' "$WF"
check "workflow: runs isolint from npm, builds nothing" \
  bash -c "grep -q 'npx --yes \"isolint@\$ISOLINT_VERSION\"' '$WF' && ! grep -qE 'cmake|apt-get|npm ci' '$WF'"

# the recipes' shell lines: node reads the YAML's run blocks / script items (plain block
# scalars and list items, as these two files write them)
node - "$WF" "$T/wf" <<'JS'
const fs = require('fs');
const [file, out] = process.argv.slice(2);
const lines = fs.readFileSync(file, 'utf8').split('\n');
let job = null, inJobs = false, n = 0;
const env = {};
for (let i = 0; i < lines.length; i++) {
  const l = lines[i];
  let m;
  if (/^jobs:\s*$/.test(l)) { inJobs = true; continue; }
  if (!inJobs && (m = /^  ([A-Z_]+): "?([^"]*)"?\s*$/.exec(l))) env[m[1]] = m[2];
  if (inJobs && (m = /^  ([\w-]+):\s*$/.exec(l))) { job = m[1]; continue; }
  if (!job) continue;
  if ((m = /^(\s+)(- )?run: \|\s*$/.exec(l))) {
    const ind = m[1].length + (m[2] ? 2 : 0), body = [];
    while (i + 1 < lines.length && (lines[i + 1].trim() === '' || lines[i + 1].search(/\S/) > ind)) body.push(lines[++i]);
    const cut = Math.min(...body.filter((x) => x.trim()).map((x) => x.search(/\S/)));
    fs.writeFileSync(`${out}.${String(++n).padStart(2, '0')}.${job}.sh`, body.map((x) => x.slice(cut)).join('\n').trim() + '\n');
  } else if ((m = /^\s+(- )?run: (.+)$/.exec(l))) {
    fs.writeFileSync(`${out}.${String(++n).padStart(2, '0')}.${job}.sh`, m[2] + '\n');
  }
}
fs.writeFileSync(`${out}.env`, Object.entries(env).map(([k, v]) => `${k}=${v}`).join('\n') + '\n');
JS
awk '/<!-- BEGIN gitlab-ci -->/{f=1;next} /<!-- END gitlab-ci -->/{f=0} f' "$DOC" >"$T/gitlab-ci.yml"
check "gitlab: docs/ci.md has the GitLab job between its markers" grep -q '^  script:' "$T/gitlab-ci.yml"
sed -nE 's/^    ISOLINT_VERSION: "?([^"]*)"?$/\1/p' "$T/gitlab-ci.yml" >"$T/gl.version"
awk '/^  script:/{f=1;next} /^  [a-z_]+:/{f=0} f && /^    - /{sub(/^    - /, ""); print}' "$T/gitlab-ci.yml" >"$T/gl-script.txt"
check "gitlab: the job writes the Code Quality report as artifacts:reports:codequality" \
  bash -c "grep -q -- '--format gitlab --output gl-code-quality-report.json' '$T/gl-script.txt' && grep -qE '^      codequality: gl-code-quality-report.json$' '$T/gitlab-ci.yml'"
check "gitlab: the job installs nothing it does not need (node image, npx)" \
  bash -c "grep -qE '^  image: node:[0-9]+-bookworm' '$T/gitlab-ci.yml' && ! grep -qE 'cmake|git clone|libclang-dev' '$T/gitlab-ci.yml'"

VERSION=$("$BIN" --version | cut -d' ' -f2)
WF_VERSION=$(sed -n 's/^ISOLINT_VERSION=//p' "$T/wf.env")
check "workflow: ISOLINT_VERSION is this isolint's version ($VERSION)" test "$WF_VERSION" = "$VERSION"
check "gitlab: ISOLINT_VERSION is this isolint's version ($VERSION)" test "$(cat "$T/gl.version")" = "$VERSION"

if [ -z "${IL_NPM_PACK:-}" ]; then
  skip "recipes run against the npm package" "no IL_NPM_PACK (sanitizer builds do not pack the package)"
else
  PACKOUT=$T/pack.out
  if IL_C_FRONTEND=${IL_C_FRONTEND:-ON} IL_PREBUILT_GRAMMAR=${IL_NPM_GRAMMAR:-} JOBS=2 \
    "$SRC/scripts/npm-pack.sh" "$IL_NPM_PACK" >"$PACKOUT" 2>&1; then
    pass "recipes: scripts/npm-pack.sh packed the npm package"
  else
    fail "recipes: scripts/npm-pack.sh packed the npm package" "$(tail -n 20 "$PACKOUT")"
  fi
  # npx finds the package in the nearest node_modules above the repository (npm's local prefix)
  NPMDIR=$T/npm
  WS=$NPMDIR/repo
  mkdir -p "$NPMDIR/bin" "$T/home"
  printf '{ "name": "ci-recipes", "private": true }\n' >"$NPMDIR/package.json"
  ln -s "$(command -v node)" "$NPMDIR/bin/node"
  ln -s "$(node -p 'require("fs").realpathSync(process.argv[1])' "$(command -v npm)")" "$NPMDIR/bin/npm"
  ln -s "$(node -p 'require("fs").realpathSync(process.argv[1])' "$(command -v npx)")" "$NPMDIR/bin/npx"
  ln -s "$(command -v sh)" "$NPMDIR/bin/sh"
  RENV=(env -u ISOLINT_KB_DIR -u ISOLINT_BINARY PATH="$NPMDIR/bin" HOME="$T/home" npm_config_offline=true
    npm_config_cache="$T/npm-cache" npm_config_update_notifier=false npm_config_audit=false npm_config_fund=false
    ISOLINT_VERSION="$VERSION")
  (cd "$NPMDIR" && "${RENV[@]}" npm install --loglevel=error "$IL_NPM_PACK/isolint-linux-x64-$VERSION.tgz" \
    "$IL_NPM_PACK/isolint-$VERSION.tgz") >"$T/npm-install.out" 2>&1
  RC=$?
  check "recipes: npm install --offline of the packed package" test "$RC" = 0
  cp -R "$SRC/examples" "$WS"
  rm -rf "$WS/worker-demo/node_modules"
  # a committed baseline: the merge glob must not take it
  (cd "$WS" && "$BIN" baseline --output isolint-baseline.sarif . >/dev/null 2>&1)
  git -C "$WS" init -q && git -C "$WS" add -A && git -C "$WS" -c user.name=t -c user.email=t@t commit -qm repo
  check "recipes: the scratch repository holds a committed isolint-baseline.sarif" \
    bash -c "git -C '$WS' ls-files | grep -qx isolint-baseline.sarif"
  # rrun FILE: runs the script FILE as GitHub's `bash -e {0}` does (GitLab: one line, sh)
  rrun() {
    LAST_CMD="(cd $WS) $(head -c 300 "$1")"
    { (cd "$WS" && exec timeout "$IL_TIMEOUT" "${RENV[@]}" "$(command -v bash)" --noprofile --norc -eo pipefail "$1") >"$OUT" 2>"$ERR" </dev/null; RC=$?; } 2>/dev/null
    RUNS=$((RUNS + 1))
    t_check_run "$RC" "$ERR" "$LAST_CMD"
  }
  MATRIX=$(sed -nE 's/^[[:space:]]*shard: \[([0-9, ]+)\][[:space:]]*$/\1/p' "$WF" | tr -d ' ')
  n_blocks=0
  for f in "$T"/wf.*.sh; do
    n_blocks=$((n_blocks + 1))
    job=$(basename "$f" .sh | cut -d. -f3)
    if grep -q '\${{ matrix.shard }}' "$f"; then
      for k in ${MATRIX//,/ }; do
        sed "s/\${{ matrix.shard }}/$k/g" "$f" >"$f.$k"
        rrun "$f.$k"
        rc_is "workflow job $job, shard $k: its run block exits 0" 0
      done
      continue
    fi
    if grep -q '\${{' "$f"; then
      fail "workflow job $job: its run block uses no other expression" "only \${{ matrix.shard }} is substituted by this test"
      continue
    fi
    rrun "$f"
    case $job in
    upload) rc_is "workflow job upload: isolint merge exits 0" 0 ;;
    check)
      rc_is "workflow job check: fails on the examples' errors (exit 1)" 1
      cp "$OUT" "$T/wf.gh"
      gh "workflow job check: annotations, errors among them, on files of the repository" "$T/wf.gh" \
        "a.length >= 5 && a.every((x) => !x.bad) && a.some((x) => x.command === 'error') && a.every((x) => fs.existsSync('$WS/' + x.props.file))"
      check "workflow job check: the warm-run cache was written (actions/cache's path)" test -d "$WS/.isolint-cache"
      ;;
    *) fail "workflow job $job: a job this test knows" "add its expected behaviour to tests/ci/ci_test.sh" ;;
    esac
  done
  check "workflow: run blocks of the scan, upload and check jobs found ($n_blocks)" test "$n_blocks" = 3
  check "workflow: the shards wrote shard-1..4.sarif" bash -c "cd '$WS' && ls shard-1.sarif shard-2.sarif shard-3.sarif shard-4.sarif"
  (cd "$WS" && "$BIN" scan --sarif-category isolint --format sarif --output "$T/full-scan.sarif" --exit-zero . >/dev/null 2>&1)
  same "workflow: the merged shards (npx isolint) equal the CMake build's unsharded scan" "$T/full-scan.sarif" "$WS/isolint.sarif"
  js "workflow: the merged SARIF holds the examples' findings with category isolint/" "$WS/isolint.sarif" \
    "j.runs.length === 1 && j.runs[0].results.length >= 5 && j.runs[0].automationDetails.id === 'isolint/'"
  sarif_ok "workflow: the uploaded SARIF validates (multitool)" "$WS/isolint.sarif"

  # the GitLab job: each script line, the reports it leaves
  git -C "$WS" clean -qfdx
  i=0
  while IFS= read -r line; do
    i=$((i + 1))
    printf '%s\n' "$line" >"$T/gl.$i.sh"
    rrun "$T/gl.$i.sh"
    if [[ $line == *--exit-zero* ]]; then
      rc_is "gitlab: \`$line\` exits 0" 0
    else
      rc_is "gitlab: \`$line\` fails the job on the findings (exit 1)" 1
      out_has "gitlab: the job log shows the findings (concise)" "error module-scope-client"
    fi
  done <"$T/gl-script.txt"
  check "gitlab: four script lines ran" test "$i" = 4
  js "gitlab: gl-code-quality-report.json is a Code Quality report of the findings" "$WS/gl-code-quality-report.json" \
    "Array.isArray(j) && j.length >= 5 && j.every((i) => i.description && i.check_name && /^[0-9a-f]{32}\$/.test(i.fingerprint) && ['info','minor','major','critical','blocker'].includes(i.severity) && i.location.path && i.location.lines.begin >= 1 && fs.existsSync('$WS/' + i.location.path))"
  check "gitlab: isolint-junit.xml is well-formed JUnit with failures" \
    bash -c "xmllint --noout '$WS/isolint-junit.xml' && [ \"\$(xmllint --xpath 'count(//testcase/failure)' '$WS/isolint-junit.xml')\" -ge 5 ]"
  sarif_ok "gitlab: isolint.sarif validates (multitool)" "$WS/isolint.sarif"
fi

t_done
