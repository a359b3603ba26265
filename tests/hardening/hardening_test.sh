#!/usr/bin/env bash
# Hardening (issue 7, docs/security.md): resource limits (--max-file-size, --parse-timeout,
# the bound on facts per file), untrusted trees (symbolic links, configuration files and
# imports that point outside the scanned paths, dangerous compile_commands.json flags, odd
# file names), atomic reports, and faults (a full output device, a file that cannot be
# read, a report write that fails half-way).
#
#     tests/hardening/hardening_test.sh ISOLINT_BINARY SOURCE_DIR
#
# Every input is generated at run time in a temporary directory (no large file in git).
# Same output convention as tests/cli/cli_test.sh (`ok - NAME` / `not ok - NAME`, then
# `N passed, N failed`, exit 1 on any failure).
set -u
# shellcheck source=tests/cli/lib.sh disable=SC2034  # CWD, LAST_CMD are read by lib.sh
. "$(cd "$(dirname "$0")/../cli" && pwd)/lib.sh"
t_init hardening "$@"

NL=$'\n'
IMPORT='import { Pool } from "pg";'
POOL=$IMPORT$NL'export const pool = new Pool();'$NL

# note_is NAME FILE ID PATH REGEX: the JSON report FILE has a notification ID about PATH whose
# message matches REGEX (a JavaScript regular expression source).
note_is() {
  js "$1" "$2" "j.notifications.some((n) => n.id === '$3' && n.path === $(NP=$4 node -p 'JSON.stringify(process.env.NP)') && new RegExp($(NP=$5 node -p 'JSON.stringify(process.env.NP)')).test(n.message))"
}
# no_note NAME FILE ID: the JSON report FILE has no notification ID.
no_note() {
  js "$1" "$2" "!j.notifications.some((n) => n.id === '$3')"
}
# no_tmp NAME DIR: no temporary report file (*.tmp.*) was left in DIR.
no_tmp() {
  local left
  left=$(find "$2" -maxdepth 1 -name '*.tmp.*' | head -n 3)
  if [ -z "$left" ]; then pass "$1"; else fail "$1" "left behind: $left"; fi
}

# ==== --max-file-size ==============================================================================
S=$T/size
mk "$S/a.ts" "$POOL"
mk "$S/z.ts" "$POOL"
# 5 000 bytes of comment after the client: over 4k, under 10k
node -e 'process.stdout.write(process.argv[1] + "// " + "x".repeat(5000) + "\n")' "$POOL" >"$S/big.ts"
CWD=$S il scan --format json --max-file-size 4k .
rc_is "max-file-size: a file over the limit among good files: exit 1 (the others' findings)" 1
cp "$OUT" "$T/size.json"
js "max-file-size: the other files' findings reported, not the big file's" "$T/size.json" \
  'paths.join(" ") === "a.ts z.ts" && j.filesAnalyzed === 3'
note_is "max-file-size: an ISOL0006 notification names the file, its size and the limit" "$T/size.json" \
  ISOL0006 big.ts '^Skipped: the file is 4\.9 KiB, larger than the --max-file-size limit of 4\.0 KiB'
js "max-file-size: the notification is a warning" "$T/size.json" \
  'j.notifications.filter((n) => n.id === "ISOL0006").every((n) => n.level === "warning")'
CWD=$S il scan --max-file-size 4k .
out_line "max-file-size: named in the text report" '^big\.ts: warning: Skipped: the file is 4\.9 KiB, larger than the --max-file-size limit'
out_has "max-file-size: text report still has the other findings" "z.ts:2:21: error [module-scope-client]"
CWD=$S il scan --format sarif --output "$T/size.sarif" --max-file-size 4k .
rc_is "max-file-size: SARIF run exit 1" 1
js "max-file-size: SARIF toolExecutionNotifications carry ISOL0006 for big.ts" "$T/size.sarif" \
  'j.runs[0].invocations[0].toolExecutionNotifications.some((n) => n.descriptor.id === "ISOL0006" && n.locations[0].physicalLocation.artifactLocation.uri === "big.ts" && /--max-file-size/.test(n.message.text))'
js "max-file-size: the ISOL0006 descriptor is in the driver's notifications" "$T/size.sarif" \
  'j.runs[0].tool.driver.notifications.some((d) => d.id === "ISOL0006" && d.name === "ResourceLimit")'
