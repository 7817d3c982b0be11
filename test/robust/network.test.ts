// Remote `extends` and downloads against a real server on 127.0.0.1 that stalls, drips, answers
// garbage, lies about its length or redirects badly: the check ends within the configured timeout
// with a clear finding, host.fetch fails cleanly (size cap, cut-short body, cancel), and the process
// never sees an uncaught exception. Timeouts here are the product's, set short; the bounds asserted on
// elapsed time are ten times looser.

import { test, before, after } from 'node:test';
import * as assert from 'assert/strict';
import { NodeHost } from '../../server/src/host/node-host';
import { BadServer, startBadServer } from './http-server';
import { checkIn, summary, tempDir } from './helpers';

const T = { timeout: 30_000 };
const NET = { allowNetwork: true, downloadTimeoutMs: 500 };
let server: BadServer;
const uncaught: unknown[] = [];
const onUncaught = (e: unknown) => { uncaught.push(e); };

before(async () => {
  process.on('uncaughtException', onUncaught);
  server = await startBadServer({
    '/ok.cfg': '[buildout]\nextends = sub/base.cfg\nparts = from-remote\n[from-remote]\nrecipe = r\n',
    '/sub/base.cfg': '[buildout]\nparts = base\n[base-data]\nx = ${:_profile_base_location_}\n',
  });
});
after(async () => {
  await server.close();
  process.off('uncaughtException', onUncaught);
  assert.deepEqual(uncaught, [], 'no uncaught exception during the network tests');
});

async function checkRemote(pathOnServer: string, network = NET) {
  const dir = tempDir({ 'software.cfg': `[buildout]\nextends = ${server.url}${pathOnServer}\nparts =\n` });
  const started = Date.now();
  const result = await checkIn(dir, 'software.cfg', {}, network);
  return { ...result, elapsed: Date.now() - started, lines: summary(result.findings, server.url) };
}

test('an extends URL that never answers ends at the configured timeout with a finding', T, async () => {
  const r = await checkRemote('/stall');
  assert.deepEqual(r.lines, [`extends-unreadable: Cannot read the extended profile stall: stall: no answer within 500 ms`]);
  assert.equal(r.findings[0].severity, 'error');
  assert.equal(r.findings[0].range.start.line, 1);
  assert.ok(r.elapsed < 5000, `took ${r.elapsed} ms`);
});

test('an answer that stalls half way, or drips forever, ends at the timeout too', T, async () => {
  const paths = ['/stall-body', '/drip'];
  const results = await Promise.all(paths.map((p) => checkRemote(p)));
  for (const [i, p] of paths.entries()) {
    const r = results[i];
    assert.equal(r.lines.length, 1);
    assert.match(r.lines[0], new RegExp(`^extends-unreadable: Cannot read the extended profile ${p.slice(1)}: ${p.slice(1)}: the download did not finish within 500 ms \\(\\d+ bytes received\\)$`));
    assert.ok(r.elapsed < 5000, `${p} took ${r.elapsed} ms`);
  }
});

test('garbage answers are findings: binary, not UTF-8, HTTP 404, an HTML page', T, async () => {
  assert.deepEqual((await checkRemote('/binary')).lines, ['extends-unreadable: Cannot read the extended profile binary: binary: This file is binary (it contains NUL bytes), not a buildout profile.']);
  assert.deepEqual((await checkRemote('/latin1')).lines, ['extends-unreadable: Cannot read the extended profile latin1: latin1: This file is not valid UTF-8 text; buildout would fail to read it.']);
  assert.deepEqual((await checkRemote('/missing.cfg')).lines, ['extends-unreadable: Cannot read the extended profile missing.cfg: missing.cfg: HTTP 404']);
  const html = await checkRemote('/html');
  assert.ok(html.findings.length >= 1);
  assert.ok(html.findings.every((f) => f.code === 'syntax-error' && f.file === `${server.url}/html`), html.lines.join('\n'));
  assert.match(html.findings[0].message, /^Text before the first section header/);
});

test('bad redirects are findings: a loop, an invalid Location, a file: URL', T, async () => {
  assert.deepEqual((await checkRemote('/loop')).lines, ['extends-unreadable: Cannot read the extended profile loop: loop: too many redirects']);
  assert.deepEqual((await checkRemote('/bad-redirect')).lines, ['extends-unreadable: Cannot read the extended profile bad-redirect: bad-redirect: the server redirects to an invalid address (http://[not-an-address)']);
  assert.deepEqual((await checkRemote('/to-file')).lines, ['extends-unreadable: Cannot read the extended profile to-file: file:///etc/passwd: only http and https downloads are supported']);
});

test('a remote profile merges, with its own extends relative to its URL', T, async () => {
  const r = await checkRemote('/ok.cfg');
  assert.deepEqual(r.lines, []);
  assert.deepEqual(r.config.files.map((f) => f.replace(server.url, '')), ['/sub/base.cfg', '/ok.cfg', r.root]);
  assert.equal(r.config.get('base-data', 'x')!.value, `${server.url}/sub`);
});

test('with the network off nothing is contacted, and the finding says why', T, async () => {
  const before = server.hits.get('/ok.cfg') ?? 0;
  const r = await checkRemote('/ok.cfg', { allowNetwork: false, downloadTimeoutMs: 500 });
  assert.deepEqual(r.lines, [`extends-unreadable: Cannot read the extended profile ok.cfg: ok.cfg was not downloaded: network access is turned off`]);
  assert.equal(r.findings[0].severity, 'information');
  assert.equal(server.hits.get('/ok.cfg') ?? 0, before);
});

test('host.fetch stops past maxBytes, on a body shorter than its Content-Length, and on cancel', T, async () => {
  const host = new NodeHost();
  const huge = await host.fetch(`${server.url}/huge`, { timeoutMs: 10_000, maxBytes: 1024 * 1024 });
  assert.deepEqual(huge, { error: `${server.url}/huge: larger than 1048576 bytes` });

  const short = await host.fetch(`${server.url}/short`, { timeoutMs: 5_000 });
  assert.ok('error' in short && /cut short/.test(short.error), JSON.stringify(short));

  const controller = new AbortController();
  const progress: number[] = [];
  const pending = host.fetch(`${server.url}/drip`, { timeoutMs: 10_000, signal: controller.signal, onProgress: (n) => { progress.push(n); if (n >= 3) controller.abort(); } });
  assert.deepEqual(await pending, { error: 'cancelled' });
  assert.ok(progress.length >= 3);

  const already = new AbortController();
  already.abort();
  assert.deepEqual(await host.fetch(`${server.url}/ok.cfg`, { timeoutMs: 1000, signal: already.signal }), { error: 'cancelled' });
});

test('host.fetch refuses what is not http(s) and reports refused connections', T, async () => {
  const host = new NodeHost();
  for (const url of ['file:///etc/passwd', 'ftp://127.0.0.1/x', 'gopher://x', 'not a url', 'javascript:alert(1)', 'data:text/plain,hi']) {
    const r = await host.fetch(url, { timeoutMs: 1000 });
    assert.ok('error' in r, url);
  }
  const closed = await startBadServer();
  const address = closed.url;
  await closed.close();
  const refused = await host.fetch(`${address}/x`, { timeoutMs: 2000 });
  assert.ok('error' in refused && /ECONNREFUSED/.test(refused.error), JSON.stringify(refused));
});
