// The extension activates on a SlapOS-style profile, claims only buildout's file names, and contributes a
// grammar and snippets that the real VS Code loads.
const assert = require('assert');
const vscode = require('vscode');
const { EXTENSION_ID, uriOf, open, waitFor } = require('./helpers');

suite('language and activation', () => {
  test('opening a software profile activates the extension and the document is buildout', async () => {
    console.log(`VS Code ${vscode.version}, Node ${process.version}, remote ${vscode.env.remoteName}, UI kind ${vscode.env.uiKind}`);
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is not installed`);
    console.log(`extension under test: ${ext.extensionPath}`);
    const { doc } = await open('software/demo/software.cfg');
    assert.strictEqual(doc.languageId, 'buildout');
    await waitFor('the extension to activate', () => ext.isActive);
    const api = await ext.activate();
    assert.ok(api && api.client, 'activate() returns the language client');
    assert.ok(api.client.isRunning(), 'the language server is running');
    assert.deepStrictEqual(api.client.clientOptions.initializationOptions(), { trusted: true });
    // The server runs with SERVER_ENVIRONMENT (server/src/protocol.ts): one malloc arena, fixed trim thresholds.
    const pid = api.client.serverProcess && api.client.serverProcess.pid;
    assert.ok(pid, 'the language server runs in a process of its own');
    if (process.platform === 'linux') {
      const environment = require('fs').readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
      for (const setting of ['MALLOC_ARENA_MAX=1', 'MALLOC_TRIM_THRESHOLD_=131072', 'MALLOC_MMAP_THRESHOLD_=131072']) {
        assert.ok(environment.includes(setting), `the server is started with ${setting}`);
      }
    }
  });

  test('the status bar shows the server ready in the configured mode', async () => {
    const { status } = await vscode.extensions.getExtension(EXTENSION_ID).activate();
    // The workspace settings ask for release mode; the server reports state and mode with buildout-freeze/status.
    await waitFor('the ready status', () => /^\$\(check\) buildout: release$/.test(status.text) && status.text);
    assert.match(status.tooltip, /ready, release mode/);
  });

  test('buildout file names are claimed, other .cfg files are not', async () => {
    const claimed = ['stack/demo/buildout.cfg', 'component/demo-lib/buildout.cfg', 'software/demo/buildout.hash.cfg', 'software/demo/instance.cfg.in'];
    for (const file of claimed) {
      const doc = await vscode.workspace.openTextDocument(uriOf(file));
      assert.strictEqual(doc.languageId, 'buildout', file);
    }
    for (const file of ['setup.cfg', 'software/demo/logrotate.conf.in']) {
      const doc = await vscode.workspace.openTextDocument(uriOf(file));
      assert.notStrictEqual(doc.languageId, 'buildout', file);
    }
  });

  test('the TextMate grammar loads in the workbench', async () => {
    // The workbench's own command (used by VS Code's grammar tests) throws when a language has no tokenizer.
    const result = await vscode.commands.executeCommand('_workbench.colorizeTextMateTokens', uriOf('software/demo/software.cfg'));
    assert.ok(result && typeof result.tokenizeTime === 'number', JSON.stringify(result));
    // And it does fail where there is none, so the check above means something.
    const plain = await vscode.workspace.openTextDocument(uriOf('software/demo/logrotate.conf.in'));
    assert.strictEqual(plain.languageId, 'plaintext');
    await assert.rejects(Promise.resolve(vscode.commands.executeCommand('_workbench.colorizeTextMateTokens', plain.uri)), /tokenizer/);
  });

  test('snippets are offered in a buildout profile', async () => {
    const { doc } = await open('software/demo/software.cfg');
    const items = await vscode.commands.executeCommand('vscode.executeCompletionItemProvider', doc.uri, new vscode.Position(doc.lineCount - 1, 0));
    const labels = items.items.filter((i) => i.kind === vscode.CompletionItemKind.Snippet).map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    for (const prefix of ['gitclone', 'download', 'hash', 'versions']) assert.ok(labels.includes(prefix), `snippet ${prefix} in ${labels.join(', ')}`);
  });

  test('the commands are registered once the server is up', async () => {
    const all = await vscode.commands.getCommands(true);
    for (const id of ['buildout-freeze.pasteVersions', 'buildout-freeze.freezeProfile', 'buildout-freeze.showOutput']) assert.ok(all.includes(id), id);
    // "Freeze this profile" sits in the editor title of a buildout profile, as a button with an icon.
    const { contributes } = vscode.extensions.getExtension(EXTENSION_ID).packageJSON;
    const button = contributes.menus['editor/title'].find((m) => m.command === 'buildout-freeze.freezeProfile');
    assert.ok(button && /editorLangId == buildout/.test(button.when) && button.group.startsWith('navigation'), JSON.stringify(button));
    assert.equal(contributes.commands.find((c) => c.command === 'buildout-freeze.freezeProfile').icon, '$(lock)');
  });
});