err_has "max-file-size: with --output, the limit is also on stderr" "big.ts: warning: Skipped: the file is"
CWD=$S il scan --format json --max-file-size 4k big.ts a.ts
note_is "max-file-size: applies to files named explicitly" "$OUT" ISOL0006 big.ts 'max-file-size'
CWD=$S il scan --format json --max-file-size 10k .
js "max-file-size: under the limit, the file is analyzed (negative)" "$OUT" \
  'paths.join(" ") === "a.ts big.ts z.ts" && !j.notifications.some((n) => n.id === "ISOL0006")'
CWD=$S il scan --format json --max-file-size 0 .
js "max-file-size 0: no limit" "$OUT" 'paths.join(" ") === "a.ts big.ts z.ts"'
CWD=$S il_in "$S/big.ts" scan --format json --max-file-size 4k --stdin-filename big.ts
note_is "max-file-size: applies to standard input" "$OUT" ISOL0006 big.ts 'max-file-size'
# the default: 4 MiB
node -e 'const s = process.argv[1]; process.stdout.write(s + "/".repeat(4 * 1048576 + 1 - Buffer.byteLength(s)))' "$POOL" >"$S/over.ts"
node -e 'const s = process.argv[1]; process.stdout.write(s + "/".repeat(4 * 1048576 - Buffer.byteLength(s)))' "$POOL" >"$S/exact.ts"
CWD=$S il scan --format json over.ts exact.ts
js "max-file-size default 4 MiB: one byte over is skipped, exactly 4 MiB is analyzed" "$OUT" \
  'paths.join(" ") === "exact.ts" && j.notifications.some((n) => n.id === "ISOL0006" && n.path === "over.ts" && /4\.0 MiB/.test(n.message))'
rm -f "$S/over.ts" "$S/exact.ts"
for v in 123 10k 10K 4M 4m 1G 1g 0; do
  CWD=$S il scan --format json --max-file-size "$v" a.ts
  rc_is "max-file-size accepts '$v'" 1
done
CWD=$S il scan --format json --max-file-size=123 a.ts
js "max-file-size=123: a 59-byte file is analyzed" "$OUT" 'paths.join(" ") === "a.ts"'
CWD=$S il scan --format json --max-file-size=50 a.ts
note_is "max-file-size=50: a 59-byte file is skipped (bytes without a suffix)" "$OUT" ISOL0006 a.ts '59 bytes.*50 bytes'
for v in 4x -1 '' 1.5M 4MB k 2000G ' 4k' 99999999999999999999; do
  CWD=$S il scan --max-file-size "$v" a.ts
  rc_is "max-file-size rejects '$v': exit 2" 2
  err_has "max-file-size rejects '$v': the option is named" "--max-file-size expects"
done

# ==== --parse-timeout ==============================================================================
P=$T/parse
mk "$P/a.ts" "$POOL"
# ~2.3 MB of nested expressions, the client at the end: tens of milliseconds to seconds to parse
node -e '
let s = process.argv[1];
const lines = [];
for (let i = 0; i < 40000; i++) lines.push(`const v${i} = ((a${i} + b) * (c - d)) / [e, f, {g: h}];`);
process.stdout.write(s + lines.join("\n") + "\nexport const last = new Pool();\n");' "$IMPORT$NL" >"$P/slow.ts"
CWD=$P il scan --format json --max-file-size 0 --parse-timeout 1 a.ts slow.ts
rc_is "parse-timeout 1 ms: exit 1 (the other file's finding)" 1
cp "$OUT" "$T/timeout.json"
js "parse-timeout: the other file's finding is reported, none for the slow file" "$T/timeout.json" \
  'paths.join(" ") === "a.ts" && j.filesAnalyzed === 2'
note_is "parse-timeout: an ISOL0006 notification names the file and the budget" "$T/timeout.json" \
  ISOL0006 slow.ts 'parse-timeout budget of 1 ms'
CWD=$P il scan --max-file-size 0 --parse-timeout 1 a.ts slow.ts
out_line "parse-timeout: named in the text report" '^slow\.ts: warning: Skipped: parsing took longer than the --parse-timeout budget of 1 ms'
CWD=$P il scan --format sarif --output "$T/timeout.sarif" --max-file-size 0 --parse-timeout 1 a.ts slow.ts
js "parse-timeout: in SARIF toolExecutionNotifications" "$T/timeout.sarif" \
  'j.runs[0].invocations[0].toolExecutionNotifications.some((n) => n.descriptor.id === "ISOL0006" && n.locations[0].physicalLocation.artifactLocation.uri === "slow.ts")'
