#!/bin/bash
# The layout check (docs/architecture.md): every source file of analyzer/ and rules/
# belongs to the stage of its folder, and may include headers of its own stage or of
# stages below it, never above. An include is resolved as the compiler does: next to
# the including file, else from analyzer/, else from the top of the tree.
# Usage: check_includes.sh SOURCE_DIR
set -u
root=${1:?usage: check_includes.sh SOURCE_DIR}
cd "$root" || exit 2

# The stage order, lowest first: written here only.
STAGES="base discover facts frontend project flow rules core output cli"

rank_of() { # rank_of STAGE -> its index in STAGES, or nothing
  local i=0 s
  for s in $STAGES; do
    [ "$s" = "$1" ] && { echo $i; return; }
    i=$((i + 1))
  done
}

stage_of() { # stage_of PATH (relative to the top) -> the stage, or nothing
  case "$1" in
    analyzer/*/*) local rest=${1#analyzer/}; echo "${rest%%/*}" ;;
    rules/*) echo rules ;;
  esac
}

fail=0
n_files=0
n_incs=0
while IFS= read -r file; do
  n_files=$((n_files + 1))
  stage=$(stage_of "$file")
  rank=$(rank_of "$stage")
  if [ -z "$rank" ]; then
    echo "$file: folder '$stage' is not a stage of tests/layout/check_includes.sh (add it to STAGES)"
    fail=1
    continue
  fi
  dir=$(dirname "$file")
  while IFS= read -r line; do
    lineno=${line%%:*}
    inc=${line#*:}
    inc=${inc#*\"}
    inc=${inc%%\"*}
    n_incs=$((n_incs + 1))
    if [ -f "$dir/$inc" ]; then
      target=$(realpath -m --relative-to=. "$dir/$inc")
    elif [ -f "analyzer/$inc" ]; then
      target=$(realpath -m --relative-to=. "analyzer/$inc")
    elif [ -f "$inc" ]; then
      target=$(realpath -m --relative-to=. "$inc")
    else
      echo "$file:$lineno: #include \"$inc\" names no file (next to it, in analyzer/ or at the top)"
      fail=1
      continue
    fi
    tstage=$(stage_of "$target")
    trank=$(rank_of "$tstage")
    if [ -z "$trank" ]; then
      echo "$file:$lineno: #include \"$inc\" is $target, outside the stages"
      fail=1
    elif [ "$trank" -gt "$rank" ]; then
      echo "$file:$lineno: #include \"$inc\": stage '$stage' includes '$tstage', a stage above it" \
           "(order: $STAGES)"
      fail=1
    fi
  done < <(grep -n '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' "$file")
done < <(find analyzer rules -type f \( -name '*.c' -o -name '*.h' -o -name '*.def' \) | sort)

if [ "$n_files" -eq 0 ]; then
  echo "no source files found under $root/analyzer and $root/rules"
  exit 1
fi
if [ "$fail" -ne 0 ]; then
  echo "FAIL: an include reaches up or out (docs/architecture.md, 'Stages')"
  exit 1
fi
echo "ok: $n_files files, $n_incs includes, each of its own stage or below ($STAGES)"
