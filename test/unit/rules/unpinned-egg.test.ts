// unpinned-egg over small profiles: which eggs installed parts request (recipes, extensions, zc.recipe.egg
// and its entry points, `${}` indirections, defaults), how the effective [versions] pins them (PEP 503
// names, conditional sections for the target Python, renamed sections, pins merged from several files),
// and what is deliberately left alone (macro-only bases, computed names, develop eggs, `==` requirements).

import { test } from 'node:test';
import * as assert from 'assert/strict';
import * as fs from 'fs';
import { checkFixture, runFixture } from '../../harness/fixture';

test('a zc.recipe.egg part: each unpinned line of `eggs` is reported where it is written, extras and comments aside', async () => {
  await checkFixture(`
#- /software.cfg
[buildout]
extends = versions.cfg
parts = app
[app]
recipe = zc.recipe.egg
eggs =
  requests
# ^^^^^^^^ warning[unpinned-egg]: requests is not pinned in [versions] (effective for software.cfg); [app] requests it in \`eggs\`, so buildout would pick a version.
# a comment in column 0 is not part of the value
  neoppod[admin, ctl]
# ^^^^^^^ warning[unpinned-egg]: neoppod is not pinned in [versions] (effective for software.cfg); [app] requests it in \`eggs\`, so buildout would pick a version.
  pinned-egg
  Foo_Bar
#- /versions.cfg
[versions]
zc.recipe.egg = 2.0.7
pinned-egg = 1.0
foo-bar = 2.0
`);
});

test('recipe eggs and [buildout] extensions are requested eggs; an extension is found among several on one line', async () => {
  await checkFixture(`
#- /software.cfg
[buildout]
extends = versions.cfg
extensions =
  slapos.rebootstrap slapos.extension.shared
#                    ^^^^^^^^^^^^^^^^^^^^^^^ warning[unpinned-egg]: slapos.extension.shared is not pinned in [versions] (effective for software.cfg); it is a buildout extension, so buildout would pick a version.
parts = run instance
[run]
recipe = plone.recipe.command
#        ^^^^^^^^^^^^^^^^^^^^ warning[unpinned-egg]: plone.recipe.command is not pinned in [versions] (effective for software.cfg); [run] uses it as its recipe, so buildout would pick a version.
command = true
[instance]
recipe = slapos.recipe.template:jinja2
inline = hello
output = \${buildout:directory}/instance.cfg
#- /versions.cfg
[versions]
slapos.rebootstrap = 4.8
slapos.recipe.template = 5.1
`);
});

test('a requirement with exactly one == spec pins itself; ranges and several specs do not', async () => {
  await checkFixture(`
#- /software.cfg
[buildout]
parts = app
allow-picked-versions = false
[app]
recipe = zc.recipe.egg==2.0.7
eggs =
  exact==1.0
  spaced == 1.0
  paren (==1.0)
  lower>=1.0
# ^^^^^ warning[unpinned-egg]: lower is not pinned in [versions] (effective for software.cfg); [app] requests it in \`eggs\`, so buildout would stop (allow-picked-versions = false).
  two==1.0,<2
# ^^^ warning[unpinned-egg]: two is not pinned in [versions] (effective for software.cfg); [app] requests it in \`eggs\`, so buildout would stop (allow-picked-versions = false).
  GDAL ==\${gdal:version}+SlapOSPatched001
[gdal]
version = 3.9
`);
});

test('${x:egg} is followed to where the name is written; names a recipe computes are skipped', async () => {
  await checkFixture(`
#- /software.cfg
[buildout]
extends = component.cfg
parts = app
[app]
recipe = zc.recipe.egg
eggs =
  \${lib:egg}
  \${lib:egg}[extra]
# ^^^^^^^^^^^^^^^^^ warning[unpinned-egg]: libthing is not pinned in [versions] (effective for software.cfg); [app] requests it in \`eggs\`, so buildout would pick a version.
  \${computed:egg}
  \${computed:egg}[test]
  \${:more}
more =
  \${lib2:egg}
  direct
# ^^^^^^ warning[unpinned-egg]: direct is not pinned in [versions] (effective for software.cfg); [app] requests it in \`eggs\` through \${:more}, so buildout would pick a version.
[versions]
zc.recipe.egg = 2.0.7
plone.recipe.command = 1.1
slapos.recipe.build = 0.1
#- /component.cfg
[lib]
recipe = zc.recipe.egg:custom
egg = libthing
#     ^^^^^^^^ warning[unpinned-egg]: libthing is not pinned in [versions] (effective for software.cfg); [lib] requests it in \`egg\`, so buildout would pick a version.
[lib2]
egg = lib2thing
#     ^^^^^^^^^ warning[unpinned-egg]: lib2thing is not pinned in [versions] (effective for software.cfg); [app] requests it in \`eggs\` through \${:more}, so buildout would pick a version.
[computed]
recipe = slapos.recipe.build
init = options['egg'] = 'x'
[BTrees]
recipe = zc.recipe.egg:custom
egg = \${:_buildout_section_name_}
`);
});

