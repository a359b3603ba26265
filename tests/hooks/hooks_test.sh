#!/usr/bin/env bash
# `isolint scan --staged`, `isolint install-hook`, the pre-commit manifest (.pre-commit-hooks.yaml)
# and the examples of docs/pre-commit.md, against real git repositories made in a temporary
# directory and the real pre-commit tool (Debian's 3.0.4 or later). No network: the hooks use
# `language: system`, and the "remote" hook repository is a local clone.
#
# usage: hooks_test.sh ISOLINT_BINARY SOURCE_DIR
set -u
. "$(dirname "$0")/../cli/lib.sh"
t_init hooks "$@"

for tool in git pre-commit python3; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "$0: $tool is needed (scripts/setup.sh installs it)" >&2
    exit 2
  fi
done

# ---- a private, reproducible git and pre-commit ------------------------------------------------
# Nothing of the caller's git (a GIT_DIR or GIT_INDEX_FILE set because the suite runs from a hook,
# their ~/.gitconfig) or pre-commit cache may leak in.
for v in $(env | sed -n 's/^\(GIT_[A-Za-z0-9_]*\)=.*/\1/p'); do
  unset "$v"
done
unset PRE_COMMIT PRE_COMMIT_ALLOW_NO_CONFIG PRE_COMMIT_COLOR SKIP
# (an empty global config of our own rather than /dev/null: a `git config --global` would replace
# the device by a file when run as root)
: >"$T/gitconfig"
export GIT_CONFIG_GLOBAL=$T/gitconfig GIT_CONFIG_NOSYSTEM=1
export HOME=$T/home XDG_CACHE_HOME=$T/cache PRE_COMMIT_HOME=$T/pre-commit-home
mkdir -p "$HOME"
# isolint on PATH, as an installed one would be
mkdir -p "$T/bin"
ln -s "$BIN" "$T/bin/isolint"
export PATH="$T/bin:$PATH"
# a PATH holding git and nothing else (no isolint)
mkdir -p "$T/gitbin"
ln -s "$(command -v git)" "$T/gitbin/git"
REAL_BIN=$(realpath "$BIN")

BAD='import { Pool } from "pg";
const pool = new Pool();
export default { async fetch() { return pool.query("select 1"); } };
'
GOOD='import { Pool } from "pg";
export default { async fetch(req, env) { const pool = new Pool(); return pool.query("select 1"); } };
'

# run COMMAND...: runs it in $CWD (default $T) like `il` does isolint: stdin from /dev/null,
# stdout in $OUT, stderr in $ERR, status in $RC, with the same crash/sanitizer/timeout checks.
run() {
  LAST_CMD="(cd ${CWD:-$T}) $(t_show "$@")"
  { (cd "${CWD:-$T}" && exec timeout "$IL_TIMEOUT" "$@") >"$OUT" 2>"$ERR" </dev/null; RC=$?; } 2>/dev/null
  RUNS=$((RUNS + 1))
  t_check_run "$RC" "$ERR" "$(t_show "$@")"
  return 0
}

# any_line NAME REGEX: a line of stdout or stderr of the last run matches (git prints a hook's
# output on stderr; pre-commit on stdout).
any_line() {
  if cat "$OUT" "$ERR" | grep -qE -- "$2"; then pass "$1"; else fail "$1" "no output line matches: $2" "$(last_run)"; fi
}
any_lacks() {
  if cat "$OUT" "$ERR" | grep -qF -- "$2"; then fail "$1" "the output has: $2" "$(last_run)"; else pass "$1"; fi
}
# rc_not NAME STATUS: the last run did not exit with STATUS.
rc_not() {
  if [ "$RC" != "$2" ]; then pass "$1"; else fail "$1" "unexpected exit status $2" "$(last_run)"; fi
}

# new_repo DIR: a fresh repository with an identity and no commit.
new_repo() {
  rm -rf "$1"
  git -c init.defaultBranch=main init -q "$1" &&
    git -C "$1" config user.name "Hook Test" &&
    git -C "$1" config user.email hooks@example.com &&
    git -C "$1" config commit.gpgsign false
}

# commits DIR: the number of commits on HEAD (0 before the first).
commits() {
  git -C "$1" rev-list --count HEAD 2>/dev/null || echo 0
}

