#!/usr/bin/env bash
# The warm-run cache (docs/cache.md): a scan gives byte-identical reports without the
# cache, with a cold cache and with a warm one (every fixture set, every format); after
# one file of a cross-file project changes, only that file is parsed and the cross-file
# results follow; a truncated, garbage, bit-flipped, foreign or unreadable pack is
# ignored with a note and rebuilt; an unwritable cache directory is a note; --staged
# uses the cache; concurrent runs leave a valid pack; entries of deleted files go; the
# stat fast path skips reading unchanged files and sees every kind of change.
#
#   bash tests/cache/cache_test.sh ISOLINT_BINARY SOURCE_DIR
. "$(dirname "$0")/../cli/lib.sh"
t_init cache "$@"

W=$T/work
mkdir -p "$W"
cp -R "$SRC/fixtures/ts" "$W/ts"
cp -R "$SRC/fixtures/ts-projects" "$W/ts-projects"
cp -R "$SRC/examples" "$W/examples"
# a file with a run of 70 000 comment lines is parsed from a blanked copy (analyze.c):
# its cached facts are those of that copy, and phase 3 blanks the text it reads again
mkdir -p "$W/comments"
{
  echo 'import { Pool } from "pg";'
  awk 'BEGIN { for (i = 0; i < 70000; i++) print "// filler comment line " i }'
  echo 'export const pool = new Pool();'
  echo 'export default { async fetch() { return new Response(String(await pool.query("x"))); } };'
} >"$W/comments/long.ts"
CWD=$W
# the stat fast path trusts only entries recorded clearly after a file's last change
# (IL_CACHE_RACY_NS, 2 s): let the copies age, so the warm runs below take that path
sleep 3

# Runs isolint in $W with the cache statistics on stderr.
ilc() {
  ISOLINT_CACHE_STATS=1 il "$@"
}

stats_are() { # NAME "L loaded, P parsed": the cache statistics of the last run
  if grep -qF -- "cache: $2," "$ERR"; then pass "$1"; else fail "$1" "expected cache: $2" "$(last_run)"; fi
}
stats_match() { # NAME REGEX
  if grep -qE -- "cache: $2" "$ERR"; then pass "$1"; else fail "$1" "expected cache: $2" "$(last_run)"; fi
}

# same_report NAME FILE: stdout equals FILE byte for byte
same_report() {
  if cmp -s "$OUT" "$2"; then
    pass "$1"
  else
    fail "$1" "$(diff "$2" "$OUT" | head -n 20)" "$(last_cmd)"
  fi
}

# the findings and per-file notes of a SARIF stdout equal those of FILE (a run
# that also says something about the cache)
same_results() {
  js "$1" "$OUT" "(() => {
    const ref = JSON.parse(require('fs').readFileSync('$2', 'utf8'));
    const strip = r => JSON.stringify({results: r.runs[0].results,
      notes: (r.runs[0].invocations[0].toolExecutionNotifications || [])
        .filter(n => !/^Cache: /.test(n.message.text))});
    return strip(j) === strip(ref);
  })()"
}

cache_note() { # NAME TEXT: the SARIF run has a cache notification with TEXT
  js "$1" "$OUT" "(j.runs[0].invocations[0].toolExecutionNotifications || [])
    .some(n => n.message.text.startsWith('Cache: ') && n.message.text.includes('$2'))"
}

