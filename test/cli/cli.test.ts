// The command line as a user runs it: the real `bin/buildout-freeze.js` spawned on real files, checking
// the output formats, the exit statuses, annotate's JSON, and freeze's diff and --write.

import { test } from 'node:test';
import * as assert from 'assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { spawnSync } from 'child_process';
import { REPO_ROOT } from '../harness/corpus';

const BIN = path.join(REPO_ROOT, 'bin', 'buildout-freeze.js');

function run(args: string[], cwd: string, input?: string) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', input, timeout: 60000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function tree(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bf-cli-'));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

const RELEASE = {
  'software.cfg': `[buildout]
extends = stack.cfg
parts = app

[app]
recipe = zc.recipe.egg
eggs =
  requests
  hello.app

[versions]
hello.app = 1.0
`,
  'stack.cfg': `[buildout]
allow-picked-versions = false

[versions]
zc.recipe.egg = 2.0.7
`,
};

test('check: text output is file:line:col: severity [rule] message, a summary, and exit 1 on a warning', () => {
  const dir = tree(RELEASE);
  const r = run(['check', 'software.cfg'], dir);
  assert.equal(r.code, 1, r.stderr);
  const lines = r.stdout.trim().split('\n');
  assert.match(lines[0], /^software\.cfg:8:3: warning \[unpinned-egg\] requests is not pinned in \[versions\]/);
  assert.equal(lines[lines.length - 1], '0 errors, 1 warning, 0 information in 1 file (1 root profile checked)');
});

test('check: --fail-on error and never change only the exit status', () => {
  const dir = tree(RELEASE);
  assert.equal(run(['check', '--fail-on', 'error', 'software.cfg'], dir).code, 0);
  assert.equal(run(['check', '--fail-on', 'never', 'software.cfg'], dir).code, 0);
  assert.equal(run(['check', '--severity', 'unpinned-egg=error', '--fail-on', 'error', 'software.cfg'], dir).code, 1);
});

test('check: JSON has 0-based LSP ranges, paths relative to the working directory, and the root profile', () => {
  const dir = tree(RELEASE);
  const r = run(['check', '--format', 'json', '.'], dir);
  assert.equal(r.code, 1);
  const json = JSON.parse(r.stdout) as { findings: { file: string; range: unknown; severity: string; code: string; profile: string }[] };
  assert.equal(json.findings.length, 1);
  const f = json.findings[0];
  assert.deepEqual({ file: f.file, range: f.range, severity: f.severity, code: f.code, profile: f.profile },
    { file: 'software.cfg', range: { start: { line: 7, character: 2 }, end: { line: 7, character: 10 } }, severity: 'warning', code: 'unpinned-egg', profile: 'software.cfg' });
});

test('check: SARIF 2.1.0 with 1-based regions and rule descriptions', () => {
  const dir = tree(RELEASE);
  const sarif = JSON.parse(run(['check', '--format', 'sarif', 'software.cfg'], dir).stdout);
  assert.equal(sarif.version, '2.1.0');
  const result = sarif.runs[0].results[0];
  assert.equal(result.ruleId, 'unpinned-egg');
  assert.equal(result.level, 'warning');
  assert.deepEqual(result.locations[0].physicalLocation.region, { startLine: 8, startColumn: 3, endLine: 8, endColumn: 11 });
  assert.ok(sarif.runs[0].tool.driver.rules.some((r: { id: string }) => r.id === 'md5sum-mismatch'));
});

test('check: development mode makes freeze findings information and exits 0', () => {
  const dir = tree(RELEASE);
  const r = run(['check', '--mode', 'development', 'software.cfg'], dir);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /information \[unpinned-egg\]/);
});

test('usage and I/O errors exit 2 with a clear message on stderr', () => {
  const dir = tree(RELEASE);
  for (const [args, message] of [
    [['check'], /needs at least one PATH/],
    [['check', '--format', 'xml', 'software.cfg'], /--format must be text, json or sarif/],
    [['check', 'missing.cfg'], /missing\.cfg: no such file or folder/],
    [['check', '--bogus', 'software.cfg'], /Unknown option '--bogus'/],
    [['frobnicate'], /unknown command frobnicate/],
    [['annotate', 'missing.cfg'], /no such profile file/],
  ] as [string[], RegExp][]) {
    const r = run(args, dir);
    assert.equal(r.code, 2, args.join(' '));
    assert.match(r.stderr, message);
    assert.equal(r.stdout, '');
  }
});

test('check: a template named on the command line is not judged as a profile; a profile beside it is', () => {
  const dir = tree({
    ...RELEASE,
    'instance-app.cfg.jinja2.in': `{% set port = slapparameter_dict.get('port', 8080) %}
[buildout]
parts = app
{% for name in names %}
[{{ name }}]
port = {{ port }}
{% endfor %}
`,
  });
  const alone = run(['check', '--format', 'json', 'instance-app.cfg.jinja2.in'], dir);
  assert.equal(alone.code, 0, alone.stderr);
  assert.deepEqual(JSON.parse(alone.stdout).findings, []);
  assert.match(alone.stderr, /instance-app\.cfg\.jinja2\.in is not a buildout profile \(line 1: a line starts with jinja markup\); not checked/);
  const both = run(['check', 'instance-app.cfg.jinja2.in', 'software.cfg'], dir);
  assert.equal(both.code, 1);
  assert.doesNotMatch(both.stdout, /syntax-error/);
  assert.match(both.stdout, /\[unpinned-egg\] requests/);
});

