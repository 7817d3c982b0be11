// The configuration buildout computes for one root profile: every file of the extends chain merged
// (see load-profile.ts), then, lazily and only for the sections asked for, `<=` macros and `${}`
// substitution exactly as zc.buildout's Options does. Problems found on the way are kept, not thrown.
// It is incremental: a configuration built after an edit reuses what the previous one of the same root
// computed (expanded sections, substituted values, `derive`d results) wherever the inputs are unchanged,
// which it tells by the identity of merged sections and values (they are never modified once built).

import { ConfigData, SectionData, Value, updateSection } from './config';
import { findReferences } from './references';
import { Problem } from './problem';
import {
  DEP_FILE, DEP_FILES, DEP_GET, DEP_HAS, DEP_RAW, DEP_RAW_SECTION, DEP_SECTION, Dependency, Tracker,
} from './tracking';

export interface ResolvedValue {
  value: string;
  /** True when some `${}` could not be resolved statically (missing option, cycle, error). */
  unresolved: boolean;
}

/** The merged sections of a configuration, before macros: what `buildout annotate` shows. */
export interface SectionSource {
  get(name: string): SectionData | undefined;
  has(name: string): boolean;
  /** Section names in buildout's order. */
  names(): string[];
}

export interface ConfigContext {
  /** Records the reads of `derive`d computations (shared with the Workspace, which records file reads). */
  tracker?: Tracker;
  /** The current stamp of a file, to tell whether a file read by a `derive`d computation changed. */
  stampOf?: (file: string) => number;
  /** The previous configuration of the same root and target, whose results may be reused. */
  previous?: EffectiveConfig;
}

interface Expanded {
  result: SectionData | undefined;
  /** The merged sections the expansion read: the section and its macro bases. */
  used: [string, SectionData | undefined][];
  carriable: boolean;
}

interface ResolvedRef { section: string; option: string; value: string | undefined; unresolved: boolean }

interface Resolved {
  result: ResolvedValue;
  raw: Value;
  /** Each `${}` followed, with what it gave: the result holds while the raw value and these hold. */
  refs: ResolvedRef[];
  /** False when a problem was reported while computing it: then it is recomputed, and reported again. */
  carriable: boolean;
}

interface Derived { value: unknown; deps: Dependency[] }

const NO_REFS: ResolvedRef[] = [];

class MapSource implements SectionSource {
  constructor(private readonly map: ConfigData) {}
  get(name: string): SectionData | undefined { return this.map.get(name); }
  has(name: string): boolean { return this.map.has(name); }
  names(): string[] { return [...this.map.keys()]; }
}

export class EffectiveConfig {
  private readonly expanded = new Map<string, Expanded>();
  private readonly resolved = new Map<string, Resolved>();
  private readonly resolving = new Set<string>();
  private readonly derived = new Map<string, Derived>();
  private readonly sections: SectionSource;
  private readonly tracker: Tracker;
  private readonly stampOf: (file: string) => number;
  private previous: EffectiveConfig | undefined;
  private reports = 0;
  private materialised: ConfigData | undefined;
  /** Problems met while expanding macros or substituting, keyed to avoid duplicates. */
  readonly lazyProblems = new Map<string, Problem>();

  constructor(
    readonly root: string,
    /** The files of the extends chain in merge order (depth-first post-order, each once). */
    private readonly chain: readonly string[],
    /** Sections after extends, `+=` and `-=` (a map, or merged on demand by load-profile.ts). */
    sections: SectionSource | ConfigData,
    /** Problems found while reading the chain (missing files, cycles, syntax). */
    readonly problems: readonly Problem[],
    /** True when some extended file could not be read, so absent pins or options may live there. */
    readonly incomplete: boolean,
    context: ConfigContext = {},
  ) {
    this.sections = sections instanceof Map ? new MapSource(sections) : sections;
    this.tracker = context.tracker ?? new Tracker();
    this.stampOf = context.stampOf ?? (() => -1);
    this.previous = context.previous;
    // Only one generation back is kept: the previous configuration lets go of its own predecessor.
    if (this.previous) this.previous.previous = undefined;
  }

