// The VS Code extension (editors/vscode): packaged with `@vscode/vsce package` (offline,
// its dependencies copied from the repository's node_modules, where package.json pins
// vscode-languageclient and @vscode/vsce), the .vsix holding the client library; its
// activation, with VS Code and the client library replaced by stand-ins, starts the
// command of the "isolint.path" setting for the five languages, and that command is a
// working language server. Exit 77 (skipped) when the pinned packages are not installed.
//
//     node vscode_test.mjs ISOLINT_BINARY SOURCE_DIR
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import test from 'node:test';
import { BIN, ENV, SRC, tempDir, track, withTimeout, assertNoSanitizerReport } from './lib.mjs';

const NM = join(SRC, 'node_modules');
const VSCE = join(NM, '@vscode', 'vsce', 'vsce');
const missing = [VSCE, join(NM, 'vscode-languageclient', 'package.json')].filter((p) => !existsSync(p));
if (missing.length) {
  console.log(`SKIP: the pinned devDependencies are not installed (${missing.join(', ')} missing): run npm ci --ignore-scripts`);
  process.exit(77);
}
const EXT = join(SRC, 'editors', 'vscode');
const manifest = JSON.parse(readFileSync(join(EXT, 'package.json'), 'utf8'));

// The production dependencies of the extension, as Node resolves them from the repository's
// node_modules: the top-level ones are copied (nested node_modules come with their parent).
function closure() {
  const out = new Map();
  const find = (name, from) => {
    for (let d = from; ; d = dirname(d)) {
      const p = join(d, 'node_modules', name);
      if (existsSync(join(p, 'package.json'))) return p;
      if (d === SRC || d === dirname(d)) throw new Error(`dependency ${name} (of ${from}) is not installed`);
    }
  };
  const walk = (deps, from) => {
    for (const name of Object.keys(deps || {})) {
      const dir = find(name, from);
      if ([...out.values()].includes(dir) || out.has(dir)) continue;
      out.set(dir, name);
      walk(JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).dependencies, dir);
    }
  };
  walk(manifest.dependencies, SRC);
  return [...out].filter(([dir]) => dirname(dir) === NM || dirname(dirname(dir)) === NM);
}

function zipList(file) {
  return execFileSync('python3', ['-c', 'import sys, zipfile; print("\\n".join(zipfile.ZipFile(sys.argv[1]).namelist()))', file]).toString().split('\n').filter(Boolean);
}
function zipRead(file, entry) {
  return execFileSync('python3', ['-c', 'import sys, zipfile; sys.stdout.buffer.write(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]))', file, entry]).toString();
}

