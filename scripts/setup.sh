#!/usr/bin/env bash
# Installs what isolint needs on Debian 12: the Debian packages (as root with apt-get,
# otherwise prints the exact command and stops), then the pinned npm packages from
# package-lock.json. Safe to run again: it only installs what is missing.
#
#   scripts/setup.sh               everything the build and the tests need (scripts/test.sh)
#   scripts/setup.sh --build       only what building isolint and scanning need
#                                  (scripts/quickstart.sh): no test tools, no npm devDependencies
#   scripts/setup.sh --build --no-c   the same for a -DIL_C_FRONTEND=OFF build: no libclang-dev
set -euo pipefail
cd "$(dirname "$0")/.."
build_only=0
with_c=1
for arg in "$@"; do
  case "$arg" in
    --build) build_only=1 ;;
    --no-c) with_c=0 ;;
    *) echo "setup: unknown option '$arg' (expected --build, --no-c)" >&2; exit 2 ;;
  esac
done

# the build: a C compiler, CMake, tree-sitter, jansson, libclang (the C front-end), and node
# and npm for the pinned TypeScript grammar
packages=(build-essential cmake pkg-config libtree-sitter-dev libjansson-dev nodejs npm)
((with_c)) && packages+=(libclang-dev)
# test-only: pre-commit (with its python3 and PyYAML): tests/hooks runs the real tool on our
# manifest; the C client libraries' headers: tests/c scans the C fixtures with them (and
# without); clang + libclang-rt-14-dev: the libFuzzer harnesses (tests/fuzz); valgrind: the
# memcheck subset; git: the hook and CI recipe tests; libxml2-utils (xmllint): the JUnit and
# checkstyle reports are parsed back; neovim: the Neovim 0.7 recipe of docs/editors.md is run;
# wasi-libc + libclang-rt-14-dev-wasm32 + lld (with clang):
# the WebAssembly build packed by scripts/npm-pack.sh and compared with the native one (dist.wasm)
((build_only)) || packages+=(git pre-commit libclang-dev
          libpq-dev libmicrohttpd-dev libhiredis-dev libcurl4-openssl-dev libsqlite3-dev
          clang libclang-rt-14-dev valgrind libxml2-utils neovim
          wasi-libc libclang-rt-14-dev-wasm32 lld dpkg-dev)
missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    # node and npm may come from elsewhere (nvm, NodeSource): accept working binaries
    case "$p" in
      nodejs) command -v node >/dev/null 2>&1 && continue ;;
      npm) command -v npm >/dev/null 2>&1 && continue ;;
    esac
    missing+=("$p")
  fi
done
if ((${#missing[@]})); then
  if [ "$(id -u)" = 0 ]; then
    echo "setup: installing ${missing[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    echo "setup: installing ${missing[*]} with sudo" >&2
    sudo apt-get update -qq
    sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "setup: missing Debian packages. Run this, then try again:" >&2
    echo "  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
fi

# The WebAssembly build's C sources: Debian's source packages of tree-sitter and jansson,
# pinned by version and SHA-256, unpacked into .deps (scripts/wasi-deps.sh, docs/wasi.md)
((build_only)) || scripts/wasi-deps.sh

# npm packages pinned by package-lock.json; --ignore-scripts: nothing runs at install.
# A node_modules that is a symbolic link (a worktree sharing another checkout's) is left
# alone: npm ci would empty the directory it points to.
if [ -L node_modules ]; then
  echo "setup: node_modules is a symbolic link: not reinstalled" >&2
  ((build_only)) && exit 0
# --build: the grammar only (the SARIF validator and the LSP client are test tools).
elif ((build_only)); then
  if [ ! -f node_modules/tree-sitter-typescript/typescript/src/parser.c ] ||
     [ package-lock.json -nt node_modules/.package-lock.json ]; then
    echo "setup: npm ci --ignore-scripts --omit=dev" >&2
    npm ci --ignore-scripts --omit=dev --no-audit --no-fund --loglevel=error >/dev/null
  fi
  exit 0
elif [ ! -f node_modules/tree-sitter-typescript/typescript/src/parser.c ] ||
   [ ! -e node_modules/@microsoft/sarif-multitool ] ||
   [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: npm ci --ignore-scripts" >&2
  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null
fi
# The real-world corpus of tests/realworld (ctest realworld.differential): npm packages pinned by
# tests/realworld/package-lock.json, scanned as real code; --ignore-scripts as above.
if [ ! -f tests/realworld/node_modules/.package-lock.json ] ||
   [ tests/realworld/package-lock.json -nt tests/realworld/node_modules/.package-lock.json ]; then
  echo "setup: npm ci --ignore-scripts in tests/realworld" >&2
  (cd tests/realworld && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null)
fi
# The validator's native binary is made executable by an install script we do not run.
mv_bin=node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool
[ -f "$mv_bin" ] && [ ! -x "$mv_bin" ] && chmod u+x "$mv_bin"
exit 0
