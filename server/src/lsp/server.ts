// The language server: wires protocol messages to the Session, the code actions and the commands.
// Handlers stay short (convert in, call, convert out); a handler that throws is logged and answered with
// an error, never allowed to stop the server. `runLanguageServer()` is what `dist/server.js` and the
// CLI's `buildout-freeze lsp --stdio` run; the transport comes from the command line (--stdio, --node-ipc).

import { keepHeapSmall } from './heap';
import {
  CancellationToken, CodeActionParams, Connection, DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification, ErrorCodes, ExecuteCommandParams, FileChangeType, InitializeParams,
  InitializeResult, ProposedFeatures, ResponseError, TextDocumentSyncKind, TextDocuments, WorkDoneProgressReporter,
  createConnection,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Host } from '../host/host';
import { NodeHost } from '../host/node-host';
import { Commands, InitializationOptions, StatusNotification } from '../protocol';
import { CODE_ACTION_KINDS, codeActionsFor } from './code-actions';
import { COMMAND_HANDLERS, CommandEnv, CommandError, Progress } from './commands';
import { uriToPath } from './convert';
import { DebounceOptions } from './debounce';
import { Session } from './session';
import { CheckSnapshots } from './check-snapshots';
import { normaliseSettings } from './settings';

/** A digest of the server's sources, set by scripts/bundle.js; absent when it runs unbundled. */
declare const BUILDOUT_FREEZE_BUILD: string | undefined;

export interface ServerOptions {
  host?: Host;
  debounce?: DebounceOptions;
}

/** Starts the server on the transport named on the command line and listens until the client exits. */
export function runLanguageServer(options: ServerOptions = {}): Connection {
  keepHeapSmall();
  const connection = createConnection(ProposedFeatures.all);
  process.on('uncaughtException', (e) => connection.console.error(`Uncaught exception: ${e.stack ?? e}`));
  process.on('unhandledRejection', (e) => connection.console.error(`Unhandled rejection: ${(e as Error)?.stack ?? e}`));
  startServer(connection, options);
  connection.listen();
  return connection;
}

interface ClientFeatures {
  configuration: boolean;
  configurationRegistration: boolean;
  watchedFilesRegistration: boolean;
  workDoneProgress: boolean;
  documentChanges: boolean;
  disabledSupport: boolean;
  workspaceFolders: boolean;
}

