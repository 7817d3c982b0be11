// The md5sum fix against real files in a temp directory and a real HTTP server on 127.0.0.1: the exact
// edits for local files (new line, replaced value, hash-file entry, `#md5` fragment), downloads with
// progress, and the failures a user must see (network off, no answer, a body cut short, cancel).

import { test, after } from 'node:test';
import * as assert from 'assert/strict';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as http from 'http';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { splitFixture } from '../../harness/fixture';
import { Workspace } from '../../../server/src/workspace/workspace';
import { NodeHost } from '../../../server/src/host/node-host';
import { checkProfile } from '../../../server/src/check';
import { fixFor } from '../../../server/src/fixes/index';
import { applyEdits } from '../../../server/src/core/apply-edits';
import { FileEdit, FixContext, FixResult } from '../../../server/src/core/fix';
import { Finding } from '../../../server/src/core/finding';

const md5 = (data: string | Buffer) => crypto.createHash('md5').update(data).digest('hex');
const MD5_CODES = ['missing-md5sum', 'md5sum-mismatch', 'file-not-found'];

const tempDirs: string[] = [];
after(() => { for (const d of tempDirs) fs.rmSync(d, { recursive: true, force: true }); });

function writeFixture(fixture: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bf-md5fix-'));
  tempDirs.push(dir);
  for (const f of splitFixture(fixture)) {
    const file = path.join(dir, f.path);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, f.lines.join('\n') + '\n');
  }
  return dir;
}

async function findingsOf(dir: string, root = 'software.cfg', ws = new Workspace(new NodeHost())) {
  const result = await checkProfile(ws, path.join(dir, root));
  return { ws, result, findings: result.findings.filter((f) => MD5_CODES.includes(f.code)) };
}

async function runFix(finding: Finding, ws: Workspace, root: string, options: Partial<FixContext> = {}): Promise<FixResult> {
  const fix = fixFor(finding.code);
  assert.ok(fix, `a fix is registered for ${finding.code}`);
  const config = (await checkProfile(ws, root)).config;
  return fix.compute(finding, { ws, config, root, allowNetwork: true, timeoutMs: 5000, ...options });
}

/** Applies the edits to the files on disk, as the CLI does. */
function applyToDisk(edits: FileEdit[]): void {
  for (const file of new Set(edits.map((e) => e.file))) {
    const result = applyEdits(fs.readFileSync(file, 'utf8'), edits.filter((e) => e.file === file));
    assert.ok('text' in result, JSON.stringify(result));
    fs.writeFileSync(file, result.text);
  }
}

function edited(dir: string, file: string): string { return fs.readFileSync(path.join(dir, file), 'utf8'); }

test('a local template without md5sum gets a new md5sum line after its url, and the check is then clean', async () => {
  const dir = writeFixture(`
#- /software.cfg
[buildout]
parts = instance
[instance]
recipe = slapos.recipe.template
url = \${:_profile_base_location_}/instance.cfg.in
output = \${buildout:directory}/instance.cfg
#- /instance.cfg.in
[buildout]
parts =
`);
  const { ws, findings } = await findingsOf(dir);
  assert.deepEqual(findings.map((f) => f.code), ['missing-md5sum']);
  const fix = fixFor('missing-md5sum')!;
  assert.equal(fix.online(findings[0]), false);
  const result = await runFix(findings[0], ws, path.join(dir, 'software.cfg'));
  const hex = md5('[buildout]\nparts =\n');
  const software = edited(dir, 'software.cfg');
  const offset = software.indexOf('/instance.cfg.in') + '/instance.cfg.in'.length;
  assert.deepEqual(result, { title: `Add md5sum: ${hex}`, edits: [{ file: path.join(dir, 'software.cfg'), start: offset, end: offset, newText: `\nmd5sum = ${hex}` }] });
  applyToDisk((result as { edits: FileEdit[] }).edits);
  assert.match(edited(dir, 'software.cfg'), new RegExp(`instance\\.cfg\\.in\\nmd5sum = ${hex}\\noutput =`));
  assert.deepEqual((await findingsOf(dir)).findings, []);
});

