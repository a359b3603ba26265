#!/usr/bin/env bash
# C support missing: a build configured with -DIL_C_FRONTEND=OFF, or a full build whose
# libclang cannot be loaded (ISOLINT_LIBCLANG pointing nowhere). A scan of C files next to
# TypeScript gives one warning for the run (on the first C file, with the count of the
# others and how to get C support), the TypeScript findings unchanged, and no exit 2.
#
#     tests/dist/c_missing_test.sh ISOLINT_BINARY SOURCE_DIR [OTHER_ISOLINT_BINARY]
#
# With OTHER_ISOLINT_BINARY (scripts/test.sh passes the full build when testing the
# -DIL_C_FRONTEND=OFF one), the SARIF of examples/worker-demo must be the same bytes.
set -u
OTHER=${3:-}
# shellcheck source=tests/cli/lib.sh disable=SC2034
. "$(cd "$(dirname "$0")/../cli" && pwd)/lib.sh"
t_init c-missing "$1" "$2"

CWD=$SRC il scan --no-config --format sarif examples/worker-demo
cp "$OUT" "$T/ts-alone.sarif"
if [ "${IL_C_FRONTEND:-ON}" = OFF ]; then
  why='built without C support (-DIL_C_FRONTEND=OFF)'
  ENVX=()
else
  why='libclang, which isolint loads when it meets a C file, could not be loaded'
  ENVX=(env ISOLINT_LIBCLANG=/nonexistent/libclang.so)
fi
run_both() { # the scan of C fixtures and the demo, in FORMAT $1
  local save=$BIN
  if [ ${#ENVX[@]} -gt 0 ]; then
    printf '#!/bin/sh\nexec %s "%s" "$@"\n' "${ENVX[*]}" "$save" >"$T/il-env"
    chmod +x "$T/il-env"
    BIN=$T/il-env
  fi
  CWD=$SRC il scan --no-config --format "$1" fixtures/c examples/worker-demo
  BIN=$save
}
run_both sarif
rc_is "C skipped: the TypeScript findings still fail the run (exit 1, not 2)" 1
cp "$OUT" "$T/both.sarif"
js "C skipped: exactly one notification about it" "$T/both.sarif" \
  'j.runs[0].invocations[0].toolExecutionNotifications.filter((n) => /C files are not analyzed/.test(n.message.text)).length === 1'
js "C skipped: it names the first C file, the count of the others and why" "$T/both.sarif" "
((n) => n.level === 'warning' && n.descriptor.id === 'ISOL0003' &&
/^fixtures\/c\/.*\.c\$/.test(n.locations[0].physicalLocation.artifactLocation.uri) &&
/^Skipped this file and [0-9]+ other C files: /.test(n.message.text) && n.message.text.includes('$why'))(
j.runs[0].invocations[0].toolExecutionNotifications.find((n) => /C files are not analyzed/.test(n.message.text)))"
js "C skipped: the TypeScript results are those of a scan without the C files" "$T/both.sarif" "
JSON.stringify(JSON.parse(require('fs').readFileSync('$T/ts-alone.sarif', 'utf8')).runs[0].results) === JSON.stringify(j.runs[0].results)"
run_both concise
# (concise prints notifications once, with the findings on stdout)
out_has "C skipped: concise format, the warning" "$why"
check "C skipped: the warning is printed once" bash -c "[ \"\$(cat '$OUT' '$ERR' | grep -c 'C files are not analyzed')\" = 1 ]"
if [ ${#ENVX[@]} -gt 0 ]; then
  out_has "libclang missing: says how to install it" "apt-get install libclang1-14"
fi

# a single C file: the same warning, without the count
run_one() {
  local save=$BIN
  [ ${#ENVX[@]} -gt 0 ] && BIN=$T/il-env
  CWD=$SRC il scan --no-config --format concise fixtures/c/boot-time-client/apache_child_init.c
  BIN=$save
}
run_one
rc_is "one C file skipped: exit 0 (nothing analyzed, nothing found)" 0
out_has "one C file skipped: the warning names it" "fixtures/c/boot-time-client/apache_child_init.c: warning ISOL0003 Skipped: C files are not analyzed"

if [ -n "$OTHER" ]; then
  (cd "$SRC" && "$OTHER" scan --no-config --format sarif examples/worker-demo >"$T/other.sarif" 2>/dev/null)
  check "examples/worker-demo: the same SARIF bytes as $OTHER" cmp "$T/ts-alone.sarif" "$T/other.sarif"
fi
t_done
