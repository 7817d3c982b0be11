// Holds everything the checker knows about files: open editor buffers layered over the disk, and
// memoised parses, per-file configurations and effective configurations. Every cache lives in this
// object (never in module globals) and is keyed by file stamps, so invalidation is automatic:
// a stamp changes when a buffer is edited or the file changes on disk.

import * as path from 'path';
import { Host } from '../host/host';
import { ProfileSyntax, parseProfile } from '../syntax/parse-profile';
import { FileConfig, evaluateFile } from '../model/file-config';
import { Target } from '../model/target';
import { decodeProfile } from './decode';
import { EffectiveConfig } from '../model/effective-config';
import { SectionData } from '../model/config';
import { Reference, findReferences } from '../model/references';
import { MergeMemo, loadEffectiveConfig, newMergeMemo, resolveExtendsName } from '../model/load-profile';
import { Tracker } from '../model/tracking';
import { FileDigests } from './file-digests';

export type TextResult = { text: string; stamp: number } | { error: string; kind: string; stamp: number };

export interface WorkspaceOptions {
  /** Whether remote `extends` may be downloaded. */
  allowNetwork: boolean;
  downloadTimeoutMs: number;
}

/**
 * True for `scheme://...` (a scheme is a letter, then letters, digits, `+`, `.` or `-`). Scanned by hand:
 * it runs on every path the checker meets, and a regular expression match allocates on code not yet optimised.
 */
export function isUrl(name: string): boolean {
  const n = name.length;
  if (n === 0 || !isLetter(name.charCodeAt(0))) return false;
  for (let i = 1; i < n; i++) {
    const c = name.charCodeAt(i);
    if (c === 58 /* : */) return name.charCodeAt(i + 1) === 47 && name.charCodeAt(i + 2) === 47;
    if (!(isLetter(c) || (c >= 48 && c <= 57) || c === 43 || c === 46 || c === 45)) return false;
  }
  return false;
}

function isLetter(c: number): boolean { return (c >= 65 && c <= 90) || (c >= 97 && c <= 122); }

const NO_REFERENCES: readonly Reference[] = [];
const NOT_NORMAL = /\/\/|\/\.\.?(\/|$)|.\/$/;

/** Canonical identity of a local path or URL, used as every cache key. */
export function canonical(name: string): string {
  // Fast path for what the caches already hold: an absolute path with no `.`, `..` or empty segment.
  if (name.charCodeAt(0) === 47 && name.indexOf('//') < 0 && name.charCodeAt(name.length - 1) !== 47 && (name.indexOf('/.') < 0 || !NOT_NORMAL.test(name))) return name;
  if (isUrl(name)) { try { return new URL(name).href; } catch { return name; } }
  return path.resolve(name);
}

/** How many changed files the Workspace remembers for filesChangedSince. */
const MAX_RECENT_CHANGES = 256;

export class Workspace {
  private readonly overlays = new Map<string, { text: string; version: number }>();
  private readonly stamps = new Map<string, number>();
  private nextStamp = 1;
  private readonly texts = new Map<string, TextResult>();
  private readonly syntaxes = new Map<string, { stamp: number; syntax: ProfileSyntax }>();
  private readonly fileConfigs = new Map<string, { stamp: number; config: FileConfig }>();
  private readonly remote = new Map<string, Promise<TextResult>>();
  private readonly configs = new Map<string, { stamps: ReadonlyMap<string, number>; changes: number; config: EffectiveConfig }>();
  /**
   * Bumped whenever a file changes. A configuration is handed out again only while nothing changed: what
   * was derived from it may have read files outside its extends chain (templates, patches, their digests),
   * and a new configuration of the same lineage re-validates it (EffectiveConfig.derive).
   */
  private changes = 0;
  /** The files of the latest changes, the newest last: `changes - recent.length` is the count before the first. */
  private readonly recent: string[] = [];
  private readonly references = new Map<string, Reference[]>();
  /** What each per-file section became when merged as a new section (shared by every root and target). */
  private readonly newSections = new WeakMap<SectionData, SectionData>();
  /** Merge memos per root, shared by its targets. */
  private readonly mergeMemos = new Map<string, MergeMemo>();
  /** Remote profiles already downloaded (or refused), for the synchronous walk of extends chains. */
  private readonly remoteTexts = new Map<string, TextResult>();
  /** Records what memoised computations read (see EffectiveConfig.derive). */
  readonly tracker = new Tracker();
  /** The canonical files a per-file configuration's `extends` names (it cannot change without a new FileConfig). */
  private readonly extendsTargets = new WeakMap<FileConfig, string[]>();
  /** For each file, the roots whose last computed chain contained it. */
  private readonly reachedBy = new Map<string, Set<string>>();
  private readonly derived = new WeakMap<object, Map<string, unknown>>();

