// The workspace/executeCommand commands (ids and arguments in protocol.ts). Each one works out its
// inputs, runs the core with progress and cancellation, and applies its result as ONE workspace edit
// (one undo). Online work happens only here, never while typing, and never in an untrusted workspace.

import { WorkspaceEdit } from 'vscode-languageserver/node';
import { Finding } from '../core/finding';
import { FileEdit } from '../core/fix';
import { fixFor } from '../fixes/index';
import { Commands } from '../protocol';
import { canonical } from '../workspace/workspace';
import { fromFindingArgument, isFindingArgument, offsetAt, uriToPath } from './convert';
import { OpenSnapshot, fixContextFor, toEdit } from './fix-support';
import { PLANNERS } from './planners';
import { Session } from './session';
import { checkOptionsOf } from './settings';

/** One piece of long work as the user sees it: a cancellable progress report. */
export interface Progress {
  report(message: string): void;
  done(): void;
  /** Aborted when the user cancels (the progress or the request). */
  signal: AbortSignal;
}

/** What commands need from the connection; server.ts provides it. */
export interface CommandEnv {
  session: Session;
  documentChanges: boolean;
  startProgress(title: string): Promise<Progress>;
  applyEdit(label: string, edit: WorkspaceEdit): Promise<{ applied: boolean; failureReason?: string }>;
  showInformation(message: string): void;
  showWarning(message: string): void;
}

export interface CommandResult {
  applied: boolean;
  message: string;
  [key: string]: unknown;
}

type Handler = (env: CommandEnv, args: unknown[]) => Promise<CommandResult>;

export const COMMAND_HANDLERS: Record<string, Handler> = {
  [Commands.computeMd5sum]: (env, args) => runOnlineFix(env, args, 'md5'),
  [Commands.pinRepository]: (env, args) => runOnlineFix(env, args, 'git'),
  [Commands.pasteVersions]: pasteVersions,
  [Commands.freezeProfile]: freezeProfile,
};

export class CommandError extends Error {}

function pathArgument(value: unknown, what: string): string {
  const file = typeof value === 'string' ? uriToPath(value) ?? (value.startsWith('/') ? value : undefined) : undefined;
  if (!file) throw new CommandError(`${what}: expected a file URI, got ${JSON.stringify(value)}`);
  return canonical(file);
}

/** Runs the online fix of one finding (download + md5sum, or git ls-remote) and applies its edit. */
async function runOnlineFix(env: CommandEnv, args: unknown[], kind: 'md5' | 'git'): Promise<CommandResult> {
  const finding = await findingFromArguments(env.session, args, kind);
  const fix = fixFor(finding.code);
  if (!fix) throw new CommandError(`no fix for ${finding.code}`);
  if (fix.online(finding) && !env.session.mayUseNetwork) {
    return refuse(env, env.session.trusted ? 'network access is turned off (buildoutFreeze.allowNetwork)' : 'the workspace is not trusted');
  }
  const progress = await env.startProgress(fix.title(finding));
  try {
    const before = env.session.snapshotOpenDocuments();
    const ctx = await fixContextFor(env.session, finding.profile, progress.signal, (m) => progress.report(m));
    const result = await fix.compute(finding, ctx);
    if (progress.signal.aborted) return { applied: false, message: 'cancelled' };
    if ('error' in result) { env.showWarning(`Buildout Freeze: ${result.error}`); return { applied: false, message: result.error }; }
    return await apply(env, result.title, result.edits, before);
  } finally {
    progress.done();
  }
}

/**
 * The finding a fix command is about: a finding argument (what our code actions send), or the
 * documented short forms `[fileUri, offset]` (md5) and `[fileUri, section]` (git), looked up in the
 * file's current findings.
 */
async function findingFromArguments(session: Session, args: unknown[], kind: 'md5' | 'git'): Promise<Finding> {
  if (isFindingArgument(args[0])) {
    const finding = fromFindingArgument(args[0]);
    if (!finding) throw new CommandError('the finding argument does not name local files');
    return finding;
  }
  const file = pathArgument(args[0], 'argument 1');
  const findings = (await session.findingsIn(file)).filter((f) => fixFor(f.code) && (kind === 'git' ? f.code === 'untagged-repository' : /md5/.test(f.code)));
  const text = session.ws.readText(file);
  const match = findings.find((f) => {
    if (kind === 'git') return f.data?.section === args[1] || f.data?.part === args[1];
    if (!('text' in text) || typeof args[1] !== 'number') return false;
    return offsetAt(text.text, f.range.start) <= args[1] && args[1] <= offsetAt(text.text, f.range.end);
  });
  if (!match) throw new CommandError(`nothing to fix at ${JSON.stringify(args[1])} in ${file}`);
  return match;
}

