// The one folder buildout-freeze keeps its own caches in (never a user's file): V8's code cache of the
// bundles (boot/code-cache.ts) and the language server's snapshots of checks (lsp/check-snapshots.ts).
// Imports only Node built-ins, so boot/ can use it without pulling anything else in front of its bundle.

import * as os from 'os';
import * as path from 'path';

/** `$XDG_CACHE_HOME/buildout-freeze`, else `~/.cache/buildout-freeze`; undefined without a home folder. */
export function cacheFolder(): string | undefined {
  const base = process.env.XDG_CACHE_HOME || (os.homedir() ? path.join(os.homedir(), '.cache') : '');
  return base ? path.join(base, 'buildout-freeze') : undefined;
}
