// Paste versions: what buildout (and the older extensions) print about picked versions, read back into
// pins, and the plan that merges them into the file defining the effective versions section. Profiles
// are real files in a temp directory; the planned edits are applied and the whole resulting text compared.

import { test } from 'node:test';
import * as assert from 'assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { splitFixture } from '../../harness/fixture';
import { Workspace } from '../../../server/src/workspace/workspace';
import { NodeHost } from '../../../server/src/host/node-host';
import { checkProfile, loadForTarget } from '../../../server/src/check';
import { applyEdits } from '../../../server/src/core/apply-edits';
import { parsePickedVersions, pasteVersionsForFreeze, pinEdits, planPasteVersions, PinPlan } from '../../../server/src/fixes/paste-versions';
import { planFreeze } from '../../../server/src/freeze/plan-freeze';

const pinsOf = (text: string) => parsePickedVersions(text).pins.map((p) => `${p.name} = ${p.version}${p.requiredBy.length ? ` (${p.requiredBy.join(', ')})` : ''}`);

test('show-picked-versions output, as zc.buildout\'s own test expects it (required-by blocks)', () => {
  // src/zc/buildout/tests/test_all.py, show_who_requires_picked_versions, with the elided lines filled in.
  const output = [
    "Develop: '/sample-buildout/sampley'",
    "Develop: '/sample-buildout/samplea'",
    "Develop: '/sample-buildout/sampleb'",
    'Installing eggs.',
    "Getting distribution for 'demo'.",
    'Got demo 0.3.',
    "Getting distribution for 'demoneeded'.",
    'Got demoneeded 1.1.',
    'Versions had to be automatically picked.',
    'The following part definition lists the versions picked:',
    '[versions]',
    '',
    '# Required by:',
    '# sampley==1',
    'demo = 0.3',
    '',
    '# Required by:',
    '# demo==0.3',
    'demoneeded = 1.1',
    '',
  ].join('\n');
  assert.deepEqual(pinsOf(output), ['demo = 0.3 (sampley==1)', 'demoneeded = 1.1 (demo==0.3)']);
  assert.deepEqual(parsePickedVersions(output).ignored, []);
});

test('update-versions-file text appended to an existing file (no [versions] header)', () => {
  const appended = '\n# Added by buildout at 2024-03-01 10:00:00.123456\nsetuptools = 69.0.3\nzc.recipe.egg = 2.0.7\n\n# Required by:\n# zc.recipe.egg==2.0.7\nzc.buildout = 3.0.1\n';
  assert.deepEqual(pinsOf(appended), ['setuptools = 69.0.3', 'zc.recipe.egg = 2.0.7', 'zc.buildout = 3.0.1 (zc.recipe.egg==2.0.7)']);
});

test('the buildout-versions extension\'s output', () => {
  // From buildout-versions' documentation ("Using Buildout Versions").
  const output = [
    '$ bin/buildout',
    'Installing sample.',
    "Getting distribution for 'package-a==1.0'.",
    'Got package-a 1.0.',
    "Getting distribution for 'package-b'.",
    'Got package-b 2.0.',
    'Versions had to be automatically picked.',
    'The following part definition lists the versions picked:',
    '[versions]',
    '# Required by:',
    '# package-a==1.0',
    'package-b = 2.0',
  ].join('\n');
  assert.deepEqual(pinsOf(output), ['package-b = 2.0 (package-a==1.0)']);
});

test('the buildout.dumppickedversions extension\'s banner and comments', () => {
  const output = [
    "Getting distribution for 'buildout.dumppickedversions'.",
    'Got buildout.dumppickedversions 0.5.',
    'Installing foo.',
    '*************** PICKED VERSIONS ****************',
    '[versions]',
    'myegg = 1.0',
    'setuptools = 0.6c11',
    '',
    '#Required by:',
    '#myegg 1.0',
    'zc.recipe.egg = 1.2.2',
    '',
    '*************** /PICKED VERSIONS ***************',
    'Some later line = not a pin',
  ].join('\n');
  assert.deepEqual(pinsOf(output), ['myegg = 1.0', 'setuptools = 0.6c11', 'zc.recipe.egg = 1.2.2 (myegg 1.0)']);
});

