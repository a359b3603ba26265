#!/usr/bin/env bash
# Hostile inputs: isolint must finish, not crash, keep its positions right and keep its
# reports valid on whatever a repository holds (invalid UTF-8, NUL bytes, BOM + CRLF,
# absurd nesting, minified megabyte lines, binaries, unreadable files, FIFOs, strange file
# names, 2 000 files, paths longer than PATH_MAX...).
#
#     tests/hostile/hostile_test.sh ISOLINT_BINARY SOURCE_DIR
#
# Every input is generated at run time in a temporary directory. Same output convention as
# tests/cli/cli_test.sh (`ok - NAME` / `not ok - NAME`, then `N passed, N failed`, exit 1 on
# any failure); every run is wrapped in `timeout 120` so a hang fails the test, not CI.
# Columns are 1-based UTF-16 code units (the BOM does not count), as in JSON and SARIF.
set -u
# shellcheck source=tests/cli/lib.sh disable=SC2034  # CWD, LAST_CMD are read by lib.sh
. "$(cd "$(dirname "$0")/../cli" && pwd)/lib.sh"
t_init hostile "$@"

NL=$'\n'
IMPORT='import { Pool } from "pg";'
POOL=$IMPORT$NL'export const pool = new Pool();'$NL
H=$T/h
mkdir -p "$H"
CWD=$H

# json_at NAME FILE PATH LINE COLUMN: the JSON report in FILE has a module-scope-client
# finding in PATH starting at LINE:COLUMN.
json_at() {
  js "$1" "$2" "j.results.some((r) => r.path === $(node -p 'JSON.stringify(process.argv[1])' "$3") && r.ruleId === 'module-scope-client' && r.start.line === $4 && r.start.column === $5)"
}

# ==== invalid UTF-8 ============================================================================
# line 4: `const s2 = "` is 12 units, each invalid byte is one U+FFFD (WHATWG decoder), so the
# closing quote is at 16 and `new` at 36
printf '%s\nconst s = "\xff\xfe\xc3(";\nconst \xe9t\xe9 = 1;\nconst s2 = "\xff\xff\xff"; export const p = new Pool();\n' \
  "$IMPORT" >"$H/badutf.ts"
# an invalid identifier as the binding itself
printf '%s\nexport const \xff\xfe = new Pool();\n' "$IMPORT" >"$H/badident.ts"
il scan --format json badutf.ts badident.ts
rc_is "invalid UTF-8: exit 1" 1
cp "$OUT" "$T/badutf.json"
json_at "invalid UTF-8 in strings: finding at 4:36 (one unit per invalid byte)" "$T/badutf.json" badutf.ts 4 36
json_at "invalid UTF-8 identifier: finding at 2:19" "$T/badutf.json" badident.ts 2 19
il scan badutf.ts badident.ts
check "invalid UTF-8: text report is valid UTF-8" valid_utf8 "$OUT"
il scan --format sarif -o "$T/badutf.sarif" badutf.ts badident.ts
rc_is "invalid UTF-8: SARIF written" 1

# ==== NUL bytes ==================================================================================
# line 2: NUL at column 13, `new` at 35
printf '%s\nconst s = "a\0b"; export const p = new Pool();\n\0\nexport const q = new Pool();\n' \
  "$IMPORT" >"$H/nul.ts"
il scan --format json nul.ts
rc_is "NUL bytes: exit 1" 1
cp "$OUT" "$T/nul.json"
json_at "NUL bytes: finding after a NUL on the same line at 2:35" "$T/nul.json" nul.ts 2 35
json_at "NUL bytes: finding after a NUL line at 4:18" "$T/nul.json" nul.ts 4 18
il scan nul.ts
check "NUL bytes: text report is valid UTF-8" valid_utf8 "$OUT"
out_has "NUL bytes: header of the finding after the NUL" "nul.ts:2:35: error [module-scope-client]"
# The code frame must show the line (the NUL as U+FFFD) and the caret under `new`, not stop
# at the NUL.
out_has "NUL bytes: code frame shows the whole line, not cut at the NUL" "export const p = new Pool();"
il scan --format sarif -o "$T/nul.sarif" nul.ts