test('[versions:python2] pins count for a Python 2 target only', async () => {
  await checkFixture(`
#- /software.cfg
[buildout]
extends = versions.cfg
parts = app
[app]
recipe = zc.recipe.egg
eggs =
  both
  only-py2
  only-py3
# ^^^^^^^^ warning[unpinned-egg]: only-py3 is not pinned in [versions] (effective for software.cfg); [app] requests it in \`eggs\`, so buildout would pick a version.
#- /versions.cfg
[versions]
zc.recipe.egg = 2.0.7
both = 1
[versions:python2]
only-py2 = 1
[versions:python3]
only-py3 = 1
`, {python: '2.7'});
});

test('[versions:python3] pins count for a Python 3 target only', async () => {
  await checkFixture(`
#- /software.cfg
[buildout]
extends = versions.cfg
parts = app
[app]
recipe = zc.recipe.egg
eggs =
  both
  only-py2
# ^^^^^^^^ warning[unpinned-egg]: only-py2 is not pinned in [versions] (effective for software.cfg); [app] requests it in \`eggs\`, so buildout would pick a version.
  only-py3
#- /versions.cfg
[versions]
zc.recipe.egg = 2.0.7
both = 1
[versions:python2]
only-py2 = 1
[versions:python3]
only-py3 = 1
`, {python: '3.11'});
});

test('x, ==x, x:whl and local versions are pins; >=x and an empty value are not; names match as PEP 503 names', async () => {
  await checkFixture(`
#- /software.cfg
[buildout]
parts = app
[app]
recipe = zc.recipe.egg
eggs =
  plain
  equals
  wheel
  local
  ranged
# ^^^^^^ warning[unpinned-egg]: ranged is not pinned: [versions] (effective for software.cfg) gives it \`>=1.0\`, which is not an exact version; [app] requests it in \`eggs\`, so buildout would pick a version.
  emptied
# ^^^^^^^ warning[unpinned-egg]: emptied is not pinned: [versions] (effective for software.cfg) gives it an empty value; [app] requests it in \`eggs\`, so buildout would pick a version.
  Zope.Interface
[versions]
zc.recipe.egg = 2.0.7
plain = 1.0
equals = ==1.0
wheel = 1.0:whl
local = 5.8.1+SlapOSPatched002
ranged = >=1.0
emptied =
zope-interface = 7.2
`);
});

test('[buildout] versions = other-section selects the section consulted', async () => {
  await checkFixture(`
#- /software.cfg
[buildout]
versions = pins
parts = app
[app]
recipe = zc.recipe.egg
eggs = in-versions
#      ^^^^^^^^^^^ warning[unpinned-egg]: in-versions is not pinned in [pins] (effective for software.cfg); [app] requests it in \`eggs\`, so buildout would pick a version.
  in-pins
[versions]
zc.recipe.egg = 2.0.7
in-versions = 1
[pins]
zc.recipe.egg = 2.0.7
in-pins = 1
`);
});

test('an empty [buildout] versions means no section pins anything', async () => {
  await checkFixture(`
#- /software.cfg
[buildout]
versions =
parts = app
[app]
recipe = zc.recipe.egg
#        ^^^^^^^^^^^^^ warning[unpinned-egg]: zc.recipe.egg is not pinned: [buildout] versions is empty in software.cfg, so no versions section applies; [app] uses it as its recipe, so buildout would pick a version.
eggs = thing
#      ^^^^^ warning[unpinned-egg]: thing is not pinned: [buildout] versions is empty in software.cfg, so no versions section applies; [app] requests it in \`eggs\`, so buildout would pick a version.
[versions]
zc.recipe.egg = 2.0.7
thing = 1
`);
});

test('eggs added with += in another file are reported there; pins merge across files', async () => {
  await checkFixture(`
#- /software.cfg
[buildout]
extends = stack.cfg
parts += extra
[app]
eggs += added-here
#       ^^^^^^^^^^ warning[unpinned-egg]: added-here is not pinned in [versions] (effective for software.cfg); [app] requests it in \`eggs\`, so buildout would pick a version.
  pinned-here
[extra]
recipe = zc.recipe.egg
eggs = \${app:eggs}
[versions]
pinned-here = 1
#- /stack.cfg
[buildout]
parts = app
[app]
recipe = zc.recipe.egg
eggs = from-stack
[versions]
zc.recipe.egg = 2.0.7
from-stack = 1
`);
});

