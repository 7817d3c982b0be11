// The md5 rules over every software root of the real SlapOS corpus: the set of findings must equal
// the reviewed list in md5.expected.txt (precision), and the number of downloads judged must not
// fall (recall). Skipped when the corpus is not on this machine.

import { test } from 'node:test';
import * as assert from 'assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { Workspace } from '../../../server/src/workspace/workspace';
import { NodeHost } from '../../../server/src/host/node-host';
import { checkProfile } from '../../../server/src/check';
import { downloadsOf } from '../../../server/src/model/downloads';

const CORPUS = process.env.BUILDOUT_FREEZE_CORPUS ?? '/work/shared/corpus/slapos';
const EXPECTED = path.resolve(__dirname, '../../../../test/unit/corpus/md5.expected.txt');
const CODES = new Set(['missing-md5sum', 'md5sum-mismatch', 'file-not-found']);

function softwareRoots(): string[] {
  const roots: string[] = [];
  const software = path.join(CORPUS, 'software');
  for (const name of fs.readdirSync(software).sort()) {
    const dir = path.join(software, name);
    if (!fs.statSync(dir).isDirectory()) continue;
    for (const f of fs.readdirSync(dir).sort()) if (/^software.*\.cfg$/.test(f)) roots.push(path.join(dir, f));
  }
  return roots;
}

function readExpected(): string[] {
  return fs.readFileSync(EXPECTED, 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#')).sort();
}

test('md5 findings over the SlapOS corpus equal the reviewed list', { skip: !fs.existsSync(path.join(CORPUS, 'software')) && 'corpus not found' }, async (t) => {
  const roots = softwareRoots();
  const ws = new Workspace(new NodeHost());
  const started = Date.now();
  const found = new Set<string>();
  const downloads = new Map<string, { form: string; local: boolean; hashed: boolean }>();
  for (const root of roots) {
    const result = await checkProfile(ws, root);
    for (const f of result.findings) {
      if (!CODES.has(f.code)) continue;
      const r = f.range;
      found.add(`${f.code} ${path.relative(CORPUS, f.file)}:${r.start.line + 1}:${r.start.character + 1}-${r.end.line + 1}:${r.end.character + 1}`);
    }
    for (const d of downloadsOf(ws, result.config)) {
      downloads.set(`${d.form}\0${d.target}\0${d.md5?.value ?? ''}`, { form: d.form, local: !!d.local, hashed: !!d.md5 || d.otherHashes.length > 0 });
    }
  }
  const elapsed = Date.now() - started;
  const all = [...downloads.values()];
  const local = all.filter((d) => d.local).length;
  const byForm = all.reduce<Record<string, number>>((acc, d) => ({ ...acc, [d.form]: (acc[d.form] ?? 0) + 1 }), {});
  t.diagnostic(`${roots.length} roots checked in ${elapsed} ms; ${all.length} distinct downloads judged (${local} local files hashed, ${all.length - local} remote URLs), ${all.filter((d) => d.hashed).length} with a hash; by form ${JSON.stringify(byForm)}`);

  assert.deepEqual([...found].sort(), readExpected());
  // Recall floor: a change that silently stops listing downloads must not pass for a clean corpus.
  assert.ok(roots.length >= 113, `${roots.length} roots`);
  assert.ok(all.length >= 1200, `only ${all.length} downloads judged`);
  assert.ok(local >= 700, `only ${local} local files hashed`);
  assert.ok((byForm.patch ?? 0) >= 140 && (byForm.template ?? 0) >= 140 && (byForm.hook ?? 0) >= 6, JSON.stringify(byForm));
});
