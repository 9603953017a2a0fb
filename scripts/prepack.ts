/**
 * `prepack` of every published package: build it, then refuse to pack when a file that
 * `main`, `types`, `bin` or `exports` names would be missing from the tarball.
 * `tsc -b` alone is not enough: after `rm -rf dist` its tsconfig.tsbuildinfo still says
 * "up to date" and it writes nothing, so a missing output forces a full rebuild.
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { basename } from "node:path";
import { missingPackageFiles } from "./package-files.ts";

const dir = process.cwd();
const tsc = createRequire(`${dir}/package.json`).resolve("typescript/bin/tsc");
const build = (...flags: string[]) =>
  execFileSync(process.execPath, [tsc, "-b", ...flags], { cwd: dir, stdio: "inherit" });

build();
if (missingPackageFiles(dir).length > 0) build("--force");
// A package's own build step after tsc (core: its precompiled schema validators).
const buildStep = `${dir}/scripts/compile-schemas.ts`;
if (existsSync(buildStep))
  execFileSync(process.execPath, [buildStep], { cwd: dir, stdio: "inherit" });
const missing = missingPackageFiles(dir);
if (missing.length > 0) {
  process.stderr.write(
    `prepack: ${basename(dir)} would be packed without files its package.json names:\n` +
      missing.map((line) => `  ${line}\n`).join(""),
  );
  process.exit(1);
}
