// `annotate` computes what zc.buildout computes. For every SlapOS software root, under Python 3.11 and
// 2.7, the digest of {section: {option: value}} after extends, +=/-= and conditional sections must equal
// the digest zc.buildout's own parser and merge produced for the same files
// (scripts/verify/zc-buildout-annotate.py, run against zc.buildout's source; not runnable in CI).

import { test } from 'node:test';
import * as assert from 'assert/strict';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { CORPUS, REPO_ROOT, corpusAvailable, softwareRoots } from '../../harness/corpus';
import { Workspace } from '../../../server/src/workspace/workspace';
import { NodeHost } from '../../../server/src/host/node-host';
import { loadForTarget } from '../../../server/src/check';

/** Python's json.dumps(sort_keys=True, separators=(',', ':'), ensure_ascii=False). */
function canonicalJson(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  const o = v as Record<string, unknown>;
  return '{' + Object.keys(o).sort().map((k) => JSON.stringify(k) + ':' + canonicalJson(o[k])).join(',') + '}';
}

test('annotate equals zc.buildout on every SlapOS software root (Python 3.11 and 2.7)', { skip: !corpusAvailable() && 'corpus not found' }, async () => {
  const expected = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'test/unit/corpus/annotate.expected.json'), 'utf8')) as Record<string, string>;
  const ws = new Workspace(new NodeHost());
  const mismatches: string[] = [];
  let compared = 0;
  for (const root of softwareRoots()) {
    for (const python of ['3.11', '2.7']) {
      const key = `${path.relative(CORPUS, root)} ${python}`;
      if (!(key in expected)) continue;
      const { config } = await loadForTarget(ws, root, { python });
      const data: Record<string, Record<string, string>> = {};
      for (const [name, section] of config.data) {
        data[name] = {};
        for (const [k, v] of section) if (!(name === 'buildout' && k === 'executable')) data[name][k] = v.value.split(CORPUS).join('<corpus>');
      }
      const digest = crypto.createHash('sha256').update(canonicalJson(data)).digest('hex');
      compared++;
      if (digest !== expected[key]) mismatches.push(key);
    }
  }
  assert.deepEqual(mismatches, []);
  assert.ok(compared >= 200, `only ${compared} root/Python pairs compared`);
});
