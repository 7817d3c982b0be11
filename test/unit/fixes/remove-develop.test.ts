// remove-develop (the fix of develop-option): what it deletes across the extends chain, and when it
// refuses because deleting would change other releases or break a reference.

import { test, after } from 'node:test';
import * as assert from 'assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { fixFor } from '../../../server/src/fixes/index';
import { writeTree as writeTreeIn, runFix, applyToDisk, codesAfter } from '../../harness/fixes';
import { onlyRules } from '../../harness/only-rules';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bf-develop-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));
const writeTree = (files: Record<string, string>) => writeTreeIn(tmp, files);

test('deletes every develop option of the release, all its lines', async () => {
  const dir = writeTree({
    'software/app/software.cfg': '[buildout]\nextends = base.cfg\ndevelop +=\n  src/c\n  src/d\n\n[x]\ny = 1\n',
    'software/app/base.cfg': '[buildout]\nparts =\ndevelop = src/a\n# keep this comment\nnewest = false\n',
  });
  const run = await runFix(dir, 'software/app/software.cfg', 'develop-option');
  assert.ok('title' in run.result);
  assert.equal(run.result.title, 'Remove the 2 `develop` options from [buildout]');
  assert.equal(fixFor('develop-option')!.online(run.finding), false);
  const texts = applyToDisk(dir, run);
  assert.deepEqual(texts, {
    [path.join('software', 'app', 'software.cfg')]: '[buildout]\nextends = base.cfg\n\n[x]\ny = 1\n',
    [path.join('software', 'app', 'base.cfg')]: '[buildout]\nparts =\n# keep this comment\nnewest = false\n',
  });
  assert.deepEqual(await codesAfter(dir, 'software/app/software.cfg', { severity: onlyRules('develop-option') }), []);
});

test('refuses when a shared stack sets develop or something reads ${buildout:develop}', async () => {
  const shared = writeTree({
    'stack/base.cfg': '[buildout]\nparts =\ndevelop = src/a\n',
    'software/app/software.cfg': '[buildout]\nextends = ../../stack/base.cfg\n',
  });
  const run = await runFix(shared, 'software/app/software.cfg', 'develop-option');
  assert.deepEqual(run.result, { error: `Not removing \`develop\`: ${path.join(shared, 'stack/base.cfg')} sets it and other software releases may extend that file. Remove it there, or override it with an empty \`develop =\` in software.cfg.` });

  const read = writeTree({
    'software.cfg': '[buildout]\nparts = show\ndevelop = src/a\n\n[show]\nrecipe = slapos.recipe.build\npaths = ${buildout:develop}\n',
  });
  const run2 = await runFix(read, 'software.cfg', 'develop-option');
  assert.deepEqual(run2.result, { error: 'Not removing `develop`: [show] paths reads ${buildout:develop}.' });
});
