// How profiles merge across extends: += and -= over several files, macros, versions renames and
// conditional sections, compared with what zc.buildout computes for the same files.

import { test } from 'node:test';
import * as assert from 'assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { splitFixture } from '../../harness/fixture';
import { Workspace } from '../../../server/src/workspace/workspace';
import { NodeHost } from '../../../server/src/host/node-host';
import { loadForTarget } from '../../../server/src/check';

async function load(fixture: string, python = '3.11') {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bf-merge-'));
  const files = splitFixture(fixture);
  for (const f of files) {
    fs.mkdirSync(path.dirname(path.join(dir, f.path)), { recursive: true });
    fs.writeFileSync(path.join(dir, f.path), f.lines.join('\n') + '\n');
  }
  const ws = new Workspace(new NodeHost());
  const { config } = await loadForTarget(ws, path.join(dir, files[0].path), { python });
  return { config, dir };
}

const cases: { name: string; fixture: string; python?: string; expect: Record<string, string | undefined> }[] = [
  {
    name: '+= across three files applies in extends order',
    fixture: `
#- /a.cfg
[buildout]
extends = b.cfg
[s]
x += from-a
#- /b.cfg
[buildout]
extends = c.cfg
[s]
x += from-b
#- /c.cfg
[s]
x = from-c`,
    expect: { 's:x': 'from-c\nfrom-b\nfrom-a' },
  },
  {
    name: '-= removes exact lines; a lone += in a new section becomes =',
    fixture: `
#- /a.cfg
[buildout]
extends = b.cfg
[s]
x -= two
[t]
y += only
#- /b.cfg
[s]
x =
  one
  two
  three`,
    expect: { 's:x': 'one\nthree', 't:y': 'only' },
  },
  {
    name: 'each file is merged once, at its first place in depth-first post-order',
    fixture: `
#- /root.cfg
[buildout]
extends = left.cfg right.cfg
#- /left.cfg
[buildout]
extends = common.cfg
parts = left
#- /right.cfg
[buildout]
extends = common.cfg
#- /common.cfg
[buildout]
parts = common`,
    expect: { 'buildout:parts': 'left' },
  },
  {
    name: 'macros apply bases in order, then the section; += extends the macro value',
    fixture: `
#- /a.cfg
[base]
recipe = r
x = base
y = one
[other]
y = other
[s]
<= base
  other
y += two`,
    expect: { 's:recipe': 'r', 's:y': 'other\ntwo', 's:x': 'base' },
  },
  {
    name: 'conditional sections are evaluated for the target Python',
    python: '2.7',
    fixture: `
#- /a.cfg
[versions]
a = 1
[versions:python2]
a = 2
[versions:python3]
b = 3`,
    expect: { 'versions:a': '2', 'versions:b': undefined },
  },
  {
    name: 'a versions rename selects another section',
    fixture: `
#- /a.cfg
[buildout]
versions = pins
[pins]
a = 1`,
    expect: { 'buildout:versions': 'pins', 'pins:a': '1' },
  },
  {
    name: 'substitution follows ${section:option} and ${:option}; $$ escapes',
    fixture: `
#- /a.cfg
[a]
x = 1
y = \${a:x}-\${:x}-$\${a:x}`,
    expect: { 'a:y': '1-1-$\${a:x}' },
  },
  {
    name: 'profile base location is the directory of the file that holds the text',
    fixture: `
#- /a.cfg
[buildout]
extends = sub/b.cfg
#- /sub/b.cfg
[s]
url = \${:_profile_base_location_}/file.txt`,
    expect: { 's:url': '<dir>/sub/file.txt' },
  },
  {
    name: 'continuation lines: block values keep blank lines, inline values drop them',
    fixture: `
#- /a.cfg
[s]
block =
  one

  two
inline = first
  second

  third
# a column-0 comment inside a value is skipped
  fourth`,
    expect: { 's:block': 'one\n\ntwo', 's:inline': 'first\nsecond\nthird\nfourth' },
  },
];

for (const c of cases) {
  test(c.name, async () => {
    const { config, dir } = await load(c.fixture, c.python);
    for (const [key, want] of Object.entries(c.expect)) {
      const [section, option] = key.split(':');
      const got = config.get(section, option)?.value;
      assert.equal(got, want?.replace('<dir>', dir), key);
    }
  });
}
