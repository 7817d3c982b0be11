// Folders that loop: symbolic links to `.`, to a parent, or two folders linking to each other. Finding
// the root profiles of such a folder must end, and find each profile once per real place.

import { test } from 'node:test';
import * as assert from 'assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { spawnSync } from 'child_process';
import { discoverRoots } from '../../server/src/workspace/discover-roots';
import { NodeHost } from '../../server/src/host/node-host';
import { tempDir } from './helpers';

const T = { timeout: 30_000 };
const CLI = path.resolve(__dirname, '..', '..', 'server', 'src', 'cli', 'main.js');

function loopyTree(): string {
  const dir = tempDir({
    'software/a/software.cfg': '[buildout]\nparts =\n',
    'software/b/software.cfg': '[buildout]\nparts =\n',
    'x/profile.cfg': '[buildout]\nparts =\n',
  });
  for (const name of ['self1', 'self2', 'self3']) fs.symlinkSync('.', path.join(dir, 'software', name));
  fs.symlinkSync('..', path.join(dir, 'software/a/up'));
  fs.mkdirSync(path.join(dir, 'p'));
  fs.mkdirSync(path.join(dir, 'q'));
  fs.symlinkSync(path.join(dir, 'q'), path.join(dir, 'p/to-q'));
  fs.symlinkSync(path.join(dir, 'p'), path.join(dir, 'q/to-p'));
  fs.symlinkSync(path.join(dir, 'nowhere'), path.join(dir, 'dangling'));
  fs.symlinkSync(path.join(dir, 'loop-b'), path.join(dir, 'loop-a'));
  fs.symlinkSync(path.join(dir, 'loop-a'), path.join(dir, 'loop-b'));
  return dir;
}

test('root discovery ends in folders with symlink loops and finds each root once', T, () => {
  const dir = loopyTree();
  const roots = discoverRoots(new NodeHost(), dir).map((r) => path.relative(dir, r));
  assert.deepEqual(roots, ['software/a/software.cfg', 'software/b/software.cfg']);
  const fallback = discoverRoots(new NodeHost(), path.join(dir, 'x')).map((r) => path.relative(dir, r));
  assert.deepEqual(fallback, ['x/profile.cfg']);
});

test('`check` of a folder with symlink loops ends', T, () => {
  const dir = loopyTree();
  const r = spawnSync(process.execPath, [CLI, 'check', '--format', 'json', dir], { encoding: 'utf8', timeout: 25_000 });
  assert.equal(r.signal, null, 'the check was killed by the test timeout');
  assert.ok(r.status === 0 || r.status === 1, r.stderr);
});
