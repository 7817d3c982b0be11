// dist/cli.js: the command line (bin/buildout-freeze.js calls `main`). It loads the CLI bundle
// (dist/cli.bundle.js) through the code cache and writes the cache after the first command ran.

import * as path from 'path';
import { loadBundle } from './code-cache';

const bundle = loadBundle(path.join(__dirname, 'cli.bundle.js'));
const run = bundle.exports.main as (argv: string[]) => Promise<number>;

export async function main(argv: string[]): Promise<number> {
  const code = await run(argv);
  // `lsp` changes the heap flags (lsp/heap.ts), and a cache made under them would be refused by every
  // other command: the editor's server has its own entry and cache.
  if (argv[0] !== 'lsp') bundle.saveCache();
  return code;
}
