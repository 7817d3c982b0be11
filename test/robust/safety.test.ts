// Nothing in a profile is ever executed. Conditions are evaluated by model/conditions.ts without eval:
// hostile expressions are "cannot be evaluated" and leave no trace. `git ls-remote` is only run for
// http(s), git, ssh and file repositories: `ext::` transports and option-looking names are refused
// before any process starts. And only host/ may reach processes, sockets or the file system's writes.

import { test } from 'node:test';
import * as assert from 'assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { execFileSync } from 'child_process';
import { evaluateCondition } from '../../server/src/model/conditions';
import { DEFAULT_TARGET } from '../../server/src/model/target';
import { NodeHost, gitRepositoryProblem } from '../../server/src/host/node-host';
import { checkIn, only, tempDir } from './helpers';
import { startBadServer } from './http-server';

const T = { timeout: 30_000 };

function marker(): string {
  return path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bf-safety-')), 'executed');
}

test('hostile condition expressions are reported as unevaluable and nothing happens', T, async () => {
  const touched = marker();
  const hostile = [
    `__import__('os').system('touch ${touched}')`,
    `__import__("subprocess").call(["touch", "${touched}"])`,
    `exec("open('${touched}', 'w')")`,
    `eval("__import__('os').system('touch ${touched}')")`,
    `open('${touched}', 'w').write('x')`,
    `(lambda: __import__('os').system('touch ${touched}'))()`,
    `[c for c in ().__class__.__base__.__subclasses__()]`,
    `os.system('touch ${touched}')`,
    `sys.modules['os'].system('touch ${touched}')`,
    `globals()['__builtins__']`,
    `python3 and os.remove('${touched}')`,
    `platform.freedesktop_os_release()['ID'] == 'debian'`,
    `require('child_process').execSync('touch ${touched}')`,
    `constructor.constructor('return process')().mainModule.require('child_process').execSync('touch ${touched}')`,
  ];
  for (const expression of hostile) {
    const result = evaluateCondition(expression, DEFAULT_TARGET);
    assert.equal(result.known, false, expression);
  }
  const text = '[buildout]\nparts =\n' + hostile.map((e, i) => `[s${i}:${e.replace(/#/g, '\\x23').replace(/;/g, '\\x3b')}]\nx = 1\n`).join('');
  const dir = tempDir({ 'software.cfg': text });
  const { findings, config } = await checkIn(dir, 'software.cfg');
  assert.equal(only(findings, 'unevaluable-condition').length, hostile.length);
  assert.ok(hostile.every((_, i) => !config.has(`s${i}`)), 'an unevaluable section is treated as absent');
  assert.ok(!fs.existsSync(touched), 'a condition was executed');
});

test('a condition that short-circuits around a hostile call is still evaluated without calling it', T, () => {
  assert.deepEqual(evaluateCondition(`python2 and __import__('os').system('x')`, DEFAULT_TARGET), { known: true, value: false });
  assert.deepEqual(evaluateCondition(`python3 or open('/etc/passwd').read()`, DEFAULT_TARGET), { known: true, value: true });
});

