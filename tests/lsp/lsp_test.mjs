// `isolint lsp` end to end with a real LSP client (vscode-languageserver-protocol,
// the library VS Code's client is built on): lifecycle, diagnostics at exact
// ranges in both position encodings, the suppression quick fix applied and
// re-checked, configuration errors and reloads, and hostile input sent with
// hand-made frames. Usage: node lsp_test.mjs ISOLINT_BINARY SOURCE_DIR
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'node:test';
import { pathToFileURL } from 'node:url';
import proto from 'vscode-languageserver-protocol/node.js';
import {
  applyEdits,
  assertNoSanitizerReport,
  BIN,
  documentedCommand,
  ENV,
  lines,
  RawServer,
  tempDir,
  TIMEOUT,
  track,
  withTimeout,
} from './lib.mjs';

const LIMIT = { timeout: 10 * TIMEOUT };

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
  DidSaveTextDocumentNotification,
  DidChangeWatchedFilesNotification,
  PublishDiagnosticsNotification,
  ShowMessageNotification,
  RegistrationRequest,
  CodeActionRequest,
} = proto;

// ---- the server command, as the docs give it ----------------------------------------

const commands = documentedCommand();
test('docs/editors.md names one server command, `isolint lsp`, in every editor snippet', LIMIT, () => {
  const editors = new Set(commands.map(([e]) => e));
  for (const e of ['neovim', 'helix', 'emacs', 'vscode']) assert.ok(editors.has(e), `no ${e} snippet found`);
  for (const [editor, cmd] of commands) assert.deepEqual(cmd, ['isolint', 'lsp'], `${editor} snippet`);
});
const SERVER_ARGS = commands.length ? commands[0][1].slice(1) : ['lsp'];

// ---- a client ------------------------------------------------------------------------

const BUGGY = [
  'import { PrismaClient } from "@prisma/client";',
  '// 😀 漢字: a Worker with a client built at module scope',
  '  const label = "😀漢字"; const prisma = new PrismaClient();',
  'export default { async fetch() { return new Response(label + String(await prisma.user.count())); } };',
  '',
].join('\n');
const CONSTRUCTION = 'new PrismaClient'; // the region isolint reports: the construction without its arguments

class Client {
  constructor({ cwd } = {}) {
    this.proc = track(spawn(BIN, SERVER_ARGS, { env: ENV, cwd, stdio: ['pipe', 'pipe', 'pipe'] }));
    this.stderr = '';
    this.proc.stderr.on('data', (b) => (this.stderr += b));
    this.proc.stdin.on('error', () => {});
    this.exited = new Promise((res) => this.proc.on('exit', (code, signal) => res({ code, signal })));
    this.conn = createProtocolConnection(new StreamMessageReader(this.proc.stdout), new StreamMessageWriter(this.proc.stdin));
    this.inbox = [];
    this.waiters = [];
    this.registrations = [];
    this.conn.onNotification(PublishDiagnosticsNotification.type, (p) => this.push({ kind: 'diagnostics', ...p }));
    this.conn.onNotification(ShowMessageNotification.type, (p) => this.push({ kind: 'showMessage', ...p }));
    this.conn.onRequest(RegistrationRequest.type, (p) => {
      this.registrations.push(...p.registrations);
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
      }, TIMEOUT);
      this.waiters.push(w);
    });
  }

  diagnostics(uri, version) {
    return this.next(
      (m) => m.kind === 'diagnostics' && m.uri === uri && (version === undefined || m.version === version),
      `diagnostics for ${uri} version ${version}`,
    );
  }

  request(type, params) {
    return withTimeout(params === undefined ? this.conn.sendRequest(type) : this.conn.sendRequest(type, params), `a response to ${type.method}; stderr: ${this.stderr}`);
  }

  message() {
    return this.next((m) => m.kind === 'showMessage', 'window/showMessage');
  }

  async initialize({ encodings, watch = false } = {}) {
    const capabilities = {
      textDocument: { publishDiagnostics: { relatedInformation: true, codeDescriptionSupport: true } },
      workspace: { didChangeWatchedFiles: { dynamicRegistration: watch } },
    };
    if (encodings) capabilities.general = { positionEncodings: encodings };
    const r = await this.request(InitializeRequest.type, { processId: process.pid, rootUri: null, capabilities });
    await this.conn.sendNotification(InitializedNotification.type, {});
    return r;
  }

  open(uri, text, version = 1, languageId = 'typescript') {
    return this.conn.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId, version, text },
    });
  }

  change(uri, text, version) {
    return this.conn.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version },
      contentChanges: [{ text }],
    });
  }

  codeActions(uri, diagnostics, only) {
    const range = diagnostics.length ? diagnostics[0].range : { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    return this.request(CodeActionRequest.type, {
      textDocument: { uri },
      range,
      context: { diagnostics, ...(only ? { only } : {}) },
    });
  }

  async shutdownAndExit() {
    assert.equal(await this.request(ShutdownRequest.type), null);
    await this.conn.sendNotification(ExitNotification.type);
    return this.finish();
  }

  async finish() {
    const timer = setTimeout(() => this.proc.kill('SIGKILL'), TIMEOUT);
    const r = await this.exited;
    clearTimeout(timer);
    this.conn.dispose();
    assertNoSanitizerReport(this.stderr);
    return r;
  }
}

