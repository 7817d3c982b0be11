// Files nobody should feed a buildout checker, and what it says about each: binary and non-UTF-8 files,
// a BOM, CR and mixed line endings, a 10 MB profile, a 100,000-line value, 1 MB lines, missing files,
// directories, dangling symlinks and symlink loops in `extends`. Each check must end (every test has a
// generous timeout, so a hang fails instead of blocking), give a clear finding, and keep every finding
// inside its file.

import { test } from 'node:test';
import * as assert from 'assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { checkIn, only, summary, tempDir } from './helpers';
import { parseProfile } from '../../server/src/syntax/parse-profile';
import { assertFindingInvariants, assertSyntaxInvariants } from './invariants';
import { Workspace } from '../../server/src/workspace/workspace';
import { NodeHost } from '../../server/src/host/node-host';
import { checkProfile } from '../../server/src/check';

const T = { timeout: 60_000 };

test('a binary file is reported as binary, as the root and when extended', T, async () => {
  const binary = Uint8Array.from({ length: 4096 }, (_, i) => (i * 37) & 0xff);
  const dir = tempDir({ 'blob.cfg': binary, 'software.cfg': '[buildout]\nextends = blob.cfg\nparts =\n' });
  const asRoot = await checkIn(dir, 'blob.cfg');
  assert.deepEqual(summary(asRoot.findings, dir), ['extends-unreadable: This file is binary (it contains NUL bytes), not a buildout profile.']);
  const extended = await checkIn(dir, 'software.cfg');
  assert.deepEqual(summary(extended.findings, dir), ['extends-unreadable: Cannot read the extended profile blob.cfg: This file is binary (it contains NUL bytes), not a buildout profile.']);
  assert.equal(extended.findings[0].range.start.line, 1);
});

test('bytes that are not UTF-8 are reported, not decoded into replacement characters', T, async () => {
  const latin1 = Buffer.from('[buildout]\nparts =\n[s]\nx = caf\xe9\n', 'latin1');
  const dir = tempDir({ 'latin1.cfg': latin1, 'software.cfg': '[buildout]\nextends = latin1.cfg\n' });
  assert.deepEqual(summary((await checkIn(dir, 'latin1.cfg')).findings, dir), ['extends-unreadable: This file is not valid UTF-8 text; buildout would fail to read it.']);
  assert.deepEqual(summary((await checkIn(dir, 'software.cfg')).findings, dir), ['extends-unreadable: Cannot read the extended profile latin1.cfg: This file is not valid UTF-8 text; buildout would fail to read it.']);
});

test('a byte-order mark is one clear syntax error on the first character', T, async () => {
  const dir = tempDir({ 'software.cfg': '\ufeff[buildout]\nparts =\n' });
  const { findings } = await checkIn(dir, 'software.cfg');
  assert.deepEqual(summary(findings, dir), ['syntax-error: The file starts with a byte-order mark, which buildout reads as text before the first section: save it as UTF-8 without BOM.']);
  assert.deepEqual(findings[0].range, { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } });
});

test('CRLF, CR and mixed line endings give the same findings on the same lines as LF', T, async () => {
  const lf = '[buildout]\nparts = a missing\n\n[a]\nrecipe = r\nx = ${nowhere:y}\n  ${a:z}\nbroken line\n[b:python3]\ny = 1\n';
  const variants: Record<string, string> = {
    lf, crlf: lf.replace(/\n/g, '\r\n'), cr: lf.replace(/\n/g, '\r'),
    mixed: lf.split('\n').map((l, i) => l + ['\n', '\r\n', '\r'][i % 3]).join('').slice(0, -1),
  };
  const seen = new Map<string, string>();
  for (const [name, text] of Object.entries(variants)) {
    const dir = tempDir({ 'software.cfg': text });
    const { findings } = await checkIn(dir, 'software.cfg');
    seen.set(name, JSON.stringify(findings.map((f) => [f.code, f.range, f.message.split(dir).join('')])));
  }
  assert.ok(JSON.parse(seen.get('lf')!).length >= 3, 'the LF profile has findings to compare');
  for (const [name, rendered] of seen) assert.equal(rendered, seen.get('lf'), `${name} differs from LF`);
});

test('a 10 MB profile is checked, and its findings are located', T, async () => {
  const sections: string[] = ['[buildout]\nparts = p0 p1 missing-part\n'];
  for (let i = 0, length = 0; length < 10 * 1024 * 1024; i++) {
    sections.push(`[p${i}]\nrecipe = slapos.recipe.build\nurl = https://example.invalid/p${i}.tar.gz\nmd5sum = ${'0'.repeat(32)}\nnext = \${p${i + 1}:url}\n${'# padding '.repeat(40)}\n`);
    length += sections[i + 1].length;
  }
  const text = sections.join('');
  assert.ok(text.length >= 10 * 1024 * 1024);
  const dir = tempDir({ 'software.cfg': text });
  const { findings } = await checkIn(dir, 'software.cfg');
  const missing = only(findings, 'missing-section');
  assert.ok(missing.some((f) => /missing-part/.test(f.message)), summary(findings, dir).join('\n'));
  assert.ok(missing.some((f) => f.range.start.line > 100_000), 'the reference from the last section to the one after it is found near the end');
});

