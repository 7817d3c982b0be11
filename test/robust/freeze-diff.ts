// Judges a freeze by its diff: every changed line must be freeze text (an md5sum, a revision, a pin in a
// versions section, a `#md5` fragment, or a removed [buildout] develop option), and nothing else may
// move. Each changed line is explained, so a failure names the line that should not have changed.

import { diffLines } from 'diff';
import { parseProfile } from '../../server/src/syntax/parse-profile';

interface Owner { section: string; option?: string; value?: string }

/** The section and option each line of `text` belongs to (headers, comments and blanks have no option). */
function owners(text: string): Owner[] {
  const syntax = parseProfile(text);
  const out: Owner[] = [];
  for (const s of syntax.sections) {
    for (let l = s.line; l <= syntax.index.positionAt(s.end).line; l++) out[l] = { section: s.name };
    for (const o of s.options) {
      out[o.line] = { section: s.name, option: o.name, value: o.value };
      for (const l of o.lines.slice(1)) out[syntax.index.positionAt(l.start).line] = { section: s.name, option: o.name, value: o.value };
    }
  }
  return out;
}

const HEX = /\b(?:[0-9a-f]{32}|[0-9a-f]{40}|[0-9a-f]{64}|[0-9a-f]{128})\b/g;
const isMd5Option = (name?: string) => !!name && /(^|[-_])(md5sum|sha\d+sum)($|[-_])/.test(name);
const isVersions = (section: string) => /^versions([:-]|$)/.test(section) || section.endsWith('-versions') || section.endsWith('versions');

function freezeLine(o: Owner | undefined): string | undefined {
  if (!o?.option) return undefined;
  if (isMd5Option(o.option)) return `md5sum of [${o.section}]`;
  if (o.option === 'revision') return `revision of [${o.section}]`;
  if (isVersions(o.section)) return `pin of ${o.option} in [${o.section}]`;
  return undefined;
}

export interface Judgement { explained: string[]; unexplained: string[] }

/** Explains each changed line of `before` → `after`, or lists it as unexplained. */
export function judgeFreezeDiff(file: string, before: string, after: string): Judgement {
  const explained: string[] = [], unexplained: string[] = [];
  const ob = owners(before), oa = owners(after);
  let lb = 0, la = 0;
  const parts = diffLines(before, after);
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i];
    const lines = p.value.replace(/\n$/, '').split('\n');
    if (!p.added && !p.removed) { lb += lines.length; la += lines.length; continue; }
    if (p.removed) {
      const next = parts[i + 1]?.added ? parts[++i] : undefined;
      const added = next ? next.value.replace(/\n$/, '').split('\n') : [];
      const paired = Math.min(lines.length, added.length);
      for (let k = 0; k < Math.max(lines.length, added.length); k++) {
        const oldLine = k < lines.length ? lines[k] : undefined, newLine = k < added.length ? added[k] : undefined;
        const oldOwner = k < lines.length ? ob[lb + k] : undefined, newOwner = k < added.length ? oa[la + k] : undefined;
        const where = `${file}:${lb + Math.min(k, lines.length - 1) + 1}`;
        if (k < paired && oldLine!.replace(HEX, '#') === newLine!.replace(HEX, '#')) { explained.push(`${where}: digest changed`); continue; }
        const why = freezeLine(newOwner ?? oldOwner);
        if (why) { explained.push(`${where}: ${why}`); continue; }
        if (oldLine !== undefined && newLine === undefined && oldOwner?.section === 'buildout' && oldOwner.option === 'develop') { explained.push(`${where}: [buildout] develop removed`); continue; }
        unexplained.push(`${where}: ${JSON.stringify(oldLine ?? '')} → ${JSON.stringify(newLine ?? '')}`);
      }
      lb += lines.length;
      la += added.length;
      continue;
    }
    // Lines only added.
    for (let k = 0; k < lines.length; k++) {
      const why = freezeLine(oa[la + k]);
      const where = `${file}:+${la + k + 1}`;
      if (why) explained.push(`${where}: ${why} added`);
      else if (lines[k].trim() === '' || /^#/.test(lines[k])) explained.push(`${where}: layout line added`);
      else unexplained.push(`${where}: ${JSON.stringify(lines[k])} added`);
    }
    la += lines.length;
  }
  return { explained, unexplained };
}