# ---- byte-identical reports: no cache, cold cache, warm cache ---------------------------
for set in ts ts-projects examples; do
  for fmt in sarif json text; do
    C=$T/c-$set-$fmt
    il scan --format "$fmt" "$set"
    ref_rc=$RC
    cp "$OUT" "$T/ref-$set.$fmt"
    ilc scan --cache-dir "$C" --format "$fmt" "$set"
    same_report "$set $fmt: a cold cache gives the same report" "$T/ref-$set.$fmt"
    rc_is "$set $fmt: same exit status cold" "$ref_rc"
    stats_are "$set $fmt: the cold run loads nothing" "0 loaded"
    check "$set $fmt: the pack is written" test -s "$C/facts.pack"
    ino=$(stat -c '%i %Y' "$C/facts.pack")
    ilc scan --cache-dir "$C" --format "$fmt" "$set"
    same_report "$set $fmt: a warm cache gives the same report" "$T/ref-$set.$fmt"
    rc_is "$set $fmt: same exit status warm" "$ref_rc"
    if [ "$fmt" = sarif ]; then
      stats_match "$set: the warm run loads every parsed file and parses none" "[1-9][0-9]* loaded, 0 parsed"
      err_has "$set: the warm run leaves the pack alone" "pack unchanged"
      check "$set: the pack is the same file" test "$ino" = "$(stat -c '%i %Y' "$C/facts.pack")"
    fi
    # with --jobs 1 as well (the order of slots differs)
    ilc scan --cache-dir "$C" --format "$fmt" --jobs 1 "$set"
    same_report "$set $fmt: a warm cache with --jobs 1 gives the same report" "$T/ref-$set.$fmt"
  done
done

# C files are not cached (their facts depend on headers and flags): same reports, no pack
cp -R "$SRC/fixtures/c" "$W/c"
for fmt in sarif text; do
  il scan --format "$fmt" c
  cp "$OUT" "$T/ref-c.$fmt"
  ref_rc=$RC
  for run in cold warm; do
    ilc scan --cache-dir "$T/c-c" --format "$fmt" c
    same_report "c $fmt: $run run with --cache gives the same report" "$T/ref-c.$fmt"
    rc_is "c $fmt: $run run, same exit status" "$ref_rc"
    stats_are "c $fmt: $run run, nothing from or into the cache" "0 loaded, 0 parsed"
  done
done
check "c: C files make no pack" test ! -e "$T/c-c/facts.pack"

# the file with a run of 70 000 comment lines (made above, older than the racy window):
# a warm run loads its facts without reading it, and reads it again (blanked) for its finding
il scan --format sarif comments
cp "$OUT" "$T/ref-comments.sarif"
js "a long comment run: the finding after it is reported" "$OUT" \
  "j.runs[0].results.some(r => r.locations[0].physicalLocation.region.startLine === 70002)"
ilc scan --cache-dir "$T/c-comments" --format sarif comments
same_report "a long comment run: cold cache, same report" "$T/ref-comments.sarif"
ilc scan --cache-dir "$T/c-comments" --format sarif comments
same_report "a long comment run: warm cache, same report" "$T/ref-comments.sarif"
stats_are "a long comment run: the warm run loads the facts" "1 loaded, 0 parsed"
err_has "a long comment run: the warm run does not read the file in phase 1" "1 not hashed (stat data unchanged), 1 not read"
il scan --format text comments
cp "$OUT" "$T/ref-comments.txt"
ilc scan --cache-dir "$T/c-comments" --format text comments
same_report "a long comment run: warm cache, same text report (code frame)" "$T/ref-comments.txt"
out_has "a long comment run: the text report has the code frame" "70002 | export const pool"

# --no-cache after --cache wins; no directory is made
il scan --cache --no-cache ts-projects/reexport-chain
check "--no-cache: no cache directory" test ! -e "$W/ts-projects/reexport-chain/.isolint-cache"
check "--no-cache: none in the current directory either" test ! -e "$W/.isolint-cache"

# ---- one file changes in a cross-file project ----------------------------------------------
P=ts-projects/exported-client-used-in-handler
C=$T/c-edit
ilc scan --cache-dir "$C" --format sarif "$P"
cp "$OUT" "$T/before.sarif"
{ printf '// moved down\n\n'; cat "$W/$P/worker.ts"; } >"$W/$P/worker.ts.new"
mv "$W/$P/worker.ts.new" "$W/$P/worker.ts"
il scan --format sarif "$P"
cp "$OUT" "$T/after.sarif"
if cmp -s "$T/before.sarif" "$T/after.sarif"; then
  fail "the edit changes the report (the related location in worker.ts moves)"
