// The whole corpus report, reviewed: every finding (rules and model problems) that a release-mode check
// of every SlapOS software root gives, one line each, as `buildout-freeze check ../shared/corpus/slapos`
// lists them. Any change to what the checker says about the real tree shows up here in review.
// UPDATE_EXPECT=1 rewrites test/unit/corpus/full-report.expected.

import { test } from 'node:test';
import * as assert from 'assert/strict';
import * as path from 'path';
import { CORPUS, corpusAvailable, softwareRoots, findingKey, compareKeys, readExpectation, writeExpectation } from '../../harness/corpus';
import { Workspace } from '../../../server/src/workspace/workspace';
import { NodeHost } from '../../../server/src/host/node-host';
import { checkProfile } from '../../../server/src/check';

const FILE = 'unit/corpus/full-report.expected';

test('the release-mode report of the whole corpus is the reviewed one', { skip: !corpusAvailable() && 'corpus not found' }, async () => {
  const ws = new Workspace(new NodeHost());
  const lines = new Map<string, string>();
  for (const root of softwareRoots()) {
    const result = await checkProfile(ws, root, { mode: 'release' });
    for (const f of result.findings) {
      const key = findingKey(f);
      if (!lines.has(key)) lines.set(key, `${key} ${f.severity}  # ${path.relative(CORPUS, root)}: ${f.message.split(CORPUS + '/').join('').replace(/\s+/g, ' ').slice(0, 160)}`);
    }
  }
  const actual = [...lines.keys()].sort(compareKeys).map((k) => `${k} ${lines.get(k)!.split(' ').slice(2).join(' ').split('  #')[0]}`);
  if (process.env.UPDATE_EXPECT) {
    writeExpectation(FILE, '# Every finding of a release-mode check of all software roots: path:line:col-line:col code severity  # first root: message\n', [...lines.keys()].sort(compareKeys).map((k) => lines.get(k)!));
  }
  const expected = readExpectation(FILE);
  assert.deepEqual(actual, expected);
});
