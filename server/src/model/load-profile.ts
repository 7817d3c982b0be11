// Reads a root profile and its whole extends chain, and merges them the way SlapOS's buildout does:
// a depth-first post-order list of files, each kept at its first occurrence, folded with `_update`,
// over buildout's defaults. Missing files, cycles and unreadable URLs become Problems on the
// `extends` line that named them; the result says when the chain is incomplete.
// `_update` merges each section independently of the others, so the fold is done per section, on
// demand, and a section whose per-file inputs are the very same objects as last time is not merged again.

import * as path from 'path';
import { ConfigData, SectionData, Value, BUILDOUT_DEFAULTS, newSection, updateSection, updateSectionInto } from './config';
import { EffectiveConfig, SectionSource } from './effective-config';
import { dirnameOf } from './file-config';
import { Problem } from './problem';
import { Target } from './target';
import type { Workspace } from '../workspace/workspace';
import { canonical, isUrl } from '../workspace/workspace';

/** Where `name` (as written in `extends`) points, relative to the file that names it. */
export function resolveExtendsName(fromFile: string, name: string): string {
  if (isUrl(name)) return name;
  if (isUrl(fromFile)) return path.isAbsolute(name) ? name : `${dirnameOf(fromFile)}/${name}`;
  return path.join(path.dirname(fromFile), name);
}

/**
 * What the merges of one root leave for the next (for every target: a file without conditional sections
 * has the same per-file configuration for all of them), so an edit merges again only the sections that
 * changed: each section's per-file inputs and the merged result, for the last few input lists.
 */
export interface MergeMemo {
  sections: Map<string, { inputs: SectionData[]; merged: SectionData }[]>;
  /** What a section written by one file only became (shared by every root: keyed by that file's section). */
  single: WeakMap<SectionData, SectionData>;
  defaults?: { directory: string; section: SectionData };
  buildout: { defaults: SectionData; merged: SectionData | undefined; result: SectionData; addsVersions: boolean }[];
  files?: string[];
}

/** Input lists remembered per section: enough for the targets a check alternates between. */
const REMEMBERED_PER_SECTION = 3;

export function newMergeMemo(single: WeakMap<SectionData, SectionData> = new WeakMap()): MergeMemo {
  return { sections: new Map(), single, buildout: [] };
}

const DEFAULT_VERSIONS: Value = { value: 'versions', origins: [{ file: '', operation: 'DEFAULT' }] };
const NO_OPTIONS: SectionData = new Map();

/** The merged sections of one chain, each merged the first time it is asked for. */
class MergedSections implements SectionSource {
  private readonly merged = new Map<string, SectionData>();
  private buildout: MergeMemo['buildout'][number] | undefined;

  constructor(private readonly inputs: Map<string, SectionData[]>, private readonly memo: MergeMemo, private readonly defaults: SectionData) {}

  names(): string[] {
    const names = ['buildout'];
    for (const name of this.inputs.keys()) if (name !== 'buildout') names.push(name);
    if (this.finalBuildout().addsVersions) names.push('versions');
    return names;
  }

  has(name: string): boolean {
    if (this.inputs.has(name) || name === 'buildout') return true;
    return name === 'versions' && this.finalBuildout().addsVersions;
  }

  get(name: string): SectionData | undefined {
    if (name === 'buildout') return this.finalBuildout().result;
    const done = this.merged.get(name);
    if (done) return done;
    const inputs = this.inputs.get(name);
    if (!inputs) return name === 'versions' && this.finalBuildout().addsVersions ? NO_OPTIONS : undefined;
    const result = this.merge(name, inputs);
    this.merged.set(name, result);
    return result;
  }

  /**
   * The files' sections folded in order. The result is never modified afterwards and is shared by later
   * merges whose inputs are the same objects (a merged section needs no second `_update` over an empty
   * configuration: that only copies it).
   */
  private merge(name: string, inputs: SectionData[]): SectionData {
    if (inputs.length === 1) {
      let result = this.memo.single.get(inputs[0]);
      if (!result) { result = newSection(inputs[0]); this.memo.single.set(inputs[0], result); }
      return result;
    }
    const remembered = this.memo.sections.get(name);
    if (remembered) for (const r of remembered) if (sameList(r.inputs, inputs)) return r.merged;
    // The accumulator belongs to this merge until it is returned, so it is updated in place.
    const acc = newSection(inputs[0]);
    for (let i = 1; i < inputs.length; i++) updateSectionInto(acc, inputs[i]);
    const list = remembered ?? [];
    list.unshift({ inputs, merged: acc });
    if (list.length > REMEMBERED_PER_SECTION) list.pop();
    if (!remembered) this.memo.sections.set(name, list);
    return acc;
  }

  /** `[buildout]` over buildout's defaults, with the default `versions = versions` (and an empty [versions]). */
  private finalBuildout(): { result: SectionData; addsVersions: boolean } {
    if (this.buildout) return this.buildout;
    const inputs = this.inputs.get('buildout');
    const merged = inputs ? this.merge('buildout', inputs) : undefined;
    for (const last of this.memo.buildout) if (last.defaults === this.defaults && last.merged === merged) return (this.buildout = last);
    const result = merged ? updateSection(this.defaults, merged) : new Map(this.defaults);
    let addsVersions = false;
    if (!result.has('versions')) {
      result.set('versions', DEFAULT_VERSIONS);
      addsVersions = !this.inputs.has('versions');
    }
    this.buildout = { defaults: this.defaults, merged, result, addsVersions };
    this.memo.buildout.unshift(this.buildout);
    if (this.memo.buildout.length > REMEMBERED_PER_SECTION) this.memo.buildout.pop();
    return this.buildout;
  }
}

