// The SlapOS corpus for precision tests: where it is (BUILDOUT_CORPUS, else ../shared/corpus/slapos next
// to the repository), its software roots (`software/*/software*.cfg`), and expectation files kept in
// test/ that list findings as `path:line:col-line:col code` relative to the corpus (1-based), one a line,
// with an optional `  # comment` for reviewers. UPDATE_EXPECT=1 rewrites an expectation file.

import * as fs from 'fs';
import * as path from 'path';
import { Finding } from '../../server/src/core/finding';

/** The repository root, from out/test/harness or test/harness alike. */
export const REPO_ROOT = (() => {
  let d = __dirname;
  while (!fs.existsSync(path.join(d, 'package.json')) && path.dirname(d) !== d) d = path.dirname(d);
  return d;
})();

export const CORPUS = process.env.BUILDOUT_CORPUS || path.resolve(REPO_ROOT, '../shared/corpus/slapos');

export function corpusAvailable(): boolean {
  return fs.existsSync(path.join(CORPUS, 'software'));
}

export function softwareRoots(): string[] {
  const roots: string[] = [];
  const software = path.join(CORPUS, 'software');
  for (const d of fs.readdirSync(software).sort()) {
    const dir = path.join(software, d);
    if (!fs.statSync(dir).isDirectory()) continue;
    for (const f of fs.readdirSync(dir).sort()) if (/^software.*\.cfg$/.test(f)) roots.push(path.join(dir, f));
  }
  return roots;
}

export function findingKey(f: Finding): string {
  const r = f.range;
  return `${path.relative(CORPUS, f.file)}:${r.start.line + 1}:${r.start.character + 1}-${r.end.line + 1}:${r.end.character + 1} ${f.code}`;
}

/** The keys of an expectation file under test/ (comments and blank lines dropped). */
export function readExpectation(relative: string): string[] {
  const text = fs.readFileSync(path.join(REPO_ROOT, 'test', relative), 'utf8');
  return text.split('\n').map((l) => l.replace(/\s+#.*$/, '').trim()).filter((l) => l && !l.startsWith('#'));
}

export function writeExpectation(relative: string, header: string, lines: string[]): void {
  fs.writeFileSync(path.join(REPO_ROOT, 'test', relative), header + lines.join('\n') + '\n');
}

/** Orders finding keys by file, then line and column as numbers. */
export function compareKeys(a: string, b: string): number {
  const parse = (k: string) => { const m = /^(.*):(\d+):(\d+)-(\d+):(\d+) (.*)$/.exec(k); return m ? [m[1], +m[2], +m[3], +m[4], +m[5], m[6]] as const : [k, 0, 0, 0, 0, ''] as const; };
  const x = parse(a), y = parse(b);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i] < y[i] ? -1 : 1;
  return 0;
}