test('the checker has no eval, and only host/ reaches processes, sockets and writes', T, () => {
  const src = path.resolve(__dirname, '..', '..', '..', 'server', 'src');
  const offenders: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) { walk(p); continue; }
      if (!p.endsWith('.ts')) continue;
      const rel = path.relative(src, p);
      const code = fs.readFileSync(p, 'utf8').replace(/^\s*\/\/.*$/gm, '').replace(/\/\*[\s\S]*?\*\//g, '');
      // boot/ starts our own bundle (dist/*.bundle.js) from V8's code cache with vm.Script and writes that
      // cache; nothing else imports it (checked below), so no profile text can ever reach it.
      const boot = rel.startsWith('boot/');
      if (!boot && /\beval\s*\(|new\s+Function\s*\(|\bFunction\s*\(\s*['"`]|from\s+['"](node:)?vm['"]/.test(code)) offenders.push(`${rel}: eval or Function`);
      if (boot && /\beval\s*\(|new\s+Function\s*\(|\bFunction\s*\(/.test(code)) offenders.push(`${rel}: eval or Function`);
      if (!boot && /from\s+['"][./]+(\/\.\.)*\/boot\//.test(code)) offenders.push(`${rel}: imports boot/`);
      const front = boot || rel.startsWith('host/') || rel.startsWith('cli/') || rel.startsWith('lsp/');
      if (!front && /from\s+['"](node:)?(child_process|net|http|https|tls|dgram)['"]/.test(code)) offenders.push(`${rel}: imports a process or network module`);
      if (!front && /\bfs\.(write|append|rename|unlink|rm|mkdir|chmod|symlink|copyFile)\w*\(/.test(code)) offenders.push(`${rel}: writes to the file system`);
    }
  };
  walk(src);
  assert.deepEqual(offenders, []);
});

test('git ls-remote refuses ext:: transports, options and odd hosts before starting anything', T, async () => {
  const touched = marker();
  const refused = [
    `ext::sh -c touch% ${touched}`,
    `ext::sh -c "touch ${touched}"`,
    'fd::3',
    `--upload-pack=touch ${touched}`,
    `--upload-pack=touch${touched}`,
    '-u', `-c`, '--help',
    `ssh://-oProxyCommand=touch%20${touched}/x`,
    `ssh://-oProxyCommand=touch/x`,
    `git+ssh://-oProxyCommand=x/y`,
    `ssh://-user@host/x`,
    `-oProxyCommand=touch@host:x`,
    `user@-oProxyCommand=x:y`,
    'https://example.com/x\nprotocol=https\nhost=evil',
    'https://example.com/x y',
    'transport::https://example.com/x',
    'remote-foo::x',
    'ftp://example.com/x.git',
    'rsync://example.com/x',
    'relative/path',
    '',
  ];
  const host = new NodeHost();
  for (const repository of refused) {
    assert.ok(gitRepositoryProblem(repository), `${JSON.stringify(repository)} is accepted`);
    const r = await host.gitLsRemote(repository, { timeoutMs: 2000 });
    assert.ok('error' in r && /is not a git URL this tool will contact/.test(r.error), `${JSON.stringify(repository)}: ${JSON.stringify(r)}`);
  }
  for (const repository of ['https://lab.nexedi.com/nexedi/slapos.git', 'http://127.0.0.1:8080/x', 'git://example.com/x.git', 'ssh://git@example.com/x.git', 'git+ssh://example.com/x', 'git@example.com:group/x.git', 'file:///srv/x.git', '/srv/x.git', 'ssh://[::1]/x']) {
    assert.equal(gitRepositoryProblem(repository), undefined, repository);
  }
  assert.ok(!fs.existsSync(touched), 'a refused repository ran a command');
});

test('git ls-remote reads a local repository, and times out or cancels on a stalled server', T, async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bf-git-'));
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' } });
  try { git('init', '-q', '-b', 'main'); } catch { t.skip('git is not available'); return; }
  fs.writeFileSync(path.join(dir, 'f'), 'x');
  git('add', 'f');
  git('commit', '-q', '-m', 'c');
  git('tag', 'v1');
  const host = new NodeHost();
  const refs = await host.gitLsRemote(`file://${dir}`, { timeoutMs: 10_000 });
  assert.ok(Array.isArray(refs), JSON.stringify(refs));
  assert.deepEqual(refs.map((r) => r.name).sort(), ['HEAD', 'refs/heads/main', 'refs/tags/v1']);

  const server = await startBadServer();
  try {
    const started = Date.now();
    const stalled = await host.gitLsRemote(`${server.url}/stall`, { timeoutMs: 500 });
    assert.ok('error' in stalled && /timed out after 500 ms/.test(stalled.error), JSON.stringify(stalled));
    assert.ok(Date.now() - started < 5000);

    const controller = new AbortController();
    const pending = host.gitLsRemote(`${server.url}/stall`, { timeoutMs: 10_000, signal: controller.signal });
    setTimeout(() => controller.abort(), 100);
    assert.deepEqual(await pending, { error: 'cancelled' });

    const already = new AbortController();
    already.abort();
    const before = server.hits.get('/stall/info/refs') ?? 0;
    assert.deepEqual(await host.gitLsRemote(`${server.url}/stall`, { timeoutMs: 10_000, signal: already.signal }), { error: 'cancelled' });
    assert.equal(server.hits.get('/stall/info/refs') ?? 0, before, 'a cancelled request starts no git');
  } finally {
    await server.close();
  }
});

test('checking a profile runs no git and downloads nothing, whatever it names', T, async () => {
  const touched = marker();
  const server = await startBadServer();
  try {
    const dir = tempDir({ 'software.cfg': `[buildout]\nparts = clone tpl\nextends = ${server.url}/remote.cfg\n[clone]\nrecipe = slapos.recipe.build:gitclone\nrepository = ext::sh -c touch% ${touched}\nbranch = master\n[tpl]\nrecipe = slapos.recipe.template\nurl = ${server.url}/template.in\noutput = x\n` });
    await checkIn(dir, 'software.cfg');
    assert.deepEqual([...server.hits.keys()], [], 'the server was contacted');
    assert.ok(!fs.existsSync(touched));
  } finally {
    await server.close();
  }
});
