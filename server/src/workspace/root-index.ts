// Knows which root profiles (software releases) a folder holds and which files each one reaches through
// `extends`, so that a fragment such as component/foo/buildout.cfg is judged in the context of the roots
// that extend it. It reads only the extends graph (parse + per-file config, memoised by the Workspace),
// never merges, never downloads remote profiles, and lists directories through the Host, one at a time.

import * as path from 'path';
import picomatch from 'picomatch';
import { Target } from '../model/target';
import { Workspace, canonical, isUrl } from './workspace';

export interface RootIndexOptions {
  /** Absolute folders to scan (the editor's workspace folders). */
  folders: string[];
  /** Glob patterns of root profiles, relative to a folder (`**\/software*.cfg`). */
  patterns: string[];
  /** The target the `extends` lists are read for (conditional `[buildout:...]` sections). */
  target: Target;
  /** Lets a long scan give way to other work (the language server's messages) between steps. */
  yieldNow?: () => Promise<void>;
  /** Stops the scan past this many directory entries, so that a huge folder cannot stall the server. */
  maxEntries?: number;
}

/** Directories that never hold profiles worth indexing (and can be very large). */
const SKIPPED_DIRECTORIES = new Set(['node_modules', 'parts', 'eggs', 'develop-eggs', 'download-cache', 'extends-cache', '__pycache__']);

/** The files a root reaches, valid while no file's `extends` changed since `version`. */
interface Closure { version: number; files: Set<string> }

/** What the index knows of one file's `extends`: its targets at a stamp (undefined: unreadable). */
interface Known { stamp: number; targets: readonly string[] | undefined }

export class RootIndex {
  private readonly matchers: { folder: string; match: (relative: string) => boolean }[];
  private readonly fallbackMatch: (p: string) => boolean;
  private readonly rootSet = new Set<string>();
  private readonly closures = new Map<string, Closure>();
  /** Every file met while walking closures, with its `extends` targets. */
  private readonly known = new Map<string, Known>();
  /** rootsReaching's answers, by file (kept while `version` and `rootsVersion` are those they carry). */
  private readonly reaching = new Map<string, { version: number; rootsVersion: number; roots: string[] }>();
  /** Bumped whenever a root is added or removed. */
  private rootsVersion = 0;
  /** Bumped whenever some file's `extends` targets change (or it becomes readable or unreadable). */
  private version = 0;
  /** The workspace's change count when `known` was last compared with the files. */
  private checkedAt = -1;
  private scanning: Promise<void> | undefined;
  private scanned = false;
  private truncated = false;

  constructor(private readonly ws: Workspace, private readonly options: RootIndexOptions) {
    const patterns = options.patterns.length ? options.patterns : ['**/software*.cfg'];
    this.matchers = options.folders.map((f) => ({ folder: canonical(f), match: picomatch(patterns, { dot: true }) }));
    this.fallbackMatch = picomatch(patterns.map((p) => (p.startsWith('**/') ? p : `**/${p}`)), { dot: true });
  }

  /** True when `file` matches the root patterns (relative to the folder that holds it). */
  matchesRootPattern(file: string): boolean {
    file = canonical(file);
    if (isUrl(file)) return false;
    for (const m of this.matchers) {
      const rel = path.relative(m.folder, file);
      if (!rel.startsWith('..') && !path.isAbsolute(rel)) return m.match(rel.split(path.sep).join('/'));
    }
    return this.fallbackMatch(file.replace(/^\/+/, ''));
  }

  get isScanned(): boolean { return this.scanned; }
  get isTruncated(): boolean { return this.truncated; }

  /** The roots found so far. */
  roots(): string[] { return [...this.rootSet].sort(); }

  private addRoot(file: string): void {
    if (this.rootSet.has(file)) return;
    this.rootSet.add(file);
    this.rootsVersion++;
  }

  /** Walks the folders once for root profiles, then computes every root's extends closure. */
  scan(): Promise<void> {
    if (!this.scanning) this.scanning = this.walkAll().then(() => this.computeAll()).then(() => { this.scanned = true; });
    return this.scanning;
  }

  /** A file appeared on disk (or was opened): index it if it is a root. */
  noteFile(file: string): void {
    file = canonical(file);
    if (this.matchesRootPattern(file) && this.ws.host.exists(file)) this.addRoot(file);
  }

  /** A file disappeared from disk. */
  forgetFile(file: string): void {
    file = canonical(file);
    if (this.rootSet.delete(file)) this.rootsVersion++;
    this.closures.delete(file);
  }

  /**
   * Every file `root` reaches through `extends` (itself included). Memoised until some file's `extends`
   * changes: editing a file's other lines (what typing does) leaves every closure valid.
   */
  reachedBy(root: string): Set<string> {
    root = canonical(root);
    this.refreshKnown();
    const cached = this.closures.get(root);
    if (cached && cached.version === this.version) return cached.files;
    const closure = this.computeClosure(root);
    this.closures.set(root, closure);
    return closure.files;
  }