test('a stale hash-file md5sum is replaced in the hash file; a missing one is added to the entry', async () => {
  const dir = writeFixture(`
#- /software.cfg
[buildout]
extends = buildout.hash.cfg
parts = template data
[template]
recipe = slapos.recipe.template:jinja2
url = \${:_profile_base_location_}/\${:filename}
output = \${buildout:directory}/template.cfg
[data]
recipe = slapos.recipe.build:download
url = \${:_profile_base_location_}/\${:_update_hash_filename_}
#- /buildout.hash.cfg
[template]
filename = instance.cfg.in
md5sum = 00000000000000000000000000000000

[data]
_update_hash_filename_ = data.json
#- /instance.cfg.in
[instance]
#- /data.json
{}
`);
  const { ws, findings } = await findingsOf(dir);
  assert.deepEqual(findings.map((f) => f.code).sort(), ['md5sum-mismatch', 'missing-md5sum']);
  const hashFile = path.join(dir, 'buildout.hash.cfg');
  const before = edited(dir, 'buildout.hash.cfg');
  const edits: FileEdit[] = [];
  for (const f of findings) {
    const r = await runFix(f, ws, path.join(dir, 'software.cfg'));
    assert.ok('edits' in r, JSON.stringify(r));
    edits.push(...r.edits);
  }
  const stale = before.indexOf('00000000000000000000000000000000');
  const afterName = before.indexOf('data.json') + 'data.json'.length;
  assert.deepEqual(edits.sort((a, b) => a.start - b.start), [
    { file: hashFile, start: stale, end: stale + 32, newText: md5('[instance]\n') },
    { file: hashFile, start: afterName, end: afterName, newText: `\nmd5sum = ${md5('{}\n')}` },
  ]);
  applyToDisk(edits);
  assert.equal(edited(dir, 'buildout.hash.cfg'), before.replace('00000000000000000000000000000000', md5('[instance]\n')).replace('data.json\n', `data.json\nmd5sum = ${md5('{}\n')}\n`));
  assert.deepEqual((await findingsOf(dir)).findings, []);
});

test('patches and hooks get a #md5 fragment; a stale fragment is replaced; a macro part gets its own line', async () => {
  const dir = writeFixture(`
#- /software.cfg
[buildout]
parts = lib one
[lib]
recipe = slapos.recipe.cmmi
url = https://example.invalid/lib.tar.gz
md5sum = 0123456789abcdef0123456789abcdef
patches =
  \${:_profile_base_location_}/a.patch
  \${:_profile_base_location_}/b.patch#ffffffffffffffffffffffffffffffff
post-make-hook = \${:_profile_base_location_}/hook.py:post_make_hook
[template-base]
recipe = slapos.recipe.template
url = \${:_profile_base_location_}/\${:filename}
output = \${buildout:directory}/\${:filename}
[one]
<= template-base
filename = one.in
#- /a.patch
a
#- /b.patch
b
#- /hook.py
def post_make_hook(options, buildout, env): pass
#- /one.in
one
`);
  const { ws, findings } = await findingsOf(dir);
  assert.deepEqual(findings.map((f) => f.code).sort(), ['md5sum-mismatch', 'missing-md5sum', 'missing-md5sum', 'missing-md5sum']);
  const edits: FileEdit[] = [];
  for (const f of findings) {
    const r = await runFix(f, ws, path.join(dir, 'software.cfg'));
    assert.ok('edits' in r, JSON.stringify(r));
    edits.push(...r.edits);
  }
  applyToDisk(edits);
  assert.equal(edited(dir, 'software.cfg'), `[buildout]
parts = lib one
[lib]
recipe = slapos.recipe.cmmi
url = https://example.invalid/lib.tar.gz
md5sum = 0123456789abcdef0123456789abcdef
patches =
  \${:_profile_base_location_}/a.patch#${md5('a\n')}
  \${:_profile_base_location_}/b.patch#${md5('b\n')}
post-make-hook = \${:_profile_base_location_}/hook.py#${md5('def post_make_hook(options, buildout, env): pass\n')}:post_make_hook
[template-base]
recipe = slapos.recipe.template
url = \${:_profile_base_location_}/\${:filename}
output = \${buildout:directory}/\${:filename}
[one]
<= template-base
filename = one.in
md5sum = ${md5('one\n')}
`);
  assert.deepEqual((await findingsOf(dir)).findings, []);
});

