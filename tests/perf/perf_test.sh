#!/usr/bin/env bash
# Functional checks for the speed and scale work (never timed):
#  - the progress line on stderr: shown on a terminal (a pseudo-terminal from `script`), with
#    the file count, and cleared; absent when stderr is not a terminal and with --no-progress;
#  - the prefilter keeps every finding: each fixture project and fixture directory gives the
#    same results with and without --no-prefilter;
#  - what the prefilter skips, seen through syntax-error notes (only a parsed file reports
#    one): a knowledge-base module name as a plain string or a load-time name outside a call
#    is skipped, the same name as an import or in a call is parsed;
#  - a file that only imports a parsed file that feeds nothing is not parsed, one whose import
#    leads to a knowledge-base module through a parsed file is (cross-file findings kept).
# usage: perf_test.sh ISOLINT_BINARY SOURCE_DIR
# shellcheck source=../cli/lib.sh
. "$(dirname "$0")/../cli/lib.sh"
t_init perf "$@"

# results only (rule, path, line, column, message, related), sorted: notes differ by design
results() {
  node -e '
    const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const rows = r.results.map(x => JSON.stringify([x.ruleId, x.path, x.start, x.end, x.message,
      (x.related || []).map(y => [y.path, y.start, y.message])]));
    console.log(rows.sort().join("\n"));' "$1"
}

# ---- progress line -------------------------------------------------------------------------
if command -v script >/dev/null 2>&1; then
  mkdir -p "$T/many"
  # enough parsing for more than one report (the first comes after 100 ms) on any build
  for i in $(seq 1 400); do
    {
      echo "import { helper$i } from \"./h$i\";"
      for k in $(seq 1 60); do
        echo "export function f${i}_$k(a: number, b: string): string { const x = [a, b, { k: $k }]; return helper$i(x) + b.repeat(a) + String($k); }"
      done
    } > "$T/many/m$i.ts"
  done
  pty() { # pty STDERR-REDIRECT ARGS...: runs isolint under a pseudo-terminal
    local redir=$1
    shift
    local cmd
    cmd="$(printf '%q ' "$BIN" "$@") >$(printf '%q' "$T/pty.out") $redir"
    (cd "$T" && timeout "$IL_TIMEOUT" script -qec "$cmd" "$T/pty.log" >/dev/null 2>&1 </dev/null)
  }
  pty "" scan --no-config --no-prefilter --format json --jobs 2 many
  if grep -q $'\r\[ *[0-9]*/400\] files' "$T/pty.log" && grep -q $'\r\[400/400\] files' "$T/pty.log"; then
    pass "progress: a terminal shows [N/400] files, ending at 400/400"
  else
    fail "progress: a terminal shows [N/400] files, ending at 400/400" "$(cat -v "$T/pty.log" | head -c 600)"
  fi
  if grep -q $'files\r *\r' "$T/pty.log"; then
    pass "progress: the line is cleared at the end"
  else
    fail "progress: the line is cleared at the end" "$(cat -v "$T/pty.log" | tail -c 300)"
  fi
  if node -e 'JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"))' "$T/pty.out" 2>/dev/null; then
    pass "progress: stdout keeps the report alone"
  else
    fail "progress: stdout keeps the report alone" "$(head -c 300 "$T/pty.out" | cat -v)"
  fi
  pty "" scan --no-config --no-prefilter --format json --jobs 2 --no-progress many
  if grep -q 'files' "$T/pty.log"; then
    fail "progress: none with --no-progress" "$(cat -v "$T/pty.log" | head -c 300)"
  else
    pass "progress: none with --no-progress"
  fi
  pty "2>$(printf '%q' "$T/pty.err")" scan --no-config --no-prefilter --format json --jobs 2 many
  if grep -q 'files' "$T/pty.err" "$T/pty.log"; then
    fail "progress: none when stderr is not a terminal" "$(cat -v "$T/pty.err" | head -c 300)"
  else
    pass "progress: none when stderr is not a terminal"
  fi
  il scan --no-config --no-prefilter --format json --jobs 2 many
  err_lacks "progress: none in a plain run (stderr a file)" "files"
else
  skip "progress line" "script (util-linux) is not installed"
fi

