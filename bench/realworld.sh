#!/usr/bin/env bash
# A real-world soak (not a test): scans real repositories and prints one line per root:
# files analyzed, wall seconds, findings, exit status and peak RSS.
#
#     bench/realworld.sh [-b ISOLINT] [-j JOBS] [-o OUTDIR] [-l LIST] [DIR] [-- SCAN-OPTIONS...]
#
# DIR: a folder of checkouts; every directory directly in it is one root (default: the
#      current directory). -l LIST: the roots instead, one path per line (relative paths are
#      taken from DIR; empty lines and lines starting with # are skipped).
# -b   the isolint binary (default: build/isolint of this checkout, else `isolint` on PATH).
# -j   --jobs for each scan (default: isolint's own default, all cores).
# -o   keep each root's JSON report and stderr there (default: a temporary folder, removed).
# After `--`: more scan options for every root (--no-prefilter, --target node...).
#
# Each root is scanned as a user would: `cd ROOT && isolint scan --format json .`, with a
# 900 s limit. Peak RSS needs GNU time (/usr/bin/time; `apt-get install -y time`). Exit
# status: 0 when every root was scanned with exit 0 or 1, else 1 (a crash, a timeout, exit 2).
set -u
here=$(cd "$(dirname "$0")/.." && pwd)
bin=""
jobs=""
outdir=""
list=""
dir=.
while [ $# -gt 0 ]; do
  case $1 in
    -b) bin=$2; shift 2 ;;
    -j) jobs=$2; shift 2 ;;
    -o) outdir=$2; shift 2 ;;
    -l) list=$2; shift 2 ;;
    -h | --help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    --) shift; break ;;
    -*) echo "realworld.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    *) dir=$1; shift ;;
  esac
done
extra=("$@")
if [ -z "$bin" ]; then
  if [ -x "$here/build/isolint" ]; then bin=$here/build/isolint; else bin=$(command -v isolint || true); fi
fi
if [ -z "$bin" ] || [ ! -x "$bin" ]; then
  echo "realworld.sh: no isolint binary (build it, or give -b PATH)" >&2
  exit 2
fi
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")
if [ ! -d "$dir" ]; then
  echo "realworld.sh: $dir: not a directory" >&2
  exit 2
fi
dir=$(cd "$dir" && pwd)
gtime=""
if /usr/bin/time -f %M true >/dev/null 2>&1; then gtime=/usr/bin/time; fi
[ -n "$gtime" ] || echo "realworld.sh: GNU time not found (apt-get install -y time): no peak RSS" >&2
if [ -n "$outdir" ]; then
  mkdir -p "$outdir" || exit 2
  outdir=$(cd "$outdir" && pwd)
  keep=1
else
  outdir=$(mktemp -d "${TMPDIR:-/tmp}/isolint-realworld.XXXXXX") || exit 2
  keep=0
fi

roots=()
if [ -n "$list" ]; then
  while IFS= read -r line || [ -n "$line" ]; do
    case $line in '' | '#'*) continue ;; esac
    case $line in /*) roots+=("$line") ;; *) roots+=("$dir/$line") ;; esac
  done <"$list"
else
  for d in "$dir"/*/; do roots+=("${d%/}"); done
fi
if [ ${#roots[@]} -eq 0 ]; then
  echo "realworld.sh: no roots in $dir" >&2
  exit 2
fi

opts=(scan --format json --no-progress)
[ -n "$jobs" ] && opts+=(--jobs "$jobs")
opts+=("${extra[@]}")
printf '%-44s %7s %9s %9s %5s %10s\n' root files seconds findings exit peak_MB
status=0
tf=0
ts=0
tn=0
for root in "${roots[@]}"; do
  name=$(basename "$root")
  if [ ! -d "$root" ]; then
    printf '%-44s %7s %9s %9s %5s %10s\n' "$name" - - - - "(missing)"
    status=1
    continue
  fi
  safe=$(printf '%s' "$name" | tr -c 'A-Za-z0-9._@+-' '_')
  rep=$outdir/$safe.json
  err=$outdir/$safe.stderr
  rss=$outdir/$safe.rss
  start=$(date +%s.%N)
  if [ -n "$gtime" ]; then
    (cd "$root" && timeout 900 "$gtime" -o "$rss" -f %M "$bin" "${opts[@]}" . >"$rep" 2>"$err")
  else
    (cd "$root" && timeout 900 "$bin" "${opts[@]}" . >"$rep" 2>"$err")
  fi
  rc=$?
  end=$(date +%s.%N)
  secs=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", b - a }')
  read -r files findings < <(node -e '
    try {
      const j = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
      console.log(`${j.filesAnalyzed ?? "?"} ${(j.results || []).length}`);
    } catch (e) { console.log("? ?"); }' "$rep")
  peak="-"
  if [ -n "$gtime" ] && [ -s "$rss" ]; then
    kb=$(tail -n 1 "$rss")
    case $kb in *[!0-9]*) ;; *) peak=$(awk -v k="$kb" 'BEGIN { printf "%.1f", k / 1024 }') ;; esac
  fi
  case $rc in 0 | 1) ;; *) status=1 ;; esac
  printf '%-44s %7s %9s %9s %5s %10s\n' "$name" "$files" "$secs" "$findings" "$rc" "$peak"
  case $files in *[!0-9]*) ;; *) tf=$((tf + files)) ;; esac
  case $findings in *[!0-9]*) ;; *) tn=$((tn + findings)) ;; esac
  ts=$(awk -v a="$ts" -v b="$secs" 'BEGIN { printf "%.2f", a + b }')
done
printf '%-44s %7s %9s %9s\n' "total (${#roots[@]} roots)" "$tf" "$ts" "$tn"
[ "$keep" = 1 ] && echo "reports: $outdir" >&2
[ "$keep" = 0 ] && rm -rf "$outdir"
exit $status