  /** The files of the extends chain in merge order (depth-first post-order, each once). */
  get files(): readonly string[] {
    this.tracker.record(DEP_FILES, '', '', this.chain);
    return this.chain;
  }

  /** Every merged section, before macros (what `buildout annotate` shows); merges all of them. */
  get data(): ConfigData {
    if (!this.materialised) {
      const out: ConfigData = new Map();
      for (const name of this.sections.names()) out.set(name, this.sections.get(name)!);
      this.materialised = out;
    }
    return this.materialised;
  }

  sectionNames(): string[] { return this.sections.names(); }

  has(section: string): boolean {
    const has = this.sections.has(section);
    this.tracker.record(DEP_HAS, section, '', has);
    return has;
  }

  /** A merged section before its macros are applied. */
  rawSection(name: string): SectionData | undefined {
    const section = this.sections.get(name);
    this.tracker.record(DEP_RAW_SECTION, name, '', section);
    return section;
  }

  /** A section after its `<=` macros are applied; undefined when it does not exist or its macros fail. */
  section(name: string): SectionData | undefined {
    const section = this.expandedSection(name);
    this.tracker.record(DEP_SECTION, name, '', section);
    return section;
  }

  /** The raw (unsubstituted) value of an option after macros, or undefined. */
  raw(section: string, option: string): Value | undefined {
    const value = this.expandedSection(section)?.get(option);
    this.tracker.record(DEP_RAW, section, option, value);
    return value;
  }

  /**
   * An option's value with every `${}` substituted; undefined when the section or option does not exist.
   * Unresolvable references leave their text in place and mark the result `unresolved`.
   */
  get(section: string, option: string): ResolvedValue | undefined {
    const result = this.resolve(section, option);
    this.tracker.record(DEP_GET, section, option, result?.value, result?.unresolved ?? false);
    return result;
  }

  /** The name of the effective versions section (`[buildout] versions`, default `versions`). */
  versionsSectionName(): string {
    return this.get('buildout', 'versions')?.value.trim() ?? 'versions';
  }

  /**
   * A result computed from this configuration (and files), once per configuration and key: `compute`'s
   * reads are recorded, and the next configuration of the root reuses the result while they all give the
   * same answers. `compute` must read the configuration only through its methods, and files only through
   * the Workspace, and must not depend on anything else that can change (put such inputs in the key).
   */
  derive<T>(key: string, compute: () => T): T {
    const hit = this.derived.get(key);
    if (hit) { this.tracker.replay(hit.deps); return hit.value as T; }
    const old = this.previous?.derived.get(key);
    if (old && this.stillHolds(old.deps)) {
      this.derived.set(key, old);
      this.tracker.replay(old.deps);
      return old.value as T;
    }
    this.tracker.begin();
    let done = false;
    let value: T;
    try {
      value = compute();
      done = true;
    } finally {
      const deps = this.tracker.end();
      // A computation that threw is not kept.
      if (done) this.derived.set(key, { value: value!, deps });
    }
    return value;
  }

  private stillHolds(deps: readonly Dependency[]): boolean {
    this.tracker.pause();
    try {
      for (const d of deps) {
        switch (d.kind) {
          case DEP_FILE: if (this.stampOf(d.a) !== d.value) return false; break;
          case DEP_RAW_SECTION: if (this.sections.get(d.a) !== d.value) return false; break;
          case DEP_SECTION: if (this.expandedSection(d.a) !== d.value) return false; break;
          case DEP_HAS: if (this.sections.has(d.a) !== d.value) return false; break;
          case DEP_RAW: if (this.expandedSection(d.a)?.get(d.b) !== d.value) return false; break;
          case DEP_GET: {
            const r = this.resolve(d.a, d.b);
            if (r?.value !== d.value || (r?.unresolved ?? false) !== d.flag) return false;
            break;
          }
          case DEP_FILES: if (this.chain !== d.value) return false; break;
          default: return false;
        }
      }
      return true;
    } finally {
      this.tracker.resume();
    }
  }

