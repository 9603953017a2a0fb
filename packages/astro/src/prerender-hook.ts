/**
 * How the middleware (bundled into the site's prerender code) reaches the integration
 * (in Astro's own process): through one global slot, set only while `astro build`
 * renders pages. In `astro dev`, in a deployed server, or with a prerenderer that runs
 * elsewhere the slot is empty and the middleware passes responses through.
 */
export const PRERENDER_HOOK: unique symbol = Symbol.for("@static-pingback/astro:prerender-hook");

/** Takes a prerendered page's response; answers the response to write. */
export type PrerenderHook = (requestUrl: URL, response: Response) => Promise<Response>;

type HookSlot = { [PRERENDER_HOOK]?: PrerenderHook | undefined };

export function currentPrerenderHook(): PrerenderHook | undefined {
  return (globalThis as HookSlot)[PRERENDER_HOOK];
}

export function setPrerenderHook(hook: PrerenderHook | undefined): void {
  (globalThis as HookSlot)[PRERENDER_HOOK] = hook;
}
