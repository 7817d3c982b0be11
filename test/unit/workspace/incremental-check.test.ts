// After an edit, a check reuses what the previous check computed wherever its inputs did not change,
// including options that only moved (an edit above them shifts their offsets). Whatever it reuses, its
// findings (ranges, messages, related places, fix data), the edits of every offline fix and of Freeze
// must equal what a fresh workspace computes from the same texts. Edits are random but seeded, in the
// files of real SlapOS chains that hold findings, so a failure names a reproducible sequence.

import { test } from 'node:test';
import * as assert from 'assert/strict';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Workspace } from '../../../server/src/workspace/workspace';
import { NodeHost } from '../../../server/src/host/node-host';
import { checkProfile } from '../../../server/src/check';
import { fixFor } from '../../../server/src/fixes/index';
import { pasteVersionsForFreeze } from '../../../server/src/fixes/paste-versions';
import { planFreeze } from '../../../server/src/freeze/plan-freeze';
import { CORPUS, corpusAvailable } from '../../harness/corpus';
import { randomEdit, seeded } from '../../harness/random-edits';

/** A root and the files to edit: ones of its chain that hold findings, a stack, the versions, a template. */
const CASES: [root: string, files: string[]][] = [
  ['software/erp5/software.cfg', ['stack/slapos.cfg', 'software/erp5/software.cfg', 'stack/erp5-zope2/buildout.cfg', 'software/neoppod/software-common.cfg']],
  ['software/jstestnode/software.cfg', ['software/jstestnode/software.cfg', 'stack/slapos.cfg']],
  ['software/postgres/software.cfg', ['software/postgres/software.cfg', 'stack/slapos.cfg']],
  ['software/wendelin/software-kerastensorflow.cfg', ['component/bazel/buildout.cfg']],
  // Templates are outside the extends chain: the configuration stays, what was derived from them must not.
  ['software/kvm/software.cfg', ['software/kvm/buildout.hash.cfg', 'component/liburing/buildout.cfg', 'software/kvm/instance.cfg.in']],
  ['software/beremiz-runtime/software-dev.cfg', ['software/beremiz-runtime/software-dev.cfg', 'component/perl/buildout.cfg']],
];

/** Buildout's picked-versions output for Freeze's paste: one pin that moves, one that is new. */
const PICKED = '[versions]\nslapos.core = 1.0.0\nadded-by-test = 2.0\n';

const md5 = (text: string) => crypto.createHash('md5').update(text).digest('hex');

/** Edits per file; `BF_PROPERTY_SCALE=10` makes ten times as many (as for the robustness tests). */
const EDITS_PER_FILE = 6 * Number(process.env.BF_PROPERTY_SCALE || 1);

/** Everything a front end shows or applies for `root`, as comparable text. */
async function outcome(ws: Workspace, root: string): Promise<string> {
  const checked = await checkProfile(ws, root);
  const out: string[] = [];
  for (const f of checked.findings) {
    out.push(JSON.stringify({ ...f, file: path.relative(CORPUS, f.file), profile: undefined }));
    const fix = fixFor(f.code);
    if (!fix || fix.online(f)) continue;
    const result = await fix.compute(f, { ws, config: checked.config, root, allowNetwork: false, timeoutMs: 1000 });
    out.push(`  fix: ${JSON.stringify(result)}`);
  }
  out.sort();
  const plan = await planFreeze(ws, root, {}, { allowNetwork: false, timeoutMs: 1000 }, PICKED, pasteVersionsForFreeze);
  out.push(`freeze: ${JSON.stringify(plan.edits)} ${JSON.stringify(plan.summary)}`);
  return out.join('\n');
}

/** The lines only one side has (the whole outcomes are too long to read). */
function difference(got: string, want: string): string {
  const a = got.split('\n'), b = want.split('\n');
  return [...a.filter((l) => !b.includes(l)).map((l) => `+ incremental: ${l}`), ...b.filter((l) => !a.includes(l)).map((l) => `- fresh:       ${l}`)].join('\n');
}

