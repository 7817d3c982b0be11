// What `check PATH...` checks: a folder means its root profiles; a named file goes through the same choice
// as a file opened in the editor. A template by content is skipped; a fragment is judged in the nearest
// root of its project that extends it; a file a root renders (an instance.cfg) or named like a template
// input is skipped; anything else is a root of its own. Skips come back as notes for stderr.

import * as fs from 'fs';
import * as path from 'path';
import { Workspace, canonical } from '../workspace/workspace';
import { effectiveOptions, loadForTarget } from '../check';
import { CheckOptions, readMarker, targetFrom } from '../core/settings';
import { discoverRoots, projectFolderCandidates } from '../workspace/discover-roots';
import { RootIndex } from '../workspace/root-index';
import { downloadsOf } from '../model/downloads';
import { hasTemplateName, judgeProfileText } from '../syntax/looks-like-profile';

/** A root to check, and the one file whose findings to keep when a fragment was named. */
export interface PlannedCheck { root: string; only?: string }

export type CheckPlan = { checks: PlannedCheck[]; notes: string[] } | { error: string };

export async function planChecks(ws: Workspace, paths: string[], rootPatterns: string[] | undefined, options: CheckOptions): Promise<CheckPlan> {
  const checks: PlannedCheck[] = [];
  const notes: string[] = [];
  const lookup: Lookup = { ws, options, indexes: new Map(), rendered: new Map() };
  const shown = (f: string) => path.relative(process.cwd(), f) || f;
  for (const p of paths) {
    let st: fs.Stats;
    try { st = fs.statSync(p); } catch { return { error: `${p}: no such file or folder` }; }
    const patterns = rootPatternsFor(ws, rootPatterns, st.isDirectory() ? p : path.dirname(p));
    if (st.isDirectory()) {
      const found = discoverRoots(ws.host, p, patterns);
      if (!found.length) return { error: `${p}: no root profile found (looked for ${patterns.join(', ')}, then for profiles nothing extends)` };
      for (const root of found) checks.push({ root: canonical(root) });
      continue;
    }
    const notProfile = templateVerdict(ws, p);
    if (notProfile) { notes.push(`${p} is not a buildout profile (line ${notProfile.line + 1}: ${notProfile.reason}); not checked`); continue; }
    const judge = await judgingRoot(lookup, p, patterns);
    if (judge) {
      notes.push(`${p} is judged in ${shown(judge.root)}, the nearest of the ${judge.of} root profile(s) that extend it`);
      checks.push({ root: judge.root, only: canonical(p) });
      continue;
    }
    const renderer = await renderingRoot(lookup, p, patterns);
    if (renderer) notes.push(`${p} is a template that ${shown(renderer)} renders, not a profile of its own; not checked (check ${shown(renderer)})`);
    else if (hasTemplateName(p)) notes.push(`${p} is named like a template input (*.in, *.jinja2) and no profile extends it; not checked on its own`);
    else checks.push({ root: canonical(p) });
  }
  return { checks, notes };
}

/** What the run has looked up so far: one root index per folder and patterns, each root's local downloads. */
interface Lookup { ws: Workspace; options: CheckOptions; indexes: Map<string, RootIndex>; rendered: Map<string, Set<string>> }

/** Root patterns: from the command line, else the marker next to the profiles, else SlapOS's `software*.cfg`. */
function rootPatternsFor(ws: Workspace, given: string[] | undefined, dir: string): string[] {
  if (given?.length) return given;
  const marker = readMarker(ws, dir);
  return marker && 'rootPatterns' in marker && marker.rootPatterns?.length ? marker.rootPatterns : ['**/software*.cfg'];
}

/**
 * A fragment (component/foo/buildout.cfg, stack/x.cfg) is judged as the editor judges it: in the nearest
 * root profile of its project that reaches it through `extends`, not as a release of its own. Undefined
 * when the file is a root itself or no root reaches it.
 */
async function judgingRoot(lookup: Lookup, file: string, patterns: string[]): Promise<{ root: string; of: number } | undefined> {
  for (const folder of projectFolderCandidates(lookup.ws.host, file, process.cwd())) {
    const index = indexFor(lookup, folder, patterns);
    if (index.matchesRootPattern(file)) return undefined;
    await index.scan();
    const reaching = index.rootsReaching(file);
    if (reaching.length) return { root: index.nearestRoot(canonical(file), reaching), of: reaching.length };
  }
  return undefined;
}

function indexKey(folder: string, patterns: string[]): string {
  return `${folder}\0${patterns.join('\0')}`;
}

/** The root index of `folder` for `patterns`, one per run: naming 400 fragments scans the tree once. */
function indexFor({ ws, options, indexes }: Lookup, folder: string, patterns: string[]): RootIndex {
  const key = indexKey(folder, patterns);
  let index = indexes.get(key);
  if (!index) {
    index = new RootIndex(ws, { folders: [folder], patterns, target: targetFrom(options.python, options.platform), yieldNow: async () => {} });
    indexes.set(key, index);
  }
  return index;
}

/**
 * The root of the project that renders or downloads `file` (an instance.cfg that slapos.recipe.template
 * fills in): a template input, whose `${...}` only mean something once rendered. Looked up only for a
 * named file that no root extends; each root's downloads are computed once per run.
 */
async function renderingRoot({ ws, options, indexes, rendered }: Lookup, file: string, patterns: string[]): Promise<string | undefined> {
  const wanted = canonical(file);
  for (const folder of projectFolderCandidates(ws.host, file, process.cwd())) {
    // Only the folders judgingRoot has indexed: a file that matches the root patterns stops the search there.
    for (const root of indexes.get(indexKey(folder, patterns))?.roots() ?? []) {
      let files = rendered.get(root);
      if (!files) {
        const { config } = await loadForTarget(ws, root, effectiveOptions(ws, root, options));
        files = new Set(downloadsOf(ws, config).flatMap((d) => (d.local ? [canonical(d.local)] : [])));
        ws.forgetRoot(root);
        rendered.set(root, files);
      }
      if (files.has(wanted)) return root;
    }
  }
  return undefined;
}

/** Why the file at `p` is a template rather than a profile, or undefined when it reads as a profile (or cannot be read: the check reports that). */
function templateVerdict(ws: Workspace, p: string): { line: number; reason: string } | undefined {
  const text = ws.readText(p);
  if (!('text' in text)) return undefined;
  const verdict = judgeProfileText(text.text);
  return verdict.profile ? undefined : verdict;
}
