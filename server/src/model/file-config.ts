// Turns one parsed profile into buildout's per-file dictionary for a Target: conditional sections are
// evaluated (never executed), repeated sections merge into the first, repeated `+=` accumulate, and
// `${:_profile_base_location_}` becomes the file's directory as SlapOS's buildout does at parse time.
// The `extends` list is taken out here, as buildout pops it before merging.

import { ProfileSyntax, SectionSyntax, OptionSyntax, cookValue, normaliseValue } from '../syntax/parse-profile';
import { ConfigData, Origin, SectionData, Value } from './config';
import { evaluateCondition } from './conditions';
import { Target } from './target';

export interface ExtendsEntry {
  /** The name as written (relative path, absolute path or URL). */
  name: string;
  /** Offsets of the name in the file's text. */
  start: number;
  end: number;
}

export interface ConditionProblem { section: SectionSyntax; reason: string }

export interface FileConfig {
  file: string;
  sections: ConfigData;
  extends: ExtendsEntry[];
  conditionProblems: ConditionProblem[];
}

/** Directory part of a path or URL, unnormalised, as `os.path.dirname` or buildout's URL base. */
export function dirnameOf(file: string): string {
  const slash = file.lastIndexOf('/');
  return slash <= 0 ? (slash === 0 ? '/' : '.') : file.slice(0, slash);
}

const BASE_LOCATION = '${:_profile_base_location_}';

/**
 * Buildout's per-file dictionary for `target`. With `previous` (this file's configuration from an earlier
 * text, for the same target), every value whose text and origins did not change is the previous Value
 * object, and a section whose values all stayed is the previous section map: merges and checks built on
 * them recognise them as unchanged by identity.
 */
export function evaluateFile(file: string, syntax: ProfileSyntax, target: Target, previous?: FileConfig): FileConfig {
  const conditionProblems: ConditionProblem[] = [];
  const base = dirnameOf(file);
  let extendsOption: OptionSyntax | undefined;

  // The options of each section name, in order, over its unconditional and true conditional blocks.
  const written = new Map<string, OptionSyntax[]>();
  const all = syntax.sections;
  for (let si = 0; si < all.length; si++) {
    const section = all[si];
    if (section.condition !== undefined && section.condition !== '') {
      const result = evaluateCondition(section.condition, target);
      if (!result.known) { conditionProblems.push({ section, reason: result.reason }); continue; }
      if (!result.value) continue;
    }
    let list = written.get(section.name);
    if (!list) written.set(section.name, (list = []));
    const options = section.options;
    for (let oi = 0; oi < options.length; oi++) list.push(options[oi]);
  }
  const sections: ConfigData = new Map();
  written.forEach((options, name) => {
    const old = previous?.sections.get(name);
    // The common case after an edit elsewhere: the same option objects (moved or not) give the same section.
    if (old && name !== 'buildout' && writtenAlone(old, options)) sections.set(name, old);
    else sections.set(name, (old && name !== 'buildout' && rewrittenInPlace(file, base, old, options)) || sectionOf(file, base, options, old));
    if (name === 'buildout') for (let i = 0; i < options.length; i++) if (options[i].key === 'extends') extendsOption = options[i];
  });

  const extendsList: ExtendsEntry[] = [];
  const buildout = sections.get('buildout');
  const ext = buildout?.get('extends');
  if (buildout && ext) {
    // The section map may be shared with the previous configuration: take `extends` out of a copy.
    const withoutExtends = new Map(buildout);
    withoutExtends.delete('extends');
    const old = previous?.sections.get('buildout');
    sections.set('buildout', old && old.size === withoutExtends.size && sameEntries(old, withoutExtends) ? old : withoutExtends);
    const text = syntax.text;
    const located = ext.origins.map((o) => o.option!).filter(Boolean);
    // Every whitespace-delimited word of the option's lines, once: looking each name up here keeps a
    // 100,000-name `extends` linear (searching the lines again for each name took minutes).
    const words = new Map<string, number[]>();
    for (const opt of located) {
      for (const l of opt.lines) {
        const line = text.slice(l.start, l.end);
        for (const m of line.matchAll(/\S+/g)) {
          const list = words.get(m[0]);
          if (list) list.push(l.start + m.index); else words.set(m[0], [l.start + m.index]);
        }
      }
    }
    const taken = new Map<string, number>();
    const take = (word: string): number => {
      const list = words.get(word);
      if (!list) return -1;
      const i = taken.get(word) ?? 0;
      taken.set(word, i + 1);
      return list[Math.min(i, list.length - 1)];
    };
    let searches = 0;
    for (const name of ext.value.split(/\s+/).filter(Boolean)) {
      let start = take(name), end = start + name.length;
      if (start < 0 && name.startsWith(base)) {
        const written = BASE_LOCATION + name.slice(base.length);
        start = take(written);
        end = start + written.length;
      }
      // A name that is no word of the text as written (rare): search the lines, a bounded number of times.
      for (let i = 0; start < 0 && searches < 100 && i < located.length; i++) {
        searches++;
        for (const l of located[i].lines) {
          const at = findWord(text.slice(l.start, l.end), name);
          if (at >= 0) { start = l.start + at; end = start + name.length; break; }
        }
      }
      if (start < 0 && extendsOption) { start = extendsOption.valueStart; end = extendsOption.valueEnd; }
      if (start < 0) { start = 0; end = 0; }
      extendsList.push({ name, start, end: Math.max(start, end) });
    }
  }
  return { file, sections, extends: extendsList, conditionProblems };
}

