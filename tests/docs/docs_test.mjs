// docs.commands: every shell command of README.md and docs/**/*.md is run, so the docs stay true.
//
//     node tests/docs/docs_test.mjs ISOLINT_BINARY SOURCE_DIR [FILE.md...]
//
// What counts as a command (fenced code blocks, ``` or ~~~):
// - a block tagged sh, bash, shell or zsh: each line is a command (a line ending in `\` continues
//   on the next; blank lines and `#` comment lines are not commands). A block whose first line
//   is `#!` is a script file: it runs as one command.
// - a block tagged console, shell-session or sh-session, or untagged/text, holding lines that
//   start with `$ `: each such line is a command (`> ` lines continue it) and the lines after it,
//   up to the next `$ ` line, are its output.
// The commands run as a reader would type them, in a scratch directory: a git repository (every
// file staged) holding a copy of examples/worker-demo, with the built binary on PATH as `isolint`
// and ISOLINT_KB_DIR set, each command in `bash -c` with stdin /dev/null, one after the other.
// The blocks of one file run in order in the same scratch directory (a later step sees what an
// earlier one wrote, as in the doc); files run in parallel. A command passes when it exits with
// the status the doc implies, 0 unless said otherwise, and, when the block shows output, prints
// that output (stdout and stderr together), where a line `...` stands for any lines and `...`
// within a line for any text, and the scratch directory is shown as /work/app and the knowledge
// base as /usr/local/share/isolint/kb (the paths the docs use).
//
// A block says more in HTML comments on the lines right above it (invisible on GitHub, visible
// in the source), several directives separated by `;`:
//   <!-- docs-test: skip (why) -->    not run (needs the network, builds the project, runs for
//                                     minutes...): counted and listed; the reason is required
//   <!-- docs-test: exit N -->        every command of the block exits N
//   <!-- docs-test: fresh -->         a new scratch directory (the demo's files) from this block on
//   <!-- docs-test: copy PATH -->     a new scratch directory holding PATH of the repository, at
//                                     the same relative path, instead of the demo's files
//   <!-- docs-test: empty -->         a new, empty scratch directory (still a git repository)
//   <!-- docs-test: needs c -->       scans C files: skipped (saying so) in a -DIL_C_FRONTEND=OFF tree
//   <!-- docs-test: file PATH -->     the block (any language: json, ts, yaml...) is written to PATH
//                                     in the scratch directory, for the commands after it
// A command whose trailing comment says `exit N` or `exits N` must exit N.
// Run one file: node tests/docs/docs_test.mjs build/isolint . docs/usage.md
// (DOCS_TEST_KEEP=1 keeps the scratch directories of a failing run).
//
// A skipped block is still checked without running it: the repository scripts it names exist,
// are executable and know its --options; cmake's -D variables are defined by the build.
// Commands that build or install isolint itself (the Quick start, Build and install, the fuzz
// tree, the benchmark, npm packing) are marked skip: scripts/test.sh (which .ci/run runs) and
// the dist.npm test run them, and this test runs inside a tree they built.
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const [bin, src, ...only] = process.argv.slice(2);
if (!bin || !src) {
  console.error('usage: docs_test.mjs ISOLINT_BINARY SOURCE_DIR [FILE.md...]');
  process.exit(2);
}
const BIN = path.resolve(bin);
const SRC = path.resolve(src);
const JOBS = Math.max(1, Number(process.env.DOCS_TEST_JOBS) || 2);
const TIMEOUT_MS = (Number(process.env.DOCS_TEST_TIMEOUT) || 60) * 1000;
const DEFAULT_COPY = 'examples/worker-demo';
const SH_LANGS = new Set(['sh', 'bash', 'shell', 'zsh']);
const CONSOLE_LANGS = new Set(['console', 'shell-session', 'sh-session']);
const PROSE_LANGS = new Set(['', 'text', 'txt']);

let failures = 0;
const fail = (what, detail) => {
  failures++;
  console.log(`not ok - ${what}`);
  if (detail) console.log(detail.replace(/\n$/, '').split('\n').map((l) => `#   ${l}`).join('\n'));
};