# paths_are NAME JSON_FILE PATH...: the result paths of an isolint JSON report are exactly PATH...
# (any bytes but NUL, compared exactly).
paths_are() {
  local name=$1 file=$2 msg
  shift 2
  if msg=$(node - "$file" "$@" 2>&1 <<'EOF'
const fs = require('fs');
const [file, ...want] = process.argv.slice(2);
let j;
try { j = JSON.parse(fs.readFileSync(file, 'utf8')); } catch (e) { console.log(`not JSON: ${e.message}`); process.exit(1); }
const got = (j.results || []).map((r) => r.path).sort();
const exp = [...want].sort();
if (JSON.stringify(got) !== JSON.stringify(exp)) {
  console.log(`paths: ${JSON.stringify(got)}\nwanted: ${JSON.stringify(exp)}`);
  process.exit(1);
}
EOF
  ); then pass "$name"; else fail "$name" "$msg" "$(last_cmd)"; fi
}

# ==== isolint scan --staged ======================================================================

# -- outside a repository, without git, inside .git
mkdir -p "$T/norepo"
CWD=$T/norepo il scan --staged
rc_is "staged: not a repository -> exit 2" 2
err_has "staged: not a repository is said" "isolint: --staged: not inside a git repository"
out_empty "staged: not a repository prints no report"

R=$T/s1
new_repo "$R"
mk "$R/bad.ts" "$BAD"
LAST_CMD="(cd $R) PATH=$T/nowhere isolint scan --staged"
(cd "$R" && PATH=$T/nowhere exec "$BIN" scan --staged) >"$OUT" 2>"$ERR" </dev/null
RC=$?
t_check_run "$RC" "$ERR" "isolint scan --staged (no git on PATH)"
rc_is "staged: git missing -> exit 2" 2
err_has "staged: git missing is said" "cannot run git: not found on PATH"

CWD=$R/.git il scan --staged
rc_is "staged: inside .git -> exit 2" 2
err_has "staged: inside .git is said" "not inside a git work tree"

il scan --staged "$R"
rc_is "staged: --staged with a PATH -> exit 2" 2

# -- a repository with no commit yet
CWD=$R il scan --staged --format json
rc_is "staged: unborn repository, nothing staged -> exit 0" 0
js "staged: nothing staged -> empty report" "$OUT" 'j.results.length === 0 && j.filesAnalyzed === 0'
CWD=$R il scan bad.ts
rc_is "staged: (control) the unstaged work-tree file has a finding" 1

git -C "$R" add bad.ts
mk "$R/good.ts" "$GOOD"
git -C "$R" add good.ts
CWD=$R il scan --staged --format json
rc_is "staged: unborn repository, staged bad file -> exit 1" 1
paths_are "staged: unborn repository reports the staged file" "$OUT" bad.ts
js "staged: both staged files analyzed" "$OUT" 'j.filesAnalyzed === 2 && j.results[0].ruleId === "module-scope-client" && j.results[0].start.line === 2'
CWD=$R il scan --staged
rc_is "staged: text report exit 1" 1
out_has "staged: text report names the finding" "bad.ts:2:14: error [module-scope-client]"
CWD=$R il scan --staged --exit-zero
rc_is "staged: --exit-zero -> exit 0" 0
CWD=$R il scan --staged --rule module-scope-client=off --format json
rc_is "staged: --rule applies" 0

# -- the index, not the work tree
R=$T/s2
new_repo "$R"
mk "$R/app.ts" "// first version
$GOOD"
git -C "$R" add app.ts && git -C "$R" commit -qm clean
mk "$R/app.ts" "$BAD"
git -C "$R" add app.ts
mk "$R/app.ts" "$GOOD" # the fix, not staged
CWD=$R il scan --staged --format json
rc_is "staged: a staged bug with its fix only in the work tree -> exit 1" 1
paths_are "staged: the staged bug is reported" "$OUT" app.ts
CWD=$R il scan app.ts
rc_is "staged: (control) the work tree alone looks clean" 0

git -C "$R" add app.ts # stage the fix
mk "$R/app.ts" "$BAD"  # and break the work tree again
CWD=$R il scan --staged --format json
rc_is "staged: a staged fix with the bug only in the work tree -> exit 0" 0
js "staged: the staged fix is analyzed" "$OUT" 'j.results.length === 0 && j.filesAnalyzed === 1'
CWD=$R il scan app.ts
rc_is "staged: (control) the work tree alone has the bug" 1