else
  pass "the edit changes the report (the related location in worker.ts moves)"
fi
js "the cross-file related location follows the edit" "$T/after.sarif" \
  "j.runs[0].results.some(r => (r.relatedLocations || []).some(l =>
     l.physicalLocation.artifactLocation.uri.endsWith('worker.ts') &&
     l.physicalLocation.region.startLine === 10))"
ilc scan --cache-dir "$C" --format sarif "$P"
same_report "after an edit: the cached run equals a run without the cache" "$T/after.sarif"
stats_are "after an edit: only the edited file is parsed" "2 loaded, 1 parsed"
err_has "after an edit: the pack is rewritten" "pack written"
ilc scan --cache-dir "$C" --format sarif "$P"
same_report "after an edit, warm again: same report" "$T/after.sarif"
stats_are "after an edit, warm again: nothing is parsed" "3 loaded, 0 parsed"

# ---- broken packs are ignored with a note and rebuilt ----------------------------------------
C=$T/c-broken
il scan --format sarif ts
cp "$OUT" "$T/ref-ts-plain.sarif"
ilc scan --cache-dir "$C" --format sarif ts
PACK=$C/facts.pack
cp "$PACK" "$T/good.pack"
size=$(stat -c %s "$PACK")

broken() { # NAME EXPECTED-NOTE-TEXT: the pack is in place, broken
  ilc scan --cache-dir "$C" --format sarif ts
  rc_is "$1: the run completes" 0 1
  same_results "$1: the findings are those of a run without the cache" "$T/ref-ts-plain.sarif"
  cache_note "$1: a note says the pack was ignored" "$2"
  ilc scan --cache-dir "$C" --format sarif ts
  same_report "$1: the pack is rebuilt (the next run is clean)" "$T/ref-ts-plain.sarif"
  stats_match "$1: the rebuilt pack is used" "[1-9][0-9]* loaded, 0 parsed"
  cp "$T/good.pack" "$PACK"
}

head -c $((size / 2)) "$T/good.pack" >"$PACK"
broken "truncated pack" "truncated"
head -c 40 "$T/good.pack" >"$PACK"
broken "pack cut in its header" "truncated"
: >"$PACK"
broken "empty pack" "empty"
head -c "$size" /dev/urandom >"$PACK"
broken "garbage pack" "not an isolint cache"
for off in $((size / 3)) $((size - 5)) 70; do
  cp "$T/good.pack" "$PACK"
  printf '\x5a' | dd of="$PACK" bs=1 seek="$off" conv=notrunc status=none
  if cmp -s "$PACK" "$T/good.pack"; then
    printf '\xa5' | dd of="$PACK" bs=1 seek="$off" conv=notrunc status=none
  fi
  broken "pack with a byte changed at $off" "checksum"
done
cp "$T/good.pack" "$PACK"
printf '\x00\x00' | dd of="$PACK" bs=1 seek=20 conv=notrunc status=none
broken "pack of another isolint build" "another isolint build"
cp "$T/good.pack" "$PACK"
printf '\x09' | dd of="$PACK" bs=1 seek=12 conv=notrunc status=none
broken "pack of another format" "another format"
cat "$T/good.pack" "$T/good.pack" >"$PACK"
broken "pack with trailing data" "trailing"
rm -f "$PACK"
mkdir "$PACK"
ilc scan --cache-dir "$C" --format sarif ts
same_results "a directory in place of the pack: same findings" "$T/ref-ts-plain.sarif"
cache_note "a directory in place of the pack: a note" "Cache: "
rmdir "$PACK" 2>/dev/null || rm -rf "$PACK"

