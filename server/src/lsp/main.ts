// Entry point of dist/server.bundle.js, which dist/server.js (server/src/boot/) loads and starts (the
// extension starts it with --node-ipc, other editors with --stdio).
// The server itself is in server.ts; the CLI's `buildout-freeze lsp --stdio` calls runLanguageServer().

import * as path from 'path';
import { runLanguageServer } from './server';

export { runLanguageServer, startServer } from './server';

// Started as its own program (dist/server.js, or out/server/src/lsp/main.js), not imported by the CLI
// (dist/cli.js, or out/server/src/cli/main.js, whose name is main.js too: hence the __filename test).
const program = path.resolve(process.argv[1] ?? '');
if (/^(server|main)\.js$/.test(path.basename(program)) && program === __filename) runLanguageServer();
