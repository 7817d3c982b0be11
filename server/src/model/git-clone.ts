// What a git clone part asks for (repository, branch, revision) and where a `revision = <commit>` that
// freezes it belongs. Shared by the untagged-repository rule, which reports the place in its data, and
// the pin-repository fix, which recomputes it on the current snapshot. Pure: it never contacts a remote.

import * as path from 'path';
import { EffectiveConfig, ResolvedValue, configLookup } from './effective-config';
import { Origin, Value } from './config';
import { computeInstalled, recipeName } from './installed';
import { sameItems } from './tracking';
import { OptionSyntax, SectionSyntax } from '../syntax/parse-profile';
import type { Workspace } from '../workspace/workspace';
import { canonical, isUrl } from '../workspace/workspace';

/**
 * The recipes that clone a git repository, with the names of their options. Only
 * `slapos.recipe.build:gitclone` occurs in the SlapOS tree; its `branch` defaults to `master`
 * (slapos.recipe.build's default branch name) and a non-empty `revision` is checked out after cloning.
 */
export const GIT_CLONE_RECIPES: Record<string, { repository: string; branch: string; revision: string; defaultBranch: string }> = {
  'slapos.recipe.build:gitclone': { repository: 'repository', branch: 'branch', revision: 'revision', defaultBranch: 'master' },
};

export interface GitClone {
  section: string;
  recipe: string;
  /** Option names for this recipe. */
  options: { repository: string; branch: string; revision: string };
  repository?: ResolvedValue;
  repositoryRaw?: Value;
  /** The effective branch (the recipe's default when not written). */
  branch: string;
  branchWritten: boolean;
  branchRaw?: Value;
  revision?: ResolvedValue;
  revisionRaw?: Value;
}

/**
 * The entry points of the git clone recipes: a recipe whose text names none of them is ruled out without
 * being parsed (every part's recipe is asked this at each check). `default` is never written, so it rules out nothing.
 */
const CLONE_ENTRIES = Object.keys(GIT_CLONE_RECIPES).map((k) => k.slice(k.indexOf(':') + 1));

/** True when a `recipe` value names a git clone recipe. */
export function isGitCloneRecipe(recipe: string | undefined): boolean {
  if (!recipe) return false;
  let named = false;
  for (let i = 0; i < CLONE_ENTRIES.length && !named; i++) named = CLONE_ENTRIES[i] === 'default' || recipe.includes(CLONE_ENTRIES[i]);
  if (!named || !recipe.trim()) return false;
  const { egg, entry } = recipeName(recipe.trim());
  return `${egg}:${entry}` in GIT_CLONE_RECIPES;
}

/**
 * The installed parts whose recipe clones a git repository, memoised per configuration as a lookup: a
 * rule that reads it depends on the list, not on the recipe of every installed part.
 */
export function gitCloneParts(config: EffectiveConfig, ws: Workspace): string[] {
  return cloningParts(config, ws);
}

const cloningParts = configLookup<Workspace, string[]>('git-clone-parts', sameItems,
  (config, ws) => computeInstalled(config, ws).parts.filter((part) => isGitCloneRecipe(config.get(part, 'recipe')?.value)));

/** The clone a section describes, or undefined when its recipe is not a git clone recipe. */
export function gitCloneOf(config: EffectiveConfig, section: string): GitClone | undefined {
  const recipe = config.get(section, 'recipe')?.value.trim();
  if (!recipe) return undefined;
  const { egg, entry } = recipeName(recipe);
  const spec = GIT_CLONE_RECIPES[`${egg}:${entry}`];
  if (!spec) return undefined;
  const branch = config.get(section, spec.branch);
  return {
    section, recipe, options: spec,
    repository: config.get(section, spec.repository), repositoryRaw: config.raw(section, spec.repository),
    branch: branch?.value.trim() || spec.defaultBranch, branchWritten: !!branch?.value.trim(), branchRaw: config.raw(section, spec.branch),
    revision: config.get(section, spec.revision), revisionRaw: config.raw(section, spec.revision),
  };
}

export type Freeze =
  | { frozen: true }
  | { frozen: false; why: 'no-revision' | 'empty-revision' | 'branch-as-revision' };

/**
 * Whether the clone checks out a fixed commit. Any non-empty `revision` counts (full or short sha1,
 * `git describe` form, tag), except `HEAD` or the very branch it follows, which move. A revision that
 * cannot be substituted statically is given the benefit of the doubt.
 */
export function freezeOf(clone: GitClone): Freeze {
  const revision = clone.revision?.value.trim();
  if (clone.revision === undefined) return { frozen: false, why: 'no-revision' };
  if (!revision) return { frozen: false, why: 'empty-revision' };
  if (clone.revision.unresolved) return { frozen: true };
  if (revision === 'HEAD' || revision === clone.branch || revision === `origin/${clone.branch}` || revision === `refs/heads/${clone.branch}`) return { frozen: false, why: 'branch-as-revision' };
  return { frozen: true };
}

/** Where `revision = <commit>` goes: [start, end) of `file` becomes `before + commit + after`. */
export interface RevisionPlacement {
  file: string;
  start: number;
  end: number;
  before: string;
  after: string;
  kind: 'replace' | 'insert' | 'new-section';
}

export function placementText(p: RevisionPlacement, revision: string): string {
  return `${p.before}${revision}${p.after}`;
}

