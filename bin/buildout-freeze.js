#!/usr/bin/env node
// The `buildout-freeze` command: a thin launcher for the bundled CLI built by `npm install`.
require('../dist/cli.js').main(process.argv.slice(2)).then((code) => { if (code >= 0) process.exitCode = code; });
