// Records what a memoised computation read (options and sections of an effective configuration, files
// of the workspace, smaller memoised lookups) so that the next configuration of the same root can reuse
// the result when every one of those reads still gives the same answer: an edit then re-does only the
// work whose inputs changed ("early cutoff", as in rust-analyzer's salsa). Reads are kept at the level
// of raw option values (substitutions are recorded as every raw value they followed), so checking that
// a result still holds is a few map lookups per read, never a substitution. Knows nothing of rules.

import type { SectionData } from './config';
import type { SectionSyntax } from '../syntax/parse-profile';

/** A raw option value read (after macros): `section`'s `option` was `value` (undefined: absent). */
/** One option of one section, interned per configuration lineage (its identity is shared by every read of it). */
export interface RawKey { key: string; section: string; option: string }

/** A memoised lookup read inside a computation: it holds while the lookup gives an equal result. */
export interface QueryRead { query: Query<unknown, unknown>; arg: unknown; key: string; value: unknown }

/**
 * A small memoised lookup whose result is compared by value (`equals`), so that a computation reading
 * it stays valid when the lookup had to be recomputed but gave the same answer (a section header
 * searched through every file of the chain, say, after an edit elsewhere in one of them).
 */
export interface Query<A, T> {
  id: string;
  key(arg: A): string;
  equals(a: T, b: T): boolean;
}