test('the allow-picked-versions = false error gives its one pin once', () => {
  // zc.buildout 3's NOT_PICKED_AND_NOT_ALLOWED, as buildout prints it.
  const output = [
    'Installing app.',
    "Getting distribution for 'requests'.",
    'Got requests 2.31.0.',
    'While:',
    '  Installing app.',
    'Error: Picked: requests = 2.31.0',
    '',
    'The `requests` egg does not have a version pin and `allow-picked-versions = false`.',
    '',
    'To resolve this, add',
    '',
    '    requests = 2.31.0',
    '',
    'to the [versions] section,',
    '',
    'OR set `allow-picked-versions = true`.',
  ].join('\n');
  assert.deepEqual(pinsOf(output), ['requests = 2.31.0']);
});

test('a log prefix on every line, CRLF line ends, repeated names (the last wins)', () => {
  const output = [
    '2024-05-06 10:11:12 INFO Versions had to be automatically picked.',
    '2024-05-06 10:11:12 INFO [versions]',
    '2024-05-06 10:11:12 INFO a-egg = 1.0',
    '2024-05-06 10:11:13 INFO b_egg = 2.0',
    '2024-05-06 10:11:13 INFO A.Egg = 1.1',
  ].join('\r\n');
  assert.deepEqual(pinsOf(output), ['b_egg = 2.0', 'A.Egg = 1.1']);
  assert.deepEqual(pinsOf('just some text\nwith no pins'), []);
  assert.deepEqual(parsePickedVersions('just some text\nfoo = 1.0').ignored, ['just some text']);
});

/** Writes the fixture, loads its first file as the root, pastes `picked`, applies the plan. */
async function paste(fixture: string, picked: string, python = '3.11'): Promise<{ plan: PinPlan; dir: string; after: Map<string, string> }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bf-paste-'));
  const files = splitFixture(fixture);
  for (const f of files) {
    fs.mkdirSync(path.dirname(path.join(dir, f.path)), { recursive: true });
    fs.writeFileSync(path.join(dir, f.path), f.lines.join('\n') + '\n');
  }
  const ws = new Workspace(new NodeHost());
  const { config } = await loadForTarget(ws, path.join(dir, files[0].path), { python });
  const plan = planPasteVersions({ ws, config }, picked);
  const after = new Map<string, string>();
  for (const f of files) {
    const file = path.join(dir, f.path);
    const result = applyEdits(fs.readFileSync(file, 'utf8'), plan.edits.filter((e) => e.file === file));
    assert.ok('text' in result, JSON.stringify(result));
    after.set(f.path, result.text);
  }
  fs.rmSync(dir, { recursive: true, force: true });
  return { plan, dir, after };
}

const names = (pins: { name: string }[]) => pins.map((p) => p.name);

test('pins land in the root profile\'s own [versions], in the order the e2e workspace expects', async () => {
  const { plan, after } = await paste(`
#- /software/demo/software.cfg
[buildout]
extends = ../../stack/demo/buildout.cfg
parts = demo
[demo]
recipe = zc.recipe.egg
eggs =
  demo.app

[versions]
#- /stack/demo/buildout.cfg
[versions]
setuptools = 44.1.1
zc.recipe.egg = 2.0.7
`, 'Versions had to be automatically picked.\nThe following part definition lists the versions picked:\n[versions]\ndemo.app = 1.2.0\n\n# Required by:\n# demo.app==1.2.0\ndemo-helper = 0.3\n');
  assert.deepEqual(names(plan.added), ['demo.app', 'demo-helper']);
  assert.equal(after.get('/software/demo/software.cfg')!.split('[versions]\n')[1], 'demo.app = 1.2.0\ndemo-helper = 0.3\n');
  assert.equal(after.get('/stack/demo/buildout.cfg'), '[versions]\nsetuptools = 44.1.1\nzc.recipe.egg = 2.0.7\n');
});

