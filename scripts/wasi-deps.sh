#!/usr/bin/env bash
# Unpacks the C sources that the WebAssembly (WASI) build compiles (docs/wasi.md) into .deps/
# (ignored by git, like node_modules): the tree-sitter runtime and jansson, from Debian 12's
# source packages of the very libtree-sitter0 and libjansson4 the native build links, so both
# builds run the same parser and JSON writer. The versions and the SHA-256 of each file are
# pinned below; apt checks the signed archive index, this script checks the pins. Nothing
# else is downloaded, and nothing at build or run time. Run as root (scripts/setup.sh does)
# when the deb-src entry it needs is missing.
#
#   scripts/wasi-deps.sh [DEST]     (default: .deps in the source tree)
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
dest=${1:-$src/.deps}

# package=version, then the SHA-256 of each file of its source package
pins=(
  "tree-sitter=0.20.7-1"
  "e20be3f8d552f4f59d9d38a5be597ff4745beef54430fd82cf00f45edbd35a94  tree-sitter_0.20.7-1.dsc"
  "e8c0573be475dce5b024d83628a3eb47376923da701376e55a11804cc5d25487  tree-sitter_0.20.7.orig.tar.xz"
  "87e1804dade9d65cf4683e39fc279a6133673d071887fa288fe14f1056354bed  tree-sitter_0.20.7-1.debian.tar.xz"
  "jansson=2.14-2"
  "6296ddd9c0a022bd1b70074aefb171cfcdf5694a04ffd32b35fd66097621af87  jansson_2.14-2.dsc"
  "c739578bf6b764aa0752db9a2fdadcfe921c78f1228c7ec0bb47fa804c55d17b  jansson_2.14.orig.tar.gz"
  "e89fe4fd8221f6934ddb50f2e7f8404311928d0e23e49a5599f3d3d14ee8cb88  jansson_2.14-2.debian.tar.xz"
)
# the directories dpkg-source makes, which CMake's WASI build reads (IL_WASI_DEPS_DIR)
dirs=(tree-sitter-0.20.7 jansson-2.14)

stamp=$dest/.stamp
want=$(printf '%s\n' "${pins[@]}")
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  exit 0
fi
command -v dpkg-source >/dev/null || { echo "wasi-deps: dpkg-source missing (apt-get install dpkg-dev)" >&2; exit 1; }

# apt-get source reads deb-src entries; Debian's images ship only deb ones
if ! apt-cache showsrc jansson 2>/dev/null | grep -q '^Version: 2.14-2'; then
  list=/etc/apt/sources.list.d/isolint-deb-src.sources
  if [ "$(id -u)" != 0 ]; then
    echo "wasi-deps: no deb-src entry for Debian 12. As root, run scripts/setup.sh, or write $list:" >&2
    printf '  Types: deb-src\n  URIs: http://deb.debian.org/debian\n  Suites: bookworm\n  Components: main\n' >&2
    echo "  then apt-get update" >&2
    exit 1
  fi
  echo "wasi-deps: adding $list (Debian 12 source packages)" >&2
  printf 'Types: deb-src\nURIs: http://deb.debian.org/debian\nSuites: bookworm\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' >"$list"
  apt-get update -qq
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
chmod 755 "$tmp" # apt's _apt user writes the downloads here
names=()
sums=()
for p in "${pins[@]}"; do
  case "$p" in
    *=*) names+=("$p") ;;
    *) sums+=("$p") ;;
  esac
done
(cd "$tmp" && apt-get source -qq --download-only "${names[@]}" >/dev/null 2>"$tmp/apt.err") || {
  cat "$tmp/apt.err" >&2
  echo "wasi-deps: apt-get source ${names[*]} failed" >&2
  exit 1
}
printf '%s\n' "${sums[@]}" >"$tmp/SHA256SUMS"
(cd "$tmp" && sha256sum --quiet -c SHA256SUMS) || { echo "wasi-deps: a source package does not match its pinned SHA-256" >&2; exit 1; }
mkdir -p "$dest"
for d in "${dirs[@]}"; do
  rm -rf "${dest:?}/$d"
done
for dsc in "$tmp"/*.dsc; do
  # the Debian patches are applied, as in the binary packages. The maintainers' keys
  # (debian-keyring) are not needed: the pinned SHA-256 above stand for the signature.
  (cd "$dest" && dpkg-source -q -x "$dsc" >/dev/null 2>"$tmp/dpkg.err") || {
    cat "$tmp/dpkg.err" >&2
    exit 1
  }
done
rm -f "$dest"/*.orig.tar.*
printf '%s\n' "$want" >"$stamp"
echo "wasi-deps: ${dirs[*]} unpacked in $dest" >&2
