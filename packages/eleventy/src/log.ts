import type { EleventyConfig } from "./eleventy-config.ts";

export const PACKAGE_NAME = "@static-pingback/eleventy";
const PREFIX = `[${PACKAGE_NAME}]`;

/** Lines for the build log, through Eleventy's logger (so quiet mode and colours apply). */
export interface Log {
  info(message: string): void;
  warn(message: string): void;
}

export function eleventyLog(config: EleventyConfig): Log {
  const logger = config.logger;
  if (!logger) {
    return {
      info: (message) => console.log(`${PREFIX} ${message}`),
      warn: (message) => console.warn(`${PREFIX} ${message}`),
    };
  }
  return {
    // Forced, as Eleventy's own "Wrote N files" line is: the plugin says little, and a quiet
    // build must still tell that received data is stale or which endpoint is advertised.
    info: (message) => logger.logWithOptions({ message, prefix: PREFIX, force: true }),
    warn: (message) =>
      logger.logWithOptions({
        message,
        prefix: PREFIX,
        type: "warn",
        color: "yellow",
        force: true,
      }),
  };
}