  /** How many times a profile's text was parsed (whole or from its previous parse): tests and benchmarks read it. */
  parses = 0;

  /** Digests of local files that profiles download (templates, patches), memoised by stamp. */
  readonly digests: FileDigests = new FileDigests(this);
  /** The input logs open now (see openInputLog). */
  private readonly inputLogs = new Set<InputLog>();

  constructor(readonly host: Host, readonly options: WorkspaceOptions = { allowNetwork: false, downloadTimeoutMs: 30000 }) {}

  private bump(file: string): void {
    this.changes++;
    if (this.recent.length >= MAX_RECENT_CHANGES) this.recent.splice(0, this.recent.length >> 1);
    this.recent.push(file);
    this.stamps.set(file, this.nextStamp++);
    this.texts.delete(file);
  }

  /** How many times a file changed: nothing changed while it stays the same. */
  get changeCount(): number { return this.changes; }

  /**
   * The files that changed since the change count was `count` (with repeats), or undefined when that is
   * too long ago to tell: then any file may have. Lets an index compare only what an edit touched.
   */
  filesChangedSince(count: number): readonly string[] | undefined {
    const first = this.changes - this.recent.length;
    return count < first ? undefined : this.recent.slice(count - first);
  }

  stampOf(file: string): number {
    let s = this.stamps.get(file);
    if (s === undefined) { s = this.nextStamp++; this.stamps.set(file, s); }
    return s;
  }

  /** An editor buffer replaces the disk content of `file` until closed. */
  setOverlay(file: string, text: string, version: number): void {
    file = canonical(file);
    const prev = this.overlays.get(file);
    if (prev && prev.text === text) { prev.version = version; return; }
    this.overlays.set(file, { text, version });
    this.bump(file);
  }

  removeOverlay(file: string): void {
    file = canonical(file);
    if (this.overlays.delete(file)) this.bump(file);
  }

  hasOverlay(file: string): boolean { return this.overlays.has(canonical(file)); }
  overlayVersion(file: string): number | undefined { return this.overlays.get(canonical(file))?.version; }
  overlayText(file: string): string | undefined { return this.overlays.get(canonical(file))?.text; }

  /** The file changed on disk (or was created or deleted). */
  invalidate(file: string): void {
    file = canonical(file);
    if (!this.overlays.has(file)) this.bump(file);
  }

  /** The current text of a local file (buffer or disk), decoded as buildout would read it. */
  readText(file: string): TextResult {
    file = canonical(file);
    const stamp = this.stampOf(file);
    if (this.tracker.recording) this.tracker.recordFile(file, stamp);
    if (this.inputLogs.size) for (const log of this.inputLogs) log.texts.set(file, stamp);
    const cached = this.texts.get(file);
    if (cached && cached.stamp === stamp) return cached;
    let result: TextResult;
    const overlay = this.overlays.get(file);
    if (overlay) result = { text: overlay.text, stamp };
    else {
      const bytes = this.host.readFile(file);
      if (!(bytes instanceof Uint8Array)) result = { error: bytes.error, kind: bytes.kind, stamp };
      else {
        const decoded = decodeProfile(bytes);
        result = 'text' in decoded ? { text: decoded.text, stamp } : { error: decoded.error, kind: 'not-text', stamp };
      }
    }
    this.texts.set(file, result);
    return result;
  }

  /** A remote profile's text if it was already read (see readRemote), else undefined. */
  remoteText(url: string): TextResult | undefined {
    return this.remoteTexts.get(canonical(url));
  }

