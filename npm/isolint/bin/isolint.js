#!/usr/bin/env node
// The `isolint` command of the npm package: finds the prebuilt binary of this platform
// (the optional dependency npm installed for it, chosen by its os/cpu/libc fields, the way
// esbuild, Biome and oxlint ship) and runs it with the arguments, forwarding its exit
// status and the signals that stop it. Nothing is built or downloaded at install time.
'use strict';
const { spawn } = require('child_process');
const path = require('path');

// platform key -> package holding bin/isolint (and share/isolint/kb beside it)
const PACKAGES = {
  'linux-x64-glibc': '@isolint/linux-x64',
};

function libc() {
  if (process.platform !== 'linux') return '';
  try {
    const header = process.report.getReport().header;
    return header.glibcVersionRuntime ? 'glibc' : 'musl';
  } catch {
    return 'glibc';
  }
}

function binaryPath() {
  if (process.env.ISOLINT_BINARY) return process.env.ISOLINT_BINARY;
  const c = libc();
  const key = `${process.platform}-${process.arch}${c ? '-' + c : ''}`;
  const pkg = PACKAGES[key];
  if (!pkg) {
    fail(`no prebuilt isolint for ${key}: the npm package ships Linux x64 (glibc) only ` +
         '(a WebAssembly build for other platforms is not available yet). Build it from ' +
         'source (cmake -S . -B build -DIL_C_FRONTEND=OFF && cmake --build build) and set ' +
         'ISOLINT_BINARY to it.');
  }
  try {
    return path.join(path.dirname(require.resolve(`${pkg}/package.json`)), 'bin', 'isolint');
  } catch {
    fail(`the package ${pkg} is not installed: it is an optional dependency of isolint, ` +
         'which npm skips with --no-optional / --omit=optional. Install it again with ' +
         `\`npm install isolint ${pkg}\`.`);
  }
}

function fail(message) {
  process.stderr.write(`isolint: ${message}\n`);
  process.exit(2);
}

const bin = binaryPath();
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
