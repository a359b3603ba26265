// Shared by the LSP tests: command-line arguments, temporary directories, the
// server command documented in docs/editors.md, LSP text edits applied to a
// string, and a raw (hand-framed) JSON-RPC client for malformed input.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after } from 'node:test';

if (process.argv.length < 4) {
  console.error('usage: node TEST.mjs ISOLINT_BINARY SOURCE_DIR');
  process.exit(2);
}
export const BIN = resolve(process.argv[2]);
export const SRC = resolve(process.argv[3]);
export const ENV = { ...process.env, ISOLINT_KB_DIR: join(SRC, 'rules', 'kb'), LC_ALL: 'C' };
export const TIMEOUT = Number(process.env.IL_LSP_TIMEOUT_MS || 20000);

const temps = [];
export function tempDir(name) {
  const d = mkdtempSync(join(tmpdir(), `isolint-${name}-`));
  temps.push(d);
  return d;
}
const procs = [];
// A server still running when the tests end (a failed test) is killed.
export function track(proc) {
  procs.push(proc);
  return proc;
}
after(() => {
  for (const p of procs) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
  temps.forEach((d) => rmSync(d, { recursive: true, force: true }));
});

// A promise that rejects after TIMEOUT: no test waits forever on a silent server.
export function withTimeout(promise, what) {
  let timer;
  const t = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), TIMEOUT);
  });
  return Promise.race([promise, t]).finally(() => clearTimeout(timer));
}

