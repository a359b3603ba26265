#!/usr/bin/env bash
# Per-file configuration in a monorepo (docs/config.md, "Where the configuration comes from"):
# the nearest isolint.json files merged root first, globs relative to the file holding them,
# the same findings whatever the argument order or the working directory, "overrides", JSON
# with comments, "root": true and the top of the repository, explicit files and "exclude"
# (--force), `isolint config --print PATH`, run-wide keys, and a bad package config.
#
#     tests/config/monorepo_test.sh ISOLINT_BINARY SOURCE_DIR
#
# Each case compares against what the configuration must give, so it fails when the
# resolution is broken (a config read from the first PATH only, globs relative to the current
# directory, overrides ignored...).
set -u
# shellcheck source=tests/cli/lib.sh disable=SC2034  # CWD is read by lib.sh
. "$(cd "$(dirname "$0")/../cli" && pwd)/lib.sh"
t_init config-monorepo "$@"

NL=$'\n'
POOL='import { Pool } from "pg";'$NL'export const pool = new Pool();'$NL

# found: "PATH RULE LEVEL" of every result of the JSON report in $OUT, sorted, one per line
found() {
  node -e '
    const j = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    console.log(j.results.map((r) => `${r.path} ${r.ruleId} ${r.level}`).sort().join("\n"));
  ' "$OUT"
}

# results_are NAME LINE...: the results are exactly these "PATH RULE LEVEL" lines
results_are() {
  local name=$1 want got
  shift
  want=$(printf '%s\n' "$@" | sed '/^$/d' | sort)
  got=$(found)
  if [ "$got" = "$want" ]; then
    pass "$name"
  else
    fail "$name" "want: $(echo $want)" "got:  $(echo $got)" "$(last_cmd)"
  fi
}

# ==== a monorepo: root config, a package config, an app config ===========================
M=$T/mono
mkdir -p "$M/.git" # the top of a repository: the search stops here
mk "$M/isolint.json" '{
  // the root: JSONC with comments and trailing commas
  "rules": { "module-scope-client": "warning", "lazy-singleton-client": "warning", },
  "exclude": ["apps/web/src/generated"], /* relative to this file, wherever isolint runs */
  "overrides": [
    { "files": ["packages/*/scripts/**"], "rules": { "module-scope-client": "off" } },
  ],
}
'
mk "$M/apps/web/isolint.json" '{
  "rules": { "module-scope-client": "off" },
  "overrides": [ { "files": ["src/worker.ts"], "rules": { "module-scope-client": "error" } } ]
}
'
mk "$M/apps/web/src/worker.ts" "$POOL"
mk "$M/apps/web/src/other.ts" "$POOL"
mk "$M/apps/web/src/generated/gen.ts" "$POOL"
mk "$M/packages/db/src/index.ts" "$POOL"
mk "$M/packages/db/scripts/seed-pool.ts" "$POOL"
mk "$M/packages/db/isolint.json" '{ "include": ["src", "scripts"], "nodeCode": [] }'

WANT=(
  "apps/web/src/worker.ts module-scope-client error"
  "packages/db/src/index.ts module-scope-client warning"
)
CWD=$M
il scan --format json apps/web packages
rc_is "monorepo: scan apps/web packages: exit 1" 1
results_are "monorepo: scan apps/web packages: the nearest configs merged, overrides applied" "${WANT[@]}"
il scan --format json packages apps/web
results_are "monorepo: scan packages apps/web: the same findings (argument order)" "${WANT[@]}"
il scan --format json
results_are "monorepo: scan of the root: the same findings" "${WANT[@]}"
il scan --format json apps/web/src/other.ts packages/db/src/index.ts apps/web/src/worker.ts
results_are "monorepo: files named in any order: each gets its own configuration" "${WANT[@]}"

# run from a package directory, as turbo or pnpm -r do: the root's globs still match
CWD=$M/apps/web
il scan --format json
rc_is "from apps/web: exit 1" 1
results_are "from apps/web: the root's exclude and the app's override apply as from the root" \
  "src/worker.ts module-scope-client error"