# -- deleted and renamed files
R=$T/s3
new_repo "$R"
mk "$R/old.ts" "$BAD"
mk "$R/keep.ts" "$GOOD"
git -C "$R" add . && git -C "$R" commit -qm base
git -C "$R" rm -q old.ts
CWD=$R il scan --staged --format json
rc_is "staged: a staged deletion is not read -> exit 0" 0
js "staged: nothing analyzed for a deletion" "$OUT" 'j.filesAnalyzed === 0'
git -C "$R" reset -q --hard
rm "$R/old.ts" # deleted in the work tree only: the index still equals HEAD
CWD=$R il scan --staged --format json
rc_is "staged: an unstaged deletion changes nothing staged -> exit 0" 0
git -C "$R" checkout -q -- old.ts
git -C "$R" mv old.ts moved.ts
CWD=$R il scan --staged --format json
rc_is "staged: a renamed bad file -> exit 1" 1
paths_are "staged: a renamed file is reported under its new name" "$OUT" moved.ts
git -C "$R" config diff.renames copies
CWD=$R il scan --staged --format json
paths_are "staged: same with diff.renames=copies" "$OUT" moved.ts
git -C "$R" mv moved.ts moved.txt
CWD=$R il scan --staged --format json
rc_is "staged: renamed to a non-source name -> exit 0" 0
js "staged: a .txt is not analyzed" "$OUT" 'j.filesAnalyzed === 0'

# -- paths from a subdirectory, as git status shows them
R=$T/s4
new_repo "$R"
mk "$R/top.ts" "$BAD"
mk "$R/lib/one.ts" "$BAD"
mk "$R/lib/sub/here.ts" "$BAD"
mk "$R/other/x.ts" "$BAD"
git -C "$R" add .
CWD=$R/lib/sub il scan --staged --format json
rc_is "staged: from a subdirectory -> exit 1" 1
paths_are "staged: from a subdirectory every staged file, relative to it" "$OUT" \
  ../../top.ts ../one.ts here.ts ../../other/x.ts
status_paths=$(cd "$R/lib/sub" && git status --short | sed 's/^...//' | sort | tr '\n' ' ')
want_paths=$(printf '%s\n' ../../top.ts ../one.ts here.ts ../../other/x.ts | sort | tr '\n' ' ')
check "staged: (control) git status shows the same paths" test "$status_paths" = "$want_paths"
CWD=$R/lib/sub il scan --staged
out_has "staged: text report from a subdirectory" "../../other/x.ts:2:14: error [module-scope-client]"
git -C "$R" config diff.relative true
CWD=$R/lib/sub il scan --staged --format json
paths_are "staged: diff.relative=true does not narrow the listing" "$OUT" \
  ../../top.ts ../one.ts here.ts ../../other/x.ts

# -- odd file names, in an odd directory
R=$T/s5
new_repo "$R"
odd=('with space.ts' "dq\"sq'.ts" $'new\nline.ts' 'ünïcødé-😀.ts' '-dash.ts' 'back\slash.ts'
     $'tab\there.ts' 'dir with space/inner.ts' $'dir\nnl/inner.ts')
for n in "${odd[@]}"; do
  mk "$R/$n" "$BAD"
  git -C "$R" add -- "./$n"
done
CWD=$R il scan --staged --format json
rc_is "staged: odd names -> exit 1" 1
paths_are "staged: odd names reported exactly" "$OUT" "${odd[@]}"
CWD="$R/dir with space" il scan --staged --format json
paths_are "staged: odd names from an odd subdirectory" "$OUT" \
  '../with space.ts' "../dq\"sq'.ts" $'../new\nline.ts' '../ünïcødé-😀.ts' '../-dash.ts' \
  '../back\slash.ts' $'../tab\there.ts' 'inner.ts' $'../dir\nnl/inner.ts'

# -- what is not a staged source file
R=$T/s6
new_repo "$R"
mk "$R/target.ts" "$BAD"
git -C "$R" add . && git -C "$R" commit -qm base
ln -s target.ts "$R/link.ts"
mk "$R/types.d.ts" "$BAD"
mk "$R/README.md" "$BAD"
mk "$R/data.json" '{}'
git -C "$R" add link.ts types.d.ts README.md data.json
head=$(git -C "$R" rev-parse HEAD)
git -C "$R" update-index --add --cacheinfo "160000,$head,module.ts" # a submodule named *.ts
mk "$R/ita.ts" "$BAD"
git -C "$R" add -N ita.ts # intent to add: nothing staged yet
CWD=$R il scan --staged --format json
rc_is "staged: symlink, .d.ts, other files, submodule, intent-to-add -> exit 0" 0
js "staged: none of them analyzed" "$OUT" 'j.results.length === 0 && j.filesAnalyzed === 0'
git -C "$R" add ita.ts
CWD=$R il scan --staged --format json
paths_are "staged: (control) once really staged it is read" "$OUT" ita.ts

# -- many files and big ones: one cat-file, no deadlock, every blob read
R=$T/s7
new_repo "$R"
mkdir -p "$R/f"
for i in $(seq 1 2500); do
  printf 'export const v%d = %d;\n' "$i" "$i" >"$R/f/$i.ts"