# ==== BOM + CRLF ==================================================================================
printf '\xef\xbb\xbf%s export const z = new Pool();\r\n// caf\xc3\xa9 \xf0\x9f\x98\x80\r\nexport const p = new Pool();\r\nconst s = "\xf0\x9f\x98\x80"; export const q = new Pool();\r\n' \
  "$IMPORT" >"$H/bomcrlf.ts"
il scan --format json bomcrlf.ts
rc_is "BOM + CRLF: exit 1" 1
cp "$OUT" "$T/bomcrlf.json"
json_at "BOM + CRLF: finding on line 1 at column 45 (the BOM does not count)" "$T/bomcrlf.json" bomcrlf.ts 1 45
json_at "BOM + CRLF: finding at 3:18 (CRLF is one line break)" "$T/bomcrlf.json" bomcrlf.ts 3 18
json_at "BOM + CRLF: finding after an astral character at 4:34 (UTF-16 units)" "$T/bomcrlf.json" bomcrlf.ts 4 34
js "BOM + CRLF: end columns exclusive (new Pool = 8 units)" "$T/bomcrlf.json" \
  'j.results.length === 3 && j.results.every((r) => r.end.line === r.start.line && r.end.column === r.start.column + 8)'
js "BOM + CRLF: no syntax notification" "$T/bomcrlf.json" 'j.notifications.length === 0'
il scan --format sarif -o "$T/bomcrlf.sarif" bomcrlf.ts
js "BOM + CRLF: SARIF regions" "$T/bomcrlf.sarif" \
  'JSON.stringify(j.runs[0].results.map((r) => ((g) => [g.startLine, g.startColumn])(r.locations[0].physicalLocation.region))) === "[[1,45],[3,18],[4,34]]"'
il scan bomcrlf.ts
out_has "BOM + CRLF: text header" "bomcrlf.ts:4:34: error [module-scope-client]"
check "BOM + CRLF: no CR in the text report" test "$(tr -cd '\r' <"$OUT" | wc -c)" -eq 0
# U+2028 is a JavaScript line terminator but not a line break for SARIF (\r\n, \n) or editors:
# one UTF-16 unit on the same line
printf '%s\n/* \xe2\x80\xa8 */ export const p = new Pool();\n' "$IMPORT" >"$H/ls.ts"
il scan --format json ls.ts
json_at "U+2028 in a comment: same line, one unit (2:26)" "$OUT" ls.ts 2 26

# ==== 60 000-deep nesting ==========================================================================
D=$T/deep
mkdir -p "$D"
node - "$D" <<'EOF'
const fs = require('fs');
const dir = process.argv[2];
const n = 60000;
const imp = 'import { Pool } from "pg";\n';
const w = (name, text) => fs.writeFileSync(`${dir}/${name}.ts`, imp + text);
w('parens', 'export const p = ' + '('.repeat(n) + 'new Pool()' + ')'.repeat(n) + ';\n');
w('arrays', 'export const a = ' + '['.repeat(n) + 'new Pool()' + ']'.repeat(n) + ';\n');
w('arrows', 'export const f = ' + '() => '.repeat(n) + 'new Pool();\n');
w('arrow_calls', 'export const f = ' + '(() => '.repeat(n) + 'new Pool()' + ')'.repeat(n) + ';\n');
w('calls', 'export const c = ' + 'f('.repeat(n) + 'new Pool()' + ')'.repeat(n) + ';\n');
w('objects', 'export const o = ' + '{a: '.repeat(n) + 'new Pool()' + '}'.repeat(n) + ';\n');
w('blocks', '{'.repeat(n) + 'const q = new Pool();' + '}'.repeat(n) + '\n');
w('templates', 'export const t = ' + '`${'.repeat(n) + 'new Pool()' + '}`'.repeat(n) + ';\n');
w('binary', 'export const x = ' + '1 + '.repeat(n) + '1;\nexport const p = new Pool();\n');
w('unary', 'export const x = ' + '!'.repeat(n) + 'new Pool();\n');
w('ifs', 'if (a) '.repeat(n) + 'x = new Pool();\n');
w('members', 'export const m = a' + '.b'.repeat(n) + ';\nexport const p = new Pool();\n');
w('types', 'type T = ' + 'Array<'.repeat(n) + 'string' + '>'.repeat(n) + ';\nexport const p = new Pool();\n');
w('unclosed', 'export const u = ' + '('.repeat(n) + 'new Pool()\n');
EOF
for f in parens arrays arrows arrow_calls calls objects blocks templates binary unary ifs members types unclosed; do
  CWD=$D il scan --format json "$f.ts"
  rc_is "60 000-deep $f: finishes, exit 0 or 1" 0 1
  js "60 000-deep $f: JSON report" "$OUT" 'j.filesAnalyzed === 1'
