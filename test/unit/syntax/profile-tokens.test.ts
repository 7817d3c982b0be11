// The parser is lossless: its tokens tile the text, whatever the line endings, BOM or broken lines.
// Also pins the two linear rewrites of former regular expressions (the section header and the `${}`
// scan) to the exact behaviour of the patterns they replaced, on many small generated inputs.

import { test } from 'node:test';
import * as assert from 'assert/strict';
import fc from 'fast-check';
import { parseProfile } from '../../../server/src/syntax/parse-profile';
import { printProfile, profileTokens } from '../../../server/src/syntax/profile-tokens';
import { findReferences } from '../../../server/src/model/references';
import { assertSyntaxInvariants } from '../../robust/invariants';

function render(text: string): string {
  const syntax = parseProfile(text);
  const quote = (s: string) => JSON.stringify(s).replace(/[^\x20-\x7e]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
  return profileTokens(syntax).map((t) => `${t.line} ${t.kind} ${quote(text.slice(t.start, t.end))}`).join('\n');
}

test('tokens name every piece of a profile, line by line', () => {
  const text = '\ufeff[buildout]\r\nparts = a  \r\n# note\n[a:python3] # c\nx +=  1\n  2\n\n\tthree\n=> b\nbad line\n';
  assert.equal(render(text), [
    '0 bom "\\ufeff"',
    '0 header-punctuation "["', '0 section-name "buildout"', '0 header-punctuation "]"', '0 line-break "\\r\\n"',
    '1 option-name "parts"', '1 operator " = "', '1 value "a"', '1 trailing-space "  "', '1 line-break "\\r\\n"',
    '2 comment "# note"', '2 line-break "\\n"',
    '3 header-punctuation "["', '3 section-name "a"', '3 header-punctuation ":"', '3 condition "python3"', '3 header-punctuation "] # c"', '3 line-break "\\n"',
    '4 option-name "x"', '4 operator " +=  "', '4 value "1"', '4 line-break "\\n"',
    '5 continuation "  2"', '5 line-break "\\n"',
    '6 line-break "\\n"',
    '7 continuation "\\tthree"', '7 line-break "\\n"',
    '8 option-name "=>"', '8 operator " "', '8 value "b"', '8 line-break "\\n"',
    '9 invalid "bad line"', '9 line-break "\\n"',
  ].join('\n'));
});

test('printing the tokens gives back the text for every kind of line ending', () => {
  for (const text of ['', '\n', '\r', '\r\n', '\n\r', '[a]', '[a]\rx = 1\r\n  y\n\r\n', '\ufeff', '\ufeff\ufeff[a]\n', 'x\r\r\n\n\ry = 2', '[a]\nx =\n\n\n']) {
    const syntax = parseProfile(text);
    assert.equal(printProfile(syntax), text, JSON.stringify(text));
    assertSyntaxInvariants(syntax);
  }
});

test('a section ends with its last line, before the next header', () => {
  const text = '[a]\nx = 1\n# c\n[b]\ny = 2\n';
  const [a, b] = parseProfile(text).sections;
  assert.equal(text.slice(a.headerStart, a.end), '[a]\nx = 1\n# c');
  assert.equal(text.slice(b.headerStart, b.end), '[b]\ny = 2\n', 'the last section runs to the end of the text');
});

// The header pattern as it was before it was made linear; the new one must accept the same lines
// and capture the same name and condition.
const OLD_HEADER = /^(\[)\s*([^\s#[\]:;{}]+)\s*(?::([^#;]*))?\s*(\]\s*(?:[#;].*)?)$/s;

test('the linear section header accepts exactly what the former pattern accepted', () => {
  const piece = fc.constantFrom('[', ']', ':', ' ', '\t', '#', ';', 'a', 'b', '.', '/', '{', '}', '=', '(', ')', '"', 'x86_64', 'python3', ' and ', '\u00a0');
  fc.assert(fc.property(fc.array(piece, { maxLength: 14 }), (pieces) => {
    const line = '[' + pieces.join('');
    const old = OLD_HEADER.exec(line);
    const sections = parseProfile(line + '\n').sections;
    if (!old) { assert.equal(sections.length, 0, line); return; }
    assert.equal(sections.length, 1, line);
    assert.equal(sections[0].name, old[2], line);
    assert.equal(sections[0].condition, old[3]?.trim(), line);
  }), { numRuns: 3000 });
});

function oldFindReferences(value: string): { index: number; length: number }[] {
  const out: { index: number; length: number }[] = [];
  let offset = 0;
  for (const piece of value.split('$$')) {
    const re = /\$\{[^}]*\}/g;
    let m: RegExpExecArray | null;
    while ((m = re.exec(piece))) out.push({ index: offset + m.index, length: m[0].length });
    offset += piece.length + 2;
  }
  return out;
}

test('the linear ${} scan finds exactly what the former pattern found', () => {
  const piece = fc.constantFrom('$', '{', '}', ':', 'a', ' ', '$$', '${', '${a:b}', '\n', 'é');
  fc.assert(fc.property(fc.array(piece, { maxLength: 16 }), (pieces) => {
    const value = pieces.join('');
    assert.deepEqual(findReferences(value).map((r) => ({ index: r.index, length: r.length })), oldFindReferences(value), value);
  }), { numRuns: 3000 });
});
