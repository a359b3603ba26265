#!/usr/bin/env bash
# gen-monorepo.sh [--files N] CORPUS OUT: a synthetic monorepo of N source files (default 50 000)
# made of copies of the benchmark corpus (bench/.work/corpus), for the scale run of bench/run.sh.
#
# Layout: OUT/packages/<group>/<name>/src/... with 40 to 120 files per package, taken from the
# corpus in turn (real copies: isolint takes a file once per inode, so hard links would not
# count). Every package has a package.json; one in 3 has a tsconfig.json whose `paths` map
# "@mono/<other package>/*" into another package; one in 10 is a Worker with a wrangler.toml
# (main = "src/worker.ts") and a small generated worker that imports a database client module
# of its own and one aliased module of a neighbour; one in 40 of those clients is built at module
# scope (a module-scope-client finding per such package, plus the cross-file uses), the others
# per request. Deterministic: the same N and corpus give the same tree.
set -euo pipefail
N=50000
if [ "${1:-}" = "--files" ]; then N="$2"; shift 2; fi
[ $# -eq 2 ] || { echo "usage: gen-monorepo.sh [--files N] CORPUS OUT" >&2; exit 2; }
case "$N" in ''|*[!0-9]*|0) echo "gen-monorepo.sh: --files needs a positive number" >&2; exit 2 ;; esac
CORPUS="$1" OUT="$2"
[ -d "$CORPUS" ] || { echo "gen-monorepo.sh: no corpus directory '$CORPUS'" >&2; exit 2; }
command -v node >/dev/null || { echo "gen-monorepo.sh: node is needed" >&2; exit 2; }
rm -rf "$OUT"
mkdir -p "$OUT"
node - "$CORPUS" "$OUT" "$N" <<'NODE'
const fs = require("fs"), path = require("path");
const [corpus, out, nS] = process.argv.slice(2);
const N = +nS;
const files = [];
(function walk(d) {
  for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name < b.name ? -1 : 1)) {
    const p = path.join(d, e.name);
    if (e.isDirectory()) walk(p);
    else if (/\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/.test(e.name)) files.push(p);
  }
})(corpus);
if (!files.length) { console.error("gen-monorepo.sh: the corpus has no source file"); process.exit(2); }
const groups = ["apps", "services", "libs", "tools", "workers", "shared"];
let made = 0, next = 0, pkg = 0, seed = 12345;
const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
const names = [];
while (made < N) {
  const group = groups[pkg % groups.length];
  const name = `pkg-${String(pkg).padStart(4, "0")}`;
  const dir = path.join(out, "packages", group, name);
  names.push(`${group}/${name}`);
  const worker = pkg % 10 === 3;
  const extra = worker ? 2 : 0;
  const count = Math.min(N - made, 40 + Math.floor(rnd() * 81));
  const copies = Math.max(0, count - extra);
  for (let i = 0; i < copies; i++) {
    const src = files[next++ % files.length];
    const rel = path.relative(corpus, src).split(path.sep).slice(1).join("/"); // drop effect/, platform/, hono/
    const dst = path.join(dir, "src", rel);
    fs.mkdirSync(path.dirname(dst), { recursive: true });
    fs.copyFileSync(src, dst);
  }
  made += copies;
  fs.mkdirSync(path.join(dir, "src"), { recursive: true });
  fs.writeFileSync(path.join(dir, "package.json"),
    JSON.stringify({ name: `@mono/${name}`, version: "0.0.0", private: true, type: "module" }, null, 2) + "\n");
  if (pkg % 3 === 1 && pkg > 0) {
    const other = names[Math.floor(rnd() * (names.length - 1))];
    fs.writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify({
      compilerOptions: { module: "esnext", moduleResolution: "bundler", baseUrl: ".",
                         paths: { [`@mono/${other.split("/")[1]}/*`]: [`../../${other}/src/*`] } } }, null, 2) + "\n");
  }
  if (worker && made + extra <= N) {
    fs.writeFileSync(path.join(dir, "wrangler.toml"),
      `name = "${name}"\nmain = "src/worker.ts"\ncompatibility_date = "2025-01-01"\n`);
    const shared = pkg % 40 === 3;
    fs.writeFileSync(path.join(dir, "src", "db.ts"), shared
      ? `import { Pool } from "pg";\n\nexport const pool = new Pool({ connectionString: process.env.DATABASE_URL });\n`
      : `import { Pool } from "pg";\n\nexport function makePool(url: string) {\n  return new Pool({ connectionString: url });\n}\n`);
    fs.writeFileSync(path.join(dir, "src", "worker.ts"), shared
      ? `import { pool } from "./db";\n\nexport default {\n  async fetch(req: Request): Promise<Response> {\n    const r = await pool.query("select 1");\n    return Response.json(r.rows);\n  },\n};\n`
      : `import { makePool } from "./db";\n\nexport default {\n  async fetch(req: Request, env: { DATABASE_URL: string }): Promise<Response> {\n    const pool = makePool(env.DATABASE_URL);\n    const r = await pool.query("select 1");\n    await pool.end();\n    return Response.json(r.rows);\n  },\n};\n`);
    made += extra;
  }
  pkg++;
}
console.log(`gen-monorepo.sh: ${made} source files in ${pkg} packages under ${out}/packages`);
NODE
