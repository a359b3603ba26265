#!/usr/bin/env bash
# isolint.json as docs/config.md describes it: every json example of the page loads and
# validates against docs/isolint.schema.json, the schema lists exactly what the loader
# accepts, include globs, target, $schema, errors naming the key and the file,
# `isolint config --print`, and --rule over the configuration file.
#
#     tests/config/config_test.sh ISOLINT_BINARY SOURCE_DIR
#
# Prints `ok - NAME` / `not ok - NAME` per assertion, ends with `N passed, N failed` and
# exits 1 on any failure. Needs bash and node.
set -u
# shellcheck source=tests/cli/lib.sh disable=SC2034  # CWD is read by lib.sh
. "$(cd "$(dirname "$0")/../cli" && pwd)/lib.sh"
t_init config "$@"

NL=$'\n'
POOL='import { Pool } from "pg";'$NL'export const pool = new Pool();'$NL
SCHEMA=$SRC/docs/isolint.schema.json
DOC=$SRC/docs/config.md
CHECK=$SRC/tests/config/schema_check.js

# schema_valid FILE / schema_invalid FILE: the schema accepts / rejects FILE.
schema_valid() { node "$CHECK" "$SCHEMA" "$1" >"$T/.schema.log" 2>&1; }
schema_invalid() {
  node "$CHECK" "$SCHEMA" "$1" >"$T/.schema.log" 2>&1
  [ $? -eq 1 ]
}

# ==== the schema checker itself can fail ==================================================
printf '{"type": "object", "patternProperties": {}}\n' >"$T/odd.schema.json"
printf '{}\n' >"$T/empty.json"
node "$CHECK" "$T/odd.schema.json" "$T/empty.json" >/dev/null 2>&1
check "schema checker: a keyword it does not implement is an error (exit 2)" [ $? -eq 2 ]
printf '{"rulez": {}}\n' >"$T/rulez.json"
check "schema checker: rejects an unknown top-level key" schema_invalid "$T/rulez.json"
check "schema checker: accepts an empty configuration" schema_valid "$T/empty.json"

# ==== every json example of docs/config.md ===============================================
mkdir -p "$T/doc"
node - "$DOC" "$T/doc" <<'EOF'
const fs = require('fs');
const [doc, dir] = process.argv.slice(2);
const lines = fs.readFileSync(doc, 'utf8').split('\n');
let n = 0, block = null, indent = 0;
for (const line of lines) {
  const open = /^(\s*)```json\s*$/.exec(line);
  if (block === null && open) { block = []; indent = open[1].length; continue; }
  if (block !== null && /^\s*```\s*$/.test(line)) {
    fs.writeFileSync(`${dir}/example-${String(++n).padStart(2, '0')}.json`, block.join('\n') + '\n');
    block = null;
    continue;
  }
  if (block !== null) block.push(line.slice(indent));
}
EOF
EXAMPLES=("$T"/doc/example-*.json)
check "docs/config.md has json examples (at least one per key)" [ "${#EXAMPLES[@]}" -ge 9 ]
PD=$T/docproj
mk "$PD/src/db.ts" "$POOL"
CWD=$PD
for ex in "${EXAMPLES[@]}"; do
  name="docs/config.md $(basename "$ex")"
  il config --print --config "$ex"
  rc_is "$name: loads (config --print exit 0)" 0
  js "$name: config --print names it" "$OUT" "j.config && j.config.endsWith('$(basename "$ex")')"
  il scan --config "$ex" .
  rc_is "$name: a scan with it runs (exit 0 or 1)" 0 1
  if schema_valid "$ex"; then pass "$name: valid against the schema"; else fail "$name: valid against the schema" "$(cat "$T/.schema.log")"; fi
done
# every key of the loader appears in an example of the page
for key in '"$schema"' '"root"' '"rules"' '"include"' '"exclude"' '"overrides"' '"handlers"' '"clients"' '"target"' '"docsUrl"' '"unknownCalls"' '"//"'; do
  check "docs/config.md has an example using $key" grep -qF -- "$key:" "${EXAMPLES[@]}"
done

