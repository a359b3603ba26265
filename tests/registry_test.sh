#!/usr/bin/env bash
# Every registered rule has a unique id, a doc page docs/rules/<id>.md, and a
# fixture folder fixtures/<lang>/<id>/ (ts, c) holding at least one file.
# Usage: registry_test.sh ISOLINT SOURCE_DIR
set -uo pipefail
isolint=$1
src=$2
pass=0 fail=0
ok() { echo "ok - $1"; pass=$((pass + 1)); }
bad() { echo "not ok - $1"; fail=$((fail + 1)); }
ids=$("$isolint" rules | awk '{print $1}')
[ -n "$ids" ] && ok "isolint rules lists rules" || bad "isolint rules lists rules"
dups=$(printf '%s\n' "$ids" | sort | uniq -d)
[ -z "$dups" ] && ok "rule ids are unique" || bad "rule ids are unique: $dups"
for id in $ids; do
  [[ "$id" =~ ^[a-z]+(-[a-z]+)*$ ]] && ok "$id is kebab-case" || bad "$id is kebab-case"
  [ -s "$src/docs/rules/$id.md" ] && ok "$id has docs/rules/$id.md" || bad "$id has docs/rules/$id.md"
  n=$(find "$src"/fixtures/*/"$id" -type f 2>/dev/null | wc -l)
  [ "$n" -gt 0 ] && ok "$id has fixtures ($n files)" || bad "$id has fixtures/<lang>/$id/"
done
# docs/usage.md shows the `isolint rules` output as it is
# (a console block: its `$ isolint rules` line is not output)
doc=$(awk '/^`isolint rules` prints/{f=1;next} f&&/^```/{if(in_block){exit}in_block=1;next} f&&in_block&&!/^\$ /' "$src/docs/usage.md")
[ -n "$doc" ] && [ "$doc" = "$("$isolint" rules)" ] && ok "docs/usage.md lists exactly what isolint rules prints" ||
  bad "docs/usage.md lists exactly what isolint rules prints"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
