#!/usr/bin/env bash
# Projects: which code of a tree runs in a Worker. A generated monorepo of the shape that
# crashed real scans (many package.json and Wrangler files at several depths, a Node.js
# root whose target signal is found before the Workers packages' signals), ...
# Usage: project_test.sh ISOLINT SOURCE_DIR
. "$(dirname "$0")/../cli/lib.sh"
t_init project "$@"

# --- a monorepo with many packages: the target signals' array grows while a Node.js
# signal found first is still held (issue 14: a use-after-free, SIGSEGV on real trees) --
M=$T/mono
mk "$M/package.json" '{ "name": "root", "dependencies": { "next": "15", "express": "4" } }'
mk "$M/vercel.json" '{}'
mk "$M/pnpm-workspace.yaml" 'packages: ["apps/*", "services/*", "services/*/*", "tools/*"]'
mk "$M/app/server.ts" 'import { Pool } from "pg";
export const pool = new Pool();
'
n_workers=0
for i in $(seq 1 24); do
  case $((i % 3)) in
    0) d=$M/apps/w$i; cfg=wrangler.toml; text='name = "w'$i'"
main = "src/index.ts"
' ;;
    1) d=$M/services/g$((i % 4))/w$i; cfg=wrangler.jsonc; text='// a comment
{ "name": "w'$i'", "main": "src/index.ts", }
' ;;
    2) d=$M/services/g$((i % 4))/deep/w$i; cfg=wrangler.json; text='{ "name": "w'$i'", "main": "./src/index.ts" }
' ;;
  esac
  mk "$d/package.json" '{ "name": "w'$i'", "devDependencies": { "wrangler": "4" } }'
  mk "$d/$cfg" "$text"
  mk "$d/src/index.ts" 'const boot = crypto.randomUUID();
export default { fetch() { return new Response(boot); } };
'
  n_workers=$((n_workers + 1))
done
# Node.js packages between them, and packages with no signal at all
for i in $(seq 1 8); do
  mk "$M/tools/n$i/package.json" '{ "name": "n'$i'", "dependencies": { "fastify": "5" } }'
  mk "$M/tools/n$i/index.ts" 'import { Pool } from "pg";
export const pool = new Pool();
'
  mk "$M/libs/l$i/package.json" '{ "name": "l'$i'" }'
  mk "$M/libs/l$i/index.ts" 'export const x = 1;
'
done
CWD=$M
for j in 1 2; do
  il scan --no-config --jobs $j --format json .
  rc_is "monorepo (--jobs $j): findings, no crash" 1
  js "monorepo (--jobs $j): one finding per Worker package, none in Node.js code" "$OUT" \
    "j.results.length === $n_workers && j.results.every(r => /\\/src\\/index\\.ts\$/.test(r.path))"
  il scan --no-config --jobs $j .
  out_line "monorepo (--jobs $j): the root's Node.js note names its package.json" \
    '^package.json: note: Target: Node.js \(a Node.js server dependency here\).* for 9 files below'
  out_line "monorepo (--jobs $j): each Node.js package's note" \
    '^tools/n8/package.json: note: Target: Node.js .* for 1 file below'
done
il scan --no-config --target workers --format json .
rc_is "monorepo --target workers: findings" 1
js "monorepo --target workers: the Node.js files too" "$OUT" \
  "j.results.length === $n_workers + 9"
unset CWD

t_done