/** For `Query.equals`: the same items in the same order (the very same objects). */
export function sameItems<T>(a: readonly T[], b: readonly T[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** For `Query.equals`: the same members. */
export function sameMembers<T>(a: ReadonlySet<T>, b: ReadonlySet<T>): boolean {
  if (a.size !== b.size) return false;
  for (const x of a) if (!b.has(x)) return false;
  return true;
}

/** A section header of the chain: the file that writes it and its parse. */
export interface HeaderAt { file: string; section: SectionSyntax }

/** What a computation read of one section (after macros): some of its options, or all of it. */
export interface SectionReads {
  whole: boolean;
  options: Set<string> | undefined;
}

/** Everything one computation read. */
export class Reads {
  sections: Map<string, SectionReads> | undefined;
  rawSections: Map<string, SectionData | undefined> | undefined;
  has: Map<string, boolean> | undefined;
  headers: Map<string, readonly HeaderAt[]> | undefined;
  files: Map<string, number> | undefined;
  queries: Map<string, QueryRead> | undefined;
  chain: readonly string[] | undefined;
  /** Whether some extended file could not be read, when that was read (EffectiveConfig.incomplete). */
  incomplete: boolean | undefined;
  /** A problem was reported while computing (or a result that reported was read): never reused. */
  tainted = false;

  private sectionReads(section: string): SectionReads {
    const all = (this.sections ??= new Map());
    let r = all.get(section);
    if (!r) all.set(section, (r = { whole: false, options: undefined }));
    return r;
  }

  /** `section`'s `option` (after macros) was read. */
  addOption(section: string, option: string): void {
    const r = this.sectionReads(section);
    if (!r.whole) (r.options ??= new Set()).add(option);
  }

  /** The whole of `section` (after macros) was read. */
  addSection(section: string): void {
    const r = this.sectionReads(section);
    r.whole = true;
    r.options = undefined;
  }

  /** Adds what a finished computation read (a nested one, or one reused). */
  merge(other: SealedReads): void {
    for (let i = 0; i < other.sections.length; i++) {
      const options = other.sectionOptions[i];
      if (options === null) this.addSection(other.sections[i]);
      else for (const o of options) this.addOption(other.sections[i], o);
    }
    for (let i = 0; i < other.rawSections.length; i++) (this.rawSections ??= new Map()).set(other.rawSections[i], other.rawSectionValues[i]);
    for (let i = 0; i < other.has.length; i++) (this.has ??= new Map()).set(other.has[i], other.hasValues[i]);
    for (let i = 0; i < other.headers.length; i++) (this.headers ??= new Map()).set(other.headers[i], other.headerLists[i]);
    for (let i = 0; i < other.files.length; i++) (this.files ??= new Map()).set(other.files[i], other.stamps[i]);
    for (const q of other.queries) (this.queries ??= new Map()).set(q.key, q);
    if (other.chain) this.chain = other.chain;
    if (other.incomplete !== undefined) this.incomplete = other.incomplete;
    if (other.tainted) this.tainted = true;
  }

  /** The same reads as flat arrays, for checking them again many times without allocating. */
  seal(): SealedReads {
    // Arrays of their exact size: sealed reads are kept (one per memoised result), and an array grown by
    // push keeps room for 16 elements when it holds two.
    const n = this.sections?.size ?? 0;
    const sections: string[] = n ? new Array(n) : NONE, sectionOptions: (string[] | null)[] = n ? new Array(n) : NONE;
    let i = 0;
    this.sections?.forEach((r, name) => {
      sections[i] = name;
      if (r.whole || !r.options) sectionOptions[i] = r.whole ? null : NONE;
      else {
        const options: string[] = new Array(r.options.size);
        let j = 0;
        r.options.forEach((o) => { options[j++] = o; });
        sectionOptions[i] = options;
      }
      i++;
    });
    return new SealedReads(
      sections, sectionOptions, keys(this.rawSections), values(this.rawSections), keys(this.has), values(this.has),
      keys(this.headers), values(this.headers), keys(this.files), values(this.files), values(this.queries), this.chain, this.incomplete, this.tainted,
    );
  }
}

const NONE: string[] = [];

function keys<T>(m: Map<string, T> | undefined): string[] {
  if (!m || m.size === 0) return NONE;
  const out: string[] = new Array(m.size);
  let i = 0;
  m.forEach((_, k) => { out[i++] = k; });
  return out;
}

function values<T>(m: Map<string, T> | undefined): T[] {
  if (!m || m.size === 0) return NONE as unknown as T[];
  const out: T[] = new Array(m.size);
  let i = 0;
  m.forEach((v) => { out[i++] = v; });
  return out;
}

/** What a finished computation read (see Reads), as parallel arrays. */
export class SealedReads {
  constructor(
    readonly sections: string[],
    /** Per section, the options read, or null when the whole section was read. */
    readonly sectionOptions: (string[] | null)[],
    readonly rawSections: string[],
    readonly rawSectionValues: (SectionData | undefined)[],
    readonly has: string[],
    readonly hasValues: boolean[],
    readonly headers: string[],
    readonly headerLists: (readonly HeaderAt[])[],
    readonly files: string[],
    readonly stamps: number[],
    readonly queries: QueryRead[],
    readonly chain: readonly string[] | undefined,
    readonly incomplete: boolean | undefined,
    public tainted: boolean,
  ) {}

  // Positions by name for long lists, built on their third search (see Positions): checking that a result
  // holds after an edit then costs what the edit changed, not what the result read. A result recomputed at
  // every edit (it reads the edited file) is searched once, and a scan costs less than building a map.
  private positions: (Positions | undefined)[] | undefined;

  /** Where `name` is in `sections` (-1: not read). */
  indexOfSection(name: string): number { return this.search(0, this.sections, name); }
  indexOfRawSection(name: string): number { return this.search(1, this.rawSections, name); }
  indexOfHas(name: string): number { return this.search(2, this.has, name); }
  indexOfFile(file: string): number { return this.search(3, this.files, file); }

  private search(kind: number, list: readonly string[], name: string): number {
    if (list.length <= SHORT_LIST) return list.indexOf(name);
    const all = (this.positions ??= [undefined, undefined, undefined, undefined]);
    let p = all[kind];
    if (!p) all[kind] = p = { searches: 0, index: undefined };
    if (p.index) return p.index.get(name) ?? -1;
    if (++p.searches < 3) return list.indexOf(name);
    p.index = new Map();
    for (let i = 0; i < list.length; i++) p.index.set(list[i], i);
    return p.index.get(name) ?? -1;
  }
}

/** Lists this short are always scanned: a map would cost more memory than it saves time. */
const SHORT_LIST = 8;

interface Positions { searches: number; index: Map<string, number> | undefined }

export class Tracker {
  /** One entry per computation in progress (they nest); null while a result is being re-validated. */
  private readonly frames: (Reads | null)[] = [];

  /** The computation being recorded, if any. */
  get current(): Reads | null {
    const n = this.frames.length;
    return n > 0 ? this.frames[n - 1] : null;
  }

  get recording(): boolean { return this.current !== null; }

  recordFile(file: string, stamp: number): void {
    const f = this.current;
    if (f) (f.files ??= new Map()).set(file, stamp);
  }

  /** Starts recording the reads of a computation. */
  begin(): void { this.frames.push(new Reads()); }

  /** Ends it: its reads are returned, and count as reads of the enclosing computation too. */
  end(tainted = false): SealedReads {
    const frame = this.frames.pop() ?? new Reads();
    if (tainted) frame.tainted = true;
    const reads = frame.seal();
    this.current?.merge(reads);
    return reads;
  }

  /** Reads made until `resume()` are not recorded (checking whether a memoised result still holds). */
  pause(): void { this.frames.push(null); }
  resume(): void { this.frames.pop(); }
}
