// The VS Code side of buildout-freeze: starts the language server (dist/server.js), fills in the arguments
// of the two user commands and shows the server's state in the status bar. It knows nothing of buildout:
// checks, fixes and freezing all happen in the server, which applies its edits with workspace/applyEdit.
import * as vscode from 'vscode';
import { ExecuteCommandRequest, LanguageClient, State, TransportKind } from 'vscode-languageclient/node';
import type { LanguageClientOptions, ServerOptions } from 'vscode-languageclient/node';
import { ClientCommands, Commands, LANGUAGE_ID, SERVER_ENVIRONMENT, StatusNotification } from '../../server/src/protocol';
import type { InitializationOptions, StatusParams } from '../../server/src/protocol';

let client: LanguageClient | undefined;

/** What activate() returns: the end-to-end tests read the client's state and the status item's text. */
export interface Api { client: LanguageClient; status: vscode.StatusBarItem }

export async function activate(context: vscode.ExtensionContext): Promise<Api> {
  const module = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc, options: { env: { ...SERVER_ENVIRONMENT } } },
    debug: { module, transport: TransportKind.ipc, options: { env: { ...SERVER_ENVIRONMENT }, execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ scheme: 'file', language: LANGUAGE_ID }],
    synchronize: { configurationSection: 'buildoutFreeze' },
    // A function, so that a restart after the user grants trust sends the new value.
    initializationOptions: (): InitializationOptions => ({ trusted: vscode.workspace.isTrusted }),
    // See the note above ClientCommands in protocol.ts: the server owns the command ids, we only add arguments.
    middleware: {
      executeCommand: async (command, args, next) => {
        const completed = await argumentsFor(command, args);
        return completed && next(command, completed);
      },
    },
  };
  client = new LanguageClient('buildoutFreeze', 'Buildout Freeze', serverOptions, clientOptions);

  const status = vscode.window.createStatusBarItem('buildoutFreeze.status', vscode.StatusBarAlignment.Right, 100);
  status.name = 'Buildout Freeze';
  status.command = ClientCommands.showOutput;
  const show = (icon: string, text: string, tooltip: string) => {
    status.text = `$(${icon}) ${text}`;
    status.tooltip = tooltip;
    status.show();
  };
  show('sync~spin', 'buildout', 'Buildout Freeze: starting the language server');
  client.onNotification(StatusNotification, (p: StatusParams) => {
    const icon = { starting: 'sync~spin', ready: 'check', checking: 'loading~spin', error: 'error' }[p.state] ?? 'question';
    show(icon, `buildout: ${p.mode}`, `Buildout Freeze: ${p.state}, ${p.mode} mode${p.message ? ` (${p.message})` : ''}`);
  });
  client.onDidChangeState((e) => {
    if (e.newState === State.Stopped) show('error', 'buildout: stopped', 'Buildout Freeze: the language server stopped; see the output');
  });

  context.subscriptions.push(
    client,
    status,
    vscode.commands.registerCommand(ClientCommands.showOutput, () => client?.outputChannel.show()),
    vscode.workspace.onDidGrantWorkspaceTrust(() => client?.restart()),
  );
  await client.start();

  // Fallback for a server that does not advertise a user command: register it here and forward it.
  const advertised = client.initializeResult?.capabilities.executeCommandProvider?.commands ?? [];
  for (const command of [Commands.pasteVersions, Commands.freezeProfile].filter((c) => !advertised.includes(c))) {
    context.subscriptions.push(vscode.commands.registerCommand(command, async (...args: unknown[]) => {
      const completed = await argumentsFor(command, args);
      return completed && client?.sendRequest(ExecuteCommandRequest.type, { command, arguments: completed });
    }));
  }
  return { client, status };
}

export function deactivate(): Thenable<void> | undefined {
  return client?.stop();
}

/**
 * Completes a user command's arguments (see `Commands` in protocol.ts) when it comes from the palette (none)
 * or from a menu (the resource Uri): the profile's URI, then for pasteVersions the selection or the clipboard.
 * Explicit arguments pass through untouched; `undefined` means the user was told why nothing happens.
 */
async function argumentsFor(command: string, args: unknown[]): Promise<unknown[] | undefined> {
  const userCommand = command === Commands.pasteVersions || command === Commands.freezeProfile;
  if (!userCommand || (args.length > 0 && !(args[0] instanceof vscode.Uri))) return args;
  const editor = vscode.window.activeTextEditor;
  const uri = args[0] instanceof vscode.Uri ? args[0] : editor?.document.languageId === LANGUAGE_ID ? editor.document.uri : undefined;
  if (!uri) return warn('Open a buildout profile in the editor first.');
  if (command === Commands.freezeProfile) return [uri.toString()];
  const selected = editor?.document.uri.toString() === uri.toString() ? editor.selections.map((s) => editor.document.getText(s)).join('\n') : '';
  const text = selected.trim() ? selected : await vscode.env.clipboard.readText();
  if (!text.trim()) return warn('Select or copy the "Versions had to be automatically picked" output first.');
  return [uri.toString(), text];
}

function warn(message: string): undefined {
  void vscode.window.showWarningMessage(`Buildout Freeze: ${message}`);
  return undefined;
}
