// Plans "Freeze this profile": checks the root in release mode, computes the fix of every finding that
// has one (md5sums, git revisions, ...), adds the pins of pasted picked-versions text, and returns all
// edits at once with a summary of what changed and what still blocks the release. It writes nothing.

import * as path from 'path';
import { checkProfile } from '../check';
import { CheckOptions } from '../core/settings';
import { FileEdit, FixContext } from '../core/fix';
import { fixFor } from '../fixes/index';
import { applyEdits, groupEdits } from '../core/apply-edits';
import { diffLines } from 'diff';
import { Host } from '../host/host';
import { Workspace } from '../workspace/workspace';
import { Finding } from '../core/finding';

export interface FreezeSummary {
  /** One line per change: "software.cfg: md5sum of [template] set". */
  changed: string[];
  /** One line per finding the freeze could not address. */
  blocking: string[];
}

export interface FreezePlan { edits: FileEdit[]; summary: FreezeSummary; findingsBefore: Finding[] }

export type FreezeEnvironment = Omit<FixContext, 'ws' | 'config' | 'root'>;

/** Hook for pasted versions; set by fixes that know how to merge picked versions (see fixes/paste-versions.ts). */
export type PastePlanner = (ws: Workspace, root: string, options: CheckOptions, text: string) => Promise<{ edits: FileEdit[]; changed: string[]; blocking: string[]; pinned: Set<string> }>;

/**
 * How many times the freeze re-plans over its own result. One pass is not always enough: when a fix
 * edits a file whose md5sum is recorded elsewhere (a profile that is also a template, its digest in
 * buildout.hash.cfg), that digest was computed from the text before the edit and is stale after it.
 */
export const MAX_FREEZE_ROUNDS = 5;

export async function planFreeze(ws: Workspace, root: string, options: CheckOptions, env: FreezeEnvironment, pickedVersions?: string, paste?: PastePlanner): Promise<FreezePlan> {
  const first = await planOnce(ws, root, options, env, false, pickedVersions, paste);
  if (first.edits.length === 0) return first;
  // Re-plan over the edited texts, in a scratch workspace that layers them over the caller's buffers and
  // disk, until nothing is left to change. Later rounds run only offline fixes: local edits cannot change
  // a remote file's md5sum or a branch head, and a stalled download must not be waited for twice.
  const originals = new Map<string, string>();
  const current = new Map<string, string>();
  const touched = new Map<string, number>();
  const applyRound = (edits: readonly FileEdit[], scratch: Workspace): string | undefined => {
    for (const [file, fileEdits] of groupEdits(edits)) {
      const text = current.get(file) ?? (() => { const t = scratch.readText(file); return 'text' in t ? t.text : undefined; })();
      if (text === undefined) return `cannot read ${file} to apply the freeze`;
      const applied = applyEdits(text, fileEdits);
      if ('error' in applied) return `${path.basename(file)}: ${applied.error}`;
      if (!originals.has(file)) originals.set(file, text);
      current.set(file, applied.text);
      touched.set(file, (touched.get(file) ?? 0) + 1);
    }
    return undefined;
  };
  const summary: FreezeSummary = { changed: [...first.summary.changed], blocking: [...first.summary.blocking] };
  const scratch = new Workspace(layeredHost(ws), ws.options);
  // Edits that do not apply (they overlap) are returned as they are, for the front end to refuse.
  if (applyRound(first.edits, scratch)) return first;
  let problem: string | undefined;
  const lastEdits = new Map<string, FileEdit[]>(groupEdits(first.edits));
  for (let round = 2; !problem; round++) {
    for (const [file, text] of current) scratch.setOverlay(file, text, round);
    const next = await planOnce(scratch, root, options, env, true);
    for (const b of next.summary.blocking) if (!summary.blocking.some((x) => sameFinding(x, b))) summary.blocking.push(b);
    if (next.edits.length === 0) break;
    if (round > MAX_FREEZE_ROUNDS) { problem = `the md5sums did not settle after ${MAX_FREEZE_ROUNDS} rounds (${next.summary.changed.join('; ')})`; break; }
    // A digest replaced again supersedes the first replacement in the summary.
    const place = (c: string) => /^[^ ]*:\d+: /.exec(c)?.[0];
    for (const c of next.summary.changed) {
      const at = summary.changed.findIndex((x) => place(x) !== undefined && place(x) === place(c));
      if (at >= 0) summary.changed[at] = c; else summary.changed.push(c);
    }
    for (const [file, edits] of groupEdits(next.edits)) lastEdits.set(file, edits);
    problem = applyRound(next.edits, scratch);
  }
  if (problem) summary.blocking.push(`freeze: ${problem}`);
  const edits: FileEdit[] = [];
  for (const [file, original] of originals) {
    // A file edited in one round keeps that round's edits; one edited again gets line edits from its
    // original text to its final text.
    if (touched.get(file) === 1) edits.push(...lastEdits.get(file)!);
    else edits.push(...lineEdits(file, original, current.get(file)!));
  }
  return { edits, summary, findingsBefore: first.findingsBefore };
}