# a knowledge base with one more row: the pack is foreign, rebuilt
mkdir -p "$T/kb"
cp "$SRC"/rules/kb/*.json "$T/kb/"
cat >"$T/kb/zz-extra.json" <<'EOF'
{"clients": [{"module": "cache-test-client", "export": "Client", "form": "new",
  "name": "test client", "io": "tcp", "level": "error", "why": "It holds a socket."}]}
EOF
ilc scan --cache-dir "$C" --format sarif ts
ISOLINT_KB_DIR=$T/kb ISOLINT_CACHE_STATS=1 il scan --cache-dir "$C" --format sarif ts
cache_note "another knowledge base: the pack is ignored with a note" "another knowledge base"
stats_are "another knowledge base: every file is analyzed again" "0 loaded"

# ---- an unwritable cache directory ------------------------------------------------------
: >"$T/not-a-dir"
ilc scan --cache-dir "$T/not-a-dir/cache" --format sarif ts
rc_is "unwritable cache directory: the run completes" 0 1
same_results "unwritable cache directory: same findings" "$T/ref-ts-plain.sarif"
cache_note "unwritable cache directory: a note says the cache was not updated" "not updated"
cp "$OUT" "$T/unwritable.sarif"
sarif_ok "unwritable cache directory: the SARIF with the cache note is valid" "$T/unwritable.sarif"
ilc scan --cache-dir "$T/not-a-dir/cache" ts
out_has "unwritable cache directory: the text report shows the note" "Cache: cannot create the directory"
if [ "$(id -u)" != 0 ]; then
  mkdir -p "$T/ro"
  chmod 555 "$T/ro"
  ilc scan --cache-dir "$T/ro" --format sarif ts
  same_results "read-only cache directory: same findings" "$T/ref-ts-plain.sarif"
  cache_note "read-only cache directory: a note" "not updated"
  chmod 755 "$T/ro"
else
  # root ignores permissions: a read-only bind is not available to a test, so the
  # unwritable case above (a file where a directory should be) stands for it
  pass "read-only cache directory: covered by the unwritable case (running as root)"
fi

# ---- the default location ----------------------------------------------------------------
mkdir -p "$W/proj/src"
cp "$W/$P/lib/db.ts" "$W/proj/src/db.ts"
il scan --cache proj/src
check "--cache without a config: .isolint-cache in the first path" test -s "$W/proj/src/.isolint-cache/facts.pack"
check "--cache without a config: not in the current directory" test ! -e "$W/.isolint-cache"
echo '{}' >"$W/proj/isolint.json"
il scan --cache proj/src
check "--cache with a config: .isolint-cache next to isolint.json" test -s "$W/proj/.isolint-cache/facts.pack"
il scan --cache --cache-dir "$T/explicit" proj/src
check "--cache-dir wins" test -s "$T/explicit/facts.pack"
check "a cache directory isolint makes ignores itself in git" grep -qx '\*' "$W/proj/.isolint-cache/.gitignore"
mkdir -p "$T/existing"
il scan --cache-dir "$T/existing" proj/src
check "an existing directory given as --cache-dir gets no .gitignore" test ! -e "$T/existing/.gitignore"
il scan --cache-dir ""
rc_is "--cache-dir needs a value" 2
il scan --help
out_has "scan --help documents --cache" "--cache"

# ---- concurrent runs never corrupt the pack -------------------------------------------------
C=$T/c-concurrent
pids=()
for i in 1 2 3 4; do
  (cd "$W" && exec timeout "$IL_TIMEOUT" "$BIN" scan --cache-dir "$C" --format sarif ts \
    >"$T/conc-$i.sarif" 2>"$T/conc-$i.err") &
  pids+=($!)
done
for p in "${pids[@]}"; do wait "$p"; done
for i in 1 2 3 4; do
  if cmp -s "$T/conc-$i.sarif" "$T/ref-ts-plain.sarif"; then
    pass "concurrent run $i: same report"
  else
    fail "concurrent run $i: same report" "$(head -c 500 "$T/conc-$i.err")"
  fi
done
ilc scan --cache-dir "$C" --format sarif ts
same_report "after concurrent runs: the pack is valid" "$T/ref-ts-plain.sarif"
stats_match "after concurrent runs: the pack is used" "[1-9][0-9]* loaded, 0 parsed"
err_lacks "after concurrent runs: no note about the pack" "ignored"
check "no temporary file is left behind" test -z "$(find "$C" -name '.facts.pack.*')"

# ---- entries of files no longer present are dropped ------------------------------------------
C=$T/c-drop
mkdir -p "$W/drop"
cp "$W/$P/lib/db.ts" "$W/drop/gone.ts"
cp "$W/$P/lib/db.ts" "$W/drop/kept.ts"
il scan --cache-dir "$C" drop
check "the pack names both files" grep -q "drop/gone.ts" "$C/facts.pack"
rm "$W/drop/gone.ts"
echo '// edited' >>"$W/drop/kept.ts"
il scan --cache-dir "$C" drop
check "the pack forgets a deleted file when rewritten" sh -c "! grep -q drop/gone.ts '$C/facts.pack'"
check "the pack keeps the others" grep -q "drop/kept.ts" "$C/facts.pack"

# ---- the stat fast path ---------------------------------------------------------------------
# statnum FIELD: a number from the last run's cache statistics (loaded, parsed, skipped,
# hashed: "not hashed", unread: "not read")
statnum() {
  sed -nE 's/.*cache: ([0-9]+) loaded, ([0-9]+) parsed, ([0-9]+) skipped by the prefilter; ([0-9]+) not hashed \(stat data unchanged\), ([0-9]+) not read;.*/\1 \2 \3 \4 \5/p' "$ERR" |
    awk -v f="$1" '{ i = f == "loaded" ? 1 : f == "parsed" ? 2 : f == "skipped" ? 3 : f == "hashed" ? 4 : 5; print $i }'
}
num_is() { # NAME GOT EXPECTED
  if [ "$2" = "$3" ]; then pass "$1"; else fail "$1" "got '$2', expected '$3'" "$(last_run)"; fi
}
# ref_plain NAME: a run without the cache of the stat tree, into $T/NAME.sarif
ref_plain() {
  il scan --format sarif stat
  cp "$OUT" "$T/$1.sarif"
}
mkdir -p "$W/stat"
cp -R "$W/ts-projects/." "$W/stat/"
cp -R "$SRC/tests/cache/data/wide" "$W/stat/wide" # non-ASCII text before findings
touch -d '-1 minute' $(find "$W/stat" -type f)
sleep 3 # (the copies' change times)
C=$T/c-stat
ref_plain stat-ref
ilc scan --cache-dir "$C" --format sarif stat
same_report "stat: cold, same report" "$T/stat-ref.sarif"
num_is "stat: cold, every file is hashed" "$(statnum hashed)" 0
ilc scan --cache-dir "$C" --format sarif stat
same_report "stat: warm, same report" "$T/stat-ref.sarif"
total=$(( $(statnum loaded) + $(statnum skipped) ))
num_is "stat: warm, no file is hashed" "$(statnum hashed)" "$total"
num_is "stat: warm, no file is read in phase 1 (facts load without their text)" "$(statnum unread)" "$total"
check "stat: warm, files with facts are among them" test "$(statnum loaded)" -gt 0
err_has "stat: warm, the pack is left alone" "pack unchanged"
js "stat: the report has findings with fingerprints (phase 3 reads their files again)" \
  "$T/stat-ref.sarif" "j.runs[0].results.length > 5 && j.runs[0].results.every(r => r.partialFingerprints &&
     r.partialFingerprints.primaryLocationLineHash && !/^0:/.test(r.partialFingerprints.primaryLocationLineHash))"
