// The isolint extension: starts `isolint lsp` (the binary of the "isolint.path" setting)
// through vscode-languageclient for TypeScript, JavaScript and C documents, and starts it
// again when the settings change or on "isolint: Restart the language server".
'use strict';
const vscode = require('vscode');

const LANGUAGES = ['typescript', 'typescriptreact', 'javascript', 'javascriptreact', 'c'];

// The server command of the settings ("${workspaceFolder}" is the first workspace folder).
function serverCommand(config, folder) {
  const expand = (s) => (folder ? s.replace(/\$\{workspaceFolder\}/g, folder) : s);
  const command = expand((config.get('path') || 'isolint').trim()) || 'isolint';
  const kb = expand((config.get('kbDir') || '').trim());
  return { command, args: kb ? ['lsp', '--kb', kb] : ['lsp'] };
}

function documentSelector() {
  const out = [];
  for (const language of LANGUAGES) {
    out.push({ scheme: 'file', language });
    out.push({ scheme: 'untitled', language });
  }
  return out;
}

let client;

async function start() {
  const { LanguageClient } = require('vscode-languageclient/node');
  const folders = vscode.workspace.workspaceFolders;
  const folder = folders && folders.length ? folders[0].uri.fsPath : undefined;
  const server = serverCommand(vscode.workspace.getConfiguration('isolint'), folder);
  const serverOptions = { command: server.command, args: server.args, options: folder ? { cwd: folder } : {} };
  const clientOptions = { documentSelector: documentSelector(), outputChannelName: 'isolint' };
  client = new LanguageClient('isolint', 'isolint', serverOptions, clientOptions);
  try {
    await client.start();
  } catch (e) {
    vscode.window.showErrorMessage(
      `isolint: cannot start '${server.command} ${server.args.join(' ')}' (${e && e.message ? e.message : e}). ` +
        'Install isolint (npm install --save-dev isolint) or set "isolint.path".',
    );
  }
}

async function stop() {
  const c = client;
  client = undefined;
  if (c) await c.stop().catch(() => {});
}

async function activate(context) {
  context.subscriptions.push(
    vscode.commands.registerCommand('isolint.restart', async () => {
      await stop();
      await start();
    }),
    vscode.workspace.onDidChangeConfiguration(async (e) => {
      if (e.affectsConfiguration('isolint.path') || e.affectsConfiguration('isolint.kbDir')) {
        await stop();
        await start();
      }
    }),
  );
  await start();
}

function deactivate() {
  return stop();
}

module.exports = { activate, deactivate, serverCommand, documentSelector, LANGUAGES };
