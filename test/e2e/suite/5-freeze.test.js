// "Freeze this profile" fixes every remaining freeze finding in one edit (here: the git clone gets the
// revision its branch points at, found with git ls-remote of a local repository, and the download gets its
// md5sum); one undo restores the profile.
const assert = require('assert');
const { execFileSync } = require('child_process');
const vscode = require('vscode');
const { FREEZE_RULES, findings, open, uriOf, waitFor, sectionLines, md5OfFile, describe } = require('./helpers');

const git = (...args) => execFileSync('git', ['-c', 'user.name=e2e', '-c', 'user.email=e2e@example.invalid', '-c', 'commit.gpgsign=false', ...args], { encoding: 'utf8' }).trim();

suite('freeze this profile', () => {
  let head;
  let before;
  suiteSetup(() => {
    // The clone's repository: ${:_profile_base_location_}/demo.git, a real local git repository.
    const repo = uriOf('software/demo/demo.git').fsPath;
    git('init', '-q', '-b', 'master', repo);
    git('-C', repo, 'commit', '-q', '--allow-empty', '-m', 'first');
    git('-C', repo, 'commit', '-q', '--allow-empty', '-m', 'second');
    head = git('-C', repo, 'rev-parse', 'HEAD');
  });

  test('leaves the profile with no freeze findings', async () => {
    const { doc } = await open('software/demo/software.cfg');
    await waitFor('the two remaining findings', () => findings('untagged-repository').length === 1 && findings('missing-md5sum').length === 1);
    before = doc.getText();
    const result = await vscode.commands.executeCommand('buildout-freeze.freezeProfile');
    assert.strictEqual(result && result.applied, true, JSON.stringify(result));
    assert.deepStrictEqual(result.blocking, [], 'nothing is left to do by hand');
    assert.strictEqual(result.changed.length, 2, result.changed.join('\n'));
    await waitFor('no freeze findings', () => FREEZE_RULES.every((code) => findings(code).length === 0), 60000)
      .catch((e) => { throw new Error(`${e.message}\n${describe(findings())}\n${doc.getText()}`); });

    const repository = sectionLines(doc, 'demo-repository');
    const revision = [];
    for (let i = repository.start; i <= repository.end; i++) if (/^revision\s*=/.test(doc.lineAt(i).text)) revision.push(doc.lineAt(i).text);
    assert.deepStrictEqual(revision, [`revision = ${head}`]);
    const md5 = md5OfFile(uriOf('software/demo/logrotate.conf.in'));
    const holders = vscode.workspace.textDocuments.filter((d) => d.getText().includes(md5)).map((d) => vscode.workspace.asRelativePath(d.uri));
    assert.ok(holders.length === 1 && /software\/demo\/(software|buildout\.hash)\.cfg$/.test(holders[0]), `the md5sum of logrotate.conf.in is written once, in: ${holders}`);
  });

  test('one undo restores the profile and its findings', async () => {
    const { doc } = await open('software/demo/software.cfg');
    await vscode.commands.executeCommand('undo');
    await waitFor('the profile as it was', () => doc.getText() === before);
    await waitFor('the findings to come back', () => findings('untagged-repository').length === 1 && findings('missing-md5sum').length === 1);
  });
});