test('an edited workspace finds, fixes and freezes exactly what a fresh one does', { skip: !corpusAvailable(), timeout: 600_000 }, async () => {
  const host = new NodeHost();
  for (const [rootName, files] of CASES) {
    const root = path.join(CORPUS, rootName);
    const ws = new Workspace(host);
    await outcome(ws, root);
    const texts = new Map<string, string>();
    let version = 1;
    for (const [fileIndex, fileName] of files.entries()) {
      const file = path.join(CORPUS, fileName);
      const original = fs.readFileSync(file, 'utf8');
      const next = seeded(fileIndex * 1000 + rootName.length);
      const done: string[] = [];
      let text = original;
      for (let i = 0; i <= EDITS_PER_FILE; i++) {
        // The last step restores the file: what was reused across the edits must still be right.
        const [changed, what] = i < EDITS_PER_FILE ? randomEdit(text, next) : [original, 'the original text back'];
        text = changed;
        done.push(what);
        texts.set(file, text);
        ws.setOverlay(file, text, version++);
        const fresh = new Workspace(host);
        for (const [f, t] of texts) fresh.setOverlay(f, t, 1);
        const [got, want] = [await outcome(ws, root), await outcome(fresh, root)];
        if (got !== want) assert.fail(`${rootName}, after editing ${fileName}: ${done.join('; ')}\n${difference(got, want)}`);
      }
    }
  }
});

/**
 * Checks each step in turn, against a fresh workspace of the same texts: a step is the buffer of the root
 * profile (software.cfg), or the buffers of several files of one folder by name.
 */
async function editInTurn(steps: (string | Record<string, string>)[]): Promise<string[][]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bf-incremental-'));
  const root = path.join(dir, 'software.cfg');
  const buffers = new Map<string, string>();
  const ws = new Workspace(new NodeHost());
  const seen: string[][] = [];
  for (const [i, step] of steps.entries()) {
    for (const [name, text] of Object.entries(typeof step === 'string' ? { 'software.cfg': step } : step)) {
      if (!fs.existsSync(path.join(dir, name))) fs.writeFileSync(path.join(dir, name), text);
      buffers.set(path.join(dir, name), text);
      ws.setOverlay(path.join(dir, name), text, i + 1);
    }
    const fresh = new Workspace(new NodeHost());
    for (const [file, text] of buffers) fresh.setOverlay(file, text, 1);
    const shown = async (w: Workspace) => (await checkProfile(w, root)).findings.map((f) => `${f.range.start.line + 1}: ${f.code}: ${f.message}`).sort();
    const got = await shown(ws);
    assert.deepEqual(got, await shown(fresh), `after step ${i + 1}`);
    seen.push(got);
  }
  return seen;
}

test('a section expanded only to compare two configurations reports nothing when no check asks for it', async () => {
  const part = (x: string) => `[buildout]\nparts = p\n\n[p]\nrecipe = slapos.recipe.build\nx = ${x}\n`;
  await editInTurn([
    `${part('${q:y}')}\n[q]\n<= base\n\n[base]\ny = 1\n`,
    // [p] stops reading [q] in the same edit that breaks [q]'s macro: nothing installs or reads [q] now.
    `${part('1')}\n[q]\n<= missing-base\n\n[base]\ny = 1\n`,
  ]);
});

test('a value read through a macro is read again when the macro base changes, even two edits later', async () => {
  const part = '[buildout]\nparts = p\n\n[p]\nrecipe = slapos.recipe.build\nx = ${mid:x}\n\n[mid]\n<= base\n';
  await editInTurn([
    `${part}\n[base]\nx = 1\n`,
    // An unrelated edit: [p]'s result is carried over without [mid] being expanded again.
    `${part}\n[base]\nx = 1\n\n[unrelated]\ny = 2\n`,
    // Then the base loses the option [p] reads through [mid].
    `${part}\n[base]\nz = 1\n\n[unrelated]\ny = 2\n`,
  ]);
});

test('results derived from a template are computed again when only the template changes', async () => {
  const template = (text: string) => ({
    'software.cfg': `[buildout]\nparts = t\n\n[t]\nrecipe = slapos.recipe.template\nurl = \${:_profile_base_location_}/instance.cfg.in\nmd5sum = ${md5('# nothing\n')}\noutput = \${buildout:directory}/instance.cfg\n\n[other]\nrecipe = slapos.recipe.build\nurl = http://example.com/a.tar.gz\n\n[versions]\nslapos.recipe.template = 5.1\nslapos.recipe.build = 0.57\n`,
    'instance.cfg.in': text,
  });
  // The template's text changes its md5sum, and what it refers to is installed: the extends chain
  // (software.cfg alone) does not change, so the same configuration must not answer from before.
  const seen = await editInTurn([template('# nothing\n'), { 'instance.cfg.in': '${other:url}\n' }, { 'instance.cfg.in': '# nothing\n' }]);
  assert.deepEqual(seen[0], []);
  assert.deepEqual(seen[1].map((f) => f.split(': ')[1]).sort(), ['md5sum-mismatch', 'missing-md5sum']);
  assert.deepEqual(seen[2], []);
});