done
mk "$R/f/1234.ts" "$BAD"
for i in 1 2 3; do
  { printf '// '; head -c 2000000 /dev/zero | tr '\0' 'a'; printf '\n%s' "$GOOD"; } >"$R/big$i.ts"
done
{ printf '// '; head -c 3000000 /dev/zero | tr '\0' 'b'; printf '\n%s' "$BAD"; } >"$R/bigbad.ts"
git -C "$R" add .
CWD=$R il scan --staged --format json
rc_is "staged: 2504 files -> exit 1" 1
paths_are "staged: many files: the two bad ones found" "$OUT" f/1234.ts bigbad.ts
js "staged: many files: all analyzed" "$OUT" 'j.filesAnalyzed === 2504 && j.results.find((r) => r.path === "bigbad.ts").start.line === 3'

# -- isolint.json and --exclude apply to staged paths
R=$T/s8
new_repo "$R"
mk "$R/isolint.json" '{"exclude": ["vendor/**"]}'
mk "$R/vendor/lib.ts" "$BAD"
mk "$R/src/app.ts" "$BAD"
git -C "$R" add .
CWD=$R il scan --staged --format json
paths_are "staged: isolint.json excludes apply" "$OUT" src/app.ts
CWD=$R il scan --staged --format json --exclude 'src/**'
rc_is "staged: --exclude applies" 0
mk "$R/isolint.json" '{"rulez": {}}'
CWD=$R il scan --staged
rc_is "staged: a bad isolint.json -> exit 2" 2

# -- a linked worktree has its own index
R=$T/s9
new_repo "$R"
mk "$R/app.ts" "$GOOD"
git -C "$R" add . && git -C "$R" commit -qm base
git -C "$R" worktree add -q "$T/s9-wt" 2>/dev/null
mk "$T/s9-wt/app.ts" "$BAD"
git -C "$T/s9-wt" add app.ts
CWD=$T/s9-wt il scan --staged --format json
paths_are "staged: linked worktree reads its own index" "$OUT" app.ts
CWD=$R il scan --staged --format json
rc_is "staged: (control) the main worktree has nothing staged" 0

# ==== isolint install-hook =======================================================================

il install-hook --help
rc_is "install-hook --help -> exit 0" 0
out_has "install-hook --help prints its usage" "Usage: isolint install-hook"
il install-hook --bogus
rc_is "install-hook: unknown option -> exit 2" 2
err_has "install-hook: unknown option is named" "'--bogus'"
il install-hook extra
rc_is "install-hook: an argument -> exit 2" 2
CWD=$T/norepo il install-hook
rc_is "install-hook: not a repository -> exit 2" 2
err_has "install-hook: not a repository is said" "not inside a git repository"

R=$T/h1
HOOK=$R/.git/hooks/pre-commit
new_repo "$R"
rm -rf "$R/.git/hooks" # some clones have none: it is created
CWD=$R il install-hook
rc_is "install-hook: installs -> exit 0" 0
out_has "install-hook: says it installed" "installed the pre-commit hook .git/hooks/pre-commit"
check "install-hook: the hook exists" test -f "$HOOK"
check "install-hook: mode 0755" test "$(stat -c %a "$HOOK")" = 755
check "install-hook: carries the marker line" grep -qx '# isolint-managed-hook: pre-commit' "$HOOK"
check "install-hook: runs isolint from PATH when it is there" grep -qx "isolint='isolint'" "$HOOK"
check "install-hook: runs scan --staged --format concise" grep -q 'scan --staged --format concise' "$HOOK"
check "install-hook: the hook is valid sh" sh -n "$HOOK"
check "install-hook: no temporary file left" test "$(ls -A "$R/.git/hooks")" = pre-commit
cp "$HOOK" "$T/hook.orig"

mk "$R/bad.ts" "$BAD"
git -C "$R" add bad.ts
CWD=$R run git commit -m bad
rc_is "hook: a staged bad file stops the commit" 1
any_line "hook: the finding is printed" 'bad\.ts:2:14:.*module-scope-client'
any_line "hook: says the commit was stopped for findings" 'commit stopped: the staged files have findings'
check "hook: nothing was committed" test "$(commits "$R")" = 0
mk "$R/isolint.json" '{"rulez": {}}'
CWD=$R run git commit -m bad-config
rc_is "hook: isolint failing (exit 2) stops the commit" 1
any_line "hook: isolint's reason is printed" 'isolint\.json: unknown key'
any_line "hook: says isolint could not check" 'could not check the staged files \(exit 2'
rm "$R/isolint.json"

