#!/usr/bin/env bash
# Builds the npm packages of isolint (docs/npm.md) into OUT_DIR (default build-npm):
#   isolint-VERSION.tgz              the `isolint` command (npm/isolint: a Node launcher)
#   isolint-linux-x64-VERSION.tgz    @isolint/linux-x64: bin/isolint, share/isolint/kb,
#                                    share/isolint/docs/rules (npm/linux-x64)
# The binary is a Release build with tree-sitter and jansson linked statically
# (-DIL_STATIC_DEPS=ON) and the C front-end on: libclang is needed to build it, and is
# loaded at run time only when a scan meets a C file; IL_C_FRONTEND=OFF packs a TypeScript-only
# binary where no libclang-dev is installed. IL_PREBUILT_GRAMMAR=path/libil_grammar.a
# (a non-sanitizer build's) skips compiling the grammar. No network: `npm pack` only.
#
#     scripts/npm-pack.sh [OUT_DIR]
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$src/build-npm}
mkdir -p "$out"
out=$(cd "$out" && pwd)
jobs=${JOBS:-$(nproc)}

version=$(sed -n 's/^project(isolint VERSION \([0-9.]*\).*/\1/p' "$src/CMakeLists.txt")
for p in "$src/npm/isolint/package.json" "$src/npm/linux-x64/package.json"; do
  v=$(node -p 'require(process.argv[1]).version' "$p")
  if [ "$v" != "$version" ]; then
    echo "npm-pack: $p has version $v, CMakeLists.txt $version: make them the same" >&2
    exit 2
  fi
done
dep=$(node -p 'require(process.argv[1]).optionalDependencies["@isolint/linux-x64"]' "$src/npm/isolint/package.json")
if [ "$dep" != "$version" ]; then
  echo "npm-pack: npm/isolint/package.json wants @isolint/linux-x64 $dep, not $version" >&2
  exit 2
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

rm -f "$out"/isolint-*.tgz
(cd "$out" && npm pack --silent --ignore-scripts "$stage/linux-x64" "$stage/isolint" >/dev/null)
ls "$out/isolint-linux-x64-$version.tgz" "$out/isolint-$version.tgz"
