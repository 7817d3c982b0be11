// Turns one parsed profile into buildout's per-file dictionary for a Target: conditional sections are
// evaluated (never executed), repeated sections merge into the first, repeated `+=` accumulate, and
// `${:_profile_base_location_}` becomes the file's directory as SlapOS's buildout does at parse time.
// The `extends` list is taken out here, as buildout pops it before merging.

import { ProfileSyntax, SectionSyntax, OptionSyntax, cookValue, normaliseValue } from '../syntax/parse-profile';
import { ConfigData, SectionData, Value } from './config';
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

export function evaluateFile(file: string, syntax: ProfileSyntax, target: Target): FileConfig {
  const sections: ConfigData = new Map();
  const conditionProblems: ConditionProblem[] = [];
  const raw = new Map<SectionData, Map<string, { first: string; cont: string[]; value: string; option: OptionSyntax }>>();
  const base = dirnameOf(file);
  let extendsOption: OptionSyntax | undefined;

  for (const section of syntax.sections) {
    if (section.condition !== undefined && section.condition !== '') {
      const result = evaluateCondition(section.condition, target);
      if (!result.known) { conditionProblems.push({ section, reason: result.reason }); continue; }
      if (!result.value) continue;
    }
    let data = sections.get(section.name);
    if (!data) { data = new Map(); sections.set(section.name, data); raw.set(data, new Map()); }
    const pieces = raw.get(data)!;
    for (const option of section.options) {
      const previous = pieces.get(option.key);
      if (option.operator !== '=' && previous) {
        previous.value = cookValue(option.firstValue, option.continuation, previous.value);
        const v = data.get(option.key)!;
        data.set(option.key, { value: '', origins: [...v.origins, { file, option, operation: 'SET' }] });
      } else {
        if (option.operator === '=') {
          for (const suffix of ['+', '-']) {
            const k = `${option.key} ${suffix}`;
            if (data.has(k)) { data.delete(k); pieces.delete(k); }
          }
        }
        pieces.set(option.key, { first: option.firstValue, cont: option.continuation, value: cookValue(option.firstValue, option.continuation), option });
        data.set(option.key, { value: '', origins: [{ file, option, operation: 'SET' }] });
      }
      if (section.name === 'buildout' && option.key === 'extends') extendsOption = option;
    }
  }
  for (const data of sections.values()) {
    const pieces = raw.get(data)!;
    for (const [key, v] of data) {
      let value = normaliseValue(pieces.get(key)!.value);
      if (value.includes(BASE_LOCATION)) value = value.split(BASE_LOCATION).join(base);
      data.set(key, { value, origins: v.origins } as Value);
    }
  }

  const extendsList: ExtendsEntry[] = [];
  const buildout = sections.get('buildout');
  const ext = buildout?.get('extends');
  if (buildout && ext) {
    buildout.delete('extends');
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
