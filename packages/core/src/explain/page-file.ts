import { stat } from "node:fs/promises";
import { join, relative, resolve, sep } from "node:path";

/**
 * Where a static host would find a page's file in the output directory: `/a/` is
 * `a/index.html`, `/a.html` is itself, `/a` is `a.html` or `a/index.html`. The site's
 * base path is tried both stripped (Eleventy's pathPrefix, Astro's base) and kept.
 * Never a path outside the output directory.
 */
export function pageFileCandidates(pageUrl: URL, site: URL, outputDir: string): string[] {
  let path: string;
  try {
    path = decodeURIComponent(pageUrl.pathname);
  } catch {
    return [];
  }
  const paths = [path];
  if (site.pathname !== "/" && path.startsWith(site.pathname)) {
    paths.unshift(path.slice(site.pathname.length - 1));
  }
  const root = resolve(outputDir);
  const candidates: string[] = [];
  for (const each of paths) {
    const names = each.endsWith("/")
      ? [`${each}index.html`]
      : [each, `${each}.html`, `${each}/index.html`];
    for (const name of names) {
      const file = resolve(join(root, name));
      const inside = relative(root, file);
      if (inside.startsWith(`..${sep}`) || inside === "..") continue;
      if (!candidates.includes(file)) candidates.push(file);
    }
  }
  return candidates;
}

/** The first candidate that is a file, or undefined. */
export async function findPageFile(
  pageUrl: URL,
  site: URL,
  outputDir: string,
): Promise<string | undefined> {
  for (const file of pageFileCandidates(pageUrl, site, outputDir)) {
    const info = await stat(file).catch(() => undefined);
    if (info?.isFile()) return file;
  }
  return undefined;
}
