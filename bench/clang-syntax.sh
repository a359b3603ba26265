#!/usr/bin/env bash
# clang-syntax.sh CLANG JOBS FLAGS... -- FILES...: `CLANG -fsyntax-only FLAGS FILE` for each file,
# JOBS at a time (one process per file, like a build), in the current directory. The C reference
# of bench/run.sh. Exit status: 0 when every file compiled, else 1.
set -euo pipefail
clang="$1" jobs="$2"; shift 2
flags=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do flags+=("$1"); shift; done
[ $# -gt 0 ] && shift
printf '%s\0' "$@" | xargs -0 -r -P "$jobs" -n 1 "$clang" -fsyntax-only "${flags[@]}"
