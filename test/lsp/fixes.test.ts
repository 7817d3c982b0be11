// Quick fixes and commands over the real server: each produces the exact edit, online work goes through a
// command with progress and cancellation, untrusted workspaces do no network or process work, and paste
// and freeze arrive as ONE workspace/applyEdit. Git runs against a real repository in a temp directory;
// nothing reaches the internet.

import { after, before, describe, test } from 'node:test';
import * as assert from 'assert/strict';
import { execFileSync } from 'child_process';
import * as http from 'http';
import * as path from 'path';
import { AddressInfo } from 'net';
import { CodeAction, Command, TextDocumentEdit } from 'vscode-languageserver-protocol/node';
import { Commands } from '../../server/src/protocol';
import { TestClient, fileUri, makeWorkspace } from './client';

const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.invalid', '-c', 'commit.gpgsign=false', ...args], { encoding: 'utf8' }).trim();

function makeRepository(dir: string): string {
  const repo = path.join(dir, 'demo.git');
  git('init', '-q', '-b', 'master', repo);
  git('-C', repo, 'commit', '-q', '--allow-empty', '-m', 'one');
  git('-C', repo, 'commit', '-q', '--allow-empty', '-m', 'two');
  return git('-C', repo, 'rev-parse', 'HEAD');
}

const PROFILE = (repository: string) => `[buildout]
parts = app repo

[app]
recipe = zc.recipe.egg
eggs = demo.app

[repo]
recipe = slapos.recipe.build:gitclone
repository = ${repository}
branch = master

[versions]
zc.recipe.egg = 2.0.7
slapos.recipe.build = 0.1
`;

const PICKED = [
  'Versions had to be automatically picked.',
  'The following part definition lists the versions picked:',
  '[versions]',
  'demo.app = 1.2.0',
  '',
  '# Required by:',
  '# demo.app==1.2.0',
  'demo-helper = 0.3',
  '',
].join('\n');

const isAction = (a: CodeAction | Command): a is CodeAction => 'kind' in a || 'edit' in a || 'diagnostics' in a;

