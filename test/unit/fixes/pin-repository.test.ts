// pin-repository, end to end: real git repositories made in a temp dir (commits, branches, annotated
// and lightweight tags) reached over file:// URLs, and a 127.0.0.1 server that never answers for the
// timeout and cancellation cases. The edits are applied and the profile is checked again. Nothing here
// reaches the internet.

import { test, after } from 'node:test';
import * as assert from 'assert/strict';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { spawnSync } from 'child_process';
import { pathToFileURL } from 'url';
import { NodeHost } from '../../../server/src/host/node-host';
import { Host } from '../../../server/src/host/host';
import { fixFor } from '../../../server/src/fixes/index';
import { writeTree as writeTreeIn, runFix, applyToDisk, codesAfter } from '../../harness/fixes';
import { onlyRules } from '../../harness/only-rules';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bf-pin-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));
const writeTree = (files: Record<string, string>) => writeTreeIn(tmp, files);

function git(cwd: string, ...args: string[]): string {
  const r = spawnSync('git', ['-c', 'init.defaultBranch=master', '-c', 'commit.gpgsign=false', '-c', 'tag.gpgsign=false', ...args], {
    cwd, encoding: 'utf8',
    env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.invalid', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.invalid', GIT_CONFIG_NOSYSTEM: '1', HOME: tmp },
  });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout.trim();
}

/** A repository with two commits on master (the second tagged), and a `feature` branch one commit ahead. */
function makeRepo(name: string, options: { defaultBranch?: string; annotated?: boolean } = {}) {
  const dir = path.join(tmp, 'repos', name);
  fs.mkdirSync(dir, { recursive: true });
  git(dir, 'init', '-q', '-b', options.defaultBranch ?? 'master');
  fs.writeFileSync(path.join(dir, 'a.txt'), 'one\n');
  git(dir, 'add', 'a.txt');
  git(dir, 'commit', '-q', '-m', 'one');
  fs.writeFileSync(path.join(dir, 'a.txt'), 'two\n');
  git(dir, 'commit', '-q', '-am', 'two');
  if (options.annotated) git(dir, 'tag', '-a', '-m', 'release 1.0', 'v1.0');
  else git(dir, 'tag', 'v1.0');
  const head = git(dir, 'rev-parse', 'HEAD');
  git(dir, 'checkout', '-q', '-b', 'feature');
  fs.writeFileSync(path.join(dir, 'a.txt'), 'three\n');
  git(dir, 'commit', '-q', '-am', 'three');
  const feature = git(dir, 'rev-parse', 'HEAD');
  git(dir, 'checkout', '-q', options.defaultBranch ?? 'master');
  return { dir, url: pathToFileURL(dir).href, head, feature };
}

test('a branch head is written as a full sha1 right after the branch line of the release profile', async () => {
  const repo = makeRepo('branch-head');
  const dir = writeTree({
    'software.cfg': `[buildout]\nparts = app\n\n[app]\nrecipe = slapos.recipe.build:gitclone\nrepository = ${repo.url}\nbranch        = feature\ngit-executable = git\n`,
  });
  const run = await runFix(dir, 'software.cfg', 'untagged-repository');
  assert.ok('title' in run.result);
  assert.equal(run.result.title, `Pin [app] to ${repo.feature.slice(0, 12)} (head of feature)`);
  const texts = applyToDisk(dir, run);
  assert.equal(texts['software.cfg'], `[buildout]\nparts = app\n\n[app]\nrecipe = slapos.recipe.build:gitclone\nrepository = ${repo.url}\nbranch        = feature\nrevision      = ${repo.feature}\ngit-executable = git\n`);
  assert.deepEqual(await codesAfter(dir, 'software.cfg', { severity: onlyRules('untagged-repository') }), []);
});

test('a tagged head is still pinned by sha1 (of the commit, not of an annotated tag object); the tag is named', async () => {
  for (const annotated of [true, false]) {
    const repo = makeRepo(`tagged-${annotated}`, { annotated });
    const dir = writeTree({
      'software.cfg': `[buildout]\nparts = app\n\n[app]\nrecipe = slapos.recipe.build:gitclone\nrepository = ${repo.url}\n`,
    });
    const run = await runFix(dir, 'software.cfg', 'untagged-repository');
    assert.ok('title' in run.result);
    assert.equal(run.result.title, `Pin [app] to ${repo.head.slice(0, 12)} (head of master, tagged v1.0)`);
    const texts = applyToDisk(dir, run);
    assert.equal(texts['software.cfg'], `[buildout]\nparts = app\n\n[app]\nrecipe = slapos.recipe.build:gitclone\nrepository = ${repo.url}\nrevision = ${repo.head}\n`);
    assert.deepEqual(await codesAfter(dir, 'software.cfg', { severity: onlyRules('untagged-repository') }), []);
  }
});