test('an md5sum inherited from a macro is overridden in the part, never changed in the shared base', async () => {
  const dir = writeFixture(`
#- /software.cfg
[buildout]
parts = base-part child
[base-part]
recipe = slapos.recipe.template
url = \${:_profile_base_location_}/\${:filename}
filename = base.in
md5sum = {{md5 /base.in}}
output = \${buildout:directory}/\${:filename}
[child]
<= base-part
filename = child.in
#- /base.in
base
#- /child.in
child
`.replace('{{md5 /base.in}}', md5('base\n')));
  const { ws, findings } = await findingsOf(dir);
  assert.deepEqual(findings.map((f) => [f.code, f.range.start.line]), [['md5sum-mismatch', 6]]);
  const result = await runFix(findings[0], ws, path.join(dir, 'software.cfg'));
  assert.ok('edits' in result, JSON.stringify(result));
  applyToDisk(result.edits);
  assert.match(edited(dir, 'software.cfg'), new RegExp(`md5sum = ${md5('base\n')}\\n.*filename = child\\.in\\nmd5sum = ${md5('child\n')}\\n$`, 's'));
  assert.deepEqual((await findingsOf(dir)).findings, []);
});

test('an md5sum option left empty is filled in place', async () => {
  const dir = writeFixture(`
#- /software.cfg
[buildout]
parts = data
[data]
recipe = slapos.recipe.build:download
url = \${:_profile_base_location_}/data.txt
md5sum =
#- /data.txt
data
`);
  const { ws, findings } = await findingsOf(dir);
  assert.deepEqual(findings.map((f) => f.code), ['missing-md5sum']);
  const result = await runFix(findings[0], ws, path.join(dir, 'software.cfg'));
  assert.ok('edits' in result, JSON.stringify(result));
  applyToDisk(result.edits);
  assert.match(edited(dir, 'software.cfg'), new RegExp(`data\\.txt\\nmd5sum = ${md5('data\n')}\\n$`));
  assert.deepEqual((await findingsOf(dir)).findings, []);
});

test('the fix refuses to edit a file that changed since the check', async () => {
  const dir = writeFixture(`
#- /software.cfg
[buildout]
parts = instance
[instance]
recipe = slapos.recipe.template
url = \${:_profile_base_location_}/instance.cfg.in
md5sum = 00000000000000000000000000000000
output = \${buildout:directory}/instance.cfg
#- /instance.cfg.in
x
`);
  const { ws, findings } = await findingsOf(dir);
  const file = path.join(dir, 'software.cfg');
  ws.setOverlay(file, fs.readFileSync(file, 'utf8').replace('md5sum = 0000', 'md5sum = 1111'), 2);
  const result = await runFix(findings[0], ws, file);
  assert.ok('error' in result && /changed since it was checked/.test(result.error), JSON.stringify(result));
});

// ---- remote downloads through a real server on 127.0.0.1 ----

const payload = crypto.randomBytes(300 * 1024);
let requests = 0;
const sockets = new Set<net.Socket>();
const server = http.createServer((req, res) => {
  requests++;
  if (req.url === '/yasm.tar.gz') {
    res.writeHead(200, { 'content-length': String(payload.length) });
    // Several chunks, so progress is reported more than once.
    let sent = 0;
    const step = () => {
      if (sent >= payload.length) return res.end();
      res.write(payload.subarray(sent, sent + 64 * 1024));
      sent += 64 * 1024;
      setTimeout(step, 5);
    };
    step();
  } else if (req.url === '/silent.tar.gz') {
    // Never answers: the fix must give up after its timeout.
  } else if (req.url === '/short.tar.gz') {
    res.writeHead(200, { 'content-length': '100000' });
    res.write(Buffer.alloc(1000));
    setTimeout(() => res.socket?.destroy(), 20);
  } else if (req.url === '/slow.tar.gz') {
    res.writeHead(200, { 'content-length': '100000' });
    res.write(Buffer.alloc(10));
  } else {
    res.writeHead(404);
    res.end();
  }
});
server.on('connection', (s) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
const listening = new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port)));
after(() => { for (const s of sockets) s.destroy(); server.close(); });

