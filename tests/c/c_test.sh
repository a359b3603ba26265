#!/usr/bin/env bash
# The C front-end end to end: the C fixtures with the libraries' headers installed
# and with every library header missing, the fixture project with a compile
# database (root, build/, --compile-commands), syntax errors as notifications,
# parallel runs, C knowledge-base rows from a config, and SARIF validation.
# Usage: c_test.sh ISOLINT_BINARY SOURCE_DIR (the fixture runner is next to the
# binary, in tests/).
. "$(dirname "$0")/../cli/lib.sh"
t_init c "$@"
RUNNER=$(dirname "$BIN")/tests/fixture_runner
[ -x "$RUNNER" ] || { echo "$0: no fixture runner at $RUNNER" >&2; exit 2; }

# runner NAME PATH...: the fixture runner passes on PATHs.
runner() {
  local name=$1 log=$T/.runner.log
  shift
  if timeout 600 "$RUNNER" "$@" >"$log" 2>&1; then
    pass "$name ($(tail -n 1 "$log"))"
  else
    fail "$name" "$(grep -v '^PASS' "$log" | head -n 30)"
  fi
}

# ---- fixtures, with the headers the machine has ------------------------------------------
runner "C fixtures with the installed headers" "$SRC/fixtures/c"
n_pos=$(grep -rl 'expect: ' "$SRC/fixtures/c" | wc -l)
n_neg=$(grep -rL 'expect: [a-z]*-client' "$SRC/fixtures/c" | wc -l)
[ "$n_pos" -ge 10 ] && [ "$n_neg" -ge 5 ] && pass "fixtures hold positives ($n_pos) and negatives ($n_neg)" ||
  fail "fixtures hold positives and negatives" "positive files: $n_pos, negative files: $n_neg"

# ---- the same fixtures with every library header missing ----------------------------------
# Each #include <lib...> (everything but the C library) points into a directory that does
# not exist: the scan must find the same things from the spelled names alone.
cp -r "$SRC/fixtures/c" "$T/noheaders"
find "$T/noheaders" -name '*.c' -print0 | xargs -0 sed -i -E \
  's@^#include <([^>]+)>@#include <isolint-missing/\1>@;
   s@<isolint-missing/(stddef|stdio|stdlib|string|stdint|stdbool|pthread|unistd|netinet/in|sys/socket)\.h>@<\1.h>@'
if grep -rq 'isolint-missing/libpq-fe.h' "$T/noheaders"; then
  pass "library includes rewritten to missing headers"
else
  fail "library includes rewritten to missing headers"
fi
runner "C fixtures without the libraries' headers" "$T/noheaders"
# the multi-file programs (translation units linked by external name), the same way
cp -r "$SRC/fixtures/c-projects" "$T/noheaders-projects"
find "$T/noheaders-projects" \( -name '*.c' -o -name '*.h' \) -print0 | xargs -0 sed -i -E \
  's@^#include <([^>]+)>@#include <isolint-missing/\1>@;
   s@<isolint-missing/(stddef|stdio|stdlib|string|stdint|stdbool|pthread|unistd|netinet/in|sys/socket)\.h>@<\1.h>@'
runner "C projects without the libraries' headers" --projects "$T/noheaders-projects"

