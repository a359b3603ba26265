// `isolint lsp` agrees with `isolint scan FILE` (issue 17 item 7, issue 18's LSP pair):
// on a project of several files (tests/lsp/fixtures/project: a Worker whose Effect layer
// lives in another file, a Node/express package next to it), every file's diagnostics
// are the findings of `scan FILE --format json` run from the project root (same rule,
// level, message, range, related locations in this and other files); open buffers stand
// for their files in other documents' analyses; incremental sync applies ranged edits
// in UTF-16 and UTF-8 exactly as the client does; pull diagnostics; C documents.
//
//     node project_test.mjs ISOLINT_BINARY SOURCE_DIR
//     node project_test.mjs ISOLINT_BINARY SOURCE_DIR --differential ROOT FILE_LIST
// The second form is the differential check alone, over the files listed (one path
// relative to ROOT a line), for tests/realworld/differential.sh.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import test from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import proto from 'vscode-languageserver-protocol/node.js';
import { assertNoSanitizerReport, BIN, ENV, SRC, tempDir, TIMEOUT, track, withTimeout } from './lib.mjs';

const {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  InitializeRequest,
  InitializedNotification,
  ShutdownRequest,
  ExitNotification,
  DidOpenTextDocumentNotification,
  DidChangeTextDocumentNotification,
  DidCloseTextDocumentNotification,
  PublishDiagnosticsNotification,
  DocumentDiagnosticRequest,
  ShowMessageNotification,
} = proto;

const LIMIT = { timeout: 30 * TIMEOUT };

class Client {
  constructor() {
    this.proc = track(spawn(BIN, ['lsp'], { env: ENV, cwd: '/', stdio: ['pipe', 'pipe', 'pipe'] }));
    this.stderr = '';
    this.proc.stderr.on('data', (b) => (this.stderr += b));
    this.proc.stdin.on('error', () => {});
    this.exited = new Promise((res) => this.proc.on('exit', (code, signal) => res({ code, signal })));
    this.conn = createProtocolConnection(new StreamMessageReader(this.proc.stdout), new StreamMessageWriter(this.proc.stdin));
    this.inbox = [];
    this.waiters = [];
    this.refreshes = 0;
    this.conn.onNotification(PublishDiagnosticsNotification.type, (p) => this.push({ kind: 'diagnostics', ...p }));
    this.conn.onNotification(ShowMessageNotification.type, (p) => this.push({ kind: 'showMessage', ...p }));
    this.conn.onRequest('workspace/diagnostic/refresh', () => {
      this.refreshes++;
      return null;
    });
    this.conn.listen();
  }

  push(m) {
    this.inbox.push(m);
    for (const w of [...this.waiters]) {
      const i = this.inbox.findIndex(w.pred);
      if (i >= 0) {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        clearTimeout(w.timer);
        w.resolve(this.inbox.splice(i, 1)[0]);
      }
    }
  }

