// file-not-found: a local file that an installed part downloads, renders, patches with or hashes in
// its buildout.hash.cfg entry does not exist, so buildout stops. Always an error. It looks at local
// paths only (`file://` included); whether a remote URL answers is never checked.

import { Rule } from '../core/rule';
import { downloadsOf, downloadVerb, shownTarget } from '../model/downloads';

export const fileNotFound: Rule = {
  id: 'file-not-found',
  description: 'A local file that a download, template, patch or buildout.hash.cfg entry names does not exist.',
  defaultSeverity: 'error',
  freeze: false,
  check(ctx) {
    for (const d of downloadsOf(ctx.ws, ctx.config, ctx.installed)) {
      if (d.unresolved || !d.local || !d.at) continue;
      const digest = ctx.ws.digests.digest(d.local);
      if (!('error' in digest) || digest.kind !== 'missing') continue;
      if (d.form === 'hash-entry') {
        // The part downloads another file: buildout works, but update-hash cannot hash this entry.
        ctx.report({
          ...d.at,
          severity: 'warning',
          message: `${shownTarget(d, d.at.file)} does not exist: this buildout.hash.cfg entry names it, while [${d.part}] downloads another file; update-hash cannot compute the entry.`,
          data: { part: d.part, option: d.option, path: d.local },
        });
        continue;
      }
      ctx.report({
        ...d.at,
        message: `${shownTarget(d, d.at.file)} does not exist: [${d.part}] ${downloadVerb(d)} it, so buildout stops.`,
        data: { part: d.part, option: d.option, path: d.local },
      });
    }
  },
};
