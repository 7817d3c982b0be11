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

interface Closure { stamps: Map<string, number>; files: Set<string> }

export class RootIndex {
  private readonly matchers: { folder: string; match: (relative: string) => boolean }[];
  private readonly fallbackMatch: (p: string) => boolean;
  private readonly rootSet = new Set<string>();
  private readonly closures = new Map<string, Closure>();
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

  /** Walks the folders once for root profiles, then computes every root's extends closure. */
  scan(): Promise<void> {
    if (!this.scanning) this.scanning = this.walkAll().then(() => this.computeAll()).then(() => { this.scanned = true; });
    return this.scanning;
  }

  /** A file appeared on disk (or was opened): index it if it is a root. */
  noteFile(file: string): void {
    file = canonical(file);
    if (this.matchesRootPattern(file) && this.ws.host.exists(file)) this.rootSet.add(file);
  }

  /** A file disappeared from disk. */
  forgetFile(file: string): void {
    file = canonical(file);
    this.rootSet.delete(file);
    this.closures.delete(file);
  }

  /** Every file `root` reaches through `extends` (itself included); memoised by the stamps of those files. */
  reachedBy(root: string): Set<string> {
    root = canonical(root);
    const cached = this.closures.get(root);
    if (cached && [...cached.stamps].every(([f, s]) => this.ws.stampOf(f) === s)) return cached.files;
    const closure = this.computeClosure(root);
    this.closures.set(root, closure);
    return closure.files;
  }

  /** The indexed roots whose extends chain reaches `file` (the file itself excluded). */
  rootsReaching(file: string): string[] {
    file = canonical(file);
    return this.roots().filter((r) => r !== file && this.reachedBy(r).has(file));
  }

  private computeClosure(root: string): Closure {
    const walk = this.walkClosure(root);
    for (let step = walk.next(); !step.done; step = walk.next()) { /* synchronously to the end */ }
    return this.closures.get(root)!;
  }

  /** Walks the extends graph from `root`, yielding after each file read, and records the closure. */
  private *walkClosure(root: string): Generator<void, void> {
    const stamps = new Map<string, number>();
    const files = new Set<string>();
    const queue = [root];
    while (queue.length) {
      const file = queue.pop()!;
      if (files.has(file)) continue;
      files.add(file);
      if (isUrl(file)) continue;
      const text = this.ws.readText(file);
      stamps.set(file, text.stamp);
      if (!('text' in text)) continue;
      const config = this.ws.fileConfigOf(file, text, this.options.target);
      queue.push(...this.ws.extendsTargetsOf(file, config));
      yield;
    }
    this.closures.set(root, { stamps, files });
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
        } else if (this.matchesRootPattern(full)) this.rootSet.add(full);
      }
      await yieldNow();
    }
  }

  /** Computes every root's closure in the background, giving way every few files (each may be parsed now). */
  private async computeAll(): Promise<void> {
    const yieldNow = this.options.yieldNow ?? (() => new Promise<void>((resolve) => setImmediate(resolve)));
    for (const root of this.roots()) {
      const cached = this.closures.get(root);
      if (cached && [...cached.stamps].every(([f, st]) => this.ws.stampOf(f) === st)) continue;
      let steps = 0;
      for (const _ of this.walkClosure(root)) if (++steps % 8 === 0) await yieldNow();
      await yieldNow();
    }
  }
}