test('a clone its stack defines is pinned by a [section] override in the software release, the stack untouched', async () => {
  const repo = makeRepo('stack');
  const stack = `[buildout]\nparts = app\n\n[app]\nrecipe = slapos.recipe.build:gitclone\nrepository = ${repo.url}\nbranch = master\n`;
  const dir = writeTree({
    'stack/app.cfg': stack,
    'software/app/software.cfg': '[buildout]\nextends = ../../stack/app.cfg\n',
  });
  const run = await runFix(dir, 'software/app/software.cfg', 'untagged-repository');
  assert.equal(path.relative(dir, run.finding.file), path.join('stack', 'app.cfg'));
  const pin = run.finding.data!.pin as { file: string; kind: string };
  assert.equal(path.relative(dir, pin.file), path.join('software', 'app', 'software.cfg'));
  assert.equal(pin.kind, 'new-section');
  const texts = applyToDisk(dir, run);
  assert.deepEqual(texts, { [path.join('software', 'app', 'software.cfg')]: `[buildout]\nextends = ../../stack/app.cfg\n\n[app]\nrevision = ${repo.head}\n` });
  assert.equal(fs.readFileSync(path.join(dir, 'stack/app.cfg'), 'utf8'), stack);
  assert.deepEqual(await codesAfter(dir, 'software/app/software.cfg', { severity: onlyRules('untagged-repository') }), []);
});

test('an existing [section] block of the release receives the revision at its end', async () => {
  const repo = makeRepo('block');
  const dir = writeTree({
    'stack/app.cfg': `[buildout]\nparts = app\n\n[app]\nrecipe = slapos.recipe.build:gitclone\nrepository = ${repo.url}\nbranch = feature\n`,
    'software/app/software.cfg': '[buildout]\nextends = ../../stack/app.cfg\n\n[app]\ngit-executable = git\n\n[other]\nx = 1\n',
  });
  const run = await runFix(dir, 'software/app/software.cfg', 'untagged-repository');
  const texts = applyToDisk(dir, run);
  assert.equal(texts[path.join('software', 'app', 'software.cfg')], `[buildout]\nextends = ../../stack/app.cfg\n\n[app]\ngit-executable = git\nrevision = ${repo.feature}\n\n[other]\nx = 1\n`);
});

test("a clone written in another file of the release's own directory is pinned there, next to it", async () => {
  const repo = makeRepo('sibling');
  const dir = writeTree({
    'software/app/software.cfg': '[buildout]\nextends = gowork.cfg\nparts = go_app\n',
    'software/app/gowork.cfg': `[go_app]\nrecipe = slapos.recipe.build:gitclone\nrepository = ${repo.url}\n\n[other]\nx = 1\n`,
  });
  const run = await runFix(dir, 'software/app/software.cfg', 'untagged-repository');
  const texts = applyToDisk(dir, run);
  assert.deepEqual(texts, { [path.join('software', 'app', 'gowork.cfg')]: `[go_app]\nrecipe = slapos.recipe.build:gitclone\nrepository = ${repo.url}\nrevision = ${repo.head}\n\n[other]\nx = 1\n` });
  assert.deepEqual(await codesAfter(dir, 'software/app/software.cfg', { severity: onlyRules('untagged-repository') }), []);
});

test('a clone built from a macro base is pinned in its own block, never in the base other clones share', async () => {
  const repo = makeRepo('macro');
  const dir = writeTree({
    'software.cfg': `[buildout]\nparts = app\n\n[git-clone-base]\nrecipe = slapos.recipe.build:gitclone\nbranch = feature\n\n[app]\n<= git-clone-base\nrepository = ${repo.url}\n`,
  });
  const run = await runFix(dir, 'software.cfg', 'untagged-repository');
  const texts = applyToDisk(dir, run);
  assert.equal(texts['software.cfg'], `[buildout]\nparts = app\n\n[git-clone-base]\nrecipe = slapos.recipe.build:gitclone\nbranch = feature\n\n[app]\n<= git-clone-base\nrepository = ${repo.url}\nrevision = ${repo.feature}\n`);
});

test('an empty `revision =` of a -dev.cfg profile is filled in where it is written', async () => {
  const repo = makeRepo('dev');
  const dir = writeTree({
    'software/app/software.cfg': `[buildout]\nparts = app\n\n[app]\nrecipe = slapos.recipe.build:gitclone\nrepository = ${repo.url}\nbranch = feature\nrevision = 0123456789abcdef0123456789abcdef01234567\n`,
    'software/app/software-dev.cfg': '[buildout]\nextends = software.cfg\n\n[app]\nrevision=\n',
  });
  // Freezing a development profile is a release-mode act (a -dev.cfg is judged in development mode by default).
  const run = await runFix(dir, 'software/app/software-dev.cfg', 'untagged-repository', {}, undefined, { mode: 'release' });
  assert.equal(run.finding.data!.why, 'empty-revision');
  const texts = applyToDisk(dir, run);
  assert.deepEqual(texts, { [path.join('software', 'app', 'software-dev.cfg')]: `[buildout]\nextends = software.cfg\n\n[app]\nrevision= ${repo.feature}\n` });
  assert.deepEqual(await codesAfter(dir, 'software/app/software-dev.cfg', { mode: 'release', severity: onlyRules('untagged-repository') }), []);
});