async function remoteFinding(file: string) {
  const port = await listening;
  const dir = writeFixture(`
#- /software.cfg
[buildout]
parts = yasm
[yasm]
recipe = slapos.recipe.cmmi
url = http://127.0.0.1:${port}/${file}
`);
  const { ws, findings } = await findingsOf(dir);
  assert.equal(findings.length, 1);
  assert.equal(findings[0].code, 'missing-md5sum');
  return { dir, ws, finding: findings[0], root: path.join(dir, 'software.cfg'), port };
}

test('a remote tarball is downloaded with progress and its md5sum inserted after the url', async () => {
  const { dir, ws, finding, root, port } = await remoteFinding('yasm.tar.gz');
  const fix = fixFor('missing-md5sum')!;
  assert.equal(fix.online(finding), true);
  assert.equal(fix.title(finding), 'Download the file and add its md5sum');
  const messages: string[] = [];
  const result = await runFix(finding, ws, root, { progress: (m) => messages.push(m) });
  const text = edited(dir, 'software.cfg');
  const offset = text.indexOf('yasm.tar.gz') + 'yasm.tar.gz'.length;
  assert.deepEqual(result, { title: `Add md5sum: ${md5(payload)}`, edits: [{ file: root, start: offset, end: offset, newText: `\nmd5sum = ${md5(payload)}` }] });
  assert.equal(messages[0], `Downloading http://127.0.0.1:${port}/yasm.tar.gz`);
  assert.ok(messages.length >= 3, messages.join('\n'));
  assert.equal(messages[messages.length - 1], `Downloading http://127.0.0.1:${port}/yasm.tar.gz: 0.3 MiB of 0.3 MiB`);
});

test('with the network off the fix refuses with a clear error and sends no request', async () => {
  const { ws, finding, root } = await remoteFinding('yasm.tar.gz');
  const before = requests;
  const result = await runFix(finding, ws, root, { allowNetwork: false });
  assert.ok('error' in result);
  assert.match(result.error, /can only be computed by downloading it, and network access is turned off/);
  assert.equal(requests, before);
});

test('a server that never answers fails after the timeout', async () => {
  const { ws, finding, root, port } = await remoteFinding('silent.tar.gz');
  const started = Date.now();
  const result = await runFix(finding, ws, root, { timeoutMs: 300 });
  assert.deepEqual(result, { error: `Cannot download http://127.0.0.1:${port}/silent.tar.gz to compute its md5sum: http://127.0.0.1:${port}/silent.tar.gz: no answer within 300 ms` });
  assert.ok(Date.now() - started < 3000);
});

test('a body cut short is an error, never an md5sum of half a file', async () => {
  const { ws, finding, root, port } = await remoteFinding('short.tar.gz');
  const result = await runFix(finding, ws, root);
  assert.ok('error' in result, JSON.stringify(result));
  assert.match(result.error, new RegExp(`^Cannot download http://127\\.0\\.0\\.1:${port}/short\\.tar\\.gz to compute its md5sum: .*cut short`));
});

test('cancelling stops the download', async () => {
  const { ws, finding, root } = await remoteFinding('slow.tar.gz');
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 100);
  const result = await runFix(finding, ws, root, { signal: controller.signal, timeoutMs: 10000 });
  assert.deepEqual(result, { error: 'cancelled' });
});

test('an HTTP error is reported', async () => {
  const { ws, finding, root, port } = await remoteFinding('absent.tar.gz');
  const result = await runFix(finding, ws, root);
  assert.deepEqual(result, { error: `Cannot download http://127.0.0.1:${port}/absent.tar.gz to compute its md5sum: http://127.0.0.1:${port}/absent.tar.gz: HTTP 404` });
});