js "stat: a finding after non-ASCII text has its UTF-16 column" "$T/stat-ref.sarif" \
  "j.runs[0].results.some(r => r.locations[0].physicalLocation.artifactLocation.uri.endsWith('wide/worker.ts') &&
     r.locations[0].physicalLocation.region.startColumn === 62)"
ilc scan --cache-dir "$C" --format sarif --jobs 1 stat
same_report "stat: warm with --jobs 1, same report" "$T/stat-ref.sarif"
num_is "stat: warm with --jobs 1, nothing read in phase 1" "$(statnum unread)" "$total"
il scan --format text stat
cp "$OUT" "$T/stat-ref.txt"
ilc scan --cache-dir "$C" --format text stat
same_report "stat: warm, the same text report (code frames)" "$T/stat-ref.txt"
num_is "stat: warm text run, nothing read in phase 1" "$(statnum unread)" "$total"
out_has "stat: the text report has a code frame past non-ASCII text" "5 | const label = \"naïve café"
# --no-prefilter: every file has facts, and a warm run loads them all without reading one
il scan --format sarif --no-prefilter stat
cp "$OUT" "$T/stat-ref-np.sarif"
ilc scan --cache-dir "$T/c-stat-np" --format sarif --no-prefilter stat
same_report "stat --no-prefilter: cold, same report" "$T/stat-ref-np.sarif"
np_total=$(statnum parsed)
check "stat --no-prefilter: cold, every file is parsed" test "$np_total" -gt "$(statnum loaded)"
ilc scan --cache-dir "$T/c-stat-np" --format sarif --no-prefilter stat
same_report "stat --no-prefilter: warm, same report" "$T/stat-ref-np.sarif"
num_is "stat --no-prefilter: warm, every file's facts are loaded" "$(statnum loaded)" "$np_total"
num_is "stat --no-prefilter: warm, no file is read in phase 1" "$(statnum unread)" "$np_total"

