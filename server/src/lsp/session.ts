// The language server's state and its life while editing: open buffers over the disk (in the Workspace),
// which root profiles each open file is judged in, the debounced re-checks, and the publication of each
// root's findings on the files they sit in. Every check goes through `checkProfile`; nothing here knows
// a rule. Results are published only for the document versions they were computed from.

import * as path from 'path';
import { Diagnostic } from 'vscode-languageserver/node';
import { CheckResult, checkProfile, effectiveOptions, loadForTarget } from '../check';
import { Finding } from '../core/finding';
import { Host } from '../host/host';
import { EffectiveConfig } from '../model/effective-config';
import { Target } from '../model/target';
import { DEFAULT_SETTINGS, Mode, Settings, StatusParams } from '../protocol';
import { hasTemplateName, looksLikeProfile } from '../syntax/looks-like-profile';
import { downloadsOf } from '../model/downloads';
import { MARKER_FILE } from '../core/settings';
import { RootIndex } from '../workspace/root-index';
import { CheckSnapshots, SnapshotContent } from './check-snapshots';
import { InputLog, Workspace, canonical, isUrl } from '../workspace/workspace';
import { pathToUri, toDiagnostic } from './convert';
import { CheckReason, DEFAULT_DEBOUNCE, DebounceOptions, EditDebouncer } from './debounce';
import { checkOptionsOf, indexSettingsChanged, indexTargetOf } from './settings';

/** What the session needs from the connection; the server wires it, tests may fake it. */
export interface SessionPeer {
  publishDiagnostics(uri: string, version: number | undefined, diagnostics: Diagnostic[]): void;
  sendStatus(params: StatusParams): void;
  log(message: string): void;
  error(message: string): void;
  /** A line for the protocol trace (`$/logTrace`), sent only while the client traces. */
  trace?(message: string): void;
}

export interface SessionOptions {
  folders: string[];
  /** False in an untrusted workspace: no network, no processes. */
  trusted: boolean;
  debounce?: DebounceOptions;
  /** Delay before the workspace folders are scanned for roots when nothing asks for them earlier. */
  indexDelayMs?: number;
  /** Findings of earlier sessions, shown while a root's first check runs (see check-snapshots.ts). */
  snapshots?: CheckSnapshots;
  /** How long after a root's check its snapshot is saved (default 2 s: not while typing). */
  snapshotDelayMs?: number;
}

interface OpenDocument { uri: string; version: number }

interface RootResult {
  /** Findings grouped by the file they sit in. */
  byFile: Map<string, Finding[]>;
  mode: Mode;
  /** Every file the findings depend on, at the stamp they were computed from (absent for a snapshot's). */
  inputs?: InputLog;
  /** The settings the check ran with (see snapshotSettings). */
  settings?: string;
}

const yieldNow = () => new Promise<void>((resolve) => setImmediate(resolve));

export class Session {
  ws: Workspace;
  index: RootIndex;
  settings: Settings = DEFAULT_SETTINGS;
  /** The mode of the last check, for the status bar. */
  lastMode: Mode = 'release';
  private readonly open = new Map<string, OpenDocument>();
  /** For each open file, the roots it is judged in (empty: not a profile, nothing to check). */
  private readonly rootsByDoc = new Map<string, string[]>();
  private readonly results = new Map<string, RootResult>();
  private readonly dirty = new Set<string>();
  /** For each checked root, the local files it downloads or renders (memoised by the check's rules). */
  private readonly downloads = new Map<string, Set<string>>();
  /** Per URI, what was last published (to skip identical re-publication of files not being edited). */
  private readonly sent = new Map<string, { version: number | undefined; key: string }>();
  /** Roots whose snapshot was looked up (once per session: afterwards the session's own results are newer). */
  private readonly snapshotTried = new Set<string>();
  /** Fragments opened before the scan, judged meanwhile in the root an earlier session remembered. */
  private readonly provisionalRoots = new Map<string, string[]>();
  /** Snapshots already validated while choosing a fragment's root, for showSnapshot. */
  private readonly snapshotsFound = new Map<string, SnapshotContent>();
  /** For each checked root, every file its checks read and the stamp it had (what a snapshot depends on). */
  private readonly inputs = new Map<string, InputLog>();
  /** Roots checked since their snapshot was last saved. */
  private readonly snapshotDue = new Set<string>();
  private snapshotTimer: NodeJS.Timeout | undefined;
  /** Incremented on every change of an input; a check that saw another generation is discarded. */
  private generation = 0;
  private checking = false;
  /** Checks that failed so far (an internal error): the status bar shows it until a check succeeds. */
  private failures = 0;
  private flushAgain = false;
  private assignmentsStale = true;
  private readonly debouncer: EditDebouncer;
  /** The last run of checks was for the first edit after a pause, and published (see flush). */
  private burstAnswered = false;
  private indexTimer: NodeJS.Timeout | undefined;
  private lastStatus = '';
  private disposed = false;
  private settingsLoaded = false;
  private folders: string[];

