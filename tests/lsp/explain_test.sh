#!/usr/bin/env bash
# isolint explain: every rule of `isolint rules` prints docs/rules/<id>.md byte for
# byte, from the copy built into the binary (the binary runs copied into an empty
# directory, where no docs directory can be found); an unknown or missing id is
# exit 2 with the known ids.
# Usage: explain_test.sh ISOLINT_BINARY SOURCE_DIR
set -uo pipefail
. "$(dirname "$0")/../cli/lib.sh"
t_init explain "$@"

mkdir -p "$T/bin" "$T/empty"
cp "$BIN" "$T/bin/isolint"
BIN=$T/bin/isolint
CWD=$T/empty

il rules
rc_is "isolint rules exits 0" 0
ids=$(awk '{print $1}' "$OUT")
n=0
for id in $ids; do
  n=$((n + 1))
  il explain "$id"
  rc_is "explain $id exits 0" 0
  if cmp -s "$OUT" "$SRC/docs/rules/$id.md"; then
    pass "explain $id prints docs/rules/$id.md byte for byte"
  else
    fail "explain $id prints docs/rules/$id.md byte for byte" "$(cmp "$OUT" "$SRC/docs/rules/$id.md" 2>&1)"
  fi
  [ -s "$ERR" ] && fail "explain $id: nothing on stderr" "$(last_run)" || pass "explain $id: nothing on stderr"
done
[ "$n" -ge 5 ] && pass "$n rules explained" || fail "$n rules explained (expected at least 5)"

# every page in docs/rules is a rule's (no page left behind by a renamed rule)
for page in "$SRC"/docs/rules/*.md; do
  id=$(basename "$page" .md)
  if printf '%s\n' $ids | grep -qx -- "$id"; then
    pass "docs/rules/$id.md belongs to a rule"
  else
    fail "docs/rules/$id.md belongs to a rule" "'$id' is not in isolint rules"
  fi
done

il explain no-such-rule
rc_is "an unknown id exits 2" 2
err_has "the unknown id is named" "unknown rule 'no-such-rule'"
for id in $ids; do
  err_has "the known ids are listed: $id" " $id"
done
out_empty "nothing on stdout for an unknown id"

il explain MODULE-SCOPE-CLIENT
rc_is "rule ids are case-sensitive" 2

il explain
rc_is "no id exits 2" 2
err_has "no id shows the usage" "Usage: isolint explain RULE-ID"
out_empty "nothing on stdout without an id"

il explain module-scope-client lazy-singleton-client
rc_is "two ids exit 2" 2
out_empty "nothing on stdout with two ids"

il explain --help
rc_is "explain --help exits 0" 0
out_has "explain --help prints the usage" "Usage: isolint explain RULE-ID"

t_done
