// Plans "Freeze this profile": checks the root in release mode, computes the fix of every finding that
// has one (md5sums, git revisions, ...), adds the pins of pasted picked-versions text, and returns all
// edits at once with a summary of what changed and what still blocks the release. It writes nothing.

import * as path from 'path';
import { checkProfile } from '../check';
import { CheckOptions } from '../core/settings';
import { FileEdit, FixContext } from '../core/fix';
import { fixFor } from '../fixes/index';
import { groupEdits } from '../core/apply-edits';
import type { Workspace } from '../workspace/workspace';
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

export async function planFreeze(ws: Workspace, root: string, options: CheckOptions, env: FreezeEnvironment, pickedVersions?: string, paste?: PastePlanner): Promise<FreezePlan> {
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