test('a missing branch is a clear error that lists the branches there are', async () => {
  const repo = makeRepo('missing');
  const dir = writeTree({
    'software.cfg': `[buildout]\nparts = app\n[app]\nrecipe = slapos.recipe.build:gitclone\nrepository = ${repo.url}\nbranch = no-such-branch\n`,
  });
  const run = await runFix(dir, 'software.cfg', 'untagged-repository');
  assert.deepEqual(run.result, { error: `${repo.url} has no branch no-such-branch; its branches are: feature, master.` });
});

test("no branch means the recipe's default, master, which is not guessed when the repository lacks it", async () => {
  const repo = makeRepo('main-only', { defaultBranch: 'main' });
  const dir = writeTree({
    'software.cfg': `[buildout]\nparts = app\n[app]\nrecipe = slapos.recipe.build:gitclone\nrepository = ${repo.url}\n`,
  });
  const run = await runFix(dir, 'software.cfg', 'untagged-repository');
  assert.deepEqual(run.result, { error: `${repo.url} has no branch master (the recipe's default, since [app] sets no \`branch\`); its branches are: feature, main.` });
});

test('an unreachable repository is a clear error', async () => {
  const missing = pathToFileURL(path.join(tmp, 'repos', 'does-not-exist')).href;
  const dir = writeTree({
    'software.cfg': `[buildout]\nparts = app\n[app]\nrecipe = slapos.recipe.build:gitclone\nrepository = ${missing}\nbranch = master\n`,
  });
  const run = await runFix(dir, 'software.cfg', 'untagged-repository');
  assert.ok('error' in run.result);
  assert.match(run.result.error, new RegExp(`^Cannot look up branch master of ${missing.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: git ls-remote .* failed: `));
});

/** A server that accepts connections and never answers, like a stuck git host. */
async function silentServer(): Promise<{ url: string; close: () => void }> {
  const sockets: net.Socket[] = [];
  const server = net.createServer((s) => { sockets.push(s); });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return { url: `http://127.0.0.1:${port}/stuck.git`, close: () => { for (const s of sockets) s.destroy(); server.close(); } };
}

test('a repository that never answers gives a clear error within the timeout', async () => {
  const server = await silentServer();
  try {
    const dir = writeTree({
      'software.cfg': `[buildout]\nparts = app\n[app]\nrecipe = slapos.recipe.build:gitclone\nrepository = ${server.url}\nbranch = master\n`,
    });
    const run = await runFix(dir, 'software.cfg', 'untagged-repository', { timeoutMs: 1500 });
    assert.deepEqual(run.result, { error: `Cannot look up branch master of ${server.url}: git ls-remote ${server.url} timed out after 1500 ms` });
    assert.ok(run.ms >= 1400 && run.ms < 5000, `took ${run.ms} ms`);
  } finally {
    server.close();
  }
});

test('cancelling stops the lookup at once', async () => {
  const server = await silentServer();
  try {
    const dir = writeTree({
      'software.cfg': `[buildout]\nparts = app\n[app]\nrecipe = slapos.recipe.build:gitclone\nrepository = ${server.url}\nbranch = master\n`,
    });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 300);
    const run = await runFix(dir, 'software.cfg', 'untagged-repository', { timeoutMs: 20000, signal: controller.signal });
    assert.deepEqual(run.result, { error: `Cannot look up branch master of ${server.url}: cancelled` });
    assert.ok(run.ms < 5000, `took ${run.ms} ms`);
  } finally {
    server.close();
  }
});

test('with the network turned off the fix refuses without running git', async () => {
  const repo = makeRepo('offline');
  const dir = writeTree({
    'software.cfg': `[buildout]\nparts = app\n[app]\nrecipe = slapos.recipe.build:gitclone\nrepository = ${repo.url}\n`,
  });
  const real = new NodeHost();
  let calls = 0;
  const counting: Host = Object.assign(Object.create(real) as Host, {
    gitLsRemote: (...args: Parameters<Host['gitLsRemote']>) => { calls++; return real.gitLsRemote(...args); },
  });
  const run = await runFix(dir, 'software.cfg', 'untagged-repository', { allowNetwork: false }, counting);
  assert.deepEqual(run.result, { error: 'Pinning [app] needs `git ls-remote`, and network access is turned off (untrusted workspace or setting).' });
  assert.equal(calls, 0);
  assert.equal(fixFor('untagged-repository')!.online(run.finding), true);
});
