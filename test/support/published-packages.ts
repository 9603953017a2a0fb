import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

/** The workspace packages that are published (not `"private": true`), by folder name. */
export function publishedPackages(repo: string): string[] {
  const root = join(repo, "packages");
  return readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .filter((name) => {
      const pkg = JSON.parse(readFileSync(join(root, name, "package.json"), "utf8"));
      return pkg.private !== true;
    })
    .sort();
}
