// Snapshots of earlier sessions over the real server: a second server started on unchanged files shows
// the first one's findings at once (and then the same findings from its own check); a change to any input
// (a template it hashes, a file of the extends chain, an unsaved buffer) makes it check from scratch.

import { after, before, describe, test } from 'node:test';
import * as assert from 'assert/strict';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { TestClient, makeWorkspace } from './client';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const md5 = (text: string) => crypto.createHash('md5').update(text).digest('hex');
const SHOWN = /Showing the findings saved for/;

describe('snapshots of earlier sessions', () => {
  let dir: string;
  let cache: string;
  const root = () => path.join(dir, 'software/app/software.cfg');
  const snapshotsDir = () => path.join(cache, 'buildout-freeze', 'snapshots');

  before(() => {
    cache = fs.mkdtempSync(path.join(os.tmpdir(), 'bf-snapshot-cache-'));
    dir = makeWorkspace({
      'software/app/software.cfg': [
        '[buildout]', 'extends = base.cfg', 'parts = app tpl', '',
        '[app]', 'recipe = some.recipe', '',
        '[tpl]', 'recipe = slapos.recipe.template', 'url = ${:_profile_base_location_}/template.in',
        `md5sum = ${md5('one\n')}`, 'output = ${buildout:directory}/out', '',
      ].join('\n'),
      'software/app/base.cfg': '[versions]\nsome.recipe = 1.0\n',
      'software/app/template.in': 'one\n',
    });
  });
  after(() => {
    fs.rmSync(cache, { recursive: true, force: true });
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** A server on the workspace with its own cache folder: opens the root and returns its first publication and logs. */
  async function session(options: { text?: string; env?: Record<string, string>; waitForSave?: boolean } = {}) {
    const before = savedAt();
    const client = await TestClient.start({ folders: [dir], env: { XDG_CACHE_HOME: cache, ...(options.env ?? {}) } });
    try {
      await client.open(root(), options.text);
      const first = await client.diagnostics(root(), (d, p) => p.version === 1);
      // The server's own check follows a snapshot; let it publish (or not) before judging.
      await client.waitFor('the check after the snapshot', () => client.logs.length > 0 || client.publications.length > 0);
      await sleep(300);
      const last = client.publicationsFor(root()).at(-1)!;
      if (options.waitForSave) await client.waitFor('the snapshot to be saved', () => savedAt() !== before, 10000);
      return { first: summary(first.diagnostics), last: summary(last.diagnostics), shown: client.logs.some((l) => SHOWN.test(l)) };
    } finally {
      await client.stop();
    }
  }

  function savedAt(): string {
    try {
      return fs.readdirSync(snapshotsDir()).map((n) => `${n}@${fs.statSync(path.join(snapshotsDir(), n)).mtimeMs}`).sort().join(',');
    } catch {
      return '';
    }
  }

  const summary = (diagnostics: { code?: string | number; range: { start: { line: number } } }[]) =>
    diagnostics.map((d) => `${d.range.start.line}:${d.code}`).sort();

  test('the first session checks from scratch and saves a snapshot, mode 0600 in a 0700 folder', async () => {
    const s = await session({ waitForSave: true });
    assert.equal(s.shown, false);
    assert.deepEqual(s.first, ['8:unpinned-egg']);
    const names = fs.readdirSync(snapshotsDir());
    assert.equal(names.length, 1);
    assert.equal(fs.statSync(snapshotsDir()).mode & 0o777, 0o700);
    assert.equal(fs.statSync(path.join(snapshotsDir(), names[0])).mode & 0o777, 0o600);
  });

  test('a new session on unchanged files shows the snapshot first, and its own check agrees', async () => {
    const s = await session();
    assert.equal(s.shown, true);
    assert.deepEqual(s.first, ['8:unpinned-egg']);
    assert.deepEqual(s.last, s.first);
  });

  test('a changed template it hashes: no snapshot, and the mismatch is found', async () => {
    fs.writeFileSync(path.join(dir, 'software/app/template.in'), 'two\n');
    const s = await session({ waitForSave: true });
    assert.equal(s.shown, false);
    assert.deepEqual(s.first, ['10:md5sum-mismatch', '8:unpinned-egg']);
    // The new snapshot is for the new content.
    const again = await session();
    assert.equal(again.shown, true);
    assert.deepEqual(again.first, ['10:md5sum-mismatch', '8:unpinned-egg']);
  });

  test('a changed file of the extends chain: no snapshot', async () => {
    fs.writeFileSync(path.join(dir, 'software/app/base.cfg'), '[versions]\nsome.recipe = 1.0\nslapos.recipe.template = 5.0\n');
    const s = await session({ waitForSave: true });
    assert.equal(s.shown, false);
    assert.deepEqual(s.first, ['10:md5sum-mismatch']);
  });

  test('an open buffer that differs from the disk: no snapshot', async () => {
    const text = fs.readFileSync(root(), 'utf8').replace('parts = app tpl', 'parts = app');
    const s = await session({ text });
    assert.equal(s.shown, false);
    assert.deepEqual(s.first, []);
  });

  test('BUILDOUT_FREEZE_SNAPSHOTS=off: never shown', async () => {
    const s = await session({ env: { BUILDOUT_FREEZE_SNAPSHOTS: 'off' } });
    assert.equal(s.shown, false);
    assert.deepEqual(s.first, ['10:md5sum-mismatch']);
  });
});

describe('snapshots for a fragment opened before the workspace is scanned', () => {
  let dir: string;
  let cache: string;
  const fragment = () => path.join(dir, 'component/tpl/buildout.cfg');

  before(() => {
    cache = fs.mkdtempSync(path.join(os.tmpdir(), 'bf-snapshot-cache-'));
    dir = makeWorkspace({
      'software/app/software.cfg': '[buildout]\nextends = ../../component/tpl/buildout.cfg\nparts = tpl\n',
      'component/tpl/buildout.cfg': [
        '[tpl]', 'recipe = slapos.recipe.template', 'url = ${:_profile_base_location_}/template.in',
        `md5sum = ${md5('not the template\n')}`, 'output = ${buildout:directory}/out', '',
        '[versions]', 'slapos.recipe.template = 5.0', '',
      ].join('\n'),
      'component/tpl/template.in': 'one\n',
    });
  });
  after(() => {
    fs.rmSync(cache, { recursive: true, force: true });
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function openFragment(waitForSave: boolean) {
    const client = await TestClient.start({ folders: [dir], env: { XDG_CACHE_HOME: cache } });
    try {
      await client.open(fragment());
      const first = await client.diagnostics(fragment(), (d, p) => p.version === 1 && d.length > 0);
      await client.waitFor('the scan', () => client.logs.some((l) => /root profiles/.test(l)));
      const dirOf = path.join(cache, 'buildout-freeze', 'snapshots');
      if (waitForSave) await client.waitFor('the remembered root', () => fs.existsSync(dirOf) && fs.readdirSync(dirOf).some((n) => n.startsWith('fragment-')), 10000);
      const shownAt = client.logs.findIndex((l) => SHOWN.test(l));
      const scannedAt = client.logs.findIndex((l) => /root profiles/.test(l));
      return { codes: first.diagnostics.map((d) => `${d.range.start.line}:${d.code}`), shownAt, scannedAt, logs: client.logs };
    } finally {
      await client.stop();
    }
  }

  test('the first session finds the root by scanning and remembers it', async () => {
    const s = await openFragment(true);
    assert.deepEqual(s.codes, ['3:md5sum-mismatch']);
    assert.equal(s.shownAt, -1);
  });

  test('the next session shows the root\'s findings on the fragment before the scan ends', async () => {
    const s = await openFragment(false);
    assert.deepEqual(s.codes, ['3:md5sum-mismatch']);
    assert.ok(s.shownAt >= 0 && s.shownAt < s.scannedAt, s.logs.join('\n'));
  });
});
