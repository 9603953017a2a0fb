/**
 * The part of Eleventy 3's configuration API this plugin uses. Eleventy ships no
 * type declarations, so this is declared here, as small as it can be.
 */

/** What a transform sees as `this`. */
export interface TransformContext {
  page: { url: string | false; inputPath: string; outputPath: string | false };
}

/** The argument of the `eleventy.before` and `eleventy.after` events. */
export interface BuildEventArgs {
  directories: { input: string; output: string };
  runMode: "build" | "serve" | "watch";
  outputMode: "fs" | "json" | "ndjson";
  incremental: boolean;
  /** `eleventy.after` only: the templates written (a page left unwritten, as in a dry run, is missing). */
  results?: EleventyAfterResult[];
}

/** One written template, as `eleventy.after` reports it. */
export interface EleventyAfterResult {
  outputPath: string | false;
  content: unknown;
}

export interface EleventyLogger {
  logWithOptions(options: {
    message: string;
    prefix?: string;
    type?: "log" | "warn" | "error";
    color?: string;
    force?: boolean;
  }): void;
}

export interface EleventyConfig {
  versionCheck?(range: string): void;
  pathPrefix?: string;
  logger?: EleventyLogger;
  addTransform(name: string, transform: (this: TransformContext, content: string) => unknown): void;
  on(
    event: "eleventy.before" | "eleventy.after",
    listener: (args: BuildEventArgs) => unknown,
  ): void;
  /** Fired in --serve/--watch before the configuration (and so this plugin) is loaded again. */
  on(event: "eleventy.reset", listener: () => unknown): void;
  addShortcode(name: string, shortcode: (...args: never[]) => string): void;
  addFilter(name: string, filter: (...args: never[]) => unknown): void;
  addGlobalData(name: string, data: () => unknown): void;
  addWatchTarget(target: string): void;
}