test('a 100,000-line value: parts, references and plain text; 10,000 missing extends', T, async () => {
  const lines = (f: (i: number) => string, length = 100_000) => Array.from({ length }, (_, i) => '  ' + f(i)).join('\n');
  const dir = tempDir({
    'parts.cfg': `[buildout]\nparts =\n${lines((i) => `part${i}`)}\n`,
    // 10,000 only: each missing file costs a stat(2), which is the whole of the time here.
    'extends.cfg': `[buildout]\nextends =\n${lines((i) => `missing${i}.cfg`, 10_000)}\nparts =\n`,
    'refs.cfg': `[buildout]\nparts = a\n[a]\nrecipe = r\nx =\n${lines((i) => `\${nowhere${i}:x} \${a:y${i}}`)}\n`,
    'plain.cfg': `[buildout]\nparts = a\n[a]\nrecipe = r\nx =\n${lines((i) => `line ${i} \${:y} $\${not:a-ref}`)}\ny = 1\n`,
  });
  const parts = await checkIn(dir, 'parts.cfg');
  assert.equal(only(parts.findings, 'missing-section').length, 1001, 'a thousand located findings and one summary');
  assert.match(parts.findings.at(-1)!.message, /^99000 more missing-section problems like this one are not shown\.$/);
  assert.equal(parts.findings[0].range.start.line, 2);
  assert.equal(parts.findings[999].range.start.line, 1001, 'each part is located on its own line');

  const ext = await checkIn(dir, 'extends.cfg');
  const unreadable = only(ext.findings, 'extends-unreadable');
  assert.equal(unreadable.length, 10_000);
  assert.equal(unreadable[9_999].range.start.line, 10_001, 'the last missing file is located on its line');
  assert.match(unreadable[9_999].message, /missing9999\.cfg/);

  const refs = await checkIn(dir, 'refs.cfg');
  assert.ok(only(refs.findings, 'missing-section').length <= 1001);
  assert.ok(refs.findings.some((f) => /more missing-section problems/.test(f.message)));

  const plain = await checkIn(dir, 'plain.cfg');
  assert.deepEqual(plain.findings, []);
  assert.equal(plain.config.get('a', 'x')!.value.split('\n').length, 100_000);
  assert.match(plain.config.get('a', 'x')!.value, /^line 0 1 \$\$\{not:a-ref\}$/m);
});

test('1 MB lines: a value, a header left open, a run of `${`, a name without `=`, a condition', T, async () => {
  const MB = 1024 * 1024;
  const dir = tempDir({
    'value.cfg': `[buildout]\nparts = a\n[a]\nrecipe = r\nx = ${'a'.repeat(MB)}\ny = \${:x}\n`,
    'header.cfg': `[buildout]\nparts =\n[a:${' '.repeat(MB)}x\n`,
    'refs.cfg': `[buildout]\nparts = a\n[a]\nrecipe = r\nx = ${'${'.repeat(MB / 2)}\n`,
    'name.cfg': `[buildout]\nparts =\n${'n'.repeat(MB)}\n`,
    'condition.cfg': `[buildout]\nparts =\n[a:${'python3 and '.repeat(MB / 12)}python3]\nx = 1\n`,
    'reference.cfg': `[buildout]\nparts = a\n[a]\nrecipe = r\nx = \${${'s'.repeat(MB)}:x}\n`,
  });
  const value = await checkIn(dir, 'value.cfg');
  assert.deepEqual(value.findings, []);
  assert.equal(value.config.get('a', 'y')!.value.length, MB);

  const header = await checkIn(dir, 'header.cfg');
  assert.deepEqual(summary(header.findings, dir).map((s) => s.slice(0, 40)), ['syntax-error: Malformed section header: ']);
  assert.ok(header.findings[0].message.length < 300, 'the message quotes an excerpt, not the megabyte');

  assert.deepEqual((await checkIn(dir, 'refs.cfg')).findings, []);

  const name = await checkIn(dir, 'name.cfg');
  assert.deepEqual(summary(name.findings, dir).map((s) => s.slice(0, 52)), ['syntax-error: Buildout cannot parse this line: "nnnn']);
  assert.ok(name.findings[0].message.length < 300);

  const condition = await checkIn(dir, 'condition.cfg');
  assert.deepEqual(condition.findings, [], 'a long but plain condition is evaluated');

  const reference = await checkIn(dir, 'reference.cfg');
  assert.deepEqual(reference.findings.map((f) => f.code), ['missing-section']);
  assert.ok(reference.findings[0].message.length < 400);
});