test('a sorted section gets each pin at its place, before the comments that describe the next pin', async () => {
  const { plan, after } = await paste(`
#- /software.cfg
[buildout]
extends = stack/slapos.cfg
#- /stack/slapos.cfg
[versions]
# The last version of setuptools compatible with Python 3.7
setuptools = 67.8.0
zc.buildout = 3.0.1+slapos010

aiofiles = 23.1.0:whl
# keep in sync with the component
Babel = 2.17.0
cffi = 1.17.1
zope.interface = 7.2
`, '[versions]\nzzz = 1\nbackports.zoneinfo = 0.2.1\nazure = 5.0\nAnyio = 4.0\naiofiles = 23.1.0\nsetuptools = 70.0.0\n');
  assert.deepEqual(names(plan.added), ['Anyio', 'azure', 'backports.zoneinfo', 'zzz']);
  assert.deepEqual(names(plan.duplicates), ['aiofiles']);
  assert.deepEqual(plan.conflicts.map((c) => `${c.name}: ${c.version} vs ${c.existing}`), ['setuptools: 70.0.0 vs 67.8.0']);
  assert.equal(plan.file.endsWith('/stack/slapos.cfg'), true);
  assert.equal(after.get('/stack/slapos.cfg'), `[versions]
# The last version of setuptools compatible with Python 3.7
setuptools = 67.8.0
zc.buildout = 3.0.1+slapos010

aiofiles = 23.1.0:whl
Anyio = 4.0
azure = 5.0
# keep in sync with the component
Babel = 2.17.0
backports.zoneinfo = 0.2.1
cffi = 1.17.1
zope.interface = 7.2
zzz = 1
`);
});

test('an unsorted section keeps its order and style (a=1) and gets new pins, sorted, at its end', async () => {
  const { after } = await paste(`
#- /buildout.cfg
[buildout]
parts =
[versions]
zope.interface=7.2
Babel=2.17.0
cffi=1.17.1
# a trailing comment stays where it is

[other]
x = 1
`, 'b-egg = 2\na-egg = 1\n');
  assert.equal(after.get('/buildout.cfg'), `[buildout]
parts =
[versions]
zope.interface=7.2
Babel=2.17.0
cffi=1.17.1
a-egg=1
b-egg=2
# a trailing comment stays where it is

[other]
x = 1
`);
});

test('aligned pins stay aligned; CRLF files get CRLF lines', async () => {
  const { after } = await paste(`
#- /buildout.cfg
[versions]
a          = 1
longer-one = 2
zz         = 3
`, 'mm = 4');
  assert.equal(after.get('/buildout.cfg'), '[versions]\na          = 1\nlonger-one = 2\nmm         = 4\nzz         = 3\n');

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bf-paste-crlf-'));
  const file = path.join(dir, 'buildout.cfg');
  fs.writeFileSync(file, '[versions]\r\nb = 1\r\na = 2\r\n');
  const ws = new Workspace(new NodeHost());
  const { config } = await loadForTarget(ws, file, { python: '3.11' });
  const plan = pinEdits({ ws, config }, [{ name: 'c', version: '3' }]);
  const result = applyEdits(fs.readFileSync(file, 'utf8'), plan.edits);
  fs.rmSync(dir, { recursive: true, force: true });
  assert.deepEqual(result, { text: '[versions]\r\nb = 1\r\na = 2\r\nc = 3\r\n' });
});

