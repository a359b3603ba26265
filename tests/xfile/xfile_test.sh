#!/usr/bin/env bash
# Cross-file analysis through the CLI: in-memory sources resolved against the files
# on disk, explicit files whose imports are read as context, byte-identical output
# whatever --jobs, shards that together report what one run reports, the prefilter
# keeping files that import local modules, related locations with their own path in
# every format, and SARIF the multitool accepts.
# Usage: xfile_test.sh ISOLINT SOURCE_DIR
. "$(dirname "$0")/../cli/lib.sh"
t_init xfile "$@"
P=$SRC/fixtures/ts-projects
CWD=$SRC

# --- whole tree: --jobs does not change a byte --------------------------------------------
il scan --no-config --format sarif --jobs 1 fixtures/ts-projects
rc_is "scan ts-projects: findings exit 1" 1
cp "$OUT" "$T/j1.sarif"
il scan --no-config --format sarif --jobs 4 fixtures/ts-projects
cp "$OUT" "$T/j4.sarif"
check "--jobs 1 and --jobs 4 give byte-identical SARIF" cmp -s "$T/j1.sarif" "$T/j4.sarif"
js "SARIF: a related location in another file has that file's uri" "$T/j1.sarif" \
  'j.runs[0].results.some(r => r.locations[0].physicalLocation.artifactLocation.uri.endsWith("exported-client-used-in-handler/lib/db.ts") && r.relatedLocations.some(l => l.physicalLocation.artifactLocation.uri.endsWith("exported-client-used-in-handler/worker.ts") && l.physicalLocation.region.startLine === 8))'
check "multitool validates the ts-projects SARIF" bash "$SRC/tests/sarif/validate.sh" "$T/j1.sarif"

# --- shards: every finding once, related locations included ---------------------------------
il scan --no-config --format json fixtures/ts-projects
cp "$OUT" "$T/all.json"
: >"$T/shards.txt"
for k in 1 2 3; do
  il scan --no-config --format json --shard "$k/3" fixtures/ts-projects
  node -e 'const j=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8"));for(const r of j.results)console.log(JSON.stringify(r))' "$OUT" >>"$T/shards.txt"
done
node -e 'const j=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8"));for(const r of j.results)console.log(JSON.stringify(r))' "$T/all.json" | sort >"$T/all.txt"
sort "$T/shards.txt" >"$T/shards.sorted"
check "--shard 1/3..3/3 report together exactly what one run reports" cmp -s "$T/all.txt" "$T/shards.sorted"
check "the shard union is not empty" test -s "$T/all.txt"

# --- JSON and text carry the related file's path ---------------------------------------------
js "JSON: related path is the other file" "$T/all.json" \
  'j.results.some(r => r.path.endsWith("lazy-singleton-other-file/db.ts") && r.related.some(l => l.path.endsWith("lazy-singleton-other-file/worker.ts") && l.start.line === 6))'
js "JSON: related locations in the finding's own file keep its path" "$T/all.json" \
  'j.results.every(r => r.related.every(l => typeof l.path === "string" && l.path.length > 0))'
il scan --no-config fixtures/ts-projects/lazy-singleton-other-file
out_has "text: note names the other file" "its request handler 'fetch' uses 'getDb' from this module at fixtures/ts-projects/lazy-singleton-other-file/worker.ts:6:"

# --- a file named alone: its local imports are read as context -------------------------------
il scan --no-config fixtures/ts-projects/reexport-client-class/worker.ts
rc_is "explicit worker.ts: exit 1" 1
out_has "explicit worker.ts: re-exported client found" "worker.ts:5:14: error [module-scope-client]"
out_has "explicit worker.ts: one file analyzed (lib/index.ts is context)" "in 1 file."
out_lacks "explicit worker.ts: lib/index.ts not reported" "lib/index.ts"

