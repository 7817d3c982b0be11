// Loops and explosions in the merged configuration: `${}` substitution cycles, `<=` macro cycles,
// chains deeper than buildout itself could follow, values that double at each level and macro
// lattices that used to take exponential time. Each ends with one clear finding (or none), never a
// stack overflow or a hang.

import { test } from 'node:test';
import * as assert from 'assert/strict';
import { checkIn, only, summary, tempDir } from './helpers';
import { MAX_NESTING } from '../../server/src/model/effective-config';

const T = { timeout: 60_000 };

test('a substitution cycle between two sections is one finding, and the check goes on', T, async () => {
  const dir = tempDir({ 'software.cfg': '[buildout]\nparts = ${a:x} other\n[a]\nx = ${b:y}\n[b]\ny = ${a:x}\n[other]\nrecipe = r\n' });
  const { findings, installed } = await checkIn(dir, 'software.cfg');
  assert.deepEqual(summary(findings, dir), ['substitution-cycle: The value of ${a:x} refers back to itself through ${} substitutions.']);
  assert.deepEqual(findings[0].range, { start: { line: 3, character: 4 }, end: { line: 3, character: 10 } });
  assert.ok(installed.parts.includes('other'));
});

test('a value that refers to itself is a substitution cycle', T, async () => {
  const dir = tempDir({ 'software.cfg': '[buildout]\nparts = ${:parts}\n' });
  assert.deepEqual(summary((await checkIn(dir, 'software.cfg')).findings, dir), ['substitution-cycle: The value of ${buildout:parts} refers back to itself through ${} substitutions.']);
});

test('a macro cycle is one finding and leaves the section out', T, async () => {
  const dir = tempDir({ 'software.cfg': '[buildout]\nparts = a\n[a]\n<= b\nrecipe = r\n[b]\n<= c\n[c]\n<= a\n' });
  const { findings, installed } = await checkIn(dir, 'software.cfg');
  assert.deepEqual(summary(findings, dir), ['macro-cycle: The `<=` macros of [a] form a loop: a → b → c → a.']);
  assert.deepEqual(installed.parts, []);
});

test('a section that is its own macro is a macro cycle', T, async () => {
  const dir = tempDir({ 'software.cfg': '[buildout]\nparts = a\n[a]\n<= a\nrecipe = r\n' });
  assert.deepEqual(summary((await checkIn(dir, 'software.cfg')).findings, dir), ['macro-cycle: The `<=` macros of [a] form a loop: a → a.']);
});

test('a substitution chain deeper than the limit is one finding, not a stack overflow', T, async () => {
  const n = 10_000;
  const options = Array.from({ length: n }, (_, i) => `v${i} = \${:v${i + 1}}`).join('\n');
  const dir = tempDir({ 'software.cfg': `[buildout]\nparts = \${a:v0}\n[a]\n${options}\nv${n} = end\n`, 'short.cfg': `[buildout]\nparts = \${a:v0}\n[a]\n${options.split('\n').slice(0, 300).join('\n')}\nv300 = end\n[end]\nrecipe = r\n` });
  const { findings } = await checkIn(dir, 'software.cfg');
  assert.deepEqual(summary(findings, dir), [`substitution-too-deep: The \${} substitutions reaching \${a:v${MAX_NESTING - 1}} nest more than ${MAX_NESTING} deep; buildout would stop with a RecursionError.`]);
  const short = await checkIn(dir, 'short.cfg');
  assert.deepEqual(short.findings, [], 'three hundred levels are still followed');
  assert.deepEqual(short.installed.parts, ['end']);
});

test('a macro chain deeper than the limit is one finding, not a stack overflow', T, async () => {
  const n = 10_000;
  const sections = Array.from({ length: n }, (_, i) => `[m${i}]\n<= m${i + 1}\nrecipe = r`).join('\n');
  const dir = tempDir({ 'software.cfg': `[buildout]\nparts = m0\n${sections}\n[m${n}]\nx = 1\n` });
  const { findings } = await checkIn(dir, 'software.cfg');
  assert.equal(findings.length, 1);
  assert.equal(findings[0].code, 'macro-too-deep');
  assert.match(findings[0].message, /^The `<=` macros reaching \[m400\] nest more than 400 deep \(m0 → m1 → m2 → m3 → m4 → … 391 more … → m396 → m397 → m398 → m399 → m400\); buildout would stop with a RecursionError\.$/);
});

test('values that double at each level stop growing at a size limit, with a finding', T, async () => {
  let options = 'v0 = lol\n';
  for (let i = 1; i <= 64; i++) options += `v${i} = \${:v${i - 1}}\${:v${i - 1}}\n`;
  const dir = tempDir({ 'software.cfg': `[buildout]\nparts = a\n[a]\nrecipe = r\nfinal = \${:v64}\n${options}` });
  const { config, findings } = await checkIn(dir, 'software.cfg');
  const value = config.get('a', 'final')!;
  assert.ok(value.unresolved);
  assert.ok(value.value.length < 4 * 1024 * 1024);
  const large = only([...config.lazyProblems.values()].map((p) => ({ ...p, range: undefined as never, profile: '' })), 'substitution-too-large');
  assert.ok(large.length >= 1, 'the first value past the limit is reported');
  assert.match(large[0].message, /^Substituting \$\{a:v\d+\} gives more than 1048576 characters; the checker keeps it unsubstituted\.$/);
  void findings;
});

test('a lattice of macros forty levels deep is expanded once per section', T, async () => {
  let text = '[buildout]\nparts = a0\n';
  for (let i = 0; i < 40; i++) text += `[a${i}]\n<= a${i + 1} b${i + 1}\nrecipe = r\nx${i} = ${i}\n[b${i}]\n<= a${i + 1} b${i + 1}\ny${i} = ${i}\n`;
  text += '[a40]\nbottom = a\n[b40]\nbottom = b\n';
  const dir = tempDir({ 'software.cfg': text });
  const { config, findings } = await checkIn(dir, 'software.cfg');
  assert.deepEqual(findings, []);
  const a0 = config.section('a0')!;
  assert.equal(a0.get('bottom')!.value, 'b', 'the last base wins, as buildout applies them in order');
  assert.equal(a0.get('x39')!.value, '39');
  assert.equal(a0.get('y1')!.value, '1');
  assert.equal(a0.get('y0'), undefined, '[b0] is no base of [a0]');
});

test('a thousand sections each using a missing macro give located findings', T, async () => {
  const sections = Array.from({ length: 1000 }, (_, i) => `[s${i}]\n<= missing${i}\nrecipe = r`).join('\n');
  const dir = tempDir({ 'software.cfg': `[buildout]\nparts = ${Array.from({ length: 1000 }, (_, i) => `s${i}`).join(' ')}\n${sections}\n` });
  const { findings } = await checkIn(dir, 'software.cfg');
  assert.equal(only(findings, 'missing-section').length, 1000);
  assert.equal(findings[999].range.start.line, 2 + 999 * 3 + 1);
});