// The range of `needle` on line `line` of text, in UTF-16 units or UTF-8 bytes.
function rangeOf(text, line, needle, encoding, from = 'first') {
  const l = lines(text)[line];
  const s = from === 'last' ? l.lastIndexOf(needle) : l.indexOf(needle);
  assert.ok(s >= 0, `'${needle}' not on line ${line}`);
  const ch = (i) => (encoding === 'utf-8' ? Buffer.byteLength(l.slice(0, i)) : i);
  return { start: { line, character: ch(s) }, end: { line, character: ch(s + needle.length) } };
}

function helpUri(file, rule) {
  const sarif = JSON.parse(execFileSync(BIN, ['scan', '--format', 'sarif', '--exit-zero', file], { env: ENV }).toString());
  return sarif.runs[0].tool.driver.rules.find((r) => r.id === rule).helpUri;
}

function workspace(name) {
  // a directory name with a space and non-ASCII letters: URIs carry it percent-encoded
  const dir = join(tempDir(name), 'my proj é');
  mkdirSync(dir);
  return dir;
}

// ---- the lifecycle and the quick fix, in UTF-16 and UTF-8 ----------------------------

for (const encoding of ['utf-16', 'utf-8']) {
  test(`diagnostics, quick fix and lifecycle (${encoding})`, LIMIT, async () => {
    const dir = workspace('lsp');
    const file = join(dir, 'worker.ts');
    writeFileSync(file, BUGGY);
    const uri = pathToFileURL(file).href;
    assert.match(uri, /%20/);
    const c = new Client({ cwd: dir });

    const init = await c.initialize({ encodings: encoding === 'utf-8' ? ['utf-8', 'utf-16'] : ['utf-16'], watch: true });
    assert.equal(init.capabilities.positionEncoding, encoding);
    assert.deepEqual(init.capabilities.textDocumentSync, { openClose: true, change: 2, save: { includeText: false } });
    assert.deepEqual(init.capabilities.diagnosticProvider, { identifier: 'isolint', interFileDependencies: true, workspaceDiagnostics: false });
    assert.deepEqual(init.capabilities.codeActionProvider, { codeActionKinds: ['quickfix'] });
    const version = execFileSync(BIN, ['--version'], { env: ENV }).toString().trim().split(' ')[1];
    assert.deepEqual(init.serverInfo, { name: 'isolint', version });
    await c.conn.sendNotification(InitializedNotification.type, {}); // twice: still one watcher

    // the unsaved buffer is analyzed, not the file on disk (which is clean)
    writeFileSync(file, 'export {};\n');
    await c.open(uri, BUGGY, 1);
    const d1 = await c.diagnostics(uri, 1);
    assert.equal(d1.diagnostics.length, 1, JSON.stringify(d1.diagnostics));
    const diag = d1.diagnostics[0];
    const expected = rangeOf(BUGGY, 2, CONSTRUCTION, encoding);
    assert.deepEqual(diag.range, expected);
    // the encodings really differ on this line, so a wrong one cannot pass
    assert.notDeepEqual(rangeOf(BUGGY, 2, CONSTRUCTION, 'utf-16'), rangeOf(BUGGY, 2, CONSTRUCTION, 'utf-8'));
    assert.equal(diag.severity, 1);
    assert.equal(diag.code, 'module-scope-client');
    assert.equal(diag.source, 'isolint');
    assert.match(diag.message, /^'prisma' is a 'PrismaClient' from '@prisma\/client', built at module scope/);
    writeFileSync(file, BUGGY);
    // no "docsUrl" configured: no link, in LSP as in SARIF (the page travels in help.markdown)
    assert.equal(diag.codeDescription, undefined);
    assert.equal(helpUri(file, 'module-scope-client'), undefined);
    assert.deepEqual(diag.relatedInformation, [
      { location: { uri, range: rangeOf(BUGGY, 3, 'prisma', encoding, 'last') }, message: "used in request handler 'fetch'" },
    ]);

    // the quick fix: one action, applied, leaves no diagnostic (its reason passes invalid-suppression)
    const actions = await c.codeActions(uri, [diag]);
    assert.equal(actions.length, 1, JSON.stringify(actions));
    const a = actions[0];
    assert.equal(a.title, 'Suppress module-scope-client on this line');
    assert.equal(a.kind, 'quickfix');
    assert.deepEqual(a.diagnostics, [diag]);
    assert.deepEqual(Object.keys(a.edit.changes), [uri]);
    const fixed = applyEdits(BUGGY, a.edit.changes[uri], encoding);
    const fl = lines(fixed);
    assert.match(fl[2], /^ {2}\/\/ isolint-disable-next-line module-scope-client -- TODO: \S/);
    assert.equal(fl[3], lines(BUGGY)[2]);
    assert.equal(fl.length, lines(BUGGY).length + 1);
    await c.change(uri, fixed, 2);
    assert.deepEqual((await c.diagnostics(uri, 2)).diagnostics, []);

    // back to the bug: the same diagnostic again
    await c.change(uri, BUGGY, 3);
    assert.deepEqual((await c.diagnostics(uri, 3)).diagnostics, [diag]);

    // no action for other sources, other kinds, or rules that cannot be suppressed
    assert.deepEqual(await c.codeActions(uri, [{ ...diag, source: 'eslint' }]), []);
    assert.deepEqual(await c.codeActions(uri, [diag], ['refactor']), []);
    assert.equal((await c.codeActions(uri, [diag], ['quickfix'])).length, 1);
    assert.equal((await c.codeActions(uri, [diag, diag])).length, 1);

    // a suppression comment already above the line: the rule is added to it, not a
    // second comment line (which would move the first one off its line)
    const withComment = BUGGY.replace('  const label', '  // isolint-disable-next-line lazy-singleton-client -- cached on purpose\n  const label');
    await c.change(uri, withComment, 4);
    const d4 = (await c.diagnostics(uri, 4)).diagnostics;
    assert.deepEqual(d4.map((d) => d.code).sort(), ['module-scope-client', 'unused-suppression']);
    const merged = await c.codeActions(uri, d4);
    assert.equal(merged.length, 1, JSON.stringify(merged));
    assert.equal(merged[0].diagnostics[0].code, 'module-scope-client');
    const mergedText = applyEdits(withComment, merged[0].edit.changes[uri], encoding);
    assert.equal(lines(mergedText)[2], '  // isolint-disable-next-line lazy-singleton-client, module-scope-client -- cached on purpose');
    assert.equal(lines(mergedText).length, lines(withComment).length);
    await c.change(uri, mergedText, 5);
    assert.deepEqual((await c.diagnostics(uri, 5)).diagnostics, []);

    // a burst of edits: the last version is published with its own diagnostics
    for (let v = 6; v < 16; v++) await c.change(uri, v % 2 ? BUGGY : fixed, v);
    await c.change(uri, BUGGY, 16);
    assert.deepEqual((await c.diagnostics(uri, 16)).diagnostics, [diag]);
    c.inbox.length = 0; // earlier versions of the burst, if they were analyzed

    // close: the diagnostics are cleared
    await c.conn.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
    const closed = await c.diagnostics(uri);
    assert.equal(closed.version, undefined);
    assert.deepEqual(closed.diagnostics, []);
    assert.deepEqual(await c.codeActions(uri, [diag]), []);

    // the watcher for isolint.json was registered
    assert.deepEqual(
      c.registrations.map((r) => [r.method, r.registerOptions.watchers.map((w) => w.globPattern)]),
      [['workspace/didChangeWatchedFiles', ['**/isolint.json', '**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs,c,h}']]],
    );
    assert.deepEqual(await c.shutdownAndExit(), { code: 0, signal: null });
  });
}

