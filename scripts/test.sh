#!/usr/bin/env bash
# Runs every test: installs what is missing, builds a Release tree, a TypeScript-only
# tree (-DIL_C_FRONTEND=OFF, the isolint target alone) and an
# AddressSanitizer + UndefinedBehaviorSanitizer tree, and runs the whole CTest
# suite in both (unit tests, fixtures, CLI cases, SARIF validation, hostile inputs),
# then a clang libFuzzer tree (IL_FUZZ) and its short fuzz runs (LABEL fuzz: 60 s per
# harness plus the regression inputs; docs/fuzzing.md).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
jobs=$(nproc)
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DIL_WERROR=ON >/dev/null
cmake --build build -j"$jobs" >/dev/null
echo "== tests (Release)"
ctest --test-dir build --output-on-failure -j"$jobs"
echo "== TypeScript-only build (-DIL_C_FRONTEND=OFF: no LLVM) scans the demo as the full build does"
grammar=()
[ -f build/libil_grammar.a ] && grammar=(-DIL_PREBUILT_GRAMMAR="$PWD/build/libil_grammar.a")
cmake -S . -B build-ts-only -DCMAKE_BUILD_TYPE=Release -DIL_WERROR=ON -DIL_C_FRONTEND=OFF \
  -DBUILD_TESTING=OFF "${grammar[@]}" >/dev/null
cmake --build build-ts-only -j"$jobs" --target isolint >/dev/null
IL_C_FRONTEND=OFF ISOLINT_KB_DIR="$PWD/rules/kb" \
  tests/dist/c_missing_test.sh build-ts-only/isolint . build/isolint
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DIL_SANITIZE=ON -DIL_WERROR=ON >/dev/null
cmake --build build-asan -j"$jobs" >/dev/null
echo "== tests (ASan + UBSan)"
# intercept_tls_get_addr=0: see tests/fuzz/run_fuzz.sh (LeakSanitizer's tracer can
# crash on the dynamic TLS of the dlopen'ed libclang; leaks are still detected).
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:intercept_tls_get_addr=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build-asan --output-on-failure -j"$jobs"
cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=Debug -DIL_FUZZ=ON -DIL_WERROR=ON \
  -DCMAKE_C_COMPILER=clang >/dev/null
cmake --build build-fuzz -j"$jobs" >/dev/null
echo "== fuzz (libFuzzer + ASan + UBSan, 60 s per harness)"
ctest --test-dir build-fuzz -L fuzz --output-on-failure
