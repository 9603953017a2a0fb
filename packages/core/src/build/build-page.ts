import type { ManifestPageInput } from "../manifest/build-manifest.ts";

/**
 * A page of the build as it goes to the manifest: a tagged union, one `kind` per place
 * its links are held.
 * - `links`: processed on this thread, links here.
 * - `kept`: processed by the page worker, which keeps its links for the manifest (`job`
 *   is the id the worker knows it by).
 * - `cached`: unchanged since the last build (page cache): the worker has its links.
 * `kept` and `cached` name the page's output `file`: its links are read from there
 * again should the worker be lost before the end of the build.
 */
export type BuildPage =
  | ({ kind: "links" } & ManifestPageInput)
  | { kind: "kept"; url: string; pingback: boolean; job: number; file: string }
  | { kind: "cached"; url: string; pingback: boolean; file: string };

/** A page whose links are here: what processing it answered. */
export function linksPage(
  url: string,
  result: {
    pingback: boolean;
    links?: readonly string[] | undefined;
    outsideArticle?: boolean | undefined;
    contentHash?: string | null | undefined;
  },
): BuildPage {
  const { pingback, outsideArticle, contentHash } = result;
  return {
    kind: "links",
    url,
    pingback,
    links: result.links ?? [],
    outsideArticle,
    ...(contentHash == null ? {} : { contentHash }),
  };
}

/** A page whose links only the page worker holds. */
export type WorkerHeldPage = Extract<BuildPage, { kind: "kept" | "cached" }>;

export function isWorkerHeld(page: BuildPage): page is WorkerHeldPage {
  return page.kind !== "links";
}