# ==== the schema lists exactly what the loader accepts ====================================
printf '{"no-such-key": 1}\n' >"$T/unknown.json"
il config --print --config "$T/unknown.json"
rc_is "unknown key: exit 2" 2
LOADER_KEYS=$(sed -n 's/.*(expected one of: \(.*\))$/\1/p' "$ERR" | tr -d ' ' | tr ',' '\n' | sort)
SCHEMA_KEYS=$(node -e 'console.log(Object.keys(require(process.argv[1]).properties).join("\n"))' "$SCHEMA" | sort)
check "the loader names the keys it accepts" [ -n "$LOADER_KEYS" ]
if [ "$LOADER_KEYS" = "$SCHEMA_KEYS" ]; then
  pass "schema properties = the keys the loader accepts"
else
  fail "schema properties = the keys the loader accepts" "loader: $(echo $LOADER_KEYS)" "schema: $(echo $SCHEMA_KEYS)"
fi
for key in $SCHEMA_KEYS; do
  case $key in
    '$schema') val='"https://example.invalid/s.json"' ;;
    '//') val='"a comment"' ;;
    rules) val='{"module-scope-client": "off"}' ;;
    include | exclude) val='["src"]' ;;
    handlers) val='["handleRequest"]' ;;
    clients) val='[{"module": "m", "export": "E"}]' ;;
    target) val='"workers"' ;;
    nodeCode) val='["tests", "migrations"]' ;;
    allFiles) val='true' ;;
    docsUrl) val='"https://docs.example.com/isolint/rules/"' ;;
    root) val='true' ;;
    overrides) val='[{"files": ["*.test.ts"], "rules": {"module-scope-client": "off"}, "target": "node", "nodeCode": [], "allFiles": true, "//": "x"}]' ;;
    unknownCalls) val='"all"' ;;
    *) val='null' ;; # a key this test does not know: fails below
  esac
  printf '{"%s": %s}\n' "$key" "$val" >"$T/key.json"
  il config --print --config "$T/key.json"
  rc_is "schema key $key: the loader accepts a valid value" 0
  check "schema key $key: the schema accepts the same value" schema_valid "$T/key.json"
done

il rules
RULES=$(awk '{print $1}' "$OUT" | sort)
SCHEMA_RULES=$(node -e 'console.log(Object.keys(require(process.argv[1]).properties.rules.properties).join("\n"))' "$SCHEMA" | sort)
if [ -n "$RULES" ] && [ "$RULES" = "$SCHEMA_RULES" ]; then
  pass "schema rules = \`isolint rules\`"
else
  fail "schema rules = \`isolint rules\`" "isolint rules: $(echo $RULES)" "schema: $(echo $SCHEMA_RULES)"
fi
for level in $(node -e 'console.log(require(process.argv[1]).definitions.level.enum.join(" "))' "$SCHEMA"); do
  printf '{"rules": {"module-scope-client": "%s"}}\n' "$level" >"$T/level.json"
  il config --print --config "$T/level.json"
  rc_is "schema level $level: the loader accepts it" 0
  js "schema level $level: config --print shows it" "$OUT" "j.rules['module-scope-client'] === '$level'"
done
for field in $(node -e 'console.log(Object.keys(require(process.argv[1]).definitions.client.properties).join(" "))' "$SCHEMA"); do
  case $field in
    module | export) continue ;;
    form) val='"new"' ;;
    level) val='"warning"' ;;
    inherits) val='true' ;;
    lang) val='"c"' ;;
    out_arg) val='0' ;;
    *) val='"text"' ;;
  esac
  printf '{"clients": [{"module": "m", "export": "E", "%s": %s}]}\n' "$field" "$val" >"$T/row.json"
  il config --print --config "$T/row.json"
  rc_is "schema client field $field: the loader accepts it" 0
  check "schema client field $field: the schema accepts it" schema_valid "$T/row.json"
done
check "schema client rows require module and export" \
  node -e 'const r = require(process.argv[1]).definitions.client.required; process.exit(r.join() === "module,export" ? 0 : 1)' "$SCHEMA"

