#!/usr/bin/env bash
# The WebAssembly (WASI) build in the npm package (docs/wasi.md): scripts/npm-pack.sh packs
# @isolint/wasm32-wasi beside the native package, a scratch project installs the three
# tarballs with `npm install --offline` and a PATH holding only node, npm, npx and sh, and
# `npx isolint scan` run with ISOLINT_FORCE_WASM=1 (node:wasi) must print what the native
# binary prints, byte for byte: SARIF of examples/worker-demo, other formats, messages, exit
# statuses, from another working directory, through symbolic links, with the cache. Skipped
# (exit 77) only when the WASI toolchain's Debian packages are absent (scripts/setup.sh
# installs them).
#
#     tests/dist/wasm_test.sh ISOLINT_BINARY SOURCE_DIR PACK_DIR [PREBUILT_GRAMMAR]
set -u
PACK=${3:-}
GRAMMAR=${4:-}
missing=()
for p in clang lld wasi-libc libclang-rt-14-dev-wasm32; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "dist.wasm: skipped: the WASI toolchain's Debian packages are absent (${missing[*]}); scripts/setup.sh installs them"
  exit 77
fi
# shellcheck source=tests/cli/lib.sh disable=SC2034
. "$(cd "$(dirname "$0")/../cli" && pwd)/lib.sh"
t_init wasm "$1" "$2"
if ! command -v npm >/dev/null 2>&1; then
  fail "npm is needed to pack and install the package"
  t_done
fi
if [ ! -f "$SRC/.deps/jansson-2.14/src/dump.c" ]; then
  fail "the WASI build's sources are unpacked" "run scripts/wasi-deps.sh (scripts/setup.sh does)"
  t_done
fi

# ---- pack ----
if IL_WASM=ON IL_C_FRONTEND=${IL_C_FRONTEND:-ON} IL_PREBUILT_GRAMMAR=$GRAMMAR JOBS=2 \
  "$SRC/scripts/npm-pack.sh" "$PACK" >"$T/pack.out" 2>&1; then
  pass "scripts/npm-pack.sh builds the three tarballs"
else
  fail "scripts/npm-pack.sh builds the three tarballs" "$(tail -n 30 "$T/pack.out")"
  t_done
fi
VERSION=$("$BIN" --version | cut -d' ' -f2)
MAIN=$PACK/isolint-$VERSION.tgz
PLAT=$PACK/isolint-linux-x64-$VERSION.tgz
WASM=$PACK/isolint-wasm32-wasi-$VERSION.tgz
tar tzf "$WASM" >"$T/wasm.list"
for f in package/isolint.wasm package/share/isolint/kb/sql.json \
  package/share/isolint/docs/rules/module-scope-client.md; do
  check "wasm tarball holds $f" grep -qx "$f" "$T/wasm.list"
done
tar xzf "$WASM" -C "$T" package/isolint.wasm
check "isolint.wasm is a WebAssembly module" \
  bash -c "[ \"\$(head -c 4 '$T/package/isolint.wasm' | od -An -tx1 | tr -d ' ')\" = 0061736d ]"
node -e '
  const m = new WebAssembly.Module(require("fs").readFileSync(process.argv[1]));
  const mods = new Set(WebAssembly.Module.imports(m).map((i) => i.module));
  process.stdout.write([...mods].join(" ") + "\n");' "$T/package/isolint.wasm" >"$T/imports" 2>&1
check "isolint.wasm imports WASI preview 1 only (no threads, no host functions of ours)" \
  bash -c "[ \"\$(cat '$T/imports')\" = wasi_snapshot_preview1 ]"

# ---- install with no build tools on PATH ----
NB=$T/nodebin
mkdir -p "$NB"
NODE=$(command -v node)
for tool in npm npx; do
  ln -s "$(node -p 'require("path").resolve(require("fs").realpathSync(process.argv[1]))' \
    "$(command -v $tool)")" "$NB/$tool"
