// Splits a parsed profile back into tokens that cover its text, every character in exactly one token
// and every token inside one line, using only the offsets the parser recorded. Joining the tokens
// (`printProfile`) gives the text back, so this is how the tests prove the parser lossless: an offset
// the parser got wrong shows up as a gap, an overlap or a token that crosses a line.
// It checks nothing itself and never throws; it interprets nothing beyond what parseProfile found.

import { ProfileSyntax } from './parse-profile';

export type ProfileTokenKind =
  | 'bom' | 'comment' | 'blank' | 'invalid' | 'line-break'
  | 'header-punctuation' | 'section-name' | 'condition'
  | 'option-name' | 'operator' | 'value' | 'continuation' | 'trailing-space';

export interface ProfileToken { kind: ProfileTokenKind; start: number; end: number; line: number }

/**
 * The tokens of `syntax.text` in text order, empty ones left out. Each line yields the tokens of the one
 * role the parser gave it (header, option start, continuation, comment, blank or invalid) and then its
 * line break. When the parser gave a line two roles, both are emitted, so the result overlaps.
 */
export function profileTokens(syntax: ProfileSyntax): ProfileToken[] {
  const { text, index } = syntax;
  const roles = new Map<number, ProfileToken[][]>();
  const give = (line: number, tokens: ProfileToken[]) => {
    const list = roles.get(line);
    if (list) list.push(tokens); else roles.set(line, [tokens]);
  };
  const tok = (kind: ProfileTokenKind, start: number, end: number, line: number): ProfileToken => ({ kind, start, end, line });

  for (const s of syntax.sections) {
    const header: ProfileToken[] = [tok('header-punctuation', s.headerStart, s.nameStart, s.line), tok('section-name', s.nameStart, s.nameEnd, s.line)];
    if (s.conditionStart !== undefined && s.conditionEnd !== undefined) {
      header.push(tok('header-punctuation', s.nameEnd, s.conditionStart, s.line), tok('condition', s.conditionStart, s.conditionEnd, s.line), tok('header-punctuation', s.conditionEnd, s.headerEnd, s.line));
    } else header.push(tok('header-punctuation', s.nameEnd, s.headerEnd, s.line));
    give(s.line, header);
    for (const o of s.options) {
      const first = o.lines[0];
      give(o.line, [
        tok('option-name', o.nameStart, o.nameEnd, o.line),
        tok('operator', o.nameEnd, first.start, o.line),
        tok('value', first.start, first.end, o.line),
        tok('trailing-space', first.end, index.lineEnd(o.line), o.line),
      ]);
      for (let i = 1; i < o.lines.length; i++) {
        const l = o.lines[i];
        const line = index.positionAt(l.start).line;
        give(line, [tok('continuation', l.start, l.end, line)]);
      }
    }
  }
  for (const p of syntax.problems) {
    if (syntax.hasBom && p.start === 0 && p.end === 1) continue;
    const line = index.positionAt(p.start).line;
    give(line, [tok('invalid', p.start, p.end, line)]);
  }

  const out: ProfileToken[] = [];
  if (syntax.hasBom) out.push(tok('bom', 0, 1, 0));
  for (let line = 0; line < index.lineCount; line++) {
    const start = line === 0 && syntax.hasBom ? 1 : index.lineStarts[line];
    const end = index.lineEnd(line);
    const given = roles.get(line);
    if (given) for (const tokens of given) out.push(...tokens);
    else {
      const content = text.slice(start, end);
      const first = content.charAt(0);
      out.push(tok(first === '#' || first === ';' ? 'comment' : 'blank', start, end, line));
    }
    const next = line + 1 < index.lineCount ? index.lineStarts[line + 1] : text.length;
    out.push(tok('line-break', end, next, line));
  }
  return out.filter((t) => t.end !== t.start);
}

/** The text the tokens spell, in order: equal to `syntax.text` exactly when the parse is lossless. */
export function printProfile(syntax: ProfileSyntax, tokens: readonly ProfileToken[] = profileTokens(syntax)): string {
  let out = '';
  for (const t of tokens) out += syntax.text.slice(t.start, t.end);
  return out;
}

/**
 * Why the tokens do not tile the text (a gap, an overlap, a reversed token, one crossing its line), or
 * undefined when every character belongs to exactly one token inside one line.
 */
export function tokenTilingProblem(syntax: ProfileSyntax, tokens: readonly ProfileToken[] = profileTokens(syntax)): string | undefined {
  const { index, text } = syntax;
  let at = 0;
  for (const t of tokens) {
    if (t.start !== at) return `${t.kind} token on line ${t.line} starts at ${t.start}, expected ${at}`;
    if (t.end < t.start) return `${t.kind} token on line ${t.line} ends (${t.end}) before it starts (${t.start})`;
    const lineStart = index.lineStarts[t.line];
    const lineNext = t.line + 1 < index.lineCount ? index.lineStarts[t.line + 1] : text.length;
    if (t.start < lineStart || t.end > lineNext) return `${t.kind} token ${t.start}-${t.end} is not inside line ${t.line} (${lineStart}-${lineNext})`;
    if (t.kind !== 'line-break' && t.end > index.lineEnd(t.line)) return `${t.kind} token ${t.start}-${t.end} runs into the line break of line ${t.line}`;
    at = t.end;
  }
  if (at !== text.length) return `the tokens stop at ${at} of ${text.length}`;
  return undefined;
}
