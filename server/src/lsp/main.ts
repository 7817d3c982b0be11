// Entry point of dist/server.js (the extension starts it with --node-ipc, other editors with --stdio).
// Everything lives in server.ts, which the CLI imports for `buildout-freeze lsp --stdio`.

import { runLanguageServer } from './server';

runLanguageServer();
