// Finds `${section:option}` references in a value, the way zc.buildout splits templates: `$$` escapes
// first, then every `${...}`. Malformed references are returned too, so they can be reported.

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
    const re = /\$\{[^}]*\}/g;
    let m: RegExpExecArray | null;
    while ((m = re.exec(piece))) {
      const ref = m[0];
      const parts = ref.slice(2, -1).split(':');
      const r: Reference = { section: parts[0] ?? '', option: parts[1] ?? '', index: offset + m.index, length: ref.length };
      if (!VALID.test(ref)) {
        if (parts.length < 2) r.invalid = `The substitution ${ref} does not contain a colon.`;
        else if (parts.length > 2) r.invalid = `The substitution ${ref} has too many colons.`;
        else if (!SIMPLE.test(parts[0])) r.invalid = `The section name in substitution ${ref} has invalid characters.`;
        else if (!SIMPLE.test(parts[1])) r.invalid = `The option name in substitution ${ref} has invalid characters.`;
      }
      out.push(r);
    }
    offset += piece.length + 2;
  }
  return out;
}