  private expandedSection(name: string): SectionData | undefined {
    const hit = this.expanded.get(name);
    if (hit) return hit.result;
    const raw = this.sections.get(name);
    if (!raw) return undefined;
    if (name === 'buildout' || !raw.has('<')) return raw;
    const old = this.previous?.expanded.get(name);
    if (old && old.carriable && old.used.every(([n, s]) => this.sections.get(n) === s)) {
      this.expanded.set(name, old);
      return old.result;
    }
    const before = this.reports;
    const used: [string, SectionData | undefined][] = [];
    const result = this.expand(name, raw, [], used);
    this.expanded.set(name, { result, used, carriable: this.reports === before });
    return result;
  }

  private expand(name: string, data: SectionData, doing: string[], used: [string, SectionData | undefined][]): SectionData | undefined {
    used.push([name, data]);
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
        const raw = this.sections.get(base);
        if (!raw) {
          used.push([base, undefined]);
          this.report(macroValue, 'missing-section', 'error', `[${name}] uses the macro [${base}], which no profile of the extends chain defines.`);
          return undefined;
        }
        const expanded = this.expand(base, raw, doing, used);
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

  private resolve(section: string, option: string): ResolvedValue | undefined {
    const key = `${section}\0${option}`;
    const hit = this.resolved.get(key);
    if (hit) return hit.result;
    const raw = this.expandedSection(section)?.get(option);
    if (!raw) return undefined;
    if (!raw.value.includes('${')) {
      const plain = { value: raw.value, unresolved: false };
      this.resolved.set(key, { result: plain, raw, refs: NO_REFS, carriable: true });
      return plain;
    }
    if (this.resolving.has(key)) {
      this.report(raw, 'substitution-cycle', 'error', `The value of \${${section}:${option}} refers back to itself through \${} substitutions.`);
      return { value: raw.value, unresolved: true };
    }
    this.resolving.add(key);
    try {
      const old = this.previous?.resolved.get(key);
      if (old && old.carriable && old.raw === raw && this.refsHold(old.refs)) {
        this.resolved.set(key, old);
        return old.result;
      }
      const before = this.reports;
      const refs: ResolvedRef[] = [];
      let unresolved = false;
      let out = '';
      let last = 0;
      for (const ref of findReferences(raw.value)) {
        out += raw.value.slice(last, ref.index);
        last = ref.index + ref.length;
        const text = raw.value.substr(ref.index, ref.length);
        if (ref.invalid) { unresolved = true; out += text; continue; }
        const target = ref.section || section;
        const v = this.resolve(target, ref.option);
        refs.push({ section: target, option: ref.option, value: v?.value, unresolved: v?.unresolved ?? false });
        if (v) { out += v.value; unresolved ||= v.unresolved; }
        else if (ref.option === '_buildout_section_name_') out += section;
        else { unresolved = true; out += text; }
      }
      out += raw.value.slice(last);
      const result = { value: out, unresolved };
      this.resolved.set(key, { result, raw, refs, carriable: this.reports === before });
      return result;
    } finally {
      this.resolving.delete(key);
    }
  }

  private refsHold(refs: readonly ResolvedRef[]): boolean {
    for (const r of refs) {
      const v = this.resolve(r.section, r.option);
      if (v?.value !== r.value || (v?.unresolved ?? false) !== r.unresolved) return false;
    }
    return true;
  }

  report(value: Value, code: string, severity: Problem['severity'], message: string): void {
    this.reports++;
    const origin = [...value.origins].reverse().find((o) => o.option);
    if (!origin?.option) return;
    const o = origin.option;
    let start = o.valueStart, end = o.valueEnd;
    if (end <= start) { start = o.nameStart; end = o.nameEnd; }
    const key = `${origin.file}\0${start}\0${code}\0${message}`;
    if (!this.lazyProblems.has(key)) this.lazyProblems.set(key, { file: origin.file, start, end, code, severity, message });
  }
}
