// missing-md5sum: an installed part downloads a file (archive, template, patch, hook) with no md5sum,
// sha256sum or sha512sum, so buildout takes whatever the URL serves today. A freeze rule (information
// in development mode). It does not download anything, does not judge files other parts build, and
// stays quiet for a local file that does not exist (file-not-found reports that).

import { Rule } from '../core/rule';
import { locateValue } from '../model/locate';
import { downloadsOf, downloadVerb, md5FindingData, shownTarget } from '../model/downloads';

export const missingMd5sum: Rule = {
  id: 'missing-md5sum',
  description: 'A downloaded file (archive, template, patch, hook) has no md5sum.',
  defaultSeverity: 'warning',
  freeze: true,
  check(ctx) {
    for (const d of downloadsOf(ctx.ws, ctx.config)) {
      if (d.unresolved || d.md5 || d.otherHashes.length || d.form === 'hash-entry') continue;
      if (d.local) {
        const digest = ctx.ws.digests.digest(d.local);
        if ('error' in digest && digest.kind === 'missing') continue;
      }
      const recipe = ctx.config.raw(d.part, 'recipe');
      const at = d.at ?? (recipe && locateValue(ctx.ws, recipe));
      if (!at) continue;
      const how = d.form === 'patch' || d.form === 'hook' ? 'add `#<md5sum>` after it' : 'set `md5sum`';
      ctx.report({
        ...at,
        message: `[${d.part}] ${downloadVerb(d, shownTarget(d, at.file))} without an md5sum, so buildout cannot tell a changed or corrupted file from the right one: ${how}.`,
        data: { ...md5FindingData(d) },
      });
    }
  },
};