CWD=$P il scan --format json --max-file-size 0 --parse-timeout 0 a.ts slow.ts
js "parse-timeout 0: no budget, the slow file's finding is reported (negative)" "$OUT" \
  'paths.join(" ") === "a.ts slow.ts" && !j.notifications.some((n) => n.id === "ISOL0006")'
CWD=$P il scan --format json --max-file-size 0 a.ts slow.ts
js "parse-timeout default (10 s): the 2 MB file is analyzed" "$OUT" 'paths.join(" ") === "a.ts slow.ts"'
CWD=$P il scan --format json --parse-timeout=1 a.ts
js "parse-timeout: a small file parses within 1 ms" "$OUT" 'paths.join(" ") === "a.ts"'
for v in -5 abc 1.5 3600001 ''; do
  CWD=$P il scan --parse-timeout "$v" a.ts
  rc_is "parse-timeout rejects '$v': exit 2" 2
  err_has "parse-timeout rejects '$v': the option is named" "--parse-timeout expects"
done
rm -f "$P/slow.ts"

# ==== facts per file ===============================================================================
# The bound (1 000 000 records of a kind) is lowered with ISOLINT_MAX_FACTS, a testing knob.
F=$T/facts
mk "$F/a.ts" "$POOL"
node -e 'let s = process.argv[1]; for (let i = 0; i < 20; i++) s += `export const p${i} = new Pool();\n`; process.stdout.write(s)' "$IMPORT$NL" >"$F/many.ts"
ISOLINT_MAX_FACTS=10 CWD=$F il scan --format json .
rc_is "facts bound: exit 1 (the other file's finding)" 1
cp "$OUT" "$T/facts.json"
js "facts bound: the file over the bound gets no finding, the other file keeps its own" "$T/facts.json" \
  'paths.join(" ") === "a.ts"'
note_is "facts bound: an ISOL0006 notification names the file and the bound" "$T/facts.json" \
  ISOL0006 many.ts 'more than 10 .*bound per file'
ISOLINT_MAX_FACTS=10 CWD=$F il scan .
out_line "facts bound: named in the text report" '^many\.ts: warning: Skipped: the file holds more than 10 '
ISOLINT_MAX_FACTS=100 CWD=$F il scan --format json .
js "facts bound: under the bound, every finding (negative)" "$OUT" \
  'j.results.length === 21 && !j.notifications.some((n) => n.id === "ISOL0006")'
ISOLINT_MAX_FACTS=junk CWD=$F il scan --format json .
js "facts bound: an invalid knob leaves the built-in bound" "$OUT" 'j.results.length === 21'

# ==== symbolic links out of the tree ===============================================================
U=$T/untrusted
O=$T/outside
mk "$O/o.ts" "$POOL"
mk "$O/sub/p.ts" "$POOL"
mk "$U/tree/a.ts" "$POOL"
ln -s /etc/passwd "$U/tree/passwd.ts"
ln -s /etc "$U/tree/etc"
ln -s "$O" "$U/tree/abs_dir"
ln -s "$O/o.ts" "$U/tree/abs_file.ts"
ln -s ../../outside "$U/tree/rel_dir"
ln -s ../../outside/o.ts "$U/tree/rel_file.ts"
ln -s ../../outside/sub/../o.ts "$U/tree/dotdot.ts"
CWD=$U il scan --format json tree
rc_is "symlinks out of the tree: exit 1 (the tree's own finding)" 1
cp "$OUT" "$T/links.json"
js "symlinks out of the tree: only the tree's file is analyzed" "$T/links.json" \
  'paths.join(" ") === "tree/a.ts" && j.filesAnalyzed === 1'
for l in passwd.ts etc abs_dir abs_file.ts rel_dir rel_file.ts dotdot.ts; do
  note_is "symlink out of the tree not followed, noted: $l" "$T/links.json" ISOL0005 "tree/$l" 'outside the scanned paths'
done
check "symlinks out of the tree: nothing of /etc/passwd in the report" bash -c "! grep -q 'root:' '$T/links.json'"
CWD=$U/tree il scan --format json .
js "symlinks out of the tree, scanned as '.': same" "$OUT" 'paths.join(" ") === "a.ts"'
CWD=$U il scan --format json tree "$O"
js "symlinks into another scanned path are followed (negative)" "$OUT" \
  'paths.includes("tree/a.ts") && paths.includes("tree/abs_file.ts") && paths.includes("tree/abs_dir/sub/p.ts")'

