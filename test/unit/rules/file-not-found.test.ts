// file-not-found: local files named by installed downloads, templates, patches, hooks and hash-file
// entries that do not exist; remote URLs and parts that are not installed are never judged.

import { test } from 'node:test';
import { checkFixture } from '../../harness/fixture';
import { onlyRules } from '../../harness/only-rules';

const MD5_RULES = onlyRules('missing-md5sum', 'md5sum-mismatch', 'file-not-found');

test('a hash-file entry names a file that does not exist (the powerdns case)', async () => {
  await checkFixture(`
#- /software/dns/software.cfg
[buildout]
extends = buildout.hash.cfg
parts = iso-list
[iso-list]
recipe = slapos.recipe.build:download
url = \${:_profile_base_location_}/\${:_update_hash_filename_}
#- /software/dns/buildout.hash.cfg
[iso-list]
_update_hash_filename_ = template/zz.countries.rbldnsd
#                        ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ error[file-not-found]: template/zz.countries.rbldnsd does not exist: [iso-list] downloads it, so buildout stops.
md5sum = c4dc8c141d81b92d92cdb82ca67a13ee
`, { severity: MD5_RULES });
});

test('a missing template without md5sum is only file-not-found; a missing patch is found too', async () => {
  await checkFixture(`
#- /software.cfg
[buildout]
parts = instance lib
[instance]
recipe = slapos.recipe.template
url = \${:_profile_base_location_}/instance.cfg.in
#     ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ error[file-not-found]: instance.cfg.in does not exist: [instance] renders it, so buildout stops.
output = \${buildout:directory}/instance.cfg
[lib]
recipe = slapos.recipe.cmmi
url = https://example.invalid/lib.tar.gz
md5sum = 0123456789abcdef0123456789abcdef
patches = \${:_profile_base_location_}/patches/gone.patch#0123456789abcdef0123456789abcdef
#         ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ error[file-not-found]: patches/gone.patch does not exist: [lib] applies it as a patch, so buildout stops.
`, { severity: MD5_RULES });
});

test('parts that are not installed and remote URLs are never judged', async () => {
  await checkFixture(`
#- /software.cfg
[buildout]
parts = remote
[remote]
recipe = slapos.recipe.build:download
url = https://example.invalid/missing-everywhere.tar.gz
md5sum = 0123456789abcdef0123456789abcdef
[not-installed]
recipe = slapos.recipe.template
url = \${:_profile_base_location_}/nowhere.in
md5sum = 0123456789abcdef0123456789abcdef
output = \${buildout:directory}/nowhere
`, { severity: MD5_RULES });
});

test('a hash entry naming another file than the part downloads is a warning: buildout works, update-hash cannot', async () => {
  await checkFixture(`
#- /software.cfg
[buildout]
extends = buildout.hash.cfg
parts = template
[template]
recipe = slapos.recipe.template
url = \${:_profile_base_location_}/instance.cfg
output = \${buildout:directory}/template.cfg
#- /buildout.hash.cfg
[template]
filename = instance-old.cfg
#          ^^^^^^^^^^^^^^^^ warning[file-not-found]: instance-old.cfg does not exist: this buildout.hash.cfg entry names it, while [template] downloads another file; update-hash cannot compute the entry.
md5sum = {{md5 /instance.cfg}}
#- /instance.cfg
[buildout]
`, { severity: MD5_RULES });
});
