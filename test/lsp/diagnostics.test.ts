// Diagnostics over the real server (node dist/server.js --stdio): they appear and vanish as buffers and
// files change, land on the file of the extends chain they sit in, follow the version they were computed
// from, answer an edit after a pause at once and coalesce bursts (a burst publishes again only when its findings
// change), judge fragments in the context of the roots that extend them, and leave templates alone.

import { after, before, describe, test } from 'node:test';
import * as assert from 'assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { DiagnosticSeverity, FileChangeType } from 'vscode-languageserver-protocol/node';
import { StatusParams } from '../../server/src/protocol';
import { TestClient, fileUri, makeWorkspace } from './client';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('diagnostics while editing', () => {
  let dir: string;
  let client: TestClient;
  before(async () => {
    dir = makeWorkspace({
      'software/app/software.cfg': '[buildout]\nextends = base.cfg ../../versions.cfg\nparts = app\n\n[app]\nrecipe = some.recipe\nlocation = ${settings:prefix}/app\n',
      'software/app/base.cfg': '[settings]\nprefix = /opt\n',
      'versions.cfg': '[versions]\nsome.recipe = 1.0\n',
      'software/other/software.cfg': '[buildout]\nextends = ../../component/lib/buildout.cfg ../../versions.cfg\nparts = lib\n',
      'component/lib/buildout.cfg': '[lib]\nrecipe = some.recipe\npath = ${lib-settings:path}/lib\n',
      'component/orphan/buildout.cfg': '[orphan]\nrecipe = x\nthis line is broken\n',
      'software/app/instance.cfg.in': '{% set x = 1 %}\n[buildout]\nparts = {{ x }}\n',
      'software/app/nginx.conf.in': 'server {\n  listen 80;\n}\n',
      'software/app/haproxy.cfg.in': '[buildout]\nparts = rendered-later\n',
    });
    client = await TestClient.start({ folders: [dir] });
  });
  after(async () => { await client.stop(); });

  const root = () => path.join(dir, 'software/app/software.cfg');
  const base = () => path.join(dir, 'software/app/base.cfg');

  test('a clean root gets an empty publication for its version', async () => {
    await client.open(root());
    const p = await client.diagnostics(root(), (d, p) => p.version === 1);
    assert.deepEqual(p.diagnostics, []);
  });

  test('an error typed into the root appears with an exact range, code and source, then vanishes', async () => {
    const start = client.publications.length;
    const text = client.text(root())!;
    const broken = text.replace('parts = app\n', 'parts = app\noops\n');
    const v = await client.change(root(), broken);
    const p = await client.diagnostics(root(), (d, p) => p.version === v, start);
    assert.equal(p.diagnostics.length, 1);
    const d = p.diagnostics[0];
    assert.equal(d.code, 'syntax-error');
    assert.equal(d.source, 'buildout-freeze');
    assert.equal(d.severity, DiagnosticSeverity.Error);
    assert.deepEqual(d.range, { start: { line: 3, character: 0 }, end: { line: 3, character: 4 } });
    assert.equal((d.data as { root: string }).root, root());

    const v2 = await client.change(root(), text);
    const cleared = await client.diagnostics(root(), (d, p) => p.version === v2, start);
    assert.deepEqual(cleared.diagnostics, []);
  });

  test('a finding in an extended file is published on that file; a change on disk updates it', async () => {
    const start = client.publications.length;
    fs.writeFileSync(base(), '[settings]\nprefix = /opt\n[broken\n');
    await client.fileChanged(base());
    const p = await client.diagnostics(base(), (d) => d.length === 1, start);
    assert.equal(p.diagnostics[0].code, 'syntax-error');
    assert.equal(p.version, undefined);
    assert.deepEqual(p.diagnostics[0].range, { start: { line: 2, character: 0 }, end: { line: 2, character: 7 } });

    fs.writeFileSync(base(), '[settings]\nother = 1\n');
    await client.fileChanged(base());
    // Now `${settings:prefix}` in the root is broken: the root's diagnostics update, the base's clear.
    const r = await client.diagnostics(root(), (d) => d.some((x) => x.code === 'missing-option'), start);
    const d = r.diagnostics.find((x) => x.code === 'missing-option')!;
    assert.deepEqual(d.range, { start: { line: 6, character: 11 }, end: { line: 6, character: 29 } });
    await client.diagnostics(base(), (d) => d.length === 0, start);

    fs.writeFileSync(base(), '[settings]\nprefix = /opt\n');
    await client.fileChanged(base());
    await client.diagnostics(root(), (d) => d.length === 0, start);
  });

  test('a burst of changes sent together publishes once', async () => {
    await client.diagnostics(root(), (d) => d.length === 0);
    await sleep(120);
    const start = client.publications.length;
    const text = client.text(root())!;
    const sends: Promise<number>[] = [];
    for (let i = 1; i <= 10; i++) sends.push(client.change(root(), text + `#${'x'.repeat(i)}\n`));
    // The ten versions follow each other (the client's document is updated in place, so each send reports the last).
    const last = Math.max(...(await Promise.all(sends)));
    await sleep(150);
    const mine = client.publications.slice(start).filter((p) => p.uri === fileUri(root())).map((p) => p.version);
    // Usually they arrive together and are checked once, for the last version. When the first arrives
    // alone, it is answered at once, and the others (a burst whose findings do not change) publish nothing.
    assert.equal(mine.length, 1, JSON.stringify(mine));
    assert.ok(mine[0] === last || mine[0] === last - 9, `${JSON.stringify(mine)}, the last version being ${last}`);
  });

  /** Sends `texts` as edits of the root 20 ms apart; the versions, and when each was sent. */
  async function typeBurst(texts: string[]): Promise<{ versions: number[]; sentAt: number[] }> {
    const versions: number[] = [];
    const sentAt: number[] = [];
    for (const text of texts) {
      sentAt.push(performance.now());
      versions.push(await client.change(root(), text));
      await sleep(20);
    }
    return { versions, sentAt };
  }

  test('ten edits 20 ms apart: the first is answered at once, the rest publish nothing when the findings stay the same', async () => {
    await sleep(120);
    const start = client.publications.length;
    const text = client.text(root())!;
    const { versions, sentAt } = await typeBurst(Array.from({ length: 10 }, (_, i) => text + `#${'y'.repeat(i + 1)}\n`));
    await sleep(150);
    const published = client.publications.slice(start).filter((p) => p.uri === fileUri(root())).map((p) => p.version!);
    // The first edit follows a pause: it is checked and published at once. The others are one burst,
    // checked 30 ms after the last, and their findings (none) are those already shown. On a machine slow
    // enough for the second edit to arrive during the first check, that check is dropped and the burst's
    // own check publishes the last version instead. Only an edit followed by a pause as long as the
    // debounce (a loaded machine may stretch a 20 ms sleep) may start a burst of its own.
    assert.ok(published.length >= 1, 'something was published');
    assert.ok(published[0] === versions[0] || published[0] === versions[9], `first publication: ${JSON.stringify(published)} of ${JSON.stringify(versions)}`);
    const pauseBefore = (v: number) => { const i = versions.indexOf(v); return i > 0 && sentAt[i] - sentAt[i - 1] >= 28; };
    for (const v of published.slice(1)) assert.ok(pauseBefore(v) || v === versions[9], `version ${v} published mid-burst: ${JSON.stringify(published)}`);
    if (sentAt.every((t, i) => i === 0 || t - sentAt[i - 1] < 28)) assert.equal(published.length, 1, JSON.stringify(published));
  });

  test('a burst whose findings change publishes again at its end, for its last version', async () => {
    await sleep(120);
    const start = client.publications.length;
    const text = client.text(root())!;
    // The last edits break a line: the burst ends with a syntax error its first edit did not have.
    const texts = Array.from({ length: 8 }, (_, i) => text + `#${'z'.repeat(i + 1)}\n`);
    texts.push(text + 'broken\n', text + 'broken line\n');
    const { versions } = await typeBurst(texts);
    const p = await client.diagnostics(root(), (d, p) => p.version === versions[9], start);
    assert.deepEqual(p.diagnostics.map((d) => d.code), ['syntax-error']);
    const v = await client.change(root(), text);
    await client.diagnostics(root(), (d, p) => p.version === v && d.length === 0, start);
  });

  test('a publication always describes the version it names (never an outdated one)', async () => {
    await sleep(120);
    const start = client.publications.length;
    const text = client.text(root())!;
    // Version k of this series holds k broken lines: a publication for version v must show exactly the
    // number of broken lines version v holds.
    const brokenLines = new Map<number, number>();
    let current = text;
    for (let k = 1; k <= 25; k++) {
      current += `broken${k}\n`;
      brokenLines.set(await client.change(root(), current), k);
      await sleep(k % 5 === 0 ? 60 : 3);
    }
    const last = [...brokenLines.keys()].pop()!;
    await client.diagnostics(root(), (d, p) => p.version === last, start);
    const mine = client.publications.slice(start).filter((p) => p.uri === fileUri(root()));
    let previous = 0;
    for (const p of mine) {
      assert.ok(p.version! > previous, 'versions only move forward');
      previous = p.version!;
      assert.equal(p.diagnostics.filter((d) => d.code === 'syntax-error').length, brokenLines.get(p.version!));
    }
    const v = await client.change(root(), text);
    await client.diagnostics(root(), (d, p) => p.version === v && d.length === 0, start);
  });

  test('a fragment is judged in the context of the root that extends it', async () => {
    const lib = path.join(dir, 'component/lib/buildout.cfg');
    await client.open(lib);
    const p = await client.diagnostics(lib, (d) => d.length > 0);
    assert.deepEqual(p.diagnostics.map((d) => d.code), ['missing-section']);
    assert.equal((p.diagnostics[0].data as { root: string }).root, path.join(dir, 'software/other/software.cfg'));
    // The context root is not open: its findings elsewhere are not published.
    assert.equal(client.latest(path.join(dir, 'software/other/software.cfg')), undefined);
    await client.close(lib);
    await client.diagnostics(lib, (d) => d.length === 0);
  });

  test('a fragment follows the roots that extend it as their extends are edited in the editor', async () => {
    const lib = path.join(dir, 'component/lib/buildout.cfg');
    const other = path.join(dir, 'software/other/software.cfg');
    const text = fs.readFileSync(other, 'utf8');
    const rootsOf = (d: { data?: unknown }[]) => [...new Set(d.map((x) => (x.data as { root: string }).root))];
    await client.open(lib);
    await client.diagnostics(lib, (d) => d.length > 0 && rootsOf(d)[0] === other);
    await client.open(other, text);
    // The root stops extending the fragment: it is judged on its own, without the root's findings.
    await client.change(other, text.replace('../../component/lib/buildout.cfg ', ''));
    await client.diagnostics(lib, (d) => !rootsOf(d).includes(other));
    // Typing elsewhere in the root changes nothing, then the extends comes back.
    await client.change(other, `# a comment\n${text.replace('../../component/lib/buildout.cfg ', '')}`);
    await client.change(other, text);
    const p = await client.diagnostics(lib, (d) => d.length > 0 && rootsOf(d).includes(other));
    assert.deepEqual(p.diagnostics.map((d) => d.code), ['missing-section']);
    await client.close(other);
    await client.close(lib);
    await client.diagnostics(lib, (d) => d.length === 0);
  });

  test('a file no root reaches is checked as its own root', async () => {
    const orphan = path.join(dir, 'component/orphan/buildout.cfg');
    await client.open(orphan);
    const p = await client.diagnostics(orphan, (d) => d.length > 0);
    assert.deepEqual(p.diagnostics.map((d) => d.code), ['syntax-error']);
    await client.close(orphan);
  });

  test('templates get no buildout syntax errors', async () => {
    for (const name of ['software/app/instance.cfg.in', 'software/app/nginx.conf.in', 'software/app/haproxy.cfg.in']) {
      const file = path.join(dir, name);
      const start = client.publications.length;
      await client.open(file);
      await client.change(file, client.text(file) + 'more text\n');
      await sleep(200);
      for (const p of client.publicationsFor(file).filter((_, i) => i >= 0)) assert.deepEqual(p.diagnostics, [], `${name}: ${JSON.stringify(p.diagnostics)}`);
      assert.ok(client.publications.length >= start);
      await client.close(file);
    }
  });

  test('settings: severities apply and re-check on didChangeConfiguration', async () => {
    const start = client.publications.length;
    const text = client.text(root())!;
    const v = await client.change(root(), text + 'oops\n');
    await client.diagnostics(root(), (d, p) => p.version === v && d[0]?.severity === DiagnosticSeverity.Error, start);
    await client.changeSettings({ severity: { 'syntax-error': 'hint' } });
    await client.diagnostics(root(), (d) => d.length === 1 && d[0].severity === DiagnosticSeverity.Hint, start);
    await client.changeSettings({ severity: { 'syntax-error': 'off' } });
    await client.diagnostics(root(), (d) => d.length === 0, start);
    await client.changeSettings({ severity: {} });
    await client.diagnostics(root(), (d) => d.length === 1, start);
    const v2 = await client.change(root(), text);
    await client.diagnostics(root(), (d, p) => p.version === v2 && d.length === 0, start);
  });

  test('status notifications: starting, ready, checking, with the mode', () => {
    const states = new Set(client.statuses.map((s: StatusParams) => s.state));
    assert.ok(states.has('starting') && states.has('ready') && states.has('checking'), JSON.stringify(client.statuses));
    assert.ok(client.statuses.every((s) => s.mode === 'release' || s.mode === 'development'));
  });

  test('closing the root clears what it published on other files', async () => {
    const start = client.publications.length;
    fs.writeFileSync(base(), '[settings]\nprefix = /opt\n[broken\n');
    await client.fileChanged(base());
    await client.diagnostics(base(), (d) => d.length === 1, start);
    await client.close(root());
    await client.diagnostics(base(), (d) => d.length === 0, start);
    await client.diagnostics(root(), (d) => d.length === 0, start);
    fs.writeFileSync(base(), '[settings]\nprefix = /opt\n');
    await client.fileChanged(base(), FileChangeType.Changed);
  });
});

