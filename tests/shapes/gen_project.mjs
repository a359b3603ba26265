// Builds a random project tree from a seed (same seed, same tree, byte for byte):
// nested package.json files with Node.js or Workers dependencies (and workspaces),
// Wrangler configurations (toml, json, jsonc; with and without `main`, which may name a
// missing file), vercel.json, tsconfig.json with `extends` (a parent, a missing file, a
// cycle) and `paths`, sources that build clients at module scope or per request and
// import each other (relative, through `paths`, by workspace package name), a few broken
// JSON files, and symbolic links (to a sibling, to an ancestor, dangling, to a file).
// At most 8 directory levels and 64 directories.
//
//     node gen_project.mjs SEED DIR
import fs from 'node:fs';
import path from 'node:path';

const [seedArg, root] = process.argv.slice(2);
if (!seedArg || !root) {
  console.error('usage: gen_project.mjs SEED DIR');
  process.exit(2);
}

// mulberry32: a small PRNG whose sequence depends only on the seed
let state = (Number(seedArg) * 0x9e3779b1) >>> 0;
function rand() {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const int = (n) => Math.floor(rand() * n);
const chance = (p) => rand() < p;
const pick = (a) => a[int(a.length)];

const MAX_DEPTH = 8;
const MAX_DIRS = 64;
const NAMES = ['apps', 'packages', 'services', 'src', 'lib', 'api', 'worker', 'web', 'db',
  'routes', 'deep', 'core', 'tools', 'edge', 'server', 'shared'];
const NODE_DEPS = ['express', 'fastify', 'koa', 'next', '@nestjs/core', 'hono', '@hono/node-server'];
const WORKER_DEPS = ['wrangler', '@cloudflare/workers-types', '@cloudflare/vite-plugin',
  '@opennextjs/cloudflare'];
const CLIENTS = [
  ['import { Pool } from "pg";', 'new Pool()'],
  ['import postgres from "postgres";', 'postgres(process.env.DATABASE_URL!)'],
  ['import Redis from "ioredis";', 'new Redis()'],
  ['import { PrismaClient } from "@prisma/client";', 'new PrismaClient()'],
  ['import { neon } from "@neondatabase/serverless";', 'neon(process.env.DATABASE_URL!)'],
  ['import mysql from "mysql2/promise";', 'mysql.createPool({})'],
];

fs.mkdirSync(root, { recursive: true });
const dirs = [{ rel: '', depth: 0 }];
const files = []; // relative paths of the sources, for imports
const packages = []; // { rel, name }
const write = (rel, text) => {
  const p = path.join(root, rel);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, text);
};

// the directory tree: breadth first, each directory gets 0..3 children
for (let i = 0; i < dirs.length && dirs.length < MAX_DIRS; i++) {
  const d = dirs[i];
  if (d.depth >= MAX_DEPTH) continue;
  const kids = int(4);
  for (let k = 0; k < kids && dirs.length < MAX_DIRS; k++) {
    const name = `${pick(NAMES)}${chance(0.5) ? int(10) : ''}`;
    const rel = d.rel ? `${d.rel}/${name}` : name;
    if (dirs.some((x) => x.rel === rel)) continue;
    dirs.push({ rel, depth: d.depth + 1 });
  }
}

