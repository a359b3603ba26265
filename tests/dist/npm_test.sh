#!/usr/bin/env bash
# The npm package (docs/npm.md): scripts/npm-pack.sh builds the two tarballs, a scratch
# project installs them with `npm install --offline` (no network) with a PATH holding only
# node, npm, npx and sh (no compiler, no make: nothing can be built at install), and
# `npx isolint scan examples/worker-demo --format sarif` must give the CMake build's SARIF
# byte for byte, its knowledge base found inside the package. Also: exit status and
# signals forwarded by the launcher, libclang loaded only for C files (and the message
# when it is missing), the message when the platform package is missing.
#
#     tests/dist/npm_test.sh ISOLINT_BINARY SOURCE_DIR PACK_DIR [PREBUILT_GRAMMAR]
set -u
PACK=${3:-}
GRAMMAR=${4:-}
# shellcheck source=tests/cli/lib.sh disable=SC2034
. "$(cd "$(dirname "$0")/../cli" && pwd)/lib.sh"
t_init npm "$1" "$2"
if ! command -v npm >/dev/null 2>&1; then
  fail "npm is needed to pack and install the package"
  t_done
fi

# ---- pack ----
if IL_C_FRONTEND=${IL_C_FRONTEND:-ON} IL_PREBUILT_GRAMMAR=$GRAMMAR JOBS=2 "$SRC/scripts/npm-pack.sh" "$PACK" >"$T/pack.out" 2>&1; then
  pass "scripts/npm-pack.sh builds the two tarballs"
else
  fail "scripts/npm-pack.sh builds the two tarballs" "$(tail -n 30 "$T/pack.out")"
  t_done
fi
VERSION=$("$BIN" --version | cut -d' ' -f2)
MAIN=$PACK/isolint-$VERSION.tgz
PLAT=$PACK/isolint-linux-x64-$VERSION.tgz
tar tzf "$PLAT" >"$T/plat.list"
for f in package/bin/isolint package/share/isolint/kb/sql.json package/share/isolint/kb/c-clients.json \
  package/share/isolint/docs/rules/module-scope-client.md; do
  check "platform tarball holds $f" grep -qx "$f" "$T/plat.list"
done
check "main tarball holds the launcher" bash -c "tar tzf '$MAIN' | grep -qx package/bin/isolint.js"
check "main tarball holds the config schema (isolint.json's \$schema)" \
  bash -c "tar tzf '$MAIN' | grep -qx package/isolint.schema.json"
check "the binary links tree-sitter, jansson and libclang statically or not at all" \
  bash -c "tar xzf '$PLAT' -C '$T' package/bin/isolint && ! ldd '$T/package/bin/isolint' | grep -Eq 'tree-sitter|jansson|clang'"

# ---- install with no build tools on PATH ----
NB=$T/nodebin
mkdir -p "$NB"
NODE=$(command -v node)
NPM_CLI=$(node -p 'require("path").resolve(require("fs").realpathSync(process.argv[1]))' "$(command -v npm)")
NPX_CLI=$(node -p 'require("path").resolve(require("fs").realpathSync(process.argv[1]))' "$(command -v npx)")
ln -s "$NODE" "$NB/node"
ln -s "$NPM_CLI" "$NB/npm"
ln -s "$NPX_CLI" "$NB/npx"
ln -s "$(command -v sh)" "$NB/sh" # npx runs the bin through sh
check "the install PATH has no compiler, linker or make" \
  bash -c "PATH='$NB'; ! command -v cc && ! command -v gcc && ! command -v clang && ! command -v ld && ! command -v make && ! command -v cmake"
P=$T/project
mkdir -p "$P/examples"
printf '{ "name": "scratch", "private": true }\n' >"$P/package.json"
cp -r "$SRC/examples/worker-demo" "$P/examples/"
NPMENV=(env -u ISOLINT_KB_DIR -u ISOLINT_BINARY PATH="$NB" HOME="$T/home" npm_config_cache="$T/npm-cache"
  npm_config_update_notifier=false)
if (cd "$P" && "${NPMENV[@]}" npm install --offline --no-audit --no-fund --loglevel=error \
  "$PLAT" "$MAIN") >"$T/install.out" 2>&1; then
  pass "npm install --offline of the two tarballs, with no build tools on PATH"
else
  fail "npm install --offline of the two tarballs, with no build tools on PATH" "$(cat "$T/install.out")"
  t_done
fi
check "the platform package is installed with its binary" test -x "$P/node_modules/@isolint/linux-x64/bin/isolint"