  /**
   * The indexed roots whose extends chain reaches `file` (the file itself excluded). Memoised per file
   * until a root appears or goes or some `extends` changes: the editor asks for the open files at every edit.
   */
  rootsReaching(file: string): string[] {
    file = canonical(file);
    this.refreshKnown();
    const cached = this.reaching.get(file);
    if (cached && cached.version === this.version && cached.rootsVersion === this.rootsVersion) return cached.roots;
    const roots = this.roots().filter((r) => r !== file && this.reachedBy(r).has(file));
    this.reaching.set(file, { version: this.version, rootsVersion: this.rootsVersion, roots });
    return roots;
  }

  /**
   * Of the roots that reach a fragment, the one that judges it: the closest to it in the folder tree,
   * then the one with the smallest chain. The editor and the command line both judge a fragment there.
   */
  nearestRoot(file: string, roots: readonly string[]): string {
    const depthInCommon = (a: string, b: string) => {
      const x = path.dirname(a).split(path.sep), y = path.dirname(b).split(path.sep);
      let i = 0;
      while (i < x.length && i < y.length && x[i] === y[i]) i++;
      return i;
    };
    return [...roots].sort((a, b) => depthInCommon(file, b) - depthInCommon(file, a) || this.reachedBy(a).size - this.reachedBy(b).size || (a < b ? -1 : 1))[0];
  }

  /** Compares what is known of each file's `extends` with the files now: only those changed since the last time. */
  private refreshKnown(): void {
    const count = this.ws.changeCount;
    if (count === this.checkedAt) return;
    const changed = this.checkedAt < 0 ? undefined : this.ws.filesChangedSince(this.checkedAt);
    this.checkedAt = count;
    for (const file of changed ?? [...this.known.keys()]) {
      const known = this.known.get(file);
      if (!known) continue;
      const stamp = this.ws.stampOf(file);
      if (stamp === known.stamp) continue;
      const now = this.extendsOf(file);
      if (!sameTargets(now.targets, known.targets)) this.version++;
      this.known.set(file, now);
    }
  }

  private extendsOf(file: string): Known {
    return this.ws.extendsOfFile(file, this.options.target);
  }

  private computeClosure(root: string): Closure {
    const walk = this.walkClosure(root);
    for (let step = walk.next(); !step.done; step = walk.next()) { /* synchronously to the end */ }
    return this.closures.get(root)!;
  }

  /** Walks the extends graph from `root`, yielding after each file read, and records the closure. */
  private *walkClosure(root: string): Generator<void, void> {
    const version = this.version;
    const files = new Set<string>();
    const queue = [root];
    while (queue.length) {
      const file = queue.pop()!;
      if (files.has(file)) continue;
      files.add(file);
      if (isUrl(file)) continue;
      let known = this.known.get(file);
      if (!known || known.stamp !== this.ws.stampOf(file)) {
        known = this.extendsOf(file);
        this.known.set(file, known);
      }
      if (known.targets) queue.push(...known.targets);
      yield;
    }
    // A file whose `extends` changed while this walk gave way is compared again on the next query.
    this.closures.set(root, { version, files });
  }

  private async walkAll(): Promise<void> {
    const yieldNow = this.options.yieldNow ?? (() => new Promise<void>((resolve) => setImmediate(resolve)));
    let budget = this.options.maxEntries ?? 200_000;
    // Folders reached through a symbolic link are known by their real path: three links to `.` in one
    // folder made the scan list the same profiles over and over (23,530 "roots" in a folder of two).
    const queue = this.options.folders.map((f) => ({ dir: canonical(f), identity: canonical(f) }));
    const seen = new Set<string>();
    while (queue.length) {
      const { dir, identity } = queue.shift()!;
      if (seen.has(identity)) continue;
      seen.add(identity);
      const entries = this.ws.host.readDir(dir);
      if (!Array.isArray(entries)) continue;
      budget -= entries.length;
      if (budget < 0) { this.truncated = true; return; }
      for (const e of entries) {
        const full = path.join(dir, e.name);
        if (e.isDirectory) {
          if (!e.name.startsWith('.') && !SKIPPED_DIRECTORIES.has(e.name)) queue.push({ dir: full, identity: e.realPath ?? path.join(identity, e.name) });
        } else if (this.matchesRootPattern(full)) this.addRoot(full);
      }
      await yieldNow();
    }
  }

  /** Computes every root's closure in the background, giving way every few files (each may be parsed now). */
  private async computeAll(): Promise<void> {
    const yieldNow = this.options.yieldNow ?? (() => new Promise<void>((resolve) => setImmediate(resolve)));
    for (const root of this.roots()) {
      this.refreshKnown();
      const cached = this.closures.get(root);
      if (cached && cached.version === this.version) continue;
      let steps = 0;
      for (const _ of this.walkClosure(root)) if (++steps % 8 === 0) await yieldNow();
      await yieldNow();
    }
  }
}

function sameTargets(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  if (a === b) return true;
  if (!a || !b || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
