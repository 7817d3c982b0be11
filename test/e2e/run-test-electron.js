#!/usr/bin/env node
// Runs the same end-to-end suite under @vscode/test-electron, on a machine that can download VS Code
// (desktop Electron build). This machine's CI uses scripts/e2e-run.js (code-server, offline) instead.
// Usage: npm run build && node test/e2e/run-test-electron.js   (VSCODE_VERSION=1.91.0 to pin a version)
const fs = require('fs');
const os = require('os');
const path = require('path');
const { runTests } = require('@vscode/test-electron');

const ROOT = path.resolve(__dirname, '../..');

async function main() {
  // The suite edits and saves files and creates a git repository: give it a copy of the fixture workspace.
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'buildout-freeze-e2e-'));
  const workspace = path.join(tmp, 'workspace');
  fs.cpSync(path.join(__dirname, 'workspace'), workspace, { recursive: true });
  try {
    await runTests({
      version: process.env.VSCODE_VERSION || 'stable',
      extensionDevelopmentPath: ROOT,
      extensionTestsPath: path.join(__dirname, 'suite'),
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes',
        '--user-data-dir', path.join(tmp, 'user-data')],
    });
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true, maxRetries: 3 });
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
