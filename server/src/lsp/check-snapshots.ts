// Snapshots of a root's check that outlive the session: its findings, and a digest of every file the check
// read. A language server that starts in a release it judged before has the answer already: when every
// input of a saved check has the same content now (open buffers included), the snapshot's findings are
// what the check would find, and they can be shown before the check itself has run (a 250-file release
// takes some 200 ms to check in a fresh process, most of it before V8 has optimised anything). The check
// still runs right after and its findings replace the snapshot's, so a dependency the log missed costs a
// moment of stale diagnostics, never a wrong state. Snapshots live in the user's own cache folder
// (mode 0700, files 0600), one per root, build and settings, like the code cache of server/src/boot/.

import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { Finding, SEVERITY_ORDER } from '../core/finding';
import { cacheFolder } from '../host/cache-folder';
import { Mode } from '../protocol';
import { InputLog, Workspace, isUrl } from '../workspace/workspace';

/** What a snapshot gives back: what the session publishes for a root. */
export interface SnapshotContent {
  mode: Mode;
  findings: Finding[];
  /** The local files the root downloads or renders (editing one re-checks the root). */
  downloads: string[];
}

interface SnapshotFile {
  format: typeof FORMAT;
  build: string;
  root: string;
  settings: string;
  /** [file, digest of its text] for every file read as text; [file, md5] for every file hashed as bytes. */
  texts: [string, string][];
  bytes: [string, string][];
  content: SnapshotContent;
}

const FORMAT = 1;
/** Snapshots kept at most; the oldest go first (a maintainer opens a few dozen releases, not thousands). */
const MAX_SNAPSHOTS = 200;

export class CheckSnapshots {
  /**
   * @param dir the folder snapshots are kept in
   * @param build identifies the program that made a snapshot: another build may judge differently
   */
  constructor(readonly dir: string, private readonly build: string) {}

  /** The store in the user's cache folder, or undefined when turned off (BUILDOUT_FREEZE_SNAPSHOTS=off) or homeless. */
  static inUserCache(build: string): CheckSnapshots | undefined {
    if (process.env.BUILDOUT_FREEZE_SNAPSHOTS === 'off') return undefined;
    const folder = cacheFolder();
    return folder ? new CheckSnapshots(path.join(folder, 'snapshots'), build) : undefined;
  }

  /**
   * The saved findings of `root` under `settings` if every file they were computed from is unchanged in `ws`
   * (and, with `reading`, if that file is one of them: a fragment the root still extends).
   */
  lookup(ws: Workspace, root: string, settings: string, reading?: string): SnapshotContent | undefined {
    let saved: SnapshotFile;
    try {
      saved = JSON.parse(fs.readFileSync(this.fileFor(root, settings), 'utf8')) as SnapshotFile;
    } catch {
      return undefined;
    }
    if (saved?.format !== FORMAT || saved.build !== this.build || saved.root !== root || saved.settings !== settings) return undefined;
    // A snapshot is our own file, but a disk, a crash or another version may have left anything in it.
    if (!isInputList(saved.texts) || !isInputList(saved.bytes) || !isContent(saved.content)) return undefined;
    if (reading !== undefined && !saved.texts.some(([file]) => file === reading)) return undefined;
    for (const [file, digest] of saved.texts) if (textDigest(ws, file) !== digest) return undefined;
    for (const [file, digest] of saved.bytes) if (bytesDigest(ws, file) !== digest) return undefined;
    return saved.content;
  }

  /**
   * Saves what a check of `root` found, with the digests of its inputs as the workspace holds them now.
   * Refuses (returns false) when an input changed since the check read it (its stamp moved: the findings
   * are not those of the current contents) or comes from the network (its content is not checked cheaply).
   */
  save(ws: Workspace, root: string, settings: string, content: SnapshotContent, inputs: InputLog): boolean {
    const texts: [string, string][] = [];
    const bytes: [string, string][] = [];
    for (const [file, stamp] of inputs.texts) {
      if (isUrl(file) || ws.stampOf(file) !== stamp) return false;
      texts.push([file, textDigest(ws, file)]);
    }
    for (const [file, stamp] of inputs.bytes) {
      if (ws.stampOf(file) !== stamp) return false;
      bytes.push([file, bytesDigest(ws, file)]);
    }
    const saved: SnapshotFile = { format: FORMAT, build: this.build, root, settings, texts, bytes, content };
    // A read-only or full disk: the next session checks from scratch.
    if (!this.write(this.fileFor(root, settings), JSON.stringify(saved))) return false;
    try { this.prune(); } catch { /* pruned next time */ }
    return true;
  }

