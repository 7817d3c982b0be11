// untagged-repository: installed git clones that follow a branch instead of a fixed revision. Each case
// is a small profile tree with the expected findings drawn under the text they sit on.

import { test } from 'node:test';
import * as assert from 'assert/strict';
import * as path from 'path';
import { checkFixture } from '../../harness/fixture';
import { onlyRules } from '../../harness/only-rules';
import { CheckOptions } from '../../../server/src/core/settings';

/** Only this rule's findings are drawn, so fixtures need not pin their recipe eggs. */
const checkOnly = (fixture: string, options: CheckOptions = {}) => checkFixture(fixture, { ...options, severity: { ...onlyRules('untagged-repository'), ...options.severity } });

test('a clone on a branch only is reported on its repository, with the branch as related', async () => {
  const run = await checkOnly(`
#- /software.cfg
[buildout]
parts = app

[app]
recipe = slapos.recipe.build:gitclone
repository = https://lab.example.invalid/app.git
#            ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ warning[untagged-repository]: [app] clones https://lab.example.invalid/app.git at the head of branch master, which moves: a branch is not a freeze. Set \`revision\` to a commit or tag.
branch = master
`);
  const [finding] = run.findings;
  assert.equal(finding.related?.length, 1);
  assert.equal(finding.related![0].range.start.line, 6);
  assert.equal(finding.related![0].message, '[app] follows branch master, set here.');
  assert.deepEqual({ ...finding.data, pin: undefined }, {
    section: 'app', repository: 'https://lab.example.invalid/app.git', branch: 'master', branchWritten: true,
    revision: null, why: 'no-revision', pin: undefined,
  });
  const pin = finding.data!.pin as { file: string; kind: string };
  assert.equal(path.basename(pin.file), 'software.cfg');
  assert.equal(pin.kind, 'insert');
});

test('a clone with neither revision nor branch follows the default branch', async () => {
  await checkOnly(`
#- /software.cfg
[buildout]
parts = app

[app]
recipe = slapos.recipe.build:gitclone
repository = https://lab.example.invalid/app.git
#            ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ warning[untagged-repository]: [app] clones https://lab.example.invalid/app.git with no \`revision\`, so it builds whatever branch master (the recipe's default) holds at the time. Set \`revision\` to a commit or tag.
`);
});

test('any non-empty revision is a freeze: full sha1, short sha, git describe, tag', async () => {
  await checkOnly(`
#- /software.cfg
[buildout]
parts = a b c d

[a]
recipe = slapos.recipe.build:gitclone
repository = https://lab.example.invalid/a.git
revision = 404158fb97635e0a686ad1c703db4a4a8d5c0a89

[b]
recipe = slapos.recipe.build:gitclone
repository = https://lab.example.invalid/b.git
branch = master
revision = c9355bec

[c]
recipe = slapos.recipe.build:gitclone
repository = https://lab.example.invalid/c.git
revision      = v1.0-9-g34c97f7636

[d]
recipe = slapos.recipe.build:gitclone
repository = https://lab.example.invalid/d.git
revision = v2.1
`);
});

test('a revision naming the followed branch, or HEAD, is not a freeze', async () => {
  await checkOnly(`
#- /software.cfg
[buildout]
parts = a b

[a]
recipe = slapos.recipe.build:gitclone
repository = https://lab.example.invalid/a.git
branch = develop
revision = develop
#          ^^^^^^^ warning[untagged-repository]: \`revision = develop\` names the branch [a] follows, not a commit: set it to a commit or tag.

[b]
recipe = slapos.recipe.build:gitclone
repository = https://lab.example.invalid/b.git
revision = HEAD
#          ^^^^ warning[untagged-repository]: \`revision = HEAD\` names the branch [b] follows, not a commit: set it to a commit or tag.
`);
});

test('a software release overriding the revision of a clone its stack defines on a branch is frozen', async () => {
  await checkOnly(`
#- /software/app/software.cfg
[buildout]
extends = ../../stack/app.cfg

[app]
revision = cf7bf78a61c47541bdbd1c059b4be7475d21900f
#- /stack/app.cfg
[buildout]
parts = app

[app]
recipe = slapos.recipe.build:gitclone
repository = https://lab.example.invalid/app.git
branch = master
`);
});

