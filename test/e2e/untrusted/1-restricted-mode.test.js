// In an untrusted folder the extension still runs (untrustedWorkspaces: limited) and tells the server so,
// with initializationOptions { trusted: false }: the server then checks files but starts no process and
// downloads nothing.
const assert = require('assert');
const vscode = require('vscode');
const { EXTENSION_ID, open, waitFor } = require('../suite/helpers');

suite('restricted mode', () => {
  test('the folder is untrusted and the extension still activates', async () => {
    assert.strictEqual(vscode.workspace.isTrusted, false, 'the runner opened the folder in restricted mode');
    const { doc } = await open('software/demo/software.cfg');
    assert.strictEqual(doc.languageId, 'buildout');
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    await waitFor('the extension to activate', () => ext.isActive);
    const { client } = await ext.activate();
    assert.ok(client.isRunning());
    const init = client.clientOptions.initializationOptions;
    assert.deepStrictEqual(typeof init === 'function' ? init() : init, { trusted: false });
  });
});
