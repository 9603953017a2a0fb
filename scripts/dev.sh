#!/usr/bin/env bash
# The one entry point behind `npm test`, `npm run demo` and `npm run bench`:
# it works on a machine with only an old system Node and npm, as on a fresh CI box.
#   dev.sh test|demo|bench|ci [args…]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
. scripts/toolchain.sh

task="${1:-test}"; shift || true

# Install only when the lockfile changed since the last install (fast reruns).
if [ ! -f node_modules/.modules.yaml ] || [ pnpm-lock.yaml -nt node_modules/.modules.yaml ]; then
  pnpm install --frozen-lockfile --reporter=append-only
fi

case "$task" in
  test)  pnpm run --silent build && pnpm run --silent test:run "$@" ;;
  demo)  pnpm run --silent build && pnpm run --silent demo:run "$@" ;;
  bench) pnpm run --silent build && pnpm run --silent bench:run "$@" ;;
  ci)
    pnpm run build
    pnpm run typecheck
    pnpm run lint
    pnpm run test:run
    ;;
  *) echo "dev.sh: unknown task '$task' (test, demo, bench, ci)" >&2; exit 2 ;;
esac