npx_il() { # npx_il OUTFILE ARGS...: npx isolint in the scratch project; RC set
  local o=$1
  shift
  (cd "$P" && "${NPMENV[@]}" npx --offline isolint "$@") >"$o" 2>"$T/npx.err"
  RC=$?
}
npx_il "$T/npx.sarif" scan examples/worker-demo --format sarif
check "npx isolint scan: exit 1 (findings), forwarded" test "$RC" = 1
(cd "$SRC" && "$BIN" scan examples/worker-demo --format sarif >"$T/cmake.sarif" 2>/dev/null)
check "npx isolint scan examples/worker-demo --format sarif: the CMake build's SARIF, byte for byte" \
  cmp "$T/npx.sarif" "$T/cmake.sarif"
npx_il "$T/v.out" --version
check "npx isolint --version: the CMake build's version" bash -c "[ \"\$(cat '$T/v.out')\" = \"\$('$BIN' --version)\" ]"
npx_il "$T/ex.out" explain global-object-cache
check "npx isolint explain: the rule's page" grep -q '^# ' "$T/ex.out"
npx_il "$T/miss.out" scan no/such/path
check "npx isolint scan of a missing path: exit 2, forwarded" test "$RC" = 2

# ---- C: libclang loaded at run time, only for C files ----
mkdir -p "$P/csrc"
cp "$SRC/fixtures/c/lazy-singleton-client/nginx_handler.c" "$P/csrc/"
if [ "${IL_C_FRONTEND:-ON}" = OFF ]; then # this tree packs a TypeScript-only binary
npx_il "$T/c.out" scan --format concise csrc examples/worker-demo
check "TypeScript-only package: a C file gives the one warning, TS findings stay" \
  bash -c "[ $RC = 1 ] && grep -q 'built without C support' '$T/npx.err' && grep -q 'examples/worker-demo/src/db.ts' '$T/c.out'"
else
npx_il "$T/c.out" scan --format concise csrc
check "npx isolint scan of a C file: libclang found and loaded, finding reported" \
  grep -q 'lazy-singleton-client' "$T/c.out"
(cd "$P" && "${NPMENV[@]}" ISOLINT_LIBCLANG=/nonexistent/libclang.so npx --offline isolint scan \
  --format concise csrc examples/worker-demo) >"$T/noc.out" 2>"$T/noc.err"
RC=$?
check "libclang missing: TS findings still reported, exit 1" \
  bash -c "[ $RC = 1 ] && grep -q 'examples/worker-demo/src/db.ts' '$T/noc.out'"
check "libclang missing: one warning saying how to install it" \
  bash -c "[ \"\$(cat '$T/noc.out' '$T/noc.err' | grep -c 'apt-get install libclang1-14')\" = 1 ]"
fi

# ---- the launcher: signals ----
L=$P/node_modules/isolint/bin/isolint.js
printf '#!/bin/sh\nkill -TERM $$\n' >"$T/selfkill"
printf '#!/bin/sh\ntrap "echo got-term >%s/mark; exit 7" TERM\necho ready >%s/ready\nwhile :; do sleep 0.1; done\n' "$T" "$T" >"$T/waiter"
chmod +x "$T/selfkill" "$T/waiter"
ISOLINT_BINARY=$T/selfkill "$NODE" "$L"
RC=$?
check "launcher: a binary killed by SIGTERM kills the launcher with SIGTERM (status 143)" test "$RC" = 143
ISOLINT_BINARY=$T/waiter "$NODE" "$L" &
lp=$!
for _ in $(seq 1 50); do [ -f "$T/ready" ] && break; sleep 0.1; done
kill -TERM "$lp"
wait "$lp"
RC=$?
check "launcher: SIGTERM is forwarded to the binary, whose exit status comes back (7)" \
  bash -c "[ $RC = 7 ] && grep -q got-term '$T/mark'"

# ---- the knowledge base is the package's ----
mv "$P/node_modules/@isolint/linux-x64/share/isolint/kb" "$T/kb.away"
npx_il "$T/nokb.out" scan examples/worker-demo
check "without the package's share/isolint/kb the scan cannot run (exit 2): it is the one used" \
  test "$RC" = 2
mv "$T/kb.away" "$P/node_modules/@isolint/linux-x64/share/isolint/kb"

# ---- no platform package ----
rm -rf "$P/node_modules/@isolint"
npx_il "$T/noplat.out" --version
check "platform package missing: exit 2 and a message naming it" \
  bash -c "[ $RC = 2 ] && grep -q '@isolint/linux-x64 is not installed' '$T/npx.err'"
t_done
