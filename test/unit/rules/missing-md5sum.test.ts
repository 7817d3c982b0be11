// missing-md5sum: files that installed parts download with no md5sum, and the look-alikes that must
// stay quiet (macro-only bases, parts not installed, inline templates, files built by other parts).

import { test } from 'node:test';
import { checkFixture } from '../../harness/fixture';
import { onlyRules } from '../../harness/only-rules';

const MD5_RULES = onlyRules('missing-md5sum', 'md5sum-mismatch', 'file-not-found');

test('a remote tarball and a local template without md5sum are reported on their url', async () => {
  await checkFixture(`
#- /software.cfg
[buildout]
parts = yasm instance
[yasm]
recipe = slapos.recipe.cmmi
url = http://www.example.invalid/yasm-1.1.0.tar.gz
#     ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ warning[missing-md5sum]: [yasm] downloads http://www.example.invalid/yasm-1.1.0.tar.gz without an md5sum, so buildout cannot tell a changed or corrupted file from the right one: set \`md5sum\`.
[instance]
recipe = slapos.recipe.template
url = \${:_profile_base_location_}/instance.cfg.in
#     ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ warning[missing-md5sum]: [instance] renders instance.cfg.in without an md5sum, so buildout cannot tell a changed or corrupted file from the right one: set \`md5sum\`.
output = \${buildout:directory}/instance.cfg
#- /instance.cfg.in
[buildout]
parts =
`, { severity: MD5_RULES });
});

test('a hash-file entry with no md5sum is reported on its filename, in the hash file', async () => {
  await checkFixture(`
#- /software/demo/software.cfg
[buildout]
extends =
  buildout.hash.cfg
  ../../component/tool/buildout.cfg
parts = template-tool
#- /software/demo/buildout.hash.cfg
[template-tool]
filename = tool.cfg.in
#          ^^^^^^^^^^^ warning[missing-md5sum]: [template-tool] renders ../../component/tool/tool.cfg.in without an md5sum, so buildout cannot tell a changed or corrupted file from the right one: set \`md5sum\`.
#- /component/tool/buildout.cfg
[template-tool]
recipe = slapos.recipe.template:jinja2
url = \${:_profile_base_location_}/\${:filename}
output = \${buildout:directory}/tool.cfg
#- /component/tool/tool.cfg.in
key = value
`, { severity: MD5_RULES });
});

test('patches and hooks without #md5 are reported on their path', async () => {
  await checkFixture(`
#- /software.cfg
[buildout]
parts = lib
[lib]
recipe = slapos.recipe.cmmi
url = https://example.invalid/lib-1.0.tar.gz
md5sum = 0123456789abcdef0123456789abcdef
patches =
  \${:_profile_base_location_}/fix.patch
# ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ warning[missing-md5sum]: [lib] applies fix.patch as a patch without an md5sum, so buildout cannot tell a changed or corrupted file from the right one: add \`#<md5sum>\` after it.
  \${:_profile_base_location_}/good.patch#{{md5 /good.patch}}
post-make-hook = \${:_profile_base_location_}/hook.py:post_make_hook
#                ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ warning[missing-md5sum]: [lib] runs hook.py as a hook without an md5sum, so buildout cannot tell a changed or corrupted file from the right one: add \`#<md5sum>\` after it.
#- /fix.patch
--- a
+++ b
#- /good.patch
--- c
+++ d
#- /hook.py
def post_make_hook(options, buildout, env): pass
`, { severity: MD5_RULES });
});

test('macro-only bases and sections that are not installed are never reported', async () => {
  await checkFixture(`
#- /software.cfg
[buildout]
parts = archive
[download-base]
recipe = slapos.recipe.build:download
url = https://example.invalid/\${:filename}
[archive]
<= download-base
filename = archive-1.0.tar.gz
md5sum = 0123456789abcdef0123456789abcdef
[unused]
recipe = slapos.recipe.build:download
url = https://example.invalid/unused.tar.gz
`, { severity: MD5_RULES });
});

test('md5sum through a per-architecture option, sha512sum, inline templates and built files are not missing', async () => {
  await checkFixture(`
#- /software.cfg
[buildout]
parts = browser data inline old-inline rendered
[browser]
recipe = slapos.recipe.build:download-unpacked
url = https://example.invalid/browser-\${:_arch}.zip
x86_64-md5sum = 0123456789abcdef0123456789abcdef
[browser:linux and platform.machine() == "x86_64"]
_arch = x86_64
md5sum = \${:x86_64-md5sum}
[data]
recipe = slapos.recipe.build:download
url = https://example.invalid/data.bin
sha512sum = 85a90e46ee72e76a31ee2e74f135f626a2a6101e9d0677ec1deb8e7e57ef2c09e87445ddd7e000d2251adaa1c1e9d7e7469bc657eda4c5949eb576a5872c721e
[inline]
recipe = slapos.recipe.template
inline = hello
output = \${buildout:directory}/hello
[old-inline]
recipe = slapos.recipe.template:jinja2
template = inline:hello
rendered = \${buildout:directory}/hello2
[base-template]
recipe = slapos.recipe.template
url = \${:_profile_base_location_}/base.in
md5sum = {{md5 /base.in}}
output = \${buildout:parts-directory}/base
[rendered]
recipe = slapos.recipe.template:jinja2
url = \${base-template:output}
output = \${buildout:directory}/rendered
#- /base.in
text
`, { severity: MD5_RULES });
});

test("a url inherited from a macro is reported on the part's own file name", async () => {
  await checkFixture(`
#- /software.cfg
[buildout]
parts = one two
[template-base]
recipe = slapos.recipe.template:jinja2
url = \${:_profile_base_location_}/\${:filename}.in
output = \${buildout:directory}/\${:filename}
[one]
<= template-base
filename = one
#          ^^^ warning[missing-md5sum]: [one] renders one.in without an md5sum, so buildout cannot tell a changed or corrupted file from the right one: set \`md5sum\`.
[two]
<= template-base
filename = two
md5sum = {{md5 /two.in}}
#- /one.in
one
#- /two.in
two
`, { severity: MD5_RULES });
});

test('in development mode a missing md5sum is information', async () => {
  await checkFixture(`
#- /software.cfg
[buildout]
parts = yasm
[yasm]
recipe = slapos.recipe.cmmi
url = http://www.example.invalid/yasm-1.1.0.tar.gz
#     ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ information[missing-md5sum]: [yasm] downloads http://www.example.invalid/yasm-1.1.0.tar.gz without an md5sum, so buildout cannot tell a changed or corrupted file from the right one: set \`md5sum\`.
`, { mode: 'development', severity: MD5_RULES });
});
