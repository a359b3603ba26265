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

# --- code that never ships: tests, scripts, configs, migrations (fixtures/ts-projects/code-*)
CWD=$SRC
P=fixtures/ts-projects
il scan --no-config --format json $P/code-hono-vitest-seed $P/code-no-entry-known
rc_is "code-*: findings" 1
js "code-*: findings only in Worker code" "$OUT" \
  'paths.join(" ") === "'$P'/code-hono-vitest-seed/src/index.ts '$P'/code-hono-vitest-seed/src/routes.ts '$P'/code-no-entry-known/src/index.ts"'
il scan --no-config --all-files --format json $P/code-hono-vitest-seed $P/code-no-entry-known
js "--all-files: every file is Worker code" "$OUT" 'j.results.length === 14'
il scan --no-config --format sarif $P/code-hono-vitest-seed $P/code-no-entry-known
cp "$OUT" "$T/code.sarif"
sarif_ok "code-*: SARIF validates" "$T/code.sarif"
mk "$T/cfg/nodecode.json" '{ "nodeCode": ["tests"] }'
il scan --config "$T/cfg/nodecode.json" --format json $P/code-no-entry-known
js "nodeCode [tests]: scripts, configs and migrations are Worker code again" "$OUT" \
  'j.results.length === 5 && !paths.some(p => /(spec|tests\/)/.test(p))'
mk "$T/cfg/all.json" '{ "allFiles": true }'
il scan --config "$T/cfg/all.json" --format json $P/code-hono-vitest-seed
js "allFiles true: unreached files are checked" "$OUT" 'j.results.length === 7'
il config --print --no-config
js "config --print: nodeCode defaults to all five kinds, allFiles false" "$OUT" \
  'JSON.stringify(j.nodeCode) === JSON.stringify(["tests", "scripts", "configs", "migrations", "assets"]) && j.allFiles === false'
mk "$T/cfg/bad.json" '{ "nodeCode": ["tests", "docs"] }'
il scan --config "$T/cfg/bad.json" $P/code-no-entry-known
rc_is "nodeCode with an unknown kind: exit 2" 2
err_has "nodeCode with an unknown kind: the message names the key" '"nodeCode"[1] must be'
unset CWD

# --- entry points from the code and the configurations (issue 14) -------------------------
CWD=$SRC
P=fixtures/ts-projects
il scan --no-config $P/entry-durable-object
out_has "a finding inside a Durable Object class names it" \
  "note: Durable Object class ChatRoom (wrangler.jsonc) at $P/entry-durable-object/src/room.ts:5:14"
out_has "a file reached from the class's file: the class is the entry" \
  "reached from $P/entry-durable-object/src/room.ts (Durable Object class ChatRoom in wrangler.jsonc): its request handler 'fetch' uses 'audit' from this module"
out_lacks "script_name: another Worker's class is no entry" "class Ledger"
il scan --no-config $P/workspace-pnpm
out_has "a workspace package by name: exports (workerd) into packages/db" \
  "reached from $P/workspace-pnpm/apps/worker/src/index.ts (main in wrangler.jsonc): its request handler 'fetch' uses 'db' from this module"
out_lacks "the node condition's file is not reached" "uses 'nodePool'"
# scanning the Worker's package alone follows the import into the workspace all the same
CWD=$SRC/$P/workspace-pnpm/apps/worker
il scan --no-config --format json .
js "apps/worker alone: its test is left out, nothing else of the package reported" "$OUT" \
  'j.results.length === 0'
CWD=$SRC
il scan --no-config --format json $P/opennext-app
js "OpenNext: the route reaches src/lib/db.ts; scripts, components, build output left out" "$OUT" \
  'paths.join(" ") === "'$P'/opennext-app/src/lib/db.ts"'
il scan --no-config $P/opennext-app
out_has "OpenNext: the related location names the route" \
  "reached from $P/opennext-app/src/app/api/users/route.ts (a Next.js app route, page or layout) through $P/opennext-app/src/lib/users.ts: its request handler 'GET' uses 'listUsers' from there"
il scan --no-config --format sarif $P/entry-durable-object $P/workspace-pnpm $P/opennext-app $P/entry-edge-runtime $P/entry-hono-default
cp "$OUT" "$T/entries.sarif"
sarif_ok "entries: SARIF validates" "$T/entries.sarif"
unset CWD

# Wrangler toml: [[durable_objects.bindings]], [[workflows]], an inline bindings array,
# an environment's bindings, script_name
W=$T/dotoml
mk "$W/wrangler.toml" 'name = "w"
main = "dist/index.js"

[[durable_objects.bindings]]
name = "A"
class_name = "Alpha"

[[env.staging.durable_objects.bindings]]
name = "A"
class_name = "Alpha"

[durable_objects]
bindings = [
  { name = "B", class_name = "Beta" },
  { name = "C", class_name = "Gamma", script_name = "other" },
]

[[workflows]]
name = "flow"
binding = "FLOW"
class_name = "Delta"
'
for c in Alpha Beta Gamma Delta; do
  mk "$W/src/$c.ts" 'import { Pool } from "pg";
export class '$c' {
  static pool: Pool | undefined;
  async fetch() {
    '$c'.pool ??= new Pool();
    return '$c'.pool.query("select 1");
  }
}
'
done
CWD=$W
il scan --no-config --format json .
js "toml: Alpha, Beta (inline) and Delta (workflow) are entries; Gamma is another Worker's" "$OUT" \
  'paths.join(" ") === "src/Alpha.ts src/Beta.ts src/Delta.ts"'
il scan --no-config .
out_has "toml: a workflow class" "Workflow class Delta (wrangler.toml)"
unset CWD

t_done
