// md5sum-mismatch: a declared md5sum that is not the md5sum of the local file, wherever the md5sum is
// written (inline, another profile, a buildout.hash.cfg entry, a patch or hook fragment, a
// per-architecture option), and the right ones that must stay quiet.

import { test } from 'node:test';
import { checkFixture } from '../../harness/fixture';
import { onlyRules } from '../../harness/only-rules';

const MD5_RULES = onlyRules('missing-md5sum', 'md5sum-mismatch', 'file-not-found');

test('a wrong inline md5sum of a template is reported on the md5sum, in any mode', async () => {
  for (const mode of ['release', 'development'] as const) {
    await checkFixture(`
#- /software.cfg
[buildout]
parts = instance
[instance]
recipe = slapos.recipe.template
url = \${:_profile_base_location_}/instance.cfg.in
md5sum = d8b833a2054b82b6031a9420008b58fd
#        ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ error[md5sum-mismatch]: md5sum d8b833a2054b82b6031a9420008b58fd does not match instance.cfg.in, whose md5sum is {{md5 /instance.cfg.in}}: buildout stops with "MD5 checksum mismatch" when [instance] renders it.
output = \${buildout:directory}/instance.cfg
#- /instance.cfg.in
[buildout]
parts =
`, { mode, severity: MD5_RULES });
  }
});

test('a stale hash-file entry merged into a section defined in another file is reported in the hash file', async () => {
  await checkFixture(`
#- /software/demo/software.cfg
[buildout]
extends =
  ../../stack/base/buildout.cfg
parts = template
#- /stack/base/buildout.cfg
[buildout]
extends = buildout.hash.cfg
[template]
recipe = slapos.recipe.template:jinja2
url = \${:_profile_base_location_}/\${:filename}
output = \${buildout:directory}/template.cfg
#- /stack/base/buildout.hash.cfg
# THIS IS NOT A BUILDOUT FILE
[template]
filename = instance.cfg.in
md5sum = 00000000000000000000000000000000
#        ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ error[md5sum-mismatch]: md5sum 00000000000000000000000000000000 does not match instance.cfg.in, whose md5sum is {{md5 /stack/base/instance.cfg.in}}: buildout stops with "MD5 checksum mismatch" when [template] renders it.
#- /stack/base/instance.cfg.in
[instance]
`, { severity: MD5_RULES });
});

test('a hash-file entry without filename names the file by its section', async () => {
  await checkFixture(`
#- /software.cfg
[buildout]
extends = buildout.hash.cfg
parts = schema.json good.json
[download-base]
recipe = slapos.recipe.build:download
url = \${:_profile_base_location_}/\${:_buildout_section_name_}
[schema.json]
<= download-base
[good.json]
<= download-base
#- /buildout.hash.cfg
[schema.json]
md5sum = 11111111111111111111111111111111
#        ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ error[md5sum-mismatch]: md5sum 11111111111111111111111111111111 does not match schema.json, whose md5sum is {{md5 /schema.json}}: buildout stops with "MD5 checksum mismatch" when [schema.json] downloads it.
[good.json]
md5sum = {{md5 /good.json}}
#- /schema.json
{}
#- /good.json
[]
`, { severity: MD5_RULES });
});

test('an md5sum set in another file than the url is reported where it is written', async () => {
  await checkFixture(`
#- /software/app/software.cfg
[buildout]
extends = ../../component/app/buildout.cfg
parts = app-template
[app-template]
md5sum = 22222222222222222222222222222222
#        ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ error[md5sum-mismatch]: md5sum 22222222222222222222222222222222 does not match ../../component/app/app.cfg.in, whose md5sum is {{md5 /component/app/app.cfg.in}}: buildout stops with "MD5 checksum mismatch" when [app-template] renders it.
#- /component/app/buildout.cfg
[app-template]
recipe = slapos.recipe.template
url = \${:_profile_base_location_}/app.cfg.in
md5sum = {{md5 /component/app/app.cfg.in}}
output = \${buildout:directory}/app.cfg
#- /component/app/app.cfg.in
app
`, { severity: MD5_RULES });
});

