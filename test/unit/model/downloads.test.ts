// The download list itself: what each form records (target, local path, where the name and the md5sum
// are written) and how a command finds the download under the cursor.

import { test } from 'node:test';
import * as assert from 'assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { splitFixture } from '../../harness/fixture';
import { Workspace } from '../../../server/src/workspace/workspace';
import { NodeHost } from '../../../server/src/host/node-host';
import { checkProfile } from '../../../server/src/check';
import { downloadsOf, findDownloadAt } from '../../../server/src/model/downloads';

test('each form records its target and where its name and md5sum are written', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bf-downloads-'));
  try {
    for (const f of splitFixture(`
#- /software.cfg
[buildout]
extends = buildout.hash.cfg
parts = archive template lib
[archive]
recipe = slapos.recipe.build:download-unpacked
url = https://example.invalid/a-1.0.tar.gz
md5sum = 0123456789abcdef0123456789abcdef
[template]
recipe = slapos.recipe.template
url = \${:_profile_base_location_}/\${:filename}
output = \${buildout:directory}/t
[lib]
recipe = slapos.recipe.cmmi
path = /usr/src/lib
patches = \${:_profile_base_location_}/p.patch?full_index=1#fedcba9876543210fedcba9876543210
#- /buildout.hash.cfg
[template]
filename = t.in
md5sum = 11111111111111111111111111111111
`)) fs.writeFileSync(path.join(dir, f.path), f.lines.join('\n') + '\n');
    const ws = new Workspace(new NodeHost());
    const result = await checkProfile(ws, path.join(dir, 'software.cfg'));
    const software = fs.readFileSync(path.join(dir, 'software.cfg'), 'utf8');
    const hashFile = fs.readFileSync(path.join(dir, 'buildout.hash.cfg'), 'utf8');
    const downloads = downloadsOf(ws, result.config);
    const at = (file: string, text: string, needle: string) => ({ file: path.join(dir, file), start: text.indexOf(needle), end: text.indexOf(needle) + needle.length });
    assert.deepEqual(downloads.map((d) => [d.part, d.form, d.option, d.target, d.local ?? null, d.md5?.value ?? null, d.at, d.md5?.at]), [
      ['archive', 'url', 'url', 'https://example.invalid/a-1.0.tar.gz', null, '0123456789abcdef0123456789abcdef',
        at('software.cfg', software, 'https://example.invalid/a-1.0.tar.gz'), at('software.cfg', software, '0123456789abcdef0123456789abcdef')],
      ['template', 'template', 'url', path.join(dir, 't.in'), path.join(dir, 't.in'), '11111111111111111111111111111111',
        at('buildout.hash.cfg', hashFile, 't.in'), at('buildout.hash.cfg', hashFile, '11111111111111111111111111111111')],
      ['lib', 'patch', 'patches', `${dir}/p.patch?full_index=1`, path.join(dir, 'p.patch'), 'fedcba9876543210fedcba9876543210',
        at('software.cfg', software, '${:_profile_base_location_}/p.patch?full_index=1'), at('software.cfg', software, 'fedcba9876543210fedcba9876543210')],
    ]);
    const onHash = findDownloadAt(downloads, path.join(dir, 'buildout.hash.cfg'), hashFile.indexOf('1111') + 3);
    assert.equal(onHash?.part, 'template');
    assert.equal(findDownloadAt(downloads, path.join(dir, 'software.cfg'), software.indexOf('p.patch'))?.part, 'lib');
    assert.equal(findDownloadAt(downloads, path.join(dir, 'software.cfg'), 0), undefined);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