# ==== bad values: the loader and the schema both refuse; the message names key and file ===
# bad NAME JSON WORD: isolint exits 2 naming the file and WORD, and the schema rejects JSON.
bad() {
  local name=$1 json=$2 word=$3
  mkdir -p "$T/bad"
  printf '%s\n' "$json" >"$T/bad/isolint.json"
  CWD=$T/bad
  il scan .
  rc_is "$name: exit 2" 2
  err_has "$name: names the file" "$T/bad/isolint.json"
  err_has "$name: names $word" "$word"
  out_empty "$name: no report"
  if schema_invalid "$T/bad/isolint.json"; then pass "$name: the schema rejects it too"; else fail "$name: the schema rejects it too" "$(cat "$T/.schema.log")"; fi
  CWD=$T
}
mk "$T/bad/a.ts" "$POOL"
bad "unknown key" '{"rulez": {}}' '"rulez"'
bad "\$schema not a string" '{"$schema": 5}' '"$schema"'
bad "include not an array" '{"include": "src"}' '"include"'
bad "include empty" '{"include": []}' '"include"'
bad "include with an empty glob" '{"include": [""]}' '"include"'
bad "include with a number" '{"include": [1]}' '"include"'
bad "exclude with an empty glob" '{"exclude": [""]}' '"exclude"'
bad "handlers with a number" '{"handlers": [1]}' '"handlers"'
bad "target unknown" '{"target": "deno"}' '"target"'
bad "unknownCalls unknown" '{"unknownCalls": "some"}' '"unknownCalls"'
bad "unknownCalls not a string" '{"unknownCalls": true}' '"unknownCalls"'
bad "target not a string" '{"target": 1}' '"target"'
bad "target wrong case" '{"target": "Workers"}' '"target"'
bad "rules not an object" '{"rules": ["module-scope-client"]}' '"rules"'
bad "rules bad level" '{"rules": {"module-scope-client": "loud"}}' 'module-scope-client'
bad "rules unknown rule" '{"rules": {"no-such-rule": "off"}}' 'no-such-rule'
bad "clients not an array" '{"clients": {}}' '"clients"'
bad "clients row without export" '{"clients": [{"module": "m"}]}' 'clients[0]'
bad "clients row bad form" '{"clients": [{"module": "m", "export": "E", "form": "maybe"}]}' 'form'
bad "clients row level off" '{"clients": [{"module": "m", "export": "E", "level": "off"}]}' 'level'
bad "clients row unknown key" '{"clients": [{"module": "m", "export": "E", "colour": "red"}]}' 'colour'
bad "clients row inherits not boolean" '{"clients": [{"module": "m", "export": "E", "inherits": "yes"}]}' 'inherits'
bad "not an object" '["rules"]' 'JSON object'

# ==== $schema and target ====================================================================
PS=$T/schema
mk "$PS/src/db.ts" "$POOL"
printf '{"$schema": "../docs/isolint.schema.json", "rules": {"module-scope-client": "warning"}}\n' >"$PS/isolint.json"
CWD=$PS
il scan --format json .
rc_is "\$schema accepted (a relative path too); the rest of the file applies: exit 1" 1
js "\$schema accepted: rules of the same file applied" "$OUT" 'j.results.length === 1 && j.results[0].level === "warning"'

PT=$T/target
mk "$PT/src/db.ts" "$POOL"
CWD=$PT
il scan --no-config --format json .
cp "$OUT" "$T/target-none.json"
for target in workers node auto; do
  printf '{"target": "%s"}\n' "$target" >"$PT/isolint.json"
  il config --print
  rc_is "target $target: accepted" 0
  js "target $target: config --print shows it" "$OUT" "j.target === '$target'"
  il scan --format json .
  if [ "$target" = node ]; then
    # Node.js code: module-scope clients are the recommended pattern, the Workers rules are off
    rc_is "target node: scan runs, no finding (exit 0)" 0
    js "target node: no result" "$OUT" 'j.results.length === 0'
    continue
  fi
  rc_is "target $target: scan runs, finding reported (exit 1)" 1
  if cmp -s "$OUT" "$T/target-none.json"; then
    pass "target $target: same findings as without target (nothing says Node.js here)"
  else
    fail "target $target: same findings as without target (nothing says Node.js here)" "$(diff "$T/target-none.json" "$OUT" | head -20)"
  fi
