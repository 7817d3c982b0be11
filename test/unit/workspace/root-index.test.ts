// The root index: which roots reach a file through `extends`, kept up to date as buffers and files change
// (it compares only the files that changed since it last looked, and falls back to comparing every file
// it knows once more changed than the Workspace remembers), and an open file is parsed once per edit.

import { test } from 'node:test';
import * as assert from 'assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Workspace } from '../../../server/src/workspace/workspace';
import { NodeHost } from '../../../server/src/host/node-host';
import { RootIndex } from '../../../server/src/workspace/root-index';
import { DEFAULT_TARGET } from '../../../server/src/model/target';

function tree(files: Record<string, string>): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'bf-root-index-')));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

const extending = (...names: string[]) => `[buildout]\nextends =\n${names.map((n) => `  ${n}\n`).join('')}parts =\n`;

test('roots reaching a file follow edits of extends, new and removed roots, and many changes at once', async () => {
  const dir = tree({
    'software/a/software.cfg': extending('../../stack/base.cfg'),
    'software/b/software.cfg': extending('../../component/x/buildout.cfg'),
    'stack/base.cfg': extending('../component/x/buildout.cfg'),
    'component/x/buildout.cfg': '[x]\nrecipe = plone.recipe.command\n',
    'component/y/buildout.cfg': '[y]\nrecipe = plone.recipe.command\n',
  });
  try {
    const ws = new Workspace(new NodeHost());
    const index = new RootIndex(ws, { folders: [dir], patterns: [], target: DEFAULT_TARGET });
    await index.scan();
    const at = (name: string) => path.join(dir, name);
    const a = at('software/a/software.cfg'), b = at('software/b/software.cfg'), c = at('software/c/software.cfg');
    const x = at('component/x/buildout.cfg'), base = at('stack/base.cfg');
    assert.deepEqual(index.rootsReaching(x), [a, b]);
    assert.deepEqual(index.rootsReaching(base), [a]);

    // An edit of a fragment's extends, in a buffer.
    ws.setOverlay(base, extending('../component/y/buildout.cfg'), 1);
    assert.deepEqual(index.rootsReaching(x), [b]);
    assert.deepEqual(index.rootsReaching(at('component/y/buildout.cfg')), [a]);
    // Edits that change no extends leave the answers as they are.
    ws.setOverlay(base, `# a comment\n${extending('../component/y/buildout.cfg')}`, 2);
    assert.deepEqual(index.rootsReaching(x), [b]);

    // More changes than the Workspace remembers between two questions: every known file is compared.
    ws.setOverlay(base, extending('../component/x/buildout.cfg'), 3);
    for (let i = 0; i < 600; i++) ws.setOverlay(x, `# edit ${i}\n[x]\nrecipe = plone.recipe.command\n`, i + 1);
    assert.equal(ws.filesChangedSince(0), undefined);
    assert.deepEqual(index.rootsReaching(x), [a, b]);

    // A root that appears on disk, then one that goes.
    fs.mkdirSync(path.dirname(c), { recursive: true });
    fs.writeFileSync(c, extending('../../component/x/buildout.cfg'));
    index.noteFile(c);
    assert.deepEqual(index.rootsReaching(x), [a, b, c]);
    index.forgetFile(b);
    assert.deepEqual(index.rootsReaching(x), [a, c]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the Workspace lists the files changed since a change count, while it remembers them', () => {
  const ws = new Workspace(new NodeHost());
  const start = ws.changeCount;
  ws.setOverlay('/tmp/bf-a.cfg', 'one', 1);
  ws.setOverlay('/tmp/bf-b.cfg', 'one', 1);
  ws.setOverlay('/tmp/bf-a.cfg', 'two', 2);
  // The same text again is no change.
  ws.setOverlay('/tmp/bf-a.cfg', 'two', 3);
  assert.deepEqual(ws.filesChangedSince(start), ['/tmp/bf-a.cfg', '/tmp/bf-b.cfg', '/tmp/bf-a.cfg']);
  assert.deepEqual(ws.filesChangedSince(start + 2), ['/tmp/bf-a.cfg']);
  assert.deepEqual(ws.filesChangedSince(ws.changeCount), []);
  for (let i = 0; i < 1000; i++) ws.setOverlay('/tmp/bf-c.cfg', String(i), i);
  assert.equal(ws.filesChangedSince(start), undefined);
  assert.deepEqual(ws.filesChangedSince(ws.changeCount - 1), ['/tmp/bf-c.cfg']);
});

test('an open fragment is parsed once per edit, from its previous parse, when the index reads its extends', async () => {
  const dir = tree({
    'software/a/software.cfg': extending('../../stack/base.cfg'),
    'stack/base.cfg': `${extending()}[versions]\n${Array.from({ length: 50 }, (_, i) => `egg${i} = 1.${i}\n`).join('')}`,
  });
  try {
    const ws = new Workspace(new NodeHost());
    const index = new RootIndex(ws, { folders: [dir], patterns: [], target: DEFAULT_TARGET });
    await index.scan();
    const base = path.join(dir, 'stack/base.cfg');
    const text = fs.readFileSync(base, 'utf8');
    ws.setOverlay(base, text, 1);
    const before = ws.syntaxOf(base)!;
    for (let i = 0; i < 5; i++) {
      ws.setOverlay(base, text.replace('egg7 = 1.7', `egg7 = 1.7${i}`), i + 2);
      const parses = ws.parses;
      assert.deepEqual(index.rootsReaching(base), [path.join(dir, 'software/a/software.cfg')]);
      const after = ws.syntaxOf(base)!;
      assert.equal(ws.parses - parses, 1, 'one parse per edit');
      // Parsed from the previous parse: an untouched option is the same object.
      assert.equal(after.sections[1].options[0], before.sections[1].options[0]);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