  constructor(private readonly peer: SessionPeer, readonly host: Host, private readonly options: SessionOptions) {
    this.folders = [...options.folders];
    this.ws = this.newWorkspace();
    this.index = this.newIndex();
    this.debouncer = new EditDebouncer((reason) => void this.flush(reason), options.debounce ?? DEFAULT_DEBOUNCE);
  }

  get trusted(): boolean { return this.options.trusted; }
  /** Whether fixes and commands may download or run git. */
  get mayUseNetwork(): boolean { return this.options.trusted && this.settings.allowNetwork; }
  get target(): Target { return indexTargetOf(this.settings); }

  dispose(): void {
    this.disposed = true;
    this.debouncer.cancel();
    if (this.indexTimer) clearTimeout(this.indexTimer);
    if (this.snapshotTimer) clearTimeout(this.snapshotTimer);
  }

  /** Starts the background scan for root profiles after a short delay, unless something needs it earlier. */
  scheduleIndex(): void {
    if (this.indexTimer || this.index.isScanned) return;
    this.indexTimer = setTimeout(() => void this.ensureIndex(), this.options.indexDelayMs ?? 50);
  }

  // ----- inputs -----

  openDocument(uri: string, file: string, text: string, version: number): void {
    file = canonical(file);
    this.open.set(file, { uri, version });
    this.ws.setOverlay(file, text, version);
    this.index.noteFile(file);
    this.changed(file, false);
  }

  changeDocument(file: string, text: string, version: number): void {
    file = canonical(file);
    const doc = this.open.get(file);
    if (doc) doc.version = version;
    this.ws.setOverlay(file, text, version);
    this.changed(file, true);
  }

  closeDocument(file: string): void {
    file = canonical(file);
    this.open.delete(file);
    this.provisionalRoots.delete(file);
    this.ws.removeOverlay(file);
    this.changed(file, false);
  }

  /** A file changed, appeared or disappeared on disk (workspace/didChangeWatchedFiles). */
  fileChangedOnDisk(file: string, kind: 'created' | 'changed' | 'deleted'): void {
    file = canonical(file);
    this.ws.invalidate(file);
    if (kind === 'created') this.index.noteFile(file);
    if (kind === 'deleted') this.index.forgetFile(file);
    this.changed(file, false);
  }

  updateSettings(settings: Settings): void {
    const previous = this.settings;
    this.settings = settings;
    this.settingsLoaded = true;
    if (previous.downloadTimeoutSeconds !== settings.downloadTimeoutSeconds) this.replaceWorkspace();
    if (indexSettingsChanged(previous, settings)) {
      this.index = this.newIndex();
      if (this.indexTimer) { clearTimeout(this.indexTimer); this.indexTimer = undefined; }
      this.scheduleIndex();
    }
    this.generation++;
    this.assignmentsStale = true;
    for (const root of this.activeRoots()) this.dirty.add(root);
    this.debouncer.soon();
  }

  /** An input changed: typing (`edit`) is checked once it pauses, anything else right away. */
  private changed(file: string, edit: boolean): void {
    this.generation++;
    // Any edit may change an `extends` line, and so which roots reach the open files: recomputing the
    // assignments is cheap (the extends closures are memoised by file stamps).
    this.assignmentsStale = true;
    for (const root of this.rootsByDoc.get(file) ?? []) this.dirty.add(root);
    const active = this.activeRoots();
    for (const root of this.ws.rootsReaching(file)) if (active.has(root)) this.dirty.add(root);
    // A template or patch a root downloads: its md5sum findings depend on this file's content.
    for (const [root, files] of this.downloads) if (files.has(file) && active.has(root)) this.dirty.add(root);
    // The project's settings marker applies to every profile at or below its folder.
    if (path.basename(file) === MARKER_FILE) for (const root of active) this.dirty.add(root);
    if (edit) this.debouncer.poke();
    else this.debouncer.soon();
  }

  // ----- which roots judge which file -----