done
rm "$PT/isolint.json"
il config --print
js "no target: config --print says auto" "$OUT" 'j.target === "auto" && j.config === null'

# ==== include ==============================================================================
PI=$T/inc
mk "$PI/src/a.ts" "$POOL"
mk "$PI/src/gen/c.ts" "$POOL"
mk "$PI/lib/b.ts" "$POOL"
mk "$PI/lib/src/d.ts" "$POOL"
mk "$PI/test/x.test.ts" "$POOL"
mk "$PI/packages/api/worker/e.ts" "$POOL"
mk "$PI/README.md" "not code"
CWD=$PI
inc() { printf '%s\n' "$1" >"$PI/isolint.json"; }
# scanned NAME EXPECTED_PATHS...: the last JSON report's result paths, sorted, are exactly these.
scanned() {
  local name=$1
  shift
  local want
  want=$(printf '"%s",' "$@")
  js "$name" "$OUT" "JSON.stringify(paths) === JSON.stringify([${want%,}])"
}
il scan --no-config --all-files --format json .
scanned "no include: every source file" lib/b.ts lib/src/d.ts packages/api/worker/e.ts src/a.ts src/gen/c.ts test/x.test.ts
inc '{"include": ["src"]}'
il scan --all-files --format json .
rc_is "include [src]: exit 1" 1
scanned "include [src]: src/ at any depth (a pattern without / also matches directory names)" lib/src/d.ts src/a.ts src/gen/c.ts
js "include [src]: filesAnalyzed counts only included files" "$OUT" 'j.filesAnalyzed === 3'
inc '{"include": ["src/"]}'
il scan --all-files --format json .
scanned "include [src/]: the top src directory only" src/a.ts src/gen/c.ts
inc '{"include": ["src/**/*.ts"]}'
il scan --all-files --format json .
scanned "include [src/**/*.ts]" src/a.ts src/gen/c.ts
inc '{"include": ["src/*.ts"]}'
il scan --all-files --format json .
scanned "include [src/*.ts]: * stays within a segment" src/a.ts
inc '{"include": ["*.test.ts"]}'
il scan --all-files --format json .
scanned "include [*.test.ts]: base names at any depth" test/x.test.ts
inc '{"include": ["packages/*/worker"]}'
il scan --all-files --format json .
scanned "include [packages/*/worker]: a glob naming a directory" packages/api/worker/e.ts
inc '{"include": ["lib/b.ts", "test"]}'
il scan --all-files --format json .
scanned "include: several globs, a file path and a directory" lib/b.ts test/x.test.ts
inc '{"include": ["nothing-matches"]}'
il scan --format json .
rc_is "include matching nothing: exit 0" 0
js "include matching nothing: no file analyzed" "$OUT" 'j.filesAnalyzed === 0 && j.results.length === 0'
inc '{"include": ["src"], "exclude": ["gen"]}'
il scan --format json .
scanned "include and exclude: exclude wins" lib/src/d.ts src/a.ts
inc '{"include": ["src"]}'
il scan --format json . --exclude lib
scanned "include with --exclude" src/a.ts src/gen/c.ts
il scan --format json lib/b.ts
rc_is "include: a file named on the command line is analyzed anyway (exit 1)" 1
scanned "include: the named file is reported" lib/b.ts
il scan --format json lib
rc_is "include: a directory named on the command line is walked with include (exit 1)" 1
scanned "include: nothing under lib/ but lib/src matches" lib/src/d.ts
il scan --format json test
rc_is "include: a named directory with no included file: exit 0" 0
js "include: nothing analyzed in it" "$OUT" 'j.filesAnalyzed === 0'
printf '%s' "$POOL" >"$T/stdin.ts"
LAST_CMD="isolint scan --stdin-filename lib/b.ts"
(cd "$PI" && timeout 60 "$BIN" scan --format json --stdin-filename lib/b.ts <"$T/stdin.ts" >"$OUT" 2>"$ERR")
RC=$?
rc_is "include: --stdin-filename outside include: exit 0" 0
js "include: --stdin-filename outside include is not analyzed" "$OUT" 'j.filesAnalyzed === 0'
(cd "$PI" && timeout 60 "$BIN" scan --format json --stdin-filename src/new.ts <"$T/stdin.ts" >"$OUT" 2>"$ERR")
RC=$?
rc_is "include: --stdin-filename inside include: exit 1" 1
scanned "include: --stdin-filename inside include is analyzed" src/new.ts
il scan --no-config --format json .
js "--no-config: include does not apply" "$OUT" 'j.filesAnalyzed === 6'

