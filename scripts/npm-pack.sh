#!/usr/bin/env bash
# Builds the npm packages of isolint (docs/npm.md) into OUT_DIR (default build-npm):
#   isolint-VERSION.tgz              the `isolint` command (npm/isolint: a Node launcher)
#   isolint-linux-x64-VERSION.tgz    @isolint/linux-x64: bin/isolint, share/isolint/kb,
#                                    share/isolint/docs/rules (npm/linux-x64)
#   isolint-wasm32-wasi-VERSION.tgz  @isolint/wasm32-wasi: isolint.wasm, share/isolint/kb,
#                                    share/isolint/docs/rules (npm/wasm32-wasi): the WASI build
#                                    (cmake/wasi.cmake), the fallback for other platforms
# The binary is a Release build with tree-sitter and jansson linked statically
# (-DIL_STATIC_DEPS=ON) and the C front-end on: libclang is needed to build it, and is
# loaded at run time only when a scan meets a C file; IL_C_FRONTEND=OFF packs a TypeScript-only
# binary where no libclang-dev is installed. IL_PREBUILT_GRAMMAR=path/libil_grammar.a
# (a non-sanitizer build's) skips compiling the grammar (of the native build only). IL_WASM=ON
# packs the WASI package too and fails without its toolchain (scripts/setup.sh installs it);
# OFF leaves it out; auto (the default) packs it when the toolchain and the sources of
# scripts/wasi-deps.sh are there, else says it left it out. No network: `npm pack` only.
#
#     scripts/npm-pack.sh [OUT_DIR]
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$src/build-npm}
mkdir -p "$out"
out=$(cd "$out" && pwd)
jobs=${JOBS:-$(nproc)}

version=$(sed -n 's/^project(isolint VERSION \([0-9.]*\).*/\1/p' "$src/CMakeLists.txt")
for p in "$src/npm/isolint/package.json" "$src/npm/linux-x64/package.json" \
  "$src/npm/wasm32-wasi/package.json"; do
  v=$(node -p 'require(process.argv[1]).version' "$p")
  if [ "$v" != "$version" ]; then
    echo "npm-pack: $p has version $v, CMakeLists.txt $version: make them the same" >&2
    exit 2
  fi
done
for pkg in @isolint/linux-x64 @isolint/wasm32-wasi; do
  dep=$(node -p 'require(process.argv[1]).optionalDependencies[process.argv[2]]' \
    "$src/npm/isolint/package.json" "$pkg")
  if [ "$dep" != "$version" ]; then
    echo "npm-pack: npm/isolint/package.json wants $pkg $dep, not $version" >&2
    exit 2
  fi
done