# --- the prefilter keeps a file that imports a local module ---------------------------------
il scan --no-config fixtures/ts-projects/reexport-client-class
cp "$OUT" "$T/pf.txt"
il scan --no-config --no-prefilter fixtures/ts-projects/reexport-client-class
check "prefilter on and off give the same report" cmp -s "$T/pf.txt" "$OUT"
out_has "prefilter: worker.ts finding" "worker.ts:5:14: error [module-scope-client]"

# --- in-memory sources resolve against the files on disk ------------------------------------
il_in "$P/reexport-client-class/worker.ts" scan --no-config \
  --stdin-filename fixtures/ts-projects/reexport-client-class/worker.ts
rc_is "stdin worker.ts: exit 1" 1
out_has "stdin worker.ts: re-export on disk followed" "worker.ts:5:14: error [module-scope-client]"
# the text on stdin wins over the file on disk of the same path
printf 'import { Pool } from "./lib";\nexport default { async fetch() { return new Pool(); } };\n' >"$T/fixed.ts"
il_in "$T/fixed.ts" scan --no-config \
  --stdin-filename fixtures/ts-projects/reexport-client-class/worker.ts
rc_is "stdin fixed worker.ts: clean" 0
out_lacks "stdin fixed worker.ts: no finding" "module-scope-client"
# an in-memory lib re-exporting a look-alike: nothing on disk is needed
printf 'import { Pool } from "./nowhere/lib";\nconst p = new Pool();\nexport default { fetch() { return p; } };\n' >"$T/alone.ts"
il_in "$T/alone.ts" scan --no-config --stdin-filename src/alone.ts
rc_is "stdin with an unresolvable import: clean" 0

# --- a broken tsconfig.json is a warning, never a crash ----------------------------------------
mkdir -p "$T/broken/src"
printf '{ "compilerOptions": { "baseUrl": "src", } /* unterminated' >"$T/broken/tsconfig.json"
printf 'export { Pool } from "pg";\n' >"$T/broken/src/lib.ts"
printf 'import { Pool } from "lib";\nexport const p = new Pool();\n' >"$T/broken/src/worker.ts"
CWD=$T il scan --no-config broken
out_has "broken tsconfig: ISOL0004 names it" "broken/tsconfig.json"
out_has "broken tsconfig: says paths are ignored" "warning: This TypeScript configuration file is not valid JSON"
out_lacks "broken tsconfig: alias not followed" "worker.ts:2"
printf '\xff\xfe{{{' >"$T/broken/tsconfig.json"
CWD=$T il scan --no-config broken
out_has "binary tsconfig: a warning" "warning: This TypeScript configuration file is not valid JSON"
printf '{ "compilerOptions": { "baseUrl": "src", }, }\n' >"$T/broken/tsconfig.json"
CWD=$T il scan --no-config broken
out_has "tolerant tsconfig: baseUrl followed" "worker.ts:2:18: error [module-scope-client]"
out_lacks "tolerant tsconfig: no notification" "TypeScript configuration"
# a directory named tsconfig.json, and a self-extending config
rm "$T/broken/tsconfig.json" && mkdir "$T/broken/tsconfig.json"
CWD=$T il scan --no-config broken
rc_is "tsconfig.json that is a directory: no crash" 0
rmdir "$T/broken/tsconfig.json"
printf '{ "extends": "./tsconfig.json", "compilerOptions": { "baseUrl": "src" } }\n' >"$T/broken/tsconfig.json"
CWD=$T il scan --no-config broken
out_has "self-extending tsconfig: bounded, baseUrl followed" "worker.ts:2:18: error [module-scope-client]"

# --- a re-export cycle of many files ends ---------------------------------------------------
mkdir -p "$T/cycle"
for i in $(seq 0 199); do
  printf 'export * from "./m%d";\nexport * from "./m%d";\n' $(((i + 1) % 200)) $(((i + 7) % 200)) >"$T/cycle/m$i.ts"
