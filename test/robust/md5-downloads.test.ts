// The md5sum fix against a misbehaving server: a file that never comes, comes cut short, never ends,
// is an error page or redirects in a loop gives no edit and one clear reason; a good file gives its
// exact md5sum. Downloads are hashed as they arrive, so a huge file is never held in memory.

import { test, before, after } from 'node:test';
import * as assert from 'assert/strict';
import * as crypto from 'crypto';
import * as path from 'path';
import { Workspace } from '../../server/src/workspace/workspace';
import { NodeHost } from '../../server/src/host/node-host';
import { FetchOptions, Host } from '../../server/src/host/host';
import { planFreeze } from '../../server/src/freeze/plan-freeze';
import { BadServer, startBadServer } from './http-server';
import { tempDir } from './helpers';

const T = { timeout: 30_000 };
const BODY = 'tarball bytes \u00e9\n';
let server: BadServer;
before(async () => { server = await startBadServer({ '/ok.tar.gz': BODY }); });
after(async () => { await server.close(); });

async function freezeDownload(p: string, host: Host = new NodeHost(), signal?: AbortSignal) {
  const dir = tempDir({ 'software.cfg': `[buildout]\nparts = dl\n[dl]\nrecipe = slapos.recipe.build:download\nurl = ${server.url}${p}\n[versions]\nslapos.recipe.build = 0.1\n` });
  const ws = new Workspace(host, { allowNetwork: true, downloadTimeoutMs: 500 });
  const plan = await planFreeze(ws, path.join(dir, 'software.cfg'), {}, { allowNetwork: true, timeoutMs: 500, signal });
  return { plan, blocking: plan.summary.blocking.map((b) => b.split(server.url).join('')) };
}

test('a good download gives its exact md5sum', T, async () => {
  const { plan } = await freezeDownload('/ok.tar.gz');
  const md5 = crypto.createHash('md5').update(Buffer.from(BODY, 'utf8')).digest('hex');
  assert.deepEqual(plan.edits.map((e) => e.newText), [`\nmd5sum = ${md5}`]);
  assert.deepEqual(plan.summary.blocking, []);
});

test('downloads that stall, stop short, never end, fail or loop give no edit and one reason each', T, async () => {
  const cases: [string, RegExp][] = [
    ['/stall', /Cannot download \/stall to compute its md5sum: \/stall: no answer within 500 ms$/],
    ['/stall-body', /\/stall-body: the download did not finish within 500 ms \(11 bytes received\)$/],
    ['/short', /\/short: the download was cut short/],
    ['/huge', /\/huge: (the download did not finish within 500 ms \(\d+ bytes received\)|larger than \d+ bytes)$/],
    ['/drip', /\/drip: the download did not finish within 500 ms/],
    ['/missing.tar.gz', /\/missing\.tar\.gz: HTTP 404$/],
    ['/loop', /\/loop: too many redirects$/],
    ['/bad-redirect', /the server redirects to an invalid address/],
    ['/to-file', /only http and https downloads are supported$/],
  ];
  const results = await Promise.all(cases.map(([p]) => freezeDownload(p)));
  for (const [i, [p, reason]] of cases.entries()) {
    const { plan, blocking } = results[i];
    assert.deepEqual(plan.edits, [], p);
    assert.equal(blocking.length, 1, `${p}: ${blocking.join('\n')}`);
    assert.match(blocking[0], /^software\.cfg:5: \[missing-md5sum\] /);
    assert.match(blocking[0], reason, p);
  }
});

test('cancelling a freeze stops its download', T, async () => {
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 100);
  const dir = tempDir({ 'software.cfg': `[buildout]\nparts = dl\n[dl]\nrecipe = slapos.recipe.build:download\nurl = ${server.url}/drip\n` });
  const ws = new Workspace(new NodeHost(), { allowNetwork: true, downloadTimeoutMs: 10_000 });
  const started = Date.now();
  const plan = await planFreeze(ws, path.join(dir, 'software.cfg'), {}, { allowNetwork: true, timeoutMs: 10_000, signal: controller.signal });
  assert.ok(Date.now() - started < 5000);
  assert.deepEqual(plan.edits, []);
  assert.ok(plan.summary.blocking.some((b) => /cancelled/.test(b)), plan.summary.blocking.join('\n'));
});

test('the fix hashes a download as it arrives: the host keeps none of it', T, async () => {
  const real = new NodeHost();
  const calls: { streamed: boolean; kept: number }[] = [];
  const spy: Host = Object.assign(Object.create(real) as Host, {
    fetch: async (url: string, options: FetchOptions) => {
      const r = await real.fetch(url, options);
      calls.push({ streamed: typeof options.onData === 'function', kept: 'bytes' in r ? r.bytes.length : -1 });
      return r;
    },
  });
  const { plan } = await freezeDownload('/ok.tar.gz', spy);
  assert.equal(plan.edits.length, 1);
  assert.deepEqual(calls, [{ streamed: true, kept: 0 }]);

  const chunks: Uint8Array[] = [];
  const r = await real.fetch(`${server.url}/ok.tar.gz`, { timeoutMs: 2000, onData: (c) => chunks.push(c) });
  assert.ok('bytes' in r && r.bytes.length === 0, JSON.stringify(r));
  assert.equal(Buffer.concat(chunks).toString('utf8'), BODY);

  const capped = await real.fetch(`${server.url}/huge`, { timeoutMs: 10_000, maxBytes: 8 * 1024 * 1024, onData: () => undefined });
  assert.deepEqual(capped, { error: `${server.url}/huge: larger than 8388608 bytes` });
});