describe('quick fixes and commands', () => {
  let dir: string;
  let head: string;
  let client: TestClient;
  let profile: string;
  before(async () => {
    dir = makeWorkspace({});
    head = makeRepository(dir);
    profile = path.join(dir, 'software.cfg');
    require('fs').writeFileSync(profile, PROFILE(path.join(dir, 'demo.git')));
    client = await TestClient.start({ folders: [dir] });
    await client.open(profile);
    await client.diagnostics(profile, (d) => d.length === 2);
  });
  after(async () => { await client.stop(); });

  const finding = (code: string) => client.latest(profile)!.diagnostics.find((d) => d.code === code)!;

  test('unpinned-egg offers the paste-versions command (the client fills in profile and text)', async () => {
    const d = finding('unpinned-egg');
    assert.deepEqual(d.data, { root: profile, finding: { egg: 'demo.app', key: 'demo-app', part: 'app', option: 'eggs', versionsSection: 'versions', versionsFile: profile } });
    const actions = (await client.codeActions(profile, d.range, [d])).filter(isAction);
    const paste = actions.find((a) => a.command?.command === Commands.pasteVersions);
    assert.ok(paste, JSON.stringify(actions));
    assert.equal(paste.kind, 'quickfix');
    assert.deepEqual(paste.command!.arguments ?? [], []);
  });

  test('related information points at the effective versions section', () => {
    const d = finding('unpinned-egg');
    assert.deepEqual(d.relatedInformation, [{ location: { uri: fileUri(profile), range: { start: { line: 12, character: 1 }, end: { line: 12, character: 9 } } }, message: 'the effective versions section for software.cfg' }]);
  });

  test('development mode makes freeze findings informational, and the status says so', async () => {
    const start = client.publications.length;
    await client.changeSettings({ mode: 'development' });
    const p = await client.diagnostics(profile, (ds) => ds.length === 2 && ds.every((x) => x.severity === 3), start);
    assert.ok(p);
    await client.waitFor('the development status', () => client.statuses.some((s) => s.mode === 'development'));
    await client.changeSettings({ mode: 'auto' });
    await client.diagnostics(profile, (ds) => ds.length === 2 && ds.every((x) => x.severity === 2), start);
  });

  test('untagged-repository offers a command (git is online work), not an edit', async () => {
    const d = finding('untagged-repository');
    const actions = (await client.codeActions(profile, d.range, [d], ['quickfix'])).filter(isAction);
    assert.equal(actions.length, 1, JSON.stringify(actions));
    assert.equal(actions[0].edit, undefined);
    assert.equal(actions[0].command!.command, Commands.pinRepository);
    assert.match(actions[0].title, /Pin \[repo\]/);
  });

  test('pinRepository runs git ls-remote with progress and applies exactly `revision = <head>`', async () => {
    const d = finding('untagged-repository');
    const [action] = (await client.codeActions(profile, d.range, [d], ['quickfix'])).filter(isAction);
    const edits = client.appliedEdits.length;
    const progress = client.progress.length;
    const result = await client.executeCommand(action.command!.command, action.command!.arguments!) as { applied: boolean };
    assert.equal(result.applied, true);
    assert.equal(client.appliedEdits.length, edits + 1);
    const change = client.appliedEdits[edits].edit.documentChanges![0] as TextDocumentEdit;
    assert.equal(change.textDocument.uri, fileUri(profile));
    assert.equal(change.textDocument.version, 1);
    assert.equal(change.edits.length, 1);
    assert.match((change.edits[0] as { newText: string }).newText, new RegExp(`revision = ${head}`));
    assert.equal(client.text(profile), PROFILE(path.join(dir, 'demo.git')).replace('branch = master\n', `branch = master\nrevision = ${head}\n`));
    const kinds = client.progress.slice(progress).map((p) => p.value.kind);
    assert.deepEqual([kinds[0], kinds[kinds.length - 1]], ['begin', 'end']);
    await client.diagnostics(profile, (ds) => !ds.some((x) => x.code === 'untagged-repository'));
  });

  test('pasteVersions applies one edit with the picked pins after the existing ones', async () => {
    const edits = client.appliedEdits.length;
    const messages = client.messages.length;
    const result = await client.executeCommand(Commands.pasteVersions, [fileUri(profile), PICKED]) as { applied: boolean; added: { name: string }[] };
    assert.equal(result.applied, true);
    assert.deepEqual(result.added.map((p) => p.name), ['demo.app', 'demo-helper']);
    assert.equal(client.appliedEdits.length, edits + 1);
    const text = client.text(profile)!;
    assert.ok(text.endsWith('[versions]\nzc.recipe.egg = 2.0.7\nslapos.recipe.build = 0.1\ndemo.app = 1.2.0\ndemo-helper = 0.3\n'), text);
    assert.match(client.messages.slice(messages).join('\n'), /2 pins added/);
    await client.diagnostics(profile, (ds) => ds.length === 0);
    // Pasting again changes nothing: both are duplicates now.
    const again = await client.executeCommand(Commands.pasteVersions, [fileUri(profile), PICKED]) as { applied: boolean; duplicates: unknown[] };
    assert.equal(again.applied, false);
    assert.equal(again.duplicates.length, 2);
    assert.equal(client.appliedEdits.length, edits + 1);
  });

  test('freezeProfile applies every fix as ONE workspace edit and ends with a summary', async () => {
    const original = PROFILE(path.join(dir, 'demo.git'));
    await client.change(profile, original);
    await client.diagnostics(profile, (d) => d.length === 2);
    const edits = client.appliedEdits.length;
    const messages = client.messages.length;
    const result = await client.executeCommand(Commands.freezeProfile, [fileUri(profile), PICKED]) as { applied: boolean; changed: string[]; blocking: string[] };
    assert.equal(result.applied, true, JSON.stringify(result));
    assert.equal(client.appliedEdits.length, edits + 1, 'one applyEdit');
    const doc = client.appliedEdits[edits].edit.documentChanges!;
    assert.equal(doc.length, 1);
    const text = client.text(profile)!;
    assert.ok(text.includes(`revision = ${head}`), text);
    assert.ok(text.includes('demo.app = 1.2.0'), text);
    assert.deepEqual(result.blocking, []);
    assert.equal(result.changed.length, 3, JSON.stringify(result.changed));
    assert.match(client.messages.slice(messages).join('\n'), /3 changes; the profile is frozen/);
    await client.diagnostics(profile, (d) => d.length === 0);
  });

  test('a refused edit is reported, not lost', async () => {
    const other = await TestClient.start({ folders: [dir], refuseEdits: true });
    try {
      const file = path.join(dir, 'software.cfg');
      await other.open(file, PROFILE(path.join(dir, 'demo.git')));
      await other.diagnostics(file, (d) => d.length === 2);
      const result = await other.executeCommand(Commands.pasteVersions, [fileUri(file), PICKED]) as { applied: boolean; message: string };
      assert.equal(result.applied, false);
      assert.match(result.message, /refused by the test/);
      assert.equal(other.appliedEdits.length, 1);
    } finally {
      await other.stop();
    }
  });
});