test('patch fragments, the path-md5 pair form and hooks are checked; -= removed patches are not', async () => {
  await checkFixture(`
#- /software.cfg
[buildout]
extends = component.cfg buildout.hash.cfg
parts = lib tool
[lib]
patches +=
  \${:_profile_base_location_}/b.patch#\${b.patch:md5sum}
  \${:_profile_base_location_}/c.patch?full_index=1#{{md5 /c.patch}}
patches -=
  \${:_profile_base_location_}/removed.patch#44444444444444444444444444444444
post-make-hook = \${:_profile_base_location_}/hook.py#55555555555555555555555555555555:post_make_hook
#                                                    ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ error[md5sum-mismatch]: md5sum 55555555555555555555555555555555 does not match hook.py, whose md5sum is {{md5 /hook.py}}: buildout stops with "MD5 checksum mismatch" when [lib] runs it as a hook.
[tool]
recipe = slapos.recipe.build
install = pass
tool-patches = \${:_profile_base_location_}/d.patch 66666666666666666666666666666666
#                                                  ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ error[md5sum-mismatch]: md5sum 66666666666666666666666666666666 does not match d.patch, whose md5sum is {{md5 /d.patch}}: buildout stops with "MD5 checksum mismatch" when [tool] applies it as a patch.
#- /component.cfg
[lib]
recipe = slapos.recipe.cmmi
url = https://example.invalid/lib.tar.gz
md5sum = 0123456789abcdef0123456789abcdef
patches =
  \${:_profile_base_location_}/a.patch#33333333333333333333333333333333
#                                     ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ error[md5sum-mismatch]: md5sum 33333333333333333333333333333333 does not match a.patch, whose md5sum is {{md5 /a.patch}}: buildout stops with "MD5 checksum mismatch" when [lib] applies it as a patch.
  \${:_profile_base_location_}/removed.patch#44444444444444444444444444444444
#- /buildout.hash.cfg
[b.patch]
filename = b.patch
md5sum = 77777777777777777777777777777777
#        ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ error[md5sum-mismatch]: md5sum 77777777777777777777777777777777 does not match b.patch, whose md5sum is {{md5 /b.patch}}: buildout stops with "MD5 checksum mismatch" when [lib] applies it as a patch.
#- /a.patch
a
#- /b.patch
b
#- /c.patch
c
#- /d.patch
d
#- /hook.py
def post_make_hook(options, buildout, env): pass
#- /removed.patch
removed
`, { severity: MD5_RULES });
});

test('a per-architecture md5sum is followed to the option that holds it', async () => {
  await checkFixture(`
#- /software.cfg
[buildout]
parts = data
[data]
recipe = slapos.recipe.build:download
url = \${:_profile_base_location_}/data-\${:_arch}.bin
i686-md5sum = 88888888888888888888888888888888
x86_64-md5sum = 99999999999999999999999999999999
#               ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ error[md5sum-mismatch]: md5sum 99999999999999999999999999999999 does not match data-x86_64.bin, whose md5sum is {{md5 /data-x86_64.bin}}: buildout stops with "MD5 checksum mismatch" when [data] downloads it.
[data:linux and platform.machine() == "x86_64"]
_arch = x86_64
md5sum = \${:x86_64-md5sum}
[data:linux and platform.machine() == "i686"]
_arch = i686
md5sum = \${:i686-md5sum}
#- /data-x86_64.bin
x86_64 data
`, { severity: MD5_RULES });
});

test('uppercase hex and file:// URLs are checked; right md5sums and remote URLs stay quiet', async () => {
  await checkFixture(`
#- /software.cfg
[buildout]
parts = upper local-url remote good
[upper]
recipe = slapos.recipe.build:download
url = \${:_profile_base_location_}/upper.txt
md5sum = 094CD8A9F8FC80977346F2785E22FF2A
#        ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ error[md5sum-mismatch]: md5sum 094CD8A9F8FC80977346F2785E22FF2A does not match upper.txt, whose md5sum is {{md5 /upper.txt}} (it is written in uppercase; buildout compares lowercase hex digits): buildout stops with "MD5 checksum mismatch" when [upper] downloads it.
[local-url]
recipe = slapos.recipe.build:download
url = file://\${:_profile_base_location_}/local.txt
md5sum = aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
#        ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ error[md5sum-mismatch]: md5sum aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa does not match local.txt, whose md5sum is {{md5 /local.txt}}: buildout stops with "MD5 checksum mismatch" when [local-url] downloads it.
[remote]
recipe = slapos.recipe.cmmi
url = https://example.invalid/remote.tar.gz
md5sum = bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb
[good]
recipe = slapos.recipe.template
url = \${:_profile_base_location_}/local.txt
md5sum = {{md5 /local.txt}}
output = \${buildout:directory}/good
#- /upper.txt
upper
#- /local.txt
local
`, { severity: MD5_RULES });
});
