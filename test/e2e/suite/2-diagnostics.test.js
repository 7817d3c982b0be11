// Each freeze rule reports on the fixture's software profile, at the text it is about, with the rule id as
// its code and 'buildout-freeze' as its source; a finding goes away when the profile is fixed by hand.
const assert = require('assert');
const vscode = require('vscode');
const { EXTENSION_ID, FREEZE_RULES, findings, open, waitFor, lineOf, sectionLines, describe, codeOf } = require('./helpers');

const PROFILE = 'software/demo/software.cfg';
const HASHES = 'software/demo/buildout.hash.cfg';

/** The single finding with `code`, and the text its range covers in its document. */
async function only(code) {
  const list = findings(code);
  assert.strictEqual(list.length, 1, `one ${code} finding expected, got:\n${describe(findings())}`);
  const doc = await vscode.workspace.openTextDocument(list[0].uri);
  return { ...list[0], doc, text: doc.getText(list[0].diagnostic.range) };
}

suite('freeze findings', () => {
  suiteSetup(async () => {
    await open(PROFILE);
    await waitFor('a finding of each freeze rule', () => FREEZE_RULES.every((code) => findings(code).length > 0), 60000)
      .catch((e) => { throw new Error(`${e.message}\nfindings:\n${describe(findings())}`); });
  });

  test('unpinned-egg marks the egg that has no pin', async () => {
    const f = await only('unpinned-egg');
    assert.strictEqual(vscode.workspace.asRelativePath(f.uri), PROFILE);
    assert.strictEqual(f.diagnostic.range.start.line, lineOf(f.doc, /^ {2}demo\.app$/));
    assert.strictEqual(f.text, 'demo.app');
    assert.match(f.diagnostic.message, /demo\.app/);
    assert.strictEqual(f.diagnostic.severity, vscode.DiagnosticSeverity.Warning, 'a warning in release mode (information in development)');
  });

  test('untagged-repository marks the clone that follows a branch', async () => {
    const f = await only('untagged-repository');
    assert.strictEqual(vscode.workspace.asRelativePath(f.uri), PROFILE);
    const { start } = sectionLines(f.doc, 'demo-repository');
    // The repository value, as written: that is what follows a branch.
    assert.strictEqual(f.diagnostic.range.start.line, lineOf(f.doc, /^repository = /));
    assert.ok(f.diagnostic.range.start.line > start);
    assert.strictEqual(f.text, '${:_profile_base_location_}/demo.git');
    assert.match(f.diagnostic.message, /master/);
  });

  test('missing-md5sum marks the download that has no md5sum', async () => {
    const f = await only('missing-md5sum');
    assert.strictEqual(vscode.workspace.asRelativePath(f.uri), PROFILE);
    const { start, end } = sectionLines(f.doc, 'logrotate-config');
    // The url value of the download that has no md5sum.
    const line = f.diagnostic.range.start.line;
    assert.ok(line > start && line <= end && /^url = /.test(f.doc.lineAt(line).text), `range ${JSON.stringify(f.diagnostic.range)} is not the url of [logrotate-config]`);
    assert.strictEqual(f.text, '${:_profile_base_location_}/logrotate.conf.in');
  });

  test('md5sum-mismatch marks the wrong md5sum in buildout.hash.cfg', async () => {
    const f = await only('md5sum-mismatch');
    assert.strictEqual(vscode.workspace.asRelativePath(f.uri), HASHES);
    assert.strictEqual(f.diagnostic.range.start.line, lineOf(f.doc, /^md5sum = /));
    assert.strictEqual(f.text, '0123456789abcdef0123456789abcdef');
    assert.strictEqual(f.diagnostic.severity, vscode.DiagnosticSeverity.Error);
  });

  test('nothing else is reported: pinned recipes and the patch with a correct md5 fragment are fine', () => {
    assert.deepStrictEqual(findings().map((f) => codeOf(f.diagnostic)).sort(), [...FREEZE_RULES].sort(), describe(findings()));
    for (const { diagnostic } of findings()) assert.strictEqual(diagnostic.source, 'buildout-freeze');
  });

  test('pinning the egg by hand removes its finding; undoing brings it back', async () => {
    const { doc, editor } = await open(PROFILE);
    const versions = lineOf(doc, /^\[versions\]$/);
    assert.ok(await editor.edit((b) => b.insert(new vscode.Position(versions + 1, 0), 'demo.app = 1.2.0\n')));
    await waitFor('unpinned-egg to go away', () => findings('unpinned-egg').length === 0);
    assert.strictEqual(findings().length, FREEZE_RULES.length - 1, describe(findings()));
    await vscode.commands.executeCommand('undo');
    await waitFor('unpinned-egg to come back', () => findings('unpinned-egg').length === 1);
    assert.ok(!doc.getText().includes('demo.app = 1.2.0'));
  });

  test('the mode setting reaches the server: development makes freeze findings information', async () => {
    const config = vscode.workspace.getConfiguration('buildoutFreeze');
    const { status } = await vscode.extensions.getExtension(EXTENSION_ID).activate();
    await config.update('mode', 'development', vscode.ConfigurationTarget.Workspace);
    try {
      await waitFor('information severity', () => findings('unpinned-egg').length === 1 && findings('unpinned-egg')[0].diagnostic.severity === vscode.DiagnosticSeverity.Information);
      await waitFor('the development mode in the status bar', () => /buildout: development/.test(status.text));
    } finally {
      await config.update('mode', 'release', vscode.ConfigurationTarget.Workspace);
    }
    await waitFor('warning severity again', () => findings('unpinned-egg').length === 1 && findings('unpinned-egg')[0].diagnostic.severity === vscode.DiagnosticSeverity.Warning);
    await waitFor('the release mode in the status bar', () => /buildout: release/.test(status.text));
  });
});
