#!/usr/bin/env bash
# Runs one libFuzzer harness for CTest (tests/fuzz/CMakeLists.txt):
#   run_fuzz.sh fuzz HARNESS NAME SOURCE_DIR WORK_DIR [SECONDS]
#       fuzzes for SECONDS (default 60, or $IL_FUZZ_SECONDS) from the seed corpus
#       WORK_DIR/corpus/NAME, adding what it finds to WORK_DIR/work/NAME; a crash,
#       leak, timeout (10 s per input, 30 s for C) or 2 GB of memory fails the test and leaves
#       the input in WORK_DIR/artifacts/; libFuzzer's seed is $IL_FUZZ_SEED (default 1)
#   run_fuzz.sh regress HARNESS NAME SOURCE_DIR WORK_DIR
#       runs every input of tests/fuzz/regressions/NAME through the harness once
set -euo pipefail
mode=$1 bin=$2 name=$3 src=$4 work=$5
# intercept_tls_get_addr=0: libclang is dlopen'ed, so its thread-local storage is
# dynamic TLS, and the LeakSanitizer of clang 14 / gcc 12 can crash in its tracer
# ("Tracer caught signal 11") when it scans stale dynamic-TLS ranges at exit
# (google/sanitizers#1267, fixed in LLVM 17 by D147459). Leaks are still detected.
export ASAN_OPTIONS="intercept_tls_get_addr=0${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
export LSAN_OPTIONS="suppressions=$src/tests/fuzz/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"
dict=()
[ -f "$src/tests/fuzz/$name.dict" ] && dict=(-dict="$src/tests/fuzz/$name.dict")
# the SARIF seeds are large (rule metadata): without this they would be truncated.
# libclang (with the prelude's reparses) takes up to ~1 s on some seeds on an idle
# machine, so the C harness gets more time per input than the others' 10 s.
timeout=10
case "$name" in
  baseline) dict+=(-max_len=131072) ;;
  config) dict+=(-max_len=16384) ;;
  c) timeout=30 ;;
esac
mkdir -p "$work/artifacts"
case "$mode" in
  fuzz)
    secs=${6:-${IL_FUZZ_SECONDS:-60}}
    mkdir -p "$work/work/$name"
    # a fixed seed (IL_FUZZ_SEED, default 1) so that a CI run mutates the same way each time;
    # IL_FUZZ_SEED=0 lets libFuzzer pick one
    exec "$bin" -seed="${IL_FUZZ_SEED:-1}" -max_total_time="$secs" -timeout="$timeout" -rss_limit_mb=2048 -print_final_stats=1 \
      -artifact_prefix="$work/artifacts/$name-" "${dict[@]}" "$work/work/$name" "$work/corpus/$name"
    ;;
  regress)
    shopt -s nullglob
    inputs=("$src/tests/fuzz/regressions/$name"/*)
    if ((${#inputs[@]} == 0)); then
      echo "run_fuzz.sh: no regression inputs in tests/fuzz/regressions/$name" >&2
      exit 1
    fi
    exec "$bin" -timeout="$timeout" -rss_limit_mb=2048 -artifact_prefix="$work/artifacts/$name-" \
      "${inputs[@]}"
    ;;
  *)
    echo "run_fuzz.sh: unknown mode '$mode'" >&2
    exit 2
    ;;
esac
