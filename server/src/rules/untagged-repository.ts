// untagged-repository: an installed git clone (`slapos.recipe.build:gitclone`) that pins no commit:
// no `revision`, an empty `revision =`, or a `revision` naming the very branch it follows. A branch is
// not a freeze: the same profile builds different code tomorrow. The finding sits on `repository` (or on
// the `revision` written), relates the `branch` line, and carries in `data` where the pin-repository fix
// writes `revision = <commit>`.
// Deliberately not done: clones that are only `<=` macro bases or that nothing installs are never judged;
// any non-empty revision counts as a freeze (no remote is contacted to check that it exists); an empty
// `revision =` is how `*-dev.cfg` profiles unfreeze on purpose, so it is reported in release mode only and
// is silent in development mode (branch-only clones stay informational there, as for every freeze rule).

import { Rule, RuleContext, RuleFinding } from '../core/rule';
import { freezeOf, gitCloneOf, gitCloneParts, planRevisionPin } from '../model/git-clone';
import { locateValue } from '../model/locate';

export const untaggedRepository: Rule = {
  id: 'untagged-repository',
  description: 'An installed git clone must check out a fixed `revision` (a commit or tag), not follow a branch.',
  defaultSeverity: 'warning',
  freeze: true,
  check(ctx: RuleContext): void {
    for (const part of gitCloneParts(ctx.config, ctx.ws)) {
      // Memoised on the configuration: after an edit, recomputed only for the parts it touched.
      const judged = ctx.config.derive('untagged-repository', part, () => judge(ctx, part));
      if (!judged) continue;
      if (judged.why === 'empty-revision' && ctx.mode === 'development') continue;
      ctx.report(judged.finding);
    }
  },
};

function judge(ctx: RuleContext, part: string): { why: string; finding: RuleFinding } | undefined {
  const clone = gitCloneOf(ctx.config, part);
  if (!clone) return undefined;
  const freeze = freezeOf(clone);
  if (freeze.frozen) return undefined;
  const repository = clone.repository?.value.trim();
  if (!repository) return undefined;

  let at: { file: string; start: number; end: number } | undefined;
  let message: string;
  const revisionOrigin = clone.revisionRaw && [...clone.revisionRaw.origins].reverse().find((o) => o.option);
  if (freeze.why === 'no-revision') {
    at = clone.repositoryRaw && locateValue(ctx.ws, clone.repositoryRaw);
    message = clone.branchWritten
      ? `[${part}] clones ${repository} at the head of branch ${clone.branch}, which moves: a branch is not a freeze. Set \`revision\` to a commit or tag.`
      : `[${part}] clones ${repository} with no \`revision\`, so it builds whatever branch ${clone.branch} (the recipe's default) holds at the time. Set \`revision\` to a commit or tag.`;
  } else if (freeze.why === 'empty-revision') {
    const o = revisionOrigin?.option;
    if (o && revisionOrigin) {
      const text = ctx.ws.syntaxOf(revisionOrigin.file)?.text ?? '';
      const eq = text.indexOf('=', o.nameEnd);
      at = { file: revisionOrigin.file, start: o.nameStart, end: eq >= 0 ? eq + 1 : o.nameEnd };
    }
    message = `\`revision\` is empty, which unfreezes [${part}] on purpose (as *-dev.cfg profiles do): it builds the head of branch ${clone.branch} of ${repository}. A release must set \`revision\` to a commit or tag.`;
  } else {
    at = clone.revisionRaw && locateValue(ctx.ws, clone.revisionRaw);
    message = `\`revision = ${clone.revision?.value.trim()}\` names the branch [${part}] follows, not a commit: set it to a commit or tag.`;
  }
  if (!at) return undefined;

  const related: NonNullable<RuleFinding['related']> = [];
  const branchAt = clone.branchRaw && locateValue(ctx.ws, clone.branchRaw);
  if (branchAt) related.push({ ...branchAt, message: `[${part}] follows branch ${clone.branch}, set here.` });
  const repositoryAt = clone.repositoryRaw && locateValue(ctx.ws, clone.repositoryRaw);
  if (repositoryAt && (repositoryAt.file !== at.file || repositoryAt.start !== at.start)) related.push({ ...repositoryAt, message: `[${part}] clones ${repository}, set here.` });

  const pin = planRevisionPin(ctx.config, ctx.ws, ctx.root, clone);
  return {
    why: freeze.why,
    finding: {
      ...at,
      message,
      related,
      data: {
        section: part,
        repository,
        branch: clone.branch,
        branchWritten: clone.branchWritten,
        revision: clone.revision?.value ?? null,
        why: freeze.why,
        ...(pin ? { pin } : {}),
      },
    },
  };
}
