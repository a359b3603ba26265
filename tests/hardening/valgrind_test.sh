#!/usr/bin/env bash
# Memcheck over a representative subset of runs of the release build (issue 7 item 2):
# TypeScript and C fixtures, a cross-file fixture project with SARIF output, a config file,
# a baseline written then applied, --jobs 2, the limits (a timed-out parse, a skipped large
# file) and one LSP exchange. Each run goes through
#
#     valgrind --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite
#
# (99, not 1, so that isolint's own exit status 1, "findings", stays visible): any memory
# error or definite leak fails the run, and so does an unexpected exit status.
#
#     tests/hardening/valgrind_test.sh ISOLINT_BINARY SOURCE_DIR
set -u
# shellcheck source=tests/cli/lib.sh disable=SC2034
. "$(cd "$(dirname "$0")/../cli" && pwd)/lib.sh"
t_init valgrind "$@"
if ! command -v valgrind >/dev/null 2>&1; then
  echo "$0: valgrind is needed (scripts/setup.sh installs it)" >&2
  exit 2
fi
IL_TIMEOUT=${IL_TIMEOUT:-600}
VG_LOG=$T/.valgrind

# vg NAME STATUS... -- ARGS...: isolint ARGS under memcheck (stdin from the command $VG_FEED, default
# none; cwd $CWD or $SRC); passes when memcheck is clean and the status is one of STATUS.
vg() {
  local name=$1 want=() s
  shift
  while [ "$1" != "--" ]; do
    want+=("$1")
    shift
  done
  shift
  LAST_CMD="valgrind isolint $(t_show "$@")"
  : >"$OUT"
  { ${VG_FEED:-cat /dev/null} | (cd "${CWD:-$SRC}" && exec timeout "$IL_TIMEOUT" valgrind -q \
      --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
      --suppressions="$SRC/tests/hardening/valgrind.supp" \
      --log-file="$VG_LOG" "$BIN" "$@") >"$OUT" 2>"$ERR"; RC=$?; } 2>/dev/null
  RUNS=$((RUNS + 1))
  if [ "$RC" = 99 ] || grep -qE 'Invalid (read|write)|uninitialised|definitely lost' "$VG_LOG"; then
    fail "memcheck clean: $name" "$(head -n 40 "$VG_LOG")"
    return 0
  fi
  for s in "${want[@]}"; do
    if [ "$RC" = "$s" ]; then
      pass "memcheck clean, exit $RC: $name"
      return 0
    fi
  done
  fail "memcheck clean: $name" "expected exit status ${want[*]}" "$(last_run)" "$(head -n 20 "$VG_LOG")"
}

vg "TS fixtures (module-scope-client), text" 1 -- scan --no-config fixtures/ts/module-scope-client
vg "TS fixtures (boot-time-layer, suppressions), JSON, --jobs 2" 1 -- \
  scan --no-config --format json --jobs 2 fixtures/ts/boot-time-layer fixtures/ts/invalid-suppression fixtures/ts/unused-suppression
js "TS fixtures under valgrind: findings reported" "$OUT" 'j.results.length > 0'
if [ "${IL_C_FRONTEND:-ON}" = OFF ]; then
  echo "skip - C fixtures under valgrind: this tree is built with -DIL_C_FRONTEND=OFF"
else
vg "C fixtures (libclang), SARIF" 1 -- scan --no-config --format sarif --output "$T/c.sarif" fixtures/c/module-scope-client
js "C fixtures under valgrind: SARIF with results" "$T/c.sarif" 'j.runs[0].results.length > 0'
fi
vg "fixture project (cross-file), SARIF" 0 1 -- \
  scan --no-config --format sarif --output "$T/proj.sarif" fixtures/ts-projects/exported-client-used-in-handler
js "fixture project under valgrind: valid SARIF" "$T/proj.sarif" 'j.version === "2.1.0"'

P=$T/proj
mk "$P/src/a.ts" 'import { Pool } from "pg";
export const pool = new Pool();
'
mk "$P/src/b.ts" 'import { Pool } from "pg";
export const other = new Pool();
'
mk "$P/isolint.json" '{ "rules": { "module-scope-client": "warning" }, "exclude": ["gen"], "handlers": ["serve"] }'
CWD=$P vg "config file, github format" 1 -- scan --format github .
out_has "config under valgrind: the configured level applies" "::warning "
CWD=$P vg "baseline written" 0 -- baseline --output "$T/base.sarif" .
mk "$P/src/c.ts" 'import { Pool } from "pg";
export const third = new Pool();
'
CWD=$P vg "baseline applied" 1 -- scan --format json --baseline "$T/base.sarif" .
js "baseline under valgrind: only the new finding" "$OUT" 'paths.join(" ") === "src/c.ts"'

node -e 'let s = process.argv[1]; for (let i = 0; i < 20000; i++) s += `const v${i} = ((a + b) * c) / [d, {e: f}];\n`; process.stdout.write(s)' \
  'import { Pool } from "pg";'$'\n' >"$P/src/slow.ts"
CWD=$P vg "limits: a timed-out parse and a skipped large file" 1 -- \
  scan --format json --parse-timeout 1 --max-file-size 1M src/a.ts src/slow.ts
js "limits under valgrind: ISOL0006 for the slow file" "$OUT" 'j.notifications.some((n) => n.id === "ISOL0006" && n.path === "src/slow.ts")'
CWD=$P vg "limits: max-file-size" 1 -- scan --format json --max-file-size 100 .
js "limits under valgrind: ISOL0006 for the large file" "$OUT" 'j.notifications.some((n) => n.id === "ISOL0006")'
rm -f "$P/src/slow.ts"

# one LSP exchange: initialize, initialized, didOpen (diagnostics), then, once the
# diagnostics are out (the server analyzes when its input is idle), shutdown and exit
node - "$T/lsp" "$P/src/a.ts" <<'EOF'
const fs = require('fs');
const [out, file] = process.argv.slice(2);
const uri = 'file://' + file;
const msgs = [
  { jsonrpc: '2.0', id: 1, method: 'initialize', params: { processId: null, rootUri: null, capabilities: {} } },
  { jsonrpc: '2.0', method: 'initialized', params: {} },
  { jsonrpc: '2.0', method: 'textDocument/didOpen', params: { textDocument: { uri, languageId: 'typescript', version: 1, text: fs.readFileSync(file, 'utf8') } } },
  { jsonrpc: '2.0', id: 2, method: 'shutdown' },
  { jsonrpc: '2.0', method: 'exit' },
];
const frame = (ms) => Buffer.concat(ms.map((m) => {
  const b = Buffer.from(JSON.stringify(m));
  return Buffer.concat([Buffer.from(`Content-Length: ${b.length}\r\n\r\n`), b]);
}));
fs.writeFileSync(out + '.1', frame(msgs.slice(0, 3)));
fs.writeFileSync(out + '.2', frame(msgs.slice(3)));
EOF
lsp_feed() {
  cat "$T/lsp.1"
  for _ in $(seq 1 600); do
    grep -q publishDiagnostics "$OUT" && break
    sleep 0.1
  done
  cat "$T/lsp.2"
}
VG_FEED=lsp_feed CWD=$P vg "lsp: one exchange" 0 -- lsp
out_has "lsp under valgrind: diagnostics published" "textDocument/publishDiagnostics"
out_has "lsp under valgrind: the finding is among them" "module-scope-client"

t_done