# touched, not changed: a stat miss, a hash hit, nothing parsed; the entry is racily
# clean now, so the pack is rewritten only once the new record can be trusted
SKIPPED=stat/layer-via-index-reexport/lib/index.ts
touch "$W/$SKIPPED"
ilc scan --cache-dir "$C" --format sarif stat
same_report "touched: same report" "$T/stat-ref.sarif"
num_is "touched: that file is hashed" "$(statnum hashed)" "$((total - 1))"
num_is "touched: nothing is parsed" "$(statnum parsed)" 0
err_has "touched: the racily clean record is not written yet" "pack unchanged"
sleep 3
ilc scan --cache-dir "$C" --format sarif stat
num_is "touched, later: hashed once more" "$(statnum hashed)" "$((total - 1))"
err_has "touched, later: the pack takes the new stat data" "pack written"
ilc scan --cache-dir "$C" --format sarif stat
num_is "touched, then: not hashed any more" "$(statnum hashed)" "$total"
err_has "touched, then: the pack is left alone" "pack unchanged"

# an edit of the same size, its modification time put back (a racy edit): seen
DB=stat/exported-client-used-in-handler/lib/db.ts
cp -p "$W/$DB" "$T/db.orig"
sed 's/new Pool(/new Pooz(/' "$T/db.orig" >"$W/$DB"
touch -r "$T/db.orig" "$W/$DB"
check "same-size edit: the size is the same" test "$(stat -c %s "$W/$DB")" = "$(stat -c %s "$T/db.orig")"
check "same-size edit: the modification time is the same" test "$(stat -c %Y "$W/$DB")" = "$(stat -c %Y "$T/db.orig")"
ilc scan --cache-dir "$C" --format sarif stat
cp "$OUT" "$T/stat-edit1.sarif"
cp "$ERR" "$T/stat-edit1.err"
ref_plain stat-ref-edit1
check "same-size edit: the edit changes the findings" sh -c "! cmp -s '$T/stat-ref.sarif' '$T/stat-ref-edit1.sarif'"
check "same-size edit: the cached run sees it" cmp -s "$T/stat-edit1.sarif" "$T/stat-ref-edit1.sarif"
ERR=$T/stat-edit1.err
num_is "same-size edit: that file (it has facts) is read, no other" "$(statnum unread)" "$((total - 1))"
ERR=$T/.stderr
# an edit that changes the size
echo '// longer' >>"$W/$DB"
ilc scan --cache-dir "$C" --format sarif stat
cp "$OUT" "$T/stat-edit2.sarif"
ref_plain stat-ref-edit2
check "an edit of another size: seen" cmp -s "$T/stat-edit2.sarif" "$T/stat-ref-edit2.sarif"
# the file replaced (another inode) by one of the same size and times, the old text back
cp -p "$T/db.orig" "$W/$DB.new"
mv "$W/$DB.new" "$W/$DB"
ilc scan --cache-dir "$C" --format sarif stat
same_report "replaced by another inode: seen (the original findings)" "$T/stat-ref.sarif"
# and back to the same-size edit through a rename, times kept
sed 's/new Pool(/new Pooz(/' "$T/db.orig" >"$W/$DB.new"
touch -r "$T/db.orig" "$W/$DB.new"
mv "$W/$DB.new" "$W/$DB"
ilc scan --cache-dir "$C" --format sarif stat
same_report "renamed over, same size and times: seen" "$T/stat-ref-edit1.sarif"
cp -p "$T/db.orig" "$W/$DB"