/**
 * True when `old` (a section of the previous configuration) is what `options` give: plain `=` options,
 * the last of each key being the one that wrote its Value, keys in the order they first appear. Then
 * the section needs no rebuilding.
 */
function writtenAlone(old: SectionData, options: readonly OptionSyntax[]): boolean {
  if (old.size === options.length) {
    let i = 0;
    for (const [key, value] of old) {
      const option = options[i++];
      if (option.operator !== '=' || option.key !== key || value.origins.length !== 1 || value.origins[0].option !== option) return false;
    }
    return true;
  }
  // Repeated keys, as when [versions] and [versions:python3] are both true in one file.
  const seen = new Set<string>();
  const order = old.keys();
  let writers = 0;
  for (let i = 0; i < options.length; i++) {
    const option = options[i];
    const value = option.operator === '=' ? old.get(option.key) : undefined;
    if (!value || value.origins.length !== 1) return false;
    const writer = value.origins[0].option;
    // A later option of the same key overrides this one (options are in text order).
    if (writer === option) writers++;
    else if (!writer || writer.nameStart <= option.nameStart) return false;
    if (!seen.has(option.key)) {
      seen.add(option.key);
      if (order.next().value !== option.key) return false;
    }
  }
  return writers === old.size && seen.size === old.size;
}

/**
 * `old` with the Values of the options an edit rewrote replaced, when the section keeps its shape: the
 * same keys in the same order, each written with `=` (a key written again, as under a true
 * `[versions:python3]`, takes the last). Typing in one pin of a five-hundred-pin [versions] then makes
 * one Value, not five hundred; undefined when the shape changed (sectionOf then).
 */
function rewrittenInPlace(file: string, base: string, old: SectionData, options: readonly OptionSyntax[]): SectionData | undefined {
  // Each key's last writer, in the order keys first appear; the entries become Values in place.
  const writers = new Map<string, OptionSyntax | Value>();
  for (let i = 0; i < options.length; i++) {
    if (options[i].operator !== '=') return undefined;
    writers.set(options[i].key, options[i]);
  }
  if (writers.size !== old.size || !sameKeyOrder(old, writers)) return undefined;
  writers.forEach((writer, key) => {
    const option = writer as OptionSyntax;
    const before = old.get(key)!;
    if (before.origins.length === 1 && before.origins[0].option === option) { writers.set(key, before); return; }
    // As sectionOf makes the Value of a key's single definition.
    let text = option.normalised;
    if (text.includes(BASE_LOCATION)) text = text.split(BASE_LOCATION).join(base);
    writers.set(key, { value: text, origins: [{ file, option, operation: 'SET' }] });
  });
  return writers as SectionData;
}

