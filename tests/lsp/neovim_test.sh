#!/usr/bin/env bash
# The Neovim 0.7-0.10 recipe of docs/editors.md (vim.lsp.start_client from a FileType
# autocommand, no nvim-lspconfig), extracted from the docs and run in the installed Neovim
# (Debian 12: 0.7.2) headless, with `isolint` on PATH being the binary under test: the
# diagnostics of tests/lsp/fixtures/project's files reach vim.diagnostic at the positions
# and with the codes `isolint scan FILE` gives (none for the express server).
# Exit 77 (skipped) when nvim is not installed.
#
#     tests/lsp/neovim_test.sh ISOLINT SOURCE_DIR
set -u
. "$(cd "$(dirname "$0")/.." && pwd)/cli/lib.sh"
if ! command -v nvim >/dev/null 2>&1; then
  echo "SKIP: nvim is not installed (apt-get install neovim)"
  exit 77
fi
t_init neovim "$@"

mkdir -p "$T/bin"
ln -s "$BIN" "$T/bin/isolint"
cp -r "$SRC/tests/lsp/fixtures/project" "$T/proj"
awk '/^Neovim 0\.7 to 0\.10/ { f = 1 } f && /^```lua/ { g = 1; next } g && /^```/ { exit } g { print }' \
  "$SRC/docs/editors.md" >"$T/init.lua"
check "docs/editors.md has the Neovim 0.7 recipe" grep -q 'vim.lsp.start_client' "$T/init.lua"
cat >"$T/check.lua" <<'LUA'
-- the file's diagnostics once some arrive (or after WAIT ms), as "source line:col code"
vim.wait(tonumber(vim.env.WAIT), function() return #vim.diagnostic.get(0) > 0 end, 50)
local out = {}
for _, d in ipairs(vim.diagnostic.get(0)) do
  local code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code) or ""
  table.insert(out, string.format("%s %d:%d %s", d.source or "", d.lnum, d.col, code))
end
vim.fn.writefile(out, vim.env.OUT)
vim.cmd("qa!")
LUA

# in_nvim FILE WAIT_MS: its diagnostics in $T/nvim.txt
in_nvim() {
  rm -f "$T/nvim.txt"
  (cd "$T/proj" && PATH="$T/bin:$PATH" OUT="$T/nvim.txt" WAIT=$2 timeout 120 \
    nvim --headless -u "$T/init.lua" -c "luafile $T/check.lua" "$1" </dev/null >"$T/nvim.log" 2>&1)
}
# the same from `isolint scan FILE --format json` (0-based line, byte column: Neovim's)
from_scan() {
  (cd "$T/proj" && "$BIN" scan --format json --no-progress --exit-zero "$1") | node -e '
    const text = require("fs").readFileSync(process.argv[1]);
    const j = JSON.parse(require("fs").readFileSync(0, "utf8"));
    for (const r of j.results) {
      const lineStart = text.lastIndexOf(10, r.start.byte - 1) + 1;
      console.log(`isolint ${r.start.line - 1}:${r.start.byte - lineStart} ${r.ruleId}`);
    }
  ' "$T/proj/$1"
}

for f in src/pool.ts src/worker.ts api/server.ts; do
  from_scan "$f" >"$T/scan.txt"
  cat "$T/scan.txt" >>"$T/all.txt"
  wait=20000
  [ -s "$T/scan.txt" ] || wait=3000 # nothing to wait for: give it time to be wrong
  in_nvim "$f" "$wait"
  if [ -f "$T/nvim.txt" ] && cmp -s "$T/scan.txt" "$T/nvim.txt"; then
    pass "$f: Neovim shows what scan FILE reports ($(wc -l <"$T/scan.txt") diagnostics)"
  else
    fail "$f: Neovim shows what scan FILE reports" "scan: $(cat "$T/scan.txt")" \
      "nvim: $(cat "$T/nvim.txt" 2>/dev/null)" "$(tail -n 20 "$T/nvim.log")"
  fi
done
check "the Worker's cross-file finding is among them" grep -q 'boot-time-layer' "$T/all.txt"
t_done