# ==== the tree's isolint.json ==========================================================================
C=$T/cfg
mk "$C/outside/o.ts" "$POOL"
mk "$C/tree/src/a.ts" "$POOL"
mk "$C/tree/isolint.json" '{ "include": ["../outside/**", "/etc/**", "../**", "src/**"], "exclude": ["../outside", "/tmp/**"] }'
CWD=$C/tree il scan --format json .
rc_is "isolint.json globs with ../ and absolute paths: exit 1" 1
js "isolint.json globs cannot pull files from outside the tree" "$OUT" 'paths.join(" ") === "src/a.ts"'
mk "$C/tree/isolint.json" '{ "include": ["../outside/**"] }'
CWD=$C/tree il scan --format json .
js "isolint.json include of ../ only: nothing outside is analyzed" "$OUT" 'paths.length === 0 && j.filesAnalyzed === 0'
mk "$C/tree/isolint.json" '{ "extends": "../outside/isolint.json" }'
CWD=$C/tree il scan --format json .
rc_is "isolint.json has no \"extends\": rejected, exit 2" 2
err_has "isolint.json \"extends\": the key is named" 'unknown key "extends"'
rm -f "$C/tree/isolint.json"

# ==== tsconfig.json extends / paths out of the tree ======================================================
K=$T/tsc
mk "$K/outside/tsconfig.base.json" '{ "compilerOptions": { "baseUrl": ".", "paths": { "@lib/*": ["lib/*"] } } }'
mk "$K/outside/lib/db.ts" "$POOL"
mk "$K/tree/tsconfig.json" '{ "extends": "../outside/tsconfig.base.json" }'
mk "$K/tree/src/a.ts" "$POOL"
mk "$K/tree/src/w.ts" 'import { pool } from "../../outside/lib/db";
import { pool as p2 } from "@lib/db";
export default { async fetch() { return [pool.query("x"), p2.query("y")]; } };
'
CWD=$K/tree il scan --format json .
rc_is "tsconfig extends out of the tree: exit 1" 1
cp "$OUT" "$T/tsc.json"
note_is "tsconfig extends out of the tree: not followed, noted" "$T/tsc.json" ISOL0004 tsconfig.json '"extends" names a file outside'
note_is "an import out of the tree: the file is not read, noted" "$T/tsc.json" ISOL0005 "$K/outside/lib/db.ts" '^Not read: an import leads to this file'
js "imports out of the tree: nothing from outside in results or related locations" "$T/tsc.json" \
  '!JSON.stringify(j.results).includes("outside")'
js "imports out of the tree: the tree's own findings are still reported" "$T/tsc.json" 'paths.includes("src/a.ts")'
CWD=$K il scan --format json tree
no_note "tsconfig extends inside the current directory: followed (negative)" "$OUT" ISOL0004
js "an import inside the current directory: read (negative)" "$OUT" \
  '!j.notifications.some((n) => /^Not read/.test(n.message))'
# a tsconfig.json that is a link to a file outside: not read (jansson would quote its first token)
rm -f "$K/tree/tsconfig.json"
ln -s /etc/passwd "$K/tree/tsconfig.json"
CWD=$K/tree il scan --format json .
note_is "tsconfig.json linking outside the tree: not read, noted" "$OUT" ISOL0004 tsconfig.json 'symbolic link to a file outside'
check "tsconfig.json linking to /etc/passwd: none of its text in the report" bash -c "! grep -q 'root' '$OUT'"
rm -f "$K/tree/tsconfig.json"

# ==== compile_commands.json from the tree ================================================================
D=$T/cdb
mkdir -p "$D/src"
# the fixture's client is only built when -DKEEP_FLAG (from the database) reaches libclang
sed 's|  db = mysql_init(NULL); // expect: module-scope-client|#ifdef KEEP_FLAG\n  db = mysql_init(NULL);\n#endif|' \
  "$SRC/fixtures/c/module-scope-client/mongoose_setup.c" >"$D/src/app.c"