function sameList<T>(a: readonly T[], b: readonly T[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function defaultsOf(memo: MergeMemo, root: string): SectionData {
  const directory = dirnameOf(root);
  if (memo.defaults?.directory === directory) return memo.defaults.section;
  const section: SectionData = new Map();
  for (const [k, v] of Object.entries(BUILDOUT_DEFAULTS)) section.set(k, { value: v, origins: [{ file: '', operation: 'DEFAULT' }] });
  section.set('directory', { value: directory, origins: [{ file: '', operation: 'DEFAULT' }] });
  memo.defaults = { directory, section };
  return section;
}

interface ChainWalk {
  order: string[];
  perFile: ConfigData[];
  problems: Problem[];
  incomplete: boolean;
  /** A remote profile not downloaded yet: the walk stopped there. */
  remote?: string;
}

/** Walks the extends chain synchronously (remote profiles must have been read already). */
function walkChain(ws: Workspace, root: string, target: Target, stamps: Map<string, number>): ChainWalk {
  const walk: ChainWalk = { order: [], perFile: [], problems: [], incomplete: false };
  const done = new Set<string>();
  const stack: string[] = [];
  const problems = walk.problems;

  const visit = (file: string, from?: { file: string; start: number; end: number; name: string }): boolean => {
    const id = canonical(file);
    if (stack.includes(id)) {
      const cycle = [...stack.slice(stack.indexOf(id)), id].map((f) => path.basename(f)).join(' → ');
      if (from) problems.push({ file: from.file, start: from.start, end: from.end, code: 'extends-cycle', severity: 'error', message: `\`extends\` forms a cycle (${cycle}); buildout stops with "Recursive file include".` });
      return true;
    }
    if (done.has(id)) return true;
    let text;
    if (isUrl(id)) {
      text = ws.remoteText(id);
      if (!text) { walk.remote = id; return false; }
    } else text = ws.readText(id);
    done.add(id);
    stamps.set(id, text.stamp);
    if (!('text' in text)) {
      walk.incomplete = true;
      if (from) problems.push({ file: from.file, start: from.start, end: from.end, code: 'extends-unreadable', severity: text.kind === 'offline' ? 'information' : 'error', message: `Cannot read the extended profile ${from.name}: ${text.error}` });
      else problems.push({ file: id, start: 0, end: 0, code: 'extends-unreadable', severity: 'error', message: text.error });
      return true;
    }
    const syntax = ws.syntaxOf(id, text)!;
    for (const p of syntax.problems) problems.push({ file: id, start: p.start, end: p.end, code: 'syntax-error', severity: 'error', message: p.message });
    const fc = ws.fileConfigOf(id, text, target);
    for (const c of fc.conditionProblems) {
      problems.push({ file: id, start: c.section.conditionStart ?? c.section.nameStart, end: c.section.conditionEnd ?? c.section.nameEnd, code: 'unevaluable-condition', severity: 'information', message: `The condition of [${c.section.name}:${c.section.condition}] cannot be evaluated statically (${c.reason}); the section is treated as absent.` });
    }
    stack.push(id);
    const targets = ws.extendsTargetsOf(id, fc);
    for (let i = 0; i < fc.extends.length; i++) {
      const ext = fc.extends[i];
      if (!visit(targets[i], { file: id, start: ext.start, end: ext.end, name: ext.name })) return false;
    }
    stack.pop();
    walk.order.push(id);
    walk.perFile.push(fc.sections);
    return true;
  };
  visit(root);
  return walk;
}

export async function loadEffectiveConfig(ws: Workspace, root: string, target: Target, stamps: Map<string, number>, memo: MergeMemo = newMergeMemo(), previous?: EffectiveConfig): Promise<EffectiveConfig> {
  let walk: ChainWalk;
  // The walk is synchronous; a remote profile met on the way is downloaded (or refused) and the walk redone.
  for (;;) {
    stamps.clear();
    walk = walkChain(ws, root, target, stamps);
    if (!walk.remote) break;
    await ws.readRemote(walk.remote);
  }
  const inputs = new Map<string, SectionData[]>();
  for (const sections of walk.perFile) {
    for (const [name, section] of sections) {
      const list = inputs.get(name);
      if (list) list.push(section);
      else inputs.set(name, [section]);
    }
  }
  const id = canonical(root);
  // The same list object while the chain is the same, so that results depending on it stay valid.
  const files = memo.files && sameList(memo.files, walk.order) ? memo.files : walk.order;
  memo.files = files;
  return new EffectiveConfig(id, files, new MergedSections(inputs, memo, defaultsOf(memo, id)), walk.problems, walk.incomplete, {
    tracker: ws.tracker, stampOf: (f) => ws.stampOf(f), previous,
  });
}