/** True when two summary lines (`file:line: [code] message`) are about the same finding, wherever its line moved. */
function sameFinding(a: string, b: string): boolean {
  return a.replace(/^[^ ]*:\d+: /, '') === b.replace(/^[^ ]*:\d+: /, '');
}

/** A host that reads the caller's open buffers as the files' content, so a scratch workspace sees them. */
function layeredHost(ws: Workspace): Host {
  const host = ws.host;
  return Object.assign(Object.create(host) as Host, {
    readFile: (file: string) => {
      const overlay = ws.overlayText(file);
      return overlay !== undefined ? Buffer.from(overlay, 'utf8') : host.readFile(file);
    },
  });
}

/** Edits that turn `before` into `after`, one per changed run of lines. */
function lineEdits(file: string, before: string, after: string): FileEdit[] {
  const edits: FileEdit[] = [];
  let offset = 0;
  const parts = diffLines(before, after);
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    if (!part.added && !part.removed) { offset += part.value.length; continue; }
    const removed = part.removed ? part.value : '';
    const added = part.added ? part.value : parts[i + 1]?.added ? parts[++i].value : '';
    edits.push({ file, start: offset, end: offset + removed.length, newText: added });
    offset += removed.length;
  }
  return edits;
}

async function planOnce(ws: Workspace, root: string, options: CheckOptions, env: FreezeEnvironment, offlineOnly: boolean, pickedVersions?: string, paste?: PastePlanner): Promise<FreezePlan> {
  const result = await checkProfile(ws, root, { ...options, mode: 'release' });
  const edits: FileEdit[] = [];
  const summary: FreezeSummary = { changed: [], blocking: [] };
  const ctx: FixContext = { ...env, ws, config: result.config, root: result.root };
  const where = (f: Finding) => `${path.basename(f.file)}:${f.range.start.line + 1}`;
  let pinned = new Set<string>();
  if (pickedVersions && paste) {
    const p = await paste(ws, result.root, options, pickedVersions);
    edits.push(...p.edits);
    summary.changed.push(...p.changed);
    summary.blocking.push(...p.blocking);
    pinned = p.pinned;
  }
  for (const finding of result.findings) {
    if (env.signal?.aborted) { summary.blocking.push('cancelled before every fix was computed'); break; }
    if (finding.severity !== 'error' && finding.severity !== 'warning') continue;
    if (finding.code === 'unpinned-egg' && pinned.has(String(finding.data?.egg ?? '').toLowerCase())) continue;
    const fix = fixFor(finding.code);
    if (offlineOnly && fix?.online(finding)) continue;
    if (!fix) { summary.blocking.push(`${where(finding)}: [${finding.code}] ${finding.message}`); continue; }
    if (fix.online(finding) && !env.allowNetwork) { summary.blocking.push(`${where(finding)}: [${finding.code}] needs the network to fix (turned off): ${finding.message}`); continue; }
    env.progress?.(fix.title(finding));
    const r = await fix.compute(finding, ctx);
    if ('error' in r) { summary.blocking.push(`${where(finding)}: [${finding.code}] ${r.error}`); continue; }
    edits.push(...r.edits);
    summary.changed.push(`${where(finding)}: ${r.title}`);
  }
  const merged = [...groupEdits(edits).values()].flat();
  return { edits: merged, summary, findingsBefore: result.findings };
}