done
CWD=$D il scan --format json parens.ts
json_at "60 000-deep parens: the client inside is found at 2:60018" "$OUT" parens.ts 2 60018
CWD=$D il scan --format json binary.ts members.ts types.ts
js "60 000-deep expressions: the client after them is found (line 3)" "$OUT" \
  '["binary.ts", "members.ts", "types.ts"].every((p) => j.results.some((r) => r.path === p && r.start.line === 3 && r.start.column === 18))'
CWD=$D il scan --format sarif .
rc_is "60 000-deep: whole directory in one run, exit 0 or 1" 0 1
cp "$OUT" "$T/deep.sarif"
CWD=$D il scan .
rc_is "60 000-deep: text report of the directory" 0 1
CWD=$H

# ==== 65 534 comments in a row (libtree-sitter 0.20.7, tree-sitter/tree-sitter#2134) ==========
node -e 'process.stdout.write(process.argv[1] + "\nx;\n" + "// c\n".repeat(65534) + "export const pool = new Pool();\n")' "$IMPORT" >"$H/comments.ts"
il scan --format json comments.ts
rc_is "65 534 consecutive comments: no crash, exit 1" 1
json_at "65 534 consecutive comments: the client after them at 65537:21" "$OUT" comments.ts 65537 21

# ==== long files ===================================================================================
M=$T/min
mkdir -p "$M"
node - "$M" <<'EOF'
const fs = require('fs');
const dir = process.argv[2];
// a 4 MB minified bundle on one line, the client at its very end
let s = 'import{Pool as P}from"pg";';
const parts = [];
for (let i = 0; s.length + parts.length * 40 < 4e6; i++) parts.push(`var a${i}=function(x){return x+${i}};`);
s += parts.join('') + 'export const zz=new P();';
fs.writeFileSync(`${dir}/bundle.min.js`, s);
fs.writeFileSync(`${dir}/expected-column`, String(s.indexOf('new P()') + 1));
// 100 000 lines of code before the client
fs.writeFileSync(`${dir}/lines.ts`, 'import { Pool } from "pg";\n' + 'v++;\n'.repeat(100000) + 'export const p = new Pool();\n');
// a 1 MB string literal, then the client
fs.writeFileSync(`${dir}/bigstr.ts`, 'import { Pool } from "pg";\nconst big = "' + 'x'.repeat(1 << 20) + '";\nexport const p = new Pool();\n');
// a 1 MB identifier as the binding
fs.writeFileSync(`${dir}/longid.ts`, 'import { Pool } from "pg";\nexport const ' + 'a'.repeat(1e6) + ' = new Pool();\n');
// 10 000 findings in one file
let many = 'import { Pool } from "pg";\n';
for (let i = 0; i < 10000; i++) many += `export const p${i} = new Pool();\n`;
fs.writeFileSync(`${dir}/many.ts`, many);
EOF
col=$(cat "$M/expected-column")
CWD=$M il scan --format json bundle.min.js
rc_is "4 MB minified line: exit 1" 1
json_at "4 MB minified line: client at its end found at 1:$col" "$OUT" bundle.min.js 1 "$col"
CWD=$M il scan bundle.min.js
out_has "4 MB minified line: text header" "bundle.min.js:1:$col: error [module-scope-client]"
check "4 MB minified line: the text report does not dump the line (< 64 KiB)" test "$(wc -c <"$OUT")" -lt 65536
CWD=$M il scan --format sarif bundle.min.js
check "4 MB minified line: SARIF stays small (< 256 KiB)" test "$(wc -c <"$OUT")" -lt 262144
cp "$OUT" "$T/min.sarif"
CWD=$M il scan --format json lines.ts bigstr.ts longid.ts
cp "$OUT" "$T/long.json"
json_at "100 000-line file: finding at 100002:18" "$T/long.json" lines.ts 100002 18
json_at "1 MB string literal: finding after it at 3:18" "$T/long.json" bigstr.ts 3 18
json_at "1 MB identifier: finding at 2:1000017" "$T/long.json" longid.ts 2 1000017
CWD=$M il scan --format json many.ts
js "10 000 findings in one file: all reported, in order" "$OUT" \
  'j.results.length === 10000 && j.results[9999].start.line === 10001 && j.results.every((r, i) => r.start.line === i + 2)'