done
ln -s "$NODE" "$NB/node"
ln -s "$(command -v sh)" "$NB/sh" # npx runs the bin through sh
P=$T/project
mkdir -p "$P/examples"
printf '{ "name": "scratch", "private": true }\n' >"$P/package.json"
cp -r "$SRC/examples/worker-demo" "$P/examples/"
NPMENV=(env -u ISOLINT_KB_DIR -u ISOLINT_BINARY -u ISOLINT_FORCE_WASM PATH="$NB" HOME="$T/home"
  npm_config_cache="$T/npm-cache" npm_config_update_notifier=false)
if (cd "$P" && "${NPMENV[@]}" npm install --offline --no-audit --no-fund --loglevel=error \
  "$PLAT" "$WASM" "$MAIN") >"$T/install.out" 2>&1; then
  pass "npm install --offline of the three tarballs, with no build tools on PATH"
else
  fail "npm install --offline of the three tarballs, with no build tools on PATH" "$(cat "$T/install.out")"
  t_done
fi
check "the WebAssembly package is installed" test -f "$P/node_modules/@isolint/wasm32-wasi/isolint.wasm"

# both ARGS...: `npx isolint ARGS` in $P (or $DIR below it), native then WASI; their stdout
# in $T/native.out and $T/wasm.out, stderr in .err, exit statuses in RN and RW
both() {
  local d=${DIR:-$P}
  (cd "$d" && "${NPMENV[@]}" npx --offline isolint "$@") >"$T/native.out" 2>"$T/native.err"
  RN=$?
  (cd "$d" && "${NPMENV[@]}" ISOLINT_FORCE_WASM=1 npx --offline isolint "$@") >"$T/wasm.out" 2>"$T/wasm.err"
  RW=$?
}
same() { # same NAME: both runs printed the same, byte for byte, and exited alike
  if [ "$RN" = "$RW" ] && cmp -s "$T/native.out" "$T/wasm.out" && cmp -s "$T/native.err" "$T/wasm.err"; then
    pass "$1"
  else
    fail "$1" "exit native $RN, wasm $RW" "$(diff "$T/native.out" "$T/wasm.out" | head -n 20)" \
      "$(diff "$T/native.err" "$T/wasm.err" | head -n 10)"
  fi
}

both scan examples/worker-demo --format sarif
same "npx isolint scan examples/worker-demo --format sarif: the WASI build's SARIF is the native one's, byte for byte"
check "... and exits 1 (findings)" test "$RW" = 1
(cd "$SRC" && "$BIN" scan examples/worker-demo --format sarif >"$T/cmake.sarif" 2>/dev/null)
check "... and is the CMake build's SARIF" cmp "$T/wasm.out" "$T/cmake.sarif"
check "... with results in it" grep -q '"ruleId": "module-scope-client"' "$T/wasm.out"

both scan examples/worker-demo --format json --jobs 4
same "--format json --jobs 4 (one thread in WASI): the same output"
both scan --format concise
same "a scan of the working directory (no path): the same output"
DIR=$P/examples/worker-demo/src both scan --format text --no-color ..
same "from a subdirectory, a relative path with '..': the same output and paths"
both scan "$P/examples/worker-demo/src/db.ts" --format concise
same "an absolute path: the same output"
ln -s examples/worker-demo/src "$P/linked"
both scan linked --format sarif
same "a symbolic link to a directory: the same output"
# deep nesting (tests/hostile): the module's 8 MiB stack holds what the native one does
mkdir -p "$P/deep"
node - "$P/deep" <<'EOF'
const fs = require('fs');
const n = 60000;
const w = (name, text) =>
  fs.writeFileSync(`${process.argv[2]}/${name}.ts`, 'import { Pool } from "pg";\n' + text);
w('parens', 'export const p = ' + '('.repeat(n) + 'new Pool()' + ')'.repeat(n) + ';\n');
w('blocks', '{'.repeat(n) + 'const q = new Pool();' + '}'.repeat(n) + '\n');
w('unclosed', 'export const u = ' + '('.repeat(n) + 'new Pool()\n');
EOF
both scan deep --format sarif
same "60 000-deep nesting: the same SARIF"
both scan no/such/path
same "a missing path: the same message and exit status (2)"
both rules
same "isolint rules: the same listing"
both explain global-object-cache
same "isolint explain: the same page"
both --version
same "isolint --version: the same version"

