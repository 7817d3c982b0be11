// The digest cache: one read per file and stamp, a new read when the file is invalidated or a buffer
// is opened over it, a fresh read on request, and errors as values for missing files and folders.

import { test } from 'node:test';
import * as assert from 'assert/strict';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Workspace } from '../../../server/src/workspace/workspace';
import { NodeHost } from '../../../server/src/host/node-host';

class CountingHost extends NodeHost {
  reads = 0;
  override readFile(file: string) { this.reads++; return super.readFile(file); }
}

const hash = (algorithm: string, text: string) => crypto.createHash(algorithm).update(text).digest('hex');

test('digests are read once per stamp and follow invalidation, buffers and fresh reads', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bf-digests-'));
  try {
    const file = path.join(dir, 'template.in');
    fs.writeFileSync(file, 'one\n');
    const host = new CountingHost();
    const ws = new Workspace(host);
    assert.deepEqual(ws.digests.digest(file), { hex: hash('md5', 'one\n') });
    assert.deepEqual(ws.digests.digest(file), { hex: hash('md5', 'one\n') });
    assert.equal(host.reads, 1);
    assert.deepEqual(ws.digests.digest(file, 'sha512'), { hex: hash('sha512', 'one\n') });
    assert.equal(host.reads, 2);

    fs.writeFileSync(file, 'two\n');
    assert.deepEqual(ws.digests.digest(file), { hex: hash('md5', 'one\n') }, 'same stamp: the cached digest');
    assert.deepEqual(ws.digests.digest(file, 'md5', { fresh: true }), { hex: hash('md5', 'two\n') });
    ws.invalidate(file);
    fs.writeFileSync(file, 'three\n');
    assert.deepEqual(ws.digests.digest(file), { hex: hash('md5', 'three\n') });

    ws.setOverlay(file, 'unsaved\n', 1);
    assert.deepEqual(ws.digests.digest(file), { hex: hash('md5', 'unsaved\n') });
    ws.removeOverlay(file);
    assert.deepEqual(ws.digests.digest(file), { hex: hash('md5', 'three\n') });

    const missing = ws.digests.digest(path.join(dir, 'absent.in'));
    assert.ok('error' in missing && missing.kind === 'missing');
    const folder = ws.digests.digest(dir);
    assert.ok('error' in folder && folder.kind === 'directory');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
