// Helpers for fix tests: write a profile tree into a temp dir, check it for real, run a registered fix
// on one of its findings, write the edits back and check again. Real files and a real NodeHost only.

import * as assert from 'assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { Workspace } from '../../server/src/workspace/workspace';
import { NodeHost } from '../../server/src/host/node-host';
import { Host } from '../../server/src/host/host';
import { checkProfile } from '../../server/src/check';
import { fixFor } from '../../server/src/fixes/index';
import { FixContext, FixResult } from '../../server/src/core/fix';
import { applyEdits, groupEdits } from '../../server/src/core/apply-edits';
import { Finding } from '../../server/src/core/finding';
import { CheckOptions } from '../../server/src/core/settings';

let treeCount = 0;

/** Writes `files` (relative names to texts) into a new directory under `base`. */
export function writeTree(base: string, files: Record<string, string>): string {
  const dir = path.join(base, `tree-${++treeCount}`);
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

export interface FixRun { ws: Workspace; root: string; finding: Finding; result: FixResult; ms: number }

/** Checks `rootName` in `dir`, takes its first finding with `code` and computes that code's fix for it. */
export async function runFix(dir: string, rootName: string, code: string, ctx: Partial<FixContext> = {}, host: Host = new NodeHost(), options: CheckOptions = {}): Promise<FixRun> {
  const ws = new Workspace(host);
  const root = path.join(dir, rootName);
  const checked = await checkProfile(ws, root, options);
  const finding = checked.findings.find((f) => f.code === code);
  assert.ok(finding, `no ${code} finding in ${rootName}: ${JSON.stringify(checked.findings.map((f) => f.message))}`);
  const started = Date.now();
  const result = await fixFor(code)!.compute(finding, { ws, config: checked.config, root, allowNetwork: true, timeoutMs: 10000, ...ctx });
  return { ws, root, finding, result, ms: Date.now() - started };
}

/** Writes the fix's edits to disk and returns the new texts by file name relative to `dir`. */
export function applyToDisk(dir: string, run: FixRun): Record<string, string> {
  assert.ok('edits' in run.result, 'error' in run.result ? run.result.error : '');
  const out: Record<string, string> = {};
  for (const [file, edits] of groupEdits(run.result.edits)) {
    const applied = applyEdits(fs.readFileSync(file, 'utf8'), edits);
    assert.ok('text' in applied);
    fs.writeFileSync(file, applied.text);
    out[path.relative(dir, file)] = applied.text;
  }
  return out;
}

/** The codes of every finding a fresh check of `rootName` gives. */
export async function codesAfter(dir: string, rootName: string, options: CheckOptions = {}): Promise<string[]> {
  const checked = await checkProfile(new Workspace(new NodeHost()), path.join(dir, rootName), options);
  return checked.findings.map((f) => f.code);
}
