# Shared by tests/cli/cli_test.sh and tests/hostile/hostile_test.sh (sourced, not run).
#
# Each script calls `t_init NAME "$@"` with its ISOLINT_BINARY and SOURCE_DIR arguments, runs
# the binary with `il ARGS...` and checks the result with the assertion helpers below. Every
# assertion prints `ok - NAME` or `not ok - NAME` (followed by `#` diagnostic lines), and
# `t_done` prints `N passed, N failed` and exits 1 on any failure.
#
# Works with an ASan/UBSan build of isolint: any sanitizer report on stderr, a crash or a
# timeout (every run is wrapped in `timeout`) is a failure of its own, whatever the
# assertions about that run say.

t_init() {
  T_NAME=$1
  shift
  if [ $# -ne 2 ]; then
    echo "usage: $0 ISOLINT_BINARY SOURCE_DIR" >&2
    exit 2
  fi
  BIN=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
  SRC=$(cd "$2" && pwd)
  if [ ! -x "$BIN" ] || [ -d "$BIN" ]; then
    echo "$0: $1: not an executable file" >&2
    exit 2
  fi
  if ! command -v node >/dev/null 2>&1; then
    echo "$0: node is needed for the JSON checks" >&2
    exit 2
  fi
  export ISOLINT_KB_DIR=${ISOLINT_KB_DIR:-$SRC/rules/kb}
  # The environment of the caller must not change what is tested; tests set these explicitly.
  unset NO_COLOR
  export LC_ALL=C
  T=$(mktemp -d "${TMPDIR:-/tmp}/isolint-$T_NAME.XXXXXX") || exit 2
  trap t_cleanup EXIT
  trap 'exit 2' HUP INT TERM
  OUT=$T/.stdout
  ERR=$T/.stderr
  PASS=0
  FAIL=0
  RUNS=0
  BAD_RUNS=0
  RC=0
  IL_TIMEOUT=${IL_TIMEOUT:-120}
}

t_cleanup() {
  # unreadable files and directories made by the tests must not stop the removal
  chmod -R u+rwx "$T" 2>/dev/null
  rm -rf "$T"
}

t_done() {
  echo "$PASS passed, $FAIL failed"
  [ "$FAIL" -eq 0 ] && exit 0
  exit 1
}

# A printable form of a command line (file names may hold newlines or escapes).
t_show() {
  local s
  s=$(printf '%q ' "$@")
  printf '%s' "${s% }"
}

pass() {
  PASS=$((PASS + 1))
  echo "ok - $1"
}

# fail NAME [DIAGNOSTIC...]
fail() {
  FAIL=$((FAIL + 1))
  echo "not ok - $1"
  shift
  local l
  for l in "$@"; do
    printf '%s\n' "$l" | head -c 2000 | sed 's/^/#   /'
  done
}

skip() {
  PASS=$((PASS + 1))
  echo "ok - $1 # SKIP $2"
}

# The last command, its status and stderr, for a failing assertion about a file.
last_cmd() {
  printf 'last command: %s\nexit status: %s\n' "$LAST_CMD" "$RC"
  if [ -s "$ERR" ]; then
    printf -- '--- stderr (head):\n'
    head -c 1000 "$ERR" | head -n 8 | cat -v
  fi
}

# Diagnostics about the last run, for a failing assertion.
last_run() {
  printf 'command: %s\nexit status: %s\n' "$LAST_CMD" "$RC"
  printf -- '--- stdout (head):\n'
  head -c 1500 "$OUT" | head -n 15 | cat -v
  printf -- '--- stderr (head):\n'
  head -c 1500 "$ERR" | head -n 15 | cat -v
}

# Checks a finished run's stderr/status for sanitizer reports, crashes and timeouts.
# t_check_run STATUS STDERR_FILE COMMAND_TEXT
t_check_run() {
  local rc=$1 err=$2 cmd=$3
  if grep -qE 'AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|ThreadSanitizer|MemorySanitizer|runtime error:' "$err" 2>/dev/null; then
    BAD_RUNS=$((BAD_RUNS + 1))
    fail "no sanitizer report: $cmd" "$(grep -m 8 -E 'Sanitizer|runtime error:|#[0-9] ' "$err")"
  elif [ "$rc" -eq 124 ]; then
    BAD_RUNS=$((BAD_RUNS + 1))
    fail "finishes within ${IL_TIMEOUT}s: $cmd" "killed by timeout"
  elif [ "$rc" -ge 125 ]; then
    BAD_RUNS=$((BAD_RUNS + 1))
    fail "no crash: $cmd" "exit status $rc (signal $((rc - 128)))" "$(head -n 8 "$err")"
  fi
}

# il ARGS...: runs isolint in directory $CWD (default $T), stdin from /dev/null,
# stdout in $OUT, stderr in $ERR, exit status in $RC. Environment assignments placed
# before `il` reach isolint.
il() {
  LAST_CMD="(cd ${CWD:-$T}) isolint $(t_show "$@")"
  # (the outer 2>/dev/null only silences bash's own "Aborted"/"Segmentation fault" notice)
  { (cd "${CWD:-$T}" && exec timeout "$IL_TIMEOUT" "$BIN" "$@") >"$OUT" 2>"$ERR" </dev/null; RC=$?; } 2>/dev/null
  RUNS=$((RUNS + 1))
  t_check_run "$RC" "$ERR" "isolint $(t_show "$@")"
  return 0
}

# il_in FILE ARGS...: like il, with standard input read from FILE.
il_in() {
  local in=$1
  shift
  LAST_CMD="(cd ${CWD:-$T}) isolint $(t_show "$@") < $in"
  { (cd "${CWD:-$T}" && exec timeout "$IL_TIMEOUT" "$BIN" "$@") >"$OUT" 2>"$ERR" <"$in"; RC=$?; } 2>/dev/null
  RUNS=$((RUNS + 1))
  t_check_run "$RC" "$ERR" "isolint $(t_show "$@")"
  return 0
}

# ---- assertions about the last run -----------------------------------------------------

# rc_is NAME STATUS...: the exit status is one of STATUS.
rc_is() {
  local name=$1 s
  shift
  for s in "$@"; do
    if [ "$RC" = "$s" ]; then
      pass "$name"
      return 0
    fi
  done
  fail "$name" "expected exit status $*" "$(last_run)"
  return 1
}

# out_has NAME STRING / err_has / out_lacks / err_lacks: fixed-string search.
out_has() {
  if grep -qF -- "$2" "$OUT"; then pass "$1"; else fail "$1" "stdout lacks: $2" "$(last_run)"; fi
}
err_has() {
  if grep -qF -- "$2" "$ERR"; then pass "$1"; else fail "$1" "stderr lacks: $2" "$(last_run)"; fi
}
out_lacks() {
  if grep -qF -- "$2" "$OUT"; then fail "$1" "stdout has: $2" "$(last_run)"; else pass "$1"; fi
}
err_lacks() {
  if grep -qF -- "$2" "$ERR"; then fail "$1" "stderr has: $2" "$(last_run)"; else pass "$1"; fi
}
out_empty() {
  if [ -s "$OUT" ]; then fail "$1" "stdout is not empty" "$(last_run)"; else pass "$1"; fi
}
# out_line NAME REGEX: some stdout line matches the extended regex.
out_line() {
  if grep -qE -- "$2" "$OUT"; then pass "$1"; else fail "$1" "no stdout line matches: $2" "$(last_run)"; fi
}

# check NAME COMMAND...: passes when COMMAND succeeds.
check() {
  local name=$1
  shift
  if "$@"; then pass "$name"; else fail "$name" "failed: $(t_show "$@")"; fi
}

# js NAME FILE EXPR: FILE parses as JSON and the JavaScript expression EXPR (over `j`, the
# parsed value, and `paths`, the sorted result paths when j has JSON-report "results")
# is truthy.
js() {
  local name=$1 file=$2 expr=$3 msg
  if msg=$(node - "$file" "$expr" 2>&1 <<'EOF'
const fs = require('fs');
const [file, expr] = process.argv.slice(2);
let j;
try {
  j = JSON.parse(fs.readFileSync(file, 'utf8'));
} catch (e) {
  console.log(`not JSON: ${e.message}`);
  process.exit(1);
}
const paths = Array.isArray(j.results) && j.results.every((r) => typeof r.path === 'string')
  ? j.results.map((r) => r.path).sort() : [];
let v;
try {
  v = new Function('j', 'paths', `return (${expr});`)(j, paths);
} catch (e) {
  console.log(`threw: ${e.message}`);
  process.exit(1);
}
if (!v) {
  const brief = (x) => JSON.stringify(x, (k, val) => (k === 'message' || k === 'rules' ? undefined : val));
  console.log(`false: ${expr}`);
  if (j.results) console.log(`results: ${brief(j.results).slice(0, 1200)}`);
  if (j.notifications) console.log(`notifications: ${brief(j.notifications).slice(0, 600)}`);
  if (j.runs) console.log(`sarif results: ${brief((j.runs[0] || {}).results || []).slice(0, 1200)}`);
  process.exit(1);
}
EOF
  ); then
    pass "$name"
  else
    fail "$name" "$msg" "$(last_cmd)"
  fi
}

# sarif_ok NAME FILE...: tests/sarif/validate.sh accepts every FILE.
sarif_ok() {
  local name=$1 log=$T/.validate.log
  shift
  if timeout 300 sh "$SRC/tests/sarif/validate.sh" "$@" >"$log" 2>&1; then
    pass "$name"
  else
    fail "$name" "tests/sarif/validate.sh failed:" "$(head -n 20 "$log")"
  fi
}

# Writes FILE (creating its directory) with the printf-format-free text TEXT.
mk() {
  mkdir -p "$(dirname "$1")"
  printf '%s' "$2" >"$1"
}

# no_esc FILE: FILE has no ESC byte.
no_esc() {
  ! grep -q "$(printf '\033')" "$1"
}
has_esc() {
  grep -q "$(printf '\033')" "$1"
}

# valid_utf8 FILE: FILE is valid UTF-8 (no raw invalid bytes reach the terminal).
valid_utf8() {
  node -e 'new TextDecoder("utf-8", {fatal: true}).decode(require("fs").readFileSync(process.argv[1]))' "$1" 2>/dev/null
}
