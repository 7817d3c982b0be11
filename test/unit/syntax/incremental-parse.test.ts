// A parse given the previous parse reuses the options whose text did not change, moving them when the
// edit was above them, and a per-file configuration given the previous one reuses its sections and
// values. Reused or not, both must equal what a fresh parse and a fresh evaluation give, field by field.

import { test } from 'node:test';
import * as assert from 'assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { ProfileSyntax, parseProfile } from '../../../server/src/syntax/parse-profile';
import { FileConfig, evaluateFile } from '../../../server/src/model/file-config';
import { DEFAULT_TARGET } from '../../../server/src/model/target';
import { CORPUS, corpusAvailable } from '../../harness/corpus';
import { randomEdit, seeded } from '../../harness/random-edits';

const TARGET = DEFAULT_TARGET;
const EDITS = 25 * Number(process.env.BF_PROPERTY_SCALE || 1);

/** Every `.cfg` of the corpus's stacks and components. */
function sampleFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.cfg')) out.push(full);
    }
  };
  walk(path.join(CORPUS, 'stack'));
  walk(path.join(CORPUS, 'component'));
  return out;
}

function shownSyntax(s: ProfileSyntax): string {
  return JSON.stringify({ sections: s.sections, problems: s.problems, hasBom: s.hasBom, hasConditions: s.hasConditions });
}

function shownConfig(c: FileConfig): string {
  const sections = [...c.sections].map(([name, data]) => [name, [...data].map(([key, v]) => [key, v.value, v.origins.map((o) => [o.file, o.operation, o.option?.nameStart, o.option?.key])])]);
  return JSON.stringify({ sections, extends: c.extends, conditionProblems: c.conditionProblems.map((p) => [p.section.nameStart, p.reason]) });
}

/** Fails with where the two texts part (they are long JSON). */
function sameText(got: string, want: string, what: string): void {
  if (got === want) return;
  let i = 0;
  while (got.charCodeAt(i) === want.charCodeAt(i)) i++;
  assert.fail(`${what}\n  reused: …${got.slice(Math.max(0, i - 200), i + 100)}\n  fresh:  …${want.slice(Math.max(0, i - 200), i + 100)}`);
}

test('a parse and a file configuration built on the previous ones equal fresh ones after random edits', { skip: !corpusAvailable() }, () => {
  let reused = 0;
  for (const [index, file] of sampleFiles().entries()) {
    let text = fs.readFileSync(file, 'utf8');
    let syntax = parseProfile(text);
    let config = evaluateFile(file, syntax, TARGET);
    const next = seeded(index);
    const done: string[] = [];
    for (let i = 0; i < EDITS; i++) {
      const [changed, what] = randomEdit(text, next);
      done.push(what);
      const before = new Set(syntax.sections.flatMap((s) => s.options));
      text = changed;
      syntax = parseProfile(text, syntax);
      config = evaluateFile(file, syntax, TARGET, config);
      const fresh = parseProfile(text);
      const where = `${path.relative(CORPUS, file)} after ${done.join('; ')}`;
      sameText(shownSyntax(syntax), shownSyntax(fresh), `the parse of ${where}`);
      sameText(shownConfig(config), shownConfig(evaluateFile(file, fresh, TARGET)), `the configuration of ${where}`);
      for (const s of syntax.sections) for (const o of s.options) if (before.has(o)) reused++;
    }
  }
  // The reuse is the point: most options of most edits are the previous objects.
  assert.ok(reused > 10_000, `only ${reused} options were reused`);
});