# a tsconfig.json with a baseUrl appears: what makes a skipped file a candidate
# changes, so the candidate info recorded before is not used
TC=stat/neg-shadowed-import/tsconfig.json
echo '{"compilerOptions": {"baseUrl": "."}}' >"$W/$TC"
ref_plain stat-ref-tsconfig
ilc scan --cache-dir "$C" --format sarif stat
same_report "a tsconfig baseUrl appears: same report as without the cache" "$T/stat-ref-tsconfig.sarif"
rm "$W/$TC"

# packs of the formats before the stat data (2) and before detached facts (3): ignored
# with a note, rebuilt
for fmt in 2 3; do
  ilc scan --cache-dir "$C" --format sarif stat
  printf "\\x0$fmt" | dd of="$C/facts.pack" bs=1 seek=12 conv=notrunc status=none
  ilc scan --cache-dir "$C" --format sarif stat
  same_results "a pack of format $fmt: the findings are those without the cache" "$T/stat-ref.sarif"
  cache_note "a pack of format $fmt: ignored with a note" "another format"
  num_is "a pack of format $fmt: nothing taken from it" "$(statnum loaded)" 0
done

# ---- the walk's listing: probes it shows absent cost no stat, and give the same results ------
# (il_listing_absent in scan.c) imports written with ".js" of ".ts" files (the ".js" probe
# is answered by the listing), a directory entered through a symbolic link, a tsconfig
# alias, and the same tree scanned through ".." (no listing there): the same findings
L=$W/listing
mkdir -p "$L/proj/node_modules/shared" "$L/proj/src" "$L/via"
cp "$W/$P/lib/db.ts" "$L/proj/node_modules/shared/db.ts" # walked only through the link
ln -s ../node_modules/shared "$L/proj/src/lib"
sed 's|"./lib/db"|"./lib/db.js"|; s|"./routes/users"|"@app/users.js"|' "$W/$P/worker.ts" >"$L/proj/src/worker.ts"
mkdir -p "$L/proj/src/routes"
sed 's|"../lib/db"|"../lib/db.js"|' "$W/$P/routes/users.ts" >"$L/proj/src/routes/users.ts"
echo '{"compilerOptions": {"baseUrl": ".", "paths": {"@app/*": ["src/routes/*"]}}}' >"$L/proj/tsconfig.json"
il scan --format sarif listing/proj
cp "$OUT" "$T/listing.sarif"
js "listing: the findings of the cross-file project are there (a use in worker.ts and users.ts)" "$T/listing.sarif" \
  "j.runs[0].results.some(r => r.ruleId === 'module-scope-client' && (r.relatedLocations || []).length >= 2)"
il scan --format sarif listing/via/../proj
js "listing: a scan through '..' gives the same findings" "$OUT" "(() => {
  const key = x => JSON.stringify(x.runs[0].results.map(r => [r.ruleId, r.message.text.replace(/listing\/via\/\.\.\//g, 'listing/'),
    r.locations[0].physicalLocation.region, (r.relatedLocations || []).map(l => l.physicalLocation.region)]));
  return key(j) === key(JSON.parse(require('fs').readFileSync('$T/listing.sarif', 'utf8')));
})()"
ilc scan --cache-dir "$T/c-listing" --format sarif listing/proj
same_report "listing: a cold cache, the same report" "$T/listing.sarif"