test('an empty file, blanks only, a lone CR and a lone BOM parse losslessly and check quietly', T, async () => {
  for (const text of ['', ' ', '\r', '\n\n\n', '\t\r\n  \r', '\ufeff']) {
    assertSyntaxInvariants(parseProfile(text));
    const dir = tempDir({ 'software.cfg': text });
    const { findings } = await checkIn(dir, 'software.cfg');
    assert.ok(findings.every((f) => f.code === 'syntax-error'), JSON.stringify(text));
  }
});

test('extends cycles of one, two and three files are each one finding', T, async () => {
  const dir = tempDir({
    'self.cfg': '[buildout]\nextends = self.cfg\nparts =\n',
    'a.cfg': '[buildout]\nextends = b.cfg\nparts =\n', 'b.cfg': '[buildout]\nextends = a.cfg\n',
    'x.cfg': '[buildout]\nextends = sub/y.cfg\nparts =\n', 'sub/y.cfg': '[buildout]\nextends = ../z.cfg\n', 'z.cfg': '[buildout]\nextends = ./x.cfg\n',
  });
  assert.deepEqual(summary((await checkIn(dir, 'self.cfg')).findings, dir), ['extends-cycle: `extends` forms a cycle (self.cfg → self.cfg); buildout stops with "Recursive file include".']);
  assert.deepEqual(summary((await checkIn(dir, 'a.cfg')).findings, dir), ['extends-cycle: `extends` forms a cycle (a.cfg → b.cfg → a.cfg); buildout stops with "Recursive file include".']);
  const three = await checkIn(dir, 'x.cfg');
  assert.deepEqual(summary(three.findings, dir), ['extends-cycle: `extends` forms a cycle (x.cfg → y.cfg → z.cfg → x.cfg); buildout stops with "Recursive file include".']);
  assert.equal(three.findings[0].file, path.join(dir, 'z.cfg'), 'the finding sits on the extends that closes the loop');
});

test('a 1,000-deep extends chain merges every file; closing it into a loop is one short finding', T, async () => {
  const files: Record<string, string> = {};
  for (let i = 0; i < 1000; i++) files[`p${i}.cfg`] = `[buildout]\n${i < 999 ? `extends = p${i + 1}.cfg\n` : ''}parts = s${i}\n[s${i}]\nrecipe = r\nx = ${i}\n`;
  const dir = tempDir(files);
  const chain = await checkIn(dir, 'p0.cfg');
  assert.deepEqual(chain.findings, []);
  assert.equal(chain.config.files.length, 1000);
  assert.equal(chain.config.get('buildout', 'parts')!.value, 's0', 'the root wins');
  assert.equal(chain.config.get('s999', 'x')!.value, '999', 'the deepest file is merged');

  fs.writeFileSync(path.join(dir, 'p999.cfg'), '[buildout]\nextends = p0.cfg\n');
  const loop = await checkIn(dir, 'p0.cfg');
  assert.deepEqual(summary(loop.findings, dir), ['extends-cycle: `extends` forms a cycle (p0.cfg → p1.cfg → p2.cfg → p3.cfg → p4.cfg → … 991 more … → p996.cfg → p997.cfg → p998.cfg → p999.cfg → p0.cfg); buildout stops with "Recursive file include".']);
});

test('a 5,000-deep extends chain does not overflow the stack (it did past about 3,400)', T, async () => {
  // In editor buffers, not on disk: writing 5,000 files is most of the time otherwise.
  const dir = tempDir();
  const ws = new Workspace(new NodeHost(), { allowNetwork: false, downloadTimeoutMs: 500 });
  for (let i = 0; i < 5_000; i++) ws.setOverlay(path.join(dir, `p${i}.cfg`), `[buildout]\nextends = p${i + 1}.cfg\n`, 1);
  const { findings, config } = await checkProfile(ws, path.join(dir, 'p0.cfg'));
  assertFindingInvariants(ws, findings);
  assert.deepEqual(summary(findings, dir), ['extends-unreadable: Cannot read the extended profile p5000.cfg: p5000.cfg does not exist']);
  assert.equal(config.files.length, 5_000);
});

