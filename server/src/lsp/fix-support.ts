// What code actions and commands share: the FixContext a fix runs in (network only when trusted and
// allowed), and turning the core's FileEdits into one WorkspaceEdit against the texts they were computed on.

import { WorkspaceEdit } from 'vscode-languageserver/node';
import { FileEdit, FixContext } from '../core/fix';
import { canonical } from '../workspace/workspace';
import { TextSnapshot, toWorkspaceEdit } from './convert';
import { Session } from './session';

export async function fixContextFor(session: Session, root: string, signal?: AbortSignal, progress?: (message: string) => void): Promise<FixContext> {
  return {
    ws: session.ws,
    config: await session.configFor(root),
    root: canonical(root),
    allowNetwork: session.mayUseNetwork,
    timeoutMs: session.settings.downloadTimeoutSeconds * 1000,
    ...(signal ? { signal } : {}),
    ...(progress ? { progress } : {}),
  };
}

/** Open buffers as they were before the edit was computed; other files as on disk now (unversioned). */
export type OpenSnapshot = Map<string, { text: string; version: number }>;

export function toEdit(session: Session, edits: readonly FileEdit[], before: OpenSnapshot, documentChanges: boolean): WorkspaceEdit | { error: string } {
  const snapshotOf = (file: string): TextSnapshot | undefined => {
    const open = before.get(canonical(file));
    if (open) return open;
    const text = session.ws.readText(file);
    return 'text' in text ? { text: text.text, version: null } : undefined;
  };
  return toWorkspaceEdit(edits, snapshotOf, (f) => session.uriOf(f), documentChanges);
}