export function startServer(connection: Connection, options: ServerOptions = {}): void {
  const documents = new TextDocuments(TextDocument);
  const host = options.host ?? new NodeHost();
  let session: Session | undefined;
  let features: ClientFeatures | undefined;
  const log = (m: string) => connection.console.log(m);
  const fail = (m: string) => connection.console.error(m);
  const the = (): Session => {
    if (!session) throw new ResponseError(ErrorCodes.ServerNotInitialized, 'The server is not initialized');
    return session;
  };

  /** Runs a handler; logs what it throws and turns it into an error answer instead of a crash. */
  function guard<P extends unknown[], R>(name: string, handler: (...args: P) => R | Promise<R>): (...args: P) => Promise<R> {
    return async (...args: P) => {
      try {
        return await handler(...args);
      } catch (e) {
        if (e instanceof ResponseError) throw e;
        if (e instanceof CommandError) { fail(`${name}: ${e.message}`); throw new ResponseError(ErrorCodes.InvalidParams, e.message); }
        fail(`${name} failed: ${(e as Error)?.stack ?? e}`);
        throw new ResponseError(ErrorCodes.InternalError, `${name} failed: ${(e as Error)?.message ?? e}`);
      }
    };
  }
  /** The same for notifications, whose failures can only be logged. */
  function guardNotification<P extends unknown[]>(name: string, handler: (...args: P) => unknown): (...args: P) => void {
    const guarded = guard(name, handler);
    return (...args: P) => { guarded(...args).catch(() => { /* logged by guard */ }); };
  }

  connection.onInitialize(guard('initialize', (params: InitializeParams): InitializeResult => {
    features = clientFeatures(params);
    const init = (params.initializationOptions ?? {}) as Partial<InitializationOptions>;
    const folders = (params.workspaceFolders ?? []).map((f) => uriToPath(f.uri)).filter((p): p is string => !!p);
    if (folders.length === 0 && params.rootUri) { const root = uriToPath(params.rootUri); if (root) folders.push(root); }
    session = new Session({
      publishDiagnostics: (uri, version, diagnostics) => void connection.sendDiagnostics({ uri, version, diagnostics }),
      sendStatus: (p) => void connection.sendNotification(StatusNotification, p),
      log, error: fail,
      trace: (m) => connection.tracer.log(m),
    }, host, {
      folders, trusted: init.trusted !== false,
      ...(options.debounce ? { debounce: options.debounce } : {}),
      // Another build may judge differently, so snapshots are kept per build; unbundled, there are none.
      snapshots: typeof BUILDOUT_FREEZE_BUILD === 'string' ? CheckSnapshots.inUserCache(BUILDOUT_FREEZE_BUILD) : undefined,
    });
    session.announce('starting');
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        codeActionProvider: { codeActionKinds: CODE_ACTION_KINDS, resolveProvider: false },
        executeCommandProvider: { commands: Object.values(Commands) },
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'buildout-freeze' },
    };
  }));

  connection.onInitialized(guardNotification('initialized', async () => {
    const s = the();
    // Not awaited: the first check needs only the settings.
    const registered = (what: string) => (e: Error) => fail(`Registering ${what} failed: ${e.message}`);
    if (features?.configurationRegistration) connection.client.register(DidChangeConfigurationNotification.type, { section: 'buildoutFreeze' }).catch(registered('for settings changes'));
    if (features?.watchedFilesRegistration) connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: '**/*' }] }).catch(registered('file watchers'));
    if (features?.workspaceFolders) connection.workspace.onDidChangeWorkspaceFolders(guardNotification('workspaceFolders', (e) => {
      s.changeFolders(e.added.map((f) => uriToPath(f.uri)).filter((p): p is string => !!p), e.removed.map((f) => uriToPath(f.uri)).filter((p): p is string => !!p));
    }));
    let raw: unknown;
    try {
      if (features?.configuration) raw = await connection.workspace.getConfiguration('buildoutFreeze');
    } catch (e) {
      fail(`Reading the buildoutFreeze settings failed, using the defaults: ${(e as Error).message}`);
    }
    s.updateSettings(normaliseSettings(raw));
    s.announce('ready');
    s.scheduleIndex();
  }));

  connection.onDidChangeConfiguration(guardNotification('didChangeConfiguration', async (params) => {
    const raw = features?.configuration ? await connection.workspace.getConfiguration('buildoutFreeze') : (params.settings as Record<string, unknown> | undefined)?.buildoutFreeze;
    the().updateSettings(normaliseSettings(raw));
  }));

  documents.onDidChangeContent(guardNotification('didChange', ({ document }) => {
    const file = uriToPath(document.uri);
    if (!file) return;
    if (the().isOpen(file)) the().changeDocument(file, document.getText(), document.version);
    else the().openDocument(document.uri, file, document.getText(), document.version);
  }));
  documents.onDidClose(guardNotification('didClose', ({ document }) => {
    const file = uriToPath(document.uri);
    if (file) the().closeDocument(file);
  }));

  connection.onDidChangeWatchedFiles(guardNotification('didChangeWatchedFiles', (params) => {
    for (const change of params.changes) {
      const file = uriToPath(change.uri);
      const kind = change.type === FileChangeType.Created ? 'created' : change.type === FileChangeType.Deleted ? 'deleted' : 'changed';
      if (file) the().fileChangedOnDisk(file, kind);
    }
  }));

  connection.onCodeAction(guard('codeAction', async (params: CodeActionParams) => {
    const file = uriToPath(params.textDocument.uri);
    if (!file) return [];
    return codeActionsFor(the(), file, params, { documentChanges: !!features?.documentChanges, disabledSupport: !!features?.disabledSupport });
  }));

  connection.onExecuteCommand(guard('executeCommand', async (params: ExecuteCommandParams, token: CancellationToken) => {
    const handler = COMMAND_HANDLERS[params.command];
    if (!handler) throw new ResponseError(ErrorCodes.MethodNotFound, `Unknown command ${params.command}`);
    return handler(commandEnv(params, token), params.arguments ?? []);
  }));

  connection.onShutdown(() => session?.dispose());

  function commandEnv(params: ExecuteCommandParams, token: CancellationToken): CommandEnv {
    return {
      session: the(),
      documentChanges: !!features?.documentChanges,
      startProgress: (title) => startProgress(params, token, title),
      applyEdit: async (label, edit) => connection.workspace.applyEdit({ label, edit }),
      showInformation: (m) => void connection.window.showInformationMessage(m),
      showWarning: (m) => void connection.window.showWarningMessage(m),
    };
  }

  /** Progress on the client's token if it sent one, else one the server creates; cancellable either way. */
  async function startProgress(params: ExecuteCommandParams, token: CancellationToken, title: string): Promise<Progress> {
    const controller = new AbortController();
    token.onCancellationRequested(() => controller.abort());
    let reporter: WorkDoneProgressReporter | undefined;
    if (params.workDoneToken !== undefined) reporter = connection.window.attachWorkDoneProgress(params.workDoneToken);
    else if (features?.workDoneProgress) {
      try {
        const created = await connection.window.createWorkDoneProgress();
        created.token.onCancellationRequested(() => controller.abort());
        reporter = created;
      } catch (e) {
        log(`No progress report: ${(e as Error).message}`);
      }
    }
    reporter?.begin(title, undefined, undefined, true);
    return { report: (m) => reporter?.report(m), done: () => reporter?.done(), signal: controller.signal };
  }

  documents.listen(connection);
}

function clientFeatures(params: InitializeParams): ClientFeatures {
  // A client that sends no capabilities (against the spec) gets the most conservative behaviour, not a crash.
  const c = params.capabilities ?? {};
  return {
    configuration: !!c.workspace?.configuration,
    configurationRegistration: !!c.workspace?.didChangeConfiguration?.dynamicRegistration,
    watchedFilesRegistration: !!c.workspace?.didChangeWatchedFiles?.dynamicRegistration,
    workDoneProgress: !!c.window?.workDoneProgress,
    documentChanges: !!c.workspace?.workspaceEdit?.documentChanges,
    disabledSupport: !!c.textDocument?.codeAction?.disabledSupport,
    workspaceFolders: !!c.workspace?.workspaceFolders,
  };
}
