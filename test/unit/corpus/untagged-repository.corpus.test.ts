// untagged-repository over every software root of the SlapOS corpus, in release mode: the deduplicated
// findings (file, range, code) must equal the reviewed list in test/unit/corpus/untagged-repository.expected,
// and the clone counts must match BUILDOUT-SEMANTICS.md (94 distinct installed clones, 36 unfrozen).
// develop-option must find nothing: the corpus's `develop = true` lines are gitclone options.
// Skipped when the corpus is absent. UPDATE_EXPECT=1 rewrites the expectation file after review.

import { test } from 'node:test';
import * as assert from 'assert/strict';
import * as path from 'path';
import { Workspace } from '../../../server/src/workspace/workspace';
import { NodeHost } from '../../../server/src/host/node-host';
import { checkProfile } from '../../../server/src/check';
import { Finding } from '../../../server/src/core/finding';
import { freezeOf, gitCloneOf } from '../../../server/src/model/git-clone';
import { CORPUS, corpusAvailable, softwareRoots, findingKey, readExpectation, writeExpectation, compareKeys } from '../../harness/corpus';

const EXPECTATION = 'unit/corpus/untagged-repository.expected';

test('untagged-repository over the SlapOS corpus equals the reviewed expectation', { skip: !corpusAvailable() && `no corpus at ${CORPUS}` }, async () => {
  const ws = new Workspace(new NodeHost());
  const found = new Map<string, { finding: Finding; roots: Set<string>; branches: Set<string> }>();
  const clones = new Map<string, boolean>();
  const develop: string[] = [];
  const roots = softwareRoots();
  assert.equal(roots.length, 113);
  for (const root of roots) {
    const result = await checkProfile(ws, root, { mode: 'release' });
    for (const f of result.findings) {
      if (f.code === 'develop-option') develop.push(findingKey(f));
      if (f.code === 'internal-error') assert.fail(f.message);
      if (f.code !== 'untagged-repository') continue;
      const key = findingKey(f);
      if (!found.has(key)) found.set(key, { finding: f, roots: new Set(), branches: new Set() });
      found.get(key)!.roots.add(path.relative(CORPUS, root));
      found.get(key)!.branches.add(String(f.data?.branch));
    }
    // The measure of BUILDOUT-SEMANTICS.md: a clone is its section with the repository, branch and
    // revision it ends up with and the file that sets that revision, counted once across roots.
    for (const part of result.installed.parts) {
      const clone = gitCloneOf(result.config, part);
      if (!clone) continue;
      const revisionFile = clone.revisionRaw?.origins.filter((o) => o.option).map((o) => path.relative(CORPUS, o.file)).join(',') ?? '';
      const key = [part, clone.repository?.value, clone.revision?.value ?? '-', clone.branchWritten ? clone.branch : '-', revisionFile].join('|');
      clones.set(key, !freezeOf(clone).frozen);
    }
  }
  assert.equal(clones.size, 94, 'distinct installed clones');
  assert.equal([...clones.values()].filter(Boolean).length, 36, 'distinct unfrozen installed clones');
  assert.deepEqual(develop, []);

  const actual = [...found.keys()].sort(compareKeys);
  if (process.env.UPDATE_EXPECT) {
    const lines = actual.map((k) => {
      const { finding, roots, branches } = found.get(k)!;
      const d = finding.data as { section: string; why: string };
      return `${k}  # [${d.section}] ${d.why}, branch ${[...branches].sort().join(' or ')}; ${roots.size} root${roots.size === 1 ? '' : 's'}, e.g. ${[...roots].sort()[0]}`;
    });
    writeExpectation(EXPECTATION, HEADER, lines);
  }
  assert.deepEqual(actual, readExpectation(EXPECTATION));
});

const HEADER = `# untagged-repository findings over software/*/software*.cfg of the SlapOS corpus, release mode.
# One line per distinct finding (file:line:col-line:col code, 1-based, relative to the corpus);
# after "#": the section, why it is unfrozen, its branch, and how many roots reach it.
# Reviewed: every line is a clone that follows a branch (stacks and test releases that track master on
# purpose, and the four *-dev.cfg profiles that empty \`revision\`); nothing here builds a fixed commit.
`;
