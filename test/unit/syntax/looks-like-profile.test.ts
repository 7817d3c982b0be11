// Which files are buildout profiles and which are templates (jinja, nginx, haproxy...), judged from the
// text alone: both front ends skip buildout's syntax errors for templates.

import { test } from 'node:test';
import * as assert from 'assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { hasTemplateName, judgeProfileText, looksLikeProfile } from '../../../server/src/syntax/looks-like-profile';

const cases: [string, string, boolean][] = [
  ['a profile', '[buildout]\nparts = a\n', true],
  ['comments and blank lines first', '\n# comment\n; other\n\n[versions]\n', true],
  ['a byte-order mark first', '\ufeff[buildout]\n', true],
  ['an empty file', '', true],
  ['an inline template indented under an option', '[t]\ninline =\n  {% if x %}\n  {{ y }}\n  {% endif %}\n', true],
  ['jinja before the first section', '{% set x = 1 %}\n[buildout]\n', false],
  ['jinja in column 0 after a section', '[buildout]\nparts =\n{% for p in parts %}\n  {{ p }}\n{% endfor %}\n', false],
  ['a jinja comment in column 0', '[buildout]\n{# note #}\n', false],
  ['an nginx configuration', 'server {\n  listen 80;\n}\n', false],
  ['a haproxy configuration', 'global\n  maxconn 10\n', false],
  ['an option before any section', 'x = 1\n[buildout]\n', false],
];

for (const [name, text, profile] of cases) {
  test(`${name}: ${profile ? 'a profile' : 'a template'}`, () => {
    assert.equal(looksLikeProfile(text), profile, JSON.stringify(judgeProfileText(text)));
  });
}

test('the verdict says which line decided', () => {
  assert.deepEqual(judgeProfileText('# c\n\nglobal\n'), { profile: false, reason: 'the first line that is not blank or a comment is not a [section] header', line: 2 });
});

test('template input names', () => {
  for (const f of ['instance.cfg.in', 'haproxy.cfg.in', 'x.jinja2', 'y.j2', 'monitor.jinja']) assert.ok(hasTemplateName(f), f);
  for (const f of ['software.cfg', 'buildout.cfg', 'instance.cfg', 'buildout.hash.cfg']) assert.ok(!hasTemplateName(f), f);
});

const CORPUS = '/work/shared/corpus/slapos';
test('over the SlapOS corpus: every profile an extends chain or a software release uses reads as a profile', { skip: !fs.existsSync(CORPUS) }, () => {
  const walk = (dir: string): string[] => fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]);
  const cfgs = walk(CORPUS).filter((f) => f.endsWith('.cfg'));
  const templates = cfgs.filter((f) => !looksLikeProfile(fs.readFileSync(f, 'utf8')));
  // The *.cfg files judged templates all hold jinja in column 0 (instance profiles rendered by jinja2).
  for (const f of templates) assert.match(fs.readFileSync(f, 'utf8'), /^(\{%|\{\{|\{#)/m, f);
  for (const f of cfgs.filter((f) => /\/(software[^/]*|buildout)\.cfg$/.test(f))) assert.ok(looksLikeProfile(fs.readFileSync(f, 'utf8')), f);
});
