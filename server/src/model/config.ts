// The data shapes of buildout's configuration: sections of options whose values remember where each
// piece came from (`Origin`), as `buildout annotate` shows them. Values are immutable; merging builds
// new ones, so a cached file result can be shared by every profile that extends it.

import { OptionSyntax } from '../syntax/parse-profile';

export interface Origin {
  /** Absolute path or URL of the profile that wrote this piece; '' for buildout's own defaults. */
  file: string;
  /** The option as written, for exact ranges; absent for defaults. */
  option?: OptionSyntax;
  operation: 'SET' | 'ADD' | 'REMOVE' | 'DEFAULT';
}

export interface Value {
  readonly value: string;
  /** The newest assignment followed by the `+=`/`-=` applied since, oldest first. */
  readonly origins: readonly Origin[];
}

/** Option key (possibly still `name +` / `name -` before merging) to value. */
export type SectionData = Map<string, Value>;
export type ConfigData = Map<string, SectionData>;

export function addToValue(base: Value, added: Value): Value {
  return { value: base.value.split('\n').concat(added.value.split('\n')).join('\n'), origins: [...base.origins, ...added.origins.map((o) => ({ ...o, operation: 'ADD' as const }))] };
}

export function removeFromValue(base: Value, removed: Value): Value {
  const drop = new Set(removed.value.split('\n'));
  return { value: base.value.split('\n').filter((v) => !drop.has(v)).join('\n'), origins: [...base.origins, ...removed.origins.map((o) => ({ ...o, operation: 'REMOVE' as const }))] };
}

const IMPLICIT: Value = { value: '', origins: [] };

function baseKey(k: string, op: '+' | '-'): string {
  let end = k.length;
  while (end > 0 && (k[end - 1] === ' ' || k[end - 1] === op)) end--;
  return k.slice(0, end);
}

/** zc.buildout's `_update_section`: s2 overrides s1, after applying s2's `+=`/`-=` to what s1 (or s2) holds. */
export function updateSection(s1: SectionData, s2In: SectionData): SectionData {
  return applySection(copySection(s1), s1, s2In);
}

/**
 * A copy of a section. forEach rather than `new Map(s)`: merges run over every section of a chain on a
 * first check, before the code is optimised, when iterators allocate an object per entry.
 */
export function copySection(s: SectionData): SectionData {
  const copy: SectionData = new Map();
  s.forEach((v, k) => copy.set(k, v));
  return copy;
}

function hasOperators(s: SectionData): boolean {
  let operators = false;
  s.forEach((_, k) => { const c = k.charCodeAt(k.length - 1); if (c === 43 || c === 45) operators = true; });
  return operators;
}

/**
 * The same as `updateSection`, into `acc` itself: for a merge that owns its accumulator (a map nobody
 * else holds yet), which saves a copy of the whole section per file.
 */
export function updateSectionInto(acc: SectionData, s2In: SectionData): SectionData {
  return applySection(acc, acc, s2In);
}

function applySection(result: SectionData, s1: SectionData, s2In: SectionData): SectionData {
  // Most sections have no `+=`/`-=`: then s2 simply overrides s1, in s2's order (the general case below
  // gives the same result, after a copy and a sort this skips).
  if (!hasOperators(s2In)) {
    s2In.forEach((v, k) => result.set(k, v));
    return result;
  }
  // Everything is read from s1 before anything is written to result (they may be the same map).
  const s2 = copySection(s2In);
  const keys = [...s2.keys()].sort((a, b) => cmpTuple(sortKey(a), sortKey(b)));
  for (const k of keys) {
    const v = s2.get(k)!;
    if (k.endsWith('+')) {
      const key = baseKey(k, '+');
      s2.set(key, addToValue(s2.get(key) ?? s1.get(key) ?? IMPLICIT, v));
      s2.delete(k);
    } else if (k.endsWith('-')) {
      const key = baseKey(k, '-');
      s2.set(key, removeFromValue(s2.get(key) ?? s1.get(key) ?? IMPLICIT, v));
      s2.delete(k);
    }
  }
  s2.forEach((v, k) => result.set(k, v));
  return result;
}

function sortKey(k: string): [string, string] {
  let end = k.length;
  while (end > 0 && (k[end - 1] === ' ' || k[end - 1] === '+')) end--;
  return [k.slice(0, end), k.slice(-1)];
}

function cmpTuple(a: [string, string], b: [string, string]): number {
  if (a[0] !== b[0]) return a[0] < b[0] ? -1 : 1;
  return a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0;
}

/**
 * What a section becomes the first time the merge meets it (zc.buildout's `_update`, as in 3.1, which
 * the SlapOS fork follows, for a section d1 does not have yet): its lone `+=` turns into `=` and its lone
 * `-=` into an empty value; a section that uses `<=` macros is kept raw until the macro is expanded.
 * Returns a new map; `s2` is not modified.
 */
export function newSection(s2: SectionData): SectionData {
  const temp = copySection(s2);
  if (s2.has('<') || !hasOperators(s2)) return temp;
  for (const k of [...temp.keys()].sort()) {
    const v = temp.get(k)!;
    if (k.endsWith('+')) {
      const key = baseKey(k, '+');
      if (!temp.has(key)) { temp.set(key, { value: v.value, origins: v.origins }); temp.delete(k); }
    } else if (k.endsWith('-')) {
      const key = baseKey(k, '-');
      if (!temp.has(key)) { temp.set(key, removeFromValue(v, v)); temp.delete(k); }
    }
  }
  return updateSection(new Map(), temp);
}

/**
 * zc.buildout's `_update`: merges d2 into d1 in place, section by section (each section merges
 * independently of the others, which load-profile.ts relies on to merge only the sections that changed).
 */
export function updateConfig(d1: ConfigData, d2: ConfigData): void {
  for (const [name, s2] of d2) {
    const s1 = d1.get(name);
    d1.set(name, s1 ? updateSection(s1, s2) : newSection(s2));
  }
}

/** The options every `[buildout]` section has before any profile is read (zc.buildout's defaults). */
export const BUILDOUT_DEFAULTS: Record<string, string> = {
  'allow-hosts': '*', 'allow-picked-versions': 'true', 'bin-directory': 'bin', 'develop-eggs-directory': 'develop-eggs',
  'eggs-directory': 'eggs', 'eggs-directory-version': 'v5', executable: '/usr/bin/python3', 'find-links': '',
  'install-from-cache': 'false', installed: '.installed.cfg', 'log-format': '', 'log-level': 'INFO', newest: 'true',
  offline: 'false', 'parts-directory': 'parts', 'prefer-final': 'true', python: 'buildout', 'show-picked-versions': 'false',
  'socket-timeout': '', 'update-versions-file': '', 'use-dependency-links': 'true', 'allow-unknown-extras': 'false',
};
