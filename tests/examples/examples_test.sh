#!/usr/bin/env bash
# examples/worker-demo gives exactly the findings of its expected-findings.txt
# (`path:line:col: level rule`, from the repository root), in the concise format's order.
# The demo's code carries no `// expect:` markers: users read it in code frames.
#
#     tests/examples/examples_test.sh ISOLINT_BINARY SOURCE_DIR
set -u
bin=$1
cd "$2" || exit 2
want=examples/worker-demo/expected-findings.txt
got=$("$bin" scan --no-config --format concise examples | sed -E 's/^([^ ]+) ([a-z]+) ([a-z0-9-]+) .*/\1 \2 \3/')
if [ -s "$want" ] && [ "$got" = "$(cat "$want")" ]; then
  echo "ok - examples: the findings of $want"
  exit 0
fi
echo "not ok - examples: the findings of $want"
diff <(cat "$want") <(printf '%s\n' "$got") | sed 's/^/#   /'
exit 1