test('a clean file publishes an empty list; other languages are left alone', LIMIT, async () => {
  const dir = workspace('clean');
  const c = new Client({ cwd: dir });
  const init = await c.initialize();
  assert.equal(init.capabilities.positionEncoding, 'utf-16'); // no encodings offered: UTF-16
  const clean = pathToFileURL(join(dir, 'clean.ts')).href;
  await c.open(clean, 'export default { fetch: () => new Response("ok") };\n');
  assert.deepEqual((await c.diagnostics(clean, 1)).diagnostics, []);
  // a JSON or Markdown buffer holding client code is not analyzed
  const md = pathToFileURL(join(dir, 'notes.md')).href;
  await c.open(md, BUGGY, 1, 'markdown');
  // an untitled TypeScript buffer is, by its language id
  await c.open('untitled:Untitled-1', BUGGY, 1, 'typescript');
  assert.equal((await c.diagnostics('untitled:Untitled-1', 1)).diagnostics.length, 1);
  await c.open(pathToFileURL(join(dir, 'types.d.ts')).href, BUGGY, 1, 'typescript');
  const jsx = pathToFileURL(join(dir, 'page.jsx')).href;
  await c.open(jsx, BUGGY, 1, 'javascriptreact');
  assert.equal((await c.diagnostics(jsx, 1)).diagnostics.length, 1);
  assert.ok(!c.inbox.some((m) => m.uri === md || /types\.d\.ts$/.test(m.uri || '')), JSON.stringify(c.inbox));
  assert.deepEqual(await c.shutdownAndExit(), { code: 0, signal: null });
});

