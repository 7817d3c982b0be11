// "Paste picked versions" takes zc.buildout's picked-versions output from the clipboard and pins the eggs in
// the profile's versions section.
const assert = require('assert');
const vscode = require('vscode');
const { findings, open, waitFor, sectionLines, describe, codeOf } = require('./helpers');

// What buildout prints with show-picked-versions (zc.buildout's _format_picked_versions).
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

suite('paste versions', () => {
  test('pins the picked versions from the clipboard into [versions]', async () => {
    const { doc, editor } = await open('software/demo/software.cfg');
    editor.selection = new vscode.Selection(0, 0, 0, 0); // an empty selection: the command reads the clipboard
    await waitFor('unpinned-egg', () => findings('unpinned-egg').length === 1);
    await vscode.env.clipboard.writeText(PICKED);
    assert.strictEqual(await vscode.env.clipboard.readText(), PICKED, 'the clipboard works in this VS Code');

    const result = await vscode.commands.executeCommand('buildout-freeze.pasteVersions');
    assert.strictEqual(result && result.applied, true, JSON.stringify(result));
    await waitFor('the pins in the profile', () => /^demo\.app = 1\.2\.0$/m.test(doc.getText()));
    const { start, end } = sectionLines(doc, 'versions');
    const pins = [];
    for (let i = start + 1; i <= end; i++) if (doc.lineAt(i).text.trim()) pins.push(doc.lineAt(i).text);
    assert.deepStrictEqual(pins.filter((l) => !l.startsWith('#')), ['demo.app = 1.2.0', 'demo-helper = 0.3']);
    await waitFor('unpinned-egg to go away', () => findings('unpinned-egg').length === 0);
    assert.ok(await doc.save());
    assert.deepStrictEqual(findings().map((f) => codeOf(f.diagnostic)).sort(), ['missing-md5sum', 'untagged-repository'], describe(findings()));
  });
});
