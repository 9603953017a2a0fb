import { type BuildSession, prerenderedResponse } from "@static-pingback/core/build";
import type { PrerenderHook } from "./prerender-hook.ts";

/**
 * The key both sides agree on for a page: the URL path without the ending the build
 * format adds ("/", ".html", "/index.html"). Astro's request for `posts/a` is
 * `/posts/a/`, `/posts/a` or `/posts/a.html`; its page name gives `/posts/a/` or `/posts/a`.
 */
export function outputKey(pathname: string): string {
  return pathname.replace(/(?:\/index\.html|\.html|\/)$/, "");
}

/**
 * The integration's side of the prerender middleware: each page Astro renders goes to
 * core's build session, which inserts the link elements before the page is written (so
 * no page is read back and rewritten later) and leaves the whole-page work to its
 * worker. At the end of the build each written file is matched to what was handed out
 * for it (see built-pages.ts).
 */
export class PrerenderedPages implements PrerenderHook {
  readonly #session: BuildSession;
  readonly #appendSlash: boolean;

  /** `appendSlash`: page names end with "/" (Astro's shouldAppendForwardSlash). */
  constructor(session: BuildSession, appendSlash: boolean) {
    this.#session = session;
    this.#appendSlash = appendSlash;
  }

  page(requestUrl: URL, response: Response): Promise<Response> {
    const key = outputKey(requestUrl.pathname);
    return prerenderedResponse(this.#session, { url: this.#pageUrl(key), key }, response);
  }

  /** The page URL as Astro's page list gives it (see page-location.ts), from a key. */
  #pageUrl(key: string): URL {
    const { site } = this.#session.options;
    if (key === outputKey(site.pathname)) return new URL(site);
    return new URL(`${key}${this.#appendSlash ? "/" : ""}`, site);
  }
}
