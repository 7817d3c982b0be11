// The configuration buildout computes for one root profile: every file of the extends chain merged
// (see load-profile.ts), then, lazily and only for the sections asked for, `<=` macros and `${}`
// substitution exactly as zc.buildout's Options does. Problems found on the way are kept, not thrown.

import { ConfigData, SectionData, Value, updateSection } from './config';
import { findReferences } from './references';
import { Problem } from './problem';
import { excerpt } from '../syntax/excerpt';

export interface ResolvedValue {
  value: string;
  /** True when some `${}` could not be resolved statically (missing option, cycle, error). */
  unresolved: boolean;
}

/**
 * How deep `<=` macros and `${}` substitutions may nest before the checker gives up with a finding.
 * Buildout resolves both by recursion and stops far earlier (Python's recursion limit is 1000 frames,
 * several per level); the limit keeps a hostile chain from overflowing our own stack.
 */
export const MAX_NESTING = 400;
/** A substituted value may grow to this many characters, or twice its raw length if more. */
export const MAX_SUBSTITUTED_LENGTH = 1024 * 1024;

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
    return this.expandOnce(name, []);
  }

  /**
   * Expands each section once and keeps the result, bases included: without it a lattice of macros
   * (each section using the same two bases, forty levels deep) took 2^40 expansions. Keeping a failure
   * is sound because a section fails only when it reaches a loop or a missing base, wherever it was
   * reached from (the nesting limit aside, which has been reported by then anyway).
   */
  private expandOnce(name: string, doing: string[]): SectionData | undefined {
    const cached = this.expanded.get(name);
    if (cached !== undefined) return cached ?? undefined;
    const raw = this.data.get(name);
    if (!raw) return undefined;
    const result = this.expand(name, raw, doing);
    this.expanded.set(name, result ?? null);
    return result;
  }

  private expand(name: string, data: SectionData, doing: string[]): SectionData | undefined {
    if (name === 'buildout' || !data.has('<')) return data;
    const macroValue = data.get('<')!;
    if (doing.includes(name)) {
      this.report(macroValue, 'macro-cycle', 'error', `The \`<=\` macros of [${excerpt(name)}] form a loop: ${chain([...doing.slice(doing.indexOf(name)), name])}.`);
      return undefined;
    }
    if (doing.length >= MAX_NESTING) {
      this.report(macroValue, 'macro-too-deep', 'error', `The \`<=\` macros reaching [${excerpt(name)}] nest more than ${MAX_NESTING} deep (${chain([...doing, name])}); buildout would stop with a RecursionError.`);
      return undefined;
    }
    doing.push(name);
    try {
      let result: SectionData = new Map();
      for (const base of macroValue.value.split(/\s+/).filter(Boolean)) {
        const raw = this.data.get(base);
        if (!raw) {
          this.report(macroValue, 'missing-section', 'error', `[${excerpt(name)}] uses the macro [${excerpt(base)}], which no profile of the extends chain defines.`);
          return undefined;
        }
        const expanded = this.expandOnce(base, doing);
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
      this.report(raw, 'substitution-cycle', 'error', `The value of \${${excerpt(section)}:${excerpt(option)}} refers back to itself through \${} substitutions.`);
      return { value: raw.value, unresolved: true };
    }
    if (this.resolving.size >= MAX_NESTING) {
      this.report(raw, 'substitution-too-deep', 'error', `The \${} substitutions reaching \${${excerpt(section)}:${excerpt(option)}} nest more than ${MAX_NESTING} deep; buildout would stop with a RecursionError.`);
      return { value: raw.value, unresolved: true };
    }
    const maxLength = Math.max(MAX_SUBSTITUTED_LENGTH, 2 * raw.value.length);
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
      if (out.length > maxLength) break;
    }
    out += raw.value.slice(last);
    this.resolving.delete(key);
    let result = { value: out, unresolved };
    if (out.length > maxLength) {
      // Values that double at each level (`a1 = ${:a0}${:a0}`, ...) would exhaust memory long before
      // buildout itself noticed; keep the raw text and say why.
      this.report(raw, 'substitution-too-large', 'error', `Substituting \${${excerpt(section)}:${excerpt(option)}} gives more than ${maxLength} characters; the checker keeps it unsubstituted.`);
      result = { value: raw.value, unresolved: true };
    }
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

/** `a → b → c`, shortened to its ends when long, so a loop through a thousand sections stays readable. */
export function chain(names: readonly string[]): string {
  const shown = names.length > 12 ? [...names.slice(0, 5), `… ${names.length - 10} more …`, ...names.slice(-5)] : names;
  return shown.map((n) => excerpt(n, 60)).join(' → ');
}
