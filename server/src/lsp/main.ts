// Entry point of dist/server.js (the extension starts it with --node-ipc, other editors with --stdio).
// The server itself is in server.ts; the CLI's `buildout-freeze lsp --stdio` calls runLanguageServer().

import * as path from 'path';
import { runLanguageServer } from './server';

export { runLanguageServer, startServer } from './server';

// Started as its own program (dist/server.js, or out/.../main.js), not imported by the CLI bundle.
if (/^(server|main)\.js$/.test(path.basename(process.argv[1] ?? ''))) runLanguageServer();
