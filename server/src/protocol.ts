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