  private activeRoots(): Set<string> {
    const out = new Set<string>();
    for (const roots of this.rootsByDoc.values()) for (const r of roots) out.add(r);
    return out;
  }

  /** The roots to check for an open file; undefined while the root index is needed but not ready. */
  rootsFor(file: string): string[] | undefined {
    file = canonical(file);
    if (this.index.matchesRootPattern(file)) return [file];
    const candidates = new Set(this.ws.rootsReaching(file));
    if (this.index.isScanned) for (const r of this.index.rootsReaching(file)) candidates.add(r);
    const reaching = [...candidates].filter((r) => r !== file && this.index.reachedBy(r).has(file));
    if (reaching.length === 0) {
      if (!this.index.isScanned) return undefined;
      if (hasTemplateName(file) || this.isRenderedByActiveRoot(file)) return [];
      const text = this.ws.readText(file);
      return 'text' in text && looksLikeProfile(text.text) ? [file] : [];
    }
    const openRoots = reaching.filter((r) => this.open.has(r));
    if (openRoots.length) return openRoots.sort();
    return [this.index.nearestRoot(file, reaching)];
  }

  /** True when a checked root downloads or renders `file` (a template, a patch): it is no profile. */
  private isRenderedByActiveRoot(file: string): boolean {
    for (const deps of this.downloads.values()) if (deps.has(file)) return true;
    return false;
  }

  private async ensureIndex(): Promise<void> {
    if (this.index.isScanned) return;
    const index = this.index;
    try {
      await index.scan();
    } catch (e) {
      this.peer.error(`Scanning the workspace for root profiles failed: ${(e as Error).stack ?? e}`);
    }
    if (index !== this.index || this.disposed) return;
    this.peer.log(`Found ${index.roots().length} root profiles${index.isTruncated ? ' (the scan stopped early: the folder is very large)' : ''}.`);
    this.assignmentsStale = true;
    this.debouncer.soon();
  }

  /** Recomputes which roots judge each open file; newly needed roots become dirty, unneeded ones are cleared. */
  private refreshAssignments(): void {
    if (!this.assignmentsStale) return;
    this.assignmentsStale = false;
    const before = this.activeRoots();
    let needIndex = false;
    const closed = [...this.rootsByDoc.keys()].filter((f) => !this.open.has(f));
    for (const file of closed) this.rootsByDoc.delete(file);
    for (const [file] of this.open) {
      let roots = this.rootsFor(file);
      if (roots === undefined) {
        needIndex = true;
        // Until the scan tells, the root an earlier session judged this fragment in, if nothing changed since.
        roots = this.provisionalRoots.get(file) ?? this.rememberedRootOf(file);
        if (!roots) { this.rootsByDoc.set(file, []); continue; }
        this.provisionalRoots.set(file, roots);
      }
      const previous = this.rootsByDoc.get(file);
      this.rootsByDoc.set(file, roots);
      if (previous?.join('\0') !== roots.join('\0')) for (const r of roots) this.dirty.add(r);
      if (roots.length === 0) this.publishFiles([file]);
    }
    if (this.index.isScanned) this.provisionalRoots.clear();
    const after = this.activeRoots();
    for (const root of before) {
      if (after.has(root)) continue;
      const old = this.results.get(root);
      this.results.delete(root);
      this.downloads.delete(root);
      this.inputs.delete(root);
      this.dirty.delete(root);
      if (old) this.publishFiles(old.byFile.keys());
    }
    for (const root of after) if (!this.results.has(root)) this.dirty.add(root);
    // A closed file keeps what open roots say about it, without a version; anything else is cleared.
    this.publishFiles(closed);
    if (needIndex) void this.ensureIndex();
  }

  // ----- checking and publishing -----