test('an empty value in the target section is filled; ranges and later unpinning are conflicts, never overwritten', async () => {
  // stack/slapos.cfg holds the pins and receives new ones; slapos-dev.cfg, merged after it, unpins on purpose.
  const { plan } = await paste(`
#- /software/app/software.cfg
[buildout]
extends = ../../stack/slapos.cfg ../../stack/slapos-dev.cfg
#- /stack/slapos.cfg
[versions]
setuptools = 67.8.0
slapos.core = 1.22.1
#- /stack/slapos-dev.cfg
[versions]
slapos.core =
`, 'slapos.core = 1.22.1\nother = 1\n');
  assert.equal(plan.file.endsWith('/stack/slapos.cfg'), true);
  assert.deepEqual(names(plan.added), ['other']);
  assert.deepEqual(plan.conflicts.map((c) => `${c.name}: '${c.existing}' in ${path.basename(c.location!.file)}`), ["slapos.core: '' in slapos-dev.cfg"]);
  // The root writes the section, so it is the target: its own empty entry is filled in place; a range is a conflict.
  const second = await paste(`
#- /software.cfg
[buildout]
extends = stack.cfg
[versions]
placeholder =
ranged = >=1.0
#- /stack.cfg
[versions]
setuptools = 67.8.0
`, 'placeholder = 1.0\nranged = 1.5\n');
  assert.deepEqual(names(second.plan.added), ['placeholder']);
  assert.deepEqual(second.plan.conflicts.map((c) => `${c.name}: ${c.existing}`), ['ranged: >=1.0']);
  assert.equal(second.after.get('/software.cfg'), '[buildout]\nextends = stack.cfg\n[versions]\nplaceholder = 1.0\nranged = >=1.0\n');
});

test('which file receives the pins: the root, else a file in the root\'s folder, else the file holding most pins', async () => {
  const sibling = await paste(`
#- /software/app/software.cfg
[buildout]
extends = software-common.cfg
#- /software/app/software-common.cfg
[buildout]
extends = ../../stack/slapos.cfg ../../component/small.cfg
[versions]
own = 1
#- /stack/slapos.cfg
[versions]
a = 1
b = 2
c = 3
#- /component/small.cfg
[versions]
d = 4
`, 'new = 1');
  assert.equal(path.relative(sibling.dir, sibling.plan.file), 'software/app/software-common.cfg');

  const most = await paste(`
#- /software/app/software.cfg
[buildout]
extends = ../../stack/slapos.cfg ../../component/small.cfg
#- /stack/slapos.cfg
[versions]
a = 1
b = 2
c = 3
#- /component/small.cfg
[versions]
d = 4
`, 'new = 1');
  assert.equal(path.relative(most.dir, most.plan.file), 'stack/slapos.cfg');

  const none = await paste(`
#- /software.cfg
[buildout]
parts =
[versions:python2]
old = 1`, 'new = 1\nother = 2');
  assert.equal(path.basename(none.plan.file), 'software.cfg');
  assert.equal(none.after.get('/software.cfg'), '[buildout]\nparts =\n[versions:python2]\nold = 1\n\n[versions]\nnew = 1\nother = 2\n');
});

test('a renamed versions section is the one pinned; an empty `versions` is a problem, with no edit', async () => {
  const renamed = await paste(`
#- /buildout.cfg
[buildout]
versions = pins
[versions]
x = 1
[pins]
y = 1
`, 'z = 1');
  assert.equal(renamed.plan.section, 'pins');
  assert.equal(renamed.after.get('/buildout.cfg'), '[buildout]\nversions = pins\n[versions]\nx = 1\n[pins]\ny = 1\nz = 1\n');

  const empty = await paste(`
#- /buildout.cfg
[buildout]
versions =
`, 'z = 1');
  assert.deepEqual(empty.plan.edits, []);
  assert.match(empty.plan.problem ?? '', /versions is empty/);
});

