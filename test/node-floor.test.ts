/**
 * One Node floor, true to the dependencies: core's NODE_FLOOR is the highest minimum
 * among the installed (lockfile) runtime dependencies' own `engines.node` and the
 * built-ins used without a flag, and every engines field, the toolchain script and
 * the READMEs say the same version.
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync, realpathSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { NODE_FLOOR } from "../packages/core/src/node-version.ts";
import { satisfiesRange } from "./support/node-range.ts";
import { publishedPackages } from "./support/published-packages.ts";

const repo = fileURLToPath(new URL("../", import.meta.url));
const PUBLISHED = publishedPackages(repo);

/** Built-ins the packages use, with the first Node that has them without a flag. */
const BUILT_INS = [{ who: "node:sqlite (no flag)", range: ">=22.13.0" }];

interface Requirement {
  who: string;
  range: string;
}

interface PackageJson {
  name: string;
  version: string;
  engines?: { node?: string };
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

function readPackage(dir: string): PackageJson {
  return JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
}

/** Node's lookup: <dir>/node_modules/<name>, then each parent's. */
function resolvePackage(from: string, name: string): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, "node_modules", name);
    if (existsSync(join(candidate, "package.json"))) return realpathSync(candidate);
    if (dirname(dir) === dir) return undefined;
  }
}

/** `engines.node` of every package the published packages need at run time (not dev, not peers). */
function runtimeRequirements(): Requirement[] {
  const seen = new Set<string>();
  const found: Requirement[] = [];
  const queue = PUBLISHED.map((name) => join(repo, "packages", name));
  while (queue.length > 0) {
    const dir = queue.pop() as string;
    if (seen.has(dir)) continue;
    seen.add(dir);
    const pkg = readPackage(dir);
    const range = pkg.engines?.node;
    if (range && !pkg.name.startsWith("@static-pingback/")) {
      found.push({ who: `${pkg.name}@${pkg.version}`, range });
    }
    const optional = new Set(Object.keys(pkg.optionalDependencies ?? {}));
    for (const name of [...Object.keys(pkg.dependencies ?? {}), ...optional]) {
      const resolved = resolvePackage(dir, name);
      if (resolved) queue.push(resolved);
      else assert.ok(optional.has(name), `${name} (needed by ${pkg.name}) is not installed`);
    }
  }
  return found;
}

/** The last release before `version` as far as ranges can tell: 22.19.0 → 22.18.999. */
function justBelow(version: string): string {
  const [major = 0, minor = 0, patch = 0] = version.split(".").map(Number);
  if (patch > 0) return `${major}.${minor}.${patch - 1}`;
  if (minor > 0) return `${major}.${minor - 1}.999`;
  return `${major - 1}.999.999`;
}

describe("the Node floor", () => {
  it("reads engines ranges as npm does", () => {
    assert.ok(satisfiesRange("22.19.0", ">=22.19.0"));
    assert.ok(!satisfiesRange("22.18.999", ">=22.19.0"));
    assert.ok(satisfiesRange("22.19.0", "^20.19.0 || >=22.12.0"));
    assert.ok(!satisfiesRange("21.0.0", "^20.19.0 || >=22.12.0"));
    assert.ok(satisfiesRange("22.19.0", "^20.19.0 || ^22.13.0 || >=23.5.0"));
    assert.ok(!satisfiesRange("23.4.0", "^20.19.0 || ^22.13.0 || >=23.5.0"));
    assert.ok(satisfiesRange("22.19.0", ">= 12.0.0"));
    assert.ok(satisfiesRange("22.19.0", "*"));
    assert.ok(!satisfiesRange("22.19.0", "^20.9.0"));
    assert.ok(satisfiesRange("22.19.0", "18 - 22"));
    assert.ok(!satisfiesRange("23.0.0", "18 - 22"));
    assert.ok(!satisfiesRange("22.19.0", "~22.18.0"));
  });

  it("is the highest minimum of the runtime dependencies and built-ins, no lower and no higher", () => {
    const requirements = [...runtimeRequirements(), ...BUILT_INS];
    assert.ok(
      requirements.some((r) => r.who.startsWith("undici@")),
      "undici is among them",
    );
    const unmet = requirements.filter((r) => !satisfiesRange(NODE_FLOOR, r.range));
    assert.deepEqual(unmet, [], `Node ${NODE_FLOOR} does not satisfy these`);
    const below = justBelow(NODE_FLOOR);
    const setters = requirements.filter((r) => !satisfiesRange(below, r.range));
    assert.ok(setters.length > 0, `nothing needs ${NODE_FLOOR}: ${below} satisfies every range`);
  });

  it("is the one version in every engines field, the toolchain script and the READMEs", () => {
    for (const dir of [".", ...PUBLISHED.map((name) => `packages/${name}`)]) {
      const pkg = readPackage(join(repo, dir));
      assert.equal(pkg.engines?.node, `>=${NODE_FLOOR}`, `${dir}/package.json engines.node`);
    }
    const toolchain = readFileSync(join(repo, "scripts/toolchain.sh"), "utf8");
    assert.match(toolchain, new RegExp(`^NODE_FLOOR="${NODE_FLOOR.replaceAll(".", "\\.")}"$`, "m"));

    const readmes = ["README.md", ...PUBLISHED.map((name) => `packages/${name}/README.md`)];
    for (const file of readmes) {
      const text = readFileSync(join(repo, file), "utf8");
      // "Node >= 22.19.0", and "22.19.0 or newer" within a few words after "Node".
      const claims = [
        ...[...text.matchAll(/Node(?:\.js)? >= ?(\d+(?:\.\d+)*)/g)].map((m) => m[1]),
        ...[...text.matchAll(/(\d+(?:\.\d+)*) or newer/g)]
          .filter((m) => /Node/.test(text.slice(Math.max(0, m.index - 40), m.index)))
          .map((m) => m[1]),
      ];
      assert.ok(claims.length > 0, `${file} states the Node floor`);
      for (const claim of claims) assert.equal(claim, NODE_FLOOR, `${file}: Node ${claim}`);
    }
  });
});
