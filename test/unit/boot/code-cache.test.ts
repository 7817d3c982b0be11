// The code cache in front of the bundles: a first start compiles and writes the cache in the user's own
// folder, the next start is accepted from it, a damaged cache is rejected by V8 and rewritten, and
// BUILDOUT_FREEZE_CODE_CACHE=off writes nothing. Real bundles on disk, a temporary XDG_CACHE_HOME, and
// every start in a fresh Node process (V8 keeps compiled scripts in memory within one).

import { test } from 'node:test';
import * as assert from 'assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { spawnSync } from 'child_process';

const LOADER = path.resolve(__dirname, '../../../server/src/boot/code-cache.js');

/** Starts `file` in a new process: whether the cache was taken, what `answer(21)` and `f7('x')` give, then saves the cache. */
function loadBundle(file: string): { fromCache: boolean; answer: number; f7: string; more: unknown; saveError?: string } {
  const script = `const { loadBundle } = require(${JSON.stringify(LOADER)});
    const b = loadBundle(${JSON.stringify(file)});
    const out = { fromCache: b.fromCache, answer: b.exports.answer(21), f7: b.exports.f7('x'), more: b.exports.more };
    try { b.saveCache(); } catch (e) { out.saveError = String(e); }
    process.stdout.write(JSON.stringify(out));`;
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', env: process.env, timeout: 30000 });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

function withCacheHome<T>(run: (home: string) => T): T {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'bf-cache-'));
  const before = process.env.XDG_CACHE_HOME;
  process.env.XDG_CACHE_HOME = home;
  try { return run(home); } finally {
    if (before === undefined) delete process.env.XDG_CACHE_HOME; else process.env.XDG_CACHE_HOME = before;
    delete process.env.BUILDOUT_FREEZE_CODE_CACHE;
  }
}

function bundle(text: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bf-bundle-'));
  const file = path.join(dir, 'demo.bundle.js');
  fs.writeFileSync(file, text);
  return file;
}

const DEMO = `"use strict";
const path = require('path');
let calls = 0;
exports.answer = function answer(x) { calls++; return x * 2 + calls * 0; };
exports.where = () => [path.basename(__filename), path.basename(__dirname) === path.basename(path.dirname(__filename))];
${Array.from({ length: 200 }, (_, i) => `exports.f${i} = function f${i}(a) { return [a, ${i}].join('-'); };`).join('\n')}
`;

test('a first start writes the cache, the next one starts from it with the same program', () => withCacheHome((home) => {
  const file = bundle(DEMO);
  const first = loadBundle(file);
  assert.deepEqual(first, { fromCache: false, answer: 42, f7: 'x-7' });
  const files = fs.readdirSync(path.join(home, 'buildout-freeze'));
  assert.equal(files.length, 1);
  assert.match(files[0], /^demo\.bundle-[0-9a-f]{24}\.v8cache$/);
  assert.equal(fs.statSync(path.join(home, 'buildout-freeze')).mode & 0o777, 0o700);
  assert.deepEqual(loadBundle(file), { fromCache: true, answer: 42, f7: 'x-7' });
  // A changed bundle has another cache file: the old one is never applied to new code.
  fs.appendFileSync(file, '\nexports.more = 1;\n');
  assert.deepEqual(loadBundle(file), { fromCache: false, answer: 42, f7: 'x-7', more: 1 });
  assert.equal(fs.readdirSync(path.join(home, 'buildout-freeze')).length, 2);
  // Upgrades leave older caches behind: only the newest three of a bundle are kept.
  for (let i = 0; i < 4; i++) { fs.appendFileSync(file, `\nexports.v${i} = ${i};\n`); loadBundle(file); }
  assert.equal(fs.readdirSync(path.join(home, 'buildout-freeze')).length, 3);
  assert.equal(loadBundle(file).fromCache, true);
}));

test('a damaged cache is rejected by V8, the program still runs, and the cache is written again', () => withCacheHome((home) => {
  const file = bundle(DEMO);
  loadBundle(file);
  const cache = path.join(home, 'buildout-freeze', fs.readdirSync(path.join(home, 'buildout-freeze'))[0]);
  const good = fs.readFileSync(cache);
  for (const damage of [Buffer.from('not a code cache at all'), good.subarray(0, good.length >> 1), Buffer.alloc(0)]) {
    fs.writeFileSync(cache, damage);
    assert.deepEqual(loadBundle(file), { fromCache: false, answer: 42, f7: 'x-7' });
    assert.deepEqual(loadBundle(file), { fromCache: true, answer: 42, f7: 'x-7' });
  }
}));

test('BUILDOUT_FREEZE_CODE_CACHE=off writes nothing, and an unwritable cache folder is not an error', () => withCacheHome((home) => {
  process.env.BUILDOUT_FREEZE_CODE_CACHE = 'off';
  const file = bundle(DEMO);
  assert.deepEqual(loadBundle(file), { fromCache: false, answer: 42, f7: 'x-7' });
  assert.equal(fs.existsSync(path.join(home, 'buildout-freeze')), false);
  delete process.env.BUILDOUT_FREEZE_CODE_CACHE;
  fs.writeFileSync(path.join(home, 'buildout-freeze'), 'a file where the folder should be');
  assert.deepEqual(loadBundle(file), { fromCache: false, answer: 42, f7: 'x-7' });
  assert.deepEqual(loadBundle(file), { fromCache: false, answer: 42, f7: 'x-7' });
}));