js "from apps/web: the root's exclude (apps/web/src/generated) skips gen.ts" "$OUT" 'j.filesAnalyzed === 2'
CWD=$M
il scan --format json apps/web
js "from the root: the same two files" "$OUT" 'j.filesAnalyzed === 2'
CWD=$M/apps/web
CWD=$M/packages/db
il scan --format json .
results_are "from packages/db: the root's override (packages/*/scripts/**) still matches" \
  "src/index.ts module-scope-client warning"
CWD=$M/apps
il scan --format json web ../packages
results_are "from apps: the same findings as from the root" \
  "../packages/db/src/index.ts module-scope-client warning" "web/src/worker.ts module-scope-client error"

# ==== isolint config --print PATH ==========================================================
CWD=$M
il config --print apps/web/src/worker.ts
rc_is "config --print FILE: exit 0" 0
REAL=$(cd "$M" && pwd -P)
js "config --print FILE: files, farthest first" "$OUT" \
  "JSON.stringify(j.files) === JSON.stringify(['$REAL/isolint.json', '$REAL/apps/web/isolint.json'])"
js "config --print FILE: the matching override" "$OUT" \
  "JSON.stringify(j.overrides) === JSON.stringify(['$REAL/apps/web/isolint.json: overrides[0]'])"
js "config --print FILE: the override's level" "$OUT" "j.rules['module-scope-client'] === 'error'"
js "config --print FILE: the root's rule level survives the merge" "$OUT" \
  "j.rules['lazy-singleton-client'] === 'warning'"
il config --print apps/web/src/other.ts
js "config --print another FILE: no override, the app's level" "$OUT" \
  "j.overrides.length === 0 && j.rules['module-scope-client'] === 'off'"
il config --print packages/db
js "config --print DIR: the root's and the package's files" "$OUT" \
  "j.files.length === 2 && j.config === '$REAL/packages/db/isolint.json' && j.nodeCode.length === 0"
CWD=$M/apps/web
il config --print src/worker.ts
js "config --print from another directory: the same" "$OUT" \
  "j.files.length === 2 && j.rules['module-scope-client'] === 'error'"

# ==== explicit files honour exclude (the pre-commit framework passes file names) ==========
CWD=$M
il scan --format json apps/web/src/generated/gen.ts
rc_is "explicit file excluded by the root's isolint.json: exit 0" 0
js "explicit excluded file: not analyzed, a note names --force" "$OUT" \
  "j.filesAnalyzed === 0 && j.notifications.some((n) => n.message.includes('--force'))"
CWD=$M/apps/web
il scan --format json src/generated/gen.ts
js "explicit excluded file from apps/web: the root's exclude still applies" "$OUT" "j.filesAnalyzed === 0"
CWD=$M
il scan --format json --force apps/web/src/generated/gen.ts
rc_is "explicit excluded file with --force: analyzed" 0 1
js "explicit excluded file with --force: analyzed (filesAnalyzed 1)" "$OUT" "j.filesAnalyzed === 1"

# ==== where the search stops ================================================================
R=$T/outer
mk "$R/isolint.json" '{ "rules": { "module-scope-client": "off" } }'
mk "$R/repo/.git" 'gitdir: /elsewhere' # a worktree's .git file
mk "$R/repo/a.ts" "$POOL"
CWD=$R/repo
il scan --format json .
results_are "search stops at the top of the repository (.git): the outer isolint.json is not read" \
  "a.ts module-scope-client error"
mk "$R/plain/sub/isolint.json" '{ "root": true }'
mk "$R/plain/sub/a.ts" "$POOL"
mk "$R/plain/b.ts" "$POOL"
CWD=$R/plain
il scan --format json .
results_are "\"root\": true stops the search; without it the parent's config applies" \
  "sub/a.ts module-scope-client error"
il config --print sub
js "config --print below root: true: its file only" "$OUT" "j.files.length === 1"

