import { StaticPingbackError } from "./errors/static-pingback-error.ts";
/**
 * The oldest Node.js every package runs on, and the check that says so in words.
 * This module imports nothing, so a CLI or an adapter can load it first and stop
 * with a clear message before a dependency fails on an older Node (undici 8 throws
 * "Cannot read properties of undefined (reading 'bind')" on 22.13; `node:sqlite`
 * does not exist before 22.5 and needs a flag before 22.13).
 *
 * The floor is the highest of: the `engines.node` minimum of every runtime
 * dependency in the lockfile (undici 8.12: >=22.19.0) and the built-ins we use
 * without a flag (node:sqlite: 22.13.0). test/node-floor.test.ts recomputes it
 * from the installed dependencies and checks every `engines` field and the README.
 */
export const NODE_FLOOR = "22.19.0";

/** Thrown by assertNodeVersion; `code` is stable for callers that map errors. */
export class NodeVersionError extends StaticPingbackError {
  readonly code = "node-too-old";
  readonly required: string;
  readonly found: string;

  constructor(packageName: string, found: string) {
    super(
      `[${packageName}] needs Node.js ${NODE_FLOOR} or newer, found ${found}. ` +
        "Install a current Node.js (https://nodejs.org/) and run it again.",
    );
    this.name = "NodeVersionError";
    this.required = NODE_FLOOR;
    this.found = found;
  }
}

/** [major, minor, patch] of "v22.19.0" or "22.19.0"; missing parts are 0. */
function parts(version: string): [number, number, number] {
  const [major = 0, minor = 0, patch = 0] = version
    .replace(/^v/, "")
    .split(/[.+-]/)
    .slice(0, 3)
    .map((part) => Number.parseInt(part, 10) || 0);
  return [major, minor, patch];
}

/** True when `version` (e.g. process.versions.node) is at least `floor`. */
export function meetsNodeFloor(version: string, floor: string = NODE_FLOOR): boolean {
  const have = parts(version);
  const need = parts(floor);
  for (let i = 0; i < 3; i++) {
    if ((have[i] as number) !== (need[i] as number))
      return (have[i] as number) > (need[i] as number);
  }
  return true;
}

/** Throws NodeVersionError naming `packageName` when this Node is older than NODE_FLOOR. */
export function assertNodeVersion(
  packageName: string,
  version: string = process.versions.node,
): void {
  if (!meetsNodeFloor(version)) throw new NodeVersionError(packageName, version);
}