test('macro-only bases and sections that are not parts are never judged', async () => {
  await checkFixture(`
#- /software.cfg
[buildout]
parts = app
[egg-base]
recipe = zc.recipe.egg
eggs = never-installed
[app]
<= egg-base
eggs = overridden
#      ^^^^^^^^^^ warning[unpinned-egg]: overridden is not pinned in [versions] (effective for software.cfg); [app] requests it in \`eggs\`, so buildout would pick a version.
[unused]
recipe = zc.recipe.egg
eggs = not-a-part
[versions]
zc.recipe.egg = 2.0.7
`);
});

test('in development mode an unpinned egg is information', async () => {
  await checkFixture(`
#- /software.cfg
[buildout]
parts = app
[app]
recipe = zc.recipe.egg
eggs = requests
#      ^^^^^^^^ information[unpinned-egg]: requests is not pinned in [versions] (effective for software.cfg); [app] requests it in \`eggs\`, so buildout would pick a version.
[versions]
zc.recipe.egg = 2.0.7
`, {mode: 'development'});
});

test('nothing is reported when an extended profile cannot be read (the pin may live there)', async () => {
  await checkFixture(`
#- /software.cfg
[buildout]
extends = missing.cfg
#         ^^^^^^^^^^^ error[extends-unreadable]: Cannot read the extended profile missing.cfg: /missing.cfg does not exist
parts = app
[app]
recipe = zc.recipe.egg
eggs = requests
`);
});

test('develop eggs need no pin, but the setup-eggs of a develop part do', async () => {
  await checkFixture(`
#- /software.cfg
[buildout]
parts = lib-develop app thing-develop
[lib-repository]
recipe = plone.recipe.command
command = true
location = /tmp/nowhere
[lib-develop]
recipe = zc.recipe.egg:develop
setup = \${lib-repository:location}
setup-eggs = setuptools-scm
#            ^^^^^^^^^^^^^^ warning[unpinned-egg]: setuptools-scm is not pinned in [versions] (effective for software.cfg); [lib-develop] requests it in \`setup-eggs\`, so buildout would pick a version.
[thing-develop]
recipe = zc.recipe.egg:develop
egg = Thing
setup = /tmp/nowhere
[app]
recipe = zc.recipe.egg
eggs =
  lib
  thing
  other
# ^^^^^ warning[unpinned-egg]: other is not pinned in [versions] (effective for software.cfg); [app] requests it in \`eggs\`, so buildout would pick a version.
[versions]
zc.recipe.egg = 2.0.7
plone.recipe.command = 1.1
`);
});

test('zc.recipe.egg eggs default to the section name, reported on its header', async () => {
  await checkFixture(`
#- /software.cfg
[buildout]
parts = scripts BTrees
[scripts]
#^^^^^^^ warning[unpinned-egg]: scripts is not pinned in [versions] (effective for software.cfg); [scripts] installs it by its section name, so buildout would pick a version.
recipe = zc.recipe.egg:scripts
[BTrees]
#^^^^^^ warning[unpinned-egg]: BTrees is not pinned in [versions] (effective for software.cfg); [BTrees] requests it in \`egg\`, so buildout would pick a version.
recipe = zc.recipe.egg:custom
egg = \${:_buildout_section_name_}
setup-eggs = \${persistent:egg}
[persistent]
#^^^^^^^^^^ warning[unpinned-egg]: persistent is not pinned in [versions] (effective for software.cfg); [persistent] installs it by its section name, so buildout would pick a version.
recipe = zc.recipe.egg:custom
[versions]
zc.recipe.egg = 2.0.7
`);
});

test('a finding carries what a fix needs and points at the effective versions section', async () => {
  const run = await runFixture(`
#- /software.cfg
[buildout]
extends = stack.cfg
parts = app
[app]
recipe = zc.recipe.egg
eggs = requests
#- /stack.cfg
[buildout]
extends = base.cfg
[versions]
zc.recipe.egg = 2.0.7
#- /base.cfg
[versions]
setuptools = 67.8.0
`);
  fs.rmSync(run.dir, { recursive: true, force: true });
  const [finding] = run.findings.filter((f) => f.code === 'unpinned-egg');
  assert.deepEqual(finding.data, {
    egg: 'requests', key: 'requests', part: 'app', option: 'eggs', versionsSection: 'versions', versionsFile: `${run.dir}/stack.cfg`,
  });
  assert.equal(finding.related?.[0].file, `${run.dir}/stack.cfg`);
  assert.deepEqual(finding.related?.[0].range, { start: { line: 2, character: 1 }, end: { line: 2, character: 9 } });
});
