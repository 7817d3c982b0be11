// md5sum-mismatch: the md5sum declared for a local file (a template, a buildout.hash.cfg entry, a
// `file#md5` patch or hook) is not the md5sum of the file, so buildout stops with "MD5 checksum
// mismatch". Always an error. Remote URLs are never downloaded here: only the fix downloads, on request.

import { Rule } from '../core/rule';
import { downloadsOf, downloadVerb, md5FindingData, shownTarget } from '../model/downloads';

const MD5 = /^[0-9a-f]{32}$/;

export const md5sumMismatch: Rule = {
  id: 'md5sum-mismatch',
  description: 'The md5sum declared for a local file is not the md5sum of that file.',
  defaultSeverity: 'error',
  freeze: false,
  check(ctx) {
    for (const d of downloadsOf(ctx.ws, ctx.config)) {
      // A hash entry naming another file than the part downloads does not make buildout fail.
      if (d.unresolved || !d.md5 || !d.local || d.form === 'hash-entry') continue;
      const digest = ctx.ws.digests.digest(d.local);
      if ('error' in digest || digest.hex === d.md5.value) continue;
      const at = d.md5.at ?? d.at;
      if (!at) continue;
      const declared = d.md5.value;
      const why = declared.toLowerCase() === digest.hex ? ' (it is written in uppercase; buildout compares lowercase hex digits)'
        : MD5.test(declared.toLowerCase()) ? '' : ' (an md5sum is 32 hexadecimal digits)';
      const file = shownTarget(d, at.file);
      ctx.report({
        ...at,
        message: `md5sum ${declared} does not match ${file}, whose md5sum is ${digest.hex}${why}: buildout stops with "MD5 checksum mismatch" when [${d.part}] ${downloadVerb(d)}.`,
        related: d.at && (d.at.file !== at.file || d.at.start !== at.start) ? [{ ...d.at, message: `${file} is named here` }] : undefined,
        data: { ...md5FindingData(d), actual: digest.hex },
      });
    }
  },
};