function mdFiles() {
  if (only.length) return only.map((f) => path.relative(SRC, path.resolve(f)));
  const out = ['README.md'];
  const walk = (dir) => {
    for (const e of fs.readdirSync(path.join(SRC, dir), { withFileTypes: true })
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const rel = path.join(dir, e.name);
      if (e.isDirectory()) walk(rel);
      else if (e.name.endsWith('.md')) out.push(rel);
    }
  };
  walk('docs');
  return out;
}

// `a; b (x; y); c` -> ['a', 'b (x; y)', 'c']: a `;` inside parentheses does not split.
function splitDirectives(text) {
  const out = [];
  let depth = 0;
  let cur = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    else if (ch === ')') depth = Math.max(0, depth - 1);
    if (ch === ';' && depth === 0) {
      out.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  out.push(cur.trim());
  return out.filter(Boolean);
}

// The directives of the marker lines right above line `at` (0-based) of `lines`.
function markersAbove(lines, at, file) {
  const dirs = [];
  for (let i = at - 1; i >= 0; i--) {
    const m = /^\s*<!--\s*docs-test:(.*?)-->\s*$/.exec(lines[i]);
    if (!m) break;
    for (const d of splitDirectives(m[1])) dirs.push({ d, line: i + 1 });
  }
  const opts = { skip: null, exit: null, copy: [], empty: false, fresh: false, file: null, bad: [] };
  for (const { d, line } of dirs) {
    let m;
    if ((m = /^skip\s*\((.+)\)$/.exec(d))) opts.skip = m[1].trim();
    else if ((m = /^exit\s+(\d+)$/.exec(d))) opts.exit = Number(m[1]);
    else if ((m = /^copy\s+(\S+)$/.exec(d)) && !path.isAbsolute(m[1]) && !m[1].split('/').includes('..')) opts.copy.push(m[1]);
    else if (d === 'empty') opts.empty = true;
    else if (d === 'fresh') opts.fresh = true;
    else if (d === 'needs c') opts.needsC = true;
    else if ((m = /^file\s+(\S+)$/.exec(d)) && !path.isAbsolute(m[1]) && !m[1].split('/').includes('..')) opts.file = m[1];
    else opts.bad.push(`${file}:${line}: unknown docs-test directive '${d}' (skip (why), exit N, fresh, copy PATH, empty, file PATH, needs c)`);
  }
  return opts;
}

// An expected exit status in a command's trailing comment: `# ... exit 1 ...`.
function commentExit(cmd) {
  const m = /(?:^|\s)#[^'"]*?\bexits?\s+(\d+)\b/.exec(cmd);
  return m ? Number(m[1]) : null;
}

function parseFile(file) {
  const text = fs.readFileSync(path.join(SRC, file), 'utf8');
  const lines = text.split('\n');
  const blocks = [];
  const stray = [];
  for (let i = 0; i < lines.length; i++) {
    if (/^\s*<!--\s*docs-test:/.test(lines[i])) {
      let j = i;
      while (j < lines.length && /^\s*<!--\s*docs-test:/.test(lines[j])) j++;
      if (j >= lines.length || !/^\s*(`{3,}|~{3,})/.test(lines[j]))
        stray.push(`${file}:${i + 1}: a docs-test marker must sit right above a fenced code block`);
      i = j - 1;
      continue;
    }
    const open = /^(\s*)(`{3,}|~{3,})\s*([^\s`{]*)/.exec(lines[i]);
    if (!open) continue;
    const indent = open[1].length;
    const fence = open[2];
    const lang = open[3].toLowerCase();
    const body = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      const close = /^\s*(`{3,}|~{3,})\s*$/.exec(lines[j]);
      if (close && close[1][0] === fence[0] && close[1].length >= fence.length) break;
      body.push({ text: lines[j].slice(Math.min(indent, lines[j].length - lines[j].trimStart().length)), line: j + 1 });
    }
    const block = { file, line: i + 1, lang, opts: markersAbove(lines, i, file), commands: [],
      text: body.map((b) => b.text).join('\n') + '\n' };
    if (SH_LANGS.has(lang)) {
      if (body.length && body[0].text.startsWith('#!')) {
        block.commands.push({ line: body[0].line, cmd: body.map((b) => b.text).join('\n') + '\n', script: true, output: null });
      } else {
        for (let k = 0; k < body.length; k++) {
          const first = body[k];
          let cmd = first.text;
          while (/\\$/.test(cmd) && k + 1 < body.length) cmd = cmd.slice(0, -1) + ' ' + body[++k].text.trim();
          if (!cmd.trim() || cmd.trim().startsWith('#')) continue;
          const here = /<<-?\s*(['"]?)(\w+)\1/.exec(cmd);   // a here-document: up to its terminator
          if (here) {
            while (k + 1 < body.length) {
              cmd += '\n' + body[++k].text;
              if (body[k].text.trim() === here[2]) break;
            }
          }
          block.commands.push({ line: first.line, cmd: cmd.trim(), output: null });
        }
      }
    } else if (CONSOLE_LANGS.has(lang) || (PROSE_LANGS.has(lang) && body.some((b) => b.text.startsWith('$ ')))) {
      let cur = null;
      for (const b of body) {
        if (b.text.startsWith('$ ')) {
          cur = { line: b.line, cmd: b.text.slice(2).trim(), output: [] };
          block.commands.push(cur);
        } else if (cur && b.text.startsWith('> ') && cur.output.length === 0) {
          cur.cmd += '\n' + b.text.slice(2);
        } else if (cur) {
          cur.output.push(b.text);
        }
      }
    }
    if (block.opts.file) block.commands = [];   // the block is a file's content, not commands
    if (block.commands.length || block.opts.skip || block.opts.file || block.opts.bad.length) blocks.push(block);
    i = j;
  }
  return { blocks, stray };
}

function expectedExit(block, c) {
  const e = c.script ? null : commentExit(c.cmd);
  if (e !== null) return e;
  return block.opts.exit ?? 0;
}

const escapeRe = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
function outputMatches(expected, actual) {
  const want = expected.map((l) => l.replace(/\s+$/, ''));
  while (want.length && want[want.length - 1] === '') want.pop();
  const parts = want.map((l) => (l.trim() === '...' ? '(?:[^\\n]*\\n)*?' : escapeRe(l).replace(/\\\.\\\.\\\./g, '[^\\n]*') + '\\n'));
  return new RegExp('^' + parts.join('') + '$').test(actual);
}

// Where the output first departs from the doc, before any `...` line (which makes it ambiguous).
function firstDifference(expected, actual) {
  const got = actual.replace(/\n$/, '').split('\n');
  for (let i = 0; i < expected.length; i++) {
    const w = expected[i].replace(/\s+$/, '');
    if (w.trim() === '...') return '';
    const g = got[i];
    const re = new RegExp('^' + escapeRe(w).replace(/\\\.\\\.\\\./g, '.*') + '$');
    if (g === undefined) return ` (line ${i + 1} of the doc's output is missing: '${w}')`;
    if (!re.test(g)) return ` at line ${i + 1}:\n    doc:     ${w}\n    printed: ${g}`;
  }
  return got.length > expected.length ? ` (more lines printed from line ${expected.length + 1}: '${got[expected.length]}')` : '';
}

function normalize(out, dir) {
  let s = out.split(fs.realpathSync(dir)).join('/work/app').split(dir).join('/work/app');
  const kb = process.env.ISOLINT_KB_DIR;
  if (kb) s = s.split(path.resolve(kb)).join('/usr/local/share/isolint/kb');
  s = s.split('\n').map((l) => l.replace(/\s+$/, '')).join('\n').replace(/\n*$/, '');
  return s ? s + '\n' : '';
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'il-docs-'));
const binDir = path.join(tmp, 'bin');
fs.mkdirSync(binDir);
fs.symlinkSync(BIN, path.join(binDir, 'isolint'));
const env = {
  ...process.env,
  PATH: `${binDir}:${process.env.PATH}`,
  HOME: path.join(tmp, 'home'),
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_AUTHOR_NAME: 'docs', GIT_AUTHOR_EMAIL: 'docs@example.invalid',
  GIT_COMMITTER_NAME: 'docs', GIT_COMMITTER_EMAIL: 'docs@example.invalid',
  NO_COLOR: '1',
  npm_config_offline: 'true', // never the registry, whatever a doc says
};
delete env.CLICOLOR_FORCE;
fs.mkdirSync(env.HOME);

function prepare(block, n) {
  const dir = path.join(tmp, `s${n}`);
  fs.mkdirSync(dir);
  if (!block.opts.empty) {
    if (block.opts.copy.length) {
      for (const p of block.opts.copy) {
        const from = path.join(SRC, p);
        if (!fs.existsSync(from)) throw new Error(`copy ${p}: no such path in the repository`);
        fs.cpSync(from, path.join(dir, p), { recursive: true });
      }
    } else {
      fs.cpSync(path.join(SRC, DEFAULT_COPY), dir, { recursive: true });
    }
  }
  execFileSync('git', ['init', '-q', '-b', 'main', dir], { env });
  execFileSync('git', ['-C', dir, 'add', '-A'], { env });
  return dir;
}

let scripts = 0;
function runCommand(cmd, cwd, script) {
  return new Promise((resolve) => {
    let args = ['-c', cmd];
    if (script) {   // a `#!` block: saved outside the scratch directory, run by its own interpreter
      const file = path.join(tmp, `script-${scripts++}`);
      fs.writeFileSync(file, cmd, { mode: 0o755 });
      args = ['-c', 'exec "$0"', file];
    }
    const child = spawn('bash', args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ }
    }, TIMEOUT_MS);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: timedOut ? 'timeout' : code ?? signal, out });
    });
  });
}

