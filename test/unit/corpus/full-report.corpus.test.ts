// The whole corpus report, reviewed: every finding (rules and model problems) that a release-mode check
// of every SlapOS software root gives, one line each, as `buildout-freeze check ../shared/corpus/slapos`
// lists them. Any change to what the checker says about the real tree shows up here in review.
// The snapshot left some files out (its README: "Python code, images, lock files"); a file-not-found on
// one of those is right on the snapshot but would not be on slapos.git, so such lines are marked
// `left-out-by-snapshot` and counted apart: every unmarked line is a real violation of the release rules.
// UPDATE_EXPECT=1 rewrites test/unit/corpus/full-report.expected.

import { test } from 'node:test';
import * as assert from 'assert/strict';
import * as path from 'path';
import { CORPUS, corpusAvailable, softwareRoots, findingKey, compareKeys, readExpectation, writeExpectation } from '../../harness/corpus';
import { Finding } from '../../../server/src/core/finding';
import { Workspace } from '../../../server/src/workspace/workspace';
import { NodeHost } from '../../../server/src/host/node-host';
import { checkProfile } from '../../../server/src/check';

const FILE = 'unit/corpus/full-report.expected';

/** The kinds of file the corpus README says the snapshot did not keep. */
const LEFT_OUT = /(\.py|\.png|\.jpe?g|\.gif|\.svg|\.ico|package-lock\.json|\.lock)$/;

/** A file-not-found whose file is of a kind the snapshot dropped: an artefact of the snapshot, not of SlapOS. */
function leftOutBySnapshot(f: Finding): boolean {
  const missing = typeof f.data?.path === 'string' ? f.data.path : '';
  return f.code === 'file-not-found' && LEFT_OUT.test(missing);
}

test('the release-mode report of the whole corpus is the reviewed one', { skip: !corpusAvailable() && 'corpus not found' }, async () => {
  const ws = new Workspace(new NodeHost());
  const lines = new Map<string, string>();
  for (const root of softwareRoots()) {
    const result = await checkProfile(ws, root, { mode: 'release' });
    for (const f of result.findings) {
      const key = findingKey(f);
      const label = leftOutBySnapshot(f) ? `${f.severity} left-out-by-snapshot` : f.severity;
      if (!lines.has(key)) lines.set(key, `${key} ${label}  # ${path.relative(CORPUS, root)}: ${f.message.split(CORPUS + '/').join('').replace(/\s+/g, ' ').slice(0, 160)}`);
    }
  }
  const actual = [...lines.keys()].sort(compareKeys).map((k) => `${k} ${lines.get(k)!.split(' ').slice(2).join(' ').split('  #')[0]}`);
  if (process.env.UPDATE_EXPECT) {
    writeExpectation(FILE, '# Every finding of a release-mode check of all software roots: path:line:col-line:col code severity [left-out-by-snapshot]  # first root: message\n', [...lines.keys()].sort(compareKeys).map((k) => lines.get(k)!));
  }
  const expected = readExpectation(FILE);
  assert.deepEqual(actual, expected);
  // The counts the closing review quotes: real findings by code, and the snapshot's own gaps.
  const real = actual.filter((l) => !l.endsWith('left-out-by-snapshot'));
  const byCode = new Map<string, number>();
  for (const l of real) { const code = l.split(' ')[1]; byCode.set(code, (byCode.get(code) ?? 0) + 1); }
  assert.equal(actual.length - real.length, 20, 'file-not-found findings on files the snapshot left out');
  assert.deepEqual(Object.fromEntries([...byCode].sort()), {
    'file-not-found': 1, 'md5sum-mismatch': 1, 'missing-md5sum': 6, 'unevaluable-condition': 3, 'untagged-repository': 37,
  });
});
