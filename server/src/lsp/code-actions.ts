// Code actions for our diagnostics. A fix that needs nothing but local files returns its edit directly;
// one that downloads or runs git returns a command (run with progress by commands.ts). `source.fixAll`
// gathers every offline md5sum fix of the file. Everything is recomputed from the diagnostic's data and
// the current files: the server keeps no state for a quick fix.

import { CodeAction, CodeActionKind, CodeActionParams, Command, Diagnostic } from 'vscode-languageserver/node';
import { Finding } from '../core/finding';
import { FileEdit } from '../core/fix';
import { fixFor } from '../fixes/index';
import { Commands, DIAGNOSTIC_SOURCE } from '../protocol';
import { toDiagnostic, toFinding, toFindingArgument } from './convert';
import { fixContextFor, toEdit } from './fix-support';
import { Session } from './session';

export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.${DIAGNOSTIC_SOURCE}`;
export const CODE_ACTION_KINDS = [CodeActionKind.QuickFix, CodeActionKind.SourceFixAll, FIX_ALL_KIND];

/** The fixes `source.fixAll` applies: offline md5sum fixes only (never a download on save). */
const FIX_ALL_CODES = /md5/;

export interface CodeActionCapabilities { documentChanges: boolean; disabledSupport: boolean }

export async function codeActionsFor(session: Session, file: string, params: CodeActionParams, caps: CodeActionCapabilities): Promise<CodeAction[]> {
  const only = params.context.only;
  const wants = (kind: string) => !only || only.some((o) => kind === o || kind.startsWith(`${o}.`));
  const actions: CodeAction[] = [];
  if (wants(CodeActionKind.QuickFix)) {
    for (const diagnostic of params.context.diagnostics) {
      const finding = toFinding(diagnostic, file);
      if (finding) actions.push(...(await quickFixesFor(session, finding, diagnostic, caps)));
    }
  }
  // Only on request (a source action, fix-all on save): it may hash every local file the profile names.
  if (only && wants(FIX_ALL_KIND)) {
    const fixAll = await fixAllFor(session, file, caps);
    if (fixAll) actions.push(fixAll);
  }
  return actions;
}

async function quickFixesFor(session: Session, finding: Finding, diagnostic: Diagnostic, caps: CodeActionCapabilities): Promise<CodeAction[]> {
  const actions: CodeAction[] = [];
  const fix = fixFor(finding.code);
  if (fix && !fix.online(finding)) {
    const before = session.snapshotOpenDocuments();
    const result = await fix.compute(finding, await fixContextFor(session, finding.profile));
    if ('edits' in result) {
      const edit = toEdit(session, result.edits, before, caps.documentChanges);
      if (!('error' in edit)) actions.push({ title: result.title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], edit, isPreferred: true });
    }
  } else if (fix) {
    const title = fix.title(finding);
    const action: CodeAction = { title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], command: Command.create(title, commandFor(finding.code), toFindingArgument(finding)) };
    if (session.mayUseNetwork) actions.push(action);
    else if (caps.disabledSupport) actions.push({ ...action, disabled: { reason: session.trusted ? 'Network access is turned off (buildoutFreeze.allowNetwork).' : 'The workspace is not trusted: no downloads and no git.' } });
  }
  if (finding.code === 'unpinned-egg') {
    // No arguments: the VS Code client fills in the active profile and the selection or clipboard text.
    const title = 'Paste the versions buildout picked…';
    actions.push({ title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], command: Command.create(title, Commands.pasteVersions) });
  }
  return actions;
}

/** The command that computes an online fix: git for repositories, a download for everything else. */
export function commandFor(code: string): string {
  return code === 'untagged-repository' ? Commands.pinRepository : Commands.computeMd5sum;
}

async function fixAllFor(session: Session, file: string, caps: CodeActionCapabilities): Promise<CodeAction | undefined> {
  const before = session.snapshotOpenDocuments();
  const edits: FileEdit[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const finding of await session.findingsIn(file)) {
    const fix = fixFor(finding.code);
    if (!fix || !FIX_ALL_CODES.test(finding.code) || fix.online(finding)) continue;
    const result = await fix.compute(finding, await fixContextFor(session, finding.profile));
    if (!('edits' in result)) continue;
    edits.push(...result.edits);
    diagnostics.push(toDiagnostic(finding, (f) => session.uriOf(f)));
  }
  if (edits.length === 0) return undefined;
  const edit = toEdit(session, edits, before, caps.documentChanges);
  if ('error' in edit) return undefined;
  return { title: `Fix every md5sum in this file (${diagnostics.length})`, kind: FIX_ALL_KIND, diagnostics, edit };
}