async function pasteVersions(env: CommandEnv, args: unknown[]): Promise<CommandResult> {
  const file = pathArgument(args[0], 'pasteVersions profileUri');
  if (typeof args[1] !== 'string' || !args[1].trim()) throw new CommandError('pasteVersions needs the text buildout printed ("Versions had to be automatically picked") as its second argument');
  const session = env.session;
  const root = await session.rootForCommand(file);
  const before = session.snapshotOpenDocuments();
  const plan = PLANNERS.pasteVersions({ ws: session.ws, config: await session.configFor(root) }, args[1]);
  const summary = { added: plan.added, conflicts: plan.conflicts.map((c) => ({ name: c.name, version: c.version, existing: c.existing })), duplicates: plan.duplicates };
  if (plan.problem) { env.showWarning(`Buildout Freeze: ${plan.problem}`); return { applied: false, message: plan.problem, ...summary }; }
  if (plan.picked.pins.length === 0) {
    const message = 'Buildout Freeze: no `name = version` lines found in the pasted text.';
    env.showWarning(message);
    return { applied: false, message, ...summary };
  }
  const parts = [`${plan.added.length} pin${plan.added.length === 1 ? '' : 's'} added to [${plan.section}]`];
  if (plan.conflicts.length) parts.push(`${plan.conflicts.length} left as they were: ${plan.conflicts.map((c) => `${c.name} (already ${c.existing || 'unpinned on purpose'}, pasted ${c.version})`).join(', ')}`);
  if (plan.duplicates.length) parts.push(`${plan.duplicates.length} already pinned`);
  const message = `Buildout Freeze: ${parts.join('; ')}.`;
  if (plan.edits.length === 0) { env.showInformation(message); return { applied: false, message, ...summary }; }
  const applied = await apply(env, 'Paste picked versions', plan.edits, before);
  if (applied.applied) env.showInformation(message);
  return { ...applied, message: applied.applied ? message : applied.message, ...summary };
}

async function freezeProfile(env: CommandEnv, args: unknown[]): Promise<CommandResult> {
  const file = pathArgument(args[0], 'freezeProfile profileUri');
  const picked = typeof args[1] === 'string' && args[1].trim() ? args[1] : undefined;
  const plan = PLANNERS.freeze;
  const session = env.session;
  const root = await session.rootForCommand(file);
  const progress = await env.startProgress('Freezing the profile');
  try {
    const before = session.snapshotOpenDocuments();
    const freezeEnv = { allowNetwork: session.mayUseNetwork, timeoutMs: session.settings.downloadTimeoutSeconds * 1000, signal: progress.signal, progress: (m: string) => progress.report(m) };
    const result = await plan(session.ws, root, checkOptionsOf(session.settings), freezeEnv, picked, PLANNERS.pasteForFreeze);
    if (progress.signal.aborted) return { applied: false, message: 'cancelled' };
    const { changed, blocking } = result.summary;
    const message = `Buildout Freeze: ${changed.length} change${changed.length === 1 ? '' : 's'}${blocking.length ? `; ${blocking.length} left to do by hand: ${blocking.join('; ')}` : '; the profile is frozen'}.`;
    if (result.edits.length === 0) { env.showInformation(message); return { applied: false, message, changed, blocking }; }
    const applied = await apply(env, 'Freeze the profile', result.edits, before);
    if (applied.applied) env.showInformation(message);
    return { ...applied, message: applied.applied ? message : applied.message, changed, blocking };
  } finally {
    progress.done();
  }
}

async function apply(env: CommandEnv, label: string, edits: readonly FileEdit[], before: OpenSnapshot): Promise<CommandResult> {
  const edit = toEdit(env.session, edits, before, env.documentChanges);
  if ('error' in edit) { env.showWarning(`Buildout Freeze: ${edit.error}`); return { applied: false, message: edit.error }; }
  const result = await env.applyEdit(label, edit);
  if (!result.applied) {
    const reason = result.failureReason ?? 'the editor refused the edit (was the file changed meanwhile? try again)';
    env.showWarning(`Buildout Freeze: ${label}: ${reason}`);
    return { applied: false, message: reason };
  }
  return { applied: true, message: label };
}

function refuse(env: CommandEnv, why: string): CommandResult {
  const message = `Buildout Freeze: this fix needs the network or git, but ${why}.`;
  env.showWarning(message);
  return { applied: false, message };
}
