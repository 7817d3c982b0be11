// Random one-line edits of a profile's text, driven by a seeded generator so that a failing sequence can
// be replayed: a comment line added at the top, a blank line, a character typed or deleted anywhere (a
// carriage return too, which ends a line), a line that changes the structure (a section, an option, a
// continuation, a `+=`, a [versions] pin). `BF_PROPERTY_SEED` picks other sequences than CI's.

/** A small seeded generator (mulberry32), so a failing sequence can be replayed. */
export function seeded(seed: number): () => number {
  seed += Number(process.env.BF_PROPERTY_SEED || 0) * 100_000;
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const LINES = [
  '# added', 'x = 1', '[added-section]', '  continued', '', 'eggs += added-egg', 'eggs -= added-egg', 'x =', '=> added-part',
  '[versions]\nadded-pin = 1.0', '[versions:python3]\nadded-pin = 2.0', 'version = 9.9',
];

/** One random edit of `text`, and what it was (for the failure message). */
export function randomEdit(text: string, next: () => number): [string, string] {
  const lineStarts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  const at = Math.floor(next() * (text.length + 1));
  const lineStart = lineStarts[Math.floor(next() * lineStarts.length)];
  switch (Math.floor(next() * 7)) {
    case 0: return ['#x\n' + text, 'a comment line at the top'];
    case 1: return [text.slice(0, lineStart) + '\n' + text.slice(lineStart), `a blank line at ${lineStart}`];
    case 2: return [text.slice(0, at) + 'x' + text.slice(at), `x at ${at}`];
    case 3: return [text.slice(0, at) + text.slice(at + 1), `one character deleted at ${at}`];
    case 4: {
      const line = LINES[Math.floor(next() * LINES.length)];
      return [text.slice(0, lineStart) + line + '\n' + text.slice(lineStart), `${JSON.stringify(line)} at ${lineStart}`];
    }
    case 5: return [text.slice(0, at) + '\r' + text.slice(at), `a carriage return at ${at}`];
    default: return [text.slice(0, at) + ' ' + text.slice(at), `a space at ${at}`];
  }
}