  /**
   * Runs the pending checks (called by the debouncer); later edits leave the rest for the next run. The
   * check at the end of a burst of typing whose first edit was answered publishes only the files whose
   * findings changed since: the editor already shows the others, and a burst publishes once.
   */
  async flush(reason: CheckReason = 'other'): Promise<void> {
    // Until the client's settings are read, a check could publish severities that change a moment later.
    if (this.disposed || !this.settingsLoaded) return;
    if (this.checking) { this.flushAgain = true; return; }
    this.checking = true;
    // A run's first check is timed from here: finding the roots of the open files reads the edited one.
    const runStarted = performance.now();
    let checked = 0;
    let answered = false, ran = false;
    const failuresBefore = this.failures;
    try {
      this.refreshAssignments();
      const queue = [...this.dirty].sort((a, b) => Number(this.open.has(b)) - Number(this.open.has(a)));
      // A re-check while typing takes milliseconds: announcing it would only make the status bar flicker,
      // and put one more message ahead of the diagnostics.
      const typing = reason !== 'other' && queue.every((r) => this.results.has(r));
      if (queue.length && !typing) this.status('checking');
      ran = queue.length > 0;
      for (const root of queue) {
        if (!this.dirty.has(root)) continue;
        // Findings saved by an earlier session go out first, so they are not held up by the check.
        const shown = this.showSnapshot(root);
        if (shown) await yieldNow();
        if (this.disposed) break;
        const generation = this.generation;
        this.dirty.delete(root);
        const started = checked++ === 0 && !shown ? runStarted : performance.now();
        const result = await this.checkRoot(root);
        this.peer.trace?.(`Checked ${root} in ${(performance.now() - started).toFixed(2)} ms.`);
        if (generation !== this.generation || this.disposed) { this.dirty.add(root); break; }
        this.publishRoot(root, result, reason === 'burst' && this.burstAnswered);
        if (reason === 'edit') answered = true;
        if (result.inputs) this.saveSnapshotLater(root, result.inputs);
        if (this.dirty.size) await yieldNow();
        if (generation !== this.generation) break;
      }
    } catch (e) {
      this.peer.error(`Checking failed: ${(e as Error).stack ?? e}`);
      this.failures++;
      this.status('error', (e as Error).message);
    } finally {
      this.checking = false;
      this.burstAnswered = answered;
      const recovered = ran && this.failures === failuresBefore && this.lastStatus.startsWith('error');
      if (this.flushAgain) { this.flushAgain = false; this.debouncer.soon(); }
      else if (this.lastStatus.startsWith('checking') || recovered) this.status('ready');
    }
  }

  /** Resolves once no check is pending or running (for commands that want fresh results). */
  async settle(): Promise<void> {
    for (let i = 0; i < 1000 && this.settingsLoaded && (this.checking || this.dirty.size > 0 || this.assignmentsStale); i++) {
      if (!this.checking) await this.flush();
      else await new Promise((r) => setTimeout(r, 5));
    }
  }

  private async checkRoot(root: string): Promise<RootResult> {
    // What the check reads is logged only for its snapshot: without a store, typing pays nothing for it.
    const log = this.options.snapshots ? this.ws.openInputLog() : undefined;
    const settings = log && this.snapshotSettings();
    try {
      const result: CheckResult = await checkProfile(this.ws, root, checkOptionsOf(this.settings));
      this.lastMode = result.mode;
      this.downloads.set(root, localDownloads(this.ws, result));
      return { byFile: groupByFile(result.findings), mode: result.mode, ...(log ? { inputs: this.inputsOf(root, log), settings } : {}) };
    } catch (e) {
      const message = `buildout-freeze could not check this profile (an internal error; please report it): ${(e as Error).stack ?? e}`;
      this.peer.error(`Checking ${root} failed: ${(e as Error).stack ?? e}`);
      this.failures++;
      this.status('error', (e as Error).message);
      const finding: Finding = { file: root, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, severity: 'error', code: 'internal-error', message, profile: root };
      return { byFile: new Map([[root, [finding]]]), mode: this.lastMode };
    } finally {
      if (log) this.ws.closeInputLog(log);
    }
  }

  // ----- snapshots of earlier sessions -----

  /** Publishes the findings an earlier session saved for `root`, if it has none yet and its inputs are unchanged. */
  private showSnapshot(root: string): boolean {
    const store = this.options.snapshots;
    if (!store || this.results.has(root)) return false;
    let saved = this.snapshotsFound.get(root);
    this.snapshotsFound.delete(root);
    if (!saved) {
      if (this.snapshotTried.has(root)) return false;
      this.snapshotTried.add(root);
      saved = store.lookup(this.ws, root, this.snapshotSettings());
    }
    if (!saved) return false;
    this.peer.log(`Showing the findings saved for ${root} by an earlier session (its files are unchanged) while it is checked again.`);
    this.lastMode = saved.mode;
    this.downloads.set(root, new Set(saved.downloads));
    this.publishRoot(root, { byFile: groupByFile(saved.findings), mode: saved.mode });
    return true;
  }