describe('transports', () => {
  for (const transport of ['ipc', 'cli'] as const) {
    test(`${transport === 'ipc' ? 'node IPC (--node-ipc, as the extension starts it)' : 'the CLI: buildout-freeze lsp --stdio'} serves diagnostics`, async () => {
      const dir = makeWorkspace({ 'software.cfg': '[buildout]\nparts =\nbroken line\n' });
      const client = await TestClient.start({ folders: [dir], transport });
      try {
        await client.open(path.join(dir, 'software.cfg'));
        const p = await client.diagnostics(path.join(dir, 'software.cfg'));
        assert.deepEqual(p.diagnostics.map((d) => d.code), ['syntax-error']);
      } finally {
        await client.stop();
      }
    });
  }
});

describe('robustness', () => {
  test('a failing request is answered with an error and the server keeps serving', async () => {
    const dir = makeWorkspace({ 'software.cfg': '[buildout]\nparts =\n' });
    const client = await TestClient.start({ folders: [dir] });
    try {
      await assert.rejects(client.executeCommand('buildout-freeze.freezeProfile', [42]), /expected a file URI/);
      await assert.rejects(client.executeCommand('buildout-freeze.nope', []), /Unknown command/);
      await assert.rejects(client.executeCommand('buildout-freeze.computeMd5sum', [{ uri: 'file:///x', range: null }]), /./);
      await client.open(path.join(dir, 'software.cfg'));
      const p = await client.diagnostics(path.join(dir, 'software.cfg'));
      assert.deepEqual(p.diagnostics, []);
      // A document whose bytes are not a profile at all still gets an answer, not silence.
      const v = await client.change(path.join(dir, 'software.cfg'), '[buildout]\n\u0000\u0001 garbage = = =\n[[[\n');
      const bad = await client.diagnostics(path.join(dir, 'software.cfg'), (d, p) => p.version === v);
      assert.ok(bad.diagnostics.length >= 1);
    } finally {
      await client.stop();
    }
  });
});
