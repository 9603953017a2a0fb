import { type BuildSession, prerenderedResponse } from "@static-pingback/core/build";
import { outputKey } from "./page-location.ts";
import type { PrerenderHook } from "./prerender-hook.ts";

/**
 * The integration's side of the prerender middleware: each page Astro renders goes to
 * core's build session, which inserts the link elements before the page is written (so
 * no page is read back and rewritten later) and leaves the whole-page work to its
 * worker. At the end of the build each written file is matched to what was handed out
 * for it by the same key (see builtPages). `appendSlash`: page names end with "/"
 * (Astro's shouldAppendForwardSlash), so the URL given here is the one builtPages gives.
 */
export function prerenderedPages(session: BuildSession, appendSlash: boolean): PrerenderHook {
  return (requestUrl, response) => {
    const key = outputKey(requestUrl.pathname);
    const { site } = session.options;
    const url =
      key === outputKey(site.pathname)
        ? new URL(site)
        : new URL(`${key}${appendSlash ? "/" : ""}`, site);
    return prerenderedResponse(session, { url, key }, response);
  };
}