  /**
   * For a fragment opened before the workspace is scanned: the root an earlier session judged it in, if that
   * root's snapshot still holds and still reads the fragment. The scan then decides, as for any file.
   */
  private rememberedRootOf(file: string): string[] | undefined {
    const store = this.options.snapshots;
    if (!store) return undefined;
    const root = store.rememberedRoot(file);
    if (!root || this.snapshotTried.has(root) || !this.index.matchesRootPattern(root)) return undefined;
    this.snapshotTried.add(root);
    const saved = store.lookup(this.ws, root, this.snapshotSettings(), file);
    if (!saved) return undefined;
    this.snapshotsFound.set(root, saved);
    return [root];
  }

  /** The settings a snapshot is valid for: those that change what a check finds. */
  private snapshotSettings(): string {
    return JSON.stringify(checkOptionsOf(this.settings));
  }

  /**
   * What a check of `root` depends on: what it read, and what the published checks before it read.
   * Memoised work reads nothing, but it is reused only while what it read keeps its stamp; so a file whose
   * stamp moved and that this check did not read is no longer an input, and goes. The extends chain comes
   * from the effective configuration's own memo key, as it may have been reused whole.
   */
  private inputsOf(root: string, log: InputLog): InputLog {
    for (const [file, stamp] of this.ws.chainOf(root)) log.texts.set(file, stamp);
    const previous = this.inputs.get(root);
    if (previous) {
      for (const kind of ['texts', 'bytes'] as const) {
        for (const [file, stamp] of previous[kind]) if (!log[kind].has(file) && this.ws.stampOf(file) === stamp) log[kind].set(file, stamp);
      }
    }
    return log;
  }

  /** A root's check was published: its snapshot is saved once typing pauses. */
  private saveSnapshotLater(root: string, inputs: InputLog): void {
    this.inputs.set(root, inputs);
    this.snapshotDue.add(root);
    if (this.snapshotTimer) clearTimeout(this.snapshotTimer);
    this.snapshotTimer = setTimeout(() => this.saveSnapshots(), this.options.snapshotDelayMs ?? 2000);
    this.snapshotTimer.unref?.();
  }

  private saveSnapshots(): void {
    this.snapshotTimer = undefined;
    const store = this.options.snapshots;
    if (!store || this.disposed) return;
    for (const root of this.snapshotDue) {
      const result = this.results.get(root);
      const inputs = this.inputs.get(root);
      // A check still to come (new settings, a change) would make this one outdated.
      if (!result?.settings || !inputs || this.dirty.has(root) || result.settings !== this.snapshotSettings()) continue;
      const findings = [...result.byFile.values()].flat();
      // An internal error is no answer to keep.
      if (findings.some((f) => f.code === 'internal-error')) continue;
      store.save(this.ws, root, result.settings, { mode: result.mode, findings, downloads: [...(this.downloads.get(root) ?? [])] }, inputs);
    }
    for (const [file, roots] of this.rootsByDoc) {
      if (roots.length === 1 && roots[0] !== file && this.open.has(file) && this.index.isScanned) store.rememberRoot(file, roots[0]);
    }
    this.snapshotDue.clear();
  }

  /** Publishes a root's findings; with `onlyChanges`, a file whose findings are those last sent is skipped even for a newer version. */
  private publishRoot(root: string, result: RootResult, onlyChanges = false): void {
    const old = this.results.get(root);
    this.results.set(root, result);
    const files = new Set<string>([...(old?.byFile.keys() ?? []), ...result.byFile.keys()]);
    for (const [file, roots] of this.rootsByDoc) if (roots.includes(root)) files.add(file);
    this.publishFiles(files, onlyChanges);
  }

  /** A root's findings on `file` are shown if the root is open itself, or if `file` is open and judged in it. */
  private inScope(root: string, file: string): boolean {
    return this.open.has(root) || (this.rootsByDoc.get(file)?.includes(root) ?? false);
  }

  private publishFiles(files: Iterable<string>, onlyChanges = false): void {
    for (const file of files) {
      if (isUrl(file) || !file) continue;
      const diagnostics: Diagnostic[] = [];
      const seen = new Set<string>();
      for (const [root, result] of this.results) {
        if (!this.inScope(root, file)) continue;
        for (const f of result.byFile.get(file) ?? []) {
          const k = `${f.range.start.line}:${f.range.start.character}-${f.range.end.line}:${f.range.end.character}\0${f.code}\0${f.message}`;
          if (seen.has(k)) continue;
          seen.add(k);
          diagnostics.push(toDiagnostic(f, (p) => this.uriOf(p)));
        }
      }
      const doc = this.open.get(file);
      const uri = this.uriOf(file);
      const key = JSON.stringify(diagnostics);
      const last = this.sent.get(uri);
      if (last && last.key === key && (onlyChanges || last.version === doc?.version)) continue;
      if (!last && diagnostics.length === 0 && !doc) continue;
      this.sent.set(uri, { version: doc?.version, key });
      this.peer.publishDiagnostics(uri, doc?.version, diagnostics);
    }
  }

