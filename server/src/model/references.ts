// Finds `${section:option}` references in a value, the way zc.buildout splits templates: `$$` escapes
// first, then every `${...}`. Malformed references are returned too, so they can be reported.

import { excerpt } from '../syntax/excerpt';

export interface Reference {
  /** Section named by the reference; '' means the current section (`${:option}`). */
  section: string;
  option: string;
  /** Offset of `${` in the value and the length of the whole `${...}`. */
  index: number;
  length: number;
  /** Why buildout would reject it, when it would. */
  invalid?: string;
}

const VALID = /^\$\{[-a-zA-Z0-9 ._]*:[-a-zA-Z0-9 ._]+\}$/;
const SIMPLE = /^[-a-zA-Z0-9 ._]+$/;

export function findReferences(value: string): Reference[] {
  if (!value.includes('${')) return [];
  const out: Reference[] = [];
  let offset = 0;
  for (const piece of value.split('$$')) {
    // What /\$\{[^}]*\}/g finds, by indexOf: the regex rescans to the end of the text from every `${`
    // that has no `}`, which made a line of a million `${` take hours.
    for (let from = 0; ;) {
      const at = piece.indexOf('${', from);
      if (at < 0) break;
      const close = piece.indexOf('}', at + 2);
      if (close < 0) break;
      from = close + 1;
      const ref = piece.slice(at, close + 1);
      const parts = ref.slice(2, -1).split(':');
      const r: Reference = { section: parts[0] ?? '', option: parts[1] ?? '', index: offset + at, length: ref.length };
      if (!VALID.test(ref)) {
        const shown = excerpt(ref);
        if (parts.length < 2) r.invalid = `The substitution ${shown} does not contain a colon.`;
        else if (parts.length > 2) r.invalid = `The substitution ${shown} has too many colons.`;
        else if (!SIMPLE.test(parts[0])) r.invalid = `The section name in substitution ${shown} has invalid characters.`;
        else if (!SIMPLE.test(parts[1])) r.invalid = `The option name in substitution ${shown} has invalid characters.`;
      }
      out.push(r);
    }
    offset += piece.length + 2;
  }
  return out;
}
