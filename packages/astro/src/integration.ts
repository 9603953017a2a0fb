import { fileURLToPath } from "node:url";
import { PingbackOptionsError } from "@static-pingback/core";
import { BuildSession } from "@static-pingback/core/build";
import { assertNodeVersion } from "@static-pingback/core/node-version";
import type { AstroIntegration } from "astro";
import {
  type AstroPingbackOptions,
  PACKAGE_NAME,
  type ResolvedAstroOptions,
  resolveAstroOptions,
} from "./options.ts";
import { type BuildFormat, builtPages } from "./page-location.ts";
import { setPrerenderHook } from "./prerender-hook.ts";
import { prerenderedPages } from "./prerendered-pages.ts";
import { VirtualConfig } from "./virtual-config.ts";

/**
 * The Astro integration. Callable with no arguments (as `astro add` does): the site
 * comes from Astro's `site` and `base`, the endpoint defaults to webmention.io's.
 */
export function staticPingback(options?: AstroPingbackOptions): AstroIntegration {
  // First: on an older Node a dependency fails later with a message that names neither.
  assertNodeVersion(PACKAGE_NAME);
  let resolved: ResolvedAstroOptions | undefined;
  let format: BuildFormat = "directory";
  let onDemandPages: string[] = [];
  let appendSlash = true;
  // Set while `astro build` runs: core's build session (see prerender-middleware.ts).
  let session: BuildSession | undefined;
  const virtualConfig = new VirtualConfig();

  return {
    name: PACKAGE_NAME,
    hooks: {
      "astro:config:setup": ({ updateConfig, addMiddleware }) => {
        updateConfig({
          vite: { plugins: [virtualConfig.vitePlugin()] },
        });
        // First in the sequence: it sees the response the site's own middleware made.
        addMiddleware({ entrypoint: MIDDLEWARE_ENTRY, order: "pre" });
      },

      "astro:config:done": ({ config, logger }) => {
        format = config.build.format;
        // Astro's shouldAppendForwardSlash: whether page names end with "/".
        appendSlash =
          config.trailingSlash === "always" ||
          (config.trailingSlash === "ignore" && format === "directory");
        try {
          resolved = resolveAstroOptions(options, config);
          virtualConfig.configure({
            received: resolved.received,
            site: resolved.core?.site,
            root: fileURLToPath(config.root),
            format,
            warn: (message) => logger.warn(message),
          });
        } catch (error) {
          // Astro's logger prints the integration's name already.
          if (error instanceof PingbackOptionsError) logger.error(error.detail);
          throw error;
        }
      },

      "astro:routes:resolved": ({ routes }) => {
        onDemandPages = routes
          .filter((route) => route.type === "page" && !route.isPrerendered)
          .filter((route) => route.origin !== "internal")
          .map((route) => route.pattern);
      },

      "astro:build:start": async ({ logger }) => {
        session = undefined;
        if (!resolved?.core) return;
        session = new BuildSession({
          packageName: PACKAGE_NAME,
          pageCache: resolved.pageCache,
          previousManifest: resolved.previousManifest,
          // During bundling the other core is Vite's.
          workerStartsWithFirstPage: true,
          batching: "trickle",
          prerenders: true,
          log: logger,
        });
        await session.begin({
          options: resolved.core,
          watch: false,
          incremental: false,
          writesFiles: true,
          workerOptions: resolved.workerThread ? resolved.workerInput : undefined,
        });
        setPrerenderHook(prerenderedPages(session, appendSlash));
      },

      "astro:build:generated": () => {
        // Rendering is over: later middleware runs (none in a build) pass through.
        setPrerenderHook(undefined);
      },

      "astro:build:done": async ({ dir, pages, logger }) => {
        setPrerenderHook(undefined);
        const handled = session;
        session = undefined;
        if (!resolved?.core) {
          logger.warn(
            "needs the `site` option (in astro.config or in this integration's options): the deployed site's URL. Skipping.",
          );
          return;
        }
        if (resolved.starlightScope) {
          logger.debug("Starlight detected: outbound links are taken from .sl-markdown-content");
        }
        if (onDemandPages.length > 0) {
          logger.info(
            `${onDemandPages.length} on-demand (server-rendered) route(s) left out: only prerendered pages take part (${onDemandPages.join(", ")})`,
          );
        }
        const outDir = fileURLToPath(dir);
        await virtualConfig.received.copyAvatars(outDir);
        if (!handled) return;
        try {
          await handled.finish({
            writtenFiles: {
              pages: builtPages(
                handled.options.site,
                outDir,
                pages.map((page) => page.pathname),
                format,
              ),
              concurrency: resolved.concurrency,
            },
            publishDir: resolved.publishManifest ? outDir : undefined,
            outputDir: outDir,
          });
        } finally {
          await handled.close();
        }
      },
    },
  };
}

/** The middleware module, beside this one (source in tests, dist when installed). */
const MIDDLEWARE_ENTRY = fileURLToPath(
  new URL(
    import.meta.url.endsWith(".ts") ? "./prerender-middleware.ts" : "./prerender-middleware.js",
    import.meta.url,
  ),
);
