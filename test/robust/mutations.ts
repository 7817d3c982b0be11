// Random damage to real profiles, as data so fast-check can shrink and print it: lines inserted, deleted,
// duplicated and swapped; text and bytes spliced in; brackets and `${` left open; line endings turned
// to CRLF, CR or a mix; a BOM; tabs; very long lines; truncation. `applyMutations` never throws.

import fc from 'fast-check';

export type Mutation =
  | { kind: 'insert-line'; at: number; line: string }
  | { kind: 'delete-line'; at: number }
  | { kind: 'duplicate-line'; at: number; times: number }
  | { kind: 'swap-lines'; at: number; other: number }
  | { kind: 'insert-text'; at: number; text: string }
  | { kind: 'delete-text'; at: number; length: number }
  | { kind: 'line-endings'; ending: '\r\n' | '\r' | 'mixed' }
  | { kind: 'bom' }
  | { kind: 'tabs'; every: number }
  | { kind: 'truncate'; at: number };

/** Lines that exercise the parser's and the model's corners. */
const NASTY_LINES = [
  '[', ']', '[a', 'a]', '[]', '[ ]', '[buildout]', '[versions]', '[x:python3]', '[x:python2]', '[x:bits32 or (linux and', '[x: ]',
  "[x:__import__('os').system('touch /tmp/bf-mutation-executed')]", '[x:open("/etc/passwd").read()]', '[a:b:c]', '[a] junk', '[a] # c',
  '${', '${a', '${a:', '${:x}', '${a:b', '$${a:b}', '${${a:b}:c}', '}', '{', '{{ x }}', '{% if %}',
  '<= ', '<= buildout', '<= missing', 'x =', '= x', 'x +=', 'x -= y', '=>', '=> missing', '+=', ': x', 'x : y',
  '\t', ' ', '  ${a:b} ${b:a}', '  continuation', '\tx = 1',
  'extends =', 'extends = missing.cfg ../../nowhere.cfg', 'extends = ${:_profile_base_location_}/x.cfg', 'extends = http://127.0.0.1:9/x.cfg', 'extends = software.cfg',
  'parts =', 'parts += missing-part', 'parts = ${a:b}', 'recipe =', 'recipe = slapos.recipe.template', 'url = ${:_profile_base_location_}/missing.in',
  'md5sum =', 'md5sum = 0', 'versions =', 'versions = nowhere', 'eggs = ${x:y}[z]', 'revision =', 'repository = ext::sh -c touch% /tmp/x',
  '#', ';', '#!', '\ufeff', '\u2028', '\u0000', '\ud800', '\udfff', '\u00a0x = 1', '\u000b', '\u000c',
];

const longLine = fc.tuple(fc.integer({ min: 1000, max: 100_000 }), fc.constantFrom('x = ', '  ', '[', 'x = ${', '', '[a:')).map(([n, prefix]) => prefix + 'ab${ '.repeat(n / 4));

const line = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom(...NASTY_LINES) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
  { weight: 2, arbitrary: fc.string({ unit: fc.constantFrom('[', ']', '{', '}', '$', ':', '=', '+', '-', '<', ' ', '\t', '#', 'a', '\r', '\n'), maxLength: 30 }) },
  { weight: 1, arbitrary: longLine },
);

const position = fc.nat({ max: 1_000_000 });

export const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('insert-line' as const), at: position, line }),
  fc.record({ kind: fc.constant('delete-line' as const), at: position }),
  fc.record({ kind: fc.constant('duplicate-line' as const), at: position, times: fc.integer({ min: 1, max: 50 }) }),
  fc.record({ kind: fc.constant('swap-lines' as const), at: position, other: position }),
  fc.record({ kind: fc.constant('insert-text' as const), at: position, text: fc.oneof(line, fc.string({ unit: 'binary', maxLength: 8 })) }),
  fc.record({ kind: fc.constant('delete-text' as const), at: position, length: fc.integer({ min: 1, max: 200 }) }),
  fc.record({ kind: fc.constant('line-endings' as const), ending: fc.constantFrom('\r\n' as const, '\r' as const, 'mixed' as const) }),
  fc.record({ kind: fc.constant('bom' as const) }),
  fc.record({ kind: fc.constant('tabs' as const), every: fc.integer({ min: 1, max: 5 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: position }),
);

export const mutationsArb = fc.array(mutationArb, { minLength: 1, maxLength: 6 });

function splitKeepingEnds(text: string): string[] {
  return text.match(/[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$/g) ?? [];
}

export function applyMutation(text: string, m: Mutation): string {
  const lines = splitKeepingEnds(text);
  const at = (n: number, size: number) => (size === 0 ? 0 : n % size);
  switch (m.kind) {
    case 'insert-line': { const i = at(m.at, lines.length + 1); lines.splice(i, 0, m.line + '\n'); return lines.join(''); }
    case 'delete-line': { if (lines.length) lines.splice(at(m.at, lines.length), 1); return lines.join(''); }
    case 'duplicate-line': { if (!lines.length) return text; const i = at(m.at, lines.length); const l = /[\r\n]$/.test(lines[i]) ? lines[i] : lines[i] + '\n'; lines.splice(i, 0, ...Array(m.times).fill(l)); return lines.join(''); }
    case 'swap-lines': { if (!lines.length) return text; const i = at(m.at, lines.length), j = at(m.other, lines.length); [lines[i], lines[j]] = [lines[j], lines[i]]; return lines.join(''); }
    case 'insert-text': { const i = at(m.at, text.length + 1); return text.slice(0, i) + m.text + text.slice(i); }
    case 'delete-text': { const i = at(m.at, text.length + 1); return text.slice(0, i) + text.slice(i + m.length); }
    case 'line-endings': {
      let k = 0;
      const endings = ['\n', '\r\n', '\r'];
      return text.replace(/\r\n|\r|\n/g, () => (m.ending === 'mixed' ? endings[k++ % 3] : m.ending));
    }
    case 'bom': return '\ufeff' + text;
    case 'tabs': return lines.map((l, i) => (i % m.every === 0 ? l.replace(/^ +/, '\t') : l)).join('');
    case 'truncate': return text.slice(0, at(m.at, text.length + 1));
  }
}

export function applyMutations(text: string, ms: readonly Mutation[]): string {
  return ms.reduce(applyMutation, text);
}

/** Byte-level damage for the decoding path: invalid UTF-8 sequences, NUL, stray continuation bytes. */
export const byteSpliceArb = fc.array(fc.record({
  at: position,
  bytes: fc.oneof(
    fc.uint8Array({ maxLength: 8 }),
    fc.constantFrom(Uint8Array.of(0xff), Uint8Array.of(0xc3), Uint8Array.of(0x80), Uint8Array.of(0xed, 0xa0, 0x80), Uint8Array.of(0xef, 0xbb, 0xbf), Uint8Array.of(0), Uint8Array.of(0xf4, 0x90, 0x80, 0x80)),
  ),
}), { minLength: 1, maxLength: 4 });

export function spliceBytes(data: Uint8Array, splices: readonly { at: number; bytes: Uint8Array }[]): Uint8Array {
  let out = data;
  for (const s of splices) {
    const i = out.length === 0 ? 0 : s.at % (out.length + 1);
    const next = new Uint8Array(out.length + s.bytes.length);
    next.set(out.subarray(0, i), 0);
    next.set(s.bytes, i);
    next.set(out.subarray(i), i + s.bytes.length);
    out = next;
  }
  return out;
}
