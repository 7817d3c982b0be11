// dist/server.js: what the extension starts with --node-ipc and other editors with --stdio. It loads the
// language server bundle (dist/server.bundle.js) through the code cache and starts it; the cache is
// written once the first checks are likely done (off the path of any request), or at exit if sooner.

import * as path from 'path';
import { loadBundle } from './code-cache';
import { keepHeapSmall } from '../lsp/heap';

// The server's heap flags, before the bundle is compiled: the code cache is only taken under the same flags.
keepHeapSmall();
const bundle = loadBundle(path.join(__dirname, 'server.bundle.js'));
(bundle.exports.runLanguageServer as () => void)();
setTimeout(() => bundle.saveCache(), 3000).unref();
process.on('exit', () => bundle.saveCache());