test('an edit of a macro base that no result read directly is seen through the sections that expand it', async () => {
  const root = '[buildout]\nextends = base.cfg\nparts = p\n\n[versions]\nslapos.recipe.build = 0.57\n';
  const base = (recipe: string) => `[base]\nrecipe = ${recipe}\nx = 1\n\n[p]\n<= base\n`;
  const seen = await editInTurn([
    { 'software.cfg': root, 'base.cfg': base('slapos.recipe.build') },
    // An edit of another file that changes no section: every result is reused, [p] is not expanded again.
    { 'software.cfg': `# a comment\n${root}` },
    // Then the base names another recipe: the edit updates [base] only, and the rules read [p].
    { 'base.cfg': base('slapos.recipe.cmmi') },
  ]);
  assert.deepEqual(seen[1], []);
  assert.deepEqual(seen[2].map((f) => f.split(': ')[1]), ['unpinned-egg']);
});

test('results are judged again when an edit makes the extends chain whole again', async () => {
  const part = '[p]\nrecipe = slapos.recipe.build\n';
  const seen = await editInTurn([
    // An extended file that cannot be read may define what is missing: nothing is reported but that.
    `[buildout]\nextends = missing.cfg\nparts = p q\n\n${part}`,
    // Without it, the chain is whole: the missing part and the unpinned recipe are certain now.
    `[buildout]\nparts = p q\n\n${part}`,
  ]);
  assert.deepEqual(seen[0].map((f) => f.split(': ')[1]), ['extends-unreadable']);
  assert.deepEqual(seen[1].map((f) => f.split(': ')[1]).sort(), ['missing-section', 'unpinned-egg']);
});

test('a macro base two levels down, edited after unrelated edits, is seen through every section that expands it', async () => {
  const root = (extra: string) => `[buildout]\nextends = base.cfg\nparts = p\n${extra}\n[versions]\nslapos.recipe.build = 0.57\n`;
  const base = (recipe: string, mid = 'base') => `[base]\nrecipe = ${recipe}\nx = 1\n\n[other-base]\nrecipe = slapos.recipe.cmmi\n\n[mid]\n<= ${mid}\n\n[p]\n<= mid\n`;
  const seen = await editInTurn([
    { 'software.cfg': root(''), 'base.cfg': base('slapos.recipe.build') },
    // Two edits that change no section: the results are carried over twice, [p] and [mid] not expanded again.
    { 'software.cfg': root('# one\n') },
    { 'software.cfg': root('# two\n') },
    // The base of the base names another recipe.
    { 'base.cfg': base('plone.recipe.command') },
    { 'software.cfg': root('# three\n') },
    // The middle section takes another base, then the first base changes back (no longer read).
    { 'base.cfg': base('plone.recipe.command', 'other-base') },
    { 'base.cfg': base('slapos.recipe.build', 'other-base') },
  ]);
  const codes = (i: number) => seen[i].map((f) => f.split(': ')[1]);
  assert.deepEqual(codes(2), []);
  assert.deepEqual(codes(3), ['unpinned-egg']);
  assert.match(seen[3][0], /plone\.recipe\.command/);
  assert.match(seen[5][0], /slapos\.recipe\.cmmi/);
  assert.deepEqual(seen[6], seen[5]);
});

test('a template changed together with more files than the Workspace remembers is still read again', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bf-incremental-'));
  try {
    const root = path.join(dir, 'software.cfg');
    const template = path.join(dir, 'instance.cfg.in');
    fs.writeFileSync(root, `[buildout]\nparts = t\n\n[t]\nrecipe = slapos.recipe.template\nurl = \${:_profile_base_location_}/instance.cfg.in\nmd5sum = ${md5('# nothing\n')}\noutput = \${buildout:directory}/instance.cfg\n\n[versions]\nslapos.recipe.template = 5.1\n`);
    fs.writeFileSync(template, '# nothing\n');
    const ws = new Workspace(new NodeHost());
    const codes = async (w: Workspace) => (await checkProfile(w, root)).findings.map((f) => f.code);
    assert.deepEqual(await codes(ws), []);
    for (const changes of [3, 1000]) {
      ws.setOverlay(template, `# changed before ${changes} other changes\n`, changes);
      for (let i = 0; i < changes; i++) ws.setOverlay(path.join(dir, 'notes.txt'), `note ${changes} ${i}`, i + 1);
      assert.deepEqual(await codes(ws), ['md5sum-mismatch'], `with ${changes} other changes`);
      ws.setOverlay(template, '# nothing\n', changes + 1);
      assert.deepEqual(await codes(ws), [], `back, after ${changes} other changes`);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
