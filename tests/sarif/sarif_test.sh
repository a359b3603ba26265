#!/usr/bin/env bash
# SARIF checks: every SARIF the suite produces from fixtures/ and examples/ passes
# the SARIF Multitool (rule kinds Sarif;Gh) with no error or warning, and the demo's
# report matches its golden file byte for byte.
# Usage: sarif_test.sh ISOLINT SOURCE_DIR
set -uo pipefail
isolint=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
check() { # name, command...
  local name=$1
  shift
  if "$@" >"$tmp/out" 2>&1; then
    echo "ok - $name"
    pass=$((pass + 1))
  else
    echo "not ok - $name"
    sed 's/^/    /' "$tmp/out"
    fail=$((fail + 1))
  fi
}
cd "$src" || exit 2
scan() { # output, paths...
  local out=$1
  shift
  "$isolint" scan --no-config --format sarif --output "$out" "$@"
  [ $? -le 1 ]
}
check "scan fixtures/ts to SARIF" scan "$tmp/fixtures.sarif" fixtures/ts
check "scan examples to SARIF" scan "$tmp/examples.sarif" examples
for d in fixtures/ts/*/; do
  name=$(basename "$d")
  check "scan fixtures/ts/$name to SARIF" scan "$tmp/$name.sarif" "$d"
done
check "empty result is valid SARIF" scan "$tmp/empty.sarif" fixtures/ts/module-scope-client/non-client-objects-negative.ts
check "multitool validates every SARIF" bash tests/sarif/validate.sh "$tmp"/*.sarif
check "demo SARIF matches tests/sarif/demo/expected.sarif" \
  diff -u tests/sarif/demo/expected.sarif "$tmp/examples.sarif"
# help: each rule's page as help.markdown, links nowhere unknown; helpUri only with "docsUrl"
# (markdown links outside code spans and fenced blocks, which are text)
links='(m) => m.split(/^```.*$/m).filter((x, i) => i % 2 === 0).join("").replace(/`[^`\n]*`/g, "").match(/\]\([^)]*\)/g) || []'
check "SARIF help.markdown is the rule's page (docs/rules/<id>.md), its relative links made text" node -e "
const j = JSON.parse(require('fs').readFileSync(process.argv[1], 'utf8'));
const links = $links;
const ok = j.runs[0].tool.driver.rules.every((r) => r.help.markdown.startsWith('# ' + r.id + '\n') &&
  r.help.markdown.length > 1000 && links(r.help.markdown).every((l) => l.startsWith('](https://')) &&
  r.helpUri === undefined);
process.exit(ok ? 0 : 1);" "$tmp/examples.sarif"
printf '{ "docsUrl": "https://docs.example.com/isolint/{rule}.html" }\n' >"$tmp/docs.json"
check "scan with a docsUrl to SARIF" "$isolint" scan --config "$tmp/docs.json" --format sarif --output "$tmp/docsurl.sarif" --exit-zero examples
check "docsUrl: helpUri is the rule's page there, and links to other rules' pages point there" node -e "
const j = JSON.parse(require('fs').readFileSync(process.argv[1], 'utf8'));
const links = $links;
const rules = j.runs[0].tool.driver.rules;
const ok = rules.every((r) => r.helpUri === 'https://docs.example.com/isolint/' + r.id + '.html') &&
  rules.some((r) => links(r.help.markdown).includes('](https://docs.example.com/isolint/module-scope-client.html#across-files)'));
process.exit(ok ? 0 : 1);" "$tmp/docsurl.sarif"
check "multitool validates the SARIF with helpUri" bash tests/sarif/validate.sh "$tmp/docsurl.sarif"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