/**
 * Picks the file and place for `revision = <commit>`, following SlapOS's habit:
 * 1. a `revision` already written (empty, `HEAD`, the branch) in a file the release owns is replaced;
 * 2. a clone whose `branch` (else `repository`) is written in a file the release owns gets the revision
 *    right after that option, in the same section block;
 * 3. otherwise the clone comes from a stack or a component shared with other releases, and the release
 *    overrides `revision` in its own root profile (as software/erp5-zope2 does for [erp5]), in an existing
 *    unconditional `[section]` block of the root or a new one appended at its end.
 * A file is owned by the release when it is the root or sits in the root's directory or below: another
 * software release never reads it. A place earlier in the merge order than a file that also writes
 * `revision` would be overridden, so the root is used then. Undefined when the root is not a local file.
 */
export function planRevisionPin(config: EffectiveConfig, ws: Workspace, rootIn: string, clone: GitClone): RevisionPlacement | undefined {
  const root = canonical(rootIn);
  if (isUrl(root)) return undefined;
  const rootDir = path.dirname(root);
  const owned = (file: string) => !!file && !isUrl(file) && (file === root || !path.relative(rootDir, file).startsWith('..'));
  const order = (file: string) => config.files.indexOf(file);
  const revisionSet = newestSet(clone.revisionRaw);
  const lastRevisionFile = revisionSet?.file;
  const effectiveIn = (file: string) => !lastRevisionFile || order(file) >= order(lastRevisionFile);

  if (revisionSet?.option && owned(revisionSet.file)) {
    const syntax = ws.syntaxOf(revisionSet.file);
    const block = syntax?.sections.find((s) => s.options.includes(revisionSet.option!));
    if (syntax && block && block.name === clone.section && !block.condition) {
      // Keep `revision =` as written (its alignment too) and replace what follows the `=`.
      const o = revisionSet.option;
      const eq = syntax.text.indexOf('=', o.nameEnd);
      const end = Math.max(eq + 1, lastContentEnd(syntax.text, o));
      return { file: revisionSet.file, start: eq + 1, end, before: ' ', after: '', kind: 'replace' };
    }
  }
  for (const raw of [clone.branchRaw, clone.repositoryRaw]) {
    const origin = newestSet(raw);
    if (!origin?.option || !owned(origin.file) || !effectiveIn(origin.file)) continue;
    const syntax = ws.syntaxOf(origin.file);
    if (!syntax) continue;
    const block = syntax.sections.find((s) => s.options.includes(origin.option!));
    // Only an option written in the clone's own unconditional block: one inherited from a macro base
    // would pin every user of it, and one in `[section:condition]` only under that condition.
    if (!block || block.name !== clone.section || block.condition) continue;
    return insertAfter(syntax.text, origin.file, origin.option, clone.options.revision);
  }
  const syntax = ws.syntaxOf(root);
  if (!syntax) return undefined;
  const blocks = syntax.sections.filter((s) => s.name === clone.section && !s.condition);
  const block = blocks[blocks.length - 1];
  if (block) return insertIntoBlock(syntax.text, root, block, clone.options.revision);
  const text = syntax.text;
  const sep = text === '' || text.endsWith('\n\n') ? '' : text.endsWith('\n') ? '\n' : '\n\n';
  return { file: root, start: text.length, end: text.length, before: `${sep}[${clone.section}]\n${clone.options.revision} = `, after: '\n', kind: 'new-section' };
}

function newestSet(value: Value | undefined): Origin | undefined {
  if (!value) return undefined;
  for (let i = value.origins.length - 1; i >= 0; i--) if (value.origins[i].operation === 'SET' && value.origins[i].option) return value.origins[i];
  return undefined;
}

/** End of the last non-blank line of an option's value (or of its `name =` line when the value is empty). */
function lastContentEnd(text: string, o: OptionSyntax): number {
  for (let i = o.lines.length - 1; i >= 0; i--) {
    const l = o.lines[i];
    const s = text.slice(l.start, l.end);
    if (s.trim() !== '') return l.start + s.trimEnd().length;
  }
  const eq = text.indexOf('=', o.nameEnd);
  return eq >= 0 ? eq + 1 : o.nameEnd;
}

/**
 * `revision = `, or with its `=` lined up with the neighbour's when the neighbour was padded on purpose
 * (`branch        = master`), as a good part of the corpus writes it.
 */
function alignedAssignment(text: string, neighbour: OptionSyntax, key: string): string {
  const eq = text.indexOf('=', neighbour.nameEnd);
  const gap = eq < 0 ? '' : text.slice(neighbour.nameEnd, eq);
  const column = eq - neighbour.nameStart;
  if (eq < 0 || !/^  +$/.test(gap) || column - 1 <= key.length) return `${key} = `;
  return `${key.padEnd(column - 1)} = `;
}

function insertAfter(text: string, file: string, option: OptionSyntax, key: string): RevisionPlacement {
  const at = lastContentEnd(text, option);
  return { file, start: at, end: at, before: `\n${alignedAssignment(text, option, key)}`, after: '', kind: 'insert' };
}

function insertIntoBlock(text: string, file: string, block: SectionSyntax, key: string): RevisionPlacement {
  const last = block.options[block.options.length - 1];
  if (last) return insertAfter(text, file, last, key);
  return { file, start: block.headerEnd, end: block.headerEnd, before: `\n${key} = `, after: '', kind: 'insert' };
}