# ==== empty and near-empty files =================================================================
E=$T/empty
mkdir -p "$E"
: >"$E/empty.ts"
printf '\xef\xbb\xbf' >"$E/bom-only.ts"
printf '\n\r\n  \t\n' >"$E/blank.js"
printf '// just a comment, no newline' >"$E/comment.mjs"
CWD=$E il scan --format json .
rc_is "empty files: exit 0" 0
js "empty files: all analyzed, nothing reported" "$OUT" 'j.filesAnalyzed === 4 && j.results.length === 0 && j.notifications.length === 0'
CWD=$E il scan empty.ts
rc_is "an empty file named explicitly: exit 0" 0
out_has "an empty file: summary" "No findings in 1 file."

# ==== 2 000 small files ==========================================================================
K=$T/many
node - "$K" <<'EOF'
const fs = require('fs');
const dir = process.argv[2];
for (let i = 0; i < 2000; i++) {
  const d = `${dir}/d${String(Math.floor(i / 100)).padStart(2, '0')}`;
  if (i % 100 === 0) fs.mkdirSync(d, { recursive: true });
  const text = i % 500 === 7 ? 'import { Pool } from "pg";\nexport const p = new Pool();\n' : `export const x${i} = ${i};\n`;
  fs.writeFileSync(`${d}/f${String(i).padStart(4, '0')}.ts`, text);
}
EOF
CWD=$K il scan --format json .
rc_is "2 000 files: exit 1" 1
cp "$OUT" "$T/many.json"
js "2 000 files: all analyzed, the 4 findings reported" "$T/many.json" 'j.filesAnalyzed === 2000 && j.results.length === 4'
CWD=$K il scan --format json --jobs 1 .
check "2 000 files: --jobs 1 gives the same report" cmp -s "$OUT" "$T/many.json"

# ==== unreadable files and directories ===========================================================
U=$T/unreadable
mk "$U/a.ts" "$POOL"
mk "$U/b.ts" "$POOL"
mk "$U/locked/c.ts" "$POOL"
chmod 000 "$U/b.ts" "$U/locked"
if [ "$(id -u)" -ne 0 ]; then
  RUN_AS=""
