// Reads a root profile and its whole extends chain, and merges them the way SlapOS's buildout does:
// a depth-first post-order list of files, each kept at its first occurrence, folded with `_update`,
// over buildout's defaults. Missing files, cycles and unreadable URLs become Problems on the
// `extends` line that named them; the result says when the chain is incomplete.
// `_update` merges each section independently of the others, so the fold is done per section, on
// demand, and a section whose per-file inputs are the very same objects as last time is not merged again.

import * as path from 'path';
import { ConfigData, SectionData, Value, BUILDOUT_DEFAULTS, newSection, updateSection, updateSectionInto } from './config';
import { ConfigMemo, EffectiveConfig, SectionSource, chain } from './effective-config';
import { FileConfig, dirnameOf } from './file-config';
import { ProfileSyntax, SectionSyntax } from '../syntax/parse-profile';
import { excerpt } from '../syntax/excerpt';
import { Problem } from './problem';
import { Target } from './target';
import { HeaderAt, sameItems } from './tracking';
import type { Workspace } from '../workspace/workspace';
import { canonical, isUrl, targetKey as targetKeyOf } from '../workspace/workspace';

/** Where `name` (as written in `extends`) points, relative to the file that names it. */
export function resolveExtendsName(fromFile: string, name: string): string {
  if (isUrl(name)) return name;
  if (isUrl(fromFile)) return path.isAbsolute(name) ? name : `${dirnameOf(fromFile)}/${name}`;
  // os.path.join(base, name) keeps an absolute name as it is; path.join would append it to the base.
  if (path.isAbsolute(name)) return name;
  return joinRelative(path.dirname(fromFile), name);
}

/**
 * `path.join(dir, name)` for a normalised absolute `dir`, without its general normalisation when `name` is
 * what profiles write (`../../stack/slapos.cfg`, `buildout.hash.cfg`): leading `..` and `.` segments, then
 * plain ones. Anything else (`a/../b`, `//`, a trailing `/`) goes to path.join.
 */
function joinRelative(dir: string, name: string): string {
  if (dir.charCodeAt(0) !== 47 || (dir.length > 1 && dir.charCodeAt(dir.length - 1) === 47) || dir.includes('//') || dir.includes('/.')) return path.join(dir, name);
  let at = 0;
  let end = dir.length;
  for (;;) {
    if (name.startsWith('../', at)) {
      at += 3;
      // `dir` starts with `/`, so there always is one to cut at; `..` of the root is the root.
      end = Math.max(0, dir.lastIndexOf('/', end - 1));
    } else if (name.startsWith('./', at)) at += 2;
    else break;
  }
  const rest = name.slice(at);
  if (rest === '' || rest.charCodeAt(0) === 47 || rest.charCodeAt(rest.length - 1) === 47 || rest.includes('//') || rest.includes('/.') || rest.startsWith('.')) return path.join(dir, name);
  const base = dir.slice(0, end);
  return base === '' || base === '/' ? `/${rest}` : `${base}/${rest}`;
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
  /** The last walk of the chain per target (see rewalk). */
  walks: Map<string, ChainWalk>;
  /** What the configurations of the root computed, per target (see EffectiveConfig). */
  configs: Map<string, ConfigMemo>;
}

/** Input lists remembered per section: enough for the targets a check alternates between. */
const REMEMBERED_PER_SECTION = 3;

export function newMergeMemo(single: WeakMap<SectionData, SectionData> = new WeakMap()): MergeMemo {
  return { sections: new Map(), single, buildout: [], walks: new Map(), configs: new Map() };
}

const DEFAULT_VERSIONS: Value = { value: 'versions', origins: [{ file: '', operation: 'DEFAULT' }] };
const NO_OPTIONS: SectionData = new Map();

/** The merged sections of one chain, each merged the first time it is asked for. */
class MergedSections implements SectionSource {
  private readonly merged = new Map<string, SectionData>();
  private readonly askedNames = new Set<string>();
  private buildout: MergeMemo['buildout'][number] | undefined;

