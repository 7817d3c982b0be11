// The configuration buildout computes for one root profile: every file of the extends chain merged
// (see load-profile.ts), then, lazily and only for the sections asked for, `<=` macros and `${}`
// substitution exactly as zc.buildout's Options does. Problems found on the way are kept, not thrown.
// It is incremental: a configuration built after an edit reuses what the previous one of the same root
// computed (expanded sections, substituted values, `derive`d results) wherever the inputs are unchanged,
// which it tells by the identity of merged sections and values (they are never modified once built).

import { ConfigData, SectionData, Value, updateSection } from './config';
import { findReferences } from './references';
import { Problem } from './problem';
import { excerpt } from '../syntax/excerpt';
import { HeaderAt, Query, RawKey, SealedReads, Tracker } from './tracking';

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

/** The merged sections of a configuration, before macros: what `buildout annotate` shows. */
export interface SectionSource {
  get(name: string): SectionData | undefined;
  has(name: string): boolean;
  /** Section names in buildout's order. */
  names(): string[];
  /** Every name `get` was asked for so far (existing or not). */
  asked(): Iterable<string>;
  /** Whether `get` was asked for `name`. */
  wasAsked(name: string): boolean;
  /** The names whose section may differ from `other`'s (undefined: not known, compare every name). */
  changedSince?(other: SectionSource): readonly string[] | undefined;
}

export interface ConfigContext {
  /** Records the reads of `derive`d computations (shared with the Workspace, which records file reads). */
  tracker?: Tracker;
  /** The current stamp of a file, to tell whether a file read by a `derive`d computation changed. */
  stampOf?: (file: string) => number;
  /** What the previous configurations of the same root and target computed (see ConfigMemo). */
  memo?: ConfigMemo;
  /** The section headers of a name in the chain's files, in merge order. */
  headers?: (name: string) => HeaderAt[];
  /**
   * The Workspace's count of file changes now, and the files changed since an earlier count (undefined
   * when that is too long ago to tell): a result is then checked against the files that changed only.
   */
  changes?: { count: number; since(count: number): readonly string[] | undefined };
}

interface Expanded {
  result: SectionData | undefined;
  /** The merged sections the expansion read: the section and its macro bases. */
  used: [string, SectionData | undefined][];
  carriable: boolean;
}

interface Resolved {
  result: ResolvedValue;
  /** Every raw value the substitution read, its own first: the result holds while they all do. */
  reads: RawKey[];
  /** False when a problem was reported while computing it: then it is recomputed, and reported again. */
  carriable: boolean;
  /** The configuration (its `generation`) the result is valid for. */
  at: number;
}

interface Derived { value: unknown; reads: SealedReads; at: number }

/**
 * What the successive configurations of one root (for one target) share: substituted values and
 * `derive`d results, each marked with the configuration it is valid for. A new configuration takes over
 * what the previous one validated, after checking it against what changed between the two; the maps are
 * updated in place, so an edit allocates only for what it recomputes.
 */
export class ConfigMemo {
  generation = 0;
  last: EffectiveConfig | undefined;
  /** The Workspace's change count when `last` was made. */
  changeCount: number | undefined;
  /** Derived results by kind, then key. */
  private readonly derived = new Map<string, Map<string, Derived>>();

  derivedOf(kind: string): Map<string, Derived> {
    let entries = this.derived.get(kind);
    if (!entries) this.derived.set(kind, (entries = new Map()));
    return entries;
  }
  /** Substituted values by section, then option (nested maps: no key strings built per lookup). */
  readonly resolved = new Map<string, Map<string, Resolved>>();
  /** Macro expansions, by section (each valid while the sections it read are unchanged). */
  readonly expanded = new Map<string, Expanded>();
  /**
   * For each section, the sections whose macro expansion read it, in any configuration of the lineage
   * (some may no longer): after an edit, the macro sections to compare are found from what changed.
   */
  readonly usedBy = new Map<string, Set<string>>();
  private readonly keys = new Map<string, Map<string, RawKey>>();

