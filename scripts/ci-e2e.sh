#!/usr/bin/env bash
# The slow half of CI, called by .ci/run after the unit tests: sets up the real VS Code (code-server + Debian
# chromium, see scripts/e2e-setup.sh), packages the extension, runs the end-to-end suite against the source
# tree (trusted and untrusted folder) and against the packaged .vsix, and runs the TextMate grammar tests. Every step runs even when an
# earlier one failed; the exit code is non-zero if any failed. Needs only node, npm, git and python3 to start
# with (apt-get installs chromium, libkrb5-dev and a compiler when they are missing; run as root or with sudo).
set -uo pipefail
cd "$(dirname "$0")/.."
failed=()
step() {
  local name=$1; shift
  local t0=$SECONDS
  echo "=== $name"
  if "$@"; then echo "=== $name: ok ($((SECONDS - t0)) s)"; else echo "=== $name: FAILED ($((SECONDS - t0)) s)"; failed+=("$name"); fi
}
[ -d node_modules ] || step "npm ci" npm ci --no-audit --no-fund --loglevel=error
step "e2e setup" bash scripts/e2e-setup.sh
step "grammar tests" npm run --silent test:grammar
step "package" npm run --silent package
if [ -f buildout-freeze.vsix ]; then echo "vsix: $(du -k buildout-freeze.vsix | cut -f1) KB"; fi
step "e2e (source tree)" node scripts/e2e-run.js
step "e2e (source tree, untrusted folder)" node scripts/e2e-run.js --untrusted
if [ -f buildout-freeze.vsix ]; then
  step "e2e (packaged vsix)" node scripts/e2e-run.js --vsix buildout-freeze.vsix
else
  failed+=("e2e (packaged vsix): no vsix")
fi
if [ ${#failed[@]} -ne 0 ]; then printf 'ci-e2e: FAILED: %s\n' "${failed[*]}"; exit 1; fi
echo "ci-e2e: all passed"
