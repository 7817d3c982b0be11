// `buildout-freeze freeze`: plans the freeze of a profile and prints it as a unified diff, or writes
// every changed file atomically with --write. Uses the same planner as the editor's "Freeze this profile".

import * as fs from 'fs';
import * as path from 'path';
import { parseArgs } from 'util';
import { createTwoFilesPatch } from 'diff';
import { Workspace, canonical } from '../workspace/workspace';
import { NodeHost } from '../host/node-host';
import { planFreeze, PastePlanner } from '../freeze/plan-freeze';
import { applyEdits, groupEdits } from '../core/apply-edits';
import { pasteVersionsForFreeze } from '../fixes/paste-versions';

export let pastePlanner: PastePlanner | undefined = pasteVersionsForFreeze;
export function setPastePlanner(p: PastePlanner): void { pastePlanner = p; }

export async function runFreezeCommand(args: string[], errors: { fail(m: string): never; io(m: string): never }): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: {
    versions: { type: 'string' }, write: { type: 'boolean' }, network: { type: 'boolean' }, timeout: { type: 'string' },
    python: { type: 'string' }, platform: { type: 'string' },
  } });
  if (positionals.length !== 1) errors.fail('freeze needs exactly one PROFILE');
  const profile = positionals[0];
  if (!fs.existsSync(profile) || fs.statSync(profile).isDirectory()) errors.io(`${profile}: no such profile file`);
  let picked: string | undefined;
  if (values.versions !== undefined) {
    try { picked = values.versions === '-' ? fs.readFileSync(0, 'utf8') : fs.readFileSync(values.versions, 'utf8'); } catch (e) { errors.io(`cannot read --versions ${values.versions}: ${(e as Error).message}`); }
  }
  const timeout = values.timeout !== undefined ? Number(values.timeout) : 30;
  if (!Number.isFinite(timeout) || timeout <= 0) errors.fail(`--timeout takes a number of seconds, not ${values.timeout}`);
  const host = new NodeHost();
  const ws = new Workspace(host, { allowNetwork: Boolean(values.network), downloadTimeoutMs: timeout * 1000 });
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());
  const plan = await planFreeze(ws, canonical(profile), { python: values.python, platform: values.platform }, {
    allowNetwork: Boolean(values.network), timeoutMs: timeout * 1000, signal: controller.signal,
    progress: (m) => process.stderr.write(`… ${m}\n`),
  }, picked, pastePlanner);
  const cwd = process.cwd();
  const outputs: { file: string; before: string; after: string }[] = [];
  for (const [file, edits] of groupEdits(plan.edits)) {
    const current = ws.readText(file);
    if (!('text' in current)) errors.io(`cannot read ${file}: ${current.error}`);
    const applied = applyEdits(current.text, edits);
    if ('error' in applied) errors.io(`cannot apply the freeze to ${file}: ${applied.error}`);
    outputs.push({ file, before: current.text, after: applied.text });
  }
  if (values.write) {
    // Nothing is written if any file changed since it was read for planning; if one write fails, the files
    // already written get their previous text back, so the freeze lands whole or not at all.
    for (const o of outputs) {
      const now = host.readFile(o.file);
      if (!(now instanceof Uint8Array) || Buffer.from(now).toString('utf8') !== o.before) errors.io(`${path.relative(cwd, o.file)} changed while the freeze was planned; nothing was written`);
    }
    const written: typeof outputs = [];
    for (const o of outputs) {
      const err = host.writeFileAtomic(o.file, o.after);
      if (err) {
        const restored = written.filter((w) => !host.writeFileAtomic(w.file, w.before)).map((w) => path.relative(cwd, w.file));
        errors.io(`${err.error}; ${restored.length ? `restored ${restored.join(', ')}; ` : ''}nothing of the freeze is left written`);
      }
      written.push(o);
    }
    for (const o of written) process.stderr.write(`wrote ${path.relative(cwd, o.file)}\n`);
  } else {
    for (const o of outputs) {
      const name = path.relative(cwd, o.file);
      process.stdout.write(createTwoFilesPatch(`a/${name}`, `b/${name}`, o.before, o.after, undefined, undefined, { context: 3 }));
    }
  }
  for (const c of plan.summary.changed) process.stderr.write(`changed: ${c}\n`);
  for (const b of plan.summary.blocking) process.stderr.write(`still blocking: ${b}\n`);
  process.stderr.write(`${plan.summary.changed.length} change(s), ${plan.summary.blocking.length} finding(s) still blocking the release\n`);
  return plan.summary.blocking.length ? 1 : 0;
}