elif command -v setpriv >/dev/null 2>&1 &&
  chmod 755 "$T" "$U" && chmod 644 "$U/a.ts" &&
  setpriv --reuid=65534 --regid=65534 --clear-groups sh -c 'test -x "$1" && test -r "$2" && test -r "$3"' sh "$BIN" "$ISOLINT_KB_DIR" "$U/a.ts" 2>/dev/null; then
  # root reads a mode-000 file anyway: run isolint as nobody (65534) for these tests
  RUN_AS=nobody
else
  RUN_AS=skip
fi
as_user() { # as_user ARGS...: isolint in $U as the unprivileged user
  LAST_CMD="(cd $U) isolint $(t_show "$@") [uid $(id -u)${RUN_AS:+ -> $RUN_AS}]"
  if [ "$RUN_AS" = nobody ]; then
    { (cd "$U" && exec timeout "$IL_TIMEOUT" setpriv --reuid=65534 --regid=65534 --clear-groups "$BIN" "$@") >"$OUT" 2>"$ERR" </dev/null; RC=$?; } 2>/dev/null
  else
    { (cd "$U" && exec timeout "$IL_TIMEOUT" "$BIN" "$@") >"$OUT" 2>"$ERR" </dev/null; RC=$?; } 2>/dev/null
  fi
  RUNS=$((RUNS + 1))
  t_check_run "$RC" "$ERR" "isolint $(t_show "$@") (unprivileged)"
}
if [ "$RUN_AS" = skip ]; then
  skip "unreadable file: notification naming it" "running as root without setpriv: root reads mode-000 files"
else
  [ "$RUN_AS" = nobody ] && echo "# running as root: the unreadable-file tests run isolint as uid 65534 (setpriv)"
  as_user scan --format json .
  rc_is "unreadable file and directory: exit 2 (a file could not be read), the readable file's finding still reported" 2
  cp "$OUT" "$T/unreadable.json"
  js "unreadable file: an error notification names b.ts" "$T/unreadable.json" \
    'j.notifications.some((n) => n.path === "b.ts" && n.id === "ISOL0001" && n.level === "error")'
  js "unreadable directory: a notification names locked" "$T/unreadable.json" \
    'j.notifications.some((n) => n.path === "locked" && n.id === "ISOL0005")'
  js "unreadable file: the other file's finding still reported" "$T/unreadable.json" 'paths.join(" ") === "a.ts"'
  as_user scan .
  out_line "unreadable file (text): named in the report" '^b\.ts: error: Cannot read the file'
  out_has "unreadable file (text): other finding printed" "a.ts:2:21: error [module-scope-client]"
  as_user scan --format json b.ts a.ts
  js "unreadable explicit file: notification, other file analyzed" "$OUT" \
    'j.notifications.some((n) => n.path === "b.ts" && n.id === "ISOL0001") && paths.includes("a.ts")'
fi
chmod 644 "$U/b.ts"
chmod 755 "$U/locked"
# a read error that root gets too: /proc/self/mem fails with EIO at offset 0
if [ -e /proc/self/mem ]; then
  ln -s /proc/self/mem "$H/procmem.ts"
  mk "$H/ok/a.ts" "$POOL"
  il scan --format json procmem.ts ok/a.ts
  rc_is "read error (EIO): exit 2 (a file could not be read)" 2
  js "read error (EIO): notification names the file, other file analyzed" "$OUT" \
    'j.notifications.some((n) => n.path === "procmem.ts" && n.id === "ISOL0001") && paths.includes("ok/a.ts")'
  rm -f "$H/procmem.ts"
fi

# ==== FIFOs ========================================================================================
F=$T/fifo
mk "$F/a.ts" "$POOL"
if mkfifo "$F/pipe.ts" 2>/dev/null; then
  CWD=$F il scan --format json .
  rc_is "FIFO met in a directory walk: skipped, no hang (exit 1)" 1
  js "FIFO met in a directory walk: other file analyzed" "$OUT" 'paths.join(" ") === "a.ts"'
  # Named explicitly, opening it for reading blocks until a writer appears: isolint must not
  # wait forever (short timeout: a hang here is the bug, not a slow machine).
  IL_TIMEOUT=15 CWD=$F il scan --format json pipe.ts a.ts
  rc_is "FIFO named explicitly: no hang, exit 1 (the other file's finding)" 1
  js "FIFO named explicitly: notified, other file analyzed" "$OUT" \
    'j.notifications.some((n) => n.path === "pipe.ts") && paths.includes("a.ts")'