  /**
   * Remembers the root a fragment (a file that is not a root) was judged in, so that a later session can
   * show that root's findings on it before the workspace has been scanned for roots.
   */
  rememberRoot(fragment: string, root: string): void {
    const file = this.fragmentFileFor(fragment);
    const text = JSON.stringify({ format: FORMAT, fragment, root });
    try {
      if (fs.readFileSync(file, 'utf8') === text) return;
    } catch { /* not yet remembered */ }
    // Not written: nothing is lost, the next session scans first.
    this.write(file, text);
  }

  /** The root `fragment` was last judged in, if remembered. */
  rememberedRoot(fragment: string): string | undefined {
    try {
      const saved = JSON.parse(fs.readFileSync(this.fragmentFileFor(fragment), 'utf8')) as { format?: number; fragment?: string; root?: unknown };
      return saved.format === FORMAT && saved.fragment === fragment && typeof saved.root === 'string' ? saved.root : undefined;
    } catch {
      return undefined;
    }
  }

  /** Writes one of our files whole or not at all (a temporary file renamed over it), readable by the user only. */
  private write(file: string, text: string): boolean {
    try {
      fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
      const temporary = `${file}.${process.pid}.tmp`;
      fs.writeFileSync(temporary, text, { mode: 0o600 });
      fs.renameSync(temporary, file);
      return true;
    } catch {
      return false;
    }
  }

  private fragmentFileFor(fragment: string): string {
    return path.join(this.dir, `fragment-${crypto.createHash('sha256').update(fragment).digest('hex').slice(0, 32)}.json`);
  }

  private fileFor(root: string, settings: string): string {
    const name = crypto.createHash('sha256').update(`${this.build}\0${root}\0${settings}`).digest('hex').slice(0, 32);
    return path.join(this.dir, `${name}.json`);
  }

  private prune(): void {
    const names = fs.readdirSync(this.dir).filter((n) => n.endsWith('.json'));
    if (names.length <= MAX_SNAPSHOTS) return;
    const byAge = names.map((n) => {
      const file = path.join(this.dir, n);
      try { return { file, at: fs.statSync(file).mtimeMs }; } catch { return { file, at: 0 }; }
    }).sort((a, b) => b.at - a.at);
    for (const old of byAge.slice(MAX_SNAPSHOTS)) fs.rmSync(old.file, { force: true });
  }
}

function isInputList(x: unknown): x is [string, string][] {
  return Array.isArray(x) && x.every((e) => Array.isArray(e) && e.length === 2 && typeof e[0] === 'string' && typeof e[1] === 'string');
}

const isPosition = (p: unknown) => typeof p === 'object' && p !== null && Number.isInteger((p as { line: unknown }).line) && Number.isInteger((p as { character: unknown }).character);
const isRange = (r: unknown) => typeof r === 'object' && r !== null && isPosition((r as { start: unknown }).start) && isPosition((r as { end: unknown }).end);

function isContent(x: unknown): x is SnapshotContent {
  const c = x as SnapshotContent;
  return typeof c === 'object' && c !== null && (c.mode === 'release' || c.mode === 'development')
    && Array.isArray(c.downloads) && c.downloads.every((d) => typeof d === 'string')
    && Array.isArray(c.findings) && c.findings.every((f) => typeof f === 'object' && f !== null
      && typeof f.file === 'string' && typeof f.code === 'string' && typeof f.message === 'string' && typeof f.profile === 'string'
      && Object.hasOwn(SEVERITY_ORDER, f.severity) && isRange(f.range)
      && (f.related === undefined || (Array.isArray(f.related) && f.related.every((r) => typeof r?.file === 'string' && typeof r.message === 'string' && isRange(r.range))))
      && (f.data === undefined || (typeof f.data === 'object' && f.data !== null)));
}

/** The content of a file read as text, as the workspace sees it (an open buffer wins), or why it could not be read. */
function textDigest(ws: Workspace, file: string): string {
  const text = ws.readText(file);
  return 'text' in text ? crypto.createHash('sha1').update(text.text).digest('hex') : `!${text.kind}`;
}

/** The md5 of a file hashed as bytes (memoised by the workspace: the check reuses it), or why not. */
function bytesDigest(ws: Workspace, file: string): string {
  const digest = ws.digests.digest(file, 'md5');
  return 'hex' in digest ? digest.hex : `!${digest.kind}`;
}