const show = (c) => (c.script ? c.cmd.split('\n')[0] + ' ... (script)' : c.cmd.replace(/\n/g, ' \\n '));

// The blocks of one file run in order; each runs in the scratch directory of the block before
// it unless it asks for a new one (fresh, copy, empty), as a reader follows the doc in one project.
async function runFile(blocks, n) {
  const results = [];
  let dir = null;
  let k = 0;
  for (const block of blocks) {
    if (!dir || block.opts.fresh || block.opts.empty || block.opts.copy.length) {
      try {
        dir = prepare(block, `${n}-${k++}`);
      } catch (e) {
        results.push({ ok: false, what: `${block.file}:${block.line}: preparing the scratch directory`, detail: String(e.message || e) });
        dir = null;
        continue;
      }
    }
    if (block.opts.file) {
      const to = path.join(dir, block.opts.file);
      fs.mkdirSync(path.dirname(to), { recursive: true });
      fs.writeFileSync(to, block.text);
      written++;
      continue;
    }
    results.push(...await runBlock(block, dir));
  }
  return results;
}

async function runBlock(block, dir) {
  const results = [];
  for (const c of block.commands) {
    const want = expectedExit(block, c);
    const r = await runCommand(c.cmd, dir, c.script);
    const out = normalize(r.out, dir);
    const what = `${block.file}:${c.line}: $ ${show(c)}`;
    const problems = [];
    if (r.code !== want) problems.push(`exit status ${r.code}, the doc implies ${want}` +
      (want === 0 && r.code === 1 ? ' (if findings are meant: `exit 1` in a trailing comment or <!-- docs-test: exit 1 --> above the block)' : ''));
    if (c.output && c.output.some((l) => l.trim()) && !outputMatches(c.output, out))
      problems.push(`output differs from the doc's${firstDifference(c.output, out)}\n--- the doc shows:\n${c.output.join('\n')}\n--- the command printed:\n${out}`);
    else if (problems.length) problems.push(`--- the command printed:\n${out.split('\n').slice(0, 40).join('\n')}`);
    results.push({ ok: problems.length === 0, what, detail: problems.join('\n') });
  }
  return results;
}