  constructor(private readonly inputs: ByName<SectionData[]>, private readonly memo: MergeMemo, private readonly defaults: SectionData) {}

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

  asked(): Iterable<string> { return this.askedNames; }
  wasAsked(name: string): boolean { return this.askedNames.has(name); }

  /**
   * The names whose merged section may differ from `other`'s: none when both fold the same inputs, the
   * names an edit updated when these inputs were made from `other`'s, undefined when that is not known.
   * `buildout` (and so `versions`) is folded over defaults: callers compare those two anyway.
   */
  changedSince(other: SectionSource): readonly string[] | undefined {
    if (!(other instanceof MergedSections) || other.defaults !== this.defaults) return undefined;
    if (other.inputs === this.inputs) return NO_NAMES;
    const lineage = this.inputs.lineage;
    return lineage && lineage.from === other.inputs ? lineage.names : undefined;
  }

  get(name: string): SectionData | undefined {
    this.askedNames.add(name);
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
    if (remembered) for (const r of remembered) if (sameItems(r.inputs, inputs)) return r.merged;
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

function defaultsOf(memo: MergeMemo, root: string): SectionData {
  const directory = dirnameOf(root);
  if (memo.defaults?.directory === directory) return memo.defaults.section;
  const section: SectionData = new Map();
  for (const [k, v] of Object.entries(BUILDOUT_DEFAULTS)) section.set(k, { value: v, origins: [{ file: '', operation: 'DEFAULT' }] });
  section.set('directory', { value: directory, origins: [{ file: '', operation: 'DEFAULT' }] });
  memo.defaults = { directory, section };
  return section;
}

/** One readable file of a walked chain. */
interface ChainNode {
  id: string;
  stamp: number;
  syntax: ProfileSyntax;
  config: FileConfig;
  targets: string[];
  /** Its own syntax and condition problems. */
  problems: Problem[];
}

interface ChainWalk {
  /** Readable files in merge order (depth-first post-order, each once). */
  nodes: ChainNode[];
  /** The same in the order they were first visited (the order their problems are listed in). */
  visited: ChainNode[];
  /** Problems of the graph itself (cycles, unreadable files); the walk is not reused when there are any. */
  graphProblems: Problem[];
  /** Every file read, readable or not, with its stamp. */
  stamps: Map<string, number>;
  incomplete: boolean;
  /** A remote profile not downloaded yet: the walk stopped there. */
  remote?: string;
  /** The Workspace's change count when the stamps were taken (see rewalk). */
  changeCount: number;
  /** Where each file is in `visited` (the same in every rewalk of a walk), made when first needed. */
  positions?: Map<string, number>;
  /** The walk this one updates, and the nodes that changed (old, new): to update `inputs` cheaply. */
  from?: ChainWalk;
  changes?: [ChainNode, ChainNode][];
  /** Computed on first use: the files' sections by name in merge order, the files, the problems. */
  inputs?: ByName<SectionData[]>;
  headers?: ByName<HeaderAt[]>;
  /** Like from and changes, for `headers`. */
  headerFrom?: ChainWalk;
  headerChanges?: [ChainNode, ChainNode][];
  order?: string[];
  problems?: Problem[];
}

function fileProblems(id: string, syntax: ProfileSyntax, fc: FileConfig): Problem[] {
  const problems: Problem[] = [];
  for (const p of syntax.problems) problems.push({ file: id, start: p.start, end: p.end, code: 'syntax-error', severity: 'error', message: p.message });
  for (const c of fc.conditionProblems) {
    problems.push({ file: id, start: c.section.conditionStart ?? c.section.nameStart, end: c.section.conditionEnd ?? c.section.nameEnd, code: 'unevaluable-condition', severity: 'information', message: `The condition of [${excerpt(c.section.name)}:${excerpt(c.section.condition ?? '')}] cannot be evaluated statically (${c.reason}); the section is treated as absent.` });
  }
  return problems;
}

/**
 * Walks the extends chain synchronously (remote profiles must have been read already). The depth-first
 * walk keeps its own stack of open files instead of recursing, so a chain of any length (a thousand
 * files extending one another) cannot overflow the JavaScript stack.
 */
function walkChain(ws: Workspace, root: string, target: Target): ChainWalk {
  const walk: ChainWalk = { nodes: [], visited: [], graphProblems: [], stamps: new Map(), incomplete: false, changeCount: ws.changeCount };
  const done = new Set<string>();
  const problems = walk.graphProblems;
  interface Frame { node: ChainNode; next: number }
  const stack: Frame[] = [];
  const onStack = new Set<string>();

  /** The node of a file to descend into; undefined when there is none; false when a remote profile is not read yet. */
  const open = (file: string, from?: { file: string; start: number; end: number; name: string }): ChainNode | undefined | false => {
    const id = canonical(file);
    if (onStack.has(id)) {
      const at = stack.findIndex((f) => f.node.id === id);
      const cycle = chain([...stack.slice(at).map((f) => f.node.id), id].map((f) => path.basename(f)));
      if (from) problems.push({ file: from.file, start: from.start, end: from.end, code: 'extends-cycle', severity: 'error', message: `\`extends\` forms a cycle (${cycle}); buildout stops with "Recursive file include".` });
      return undefined;
    }
    if (done.has(id)) return undefined;
    let text;
    if (isUrl(id)) {
      text = ws.remoteText(id);
      if (!text) { walk.remote = id; return false; }
    } else text = ws.readText(id);
    done.add(id);
    walk.stamps.set(id, text.stamp);
    if (!('text' in text)) {
      walk.incomplete = true;
      if (from) problems.push({ file: from.file, start: from.start, end: from.end, code: 'extends-unreadable', severity: text.kind === 'offline' ? 'information' : 'error', message: `Cannot read the extended profile ${excerpt(from.name)}: ${text.error}` });
      else problems.push({ file: id, start: 0, end: 0, code: 'extends-unreadable', severity: 'error', message: text.error });
      return undefined;
    }
    const syntax = ws.syntaxOf(id, text)!;
    const fc = ws.fileConfigOf(id, text, target);
    const node: ChainNode = { id, stamp: text.stamp, syntax, config: fc, targets: ws.extendsTargetsOf(id, fc), problems: fileProblems(id, syntax, fc) };
    walk.visited.push(node);
    // Graph problems and file problems keep the order of a walk that lists them as it meets them.
    for (const p of node.problems) problems.push(p);
    return node;
  };

  const push = (node: ChainNode | undefined | false): boolean => {
    if (node === false) return false;
    if (node) { stack.push({ node, next: 0 }); onStack.add(node.id); }
    return true;
  };
  let complete = push(open(root));
  while (complete && stack.length) {
    const top = stack[stack.length - 1];
    const node = top.node;
    const extendsList = node.config.extends;
    if (top.next < extendsList.length) {
      const i = top.next++;
      const ext = extendsList[i];
      complete = push(open(node.targets[i], { file: node.id, start: ext.start, end: ext.end, name: ext.name }));
      continue;
    }
    stack.pop();
    onStack.delete(node.id);
    walk.nodes.push(node);
  }
  // Without graph problems, the list is exactly the file problems in visit order (which a reuse rebuilds).
  if (problems.every((p) => p.code !== 'extends-cycle' && p.code !== 'extends-unreadable')) walk.graphProblems = [];
  return walk;
}

/**
 * The previous walk again, when only the contents of its files changed (not their `extends`, and not
 * which of them can be read): the files whose stamp moved get their new configuration, the rest is kept.
 * Undefined when the chain may have changed shape: then it is walked again.
 */
function rewalk(ws: Workspace, last: ChainWalk, target: Target): ChainWalk | undefined {
  if (last.graphProblems.length || last.incomplete || last.remote) return undefined;
  let changed: Map<ChainNode, ChainNode> | undefined;
  const changeCount = ws.changeCount;
  const recent = ws.filesChangedSince(last.changeCount);
  let positions = last.positions;
  const check = (node: ChainNode): boolean => {
    if (ws.stampOf(node.id) === node.stamp || changed?.has(node)) return true;
    if (isUrl(node.id)) return false;
    const text = ws.readText(node.id);
    if (!('text' in text)) return false;
    const syntax = ws.syntaxOf(node.id, text)!;
    const fc = ws.fileConfigOf(node.id, text, target);
    const targets = ws.extendsTargetsOf(node.id, fc);
    if (!sameItems(targets, node.targets)) return false;
    (changed ??= new Map()).set(node, { id: node.id, stamp: text.stamp, syntax, config: fc, targets, problems: fileProblems(node.id, syntax, fc) });
    return true;
  };
  if (recent) {
    // Only the files changed since the last walk can have moved (typing changes one file of 250).
    if (recent.length && !positions) {
      positions = new Map();
      for (let i = 0; i < last.visited.length; i++) positions.set(last.visited[i].id, i);
    }
    for (const file of recent) {
      const at = positions!.get(file);
      if (at !== undefined && !check(last.visited[at])) return undefined;
    }
  } else for (const node of last.visited) if (!check(node)) return undefined;
  if (!changed) { last.changeCount = changeCount; last.positions = positions; return last; }
  const now = (n: ChainNode) => changed!.get(n) ?? n;
  const stamps = new Map(last.stamps);
  changed.forEach((n) => stamps.set(n.id, n.stamp));
  return {
    nodes: last.nodes.map(now), visited: last.visited.map(now), graphProblems: [], stamps, incomplete: false, changeCount, positions,
    // Only a previous walk whose lists were built is kept (so that walks never chain up).
    from: last.inputs ? last : undefined, changes: [...changed],
    headerFrom: last.headers ? last : undefined, headerChanges: [...changed], order: last.order,
  };
}

/** The files' sections by name, in merge order: updated from the previous walk when files kept their section names. */
function inputsOf(walk: ChainWalk): ByName<SectionData[]> {
  if (walk.inputs) return walk.inputs;
  const from = walk.from?.inputs;
  const changes = walk.changes;
  walk.from = walk.changes = undefined;
  if (from && changes) {
    const updates = new Map<string, SectionData[] | undefined>();
    let updated = true;
    for (const [a, b] of changes) {
      const before = a.config.sections, after = b.config.sections;
      if (before === after) continue;
      if (!sameKeys(before, after)) { updated = false; break; }
      for (const [name, section] of after) {
        const old = before.get(name)!;
        if (old === section) continue;
        // Lists are never modified once built (merges compare them with the lists they were made from).
        const list = (updates.get(name) ?? from.get(name)!).slice();
        list[list.indexOf(old)] = section;
        updates.set(name, list);
      }
    }
    // Only lists change here, never names: the names keep their order.
    if (updated) return (walk.inputs = from.with(updates));
  }
  const inputs = new Map<string, SectionData[]>();
  const nodes = walk.nodes;
  for (let i = 0; i < nodes.length; i++) {
    nodes[i].config.sections.forEach((section, name) => {
      const list = inputs.get(name);
      if (list) list.push(section);
      else inputs.set(name, [section]);
    });
  }
  return (walk.inputs = ByName.of(exactLists(inputs)));
}

function sameKeys(a: ConfigData, b: ConfigData): boolean {
  if (a.size !== b.size) return false;
  const ka = a.keys();
  for (const k of b.keys()) if (ka.next().value !== k) return false;
  return true;
}

export async function loadEffectiveConfig(ws: Workspace, root: string, target: Target, memo: MergeMemo = newMergeMemo()): Promise<{ config: EffectiveConfig; stamps: ReadonlyMap<string, number>; sameFiles: boolean }> {
  const walkKey = targetKeyOf(target);
  const last = memo.walks.get(walkKey);
  let walk = last && rewalk(ws, last, target);
  const sameFiles = !!walk;
  // The walk is synchronous; a remote profile met on the way is downloaded (or refused) and the walk redone.
  while (!walk || walk.remote) {
    if (walk?.remote) await ws.readRemote(walk.remote);
    walk = walkChain(ws, root, target);
  }
  memo.walks.set(walkKey, walk);
  const order = (walk.order ??= walk.nodes.map((n) => n.id));
  const problems = (walk.problems ??= walk.graphProblems.length ? walk.graphProblems : walk.visited.flatMap((n) => n.problems));
  const inputs = inputsOf(walk);
  const id = canonical(root);
  // The same list object while the chain is the same, so that results depending on it stay valid.
  const files = memo.files && sameItems(memo.files, order) ? memo.files : order;
  memo.files = files;
  let configMemo = memo.configs.get(walkKey);
  if (!configMemo) memo.configs.set(walkKey, (configMemo = new ConfigMemo()));
  // Listed when first asked: the configuration for the default target, which only tells the release's
  // Python, never asks, and an edit then updates one index instead of two.
  let index: ByName<HeaderAt[]> | undefined;
  const headers = (name: string): HeaderAt[] => (index ??= headerIndexOf(ws, walk)).get(name) ?? NO_HEADERS;
  const config = new EffectiveConfig(id, files, new MergedSections(inputs, memo, defaultsOf(memo, id)), problems, walk.incomplete, {
    tracker: ws.tracker, stampOf: (f) => ws.stampOf(f), memo: configMemo, headers,
    changes: { count: ws.changeCount, since: (count) => ws.filesChangedSince(count) },
  });
  return { config, stamps: walk.stamps, sameFiles };
}

const NO_SECTIONS: SectionSyntax[] = [];
const NO_NAMES: readonly string[] = [];

/**
 * A map by section name that is never modified: an edit makes a new one from the names it changes
 * (undefined: removed) over the same base, so that it does not copy the hundreds of names it keeps.
 * The changes are folded into a new base once they are many.
 */
export class ByName<V> {
  /** The map this one was made from by `with`, and the names it changed (one step back only: see `with`). */
  lineage: { from: ByName<V>; names: readonly string[] } | undefined;

  private constructor(private readonly base: Map<string, V>, private readonly changed: Map<string, V | undefined>) {}

  static of<V>(map: Map<string, V>): ByName<V> { return new ByName(map, new Map()); }

  get(name: string): V | undefined {
    return this.changed.size && this.changed.has(name) ? this.changed.get(name) : this.base.get(name);
  }

  has(name: string): boolean { return this.get(name) !== undefined; }

  /** The names in order: the base's, then names added since (a name removed and added again keeps its place). */
  keys(): string[] {
    const out: string[] = [];
    this.base.forEach((v, k) => { if (!this.changed.size || this.get(k) !== undefined) out.push(k); });
    this.changed.forEach((v, k) => { if (v !== undefined && !this.base.has(k)) out.push(k); });
    return out;
  }

  /** This map with `updates` applied (this one is left as it is). */
  with(updates: Map<string, V | undefined>): ByName<V> {
    if (updates.size === 0) return this;
    const changed = new Map(this.changed);
    updates.forEach((v, k) => changed.set(k, v));
    let out: ByName<V>;
    if (changed.size <= 64 && changed.size * 8 <= this.base.size) out = new ByName(this.base, changed);
    else {
      const base = new Map<string, V>();
      this.base.forEach((v, k) => { const now = changed.has(k) ? changed.get(k) : v; if (now !== undefined) base.set(k, now); });
      changed.forEach((v, k) => { if (v !== undefined && !base.has(k)) base.set(k, v); });
      out = ByName.of(base);
    }
    // Successive edits would otherwise chain every earlier map: this one forgets its own origin.
    this.lineage = undefined;
    out.lineage = { from: this, names: [...updates.keys()] };
    return out;
  }
}
const NO_HEADERS: HeaderAt[] = [];

/**
 * Every section header of the chain's files by name, in merge order. After an edit, only the names the
 * changed files write (before or after) are listed again: when a file still writes the same names the
 * same number of times (what typing does), its entries are swapped for the new parse's in place.
 */
function headerIndexOf(ws: Workspace, walk: ChainWalk): ByName<HeaderAt[]> {
  if (walk.headers) return walk.headers;
  const listFor = (name: string): HeaderAt[] => {
    const out: HeaderAt[] = [];
    for (const node of walk.nodes) for (const section of sectionsByName(ws, node.syntax).get(name) ?? NO_SECTIONS) out.push({ file: node.id, section });
    return out;
  };
  const from = walk.headerFrom?.headers;
  const changes = walk.headerChanges;
  walk.headerFrom = walk.headerChanges = undefined;
  if (from && changes) {
    const index = new Map<string, HeaderAt[] | undefined>();
    const current = (name: string) => (index.has(name) ? index.get(name) : from.get(name));
    for (const [a, b] of changes) {
      if (a.syntax === b.syntax) continue;
      const before = sectionsByName(ws, a.syntax), after = sectionsByName(ws, b.syntax);
      if (sameNameCounts(before, after)) {
        after.forEach((sections, name) => index.set(name, withFileSections(current(name)!, b.id, sections)));
        continue;
      }
      const names = new Set([...before.keys(), ...after.keys()]);
      for (const name of names) {
        const list = listFor(name);
        index.set(name, list.length ? list : undefined);
      }
    }
    return (walk.headers = from.with(index));
  }
  const index = new Map<string, HeaderAt[]>();
  const nodes = walk.nodes;
  for (let i = 0; i < nodes.length; i++) {
    const file = nodes[i].id;
    const sections = nodes[i].syntax.sections;
    for (let j = 0; j < sections.length; j++) {
      const section = sections[j];
      const list = index.get(section.name);
      if (list) list.push({ file, section });
      else index.set(section.name, [{ file, section }]);
    }
  }
  return (walk.headers = ByName.of(exactLists(index)));
}

/** The lists, kept for as long as the walk, as copies of their exact size (one grown by push has room for 16 more). */
function exactLists<T>(map: Map<string, T[]>): Map<string, T[]> {
  map.forEach((list, name) => { if (list.length > 1) map.set(name, list.slice()); });
  return map;
}

/** True when two parses write the same section names, each as many times. */
function sameNameCounts(a: Map<string, SectionSyntax[]>, b: Map<string, SectionSyntax[]>): boolean {
  if (a.size !== b.size) return false;
  for (const [name, list] of a) if (b.get(name)?.length !== list.length) return false;
  return true;
}

/** A copy of `list` whose entries for `file` (in the file's order) are `sections`, in that order. */
function withFileSections(list: readonly HeaderAt[], file: string, sections: readonly SectionSyntax[]): HeaderAt[] {
  const out = list.slice();
  let k = 0;
  for (let i = 0; i < out.length; i++) if (out[i].file === file) out[i] = { file, section: sections[k++] };
  return out;
}

/** A parse's sections by name, in order (memoised per parse). */
export function sectionsByName(ws: Workspace, syntax: ProfileSyntax): Map<string, SectionSyntax[]> {
  return ws.memo(syntax, 'sections-by-name', () => {
    const out = new Map<string, SectionSyntax[]>();
    for (const s of syntax.sections) {
      const list = out.get(s.name);
      if (list) list.push(s);
      else out.set(s.name, [s]);
    }
    return exactLists(out);
  });
}