  /** Reads a remote profile once per session (or says why not). */
  readRemote(url: string): Promise<TextResult> {
    url = canonical(url);
    let p = this.remote.get(url);
    if (!p) {
      const stamp = this.stampOf(url);
      if (!this.options.allowNetwork) p = Promise.resolve({ error: `${url} was not downloaded: network access is turned off`, kind: 'offline', stamp });
      else p = this.host.fetch(url, { timeoutMs: this.options.downloadTimeoutMs, maxBytes: 16 * 1024 * 1024 }).then((r) => {
        if ('error' in r) return { error: r.error, kind: 'unreachable', stamp };
        const d = decodeProfile(r.bytes);
        return 'text' in d ? { text: d.text, stamp } : { error: `${url}: ${d.error}`, kind: 'not-text', stamp };
      });
      const id = url;
      p = p.then((r) => { this.remoteTexts.set(id, r); return r; });
      this.remote.set(url, p);
    }
    return p;
  }

  /** The parse of a file's current text (memoised by stamp); undefined when it cannot be read. */
  syntaxOf(file: string, text?: TextResult): ProfileSyntax | undefined {
    file = canonical(file);
    if (text === undefined && isUrl(file) && this.tracker.recording) this.tracker.recordFile(file, this.stampOf(file));
    const t = text ?? (isUrl(file) ? undefined : this.readText(file));
    if (!t || !('text' in t)) return this.syntaxes.get(file)?.syntax;
    const cached = this.syntaxes.get(file);
    if (cached && cached.stamp === t.stamp) return cached.syntax;
    // The previous parse lets unchanged options keep their identity (see parseProfile).
    const syntax = parseProfile(t.text, cached?.syntax);
    this.parses++;
    this.syntaxes.set(file, { stamp: t.stamp, syntax });
    return syntax;
  }

  /**
   * A computation is about to copy offsets of `file`'s options or sections. An edit above an option moves
   * it without making it a new object (see parseProfile), so a memoised result that copied its offsets
   * depends on the file's text: recorded here as a read of it.
   */
  readPositions(file: string): void {
    if (!this.tracker.recording) return;
    file = canonical(file);
    this.tracker.recordFile(file, this.stampOf(file));
  }

  /** The per-file configuration for a target (memoised by stamp and target). */
  fileConfigOf(file: string, text: TextResult & { text: string }, target: Target): FileConfig {
    file = canonical(file);
    const syntax = this.syntaxOf(file, text)!;
    // Only conditional sections depend on the target: most files are evaluated once for every target.
    const key = syntax.hasConditions ? `${file}\0${targetKey(target)}` : file;
    const cached = this.fileConfigs.get(key);
    if (cached && cached.stamp === text.stamp) return cached.config;
    const config = evaluateFile(file, syntax, target, cached?.config);
    this.fileConfigs.set(key, { stamp: text.stamp, config });
    return config;
  }

  /** The effective configuration of a root profile; reuses the last one while no file of its chain changed. */
  async effectiveConfig(root: string, target: Target): Promise<EffectiveConfig> {
    root = canonical(root);
    const key = `${root}\0${targetKey(target)}`;
    const cached = this.configs.get(key);
    // Stamps move only when a file changes, so an unchanged count means unchanged stamps.
    if (cached && cached.changes === this.changes) return cached.config;
    let memo = this.mergeMemos.get(root);
    if (!memo) this.mergeMemos.set(root, (memo = newMergeMemo(this.newSections)));
    const { config, stamps, sameFiles } = await loadEffectiveConfig(this, root, target, memo);
    this.configs.set(key, { stamps, changes: this.changes, config });
    // A chain walked again over the same files reaches no new one.
    if (!sameFiles) for (const f of stamps.keys()) {
      let set = this.reachedBy.get(f);
      if (!set) this.reachedBy.set(f, (set = new Set()));
      set.add(root);
    }
    return config;
  }

  /**
   * Lets go of what checking `root` memoised for the next check of the same root (its effective
   * configurations, merges and derived results), keeping what every root shares (texts, parses, per-file
   * configurations, digests). A batch that checks each root once calls it after each: otherwise every
   * root's memo stays alive to the end, and the collector copies it over and over.
   */
  forgetRoot(root: string): void {
    root = canonical(root);
    this.mergeMemos.delete(root);
    const prefix = `${root}\0`;
    for (const key of [...this.configs.keys()]) if (key.startsWith(prefix)) this.configs.delete(key);
  }

