#!/usr/bin/env bash
# The GitHub Action's step (action.yml): runs this checkout's build of the entry point when
# it has one (a path use inside this repository), else the published package of the same
# version (`uses: OWNER/static-pingback@v1`, where the action's files hold no node_modules).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
entry="$here/dist/github/bin.js"
if [ -f "$entry" ] && [ -d "$here/node_modules/@static-pingback/cli" ]; then
  exec node "$entry"
fi
version="$(node -p 'require(process.argv[1]).version' "$here/package.json")"
exec npx --yes --package "@static-pingback/ci@$version" static-pingback-action
