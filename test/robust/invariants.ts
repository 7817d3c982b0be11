// What must hold for any input, however broken: the parse tiles the text exactly (lossless), every
// range the parser records lies inside the text and is well ordered, and every finding of a check sits
// inside its file with a short, non-empty message and no internal error. Shared by the property tests
// and the bad-input tests; each function throws an AssertionError naming the first broken invariant.

import * as assert from 'assert/strict';
import { ProfileSyntax } from '../../server/src/syntax/parse-profile';
import { printProfile, profileTokens, tokenTilingProblem } from '../../server/src/syntax/profile-tokens';
import { Finding } from '../../server/src/core/finding';
import { Workspace } from '../../server/src/workspace/workspace';

export const MAX_MESSAGE_LENGTH = 2000;

/** Losslessness and ordered, in-bounds ranges for one parse. */
export function assertSyntaxInvariants(syntax: ProfileSyntax): void {
  const { text, index } = syntax;
  const n = text.length;
  const tokens = profileTokens(syntax);
  const tiling = tokenTilingProblem(syntax, tokens);
  assert.equal(tiling, undefined, `the parse does not tile the text: ${tiling}`);
  assert.ok(printProfile(syntax, tokens) === text, 'printing the tokens does not give the text back');

  // Lines: strictly increasing starts, each line's content free of line breaks.
  assert.equal(index.lineStarts[0], 0);
  for (let l = 0; l < index.lineCount; l++) {
    const start = index.lineStarts[l], end = index.lineEnd(l);
    assert.ok(start <= end && end <= n, `line ${l} is ${start}-${end} in a text of ${n}`);
    if (l > 0) assert.ok(index.lineStarts[l - 1] < start, `line ${l} does not start after line ${l - 1}`);
    assert.ok(!/[\r\n]/.test(text.slice(start, end)), `line ${l} contains a line break`);
  }

  const within = (what: string, a: number, b: number, lo = 0, hi = n) => {
    assert.ok(Number.isInteger(a) && Number.isInteger(b), `${what}: ${a}-${b} is not a pair of integers`);
    assert.ok(lo <= a && a <= b && b <= hi, `${what}: ${a}-${b} is not ordered inside ${lo}-${hi}`);
  };
  let previousEnd = 0;
  for (const s of syntax.sections) {
    const what = `[${s.name.slice(0, 40)}] on line ${s.line}`;
    within(`${what} header`, s.headerStart, s.headerEnd);
    within(`${what} name`, s.nameStart, s.nameEnd, s.headerStart, s.headerEnd);
    assert.equal(text.slice(s.nameStart, s.nameEnd), s.name, `${what}: the name range does not hold the name`);
    assert.ok(s.headerEnd <= s.end && s.end <= n, `${what}: its end ${s.end} is before its header or past the text`);
    assert.ok(s.headerStart >= previousEnd, `${what} starts inside the previous section`);
    previousEnd = s.end;
    assert.equal(index.positionAt(s.headerStart).line, s.line, `${what}: line number and offset disagree`);
    if (s.condition !== undefined) {
      within(`${what} condition`, s.conditionStart!, s.conditionEnd!, s.nameEnd, s.headerEnd);
      assert.equal(text.slice(s.conditionStart, s.conditionEnd), s.condition, `${what}: the condition range does not hold the condition`);
    }
    let optionEnd = s.headerEnd;
    for (const o of s.options) {
      const ow = `${what} option ${o.key.slice(0, 40)} (line ${o.line})`;
      within(`${ow} name`, o.nameStart, o.nameEnd, optionEnd, s.end);
      within(`${ow} value`, o.valueStart, o.valueEnd, o.nameEnd, s.end);
      assert.equal(index.positionAt(o.nameStart).line, o.line, `${ow}: line number and offset disagree`);
      assert.equal(o.lines.length, o.continuation.length + 1, `${ow}: lines and continuation lines disagree`);
      let lineEnd = o.nameEnd;
      for (const [i, l] of o.lines.entries()) {
        within(`${ow} line ${i}`, l.start, l.end, lineEnd, s.end);
        lineEnd = l.end;
        if (i > 0) assert.equal(text.slice(l.start, l.end), o.continuation[i - 1], `${ow}: continuation line ${i} does not hold its text`);
      }
      assert.equal(text.slice(o.lines[0].start, o.lines[0].end), o.firstValue, `${ow}: the first value range does not hold the value`);
      optionEnd = lineEnd;
    }
  }
  for (const p of syntax.problems) {
    within(`problem "${p.message.slice(0, 60)}"`, p.start, p.end);
    assert.ok(p.message.length > 0 && p.message.length <= MAX_MESSAGE_LENGTH, `problem message of ${p.message.length} characters`);
  }
}

/** Every finding lies inside its file's current text, names a known severity, and is not an internal error. */
export function assertFindingInvariants(ws: Workspace, findings: readonly Finding[]): void {
  for (const f of findings) {
    const what = `${f.code} in ${f.file} at ${JSON.stringify(f.range)}`;
    assert.notEqual(f.code, 'internal-error', `a rule crashed: ${f.message.slice(0, 600)}`);
    assert.ok(['error', 'warning', 'information', 'hint'].includes(f.severity), `${what}: severity ${f.severity}`);
    assert.ok(f.code.length > 0, `${what}: no code`);
    assert.ok(f.message.length > 0 && f.message.length <= MAX_MESSAGE_LENGTH, `${what}: message of ${f.message.length} characters`);
    const { start, end } = f.range;
    assert.ok(start.line < end.line || (start.line === end.line && start.character <= end.character), `${what}: the range ends before it starts`);
    const syntax = ws.syntaxOf(f.file);
    if (!syntax) {
      assert.deepEqual(f.range, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, `${what}: a file that cannot be read gets an empty range`);
      continue;
    }
    for (const p of [start, end]) {
      assert.ok(p.line >= 0 && p.line < syntax.index.lineCount, `${what}: line ${p.line} is outside the file's ${syntax.index.lineCount} lines`);
      const length = syntax.index.lineEnd(p.line) - syntax.index.lineStarts[p.line];
      assert.ok(p.character >= 0 && p.character <= length, `${what}: character ${p.character} is outside line ${p.line} (${length} characters)`);
    }
  }
}
