/**
 * The files a package.json promises (`main`, `types`, `bin`, every `exports` target) and
 * which of them a tarball of that package would lack: missing on disk, or outside `files`.
 * Used by scripts/prepack.ts before `pnpm pack` / `npm pack` and by test/pack.test.ts.
 */
import { existsSync, readFileSync } from "node:fs";
import { join, normalize } from "node:path";

interface PackageJson {
  main?: string;
  types?: string;
  bin?: string | Record<string, string>;
  exports?: unknown;
  files?: string[];
}

/** Every target string in an `exports` value (strings, condition objects, arrays). */
function exportTargets(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap(exportTargets);
  if (value !== null && typeof value === "object")
    return Object.values(value).flatMap(exportTargets);
  return [];
}

/** The paths the package.json in `dir` names, relative and normalised ("dist/index.js"). */
export function namedPackageFiles(dir: string): string[] {
  const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as PackageJson;
  const bin = typeof pkg.bin === "string" ? [pkg.bin] : Object.values(pkg.bin ?? {});
  const named = [pkg.main, pkg.types, ...bin, ...exportTargets(pkg.exports)].filter(
    (path): path is string => typeof path === "string",
  );
  return [...new Set(named.map((path) => normalize(path)))].sort();
}

/** Always in a tarball, whatever `files` says. */
const ALWAYS_PACKED = /^(package\.json|readme(\.[^/]*)?|license(\.[^/]*)?)$/i;

/** Named paths a tarball of `dir` would lack, each with the reason. */
export function missingPackageFiles(dir: string): string[] {
  const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as PackageJson;
  const packed = (path: string) =>
    ALWAYS_PACKED.test(path) ||
    pkg.files === undefined ||
    pkg.files.some((entry) => {
      const root = normalize(entry).replace(/\/$/, "");
      return path === root || path.startsWith(`${root}/`);
    });
  const problems: string[] = [];
  for (const path of namedPackageFiles(dir)) {
    // "./schemas/*": the directory the pattern expands in must be there.
    const onDisk = path.includes("*") ? path.slice(0, path.indexOf("*")) : path;
    if (!existsSync(join(dir, onDisk))) problems.push(`${path} (does not exist)`);
    else if (!packed(path)) problems.push(`${path} (not in "files")`);
  }
  return problems;
}