else
  skip "FIFO named explicitly: no hang" "mkfifo failed"
fi

# ==== binary files with a .ts extension ============================================================
# Files that name no known client module are not parsed (the prefilter), so these binaries
# carry an import of "pg" to be parsed; --no-prefilter parses the pure binaries too.
B=$T/bin
mkdir -p "$B"
node - "$B" <<'EOF'
const fs = require('fs');
const dir = process.argv[2];
let x = 12345;
const random = Buffer.alloc(65536);
for (let i = 0; i < random.length; i++) {
  x = (x * 1103515245 + 12345) & 0x7fffffff;
  random[i] = (x >> 16) & 255;
}
const client = Buffer.from('\nimport { Pool } from "pg";\nexport const p = new Pool();\n');
fs.writeFileSync(`${dir}/random.ts`, Buffer.concat([random, client, random]));
fs.writeFileSync(`${dir}/zeros.ts`, Buffer.concat([Buffer.alloc(32768), client, Buffer.alloc(32768)]));
fs.writeFileSync(`${dir}/pure-random.ts`, random);
fs.writeFileSync(`${dir}/pure-zeros.ts`, Buffer.alloc(65536));
EOF
{ head -c 65536 "$BIN"; printf '\nimport { Pool } from "pg";\n'; head -c 65536 "$BIN"; } >"$B/elf.ts"
mk "$B/real.ts" "$POOL"
CWD=$B il scan --format json .
rc_is "binary .ts files: no crash, exit 1 (the real file's finding)" 1
cp "$OUT" "$T/bin.json"
js "binary .ts files: the real file's finding" "$T/bin.json" 'paths.includes("real.ts")'
for f in random.ts zeros.ts elf.ts; do
  js "binary $f: a notification names it (syntax errors or skipped)" "$T/bin.json" \
    "j.notifications.some((n) => n.path === '$f' && (n.id === 'ISOL0002' || n.id === 'ISOL0003'))"
done
CWD=$B il scan --format json --no-prefilter pure-random.ts pure-zeros.ts
rc_is "binary .ts files (--no-prefilter): no crash, exit 0" 0
for f in pure-random.ts pure-zeros.ts; do
  js "binary $f (--no-prefilter): a notification names it" "$OUT" \
    "j.notifications.some((n) => n.path === '$f' && (n.id === 'ISOL0002' || n.id === 'ISOL0003'))"
done
CWD=$B il scan --no-prefilter .
check "binary .ts files: text report is valid UTF-8" valid_utf8 "$OUT"
check "binary .ts files: no ESC byte reaches the terminal" no_esc "$OUT"
CWD=$B il scan --format sarif --no-prefilter -o "$T/bin.sarif" .

# ==== syntax errors ==================================================================================
S=$T/syntax
n=0
for bad in 'const = ;' '@@@ ### $$$' 'foo(;' '}}}' 'let x = ;' 'if (a { b'; do
  n=$((n + 1))
  mk "$S/s$n.ts" "$IMPORT$NL"'export const p = new Pool();'"$NL$bad$NL"'export const q = new Pool();'"$NL"
done
CWD=$S il scan --format json .
rc_is "syntax errors: exit 1" 1
cp "$OUT" "$T/syntax.json"
n=0
for bad in 'const = ;' '@@@ ### $$$' 'foo(;' '}}}' 'let x = ;' 'if (a { b'; do
  n=$((n + 1))
  js "syntax error '$bad': findings from the valid lines 2 and 4" "$T/syntax.json" \
    "[2, 4].every((l) => j.results.some((r) => r.path === 's$n.ts' && r.start.line === l))"
  js "syntax error '$bad': syntax notification at line 3" "$T/syntax.json" \
    "j.notifications.some((n) => n.path === 's$n.ts' && n.id === 'ISOL0002' && n.level === 'warning' && n.line === 3)"