mk "$R/bad.ts" "$GOOD"
git -C "$R" add bad.ts
CWD=$R run git commit -m clean
rc_is "hook: a clean file commits" 0
check "hook: the clean commit exists" test "$(commits "$R")" = 1

mk "$R/bad.ts" "$BAD"
git -C "$R" add bad.ts
mk "$R/bad.ts" "$GOOD"
CWD=$R run git commit -m staged-bug
rc_is "hook: an unstaged fix does not hide a staged bug" 1
any_line "hook: the staged bug is printed" 'bad\.ts:2:14:.*module-scope-client'
check "hook: the staged bug was not committed" test "$(commits "$R")" = 1

git -C "$R" add bad.ts # stage the fix: the index now equals HEAD
mk "$R/other.ts" "$GOOD"
git -C "$R" add other.ts
mk "$R/other.ts" "$BAD" # bug only in the work tree
CWD=$R run git commit -m staged-fix
rc_is "hook: a bug only in the work tree does not stop the staged fix" 0
check "hook: the staged (clean) content was committed" \
  sh -c 'git -C "$1" show HEAD:other.ts | grep -q "fetch(req, env)"' sh "$R"

CWD=$R run git commit -a -m all
rc_is "hook: git commit -a sees the work-tree bug (the index git prepares)" 1
any_line "hook: git commit -a prints it" 'other\.ts:2:14:.*module-scope-client'
CWD=$R run git commit -m only other.ts
rc_is "hook: git commit FILE sees it too" 1
git -C "$R" checkout -q -- other.ts

git -C "$R" rm -q other.ts
CWD=$R run git commit -m delete
rc_is "hook: a deletion commits" 0
git -C "$R" mv bad.ts renamed.ts
CWD=$R run git commit -m rename
rc_is "hook: a rename of a clean file commits" 0
CWD=$R run git commit --allow-empty -m empty
rc_is "hook: nothing staged commits" 0

mkdir -p "$R/sub/deeper"
mk "$R/sub/x.ts" "$BAD"
git -C "$R" add sub/x.ts
CWD=$R/sub/deeper run git commit -m from-subdir
rc_is "hook: from a subdirectory a staged bug stops the commit" 1
any_line "hook: paths are relative to the top (where git runs hooks)" '(^|[^./])sub/x\.ts:2:14:.*module-scope-client'
git -C "$R" rm -q --cached sub/x.ts

# -- foreign hooks, --force, updates, --uninstall
printf '#!/bin/sh\necho foreign hook\n' >"$HOOK"
cp "$HOOK" "$T/foreign"
CWD=$R il install-hook
rc_is "install-hook: refuses a foreign hook -> exit 2" 2
err_has "install-hook: says why" "was not written by isolint"
err_has "install-hook: names --force" "--force"
check "install-hook: the foreign hook is untouched" cmp -s "$HOOK" "$T/foreign"
CWD=$R il install-hook --uninstall
rc_is "install-hook --uninstall: refuses a foreign hook -> exit 2" 2
check "install-hook --uninstall: the foreign hook is untouched" cmp -s "$HOOK" "$T/foreign"
CWD=$R il install-hook --force
rc_is "install-hook --force: replaces a foreign hook" 0
out_has "install-hook --force: says it replaced it" "replaced the pre-commit hook"
check "install-hook --force: our hook now" cmp -s "$HOOK" "$T/hook.orig"
printf '# a local edit\n' >>"$HOOK"
chmod 0700 "$HOOK"
CWD=$R il install-hook
rc_is "install-hook: a re-run updates its own hook" 0
out_has "install-hook: says it updated" "updated the pre-commit hook"
check "install-hook: the update restores the hook" cmp -s "$HOOK" "$T/hook.orig"
check "install-hook: the update restores mode 0755" test "$(stat -c %a "$HOOK")" = 755
CWD=$R/sub il install-hook --uninstall
rc_is "install-hook --uninstall: removes our hook (from a subdirectory)" 0
check "install-hook --uninstall: the hook is gone" test ! -e "$HOOK"
CWD=$R il install-hook --uninstall
rc_is "install-hook --uninstall: nothing to remove -> exit 0" 0
out_has "install-hook --uninstall: says so" "nothing to remove"
mk "$R/late.ts" "$BAD"
git -C "$R" add late.ts
CWD=$R run git commit -m no-hook
rc_is "hook: (control) without the hook the bad file commits" 0

