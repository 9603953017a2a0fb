/**
 * A tarball always has what `bin` and `exports` name: every published package builds in
 * `prepack`, and packing an unbuilt package (no dist/, a stale tsconfig.tsbuildinfo that
 * tells `tsc -b` all is up to date) still ships dist/.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { cp, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { missingPackageFiles, namedPackageFiles } from "../scripts/package-files.ts";
import { publishedPackages } from "./support/published-packages.ts";

const repo = fileURLToPath(new URL("../", import.meta.url));
const PUBLISHED = publishedPackages(repo);
const run = promisify(execFile);

describe("packing a package", () => {
  let work: string;
  before(async () => {
    work = await mkdtemp(join(tmpdir(), "sp-pack-"));
  });
  after(() => rm(work, { recursive: true, force: true }));

  it("every published package builds and checks its files in prepack", async () => {
    for (const name of PUBLISHED) {
      const dir = join(repo, "packages", name);
      const pkg = JSON.parse(await readFile(join(dir, "package.json"), "utf8"));
      assert.equal(pkg.scripts?.prepack, "node ../../scripts/prepack.ts", name);
      assert.ok(
        namedPackageFiles(dir).some((path) => path.startsWith("dist/")),
        name,
      );
      assert.deepEqual(missingPackageFiles(dir), [], `${name} after the build`);
    }
  });

  it("names each promised file a tarball would lack, and why", async () => {
    const dir = join(work, "broken");
    await mkdir(join(dir, "src"), { recursive: true });
    await writeFile(join(dir, "src/index.js"), "");
    await writeFile(
      join(dir, "package.json"),
      JSON.stringify({
        main: "./dist/index.js",
        bin: { tool: "./dist/bin.js" },
        exports: {
          ".": { types: "./dist/index.d.ts", default: "./dist/index.js" },
          "./raw": "./src/index.js",
          "./data/*": "./data/*",
        },
        files: ["dist"],
      }),
    );
    assert.deepEqual(missingPackageFiles(dir), [
      "data/* (does not exist)",
      "dist/bin.js (does not exist)",
      "dist/index.d.ts (does not exist)",
      "dist/index.js (does not exist)",
      'src/index.js (not in "files")',
    ]);
  });

  it("`pnpm pack` of an unbuilt package builds it first: the tarball has dist/", async () => {
    // A copy of core as a fresh clone has it, plus the tsbuildinfo a deleted dist/ leaves behind.
    const root = join(work, "clone");
    const core = join(root, "packages/core");
    await mkdir(join(root, "scripts"), { recursive: true });
    for (const file of ["tsconfig.base.json", "scripts/prepack.ts", "scripts/package-files.ts"]) {
      await cp(join(repo, file), join(root, file));
    }
    for (const part of [
      "package.json",
      "tsconfig.json",
      "README.md",
      "src",
      "schemas",
      "scripts",
    ]) {
      await cp(join(repo, "packages/core", part), join(core, part), { recursive: true });
    }
    await writeFile(
      join(core, "tsconfig.tsbuildinfo"),
      await readFile(join(repo, "packages/core/tsconfig.tsbuildinfo")),
    );
    await symlink(join(repo, "node_modules"), join(root, "node_modules"), "dir");
    await symlink(join(repo, "packages/core/node_modules"), join(core, "node_modules"), "dir");

    const out = join(work, "out");
    await run("pnpm", ["pack", "--pack-destination", out], { cwd: core });
    const tarballs = await readdir(out);
    assert.equal(tarballs.length, 1, `one tarball: ${tarballs.join(", ")}`);
    const tarball = tarballs[0] as string;
    assert.match(tarball, /\.tgz$/);
    const { stdout } = await run("tar", ["-tzf", join(out, tarball)]);
    const packed = new Set(stdout.split("\n").map((line) => line.replace(/^package\//, "")));
    for (const path of namedPackageFiles(core).filter((path) => !path.includes("*"))) {
      assert.ok(packed.has(path), `${path} is in the tarball`);
    }
    assert.ok(packed.has("schemas/manifest.schema.json"), "what ./schemas/* names is packed too");
    // Core's own build step after tsc: the validators compiled ahead of time.
    assert.ok(packed.has("dist/files/compiled-schemas.cjs"), "the precompiled validators");
  });
});
