// Starts a bundled program (dist/server.bundle.js, dist/cli.bundle.js) from V8's code cache of an earlier
// run: a cold start spends a third of its time compiling the bundle's functions, which the cache keeps
// as bytecode. Node 20 has no built-in compile cache, so this does what it does: the cache is the bytes
// of `vm.Script#createCachedData`, taken once the program has done its first piece of work (so lazily
// compiled functions are in it), in a folder of the user's own (mode 0700), one file per bundle, Node
// version and bundle content. V8 rejects a cache that does not match the source or its own flags; any
// failure here only means a slower start. BUILDOUT_FREEZE_CODE_CACHE=off turns it off.
// Imports only Node built-ins and host/cache-folder.ts (itself only Node built-ins): it is bundled on its
// own, in front of the program it loads.

import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import * as vm from 'vm';
import Module from 'module';
import { cacheFolder } from '../host/cache-folder';

export interface LoadedBundle {
  /** The bundle's `module.exports`. */
  exports: Record<string, unknown>;
  /** True when V8 accepted the cache of an earlier run. */
  fromCache: boolean;
  /** Writes the code cache if the run did not start from a valid one; never throws. */
  saveCache(): void;
}

export function loadBundle(file: string): LoadedBundle {
  const source = fs.readFileSync(file, 'utf8');
  const cacheFile = cachePathFor(file, source);
  let cachedData: Buffer | undefined;
  if (cacheFile) try { cachedData = fs.readFileSync(cacheFile); } catch { /* first run */ }
  const script = new vm.Script(Module.wrap(source), { filename: file, cachedData });
  const fromCache = cachedData !== undefined && !script.cachedDataRejected;
  const module = { exports: {} as Record<string, unknown>, filename: file, id: file, loaded: false };
  const localRequire = Module.createRequire(file);
  (script.runInThisContext() as (...args: unknown[]) => void).call(module.exports, module.exports, localRequire, module, file, path.dirname(file));
  module.loaded = true;
  let saved = fromCache;
  return {
    exports: module.exports,
    fromCache,
    saveCache() {
      if (saved || !cacheFile) return;
      saved = true;
      try {
        fs.mkdirSync(path.dirname(cacheFile), { recursive: true, mode: 0o700 });
        const temporary = `${cacheFile}.${process.pid}.tmp`;
        fs.writeFileSync(temporary, script.createCachedData(), { mode: 0o600 });
        fs.renameSync(temporary, cacheFile);
        pruneOldCaches(cacheFile);
      } catch { /* a read-only or full disk: the next start compiles again */ }
    },
  };
}

/** Caches of earlier versions of the same bundle pile up with each upgrade: keep the newest few (two editors may run two versions). */
function pruneOldCaches(kept: string, keep = 3): void {
  const dir = path.dirname(kept);
  const prefix = path.basename(kept).replace(/-[0-9a-f]+\.v8cache$/, '-');
  const others = fs.readdirSync(dir)
    .filter((name) => name.startsWith(prefix) && name.endsWith('.v8cache'))
    .map((name) => ({ file: path.join(dir, name), at: fs.statSync(path.join(dir, name)).mtimeMs }))
    .sort((a, b) => b.at - a.at);
  for (const old of others.slice(keep)) if (old.file !== kept) fs.rmSync(old.file, { force: true });
}

/** The cache file for this bundle's content under this Node, or undefined when caching is off. */
function cachePathFor(file: string, source: string): string | undefined {
  if (process.env.BUILDOUT_FREEZE_CODE_CACHE === 'off') return undefined;
  const folder = cacheFolder();
  if (!folder) return undefined;
  const digest = crypto.createHash('sha256').update(source).update(process.version).update(process.arch).digest('hex').slice(0, 24);
  return path.join(folder, `${path.basename(file, '.js')}-${digest}.v8cache`);
}