done
CWD=$S il scan --format sarif -o "$T/syntax.sarif" .

# ==== unusual file names ========================================================================
N=$T/names
names=('with space.ts' "q'uote\".ts" $'new\nline.ts' $'bad\xff\xfename.ts' $'esc\e[31m.ts' 'pct%20#?[x].ts'
  $'\xc3\xbcn\xc3\xafc\xc3\xb6d\xc3\xa9.ts' $'tab\there.ts' 'back\slash.ts' '-dash.ts' ' leading-space.ts')
for f in "${names[@]}"; do
  mk "$N/$f" "$POOL"
done
mk "$N/"$'dir\nwith newline'"/inner file.ts" "$POOL"
CWD=$N il scan --format json .
rc_is "unusual file names: exit 1" 1
cp "$OUT" "$T/names.json"
js "unusual file names: every file reported once" "$T/names.json" \
  "j.filesAnalyzed === ${#names[@]} + 1 && j.results.length === ${#names[@]} + 1 && new Set(paths).size === ${#names[@]} + 1"
js "unusual file names: newline and quotes kept in JSON paths" "$T/names.json" \
  'paths.includes("new\nline.ts") && paths.includes("q'"'"'uote\".ts") && paths.includes("dir\nwith newline/inner file.ts")'
CWD=$N il scan --format sarif --output "$T/names.sarif" .
rc_is "unusual file names: SARIF written" 1
js "unusual file names: distinct SARIF URIs without raw spaces or newlines" "$T/names.sarif" \
  '((u) => new Set(u).size === u.length && u.every((x) => !/[\s"\\]/.test(x)))(j.runs[0].results.map((r) => r.locations[0].physicalLocation.artifactLocation.uri))'
CWD=$N il scan .
check "unusual file names: text report is valid UTF-8" valid_utf8 "$OUT"
check "unusual file names: no ESC byte from a file name reaches the terminal" no_esc "$OUT"
CWD=$N il scan $'new\nline.ts'
rc_is "a file name with a newline, named explicitly: scanned" 1

# ==== paths longer than PATH_MAX =====================================================================
# 210 nested 20-character directories: the file's path is ~4 400 bytes, over Linux's PATH_MAX
# (4 096). isolint must analyze it or say why it could not, never skip it silently.
L=$T/long
mkdir -p "$L"
mk "$L/top.ts" "$POOL"
(
  cd "$L" || exit 1
  for _ in $(seq 1 210); do
    mkdir dddddddddddddddddddd && cd dddddddddddddddddddd || exit 1
  done
  printf '%s' "$POOL" >deep.ts
) || fail "PATH_MAX: could not build the deep tree"
CWD=$L il scan --format json .
rc_is "path longer than PATH_MAX: no crash, exit 1" 1
js "path longer than PATH_MAX: analyzed or notified, never silently skipped" "$OUT" \
  'paths.includes("top.ts") && (paths.some((p) => p.endsWith("/deep.ts")) || j.notifications.length > 0)'

# ==== every SARIF report above passes the validator =================================================
sarif_ok "hostile SARIF reports pass tests/sarif/validate.sh" \
  "$T/badutf.sarif" "$T/nul.sarif" "$T/bomcrlf.sarif" "$T/deep.sarif" "$T/min.sarif" \
  "$T/bin.sarif" "$T/syntax.sarif" "$T/names.sarif"

# ==== summary ==========================================================================================
if [ "$BAD_RUNS" -eq 0 ]; then
  pass "$RUNS runs: no crash, no hang, no sanitizer report"
fi
t_done
