// The real language server (dist/server.js over stdio, through test/lsp/client.ts) fed what users open
// by accident: a 10 MB profile, 1 MB lines, a run of `${`, NUL and control characters, lone
// surrogates, a remote `extends` that never answers, bursts of random damage to a corpus profile, and
// requests with nonsense arguments. After each, the server must still answer: a small edit elsewhere
// gets its diagnostics, and the process is alive at the end.

import { after, before, describe, test } from 'node:test';
import * as assert from 'assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import fc from 'fast-check';
import { Diagnostic } from 'vscode-languageserver-protocol/node';
import { TestClient, fileUri, makeWorkspace } from '../lsp/client';
import { Commands } from '../../server/src/protocol';
import { BadServer, startBadServer } from './http-server';
import { HAVE_CORPUS, corpusProfiles } from './corpus';
import { applyMutations, mutationsArb } from './mutations';

const T = { timeout: 120_000 };
const MB = 1024 * 1024;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('the language server under bad input', () => {
  let dir: string;
  let client: TestClient;
  let server: BadServer;
  const probe = () => path.join(dir, 'software/probe/software.cfg');
  const file = (name: string) => path.join(dir, `software/${name}/software.cfg`);

  before(async () => {
    server = await startBadServer();
    dir = makeWorkspace({
      'software/probe/software.cfg': '[buildout]\nparts =\n',
      'software/stalled/software.cfg': `[buildout]\nextends = ${'${:_profile_base_location_}'}/../../stack/base.cfg\nparts =\n`,
      'stack/base.cfg': `[buildout]\nextends = http://127.0.0.1:${new URL(server.url).port}/stall/base.cfg\n`,
    });
    // Symbolic links that loop: the root scan must know the folders by their real paths.
    for (const name of ['self1', 'self2', 'self3']) fs.symlinkSync('.', path.join(dir, 'software', name));
    fs.symlinkSync('../..', path.join(dir, 'software/probe/up'));
    client = await TestClient.start({ folders: [dir], settings: { allowNetwork: true, downloadTimeoutSeconds: 1 } });
  });
  after(async () => {
    assert.equal(client.child.exitCode, null, 'the server process is still running');
    assert.deepEqual(client.logs.filter((l) => /uncaught|unhandled|internal-error|RangeError|TypeError/i.test(l)), []);
    await client.stop();
    await server.close();
  });

  /** The server still answers: an edit of the probe gets its own diagnostics. */
  async function assertResponsive(what: string): Promise<void> {
    if (!client.docs.has(fileUri(probe()))) await client.open(probe());
    const start = client.publications.length;
    const broken = `[buildout]\nparts =\n${what.replace(/\W+/g, '-')}-is-not-an-option\n`;
    const v = await client.change(probe(), broken);
    const p = await client.diagnostics(probe(), (d, p) => p.version === v && d.some((x) => x.code === 'syntax-error'), start, 60_000);
    assert.equal(p.diagnostics.length, 1, what);
    const v2 = await client.change(probe(), '[buildout]\nparts =\n');
    await client.diagnostics(probe(), (d, p) => p.version === v2 && d.length === 0, start, 60_000);
  }

  async function openAndSettle(name: string, text: string, expect?: (d: Diagnostic[]) => boolean): Promise<Diagnostic[]> {
    const f = file(name);
    fs.mkdirSync(path.dirname(f), { recursive: true });
    fs.writeFileSync(f, '[buildout]\nparts =\n');
    const start = client.publications.length;
    await client.open(f, text);
    const p = await client.diagnostics(f, (d, p) => p.version === 1 && (!expect || expect(d)), start, 60_000);
    for (const d of p.diagnostics) assert.ok(String(d.message).length <= 2000, `${name}: a message of ${String(d.message).length} characters`);
    return p.diagnostics;
  }

  test('folders that loop through symbolic links are scanned once', T, async () => {
    await client.open(probe());
    const found = await client.waitFor('the root scan', () => client.logs.find((l) => l.startsWith('Found ')), 60_000);
    assert.equal(found, 'Found 2 root profiles.');
  });

  test('a 10 MB profile is checked and the server answers after it', T, async () => {
    const sections: string[] = ['[buildout]\nparts = p0 nowhere\n'];
    for (let i = 0, n = 0; n < 10 * MB; i++) {
      const s = `[p${i}]\nrecipe = r\nnext = \${p${i + 1}:recipe}\n${'# padding '.repeat(40)}\n`;
      sections.push(s);
      n += s.length;
    }
    const d = await openAndSettle('big', sections.join(''), (d) => d.some((x) => x.code === 'missing-section'));
    assert.ok(d.some((x) => /nowhere/.test(String(x.message))));
    await assertResponsive('after 10 MB');
  });

  test('1 MB lines, a run of ${, NUL and control characters, lone surrogates', T, async () => {
    await openAndSettle('long-value', `[buildout]\nparts =\n[a]\nx = ${'a'.repeat(MB)}\n`);
    const header = await openAndSettle('long-header', `[buildout]\nparts =\n[a:${' '.repeat(MB)}x\n`, (d) => d.length > 0);
    assert.equal(header[0].code, 'syntax-error');
    await openAndSettle('dollars', `[buildout]\nparts = a\n[a]\nrecipe = r\nx = ${'${'.repeat(MB / 2)}\n`);
    await openAndSettle('control', `[buildout]\nparts =\n[a]\nx = \u0000\u0001\u001b[31m\u007f\u2028\u2029\ufeff\n\u0000 = 1\n`);
    await openAndSettle('surrogates', `[buildout]\nparts =\n[a]\nx = \ud800 \udfff \ud83d\ude00\n`);
    await openAndSettle('crlf', '[buildout]\r\nparts = a\r[a]\nrecipe = r\r\n\rx = ${nowhere:y}\n\r', (d) => d.some((x) => x.code === 'missing-section'));
    await assertResponsive('after long lines');
  });

  test('typing never downloads: a remote extends is reported, not fetched', T, async () => {
    const start = client.publications.length;
    await client.open(file('stalled'));
    const p = await client.diagnostics(path.join(dir, 'stack/base.cfg'), (d) => d.some((x) => x.code === 'extends-unreadable'), start, 30_000);
    assert.match(String(p.diagnostics[0].message), /was not downloaded: network access is turned off$/);
    assert.deepEqual([...server.hits.keys()].filter((k) => k.startsWith('/stall')), []);
  });

  test('a freeze whose download never answers ends at the timeout, and blocks nobody meanwhile', T, async () => {
    const f = file('download');
    fs.mkdirSync(path.dirname(f), { recursive: true });
    fs.writeFileSync(f, `[buildout]\nparts = dl\n[dl]\nrecipe = slapos.recipe.build:download\nurl = ${server.url}/stall/x.tar.gz\n[versions]\nslapos.recipe.build = 1\n`);
    const started = Date.now();
    const pending = client.executeCommand(Commands.freezeProfile, [fileUri(f)]);
    await assertResponsive('while a freeze download stalls');
    const result = await pending as { applied: boolean; message: string };
    assert.equal(result.applied, false, JSON.stringify(result));
    assert.ok(Date.now() - started < 30_000);
    assert.ok((server.hits.get('/stall/x.tar.gz') ?? 0) >= 1, 'the freeze did try the download');
    assert.equal(fs.readFileSync(f, 'utf8').includes('md5sum'), false);
  });

  test('after bursts of random damage to corpus profiles, the next edit is answered for what it says', { ...T, skip: HAVE_CORPUS ? false : 'no corpus' }, async () => {
    const profiles = corpusProfiles().filter((f) => /\/software\/[^/]+\/software\.cfg$/.test(f));
    const f = file('burst');
    fs.mkdirSync(path.dirname(f), { recursive: true });
    const samples = fc.sample(fc.tuple(fc.constantFrom(...profiles), fc.array(mutationsArb, { minLength: 20, maxLength: 20 })), { numRuns: 3 });
    for (const [profile, bursts] of samples) {
      const original = fs.readFileSync(profile, 'utf8');
      fs.writeFileSync(f, original);
      await client.open(f, original);
      let text = original;
      let version = 1;
      for (const mutations of bursts) {
        text = applyMutations(text, mutations);
        version = await client.change(f, text);
      }
      // A burst publishes again only when its findings changed: the edit after it, once typing paused,
      // is answered for its own version, with the line it broke, after everything the burst asked for.
      await sleep(100);
      const start = client.publications.length;
      const broken = `${text}\n[unclosed`;
      version = await client.change(f, broken);
      const p = await client.diagnostics(f, (_d, p) => p.version === version, start, 60_000);
      const lastLine = broken.split(/\r\n|\r|\n/).length - 1;
      assert.ok(p.diagnostics.some((d) => d.code === 'syntax-error' && d.range.start.line === lastLine), JSON.stringify(p.diagnostics.map((d) => [d.code, d.range.start.line])));
      await client.close(f);
    }
    await assertResponsive('after bursts');
  });

  test('commands and code actions with nonsense arguments fail cleanly', T, async () => {
    const nonsense: unknown[][] = [[], [null], [42], ['not a uri'], ['file:///does/not/exist.cfg'], [fileUri(dir)], [{}], [{ uri: 5 }], [fileUri(probe()), -1], [fileUri(probe()), 1e12], ['http://127.0.0.1:1/x.cfg'], [fileUri(probe()), { code: 'x' }]];
    for (const command of Object.values(Commands)) {
      for (const args of nonsense) {
        try {
          await client.executeCommand(command, args);
        } catch (e) {
          assert.ok(e instanceof Error && e.message.length > 0, `${command} ${JSON.stringify(args)}`);
        }
      }
    }
    await client.open(probe());
    const garbage = [
      { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, message: 'x', code: 'md5sum-mismatch', data: 'garbage' },
      { range: { start: { line: 99, character: 0 }, end: { line: 100, character: 1 } }, message: 'x', code: 'develop-option', data: { root: 5 } },
      { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, message: 'x', code: 'unpinned-egg', data: null },
    ] as Diagnostic[];
    await client.codeActions(probe(), { start: { line: 0, character: 0 }, end: { line: 500, character: 0 } }, garbage);
    await client.codeActions('/nowhere/x.cfg', { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, garbage);
    await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri: fileUri('/not/open.cfg'), version: 2 }, contentChanges: [{ text: 'x' }] });
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: 'untitled:Untitled-1', languageId: 'buildout', version: 1, text: '[buildout]\nparts = ${' } });
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: 'http://example.invalid/x.cfg', languageId: 'buildout', version: 1, text: '[' } });
    await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri: fileUri('/never/opened.cfg') } });
    await assertResponsive('after nonsense requests');
  });
});