# ==== config --print ========================================================================
PP=$T/print
mk "$PP/app/src/db.ts" "$POOL"
mk "$PP/app/src/deep/x.ts" "$POOL"
cat >"$PP/app/isolint.json" <<'EOF'
{
  "$schema": "https://example.invalid/isolint.schema.json",
  "rules": {"module-scope-client": "warning", "unused-suppression": "off"},
  "include": ["src", "*.worker.ts"],
  "exclude": ["**/*.test.ts"],
  "handlers": ["handleRequest", "onMessage"],
  "clients": [
    {"module": "@acme/db", "export": "AcmeClient", "form": "new", "name": "Acme DB client", "why": "holds a socket"},
    {"module": "@acme/kv", "export": "connect", "form": "call", "io": "websocket", "level": "note", "inherits": true}
  ],
  "target": "workers"
}
EOF
CWD=$PP/app
il config --print
rc_is "config --print: exit 0" 0
err_lacks "config --print: nothing on stderr" "isolint"
js "config --print: the file found, as an absolute path" "$OUT" "j.config === '$(cd "$PP/app" && pwd -P)/isolint.json'"
js "config --print: the kb directory" "$OUT" "j.kb === '$(cd "$ISOLINT_KB_DIR" && pwd -P)'"
js "config --print: target" "$OUT" 'j.target === "workers"'
js "config --print: configured rule levels" "$OUT" \
  'j.rules["module-scope-client"] === "warning" && j.rules["unused-suppression"] === "off"'
js "config --print: other rules at their default level" "$OUT" \
  'j.rules["lazy-singleton-client"] === "error" && j.rules["invalid-suppression"] === "warning"'
il rules
N_RULES=$(wc -l <"$OUT")
il config --print
js "config --print: every rule listed" "$OUT" "Object.keys(j.rules).length === $N_RULES"
js "config --print: include" "$OUT" 'JSON.stringify(j.include) === JSON.stringify(["src", "*.worker.ts"])'
js "config --print: exclude" "$OUT" 'JSON.stringify(j.exclude) === JSON.stringify(["**/*.test.ts"])'
js "config --print: handlers" "$OUT" 'JSON.stringify(j.handlers) === JSON.stringify(["handleRequest", "onMessage"])'
js "config --print: only the config's client rows, defaults filled in" "$OUT" \
  'j.clients.length === 2 && JSON.stringify(j.clients[0]) === JSON.stringify({module: "@acme/db", export: "AcmeClient", form: "new", name: "Acme DB client", io: "tcp", level: "error", inherits: false, why: "holds a socket"})'
js "config --print: second row" "$OUT" \
  'JSON.stringify(j.clients[1]) === JSON.stringify({module: "@acme/kv", export: "connect", form: "call", name: "connect", io: "websocket", level: "note", inherits: true, why: null})'
js "config --print: exactly the documented fields" "$OUT" \
  'JSON.stringify(Object.keys(j)) === JSON.stringify(["config", "files", "overrides", "kb", "target", "nodeCode", "allFiles", "unknownCalls", "rules", "include", "exclude", "handlers", "clients", "docsUrl"])'
CWD=$PP
il config --print app/src/deep
js "config --print PATH: found walking up from PATH" "$OUT" "j.config === '$(cd "$PP/app" && pwd -P)/isolint.json'"
il config --print app/src/db.ts
js "config --print FILE: found from the file's directory" "$OUT" "j.config !== null && j.target === 'workers'"
il config --print
js "config --print: none above the current directory: null and defaults" "$OUT" \
  'j.config === null && j.rules["module-scope-client"] === "error" && j.include.length === 0 && j.clients.length === 0 && j.target === "auto"'
