#!/usr/bin/env node
// Bundles the entry points with esbuild: the VS Code client, the language server and the CLI.
// tsc has already type-checked everything into out/; this only produces the shipped dist/ files.
const esbuild = require('esbuild');
const path = require('path');
const root = path.resolve(__dirname, '..');
const crypto = require('crypto');
const fs = require('fs');

/** A digest of everything the server is built from: its snapshots of earlier checks are kept per build. */
function buildId() {
  const hash = crypto.createHash('sha256');
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else { hash.update(path.relative(root, file)); hash.update(fs.readFileSync(file)); }
    }
  };
  walk(path.join(root, 'server', 'src'));
  hash.update(fs.readFileSync(path.join(root, 'package-lock.json')));
  return hash.digest('hex').slice(0, 16);
}

const common = { bundle: true, minify: true, keepNames: true, platform: 'node', target: 'node20', format: 'cjs', sourcemap: true, logLevel: 'warning', absWorkingDir: root };
Promise.all([
  esbuild.build({ ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/client.js', external: ['vscode'] }),
  // The server and the CLI are each a small entry (server/src/boot/) that loads the big bundle through
  // V8's code cache: dist/server.js starts dist/server.bundle.js, dist/cli.js loads dist/cli.bundle.js.
  esbuild.build({ ...common, entryPoints: ['server/src/lsp/main.ts'], outfile: 'dist/server.bundle.js', define: { BUILDOUT_FREEZE_BUILD: JSON.stringify(buildId()) } }),
  esbuild.build({ ...common, entryPoints: ['server/src/cli/main.ts'], outfile: 'dist/cli.bundle.js' }),
  esbuild.build({ ...common, entryPoints: ['server/src/boot/server-entry.ts'], outfile: 'dist/server.js' }),
  esbuild.build({ ...common, entryPoints: ['server/src/boot/cli-entry.ts'], outfile: 'dist/cli.js' }),
]).catch((e) => { console.error(e.message); process.exit(1); });
