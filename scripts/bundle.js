#!/usr/bin/env node
// Bundles the entry points with esbuild: the VS Code client, the language server and the CLI.
// tsc has already type-checked everything into out/; this only produces the shipped dist/ files.
const esbuild = require('esbuild');
const path = require('path');
const root = path.resolve(__dirname, '..');
const common = { bundle: true, minify: true, keepNames: true, platform: 'node', target: 'node20', format: 'cjs', sourcemap: true, logLevel: 'warning', absWorkingDir: root };
Promise.all([
  esbuild.build({ ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/client.js', external: ['vscode'] }),
  // The server and the CLI are each a small entry (server/src/boot/) that loads the big bundle through
  // V8's code cache: dist/server.js starts dist/server.bundle.js, dist/cli.js loads dist/cli.bundle.js.
  esbuild.build({ ...common, entryPoints: ['server/src/lsp/main.ts'], outfile: 'dist/server.bundle.js' }),
  esbuild.build({ ...common, entryPoints: ['server/src/cli/main.ts'], outfile: 'dist/cli.bundle.js' }),
  esbuild.build({ ...common, entryPoints: ['server/src/boot/server-entry.ts'], outfile: 'dist/server.js' }),
  esbuild.build({ ...common, entryPoints: ['server/src/boot/cli-entry.ts'], outfile: 'dist/cli.js' }),
]).catch((e) => { console.error(e.message); process.exit(1); });