const json = (v) => JSON.stringify(v, null, chance(0.5) ? 2 : 0) + '\n';
for (const d of dirs) {
  const at = (f) => (d.rel ? `${d.rel}/${f}` : f);
  // package.json: Node.js, Workers, both, none; sometimes workspaces; rarely broken
  if (chance(0.45)) {
    const name = `pkg-${packages.length}`;
    const pj = { name, version: '1.0.0' };
    const kind = int(4);
    if (kind === 0 || kind === 2) pj.dependencies = { [pick(NODE_DEPS)]: '^1.0.0' };
    if (kind === 1 || kind === 2) pj.devDependencies = { [pick(WORKER_DEPS)]: '^4.0.0' };
    if (chance(0.3)) pj.workspaces = chance(0.5) ? ['*', '*/*'] : { packages: ['apps/*', 'packages/**'] };
    if (chance(0.2)) pj.main = pick(['index.ts', 'src/index.ts', 'missing.js']);
    write(at('package.json'), chance(0.05) ? '{ "name": "broken", ' : json(pj));
    packages.push({ rel: d.rel, name });
  }
  // Wrangler configuration, with or without main
  if (chance(0.25)) {
    const main = chance(0.7) ? pick(['src/index.ts', 'index.ts', './worker.ts', 'missing.ts']) : null;
    const fmt = int(3);
    if (fmt === 0)
      write(at('wrangler.toml'), `name = "w${int(100)}"\n${main ? `main = "${main}"\n` : ''}compatibility_date = "2025-01-01"\n`);
    else if (fmt === 1)
      write(at('wrangler.json'), json(main ? { name: 'w', main } : { name: 'w' }));
    else
      write(at('wrangler.jsonc'), `// generated\n{\n  "name": "w", /* a comment */\n${main ? `  "main": "${main}",\n` : ''}}\n`);
  }
  if (chance(0.08)) write(at('vercel.json'), '{}\n');
  // tsconfig.json: extends a parent's, a missing file or itself; paths to a sibling folder
  if (chance(0.3)) {
    const tc = { compilerOptions: {} };
    const ext = int(4);
    if (ext === 1 && d.rel) tc.extends = '../tsconfig.json';
    if (ext === 2) tc.extends = './missing/tsconfig.base.json';
    if (ext === 3) tc.extends = './tsconfig.json';
    if (chance(0.7)) {
      tc.compilerOptions.baseUrl = '.';
      tc.compilerOptions.paths = { '@/*': ['src/*'], '~lib': ['lib/index.ts'], '#db/*': ['./db/*', './*'] };
    }
    write(at('tsconfig.json'), chance(0.05) ? '{ "extends": ' : json(tc));
  }
  // sources
  const n = int(3);
  for (let k = 0; k < n; k++) {
    const name = pick(['index.ts', 'worker.ts', 'db.ts', 'client.ts', 'handler.js', 'util.mjs', 'app.tsx', 'lib.cts']);
    const rel = at(name);
    if (files.includes(rel)) continue;
    files.push(rel);
  }
}

// source text: clients at module scope or per request, imports of other files
for (const rel of files) {
  const lines = [];
  const [imp, ctor] = pick(CLIENTS);
  lines.push(imp);
  for (let i = int(3); i > 0 && files.length > 1; i--) {
    const other = pick(files);
    if (other === rel) continue;
    let spec = path.relative(path.dirname(rel), other).replace(/\.(ts|tsx|cts|js|mjs)$/, '');
    if (!spec.startsWith('.')) spec = `./${spec}`;
    const how = int(4);
    if (how === 0) lines.push(`import * as m${i} from "${spec}";`);
    else if (how === 1) lines.push(`import { client as c${i} } from "${pick(['@/db', '~lib', '#db/client', spec])}";`);
    else if (how === 2 && packages.length) lines.push(`import { client as w${i} } from "${pick(packages).name}";`);
    else lines.push(`export * from "${spec}";`);
  }
  const shape = int(5);
  if (shape === 0) lines.push(`export const client = ${ctor};`);
  else if (shape === 1) lines.push('let client;', `export function get() { if (!client) client = ${ctor}; return client; }`);
  else if (shape === 2) lines.push(`export const client = null;`, `(globalThis as any).__c ??= ${ctor};`);
  else if (shape === 3) lines.push('export const id = crypto.randomUUID();');
  else lines.push('export const client = 1;');
  if (chance(0.5))
    lines.push(`export default {`, `  async fetch(req: Request) {`,
      `    const c = ${ctor};`, `    return new Response(String(c));`, `  },`, `};`);
  if (chance(0.03)) lines.push('export const broken = (;');
  write(rel, lines.join('\n') + '\n');
}

// symbolic links: to a sibling directory, to an ancestor (a loop), dangling, to a file
const nLinks = int(5);
for (let i = 0; i < nLinks; i++) {
  const d = pick(dirs);
  const kind = int(4);
  const link = path.join(root, d.rel, `link${i}`) + (kind === 3 ? '.ts' : '');
  fs.mkdirSync(path.dirname(link), { recursive: true }); // a directory with no file yet
  let target;
  if (kind === 0) target = path.relative(path.join(root, d.rel), path.join(root, pick(dirs).rel)) || '.';
  else if (kind === 1) target = d.rel ? '..' : '.';
  else if (kind === 2) target = 'nowhere/at/all';
  else if (files.length) target = path.relative(path.join(root, d.rel), path.join(root, pick(files)));
  else target = 'nowhere.ts';
  fs.symlinkSync(target, link);
}
console.log(`${dirs.length} dirs, ${files.length} sources, ${packages.length} package.json, ${nLinks} links`);