test('vsce package makes a .vsix with the client library', { timeout: 600000 }, () => {
  const t = tempDir('vscode');
  const ext = join(t, 'ext');
  cpSync(EXT, ext, { recursive: true });
  const deps = closure();
  assert.ok(deps.some(([, n]) => n === 'vscode-languageclient'));
  for (const [dir, name] of deps) {
    mkdirSync(dirname(join(ext, 'node_modules', name)), { recursive: true });
    cpSync(dir, join(ext, 'node_modules', name), { recursive: true, dereference: true });
  }
  const vsix = join(t, 'isolint.vsix');
  // offline: no registry, a scratch HOME
  const env = { ...process.env, HOME: t, npm_config_offline: 'true', npm_config_update_notifier: 'false' };
  execFileSync(process.execPath, [VSCE, 'package', '--out', vsix, '--allow-missing-repository', '--skip-license'], { cwd: ext, env, stdio: 'pipe' });
  const entries = zipList(vsix);
  for (const e of ['extension.vsixmanifest', 'extension/package.json', 'extension/extension.js', 'extension/readme.md',
    'extension/node_modules/vscode-languageclient/node.js', 'extension/node_modules/vscode-languageclient/package.json'])
    assert.ok(entries.includes(e), `${e} in the .vsix: ${entries.slice(0, 30).join(' ')}`);
  assert.ok(entries.some((e) => /^extension\/node_modules\/vscode-languageserver-protocol\/lib\//.test(e)), 'the protocol library in the .vsix');
  assert.ok(entries.some((e) => /^extension\/node_modules\/vscode-jsonrpc\/lib\//.test(e)), 'vscode-jsonrpc in the .vsix');
  const packed = JSON.parse(zipRead(vsix, 'extension/package.json'));
  assert.equal(packed.main, './extension.js');
  assert.deepEqual(packed.contributes, manifest.contributes);
  assert.equal(packed.contributes.configuration.properties['isolint.path'].default, 'isolint');
  assert.deepEqual(packed.activationEvents, ['typescript', 'typescriptreact', 'javascript', 'javascriptreact', 'c'].map((l) => `onLanguage:${l}`));
  // the installed client's pin is the one of the repository's package.json
  const pinned = JSON.parse(readFileSync(join(SRC, 'package.json'), 'utf8')).devDependencies['vscode-languageclient'];
  assert.equal(manifest.dependencies['vscode-languageclient'], pinned);
  assert.equal(JSON.parse(zipRead(vsix, 'extension/node_modules/vscode-languageclient/package.json')).version, pinned);
});

test('activation starts the command of the settings for the five languages, and it serves', { timeout: 600000 }, async () => {
  const folder = tempDir('vscode-ws');
  mkdirSync(join(folder, 'bin'));
  symlinkSync(BIN, join(folder, 'bin', 'isolint'));
  const settings = { path: '${workspaceFolder}/bin/isolint', kbDir: join(SRC, 'rules', 'kb') };
  const started = [];
  const handlers = {};
  const stubs = {
    vscode: {
      workspace: {
        workspaceFolders: [{ uri: { fsPath: folder } }],
        getConfiguration: (section) => {
          assert.equal(section, 'isolint');
          return { get: (k) => settings[k] };
        },
        onDidChangeConfiguration: (f) => ((handlers.config = f), { dispose() {} }),
      },
      commands: { registerCommand: (id, f) => ((handlers[id] = f), { dispose() {} }) },
      window: { showErrorMessage: (m) => started.push({ error: m }) },
    },
    'vscode-languageclient/node': {
      LanguageClient: class {
        constructor(id, name, serverOptions, clientOptions) {
          started.push({ id, name, serverOptions, clientOptions, stopped: false });
          this.rec = started[started.length - 1];
        }
        start() {
          return Promise.resolve();
        }
        stop() {
          this.rec.stopped = true;
          return Promise.resolve();
        }
      },
    },
  };
  const load = Module._load;
  Module._load = function (request, ...rest) {
    return request in stubs ? stubs[request] : load.call(this, request, ...rest);
  };
  try {
    const ext = createRequire(import.meta.url)(join(EXT, 'extension.js'));
    const context = { subscriptions: [] };
    await ext.activate(context);
    assert.equal(started.length, 1, JSON.stringify(started));
    const s = started[0];
    assert.equal(s.id, 'isolint');
    assert.deepEqual(s.serverOptions.args, ['lsp', '--kb', settings.kbDir]);
    assert.equal(s.serverOptions.options.cwd, folder);
    assert.deepEqual(
      s.clientOptions.documentSelector,
      ['typescript', 'typescriptreact', 'javascript', 'javascriptreact', 'c'].flatMap((language) => [
        { scheme: 'file', language },
        { scheme: 'untitled', language },
      ]),
    );
    // the command of the setting ("${workspaceFolder}" expanded) is the binary under test,
    // and it answers initialize
    assert.equal(s.serverOptions.command, join(folder, 'bin', 'isolint'));
    const proc = track(spawn(s.serverOptions.command, s.serverOptions.args, { cwd: folder, env: ENV, stdio: ['pipe', 'pipe', 'pipe'] }));
    let stderr = '';
    proc.stderr.on('data', (b) => (stderr += b));
    let out = '';
    const answered = new Promise((res) => proc.stdout.on('data', (b) => ((out += b), /"serverInfo"/.test(out) && res())));
    const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { processId: null, rootUri: null, capabilities: {} } });
    proc.stdin.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    await withTimeout(answered, 'the server started from the settings');
    assert.match(out, /"name":"isolint"/);
    proc.stdin.end();
    await new Promise((res) => proc.on('exit', res));
    assertNoSanitizerReport(stderr);
    // a change of isolint.path restarts it; the restart command too
    settings.path = BIN;
    await handlers.config({ affectsConfiguration: (k) => k === 'isolint.path' });
    assert.equal(started.length, 2);
    assert.ok(started[0].stopped);
    assert.equal(started[1].serverOptions.command, BIN);
    await handlers.config({ affectsConfiguration: () => false });
    assert.equal(started.length, 2);
    await handlers['isolint.restart']();
    assert.equal(started.length, 3);
    assert.ok(started[1].stopped);
    // empty setting: the name isolint on PATH
    assert.deepEqual(ext.serverCommand({ get: () => '' }, folder), { command: 'isolint', args: ['lsp'] });
    await ext.deactivate();
    assert.ok(started[2].stopped);
  } finally {
    Module._load = load;
  }
});