// ---- configuration -------------------------------------------------------------------

test('isolint.json: a bad one is shown and the defaults apply; changes are reloaded', LIMIT, async () => {
  const dir = workspace('config');
  const cfg = join(dir, 'isolint.json');
  const cfgUri = pathToFileURL(cfg).href;
  writeFileSync(cfg, '{"rulez": {}}\n');
  const c = new Client({ cwd: '/' });
  await c.initialize();
  // a buffer not saved yet, in a directory that does not exist yet: the config above still applies
  const uri = pathToFileURL(join(dir, 'sub dir', 'new file.ts')).href;
  await c.open(uri, BUGGY, 1);
  const m = await c.message();
  assert.equal(m.type, 1);
  assert.ok(m.message.includes(cfg), m.message);
  assert.match(m.message, /unknown key "rulez"/);
  assert.match(m.message, /built-in defaults/);
  const d1 = (await c.diagnostics(uri, 1)).diagnostics;
  assert.equal(d1.length, 1);
  assert.equal(d1[0].severity, 1);
  // the server still answers
  assert.equal((await c.codeActions(uri, d1)).length, 1);

  // fixed, reported through the watcher: reloaded, severity follows the config
  writeFileSync(cfg, '{"rules": {"module-scope-client": "warning"}}\n');
  await c.conn.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: cfgUri, type: 2 }] });
  const d2 = (await c.diagnostics(uri, 1)).diagnostics;
  assert.equal(d2.length, 1);
  assert.equal(d2[0].severity, 2);

  // changed and saved in the editor: reloaded again
  writeFileSync(cfg, '{"rules": {"module-scope-client": "off"}}\n');
  await c.conn.sendNotification(DidSaveTextDocumentNotification.type, { textDocument: { uri: cfgUri } });
  assert.deepEqual((await c.diagnostics(uri, 1)).diagnostics, []);

  // broken again: said again, and the defaults are back
  writeFileSync(cfg, '{"rules": {"module-scope-client": "loud"}}\n');
  await c.conn.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: cfgUri, type: 2 }] });
  assert.match((await c.message()).message, /"rules"\."module-scope-client" must be/);
  assert.equal((await c.diagnostics(uri, 1)).diagnostics[0].severity, 1);
  // an edit does not repeat the message for the same file
  await c.change(uri, BUGGY + '\n', 2);
  await c.diagnostics(uri, 2);
  assert.ok(!c.inbox.some((x) => x.kind === 'showMessage'), JSON.stringify(c.inbox));
  assert.deepEqual(await c.shutdownAndExit(), { code: 0, signal: null });
});