  uriOf(file: string): string {
    return this.open.get(canonical(file))?.uri ?? pathToUri(file);
  }

  /** The findings last published on `file` (from every root that judges it), after pending checks ran. */
  async findingsIn(file: string): Promise<Finding[]> {
    file = canonical(file);
    await this.settle();
    const out: Finding[] = [];
    for (const [root, result] of this.results) if (this.inScope(root, file)) out.push(...(result.byFile.get(file) ?? []));
    return out;
  }

  /** The texts and versions of the open buffers now: what an edit computed from here applies to. */
  snapshotOpenDocuments(): Map<string, { text: string; version: number }> {
    const out = new Map<string, { text: string; version: number }>();
    for (const [file, doc] of this.open) {
      const text = this.ws.readText(file);
      if ('text' in text) out.set(file, { text: text.text, version: doc.version });
    }
    return out;
  }

  isOpen(file: string): boolean { return this.open.has(canonical(file)); }
  versionOf(file: string): number | undefined { return this.open.get(canonical(file))?.version; }

  /** The effective configuration a fix or a command works on (memoised by the Workspace). */
  async configFor(root: string): Promise<EffectiveConfig> {
    const options = effectiveOptions(this.ws, root, checkOptionsOf(this.settings));
    return (await loadForTarget(this.ws, root, options)).config;
  }

  /** The root a command about `file` should work on: the file itself if it is a root, else the first that reaches it. */
  async rootForCommand(file: string): Promise<string> {
    file = canonical(file);
    let roots = this.rootsByDoc.get(file) ?? this.rootsFor(file);
    if (roots === undefined) { await this.ensureIndex(); roots = this.rootsFor(file); }
    return roots?.[0] ?? file;
  }

  private status(state: StatusParams['state'], message?: string): void {
    const mode = this.settings.mode === 'auto' ? this.lastMode : this.settings.mode;
    const key = `${state}\0${mode}\0${message ?? ''}`;
    if (key === this.lastStatus) return;
    this.lastStatus = key;
    this.peer.sendStatus({ state, mode, ...(message ? { message } : {}) });
  }

  /** Tells the client the server's state (starting at initialize, ready once settings are read). */
  announce(state: 'starting' | 'ready'): void { this.status(state); }

  /** Workspace folders were added or removed: the roots are indexed again. */
  changeFolders(added: string[], removed: string[]): void {
    const gone = new Set(removed.map(canonical));
    this.folders = [...this.folders.filter((f) => !gone.has(canonical(f))), ...added];
    this.index = this.newIndex();
    if (this.indexTimer) { clearTimeout(this.indexTimer); this.indexTimer = undefined; }
    this.scheduleIndex();
    this.generation++;
    this.assignmentsStale = true;
    this.debouncer.soon();
  }

  private newWorkspace(): Workspace {
    // Typing never reaches the network: remote `extends` are reported, not downloaded, while checking.
    return new Workspace(this.host, { allowNetwork: false, downloadTimeoutMs: this.settings.downloadTimeoutSeconds * 1000 });
  }

  private replaceWorkspace(): void {
    const old = this.ws;
    this.ws = this.newWorkspace();
    for (const [file, doc] of this.open) {
      const text = old.readText(file);
      if ('text' in text) this.ws.setOverlay(file, text.text, doc.version);
    }
    this.index = this.newIndex();
  }

  private newIndex(): RootIndex {
    return new RootIndex(this.ws, { folders: this.folders, patterns: this.settings.rootPatterns, target: this.target });
  }
}

function localDownloads(ws: Workspace, result: CheckResult): Set<string> {
  const out = new Set<string>();
  for (const d of downloadsOf(ws, result.config)) if (d.local) out.add(canonical(d.local));
  return out;
}

function groupByFile(findings: Finding[]): Map<string, Finding[]> {
  const out = new Map<string, Finding[]>();
  for (const f of findings) {
    const file = isUrl(f.file) ? f.file : canonical(f.file);
    if (!out.has(file)) out.set(file, []);
    out.get(file)!.push(f);
  }
  return out;
}