test('check: a fragment is judged in the nearest root that extends it, as the editor judges it', () => {
  const dir = tree({
    'software/app/software.cfg': `[buildout]
extends =
  ../../stack/base.cfg
  ../../component/tool/buildout.cfg
parts = tool instance-profile

[instance-profile]
recipe = slapos.recipe.template
url = \${:_profile_base_location_}/instance.cfg
md5sum = 00000000000000000000000000000000
output = \${buildout:directory}/instance.cfg
`,
    'software/app/instance.cfg': `[buildout]
extends = \${monitor-template:output}
parts = promise
`,
    'stack/base.cfg': `[buildout]
allow-picked-versions = false

[versions]
slapos.recipe.cmmi = 0.20
zc.recipe.egg = 2.0.7
`,
    'component/tool/buildout.cfg': `[tool]
recipe = slapos.recipe.cmmi
url = https://example.invalid/tool-1.0.tar.gz
`,
  });
  // Alone, [tool]'s recipe would be unpinned; in software/app it is pinned by the stack, and the only
  // finding in the fragment is its download without an md5sum, judged in the root.
  const r = run(['check', '--format', 'json', 'component/tool/buildout.cfg'], dir);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /component\/tool\/buildout\.cfg is judged in software\/app\/software\.cfg, the nearest of the 1 root profile\(s\) that extend it/);
  const findings = JSON.parse(r.stdout).findings;
  assert.deepEqual(findings.map((f: { file: string; code: string; profile: string }) => [f.file, f.code, f.profile]), [['component/tool/buildout.cfg', 'missing-md5sum', 'software/app/software.cfg']]);
  // A template the root renders is not checked on its own ...
  const t = run(['check', 'software/app/instance.cfg'], dir);
  assert.equal(t.code, 0, t.stderr);
  assert.match(t.stderr, /software\/app\/instance\.cfg is a template that software\/app\/software\.cfg renders, not a profile of its own; not checked/);
  assert.doesNotMatch(t.stdout, /extends-unreadable/);
  // ... and from outside the project (another working directory) the fragment is judged the same way.
  const outside = run(['check', '--format', 'json', path.join(dir, 'component/tool/buildout.cfg')], os.tmpdir());
  assert.deepEqual(JSON.parse(outside.stdout).findings.map((f: { code: string }) => f.code), ['missing-md5sum']);
});

test('annotate: JSON of every option after extends and +=, with the files and lines it came from', () => {
  const dir = tree({
    'a.cfg': '[buildout]\nextends = b.cfg\n\n[s]\nx += two\n',
    'b.cfg': '[s]\nx = one\n',
  });
  const r = run(['annotate', '--format', 'json', 'a.cfg', 's'], dir);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), { sections: { s: { x: { value: 'one\ntwo', origins: [{ file: 'b.cfg', line: 2 }, { file: 'a.cfg', line: 5 }] } } } });
  const text = run(['annotate', 'a.cfg', 's'], dir).stdout;
  assert.match(text, /\[s\]\nx= one\ntwo\n {4}\+= a\.cfg:5\n {4}b\.cfg:2\n/);
});

test('freeze: prints a unified diff of the md5sum and pins it computes; --write writes it and the check passes', () => {
  const dir = tree({
    ...RELEASE,
    'software.cfg': RELEASE['software.cfg'].replace('parts = app', 'parts = app template') + `
[template]
recipe = slapos.recipe.template
url = \${:_profile_base_location_}/template.in
md5sum = 00000000000000000000000000000000
output = \${buildout:directory}/out
`,
    'stack.cfg': RELEASE['stack.cfg'] + 'slapos.recipe.template = 5.1\n',
    'template.in': 'hello\n',
    'picked.txt': 'Versions had to be automatically picked.\nThe following part definition lists the versions picked:\n[versions]\nrequests = 2.31.0\n',
  });
  const before = fs.readFileSync(path.join(dir, 'software.cfg'), 'utf8');
  const diff = run(['freeze', '--versions', 'picked.txt', 'software.cfg'], dir);
  assert.equal(diff.code, 0, diff.stderr);
  assert.match(diff.stdout, /^-md5sum = 00000000000000000000000000000000\n\+md5sum = b1946ac92492d2347c6235b4d2611184$/m);
  assert.match(diff.stdout, /^\+requests = 2\.31\.0$/m);
  assert.equal(fs.readFileSync(path.join(dir, 'software.cfg'), 'utf8'), before, 'without --write nothing is written');
  const write = run(['freeze', '--write', '--versions', 'picked.txt', 'software.cfg'], dir);
  assert.equal(write.code, 0, write.stderr);
  assert.equal(run(['check', 'software.cfg'], dir).code, 0);
});