  next(pred, what) {
    const i = this.inbox.findIndex(pred);
    if (i >= 0) return Promise.resolve(this.inbox.splice(i, 1)[0]);
    return new Promise((resolve, reject) => {
      const w = { pred, resolve };
      w.timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        reject(new Error(`timed out waiting for ${what}; stderr: ${this.stderr}`));
      }, 3 * TIMEOUT);
      this.waiters.push(w);
    });
  }

  // the diagnostics published for uri at version (the last one when several came)
  async diagnostics(uri, version) {
    const m = await this.next((x) => x.kind === 'diagnostics' && x.uri === uri && x.version === version, `diagnostics of ${uri} v${version}`);
    return m.diagnostics;
  }

  request(type, params) {
    return withTimeout(this.conn.sendRequest(type, params), `a response to ${type.method}; stderr: ${this.stderr}`);
  }

  async initialize({ root, encoding = 'utf-16', pull = false } = {}) {
    const capabilities = {
      general: { positionEncodings: [encoding] },
      textDocument: { publishDiagnostics: { relatedInformation: true } },
    };
    if (pull) {
      capabilities.textDocument.diagnostic = { dynamicRegistration: false, relatedDocumentSupport: false };
      capabilities.workspace = { diagnostics: { refreshSupport: true } };
    }
    const folders = root ? [{ uri: pathToFileURL(root).href, name: 'project' }] : null;
    const r = await this.request(InitializeRequest.type, {
      processId: process.pid,
      rootUri: root ? pathToFileURL(root).href : null,
      workspaceFolders: folders,
      capabilities,
    });
    await this.conn.sendNotification(InitializedNotification.type, {});
    return r;
  }

  open(uri, text, version = 1, languageId = 'typescript') {
    return this.conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId, version, text } });
  }

  change(uri, version, contentChanges) {
    return this.conn.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges });
  }

  close(uri) {
    return this.conn.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  }

  async shutdownAndExit() {
    assert.equal(await this.request(ShutdownRequest.type), null);
    await this.conn.sendNotification(ExitNotification.type);
    const timer = setTimeout(() => this.proc.kill('SIGKILL'), TIMEOUT);
    const r = await this.exited;
    clearTimeout(timer);
    this.conn.dispose();
    assertNoSanitizerReport(this.stderr);
    return r;
  }
}

// ---- the normalized form both sides are compared in -----------------------------------

const SEVERITY = { error: 1, warning: 2, note: 3 };

// `isolint scan FILE --format json` from root: its findings in FILE, normalized
function scanFile(root, file) {
  let out;
  try {
    out = execFileSync(BIN, ['scan', '--format', 'json', '--no-progress', file], { env: ENV, cwd: root, maxBuffer: 1 << 28 });
  } catch (e) {
    if (e.status !== 1) throw new Error(`scan ${file} exited ${e.status}: ${e.stderr}`);
    out = e.stdout;
  }
  return JSON.parse(out.toString()).results.map((f) => ({
    rule: f.ruleId,
    severity: SEVERITY[f.level],
    path: f.path,
    range: [f.start.line, f.start.column, f.end.line, f.end.column],
    message: f.message,
    related: (f.related || []).map((r) => ({ path: r.path, range: [r.start.line, r.start.column, r.end.line, r.end.column], message: r.message })),
  }));
}

// The same form of LSP diagnostics (UTF-16 positions, 0-based -> 1-based lines and columns)
function normalize(root, uri, diags) {
  const rel = (u) => relative(root, fileURLToPath(u));
  const rng = (r) => [r.start.line + 1, r.start.character + 1, r.end.line + 1, r.end.character + 1];
  return diags.map((d) => ({
    rule: d.code,
    severity: d.severity,
    path: rel(uri),
    range: rng(d.range),
    message: d.message,
    related: (d.relatedInformation || []).map((r) => ({ path: rel(r.location.uri), range: rng(r.location.range), message: r.message })),
  }));
}

// Opens each file (one at a time, closed after) and compares; returns the scan's findings
// by file. `languageId` only matters to the client; the server goes by the extension.
export async function differential(root, files) {
  const c = new Client();
  await c.initialize({ root });
  const byFile = {};
  let version = 1;
  for (const file of files) {
    const path = join(root, file);
    const uri = pathToFileURL(path).href;
    const expected = scanFile(root, file);
    await c.open(uri, readFileSync(path, 'utf8'), ++version, /\.[ch]$/.test(file) ? 'c' : 'typescript');
    const got = normalize(root, uri, await c.diagnostics(uri, version));
    assert.deepEqual(got, expected, `${file}: the language server and scan FILE differ`);
    await c.close(uri);
    await c.next((x) => x.kind === 'diagnostics' && x.uri === uri && x.diagnostics.length === 0, `the clearing of ${uri}`);
    byFile[file] = expected;
  }
  assert.deepEqual(await c.shutdownAndExit(), { code: 0, signal: null });
  return byFile;
}

