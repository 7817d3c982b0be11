// Property tests over damaged copies of real SlapOS profiles: the parser never throws and stays
// lossless with in-bounds ranges; decoding damaged bytes never throws; and a whole check, of the
// damaged file itself or of a software release whose extends chain contains it, terminates with
// findings that lie inside their files. The damage is kept in editor overlays, so the corpus on disk
// is only read. Run sizes are small enough for the whole suite to stay near a minute on two cores;
// BF_PROPERTY_SCALE=10 runs ten times as many cases.

import { test } from 'node:test';
import * as assert from 'assert/strict';
import * as fs from 'fs';
import fc from 'fast-check';
import { parseProfile } from '../../server/src/syntax/parse-profile';
import { decodeProfile } from '../../server/src/workspace/decode';
import { Workspace } from '../../server/src/workspace/workspace';
import { NodeHost } from '../../server/src/host/node-host';
import { checkProfile } from '../../server/src/check';
import { HAVE_CORPUS, corpusProfiles, corpusRoots } from './corpus';
import { applyMutations, byteSpliceArb, mutationsArb, spliceBytes } from './mutations';
import { assertFindingInvariants, assertSyntaxInvariants } from './invariants';

const SCALE = Number(process.env.BF_PROPERTY_SCALE ?? 1);
const runs = (n: number) => Math.max(1, Math.round(n * SCALE));
const skip = HAVE_CORPUS ? false : 'no corpus';
const MARKER = '/tmp/bf-mutation-executed';

const files = corpusProfiles();
const texts = new Map<string, string>();
const textOf = (f: string) => { let t = texts.get(f); if (t === undefined) texts.set(f, (t = fs.readFileSync(f, 'utf8'))); return t; };

test('the parser is lossless and in bounds on damaged corpus profiles', { skip, timeout: 120_000 }, () => {
  fc.assert(fc.property(fc.constantFrom(...files), mutationsArb, (file, mutations) => {
    const text = applyMutations(textOf(file), mutations);
    assertSyntaxInvariants(parseProfile(text));
  }), { numRuns: runs(400) });
});

test('decoding damaged bytes never throws, and what decodes parses losslessly', { skip, timeout: 120_000 }, () => {
  fc.assert(fc.property(fc.constantFrom(...files), byteSpliceArb, (file, splices) => {
    const bytes = spliceBytes(fs.readFileSync(file), splices);
    const decoded = decodeProfile(bytes);
    if ('error' in decoded) { assert.ok(decoded.error.length > 0); return; }
    assertSyntaxInvariants(parseProfile(decoded.text));
  }), { numRuns: runs(200) });
});

test('checking a damaged profile terminates with findings inside its files', { skip, timeout: 120_000 }, async () => {
  const ws = new Workspace(new NodeHost(), { allowNetwork: false, downloadTimeoutMs: 500 });
  await fc.assert(fc.asyncProperty(fc.constantFrom(...files), mutationsArb, async (file, mutations) => {
    ws.setOverlay(file, applyMutations(textOf(file), mutations), 1);
    try {
      const result = await checkProfile(ws, file);
      assertFindingInvariants(ws, result.findings);
    } finally {
      ws.removeOverlay(file);
    }
  }), { numRuns: runs(80) });
  assert.ok(!fs.existsSync(MARKER), 'a condition in a profile was executed');
});

test('checking a software release with a damaged file in its chain terminates with findings inside their files', { skip, timeout: 120_000 }, async () => {
  const ws = new Workspace(new NodeHost(), { allowNetwork: false, downloadTimeoutMs: 500 });
  const roots = corpusRoots();
  await fc.assert(fc.asyncProperty(fc.constantFrom(...roots), fc.nat(), mutationsArb, async (root, pick, mutations) => {
    const chain = (await checkProfile(ws, root)).config.files.filter((f) => f.startsWith('/'));
    const file = chain[pick % chain.length];
    ws.setOverlay(file, applyMutations(textOf(file), mutations), 1);
    try {
      const result = await checkProfile(ws, root);
      assertFindingInvariants(ws, result.findings);
    } finally {
      ws.removeOverlay(file);
    }
  }), { numRuns: runs(20) });
  assert.ok(!fs.existsSync(MARKER), 'a condition in a profile was executed');
});