done
printf 'import { Pool } from "./m0";\nexport const p = new Pool();\n' >"$T/cycle/worker.ts"
CWD=$T IL_TIMEOUT=30 il scan --no-config cycle
rc_is "200-file re-export cycle: terminates clean" 0

# --- target detection and --target --------------------------------------------------------
mkdir -p "$T/node/src"
printf '{ "dependencies": { "express": "4" } }\n' >"$T/node/package.json"
printf 'import { Pool } from "pg";\nexport const pool = new Pool();\n' >"$T/node/src/db.ts"
printf 'import { Pool } from "pg";\n// isolint-disable-next-line module-scope-client -- kept for a Workers build\nexport const other = new Pool();\n' >"$T/node/src/other.ts"
CWD=$T il scan --no-config node
rc_is "express package.json: Node.js, clean" 0
out_has "express package.json: says which target and why" "node/package.json: note: Target: Node.js (a Node.js server dependency here)"
out_lacks "express package.json: a suppression for a rule that is off is not unused" "unused-suppression"
CWD=$T il scan --no-config --target workers node
rc_is "--target workers: the Workers rules run" 1
out_has "--target workers: finding" "node/src/db.ts:2:21: error [module-scope-client]"
out_lacks "--target workers: no target note" "Target: Node.js"
out_lacks "--target workers: no detected-target location (explicit)" "target: Cloudflare Workers"
printf '{ "target": "workers" }\n' >"$T/node/isolint.json"
CWD=$T/node il scan .
rc_is "isolint.json target workers: the Workers rules run" 1
CWD=$T/node il scan --target auto .
rc_is "--target auto wins over isolint.json" 0
CWD=$T/node il scan --target node --format json .
rc_is "--target node: clean" 0
js "--target node: no result and no target note (explicit)" "$OUT" 'j.results.length === 0 && j.notifications.length === 0'
rm "$T/node/isolint.json"
il scan --no-config --target deno fixtures/ts-projects
rc_is "--target deno: usage error" 2
err_has "--target deno: names the values" "--target expects workers, node or auto"
# a wrangler file beats a Node dependency in the same directory
printf 'name = "w"\nmain = "src/db.ts"\n' >"$T/node/wrangler.toml"
CWD=$T il scan --no-config node
rc_is "wrangler.toml next to an express package.json: Workers" 1
out_has "the finding says the target and where it comes from (entry file itself)" "= note: target: Cloudflare Workers, detected from a Wrangler configuration here at node/wrangler.toml:1:1"
rm "$T/node/wrangler.toml"
printf 'export default defineNuxtConfig({ nitro: { preset: "cloudflare-module" } });\n' >"$T/node/nuxt.config.ts"
CWD=$T il scan --no-config node
rc_is "nuxt cloudflare preset: Workers" 1
out_has "nuxt cloudflare preset: said in the finding" "target: Cloudflare Workers, detected from a cloudflare preset here at node/nuxt.config.ts:1:1"
rm "$T/node/nuxt.config.ts"
printf '{ "devDependencies": { "@opennextjs/cloudflare": "1", "express": "4" } }\n' >"$T/node/package.json"
CWD=$T il scan --no-config node
rc_is "@opennextjs/cloudflare: Workers" 1
out_has "@opennextjs/cloudflare: said in the finding" "target: Cloudflare Workers, detected from a Workers toolchain dependency here at node/package.json:1:1"
printf '{ "description": "not \\"express\\": a word", "dependencies": {} }\n' >"$T/node/package.json"
CWD=$T il scan --no-config node
rc_is "a package.json that only mentions express: Workers (the default)" 1
out_lacks "Workers by default: no detected-target location" "target: Cloudflare Workers"
printf 'import { env } from "cloudflare:workers";\nimport { Pool } from "pg";\nexport const pool = new Pool(env.URL);\n' >"$T/node/src/cf.ts"
CWD=$T il scan --no-config node/src/cf.ts
out_has "a cloudflare: import: said in the finding, at the import" "target: Cloudflare Workers, detected from this module's import of 'cloudflare:workers' at node/src/cf.ts:1:10"
CWD=$T il scan --no-config --format sarif --output "$T/cf.sarif" node/src/cf.ts
sarif_ok "detected-target location: valid SARIF" "$T/cf.sarif"
rm "$T/node/src/cf.ts"
# connect() from cloudflare:sockets at load: one finding, from global-scope-io unless it is off
printf 'import { connect } from "cloudflare:sockets";\nconst s = connect("db:5432");\nexport default { fetch() { return new Response(String(s)); } };\n' >"$T/sock.ts"
CWD=$T il scan --no-config --format concise sock.ts
out_has "module-scope connect(): global-scope-io" "sock.ts:2:11: error global-scope-io"
out_lacks "module-scope connect(): not also module-scope-client" "module-scope-client"
CWD=$T il scan --no-config --format concise --rule global-scope-io=off sock.ts
out_has "global-scope-io off: module-scope-client reports connect()" "sock.ts:2:11: error module-scope-client"
# the stdin path: the LSP-like single-file path honours only an explicit node
il_in "$T/node/src/db.ts" scan --no-config --target node --stdin-filename src/db.ts
rc_is "--target node with stdin: clean" 0