# the cache (mkstemp, rename and mmap under WASI): written by one build, read by the other
(cd "$P" && "${NPMENV[@]}" ISOLINT_FORCE_WASM=1 npx --offline isolint scan --cache examples/worker-demo \
  --format sarif) >"$T/c1.out" 2>"$T/c1.err"
RC=$?
check "WASI: scan --cache writes the project's .isolint-cache/facts.pack (exit 1)" \
  bash -c "[ $RC = 1 ] && [ -s '$P/examples/worker-demo/.isolint-cache/facts.pack' ]"
(cd "$P" && "${NPMENV[@]}" ISOLINT_FORCE_WASM=1 npx --offline isolint scan --cache examples/worker-demo \
  --format sarif) >"$T/c2.out" 2>"$T/c2.err"
check "WASI: a warm scan --cache gives the cold scan's SARIF" cmp "$T/c1.out" "$T/c2.out"
check "WASI: --cache gives the SARIF of a scan without it" cmp "$T/c1.out" "$T/cmake.sarif"

# C files: the WASI build is TypeScript/JavaScript only
mkdir -p "$P/csrc"
cp "$SRC/fixtures/c/lazy-singleton-client/nginx_handler.c" "$P/csrc/"
(cd "$P" && "${NPMENV[@]}" ISOLINT_FORCE_WASM=1 npx --offline isolint scan --format concise csrc \
  examples/worker-demo) >"$T/c.out" 2>"$T/c.err"
RC=$?
check "WASI: a C file gives the one 'built without C support' warning, TS findings stay (exit 1)" \
  bash -c "[ $RC = 1 ] && [ \"\$(cat '$T/c.out' '$T/c.err' | grep -c 'built without C support')\" = 1 ] && grep -q 'examples/worker-demo/src/db.ts' '$T/c.out'"

# git cannot be started from WASI: a clear message, exit 2
(cd "$P" && "${NPMENV[@]}" ISOLINT_FORCE_WASM=1 npx --offline isolint scan --staged) >"$T/g.out" 2>"$T/g.err"
RC=$?
check "WASI: scan --staged says the WebAssembly build cannot start git (exit 2)" \
  bash -c "[ $RC = 2 ] && grep -q 'WebAssembly build of isolint cannot start processes' '$T/g.err'"
check "WASI: no ExperimentalWarning of node:wasi on stderr" bash -c "! grep -q ExperimentalWarning '$T/wasm.err' '$T/g.err'"

# the knowledge base is the WebAssembly package's
K=$P/node_modules/@isolint/wasm32-wasi/share/isolint/kb
mv "$K" "$T/kb.away"
(cd "$P" && "${NPMENV[@]}" ISOLINT_FORCE_WASM=1 npx --offline isolint scan examples/worker-demo) >/dev/null 2>&1
RC=$?
check "WASI: without the package's share/isolint/kb the scan cannot run (exit 2): it is the one used" \
  test "$RC" = 2
mv "$T/kb.away" "$K"

# the fallback: no native package, no ISOLINT_FORCE_WASM
rm -rf "$P/node_modules/@isolint/linux-x64"
(cd "$P" && "${NPMENV[@]}" npx --offline isolint scan examples/worker-demo --format sarif) >"$T/fb.out" 2>"$T/fb.err"
RC=$?
check "native package missing: the WebAssembly build runs instead, same SARIF (exit 1)" \
  bash -c "[ $RC = 1 ] && cmp -s '$T/fb.out' '$T/cmake.sarif'"
rm -rf "$P/node_modules/@isolint/wasm32-wasi"
(cd "$P" && "${NPMENV[@]}" ISOLINT_FORCE_WASM=1 npx --offline isolint --version) >/dev/null 2>"$T/nw.err"
RC=$?
check "ISOLINT_FORCE_WASM=1 without the WebAssembly package: exit 2 and a message naming it" \
  bash -c "[ $RC = 2 ] && grep -q '@isolint/wasm32-wasi is not installed' '$T/nw.err'"
t_done