# ---- the prefilter keeps every finding ---------------------------------------------------------
for d in "$SRC"/fixtures/ts-projects/*/ "$SRC"/fixtures/ts/*/; do
  d=${d%/}
  name=${d#"$SRC"/}
  CWD=$d il scan --no-config --format json --jobs 2 .
  cp "$OUT" "$T/pre.json"
  CWD=$d il scan --no-config --no-prefilter --format json --jobs 2 .
  cp "$OUT" "$T/all.json"
  if [ "$(results "$T/pre.json")" = "$(results "$T/all.json")" ]; then
    pass "prefilter keeps the results: $name"
  else
    fail "prefilter keeps the results: $name" "$(diff <(results "$T/pre.json") <(results "$T/all.json") | head -n 10)"
  fi
done

# ---- what the prefilter skips (a syntax error tells a parsed file) --------------------------------
mkdir -p "$T/pf"
cat > "$T/pf/name-as-string.ts" <<'TS'
export const provider = "openai";
export const broken = ;
TS
cat > "$T/pf/name-as-import.ts" <<'TS'
import OpenAI from "openai";
export const broken = ;
TS
cat > "$T/pf/require-split.js" <<'JS'
const pg = require(
  "pg");
export const broken = ;
JS
cat > "$T/pf/timer-type.ts" <<'TS'
// setTimeout and fetch are only mentioned here
export type Timer = ReturnType<typeof setTimeout>;
export const broken = ;
TS
cat > "$T/pf/timer-call.ts" <<'TS'
export const t = setTimeout (() => 0, 10);
export const broken = ;
TS
cat > "$T/pf/renamed-import.ts" <<'TS'
import { randomBytes as rb } from "node:crypto";
export const broken = ;
TS
cat > "$T/pf/string-member.ts" <<'TS'
globalThis["setTimeout"](() => 0, 10);
export const broken = ;
TS
cat > "$T/pf/abort.ts" <<'TS'
export const c = new AbortController;
export const broken = ;
TS
cat > "$T/pf/effect-only.ts" <<'TS'
import { Effect } from "effect";
export const program = Effect.succeed(1);
export const broken = ;
TS
CWD=$T/pf il scan --no-config --format json .
for f in name-as-import.ts require-split.js timer-call.ts renamed-import.ts string-member.ts abort.ts; do
  err_has "prefilter parses $f" "$f:"
done
for f in name-as-string.ts timer-type.ts effect-only.ts; do
  err_lacks "prefilter skips $f" "$f:"
done
CWD=$T/pf il scan --no-config --no-prefilter --format json .
for f in name-as-string.ts timer-type.ts effect-only.ts; do
  err_has "--no-prefilter parses $f" "$f:"
done

# ---- candidates: parsed only when their imports lead to a file that feeds a finding ---------------
mkdir -p "$T/x"
cat > "$T/x/db.ts" <<'TS'
import { Pool } from "pg";
export const pool = new Pool();
TS
cat > "$T/x/via.ts" <<'TS'
export { pool } from "./db";
export async function ping() { return fetch("https://example.com"); }
TS
cat > "$T/x/handler.ts" <<'TS'
import { pool } from "./via";
export default { async fetch() { return Response.json(await pool.query("select 1")); } };
TS
cat > "$T/x/clock.ts" <<'TS'
export const later = () => setTimeout(() => 0, 1);
TS
cat > "$T/x/uses-clock.ts" <<'TS'
import { later } from "./clock";
export const broken = ;
TS
cat > "$T/x/uses-handler.ts" <<'TS'
import h from "./handler";
export const again = h;
export const broken = ;
TS
CWD=$T/x il scan --no-config --format json .
cp "$OUT" "$T/x-pre.json"
err_lacks "a candidate importing a file that feeds nothing is not parsed" "uses-clock.ts:"
err_has "a candidate whose imports lead to a client module is parsed" "uses-handler.ts:"
CWD=$T/x il scan --no-config --no-prefilter --format json .
if [ "$(results "$T/x-pre.json")" = "$(results "$OUT")" ] && grep -q 'handler.ts' "$OUT"; then
  pass "cross-file results through a parsed file that re-exports a client are kept"
else
  fail "cross-file results through a parsed file that re-exports a client are kept" \
    "$(diff <(results "$T/x-pre.json") <(results "$OUT") | head)" "$(results "$OUT" | head -c 400)"
fi

# ---- big files first, one job at a time (phase 1's order): every file once, any --jobs --------
# Files of 1 MiB or more are parsed first and by one job at a time while the other jobs take
# the small files; the order must not change what is found.
mkdir -p "$T/big"
cat > "$T/big/db.ts" <<'TS'
import { Pool } from "pg";
export const pool = new Pool();
TS
big_file() { # big_file NAME HEAD: HEAD, then functions up to more than 1 MiB
  {
    printf '%s\n' "$2"
    for k in $(seq 1 13000); do
      echo "export function g$k(a: number, b: string): string { return b.repeat(a) + String($k); }"
    done
  } > "$T/big/$1"
}
big_file big-client.ts 'import postgres from "postgres";
export const sql = postgres(process.env.DATABASE_URL);
export default { async fetch() { return Response.json(await sql`select 1`); } };'
big_file big-user.ts 'import { pool } from "./db";
export default { async fetch() { return Response.json(await pool.query("select 1")); } };'
big_file big-plain.ts 'export const nothing = 1;'
for i in $(seq 1 30); do
  cat > "$T/big/s$i.ts" <<TS
import { pool } from "./db";
import { Client } from "pg";
const c$i = new Client();
export default { async fetch() { return Response.json([await pool.query("x"), await c$i.query("y")]); } };
TS
done
n_big=$(find "$T/big" -name 'big-*.ts' -size +1024k | wc -l)
check "the three big files are over 1 MiB" [ "$n_big" -eq 3 ]
CWD=$T/big il scan --no-config --format json --jobs 1 .
cp "$OUT" "$T/big-j1.json"
n1=$(results "$T/big-j1.json" | wc -l)
if [ "$n1" -eq 32 ] && results "$T/big-j1.json" | grep -q 'big-client.ts' &&
   results "$T/big-j1.json" | grep -q 's30.ts'; then
  pass "big and small files all give their findings with --jobs 1 ($n1)"
else
  fail "big and small files all give their findings with --jobs 1" "$(results "$T/big-j1.json" | head -c 600)"
fi
for j in 2 3 8; do
  CWD=$T/big il scan --no-config --format json --jobs $j .
  if [ "$(results "$T/big-j1.json")" = "$(results "$OUT")" ]; then
    pass "--jobs $j finds what --jobs 1 finds with big files first"
  else
    fail "--jobs $j finds what --jobs 1 finds with big files first" \
      "$(diff <(results "$T/big-j1.json") <(results "$OUT") | head)"
  fi
done

t_done