# ---- --staged uses the cache -------------------------------------------------------------
if command -v git >/dev/null 2>&1; then
  G=$W/repo
  mkdir -p "$G"
  cp -R "$W/$P/." "$G/"
  (cd "$G" && git init -q && git add -A && git -c user.email=t@t -c user.name=t commit -qm init)
  echo '// staged edit' >>"$G/lib/db.ts"
  (cd "$G" && git add lib/db.ts)
  CWD=$G ISOLINT_CACHE_STATS=1 il scan --staged --format sarif
  cp "$OUT" "$T/staged-ref.sarif"
  CWD=$G il scan --staged --format sarif --cache
  cp "$OUT" "$T/staged-c1.sarif"
  check "--staged --cache, cold: same report" cmp -s "$T/staged-ref.sarif" "$T/staged-c1.sarif"
  check "--staged --cache: the pack is in the repository root" test -s "$G/.isolint-cache/facts.pack"
  CWD=$G ISOLINT_CACHE_STATS=1 il scan --staged --format sarif --cache
  same_report "--staged --cache, warm: same report" "$T/staged-ref.sarif"
  stats_match "--staged --cache, warm: nothing is parsed" "[1-9][0-9]* loaded, 0 parsed"
  CWD=$G il scan --format sarif --cache .
  rc_is "a full scan after --staged runs" 0 1
  CWD=$G ISOLINT_CACHE_STATS=1 il scan --staged --format sarif --cache
  same_report "--staged after a full scan with the same cache: same report" "$T/staged-ref.sarif"
  # context files (read for the cross-file pass) that the prefilter skips: on a warm
  # run each costs a stat, its text is not read
  G2=$W/repo2
  mkdir -p "$G2/lib"
  echo 'export const greet = (s: string) => "hi " + s;' >"$G2/lib/util.ts"
  printf 'import { greet } from "./util";\nexport const hello = greet("x");\n' >"$G2/lib/names.ts"
  printf 'import { Pool } from "pg";\nimport { hello } from "./lib/names";\nconst pool = new Pool();\nexport default { async fetch() { return new Response(hello + String(await pool.query("x"))); } };\n' >"$G2/worker.ts"
  (cd "$G2" && git init -q && git add -A && git -c user.email=t@t -c user.name=t commit -qm init)
  echo '// staged edit' >>"$G2/worker.ts"
  (cd "$G2" && git add worker.ts)
  sleep 3 # older than the racy window
  CWD=$G2 il scan --staged --format sarif
  cp "$OUT" "$T/staged2-ref.sarif"
  js "--staged context: the staged file has its finding" "$OUT" "j.runs[0].results.length > 0"
  CWD=$G2 ISOLINT_CACHE_STATS=1 il scan --staged --format sarif --cache
  same_report "--staged context, cold: same report" "$T/staged2-ref.sarif"
  num_is "--staged context, cold: the context files are read" "$(statnum unread)" 0
  CWD=$G2 ISOLINT_CACHE_STATS=1 il scan --staged --format sarif --cache
  same_report "--staged context, warm: same report" "$T/staged2-ref.sarif"
  num_is "--staged context, warm: the two skipped context files are not read" "$(statnum unread)" 2
  echo 'export const other = 1;' >>"$G2/lib/util.ts"
  CWD=$G2 il scan --staged --format sarif
  cp "$OUT" "$T/staged2-ref2.sarif"
  CWD=$G2 ISOLINT_CACHE_STATS=1 il scan --staged --format sarif --cache
  same_report "--staged context, a context file edited: same report as without the cache" "$T/staged2-ref2.sarif"
  num_is "--staged context, a context file edited: it is read" "$(statnum unread)" 1
else
  fail "git is needed for the --staged cases"
fi

t_done
