// After an edit, a check reuses what the previous check computed wherever its inputs did not change,
// including options that only moved (an edit above them shifts their offsets). Whatever it reuses, its
// findings (ranges, messages, related places, fix data), the edits of every offline fix and of Freeze
// must equal what a fresh workspace computes from the same texts. Edits are random but seeded, in the
// files of real SlapOS chains that hold findings, so a failure names a reproducible sequence.

import { test } from 'node:test';
import * as assert from 'assert/strict';
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

/** A root and the files of its chain to edit: ones that hold findings, a stack, the versions. */
const CASES: [root: string, files: string[]][] = [
  ['software/erp5/software.cfg', ['stack/slapos.cfg', 'software/erp5/software.cfg', 'stack/erp5-zope2/buildout.cfg', 'software/neoppod/software-common.cfg']],
  ['software/jstestnode/software.cfg', ['software/jstestnode/software.cfg', 'stack/slapos.cfg']],
  ['software/postgres/software.cfg', ['software/postgres/software.cfg', 'stack/slapos.cfg']],
  ['software/wendelin/software-kerastensorflow.cfg', ['component/bazel/buildout.cfg']],
  ['software/kvm/software.cfg', ['software/kvm/buildout.hash.cfg', 'component/liburing/buildout.cfg']],
  ['software/beremiz-runtime/software-dev.cfg', ['software/beremiz-runtime/software-dev.cfg', 'component/perl/buildout.cfg']],
];

/** Buildout's picked-versions output for Freeze's paste: one pin that moves, one that is new. */
const PICKED = '[versions]\nslapos.core = 1.0.0\nadded-by-test = 2.0\n';

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

/** Checks `texts` in turn as the buffer of one profile, each against a fresh workspace of the same text. */
async function editInTurn(texts: string[]): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bf-incremental-'));
  const root = path.join(dir, 'software.cfg');
  fs.writeFileSync(root, texts[0]);
  const ws = new Workspace(new NodeHost());
  for (const [i, text] of texts.entries()) {
    ws.setOverlay(root, text, i + 1);
    const fresh = new Workspace(new NodeHost());
    fresh.setOverlay(root, text, 1);
    const shown = async (w: Workspace) => (await checkProfile(w, root)).findings.map((f) => `${f.range.start.line + 1}: ${f.code}: ${f.message}`).sort();
    assert.deepEqual(await shown(ws), await shown(fresh), `after text ${i + 1}`);
  }
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
