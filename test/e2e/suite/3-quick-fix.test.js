// The md5sum quick fix, asked for exactly as the editor's light bulb asks for it, edits the file that holds
// the md5sum (buildout.hash.cfg), not the profile that uses it.
const assert = require('assert');
const vscode = require('vscode');
const { findings, open, uriOf, waitFor, md5OfFile, codeOf, describe } = require('./helpers');

suite('md5sum quick fix', () => {
  test('fixes md5sum-mismatch in buildout.hash.cfg with the md5 of instance.cfg.in', async () => {
    const { doc: profile } = await open('software/demo/software.cfg');
    await waitFor('md5sum-mismatch', () => findings('md5sum-mismatch').length === 1);
    const [{ uri, diagnostic }] = findings('md5sum-mismatch');
    const profileBefore = profile.getText();
    const actions = await vscode.commands.executeCommand('vscode.executeCodeActionProvider', uri, diagnostic.range, vscode.CodeActionKind.QuickFix.value, 10);
    // VS Code's API command drops CodeAction.diagnostics, so the fix is known by its kind and title; the
    // range holds only the md5sum-mismatch finding, so it is the only md5sum quick fix offered.
    const fixes = actions.filter((a) => a.kind && a.kind.value === vscode.CodeActionKind.QuickFix.value && /md5sum/i.test(a.title));
    assert.strictEqual(fixes.length, 1, `one md5sum quick fix among: ${actions.map((a) => a.title).join(' | ')}`);
    const fix = fixes[0];
    assert.ok(fix.isPreferred, 'the md5sum fix is the preferred one (Auto Fix)');
    assert.ok(fix.edit, `the quick fix "${fix.title}" carries its edit`);
    const touched = fix.edit.entries().map(([u]) => vscode.workspace.asRelativePath(u));
    assert.deepStrictEqual(touched, ['software/demo/buildout.hash.cfg']);
    assert.ok(await vscode.workspace.applyEdit(fix.edit), 'applyEdit succeeded');

    const hashes = await vscode.workspace.openTextDocument(uriOf('software/demo/buildout.hash.cfg'));
    const md5 = md5OfFile(uriOf('software/demo/instance.cfg.in'));
    assert.match(hashes.getText(), new RegExp(`^md5sum = ${md5}$`, 'm'));
    assert.ok(!hashes.getText().includes('0123456789abcdef0123456789abcdef'));
    assert.strictEqual(profile.getText(), profileBefore, 'the profile is untouched');
    await waitFor('md5sum-mismatch to go away', () => findings('md5sum-mismatch').length === 0);
    assert.ok(await hashes.save());
    assert.deepStrictEqual(findings().map((f) => codeOf(f.diagnostic)).sort(), ['missing-md5sum', 'unpinned-egg', 'untagged-repository'], describe(findings()));
  });
});