// Every snippet in docs/editors.md names the server command; they must agree, and
// the tests start the server with exactly that command (the program being the
// binary under test).
export function documentedCommand() {
  const md = readFileSync(join(SRC, 'docs', 'editors.md'), 'utf8');
  const found = [];
  // Neovim: cmd = { "isolint", "lsp" }
  for (const m of md.matchAll(/cmd = \{ ([^}]*) \}/g))
    found.push(['neovim', [...m[1].matchAll(/"([^"]*)"/g)].map((x) => x[1])]);
  // Helix: command = "isolint" then args = ["lsp"]
  for (const m of md.matchAll(/command = "([^"]*)"\s*\nargs = \[([^\]]*)\]/g))
    found.push(['helix', [m[1], ...[...m[2].matchAll(/"([^"]*)"/g)].map((x) => x[1])]]);
  // Emacs eglot: ("isolint" "lsp")
  for (const m of md.matchAll(/\. \(("[^)]*")\)\)/g))
    found.push(['emacs', [...m[1].matchAll(/"([^"]*)"/g)].map((x) => x[1])]);
  // VS Code generic client: "glspc.server.command": "isolint", "glspc.server.commandArguments": ["lsp"]
  for (const m of md.matchAll(/"glspc\.server\.command": "([^"]*)",\s*\n\s*"glspc\.server\.commandArguments": \[([^\]]*)\]/g))
    found.push(['vscode', [m[1], ...[...m[2].matchAll(/"([^"]*)"/g)].map((x) => x[1])]]);
  return found;
}

// LSP line starts (\n, \r\n and a lone \r end a line) as JS string indices.
function lineStarts(text) {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\r') {
      if (text[i + 1] === '\n') i++;
      starts.push(i + 1);
    } else if (text[i] === '\n') {
      starts.push(i + 1);
    }
  }
  return starts;
}

export function lines(text) {
  const s = lineStarts(text);
  return s.map((st, i) => text.slice(st, i + 1 < s.length ? s[i + 1] : text.length).replace(/\r?\n$|\r$/, ''));
}

// A Position's JS string index, with character counted in UTF-16 units or UTF-8 bytes.
export function offsetAt(text, pos, encoding) {
  const starts = lineStarts(text);
  if (pos.line >= starts.length) throw new Error(`line ${pos.line} past the end`);
  const ls = starts[pos.line];
  if (encoding === 'utf-16') return ls + pos.character;
  let i = ls;
  let bytes = 0;
  while (bytes < pos.character) {
    const cp = text.codePointAt(i);
    bytes += Buffer.byteLength(String.fromCodePoint(cp));
    i += cp > 0xffff ? 2 : 1;
  }
  if (bytes !== pos.character) throw new Error(`utf-8 offset inside a character at ${JSON.stringify(pos)}`);
  return i;
}

export function applyEdits(text, edits, encoding) {
  const spans = edits
    .map((e) => [offsetAt(text, e.range.start, encoding), offsetAt(text, e.range.end, encoding), e.newText])
    .sort((a, b) => b[0] - a[0]);
  for (const [s, e, t] of spans) text = text.slice(0, s) + t + text.slice(e);
  return text;
}

// Sanitizer reports on stderr fail a test whatever else it checks.
export function assertNoSanitizerReport(stderr) {
  if (/AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|runtime error:/.test(stderr))
    throw new Error(`sanitizer report:\n${stderr.slice(0, 4000)}`);
}

// A server driven with hand-made frames: for input a real client never sends.
export class RawServer {
  constructor(args) {
    this.proc = track(spawn(BIN, args, { env: ENV, stdio: ['pipe', 'pipe', 'pipe'] }));
    this.out = Buffer.alloc(0);
    this.stderr = '';
    this.messages = [];
    this.waiters = [];
    this.proc.stdout.on('data', (b) => {
      this.out = Buffer.concat([this.out, b]);
      try {
        this.parse();
      } catch (e) {
        this.error = e;
        for (const w of this.waiters.splice(0)) {
          clearTimeout(w.timer);
          w.reject(e);
        }
      }
    });
    this.proc.stderr.on('data', (b) => (this.stderr += b));
    this.proc.stdin.on('error', () => {}); // the server may exit first
    this.exited = new Promise((res) => this.proc.on('exit', (code, signal) => res({ code, signal })));
  }

  // stdout must hold nothing but well-framed JSON-RPC 2.0 messages
  parse() {
    for (;;) {
      const end = this.out.indexOf('\r\n\r\n');
      if (end < 0) return;
      const header = this.out.subarray(0, end).toString('latin1');
      const m = /^Content-Length: (\d+)$/.exec(header);
      if (!m) throw new Error(`bad frame header from the server: ${JSON.stringify(header)}`);
      const n = Number(m[1]);
      if (this.out.length < end + 4 + n) return;
      const body = this.out.subarray(end + 4, end + 4 + n).toString('utf8');
      this.out = this.out.subarray(end + 4 + n);
      const msg = JSON.parse(body);
      if (msg.jsonrpc !== '2.0') throw new Error(`not JSON-RPC 2.0: ${body}`);
      this.messages.push(msg);
      this.wake();
    }
  }

  wake() {
    for (const w of [...this.waiters]) {
      const i = this.messages.findIndex(w.pred);
      if (i >= 0) {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        clearTimeout(w.timer);
        w.resolve(this.messages.splice(i, 1)[0]);
      }
    }
  }

  next(pred, what) {
    return new Promise((resolve, reject) => {
      if (this.error) return reject(this.error);
      const w = { pred, resolve, reject };
      w.timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        reject(new Error(`timed out waiting for ${what}; stderr: ${this.stderr}`));
      }, TIMEOUT);
      this.waiters.push(w);
      this.wake();
    });
  }

  response(id) {
    return this.next((m) => !('method' in m) && JSON.stringify(m.id) === JSON.stringify(id), `the response to id ${JSON.stringify(id)}`);
  }

  writeRaw(data) {
    this.proc.stdin.write(data);
  }

  frame(body) {
    const b = Buffer.isBuffer(body) ? body : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
    this.writeRaw(Buffer.concat([Buffer.from(`Content-Length: ${b.length}\r\n\r\n`), b]));
  }

  request(id, method, params) {
    this.frame({ jsonrpc: '2.0', id, method, ...(params === undefined ? {} : { params }) });
    return this.response(id);
  }

  notify(method, params) {
    this.frame({ jsonrpc: '2.0', method, ...(params === undefined ? {} : { params }) });
  }

  async exit() {
    const timer = setTimeout(() => this.proc.kill('SIGKILL'), TIMEOUT);
    const r = await this.exited;
    clearTimeout(timer);
    assertNoSanitizerReport(this.stderr);
    if (this.error) throw this.error;
    return r;
  }
}
