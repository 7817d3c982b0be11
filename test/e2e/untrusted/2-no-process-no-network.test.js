// Restricted mode, end to end: the server still checks every file, and "Freeze this profile" still fixes what
// local files can fix (md5sums), but it leaves the git clone alone: git ls-remote would start a process.
const assert = require('assert');
const { execFileSync } = require('child_process');
const vscode = require('vscode');
const { FREEZE_RULES, findings, open, uriOf, waitFor, describe, codeOf } = require('../suite/helpers');

const git = (...args) => execFileSync('git', ['-c', 'user.name=e2e', '-c', 'user.email=e2e@example.invalid', '-c', 'commit.gpgsign=false', ...args], { encoding: 'utf8' }).trim();

suite('restricted mode: checks yes, processes no', () => {
  suiteSetup(() => {
    // A reachable repository, so that only the lack of trust can keep the clone unpinned.
    const repo = uriOf('software/demo/demo.git').fsPath;
    git('init', '-q', '-b', 'master', repo);
    git('-C', repo, 'commit', '-q', '--allow-empty', '-m', 'first');
  });

  test('every freeze rule still reports', async () => {
    await open('software/demo/software.cfg');
    await waitFor('a finding of each freeze rule', () => FREEZE_RULES.every((code) => findings(code).length === 1), 60000)
      .catch((e) => { throw new Error(`${e.message}\n${describe(findings())}`); });
  });

  test('freeze fixes the md5sums from local files and leaves the git clone unpinned', async () => {
    const { doc } = await open('software/demo/software.cfg');
    const result = await vscode.commands.executeCommand('buildout-freeze.freezeProfile');
    assert.strictEqual(result && result.applied, true, JSON.stringify(result));
    assert.ok(result.blocking.some((b) => /untagged-repository/.test(b)), `the clone is reported as left to do: ${result.blocking.join('\n')}`);
    await waitFor('the md5sum findings to go away', () => findings('missing-md5sum').length === 0 && findings('md5sum-mismatch').length === 0);
    assert.deepStrictEqual(findings().map((f) => codeOf(f.diagnostic)).sort(), ['unpinned-egg', 'untagged-repository'], describe(findings()));
    assert.ok(!/^revision\s*=/m.test(doc.getText()), 'no revision was looked up');
  });
});
