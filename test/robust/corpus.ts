// Where the real SlapOS profile tree is (../shared/corpus/slapos beside the repository, or
// $BUILDOUT_CORPUS), and its files; tests that need it skip when it is absent.

import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..', '..', '..');
export const CORPUS = process.env.BUILDOUT_CORPUS || path.resolve(ROOT, '../shared/corpus/slapos');
export const HAVE_CORPUS = fs.existsSync(CORPUS);

/** Every `*.cfg` of the corpus, sorted, as absolute paths. */
export function corpusProfiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && e.name.endsWith('.cfg')) out.push(p);
    }
  };
  if (HAVE_CORPUS) walk(CORPUS);
  return out.sort();
}

/** The software release roots: `software/<name>/software*.cfg`. */
export function corpusRoots(): string[] {
  return corpusProfiles().filter((f) => /\/software\/[^/]+\/software[^/]*\.cfg$/.test(f));
}