# -- core.hooksPath, relative, set up from a subdirectory
R=$T/h2
new_repo "$R"
git -C "$R" config core.hooksPath .githooks
mkdir -p "$R/a/b"
CWD=$R/a/b il install-hook
rc_is "install-hook: core.hooksPath -> exit 0" 0
check "install-hook: writes into core.hooksPath at the top" test -x "$R/.githooks/pre-commit"
check "install-hook: not into .git/hooks" test ! -e "$R/.git/hooks/pre-commit"
check "install-hook: not under the subdirectory" test ! -e "$R/a/b/.githooks"
mk "$R/a/b/bad.ts" "$BAD"
git -C "$R" add .
CWD=$R run git commit -m bad
rc_is "hook: under core.hooksPath a staged bug stops the commit" 1
any_line "hook: under core.hooksPath the finding is printed" 'a/b/bad\.ts:2:14:.*module-scope-client'

# -- a linked worktree shares the main repository's hooks
R=$T/h3
new_repo "$R"
mk "$R/app.ts" "$GOOD"
git -C "$R" add . && git -C "$R" commit -qm base
git -C "$R" worktree add -q "$T/h3-wt" 2>/dev/null
CWD=$T/h3-wt il install-hook
rc_is "install-hook: from a linked worktree -> exit 0" 0
check "install-hook: into the shared hooks directory" test -x "$R/.git/hooks/pre-commit"
mk "$T/h3-wt/app.ts" "$BAD"
git -C "$T/h3-wt" add app.ts
CWD=$T/h3-wt run git commit -m bad
rc_is "hook: in the linked worktree a staged bug stops the commit" 1
any_line "hook: in the linked worktree the finding is printed" 'app\.ts:2:14:.*module-scope-client'

# -- isolint not on PATH: the absolute path of the running binary, quoted for sh
R=$T/h4
new_repo "$R"
COPY="$T/co'py dir/isolint"
mkdir -p "$(dirname "$COPY")"
cp "$BIN" "$COPY"
CWD=$R run env PATH="$T/gitbin" "$COPY" install-hook
rc_is "install-hook: isolint not on PATH -> exit 0" 0
out_has "install-hook: says it uses the absolute path" "isolint is not on PATH"
check "install-hook: the hook names the binary by its absolute path" \
  grep -qxF "isolint='$T/co'\\''py dir/isolint'" "$R/.git/hooks/pre-commit"
mk "$R/bad.ts" "$BAD"
git -C "$R" add bad.ts
CWD=$R run env PATH="$T/gitbin" git commit -m bad
rc_is "hook: the absolute path runs without isolint on PATH" 1
any_line "hook: the absolute-path hook prints the finding" 'bad\.ts:2:14:.*module-scope-client'
rm "$COPY"
CWD=$R run env PATH="$T/gitbin" git commit -m bad
rc_is "hook: isolint gone -> the commit is stopped" 1
any_line "hook: isolint gone is said" "cannot run $T/co'py dir/isolint"
check "hook: nothing committed while isolint is gone" test "$(commits "$R")" = 0

# -- the hook isolint writes from PATH reports a missing isolint too
R=$T/h5
new_repo "$R"
CWD=$R il install-hook
mk "$R/ok.ts" "$GOOD"
git -C "$R" add ok.ts
CWD=$R run env PATH="$T/gitbin" git commit -m ok
rc_is "hook: isolint not on PATH at commit time -> stopped" 1
any_line "hook: says isolint cannot run" "cannot run isolint"
CWD=$R run git commit -m ok
rc_is "hook: (control) with isolint on PATH the clean file commits" 0

# ==== the pre-commit manifest ====================================================================

MANIFEST=$SRC/.pre-commit-hooks.yaml
run pre-commit validate-manifest "$MANIFEST"
rc_is "manifest: pre-commit validate-manifest accepts it" 0
check_manifest() {
  python3 - "$MANIFEST" <<'EOF'
import re, sys, yaml
hooks = yaml.safe_load(open(sys.argv[1]))
by_id = {h["id"]: h for h in hooks}
assert set(by_id) == {"isolint", "isolint-all"}, by_id.keys()
for h in hooks:
    assert h["language"] == "system", h
    assert set(h.get("stages", [])) <= {"manual"}, h   # 3.0.4 and 4.x disagree on every other name
    assert "minimum_pre_commit_version" not in h, h
i = by_id["isolint"]
assert i["types"] == ["text"] and i["require_serial"] is True, i
assert i["entry"].split()[:2] == ["isolint", "scan"] and "--staged" not in i["entry"], i
rx = re.compile(i["files"])
for ext in ["c", "h", "ts", "tsx", "mts", "cts", "js", "jsx", "mjs", "cjs"]:
    assert rx.search("src/a." + ext), ext
for name in ["a.json", "a.md", "a.css", "ts", "a.cc", "a.tsx.bak"]:
    assert not rx.search(name), name
a = by_id["isolint-all"]
assert a["pass_filenames"] is False and a["always_run"] is True and a["stages"] == ["manual"], a
EOF
}
check "manifest: fields, files regex, stages" check_manifest

