// Names shared by the VS Code client and the language server: command ids, settings and custom
// notifications. Declared once here so the two sides cannot drift. Knows nothing of buildout.

export const LANGUAGE_ID = 'buildout';
export const DIAGNOSTIC_SOURCE = 'buildout-freeze';

export const Commands = {
  /** Arguments: [profileUri: string, pickedVersionsText: string]. Merges pins into the effective versions section. */
  pasteVersions: 'buildout-freeze.pasteVersions',
  /** Arguments: [profileUri: string, pickedVersionsText?: string]. Applies the whole freeze as one workspace edit. */
  freezeProfile: 'buildout-freeze.freezeProfile',
  /** Arguments: [fileUri: string, offset: number] or a finding's data. Computes an md5sum (may download) and edits it in. */
  computeMd5sum: 'buildout-freeze.computeMd5sum',
  /** Arguments: [fileUri: string, section: string]. Looks up the branch head with git ls-remote and inserts `revision =`. */
  pinRepository: 'buildout-freeze.pinRepository',
} as const;

/**
 * Environment of the language server process, set by whoever starts it (the extension; tests and the
 * benchmark start it the same way). Only glibc reads these, and only at start, so they cannot be set
 * from inside the server. V8 compiles optimised code on four background threads, and glibc gives each
 * thread that allocates its own malloc arena, which keeps what it reserved: some 8 MiB of resident memory
 * for nothing, in a server whose live data is 17 MiB; one arena takes that back, and the threads hardly
 * contend for it. Fixed trim and mmap thresholds (128 KiB, glibc's defaults, which it otherwise raises
 * up to 32 MiB as large blocks come and go) make free() hand memory back to the system: about 2 MiB less at
 * the peak of an editing session.
 */
export const SERVER_ENVIRONMENT: Readonly<Record<string, string>> = {
  MALLOC_ARENA_MAX: '1',
  MALLOC_TRIM_THRESHOLD_: '131072',
  MALLOC_MMAP_THRESHOLD_: '131072',
};

/** Server → client notification with the state shown in the status bar. */
export const StatusNotification = 'buildout-freeze/status';
export interface StatusParams {
  state: 'starting' | 'ready' | 'checking' | 'error';
  mode: Mode;
  message?: string;
}

export type Mode = 'release' | 'development';
export type SeverityName = 'error' | 'warning' | 'information' | 'hint' | 'off';

/** The `buildoutFreeze.*` settings, as the server reads them with workspace/configuration. */
export interface Settings {
  mode: Mode | 'auto';
  severity: Record<string, SeverityName>;
  rootPatterns: string[];
  python: string;            // target Python "X.Y" for conditional sections; '' = the release's own
  platform: string;          // 'linux-x86_64' etc.
  allowNetwork: boolean;
  downloadTimeoutSeconds: number;
}

export const DEFAULT_SETTINGS: Settings = {
  mode: 'auto',
  severity: {},
  rootPatterns: ['**/software*.cfg'],
  python: '',
  platform: 'linux-x86_64',
  allowNetwork: true,
  downloadTimeoutSeconds: 30,
};

/**
 * How a command reaches the server (the "middleware" approach, chosen so that no id is registered twice):
 * the server lists the `Commands` ids in its `executeCommandProvider.commands`; vscode-languageclient then
 * registers each of them as a VS Code command that sends workspace/executeCommand. The client never
 * registers those ids itself while the server advertises them: its `middleware.executeCommand` only fills
 * in missing arguments when a user runs `pasteVersions` or `freezeProfile` from the palette (the active
 * profile's URI, then the non-empty selection or else the clipboard text). A caller that passes arguments
 * (a code action, a test) reaches the server unchanged. Only if the server does not advertise a user
 * command does the client register it itself and forward it with an ExecuteCommandRequest.
 */
export const ClientCommands = {
  /** No arguments. Client-only: shows the language server's output channel (the status bar item's action). */
  showOutput: 'buildout-freeze.showOutput',
} as const;

/** Sent by the client as `initializationOptions`; `trusted: false` means no network and no child processes. */
export interface InitializationOptions {
  trusted: boolean;
}
