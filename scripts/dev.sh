#!/usr/bin/env bash
# The one entry point behind `npm test`, `npm run demo` and `npm run bench`:
# it works on a machine with only an old system Node and npm, as on a fresh CI box.
#   dev.sh test|test-floor|demo|bench|ci [args…]
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
    # The same tests on the oldest Node the packages accept (their engines field).
    floor_bin="$(_sp_node_bin "$NODE_FLOOR" node-floor)"
    echo "ci: the tests again on Node $("$floor_bin/node" --version), the engines floor"
    PATH="$floor_bin:$PATH" pnpm run test:run
    ;;
  test-floor)
    pnpm run --silent build
    PATH="$(_sp_node_bin "$NODE_FLOOR" node-floor):$PATH" pnpm run --silent test:run "$@"
    ;;
  *) echo "dev.sh: unknown task '$task' (test, test-floor, demo, bench, ci)" >&2; exit 2 ;;
esac
