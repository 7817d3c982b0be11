// The configuration buildout computes for one root profile: every file of the extends chain merged
// (see load-profile.ts), then, lazily and only for the sections asked for, `<=` macros and `${}`
// substitution exactly as zc.buildout's Options does. Problems found on the way are kept, not thrown.

import { ConfigData, SectionData, Value, updateSection } from './config';
import { findReferences } from './references';
import { Problem } from './problem';

export interface ResolvedValue {
  value: string;
  /** True when some `${}` could not be resolved statically (missing option, cycle, error). */
  unresolved: boolean;
}

export class EffectiveConfig {
  private readonly expanded = new Map<string, SectionData | null>();
  private readonly resolved = new Map<string, ResolvedValue>();
  private readonly resolving = new Set<string>();
  /** Problems met while expanding macros or substituting, keyed to avoid duplicates. */
  readonly lazyProblems = new Map<string, Problem>();

  constructor(
    readonly root: string,
    /** The files of the extends chain in merge order (depth-first post-order, each once). */
    readonly files: readonly string[],
    /** Sections after extends, `+=` and `-=`: what `buildout annotate` shows. */
    readonly data: ConfigData,
    /** Problems found while reading the chain (missing files, cycles, syntax). */
    readonly problems: readonly Problem[],
    /** True when some extended file could not be read, so absent pins or options may live there. */
    readonly incomplete: boolean,
  ) {}

  sectionNames(): string[] { return [...this.data.keys()]; }

  has(section: string): boolean { return this.data.has(section); }

  /** A section after its `<=` macros are applied; undefined when it does not exist or its macros fail. */
  section(name: string): SectionData | undefined {
    const cached = this.expanded.get(name);
    if (cached !== undefined) return cached ?? undefined;
    const raw = this.data.get(name);
    if (!raw) return undefined;
    const result = this.expand(name, raw, []);
    this.expanded.set(name, result ?? null);
    return result;
  }

  private expand(name: string, data: SectionData, doing: string[]): SectionData | undefined {
    if (name === 'buildout' || !data.has('<')) return data;
    const macroValue = data.get('<')!;
    if (doing.includes(name)) {
      this.report(macroValue, 'macro-cycle', 'error', `The \`<=\` macros of [${name}] form a loop: ${[...doing, name].join(' → ')}.`);
      return undefined;
    }
    doing.push(name);
    try {
      let result: SectionData = new Map();
      for (const base of macroValue.value.split(/\s+/).filter(Boolean)) {
        const raw = this.data.get(base);
        if (!raw) {
          this.report(macroValue, 'missing-section', 'error', `[${name}] uses the macro [${base}], which no profile of the extends chain defines.`);
          return undefined;
        }
        const expanded = this.expand(base, raw, doing);
        if (!expanded) return undefined;
        for (const [k, v] of expanded) result.set(k, v);
      }
      result = updateSection(result, data);
      result.delete('<');
      return result;
    } finally {
      doing.pop();
    }
  }

  /** The raw (unsubstituted) value of an option after macros, or undefined. */
  raw(section: string, option: string): Value | undefined {
    return this.section(section)?.get(option);
  }

  /**
   * An option's value with every `${}` substituted; undefined when the section or option does not exist.
   * Unresolvable references leave their text in place and mark the result `unresolved`.
   */
  get(section: string, option: string): ResolvedValue | undefined {
    const key = `${section}\0${option}`;
    const hit = this.resolved.get(key);
    if (hit) return hit;
    const raw = this.raw(section, option);
    if (!raw) return undefined;
    if (!raw.value.includes('${')) {
      const plain = { value: raw.value, unresolved: false };
      this.resolved.set(key, plain);
      return plain;
    }
    if (this.resolving.has(key)) {
      this.report(raw, 'substitution-cycle', 'error', `The value of \${${section}:${option}} refers back to itself through \${} substitutions.`);
      return { value: raw.value, unresolved: true };
    }
    this.resolving.add(key);
    let unresolved = false;
    let out = '';
    let last = 0;
    for (const ref of findReferences(raw.value)) {
      out += raw.value.slice(last, ref.index);
      last = ref.index + ref.length;
      const text = raw.value.substr(ref.index, ref.length);
      if (ref.invalid) { unresolved = true; out += text; continue; }
      const target = ref.section || section;
      const v = this.get(target, ref.option);
      if (v) { out += v.value; unresolved ||= v.unresolved; }
      else if (ref.option === '_buildout_section_name_') out += section;
      else { unresolved = true; out += text; }
    }
    out += raw.value.slice(last);
    this.resolving.delete(key);
    const result = { value: out, unresolved };
    this.resolved.set(key, result);
    return result;
  }

  /** The name of the effective versions section (`[buildout] versions`, default `versions`). */
  versionsSectionName(): string {
    return this.get('buildout', 'versions')?.value.trim() ?? 'versions';
  }

  report(value: Value, code: string, severity: Problem['severity'], message: string): void {
    const origin = [...value.origins].reverse().find((o) => o.option);
    if (!origin?.option) return;
    const o = origin.option;
    let start = o.valueStart, end = o.valueEnd;
    if (end <= start) { start = o.nameStart; end = o.nameEnd; }
    const key = `${origin.file}\0${start}\0${code}\0${message}`;
    if (!this.lazyProblems.has(key)) this.lazyProblems.set(key, { file: origin.file, start, end, code, severity, message });
  }
}