  /**
   * Where a file's `extends` entries point for `target`, and the stamp that answer is for; targets are
   * undefined when the file cannot be read. A file whose parse is not kept (nor its text) is read, parsed and
   * dropped: the root index asks this of every profile of the workspace, and keeping all their parses
   * would hold memory no check needs.
   */
  extendsOfFile(file: string, target: Target): { stamp: number; targets: string[] | undefined } {
    file = canonical(file);
    const stamp = this.stampOf(file);
    const cachedText = this.texts.get(file);
    // A file whose parse is kept (a checked file, an open one being edited) is parsed through syntaxOf,
    // from its previous parse: parsing it whole and dropping it here doubled the work of every keystroke.
    if (this.syntaxes.has(file) || this.overlays.has(file) || cachedText?.stamp === stamp) {
      const text = this.readText(file);
      if (!('text' in text)) return { stamp, targets: undefined };
      return { stamp, targets: this.extendsTargetsOf(file, this.fileConfigOf(file, text, target)) };
    }
    // Not open (that was the branch above): the disk has the text.
    const bytes = this.host.readFile(file);
    if (!(bytes instanceof Uint8Array)) return { stamp, targets: undefined };
    const decoded = decodeProfile(bytes);
    if (!('text' in decoded)) return { stamp, targets: undefined };
    this.parses++;
    const config = evaluateFile(file, parseProfile(decoded.text), target);
    return { stamp, targets: config.extends.map((e) => canonical(resolveExtendsName(file, e.name))) };
  }

  /** Where each `extends` entry of `config` (the per-file configuration of `file`) points, canonical. */
  extendsTargetsOf(file: string, config: FileConfig): string[] {
    let targets = this.extendsTargets.get(config);
    if (!targets) {
      targets = config.extends.map((e) => canonical(resolveExtendsName(file, e.name)));
      this.extendsTargets.set(config, targets);
    }
    return targets;
  }

  /**
   * The `${}` references in a value or a template (memoised by the text: after an edit, nearly every
   * value of the effective configuration is the same string as before). Callers must not modify the result.
   */
  referencesIn(text: string): readonly Reference[] {
    if (!text.includes('${')) return NO_REFERENCES;
    let refs = this.references.get(text);
    if (!refs) {
      if (this.references.size >= 100_000) this.references.clear();
      refs = findReferences(text);
      this.references.set(text, refs);
    }
    return refs;
  }

  /**
   * Data derived from an immutable object (an effective configuration, a set of installed parts),
   * computed once per owner and key: rules of one check share it, and it goes when the owner goes.
   */
  memo<T>(owner: object, key: string, compute: () => T): T {
    let byKey = this.derived.get(owner);
    if (!byKey) this.derived.set(owner, (byKey = new Map()));
    if (!byKey.has(key)) byKey.set(key, compute());
    return byKey.get(key) as T;
  }

  /**
   * Starts logging which files a computation reads, as text or as bytes to hash, and at which stamp, until
   * `closeInputLog`: what a check's result depends on (see lsp/check-snapshots.ts). Memoised results read
   * nothing, so a log is complete only for work done afresh; callers add what the memo keys say.
   */
  openInputLog(): InputLog {
    const log: InputLog = { texts: new Map(), bytes: new Map() };
    this.inputLogs.add(log);
    return log;
  }

  closeInputLog(log: InputLog): void { this.inputLogs.delete(log); }

  /** Called by FileDigests when it hashes (or reuses the hash of) a file's bytes. */
  noteBytesRead(file: string, stamp: number): void {
    if (this.tracker.recording) this.tracker.recordFile(file, stamp);
    if (this.inputLogs.size) for (const log of this.inputLogs) log.bytes.set(file, stamp);
  }

  /** The files (and their stamps) of the effective configurations last computed for `root`, any target. */
  chainOf(root: string): Map<string, number> {
    const out = new Map<string, number>();
    const prefix = `${canonical(root)}\0`;
    for (const [key, { stamps }] of this.configs) if (key.startsWith(prefix)) for (const [f, s] of stamps) out.set(f, s);
    return out;
  }

  /** Roots whose last computed chain read `file`. */
  rootsReaching(file: string): string[] {
    return [...(this.reachedBy.get(canonical(file)) ?? [])];
  }
}

/** Files a computation read while the log was open, with the stamp each had (see Workspace.openInputLog). */
export interface InputLog {
  /** Read as text (profiles, markers, `buildout.hash.cfg`), missing files included. */
  texts: Map<string, number>;
  /** Read as bytes to hash (templates and patches an md5sum is checked against). */
  bytes: Map<string, number>;
}

export function targetKey(t: Target): string {
  return `${t.implementation}${t.python.join('.')}-${t.sysPlatform}-${t.machine}`;
}
