// The mocha entry point that VS Code's extension host loads (extensionTestsPath), under code-server through
// scripts/e2e-run.js or under @vscode/test-electron through ../run-test-electron.js. Plain JavaScript: the
// host requires it as it is. The files run in name order and share one workspace, each leaving it as the
// next one expects. The last line it prints is the summary the runners look for.
const fs = require('fs');
const path = require('path');
const Mocha = require('mocha');

exports.run = () => runFolder(__dirname);

/** Runs every *.test.js file of `dir` in name order (also used by ../untrusted/index.js). */
function runFolder(dir) {
  const mocha = new Mocha({ ui: 'tdd', timeout: 60000, color: false, reporter: 'spec' });
  if (process.env.E2E_GREP) mocha.grep(process.env.E2E_GREP);
  for (const f of fs.readdirSync(dir).filter((f) => f.endsWith('.test.js')).sort()) mocha.addFile(path.join(dir, f));
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      console.log(`e2e: ${runner.stats.passes} passed, ${runner.stats.failures} failed`);
      if (failures) reject(new Error(`${failures} end-to-end tests failed`)); else resolve();
    });
  });
}
exports.runFolder = runFolder;