# ==== run-wide keys ==========================================================================
W=$T/wide
mkdir -p "$W/.git"
mk "$W/isolint.json" '{}'
mk "$W/a/isolint.json" '{ "clients": [{ "module": "@acme/db", "export": "AcmeClient" }], "docsUrl": "https://docs.example.com/a/" }'
mk "$W/b/worker.ts" "import { AcmeClient } from \"@acme/db\";${NL}export const c = new AcmeClient();$NL"
mk "$W/a/x.ts" ''
CWD=$W
il scan --format json b a
results_are "clients of a package config are run-wide: b's AcmeClient is a client" \
  "b/worker.ts module-scope-client error"
js "docsUrl of a nearer config: a note says it is not used" "$OUT" \
  "j.notifications.some((n) => n.path === 'a/isolint.json' && n.message.includes('\"docsUrl\" here is not used'))"
il scan --format json a b
results_are "clients: the same in the other argument order" "b/worker.ts module-scope-client error"

# a package config met only through an import (a context file outside the scanned paths)
# comes after the knowledge base is made: its clients get a note, not a silent ignore
mk "$W/lib/isolint.json" '{ "clients": [{ "module": "@acme/kv", "export": "Kv" }] }'
mk "$W/lib/kv.ts" "export const kv = 1;$NL"
mk "$W/app/main.ts" "import { kv } from \"../lib/kv\";${NL}import { AcmeClient } from \"@acme/db\";${NL}export const c = new AcmeClient(kv);$NL"
CWD=$W
il scan --format json app
js "clients of a config met only through an import: a note says they are not used" "$OUT" \
  "j.notifications.some((n) => n.path === 'lib/isolint.json' && n.message.includes('\"clients\" here are not used'))"

# ==== a bad package config stops the scan, naming the file and the line ===================
B=$T/bad
mkdir -p "$B/.git"
mk "$B/ok.ts" "$POOL"
mk "$B/pkg/isolint.json" '{
  "rules": { "module-scope-client": "off" }
  "exclude": []
}
'
CWD=$B
il scan .
rc_is "bad package isolint.json: exit 2" 2
err_has "bad package isolint.json: the message names the file and line" "pkg/isolint.json:3:"
mk "$B/pkg/isolint.json" '{
  /* a block comment
     over two lines */ "rules": {}, // and a line comment
  "exclude": ["x",],
  "target": nope
}
'
il scan .
rc_is "JSONC with an error after comments: exit 2" 2
err_has "JSONC: the line and column of the error are the file's (comments kept their lines)" "pkg/isolint.json:5:"
mk "$B/pkg/isolint.json" '{ /* not closed
  "rules": {}
}
'
il scan .
rc_is "unclosed comment: exit 2" 2
err_has "unclosed comment: names the file and line" "pkg/isolint.json:1: a /* comment is not closed"
mk "$B/pkg/isolint.json" '{ "overrides": [{ "rules": {} }] }'
il scan .
rc_is "override without files: exit 2" 2
err_has "override without files: named" 'overrides[0]: "files" must list at least one glob'
mk "$B/pkg/isolint.json" '{ "overrides": [{ "files": ["x"], "exclude": [] }] }'
il scan .
err_has "override with an unknown key: named" 'overrides[0]: unknown key "exclude"'
mk "$B/pkg/isolint.json" '{ "rules": { "module-scope-client": "off", }, "s": "a // not a comment, /* nor this */", }'
il config --print pkg
err_has "JSONC: comment markers inside a string stay text (unknown key \"s\")" 'unknown key "s"'

# ==== --config FILE: one file for everything, globs relative to the current directory =====
CWD=$M
il scan --format json --config "$M/apps/web/isolint.json" apps/web
results_are "--config FILE: its override globs match display paths, no other file is read" ""
il scan --format json --config "$M/apps/web/isolint.json" apps/web/src/worker.ts
results_are "--config FILE: a file its override does not name (paths from the current directory)" ""

t_done
