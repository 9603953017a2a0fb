import path from "node:path";
import { fileURLToPath } from "node:url";
import { finishBuild, formatBuildSummary, PingbackOptionsError } from "@static-pingback/core";
import type { AstroIntegration, AstroIntegrationLogger } from "astro";
import { processBuiltPages } from "./built-pages.ts";
import {
  type AstroPingbackOptions,
  PACKAGE_NAME,
  type ResolvedAstroOptions,
  resolveAstroOptions,
  resolveReceivedOption,
} from "./options.ts";
import type { BuildFormat } from "./page-location.ts";
import { type RuntimeConfigSource, runtimeConfigSource } from "./received-load.ts";
import { virtualConfigPlugin } from "./virtual-config.ts";

/**
 * The Astro integration. Callable with no arguments (as `astro add` does): the site
 * comes from Astro's `site` and `base`, the endpoint defaults to webmention.io's.
 */
export function staticPingback(options?: AstroPingbackOptions): AstroIntegration {
  let resolved: ResolvedAstroOptions | undefined;
  let format: BuildFormat = "directory";
  let root = process.cwd();
  let onDemandPages: string[] = [];
  // Set once Astro's config is final; the virtual module reads it when first loaded.
  let runtime: RuntimeConfigSource | undefined;
  const currentRuntime = (): RuntimeConfigSource =>
    runtime ??
    runtimeConfigSource({ received: undefined, site: undefined, root, format, warn() {} });

  return {
    name: PACKAGE_NAME,
    hooks: {
      "astro:config:setup": ({ updateConfig }) => {
        updateConfig({
          vite: { plugins: [virtualConfigPlugin(currentRuntime)] },
        });
      },

      "astro:config:done": ({ config, logger }) => {
        format = config.build.format;
        root = fileURLToPath(config.root);
        try {
          resolved = resolveAstroOptions(options, config);
          runtime = runtimeConfigSource({
            received: resolveReceivedOption(options, config),
            site: resolved?.core.site,
            root,
            format,
            warn: (message) => logger.warn(message),
          });
        } catch (error) {
          if (error instanceof PingbackOptionsError) logger.error(error.message);
          throw error;
        }
      },

      "astro:routes:resolved": ({ routes }) => {
        onDemandPages = routes
          .filter((route) => route.type === "page" && !route.isPrerendered)
          .filter((route) => route.origin !== "internal")
          .map((route) => route.pattern);
      },

      "astro:build:done": async ({ dir, pages, logger }) => {
        if (!resolved) {
          logger.warn(
            "needs the `site` option (in astro.config or in this integration's options): the deployed site's URL. Skipping.",
          );
          return;
        }
        if (resolved.core.endpointIsDefault) {
          logger.info(
            `advertising webmention.io's pingback endpoint ${resolved.core.endpoint} (set the \`endpoint\` option to use another; webmention.io accepts pingbacks only once enabled in its settings)`,
          );
        }
        if (resolved.starlightScope) {
          logger.debug("Starlight detected: outbound links are taken from .sl-markdown-content");
        }
        if (onDemandPages.length > 0) {
          logger.info(
            `${onDemandPages.length} on-demand (server-rendered) route(s) left out: only prerendered pages take part (${onDemandPages.join(", ")})`,
          );
        }
        await runBuild(resolved, {
          root,
          outDir: fileURLToPath(dir),
          pageNames: pages.map((page) => page.pathname),
          format,
          stateDir: path.resolve(root, resolved.core.stateDir),
          logger,
        });
      },
    },
  };
}

interface BuildContext {
  root: string;
  outDir: string;
  pageNames: string[];
  format: BuildFormat;
  stateDir: string;
  logger: AstroIntegrationLogger;
}

async function runBuild(resolved: ResolvedAstroOptions, context: BuildContext): Promise<void> {
  const { logger } = context;
  const started = performance.now();
  const outcome = await processBuiltPages({
    outDir: context.outDir,
    pageNames: context.pageNames,
    format: context.format,
    options: resolved.core,
    concurrency: resolved.concurrency,
  });
  const processed = performance.now();
  logger.debug(`${outcome.pages.length} pages processed in ${Math.round(processed - started)} ms`);
  for (const name of outcome.missing) {
    logger.debug(`no HTML file found for page "${name}" in the output; left out`);
  }
  for (const page of outcome.pages) {
    for (const warning of page.result.warnings) logger.warn(`${page.url} ${warning}`);
  }
  const finished = await finishBuild({
    pages: outcome.pages.map((page) => ({
      url: page.url,
      pingback: page.result.pingback,
      links: page.result.links,
    })),
    options: { ...resolved.core, stateDir: context.stateDir },
    ...(resolved.previousManifest === undefined
      ? {}
      : { previousManifest: fromRoot(context.root, resolved.previousManifest) }),
    ...(resolved.publishManifest ? { publishDir: context.outDir } : {}),
  });
  logger.debug(`manifest and outbox written in ${Math.round(performance.now() - processed)} ms`);
  for (const warning of finished.warnings) logger.warn(warning);
  logger.info(formatBuildSummary(finished));
}

/** A path option is relative to the Astro project root; URLs stay as they are. */
function fromRoot(root: string, pathOrUrl: string): string {
  return /^https?:\/\//i.test(pathOrUrl) ? pathOrUrl : path.resolve(root, pathOrUrl);
}