  keyOf(section: string, option: string): RawKey {
    let bySection = this.keys.get(section);
    if (!bySection) this.keys.set(section, (bySection = new Map()));
    let k = bySection.get(option);
    if (!k) bySection.set(option, (k = { key: `${section}\0${option}`, section, option }));
    return k;
  }

  resolvedIn(section: string): Map<string, Resolved> {
    let bySection = this.resolved.get(section);
    if (!bySection) this.resolved.set(section, (bySection = new Map()));
    return bySection;
  }
}

/** The same headers: the same parsed sections (a re-parsed file has new ones) of the same files. */
function sameHeaders(a: readonly HeaderAt[], b: readonly HeaderAt[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i].section !== b[i].section || a[i].file !== b[i].file) return false;
  return true;
}

class MapSource implements SectionSource {
  constructor(private readonly map: ConfigData) {}
  get(name: string): SectionData | undefined { return this.map.get(name); }
  has(name: string): boolean { return this.map.has(name); }
  names(): string[] { return [...this.map.keys()]; }
  asked(): Iterable<string> { return this.map.keys(); }
  wasAsked(name: string): boolean { return this.map.has(name); }
}

export class EffectiveConfig {
  private readonly expanded = new Map<string, Expanded>();
  private readonly resolving = new Set<string>();
  private readonly sections: SectionSource;
  private readonly tracker: Tracker;
  private readonly stampOf: (file: string) => number;
  private readonly headersNamed: (name: string) => HeaderAt[];
  private readonly headerLists = new Map<string, HeaderAt[]>();
  private readonly memo: ConfigMemo;
  /** This configuration's number in its lineage: memoised results valid for it carry it. */
  private readonly generation: number;
  private delta: Map<string, Set<string>> | undefined;
  /** Sections read by substituted values carried over from the previous configuration (see readsHold). */
  private readonly carried = new Set<string>();
  /** The reads of derived results carried over from the previous configuration (see holds). */
  private readonly carriedReads: SealedReads[] = [];
  /** The files changed since the previous configuration was made (undefined: not known, check every file). */
  private readonly changedFiles: readonly string[] | undefined;
  /** The section names the edit since the previous configuration updated (see updatedNames; null: not asked yet). */
  private updated: readonly string[] | undefined | null = null;
  /** The same, with `buildout` and `versions` (see mayDiffer). */
  private differing: readonly string[] | undefined | null = null;
  /** The previous configuration of the lineage, until what changed since it has been computed. */
  private previous: EffectiveConfig | undefined;
  private reports = 0;
  /** Above 0 while expanding only to compare with the previous configuration (see changesSincePrevious). */
  private quiet = 0;
  /** Problems met while quiet: not reported, and what met them is not kept. */
  private silenced = 0;
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
    private readonly incompleteChain: boolean,
    context: ConfigContext = {},
  ) {
    this.sections = sections instanceof Map ? new MapSource(sections) : sections;
    this.tracker = context.tracker ?? new Tracker();
    this.stampOf = context.stampOf ?? (() => -1);
    this.headersNamed = context.headers ?? (() => []);
    this.memo = context.memo ?? new ConfigMemo();
    this.generation = ++this.memo.generation;
    this.previous = this.memo.last;
    const changes = context.changes;
    this.changedFiles = this.previous && changes && this.memo.changeCount !== undefined ? changes.since(this.memo.changeCount) : undefined;
    this.memo.changeCount = changes?.count;
    // Only one generation back is kept: the previous configuration lets go of its own predecessor.
    if (this.previous) this.previous.previous = undefined;
    this.memo.last = this;
  }

  /** The files of the extends chain in merge order (depth-first post-order, each once). */
  get files(): readonly string[] {
    const f = this.tracker.current;
    if (f) f.chain = this.chain;
    return this.chain;
  }

  /**
   * True when some extended file could not be read, so absent pins or options may live there. A
   * computation that reads it depends on it: an edit of `extends` can make the chain whole again.
   */
  get incomplete(): boolean {
    const f = this.tracker.current;
    if (f) f.incomplete = this.incompleteChain;
    return this.incompleteChain;
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
    const f = this.tracker.current;
    if (f) (f.has ??= new Map()).set(section, has);
    return has;
  }

  /** A merged section before its macros are applied. */
  rawSection(name: string): SectionData | undefined {
    const section = this.sections.get(name);
    const f = this.tracker.current;
    if (f) (f.rawSections ??= new Map()).set(name, section);
    return section;
  }

  /** A section after its `<=` macros are applied; undefined when it does not exist or its macros fail. */
  section(name: string): SectionData | undefined {
    const section = this.expandedSection(name);
    const f = this.tracker.current;
    if (f) {
      f.addSection(name);
      if (this.expanded.get(name)?.carriable === false) f.tainted = true;
    }
    return section;
  }

  /** The raw (unsubstituted) value of an option after macros, or undefined. */
  raw(section: string, option: string): Value | undefined {
    const map = this.expandedSection(section);
    const value = map?.get(option);
    const f = this.tracker.current;
    if (f) {
      f.addOption(section, option);
      if (this.expanded.get(section)?.carriable === false) f.tainted = true;
    }
    return value;
  }

  /**
   * An option's value with every `${}` substituted; undefined when the section or option does not exist.
   * Unresolvable references leave their text in place and mark the result `unresolved`.
   */
  get(section: string, option: string): ResolvedValue | undefined {
    const entry = this.resolve(section, option);
    const f = this.tracker.current;
    if (f) {
      if (entry) {
        for (const r of entry.reads) f.addOption(r.section, r.option);
        if (!entry.carriable) f.tainted = true;
      } else {
        f.addOption(section, option);
        if (this.expanded.get(section)?.carriable === false) f.tainted = true;
      }
    }
    return entry?.result;
  }

  /** The `[name]` headers written in the chain's files, in merge order (conditional ones included). */
  headers(name: string): readonly HeaderAt[] {
    let list = this.headerLists.get(name);
    if (!list) {
      // Listed outside of any recorded computation: a computation records the headers it reads, not the files.
      this.tracker.pause();
      try { list = this.headersNamed(name); } finally { this.tracker.resume(); }
      this.headerLists.set(name, list);
    }
    const f = this.tracker.current;
    if (f) (f.headers ??= new Map()).set(name, list);
    return list;
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
  derive<T>(kind: string, key: string, compute: () => T): T {
    const entries = this.memo.derivedOf(kind);
    const entry = entries.get(key);
    if (entry && (entry.at === this.generation || (entry.at === this.generation - 1 && !entry.reads.tainted && this.holds(entry.reads)))) {
      entry.at = this.generation;
      this.tracker.current?.merge(entry.reads);
      return entry.value as T;
    }
    return this.compute(entries, key, compute, false);
  }

  /**
   * A memoised lookup (see Query): like `derive`, but a computation that reads it depends on its result
   * only, compared with `query.equals`, not on everything the lookup read.
   */
  lookup<A, T>(query: Query<A, T> & { compute(config: EffectiveConfig, arg: A): T }, arg: A): T {
    const key = query.key(arg);
    const entries = this.memo.derivedOf(query.id);
    let entry = entries.get(key);
    if (entry && (entry.at === this.generation || (entry.at === this.generation - 1 && !entry.reads.tainted && this.holds(entry.reads)))) {
      entry.at = this.generation;
    } else {
      this.compute(entries, key, () => query.compute(this, arg), true);
      entry = entries.get(key)!;
    }
    const f = this.tracker.current;
    if (f) {
      (f.queries ??= new Map()).set(`${query.id}\0${key}`, { query: query as unknown as Query<unknown, unknown>, arg, key, value: entry.value });
      if (entry.reads.tainted) f.tainted = true;
    }
    return entry.value as T;
  }

  private compute<T>(entries: Map<string, Derived>, key: string, compute: () => T, alone: boolean): T {
    const before = this.reports;
    // A lookup's reads are its own: the computation that asked for it records the lookup instead.
    if (alone) this.tracker.pause();
    this.tracker.begin();
    let done = false;
    let value: T;
    try {
      value = compute();
      done = true;
    } finally {
      const reads = this.tracker.end(this.reports !== before);
      if (alone) this.tracker.resume();
      // A computation that threw is not kept.
      if (done) entries.set(key, { value: value!, reads, at: this.generation });
      else entries.delete(key);
    }
    return value;
  }

  /**
   * True when every read gives the same answer in this configuration as in the previous one. When this one
   * knows which files and section names changed since, only those reads are looked at: an edit costs what
   * it changed, not what the results read (the stamps of hundreds of files, a thousand section names).
   */
  private holds(reads: SealedReads): boolean {
    if (reads.chain && reads.chain !== this.chain) return false;
    if (reads.incomplete !== undefined && reads.incomplete !== this.incompleteChain) return false;
    const { files, stamps } = reads;
    if (!eachRead(this.changedFiles, files, (f) => reads.indexOfFile(f), (i) => this.stampOf(files[i]) === stamps[i])) return false;
    this.tracker.pause();
    try {
      const differ = this.mayDiffer();
      const { has, hasValues, rawSections, rawSectionValues } = reads;
      if (!eachRead(differ, has, (n) => reads.indexOfHas(n), (i) => this.sections.has(has[i]) === hasValues[i])) return false;
      if (!eachRead(differ, rawSections, (n) => reads.indexOfRawSection(n), (i) => this.sections.get(rawSections[i]) === rawSectionValues[i])) return false;
      for (let i = 0; i < reads.headers.length; i++) if (!sameHeaders(this.headers(reads.headers[i]), reads.headerLists[i])) return false;
      const names = reads.sections;
      if (names.length) {
        const delta = this.changesSincePrevious();
        if (!delta) return false;
        // What a result read of a section (its options, or null: all of it) misses what changed in it.
        const unaffected = (options: string[] | null, changed: Set<string>) => {
          if (options === null) return false;
          for (const option of options) if (changed.has(option)) return false;
          return true;
        };
        if (delta.size * 4 < names.length) {
          for (const [name, changed] of delta) {
            const at = reads.indexOfSection(name);
            if (at >= 0 && !unaffected(reads.sectionOptions[at], changed)) return false;
          }
        } else {
          for (let i = 0; i < names.length; i++) {
            const changed = delta.get(names[i]);
            if (changed && !unaffected(reads.sectionOptions[i], changed)) return false;
          }
        }
        // The next configuration compares these sections with this one's (see changesSincePrevious).
        this.carriedReads.push(reads);
      }
      for (const q of reads.queries) {
        const query = q.query as Query<unknown, unknown> & { compute(config: EffectiveConfig, arg: unknown): unknown };
        if (!query.equals(this.lookup(query, q.arg), q.value)) return false;
      }
      return true;
    } finally {
      this.tracker.resume();
    }
  }

  /**
   * The names whose merged section (or its existence) may differ from the previous configuration's: those
   * the edit updated, and `buildout` and `versions`, which are folded over defaults (undefined: not known).
   */
  private mayDiffer(): readonly string[] | undefined {
    if (this.differing === null) {
      const updated = this.updatedNames();
      this.differing = updated ? [...updated, 'buildout', 'versions'] : undefined;
    }
    return this.differing;
  }

  /** The section names the edit since the previous configuration updated (undefined: not known). */
  private updatedNames(): readonly string[] | undefined {
    if (this.updated === null) this.updated = this.previous ? this.sections.changedSince?.(this.previous.sections) : undefined;
    return this.updated;
  }

  private expandedSection(name: string): SectionData | undefined {
    const hit = this.expanded.get(name);
    if (hit) return hit.result;
    const raw = this.sections.get(name);
    if (!raw) return undefined;
    if (name === 'buildout' || !raw.has('<')) return raw;
    return this.expandOnce(name, raw, []).result;
  }

  /**
   * Expands each section once per configuration and keeps the result, bases included: without it a
   * lattice of macros (each section using the same two bases, forty levels deep) took 2^40 expansions.
   * Keeping a failure is sound because a section fails only when it reaches a loop or a missing base,
   * wherever it was reached from (the nesting limit aside, which has been reported by then anyway).
   * An expansion also holds in a later configuration while the sections it read are the same objects
   * (they are never modified) and it reported nothing.
   */
  private expandOnce(name: string, raw: SectionData, doing: string[]): Expanded {
    const hit = this.expanded.get(name);
    if (hit) return hit;
    const old = this.memo.expanded.get(name);
    if (old && old.carriable && old.used.every(([n, s]) => this.sections.get(n) === s)) {
      this.expanded.set(name, old);
      return old;
    }
    const before = this.reports, silencedBefore = this.silenced;
    const used = new Map<string, SectionData | undefined>();
    const state = { carriable: true };
    const result = this.expand(name, raw, doing, used, state);
    const entry: Expanded = { result, used: [...used], carriable: state.carriable && this.reports === before && this.silenced === silencedBefore };
    // An expansion that met a problem while quiet is not kept: asked for later, it is done again and reports.
    if (this.silenced !== silencedBefore) return entry;
    this.expanded.set(name, entry);
    this.memo.expanded.set(name, entry);
    const usedBy = this.memo.usedBy;
    for (let i = 0; i < entry.used.length; i++) {
      const base = entry.used[i][0];
      if (base === name) continue;
      let users = usedBy.get(base);
      if (!users) usedBy.set(base, (users = new Set()));
      users.add(name);
    }
    return entry;
  }

  private expand(name: string, data: SectionData, doing: string[], used: Map<string, SectionData | undefined>, state: { carriable: boolean }): SectionData | undefined {
    used.set(name, data);
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
        const raw = this.sections.get(base);
        if (!raw) {
          used.set(base, undefined);
          this.report(macroValue, 'missing-section', 'error', `[${excerpt(name)}] uses the macro [${excerpt(base)}], which no profile of the extends chain defines.`);
          return undefined;
        }
        let expanded: SectionData | undefined = raw;
        if (base === 'buildout' || !raw.has('<')) used.set(base, raw);
        else {
          // A base is expanded once (and kept) however many sections use it; what it read, this reads.
          const entry = this.expandOnce(base, raw, doing);
          for (let i = 0; i < entry.used.length; i++) used.set(entry.used[i][0], entry.used[i][1]);
          if (!entry.carriable) state.carriable = false;
          expanded = entry.result;
        }
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

  private resolve(section: string, option: string): Resolved | undefined {
    const memo = this.memo;
    const inSection = memo.resolvedIn(section);
    const hit = inSection.get(option);
    if (hit && hit.at === this.generation) return hit;
    const raw = this.expandedSection(section)?.get(option);
    if (!raw) return undefined;
    const own = memo.keyOf(section, option);
    const key = own.key;
    if (hit && hit.at === this.generation - 1 && hit.carriable && !this.resolving.has(key) && this.readsHold(hit.reads)) {
      hit.at = this.generation;
      return hit;
    }
    if (!raw.value.includes('\${')) {
      const plain: Resolved = { result: { value: raw.value, unresolved: false }, reads: [own], carriable: this.expanded.get(section)?.carriable !== false, at: this.generation };
      inSection.set(option, plain);
      return plain;
    }
    if (this.resolving.has(key)) {
      this.report(raw, 'substitution-cycle', 'error', `The value of \${${excerpt(section)}:${excerpt(option)}} refers back to itself through \${} substitutions.`);
      return { result: { value: raw.value, unresolved: true }, reads: [own], carriable: false, at: -1 };
    }
    if (this.resolving.size >= MAX_NESTING) {
      this.report(raw, 'substitution-too-deep', 'error', `The \${} substitutions reaching \${${excerpt(section)}:${excerpt(option)}} nest more than ${MAX_NESTING} deep; buildout would stop with a RecursionError.`);
      return { result: { value: raw.value, unresolved: true }, reads: [own], carriable: false, at: -1 };
    }
    const maxLength = Math.max(MAX_SUBSTITUTED_LENGTH, 2 * raw.value.length);
    this.resolving.add(key);
    try {
      const before = this.reports;
      const reads = new Set<RawKey>([own]);
      let carriable = this.expanded.get(section)?.carriable !== false;
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
        if (v) {
          for (const r of v.reads) reads.add(r);
          if (!v.carriable) carriable = false;
          out += v.result.value;
          unresolved ||= v.result.unresolved;
        } else {
          reads.add(memo.keyOf(target, ref.option));
          if (ref.option === '_buildout_section_name_') out += section;
          else { unresolved = true; out += text; }
        }
        if (out.length > maxLength) break;
      }
      out += raw.value.slice(last);
      let result: ResolvedValue = { value: out, unresolved };
      if (out.length > maxLength) {
        // Values that double at each level (`a1 = ${:a0}${:a0}`, ...) would exhaust memory long before
        // buildout itself noticed; keep the raw text and say why.
        this.report(raw, 'substitution-too-large', 'error', `Substituting \${${excerpt(section)}:${excerpt(option)}} gives more than ${maxLength} characters; the checker keeps it unsubstituted.`);
        result = { value: raw.value, unresolved: true };
      }
      const entry: Resolved = { result, reads: [...reads], carriable: carriable && this.reports === before, at: this.generation };
      inSection.set(option, entry);
      return entry;
    } finally {
      this.resolving.delete(key);
    }
  }

  private readsHold(reads: readonly RawKey[]): boolean {
    const delta = this.changesSincePrevious();
    if (!delta) return false;
    if (delta.size) for (const r of reads) if (delta.get(r.section)?.has(r.option)) return false;
    for (const r of reads) this.carried.add(r.section);
    return true;
  }

  /**
   * What changed since the previous configuration, for every section it was asked about: the options
   * whose value (after macros) is not the very same Value, by section. A result the previous
   * configuration holds is valid for it, so it stays valid here unless it read one of these.
   */
  private changesSincePrevious(): Map<string, Set<string>> | undefined {
    if (this.delta) return this.delta;
    const delta = new Map<string, Set<string>>();
    const previous = this.previous;
    // A configuration that lost its predecessor (a newer one replaced it) cannot tell: nothing is reused.
    if (!previous) return undefined;
    {
      const changedRaw = new Set<string>();
      const macros: string[] = [];
      const visit = (name: string) => {
        const a = previous.sections.get(name), b = this.sections.get(name);
        if (a !== b) changedRaw.add(name);
        // A section read through a carried result may never have been expanded by the previous
        // configuration, so its bases are not known here: when it has `<=` macros, it is compared.
        else if (a?.has('<')) macros.push(name);
      };
      const carriedBy = (name: string) => previous.carried.has(name) || previous.carriedReads.some((r) => r.indexOfSection(name) >= 0);
      const seen = (name: string) => previous.sections.wasAsked(name) || carriedBy(name);
      // Every section the previous configuration asked for or carried over, once each.
      const eachSeen = (f: (name: string) => void) => {
        for (const name of previous.sections.asked()) f(name);
        for (const name of previous.carried) if (!previous.sections.wasAsked(name)) f(name);
        const done = new Set<string>();
        for (const r of previous.carriedReads) {
          for (const name of r.sections) {
            if (previous.sections.wasAsked(name) || previous.carried.has(name) || done.has(name)) continue;
            done.add(name);
            f(name);
          }
        }
      };
      const updated = this.updatedNames();
      if (updated) {
        // Only the names the edit updated can differ, and `buildout` and `versions`, folded over defaults.
        // An updated name is compared when something read it, or when it is the base of a macro section
        // (`[instance] <= macro-template`: results may read the instance only), compared below.
        for (const name of updated) if (seen(name) || this.memo.usedBy.has(name)) visit(name);
        for (const name of ['buildout', 'versions']) if (seen(name) && !updated.includes(name)) visit(name);
        // A macro section is compared when its expansion read a changed section, in whichever configuration
        // of the lineage expanded it: the previous one may have carried a result that read it unexpanded.
        for (const name of changedRaw) {
          this.memo.usedBy.get(name)?.forEach((user) => { if (!changedRaw.has(user) && seen(user)) macros.push(user); });
        }
      } else eachSeen(visit);
      const compare = (name: string) => {
        if (delta.has(name)) return;
        // Expanding here only compares: a problem it meets belongs to a check that asks for the section.
        const a = previous.expandedSection(name);
        let b: SectionData | undefined;
        this.quiet++;
        try { b = this.expandedSection(name); } finally { this.quiet--; }
        if (a === b) return;
        const options = new Set<string>();
        // forEach: a for-of over two five-hundred-pin sections allocates an entry per pin.
        if (a) a.forEach((v, k) => { if (b?.get(k) !== v) options.add(k); });
        if (b) b.forEach((v, k) => { if (a?.get(k) !== v) options.add(k); });
        // A section that appeared or vanished changed as a whole, even with no options.
        if (!a || !b) options.add('');
        delta.set(name, options);
      };
      for (const name of changedRaw) compare(name);
      if (changedRaw.size && !updated) {
        previous.expanded.forEach((e, name) => {
          for (let i = 0; i < e.used.length; i++) if (changedRaw.has(e.used[i][0])) { compare(name); return; }
        });
      }
      for (const name of macros) compare(name);
    }
    // What changed is known: the previous configuration (and what only it holds) can go.
    this.previous = undefined;
    return (this.delta = delta);
  }

  report(value: Value, code: string, severity: Problem['severity'], message: string): void {
    if (this.quiet) { this.silenced++; return; }
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

/**
 * Whether `holds` is true of every read of `list` that may have changed: only those at the positions of
 * `changed` (what changed since the previous configuration) when they are few, else all of them.
 */
function eachRead(changed: readonly string[] | undefined, list: readonly string[], indexOf: (name: string) => number, holds: (i: number) => boolean): boolean {
  if (changed && changed.length * 4 < list.length) {
    for (let k = 0; k < changed.length; k++) {
      const at = indexOf(changed[k]);
      if (at >= 0 && !holds(at)) return false;
    }
    return true;
  }
  for (let i = 0; i < list.length; i++) if (!holds(i)) return false;
  return true;
}

/**
 * A lookup over the whole configuration (one answer per configuration, for one argument such as the
 * Workspace): what reads it depends on its answer, compared with `equals`, not on everything `compute` read.
 */
export function configLookup<A, T>(id: string, equals: (a: T, b: T) => boolean, compute: (config: EffectiveConfig, arg: A) => T): (config: EffectiveConfig, arg: A) => T {
  const query = { id, key: () => '', equals, compute };
  return (config, arg) => config.lookup(query, arg);
}

/** `a → b → c`, shortened to its ends when long, so a loop through a thousand sections stays readable. */
export function chain(names: readonly string[]): string {
  const shown = names.length > 12 ? [...names.slice(0, 5), `… ${names.length - 10} more …`, ...names.slice(-5)] : names;
  return shown.map((n) => excerpt(n, 60)).join(' → ');
}