# the libraries whose headers the "with headers" run really used
for h in /usr/include/postgresql/libpq-fe.h /usr/include/microhttpd.h /usr/include/sqlite3.h \
  /usr/include/hiredis/hiredis.h /usr/include/*/curl/curl.h; do
  [ -f "$h" ] && pass "header installed: $h" || fail "header installed: $h (scripts/setup.sh installs it)"
done

# ---- the fixture project and its compile database -----------------------------------------
mkproj() { # mkproj DIR: a copy of the project without a database
  rm -rf "$1"
  cp -r "$SRC/fixtures/c-project" "$1"
}
db_for() { sed "s|@DIR@|$1|" "$SRC/fixtures/c-project/compile_commands.json.in"; }

mkproj "$T/proj"
db_for "$T/proj" >"$T/proj/compile_commands.json"
runner "project: compile_commands.json in the root" "$T/proj/src"
CWD=$T/proj il scan --format json .
rc_is "project scan with the root database finds the lazy connection" 1
js "project finding names the variable and the constructor" "$OUT" \
  "j.results.length === 1 && j.results[0].ruleId === 'lazy-singleton-client' && /'db'/.test(j.results[0].message) && /PQconnectdb/.test(j.results[0].message)"

mkproj "$T/cmd"
printf '[{"directory": "%s", "command": "gcc -std=gnu11 -DAPP_LAZY_DB -I include -fno-tree-vrp -c -o build/server.o src/server.c", "file": "src/server.c"}]\n' \
  "$T/cmd" >"$T/cmd/compile_commands.json"
CWD=$T/cmd/src il scan --format concise .
rc_is "a \"command\" string entry (gcc flags, -I with a space) found from a subdirectory" 1
out_has "command entry finding" "server.c:17:5: error lazy-singleton-client"

mkproj "$T/nodb"
CWD=$T/nodb il scan .
rc_is "project without a database: default flags, APP_LAZY_DB undefined, no finding" 0

mkproj "$T/bdb"
mkdir -p "$T/bdb/build"
db_for "$T/bdb" >"$T/bdb/build/compile_commands.json"
CWD=$T/bdb il scan --format concise .
rc_is "project: database in build/" 1
out_has "build/ database finding" "src/server.c:17:5"

mkproj "$T/opt"
mkdir -p "$T/dbdir"
db_for "$T/opt" >"$T/dbdir/compile_commands.json"
CWD=$T/opt il scan --compile-commands "$T/dbdir" --format concise .
rc_is "--compile-commands DIR" 1
CWD=$T/opt il scan --compile-commands "$T/dbdir/compile_commands.json" --format concise .
rc_is "--compile-commands FILE" 1
out_has "--compile-commands finding" "lazy-singleton-client"
CWD=$T/opt il scan --compile-commands "$T/no/such/db.json" .
rc_is "--compile-commands with a missing path exits 2" 2
err_has "--compile-commands error names the path" "$T/no/such/db.json"
printf 'not json' >"$T/dbdir/compile_commands.json"
CWD=$T/opt il scan --compile-commands "$T/dbdir" .
rc_is "an unreadable compile database falls back to default flags" 0

# ---- syntax errors are notifications, never crashes ---------------------------------------
mk "$T/bad/broken.c" '#include <libpq-fe.h>
static PGconn *c;
int handler(request_rec *r) {
  if (!c) c = PQconnectdb("x");
  int x = ;
  return 0
}
'
CWD=$T/bad il scan --format json .
rc_is "a C file with syntax errors is still analyzed" 1
js "syntax errors give ISOL0002 and the finding stays" "$OUT" \
  "j.notifications.some(n => n.id === 'ISOL0002' && n.path === 'broken.c') && j.results.some(r => r.ruleId === 'lazy-singleton-client')"
# an error clang places after the last token of a line (a missing `;`): the note's region
# is a character of that line, not one past its end
mk "$T/eol/eol.c" '#include <libpq-fe.h>
static PGconn *c;
int main(void) {
  int x = 1
  return x;
}
'
CWD=$T/eol il scan --format sarif --no-prefilter .
js "syntax note at the end of a line: its region ends within the line" "$OUT" \
  "j.runs[0].invocations[0].toolExecutionNotifications.some(n => n.descriptor.id === 'ISOL0002' && n.locations[0].physicalLocation.region.startLine === 4 && n.locations[0].physicalLocation.region.startColumn === 11 && n.locations[0].physicalLocation.region.endColumn === 12)"
mk "$T/bin/garbage.c" "$(head -c 3000 /dev/urandom | tr -d '\000')"
mk "$T/bin/PQconnectdb.h" '}}}} PQconnectdb ((((( [[[ ""'
CWD=$T/bin il scan .
rc_is "garbage C files: no crash" 0 1

# hostile C: 60 000-deep nesting, NUL bytes and invalid UTF-8, a large generated file
mkdir -p "$T/hostile"
node -e '
const fs = require("fs"), d = process.argv[1], n = 60000;
fs.writeFileSync(d + "/deep.c", "void f(void){ PQconnectdb(\"x\"); " + "{".repeat(n) + "}".repeat(n) + "}\n");
fs.writeFileSync(d + "/parens.c", "int g = " + "(".repeat(n) + "1" + ")".repeat(n) + "; void h(void){PQconnectdb(0);}\n");
fs.writeFileSync(d + "/nul.c", Buffer.concat([Buffer.from("static PGconn *c;\nint h(request_rec *r) {"),
  Buffer.from([0, 0xff, 0xfe]), Buffer.from("\n  if (!c) c = PQconnectdb(\""), Buffer.from([0xc3, 0x28]),
  Buffer.from("\");\n  return 0;\n}\n")]));
let big = "static PGconn *c;\n";
for (let i = 0; i < 3000; i++) big += `int f${i}(request_rec *r) { if (!c) c = PQconnectdb("x"); return ${i}; }\n`;
fs.writeFileSync(d + "/big.c", big);
' "$T/hostile"
CWD=$T/hostile il scan --format json --jobs 2 .
rc_is "hostile C files: no crash" 1
js "hostile C: deep nesting is a syntax notification, the large file has all its findings" "$OUT" \
  "j.notifications.some(n => n.path === 'deep.c' && n.id === 'ISOL0002') && j.results.filter(r => r.path === 'big.c').length === 3000"
js "hostile C: NUL bytes and invalid UTF-8 do not hide the finding" "$OUT" \
  "j.results.some(r => r.path === 'nul.c' && r.ruleId === 'lazy-singleton-client')"

# the JavaScript runtime target does not turn the C rules off
mkdir -p "$T/tgt"
cp "$SRC/fixtures/c/boot-time-client/mhd_main.c" "$T/tgt/"
printf '{"dependencies": {"express": "4"}}\n' >"$T/tgt/package.json"
CWD=$T/tgt il scan --format concise .
rc_is "C next to a Node.js package.json (auto target) is still checked" 1
out_has "auto target: C finding" "mhd_main.c:17:3: error boot-time-client"
CWD=$T/tgt il scan --target node --format concise .
rc_is "--target node leaves the C rules on" 1
CWD=$T/tgt il scan --target node --format json mhd_main.c
js "--target node: no Node.js note for the C file" "$OUT" "!j.notifications.some(n => n.id === 'ISOL0004')"

# ---- parallel runs are deterministic ------------------------------------------------------
il scan --format sarif --jobs 1 "$SRC/fixtures/c"
cp "$OUT" "$T/j1.sarif"
il scan --format sarif --jobs 4 "$SRC/fixtures/c"
cp "$OUT" "$T/j4.sarif"
check "--jobs 1 and --jobs 4 give identical SARIF" cmp -s "$T/j1.sarif" "$T/j4.sarif"
js "SARIF has C findings of the three rules with related locations" "$T/j4.sarif" \
  "['lazy-singleton-client','boot-time-client','module-scope-client'].every(id => j.runs[0].results.some(r => r.ruleId === id && r.relatedLocations.length >= 2))"
sarif_ok "C SARIF validates" "$T/j4.sarif"

# ---- translation units linked by external name: the same whatever --jobs, valid SARIF,
# the path from the wrapper in another file to the handlers of a third --------------------
for p in wrapper-other-file handler-and-extern-other-file; do
  cp -r "$SRC/fixtures/c-projects/$p" "$T/xtu-$p"
  CWD=$T/xtu-$p il scan --format sarif --jobs 1 .
  cp "$OUT" "$T/xtu-$p.j1.sarif"
  CWD=$T/xtu-$p il scan --format sarif --jobs 4 .
  check "$p: --jobs 1 and --jobs 4 give identical SARIF" cmp -s "$T/xtu-$p.j1.sarif" "$OUT"
  sarif_ok "$p: SARIF validates" "$T/xtu-$p.j1.sarif"
done
js "a wrapper's finding across files has a codeFlow from db.c to the handler in handlers.c" \
  "$T/xtu-wrapper-other-file.j1.sarif" \
  "j.runs[0].results.length === 1 && (s => s.includes('db.c') && s.includes('handlers.c'))(JSON.stringify(j.runs[0].results[0].codeFlows || []))"

# ---- C rows from the user's config --------------------------------------------------------
mk "$T/cfg/isolint.json" '{"clients": [{"lang": "c", "module": "libacme", "export": "acme_open", "form": "out-param", "out_arg": 0, "handle": "acme_t *", "name": "Acme connection"}]}'
mk "$T/cfg/app.c" 'static acme_t *h;
int handler(request_rec *r) {
  acme_open(&h, "tcp://x");
  return 0;
}
'
CWD=$T/cfg il scan --format concise .
rc_is "a C row from isolint.json is a client" 1
out_has "config row finding" "app.c:3:14: error lazy-singleton-client"
CWD=$T/cfg il config --print
js "config --print shows the C row's lang, out_arg and handle" "$OUT" \
  "j.clients.some(c => c.lang === 'c' && c.form === 'out-param' && c.out_arg === 0 && c.handle === 'acme_t *')"
mk "$T/cfg2/isolint.json" '{"clients": [{"lang": "c", "module": "x", "export": "f", "form": "out-param"}]}'
CWD=$T/cfg2 il scan .
rc_is "an out-param row without out_arg is a config error" 2
err_has "the config error names the key" "out_arg"

# ---- handler names from the config ---------------------------------------------------------
mk "$T/hcfg/worker.c" '#include <hiredis/hiredis.h>
static redisContext *rc;
int serve_one(int fd) {
  if (!rc) rc = redisConnect("127.0.0.1", 6379);
  return fd;
}
'
CWD=$T/hcfg il scan --format concise .
rc_is "a function no framework marks is not a handler" 0
mk "$T/hcfg/isolint.json" '{"handlers": ["serve_one"]}'
CWD=$T/hcfg il scan --format concise .
rc_is "\"handlers\" in isolint.json makes it one" 1
out_has "configured handler finding" "worker.c:4:12: error lazy-singleton-client"

t_done