// What can be checked of a skipped block without running it: a repository script it runs
// (`scripts/x.sh`, `bench/run.sh`: first word, relative, with a `/`, not `./` or `../`, which
// are build outputs) exists and is executable, and its `--long-options` appear in the script;
// the `-DNAME=` cache variables of a cmake command (other than CMAKE_*) are defined by the build.
const cmakeText = () => [path.join(SRC, 'CMakeLists.txt'),
  ...(fs.existsSync(path.join(SRC, 'cmake')) ? fs.readdirSync(path.join(SRC, 'cmake')).map((f) => path.join(SRC, 'cmake', f)) : []),
  path.join(SRC, 'tests', 'CMakeLists.txt')].filter((f) => fs.existsSync(f) && fs.statSync(f).isFile())
  .map((f) => fs.readFileSync(f, 'utf8')).join('\n');
function staticCheck(block) {
  const problems = [];
  for (const c of block.commands) {
    for (const part of c.cmd.split(/&&|\|\||;|\|/)) {
      const words = part.replace(/\s#.*$/, '').trim().split(/\s+/).filter((w) => !/^[A-Z_][A-Z0-9_]*=/.test(w));
      if (!words.length) continue;
      const [first, ...args] = words;
      if (first.includes('/') && !first.startsWith('.') && !first.startsWith('/') && !first.startsWith('$')) {
        const script = path.join(SRC, first);
        let st = null;
        try { st = fs.statSync(script); } catch { /* missing */ }
        if (!st || !st.isFile() || !(st.mode & 0o111)) {
          problems.push(`line ${c.line}: ${first} is not an executable file of the repository`);
          continue;
        }
        const text = fs.readFileSync(script, 'utf8');
        for (const a of args) {
          const opt = /^(--[a-z][a-z0-9-]*)/.exec(a);
          if (opt && !text.includes(opt[1])) problems.push(`line ${c.line}: ${first} does not know ${opt[1]}`);
        }
      }
      if (first === 'cmake') {
        for (const a of args) {
          const d = /^-D([A-Za-z_][A-Za-z0-9_]*)=/.exec(a);
          if (d && !d[1].startsWith('CMAKE_') && !cmakeText().includes(d[1])) problems.push(`line ${c.line}: the build defines no ${d[1]}`);
        }
      }
    }
  }
  return problems;
}

const files = mdFiles();
const perFile = [];
const skipped = [];
let run = 0;
let written = 0;
for (const f of files) {
  const { blocks, stray } = parseFile(f);
  for (const s of stray) fail(s);
  const torun = [];
  for (const b of blocks) {
    for (const s of b.opts.bad) fail(s);
    if (b.opts.bad.length) continue;
    if (b.opts.needsC && process.env.IL_C_FRONTEND === 'OFF' && !b.opts.skip)
      b.opts.skip = 'needs the C front-end: this tree is configured with -DIL_C_FRONTEND=OFF';
    if (b.opts.skip) skipped.push(b);
    else torun.push(b);
  }
  run += torun.filter((b) => !b.opts.file).length;
  if (torun.length) perFile.push(torun);
}

const t0 = Date.now();
const results = new Array(perFile.length);
let next = 0;
await Promise.all(Array.from({ length: JOBS }, async () => {
  while (next < perFile.length) {
    const i = next++;
    results[i] = await runFile(perFile[i], i);
  }
}));

let commands = 0;
for (const rs of results) {
  for (const r of rs) {
    commands++;
    if (r.ok) console.log(`ok - ${r.what}`);
    else fail(r.what, r.detail);
  }
}
const skippedCommands = skipped.reduce((n, b) => n + b.commands.length, 0);
for (const b of skipped) {
  const problems = staticCheck(b);
  if (problems.length) fail(`${b.file}:${b.line}: skipped block, checked without running it`, problems.join('\n'));
  else console.log(`ok - ${b.file}:${b.line}: skipped block, its scripts, options and -D variables exist`);
}
for (const b of skipped) console.log(`# skipped: ${b.file}:${b.line} (${b.commands.length} command${b.commands.length === 1 ? '' : 's'}): ${b.opts.skip}`);
console.log(`# ${files.length} files, ${run + skipped.length} blocks with commands: ${run} run (${commands} commands), ` +
  `${skipped.length} skipped (${skippedCommands} commands), ${written} files written from blocks, ` +
  `${((Date.now() - t0) / 1000).toFixed(1)} s`);
if (commands === 0) fail('no command found in the docs (is SOURCE_DIR right?)');

if (failures) {
  console.log('# A doc that is wrong: fix the doc, or the tool if the doc says what it should do. A command that');
  console.log('# cannot run here (network, root, minutes): <!-- docs-test: skip (why) --> right above its block;');
  console.log('# findings: `exit 1` in its comment; files it needs: <!-- docs-test: file PATH --> on a block that');
  console.log('# shows them. Every marker: the header of tests/docs/docs_test.mjs.');
}
if (failures === 0 || !process.env.DOCS_TEST_KEEP) fs.rmSync(tmp, { recursive: true, force: true });
else console.log(`# scratch directories kept in ${tmp}`);
process.exit(failures ? 1 : 0);
