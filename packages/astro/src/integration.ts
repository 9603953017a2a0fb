import { fileURLToPath } from "node:url";
import { PingbackOptionsError } from "@static-pingback/core";
import { BuildSession } from "@static-pingback/core/build";
import { assertNodeVersion } from "@static-pingback/core/node-version";
import type { AstroIntegration, AstroIntegrationLogger } from "astro";
import { handBuiltPages } from "./built-pages.ts";
import {
  type AstroPingbackOptions,
  PACKAGE_NAME,
  type ResolvedAstroOptions,
  resolveAstroOptions,
  resolveReceivedOption,
} from "./options.ts";
import type { BuildFormat } from "./page-location.ts";
import { setPrerenderHook } from "./prerender-hook.ts";
import { PrerenderedPages } from "./prerendered-pages.ts";
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
            received: resolveReceivedOption(options, config),
            site: resolved?.core.site,
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
        if (!resolved) return;
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
        setPrerenderHook(new PrerenderedPages(session, appendSlash));
      },

      "astro:build:generated": () => {
        // Rendering is over: later middleware runs (none in a build) pass through.
        setPrerenderHook(undefined);
      },

      "astro:build:done": async ({ dir, pages, logger }) => {
        setPrerenderHook(undefined);
        const handled = session;
        session = undefined;
        if (!resolved) {
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
        await virtualConfig.received.copyAvatars(fileURLToPath(dir));
        if (!handled) return;
        try {
          await runBuild(handled, resolved, {
            outDir: fileURLToPath(dir),
            pageNames: pages.map((page) => page.pathname),
            format,
            logger,
          });
        } finally {
          await handled.close();
        }
      },
    },
  };
}

interface BuildContext {
  outDir: string;
  pageNames: string[];
  format: BuildFormat;
  logger: AstroIntegrationLogger;
}

async function runBuild(
  session: BuildSession,
  resolved: ResolvedAstroOptions,
  context: BuildContext,
): Promise<void> {
  const { logger } = context;
  const started = performance.now();
  const handedOut = session.handedOut;
  const missing = await handBuiltPages(session, {
    outDir: context.outDir,
    pageNames: context.pageNames,
    format: context.format,
    concurrency: resolved.concurrency,
  });
  const processed = performance.now();
  for (const name of missing) {
    logger.debug(`no HTML file found for page "${name}" in the output; left out`);
  }
  const finished = await session.finish({
    publishDir: resolved.publishManifest ? context.outDir : undefined,
    outputDir: context.outDir,
  });
  if (!finished) return;
  logger.debug(
    `pages handed over in ${Math.round(processed - started)} ms (${finished.recognised} of ${handedOut} written complete while Astro rendered them)`,
  );
  logger.debug(`manifest and outbox written in ${Math.round(performance.now() - processed)} ms`);
}

/** The middleware module, beside this one (source in tests, dist when installed). */
const MIDDLEWARE_ENTRY = fileURLToPath(
  new URL(
    import.meta.url.endsWith(".ts") ? "./prerender-middleware.ts" : "./prerender-middleware.js",
    import.meta.url,
  ),
);