if (process.argv[4] === '--differential') {
  const root = process.argv[5];
  const files = readFileSync(process.argv[6], 'utf8').split('\n').filter(Boolean);
  test(`scan FILE and the language server agree on ${files.length} files`, { timeout: 3600 * 1000 }, async () => {
    const byFile = await differential(root, files);
    const n = Object.values(byFile).reduce((a, f) => a + f.length, 0);
    assert.ok(n > 0, 'the files compared have findings');
    console.log(`# compared ${files.length} files, ${n} findings`);
  });
} else {
  const FIXTURE = join(SRC, 'tests', 'lsp', 'fixtures', 'project');
  const FILES = ['src/worker.ts', 'src/layers/db.ts', 'src/pool.ts', 'src/orders.ts', 'api/server.ts'];
  const project = () => {
    const root = join(tempDir('project'), 'my proj é');
    cpSync(FIXTURE, root, { recursive: true });
    return root;
  };

  test('each file of a project: the language server gives what scan FILE gives', LIMIT, async () => {
    const byFile = await differential(project(), FILES);
    // the comparison is not between two empty lists: the findings the project is made for
    const summary = Object.entries(byFile).map(([f, l]) => [f, l.map((x) => `${x.rule}:${x.related.map((r) => r.path).join(',')}`)]);
    assert.deepEqual(summary, [
      // the layer defined in another file, built at boot (a related location in layers/db.ts)
      // and why the file is Worker code (wrangler.toml's main)
      ['src/worker.ts', ['boot-time-layer:src/layers/db.ts,src/worker.ts,src/worker.ts,src/worker.ts,wrangler.toml']],
      ['src/layers/db.ts', []],
      ['src/pool.ts', ['module-scope-client:wrangler.toml']],
      ['src/orders.ts', []],
      // the express server is Node code (its package.json): no Workers error in the editor either
      ['api/server.ts', []],
    ]);
  });

  test('open buffers stand for their files in the other documents\' analyses', LIMIT, async () => {
    const root = project();
    const c = new Client();
    await c.initialize({ root });
    const worker = pathToFileURL(join(root, 'src/worker.ts')).href;
    const db = pathToFileURL(join(root, 'src/layers/db.ts')).href;
    const dbText = readFileSync(join(root, 'src/layers/db.ts'), 'utf8');
    await c.open(worker, readFileSync(join(root, 'src/worker.ts'), 'utf8'), 1);
    const before = await c.diagnostics(worker, 1);
    assert.deepEqual(before.map((d) => d.code), ['boot-time-layer']);
    assert.equal(before[0].relatedInformation[0].location.uri, db);
    // the layer, edited in the editor and not saved, no longer does I/O: the Worker's
    // diagnostic goes (the file on disk still has the I/O)
    const pure = dbText.replace('Effect.sync(() => postgres(env.DATABASE_URL))', 'Effect.succeed(null as unknown as postgres.Sql)');
    assert.notEqual(pure, dbText);
    await c.open(db, pure, 1);
    assert.deepEqual(await c.diagnostics(db, 1), []);
    assert.deepEqual(await c.diagnostics(worker, 1), []);
    // the I/O back, by an incremental edit of the open buffer: the diagnostic is back,
    // its related location in the buffer at the edited text
    const at = pure.indexOf('Effect.succeed(null as unknown as postgres.Sql)');
    const line = pure.slice(0, at).split('\n').length - 1;
    const ch = at - (pure.lastIndexOf('\n', at) + 1);
    await c.change(db, 2, [{ range: { start: { line, character: ch }, end: { line, character: ch + 'Effect.succeed(null as unknown as postgres.Sql)'.length } }, text: 'Effect.sync(() => postgres(env.DATABASE_URL))' }]);
    assert.deepEqual(await c.diagnostics(db, 2), []);
    assert.deepEqual(await c.diagnostics(worker, 1), before);
    // closed without saving: the file on disk counts again (same as the buffer now)
    await c.close(db);
    assert.deepEqual(await c.shutdownAndExit(), { code: 0, signal: null });
  });

  test('pull diagnostics: nothing pushed, full then unchanged, a refresh after another buffer changes', LIMIT, async () => {
    const root = project();
    const c = new Client();
    const init = await c.initialize({ root, pull: true });
    assert.deepEqual(init.capabilities.diagnosticProvider, { identifier: 'isolint', interFileDependencies: true, workspaceDiagnostics: false });
    const worker = pathToFileURL(join(root, 'src/worker.ts')).href;
    const db = pathToFileURL(join(root, 'src/layers/db.ts')).href;
    await c.open(worker, readFileSync(join(root, 'src/worker.ts'), 'utf8'), 1);
    const r1 = await c.request(DocumentDiagnosticRequest.type, { textDocument: { uri: worker } });
    assert.equal(r1.kind, 'full');
    assert.deepEqual(r1.items.map((d) => d.code), ['boot-time-layer']);
    assert.deepEqual(normalize(root, worker, r1.items), scanFile(root, 'src/worker.ts'));
    const r2 = await c.request(DocumentDiagnosticRequest.type, { textDocument: { uri: worker }, previousResultId: r1.resultId });
    assert.deepEqual(r2, { kind: 'unchanged', resultId: r1.resultId });
    // not open: nothing
    assert.deepEqual(await c.request(DocumentDiagnosticRequest.type, { textDocument: { uri: db } }), { kind: 'full', items: [] });
    // the layer edited in another buffer: a refresh, then the worker's pull is new and empty
    const pure = readFileSync(join(root, 'src/layers/db.ts'), 'utf8').replace('Effect.sync(() => postgres(env.DATABASE_URL))', 'Effect.succeed(1)');
    await c.open(db, pure, 1);
    const deadline = Date.now() + TIMEOUT;
    while (c.refreshes === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    assert.ok(c.refreshes > 0, 'workspace/diagnostic/refresh was sent');
    const r3 = await c.request(DocumentDiagnosticRequest.type, { textDocument: { uri: worker }, previousResultId: r1.resultId });
    assert.equal(r3.kind, 'full');
    assert.deepEqual(r3.items, []);
    assert.ok(!c.inbox.some((m) => m.kind === 'diagnostics'), 'nothing pushed to a client that pulls');
    assert.deepEqual(await c.shutdownAndExit(), { code: 0, signal: null });
  });

  // Random ranged edits, applied by the client to its copy and sent to the server; then
  // the server's diagnostics of the edited buffer must be those of a fresh buffer opened
  // with the client's text. Texts hold surrogate pairs, CJK, CRLF and lone CR line breaks.
  for (const encoding of ['utf-16', 'utf-8']) {
    test(`incremental sync (${encoding}): ranged edits give the client's text`, LIMIT, async () => {
      const root = project();
      const c = new Client();
      const init = await c.initialize({ root, encoding });
      assert.equal(init.capabilities.positionEncoding, encoding);
      assert.equal(init.capabilities.textDocumentSync.change, 2);
      let seed = 20261207;
      const rand = (n) => {
        seed = (seed * 1103515245 + 12345) % 2147483648;
        return seed % n;
      };
      // each finding stands after a block comment: an edit of the comment the server
      // applies elsewhere than the client moves the finding's range
      const body = [];
      for (let k = 0; k < 12; k++) body.push(`  /* 😀 漢字 ${k} */ const p${k} = new PrismaClient();`);
      let text = `import { PrismaClient } from "@prisma/client";\r\n${body.map((l, i) => l + ['\n', '\r\n', '\r'][i % 3]).join('')}`;
      // LSP lines of a JS string, and positions in the negotiated encoding
      const starts = (t) => {
        const s = [0];
        for (let i = 0; i < t.length; i++) {
          if (t[i] === '\r') {
            if (t[i + 1] === '\n') i++;
            s.push(i + 1);
          } else if (t[i] === '\n') s.push(i + 1);
        }
        return s;
      };
      const posOf = (t, off) => {
        const s = starts(t);
        let line = 0;
        while (line + 1 < s.length && s[line + 1] <= off) line++;
        const before = t.slice(s[line], off);
        return { line, character: encoding === 'utf-8' ? Buffer.byteLength(before) : before.length };
      };
      const uri = pathToFileURL(join(root, 'src/edited.ts')).href;
      await c.open(uri, text, 1);
      await c.diagnostics(uri, 1);
      const palette = ['😀', '漢', ' ', 'x', 'é', '\r\n', '\n', '\r'];
      let version = 1;
      for (let round = 0; round < 80; round++) {
        const changes = [];
        for (let k = rand(3) + 1; k > 0; k--) {
          // a random range inside a random block comment, at code point boundaries and
          // never between the \r and \n of a line break (no LSP position is there)
          const comments = [...text.matchAll(/\/\*[^]*?\*\//g)];
          const m = comments[rand(comments.length)];
          const points = [];
          for (let i = m.index + 2; i <= m.index + m[0].length - 2; i++) {
            const lowSurrogate = text.charCodeAt(i) >= 0xdc00 && text.charCodeAt(i) <= 0xdfff;
            if (!lowSurrogate && !(text[i - 1] === '\r' && text[i] === '\n')) points.push(i);
          }
          let a = points[rand(points.length)];
          let b = points[rand(points.length)];
          if (a > b) [a, b] = [b, a];
          let ins = '';
          for (let n = rand(3); n > 0; n--) ins += palette[rand(palette.length)];
          const range = { start: posOf(text, a), end: posOf(text, b) };
          // a character past the line's end means the end of the line
          const atEol = (i) => text[i] === '\n' || text[i] === '\r';
          if (atEol(a) && rand(2) === 0) range.start = { ...range.start, character: range.start.character + 7 };
          if (atEol(b) && rand(2) === 0) range.end = { ...range.end, character: range.end.character + 7 };
          changes.push({ range, text: ins });
          text = text.slice(0, a) + ins + text.slice(b);
        }
        await c.change(uri, ++version, changes);
      }
      const got = await c.diagnostics(uri, version);
      const fresh = pathToFileURL(join(root, 'src/fresh.ts')).href;
      await c.open(fresh, text, 1);
      const want = await c.diagnostics(fresh, 1);
      assert.equal(want.length, 12, JSON.stringify(want.map((d) => d.code)));
      const strip = (ds) => ds.map((d) => ({ ...d, relatedInformation: (d.relatedInformation || []).map((r) => ({ ...r, location: { ...r.location, uri: '' } })) }));
      assert.deepEqual(strip(got), strip(want));
      assert.deepEqual(await c.shutdownAndExit(), { code: 0, signal: null });
    });
  }

  test('C documents are analyzed (when this build has the C front-end)', LIMIT, async (t) => {
    const root = tempDir('c');
    const file = join(root, 'handler.c');
    writeFileSync(file, readFileSync(join(SRC, 'tests', 'lsp', 'fixtures', 'c-handler.c')));
    const expected = scanFile(root, 'handler.c');
    const c = new Client();
    await c.initialize({ root });
    const uri = pathToFileURL(file).href;
    await c.open(uri, readFileSync(file, 'utf8'), 1, 'c');
    const got = normalize(root, uri, await c.diagnostics(uri, 1));
    assert.deepEqual(got, expected);
    if (process.env.IL_C_FRONTEND === 'OFF') {
      assert.deepEqual(expected, []);
      assert.match((await c.next((m) => m.kind === 'showMessage', 'the no-C message')).message, /C files are not analyzed/);
      t.diagnostic('this build has no C front-end: only the message is checked');
    } else {
      assert.deepEqual(expected.map((f) => f.rule), ['lazy-singleton-client']);
    }
    assert.deepEqual(await c.shutdownAndExit(), { code: 0, signal: null });
  });
}