cat >"$D/rsp" <<EOF
-fplugin=$D/evil.so
EOF
node -e '
const [dir] = process.argv.slice(1);
const args = ["cc", "-DKEEP_FLAG", "-fplugin=" + dir + "/evil.so", "-fpass-plugin=" + dir + "/evil2.so",
  "-Xclang", "-load", "-Xclang", dir + "/evil3.so", "@" + dir + "/rsp", "-o", dir + "/written.o",
  "-MD", "-MF", dir + "/written.d", "-MJ", dir + "/written.json", "-Wp,-MD," + dir + "/written2.d",
  "--config", dir + "/rsp", "-save-temps", "-c", "src/app.c"];
require("fs").writeFileSync(dir + "/compile_commands.json",
  JSON.stringify([{ directory: dir, file: "src/app.c", arguments: args }]));' "$D"
if [ "${IL_C_FRONTEND:-ON}" = OFF ]; then
  echo "skip - compile_commands.json cases: this tree is built with -DIL_C_FRONTEND=OFF"
else
CWD=$D il scan --format json src/app.c
rc_is "compile_commands.json with plugin/output flags: no crash, exit 0 or 1" 0 1
cp "$OUT" "$T/cdb.json"
note_is "compile_commands.json: refused flags named in a notification" "$T/cdb.json" ISOL0004 src/app.c \
  "'-fplugin', '-fpass-plugin', '-Xclang -load', '-Xclang',.*'-MJ', '-Wp', '--config', '-save-temps'"
js "compile_commands.json: the file is still analyzed with the safe flags (-D kept)" "$T/cdb.json" \
  'j.results.some((r) => r.path === "src/app.c" && r.ruleId === "module-scope-client")'
check "compile_commands.json: no file written by the compiler flags" \
  bash -c "! ls '$D'/written* '$D'/*.i '$D'/*.s '$D'/*.bc 2>/dev/null | grep -q ."
rm -f "$D/compile_commands.json"
CWD=$D il scan --format json src/app.c
no_note "without compile_commands.json: no refused-flag notification (negative)" "$OUT" ISOL0004
js "without compile_commands.json: no -DKEEP_FLAG, no finding (negative)" "$OUT" 'j.results.length === 0'
fi

# ==== no process started from a scan ======================================================================
# Every program a tree could hope to have run is shadowed on PATH by a stub that leaves a mark;
# a scan of PATHs (TS with package.json scripts, C with a compile database, hooks in .git) must
# start none of them. --staged must start git and only git (the positive control).
X=$T/noexec
mkdir -p "$X/bin" "$X/marks"
for prog in git sh bash dash cc gcc clang clang-14 ld node npm npx tsc wrangler make python3 perl env; do
  printf '#!/bin/sh
echo "$0 $*" >>"%s/marks/%s"
exit 1
' "$X" "$prog" >"$X/bin/$prog"
  chmod +x "$X/bin/$prog"
done
mk "$X/tree/package.json" '{ "scripts": { "preinstall": "touch pwned", "postinstall": "touch pwned" }, "dependencies": { "wrangler": "3" } }'
mk "$X/tree/src/a.ts" "$POOL"
cp "$D/src/app.c" "$X/tree/src/app.c"
node -e 'require("fs").writeFileSync(process.argv[1] + "/compile_commands.json", JSON.stringify([{ directory: process.argv[1], file: "src/app.c", arguments: ["sh", "-c", "touch pwned", "-DKEEP_FLAG", "src/app.c"] }]))' "$X/tree"
mkdir -p "$X/tree/.git/hooks"
printf '#!/bin/sh
touch pwned
' >"$X/tree/.git/hooks/pre-commit"
chmod +x "$X/tree/.git/hooks/pre-commit"
PATH=$X/bin:$PATH CWD=$X/tree il scan --format sarif --output "$T/noexec.sarif" .
rc_is "no process: the scan ran (exit 1)" 1
check "no process: no program on PATH was started by a scan" bash -c "[ -z \"\$(ls '$X/marks')\" ]"
check "no process: nothing from the tree ran (no 'pwned' file)" bash -c "! find '$X/tree' -name pwned | grep -q ."
if [ "${IL_C_FRONTEND:-ON}" = OFF ]; then
js "no process: the TS file was analyzed (C skipped: -DIL_C_FRONTEND=OFF)" "$T/noexec.sarif" \
  'j.runs[0].results.some((r) => r.locations[0].physicalLocation.artifactLocation.uri === "src/a.ts")'