# A hook repository as users get it: a git repository holding the manifest, with a tag.
HOOKREPO=$T/hookrepo
new_repo "$HOOKREPO"
cp "$MANIFEST" "$HOOKREPO/.pre-commit-hooks.yaml"
git -C "$HOOKREPO" add . && git -C "$HOOKREPO" commit -qm manifest && git -C "$HOOKREPO" tag v0.0.0-test

# The YAML blocks of docs/pre-commit.md, one file each.
DOC=$SRC/docs/pre-commit.md
mkdir -p "$T/doc"
awk -v dir="$T/doc" '
  /^```yaml[[:space:]]*$/ { n++; f = sprintf("%s/block%d.yaml", dir, n); inblock = 1; next }
  /^```/ && inblock { inblock = 0; close(f); next }
  inblock { print > f }
' "$DOC"
REMOTE_CFG=
LOCAL_CFG=
for f in "$T"/doc/block*.yaml; do
  [ -e "$f" ] || continue
  if grep -qE '^[[:space:]]*-?[[:space:]]*repo:[[:space:]]*local[[:space:]]*$' "$f"; then
    LOCAL_CFG=$f
  elif grep -qE '^[[:space:]]*rev:' "$f"; then
    REMOTE_CFG=$f
  fi
done
check "docs: a .pre-commit-config.yaml example pointing at the hook repository" test -n "$REMOTE_CFG"
check "docs: a .pre-commit-config.yaml example with a local hook" test -n "$LOCAL_CFG"
# the remote example as is, but for where the repository lives
if [ -n "$REMOTE_CFG" ]; then
  sed -E "s#^([[:space:]]*-?[[:space:]]*repo:[[:space:]]*).*#\\1$HOOKREPO#; s#^([[:space:]]*rev:[[:space:]]*).*#\\1v0.0.0-test#" \
    "$REMOTE_CFG" >"$T/doc/remote.yaml"
  check "docs: the remote example lists the isolint hook" grep -qE 'id:[[:space:]]*isolint[[:space:]]*$' "$REMOTE_CFG"
fi
same_as_manifest() {
  python3 - "$MANIFEST" "$LOCAL_CFG" <<'EOF'
import sys, yaml
manifest = {h["id"]: h for h in yaml.safe_load(open(sys.argv[1]))}
local = [h for r in yaml.safe_load(open(sys.argv[2]))["repos"] for h in r["hooks"]]
assert local, "no hooks"
for h in local:
    m = manifest[h["id"]]
    for k in ["entry", "language", "files", "types", "require_serial", "pass_filenames", "always_run", "stages"]:
        assert h.get(k) == m.get(k), (h["id"], k, h.get(k), m.get(k))
EOF
}
[ -n "$LOCAL_CFG" ] && check "docs: the local example matches the manifest" same_as_manifest

