import type { MiddlewareHandler } from "astro";
import { currentPrerenderHook } from "./prerender-hook.ts";

/**
 * Added first in the middleware sequence, so it sees each page's final response. While
 * `astro build` prerenders, it hands HTML pages to the integration, which inserts the
 * link element there and then, so the page is written once, already complete.
 */
export const onRequest: MiddlewareHandler = async (context, next) => {
  const hook = context.isPrerendered ? currentPrerenderHook() : undefined;
  if (!hook) return next();
  return hook(context.url, await next());
};