test('exit without shutdown exits 1', LIMIT, async () => {
  const c = new Client();
  await c.initialize();
  await c.conn.sendNotification(ExitNotification.type);
  assert.deepEqual(await c.finish(), { code: 1, signal: null });
});

// ---- hostile input, with hand-made frames --------------------------------------------

const INIT = { processId: null, rootUri: null, capabilities: {} };

test('requests before initialize get -32002; notifications are dropped', LIMIT, async () => {
  const s = new RawServer(SERVER_ARGS);
  const r1 = await s.request(1, 'textDocument/codeAction', { textDocument: { uri: 'file:///x.ts' } });
  assert.equal(r1.error.code, -32002);
  s.notify('textDocument/didOpen', { textDocument: { uri: 'file:///x.ts', languageId: 'typescript', version: 1, text: BUGGY } });
  const r2 = await s.request(2, 'initialize', INIT);
  assert.equal(r2.result.serverInfo.name, 'isolint');
  const r3 = await s.request(3, 'initialize', INIT);
  assert.equal(r3.error.code, -32600); // only once
  s.notify('initialized', {});
  // the early didOpen was dropped: no such document
  const r4 = await s.request(4, 'textDocument/codeAction', {
    textDocument: { uri: 'file:///x.ts' },
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    context: { diagnostics: [{ source: 'isolint', code: 'module-scope-client', range: { start: { line: 2, character: 0 }, end: { line: 2, character: 1 } } }] },
  });
  assert.deepEqual(r4.result, []);
  assert.ok(!s.messages.some((m) => m.method === 'textDocument/publishDiagnostics'));
  s.proc.stdin.end(); // EOF without shutdown
  assert.deepEqual(await s.exit(), { code: 1, signal: null });
});