# framework_cases NAME CONFIG: a repository using CONFIG as its .pre-commit-config.yaml.
framework_cases() {
  local name=$1 cfg=$2
  R=$T/pc-$name
  new_repo "$R"
  cp "$cfg" "$R/.pre-commit-config.yaml"
  git -C "$R" add .pre-commit-config.yaml
  CWD=$R run pre-commit validate-config .pre-commit-config.yaml
  rc_is "$name: pre-commit validate-config accepts it" 0
  CWD=$R run pre-commit install
  rc_is "$name: pre-commit install" 0

  mk "$R/src/bad.ts" "$BAD"
  git -C "$R" add src/bad.ts
  CWD=$R run git commit -m bad
  rc_is "$name: a staged bad file stops the commit" 1
  any_line "$name: the finding is printed" 'src/bad\.ts:2:14:.*module-scope-client'
  check "$name: nothing committed" test "$(commits "$R")" = 0

  mk "$R/src/bad.ts" "$GOOD" # the fix, not staged
  CWD=$R run git commit -m staged-bug
  rc_is "$name: an unstaged fix does not hide a staged bug" 1
  any_line "$name: the staged bug is printed" 'src/bad\.ts:2:14:.*module-scope-client'
  check "$name: the unstaged fix is left in the work tree" grep -q 'fetch(req, env)' "$R/src/bad.ts"

  git -C "$R" add src/bad.ts
  mk "$R/src/bad.ts" "$BAD" # bug only in the work tree
  CWD=$R run git commit -m staged-fix
  rc_is "$name: a bug only in the work tree does not stop the staged fix" 0
  any_lacks "$name: no finding printed for the staged fix" "module-scope-client"
  check "$name: the commit has the fix" sh -c 'git -C "$1" show HEAD:src/bad.ts | grep -q "fetch(req, env)"' sh "$R"
  check "$name: the work-tree bug is left in place" grep -q 'const pool = new Pool();' "$R/src/bad.ts"
  git -C "$R" checkout -q -- src/bad.ts

  mk "$R/native.c" 'int main(void) { return 0; }
'
  mk "$R/README.md" "$BAD"
  git -C "$R" add native.c README.md
  CWD=$R run git commit -m c-and-docs
  rc_is "$name: a .c file and non-source files commit" 0
  git -C "$R" mv src/bad.ts src/renamed.mts
  git -C "$R" rm -q native.c
  CWD=$R run git commit -m rename-delete
  rc_is "$name: a rename and a deletion commit" 0

  # pre-commit passes file names: "exclude" of isolint.json (relative to its directory) still
  # applies to them, as to `isolint scan --staged` (the plain git hook)
  mk "$R/isolint.json" '{ "exclude": ["src/generated"] }'
  mk "$R/src/generated/gen.ts" "$BAD"
  git -C "$R" add isolint.json src/generated/gen.ts
  CWD=$R run git commit -m generated
  rc_is "$name: a staged file that isolint.json excludes does not stop the commit" 0
  any_lacks "$name: no finding printed for the excluded file" "module-scope-client"
}

if [ -n "$REMOTE_CFG" ]; then
  framework_cases framework-remote "$T/doc/remote.yaml"
  # the manual whole-project hook
  CWD=$R run pre-commit run --hook-stage manual isolint-all
  rc_is "framework-remote: isolint-all on a clean project passes" 0
  mk "$R/late/bad.js" "$BAD"
  git -C "$R" add late/bad.js
  git -C "$R" commit -qm bad --no-verify
  CWD=$R run pre-commit run --hook-stage manual isolint-all
  rc_is "framework-remote: isolint-all finds a committed bug" 1
  any_line "framework-remote: isolint-all prints it" 'late/bad\.js:2:14:.*module-scope-client'
  CWD=$R run pre-commit run --all-files
  rc_is "framework-remote: isolint-all is not in the commit stage; isolint --all-files finds the bug" 1
  any_lacks "framework-remote: isolint-all does not run at the commit stage" "whole project"
fi
if [ -n "$LOCAL_CFG" ]; then
  framework_cases framework-local "$LOCAL_CFG"
fi

# pre-commit try-repo with the hook repository (as in the pre-commit documentation)
R=$T/try
new_repo "$R"
mk "$R/app.ts" "$GOOD"
git -C "$R" add app.ts
CWD=$R run pre-commit try-repo "$HOOKREPO" isolint --all-files
rc_is "try-repo: a clean project passes" 0
mk "$R/bad.cjs" "$BAD"
git -C "$R" add bad.cjs
CWD=$R run pre-commit try-repo "$HOOKREPO" isolint --all-files
rc_is "try-repo: a bad file fails" 1
any_line "try-repo: the finding is printed" 'bad\.cjs:2:14:.*module-scope-client'

# ==== the hook script of docs/pre-commit.md =====================================================

awk '
  /^```sh[[:space:]]*$/ { inblock = 1; buf = ""; next }
  /^```/ && inblock { inblock = 0; if (buf ~ /^#!\/bin\/sh\n/) { printf "%s", buf; exit } next }
  inblock { buf = buf $0 "\n" }
' "$DOC" >"$T/doc/hook.sh"
check "docs: a hook script example" grep -q 'isolint scan --staged' "$T/doc/hook.sh"
R=$T/manual
new_repo "$R"
cp "$T/doc/hook.sh" "$R/.git/hooks/pre-commit"
chmod +x "$R/.git/hooks/pre-commit"
mk "$R/bad.ts" "$BAD"
git -C "$R" add bad.ts
mk "$R/bad.ts" "$GOOD"
CWD=$R run git commit -m bad
rc_is "docs hook: a staged bug stops the commit" 1
any_line "docs hook: the finding is printed" 'bad\.ts:2:14:.*module-scope-client'
git -C "$R" add bad.ts
CWD=$R run git commit -m good
rc_is "docs hook: a clean commit goes ahead" 0
CWD=$R il install-hook
rc_is "docs hook: install-hook leaves a hand-written hook alone" 2

check "nothing wrote the user's global git config" test ! -s "$T/gitconfig"
t_done