else
js "no process: the TS and C files were analyzed" "$T/noexec.sarif" \
  'j.runs[0].results.some((r) => r.locations[0].physicalLocation.artifactLocation.uri === "src/a.ts") && j.runs[0].results.some((r) => r.locations[0].physicalLocation.artifactLocation.uri === "src/app.c")'
fi
PATH=$X/bin:$PATH CWD=$X/tree il scan --staged
rc_is "no process, positive control: --staged asks git (the stub fails: exit 2)" 2
check "no process, positive control: --staged started git and only git" \
  bash -c "[ \"\$(ls '$X/marks')\" = git ] && grep -q 'rev-parse --is-inside-work-tree --show-prefix' '$X/marks/git'"

# ==== file names: percent-encoded SARIF URIs, escaped text, JSON and GitHub output ======================
N=$T/names
names=($'new\nline.ts' "q'uo\"te.ts" 'back\slash.ts' $'bad\xff\xfe.ts' 'pct%41 #?.ts' $'\xc3\xa9t\xc3\xa9.ts')
for f in "${names[@]}"; do
  mk "$N/$f" "$POOL"
done
longdir=$(printf 'd%.0s' $(seq 1 200))
mk "$N/$longdir/$longdir/$longdir/$longdir/long.ts" "$POOL"
CWD=$N il scan --format sarif --output "$T/names.sarif" .
rc_is "odd names: SARIF written, exit 1" 1
node - "$T/names.sarif" >"$T/names.uris" <<'EOF'
const j = JSON.parse(require('fs').readFileSync(process.argv[2], 'utf8'));
for (const r of j.runs[0].results) console.log(r.locations[0].physicalLocation.artifactLocation.uri);
EOF
# Each URI must decode (as bytes) to the file name exactly, and hold only RFC 3986 characters.
js "odd names: each SARIF URI percent-decodes to the file's bytes" "$T/names.sarif" '
  ((uris) => {
    const want = ["6e65770a6c696e652e7473", "7127756f2274652e7473", "6261636b5c736c6173682e7473",
                  "626164fffe2e7473", "70637425343120233f2e7473", "c3a974c3a92e7473"];
    const dec = (u) => Buffer.from(u.replace(/%([0-9A-F]{2})|./gs, (m, h) => h ? String.fromCharCode(parseInt(h, 16)) : m), "latin1").toString("hex");
    const got = new Set(uris.map(dec));
    return uris.every((u) => /^[A-Za-z0-9\-._~\/%]+$/.test(u)) && want.every((h) => got.has(h));
  })(j.runs[0].results.map((r) => r.locations[0].physicalLocation.artifactLocation.uri))'
js "odd names: the long path is reported with its URI" "$T/names.sarif" \
  "j.runs[0].results.some((r) => r.locations[0].physicalLocation.artifactLocation.uri.endsWith('$longdir/long.ts'))"
sarif_ok "odd names: SARIF passes tests/sarif/validate.sh" "$T/names.sarif" "$T/size.sarif" "$T/timeout.sarif"
CWD=$N il scan --format json .
js "odd names: JSON paths keep newline, quotes and backslash" "$OUT" \
  'paths.includes("new\nline.ts") && paths.includes("q'"'"'uo\"te.ts") && paths.includes("back\\slash.ts")'
