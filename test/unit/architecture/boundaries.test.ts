// Keeps ARCHITECTURE.md true to the code: every folder of server/src is described there, only lsp/
// speaks LSP, only cli/ prints or exits, and the client knows nothing of the core but protocol.ts.

import { test } from 'node:test';
import * as assert from 'assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { REPO_ROOT } from '../../harness/corpus';

const SRC = path.join(REPO_ROOT, 'server', 'src');

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...sources(p));
    else if (e.name.endsWith('.ts')) out.push(p);
  }
  return out;
}

const rel = (p: string) => path.relative(REPO_ROOT, p).split(path.sep).join('/');

test('every folder of server/src is described in ARCHITECTURE.md', () => {
  const doc = fs.readFileSync(path.join(REPO_ROOT, 'ARCHITECTURE.md'), 'utf8');
  const folders = fs.readdirSync(SRC, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => `server/src/${e.name}/`);
  assert.deepEqual(folders.filter((f) => !doc.includes('`' + f)), []);
});

test('only server/src/lsp imports vscode-languageserver', () => {
  const offenders = sources(SRC).filter((f) => !rel(f).startsWith('server/src/lsp/') && /from '(vscode-languageserver|vscode-jsonrpc)/.test(fs.readFileSync(f, 'utf8')));
  assert.deepEqual(offenders.map(rel), []);
});

test('only server/src/cli prints or exits', () => {
  const offenders = sources(SRC).filter((f) => !rel(f).startsWith('server/src/cli/') && /(?<![\w.])(console\.(log|error|warn)|process\.(stdout|stderr)\.write|process\.exit)\b/.test(fs.readFileSync(f, 'utf8')));
  assert.deepEqual(offenders.map(rel), []);
});

test('the client imports nothing of the server but protocol.ts', () => {
  const client = sources(path.join(REPO_ROOT, 'client', 'src'));
  const offenders = client.filter((f) => [...fs.readFileSync(f, 'utf8').matchAll(/from '([^']+)'/g)].some((m) => m[1].includes('server/src') && !m[1].endsWith('server/src/protocol')));
  assert.deepEqual(offenders.map(rel), []);
});
