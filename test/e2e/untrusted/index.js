// The suite for a folder opened in restricted mode (scripts/e2e-run.js --untrusted): same runner as ../suite.
exports.run = () => require('../suite/index.js').runFolder(__dirname);