test('pinning what unpinned-egg reports (from its finding data) leaves no unpinned-egg finding', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bf-paste-loop-'));
  const write = (rel: string, text: string) => { fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true }); fs.writeFileSync(path.join(dir, rel), text); };
  write('software/app/software.cfg', '[buildout]\nextends = ../../stack/base.cfg\nextensions = slapos.rebootstrap\nparts = app\n[app]\nrecipe = zc.recipe.egg\neggs =\n  requests\n  Foo_Bar[extra]\n');
  write('stack/base.cfg', '[buildout]\nallow-picked-versions = false\n[versions]\nzc.recipe.egg = 2.0.7\nurllib3 = 2.0.0\n');
  const root = path.join(dir, 'software/app/software.cfg');
  const before = await checkProfile(new Workspace(new NodeHost()), root, { python: '3.11' });
  const unpinned = before.findings.filter((f) => f.code === 'unpinned-egg');
  assert.deepEqual(unpinned.map((f) => f.data?.egg).sort(), ['Foo_Bar', 'requests', 'slapos.rebootstrap']);
  assert.deepEqual(new Set(unpinned.map((f) => f.data?.versionsFile)), new Set([path.join(dir, 'stack/base.cfg')]));

  const plan = pinEdits({ ws: new Workspace(new NodeHost()), config: before.config }, unpinned.map((f) => ({ name: String(f.data!.egg), version: '1.0' })));
  for (const [file, edits] of new Map(plan.edits.map((e) => [e.file, plan.edits.filter((x) => x.file === e.file)]))) {
    const result = applyEdits(fs.readFileSync(file, 'utf8'), edits);
    assert.ok('text' in result);
    fs.writeFileSync(file, result.text);
  }
  assert.equal(fs.readFileSync(path.join(dir, 'stack/base.cfg'), 'utf8'), '[buildout]\nallow-picked-versions = false\n[versions]\nzc.recipe.egg = 2.0.7\nurllib3 = 2.0.0\nFoo_Bar = 1.0\nrequests = 1.0\nslapos.rebootstrap = 1.0\n');
  const after = await checkProfile(new Workspace(new NodeHost()), root, { python: '3.11' });
  fs.rmSync(dir, { recursive: true, force: true });
  assert.deepEqual(after.findings.filter((f) => f.code === 'unpinned-egg'), []);
});

test('"Freeze this profile" with pasted versions pins them and no longer counts them as blocking', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bf-paste-freeze-'));
  const root = path.join(dir, 'software.cfg');
  fs.writeFileSync(root, '[buildout]\nparts = app\n[app]\nrecipe = zc.recipe.egg\neggs =\n  Requests\n  unlisted\n  ranged\n[versions]\nzc.recipe.egg = 2.0.7\nranged = >=1\n');
  const ws = new Workspace(new NodeHost());
  const picked = 'Versions had to be automatically picked.\nThe following part definition lists the versions picked:\n[versions]\nrequests = 2.31.0\nranged = 1.5\n';
  const plan = await planFreeze(ws, root, { python: '3.11' }, { allowNetwork: false, timeoutMs: 1000 }, picked, pasteVersionsForFreeze);
  const result = applyEdits(fs.readFileSync(root, 'utf8'), plan.edits);
  fs.rmSync(dir, { recursive: true, force: true });
  assert.deepEqual(result, { text: '[buildout]\nparts = app\n[app]\nrecipe = zc.recipe.egg\neggs =\n  Requests\n  unlisted\n  ranged\n[versions]\nzc.recipe.egg = 2.0.7\nranged = >=1\nrequests = 2.31.0\n' });
  assert.deepEqual(plan.summary.changed, ['software.cfg: pinned requests = 2.31.0 in [versions]']);
  const blocking = plan.summary.blocking.join('\n');
  assert.match(blocking, /software\.cfg:11: ranged is already pinned to >=1; the pasted 1\.5 was not applied/);
  assert.match(blocking, /\[unpinned-egg\] unlisted is not pinned/);
  assert.doesNotMatch(blocking, /Requests is not pinned/);
});
