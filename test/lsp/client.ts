// A small LSP client for tests: spawns the REAL bundled server (`node dist/server.js --stdio`), speaks
// JSON-RPC with vscode-languageserver-protocol, keeps the open documents, records every publication,
// status and progress message, and answers the server's requests (workspace/configuration,
// workspace/applyEdit, window/workDoneProgress/create, client/registerCapability) the way an editor would.

import { ChildProcess, fork, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import {
  ApplyWorkspaceEditParams, ApplyWorkspaceEditRequest, ApplyWorkspaceEditResult, CodeAction, CodeActionParams,
  CodeActionRequest, Command, ConfigurationRequest, LogTraceNotification, Diagnostic, DidChangeConfigurationNotification,
  DidChangeTextDocumentNotification, DidChangeWatchedFilesNotification, DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification, ExecuteCommandRequest, ExitNotification, FileChangeType, InitializeRequest,
  InitializedNotification, LogMessageNotification, ProtocolConnection, PublishDiagnosticsNotification,
  PublishDiagnosticsParams, Range, ShowMessageNotification, ShutdownRequest,
  TextDocumentEdit, TextEdit, WorkspaceEdit, createProtocolConnection,
  StreamMessageReader, StreamMessageWriter, IPCMessageReader, IPCMessageWriter, WorkDoneProgressBegin, WorkDoneProgressReport, WorkDoneProgressEnd,
  WorkDoneProgressCancelNotification, ShowMessageRequest,
} from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { SERVER_ENVIRONMENT, Settings, StatusNotification, StatusParams } from '../../server/src/protocol';

export const REPO = path.resolve(__dirname, '..', '..', '..');
export const SERVER = path.join(REPO, 'dist', 'server.js');

/** Builds dist/ with scripts/bundle.js when dist/server.js (or dist/cli.js) is missing or older than a server source file. */
export function ensureServerBundle(which: 'server' | 'cli' = 'server'): void {
  const outs = which === 'server' ? [SERVER, path.join(REPO, 'dist', 'server.bundle.js')] : [path.join(REPO, 'dist', 'cli.js'), path.join(REPO, 'dist', 'cli.bundle.js')];
  const newest = (dir: string): number => {
    let t = 0;
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      t = Math.max(t, e.isDirectory() ? newest(p) : fs.statSync(p).mtimeMs);
    }
    return t;
  };
  const built = Math.min(...outs.map((o) => (fs.existsSync(o) ? fs.statSync(o).mtimeMs : 0)));
  if (built > newest(path.join(REPO, 'server', 'src'))) return;
  const r = spawnSync(process.execPath, [path.join(REPO, 'scripts', 'bundle.js')], { cwd: REPO, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`could not bundle ${outs.join(', ')}`);
}

export interface Publication extends PublishDiagnosticsParams { at: number }

export interface ClientOptions {
  folders: string[];
  settings?: Partial<Settings>;
  trusted?: boolean;
  /** Answer workspace/applyEdit with applied: false. */
  refuseEdits?: boolean;
  /** Advertise window.workDoneProgress (server-created progress). Default true. */
  workDoneProgress?: boolean;
  /** How the server is started: dist/server.js over stdio (default) or node IPC, or the CLI's `lsp --stdio`. */
  transport?: 'stdio' | 'ipc' | 'cli';
  /** The protocol trace asked for at initialize (default off). */
  trace?: 'off' | 'messages' | 'verbose';
  /** Environment variables for the server, over this process's. */
  env?: Record<string, string>;
}

export function fileUri(file: string): string {
  let out = 'file://';
  for (const ch of file) out += /[A-Za-z0-9\-._~/]/.test(ch) ? ch : encodeURIComponent(ch);
  return out;
}

export class TestClient {
  readonly publications: Publication[] = [];
  /** `$/logTrace` lines (sent while `trace` is on: see ClientOptions). */
  readonly traces: { message: string; at: number }[] = [];
  readonly statuses: StatusParams[] = [];
  readonly logs: string[] = [];
  readonly messages: string[] = [];
  readonly appliedEdits: ApplyWorkspaceEditParams[] = [];
  readonly progress: { token: string | number; value: WorkDoneProgressBegin | WorkDoneProgressReport | WorkDoneProgressEnd }[] = [];
  readonly progressTokens: (string | number)[] = [];
  readonly docs = new Map<string, TextDocument>();
  settings: Settings;
  startedAt = 0;
  /** When the last `didChange` was handed to the transport (performance.now()), after its edit was computed. */
  changeSentAt = 0;
  /** When the `initialize` result arrived (performance.now()). */
  initializeResultAt = 0;
  initializedAt = 0;
  private waiters: (() => void)[] = [];

  private constructor(readonly child: ChildProcess, readonly connection: ProtocolConnection, private readonly options: ClientOptions) {
    this.settings = {
      mode: 'auto', severity: {}, rootPatterns: ['**/software*.cfg'], python: '', platform: 'linux-x86_64',
      allowNetwork: true, downloadTimeoutSeconds: 5, ...(options.settings ?? {}),
    };
  }

  static async start(options: ClientOptions): Promise<TestClient> {
    const transport = options.transport ?? 'stdio';
    ensureServerBundle(transport === 'cli' ? 'cli' : 'server');
    const startedAt = performance.now();
    const stderr: string[] = [];
    let child: ChildProcess;
    let connection: ProtocolConnection;
    // BF_SERVER_NODE_ARGS: extra node options for the server (e.g. --cpu-prof when measuring).
    const nodeArgs = (process.env.BF_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
    // Started as the extension starts it (client/src/extension.ts).
    const env = { ...process.env, ...SERVER_ENVIRONMENT, ...(options.env ?? {}) };
    if (transport === 'ipc') {
      child = fork(SERVER, ['--node-ipc'], { stdio: ['pipe', 'pipe', 'pipe', 'ipc'], execArgv: nodeArgs, env });
      connection = createProtocolConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
    } else {
      const args = transport === 'cli' ? [path.join(REPO, 'bin', 'buildout-freeze.js'), 'lsp', '--stdio'] : [SERVER, '--stdio'];
      child = spawn(process.execPath, [...nodeArgs, ...args], { stdio: ['pipe', 'pipe', 'pipe'], env });
      connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    }
    child.stderr!.on('data', (d) => stderr.push(String(d)));
    const client = new TestClient(child, connection, options);
    client.startedAt = startedAt;
    client.listen();
    connection.listen();
    const init = await connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: options.folders[0] ? fileUri(options.folders[0]) : null,
      workspaceFolders: options.folders.map((f) => ({ uri: fileUri(f), name: path.basename(f) })),
      initializationOptions: { trusted: options.trusted ?? true },
      trace: options.trace ?? 'off',
      capabilities: {
        workspace: {
          configuration: true, applyEdit: true, workspaceFolders: true,
          workspaceEdit: { documentChanges: true },
          didChangeConfiguration: { dynamicRegistration: true },
          didChangeWatchedFiles: { dynamicRegistration: true },
        },
        window: { workDoneProgress: options.workDoneProgress ?? true },
        textDocument: {
          synchronization: { dynamicRegistration: false },
          publishDiagnostics: { relatedInformation: true, versionSupport: true, codeDescriptionSupport: true, dataSupport: true },
          codeAction: { dataSupport: true, disabledSupport: true, codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source.fixAll'] } } },
        },
      },
    });
    client.initializeResultAt = performance.now();
    if (!init.capabilities.codeActionProvider) throw new Error(`no code actions in ${JSON.stringify(init)}; stderr: ${stderr.join('')}`);
    await connection.sendNotification(InitializedNotification.type, {});
    client.initializedAt = performance.now();
    return client;
  }

  private listen(): void {
    const c = this.connection;
    c.onNotification(PublishDiagnosticsNotification.type, (p) => { this.publications.push({ ...p, at: performance.now() }); this.wake(); });
    c.onNotification(StatusNotification, (p: StatusParams) => { this.statuses.push(p); this.wake(); });
    c.onNotification(LogMessageNotification.type, (p) => { this.logs.push(p.message); });
    c.onNotification(LogTraceNotification.type, (p) => { this.traces.push({ message: p.message, at: performance.now() }); });
    c.onNotification(ShowMessageNotification.type, (p) => { this.messages.push(p.message); this.wake(); });
    c.onRequest(ShowMessageRequest.type, (p) => { this.messages.push(p.message); this.wake(); return null; });
    c.onRequest(ConfigurationRequest.type, (p) => p.items.map((i) => (i.section === 'buildoutFreeze' ? this.settings : null)));
    c.onRequest('client/registerCapability', () => null);
    c.onRequest('window/workDoneProgress/create', (p: { token: string | number }) => { this.progressTokens.push(p.token); return null; });
    c.onNotification('$/progress', (p: { token: string | number; value: WorkDoneProgressBegin }) => { this.progress.push(p); this.wake(); });
    c.onRequest(ApplyWorkspaceEditRequest.type, (p): ApplyWorkspaceEditResult => {
      this.appliedEdits.push(p);
      this.wake();
      if (this.options.refuseEdits) return { applied: false, failureReason: 'refused by the test' };
      const problem = this.applyWorkspaceEdit(p.edit);
      return problem ? { applied: false, failureReason: problem } : { applied: true };
    });
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  /** Resolves when `predicate` holds (checked after every message), or rejects after `timeoutMs`. */
  async waitFor<T>(what: string, predicate: () => T | undefined | false, timeoutMs = 10000): Promise<T> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const value = predicate();
      if (value) return value;
      const left = deadline - performance.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}; publications: ${JSON.stringify(this.publications.map((p) => ({ uri: p.uri, version: p.version, n: p.diagnostics.length })))}; logs: ${this.logs.join('\n')}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 200));
        this.waiters.push(() => { clearTimeout(timer); resolve(); });
      });
    }
  }

  /** The last publication for `file` (a path), if any. */
  latest(file: string): Publication | undefined {
    const uri = fileUri(file);
    for (let i = this.publications.length - 1; i >= 0; i--) if (this.publications[i].uri === uri) return this.publications[i];
    return undefined;
  }

  publicationsFor(file: string): Publication[] {
    const uri = fileUri(file);
    return this.publications.filter((p) => p.uri === uri);
  }

  /** Waits for a publication on `file` newer than `after` (an index into `publications`) matching `predicate`. */
  async diagnostics(file: string, predicate: (d: Diagnostic[], p: Publication) => boolean = () => true, after = 0, timeoutMs = 10000): Promise<Publication> {
    const uri = fileUri(file);
    return this.waitFor(`diagnostics on ${file}`, () => {
      for (let i = this.publications.length - 1; i >= after; i--) {
        const p = this.publications[i];
        if (p.uri === uri) return predicate(p.diagnostics, p) ? p : undefined;
      }
      return undefined;
    }, timeoutMs);
  }

  async open(file: string, text = fs.readFileSync(file, 'utf8'), languageId = 'buildout'): Promise<void> {
    const uri = fileUri(file);
    this.docs.set(uri, TextDocument.create(uri, languageId, 1, text));
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId, version: 1, text } });
  }

  /** Sends the change from the current text to `text` as one incremental edit; returns the new version. */
  async change(file: string, text: string): Promise<number> {
    const uri = fileUri(file);
    const doc = this.docs.get(uri);
    if (!doc) throw new Error(`${file} is not open`);
    const old = doc.getText();
    let start = 0;
    while (start < old.length && start < text.length && old[start] === text[start]) start++;
    let endOld = old.length, endNew = text.length;
    while (endOld > start && endNew > start && old[endOld - 1] === text[endNew - 1]) { endOld--; endNew--; }
    const range: Range = { start: doc.positionAt(start), end: doc.positionAt(endOld) };
    const change = { range, text: text.slice(start, endNew) };
    const updated = TextDocument.update(doc, [change], doc.version + 1);
    this.docs.set(uri, updated);
    this.changeSentAt = performance.now();
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version: updated.version }, contentChanges: [change] });
    return updated.version;
  }

  text(file: string): string | undefined { return this.docs.get(fileUri(file))?.getText(); }

  async close(file: string): Promise<void> {
    const uri = fileUri(file);
    this.docs.delete(uri);
    await this.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  }

  async fileChanged(file: string, type: FileChangeType = FileChangeType.Changed): Promise<void> {
    await this.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: fileUri(file), type }] });
  }

  async changeSettings(settings: Partial<Settings>): Promise<void> {
    this.settings = { ...this.settings, ...settings };
    await this.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
  }

  async codeActions(file: string, range: Range, diagnostics: Diagnostic[], only?: string[]): Promise<(CodeAction | Command)[]> {
    const params: CodeActionParams = { textDocument: { uri: fileUri(file) }, range, context: { diagnostics, ...(only ? { only } : {}) } };
    return (await this.connection.sendRequest(CodeActionRequest.type, params)) ?? [];
  }

  executeCommand(command: string, args: unknown[], workDoneToken?: string): Promise<unknown> {
    return this.connection.sendRequest(ExecuteCommandRequest.type, { command, arguments: args, ...(workDoneToken ? { workDoneToken } : {}) });
  }

  cancelProgress(token: string | number): Promise<void> {
    return this.connection.sendNotification(WorkDoneProgressCancelNotification.type, { token });
  }

  /** Applies a WorkspaceEdit to the open documents, or to the files on disk for the others (like an editor). */
  applyWorkspaceEdit(edit: WorkspaceEdit): string | undefined {
    const perUri: [string, number | null | undefined, TextEdit[]][] = [];
    for (const change of edit.documentChanges ?? []) {
      if (!TextDocumentEdit.is(change)) return 'only text edits are supported';
      perUri.push([change.textDocument.uri, change.textDocument.version, change.edits as TextEdit[]]);
    }
    for (const [uri, edits] of Object.entries(edit.changes ?? {})) perUri.push([uri, undefined, edits]);
    for (const [uri, version, edits] of perUri) {
      const doc = this.docs.get(uri);
      if (doc) {
        if (version !== undefined && version !== null && version !== doc.version) return `version ${version} of ${uri} is outdated (now ${doc.version})`;
        const text = TextDocument.applyEdits(doc, edits);
        this.docs.set(uri, TextDocument.create(uri, doc.languageId, doc.version + 1, text));
        void this.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version: doc.version + 1 }, contentChanges: [{ text }] });
      } else {
        const file = decodeURIComponent(new URL(uri).pathname);
        const disk = TextDocument.create(uri, 'buildout', 0, fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '');
        fs.writeFileSync(file, TextDocument.applyEdits(disk, edits));
        void this.fileChanged(file);
      }
    }
    return undefined;
  }

  async stop(): Promise<void> {
    try {
      await Promise.race([this.connection.sendRequest(ShutdownRequest.type), new Promise((r) => setTimeout(r, 2000))]);
      await this.connection.sendNotification(ExitNotification.type);
    } catch { /* the server may already be gone */ }
    this.connection.dispose();
    const exited = new Promise((r) => this.child.once('exit', r));
    setTimeout(() => this.child.kill('SIGKILL'), 2000).unref();
    await exited;
  }
}

/** A scratch workspace in a temp directory: `files` maps relative paths to contents. */
export function makeWorkspace(files: Record<string, string>): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(require('os').tmpdir(), 'bf-lsp-')));
  for (const [rel, text] of Object.entries(files)) {
    const p = path.join(dir, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, text);
  }
  return dir;
}