/**
 * Buildout's dictionary for one section name of a file: repeated keys merge, `+=`/`-=` accumulate. With
 * `old`, every Value whose text and origins did not change is the old Value, and the old map itself when
 * all did. Plain index loops and forEach: this runs over every option of every file on a first check,
 * before the code is optimised, when for-of iterators allocate.
 */
function sectionOf(file: string, base: string, options: readonly OptionSyntax[], old: SectionData | undefined): SectionData {
  // Per key: the value as buildout's parser accumulates it, and every option that wrote it (the entry
  // becomes the Value itself once normalised). `operators` tells whether a `+=`/`-=` key exists.
  const entries = new Map<string, { value: string; origins: Origin[] }>();
  let operators = false;
  for (let oi = 0; oi < options.length; oi++) {
    const option = options[oi];
    const earlier = entries.get(option.key);
    if (option.operator !== '=' && earlier) {
      earlier.value = cookValue(option.firstValue, option.continuation, earlier.value);
      earlier.origins.push({ file, option, operation: 'SET' });
    } else {
      if (option.operator === '=') {
        if (operators) {
          entries.delete(`${option.key} +`);
          entries.delete(`${option.key} -`);
        }
      } else operators = true;
      // option.value is cookValue(firstValue, continuation): the value of a first definition.
      entries.set(option.key, { value: option.value, origins: [{ file, option, operation: 'SET' }] });
    }
  }
  let same = old !== undefined && old.size === entries.size;
  // Each entry becomes its Value in place (setting a key already there keeps the order): the entries
  // map is the section's map, not copied into another one.
  const data = entries as Map<string, { value: string; origins: Origin[] } | Value>;
  entries.forEach((e, key) => {
    // A single definition's normalised value is computed once per parse (shared by every target).
    const single = e.origins.length === 1 ? e.origins[0].option! : undefined;
    let value = single && single.value === e.value ? single.normalised : normaliseValue(e.value);
    if (value.includes(BASE_LOCATION)) value = value.split(BASE_LOCATION).join(base);
    const before = old?.get(key);
    if (before && sameValue(before, value, e.origins)) data.set(key, before);
    else { e.value = value; same = false; }
  });
  return same && sameKeyOrder(old!, data as SectionData) ? old! : (data as SectionData);
}

function sameValue(v: Value, value: string, origins: readonly Origin[]): boolean {
  if (v.value !== value || v.origins.length !== origins.length) return false;
  for (let i = 0; i < origins.length; i++) {
    const a = v.origins[i], b = origins[i];
    if (a.option !== b.option || a.operation !== b.operation || a.file !== b.file) return false;
  }
  return true;
}

function sameKeyOrder(a: ReadonlyMap<string, unknown>, b: ReadonlyMap<string, unknown>): boolean {
  const ka = a.keys();
  for (const k of b.keys()) if (ka.next().value !== k) return false;
  return true;
}

/** Same keys in the same order, each with the very same Value. */
function sameEntries(a: SectionData, b: SectionData): boolean {
  const ea = a.entries();
  for (const [k, v] of b) {
    const next = ea.next().value as [string, Value] | undefined;
    if (!next || next[0] !== k || next[1] !== v) return false;
  }
  return true;
}

/** Finds `word` in `line` as a whitespace-delimited token, or as a token suffix; -1 when absent. */
export function findWord(line: string, word: string): number {
  let from = 0;
  for (;;) {
    const at = line.indexOf(word, from);
    if (at < 0) return -1;
    const after = line.charAt(at + word.length);
    if (after === '' || /\s/.test(after)) return at;
    from = at + 1;
  }
}