# --- candidates: parsed only when what they import leads somewhere ---------------------------
mkdir -p "$T/cand"
printf 'export const x = 1;\n' >"$T/cand/util.ts"
printf 'export { Pool } from "pg";\n' >"$T/cand/lib.ts"
printf 'import { x } from "./util";\nconst = ;\nexport default x;\n' >"$T/cand/a.ts"
printf 'import { Pool } from "./lib";\nconst = ;\nexport const p = new Pool();\n' >"$T/cand/b.ts"
CWD=$T il scan --no-config cand
out_lacks "candidate importing nothing relevant: not parsed (no syntax warning)" "cand/a.ts"
out_has "candidate importing a client re-export: parsed (syntax warning)" "cand/b.ts:2:"
out_has "candidate importing a client re-export: finding" "cand/b.ts:3:18: error [module-scope-client]"
CWD=$T il scan --no-config --no-prefilter cand
out_has "--no-prefilter: every file parsed" "cand/a.ts:2:"

# --- the Worker's entry point ------------------------------------------------------------------
mkdir -p "$T/entry/src"
printf 'import { pool } from "./db";\nexport default { async fetch() { return Response.json(await pool.query("x")); } };\n' >"$T/entry/src/index.ts"
printf 'import { Pool } from "pg";\nexport const pool = new Pool();\n' >"$T/entry/src/db.ts"
printf 'name = "e"\n[vars]\nmain = "src/index.ts"\n' >"$T/entry/wrangler.toml"
CWD=$T il scan --no-config entry
out_lacks "main only inside a toml table: no entry point" "entry point"
printf 'name = "e"\nmain = "src/index.ts"\n' >"$T/entry/wrangler.toml"
CWD=$T il scan --no-config entry
out_has "toml main: the entry's handler using the import is a related location" "reached from entry/src/index.ts (main in wrangler.toml): its request handler 'fetch' uses 'pool' from this module at entry/src/index.ts:2:61"
out_lacks "toml main: the handler's use is one related location, not two" "used in request handler 'fetch'"
out_lacks "toml main: the entry point says the target, no second location" "target: Cloudflare Workers"
# an entry importing the module without a handler using it: the import is the location
printf 'import { pool } from "./db";\nexport const p = pool;\nexport default { async fetch() { return new Response("ok"); } };\n' >"$T/entry/src/index.ts"
CWD=$T il scan --no-config entry
out_has "toml main, no handler uses the import: the entry's import" "reached from entry/src/index.ts (main in wrangler.toml), which imports this module at entry/src/index.ts:1:10"
# the handler that reaches the module through another file
printf 'import { pool } from "./db";\nexport function q() { return pool.query("x"); }\n' >"$T/entry/src/routes.ts"
printf 'import { q } from "./routes";\nexport default { async fetch() { return Response.json(await q()); } };\n' >"$T/entry/src/index.ts"
CWD=$T il scan --no-config entry
out_has "handler reaching the module through another file" "reached from entry/src/index.ts (main in wrangler.toml) through entry/src/routes.ts: its request handler 'fetch' uses 'q' from there at entry/src/index.ts:2:61"
# no handler uses the import: the entry's import, named with the file it leads through
printf 'import { q } from "./routes";\nexport const r = q;\nexport default { async fetch() { return new Response("ok"); } };\n' >"$T/entry/src/index.ts"
mv "$T/entry/wrangler.toml" "$T/entry/wrangler.jsonc.tmp"
printf '{\n  // JSONC\n  "main": "src/index.ts",\n}\n' >"$T/entry/wrangler.jsonc"
CWD=$T/entry il scan --no-config .
out_has "the related location names the entry, its configuration and the file it goes through" "reached from src/index.ts (main in wrangler.jsonc) through src/routes.ts at src/index.ts:1:10"
rm "$T/entry/wrangler.jsonc"
mv "$T/entry/wrangler.jsonc.tmp" "$T/entry/wrangler.toml"
rm "$T/entry/src/routes.ts"
printf 'import { pool } from "./db";\nexport default { async fetch() { return Response.json(await pool.query("x")); } };\n' >"$T/entry/src/index.ts"
CWD=$T il scan --no-config --target workers entry
out_has "--target workers: entry point still found" "reached from entry/src/index.ts (main in wrangler.toml)"
printf '{ "main": "src/missing.ts" }\n' >"$T/entry/wrangler.json"
rm "$T/entry/wrangler.toml"
CWD=$T il scan --no-config entry
rc_is "json main naming no file: no crash, finding" 1
out_lacks "json main naming no file: no entry point" "entry point"