test('missing files, directories, dangling symlinks and symlink loops in extends', T, async () => {
  const dir = tempDir({ 'software.cfg': '[buildout]\nextends =\n  missing.cfg\n  folder.cfg\n  dangling.cfg\n  loop-a.cfg\n  missing-dir/x.cfg\n  software.cfg/x.cfg\nparts =\n' });
  fs.mkdirSync(path.join(dir, 'folder.cfg'));
  fs.symlinkSync(path.join(dir, 'nowhere.cfg'), path.join(dir, 'dangling.cfg'));
  fs.symlinkSync(path.join(dir, 'loop-b.cfg'), path.join(dir, 'loop-a.cfg'));
  fs.symlinkSync(path.join(dir, 'loop-a.cfg'), path.join(dir, 'loop-b.cfg'));
  const { findings } = await checkIn(dir, 'software.cfg');
  assert.deepEqual(summary(findings, dir), [
    'extends-unreadable: Cannot read the extended profile missing.cfg: missing.cfg does not exist',
    'extends-unreadable: Cannot read the extended profile folder.cfg: folder.cfg is a directory, not a file',
    'extends-unreadable: Cannot read the extended profile dangling.cfg: dangling.cfg does not exist',
    'extends-unreadable: Cannot read the extended profile loop-a.cfg: loop-a.cfg is a symbolic link loop',
    'extends-unreadable: Cannot read the extended profile missing-dir/x.cfg: missing-dir/x.cfg does not exist',
    'extends-unreadable: Cannot read the extended profile software.cfg/x.cfg: software.cfg/x.cfg does not exist',
  ]);
  assert.deepEqual(findings.map((f) => f.range.start.line), [2, 3, 4, 5, 6, 7]);
});

test('an absolute path in extends is taken as it is, also when written with ${:_profile_base_location_}', T, async () => {
  const dir = tempDir({ 'stack/base.cfg': '[buildout]\nparts = from-stack\n[from-stack]\nrecipe = r\n' });
  fs.mkdirSync(path.join(dir, 'software/app'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'software/app/software.cfg'), `[buildout]\nextends = ${path.join(dir, 'stack/base.cfg')}\n`);
  fs.writeFileSync(path.join(dir, 'software/app/other.cfg'), '[buildout]\nextends = ${:_profile_base_location_}/../../stack/base.cfg\n');
  for (const root of ['software/app/software.cfg', 'software/app/other.cfg']) {
    const { findings, config } = await checkIn(dir, root);
    assert.deepEqual(summary(findings, dir), [], root);
    assert.equal(config.get('buildout', 'parts')!.value, 'from-stack', root);
  }
});

test('a root that is a directory, a symlink loop, dangling or unreadable is one finding', T, async () => {
  const dir = tempDir({ 'secret.cfg': '[buildout]\nparts =\n' });
  fs.mkdirSync(path.join(dir, 'folder.cfg'));
  fs.symlinkSync(path.join(dir, 'b.cfg'), path.join(dir, 'a.cfg'));
  fs.symlinkSync(path.join(dir, 'a.cfg'), path.join(dir, 'b.cfg'));
  fs.symlinkSync(path.join(dir, 'gone.cfg'), path.join(dir, 'dangling.cfg'));
  assert.deepEqual(summary((await checkIn(dir, 'folder.cfg')).findings, dir), ['extends-unreadable: folder.cfg is a directory, not a file']);
  assert.deepEqual(summary((await checkIn(dir, 'a.cfg')).findings, dir), ['extends-unreadable: a.cfg is a symbolic link loop']);
  assert.deepEqual(summary((await checkIn(dir, 'dangling.cfg')).findings, dir), ['extends-unreadable: dangling.cfg does not exist']);
  // Tests usually run as root, for whom mode 000 does not stop reading: check only when it does.
  fs.chmodSync(path.join(dir, 'secret.cfg'), 0o000);
  let readable = true;
  try { fs.readFileSync(path.join(dir, 'secret.cfg')); } catch { readable = false; }
  const secret = await checkIn(dir, 'secret.cfg');
  if (readable) assert.deepEqual(secret.findings, []);
  else assert.deepEqual(summary(secret.findings, dir), ['extends-unreadable: secret.cfg cannot be read (EACCES)']);
});

test('a settings file that is not an object, or has wrong types, is a settings error, not a crash', T, async () => {
  for (const [json, message] of [
    ['null', 'the settings must be a JSON object'], ['[1]', 'the settings must be a JSON object'], ['"x"', 'the settings must be a JSON object'],
    ['{"severity": "off"}', '"severity" must be an object of rule ids to severities'],
    ['{"severity": {"x": "loud"}}', '"severity" of "x" must be one of error, warning, information, hint, off'],
    ['{"python": 3}', '"python" must be a string'], ['{"mode": 1}', '"mode" must be "release" or "development"'],
    ['{', 'is not valid JSON'],
  ]) {
    const dir = tempDir({ '.buildout-freeze.json': json, 'software.cfg': '[buildout]\nparts =\n' });
    const { findings } = await checkIn(dir, 'software.cfg');
    assert.deepEqual(findings.map((f) => f.code), ['settings-error'], json);
    assert.ok(findings[0].message.includes(message), `${json}: ${findings[0].message}`);
  }
});
