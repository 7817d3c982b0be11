// The snapshot store on its own: what it gives back is exactly what was saved, and only while every input
// has the content it had; a snapshot of inputs that moved since the check, of another build or settings,
// of a remote input, or a damaged file, gives nothing.

import { test } from 'node:test';
import * as assert from 'assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CheckSnapshots, SnapshotContent } from '../../../server/src/lsp/check-snapshots';
import { InputLog, Workspace } from '../../../server/src/workspace/workspace';
import { NodeHost } from '../../../server/src/host/node-host';

const CONTENT: SnapshotContent = {
  mode: 'release',
  findings: [{ file: '/x/software.cfg', range: { start: { line: 1, character: 2 }, end: { line: 1, character: 9 } }, severity: 'warning', code: 'unpinned-egg', message: 'm', profile: '/x/software.cfg', data: { egg: 'a' } }],
  downloads: ['/x/template.in'],
};

function setUp() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bf-snapshots-'));
  const profile = path.join(dir, 'software.cfg');
  const template = path.join(dir, 'template.in');
  const missing = path.join(dir, '.buildout-freeze.json');
  fs.writeFileSync(profile, '[buildout]\nparts =\n');
  fs.writeFileSync(template, 'one\n');
  const store = new CheckSnapshots(path.join(dir, 'cache'), 'build-1');
  /** The log a check of `profile` would leave: the profile and a missing marker as text, the template as bytes. */
  const logOf = (ws: Workspace): InputLog => {
    const log = ws.openInputLog();
    ws.readText(profile);
    ws.readText(missing);
    ws.digests.digest(template);
    ws.closeInputLog(log);
    return log;
  };
  return { dir, profile, template, missing, store, logOf };
}

test('a snapshot is given back while its inputs are unchanged, and not after any of them changed', () => {
  const { dir, profile, template, missing, store, logOf } = setUp();
  try {
    const ws = new Workspace(new NodeHost());
    const log = logOf(ws);
    assert.deepEqual([...log.texts.keys()].sort(), [missing, profile].sort());
    assert.deepEqual([...log.bytes.keys()], [template]);
    assert.equal(store.save(ws, profile, 's', CONTENT, log), true);

    assert.deepEqual(store.lookup(new Workspace(new NodeHost()), profile, 's'), CONTENT);
    assert.equal(store.lookup(new Workspace(new NodeHost()), profile, 'other settings'), undefined);
    assert.equal(new CheckSnapshots(store.dir, 'build-2').lookup(new Workspace(new NodeHost()), profile, 's'), undefined);

    fs.writeFileSync(template, 'two\n');
    assert.equal(store.lookup(new Workspace(new NodeHost()), profile, 's'), undefined, 'a hashed file changed');
    fs.writeFileSync(template, 'one\n');
    assert.deepEqual(store.lookup(new Workspace(new NodeHost()), profile, 's'), CONTENT, 'back as it was');

    fs.writeFileSync(missing, '{}');
    assert.equal(store.lookup(new Workspace(new NodeHost()), profile, 's'), undefined, 'a file that was missing appeared');
    fs.rmSync(missing);

    const buffered = new Workspace(new NodeHost());
    buffered.setOverlay(profile, '[buildout]\nparts = x\n', 3);
    assert.equal(store.lookup(buffered, profile, 's'), undefined, 'an open buffer differs from the disk');

    const saved = path.join(store.dir, fs.readdirSync(store.dir)[0]);
    const good = JSON.parse(fs.readFileSync(saved, 'utf8'));
    const damaged: [string, unknown][] = [
      ['texts', [['only a file']]],
      ['texts', [[1, 2]]],
      ['bytes', 'none'],
      ['content', { ...CONTENT, mode: 'other' }],
      ['content', { ...CONTENT, findings: [{ ...CONTENT.findings[0], range: { start: { line: 'x' } } }] }],
      ['content', { ...CONTENT, findings: [null] }],
      ['content', { ...CONTENT, downloads: [3] }],
    ];
    for (const [key, value] of damaged) {
      fs.writeFileSync(saved, JSON.stringify({ ...good, [key]: value }));
      assert.equal(store.lookup(new Workspace(new NodeHost()), profile, 's'), undefined, `a snapshot whose ${key} is ${JSON.stringify(value)}`);
    }
    fs.writeFileSync(saved, '{"format": 1, "bui');
    assert.equal(store.lookup(new Workspace(new NodeHost()), profile, 's'), undefined, 'a damaged snapshot');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a snapshot is refused when an input moved since the check read it, or comes from the network', () => {
  const { dir, profile, store, logOf } = setUp();
  try {
    const ws = new Workspace(new NodeHost());
    const log = logOf(ws);
    ws.setOverlay(profile, '[buildout]\nparts = typed-since\n', 2);
    assert.equal(store.save(ws, profile, 's', CONTENT, log), false);
    assert.equal(fs.existsSync(store.dir), false);

    const fresh = new Workspace(new NodeHost());
    const remote = logOf(fresh);
    remote.texts.set('https://example.com/base.cfg', fresh.stampOf('https://example.com/base.cfg'));
    assert.equal(store.save(fresh, profile, 's', CONTENT, remote), false);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
