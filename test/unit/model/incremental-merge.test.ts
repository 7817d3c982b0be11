// The merge memo (prefix checkpoints, shared new-section results, target-independent file configs) must
// give exactly what a fresh merge gives, whatever file of the chain an edit touches.

import { test } from 'node:test';
import * as assert from 'assert/strict';
import * as fs from 'fs';
import { Workspace } from '../../../server/src/workspace/workspace';
import { NodeHost } from '../../../server/src/host/node-host';
import { loadForTarget } from '../../../server/src/check';
import { EffectiveConfig } from '../../../server/src/model/effective-config';

const ROOT = '/work/shared/corpus/slapos/software/erp5/software.cfg';

function dump(config: EffectiveConfig): string {
  const out: string[] = [];
  for (const [name, section] of config.data) {
    for (const [key, v] of section) out.push(`[${name}] ${key} = ${JSON.stringify(v.value)} <- ${v.origins.map((o) => `${o.operation}:${o.file}:${o.option?.valueStart ?? ''}`).join(' ')}`);
  }
  return out.join('\n') + `\nfiles: ${config.files.join(' ')}\nproblems: ${JSON.stringify(config.problems)}`;
}

test('incremental merges equal fresh merges after edits anywhere in the erp5 chain', { skip: !fs.existsSync(ROOT) }, async () => {
  const host = new NodeHost();
  const ws = new Workspace(host);
  const first = await loadForTarget(ws, ROOT, {});
  const files = first.config.files;
  // The root (last), a file in the middle, the first file, then a structural edit (a new section and an
  // `extends` removed) and the root again.
  const edits: [string, (t: string) => string][] = [
    [files[files.length - 1], (t) => t + '\n[added-by-test]\nx = 1\n'],
    [files[Math.floor(files.length / 2)], (t) => t + '\n[versions]\nadded-by-test = 1.0\n'],
    [files[0], (t) => t.replace(/\n/, '\n# moved\n')],
    [files[files.length - 1], (t) => t.replace(/^extends =[^\n]*\n/m, 'extends =\n')],
    [files[files.length - 1], (t) => t + '\n[buildout]\nparts += added-by-test\n'],
  ];
  const overlays = new Map<string, string>();
  let version = 1;
  for (const [file, edit] of edits) {
    const text = edit(overlays.get(file) ?? fs.readFileSync(file, 'utf8'));
    overlays.set(file, text);
    ws.setOverlay(file, text, version++);
    const fresh = new Workspace(host);
    for (const [f, t] of overlays) fresh.setOverlay(f, t, 1);
    const incremental = await loadForTarget(ws, ROOT, {});
    const expected = await loadForTarget(fresh, ROOT, {});
    assert.deepEqual(incremental.target, expected.target);
    assert.equal(dump(incremental.config), dump(expected.config), `after editing ${file}`);
  }
});