CWD=$N il scan --format github .
check "odd names: GitHub annotations stay one per line (one ::error line per file)" \
  test "$(grep -c '^::error ' "$OUT")" -eq $((${#names[@]} + 1))
out_has "odd names: GitHub file property escapes the newline" "file=new%0Aline.ts"
CWD=$N il scan .
check "odd names: text report is valid UTF-8" valid_utf8 "$OUT"
out_has "odd names: text report shows a newline in a path as U+FFFD" $'new\xef\xbf\xbdline.ts:2:21: error'
check "odd names: text report has no raw newline inside a path" bash -c "! grep -qx 'line.ts:2:21: error \[module-scope-client\].*' '$OUT'"

# ==== --output is atomic =================================================================================
W=$T/atomic
mk "$W/a.ts" "$POOL"
mkdir -p "$W/out"
printf 'OLD REPORT\n' >"$W/out/report.sarif"
# A report write that fails half-way: RLIMIT_FSIZE of 1 KiB makes the write fail with EFBIG
# (SIGXFSZ is ignored by isolint), after the temporary file was created.
LAST_CMD="(ulimit -f 1) isolint scan --format sarif --output out/report.sarif a.ts"
{ (cd "$W" && ulimit -f 1 && exec timeout "$IL_TIMEOUT" "$BIN" scan --format sarif --output out/report.sarif a.ts) >"$OUT" 2>"$ERR" </dev/null; RC=$?; } 2>/dev/null
t_check_run "$RC" "$ERR" "$LAST_CMD"
rc_is "write failing half-way (file size limit): exit 2" 2
err_has "write failing half-way: the error names the report" "out/report.sarif: cannot write the report"
check "write failing half-way: the old report is left intact" grep -qx 'OLD REPORT' "$W/out/report.sarif"
no_tmp "write failing half-way: no temporary file left" "$W/out"
CWD=$W il scan --format sarif --output out/report.sarif a.ts
rc_is "write succeeding: exit 1" 1
js "write succeeding: the report is replaced whole" "$W/out/report.sarif" 'j.runs[0].results.length === 1'
no_tmp "write succeeding: no temporary file left" "$W/out"
long=$(printf 'r%.0s' $(seq 1 250))
printf 'OLD REPORT\n' >"$W/out/$long"
CWD=$W il scan --format json --output "out/$long" a.ts
rc_is "temporary file name too long: exit 2" 2
check "temporary file name too long: the old report is left intact" grep -qx 'OLD REPORT' "$W/out/$long"
no_tmp "temporary file name too long: no temporary file left" "$W/out"

# ==== faults: a full device ================================================================================
for fmt in text json sarif github concise; do
  CWD=$W il scan --format "$fmt" --output /dev/full a.ts
  rc_is "--output /dev/full ($fmt): exit 2" 2
  err_has "--output /dev/full ($fmt): the error names the device" "/dev/full: cannot write the report"
  LAST_CMD="isolint scan --format $fmt a.ts >/dev/full"
  { (cd "$W" && exec timeout "$IL_TIMEOUT" "$BIN" scan --format "$fmt" a.ts) >/dev/full 2>"$ERR" </dev/null; RC=$?; } 2>/dev/null
  t_check_run "$RC" "$ERR" "$LAST_CMD"
  rc_is "stdout on /dev/full ($fmt): exit 2" 2
  err_has "stdout on /dev/full ($fmt): an error message" "cannot write the report to standard output"
done
CWD=$W il scan --format json --output /dev/null a.ts
rc_is "--output /dev/null still works (negative): exit 1" 1

# ==== faults: a file that cannot be read ==================================================================
R=$T/readerr
mk "$R/ok/a.ts" "$POOL"
mkdir -p "$R/out"
printf 'OLD REPORT\n' >"$R/out/report.json"
if [ -r /proc/self/mem ]; then
  # a real read error, also as root: /proc/self/mem is a regular file whose read at offset 0
  # fails with EIO
  ln -s /proc/self/mem "$R/mem.ts"
  CWD=$R il scan --format json --output out/report.json mem.ts ok/a.ts
  rc_is "read error (EIO): exit 2" 2
  note_is "read error (EIO): an ISOL0001 error names the file" "$R/out/report.json" ISOL0001 mem.ts '^Cannot read the file: Input/output error'
  js "read error (EIO): the other file's findings are reported" "$R/out/report.json" 'paths.join(" ") === "ok/a.ts"'
  err_has "read error (EIO): named on stderr" "mem.ts: error: Cannot read the file"
  no_tmp "read error (EIO): no temporary file left" "$R/out"
  CWD=$R il scan mem.ts ok/a.ts
  rc_is "read error (EIO), text on stdout: exit 2" 2
  out_line "read error (EIO): named in the text report" '^mem\.ts: error: Cannot read the file'
  err_has "read error (EIO), text on stdout: also named on stderr" "isolint: mem.ts: Cannot read the file"
  CWD=$R il scan --format sarif --output out/report.sarif mem.ts ok/a.ts
  js "read error (EIO): SARIF says the run was not successful, exit code 2" "$R/out/report.sarif" \
    'j.runs[0].invocations[0].exitCode === 2 && j.runs[0].invocations[0].executionSuccessful === false && j.runs[0].invocations[0].toolExecutionNotifications.some((n) => n.descriptor.id === "ISOL0001")'
  rm -f "$R/mem.ts"
else
  skip "read error (EIO)" "/proc/self/mem is not readable here"
fi
CWD=$R il scan --format json ok/a.ts
rc_is "no read error (negative): exit 1" 1

t_done