describe('online work: cancellation and trust', () => {
  test('cancelling the progress of a git lookup stops it and applies nothing', async () => {
    // A "git server" that accepts the connection and never answers.
    const sockets: import('net').Socket[] = [];
    const server = http.createServer(() => { /* never answers */ });
    server.on('connection', (s) => sockets.push(s));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/demo.git`;
    const dir = makeWorkspace({ 'software.cfg': PROFILE(url) });
    const file = path.join(dir, 'software.cfg');
    const client = await TestClient.start({ folders: [dir], settings: { downloadTimeoutSeconds: 60 } });
    try {
      await client.open(file);
      const d = (await client.diagnostics(file, (ds) => ds.some((x) => x.code === 'untagged-repository'))).diagnostics.find((x) => x.code === 'untagged-repository')!;
      const [action] = (await client.codeActions(file, d.range, [d], ['quickfix'])).filter(isAction);
      const started = performance.now();
      const running = client.executeCommand(action.command!.command, action.command!.arguments!);
      const begin = await client.waitFor('progress begin', () => client.progress.find((p) => p.value.kind === 'begin'));
      await client.waitFor('the git request', () => sockets.length > 0);
      await client.cancelProgress(begin.token);
      const result = await running as { applied: boolean; message: string };
      assert.deepEqual(result, { applied: false, message: 'cancelled' });
      assert.ok(performance.now() - started < 10000);
      assert.equal(client.appliedEdits.length, 0);
      assert.ok(client.progress.some((p) => p.token === begin.token && p.value.kind === 'end'));
    } finally {
      await client.stop();
      for (const s of sockets) s.destroy();
      server.close();
    }
  });

  test('an untrusted workspace gets no online fix and runs no git', async () => {
    const dir = makeWorkspace({});
    makeRepository(dir);
    const file = path.join(dir, 'software.cfg');
    require('fs').writeFileSync(file, PROFILE(path.join(dir, 'demo.git')));
    const client = await TestClient.start({ folders: [dir], trusted: false });
    try {
      await client.open(file);
      const d = (await client.diagnostics(file, (ds) => ds.length === 2)).diagnostics.find((x) => x.code === 'untagged-repository')!;
      const actions = (await client.codeActions(file, d.range, [d], ['quickfix'])).filter(isAction);
      assert.equal(actions.length, 1);
      assert.match(actions[0].disabled?.reason ?? '', /not trusted/);
      const result = await client.executeCommand(Commands.pinRepository, [fileUri(file), 'repo']) as { applied: boolean; message: string };
      assert.equal(result.applied, false);
      assert.match(result.message, /not trusted/);
      const frozen = await client.executeCommand(Commands.freezeProfile, [fileUri(file)]) as { applied: boolean; blocking: string[] };
      assert.ok(frozen.blocking.some((b) => /untagged-repository/.test(b)), JSON.stringify(frozen));
      assert.ok(!client.text(file)!.includes('revision'));
    } finally {
      await client.stop();
    }
  });
});

describe('md5sum fixes', () => {
  const md5 = (text: string | Buffer) => require('crypto').createHash('md5').update(text).digest('hex') as string;
  const BODY = Buffer.from('the archive bytes\n'.repeat(1000));
  const TEMPLATE = '[buildout]\nparts = x\n';
  const profileText = (port: number) => `[buildout]
parts = template remote other

[template]
recipe = slapos.recipe.template
url = \${:_profile_base_location_}/instance.cfg.in
output = \${buildout:directory}/instance.cfg
md5sum = 0123456789abcdef0123456789abcdef

[other]
recipe = slapos.recipe.template
url = \${:_profile_base_location_}/instance.cfg.in
output = \${buildout:directory}/other.cfg

[remote]
recipe = slapos.recipe.build:download
url = http://127.0.0.1:${port}/file.tar.gz

[versions]
slapos.recipe.template = 1
slapos.recipe.build = 1
`;
  let server: http.Server;
  let port: number;
  const requests: string[] = [];
  before(async () => {
    server = http.createServer((req, res) => { requests.push(req.url!); res.setHeader('content-length', BODY.length); res.end(BODY); });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    port = (server.address() as AddressInfo).port;
  });
  after(() => { server.close(); });

  async function start(trusted = true) {
    const dir = makeWorkspace({ 'software.cfg': profileText(port), 'instance.cfg.in': TEMPLATE });
    const file = path.join(dir, 'software.cfg');
    const client = await TestClient.start({ folders: [dir], trusted });
    await client.open(file);
    const p = await client.diagnostics(file, (d) => d.length === 3);
    const byPart = (part: string) => p.diagnostics.find((d) => (d.data as { finding: { part: string } }).finding.part === part)!;
    return { client, file, byPart };
  }

  test('md5sum-mismatch of a local file: the code action carries the exact edit', async () => {
    const { client, file, byPart } = await start();
    try {
      const d = byPart('template');
      assert.equal(d.code, 'md5sum-mismatch');
      const actions = (await client.codeActions(file, d.range, [d], ['quickfix'])).filter(isAction);
      assert.equal(actions.length, 1, JSON.stringify(actions));
      assert.equal(actions[0].command, undefined);
      const [change] = actions[0].edit!.documentChanges! as TextDocumentEdit[];
      assert.deepEqual(change.edits, [{ range: d.range, newText: md5(TEMPLATE) }]);
      assert.equal(change.textDocument.version, 1);
      assert.equal(client.applyWorkspaceEdit(actions[0].edit!), undefined);
      await client.diagnostics(file, (ds) => ds.length === 2 && !ds.some((x) => x.code === 'md5sum-mismatch'));
    } finally { await client.stop(); }
  });

  test('editing a template, in the editor or on disk, re-checks the md5sum of the root that renders it', async () => {
    const { client, file, byPart } = await start();
    try {
      const template = path.join(path.dirname(file), 'instance.cfg.in');
      const d = byPart('template');
      const [action] = (await client.codeActions(file, d.range, [d], ['quickfix'])).filter(isAction);
      client.applyWorkspaceEdit(action.edit!);
      await client.diagnostics(file, (ds) => ds.length === 2);
      await client.open(template);
      await client.diagnostics(template, (ds) => ds.length === 0);
      await client.change(template, TEMPLATE + '# edited\n');
      const p = await client.diagnostics(file, (ds) => ds.some((x) => x.code === 'md5sum-mismatch'));
      assert.match(String(p.diagnostics.find((x) => x.code === 'md5sum-mismatch')!.message), new RegExp(md5(TEMPLATE + '# edited\n').slice(0, 12)));
      assert.deepEqual(client.latest(template)!.diagnostics, [], 'the template itself is not checked as a profile');
      await client.change(template, TEMPLATE);
      await client.diagnostics(file, (ds) => ds.length === 2);
      await client.close(template);
      require('fs').writeFileSync(template, TEMPLATE + 'x');
      await client.fileChanged(template);
      await client.diagnostics(file, (ds) => ds.some((x) => x.code === 'md5sum-mismatch'));
    } finally { await client.stop(); }
  });

  test('source.fixAll computes every offline md5sum fix of the file, and no download', async () => {
    const { client, file, byPart } = await start();
    try {
      const before = requests.length;
      const actions = (await client.codeActions(file, byPart('template').range, [], ['source.fixAll'])).filter(isAction);
      assert.equal(actions.length, 1, JSON.stringify(actions));
      assert.equal(actions[0].kind, 'source.fixAll.buildout-freeze');
      const [change] = actions[0].edit!.documentChanges! as TextDocumentEdit[];
      assert.deepEqual(change.edits.map((e) => (e as { newText: string }).newText).sort(), [`\nmd5sum = ${md5(TEMPLATE)}`, md5(TEMPLATE)].sort());
      assert.equal(requests.length, before);
      client.applyWorkspaceEdit(actions[0].edit!);
      const p = await client.diagnostics(file, (ds) => ds.length === 1);
      assert.equal((p.diagnostics[0].data as { finding: { part: string } }).finding.part, 'remote');
    } finally { await client.stop(); }
  });

  test('missing-md5sum of a download: a command downloads it from 127.0.0.1 with progress and inserts the md5sum', async () => {
    const { client, file, byPart } = await start();
    try {
      const d = byPart('remote');
      const actions = (await client.codeActions(file, d.range, [d], ['quickfix'])).filter(isAction);
      assert.equal(actions.length, 1);
      assert.equal(actions[0].edit, undefined);
      assert.equal(actions[0].command!.command, Commands.computeMd5sum);
      const before = requests.length;
      const result = await client.executeCommand(actions[0].command!.command, actions[0].command!.arguments!) as { applied: boolean };
      assert.equal(result.applied, true);
      assert.deepEqual(requests.slice(before), ['/file.tar.gz']);
      assert.equal(client.text(file), profileText(port).replace(`file.tar.gz\n`, `file.tar.gz\nmd5sum = ${md5(BODY)}\n`));
      assert.ok(client.progress.some((p) => p.value.kind === 'begin') && client.progress.some((p) => p.value.kind === 'end'));
      await client.diagnostics(file, (ds) => ds.length === 2 && !ds.some((x) => (x.data as { finding: { part: string } }).finding.part === 'remote'));
    } finally { await client.stop(); }
  });

  test('the short form [fileUri, offset] of computeMd5sum finds the download at that offset', async () => {
    const { client, file } = await start();
    try {
      const text = client.text(file)!;
      const result = await client.executeCommand(Commands.computeMd5sum, [fileUri(file), text.indexOf('http://')]) as { applied: boolean };
      assert.equal(result.applied, true);
      assert.ok(client.text(file)!.includes(`md5sum = ${md5(BODY)}`));
    } finally { await client.stop(); }
  });

  test('untrusted: local md5sums are still fixed, the download is offered disabled and never made', async () => {
    const { client, file, byPart } = await start(false);
    try {
      const before = requests.length;
      const local = (await client.codeActions(file, byPart('template').range, [byPart('template')], ['quickfix'])).filter(isAction);
      assert.ok(local[0].edit);
      const remote = (await client.codeActions(file, byPart('remote').range, [byPart('remote')], ['quickfix'])).filter(isAction);
      assert.match(remote[0].disabled?.reason ?? '', /not trusted/);
      const result = await client.executeCommand(Commands.computeMd5sum, remote[0].command!.arguments!) as { applied: boolean };
      assert.equal(result.applied, false);
      assert.equal(requests.length, before);
    } finally { await client.stop(); }
  });
});