test('malformed messages get JSON-RPC errors and the server goes on', LIMIT, async () => {
  const s = new RawServer(SERVER_ARGS);
  assert.equal((await s.request(1, 'initialize', INIT)).id, 1);
  s.notify('initialized', {});
  s.frame('{"jsonrpc": "2.0", "id": 2, "method": ');
  let r = await s.response(null);
  assert.equal(r.error.code, -32700);
  s.frame('[1, 2]');
  assert.equal((await s.response(null)).error.code, -32600);
  s.frame({ jsonrpc: '2.0', id: { x: 1 }, method: 'shutdown' });
  assert.equal((await s.response(null)).error.code, -32600);
  s.frame({ jsonrpc: '1.0', id: 7, method: 'shutdown' });
  assert.equal((await s.response(7)).error.code, -32600);
  s.frame({ jsonrpc: '2.0', id: 8, method: 42 });
  assert.equal((await s.response(8)).error.code, -32600);
  s.frame({ jsonrpc: '2.0', id: 9 });
  assert.equal((await s.response(9)).error.code, -32600);
  assert.equal((await s.request(10, 'isolint/nope', {})).error.code, -32601);
  assert.equal((await s.request('abc', 'textDocument/hover', {})).error.code, -32601);
  assert.equal((await s.request(11, 'textDocument/codeAction', [])).error.code, -32602);
  s.notify('isolint/unknownNotification', { a: 1 });
  s.notify('$/cancelRequest', { id: 10 });
  s.frame({ jsonrpc: '2.0', id: 'client-1', result: null }); // a response: no answer
  // LF-only header lines and extra headers are accepted
  const body = Buffer.from(JSON.stringify({ jsonrpc: '2.0', id: 12, method: 'shutdown' }));
  s.writeRaw(Buffer.concat([Buffer.from(`Content-Type: application/vscode-jsonrpc; charset=utf-8\nContent-Length: ${body.length}\n\n`), body]));
  assert.equal((await s.response(12)).result, null);
  assert.equal((await s.request(13, 'textDocument/codeAction', {})).error.code, -32600); // after shutdown
  const answered = new Set(s.messages.map((m) => JSON.stringify(m.id)));
  assert.ok(!answered.has('"client-1"'));
  s.notify('exit');
  assert.deepEqual(await s.exit(), { code: 0, signal: null });
});

test('no crash on hostile parameters, text and nesting', LIMIT, async () => {
  const s = new RawServer(SERVER_ARGS);
  await s.request(1, 'initialize', { capabilities: { general: { positionEncodings: 'utf-8' } } });
  s.notify('initialized', {});
  const uri = 'file:///tmp/isolint-nowhere/%E2%9C%93%zz%00%2.ts';
  const json_object = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
  const junk = [null, 1, -1, 1e300, 'x', true, [], {}, [null], { uri: 5 }];
  const methods = [
    'textDocument/didOpen', 'textDocument/didChange', 'textDocument/didClose', 'textDocument/didSave',
    'workspace/didChangeWatchedFiles', 'initialized', 'exit-not',
  ];
  for (const m of methods) for (const p of junk) s.notify(m, p);
  for (const p of junk) s.notify('textDocument/didOpen', { textDocument: { uri: p, text: p, version: p, languageId: p } });
  s.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'typescript', version: 1, text: `const z = "\u0000";\n${BUGGY}\r\r\n\r` } });
  s.notify('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ range: { start: {}, end: {} }, text: 'x' }] });
  s.notify('textDocument/didChange', { textDocument: { uri, version: 'two' }, contentChanges: 'all' });
  s.notify('textDocument/didOpen', { textDocument: { uri: 'file:///a.ts', version: 1, text: 'ä'.repeat(100000) + '\r'.repeat(1000) + BUGGY } });
  const weird = [
    { source: 'isolint', code: 'module-scope-client', range: { start: { line: -1, character: 0 } } },
    { source: 'isolint', code: 'module-scope-client', range: { start: { line: 1e9, character: 0 } } },
    { source: 'isolint', code: 'module-scope-client', range: { start: { line: 2.5 } } },
    { source: 'isolint', code: 42, range: { start: { line: 0 } } },
    { source: 'isolint', code: 'no-such-rule', range: { start: { line: 0 } } },
    { source: 'isolint', code: 'module-scope-client' },
    { source: 'isolint', code: 'module-scope-client', range: { start: { line: 0, character: 0 } } },
    'not an object',
    null,
  ];
  const r = await s.request(2, 'textDocument/codeAction', { textDocument: { uri }, context: { diagnostics: weird, only: 7 } });
  assert.ok(Array.isArray(r.result));
  for (const p of junk) {
    const x = await s.request(`ca-${JSON.stringify(p)}`, 'textDocument/codeAction', p);
    assert.ok(json_object(p) ? Array.isArray(x.result) : x.error.code === -32602, JSON.stringify(x));
  }
  const deep = '['.repeat(100000) + ']'.repeat(100000);
  s.frame(deep);
  assert.equal((await s.response(null)).error.code, -32700);
  s.frame(Buffer.from([0xff, 0xfe, 0x00, 0x7b]));
  assert.equal((await s.response(null)).error.code, -32700);
  const pub = await s.next((m) => m.method === 'textDocument/publishDiagnostics' && m.params.uri === uri, 'diagnostics of the NUL buffer');
  assert.equal(pub.params.diagnostics.length, 1);
  assert.equal((await s.request(3, 'shutdown')).result, null);
  s.notify('exit');
  assert.deepEqual(await s.exit(), { code: 0, signal: null });
});

