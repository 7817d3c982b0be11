#!/usr/bin/env node
// The `buildout-freeze` command: a thin launcher for the bundled CLI built by `npm install` (dist/cli.js
// loads dist/cli.bundle.js through the code cache, see server/src/boot/).
require('../dist/cli.js').main(process.argv.slice(2)).then((code) => { if (code >= 0) process.exitCode = code; });
