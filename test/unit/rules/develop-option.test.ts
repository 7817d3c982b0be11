// develop-option: `develop =` in the effective [buildout] of a release profile, reported on each
// `develop` option of the extends chain that adds to it.

import { test } from 'node:test';
import { checkFixture } from '../../harness/fixture';
import { onlyRules } from '../../harness/only-rules';
import { CheckOptions } from '../../../server/src/core/settings';

/** Only this rule's findings are drawn, so fixtures need not pin their recipe eggs. */
const checkOnly = (fixture: string, options: CheckOptions = {}) => checkFixture(fixture, { ...options, severity: { ...onlyRules('develop-option'), ...options.severity } });

test('develop in the root profile is reported on its first line', async () => {
  await checkOnly(`
#- /software.cfg
[buildout]
parts =
develop =
#^^^^^^^^ warning[develop-option]: [buildout] develop builds 2 develop eggs from src/a, src/b: a release must not use develop eggs. Remove \`develop\` and pin the eggs in [versions].
  src/a
  src/b
`);
});

test('develop added to across files is reported where each part is written', async () => {
  await checkOnly(`
#- /software.cfg
[buildout]
extends = base.cfg
develop += src/b
#^^^^^^^^^^^^^^^ warning[develop-option]: [buildout] develop builds 2 develop eggs from src/a, src/b: a release must not use develop eggs. Remove \`develop\` and pin the eggs in [versions].
#- /base.cfg
[buildout]
parts =
develop = src/a
#^^^^^^^^^^^^^^ warning[develop-option]: [buildout] develop builds 2 develop eggs from src/a, src/b: a release must not use develop eggs. Remove \`develop\` and pin the eggs in [versions].
`);
});

test('an empty develop, or one emptied by a later file, is fine', async () => {
  await checkOnly(`
#- /software.cfg
[buildout]
extends = base.cfg
develop =
#- /base.cfg
[buildout]
parts =
develop = src/a
`);
});

test("gitclone's own develop option and zc.recipe.egg:develop parts are not [buildout] develop", async () => {
  await checkOnly(`
#- /software.cfg
[buildout]
parts = repo

[repo]
recipe = slapos.recipe.build:gitclone
repository = https://lab.example.invalid/repo.git
revision = 8aa4693fd17234a0f14d9632a372ccc01de98270
develop = true

[repo-egg]
recipe = zc.recipe.egg:develop
setup = \${repo:location}
`);
});

test('in development mode develop is information', async () => {
  await checkOnly(`
#- /software-dev.cfg
[buildout]
parts =
develop = \${:directory}/src/a
#^^^^^^^^^^^^^^^^^^^^^^^^^^^^ information[develop-option]: [buildout] develop builds the develop egg from /src/a: a release must not use develop eggs. Remove \`develop\` and pin the eggs in [versions].
`, { mode: 'development' });
});
