// The contract of a fix: from a Finding (and its `data`), compute text edits against the current files.
// A fix may need the outside world (download a file for its md5sum, `git ls-remote`); it then goes
// through the Host with the context's timeout, cancellation and progress. Fixes never write files:
// the LSP layer sends the edits to the editor, the CLI writes them atomically.

import { Finding } from './finding';
import { EffectiveConfig } from '../model/effective-config';
import type { Workspace } from '../workspace/workspace';

/** A replacement of [start, end) in `file`'s current text (offsets are UTF-16 indices). */
export interface FileEdit { file: string; start: number; end: number; newText: string }

export interface FixContext {
  ws: Workspace;
  config: EffectiveConfig;
  root: string;
  /** False in untrusted workspaces or when the user turned the network off. */
  allowNetwork: boolean;
  timeoutMs: number;
  signal?: AbortSignal;
  progress?: (message: string) => void;
}

export type FixResult = { title: string; edits: FileEdit[] } | { error: string };

export interface Fix {
  /** The rule id whose findings this fixes. */
  code: string;
  /** The title shown in the editor's quick-fix menu. */
  title(finding: Finding): string;
  /** True when computing the edit needs the network or a process (download, git). */
  online(finding: Finding): boolean;
  compute(finding: Finding, ctx: FixContext): Promise<FixResult>;
}
