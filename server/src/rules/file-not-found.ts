// file-not-found: a local file that an installed part downloads, renders, patches with or hashes in
// its buildout.hash.cfg entry does not exist, so buildout stops. Always an error. It looks at local
// paths only (`file://` included); whether a remote URL answers is never checked.

import { Rule } from '../core/rule';
import { Download, downloadsOf, downloadVerb, shownTarget } from '../model/downloads';

export const fileNotFound: Rule = {
  id: 'file-not-found',
  description: 'A local file that a download, template, patch or buildout.hash.cfg entry names does not exist.',
  defaultSeverity: 'error',
  freeze: false,
  check(ctx) {
    // One finding per place: a hook shared by 26 perl parts is one missing file, not 26.
    const missing = new Map<string, { d: Download; parts: string[] }>();
    for (const d of downloadsOf(ctx.ws, ctx.config)) {
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
      const key = `${d.at.file}\0${d.at.start}\0${d.at.end}`;
      const seen = missing.get(key);
      if (seen) { if (!seen.parts.includes(d.part)) seen.parts.push(d.part); }
      else missing.set(key, { d, parts: [d.part] });
    }
    for (const { d, parts } of missing.values()) {
      const who = parts.length === 1 ? `[${parts[0]}]` : parts.length <= 3 ? `${parts.slice(0, -1).map((p) => `[${p}]`).join(', ')} and [${parts[parts.length - 1]}]` : `[${parts[0]}], [${parts[1]}] and ${parts.length - 2} other parts`;
      ctx.report({
        ...d.at!,
        message: `${shownTarget(d, d.at!.file)} does not exist: ${who} ${parts.length === 1 ? downloadVerb(d) : downloadVerb(d).replace(/^(\w+)s /, '$1 ')}, so buildout stops.`,
        data: { part: d.part, parts, option: d.option, path: d.local },
      });
    }
  },
};
