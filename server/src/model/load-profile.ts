// Reads a root profile and its whole extends chain, and merges them the way SlapOS's buildout does:
// a depth-first post-order list of files, each kept at its first occurrence, folded with `_update`,
// over buildout's defaults. Missing files, cycles and unreadable URLs become Problems on the
// `extends` line that named them; the result says when the chain is incomplete.

import * as path from 'path';
import { ConfigData, SectionData, Value, updateConfig, BUILDOUT_DEFAULTS } from './config';
import { EffectiveConfig, chain } from './effective-config';
import { ExtendsEntry, dirnameOf } from './file-config';
import { excerpt } from '../syntax/excerpt';
import { Problem } from './problem';
import { Target } from './target';
import type { Workspace } from '../workspace/workspace';
import { canonical, isUrl } from '../workspace/workspace';

/** Where `name` (as written in `extends`) points, relative to the file that names it. */
export function resolveExtendsName(fromFile: string, name: string): string {
  if (isUrl(name)) return name;
  if (isUrl(fromFile)) return path.isAbsolute(name) ? name : `${dirnameOf(fromFile)}/${name}`;
  // os.path.join(base, name) keeps an absolute name as it is; path.join would append it to the base.
  if (path.isAbsolute(name)) return name;
  return path.join(path.dirname(fromFile), name);
}

/**
 * What the last merge of one root (for one target) leaves for the next, so that an edit re-merges only
 * from the first file that changed: the per-file inputs in merge order, and snapshots of the fold taken
 * every CHECKPOINT_STRIDE files and before the last file (the root, the file edited most).
 * Snapshots are shallow: section maps are never modified once built (see updateConfig).
 */
export interface MergeMemo {
  inputs: ConfigData[];
  /** Fold of inputs[0..i) for each key i. */
  checkpoints: Map<number, ConfigData>;
  /** What a section new to the fold became (shared by every merge of this root). */
  newSections: WeakMap<SectionData, SectionData>;
}

const CHECKPOINT_STRIDE = 16;

export function newMergeMemo(newSections: WeakMap<SectionData, SectionData> = new WeakMap()): MergeMemo {
  return { inputs: [], checkpoints: new Map(), newSections };
}

/** Folds the per-file configurations in order, starting from the latest still-valid checkpoint. */
function foldFiles(perFile: ConfigData[], memo: MergeMemo): ConfigData {
  let same = 0;
  while (same < perFile.length && same < memo.inputs.length && perFile[same] === memo.inputs[same]) same++;
  let from = 0;
  for (const at of memo.checkpoints.keys()) if (at <= same && at > from) from = at;
  for (const at of [...memo.checkpoints.keys()]) if (at > same) memo.checkpoints.delete(at);
  const merged: ConfigData = from ? new Map(memo.checkpoints.get(from)!) : new Map();
  for (let i = from; i < perFile.length; i++) {
    if (i > from && (i % CHECKPOINT_STRIDE === 0 || i === perFile.length - 1)) memo.checkpoints.set(i, new Map(merged));
    updateConfig(merged, perFile[i], memo.newSections);
  }
  memo.inputs = perFile;
  return merged;
}

export async function loadEffectiveConfig(ws: Workspace, root: string, target: Target, stamps: Map<string, number>, memo: MergeMemo = newMergeMemo()): Promise<EffectiveConfig> {
  const order: string[] = [];
  const done = new Set<string>();
  const problems: Problem[] = [];
  const perFile: ConfigData[] = [];
  let incomplete = false;

  // The depth-first walk keeps its own stack of open files instead of recursing, so a chain of any
  // length (a thousand files extending one another) cannot overflow the JavaScript stack.
  interface Frame { id: string; extends: readonly ExtendsEntry[]; targets: readonly string[]; next: number; sections: ConfigData }
  const stack: Frame[] = [];
  const onStack = new Set<string>();

  const open = async (file: string, from?: { file: string; start: number; end: number; name: string }): Promise<Frame | undefined> => {
    const id = canonical(file);
    if (onStack.has(id)) {
      const at = stack.findIndex((f) => f.id === id);
      const cycle = chain([...stack.slice(at).map((f) => f.id), id].map((f) => path.basename(f)));
      if (from) problems.push({ file: from.file, start: from.start, end: from.end, code: 'extends-cycle', severity: 'error', message: `\`extends\` forms a cycle (${cycle}); buildout stops with "Recursive file include".` });
      return undefined;
    }
    if (done.has(id)) return undefined;
    done.add(id);
    const text = isUrl(id) ? await ws.readRemote(id) : ws.readText(id);
    stamps.set(id, text.stamp);
    if (!('text' in text)) {
      incomplete = true;
      if (from) problems.push({ file: from.file, start: from.start, end: from.end, code: 'extends-unreadable', severity: text.kind === 'offline' ? 'information' : 'error', message: `Cannot read the extended profile ${excerpt(from.name)}: ${text.error}` });
      else problems.push({ file: id, start: 0, end: 0, code: 'extends-unreadable', severity: 'error', message: text.error });
      return undefined;
    }
    const syntax = ws.syntaxOf(id, text)!;
    for (const p of syntax.problems) problems.push({ file: id, start: p.start, end: p.end, code: 'syntax-error', severity: 'error', message: p.message });
    const fc = ws.fileConfigOf(id, text, target);
    for (const c of fc.conditionProblems) {
      problems.push({ file: id, start: c.section.conditionStart ?? c.section.nameStart, end: c.section.conditionEnd ?? c.section.nameEnd, code: 'unevaluable-condition', severity: 'information', message: `The condition of [${excerpt(c.section.name)}:${excerpt(c.section.condition ?? '')}] cannot be evaluated statically (${c.reason}); the section is treated as absent.` });
    }
    return { id, extends: fc.extends, targets: ws.extendsTargetsOf(id, fc), next: 0, sections: fc.sections };
  };

  const push = (frame: Frame | undefined) => { if (frame) { stack.push(frame); onStack.add(frame.id); } };
  push(await open(root));
  while (stack.length) {
    const top = stack[stack.length - 1];
    if (top.next < top.extends.length) {
      const i = top.next++;
      const ext = top.extends[i];
      push(await open(top.targets[i], { file: top.id, start: ext.start, end: ext.end, name: ext.name }));
      continue;
    }
    stack.pop();
    onStack.delete(top.id);
    order.push(top.id);
    perFile.push(top.sections);
  }

  const merged = foldFiles(perFile, memo);
  const defaults: SectionData = new Map();
  for (const [k, v] of Object.entries(BUILDOUT_DEFAULTS)) defaults.set(k, { value: v, origins: [{ file: '', operation: 'DEFAULT' }] });
  defaults.set('directory', { value: dirnameOf(canonical(root)), origins: [{ file: '', operation: 'DEFAULT' }] });
  const data: ConfigData = new Map([['buildout', defaults]]);
  updateConfig(data, merged, memo.newSections);
  const buildout = data.get('buildout')!;
  if (!buildout.has('versions')) {
    buildout.set('versions', { value: 'versions', origins: [{ file: '', operation: 'DEFAULT' }] } as Value);
    if (!data.has('versions')) data.set('versions', new Map());
  }
  return new EffectiveConfig(canonical(root), order, data, problems, incomplete);
}