# the WASI build's toolchain (Debian: clang, lld, wasi-libc, libclang-rt-14-dev-wasm32) and
# its sources (scripts/wasi-deps.sh); empty when all are there
wasi_missing() {
  local m=()
  command -v clang >/dev/null 2>&1 || command -v clang-14 >/dev/null 2>&1 || m+=(clang)
  command -v wasm-ld >/dev/null 2>&1 || command -v wasm-ld-14 >/dev/null 2>&1 || m+=(lld)
  [ -f /usr/lib/wasm32-wasi/libc.a ] || m+=(wasi-libc)
  ls /usr/lib/llvm-*/lib/clang/*/lib/wasi/libclang_rt.builtins-wasm32.a >/dev/null 2>&1 ||
    m+=(libclang-rt-14-dev-wasm32)
  [ -f "$src/.deps/jansson-2.14/src/dump.c" ] || m+=("the sources of scripts/wasi-deps.sh")
  echo "${m[*]}"
}
wasm=${IL_WASM:-auto}
case "$wasm" in
  ON | on | 1) wasm=1 ;;
  OFF | off | 0) wasm=0 ;;
  auto)
    wasm=1
    if [ -n "$(wasi_missing)" ]; then
      echo "npm-pack: not packing @isolint/wasm32-wasi: missing $(wasi_missing) (scripts/setup.sh installs them)" >&2
      wasm=0
    fi
    ;;
  *) echo "npm-pack: IL_WASM is '$wasm', not ON, OFF or auto" >&2; exit 2 ;;
esac
if ((wasm)) && [ -n "$(wasi_missing)" ]; then
  echo "npm-pack: IL_WASM=ON but the WASI build needs $(wasi_missing): run scripts/setup.sh" >&2
  exit 1
fi

grammar=()
[ -n "${IL_PREBUILT_GRAMMAR:-}" ] && grammar=(-DIL_PREBUILT_GRAMMAR="$IL_PREBUILT_GRAMMAR")
# IL_SOURCE_KB_DIR empty: the binary finds its knowledge base beside itself, never in this
# checkout
cmake -S "$src" -B "$out/build" -DCMAKE_BUILD_TYPE=Release -DIL_STATIC_DEPS=ON \
  -DIL_C_FRONTEND="${IL_C_FRONTEND:-ON}" -DIL_SOURCE_KB_DIR= -DBUILD_TESTING=OFF "${grammar[@]}" >/dev/null
cmake --build "$out/build" -j"$jobs" --target isolint >/dev/null
bin=$out/build/isolint
if ldd "$bin" | grep -Eq 'tree-sitter|jansson|clang'; then
  echo "npm-pack: $bin links these dynamically:" >&2
  ldd "$bin" | grep -E 'tree-sitter|jansson|clang' >&2
  exit 1
fi

if ((wasm)); then
  cmake -S "$src" -B "$out/build-wasi" --toolchain "$src/cmake/wasi.cmake" \
    -DCMAKE_BUILD_TYPE=Release -DIL_SOURCE_KB_DIR= >/dev/null
  cmake --build "$out/build-wasi" -j"$jobs" --target isolint >/dev/null
fi

# the platform package: the binary, the knowledge base beside it (../share/isolint/kb, where
# the binary looks), the rule docs (also built into the binary for `isolint explain`)
stage=$out/stage
rm -rf "$stage"
mkdir -p "$stage/linux-x64/bin" "$stage/linux-x64/share/isolint/kb" \
  "$stage/linux-x64/share/isolint/docs/rules" "$stage/isolint/bin"
cp "$src/npm/linux-x64/package.json" "$stage/linux-x64/"
cp "$bin" "$stage/linux-x64/bin/isolint"
strip "$stage/linux-x64/bin/isolint" 2>/dev/null || true
cp "$src"/rules/kb/*.json "$stage/linux-x64/share/isolint/kb/"
cp "$src"/docs/rules/*.md "$stage/linux-x64/share/isolint/docs/rules/"
cp "$src/npm/isolint/package.json" "$src/npm/isolint/README.md" "$src/docs/isolint.schema.json" \
  "$stage/isolint/"
cp "$src/npm/isolint/README.md" "$stage/linux-x64/"
cp "$src/npm/isolint/bin/isolint.js" "$stage/isolint/bin/"
chmod 755 "$stage/linux-x64/bin/isolint" "$stage/isolint/bin/isolint.js"

# the WebAssembly package: the module, the knowledge base (the launcher points
# ISOLINT_KB_DIR at it) and the rule docs
packs=("$stage/linux-x64" "$stage/isolint")
if ((wasm)); then
  mkdir -p "$stage/wasm32-wasi/share/isolint/kb" "$stage/wasm32-wasi/share/isolint/docs/rules"
  cp "$src/npm/wasm32-wasi/package.json" "$src/npm/isolint/README.md" "$stage/wasm32-wasi/"
  cp "$out/build-wasi/isolint.wasm" "$stage/wasm32-wasi/"
  cp "$src"/rules/kb/*.json "$stage/wasm32-wasi/share/isolint/kb/"
  cp "$src"/docs/rules/*.md "$stage/wasm32-wasi/share/isolint/docs/rules/"
  packs+=("$stage/wasm32-wasi")
fi

rm -f "$out"/isolint-*.tgz
(cd "$out" && npm pack --silent --ignore-scripts "${packs[@]}" >/dev/null)
ls "$out/isolint-linux-x64-$version.tgz" "$out/isolint-$version.tgz"
((wasm)) && ls "$out/isolint-wasm32-wasi-$version.tgz"
exit 0