# --- nothing to scan ---------------------------------------------------------------------------
mkdir -p "$T/empty"
CWD=$T il scan --no-config empty
rc_is "an empty directory: clean" 0
printf 'const x = 1;\n' >"$T/empty/plain.ts"
CWD=$T il scan --no-config empty
rc_is "only prefiltered files: clean" 0

# --- related locations sorted by their own key: a walk, explicit paths in another order
# and --staged give the same SARIF (a Prisma client used in several files) --------------
PR=$T/related
mk "$PR/src/db.ts" 'import { PrismaClient } from "@prisma/client";
export const prisma = new PrismaClient();
'
for n in alpha beta gamma; do
  mk "$PR/src/routes/$n.ts" 'import { prisma } from "../db";
export default {
  async fetch() {
    return Response.json(await prisma.user.findMany());
  },
};
'
done
mk "$PR/src/zeta.ts" 'import { prisma } from "./db";
export async function handler() { return prisma.post.count(); }
'
CWD=$PR
il scan --no-config --format sarif .
cp "$OUT" "$T/rel-walk.sarif"
js "related: the client's finding has related locations in the three routes" "$T/rel-walk.sarif" \
  'j.runs[0].results.some(r => r.relatedLocations && r.relatedLocations.filter(l => /routes\//.test(l.physicalLocation.artifactLocation.uri)).length === 3)'
il scan --no-config --format sarif src/zeta.ts src/routes/gamma.ts src/routes/beta.ts src/routes/alpha.ts src/db.ts
check "related: explicit paths in reverse order give the walk's SARIF" cmp -s "$T/rel-walk.sarif" "$OUT"
git -C "$PR" init -q && git -C "$PR" add -A
il scan --no-config --format sarif --staged
check "related: --staged gives the walk's SARIF" cmp -s "$T/rel-walk.sarif" "$OUT"

t_done
