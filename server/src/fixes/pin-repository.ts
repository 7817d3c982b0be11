// pin-repository (fixes untagged-repository): asks the remote with `git ls-remote` which commit the
// clone's branch points to now, and writes `revision = <full sha1>` where model/git-clone.ts's
// planRevisionPin puts it: replacing a `revision` the release already writes, next to the clone's
// `branch`/`repository` when the release's own files define it, else as a `[section]` override in the
// root profile, which is what a SlapOS software release does for a clone its stack defines (the stack
// keeps `branch = master` for every other release). The full sha1 is written even when a tag points at
// that commit, because a tag can be moved or deleted and a sha1 cannot; the tag is named in the title.
// Deliberately not done: no clone, no fetch, no network at all when `allowNetwork` is false; the branch
// is not guessed (no `branch` means the recipe's default, master) and a missing one is an error.

import { Fix, FixContext, FixResult } from '../core/fix';
import { Finding } from '../core/finding';
import { gitCloneOf, planRevisionPin, placementText } from '../model/git-clone';

function sectionOf(finding: Finding): string | undefined {
  const s = finding.data?.section;
  return typeof s === 'string' ? s : undefined;
}

export const pinRepository: Fix = {
  code: 'untagged-repository',
  title(finding: Finding): string {
    const branch = typeof finding.data?.branch === 'string' ? finding.data.branch : 'its branch';
    return `Pin [${sectionOf(finding) ?? '?'}] to the current commit of ${branch} (git ls-remote)`;
  },
  online: () => true,
  async compute(finding: Finding, ctx: FixContext): Promise<FixResult> {
    const section = sectionOf(finding);
    if (!section) return { error: 'This finding carries no section to pin.' };
    if (!ctx.allowNetwork) return { error: `Pinning [${section}] needs \`git ls-remote\`, and network access is turned off (untrusted workspace or setting).` };
    const clone = gitCloneOf(ctx.config, section);
    if (!clone) return { error: `[${section}] is no longer a git clone in this profile.` };
    const repository = clone.repository?.value.trim();
    if (!repository) return { error: `[${section}] has no \`repository\` to look up.` };
    if (clone.repository?.unresolved) return { error: `The repository of [${section}] (${repository}) contains a \${} reference that cannot be resolved statically.` };
    const placement = planRevisionPin(ctx.config, ctx.ws, ctx.root, clone);
    if (!placement) return { error: `There is no local profile to write \`revision\` for [${section}] into.` };
    if (ctx.signal?.aborted) return { error: 'cancelled' };

    ctx.progress?.(`git ls-remote ${repository}`);
    const refs = await ctx.ws.host.gitLsRemote(repository, { timeoutMs: ctx.timeoutMs, signal: ctx.signal });
    if ('error' in refs) return { error: `Cannot look up branch ${clone.branch} of ${repository}: ${refs.error}` };
    const wanted = clone.branch.startsWith('refs/') ? clone.branch : `refs/heads/${clone.branch}`;
    const head = refs.find((r) => r.name === wanted);
    if (!head) {
      const branches = refs.filter((r) => r.name.startsWith('refs/heads/')).map((r) => r.name.slice('refs/heads/'.length));
      const shown = branches.slice(0, 10).join(', ') + (branches.length > 10 ? ', …' : '');
      return { error: `${repository} has no branch ${clone.branch}${clone.branchWritten ? '' : " (the recipe's default, since [" + section + '] sets no `branch`)'}; its branches are: ${shown || 'none'}.` };
    }
    if (!/^([0-9a-f]{40}|[0-9a-f]{64})$/.test(head.sha)) return { error: `git ls-remote gave ${JSON.stringify(head.sha)} for ${wanted}, which is not a commit id.` };
    // A lightweight tag lists the commit itself; an annotated one lists its tag object, then the commit as `^{}`.
    const tags = [...new Set(refs.filter((r) => r.name.startsWith('refs/tags/') && r.sha === head.sha).map((r) => r.name.slice('refs/tags/'.length).replace(/\^\{\}$/, '')))].sort();
    const tagged = tags.length ? `, tagged ${tags.join(', ')}` : '';
    return {
      title: `Pin [${section}] to ${head.sha.slice(0, 12)} (head of ${clone.branch}${tagged})`,
      edits: [{ file: placement.file, start: placement.start, end: placement.end, newText: placementText(placement, head.sha) }],
    };
  },
};