test('a stack clone the release does not override is reported in the stack, once per place', async () => {
  await checkOnly(`
#- /software/app/software.cfg
[buildout]
extends = ../../stack/app.cfg
#- /stack/app.cfg
[buildout]
parts = app app-bin

[app]
recipe = slapos.recipe.build:gitclone
repository = https://lab.example.invalid/app.git
#            ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ warning[untagged-repository]: [app] clones https://lab.example.invalid/app.git at the head of branch master, which moves: a branch is not a freeze. Set \`revision\` to a commit or tag.
branch = master

[app-bin]
<= app
repository = https://lab.example.invalid/app-bin.git
#            ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ warning[untagged-repository]: [app-bin] clones https://lab.example.invalid/app-bin.git at the head of branch master, which moves: a branch is not a freeze. Set \`revision\` to a commit or tag.
`);
});

test('macro-only base clones are never reported; their users are judged with the macro applied', async () => {
  await checkOnly(`
#- /software.cfg
[buildout]
parts = frozen moving

[git-clone-base]
recipe = slapos.recipe.build:gitclone
repository = https://lab.example.invalid/base.git
branch = master

[frozen]
<= git-clone-base
repository = https://lab.example.invalid/frozen.git
revision = 1d9bcbe1

[moving]
<= git-clone-base
repository = https://lab.example.invalid/moving.git
#            ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ warning[untagged-repository]: [moving] clones https://lab.example.invalid/moving.git at the head of branch master, which moves: a branch is not a freeze. Set \`revision\` to a commit or tag.
`);
});

test('clones nothing installs are never reported; one reached through a ${} reference is', async () => {
  await checkOnly(`
#- /software.cfg
[buildout]
parts = build

[build]
recipe = slapos.recipe.build
source = \${used:location}

[used]
recipe = slapos.recipe.build:gitclone
repository = https://lab.example.invalid/used.git
#            ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ warning[untagged-repository]: [used] clones https://lab.example.invalid/used.git with no \`revision\`, so it builds whatever branch master (the recipe's default) holds at the time. Set \`revision\` to a commit or tag.

[unused]
recipe = slapos.recipe.build:gitclone
repository = https://lab.example.invalid/unused.git
branch = master
`);
});

const DEV_TREE = `
#- /software/app/software-dev.cfg
# App with its components taken from their latest git versions
[buildout]
extends = software.cfg

[app]
revision =
DEV_ANNOTATION
#- /software/app/software.cfg
[buildout]
parts = app lib

[app]
recipe = slapos.recipe.build:gitclone
repository = https://lab.example.invalid/app.git
branch = master
revision = 0301f87d0f7d3e96809cf3c9d38d21248d17515d

[lib]
recipe = slapos.recipe.build:gitclone
repository = https://lab.example.invalid/lib.git
#            ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ LIB_SEVERITY[untagged-repository]: [lib] clones https://lab.example.invalid/lib.git at the head of branch master, which moves: a branch is not a freeze. Set \`revision\` to a commit or tag.
branch = master
`;

test('an empty revision in a -dev.cfg profile is reported in release mode, on `revision =`', async () => {
  await checkOnly(DEV_TREE
    .replace('DEV_ANNOTATION', '#^^^^^^^^^ warning[untagged-repository]: `revision` is empty, which unfreezes [app] on purpose (as *-dev.cfg profiles do): it builds the head of branch master of https://lab.example.invalid/app.git. A release must set `revision` to a commit or tag.')
    .replace('LIB_SEVERITY', 'warning'), { mode: 'release' });
});

test('in development mode an empty revision is silent and other unfrozen clones are information', async () => {
  await checkOnly(DEV_TREE.replace('DEV_ANNOTATION\n', '').replace('LIB_SEVERITY', 'information'), { mode: 'development' });
});

test('a -dev.cfg profile is judged in development mode when nothing names a mode', async () => {
  await checkOnly(DEV_TREE.replace('DEV_ANNOTATION\n', '').replace('LIB_SEVERITY', 'information'));
});

test('the mode can come from the marker file next to the profiles, over the -dev.cfg default', async () => {
  await checkOnly(DEV_TREE
    .replace('DEV_ANNOTATION', '#^^^^^^^^^ warning[untagged-repository]: `revision` is empty, which unfreezes [app] on purpose (as *-dev.cfg profiles do): it builds the head of branch master of https://lab.example.invalid/app.git. A release must set `revision` to a commit or tag.')
    .replace('LIB_SEVERITY', 'warning') + `#- /software/app/.buildout-freeze.json
{ "mode": "release" }
`);
});