il config --print --no-config app
js "config --print --no-config: null" "$OUT" 'j.config === null && j.handlers.length === 0'
printf '{"target": "node"}\n' >"$T/other.json"
il config --print --config "$T/other.json" app
js "config --print --config FILE: that file wins over the nearest" "$OUT" \
  "j.config === '$(cd "$T" && pwd -P)/other.json' && j.target === 'node' && j.rules['module-scope-client'] === 'error'"
il config --print=yes
rc_is "config --print=yes: unknown option, exit 2" 2
il config
rc_is "config without --print: exit 2" 2
err_has "config without --print: says what to do" "--print"
il config --print nope
rc_is "config --print missing PATH: exit 2" 2
err_has "config --print missing PATH: named" "nope"
il config --print app app
rc_is "config --print two PATHs: exit 2" 2
il config --print --config missing.json
rc_is "config --print --config missing: exit 2" 2
err_has "config --print --config missing: named" "missing.json"
il config --print --kb "$T/nokb"
rc_is "config --print --kb missing dir: exit 2" 2
err_has "config --print --kb missing dir: named" "nokb"
il config --print --kb "$ISOLINT_KB_DIR"
rc_is "config --print --kb DIR: exit 0" 0
il config --help
rc_is "config --help: exit 0" 0
out_has "config --help: usage" "Usage: isolint config --print"
il config --frob --print
rc_is "config unknown option: exit 2" 2
err_has "config unknown option: named" "--frob"
printf '{"rules": {"module-scope-client": "loud"}}\n' >"$T/broken.json"
il config --print --config "$T/broken.json"
rc_is "config --print with a bad file: exit 2 (checks the file)" 2
err_has "config --print with a bad file: key named" "module-scope-client"
out_empty "config --print with a bad file: nothing on stdout"

# ==== unknownCalls: what a call isolint knows nothing of holds ================================
PU=$T/unknown-calls
mk "$PU/src/db.ts" 'import { Pool } from "pg";
import { makeAdapter, Repository } from "@acme/repository";
let adapter: unknown;
let repo: unknown;
export function getAdapter(url: string) {
  adapter ??= makeAdapter(new Pool({ connectionString: url }));
  return adapter;
}
export function getRepo(url: string) {
  repo ??= new Repository(new Pool({ connectionString: url }));
  return repo;
}
'
CWD=$PU
for mode in default new all none; do
  if [ $mode = default ]; then printf '{}\n' >"$PU/isolint.json"; else printf '{"unknownCalls": "%s"}\n' $mode >"$PU/isolint.json"; fi
  il config --print
  js "unknownCalls $mode: config --print shows it" "$OUT" "j.unknownCalls === '${mode/default/new}'"
  il scan --format json .
  case $mode in
    default | new) want='j.results.length === 1 && j.results[0].start.line === 10' ;;
    all) want='j.results.length === 2' ;;
    none) want='j.results.length === 0' ;;
  esac
  js "unknownCalls $mode: the calls that hold the pool are found" "$OUT" "$want"
done

# ==== --rule over the configuration file =====================================================
PR=$T/rule
mk "$PR/src/db.ts" "$POOL"
CWD=$PR
printf '{"rules": {"module-scope-client": "off"}}\n' >"$PR/isolint.json"
il scan --format json .
rc_is "config off: exit 0" 0
js "config off: no finding" "$OUT" 'j.results.length === 0'
il scan --format json --rule module-scope-client=warning .
rc_is "--rule =warning over config off: exit 1" 1
js "--rule =warning over config off: reported as a warning" "$OUT" 'j.results.length === 1 && j.results[0].level === "warning"'
printf '{"rules": {"module-scope-client": "error"}}\n' >"$PR/isolint.json"
il scan --format json --rule module-scope-client=off .
rc_is "--rule =off over config error: exit 0" 0
js "--rule =off over config error: no finding" "$OUT" 'j.results.length === 0'
il scan --format json --rule module-scope-client=note .
rc_is "--rule =note over config error: exit 0 (notes do not fail)" 0
js "--rule =note over config error: reported as a note" "$OUT" 'j.results.length === 1 && j.results[0].level === "note"'
il scan --format json --rule module-scope-client=note --rule module-scope-client=error .
js "--rule: the last one wins" "$OUT" 'j.results.length === 1 && j.results[0].level === "error"'

t_done
