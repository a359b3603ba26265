#!/usr/bin/env node
// The `isolint` command of the npm package: finds the prebuilt binary of this platform
// (the optional dependency npm installed for it, chosen by its os/cpu/libc fields, the way
// esbuild, Biome and oxlint ship) and runs it with the arguments, forwarding its exit
// status and the signals that stop it. Where no binary fits (another platform, or
// ISOLINT_FORCE_WASM=1), it runs the WebAssembly build of @isolint/wasm32-wasi with
// node:wasi instead: the TypeScript/JavaScript analysis, one thread, the same output.
// Nothing is built or downloaded at install time.
'use strict';
const { spawn } = require('child_process');
const fs = require('fs');
const path = require('path');

// platform key -> package holding bin/isolint (and share/isolint/kb beside it)
const PACKAGES = {
  'linux-x64-glibc': '@isolint/linux-x64',
};
const WASM_PACKAGE = '@isolint/wasm32-wasi';

function libc() {
  if (process.platform !== 'linux') return '';
  try {
    const header = process.report.getReport().header;
    return header.glibcVersionRuntime ? 'glibc' : 'musl';
  } catch {
    return 'glibc';
  }
}

function packageDir(pkg) {
  try {
    return path.dirname(require.resolve(`${pkg}/package.json`));
  } catch {
    return null;
  }
}

function fail(message) {
  process.stderr.write(`isolint: ${message}\n`);
  process.exit(2);
}

// What to run: { bin } for a native binary, { wasm, kb } for the WebAssembly module.
function choose() {
  if (process.env.ISOLINT_BINARY) return { bin: process.env.ISOLINT_BINARY };
  const forced = process.env.ISOLINT_FORCE_WASM;
  const c = libc();
  const key = `${process.platform}-${process.arch}${c ? '-' + c : ''}`;
  const pkg = PACKAGES[key];
  if (pkg && !(forced && forced !== '0')) {
    const dir = packageDir(pkg);
    if (dir) return { bin: path.join(dir, 'bin', 'isolint') };
  }
  const wasmDir = packageDir(WASM_PACKAGE);
  if (wasmDir) {
    return {
      wasm: path.join(wasmDir, 'isolint.wasm'),
      kb: path.join(wasmDir, 'share', 'isolint', 'kb'),
    };
  }
  if (forced && forced !== '0') {
    fail(`ISOLINT_FORCE_WASM is set but the package ${WASM_PACKAGE} is not installed: it is ` +
         'an optional dependency of isolint, which npm skips with --no-optional / ' +
         `--omit=optional. Install it again with \`npm install isolint ${WASM_PACKAGE}\`.`);
  }
  if (!pkg) {
    fail(`no prebuilt isolint for ${key}, and the WebAssembly build (${WASM_PACKAGE}) is not ` +
         'installed: it is an optional dependency of isolint, which npm skips with ' +
         `--omit=optional. Install it again with \`npm install isolint ${WASM_PACKAGE}\`, or ` +
         'build from source (cmake -S . -B build -DIL_C_FRONTEND=OFF && cmake --build build) ' +
         'and set ISOLINT_BINARY to it.');
  }
  fail(`the package ${pkg} is not installed: it is an optional dependency of isolint, ` +
       'which npm skips with --no-optional / --omit=optional. Install it again with ' +
       `\`npm install isolint ${pkg}\`.`);
}

function runNative(bin) {
  const child = spawn(bin, process.argv.slice(2), { stdio: 'inherit' });
  const forwarded = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT'];
  const relay = (sig) => child.kill(sig);
  for (const sig of forwarded) process.on(sig, relay);
  child.on('error', (e) => fail(`cannot run ${bin}: ${e.message}`));
  child.on('exit', (code, signal) => {
    for (const sig of forwarded) process.removeListener(sig, relay);
    if (signal) {
      process.kill(process.pid, signal); // die of the same signal: the caller sees it
      return;
    }
    process.exit(code === null ? 2 : code);
  });
}

// The module sees the host's file system under the same absolute paths ("/" is the host's
// "/"; on Windows, the root of the working directory's drive), starts in the host's working
// directory (PWD, read by the module at start-up), and finds its knowledge base in the
// package unless ISOLINT_KB_DIR says otherwise. So relative paths and the paths in SARIF
// are the native build's. Standard input, output and error are the process's own.
function runWasm(wasmPath, kb) {
  // node:wasi is marked experimental (Node 18-22): its one-time warning is not isolint's
  // output, so it is left out; other warnings still print
  const defaults = process.listeners('warning');
  process.removeAllListeners('warning');
  process.on('warning', (w) => {
    if (w.name === 'ExperimentalWarning' && /WASI/.test(w.message)) return;
    for (const l of defaults) l(w);
  });
  // Node's WASI functions are V8 "fast API calls" from the module; one that allocates can
  // start a garbage collection inside the call, which crashes Node 20-22 on long scans
  // (nodejs/node#46777, #53087). Off before the module is compiled: ordinary calls.
  require('v8').setFlagsFromString('--no-turbo-fast-api-calls');
  let WASI;
  try {
    ({ WASI } = require('wasi'));
  } catch (e) {
    fail(`this Node (${process.version}) has no node:wasi to run ${wasmPath}: use Node 18 or newer`);
  }
  // the guest's path of a host path: the same on POSIX; "C:\\x\\y" -> "/x/y" on Windows,
  // where only the working directory's drive is mapped (null for another drive)
  const root = process.platform === 'win32' ? path.parse(process.cwd()).root : '/';
  const guest = (p) => {
    if (process.platform !== 'win32') return p;
    const abs = path.resolve(p);
    if (path.parse(abs).root.toLowerCase() !== root.toLowerCase()) return null;
    return '/' + path.relative(root, abs).split(path.sep).join('/');
  };
  const env = Object.assign({}, process.env, { PWD: guest(process.cwd()) });
  const kbDir = guest(process.env.ISOLINT_KB_DIR || kb);
  if (kbDir) env.ISOLINT_KB_DIR = kbDir;
  const wasi = new WASI({
    version: 'preview1',
    args: ['isolint', ...process.argv.slice(2)],
    env,
    preopens: { '/': root },
    returnOnExit: true,
  });
  // Node's WASI object must outlive start(): nothing in the module's imports holds it, so
  // a garbage collection during a long scan would destroy it in the middle of a WASI call
  // (Node 20 aborts). A listener of the process keeps it reachable until the end.
  process.on('exit', () => wasi);
  let code;
  try {
    const module = new WebAssembly.Module(fs.readFileSync(wasmPath));
    const imports = wasi.getImportObject ? wasi.getImportObject()
                                         : { wasi_snapshot_preview1: wasi.wasiImport };
    const instance = new WebAssembly.Instance(module, imports);
    code = wasi.start(instance);
  } catch (e) {
    fail(`cannot run ${wasmPath}: ${e && e.message ? e.message : e}`);
  }
  process.exitCode = typeof code === 'number' ? code : 0;
}

const what = choose();
if (what.bin) runNative(what.bin);
else runWasm(what.wasm, what.kb);