for (const [name, bytes, code] of [
  ['a Content-Length that is not a number', 'Content-Length: abc\r\n\r\n{}', 1],
  ['a header line without a colon', 'Hello there\r\n\r\n', 1],
  ['no Content-Length', 'Content-Type: text/plain\r\n\r\n{}', 1],
  ['input ending inside a body', 'Content-Length: 100\r\n\r\n{"jsonrpc"', 1],
  ['input ending inside a header', 'Content-Len', 1],
  ['an endless header line', 'X'.repeat(100000), 1],
  ['input ending between messages', '', 1],
]) {
  test(`bad framing or EOF exits cleanly: ${name}`, LIMIT, async () => {
    const s = new RawServer(SERVER_ARGS);
    s.writeRaw(bytes);
    s.proc.stdin.end();
    assert.deepEqual(await s.exit(), { code, signal: null });
    assert.equal(s.messages.length, 0);
  });
}

test('a scripted session ending in EOF is still answered, then exits 1', LIMIT, async () => {
  const s = new RawServer(SERVER_ARGS);
  const uri = 'file:///tmp/isolint-scripted/w.ts';
  s.frame({ jsonrpc: '2.0', id: 1, method: 'initialize', params: INIT });
  s.frame({ jsonrpc: '2.0', method: 'initialized', params: {} });
  s.frame({ jsonrpc: '2.0', method: 'textDocument/didOpen', params: { textDocument: { uri, languageId: 'typescript', version: 3, text: BUGGY } } });
  s.proc.stdin.end();
  assert.deepEqual(await s.exit(), { code: 1, signal: null });
  const pub = s.messages.filter((m) => m.method === 'textDocument/publishDiagnostics');
  assert.equal(pub.length, 1, JSON.stringify(s.messages));
  assert.equal(pub[0].params.version, 3);
  assert.deepEqual(pub[0].params.diagnostics.map((d) => d.code), ['module-scope-client']);
});

test('EOF after shutdown exits 0', LIMIT, async () => {
  const s = new RawServer(SERVER_ARGS);
  await s.request(1, 'initialize', INIT);
  await s.request(2, 'shutdown');
  s.proc.stdin.end();
  assert.deepEqual(await s.exit(), { code: 0, signal: null });
});

test('isolint lsp --help and a bad option', LIMIT, () => {
  const help = execFileSync(BIN, ['lsp', '--help'], { env: ENV }).toString();
  assert.match(help, /^Usage: isolint lsp/);
  let status = 0;
  try {
    execFileSync(BIN, ['lsp', '--bogus'], { env: ENV, stdio: 'pipe' });
  } catch (e) {
    status = e.status;
    assert.match(e.stderr.toString(), /unknown option '--bogus'/);
  }
  assert.equal(status, 2);
});

