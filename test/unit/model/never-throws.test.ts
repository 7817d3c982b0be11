// The pure pieces of the core take any string without throwing: condition evaluation, `${}` scanning,
// requirement and version parsing, picked-versions parsing, value cooking, edit application. Generated
// inputs mix random text with the characters each piece cares about.

import { test } from 'node:test';
import * as assert from 'assert/strict';
import fc from 'fast-check';
import { evaluateCondition } from '../../../server/src/model/conditions';
import { DEFAULT_TARGET, parsePlatform, parsePythonVersion } from '../../../server/src/model/target';
import { findReferences } from '../../../server/src/model/references';
import { parseRequirement, readVersionValue, normaliseEggName } from '../../../server/src/model/eggs';
import { parsePickedVersions } from '../../../server/src/fixes/paste-versions';
import { cookValue, dedent, normaliseValue } from '../../../server/src/syntax/parse-profile';
import { applyEdits } from '../../../server/src/core/apply-edits';
import { excerpt } from '../../../server/src/syntax/excerpt';

const soup = (alphabet: string[]) => fc.oneof(
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.array(fc.constantFrom(...alphabet), { maxLength: 40 }).map((a) => a.join('')),
);

const CONDITION = ['python3', 'python2', 'linux', 'bits32', 'sys.version_info', 'platform.machine()', '"x86_64"', "'a'", '(', ')', '[', ']', ',', '.', ' and ', ' or ', 'not ', ' in ', '==', '!=', '<', '>=', '**', '-', '+', '*', '3', '10', '0', 'True', '__import__', 'os', '.system', 'lambda', ':', 'for', ' ', '\\x23', '"'];

test('evaluateCondition answers known or unknown for any expression', () => {
  fc.assert(fc.property(soup(CONDITION), (expression) => {
    const r = evaluateCondition(expression, DEFAULT_TARGET);
    if (r.known) assert.equal(typeof r.value, 'boolean');
    else assert.ok(r.reason.length > 0);
  }), { numRuns: 1000 });
});

test('findReferences returns in-bounds, ordered references for any value', () => {
  fc.assert(fc.property(soup(['$', '{', '}', ':', '$$', '${', 'a', ' ', '\n', '-', '.']), (value) => {
    let last = 0;
    for (const r of findReferences(value)) {
      assert.ok(r.index >= last && r.index + r.length <= value.length);
      assert.equal(value.substr(r.index, 2), '${');
      assert.equal(value.charAt(r.index + r.length - 1), '}');
      if (r.invalid) assert.ok(r.invalid.length < 300);
      last = r.index + r.length;
    }
  }), { numRuns: 3000 });
});

test('requirement, version, name, Python and platform parsers take any text', () => {
  fc.assert(fc.property(soup(['a', 'B', '-', '_', '.', '[', ']', ',', '=', '==', '>=', '<', '~=', '!=', ';', '(', ')', ' ', '1', '2.0', ':whl', '+', 'python_version', '"']), (text) => {
    const req = parseRequirement(text);
    if (req) { assert.ok(req.name.length > 0); assert.equal(req.key, normaliseEggName(req.name)); }
    const v = readVersionValue(text);
    assert.equal(v.pinned, v.version !== '');
    parsePythonVersion(text);
    parsePlatform(text);
  }), { numRuns: 3000 });
});

test('picked-versions text of any shape parses into pins and ignored lines', () => {
  fc.assert(fc.property(soup(['[versions]', 'Picked: ', 'foo', ' = ', '1.0', '\n', '\r\n', '# Required by:', '# bar==2', '\t', '=', 'x']), (text) => {
    const r = parsePickedVersions(text);
    for (const p of r.pins) { assert.ok(p.name.length > 0 && p.version.length > 0); assert.ok(!/\s/.test(p.version)); }
  }), { numRuns: 2000 });
});

test('values cook and dedent without throwing; normalising is idempotent', () => {
  const line = soup([' ', '\t', 'a', '${x:y}', '', '#', '\u00a0']);
  fc.assert(fc.property(line, fc.array(line, { maxLength: 8 }), (first, continuation) => {
    const value = cookValue(first.trim(), continuation);
    const normal = normaliseValue(value);
    assert.equal(normaliseValue(normal), normal);
    dedent(value);
  }), { numRuns: 2000 });
});

test('applyEdits applies any non-overlapping edits and refuses the rest', () => {
  const edit = fc.record({ start: fc.integer({ min: -5, max: 60 }), end: fc.integer({ min: -5, max: 60 }), newText: fc.string({ maxLength: 5 }) });
  fc.assert(fc.property(fc.string({ maxLength: 50 }), fc.array(edit, { maxLength: 5 }), (text, raw) => {
    const edits = raw.map((e) => ({ file: 'f', ...e }));
    const r = applyEdits(text, edits);
    const valid = edits.every((e) => e.start >= 0 && e.start <= e.end && e.end <= text.length);
    const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
    const disjoint = sorted.every((e, i) => i === 0 || e.start >= sorted[i - 1].end);
    if (valid && disjoint) {
      assert.ok('text' in r, JSON.stringify(r));
      assert.equal(r.text.length, text.length + edits.reduce((n, e) => n + e.newText.length - (e.end - e.start), 0));
    } else assert.ok('error' in r, `${JSON.stringify(edits)} on ${text.length} characters was applied`);
  }), { numRuns: 3000 });
});

test('excerpt keeps short text and bounds long text', () => {
  fc.assert(fc.property(fc.string({ maxLength: 400 }), fc.integer({ min: 8, max: 200 }), (text, max) => {
    const e = excerpt(text, max);
    if (text.length <= max) assert.equal(e, text);
    else { assert.ok(e.length <= max); assert.ok(e.includes('…')); }
  }));
});
