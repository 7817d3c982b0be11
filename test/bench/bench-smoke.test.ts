// The benchmark runs (CI checks only that): `bench.js --quick` writes a table with every row. No timing
// is asserted here; the figures of a quick run on a shared machine mean nothing.

import { test } from 'node:test';
import * as assert from 'assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { corpusAvailable } from '../harness/corpus';

const ROWS = [
  'Server start',
  'Cold: open `software/erp5/software.cfg`',
  'Cold: open `software/slapos-master/software.cfg`',
  'Cold: open `stack/erp5-zope2/buildout.cfg`',
  'Cold: open `stack/slapos.cfg`',
  'Cold: open `component/openssl/buildout.cfg`',
  'Cold: open `software/erp5/software.cfg` to the diagnostics of its own full check',
  'Warm: one-character edit to diagnostics, in `software/erp5/software.cfg`',
  'Warm: the server\'s check of erp5 after that edit, in `software/erp5/software.cfg`',
  'Warm: one-character edit to diagnostics, in `stack/slapos.cfg`',
  'Warm: the server\'s check of erp5 after that edit, in `stack/slapos.cfg`',
  'Typing burst: 10 edits 20 ms apart, publications',
  'Typing burst: first edit to its diagnostics; checks the server ran',
  'Whole corpus through `buildout-freeze check`',
  'Server peak memory with erp5 open',
];

test('the benchmark runs in quick mode and writes every row', { skip: !corpusAvailable() && 'corpus not found', timeout: 300000 }, () => {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bf-bench-smoke-')), 'BENCHMARKS.md');
  const r = spawnSync(process.execPath, [path.join(__dirname, 'bench.js'), '--quick', '--out', out], { encoding: 'utf8', timeout: 280000 });
  assert.equal(r.status, 0, `bench.js --quick failed:\n${r.stdout}\n${r.stderr}`);
  const text = fs.readFileSync(out, 'utf8');
  for (const row of ROWS) assert.ok(text.split('\n').some((l) => l.startsWith(`| ${row}`)), `no row "${row}" in:\n${text}`);
  for (const line of ['- CPU:', '- Memory:', '- Node:', '- Load average']) assert.ok(text.includes(line), `no "${line}" line`);
});
