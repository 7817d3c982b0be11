// Small helpers shared by the end-to-end tests: open fixture files, wait for the language server's
// diagnostics, read a diagnostic's text. They use only the public vscode API.
const assert = require('assert');
const crypto = require('crypto');
const fs = require('fs');
const vscode = require('vscode');

const EXTENSION_ID = 'buildout-freeze.buildout-freeze';
const SOURCE = 'buildout-freeze';
const FREEZE_RULES = ['unpinned-egg', 'untagged-repository', 'missing-md5sum', 'md5sum-mismatch'];

function uriOf(relative) {
  return vscode.Uri.joinPath(vscode.workspace.workspaceFolders[0].uri, ...relative.split('/'));
}

async function open(relative) {
  const doc = await vscode.workspace.openTextDocument(uriOf(relative));
  const editor = await vscode.window.showTextDocument(doc, { preview: false });
  return { doc, editor };
}

/** Polls `probe` until it returns a truthy value; fails with `what` and the last value seen. */
async function waitFor(what, probe, ms = 30000) {
  const end = Date.now() + ms;
  let last;
  for (;;) {
    last = await probe();
    if (last) return last;
    if (Date.now() > end) assert.fail(`timed out after ${ms} ms waiting for ${what}; last value: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const codeOf = (d) => (d.code && typeof d.code === 'object' ? d.code.value : d.code);

/** Our diagnostics with `code` in the whole workspace, as [{ uri, diagnostic }]. */
function findings(code) {
  const out = [];
  for (const [uri, diagnostics] of vscode.languages.getDiagnostics()) {
    for (const d of diagnostics) if (d.source === SOURCE && (!code || codeOf(d) === code)) out.push({ uri, diagnostic: d });
  }
  return out;
}

/** Zero-based number of the first line of `doc` that matches `re`; fails if none does. */
function lineOf(doc, re) {
  for (let i = 0; i < doc.lineCount; i++) if (re.test(doc.lineAt(i).text)) return i;
  assert.fail(`no line of ${doc.uri.path} matches ${re}`);
}

/** The lines of section `[name]` in `doc`: from its header to the line before the next header. */
function sectionLines(doc, name) {
  const start = lineOf(doc, new RegExp(`^\\[${name.replace(/[.]/g, '\\.')}\\]`));
  let end = start + 1;
  while (end < doc.lineCount && !/^\[/.test(doc.lineAt(end).text)) end++;
  return { start, end: end - 1 };
}

function md5OfFile(uri) {
  return crypto.createHash('md5').update(fs.readFileSync(uri.fsPath)).digest('hex');
}

function describe(list) {
  return list.map(({ uri, diagnostic: d }) => `${vscode.workspace.asRelativePath(uri)}:${d.range.start.line + 1}:${d.range.start.character + 1} ${codeOf(d)}: ${d.message}`).join('\n');
}

module.exports = { EXTENSION_ID, SOURCE, FREEZE_RULES, uriOf, open, waitFor, codeOf, findings, lineOf, sectionLines, md5OfFile, describe };
